//! The store a server test runs on: sled in a temporary folder by default, or a fresh PostgreSQL
//! database when `OUTLET_TEST_DATABASE_URL` is set. `cargo xtask test` runs the server tests once
//! each way.
//!
//! The variable contains the URL of a role that may create databases, e.g.
//! `postgres://outlet_test:outlet_test@127.0.0.1:5432/postgres`. Each [`Backend`] creates its own
//! database `outlet_test_<uuid>` there and drops it at the end, so tests run in parallel without
//! seeing each other's rows.

use std::path::Path;
use std::sync::Arc;

use outlet_server::store::{self, ServerStore};
use outlet_server::DataDir;

/// The variable that names the PostgreSQL server the tests use.
pub const DATABASE_URL_VAR: &str = "OUTLET_TEST_DATABASE_URL";

/// Reads the URL in `OUTLET_TEST_DATABASE_URL`, if set and not empty.
pub fn admin_url() -> Option<String> {
    std::env::var(DATABASE_URL_VAR).ok().filter(|url| !url.trim().is_empty())
}

/// Prints why a PostgreSQL-only test did nothing, and returns the admin URL when there is one.
pub fn admin_url_or_skip(test: &str) -> Option<String> {
    let url = admin_url();
    if url.is_none() {
        eprintln!("{test}: skipped, {DATABASE_URL_VAR} is not set (`cargo xtask test` starts PostgreSQL and sets it)");
    }
    url
}

/// A data folder for signing keys and, with PostgreSQL, a database of its own.
pub struct Backend {
    dir: tempfile::TempDir,
    database: Option<TestDatabase>,
}

impl Backend {
    /// Sled, or PostgreSQL when `OUTLET_TEST_DATABASE_URL` is set.
    pub fn new() -> Self {
        let database = admin_url().map(|admin| TestDatabase::create(&admin));
        Self { dir: tempfile::tempdir().unwrap(), database }
    }

    /// Creates a fresh PostgreSQL database on the server at `admin_url`.
    pub fn postgres(admin_url: &str) -> Self {
        Self { dir: tempfile::tempdir().unwrap(), database: Some(TestDatabase::create(admin_url)) }
    }

    /// Returns the data folder. Its `db/` contains the sled store unless a database is used.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn database_url(&self) -> Option<&str> {
        self.database.as_ref().map(|database| database.url.as_str())
    }

    /// Opens the data folder with the demo registry loaded or not.
    pub fn open(&self, load_demo: bool) -> DataDir {
        DataDir::open_with(self.path(), self.database_url(), load_demo).unwrap()
    }

    /// Opens the store alone, as `outlet import` does.
    pub fn store(&self) -> Arc<dyn ServerStore> {
        store::open(&self.path().join("db"), self.database_url()).unwrap()
    }

    /// `--data-dir DIR` for the `outlet` command, plus `--database URL` with PostgreSQL.
    pub fn cli_args(&self, data_dir: &Path) -> Vec<String> {
        let mut args = vec!["--data-dir".to_string(), data_dir.display().to_string()];
        if let Some(url) = self.database_url() {
            args.extend(["--database".to_string(), url.to_string()]);
        }
        args
    }
}

/// A database created for one test and dropped, with its connections, when the test ends.
struct TestDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl TestDatabase {
    fn create(admin_url: &str) -> Self {
        let name = format!("outlet_test_{}", uuid::Uuid::new_v4().simple());
        run_admin(admin_url, format!("CREATE DATABASE {name}")).unwrap_or_else(|error| {
            panic!("{DATABASE_URL_VAR} is set, but creating test database {name} failed: {error}. Start PostgreSQL (`cargo xtask test` does) or unset the variable to test on sled")
        });
        Self { admin_url: admin_url.to_string(), url: with_database(admin_url, &name), name }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Err(error) = run_admin(&self.admin_url, format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)) {
            eprintln!("test database {} was not dropped: {error}", self.name);
        }
    }
}

/// Runs `sql` on the admin connection, on a thread of its own so that it works inside a test's
/// tokio runtime as well as outside.
fn run_admin(admin_url: &str, sql: String) -> Result<(), String> {
    let url = admin_url.to_string();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.map_err(|e| e.to_string())?;
            let connection = tokio::spawn(connection);
            let result = client.batch_execute(&sql).await.map_err(|e| e.to_string());
            drop(client);
            let _ = connection.await;
            result
        })
    })
    .join()
    .map_err(|_| "the admin thread panicked".to_string())?
}

/// `url` with its database replaced by `name`, in URL or `key=value` form.
fn with_database(url: &str, name: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|index| index + 3) else {
        return format!("{url} dbname={name}");
    };
    let (base, query) = match url.find('?') {
        Some(index) => (&url[..index], &url[index..]),
        None => (url, ""),
    };
    let authority_end = base[scheme_end..].find('/').map_or(base.len(), |index| scheme_end + index);
    format!("{}/{name}{query}", &base[..authority_end])
}
