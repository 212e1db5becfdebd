//! Online monitoring (HJ 212) on the cards: finding a monitor's outlet, updating a monitor, and
//! listing the silent ones. The card JSON holds the monitors; the GIN index `cards_monitors` finds
//! an MN without reading every card.

use deadpool_postgres::GenericClient;
use outlet_core::{OutletCard, OutletId};
use time::OffsetDateTime;

use super::cards::{removal_of, write, UPSERT_CARD};
use super::{decode, feed, outlet_id, query, query_opt, PgStore};
use crate::store::{MonitorUpdate, MonitorWrite, StoreError};

/// Returns the card listing monitor `mn`; with several (the registry forbids it), the lowest outlet id.
pub(super) async fn outlet_of_monitor(client: &impl GenericClient, mn: &str) -> Result<Option<OutletId>, StoreError> {
    let pattern = serde_json::json!([{ "mn": mn }]).to_string();
    let row = query_opt(client, "SELECT outlet_id FROM cards WHERE card -> 'monitors' @> $1::text::jsonb ORDER BY outlet_id LIMIT 1", &[&pattern]).await?;
    row.map(|row| outlet_id(row.get(0))).transpose()
}

/// Applies `update` in one transaction that locks the card, so concurrent packets and imports do
/// not overwrite each other's changes.
pub(super) async fn update_monitor(store: &PgStore, outlet: &OutletId, mn: &str, update: &MonitorUpdate) -> Result<MonitorWrite, StoreError> {
    let key = outlet.to_string();
    let mut client = store.client().await?;
    let transaction = client.transaction().await?;

    let Some(row) = query_opt(&transaction, "SELECT card::text FROM cards WHERE outlet_id = $1 FOR UPDATE", &[&key]).await? else {
        transaction.rollback().await?;
        return Ok(MonitorWrite::NoMonitor);
    };
    let mut card: OutletCard = decode(&key, row.get(0))?;
    let Some(monitor) = card.monitors.iter_mut().find(|monitor| monitor.mn == mn) else {
        transaction.rollback().await?;
        return Ok(MonitorWrite::NoMonitor);
    };
    if !update.apply(monitor) {
        transaction.rollback().await?;
        return Ok(MonitorWrite::Unchanged);
    }

    card.version += 1;
    write(&transaction, UPSERT_CARD, &card).await?;
    feed::append(&transaction, outlet, card.unit.uscc.region_code(), removal_of(&card)).await?;
    transaction.commit().await?;
    Ok(MonitorWrite::Updated { version: card.version })
}

/// Lists the monitors that are not offline and have sent nothing since `cutoff`, in outlet id order
/// and then card order. PostgreSQL compares `last_seen` at its microsecond precision.
pub(super) async fn silent_monitors(client: &impl GenericClient, cutoff: OffsetDateTime) -> Result<Vec<(OutletId, String)>, StoreError> {
    let rows = query(
        client,
        "SELECT c.outlet_id, m.monitor ->> 'mn'
            FROM cards c CROSS JOIN LATERAL jsonb_array_elements(c.card -> 'monitors') WITH ORDINALITY AS m (monitor, n)
            WHERE m.monitor ->> 'status' <> 'offline'
              AND (m.monitor ->> 'last_seen' IS NULL OR (m.monitor ->> 'last_seen')::timestamptz < $1)
            ORDER BY c.outlet_id, m.n",
        &[&cutoff],
    )
    .await?;
    rows.iter().map(|row| Ok((outlet_id(row.get(0))?, row.get(1)))).collect()
}
