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
