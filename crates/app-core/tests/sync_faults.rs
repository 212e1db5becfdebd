//! Sync under faults, against the real server on 127.0.0.1: a proxy that loses the server's response
//! after the server committed, and many devices sending the same record at once.

mod common;

use std::sync::Arc;

use common::{Fault, Proxy};
use outlet_app_core::{open_store, Core, Event};
use outlet_core::fixtures;
use outlet_core::checklist::{Answer, ChecklistItem};
use outlet_core::inspection::FrozenInspection;
use outlet_server::{demo, DataDir, RunningServer};
use outlet_store::OutboxState;
use outlet_sync::{SubmitOutcome, SyncClient};

fn frozen() -> FrozenInspection {
    fixtures::frozen_inspection(demo::demo_cards()[0].outlet.id.clone(), "")
}

#[tokio::test]
async fn lost_response_then_retry_stores_one() {
    let server_dir = tempfile::tempdir().unwrap();
    let device_dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(server_dir.path(), true).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let proxy = Proxy::start(server.addr).await;

    let mut core = Core::new(open_store(device_dir.path()).await.unwrap(), SyncClient::new(&proxy.url()));
    common::world::log_in(&mut core).await;
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

    proxy.set_fault(Fault::DropResponses);
    core.handle(Event::Sync, &mut |_| {}).await;
    assert_eq!(data.store.inspection_count().unwrap(), 1, "the server committed the record");
    assert_eq!(core.model().outbox[0].state, OutboxState::Queued, "no answer, so not acknowledged");

    proxy.set_fault(Fault::None);
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
    let token = common::world::demo_officer_token(&server.url()).await;

    let mut sends = Vec::new();
    for _ in 0..20 {
        let mut client = SyncClient::new(&server.url());
        client.set_token(Some(token.clone()));
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
