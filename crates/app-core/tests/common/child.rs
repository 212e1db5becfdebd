//! Tests that run part of themselves in a child process: the test binary starts itself again with
//! [`ROLE_VAR`] set, filtered to the one test, and that test then plays the child's role instead of
//! the parent's. A process is needed where a test kills the device, limits its file size or sets its
//! time zone, since those apply to a whole process.

use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

/// Environment variable that names the child's role; unset in the parent.
pub const ROLE_VAR: &str = "OUTLET_TEST_CHILD_ROLE";

/// Returns the role this process plays, or `None` in the parent.
pub fn role() -> Option<String> {
    std::env::var(ROLE_VAR).ok()
}

/// Reads a variable the parent set for the child, naming it when it is missing.
pub fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("the parent did not set {name} for the child process"))
}

/// Builds the command that runs the test `test_name` of this binary as a child playing `role`. Its
/// stdout and stderr go to `log`, which the parent shows when the child fails.
pub fn command(test_name: &str, role: &str, log: &Path) -> Command {
    let exe = std::env::current_exe().expect("the test binary knows its own path");
    let output = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap_or_else(|e| panic!("child log {} does not open: {e}", log.display()));
    let errors = output.try_clone().expect("a log file handle clones");

    let mut command = Command::new(exe);
    command.args([test_name, "--exact", "--nocapture", "--test-threads=1"]).env(ROLE_VAR, role);
    command.stdout(Stdio::from(output)).stderr(Stdio::from(errors));
    command
}

/// Runs `command` to its end and panics with an excerpt of its log unless it succeeded.
pub fn run_to_success(mut command: Command, log: &Path) {
    let status = command.status().expect("the test binary starts as a child");
    assert_success(status, log);
}

/// Panics with an excerpt of the child's log unless `status` is a successful exit.
pub fn assert_success(status: ExitStatus, log: &Path) {
    assert!(status.success(), "child process failed ({status}); its output:\n{}", log_excerpt(log));
}

/// Returns up to 4000 bytes of a child's log: from its first panic if it has one, since a backtrace
/// after the message may be long, or else its end.
pub fn log_excerpt(log: &Path) -> String {
    const SHOWN_BYTES: usize = 4000;

    let text = std::fs::read(log).map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default();
    let start = match text.find("panicked at") {
        Some(panic) => text[..panic].rfind('\n').map_or(0, |line_start| line_start + 1),
        None => text.len().saturating_sub(SHOWN_BYTES),
    };
    let end = (start + SHOWN_BYTES).min(text.len());
    let start = (start..=end).find(|i| text.is_char_boundary(*i)).unwrap_or(end);
    let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
    text[start..end].to_string()
}
