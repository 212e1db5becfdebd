//! Server storage behind a trait, with sled as the embedded default.
//!
//! Inspection dedup is enforced by the store itself: sled's compare-and-swap inserts a record only
//! where no record with that id exists, so two concurrent submissions cannot both insert.
//!
//! Every card write also appends to the change feed that devices sync their offline packages from:
//! one entry per outlet (a newer change replaces the older entry), in commit order.

mod sled_store;

pub use sled_store::SledStore;

use outlet_core::api::{ChangePage, Receipt};
use outlet_core::{OutletCard, OutletId, PermitNo, Region};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the data folder {path} could not be opened: {source}. Is another `outlet` process using it?")]
    Open { path: String, source: sled::Error },

    #[error("storage failed: {0}")]
    Sled(#[from] sled::Error),

    #[error("stored value under key {key:?} is corrupt: {reason}")]
    Corrupt { key: String, reason: String },
}

impl From<sled::transaction::TransactionError<StoreError>> for StoreError {
    fn from(error: sled::transaction::TransactionError<StoreError>) -> Self {
        match error {
            sled::transaction::TransactionError::Abort(error) => error,
            sled::transaction::TransactionError::Storage(error) => StoreError::Sled(error),
        }
    }
}

/// Outcome of writing a card from the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardWrite {
    /// A new outlet, stored at version 1.
    Added,
    /// The content differed; stored with the next version.
    Updated { version: u64 },
    /// Same content as stored: nothing written, no feed entry.
    Unchanged,
}

/// An inspection record as the server keeps it: the exact bytes received and the receipt given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredInspection {
    /// Canonical JSON exactly as the device sent it.
    pub record: String,
    pub receipt: Receipt,
}

/// One placard issued for an outlet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedPlacard {
    pub serial: u32,
    /// The key that signed its QR code.
    pub key_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    /// Reason for the revocation, e.g. lost or damaged.
    pub revoke_reason: Option<String>,
}

/// Every placard issued for one outlet, oldest first; the last unrevoked one is current.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacardRecord {
    pub outlet: OutletId,
    pub issued: Vec<IssuedPlacard>,
}

impl PlacardRecord {
    pub fn current(&self) -> Option<&IssuedPlacard> {
        self.issued.iter().rev().find(|placard| placard.revoked_at.is_none())
    }
}

/// Result of inserting an inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertOutcome {
    /// First time this id arrived: stored, new receipt.
    Inserted(Receipt),
    /// Same id and same bytes arrived before: nothing stored, the original receipt.
    Duplicate(Receipt),
    /// Same id with different bytes: nothing stored.
    Conflict { stored_sha256: String },
}

/// Storage the server needs. Implementations must make `insert_inspection` atomic per id.
pub trait ServerStore: Send + Sync + 'static {
    fn card(&self, outlet: &OutletId) -> Result<Option<OutletCard>, StoreError>;

    /// Stores a card as given (the caller sets its version) and puts it at the end of the change
    /// feed. A card whose permit is cancelled or revoked enters the feed as a removal.
    fn put_card(&self, card: &OutletCard) -> Result<(), StoreError>;

    /// Stores a card from the registry unless the stored one has the same content. The version
    /// becomes the stored one's plus one, and the placard serial is kept.
    fn upsert_card(&self, card: &OutletCard) -> Result<CardWrite, StoreError> {
        let Some(stored) = self.card(&card.outlet.id)? else {
            self.put_card(&OutletCard { version: 1, ..card.clone() })?;
            return Ok(CardWrite::Added);
        };

        if stored.same_content(card) {
            return Ok(CardWrite::Unchanged);
        }
        let version = stored.version + 1;
        self.put_card(&OutletCard { version, placard_serial: stored.placard_serial, ..card.clone() })?;
        Ok(CardWrite::Updated { version })
    }

    /// Deletes an outlet's card and records its removal in the feed. Returns false when there was none.
    fn remove_card(&self, outlet: &OutletId) -> Result<bool, StoreError>;

    /// Ids of the stored outlets of one permit.
    fn outlets_of_permit(&self, permit_no: &PermitNo) -> Result<Vec<OutletId>, StoreError>;

    fn cards(&self) -> Result<Vec<OutletCard>, StoreError>;

    /// Reads up to `limit` changes of `region` after cursor `since`. With `count` set it also counts
    /// the region's pending changes, which scans the rest of the feed, so devices ask once per download.
    fn changes(&self, region: &Region, since: u64, limit: usize, count: bool) -> Result<ChangePage, StoreError>;

    /// Makes every write so far durable.
    fn flush(&self) -> Result<(), StoreError>;

    /// Stores `record` under `id` unless a record with that id exists, and makes it durable
    /// before returning a receipt.
    fn insert_inspection(&self, id: Uuid, sha256: &str, record: &str, now: OffsetDateTime) -> Result<InsertOutcome, StoreError>;

    fn inspection(&self, id: Uuid) -> Result<Option<StoredInspection>, StoreError>;

    fn inspection_count(&self) -> Result<usize, StoreError>;

    fn placard_record(&self, outlet: &OutletId) -> Result<Option<PlacardRecord>, StoreError>;

    fn put_placard_record(&self, record: &PlacardRecord) -> Result<(), StoreError>;

    fn placard_records(&self) -> Result<Vec<PlacardRecord>, StoreError>;
}

