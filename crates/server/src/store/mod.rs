//! Server storage behind a trait, with sled as the embedded default and PostgreSQL for several
//! server instances sharing one database.
//!
//! Inspection dedup is enforced by the store itself: sled's compare-and-swap, or PostgreSQL's
//! primary key, inserts a record only where no record with that id exists, so two concurrent
//! submissions cannot both insert.
//!
//! Every card write also appends to the change feed that devices sync their offline packages from:
//! one entry per outlet (a newer change replaces the older entry), in commit order.

mod monitor;
mod postgres;
mod sled_store;

pub use monitor::{HourlyReading, MonitorData, MonitorUpdate, MonitorWrite, HOURS_KEPT};
pub use postgres::PgStore;
pub use sled_store::SledStore;

use std::path::Path;
use std::sync::Arc;

use outlet_core::api::{ChainLink, ChangePage, Receipt, SERVER_NAME};
use outlet_core::{OutletCard, OutletId, PermitNo, Region};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::{Account, DeviceKey, LoginToken};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the data folder {path} could not be opened: {source}. Is another `outlet` process using it?")]
    Open { path: String, source: sled::Error },

    #[error("storage failed: {0}")]
    Sled(#[from] sled::Error),

    #[error("stored value under key {key:?} is corrupt: {reason}")]
    Corrupt { key: String, reason: String },

    /// The database URL does not parse. The URL itself is left out because it may hold a password.
    #[error("the database URL is not valid: {}. Write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE", postgres::error_chain(source))]
    DatabaseUrl { source: tokio_postgres::Error },

    /// The first connection failed; `target` is `user@host:port/database`.
    #[error("the database {target} could not be reached: {}. Check that PostgreSQL runs there and accepts this user and password", postgres::error_chain(source))]
    DatabaseConnect { target: String, source: deadpool_postgres::PoolError },

    #[error("the database's schema cannot be used: {0}")]
    Migration(String),

    #[error("database query failed: {}", postgres::error_chain(.0))]
    Postgres(#[from] tokio_postgres::Error),

    #[error("no database connection: {}", postgres::error_chain(.0))]
    Pool(#[from] deadpool_postgres::PoolError),

    #[error("the PostgreSQL store's runtime could not start: {source}")]
    Runtime { source: std::io::Error },
}

/// Opens the sled store in folder `sled_path`, or the PostgreSQL database at `database_url` when
/// one is given (then `sled_path` is not touched).
pub fn open(sled_path: &Path, database_url: Option<&str>) -> Result<Arc<dyn ServerStore>, StoreError> {
    match database_url {
        Some(url) => Ok(Arc::new(PgStore::open(url)?)),
        None => Ok(Arc::new(SledStore::open(sled_path)?)),
    }
}

impl From<sled::transaction::TransactionError<StoreError>> for StoreError {
    fn from(error: sled::transaction::TransactionError<StoreError>) -> Self {
        match error {
            sled::transaction::TransactionError::Abort(error) => error,
            sled::transaction::TransactionError::Storage(error) => StoreError::Sled(error),
        }
    }
}

/// Outcome of writing a card from the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardWrite {
    /// A new outlet, stored at version 1.
    Added,
    /// The content differed; stored with the next version.
    Updated { version: u64 },
    /// Same content as stored: nothing written, no feed entry.
    Unchanged,
}

/// An inspection record as the server keeps it: the exact bytes received, the receipt given, and
/// the device signature that the intake verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredInspection {
    /// Canonical JSON exactly as the device sent it.
    pub record: String,
    pub receipt: Receipt,
    /// The device that signed the record; `None` for records stored before the intake checked
    /// signatures.
    #[serde(default)]
    pub device_id: Option<Uuid>,
    /// Standard base64 of the device's Ed25519 signature over `record`; `None` as for `device_id`.
    #[serde(default)]
    pub signature: Option<String>,
}

