//! A jurisdiction's offline package: the cards of every outlet in a region, kept current from the
//! server's change feed. The cursor is saved in the same batch as the cards it covers, so a download
//! cut at any point resumes where the last saved page ended, neither skipping nor repeating a page.

use outlet_core::api::{ChangePage, RemovalReason};
use outlet_core::{OutletCard, OutletId, Region};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::{Collection, Kv, KvWrite, LocalStore, StoreError};

/// State of a region's package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageState {
    pub region: Region,
    /// The feed cursor up to which every change is stored.
    pub cursor: u64,
    /// True once the feed was read to its end at least once: the package is usable offline.
    pub complete: bool,
    /// When the last page was stored.
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Cards cached on the device when the last download ended, so start-up need not count them
    /// (counting walks the whole sled cache).
    #[serde(default)]
    pub cached_cards: Option<usize>,
}

/// An outlet that left a package, kept so an offline scan can show why its card is gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedOutlet {
    pub outlet: OutletId,
    pub reason: RemovalReason,
    #[serde(with = "time::serde::rfc3339")]
    pub removed_at: OffsetDateTime,
}

impl<K: Kv> LocalStore<K> {
    pub async fn package(&self, region: &Region) -> Result<Option<PackageState>, StoreError> {
        self.read(Collection::Packages, region.as_str()).await
    }

    /// Lists every package on the device.
    pub async fn packages(&self) -> Result<Vec<PackageState>, StoreError> {
        self.read_all(Collection::Packages).await
    }

    /// Stores one page of the feed and the new cursor in one batch, and returns the new state. Each
    /// card is checked to be a valid card of the outlet its change names, then stored as received
    /// (no second serialisation). A page with an invalid card stores nothing.
    pub async fn apply_changes(&self, region: &Region, page: ChangePage<Box<RawValue>>, now: OffsetDateTime) -> Result<PackageState, StoreError> {
        let fetched_at = now.format(&Rfc3339).map_err(|e| StoreError::Corrupt { collection: Collection::Cards.name(), key: String::new(), reason: e.to_string() })?;
        let mut writes = Vec::with_capacity(page.changes.len() + 1);
        for change in page.changes {
            let key = change.outlet.to_string();
            let invalid = |reason: String| StoreError::Corrupt { collection: Collection::Cards.name(), key: key.clone(), reason };
            match (change.removed, change.card) {
                (None, Some(card)) => {
                    let parsed: OutletCard = serde_json::from_str(card.get()).map_err(|e| invalid(format!("change {} has an invalid card: {e}", change.cursor)))?;
                    if parsed.outlet.id != change.outlet {
                        return Err(invalid(format!("change {} carries the card of {}", change.cursor, parsed.outlet.id)));
                    }
                    // The same JSON as serialising a `CachedCard`, built around the received text.
                    let cached = format!(r#"{{"card":{},"fetched_at":"{fetched_at}"}}"#, card.get());
                    writes.push(KvWrite { collection: Collection::Cards, key: key.clone(), value: Some(cached) });
                    // A returning outlet is rare: checking first keeps the batch to one write per card.
                    if self.kv.get(Collection::Removed, &key).await?.is_some() {
                        writes.push(KvWrite { collection: Collection::Removed, key, value: None });
                    }
                }
                (Some(reason), _) => {
                    let removed = RemovedOutlet { outlet: change.outlet, reason, removed_at: now };
                    writes.push(KvWrite { collection: Collection::Cards, key: key.clone(), value: None });
                    writes.push(KvWrite { collection: Collection::Removed, key, value: Some(json(&removed)) });
                }
                (None, None) => return Err(invalid(format!("change {} has neither a card nor a removal", change.cursor))),
            }
        }

        let previous = self.package(region).await?;
        let complete = page.complete || previous.as_ref().is_some_and(|state| state.complete);
        let cached_cards = previous.and_then(|state| state.cached_cards);
        let state = PackageState { region: region.clone(), cursor: page.next_cursor, complete, updated_at: now, cached_cards };
        writes.push(KvWrite { collection: Collection::Packages, key: region.to_string(), value: Some(json(&state)) });
        self.kv.write_batch(writes).await?;
        Ok(state)
    }

    /// Records the number of cards cached on the device once a download of `region` ended.
    pub async fn record_cached_cards(&self, region: &Region, count: usize) -> Result<(), StoreError> {
        let Some(mut state) = self.package(region).await? else { return Ok(()) };
        state.cached_cards = Some(count);
        self.kv.put(Collection::Packages, region.as_str(), json(&state)).await
    }

    /// Returns why an outlet left its package, if it did.
    pub async fn removed_outlet(&self, outlet: &OutletId) -> Result<Option<RemovedOutlet>, StoreError> {
        self.read(Collection::Removed, &outlet.to_string()).await
    }

    /// Writes the pages stored so far to disk; called when a download ends, so a package shown as
    /// complete survives a crash.
    pub async fn flush_package(&self) -> Result<(), StoreError> {
        self.kv.flush().await
    }

    /// Number of cards cached on the device.
    pub async fn cached_card_count(&self) -> Result<usize, StoreError> {
        self.kv.count(Collection::Cards).await
    }
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("stored types always serialise")
}

#[cfg(all(test, feature = "native"))]
mod tests {
    use super::*;
    use crate::SledKv;
    use futures::executor::block_on;
    use outlet_core::api::Change;
    use time::macros::datetime;

