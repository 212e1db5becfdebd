//! Project tasks, run as `cargo xtask <task>`:
//!
//! - `demo`: install what is missing, build the web app and the server, write the demo placards, and
//!   serve the demo registry on 127.0.0.1 until Ctrl-C.
//! - `test`: install what is missing and check that the app compiles for desktop and Android. Then
//!   test a demo server against its OpenAPI description (`scripts/api-conformance.sh`, schemathesis
//!   from PyPI), fuzz the HJ 212 and placard parsers briefly (`scripts/fuzz.sh`), build the web app, and run every test of the workspace, including the end-to-end
//!   test in Chromium. The server's integration tests run a second time on PostgreSQL: Debian's
//!   package, started here, or the server in `OUTLET_TEST_DATABASE_URL`. The task fails when
//!   PostgreSQL cannot be started.
//! - `postgres`: start that PostgreSQL and print the `OUTLET_TEST_DATABASE_URL` that points
//!   `cargo test -p outlet-server` at it.
//!
//! Install steps are idempotent: each checks first and installs only what is absent (Debian packages
//! through apt-get, the wasm32 target through rustup, wasm-bindgen-cli through cargo, the e2e test's
//! npm packages through npm).

mod setup;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// A task step that failed, with what to do about it.
#[derive(Debug)]
pub struct TaskError(String);

impl std::fmt::Display for TaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub type TaskResult<T = ()> = Result<T, TaskError>;

/// Where the demo server listens for HJ 212 packets from the simulated online monitors.
const DEMO_HJ212_ADDR: &str = "127.0.0.1:9212";

/// The Android target whose native code path `cargo xtask test` checks.
const ANDROID_TARGET: &str = "aarch64-linux-android";

const USAGE: &str = "usage: cargo xtask <task> [options]

tasks:
  demo [--addr HOST:PORT]   serve the demo on HOST:PORT (default 127.0.0.1:8080) until Ctrl-C
  test                      run every test, including the end-to-end test in Chromium
  postgres                  start the local PostgreSQL for the server tests and print the
                            OUTLET_TEST_DATABASE_URL that runs them on it";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(&args[1..]),
        Some("test") => test(),
        Some("postgres") => setup::postgres().map(|url| println!("OUTLET_TEST_DATABASE_URL={url}")),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the repository").to_path_buf()
}

/// Runs a command (in the repository root unless it names a folder) and fails with its name when it fails.
pub fn run(command: &mut Command) -> TaskResult {
    eprintln!("xtask: running {command:?}");
    if command.get_current_dir().is_none() {
        command.current_dir(repo_root());
    }
    let status = command
        .status()
        .map_err(|e| TaskError(format!("{:?} could not start: {e}", command.get_program())))?;
    if !status.success() {
        return Err(TaskError(format!("{command:?} failed with {status}")));
    }
    Ok(())
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Builds the web app (wasm) and lays it out in `target/web-dist` for the server to serve.
fn build_web() -> TaskResult<PathBuf> {
    let root = repo_root();
    run(cargo().args(["build", "--package", "outlet-app", "--target", "wasm32-unknown-unknown", "--features", "web"]))?;

    let dist = root.join("target/web-dist");
    let wasm = root.join("target/wasm32-unknown-unknown/debug/outlet-app.wasm");
    run(Command::new(setup::wasm_bindgen_path()?)
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&dist)
        .arg(&wasm))?;
    std::fs::copy(root.join("web/index.html"), dist.join("index.html"))
        .map_err(|e| TaskError(format!("web/index.html could not be copied to {}: {e}", dist.display())))?;
    Ok(dist)
}

fn demo(args: &[String]) -> TaskResult {
    let addr = match args {
        [] => "127.0.0.1:8080".to_string(),
        [flag, addr] if flag == "--addr" => addr.clone(),
        _ => return Err(TaskError(format!("unknown options {args:?}\n{USAGE}"))),
    };
    setup::debian_packages(&["fonts-wqy-microhei"])?;
    setup::web_toolchain()?;

    let root = repo_root();
    let web_dist = build_web()?;
    run(cargo().args(["build", "--package", "outlet-server", "--bin", "outlet"]))?;
    let outlet = root.join("target/debug/outlet");
    let demo_dir = root.join("target/demo");
    let data_dir = demo_dir.join("data");
    let placards = demo_dir.join("placards");
    let public_url = format!("http://{addr}");

    run(Command::new(&outlet)
        .args(["placard", "--demo", "--format", "svg", "--format", "png", "--format", "pdf-batch", "--public-url", &public_url, "--data-dir"])
        .arg(&data_dir)
        .arg("--out")
        .arg(&placards))?;

    eprintln!(
        "\nOutlet Inspector demo
  web app (officers):  {public_url}/app/
  placards:            {} (SVG and PNG each, all in one PDF)
  public page:         a placard's QR code, e.g. {public_url}/o/<outlet id>
  data folder:         {}
  demo logins:         officers 35000001 and 35000002 (password demo-officer), administrator 35009001 (password demo-admin-pass)
  online monitoring:   HJ 212 on {DEMO_HJ212_ADDR}, simulated monitors report every 30 s; counters at {public_url}/api/v1/hj212/stats
Scan a placard PNG with the web app's camera or its photo button. Stop the server with Ctrl-C.\n",
        placards.display(),
        data_dir.display()
    );

    // The simulated monitors wait for the listener, then report until the demo stops.
    let mut simulator = Command::new(&outlet)
        .args(["hj212-sim", "--demo", "--interval", "30s", "--to", DEMO_HJ212_ADDR])
        .spawn()
        .map_err(|e| TaskError(format!("the HJ 212 simulator could not start: {e}")))?;
    let served = run(Command::new(&outlet)
        .args(["serve", "--demo", "--addr", &addr, "--hj212", DEMO_HJ212_ADDR, "--data-dir"])
        .arg(&data_dir)
        .arg("--web-dir")
        .arg(&web_dist));
    let _ = simulator.kill();
    let _ = simulator.wait();
    served
}

