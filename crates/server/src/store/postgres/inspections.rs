//! Inspection records. The primary key on `id` is the dedup constraint; receipt numbers come from
//! the `receipt_numbers` sequence, so they are unique across instances.

use deadpool_postgres::GenericClient;
use outlet_core::api::Receipt;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{decode, execute, query_one, query_opt};
use crate::store::new_receipt;
use crate::store::{InsertOutcome, StoreError, StoredInspection};

/// Inserts the record unless its id is stored. Each statement commits on its own, so the record is
/// durable before the receipt is returned. An insert that meets an uncommitted insert of the same
/// id waits for it, and then reads the winner's receipt.
pub(super) async fn insert(client: &impl GenericClient, id: Uuid, sha256: &str, record: &str, now: OffsetDateTime) -> Result<InsertOutcome, StoreError> {
    // A resubmission uses up a number too, so the numbers have gaps, as with the sled store.
    let sequence: i64 = query_one(client, "SELECT nextval('receipt_numbers')", &[]).await?.get(0);
    let receipt = new_receipt(id, sha256, sequence as u64, now);
    let receipt_json = serde_json::to_string(&receipt).expect("receipts always serialise");

    let inserted = execute(
        client,
        "INSERT INTO inspections (id, sha256, record, receipt, received_at) VALUES ($1, $2, $3, $4::text::jsonb, $5)
            ON CONFLICT (id) DO NOTHING",
        &[&id, &sha256, &record, &receipt_json, &now],
    )
    .await?;
    if inserted == 1 {
        return Ok(InsertOutcome::Inserted(receipt));
    }

    let row = query_one(client, "SELECT receipt::text FROM inspections WHERE id = $1", &[&id]).await?;
    let existing: Receipt = decode(&id.to_string(), row.get(0))?;
    if existing.sha256 == sha256 {
        Ok(InsertOutcome::Duplicate(existing))
    } else {
        Ok(InsertOutcome::Conflict { stored_sha256: existing.sha256 })
    }
}

pub(super) async fn inspection(client: &impl GenericClient, id: Uuid) -> Result<Option<StoredInspection>, StoreError> {
    let Some(row) = query_opt(client, "SELECT record, receipt::text FROM inspections WHERE id = $1", &[&id]).await? else {
        return Ok(None);
    };
    let receipt = decode(&id.to_string(), row.get(1))?;
    Ok(Some(StoredInspection { record: row.get(0), receipt }))
}

pub(super) async fn count(client: &impl GenericClient) -> Result<usize, StoreError> {
    let count: i64 = query_one(client, "SELECT count(*) FROM inspections", &[]).await?.get(0);
    Ok(count as usize)
}
