//! Typed operations and outbox rules over any [`Kv`].

use outlet_core::api::{ApiError, Receipt};
use outlet_core::inspection::{FrozenInspection, InspectionDraft};
use outlet_core::placard::KeySet;
use outlet_core::{OutletCard, OutletId};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Collection, Kv, StoreError};

/// Key of the one key set in [`Collection::Keys`].
const KEY_SET: &str = "bureau";

/// A card as cached on the device, with when it was fetched from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedCard {
    pub card: OutletCard,
    #[serde(with = "time::serde::rfc3339")]
    pub fetched_at: OffsetDateTime,
}

/// Sync state of a finalized inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Not yet acknowledged; sent on the next sync.
    Queued,
    /// The server's receipt for exactly these bytes.
    Acknowledged(Receipt),
    /// The server rejected the record (4xx); kept with the server's reason, not retried.
    Quarantined { status: u16, error: ApiError },
}

/// A finalized inspection in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub frozen: FrozenInspection,
    pub state: OutboxState,
    #[serde(with = "time::serde::rfc3339")]
    pub finalized_at: OffsetDateTime,
}

/// The app's store. Entries of the outbox cannot be deleted through it: a record leaves the device
/// only by being acknowledged, and stays listed afterwards.
pub struct LocalStore<K: Kv> {
    pub(crate) kv: K,
}

impl<K: Kv> LocalStore<K> {
    pub fn new(kv: K) -> Self {
        Self { kv }
    }

    pub(crate) async fn read<T: DeserializeOwned>(&self, collection: Collection, key: &str) -> Result<Option<T>, StoreError> {
        let Some(text) = self.kv.get(collection, key).await? else {
            return Ok(None);
        };
        serde_json::from_str(&text).map(Some).map_err(|e| StoreError::Corrupt {
            collection: collection.name(),
            key: key.to_string(),
            reason: e.to_string(),
        })
    }

    async fn write<T: Serialize>(&self, collection: Collection, key: &str, value: &T) -> Result<(), StoreError> {
        let text = serde_json::to_string(value).expect("stored types always serialise");
        self.kv.put(collection, key, text).await
    }

    pub async fn cached_card(&self, outlet: &OutletId) -> Result<Option<CachedCard>, StoreError> {
        self.read(Collection::Cards, &outlet.to_string()).await
    }

    pub async fn cache_card(&self, cached: &CachedCard) -> Result<(), StoreError> {
        self.write(Collection::Cards, &cached.card.outlet.id.to_string(), cached).await
    }

    /// Reads the officer's setting stored under `key`, if any.
    pub async fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        self.read(Collection::Settings, key).await
    }

    /// Stores a setting under `key`; it is on disk when this returns.
    pub async fn save_setting<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        self.write(Collection::Settings, key, value).await
    }

    pub async fn key_set(&self) -> Result<Option<KeySet>, StoreError> {
        self.read(Collection::Keys, KEY_SET).await
    }

    pub async fn save_key_set(&self, keys: &KeySet) -> Result<(), StoreError> {
        self.write(Collection::Keys, KEY_SET, keys).await
    }

    /// Loads the unfinished draft for `outlet`, unless it was already finalized: a crash between queueing
    /// and removing the draft leaves both, and the outbox entry wins.
    pub async fn draft_for(&self, outlet: &OutletId) -> Result<Option<InspectionDraft>, StoreError> {
        let key = outlet.to_string();
        let Some(draft) = self.read::<InspectionDraft>(Collection::Drafts, &key).await? else {
            return Ok(None);
        };
        if self.outbox_entry(draft.id).await?.is_some() {
            self.kv.delete(Collection::Drafts, &key).await?;
            return Ok(None);
        }
        Ok(Some(draft))
    }

    /// Saves a draft; each outlet has at most one, so starting on another outlet loses nothing.
    pub async fn save_draft(&self, draft: &InspectionDraft) -> Result<(), StoreError> {
        self.write(Collection::Drafts, &draft.outlet.to_string(), draft).await
    }

    /// Puts a finalized record in the outbox and then drops the draft. A record already queued
    /// under this id is kept as it is: its bytes never change once frozen.
    pub async fn enqueue(&self, frozen: FrozenInspection, finalized_at: OffsetDateTime) -> Result<OutboxEntry, StoreError> {
        if let Some(existing) = self.outbox_entry(frozen.id).await? {
            return Ok(existing);
        }
        let entry = OutboxEntry { frozen, state: OutboxState::Queued, finalized_at };
        self.write(Collection::Outbox, &entry.frozen.id.to_string(), &entry).await?;
        self.kv.delete(Collection::Drafts, &entry.frozen.outlet.to_string()).await?;
        Ok(entry)
    }

    pub async fn outbox_entry(&self, id: Uuid) -> Result<Option<OutboxEntry>, StoreError> {
        self.read(Collection::Outbox, &id.to_string()).await
    }

    /// Reads and decodes every value of a collection, in key order.
    pub(crate) async fn read_all<T: DeserializeOwned>(&self, collection: Collection) -> Result<Vec<T>, StoreError> {
        let mut values = Vec::new();
        for text in self.kv.values(collection).await? {
            let value = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt { collection: collection.name(), key: "?".into(), reason: e.to_string() })?;
            values.push(value);
        }
        Ok(values)
    }

    /// Lists every finalized record, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut entries: Vec<OutboxEntry> = self.read_all(Collection::Outbox).await?;
        entries.sort_by_key(|entry| entry.finalized_at);
        Ok(entries)
    }

    /// Records the outcome of sending an entry. Only the state changes; the frozen bytes stay.
    pub async fn set_outbox_state(&self, id: Uuid, state: OutboxState) -> Result<(), StoreError> {
        let Some(mut entry) = self.outbox_entry(id).await? else {
            return Ok(());
        };
        entry.state = state;
        self.write(Collection::Outbox, &id.to_string(), &entry).await
    }
}

