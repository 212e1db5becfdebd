//! [`Kv`] on sled, for native builds.

use std::path::Path;

use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

use crate::{Collection, Kv, KvWrite, StoreError};

/// Memory sled may use for its page cache. sled's default (1 GiB) would let a large offline package
/// take a phone's memory; a scan reads one card, so a small cache costs little.
pub const CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// Attempts, 50 ms apart, to open a folder whose lock is still held by a closing handle.
const LOCK_RETRIES: u32 = 20;

/// sled, one tree a collection. Open it once per process and share it: on Android and iOS sled's
/// file lock is not compiled in, so a second open of the same folder would not fail, it would corrupt.
#[derive(Clone)]
pub struct SledKv {
    db: sled::Db,
}

impl SledKv {
    /// Opens (or creates) the store in `path`, with sled's page cache capped at [`CACHE_BYTES`].
    ///
    /// sled releases its file lock from a background thread after the last handle is dropped, so
    /// an open right after a close in the same process can find the folder still locked. Such an
    /// open is retried for up to a second.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut attempts = 0;
        loop {
            match crate::sled_config(path, CACHE_BYTES).open() {
                Ok(db) => return Ok(Self { db }),
                // sled reports a held lock as an `Other` I/O error with this text.
                Err(sled::Error::Io(error)) if error.to_string().starts_with("could not acquire lock") && attempts < LOCK_RETRIES => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// Opens a sled tree by name, for benchmarks that compare against bare sled reads.
    pub fn raw_tree(&self, name: &str) -> sled::Tree {
        self.db.open_tree(name).expect("sled opens a tree of an open database")
    }

    fn tree(&self, collection: Collection) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree(collection.name())?)
    }
}

impl Kv for SledKv {
    async fn write_batch(&self, writes: Vec<KvWrite>) -> Result<(), StoreError> {
        let mut collections: Vec<Collection> = Vec::new();
        for write in &writes {
            if !collections.contains(&write.collection) {
                collections.push(write.collection);
            }
        }
        let trees = collections.iter().map(|collection| self.tree(*collection)).collect::<Result<Vec<_>, _>>()?;

        let result = trees.as_slice().transaction(|trees| {
            for write in &writes {
                let index = collections.iter().position(|c| *c == write.collection).expect("every written collection was listed");
                match &write.value {
                    Some(value) => trees[index].insert(write.key.as_bytes(), value.as_bytes())?,
                    None => trees[index].remove(write.key.as_bytes())?,
                };
            }
            Ok::<(), ConflictableTransactionError<()>>(())
        });
        match result {
            Ok(()) => Ok(()),
            Err(TransactionError::Storage(error)) => Err(StoreError::Sled(error)),
            Err(TransactionError::Abort(())) => unreachable!("the batch never aborts"),
        }
    }

    async fn flush(&self) -> Result<(), StoreError> {
        self.db.flush_async().await?;
        Ok(())
    }

    async fn count(&self, collection: Collection) -> Result<usize, StoreError> {
        Ok(self.tree(collection)?.len())
    }

    async fn get(&self, collection: Collection, key: &str) -> Result<Option<String>, StoreError> {
        let Some(value) = self.tree(collection)?.get(key)? else {
            return Ok(None);
        };
        String::from_utf8(value.to_vec()).map(Some).map_err(|e| StoreError::Corrupt {
            collection: collection.name(),
            key: key.to_string(),
            reason: e.to_string(),
        })
    }

    async fn put(&self, collection: Collection, key: &str, value: String) -> Result<(), StoreError> {
        self.tree(collection)?.insert(key, value.into_bytes())?;
        if collection.is_durable() {
            self.db.flush_async().await?;
        }
        Ok(())
    }

    async fn delete(&self, collection: Collection, key: &str) -> Result<(), StoreError> {
        self.tree(collection)?.remove(key)?;
        if collection.is_durable() {
            self.db.flush_async().await?;
        }
        Ok(())
    }

    async fn values(&self, collection: Collection) -> Result<Vec<String>, StoreError> {
        let mut values = Vec::new();
        for entry in self.tree(collection)?.iter() {
            let (key, value) = entry?;
            let text = String::from_utf8(value.to_vec()).map_err(|e| StoreError::Corrupt {
                collection: collection.name(),
                key: String::from_utf8_lossy(&key).into_owned(),
                reason: e.to_string(),
            })?;
            values.push(text);
        }
        Ok(values)
    }
}
