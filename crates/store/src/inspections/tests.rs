use futures::executor::block_on;
use outlet_core::api::Receipt;
use outlet_core::fixtures;
use time::macros::datetime;

use super::*;
use crate::SledKv;

fn outlet() -> OutletId {
    "91350100M000100Y43001P-DA001".parse().unwrap()
}

fn receipt(frozen: &FrozenInspection) -> Receipt {
    Receipt {
        server: outlet_core::api::SERVER_NAME.into(),
        inspection_id: frozen.id,
        sha256: frozen.sha256.clone(),
        receipt_no: "R20261204-000001".into(),
        received_at: datetime!(2026-12-04 03:00 UTC),
        clock_skew_secs: None,
    }
}

#[test]
fn queued_record_survives_reopen_and_draft_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let draft = fixtures::complete_draft(outlet(), "");
    let frozen = fixtures::freeze(&draft, 1, None);

    block_on(async {
        let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
        store.save_draft(&draft).await.unwrap();
        store.enqueue(frozen.clone(), datetime!(2026-12-04 10:00 +8), 1, 0).await.unwrap();
    });

    block_on(async {
        let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
        let outbox = store.outbox().await.unwrap();
        assert_eq!(outbox.len(), 1);
        assert_eq!(outbox[0].frozen, frozen);
        assert_eq!(outbox[0].state, OutboxState::Queued);
        assert_eq!(store.draft_for(&outlet()).await.unwrap(), None);
        assert_eq!(store.chain_head().await.unwrap(), Some(ChainHead { device_seq: 1, sha256: frozen.sha256.clone() }));
    });
}

#[test]
fn enqueue_twice_keeps_first_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let frozen = fixtures::frozen_inspection(outlet(), "");
    let mut altered = frozen.clone();
    altered.sha256 = "0".repeat(64);

    block_on(async {
        let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
        store.enqueue(frozen.clone(), datetime!(2026-12-04 10:00 +8), 1, 0).await.unwrap();
        store.enqueue(altered, datetime!(2026-12-04 10:05 +8), 2, 0).await.unwrap();
        assert_eq!(store.outbox().await.unwrap()[0].frozen, frozen);
    });
}

#[test]
fn drafts_of_two_outlets_coexist_and_finalized_one_is_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let first = fixtures::complete_draft(outlet(), "");
    let second = fixtures::complete_draft("91350100M000100Y43001P-DW001".parse().unwrap(), "");

    block_on(async {
        let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
        store.save_draft(&first).await.unwrap();
        store.save_draft(&second).await.unwrap();
        assert_eq!(store.draft_for(&first.outlets[0]).await.unwrap(), Some(first.clone()));
        assert_eq!(store.draft_for(&second.outlets[0]).await.unwrap(), Some(second.clone()));

        store.enqueue(fixtures::freeze(&first, 1, None), datetime!(2026-12-04 10:00 +8), 1, 0).await.unwrap();
        store.save_draft(&first).await.unwrap();
        assert_eq!(store.drafts().await.unwrap(), vec![second.clone()], "a finalized draft does not come back");
    });
}

#[test]
fn queued_record_cannot_be_deleted_until_synced() {
    let dir = tempfile::tempdir().unwrap();
    let frozen = fixtures::frozen_inspection(outlet(), "");

    block_on(async {
        let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
        store.enqueue(frozen.clone(), datetime!(2026-12-04 10:00 +8), 1, 2).await.unwrap();
        assert!(matches!(store.delete_record(frozen.id).await, Err(StoreError::NotDeletable { .. })));

        store.set_outbox_state(frozen.id, OutboxState::Acknowledged(receipt(&frozen))).await.unwrap();
        assert!(matches!(store.delete_record(frozen.id).await, Err(StoreError::NotDeletable { .. })), "photos still pending");

        store.set_photo_sync(frozen.id, PhotoSync::Complete).await.unwrap();
        store.delete_record(frozen.id).await.unwrap();
        assert!(store.outbox().await.unwrap().is_empty());
    });
}

#[test]
fn photo_round_trips_and_corruption_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    block_on(async {
        let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
        let sha256 = store.save_photo(b"\xff\xd8 not really a jpeg").await.unwrap();
        assert_eq!(store.photo(&sha256).await.unwrap().unwrap(), b"\xff\xd8 not really a jpeg");

        store.kv.put(Collection::Photos, &sha256, BASE64.encode(b"other bytes")).await.unwrap();
        let error = store.photo(&sha256).await.unwrap_err();
        assert!(error.to_string().contains(&sha256), "{error}");
    });
}

#[test]
fn undecodable_draft_is_skipped_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let draft = fixtures::complete_draft(outlet(), "");
    block_on(async {
        let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
        store.kv.put(Collection::Drafts, "broken", "{not json".into()).await.unwrap();
        store.save_draft(&draft).await.unwrap();
        assert_eq!(store.drafts().await.unwrap(), vec![draft]);
        assert!(store.kv.get(Collection::Drafts, "broken").await.unwrap().is_some());
    });
}