/// An inspection record that passed every check of the intake, as the store inserts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInspection {
    pub id: Uuid,
    /// SHA-256 of `record`, lower-case hex.
    pub sha256: String,
    /// Canonical JSON exactly as the device sent it.
    pub record: String,
    pub device_id: Uuid,
    /// The record's `device_seq` and `previous_sha256`, kept apart for the chain audit.
    pub device_seq: u64,
    pub previous_sha256: Option<String>,
    /// Standard base64 of the device's Ed25519 signature over `record`.
    pub signature: String,
    /// Goes into the receipt; see [`Receipt::clock_skew_secs`].
    pub clock_skew_secs: Option<i64>,
    pub received_at: OffsetDateTime,
}

impl NewInspection {
    /// The inspection as stored, with its receipt.
    pub(crate) fn stored(&self, receipt: Receipt) -> StoredInspection {
        StoredInspection { record: self.record.clone(), receipt, device_id: Some(self.device_id), signature: Some(self.signature.clone()) }
    }

    /// The record's link in its device's chain, with its receipt.
    pub(crate) fn chain_link(&self, receipt: &Receipt) -> ChainLink {
        ChainLink {
            device_seq: self.device_seq,
            inspection_id: self.id,
            sha256: self.sha256.clone(),
            previous_sha256: self.previous_sha256.clone(),
            receipt_no: receipt.receipt_no.clone(),
            received_at: receipt.received_at,
        }
    }
}

/// One placard issued for an outlet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedPlacard {
    pub serial: u32,
    /// The key that signed its QR code.
    pub key_id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    /// Reason for the revocation, e.g. lost or damaged.
    pub revoke_reason: Option<String>,
}

/// Every placard issued for one outlet, oldest first; the last unrevoked one is current.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacardRecord {
    pub outlet: OutletId,
    pub issued: Vec<IssuedPlacard>,
}

impl PlacardRecord {
    pub fn current(&self) -> Option<&IssuedPlacard> {
        self.issued.iter().rev().find(|placard| placard.revoked_at.is_none())
    }
}

/// Result of inserting an inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertOutcome {
    /// First time this id arrived: stored, new receipt.
    Inserted(Receipt),
    /// Same id and same bytes arrived before: nothing stored, the original receipt.
    Duplicate(Receipt),
    /// Same id with different bytes: nothing stored.
    Conflict { stored_sha256: String },
}

/// Result of storing a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoWrite {
    /// First time these bytes arrived: stored and durable.
    Inserted,
    /// A photo with this SHA-256 was stored before: nothing written.
    AlreadyStored,
}

/// Makes the receipt of `inspection`. Receipt numbers read `RYYYYMMDD-NNNNNN`, with the date of
/// `received_at` (the intake takes it in UTC) and `sequence` from the backend's counter.
pub(crate) fn new_receipt(inspection: &NewInspection, sequence: u64) -> Receipt {
    let now = inspection.received_at;
    Receipt {
        server: SERVER_NAME.to_string(),
        inspection_id: inspection.id,
        sha256: inspection.sha256.clone(),
        receipt_no: format!("R{:04}{:02}{:02}-{sequence:06}", now.year(), now.month() as u8, now.day()),
        received_at: now,
        clock_skew_secs: inspection.clock_skew_secs,
    }
}

/// A stored card's JSON text and its version (the ETag of `GET .../card`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardJson {
    pub version: u64,
    pub json: Vec<u8>,
}

