//! Records with photos synced over a faulty link, against the real server on 127.0.0.1 through the
//! fault-injecting proxy. The cases are random connection losses, a photo upload that fails after
//! the record was acknowledged, and deleting records before and after they are fully synced.

mod common;

use std::collections::BTreeSet;

use common::proxy::{Action, Rule};
use common::world::{noisy_jpeg, ProxiedWorld};
use common::Fault;
use data_encoding::HEXLOWER;
use outlet_app_core::{open_store, Event};
use outlet_core::i18n::Msg;
use outlet_core::inspection::{sha256_hex, InspectionRecord};
use outlet_store::{OutboxState, PhotoSync, StoreError};
use uuid::Uuid;

/// Sides of the generated photos, in pixels. The device keeps their size (below its 2000-pixel
/// limit), and each prepared photo is about 275 KB.
const PHOTO_WIDTH: u32 = 512;
const PHOTO_HEIGHT: u32 = 384;

/// Most "sync now" presses the random-loss test makes before it gives up.
const MAX_SYNC_ROUNDS: usize = 300;

fn photos(first_seed: u64, count: u64) -> Vec<Vec<u8>> {
    (first_seed..first_seed + count).map(|seed| noisy_jpeg(seed, PHOTO_WIDTH, PHOTO_HEIGHT)).collect()
}

fn digest(sha256: &str) -> [u8; 32] {
    HEXLOWER.decode(sha256.as_bytes()).expect("a listed photo hash is hex").try_into().expect("a SHA-256 is 32 bytes")
}

/// Lists the photo hashes of the queued record `id`, in the record's order.
fn listed_photos(world: &ProxiedWorld, id: Uuid) -> Vec<String> {
    let entry = world.model().outbox.iter().find(|entry| entry.frozen.id == id).expect("the record is in the outbox");
    entry.frozen.record().expect("a queued record parses").photos.into_iter().map(|photo| photo.sha256).collect()
}

/// Counts the photos of `listed` that the server does not store.
fn missing_on_server(world: &ProxiedWorld, listed: &[String]) -> usize {
    let digests: Vec<[u8; 32]> = listed.iter().map(|sha256| digest(sha256)).collect();
    world.data.store.missing_photos(&digests).unwrap().len()
}

#[tokio::test]
async fn thirty_records_survive_random_losses() {
    let mut world = ProxiedWorld::new().await;
    // Encoding the photos takes about as long as the device's preparation of them, so a thread
    // encodes the next record's photos while the device handles the current one.
    let (sender, mut receiver) = tokio::sync::mpsc::channel(2);
    let encoder = std::thread::spawn(move || {
        for record in 0..30 {
            if sender.blocking_send(photos(record * 5, 5)).is_err() {
                return;
            }
        }
    });
    while let Some(record_photos) = receiver.recv().await {
        world.finalize_inspection(record_photos).await;
    }
    encoder.join().expect("the photo encoder thread finished");

    world.proxy.set_fault(Fault::Random { seed: 20_261_204, percent: 20 });

    let mut rounds = 0;
    while !world.model().all_synced() && rounds < MAX_SYNC_ROUNDS {
        world.send(Event::Sync).await;
        rounds += 1;
    }

    let model = world.model().clone();
    assert!(model.all_synced(), "{} records still pending after {rounds} rounds", model.pending_count());
    assert_eq!(model.pending_count(), 0);
    assert_eq!(model.outbox.len(), 30);
    assert!(model.outbox.iter().all(|entry| entry.photos == PhotoSync::Complete), "the device marks every photo as on the server");
    let seen = world.proxy.seen();
    for loss in Action::LOSSES {
        assert!(seen.iter().any(|request| request.action == loss), "the proxy never injected {loss:?}");
    }

    assert_eq!(world.data.store.inspection_count().unwrap(), 30);
    let mut listed = BTreeSet::new();
    for entry in &model.outbox {
        let stored = world.data.store.inspection(entry.frozen.id).unwrap().expect("the server stores every record");
        assert_eq!(stored.record.as_bytes(), entry.frozen.bytes, "the server stores the device's bytes of {}", entry.frozen.id);
        assert_eq!(entry.state, OutboxState::Acknowledged(stored.receipt.clone()), "the device keeps the server's receipt");

        let record: InspectionRecord = serde_json::from_str(&stored.record).unwrap();
        assert_eq!(record.photos.len(), 5);
        for photo in &record.photos {
            assert!(photo.bytes >= 200_000, "photo {} has only {} bytes; the test needs large uploads", photo.sha256, photo.bytes);
            let bytes = world.data.store.photo(&digest(&photo.sha256)).unwrap().expect("the server stores every listed photo");
            assert_eq!(sha256_hex(&bytes), photo.sha256, "the stored photo has the listed hash");
            listed.insert(photo.sha256.clone());
        }
    }
    assert_eq!(listed.len(), 150, "every generated photo is distinct");
    assert_eq!(world.data.store.photo_count().unwrap(), 150, "the server stores each photo once");
}

