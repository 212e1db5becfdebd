//! Sync under faults, against the real server on 127.0.0.1: a proxy that loses the server's response
//! after the server committed, many devices sending the same record at once, a request that never
//! gets a response, a captive portal, a conflicting record and a server asking to retry later.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::proxy::{Action, Rule};
use common::world::ProxiedWorld;
use common::Fault;
use outlet_app_core::clock::FixedClock;
use outlet_app_core::{Event, Model};
use outlet_core::fixtures;
use outlet_core::i18n::Msg;
use outlet_core::inspection::FrozenInspection;
use outlet_server::{demo, DataDir, RunningServer};
use outlet_store::OutboxState;
use outlet_sync::{SubmitOutcome, SyncClient};
use time::OffsetDateTime;
use uuid::Uuid;

/// How long the device waits for a response in the tests that hold a request. Every request that
/// gets a response in these tests completes well within it, even on a loaded machine.
const HELD_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// Start of the target of every record's submission and photo upload, as the proxy logs it.
const INSPECTIONS: &str = "/api/v1/inspections/";

fn frozen() -> FrozenInspection {
    fixtures::frozen_inspection(demo::demo_cards()[0].outlet.id.clone(), "")
}

#[tokio::test]
async fn lost_response_then_retry_stores_one() {
    let mut world = ProxiedWorld::new().await;
    world.finalize_inspection(Vec::new()).await;

    world.proxy.set_fault(Fault::DropResponses);
    let model = world.send(Event::Sync).await;
    assert_eq!(world.data.store.inspection_count().unwrap(), 1, "the server committed the record");
    assert_eq!(model.outbox[0].state, OutboxState::Queued, "no answer, so not acknowledged");

    world.proxy.set_fault(Fault::None);
    let model = world.send(Event::Sync).await;

    let OutboxState::Acknowledged(receipt) = &model.outbox[0].state else { panic!("{:?}", model.outbox[0].state) };
    let stored = world.data.store.inspection(model.outbox[0].frozen.id).unwrap().unwrap();
    assert_eq!(receipt, &stored.receipt, "the retry gets the original receipt");
    assert_eq!(world.data.store.inspection_count().unwrap(), 1);
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

fn state_of(model: &Model, id: Uuid) -> &OutboxState {
    &model.outbox.iter().find(|entry| entry.frozen.id == id).expect("the record is in the outbox").state
}

async fn three_queued_records(world: &mut ProxiedWorld) -> [Uuid; 3] {
    let mut ids = [Uuid::nil(); 3];
    for id in &mut ids {
        *id = world.finalize_inspection(Vec::new()).await;
    }
    ids
}

#[tokio::test]
async fn held_request_times_out_others_go() {
    let mut world = ProxiedWorld::with_client(|client| client.set_read_timeout(HELD_REQUEST_TIMEOUT)).await;
    let ids = three_queued_records(&mut world).await;
    world.proxy.add_rule(Rule { method: "PUT", target_contains: ids[0].to_string(), times: None, action: Action::Hold });

    let mut sent = Vec::new();
    world.core().handle(Event::Sync, &mut |model| sent.extend(model.sending)).await;

    let model = world.model().clone();
    assert_eq!(sent, ids, "the batch goes on after the held record");
    assert_eq!(model.sending, None);
    assert!(!model.syncing);
    assert_eq!(state_of(&model, ids[0]), &OutboxState::Queued, "the unanswered record stays queued");
    assert!(matches!(state_of(&model, ids[1]), OutboxState::Acknowledged(_)), "{:?}", state_of(&model, ids[1]));
    assert!(matches!(state_of(&model, ids[2]), OutboxState::Acknowledged(_)), "{:?}", state_of(&model, ids[2]));
    assert_eq!(model.pending_count(), 1);
    assert!(!model.all_synced());
    assert_eq!(model.notices.last().map(|notice| notice.msg), Some(Msg::SyncFailed));
    assert!(model.next_retry_at.is_some(), "an automatic retry is scheduled");
    assert_eq!(world.data.store.inspection_count().unwrap(), 2, "the held request never reached the server");

    world.proxy.clear_rules();
    let model = world.send(Event::Sync).await;
    assert!(model.all_synced(), "{:?}", model.notices);
    assert_eq!(world.data.store.inspection_count().unwrap(), 3);
}

#[tokio::test]
async fn captive_portal_leaves_records_queued() {
    let mut world = ProxiedWorld::new().await;
    let ids = three_queued_records(&mut world).await;
    world.proxy.add_rule(Rule { method: "PUT", target_contains: INSPECTIONS.into(), times: None, action: Action::captive_portal() });

    let model = world.send(Event::Sync).await;

    assert!(world.proxy.count("PUT", INSPECTIONS) > 0, "the device sent to the portal");
    for id in ids {
        assert_eq!(state_of(&model, id), &OutboxState::Queued, "a 200 without a receipt acknowledges nothing");
    }
    assert_eq!(model.pending_count(), 3);
    assert_eq!(model.notices.last().map(|notice| notice.msg), Some(Msg::SyncFailed));
    assert_eq!(world.data.store.inspection_count().unwrap(), 0);

    world.proxy.clear_rules();
    let model = world.send(Event::Sync).await;
    assert!(model.all_synced(), "{:?}", model.notices);
    assert_eq!(world.data.store.inspection_count().unwrap(), 3);
}

#[tokio::test]
async fn conflict_quarantines_only_that_record() {
    let mut world = ProxiedWorld::new().await;
    let ids = three_queued_records(&mut world).await;
    // Another device stored other bytes under the id of the second record.
    let mut draft = fixtures::complete_draft(demo::demo_cards()[0].outlet.id.clone(), "另一台设备的记录");
    draft.id = ids[1];
    let other = fixtures::freeze(&draft, 1, None);
    let mut other_device = SyncClient::new(&world.server.url());
    other_device.set_token(Some(common::world::demo_officer_token(&world.server.url()).await));
    let outcome = other_device.submit(&other).await;
    assert!(matches!(outcome, SubmitOutcome::Acknowledged(_)), "{outcome:?}");

    let model = world.send(Event::Sync).await;

    let OutboxState::Quarantined { status, error } = state_of(&model, ids[1]) else { panic!("not quarantined: {:?}", state_of(&model, ids[1])) };
    assert_eq!(*status, 409);
    assert_eq!(error.code, "inspection_conflict", "the server's reason is kept: {error:?}");
    assert!(error.message_en.contains(&ids[1].to_string()), "the reason names the record: {error:?}");
    assert!(matches!(state_of(&model, ids[0]), OutboxState::Acknowledged(_)), "{:?}", state_of(&model, ids[0]));
    assert!(matches!(state_of(&model, ids[2]), OutboxState::Acknowledged(_)), "{:?}", state_of(&model, ids[2]));
    assert_eq!(model.pending_count(), 0, "a quarantined record is not retried");
    assert!(!model.all_synced());
    assert_eq!(world.data.store.inspection_count().unwrap(), 3);
    let stored = world.data.store.inspection(ids[1]).unwrap().unwrap();
    assert_eq!(stored.record.as_bytes(), other.bytes, "the first bytes stored under the id stay");

    let puts_before = world.proxy.count("PUT", &ids[1].to_string());
    world.send(Event::Sync).await;
    assert_eq!(world.proxy.count("PUT", &ids[1].to_string()), puts_before, "the quarantined record is not sent again");
}

#[tokio::test]
async fn retry_after_delays_next_attempt() {
    let mut world = ProxiedWorld::new().await;
    let ids = three_queued_records(&mut world).await;
    let started = OffsetDateTime::now_utc();
    world.core().set_clock(Arc::new(FixedClock(started)));
    world.proxy.add_rule(Rule { method: "PUT", target_contains: INSPECTIONS.into(), times: None, action: Action::service_unavailable(120) });

    let model = world.send(Event::Sync).await;

    let next_retry_at = model.next_retry_at.expect("an automatic retry is scheduled");
    assert!(next_retry_at >= started + time::Duration::seconds(120), "retry at {next_retry_at}, sooner than 120 s after {started}");
    for id in ids {
        assert_eq!(state_of(&model, id), &OutboxState::Queued);
    }

    // A tick one second before the scheduled time sends nothing.
    world.proxy.clear_rules();
    let puts_before = world.proxy.count("PUT", INSPECTIONS);
    world.core().set_clock(Arc::new(FixedClock(next_retry_at - time::Duration::seconds(1))));
    let model = world.send(Event::Tick).await;
    assert_eq!(world.proxy.count("PUT", INSPECTIONS), puts_before, "no attempt before the Retry-After");
    assert_eq!(model.pending_count(), 3);

    world.core().set_clock(Arc::new(FixedClock(next_retry_at)));
    let model = world.send(Event::Tick).await;
    assert!(model.all_synced(), "the tick at the scheduled time sends the records: {:?}", model.notices);
    assert_eq!(model.next_retry_at, None);
}
