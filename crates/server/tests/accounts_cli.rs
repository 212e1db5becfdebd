//! `outlet accounts` as an administrator runs it, with the built binary, on a data folder that a
//! server opens between the commands to check what a login gets.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::backend::Backend;
use common::session::{log_in, login_request, post_login};
use outlet_core::api::error_code;
use outlet_server::RunningServer;

/// Runs `outlet accounts ARGS` on the backend's data folder, with `stdin` written to standard input.
fn accounts(backend: &Backend, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_outlet"));
    command.arg("accounts").args(backend.cli_args(backend.path())).args(args).env("RUST_LOG", "warn");
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("outlet runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Returns the password a command printed on its line ending in `(shown only now): PASSWORD`.
fn printed_password(output: &Output) -> String {
    let text = stdout(output);
    let line = text.lines().find(|line| line.contains("(shown only now): ")).unwrap_or_else(|| panic!("no password printed in {text:?}"));
    line.rsplit(": ").next().unwrap().to_string()
}

/// Starts a server on the backend's data folder, sends one login and stops the server again (the
/// sled folder admits one process, so the next command can run). Returns the login's status and
/// error code.
async fn try_login(backend: &Backend, badge_no: &str, password: &str) -> (u16, Option<String>) {
    let data = backend.open(false);
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let response = post_login(&server.url(), &login_request(badge_no, password)).await;
    let status = response.status().as_u16();
    let code = response.json::<serde_json::Value>().await.ok().and_then(|body| body["code"].as_str().map(String::from));
    server.stop().await.unwrap();
    drop(data);
    (status, code)
}

#[tokio::test(flavor = "multi_thread")]
async fn create_list_disable_reset() {
    let backend = Backend::new();

    let created = accounts(&backend, &["create", "--badge-no", "t0001", "--name", "王执法", "--region", "350102", "--role", "officer"], None);
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(stdout(&created).contains("account T0001 created"), "{}", stdout(&created));
    let initial = printed_password(&created);
    assert_eq!(initial.chars().count(), 16, "generated password {initial:?}");
    let admin = accounts(&backend, &["create", "--badge-no", "A0001", "--name", "管理员", "--region", "350100", "--role", "admin", "--password-stdin"], Some("admin-password-1\n"));
    assert!(admin.status.success(), "{}", stderr(&admin));
    assert!(!stdout(&admin).contains("shown only now"), "a password read from stdin is printed");

    let listed = accounts(&backend, &["list"], None);
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert_eq!(stdout(&listed), "A0001\t管理员\tadmin\t350100\tenabled\nT0001\t王执法\tofficer\t350102\tenabled\n");
    assert_eq!(try_login(&backend, "T0001", &initial).await, (201, None));
    assert_eq!(try_login(&backend, "A0001", "admin-password-1").await, (201, None));

    let disabled = accounts(&backend, &["disable", "T0001"], None);
    assert!(disabled.status.success(), "{}", stderr(&disabled));
    assert!(stdout(&accounts(&backend, &["list"], None)).contains("T0001\t王执法\tofficer\t350102\tdisabled "));
    assert_eq!(try_login(&backend, "T0001", &initial).await, (401, Some(error_code::ACCOUNT_DISABLED.into())));
    let enabled = accounts(&backend, &["enable", "t0001"], None);
    assert!(enabled.status.success(), "{}", stderr(&enabled));
    assert_eq!(try_login(&backend, "T0001", &initial).await, (201, None));

    let reset = accounts(&backend, &["reset-password", "T0001"], None);
    assert!(reset.status.success(), "{}", stderr(&reset));
    let new_password = printed_password(&reset);
    assert_ne!(new_password, initial);
    assert_eq!(try_login(&backend, "T0001", &initial).await, (401, Some(error_code::INVALID_CREDENTIALS.into())));
    assert_eq!(try_login(&backend, "T0001", &new_password).await, (201, None));
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_revokes_a_servers_tokens() {
    let backend = Backend::new();
    let created = accounts(&backend, &["create", "--badge-no", "T0002", "--name", "赵执法", "--region", "350100", "--role", "officer", "--password-stdin"], Some("first-password\n"));
    assert!(created.status.success(), "{}", stderr(&created));

    let token = {
        let data = backend.open(false);
        let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
        let token = log_in(&server.url(), "T0002", "first-password").await.token;
        server.stop().await.unwrap();
        token
    };
    let reset = accounts(&backend, &["reset-password", "T0002", "--password-stdin"], Some("second-password\r\n"));
    assert!(reset.status.success(), "{}", stderr(&reset));

    let data = backend.open(false);
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let response = reqwest::Client::new().get(format!("{}/api/v1/session", server.url())).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], error_code::TOKEN_REVOKED);
    log_in(&server.url(), "T0002", "second-password").await;
    server.stop().await.unwrap();
}

#[test]
fn bad_input_names_value_and_fix() {
    let backend = Backend::new();
    let first = accounts(&backend, &["create", "--badge-no", "T0003", "--name", "钱执法", "--region", "350100", "--role", "officer"], None);
    assert!(first.status.success(), "{}", stderr(&first));

    let cases: [(&[&str], Option<&str>, &[&str]); 7] = [
        (&["create", "--badge-no", "t0003", "--name", "另一人", "--region", "350100", "--role", "officer"], None, &["T0003 exists already", "reset-password T0003"]),
        (&["create", "--badge-no", "T0004", "--name", "孙执法", "--region", "3501", "--role", "officer"], None, &["3501", "6-digit"]),
        (&["create", "--badge-no", "T 0004", "--name", "孙执法", "--region", "350100", "--role", "officer"], None, &["\"T 0004\" is not a valid badge number"]),
        (&["create", "--badge-no", "T0004", "--name", "孙执法", "--region", "350100", "--role", "officer", "--password-stdin"], Some("short\n"), &["5 characters", "use 10 to 128"]),
        (&["create", "--badge-no", "T0004", "--name", "孙执法", "--region", "350100", "--role", "officer", "--password-stdin"], Some(""), &["--password-stdin read no password"]),
        (&["disable", "NOBODY"], None, &["no account has badge number NOBODY", "outlet accounts list"]),
        (&["reset-password", "NOBODY"], None, &["no account has badge number NOBODY"]),
    ];
    for (args, stdin, expected) in cases {
        let output = accounts(&backend, args, stdin);
        assert!(!output.status.success(), "{args:?} succeeded");
        let message = stderr(&output);
        for text in expected {
            assert!(message.contains(text), "{args:?}: {message:?} lacks {text:?}");
        }
    }

    let role = accounts(&backend, &["create", "--badge-no", "T0005", "--name", "周执法", "--region", "350100", "--role", "chief"], None);
    assert!(!role.status.success());
    assert!(stderr(&role).contains("write officer or admin"), "{}", stderr(&role));
    assert_eq!(stdout(&accounts(&backend, &["list"], None)).lines().count(), 1, "a rejected command created an account");
}
