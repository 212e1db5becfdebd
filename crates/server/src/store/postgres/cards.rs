//! Outlet cards. Every write moves the outlet to the end of the change feed in the same transaction.

use deadpool_postgres::{GenericClient, Transaction};
use outlet_core::api::RemovalReason;
use outlet_core::card::PermitStatus;
use outlet_core::{OutletCard, OutletId, PermitNo};

use super::{decode, execute, feed, outlet_id, query, query_opt, PgStore};
use crate::store::{CardJson, CardWrite, StoreError};

const SELECT_CARD: &str = "SELECT card::text FROM cards WHERE outlet_id = $1";
const SELECT_CARD_JSON: &str = "SELECT version, card::text FROM cards WHERE outlet_id = $1";

/// Stores a card, replacing the stored one.
pub(super) const UPSERT_CARD: &str = "INSERT INTO cards (outlet_id, permit_no, region, version, card) VALUES ($1, $2, $3, $4, $5::text::jsonb)
    ON CONFLICT (outlet_id) DO UPDATE
    SET permit_no = EXCLUDED.permit_no, region = EXCLUDED.region, version = EXCLUDED.version, card = EXCLUDED.card";

/// Stores a card unless one is stored: changes no row when another transaction added it first.
const INSERT_NEW_CARD: &str = "INSERT INTO cards (outlet_id, permit_no, region, version, card) VALUES ($1, $2, $3, $4, $5::text::jsonb)
    ON CONFLICT (outlet_id) DO NOTHING";

pub(super) async fn card(client: &impl GenericClient, outlet: &OutletId) -> Result<Option<OutletCard>, StoreError> {
    let key = outlet.to_string();
    match query_opt(client, SELECT_CARD, &[&key]).await? {
        Some(row) => decode(&key, row.get(0)).map(Some),
        None => Ok(None),
    }
}

/// The card's JSON text as PostgreSQL writes `jsonb` out, with the version kept beside it.
pub(super) async fn card_json(client: &impl GenericClient, outlet: &OutletId) -> Result<Option<CardJson>, StoreError> {
    let key = outlet.to_string();
    let Some(row) = query_opt(client, SELECT_CARD_JSON, &[&key]).await? else {
        return Ok(None);
    };
    let version: i64 = row.get(0);
    let json: String = row.get(1);
    Ok(Some(CardJson { version: version as u64, json: json.into_bytes() }))
}

pub(super) async fn put_card(store: &PgStore, card: &OutletCard) -> Result<(), StoreError> {
    let mut client = store.client().await?;
    let transaction = client.transaction().await?;

    write(&transaction, UPSERT_CARD, card).await?;
    feed::append(&transaction, &card.outlet.id, card.unit.uscc.region_code(), removal_of(card)).await?;

    transaction.commit().await?;
    Ok(())
}

/// Stores `card` unless the stored card has the same content, with the stored version plus one and
/// the stored placard serial. The stored card stays locked (`FOR UPDATE`) until the commit.
pub(super) async fn upsert_card(store: &PgStore, card: &OutletCard) -> Result<CardWrite, StoreError> {
    let key = card.outlet.id.to_string();
    let mut client = store.client().await?;

    loop {
        let transaction = client.transaction().await?;
        let stored = query_opt(&transaction, "SELECT card::text FROM cards WHERE outlet_id = $1 FOR UPDATE", &[&key]).await?;

        let (outcome, written) = match stored {
            None => {
                let new = OutletCard { version: 1, ..card.clone() };
                if write(&transaction, INSERT_NEW_CARD, &new).await? == 0 {
                    // Another instance added this outlet since the SELECT: lock its card instead.
                    transaction.rollback().await?;
                    continue;
                }
                (CardWrite::Added, new)
            }
            Some(row) => {
                let stored: OutletCard = decode(&key, row.get(0))?;
                if stored.same_content(card) {
                    transaction.rollback().await?;
                    return Ok(CardWrite::Unchanged);
                }
                let version = stored.version + 1;
                let new = OutletCard { version, placard_serial: stored.placard_serial, ..card.clone() };
                write(&transaction, UPSERT_CARD, &new).await?;
                (CardWrite::Updated { version }, new)
            }
        };

        feed::append(&transaction, &written.outlet.id, written.unit.uscc.region_code(), removal_of(&written)).await?;
        transaction.commit().await?;
        return Ok(outcome);
    }
}

pub(super) async fn remove_card(store: &PgStore, outlet: &OutletId) -> Result<bool, StoreError> {
    let key = outlet.to_string();
    let mut client = store.client().await?;
    let transaction = client.transaction().await?;

    let Some(row) = query_opt(&transaction, "DELETE FROM cards WHERE outlet_id = $1 RETURNING region", &[&key]).await? else {
        transaction.rollback().await?;
        return Ok(false);
    };
    let region: &str = row.get(0);
    feed::append(&transaction, outlet, region, Some(RemovalReason::OutletRemoved)).await?;

    transaction.commit().await?;
    Ok(true)
}

pub(super) async fn outlets_of_permit(client: &impl GenericClient, permit_no: &PermitNo) -> Result<Vec<OutletId>, StoreError> {
    let rows = query(client, "SELECT outlet_id FROM cards WHERE permit_no = $1 ORDER BY outlet_id", &[&permit_no.to_string()]).await?;
    rows.iter().map(|row| outlet_id(row.get(0))).collect()
}

/// Every card, in outlet id order.
pub(super) async fn all_cards(client: &impl GenericClient) -> Result<Vec<OutletCard>, StoreError> {
    let rows = query(client, "SELECT outlet_id, card::text FROM cards ORDER BY outlet_id", &[]).await?;
    rows.iter().map(|row| decode(row.get(0), row.get(1))).collect()
}

/// Runs `sql` (one of the card inserts above) for `card`; returns the rows changed.
pub(super) async fn write(transaction: &Transaction<'_>, sql: &str, card: &OutletCard) -> Result<u64, StoreError> {
    let json = serde_json::to_string(card).expect("cards always serialise");
    let version = i64::try_from(card.version).map_err(|_| StoreError::Corrupt {
        key: card.outlet.id.to_string(),
        reason: format!("version {} is beyond PostgreSQL's bigint", card.version),
    })?;
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 5] = [
        &card.outlet.id.to_string(),
        &card.outlet.id.permit_no.to_string(),
        &card.unit.uscc.region_code(),
        &version,
        &json,
    ];
    execute(transaction, sql, &params).await
}

/// How a card enters the feed: as a removal when its permit is withdrawn.
pub(super) fn removal_of(card: &OutletCard) -> Option<RemovalReason> {
    match card.permit.status {
        PermitStatus::Cancelled => Some(RemovalReason::PermitCancelled),
        PermitStatus::Revoked => Some(RemovalReason::PermitRevoked),
        PermitStatus::Valid | PermitStatus::Changed | PermitStatus::Renewed => None,
    }
}