#[cfg(all(test, feature = "native"))]
mod tests {
    use super::*;
    use crate::SledKv;
    use futures::executor::block_on;
    use outlet_core::checklist::{Answer, ChecklistItem};
    use outlet_core::inspection::Officer;
    use time::macros::datetime;

    fn frozen() -> (InspectionDraft, FrozenInspection) {
        let mut draft = InspectionDraft::new("91350100M000100Y43001P-DA001".parse().unwrap(), datetime!(2026-12-04 09:00 +8));
        draft.officers = vec![
            Officer { name: "李明".into(), badge_no: "1".into() },
            Officer { name: "王芳".into(), badge_no: "2".into() },
        ];
        for item in ChecklistItem::ALL {
            draft.set_answer(item, Answer::NotApplicable);
        }
        let frozen = draft.freeze(datetime!(2026-12-04 10:00 +8)).unwrap();
        (draft, frozen)
    }

    #[test]
    fn queued_record_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let (draft, frozen) = frozen();

        block_on(async {
            let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
            store.save_draft(&draft).await.unwrap();
            store.enqueue(frozen.clone(), datetime!(2026-12-04 10:00 +8)).await.unwrap();
        });

        block_on(async {
            let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
            let outbox = store.outbox().await.unwrap();
            assert_eq!(outbox.len(), 1);
            assert_eq!(outbox[0].frozen, frozen);
            assert_eq!(outbox[0].state, OutboxState::Queued);
            assert_eq!(store.draft_for(&frozen.outlet).await.unwrap(), None);
        });
    }

    #[test]
    fn enqueue_twice_keeps_first_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let (_, frozen) = frozen();
        let mut altered = frozen.clone();
        altered.sha256 = "0".repeat(64);

        block_on(async {
            let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
            store.enqueue(frozen.clone(), datetime!(2026-12-04 10:00 +8)).await.unwrap();
            store.enqueue(altered, datetime!(2026-12-04 10:05 +8)).await.unwrap();
            assert_eq!(store.outbox().await.unwrap()[0].frozen, frozen);
        });
    }

    #[test]
    fn draft_already_queued_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let (draft, frozen) = frozen();

        block_on(async {
            let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
            store.enqueue(frozen, datetime!(2026-12-04 10:00 +8)).await.unwrap();
            store.save_draft(&draft).await.unwrap();
            assert_eq!(store.draft_for(&draft.outlet).await.unwrap(), None);
        });
    }

    #[test]
    fn drafts_of_two_outlets_coexist() {
        let dir = tempfile::tempdir().unwrap();
        let (first, _) = frozen();
        let second = InspectionDraft::new("91350100M000100Y43001P-DW001".parse().unwrap(), datetime!(2026-12-04 11:00 +8));

        block_on(async {
            let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
            store.save_draft(&first).await.unwrap();
            store.save_draft(&second).await.unwrap();
            assert_eq!(store.draft_for(&first.outlet).await.unwrap(), Some(first.clone()));
            assert_eq!(store.draft_for(&second.outlet).await.unwrap(), Some(second.clone()));
        });
    }

    #[test]
    fn corrupt_entry_is_reported_with_key() {
        let dir = tempfile::tempdir().unwrap();
        block_on(async {
            let kv = SledKv::open(dir.path()).unwrap();
            kv.put(Collection::Cards, "91350100M000100Y43001P-DA001", "{not json".into()).await.unwrap();
            let store = LocalStore::new(kv);
            let error = store.cached_card(&"91350100M000100Y43001P-DA001".parse().unwrap()).await.unwrap_err();
            assert!(error.to_string().contains("91350100M000100Y43001P-DA001"), "{error}");
        });
    }
}
