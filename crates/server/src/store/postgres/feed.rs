//! The change feed: one row per outlet in table `feed`, ordered by `position`.
//!
//! A device keeps the last position it read and later requests what comes after it, so a position
//! must never become visible after a higher one: the device would have passed it for good. A
//! sequence cannot promise that with several writers. Transaction A may take 7 and transaction B
//! take 8, and if B commits first, a device reads up to 8 before 7 exists.
//!
//! So a writer takes its position by updating the single row of `feed_cursor` inside the
//! transaction that writes the entry. PostgreSQL holds that row's lock until the commit, so the next
//! writer, in this instance or another one, gets its position only after this one committed. The
//! positions are handed out in commit order, and a reader's snapshot holds every position up to
//! the highest it sees. The price is that feed writes of the whole database take turns between
//! taking the position and committing. [`append`] is therefore the last statement before the
//! commit.

use deadpool_postgres::Transaction;
use outlet_core::api::{Change, ChangePage, RemovalReason};
use outlet_core::{OutletId, Region};
use tokio_postgres::IsolationLevel;

use super::{decode, execute, outlet_id, query, query_one, PgStore};
use crate::store::StoreError;

/// The entries of one region after a position, oldest first, each with its card.
const PAGE: &str = "SELECT f.position, f.outlet_id, f.removed, c.card::text
    FROM feed f LEFT JOIN cards c ON c.outlet_id = f.outlet_id
    WHERE f.position > $1 AND starts_with(f.region, $2)
    ORDER BY f.position
    LIMIT $3";

/// Moves `outlet` to the end of the feed, as a card update or with `removed` as a removal. Call it
/// last in the transaction: from here to the commit, other feed writers wait.
pub(super) async fn append(transaction: &Transaction<'_>, outlet: &OutletId, region: &str, removed: Option<RemovalReason>) -> Result<(), StoreError> {
    let position: i64 = query_one(transaction, "UPDATE feed_cursor SET last = last + 1 RETURNING last", &[]).await?.get(0);
    execute(
        transaction,
        "INSERT INTO feed (position, outlet_id, region, removed) VALUES ($1, $2, $3, $4)
            ON CONFLICT (outlet_id) DO UPDATE
            SET position = EXCLUDED.position, region = EXCLUDED.region, removed = EXCLUDED.removed",
        &[&position, &outlet.to_string(), &region, &removed.map(removal_text)],
    )
    .await?;
    Ok(())
}

/// Reads a page as [`crate::store::ServerStore::changes`] describes, from one snapshot
/// (REPEATABLE READ), so the page, the next cursor and the count agree.
pub(super) async fn changes(store: &PgStore, region: &Region, since: u64, limit: usize, count: bool) -> Result<ChangePage, StoreError> {
    let mut client = store.client().await?;
    let transaction = client.build_transaction().isolation_level(IsolationLevel::RepeatableRead).read_only(true).start().await?;
    // Positions are bigint; a cursor beyond them has nothing after it.
    let after = i64::try_from(since).unwrap_or(i64::MAX);
    let prefix = region.prefix();
    let fetch = i64::try_from(limit.saturating_add(1)).unwrap_or(i64::MAX);

    let rows = query(&transaction, PAGE, &[&after, &prefix, &fetch]).await?;
    let complete = rows.len() <= limit;
    let mut changes = Vec::with_capacity(rows.len().min(limit));
    for row in rows.iter().take(limit) {
        let position: i64 = row.get(0);
        let outlet = outlet_id(row.get(1))?;
        let removed = row.get::<_, Option<&str>>(2).map(|text| parse_removal(&outlet, text)).transpose()?;
        let card = match (removed, row.get::<_, Option<&str>>(3)) {
            (Some(_), _) => None,
            (None, Some(json)) => Some(decode(row.get(1), json)?),
            (None, None) => {
                return Err(StoreError::Corrupt { key: outlet.to_string(), reason: format!("feed entry {position} names a card that is not stored") });
            }
        };
        changes.push(Change { cursor: position as u64, outlet, removed, card });
    }

    // A full page ends at its last change, as the sled store's does. A page with room left covers
    // the whole feed, other regions' entries included.
    let next_cursor = if changes.len() == limit {
        changes.last().map_or(since, |change| change.cursor)
    } else {
        let last: Option<i64> = query_one(&transaction, "SELECT max(position) FROM feed WHERE position > $1", &[&after]).await?.get(0);
        last.map_or(since, |position| position as u64)
    };
    let pending = match count {
        true => {
            let pending: i64 = query_one(&transaction, "SELECT count(*) FROM feed WHERE position > $1 AND starts_with(region, $2)", &[&after, &prefix]).await?.get(0);
            Some(pending as u64)
        }
        false => None,
    };

    transaction.commit().await?;
    Ok(ChangePage { changes, next_cursor, complete, pending })
}

fn removal_text(reason: RemovalReason) -> &'static str {
    match reason {
        RemovalReason::PermitCancelled => "permit_cancelled",
        RemovalReason::PermitRevoked => "permit_revoked",
        RemovalReason::OutletRemoved => "outlet_removed",
    }
}

fn parse_removal(outlet: &OutletId, text: &str) -> Result<RemovalReason, StoreError> {
    match text {
        "permit_cancelled" => Ok(RemovalReason::PermitCancelled),
        "permit_revoked" => Ok(RemovalReason::PermitRevoked),
        "outlet_removed" => Ok(RemovalReason::OutletRemoved),
        other => Err(StoreError::Corrupt { key: outlet.to_string(), reason: format!("unknown removal reason {other:?} in the feed") }),
    }
}