#[tokio::test]
async fn lost_photo_response_not_resent() {
    let mut world = ProxiedWorld::new().await;
    let id = world.finalize_inspection(photos(1_000, 5)).await;
    let listed = listed_photos(&world, id);
    // The server stores the first photo, but its receipt never reaches the device.
    world.proxy.add_rule(Rule { method: "PUT", target_contains: "/photos/".into(), times: Some(1), action: Action::CutResponse });

    let model = world.send(Event::Sync).await;

    let entry = &model.outbox[0];
    assert!(matches!(entry.state, OutboxState::Acknowledged(_)), "the record itself got its receipt: {:?}", entry.state);
    assert_eq!(entry.photos, PhotoSync::Pending);
    assert!(entry.photos_pending());
    assert!(!model.all_synced());
    assert_eq!(model.pending_count(), 1);
    assert_eq!(world.data.store.inspection_count().unwrap(), 1);
    assert_eq!(missing_on_server(&world, &listed), 4, "the photo whose receipt was lost is stored");

    let model = world.send(Event::Sync).await;

    assert!(model.all_synced(), "the retry completes the record: {:?}", model.notices);
    assert_eq!(model.outbox[0].photos, PhotoSync::Complete);
    assert_eq!(world.data.store.inspection_count().unwrap(), 1);
    assert_eq!(missing_on_server(&world, &listed), 0);
    assert_eq!(world.data.store.photo_count().unwrap(), 5);
    for sha256 in &listed {
        assert_eq!(world.proxy.count("PUT", sha256), 1, "photo {sha256} is uploaded once");
    }
    let record_target = format!("/api/v1/inspections/{id}");
    let record_puts = world.proxy.seen().iter().filter(|request| request.method == "PUT" && request.target == record_target).count();
    assert_eq!(record_puts, 1, "the acknowledged record is not sent again");
}

#[tokio::test]
async fn photo_503_resumes_with_the_rest() {
    let mut world = ProxiedWorld::new().await;
    let id = world.finalize_inspection(photos(2_000, 5)).await;
    let listed = listed_photos(&world, id);
    world.proxy.add_rule(Rule { method: "PUT", target_contains: listed[2].clone(), times: Some(1), action: Action::service_unavailable(5) });

    let model = world.send(Event::Sync).await;

    assert!(matches!(model.outbox[0].state, OutboxState::Acknowledged(_)), "{:?}", model.outbox[0].state);
    assert!(model.outbox[0].photos_pending());
    assert!(!model.all_synced());
    assert_eq!(missing_on_server(&world, &listed), 3, "the two photos before the failed one are stored");

    let model = world.send(Event::Sync).await;

    assert!(model.all_synced(), "the retry completes the record: {:?}", model.notices);
    assert_eq!(world.data.store.inspection_count().unwrap(), 1);
    assert_eq!(world.data.store.photo_count().unwrap(), 5);
    let puts: Vec<usize> = listed.iter().map(|sha256| world.proxy.count("PUT", sha256)).collect();
    assert_eq!(puts, [1, 1, 2, 1, 1], "only the failed photo is sent twice");
}

/// Checks, with the device closed, that the store itself rejects deleting record `id`.
async fn store_rejects_delete(world: &mut ProxiedWorld, id: Uuid) {
    world.close_device();
    let store = open_store(world.device_path()).await.unwrap();
    let result = store.delete_record(id).await;
    assert!(matches!(result, Err(StoreError::NotDeletable { id: rejected }) if rejected == id), "the store deleted or failed otherwise: {result:?}");
    assert!(store.outbox_entry(id).await.unwrap().is_some(), "the record stays in the store");
    drop(store);
    world.reopen_device().await;
}

#[tokio::test]
async fn delete_rejected_until_fully_synced() {
    let mut world = ProxiedWorld::new().await;
    let id = world.finalize_inspection(photos(3_000, 2)).await;

    assert!(!world.model().can_delete(id));
    let model = world.send(Event::DeleteRecord(id)).await;
    assert_eq!(model.notices.last().map(|notice| notice.msg), Some(Msg::RecordNotDeletable));
    assert_eq!(model.outbox.iter().find(|entry| entry.frozen.id == id).map(|entry| &entry.state), Some(&OutboxState::Queued));
    store_rejects_delete(&mut world, id).await;

    // The record is acknowledged, but every photo upload meets a 503.
    world.proxy.add_rule(Rule { method: "PUT", target_contains: "/photos/".into(), times: None, action: Action::service_unavailable(5) });
    let model = world.send(Event::Sync).await;
    assert!(matches!(model.outbox[0].state, OutboxState::Acknowledged(_)), "{:?}", model.outbox[0].state);
    assert!(model.outbox[0].photos_pending());
    assert!(!model.can_delete(id));
    let model = world.send(Event::DeleteRecord(id)).await;
    assert_eq!(model.notices.last().map(|notice| notice.msg), Some(Msg::RecordNotDeletable));
    assert_eq!(model.outbox.len(), 1, "the record with pending photos stays");
    store_rejects_delete(&mut world, id).await;

    world.proxy.clear_rules();
    let model = world.send(Event::Sync).await;
    assert!(model.all_synced(), "{:?}", model.notices);
    assert!(model.can_delete(id));
    let model = world.send(Event::DeleteRecord(id)).await;

    assert!(model.outbox.is_empty(), "the synced record is deleted: {:?}", model.notices);
    assert_ne!(model.notices.last().map(|notice| notice.msg), Some(Msg::RecordNotDeletable));
    assert!(world.data.store.inspection(id).unwrap().is_some(), "the server keeps the record");
    assert_eq!(world.data.store.photo_count().unwrap(), 2, "the server keeps the photos");
    world.close_device();
    world.reopen_device().await;
    assert!(world.model().outbox.is_empty(), "the deletion is on disk");
}

