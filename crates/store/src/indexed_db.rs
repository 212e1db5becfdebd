//! [`Kv`] on IndexedDB, for the web build.

use rexie::{ObjectStore, Rexie, TransactionMode};
use wasm_bindgen::JsValue;

use crate::{Collection, Kv, StoreError};

const DATABASE_NAME: &str = "outlet-inspector";
const DATABASE_VERSION: u32 = 1;

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
