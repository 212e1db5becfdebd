//! Server storage behind a trait, with sled as the embedded default.
//!
//! Inspection dedup is enforced by the store itself: sled's compare-and-swap inserts a record only
//! where no record with that id exists, so two concurrent submissions cannot both insert.

use std::path::Path;

use outlet_core::api::{Receipt, SERVER_NAME};
use outlet_core::{OutletCard, OutletId};
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

    /// Stores a card; the caller sets its version.
    fn put_card(&self, card: &OutletCard) -> Result<(), StoreError>;

    fn cards(&self) -> Result<Vec<OutletCard>, StoreError>;

    /// Stores `record` under `id` unless a record with that id exists, and makes it durable
    /// before returning a receipt.
    fn insert_inspection(&self, id: Uuid, sha256: &str, record: &str, now: OffsetDateTime) -> Result<InsertOutcome, StoreError>;

    fn inspection(&self, id: Uuid) -> Result<Option<StoredInspection>, StoreError>;

    fn inspection_count(&self) -> Result<usize, StoreError>;

    fn placard_record(&self, outlet: &OutletId) -> Result<Option<PlacardRecord>, StoreError>;

    fn put_placard_record(&self, record: &PlacardRecord) -> Result<(), StoreError>;

    fn placard_records(&self) -> Result<Vec<PlacardRecord>, StoreError>;
}

/// The embedded sled store: one folder, no service to run.
pub struct SledStore {
    db: sled::Db,
    cards: sled::Tree,
    inspections: sled::Tree,
    placards: sled::Tree,
}

impl SledStore {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let db = sled::open(path).map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
        Ok(Self {
            cards: db.open_tree("cards")?,
            inspections: db.open_tree("inspections")?,
            placards: db.open_tree("placards")?,
            db,
        })
    }
}

fn decode<T: for<'de> Deserialize<'de>>(key: &[u8], value: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(value).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into_owned(),
        reason: e.to_string(),
    })
}

/// Reads and decodes the JSON value under `key`.
fn get_json<T: for<'de> Deserialize<'de>>(tree: &sled::Tree, key: &[u8]) -> Result<Option<T>, StoreError> {
    match tree.get(key)? {
        Some(value) => decode(key, &value).map(Some),
        None => Ok(None),
    }
}

/// Reads and decodes every JSON value of `tree`, in key order.
fn all_json<T: for<'de> Deserialize<'de>>(tree: &sled::Tree) -> Result<Vec<T>, StoreError> {
    let mut values = Vec::new();
    for entry in tree.iter() {
        let (key, value) = entry?;
        values.push(decode(&key, &value)?);
    }
    Ok(values)
}

impl ServerStore for SledStore {
    fn card(&self, outlet: &OutletId) -> Result<Option<OutletCard>, StoreError> {
        get_json(&self.cards, outlet.to_string().as_bytes())
    }

    fn put_card(&self, card: &OutletCard) -> Result<(), StoreError> {
        let value = serde_json::to_vec(card).expect("cards always serialise");
        self.cards.insert(card.outlet.id.to_string().as_bytes(), value)?;
        Ok(())
    }

    fn cards(&self) -> Result<Vec<OutletCard>, StoreError> {
        all_json(&self.cards)
    }

    fn insert_inspection(&self, id: Uuid, sha256: &str, record: &str, now: OffsetDateTime) -> Result<InsertOutcome, StoreError> {
        let key = id.as_bytes();
        // Receipt numbers count from 1 (sled ids start at 0). A resubmission uses up a number too, so
        // the sequence can have gaps; it orders receipts, it does not count records.
        let sequence = self.db.generate_id()? + 1;
        let receipt = Receipt {
            server: SERVER_NAME.to_string(),
            inspection_id: id,
            sha256: sha256.to_string(),
            receipt_no: format!("R{:04}{:02}{:02}-{sequence:06}", now.year(), now.month() as u8, now.day()),
            received_at: now,
        };
        let stored = StoredInspection { record: record.to_string(), receipt: receipt.clone() };
        let value = serde_json::to_vec(&stored).expect("stored inspections always serialise");

        match self.inspections.compare_and_swap(key, None as Option<&[u8]>, Some(value))? {
            Ok(()) => {
                self.db.flush()?;
                Ok(InsertOutcome::Inserted(receipt))
            }
            Err(existing) => {
                let current = existing.current.unwrap_or_default();
                let existing: StoredInspection = decode(id.to_string().as_bytes(), &current)?;
                if existing.receipt.sha256 == sha256 {
                    Ok(InsertOutcome::Duplicate(existing.receipt))
                } else {
                    Ok(InsertOutcome::Conflict { stored_sha256: existing.receipt.sha256 })
                }
            }
        }
    }

    fn inspection(&self, id: Uuid) -> Result<Option<StoredInspection>, StoreError> {
        // Keys are the UUID's bytes; errors name the UUID in its usual text form.
        match self.inspections.get(id.as_bytes())? {
            Some(value) => decode(id.to_string().as_bytes(), &value).map(Some),
            None => Ok(None),
        }
    }

    fn inspection_count(&self) -> Result<usize, StoreError> {
        Ok(self.inspections.len())
    }

    fn placard_record(&self, outlet: &OutletId) -> Result<Option<PlacardRecord>, StoreError> {
        get_json(&self.placards, outlet.to_string().as_bytes())
    }

    fn put_placard_record(&self, record: &PlacardRecord) -> Result<(), StoreError> {
        let value = serde_json::to_vec(record).expect("placard records always serialise");
        self.placards.insert(record.outlet.to_string().as_bytes(), value)?;
        self.db.flush()?;
        Ok(())
    }

    fn placard_records(&self) -> Result<Vec<PlacardRecord>, StoreError> {
        all_json(&self.placards)
    }
}
