//! Slow clients are cut by the server's timeouts, and other clients are served meanwhile.
//!
//! The server runs with short timeouts (1 s for headers, 2 s for a request), so the tests stay short.
//! Each test waits for the cut with a generous deadline rather than a fixed sleep.

mod common;

use std::time::Duration;

use common::backend::Backend;
use outlet_server::listen::Timeouts;
use outlet_server::{DataDir, RunningServer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Maximum wait for a cut that should come after at most 2 s.
const DEADLINE: Duration = Duration::from_secs(20);

struct Fixture {
    data: DataDir,
    server: RunningServer,
    _backend: Backend,
}

async fn start() -> Fixture {
    let backend = Backend::new();
    let data = backend.open(true);
    let timeouts = Timeouts { header_read: Duration::from_secs(1), request: Duration::from_secs(2), shutdown_grace: Duration::from_secs(1) };
    let mut state = data.state(None);
    state.timeouts = timeouts;
    let server = RunningServer::start("127.0.0.1:0", state).await.unwrap();
    Fixture { data, server, _backend: backend }
}

/// Reads what the server sends until it closes the connection.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let read = tokio::time::timeout(DEADLINE, stream.read_to_end(&mut received)).await;
    assert!(read.is_ok(), "the server kept the slow connection open past {DEADLINE:?}");
    String::from_utf8_lossy(&received).into_owned()
}

#[tokio::test]
async fn slow_headers_are_cut() {
    let fixture = start().await;
    let mut slow = TcpStream::connect(fixture.server.addr).await.unwrap();
    slow.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: outlet\r\n").await.unwrap();

    let health = reqwest::get(format!("{}/api/v1/health", fixture.server.url())).await.unwrap();
    assert_eq!(health.status(), 200, "another client is served while the slow one waits");

    let answer = read_until_closed(&mut slow).await;
    assert!(!answer.contains("200 OK"), "the unfinished request was not answered: {answer}");
}

#[tokio::test]
async fn slow_body_gets_408() {
    let fixture = start().await;
    let token = common::session::demo_officer_token(&fixture.server.url()).await;
    let before = fixture.data.store.inspection_count().unwrap();
    let mut slow = TcpStream::connect(fixture.server.addr).await.unwrap();
    let head = format!(
        "PUT /api/v1/inspections/{} HTTP/1.1\r\nHost: outlet\r\nAuthorization: Bearer {token}\r\nContent-Length: 1000\r\n\r\n{{\"id\":",
        uuid::Uuid::new_v4()
    );
    slow.write_all(head.as_bytes()).await.unwrap();

    let answer = read_until_closed(&mut slow).await;

    assert!(answer.starts_with("HTTP/1.1 408"), "the slow upload got: {answer}");
    assert_eq!(fixture.data.store.inspection_count().unwrap(), before);
}
