//! Idempotent install steps: each checks what is present and installs only what is missing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{repo_root, run, TaskError, TaskResult};

fn succeeds(command: &mut Command) -> bool {
    command.stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

fn output_of(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

fn is_installed(package: &str) -> bool {
    output_of(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|status| status.contains("install ok installed"))
}

/// Installs the Debian packages that are not installed yet.
pub fn debian_packages(packages: &[&str]) -> TaskResult {
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !is_installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !succeeds(Command::new("apt-get").arg("--version")) {
        return Err(TaskError(format!("Debian packages {missing:?} are missing and apt-get is not available; install them by hand")));
    }

    let apt = |args: &[&str]| {
        let mut command = Command::new("apt-get");
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut apt(&["update", "-qq"]))?;
    let mut install = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
    install.args(&missing);
    run(&mut install).map_err(|e| TaskError(format!("{e}; run as root, or install {missing:?} with sudo apt-get install")))
}

/// Debian packages the desktop app builds against.
pub const DESKTOP_PACKAGES: &[&str] = &["libwebkit2gtk-4.1-dev", "libgtk-3-dev", "libxdo-dev"];

/// Adds a Rust target through rustup unless it is installed.
pub fn rust_target(target: &str) -> TaskResult {
    let installed = output_of(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == target) {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", target]))
}

/// The wasm32 target and the wasm-bindgen CLI at exactly the version in Cargo.lock (the CLI and the
/// library must match, or the generated JavaScript does not fit the module).
pub fn web_toolchain() -> TaskResult {
    rust_target("wasm32-unknown-unknown")?;

    let wanted = locked_version("wasm-bindgen")?;
    let have = output_of(Command::new(wasm_bindgen_path()?).arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(wanted.as_str()) {
        eprintln!("xtask: installing wasm-bindgen-cli {wanted} (found {:?}); this takes a few minutes once", have.trim());
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &wanted, "--force"]))?;
    }
    Ok(())
}

/// The version of `package` that Cargo.lock pins.
fn locked_version(package: &str) -> TaskResult<String> {
    let lock_path = repo_root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).map_err(|e| TaskError(format!("{} could not be read: {e}", lock_path.display())))?;
    let marker = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&marker).ok_or_else(|| TaskError(format!("{package} is not in Cargo.lock")))? + marker.len();
    let end = lock[start..].find('"').ok_or_else(|| TaskError("Cargo.lock is malformed".into()))?;
    Ok(lock[start..start + end].to_string())
}

/// `wasm-bindgen` from cargo's bin folder, where `cargo install` puts it.
pub fn wasm_bindgen_path() -> TaskResult<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .ok_or_else(|| TaskError("neither CARGO_HOME nor HOME is set".into()))?;
    Ok(cargo_home.join("bin/wasm-bindgen"))
}

/// Node.js and the npm packages of `dir` (from its package-lock.json).
pub fn npm_packages(dir: &Path) -> TaskResult {
    if !succeeds(Command::new("node").arg("--version")) || !succeeds(Command::new("npm").arg("--version")) {
        debian_packages(&["nodejs", "npm"])?;
    }
    if dir.join("node_modules/playwright-core/package.json").exists() {
        return Ok(());
    }
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(dir))
}

/// The role the server tests connect as. Its password is its name: the cluster of Debian's package
/// accepts password logins from 127.0.0.1 only.
const TEST_ROLE: &str = "outlet_test";

/// A PostgreSQL cluster as `pg_lsclusters` lists it.
struct Cluster {
    version: String,
    name: String,
    port: String,
    online: bool,
}

