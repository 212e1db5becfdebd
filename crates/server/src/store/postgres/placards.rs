//! Placard records: every placard issued for an outlet, as one JSON value per outlet.

use deadpool_postgres::GenericClient;
use outlet_core::OutletId;

use super::{decode, execute, query, query_opt};
use crate::store::{PlacardRecord, StoreError};

pub(super) async fn placard_record(client: &impl GenericClient, outlet: &OutletId) -> Result<Option<PlacardRecord>, StoreError> {
    let key = outlet.to_string();
    match query_opt(client, "SELECT record::text FROM placards WHERE outlet_id = $1", &[&key]).await? {
        Some(row) => decode(&key, row.get(0)).map(Some),
        None => Ok(None),
    }
}

pub(super) async fn put_placard_record(client: &impl GenericClient, record: &PlacardRecord) -> Result<(), StoreError> {
    let json = serde_json::to_string(record).expect("placard records always serialise");
    execute(
        client,
        "INSERT INTO placards (outlet_id, record) VALUES ($1, $2::text::jsonb)
            ON CONFLICT (outlet_id) DO UPDATE SET record = EXCLUDED.record",
        &[&record.outlet.to_string(), &json],
    )
    .await?;
    Ok(())
}

/// Every placard record, in outlet id order.
pub(super) async fn placard_records(client: &impl GenericClient) -> Result<Vec<PlacardRecord>, StoreError> {
    let rows = query(client, "SELECT outlet_id, record::text FROM placards ORDER BY outlet_id", &[]).await?;
    rows.iter().map(|row| decode(row.get(0), row.get(1))).collect()
}
