//! Typed operations and outbox rules over any [`Kv`].

use outlet_core::placard::KeySet;
use outlet_core::{OutletCard, OutletId};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use time::OffsetDateTime;

use crate::{Collection, Kv, StoreError};

/// Key of the one key set in [`Collection::Keys`].
const KEY_SET: &str = "bureau";

/// A card as cached on the device, with when it was fetched from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedCard {
    pub card: OutletCard,
    #[serde(with = "time::serde::rfc3339")]
    pub fetched_at: OffsetDateTime,
}

/// The app's store. Entries of the outbox cannot be deleted through it: a record leaves the device
/// only by being acknowledged, and stays listed afterwards.
pub struct LocalStore<K: Kv> {
    pub(crate) kv: K,
}

impl<K: Kv> LocalStore<K> {
    pub fn new(kv: K) -> Self {
        Self { kv }
    }

    pub(crate) async fn read<T: DeserializeOwned>(&self, collection: Collection, key: &str) -> Result<Option<T>, StoreError> {
        let Some(text) = self.kv.get(collection, key).await? else {
            return Ok(None);
        };
        serde_json::from_str(&text).map(Some).map_err(|e| StoreError::Corrupt {
            collection: collection.name(),
            key: key.to_string(),
            reason: e.to_string(),
        })
    }

    pub(crate) async fn write<T: Serialize>(&self, collection: Collection, key: &str, value: &T) -> Result<(), StoreError> {
        let text = serde_json::to_string(value).expect("stored types always serialise");
        self.kv.put(collection, key, text).await
    }

    pub async fn cached_card(&self, outlet: &OutletId) -> Result<Option<CachedCard>, StoreError> {
        self.read(Collection::Cards, &outlet.to_string()).await
    }

    pub async fn cache_card(&self, cached: &CachedCard) -> Result<(), StoreError> {
        self.write(Collection::Cards, &cached.card.outlet.id.to_string(), cached).await
    }

    /// Reads the officer's setting stored under `key`, if any.
    pub async fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        self.read(Collection::Settings, key).await
    }

    /// Stores a setting under `key`; it is on disk when this returns.
    pub async fn save_setting<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        self.write(Collection::Settings, key, value).await
    }

    pub async fn key_set(&self) -> Result<Option<KeySet>, StoreError> {
        self.read(Collection::Keys, KEY_SET).await
    }

    pub async fn save_key_set(&self, keys: &KeySet) -> Result<(), StoreError> {
        self.write(Collection::Keys, KEY_SET, keys).await
    }

    /// Reads and decodes every value of a collection, in key order.
    pub(crate) async fn read_all<T: DeserializeOwned>(&self, collection: Collection) -> Result<Vec<T>, StoreError> {
        let mut values = Vec::new();
        for text in self.kv.values(collection).await? {
            let value = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt { collection: collection.name(), key: "?".into(), reason: e.to_string() })?;
            values.push(value);
        }
        Ok(values)
    }

}

#[cfg(all(test, feature = "native"))]
mod tests {
    use super::*;
    use crate::SledKv;
    use futures::executor::block_on;

    #[test]
    fn corrupt_entry_is_reported_with_key() {
        let dir = tempfile::tempdir().unwrap();
        block_on(async {
            let kv = SledKv::open(dir.path()).unwrap();
            kv.put(Collection::Cards, "91350100M000100Y43001P-DA001", "{not json".into()).await.unwrap();
            let store = LocalStore::new(kv);
            let error = store.cached_card(&"91350100M000100Y43001P-DA001".parse().unwrap()).await.unwrap_err();
            assert!(error.to_string().contains("91350100M000100Y43001P-DA001"), "{error}");
        });
    }
}