/// Installs PostgreSQL (Debian's package) if missing, starts its cluster, removes test databases
/// that an interrupted run left, and creates the role the server tests use. Returns the URL for
/// `OUTLET_TEST_DATABASE_URL`. When that variable is set already, returns its URL and changes nothing.
pub fn postgres() -> TaskResult<String> {
    if let Some(url) = std::env::var("OUTLET_TEST_DATABASE_URL").ok().filter(|url| !url.trim().is_empty()) {
        eprintln!("xtask: the server tests use the PostgreSQL server in OUTLET_TEST_DATABASE_URL");
        return Ok(url);
    }
    debian_packages(&["postgresql"])?;

    let cluster = match clusters().into_iter().next() {
        Some(cluster) => cluster,
        None => {
            let version = newest_postgres_version()?;
            run(Command::new("pg_createcluster").args([version.as_str(), "main"]))?;
            clusters().into_iter().next().ok_or_else(|| TaskError("pg_createcluster made no cluster that pg_lsclusters lists".into()))?
        }
    };
    if !cluster.online {
        run(Command::new("pg_ctlcluster").args([cluster.version.as_str(), cluster.name.as_str(), "start"]))
            .map_err(|e| TaskError(format!("{e}; run as root, or set OUTLET_TEST_DATABASE_URL to a PostgreSQL server whose role may create databases")))?;
    }
    wait_until_ready(&cluster.port)?;

    for database in psql_lines(&cluster.port, "SELECT datname FROM pg_database WHERE datname LIKE 'outlet\\_test\\_%'")? {
        psql_lines(&cluster.port, &format!("DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"))?;
    }
    let exists = psql_lines(&cluster.port, &format!("SELECT 1 FROM pg_roles WHERE rolname = '{TEST_ROLE}'"))?;
    if exists.is_empty() {
        psql_lines(&cluster.port, &format!("CREATE ROLE {TEST_ROLE}"))?;
    }
    psql_lines(&cluster.port, &format!("ALTER ROLE {TEST_ROLE} LOGIN CREATEDB PASSWORD '{TEST_ROLE}'"))?;
    Ok(format!("postgres://{TEST_ROLE}:{TEST_ROLE}@127.0.0.1:{}/postgres", cluster.port))
}

/// The clusters `pg_lsclusters` lists: version, name, port, status, ...
fn clusters() -> Vec<Cluster> {
    let listing = output_of(Command::new("pg_lsclusters").arg("--no-header")).unwrap_or_default();
    listing
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [version, name, port, status, ..] = fields.as_slice() else { return None };
            Some(Cluster { version: version.to_string(), name: name.to_string(), port: port.to_string(), online: status.starts_with("online") })
        })
        .collect()
}

/// The newest PostgreSQL major version installed under /usr/lib/postgresql.
fn newest_postgres_version() -> TaskResult<String> {
    let entries = std::fs::read_dir("/usr/lib/postgresql").map_err(|e| TaskError(format!("/usr/lib/postgresql could not be read: {e}; is the postgresql package installed?")))?;
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .max()
        .map(|version| version.to_string())
        .ok_or_else(|| TaskError("no PostgreSQL version is installed under /usr/lib/postgresql".into()))
}

/// Waits until the cluster on `port` accepts connections on 127.0.0.1, for up to 30 seconds.
fn wait_until_ready(port: &str) -> TaskResult {
    for _ in 0..30 {
        if succeeds(Command::new("pg_isready").args(["-q", "-h", "127.0.0.1", "-p", port])) {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    Err(TaskError(format!("PostgreSQL on 127.0.0.1:{port} did not accept connections within 30 s; see /var/log/postgresql/")))
}

/// Runs one SQL statement as the `postgres` superuser (through `runuser`, so xtask must run as root)
/// and returns the output rows.
fn psql_lines(port: &str, sql: &str) -> TaskResult<Vec<String>> {
    let output = Command::new("runuser")
        .args(["-u", "postgres", "--", "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-p", port, "-c", sql])
        .output()
        .map_err(|e| TaskError(format!("runuser could not start psql: {e}")))?;
    if !output.status.success() {
        return Err(TaskError(format!(
            "psql failed on {sql:?}: {}; run as root, or set OUTLET_TEST_DATABASE_URL to a PostgreSQL server whose role may create databases",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).lines().map(str::to_string).filter(|line| !line.is_empty()).collect())
}
