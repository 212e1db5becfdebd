//! Schema migrations: the SQL files of `crates/server/migrations/`, applied in version order when a
//! store opens.
//!
//! Each migration runs in one transaction together with its row in `schema_migrations`, so it is
//! applied entirely or not at all. Every such transaction first takes one advisory lock, so server
//! instances that start together apply each migration once: the others wait, then find its row.
//! A released migration is never edited (a change is a new file), so a stored migration whose
//! SHA-256 differs from the file is an error rather than something to apply again.

use outlet_core::inspection::sha256_hex;

use crate::store::StoreError;

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

/// Every migration, oldest first. Add a file and a line here; never edit a released one.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "cards_feed_inspections_placards",
        sql: include_str!("../../../migrations/0001_cards_feed_inspections_placards.sql"),
    },
    Migration {
        version: 2,
        name: "accounts_tokens_device_keys",
        sql: include_str!("../../../migrations/0002_accounts_tokens_device_keys.sql"),
    },
    Migration { version: 3, name: "monitor_index", sql: include_str!("../../../migrations/0003_monitor_index.sql") },
    Migration { version: 4, name: "photos", sql: include_str!("../../../migrations/0004_photos.sql") },
    Migration {
        version: 5,
        name: "inspection_device_chain",
        sql: include_str!("../../../migrations/0005_inspection_device_chain.sql"),
    },
];

/// Key of the advisory lock that serializes migrations: the ASCII bytes "outletmg" as an i64.
const MIGRATION_LOCK: i64 = i64::from_be_bytes(*b"outletmg");

const CREATE_HISTORY: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version     bigint PRIMARY KEY,
    name        text NOT NULL,
    sha256      text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
)";

/// Applies the migrations the database lacks and returns how many. Fails without changing anything
/// when the database was migrated by a newer server, or a migration was edited after it was applied.
pub(super) async fn apply(client: &mut deadpool_postgres::Client) -> Result<usize, StoreError> {
    let known = MIGRATIONS.last().map_or(0, |migration| migration.version);
    let transaction = client.transaction().await?;
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    // Without this, every start logs PostgreSQL's notice that the table exists already.
    transaction.batch_execute("SET LOCAL client_min_messages TO warning").await?;
    transaction.batch_execute(CREATE_HISTORY).await?;
    let newest: Option<i64> = transaction.query_one("SELECT max(version) FROM schema_migrations", &[]).await?.get(0);
    transaction.commit().await?;
    if let Some(newest) = newest.filter(|newest| *newest > known) {
        return Err(StoreError::Migration(format!(
            "the database is at schema version {newest}, newer than this server's {known}; run the outlet release that migrated it, or a later one"
        )));
    }

    let mut applied = 0;
    for migration in MIGRATIONS {
        let checksum = sha256_hex(migration.sql.as_bytes());
        let transaction = client.transaction().await?;
        transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;

        let stored = transaction.query_opt("SELECT sha256 FROM schema_migrations WHERE version = $1", &[&migration.version]).await?;
        if let Some(row) = stored {
            let stored: String = row.get(0);
            if stored != checksum {
                return Err(StoreError::Migration(format!(
                    "migration {} ({}) was applied with SHA-256 {stored}, but this server's copy has {checksum}; restore the file as it was released and put the change in a new migration",
                    migration.version, migration.name
                )));
            }
            transaction.commit().await?;
            continue;
        }

        transaction.batch_execute(migration.sql).await?;
        transaction
            .execute("INSERT INTO schema_migrations (version, name, sha256) VALUES ($1, $2, $3)", &[&migration.version, &migration.name, &checksum])
            .await?;
        transaction.commit().await?;
        tracing::info!(version = migration.version, name = migration.name, "database migration applied");
        applied += 1;
    }
    Ok(applied)
}
