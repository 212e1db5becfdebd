//! [`Kv`] on IndexedDB, for the web build.

use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

use crate::{Collection, Kv, KvWrite, StoreError};

const DATABASE_NAME: &str = "outlet-inspector";
/// 2 added the `removed` and `packages` stores, 3 the `settings` store; opening an older database
/// adds them.
const DATABASE_VERSION: u32 = 4;

/// IndexedDB, one object store a collection, values kept as JSON strings under out-of-line keys.
pub struct IdbKv {
    db: Rexie,
}

fn idb_error(error: rexie::Error) -> StoreError {
    StoreError::IndexedDb(error.to_string())
}

impl IdbKv {
    pub async fn open() -> Result<Self, StoreError> {
        let mut builder = Rexie::builder(DATABASE_NAME).version(DATABASE_VERSION);
        for collection in Collection::ALL {
            builder = builder.add_object_store(ObjectStore::new(collection.name()));
        }
        Ok(Self { db: builder.build().await.map_err(idb_error)? })
    }
}

fn as_text(collection: Collection, key: &str, value: JsValue) -> Result<String, StoreError> {
    value.as_string().ok_or_else(|| StoreError::Corrupt {
        collection: collection.name(),
        key: key.to_string(),
        reason: "the value is not a string".into(),
    })
}

impl Kv for IdbKv {
    /// Writes the batch in one read-write transaction over every collection it touches, because
    /// IndexedDB commits a transaction whole or not at all.
    async fn write_batch(&self, writes: Vec<KvWrite>) -> Result<(), StoreError> {
        let mut names: Vec<&str> = writes.iter().map(|write| write.collection.name()).collect();
        names.sort_unstable();
        names.dedup();
        if names.is_empty() {
            return Ok(());
        }

        let transaction = self.db.transaction(&names, TransactionMode::ReadWrite).map_err(idb_error)?;
        for write in &writes {
            let store = transaction.store(write.collection.name()).map_err(idb_error)?;
            let key = JsValue::from_str(&write.key);
            match &write.value {
                Some(value) => {
                    store.put(&JsValue::from_str(value), Some(&key)).await.map_err(idb_error)?;
                }
                None => store.delete(key).await.map_err(idb_error)?,
            }
        }
        transaction.done().await.map_err(idb_error)?;
        Ok(())
    }

    /// Does nothing, because IndexedDB commits each transaction durably before it reports done.
    async fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }

    async fn count(&self, collection: Collection) -> Result<usize, StoreError> {
        let transaction = self.db.transaction(&[collection.name()], TransactionMode::ReadOnly).map_err(idb_error)?;
        let store = transaction.store(collection.name()).map_err(idb_error)?;
        let count = store.count(None).await.map_err(idb_error)?;
        Ok(count as usize)
    }

    async fn get(&self, collection: Collection, key: &str) -> Result<Option<String>, StoreError> {
        let transaction = self.db.transaction(&[collection.name()], TransactionMode::ReadOnly).map_err(idb_error)?;
        let store = transaction.store(collection.name()).map_err(idb_error)?;
        let value = store.get(JsValue::from_str(key)).await.map_err(idb_error)?;
        match value {
            Some(value) if !value.is_undefined() => as_text(collection, key, value).map(Some),
            _ => Ok(None),
        }
    }

    /// IndexedDB commits a read-write transaction durably before `done` resolves.
    async fn put(&self, collection: Collection, key: &str, value: String) -> Result<(), StoreError> {
        let transaction = self.db.transaction(&[collection.name()], TransactionMode::ReadWrite).map_err(idb_error)?;
        let store = transaction.store(collection.name()).map_err(idb_error)?;
        store.put(&JsValue::from_str(&value), Some(&JsValue::from_str(key))).await.map_err(idb_error)?;
        transaction.done().await.map_err(idb_error)?;
        Ok(())
    }

    async fn delete(&self, collection: Collection, key: &str) -> Result<(), StoreError> {
        let transaction = self.db.transaction(&[collection.name()], TransactionMode::ReadWrite).map_err(idb_error)?;
        let store = transaction.store(collection.name()).map_err(idb_error)?;
        store.delete(JsValue::from_str(key)).await.map_err(idb_error)?;
        transaction.done().await.map_err(idb_error)?;
        Ok(())
    }

    async fn values(&self, collection: Collection) -> Result<Vec<String>, StoreError> {
        let transaction = self.db.transaction(&[collection.name()], TransactionMode::ReadOnly).map_err(idb_error)?;
        let store = transaction.store(collection.name()).map_err(idb_error)?;
        let values = store.get_all(None, None).await.map_err(idb_error)?;
        values.into_iter().map(|value| as_text(collection, "*", value)).collect()
    }
}
