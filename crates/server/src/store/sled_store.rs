//! The embedded sled store: one folder, no service to run.

use std::path::Path;

use outlet_core::api::{Change, ChangePage, Receipt, RemovalReason, SERVER_NAME};
use outlet_core::card::PermitStatus;
use outlet_core::{OutletCard, OutletId, PermitNo, Region};
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{InsertOutcome, PlacardRecord, ServerStore, StoreError, StoredInspection};

/// Memory for sled's page cache on the server: sled's own default, 1 GiB.
const SERVER_CACHE_BYTES: u64 = 1024 * 1024 * 1024;

/// Key in the `meta` tree of the last feed cursor handed out.
const FEED_CURSOR: &[u8] = b"feed_cursor";

/// A change feed entry as stored: the card itself is read from the `cards` tree.
#[derive(Debug, Serialize, Deserialize)]
struct FeedEntry {
    outlet: OutletId,
    /// The unit's 6-digit division code, to filter by jurisdiction without reading the card.
    region: String,
    removed: Option<RemovalReason>,
}

/// The embedded sled store: one folder, no service to run.
///
/// Trees: `cards` (outlet id → card), `feed` (cursor, big-endian → [`FeedEntry`]), `feed_position`
/// (outlet id → its cursor, so a newer change drops the older entry), `meta`, `inspections`, `placards`.
pub struct SledStore {
    db: sled::Db,
    cards: sled::Tree,
    feed: sled::Tree,
    feed_position: sled::Tree,
    meta: sled::Tree,
    inspections: sled::Tree,
    placards: sled::Tree,
}

impl SledStore {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let db = outlet_store::sled_config(path, SERVER_CACHE_BYTES).open().map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
        Ok(Self {
            cards: db.open_tree("cards")?,
            feed: db.open_tree("feed")?,
            feed_position: db.open_tree("feed_position")?,
            meta: db.open_tree("meta")?,
            inspections: db.open_tree("inspections")?,
            placards: db.open_tree("placards")?,
            db,
        })
    }

    /// Writes (or, with `card` `None`, deletes) an outlet's card and moves the outlet to the end of the
    /// feed, in one transaction. The cursor counter is part of that transaction, so cursors follow
    /// commit order and a device that read up to a cursor has every change committed before it.
    fn write_with_feed(&self, outlet: &OutletId, region: &str, card: Option<Vec<u8>>, removed: Option<RemovalReason>) -> Result<(), StoreError> {
        let key = outlet.to_string();
        let entry = serde_json::to_vec(&FeedEntry { outlet: outlet.clone(), region: region.to_string(), removed }).expect("feed entries always serialise");

        (&self.cards, &self.feed, &self.feed_position, &self.meta).transaction(
            |(cards, feed, feed_position, meta): &(TransactionalTree, TransactionalTree, TransactionalTree, TransactionalTree)| {
                let cursor = meta.get(FEED_CURSOR)?.map_or(0, |bytes| be_u64(&bytes)) + 1;
                meta.insert(FEED_CURSOR, &cursor.to_be_bytes())?;

                if let Some(old) = feed_position.insert(key.as_bytes(), &cursor.to_be_bytes())? {
                    feed.remove(old)?;
                }
                feed.insert(&cursor.to_be_bytes(), entry.as_slice())?;

                match &card {
                    Some(value) => cards.insert(key.as_bytes(), value.as_slice())?,
                    None => cards.remove(key.as_bytes())?,
                };
                Ok::<(), ConflictableTransactionError<StoreError>>(())
            },
        )?;
        Ok(())
    }

    /// Reads a feed entry's change: the card for an update, nothing more for a removal.
    fn change(&self, cursor: u64, entry: FeedEntry) -> Result<Change, StoreError> {
        let card = match entry.removed {
            Some(_) => None,
            None => Some(get_json(&self.cards, entry.outlet.to_string().as_bytes())?.ok_or_else(|| StoreError::Corrupt {
                key: entry.outlet.to_string(),
                reason: format!("feed entry {cursor} names a card that is not stored"),
            })?),
        };
        Ok(Change { cursor, outlet: entry.outlet, removed: entry.removed, card })
    }
}

fn be_u64(bytes: &[u8]) -> u64 {
    let mut array = [0u8; 8];
    array.copy_from_slice(&bytes[..8]);
    u64::from_be_bytes(array)
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
        let removed = match card.permit.status {
            PermitStatus::Cancelled => Some(RemovalReason::PermitCancelled),
            PermitStatus::Revoked => Some(RemovalReason::PermitRevoked),
            PermitStatus::Valid | PermitStatus::Changed | PermitStatus::Renewed => None,
        };
        self.write_with_feed(&card.outlet.id, card.unit.uscc.region_code(), Some(value), removed)
    }

    fn remove_card(&self, outlet: &OutletId) -> Result<bool, StoreError> {
        let Some(card) = self.card(outlet)? else {
            return Ok(false);
        };
        self.write_with_feed(outlet, card.unit.uscc.region_code(), None, Some(RemovalReason::OutletRemoved))?;
        Ok(true)
    }

    fn outlets_of_permit(&self, permit_no: &PermitNo) -> Result<Vec<OutletId>, StoreError> {
        let prefix = format!("{permit_no}-");
        let mut outlets = Vec::new();
        for key in self.cards.scan_prefix(prefix.as_bytes()).keys() {
            let key = key?;
            let text = String::from_utf8_lossy(&key);
            outlets.push(text.parse().map_err(|e: outlet_core::ids::IdError| StoreError::Corrupt { key: text.to_string(), reason: e.to_string() })?);
        }
        Ok(outlets)
    }

    fn cards(&self) -> Result<Vec<OutletCard>, StoreError> {
        all_json(&self.cards)
    }

    fn changes(&self, region: &Region, since: u64, limit: usize, count: bool) -> Result<ChangePage, StoreError> {
        let prefix = region.prefix();
        let mut changes = Vec::new();
        let mut next_cursor = since;
        let mut complete = true;
        let mut pending = count.then_some(0u64);

        for entry in self.feed.range((since + 1).to_be_bytes()..) {
            let (key, value) = entry?;
            let cursor = be_u64(&key);
            let entry: FeedEntry = decode(&key, &value)?;
            if !entry.region.starts_with(prefix) {
                if changes.len() < limit {
                    next_cursor = cursor;
                }
                continue;
            }

            if changes.len() < limit {
                changes.push(self.change(cursor, entry)?);
                next_cursor = cursor;
            } else {
                complete = false;
                if pending.is_none() {
                    break;
                }
            }
            if let Some(pending) = &mut pending {
                *pending += 1;
            }
        }
        Ok(ChangePage { changes, next_cursor, complete, pending })
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
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
