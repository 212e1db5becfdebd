//! Drafts, the outbox of finalized records and the photos they list.
//!
//! Rules: a finalized record's bytes never change; a record leaves the device only after the
//! server acknowledged it and stores every photo it lists; finalizing writes the outbox entry and
//! drops the draft in one atomic batch, so a crash leaves the record either whole in the outbox or
//! still a draft.

use data_encoding::BASE64;
use outlet_core::api::{ApiError, Receipt};
use outlet_core::inspection::{sha256_hex, FrozenInspection, InspectionDraft};
use outlet_core::OutletId;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Collection, Kv, KvWrite, LocalStore, StoreError};

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

/// The upload state of an acknowledged record's photos.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoSync {
    /// Some photos may still be missing on the server.
    #[default]
    Pending,
    /// The server stores every photo the record lists.
    Complete,
    /// The server refused a photo (4xx) with this reason; not retried.
    Rejected { sha256: String, status: u16, error: ApiError },
}

/// A finalized inspection in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub frozen: FrozenInspection,
    pub state: OutboxState,
    #[serde(with = "time::serde::rfc3339")]
    pub finalized_at: OffsetDateTime,
    /// The record's place in the device's chain, as in its bytes.
    pub device_seq: u64,
    /// Number of photos the record lists.
    pub photo_count: usize,
    pub photos: PhotoSync,
}

impl OutboxEntry {
    /// Returns true when the server acknowledged the record and stores all its photos, so nothing is left to send.
    pub fn is_synced(&self) -> bool {
        matches!(self.state, OutboxState::Acknowledged(_)) && (self.photo_count == 0 || self.photos == PhotoSync::Complete)
    }

    /// True when the record was acknowledged but some of its photos still have to go.
    pub fn photos_pending(&self) -> bool {
        matches!(self.state, OutboxState::Acknowledged(_)) && self.photo_count > 0 && self.photos == PhotoSync::Pending
    }
}

/// The end of the device's chain of finalized records: the next record names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub device_seq: u64,
    pub sha256: String,
}

impl<K: Kv> LocalStore<K> {
    /// Lists every unfinished draft, in id order. Drafts already finalized are left out (a crash
    /// between the two writes of an older version could leave both). A draft that no longer decodes
    /// is logged and skipped, not deleted, so one bad entry does not hide the others.
    pub async fn drafts(&self) -> Result<Vec<InspectionDraft>, StoreError> {
        let mut drafts = Vec::new();
        for text in self.kv.values(Collection::Drafts).await? {
            let draft: InspectionDraft = match serde_json::from_str(&text) {
                Ok(draft) => draft,
                Err(error) => {
                    tracing::warn!(%error, "a stored draft does not decode; skipped");
                    continue;
                }
            };
            if self.outbox_entry(draft.id).await?.is_none() {
                drafts.push(draft);
            }
        }
        Ok(drafts)
    }

    /// Loads the unfinished draft that checks `outlet`, if any.
    pub async fn draft_for(&self, outlet: &OutletId) -> Result<Option<InspectionDraft>, StoreError> {
        Ok(self.drafts().await?.into_iter().find(|draft| draft.outlets.contains(outlet)))
    }

    /// Saves a draft under its id; it is on disk when this returns.
    pub async fn save_draft(&self, draft: &InspectionDraft) -> Result<(), StoreError> {
        self.write(Collection::Drafts, &draft.id.to_string(), draft).await
    }

    /// Discards an unfinished draft. Its photos stay until no draft or record lists them.
    pub async fn discard_draft(&self, id: Uuid) -> Result<(), StoreError> {
        self.kv.delete(Collection::Drafts, &id.to_string()).await
    }

    /// Returns the newest record of the device's chain.
    pub async fn chain_head(&self) -> Result<Option<ChainHead>, StoreError> {
        let outbox = self.outbox().await?;
        Ok(outbox.iter().max_by_key(|entry| entry.device_seq).map(|entry| ChainHead { device_seq: entry.device_seq, sha256: entry.frozen.sha256.clone() }))
    }