fn test() -> TaskResult {
    // tzdata: the time-zone tests run the app in Asia/Shanghai and America/New_York.
    setup::debian_packages(&["chromium", "fonts-wqy-microhei", "poppler-utils", "tzdata"])?;
    setup::debian_packages(setup::DESKTOP_PACKAGES)?;
    setup::web_toolchain()?;
    setup::rust_target(ANDROID_TARGET)?;
    setup::npm_packages(&repo_root().join("tests/e2e"))?;
    let database_url = setup::postgres()?;

    // The app must compile for each platform. Desktop links WebKitGTK; for Android only `cargo check`
    // can run here, without TLS, because rustls's ring needs the Android NDK's C compiler.
    run(cargo().args(["check", "--package", "outlet-app", "--features", "desktop"]))?;
    run(cargo().args(["check", "--package", "outlet-app", "--target", ANDROID_TARGET, "--no-default-features", "--features", "mobile"]))?;

    // A demo server against its OpenAPI description, with schemathesis. It runs before the tests so
    // that their summary line stays the last line, and its failure is reported after them.
    let conformance = run(Command::new("bash").arg(repo_root().join("scripts/api-conformance.sh")));

    // A short fuzzing run of the HJ 212 and placard parsers: a crash fails the task. The hj212 crate's
    // robustness test also feeds mutated packets through the parser on every `cargo test`.
    let fuzzing = run(Command::new("bash").arg(repo_root().join("scripts/fuzz.sh")).arg(FUZZ_SECONDS.to_string()));

    let web_dist = build_web()?;
    let mut totals = TestTotals::default();
    let mut command = cargo();
    command
        .args(["test", "--workspace", "--no-fail-fast", "--", "--include-ignored"])
        .env("OUTLET_WEB_DIST", &web_dist)
        .env_remove(TEST_DATABASE_VAR)
        .current_dir(repo_root());
    let on_sled = run_tests(&mut command, &mut totals);

    // The server's integration tests again, each on a database of its own in PostgreSQL.
    let mut command = cargo();
    command
        .args(["test", "--package", "outlet-server", "--no-fail-fast", "--test", "*", "--", "--include-ignored"])
        .env(TEST_DATABASE_VAR, &database_url)
        .current_dir(repo_root());
    let on_postgres = run_tests(&mut command, &mut totals);

    println!("tests: {} passed, {} failed", totals.passed, totals.failed);
    on_sled?;
    on_postgres?;
    conformance?;
    fuzzing
}

/// Seconds each fuzz target runs during `cargo xtask test`; `scripts/fuzz.sh 600` runs longer.
const FUZZ_SECONDS: u32 = 15;

/// The variable that points the server tests at PostgreSQL. Without it they use sled.
const TEST_DATABASE_VAR: &str = "OUTLET_TEST_DATABASE_URL";

/// Test counts over every `cargo test` run of a task.
#[derive(Default)]
struct TestTotals {
    passed: u64,
    failed: u64,
}

/// Runs `cargo test`, passing its output through, and adds its counts to `totals`, which the task
/// prints as one summary line ("tests: N passed, N failed") because cargo prints one per binary.
fn run_tests(command: &mut Command, totals: &mut TestTotals) -> TaskResult {
    use std::io::BufRead;

    eprintln!("xtask: running {command:?}");
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| TaskError(format!("cargo test could not start: {e}")))?;
    let stdout = child.stdout.take().expect("stdout is piped");

    let (mut passed, mut failed) = (0u64, 0u64);
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.map_err(|e| TaskError(format!("reading cargo test output failed: {e}")))?;
        println!("{line}");
        if let Some(counts) = line.strip_prefix("test result: ") {
            passed += count_before(counts, " passed");
            failed += count_before(counts, " failed");
        }
    }

    let status = child.wait().map_err(|e| TaskError(format!("cargo test did not finish: {e}")))?;
    totals.passed += passed;
    totals.failed += failed;
    if !status.success() || failed > 0 {
        return Err(TaskError(format!("cargo test failed with {status}")));
    }
    if passed == 0 {
        return Err(TaskError("cargo test ran no test".into()));
    }
    Ok(())
}

/// Parses the number just before `label` in a cargo result line such as "ok. 5 passed; 0 failed; ...".
fn count_before(line: &str, label: &str) -> u64 {
    let Some(end) = line.find(label) else { return 0 };
    line[..end].rsplit(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse().ok()).unwrap_or(0)
}