/// Storage the server needs. Implementations must make `insert_inspection` atomic per id.
pub trait ServerStore: Send + Sync + 'static {
    fn card(&self, outlet: &OutletId) -> Result<Option<OutletCard>, StoreError>;

    /// True when reads are served from memory nearly always and take microseconds, so a handler may
    /// run them on its async thread. False (the default) sends every call to the blocking threads.
    fn reads_in_memory(&self) -> bool {
        false
    }

    /// The card of `outlet` as JSON text with its version, for serving it without decoding the whole
    /// card. The text is a serialised [`OutletCard`]; its key order may differ between backends.
    fn card_json(&self, outlet: &OutletId) -> Result<Option<CardJson>, StoreError> {
        Ok(self.card(outlet)?.map(|card| CardJson { version: card.version, json: serde_json::to_vec(&card).expect("cards always serialise") }))
    }

    /// Stores a card as given (the caller sets its version) and puts it at the end of the change
    /// feed. A card whose permit is cancelled or revoked enters the feed as a removal.
    fn put_card(&self, card: &OutletCard) -> Result<(), StoreError>;

    /// Stores a card from the registry unless the stored one has the same content. The version
    /// becomes the stored one's plus one, and the placard serial is kept.
    fn upsert_card(&self, card: &OutletCard) -> Result<CardWrite, StoreError> {
        let Some(stored) = self.card(&card.outlet.id)? else {
            self.put_card(&OutletCard { version: 1, ..card.clone() })?;
            return Ok(CardWrite::Added);
        };

        if stored.same_content(card) {
            return Ok(CardWrite::Unchanged);
        }
        let version = stored.version + 1;
        self.put_card(&OutletCard { version, placard_serial: stored.placard_serial, ..card.clone() })?;
        Ok(CardWrite::Updated { version })
    }

    /// Deletes an outlet's card and records its removal in the feed. Returns false when there was none.
    fn remove_card(&self, outlet: &OutletId) -> Result<bool, StoreError>;

    /// Ids of the stored outlets of one permit.
    fn outlets_of_permit(&self, permit_no: &PermitNo) -> Result<Vec<OutletId>, StoreError>;

    fn cards(&self) -> Result<Vec<OutletCard>, StoreError>;

    /// Reads up to `limit` changes of `region` after cursor `since`. With `count` set it also counts
    /// the region's pending changes, which scans the rest of the feed, so devices ask once per download.
    fn changes(&self, region: &Region, since: u64, limit: usize, count: bool) -> Result<ChangePage, StoreError>;

    /// Makes every write so far durable.
    fn flush(&self) -> Result<(), StoreError>;

    /// Stores `inspection` unless a record with its id exists, and makes it durable before
    /// returning a receipt. The record enters its device's chain in the same write.
    fn insert_inspection(&self, inspection: &NewInspection) -> Result<InsertOutcome, StoreError>;

    fn inspection(&self, id: Uuid) -> Result<Option<StoredInspection>, StoreError>;

    /// The stored records signed by `device_id`, ordered by `device_seq` and then by id.
    fn device_chain(&self, device_id: Uuid) -> Result<Vec<ChainLink>, StoreError>;

    fn inspection_count(&self) -> Result<usize, StoreError>;

    fn placard_record(&self, outlet: &OutletId) -> Result<Option<PlacardRecord>, StoreError>;

    fn put_placard_record(&self, record: &PlacardRecord) -> Result<(), StoreError>;

    fn placard_records(&self) -> Result<Vec<PlacardRecord>, StoreError>;

    // Online monitoring (HJ 212). The provided bodies work on any backend through the card methods
    // above, but they read every card and do not make `update_monitor` atomic. A backend overrides
    // them with an index and a transaction, as `SledStore` and `PgStore` do.

    /// Finds the outlet whose card lists the online monitor `mn` (its HJ 212 device id). Runs for
    /// each packet, so a backend keeps an index that every card write updates. When two cards list
    /// the same MN (the registry forbids it), which one is found is up to the backend.
    fn outlet_of_monitor(&self, mn: &str) -> Result<Option<OutletId>, StoreError> {
        let cards = self.cards()?;
        Ok(cards.into_iter().find(|card| card.monitors.iter().any(|monitor| monitor.mn == mn)).map(|card| card.outlet.id))
    }

    /// Applies `update` to monitor `mn` of `outlet`'s card as one read-change-write (see
    /// [`MonitorUpdate::apply`]), which a backend makes atomic so that concurrent updates and imports
    /// are not lost. A change stores the card with the next version and puts it at the end of the
    /// change feed, as [`ServerStore::put_card`] does; no change writes nothing.
    fn update_monitor(&self, outlet: &OutletId, mn: &str, update: &MonitorUpdate) -> Result<MonitorWrite, StoreError> {
        let Some(mut card) = self.card(outlet)? else {
            return Ok(MonitorWrite::NoMonitor);
        };
        let Some(monitor) = card.monitors.iter_mut().find(|monitor| monitor.mn == mn) else {
            return Ok(MonitorWrite::NoMonitor);
        };
        if !update.apply(monitor) {
            return Ok(MonitorWrite::Unchanged);
        }
        card.version += 1;
        self.put_card(&card)?;
        Ok(MonitorWrite::Updated { version: card.version })
    }

    /// Lists, as (outlet, MN), the monitors that are not offline and have sent nothing since
    /// `cutoff` (or never).
    fn silent_monitors(&self, cutoff: OffsetDateTime) -> Result<Vec<(OutletId, String)>, StoreError> {
        let mut silent = Vec::new();
        for card in self.cards()? {
            for monitor in &card.monitors {
                let quiet = monitor.last_seen.is_none_or(|seen| seen < cutoff);
                if quiet && monitor.status != outlet_core::card::OnlineStatus::Offline {
                    silent.push((card.outlet.id.clone(), monitor.mn.clone()));
                }
            }
        }
        Ok(silent)
    }

    // Accounts, login tokens and device keys. The unique keys are the badge number of an account,
    // the hash of a token, and the badge number with the device id of a device key, so a database
    // can enforce each with a primary key.

    /// Stores a new account unless an account with its badge number exists. Returns false, having
    /// stored nothing, when one does.
    fn insert_account(&self, account: &Account) -> Result<bool, StoreError>;

    /// Replaces the stored account with the same badge number and makes it durable. Returns false,
    /// having stored nothing, when there is none.
    fn update_account(&self, account: &Account) -> Result<bool, StoreError>;

    fn account(&self, badge_no: &str) -> Result<Option<Account>, StoreError>;

    /// Every account, ordered by badge number.
    fn accounts(&self) -> Result<Vec<Account>, StoreError>;

    /// Stores a new login token under its hash and makes it durable.
    fn insert_token(&self, token: &LoginToken) -> Result<(), StoreError>;

    fn token(&self, token_sha256: &str) -> Result<Option<LoginToken>, StoreError>;

    /// Marks a token revoked at `at`, unless it is revoked already, and makes that durable. Returns
    /// false when no token has that hash.
    fn revoke_token(&self, token_sha256: &str, at: OffsetDateTime) -> Result<bool, StoreError>;

    /// Revokes every unrevoked token of an account at `at`, durably. Returns how many it revoked.
    fn revoke_tokens_of(&self, badge_no: &str, at: OffsetDateTime) -> Result<usize, StoreError>;

    /// Stores a device's key unless the account has a key for that device id. Returns the key stored
    /// before, which stays unchanged, or `None` when `key` was stored.
    fn insert_device_key(&self, key: &DeviceKey) -> Result<Option<DeviceKey>, StoreError>;

    /// Reads the key a device registered when its officer logged in on it, to verify what it signed.
    fn device_key(&self, badge_no: &str, device_id: Uuid) -> Result<Option<DeviceKey>, StoreError>;

    // Photos of inspection records, keyed by the SHA-256 of their bytes (32 bytes), so the same photo
    // listed by two records is stored once. Records list their photos inside their JSON.

    /// Stores `bytes` under `sha256` unless a photo with that hash is stored, and makes it durable
    /// before returning. The caller has checked that `sha256` is the SHA-256 of `bytes`.
    fn insert_photo(&self, sha256: &[u8; 32], bytes: &[u8]) -> Result<PhotoWrite, StoreError>;

    /// Returns those of `sha256s` that no stored photo has, in the order given.
    fn missing_photos(&self, sha256s: &[[u8; 32]]) -> Result<Vec<[u8; 32]>, StoreError>;

    fn photo(&self, sha256: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError>;

    fn photo_count(&self) -> Result<usize, StoreError>;
}

