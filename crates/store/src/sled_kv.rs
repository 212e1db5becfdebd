//! [`Kv`] on sled, for native builds.

use std::path::Path;

use crate::{Collection, Kv, StoreError};

/// sled, one tree a collection. Open it once per process and share it: on Android and iOS sled's
/// file lock is not compiled in, so a second open of the same folder would not fail, it would corrupt.
#[derive(Clone)]
pub struct SledKv {
    db: sled::Db,
}

impl SledKv {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self { db: sled::open(path)? })
    }

    fn tree(&self, collection: Collection) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree(collection.name())?)
    }
}

impl Kv for SledKv {
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
