//! What the browser tests share: the repository's folders and a run of one playwright script.
// Each test binary uses a part of this module.
#![allow(dead_code)]

pub mod camera;

use std::path::PathBuf;
use std::process::Command;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Returns the built web app named by `OUTLET_WEB_DIST`, checking that it is there.
pub fn web_dist() -> PathBuf {
    let web_dist = PathBuf::from(std::env::var("OUTLET_WEB_DIST").expect("OUTLET_WEB_DIST names the built web app"));
    assert!(web_dist.join("index.html").exists(), "no web build in {}", web_dist.display());
    web_dist
}

/// Creates and returns `target/e2e-output/`, where the browser tests keep their screenshots.
pub fn output_dir() -> PathBuf {
    let out_dir = repo_root().join("target/e2e-output");
    std::fs::create_dir_all(&out_dir).unwrap();
    out_dir
}

/// Runs `tests/e2e/{script}` with node and the given environment, fails the test when the script
/// fails, and returns the JSON object the script prints on its last line.
pub async fn run_script(script: &str, env: Vec<(&'static str, String)>) -> serde_json::Value {
    let script = repo_root().join("tests/e2e").join(script);
    let run = tokio::task::spawn_blocking(move || Command::new("node").arg(script).envs(env).output().expect("node runs")).await.unwrap();

    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "browser run failed:\n{stdout}\n{stderr}");
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap()
}

/// The environment that lets a script log in as the first demo officer (see `tests/e2e/login.mjs`).
/// The server's data folder must have been opened with the demo loaded, which creates the account.
pub fn officer_login_env() -> Vec<(&'static str, String)> {
    let (badge_no, _, _) = outlet_server::accounts::demo::DEMO_ACCOUNTS[0];
    vec![("OFFICER_BADGE_NO", badge_no.to_string()), ("OFFICER_PASSWORD", outlet_server::accounts::demo::DEMO_OFFICER_PASSWORD.to_string())]
}
