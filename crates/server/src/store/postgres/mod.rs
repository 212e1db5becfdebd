//! The PostgreSQL store, for several server instances in front of one database.
//!
//! The [`ServerStore`] trait is synchronous, and `tokio-postgres` is asynchronous. Each [`PgStore`]
//! owns a small tokio runtime that drives its connections' sockets. A store call runs its queries
//! on the calling thread with `futures`' executor, inside that runtime's context. So a call never
//! starts or drops a runtime on the caller's side, and works from any thread: tokio's blocking
//! pool, a plain thread, or (blocking it) an async task, as in a `#[tokio::test]` body. The
//! synchronous `postgres` crate (0.19) was not used because its client panics with "Cannot start a
//! runtime from within a runtime" when called on a thread that drives async tasks. Connections
//! come from a `deadpool-postgres` pool.
//!
//! The schema comes from the versioned SQL files in `crates/server/migrations/`, applied when the
//! store opens (see [`migrate`]).

mod accounts;
mod cards;
mod feed;
mod inspections;
mod migrate;
mod monitors;
mod photos;
mod placards;

use std::future::Future;
use std::time::Duration;

use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use outlet_core::api::{ChainLink, ChangePage};
use outlet_core::{OutletCard, OutletId, PermitNo, Region};
use serde::Deserialize;
use time::OffsetDateTime;
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};
use uuid::Uuid;

use super::{CardJson, CardWrite, InsertOutcome, MonitorUpdate, MonitorWrite, NewInspection, PhotoWrite, PlacardRecord, ServerStore, StoreError, StoredInspection};
use crate::accounts::{Account, DeviceKey, LoginToken};

/// Most connections one store opens. Each store call uses one for its queries only, so this bounds
/// the concurrent queries of one instance, not its concurrent requests. PostgreSQL's default
/// `max_connections` is 100, which leaves room for several instances.
const POOL_SIZE: usize = 16;

/// How long a call waits for a free connection or a new one before it fails.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(30);

/// Threads of the store's runtime. They only move bytes between the sockets and the calling
/// threads, which run the queries.
const RUNTIME_THREADS: usize = 2;

