//! Inspection records. The primary key on `id` is the dedup constraint; receipt numbers come from
//! the `receipt_numbers` sequence, so they are unique across instances.

use deadpool_postgres::GenericClient;
use outlet_core::api::{ChainLink, Receipt};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{decode, execute, query, query_one, query_opt};
use crate::store::new_receipt;
use crate::store::{InsertOutcome, NewInspection, StoreError, StoredInspection};

/// Inserts the record unless its id is stored. Each statement commits on its own, so the record is
/// durable before the receipt is returned. An insert that meets an uncommitted insert of the same
/// id waits for it, and then reads the winner's receipt.
pub(super) async fn insert(client: &impl GenericClient, inspection: &NewInspection) -> Result<InsertOutcome, StoreError> {
    // A resubmission uses up a number too, so the numbers have gaps, as with the sled store.
    let sequence: i64 = query_one(client, "SELECT nextval('receipt_numbers')", &[]).await?.get(0);
    let receipt = new_receipt(inspection, sequence as u64);
    let receipt_json = serde_json::to_string(&receipt).expect("receipts always serialise");
    let id = inspection.id;
    // The intake accepts sequence numbers up to i64::MAX only, so this cast keeps the value.
    let device_seq = inspection.device_seq as i64;

    let inserted = execute(
        client,
        "INSERT INTO inspections (id, sha256, record, receipt, received_at, device_id, device_seq, previous_sha256, signature)
            VALUES ($1, $2, $3, $4::text::jsonb, $5, $6, $7, $8, $9)
            ON CONFLICT (id) DO NOTHING",
        &[
            &id,
            &inspection.sha256,
            &inspection.record,
            &receipt_json,
            &inspection.received_at,
            &inspection.device_id,
            &device_seq,
            &inspection.previous_sha256,
            &inspection.signature,
        ],
    )
    .await?;
    if inserted == 1 {
        return Ok(InsertOutcome::Inserted(receipt));
    }

    let row = query_one(client, "SELECT receipt::text FROM inspections WHERE id = $1", &[&id]).await?;
    let existing: Receipt = decode(&id.to_string(), row.get(0))?;
    if existing.sha256 == inspection.sha256 {
        Ok(InsertOutcome::Duplicate(existing))
    } else {
        Ok(InsertOutcome::Conflict { stored_sha256: existing.sha256 })
    }
}

pub(super) async fn inspection(client: &impl GenericClient, id: Uuid) -> Result<Option<StoredInspection>, StoreError> {
    let Some(row) = query_opt(client, "SELECT record, receipt::text, device_id, signature FROM inspections WHERE id = $1", &[&id]).await? else {
        return Ok(None);
    };
    let receipt = decode(&id.to_string(), row.get(1))?;
    Ok(Some(StoredInspection { record: row.get(0), receipt, device_id: row.get(2), signature: row.get(3) }))
}

pub(super) async fn count(client: &impl GenericClient) -> Result<usize, StoreError> {
    let count: i64 = query_one(client, "SELECT count(*) FROM inspections", &[]).await?.get(0);
    Ok(count as usize)
}

pub(super) async fn device_chain(client: &impl GenericClient, device_id: Uuid) -> Result<Vec<ChainLink>, StoreError> {
    let rows = query(
        client,
        "SELECT device_seq, id, sha256, previous_sha256, receipt->>'receipt_no', received_at FROM inspections
            WHERE device_id = $1 ORDER BY device_seq, id",
        &[&device_id],
    )
    .await?;
    let mut links = Vec::with_capacity(rows.len());
    for row in rows {
        let device_seq: i64 = row.get(0);
        let inspection_id: Uuid = row.get(1);
        let receipt_no: Option<String> = row.get(4);
        let receipt_no = receipt_no.ok_or_else(|| StoreError::Corrupt { key: inspection_id.to_string(), reason: "the stored receipt has no receipt_no".into() })?;
        let received_at: OffsetDateTime = row.get(5);
        links.push(ChainLink { device_seq: device_seq as u64, inspection_id, sha256: row.get(2), previous_sha256: row.get(3), receipt_no, received_at });
    }
    Ok(links)
}
