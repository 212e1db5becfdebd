//! Runs the built `outlet` command as an administrator would, on the test's store.

use std::path::Path;
use std::process::{Command, Output};

use super::backend::Backend;

/// Runs `outlet` with warnings logged, without `LANG` (so the language comes from the arguments
/// alone) and without a database from the environment: on the sled folder that `args` name.
pub fn outlet(args: &[&str]) -> Output {
    command(args).output().expect("outlet runs")
}

/// Runs `outlet` on the test's store: with PostgreSQL, `OUTLET_DATABASE_URL` names its database.
pub fn outlet_on(backend: &Backend, args: &[&str]) -> Output {
    let mut command = command(args);
    if let Some(url) = backend.database_url() {
        command.env("OUTLET_DATABASE_URL", url);
    }
    command.output().expect("outlet runs")
}

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_outlet"));
    command.args(args).env("RUST_LOG", "warn").env_remove("LANG").env_remove("OUTLET_DATABASE_URL");
    command
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}