/// The PostgreSQL store. Open it with [`PgStore::open`].
pub struct PgStore {
    pool: Pool,
    /// The runtime that drives the connections; `None` only while the store is dropped.
    runtime: Option<tokio::runtime::Runtime>,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`, or
    /// libpq's `key=value` form) and applies the migrations it lacks.
    // TODO: connections are unencrypted (NoTls). Keep the database on the host or a private
    // network until TLS is configured.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let mut config: tokio_postgres::Config = url.parse().map_err(|source| StoreError::DatabaseUrl { source })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECTION_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("outlet");
        }
        let target = describe(&config);

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(RUNTIME_THREADS)
            .thread_name("outlet-postgres")
            .enable_all()
            .build()
            .map_err(|source| StoreError::Runtime { source })?;
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(CONNECTION_TIMEOUT))
            .create_timeout(Some(CONNECTION_TIMEOUT))
            .build()
            .expect("a pool with a runtime accepts timeouts");
        let store = Self { pool, runtime: Some(runtime) };

        let applied = store.block_on(async {
            let mut client = store.pool.get().await.map_err(|source| StoreError::DatabaseConnect { target: target.clone(), source })?;
            migrate::apply(&mut client).await
        })?;
        tracing::info!(database = %target, migrations_applied = applied, "PostgreSQL store opened");
        Ok(store)
    }

    /// Runs `future` to completion on the calling thread, inside the store's runtime context so that
    /// new connections register with the runtime that drives them.
    ///
    /// The future runs outside tokio's cooperative budget. Called from an async task, the budget
    /// belongs to that task and is not renewed while this call blocks it, so once a few store calls
    /// used it up, the pool's semaphore would return `Pending` and wake itself forever.
    fn block_on<F: Future>(&self, future: F) -> F::Output {
        let _context = self.runtime.as_ref().expect("the runtime lives as long as the store").enter();
        futures::executor::block_on(tokio::task::unconstrained(future))
    }

    /// Takes a connection from the pool, opening one if none is free.
    async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        Ok(self.pool.get().await?)
    }
}

impl Drop for PgStore {
    /// Stops the runtime without waiting, which is allowed on any thread, async tasks included.
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Writes `error` and its sources as one line, because `tokio-postgres` leaves the server's message
/// (e.g. which password check failed) to the source. A source already in the text is skipped.
pub(crate) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text
}

/// Names the database as `user@host:port/database`, leaving out the password.
fn describe(config: &tokio_postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(name)) => name.clone(),
        Some(tokio_postgres::config::Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("(default user)");
    let database = config.get_dbname().unwrap_or(user);
    format!("{user}@{host}:{port}/{database}")
}

/// Runs `sql` with `params`, preparing it once per connection.
async fn query(client: &impl GenericClient, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<Row>, StoreError> {
    let statement = client.prepare_cached(sql).await?;
    Ok(client.query(&statement, params).await?)
}

/// Runs `sql`, which returns at most one row, preparing it once per connection.
async fn query_opt(client: &impl GenericClient, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Option<Row>, StoreError> {
    let statement = client.prepare_cached(sql).await?;
    Ok(client.query_opt(&statement, params).await?)
}

/// Runs `sql`, which returns exactly one row, preparing it once per connection.
async fn query_one(client: &impl GenericClient, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Row, StoreError> {
    let statement = client.prepare_cached(sql).await?;
    Ok(client.query_one(&statement, params).await?)
}

/// Runs `sql` and returns the number of rows it changed, preparing it once per connection.
async fn execute(client: &impl GenericClient, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<u64, StoreError> {
    let statement = client.prepare_cached(sql).await?;
    Ok(client.execute(&statement, params).await?)
}

/// Parses an outlet id stored in column text.
fn outlet_id(text: &str) -> Result<OutletId, StoreError> {
    text.parse().map_err(|e: outlet_core::ids::IdError| StoreError::Corrupt { key: text.to_string(), reason: e.to_string() })
}

/// Decodes a JSON column read as text; `key` names the row in the error.
fn decode<T: for<'de> Deserialize<'de>>(key: &str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt { key: key.to_string(), reason: e.to_string() })
}

impl ServerStore for PgStore {
    fn card(&self, outlet: &OutletId) -> Result<Option<OutletCard>, StoreError> {
        self.block_on(async { cards::card(&self.client().await?, outlet).await })
    }

    fn card_json(&self, outlet: &OutletId) -> Result<Option<CardJson>, StoreError> {
        self.block_on(async { cards::card_json(&self.client().await?, outlet).await })
    }

    fn put_card(&self, card: &OutletCard) -> Result<(), StoreError> {
        self.block_on(cards::put_card(self, card))
    }

    /// Overrides the trait's read-then-write with one transaction that locks the stored card, so
    /// two instances importing the same outlet cannot both hand out the same version.
    fn upsert_card(&self, card: &OutletCard) -> Result<CardWrite, StoreError> {
        self.block_on(cards::upsert_card(self, card))
    }

    fn remove_card(&self, outlet: &OutletId) -> Result<bool, StoreError> {
        self.block_on(cards::remove_card(self, outlet))
    }

    fn outlets_of_permit(&self, permit_no: &PermitNo) -> Result<Vec<OutletId>, StoreError> {
        self.block_on(async { cards::outlets_of_permit(&self.client().await?, permit_no).await })
    }

    fn cards(&self) -> Result<Vec<OutletCard>, StoreError> {
        self.block_on(async { cards::all_cards(&self.client().await?).await })
    }

    fn changes(&self, region: &Region, since: u64, limit: usize, count: bool) -> Result<ChangePage, StoreError> {
        self.block_on(feed::changes(self, region, since, limit, count))
    }

    /// Does nothing: every write has committed, and PostgreSQL made it durable at the commit.
    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn insert_inspection(&self, inspection: &NewInspection) -> Result<InsertOutcome, StoreError> {
        self.block_on(async { inspections::insert(&self.client().await?, inspection).await })
    }

    fn inspection(&self, id: Uuid) -> Result<Option<StoredInspection>, StoreError> {
        self.block_on(async { inspections::inspection(&self.client().await?, id).await })
    }

    fn device_chain(&self, device_id: Uuid) -> Result<Vec<ChainLink>, StoreError> {
        self.block_on(async { inspections::device_chain(&self.client().await?, device_id).await })
    }

    fn inspection_count(&self) -> Result<usize, StoreError> {
        self.block_on(async { inspections::count(&self.client().await?).await })
    }

    fn placard_record(&self, outlet: &OutletId) -> Result<Option<PlacardRecord>, StoreError> {
        self.block_on(async { placards::placard_record(&self.client().await?, outlet).await })
    }

    fn put_placard_record(&self, record: &PlacardRecord) -> Result<(), StoreError> {
        self.block_on(async { placards::put_placard_record(&self.client().await?, record).await })
    }

    fn placard_records(&self) -> Result<Vec<PlacardRecord>, StoreError> {
        self.block_on(async { placards::placard_records(&self.client().await?).await })
    }

    fn outlet_of_monitor(&self, mn: &str) -> Result<Option<OutletId>, StoreError> {
        self.block_on(async { monitors::outlet_of_monitor(&self.client().await?, mn).await })
    }

    fn update_monitor(&self, outlet: &OutletId, mn: &str, update: &MonitorUpdate) -> Result<MonitorWrite, StoreError> {
        self.block_on(monitors::update_monitor(self, outlet, mn, update))
    }

    fn silent_monitors(&self, cutoff: OffsetDateTime) -> Result<Vec<(OutletId, String)>, StoreError> {
        self.block_on(async { monitors::silent_monitors(&self.client().await?, cutoff).await })
    }

    fn insert_account(&self, account: &Account) -> Result<bool, StoreError> {
        self.block_on(async { accounts::insert_account(&self.client().await?, account).await })
    }

    fn update_account(&self, account: &Account) -> Result<bool, StoreError> {
        self.block_on(async { accounts::update_account(&self.client().await?, account).await })
    }

    fn account(&self, badge_no: &str) -> Result<Option<Account>, StoreError> {
        self.block_on(async { accounts::account(&self.client().await?, badge_no).await })
    }

    fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        self.block_on(async { accounts::accounts(&self.client().await?).await })
    }

    fn insert_token(&self, token: &LoginToken) -> Result<(), StoreError> {
        self.block_on(async { accounts::insert_token(&self.client().await?, token).await })
    }

    fn token(&self, token_sha256: &str) -> Result<Option<LoginToken>, StoreError> {
        self.block_on(async { accounts::token(&self.client().await?, token_sha256).await })
    }

    fn revoke_token(&self, token_sha256: &str, at: OffsetDateTime) -> Result<bool, StoreError> {
        self.block_on(accounts::revoke_token(self, token_sha256, at))
    }

    fn revoke_tokens_of(&self, badge_no: &str, at: OffsetDateTime) -> Result<usize, StoreError> {
        self.block_on(accounts::revoke_tokens_of(self, badge_no, at))
    }

    fn insert_device_key(&self, key: &DeviceKey) -> Result<Option<DeviceKey>, StoreError> {
        self.block_on(async { accounts::insert_device_key(&self.client().await?, key).await })
    }

    fn device_key(&self, badge_no: &str, device_id: Uuid) -> Result<Option<DeviceKey>, StoreError> {
        self.block_on(async { accounts::device_key(&self.client().await?, badge_no, device_id).await })
    }

    fn insert_photo(&self, sha256: &[u8; 32], bytes: &[u8]) -> Result<PhotoWrite, StoreError> {
        self.block_on(async { photos::insert(&self.client().await?, sha256, bytes).await })
    }

    fn missing_photos(&self, sha256s: &[[u8; 32]]) -> Result<Vec<[u8; 32]>, StoreError> {
        self.block_on(async { photos::missing(&self.client().await?, sha256s).await })
    }

    fn photo(&self, sha256: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
        self.block_on(async { photos::photo(&self.client().await?, sha256).await })
    }

    fn photo_count(&self) -> Result<usize, StoreError> {
        self.block_on(async { photos::count(&self.client().await?).await })
    }
}
