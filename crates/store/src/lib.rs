//! The app's local store: cached outlet cards, the bureau's placard keys, the inspection draft and
//! the outbox of finalized inspections.
//!
//! Storage engines implement the small [`Kv`] trait (JSON text under string keys, in named
//! collections): [`SledKv`] on Android, iOS and desktop, [`IdbKv`] (IndexedDB) in the browser, where
//! sled does not load. [`LocalStore`] adds the typed operations and the outbox rules on top.

#[cfg(all(feature = "web", target_arch = "wasm32"))]
mod indexed_db;
mod inspections;
mod local;
mod package;
#[cfg(feature = "native")]
mod sled_config;
#[cfg(feature = "native")]
mod sled_kv;

#[cfg(all(feature = "web", target_arch = "wasm32"))]
pub use indexed_db::IdbKv;
pub use inspections::{ChainHead, OutboxEntry, OutboxState, PhotoSync};
pub use local::{CachedCard, LocalStore};
pub use package::{PackageState, RemovedOutlet};
#[cfg(feature = "native")]
pub use sled_config::{sled_config, SEGMENT_BYTES};
#[cfg(feature = "native")]
pub use sled_kv::SledKv;

/// A named set of entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Cards,
    Keys,
    Drafts,
    Outbox,
    /// Outlets that left an offline package, with the reason.
    Removed,
    /// Offline package state per region.
    Packages,
    /// The officer's settings on this device.
    Settings,
    /// Photos of drafts and records, by SHA-256.
    Photos,
}

impl Collection {
    pub const ALL: [Collection; 8] = [Self::Cards, Self::Keys, Self::Drafts, Self::Outbox, Self::Removed, Self::Packages, Self::Settings, Self::Photos];

    pub fn name(self) -> &'static str {
        match self {
            Self::Cards => "cards",
            Self::Keys => "keys",
            Self::Drafts => "drafts",
            Self::Outbox => "outbox",
            Self::Removed => "removed",
            Self::Packages => "packages",
            Self::Settings => "settings",
            Self::Photos => "photos",
        }
    }

    /// Collections whose writes must be on disk before the call returns: what an officer recorded.
    pub fn is_durable(self) -> bool {
        matches!(self, Self::Drafts | Self::Outbox | Self::Settings | Self::Photos)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[cfg(feature = "native")]
    #[error("the local database failed: {0}")]
    Sled(#[from] sled::Error),

    #[error("the browser database (IndexedDB) failed: {0}")]
    IndexedDb(String),

    #[error("entry {key:?} in {collection} is corrupt: {reason}")]
    Corrupt { collection: &'static str, key: String, reason: String },

    #[error("record {id} is not yet acknowledged with all its photos, so it cannot be deleted")]
    NotDeletable { id: uuid::Uuid },
}

impl StoreError {
    /// True when the device's storage is full, so the officer must free space before saving again.
    pub fn is_disk_full(&self) -> bool {
        match self {
            #[cfg(feature = "native")]
            StoreError::Sled(sled::Error::Io(error)) => io_error_is_full(error),
            StoreError::IndexedDb(reason) => reason.contains("QuotaExceeded"),
            _ => false,
        }
    }
}

/// Out of space (ENOSPC), over quota (EDQUOT) or over the file size limit (EFBIG).
#[cfg(feature = "native")]
fn io_error_is_full(error: &std::io::Error) -> bool {
    use std::io::ErrorKind;

    matches!(error.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge)
}

/// One write of a batch: `value` `None` deletes the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KvWrite {
    pub collection: Collection,
    pub key: String,
    pub value: Option<String>,
}

/// JSON text under string keys in named collections. Writes to a durable collection are on disk
/// when `put` returns.
#[allow(async_fn_in_trait)]
pub trait Kv {
    /// Applies every write or none, across collections, so after a crash the batch is there whole or
    /// not at all. Not flushed: a crash may lose the batch whole, never in part.
    async fn write_batch(&self, writes: Vec<KvWrite>) -> Result<(), StoreError>;

    /// Writes every earlier write to disk.
    async fn flush(&self) -> Result<(), StoreError>;

    /// Number of entries in the collection.
    async fn count(&self, collection: Collection) -> Result<usize, StoreError>;

    async fn get(&self, collection: Collection, key: &str) -> Result<Option<String>, StoreError>;

    async fn put(&self, collection: Collection, key: &str, value: String) -> Result<(), StoreError>;

    async fn delete(&self, collection: Collection, key: &str) -> Result<(), StoreError>;

    /// Lists every value in the collection, in key order.
    async fn values(&self, collection: Collection) -> Result<Vec<String>, StoreError>;
}