    fn region() -> Region {
        Region::parse("350100").unwrap()
    }

    fn outlet(code: &str) -> OutletId {
        format!("91350100M000100Y43001P-{code}").parse().unwrap()
    }

    #[test]
    fn removal_deletes_card_moves_cursor() {
        let dir = tempfile::tempdir().unwrap();
        let now = datetime!(2026-12-04 09:00 UTC);

        block_on(async {
            let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
            let removal: ChangePage<Box<RawValue>> = ChangePage {
                changes: vec![Change { cursor: 7, outlet: outlet("DA001"), removed: Some(RemovalReason::PermitRevoked), card: None }],
                next_cursor: 9,
                complete: true,
                pending: None,
            };
            store.kv.put(Collection::Cards, &outlet("DA001").to_string(), "{}".into()).await.unwrap();

            let state = store.apply_changes(&region(), removal, now).await.unwrap();

            assert_eq!(state.cursor, 9);
            assert!(state.complete);
            assert_eq!(store.kv.get(Collection::Cards, &outlet("DA001").to_string()).await.unwrap(), None);
            let removed = store.removed_outlet(&outlet("DA001")).await.unwrap().unwrap();
            assert_eq!(removed.reason, RemovalReason::PermitRevoked);
            assert_eq!(store.package(&region()).await.unwrap(), Some(state));
        });
    }

    #[test]
    fn change_without_card_or_removal_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();

        block_on(async {
            let store = LocalStore::new(SledKv::open(dir.path()).unwrap());
            let broken: ChangePage<Box<RawValue>> = ChangePage {
                changes: vec![Change { cursor: 3, outlet: outlet("DW001"), removed: None, card: None }],
                next_cursor: 3,
                complete: true,
                pending: None,
            };

            let error = store.apply_changes(&region(), broken, datetime!(2026-12-04 09:00 UTC)).await.unwrap_err();

            assert!(error.to_string().contains("DW001"), "{error}");
            assert_eq!(store.package(&region()).await.unwrap(), None);
        });
    }
}

#[cfg(all(test, feature = "native"))]
mod raw_card_tests {
    use super::*;
    use crate::SledKv;
    use futures::executor::block_on;
    use outlet_core::api::Change;
    use time::macros::datetime;

    fn page_with(outlet: &str, card: &str) -> ChangePage<Box<RawValue>> {
        ChangePage {
            changes: vec![Change { cursor: 1, outlet: outlet.parse().unwrap(), removed: None, card: Some(RawValue::from_string(card.into()).unwrap()) }],
            next_cursor: 1,
            complete: true,
            pending: None,
        }
    }

    #[test]
    fn invalid_card_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let region = Region::parse("350100").unwrap();

        block_on(async {
            let store = LocalStore::new(SledKv::open(dir.path()).unwrap());

            let error = store.apply_changes(&region, page_with("91350100M000100Y43001P-DA001", r#"{"version":1}"#), datetime!(2026-12-04 09:00 UTC)).await.unwrap_err();

            assert!(error.to_string().contains("91350100M000100Y43001P-DA001"), "{error}");
            assert!(error.to_string().contains("invalid card"), "{error}");
            assert_eq!(store.package(&region).await.unwrap(), None);
            assert_eq!(store.cached_card_count().await.unwrap(), 0);
        });
    }
}