    /// Puts a finalized record in the outbox and drops its draft, in one atomic batch. A record
    /// already queued under this id is kept as it is: its bytes never change once frozen.
    pub async fn enqueue(&self, frozen: FrozenInspection, finalized_at: OffsetDateTime, device_seq: u64, photo_count: usize) -> Result<OutboxEntry, StoreError> {
        if let Some(existing) = self.outbox_entry(frozen.id).await? {
            return Ok(existing);
        }

        let key = frozen.id.to_string();
        let photos = if photo_count == 0 { PhotoSync::Complete } else { PhotoSync::Pending };
        let entry = OutboxEntry { frozen, state: OutboxState::Queued, finalized_at, device_seq, photo_count, photos };
        let text = serde_json::to_string(&entry).expect("an outbox entry always serialises");
        let writes = vec![
            KvWrite { collection: Collection::Outbox, key: key.clone(), value: Some(text) },
            KvWrite { collection: Collection::Drafts, key, value: None },
        ];
        self.kv.write_batch(writes).await?;
        self.kv.flush().await?;
        Ok(entry)
    }

    pub async fn outbox_entry(&self, id: Uuid) -> Result<Option<OutboxEntry>, StoreError> {
        self.read(Collection::Outbox, &id.to_string()).await
    }

    /// Lists every finalized record, oldest first.
    pub async fn outbox(&self) -> Result<Vec<OutboxEntry>, StoreError> {
        let mut entries: Vec<OutboxEntry> = self.read_all(Collection::Outbox).await?;
        entries.sort_by_key(|entry| (entry.device_seq, entry.finalized_at));
        Ok(entries)
    }

    /// Records the outcome of sending an entry. Only the state changes; the frozen bytes stay.
    pub async fn set_outbox_state(&self, id: Uuid, state: OutboxState) -> Result<(), StoreError> {
        self.update_entry(id, |entry| entry.state = state).await
    }

    /// Records where the entry's photos stand.
    pub async fn set_photo_sync(&self, id: Uuid, photos: PhotoSync) -> Result<(), StoreError> {
        self.update_entry(id, |entry| entry.photos = photos).await
    }

    async fn update_entry(&self, id: Uuid, change: impl FnOnce(&mut OutboxEntry)) -> Result<(), StoreError> {
        let Some(mut entry) = self.outbox_entry(id).await? else {
            return Ok(());
        };
        change(&mut entry);
        self.write(Collection::Outbox, &id.to_string(), &entry).await
    }

    /// Removes a finalized record from the device. Rejected unless the server acknowledged it and
    /// stores all its photos: a queued, in-flight or rejected record is evidence not yet delivered.
    pub async fn delete_record(&self, id: Uuid) -> Result<(), StoreError> {
        let Some(entry) = self.outbox_entry(id).await? else {
            return Ok(());
        };
        if !entry.is_synced() {
            return Err(StoreError::NotDeletable { id });
        }
        self.kv.delete(Collection::Outbox, &id.to_string()).await
    }

    /// Keeps a prepared photo under its SHA-256; it is on disk when this returns.
    pub async fn save_photo(&self, bytes: &[u8]) -> Result<String, StoreError> {
        let sha256 = sha256_hex(bytes);
        if self.kv.get(Collection::Photos, &sha256).await?.is_none() {
            self.kv.put(Collection::Photos, &sha256, BASE64.encode(bytes)).await?;
        }
        Ok(sha256)
    }

    /// Reads the bytes of a kept photo. A stored photo whose bytes no longer match its hash is reported
    /// as corrupt rather than sent.
    pub async fn photo(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let Some(text) = self.kv.get(Collection::Photos, sha256).await? else {
            return Ok(None);
        };
        let corrupt = |reason: &str| StoreError::Corrupt { collection: Collection::Photos.name(), key: sha256.to_string(), reason: reason.to_string() };
        let bytes = BASE64.decode(text.as_bytes()).map_err(|e| corrupt(&e.to_string()))?;
        if sha256_hex(&bytes) != sha256 {
            return Err(corrupt("the bytes do not match the hash"));
        }
        Ok(Some(bytes))
    }
}

#[cfg(all(test, feature = "native"))]
mod tests;
