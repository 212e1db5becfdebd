//! `--database URL`, for every command that opens the store.

use clap::Args;

/// The store of the records: the data folder's sled database, or a PostgreSQL database.
#[derive(Args, Debug, Clone, Default)]
pub struct DatabaseArg {
    /// PostgreSQL database that keeps the records instead of the sled database in the data folder,
    /// e.g. postgres://outlet:PASSWORD@127.0.0.1:5432/outlet. Several servers may share one. The
    /// environment variable keeps the password out of the process list.
    #[arg(long = "database", env = "OUTLET_DATABASE_URL", hide_env_values = true, value_name = "URL")]
    pub url: Option<String>,
}

impl DatabaseArg {
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }
}
