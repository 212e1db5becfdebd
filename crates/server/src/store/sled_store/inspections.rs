//! The sled trees of inspection records and of each device's chain of records.

use outlet_core::api::ChainLink;
use sled::transaction::ConflictableTransactionError;
use sled::Transactional;
use uuid::Uuid;

use super::decode;
use crate::store::{new_receipt, InsertOutcome, NewInspection, StoreError, StoredInspection};

/// Trees: `inspections` (record id, 16 bytes → [`StoredInspection`]) and `device_chain` (device id,
/// 16 bytes; `device_seq`, 8 bytes big-endian; record id, 16 bytes → [`ChainLink`]), so one device's
/// records list in sequence order with a prefix scan.
pub(super) struct SledInspections {
    db: sled::Db,
    inspections: sled::Tree,
    device_chain: sled::Tree,
}

/// Key of a record in the `device_chain` tree.
fn chain_key(device_id: Uuid, device_seq: u64, id: Uuid) -> Vec<u8> {
    let mut key = Vec::with_capacity(40);
    key.extend_from_slice(device_id.as_bytes());
    key.extend_from_slice(&device_seq.to_be_bytes());
    key.extend_from_slice(id.as_bytes());
    key
}

impl SledInspections {
    pub(super) fn open(db: &sled::Db) -> Result<Self, StoreError> {
        Ok(Self { inspections: db.open_tree("inspections")?, device_chain: db.open_tree("device_chain")?, db: db.clone() })
    }

    /// Inserts the record and its chain entry in one transaction, unless the id is stored. sled
    /// retries a transaction that met a concurrent write of the same key, so of two concurrent
    /// submissions of one id the second finds the first's record.
    pub(super) fn insert(&self, inspection: &NewInspection) -> Result<InsertOutcome, StoreError> {
        let key = inspection.id.as_bytes();
        // Receipt numbers count from 1 (sled ids start at 0). A resubmission uses up a number too, so
        // the sequence can have gaps; it orders receipts, it does not count records.
        let sequence = self.db.generate_id()? + 1;
        let receipt = new_receipt(inspection, sequence);
        let value = serde_json::to_vec(&inspection.stored(receipt.clone())).expect("stored inspections always serialise");
        let link = serde_json::to_vec(&inspection.chain_link(&receipt)).expect("chain links always serialise");
        let link_key = chain_key(inspection.device_id, inspection.device_seq, inspection.id);

        let outcome = (&self.inspections, &self.device_chain).transaction(|(inspections, device_chain)| {
            if let Some(current) = inspections.get(key)? {
                let existing: StoredInspection = decode(inspection.id.to_string().as_bytes(), &current).map_err(ConflictableTransactionError::Abort)?;
                return Ok(if existing.receipt.sha256 == inspection.sha256 {
                    InsertOutcome::Duplicate(existing.receipt)
                } else {
                    InsertOutcome::Conflict { stored_sha256: existing.receipt.sha256 }
                });
            }
            inspections.insert(key, value.as_slice())?;
            device_chain.insert(link_key.as_slice(), link.as_slice())?;
            Ok::<InsertOutcome, ConflictableTransactionError<StoreError>>(InsertOutcome::Inserted(receipt.clone()))
        })?;

        if matches!(outcome, InsertOutcome::Inserted(_)) {
            self.db.flush()?;
        }
        Ok(outcome)
    }

    pub(super) fn inspection(&self, id: Uuid) -> Result<Option<StoredInspection>, StoreError> {
        // Keys are the UUID's bytes; errors name the UUID in its usual text form.
        match self.inspections.get(id.as_bytes())? {
            Some(value) => decode(id.to_string().as_bytes(), &value).map(Some),
            None => Ok(None),
        }
    }

    pub(super) fn count(&self) -> usize {
        self.inspections.len()
    }

    pub(super) fn device_chain(&self, device_id: Uuid) -> Result<Vec<ChainLink>, StoreError> {
        let mut links = Vec::new();
        for entry in self.device_chain.scan_prefix(device_id.as_bytes()) {
            let (key, value) = entry?;
            links.push(decode(&key, &value)?);
        }
        Ok(links)
    }
}
