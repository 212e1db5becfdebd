//! Sync under faults, against the real server on 127.0.0.1: a proxy that loses the server's response
//! after the server committed, and many devices sending the same record at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use outlet_app_core::{open_store, Core, Event};
use outlet_core::checklist::{Answer, ChecklistItem};
use outlet_core::inspection::{FrozenInspection, InspectionDraft, Officer};
use outlet_server::store::ServerStore;
use outlet_server::{demo, DataDir, RunningServer};
use outlet_store::OutboxState;
use outlet_sync::{SubmitOutcome, SyncClient};
use time::macros::datetime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Starts an HTTP/1.1 proxy in front of the server, one request at a time per connection. While
/// `drop_responses` is set it forwards a request, reads the server's whole response and closes the
/// device's connection without sending a byte of it: the server has committed, the device hears
/// nothing. The flag is read per request, so kept-alive connections are affected too.
async fn start_proxy(upstream: std::net::SocketAddr, drop_responses: Arc<AtomicBool>) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((client, _)) = listener.accept().await else { return };
            let drop_responses = drop_responses.clone();
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(upstream).await else { return };
                relay(client, server, &drop_responses).await;
            });
        }
    });
    addr
}

async fn relay(mut client: TcpStream, mut server: TcpStream, drop_responses: &AtomicBool) {
    loop {
        let Some(request) = read_message(&mut client).await else { return };
        if server.write_all(&request).await.is_err() {
            return;
        }
        let Some(response) = read_message(&mut server).await else { return };
        if drop_responses.load(Ordering::SeqCst) || client.write_all(&response).await.is_err() {
            return;
        }
    }
}

/// Reads one HTTP message: headers, then as many body bytes as Content-Length names.
async fn read_message(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut message = Vec::new();
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        if let Some(length) = message_length(&message) {
            if message.len() >= length {
                return Some(message);
            }
        }
        let n = stream.read(&mut buffer).await.ok()?;
        if n == 0 {
            return None;
        }
        message.extend_from_slice(&buffer[..n]);
    }
}

/// Total length of the message once its headers are complete.
fn message_length(bytes: &[u8]) -> Option<usize> {
    let header_end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let headers = String::from_utf8_lossy(&bytes[..header_end]).to_ascii_lowercase();
    let body = headers
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    Some(header_end + 4 + body)
}

fn frozen() -> FrozenInspection {
    let mut draft = InspectionDraft::new(demo::demo_cards()[0].outlet.id.clone(), datetime!(2026-12-04 09:00 +8));
    draft.officers = vec![
        Officer { name: "林执法".into(), badge_no: "35000001".into() },
        Officer { name: "陈执法".into(), badge_no: "35000002".into() },
    ];
    for item in ChecklistItem::ALL {
        draft.set_answer(item, Answer::Complies);
    }
    draft.freeze(datetime!(2026-12-04 10:00 +8)).unwrap()
}

#[tokio::test]
async fn lost_response_then_retry_stores_one() {
    let server_dir = tempfile::tempdir().unwrap();
    let device_dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(server_dir.path(), true).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let drop_responses = Arc::new(AtomicBool::new(false));
    let proxy = start_proxy(server.addr, drop_responses.clone()).await;

    let mut core = Core::new(open_store(device_dir.path()).await.unwrap(), SyncClient::new(&format!("http://{proxy}")));
    core.handle(Event::Start, &mut |_| {}).await;
    core.handle(Event::ManualEntry(demo::demo_cards()[0].outlet.id.to_string()), &mut |_| {}).await;
    core.handle(Event::StartInspection, &mut |_| {}).await;
    for (index, (name, badge_no)) in [("林执法", "35000001"), ("陈执法", "35000002")].into_iter().enumerate() {
        core.handle(Event::SetOfficerName { index, name: name.into() }, &mut |_| {}).await;
        core.handle(Event::SetOfficerBadge { index, badge_no: badge_no.into() }, &mut |_| {}).await;
    }
    for item in ChecklistItem::ALL {
        core.handle(Event::SetAnswer { item, answer: Answer::NotApplicable }, &mut |_| {}).await;
    }
    core.handle(Event::Finalize, &mut |_| {}).await;
    assert_eq!(core.model().outbox.len(), 1);

    drop_responses.store(true, Ordering::SeqCst);
    core.handle(Event::Sync, &mut |_| {}).await;
    assert_eq!(data.store.inspection_count().unwrap(), 1, "the server committed the record");
    assert_eq!(core.model().outbox[0].state, OutboxState::Queued, "no answer, so not acknowledged");

    drop_responses.store(false, Ordering::SeqCst);
    core.handle(Event::Sync, &mut |_| {}).await;

    let OutboxState::Acknowledged(receipt) = &core.model().outbox[0].state else { panic!("{:?}", core.model().outbox[0].state) };
    let stored = data.store.inspection(core.model().outbox[0].frozen.id).unwrap().unwrap();
    assert_eq!(receipt, &stored.receipt, "the retry gets the original receipt");
    assert_eq!(data.store.inspection_count().unwrap(), 1);
}

#[tokio::test]
async fn twenty_concurrent_sends_store_one() {
    let server_dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(server_dir.path(), true).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let frozen = Arc::new(frozen());

    let mut sends = Vec::new();
    for _ in 0..20 {
        let client = SyncClient::new(&server.url());
        let frozen = frozen.clone();
        sends.push(tokio::spawn(async move { client.submit(&frozen).await }));
    }
    let mut receipts = Vec::new();
    for send in sends {
        match send.await.unwrap() {
            SubmitOutcome::Acknowledged(receipt) => receipts.push(receipt),
            other => panic!("a concurrent send was not acknowledged: {other:?}"),
        }
    }

    assert_eq!(data.store.inspection_count().unwrap(), 1);
    assert!(receipts.iter().all(|r| r == &receipts[0]), "every send gets the same receipt");
}
