//! The embedded sled store: one folder, no service to run.

mod accounts;
mod inspections;
mod photos;

use std::path::Path;

use outlet_core::api::{ChainLink, Change, ChangePage, RemovalReason};
use outlet_core::card::{OnlineStatus, PermitStatus};
use outlet_core::{OutletCard, OutletId, PermitNo, Region};
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use sled::Transactional;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{CardJson, InsertOutcome, MonitorUpdate, MonitorWrite, NewInspection, PhotoWrite, PlacardRecord, ServerStore, StoreError, StoredInspection};
use crate::accounts::{Account, DeviceKey, LoginToken};

/// Memory for sled's page cache on the server: sled's own default, 1 GiB.
const SERVER_CACHE_BYTES: u64 = 1024 * 1024 * 1024;

/// Key in the `meta` tree of the last feed cursor handed out.
const FEED_CURSOR: &[u8] = b"feed_cursor";

/// Key in the `meta` tree set once the `monitors` index contains every stored card's monitors. Data
/// folders written before the index existed get it built when they are opened.
const MONITOR_INDEX_BUILT: &[u8] = b"monitor_index_v1";

/// The parts of a stored card that online monitoring looks up, decoded without the rest.
#[derive(Deserialize)]
struct CardMonitors {
    outlet: CardOutlet,
    monitors: Vec<MonitorState>,
}

#[derive(Deserialize)]
struct CardOutlet {
    id: OutletId,
}

#[derive(Deserialize)]
struct MonitorState {
    mn: String,
    status: OnlineStatus,
    #[serde(with = "time::serde::rfc3339::option")]
    last_seen: Option<OffsetDateTime>,
}

/// A change feed entry as stored: the card itself is read from the `cards` tree.
#[derive(Debug, Serialize, Deserialize)]
struct FeedEntry {
    outlet: OutletId,
    /// The unit's 6-digit division code, to filter by jurisdiction without reading the card.
    region: String,
    removed: Option<RemovalReason>,
}

/// The embedded sled store: one folder, no service to run.
///
/// Trees: `cards` (outlet id → card), `feed` (cursor, big-endian → [`FeedEntry`]), `feed_position`
/// (outlet id → its cursor, so a newer change drops the older entry), `monitors` (HJ 212 MN → outlet
/// id, kept in the same transaction as the cards), `meta`, `placards`, the inspection trees of
/// [`inspections::SledInspections`], the account trees of [`accounts::SledAccounts`] and the `photos`
/// tree of [`photos::SledPhotos`].
pub struct SledStore {
    db: sled::Db,
    cards: sled::Tree,
    monitors: sled::Tree,
    feed: sled::Tree,
    feed_position: sled::Tree,
    meta: sled::Tree,
    inspections: inspections::SledInspections,
    placards: sled::Tree,
    accounts: accounts::SledAccounts,
    photos: photos::SledPhotos,
}

impl SledStore {
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let db = outlet_store::sled_config(path, SERVER_CACHE_BYTES).open().map_err(|source| StoreError::Open { path: path.display().to_string(), source })?;
        let store = Self {
            cards: db.open_tree("cards")?,
            monitors: db.open_tree("monitors")?,
            feed: db.open_tree("feed")?,
            feed_position: db.open_tree("feed_position")?,
            meta: db.open_tree("meta")?,
            inspections: inspections::SledInspections::open(&db)?,
            placards: db.open_tree("placards")?,
            accounts: accounts::SledAccounts::open(&db)?,
            photos: photos::SledPhotos::open(&db)?,
            db,
        };
        store.build_monitor_index()?;
        Ok(store)
    }

    /// Fills the `monitors` index from the stored cards, once per data folder.
    fn build_monitor_index(&self) -> Result<(), StoreError> {
        if self.meta.contains_key(MONITOR_INDEX_BUILT)? {
            return Ok(());
        }

        for entry in self.cards.iter() {
            let (key, value) = entry?;
            let card: CardMonitors = decode(&key, &value)?;
            for monitor in card.monitors {
                self.monitors.insert(monitor.mn.as_bytes(), card.outlet.id.to_string().as_bytes())?;
            }
        }
        self.meta.insert(MONITOR_INDEX_BUILT, &[1u8])?;
        self.db.flush()?;
        Ok(())
    }

    /// Writes (or, with `card` `None`, deletes) an outlet's card, points the MNs of its monitors
    /// (`mns`, empty for a removal) at it in the `monitors` index, and moves the outlet to the end of
    /// the feed, in one transaction. The cursor counter is part of that transaction, so cursors follow
    /// commit order and a device that read up to a cursor has every change committed before it.
    fn write_with_feed(&self, outlet: &OutletId, region: &str, card: Option<Vec<u8>>, mns: &[String], removed: Option<RemovalReason>) -> Result<(), StoreError> {
        let key = outlet.to_string();
        let entry = serde_json::to_vec(&FeedEntry { outlet: outlet.clone(), region: region.to_string(), removed }).expect("feed entries always serialise");

        (&self.cards, &self.feed, &self.feed_position, &self.meta, &self.monitors).transaction(
            |(cards, feed, feed_position, meta, monitors): &(TransactionalTree, TransactionalTree, TransactionalTree, TransactionalTree, TransactionalTree)| {
                append_to_feed(feed, feed_position, meta, &key, &entry)?;

                if let Some(old) = cards.get(key.as_bytes())? {
                    let old: CardMonitors = decode(key.as_bytes(), &old).map_err(ConflictableTransactionError::Abort)?;
                    for monitor in old.monitors {
                        if monitors.get(monitor.mn.as_bytes())?.is_some_and(|indexed| indexed == key.as_bytes()) {
                            monitors.remove(monitor.mn.as_bytes())?;
                        }
                    }
                }
                for mn in mns {
                    monitors.insert(mn.as_bytes(), key.as_bytes())?;
                }

                match &card {
                    Some(value) => cards.insert(key.as_bytes(), value.as_slice())?,
                    None => cards.remove(key.as_bytes())?,
                };
                Ok::<(), ConflictableTransactionError<StoreError>>(())
            },
        )?;
        Ok(())
    }

    /// Reads a feed entry's change: the card for an update, nothing more for a removal.
    fn change(&self, cursor: u64, entry: FeedEntry) -> Result<Change, StoreError> {
        let card = match entry.removed {
            Some(_) => None,
            None => Some(get_json(&self.cards, entry.outlet.to_string().as_bytes())?.ok_or_else(|| StoreError::Corrupt {
                key: entry.outlet.to_string(),
                reason: format!("feed entry {cursor} names a card that is not stored"),
            })?),
        };
        Ok(Change { cursor, outlet: entry.outlet, removed: entry.removed, card })
    }
}

/// Takes the next feed cursor and moves outlet `key` to it, dropping the outlet's older entry.
fn append_to_feed(
    feed: &TransactionalTree,
    feed_position: &TransactionalTree,
    meta: &TransactionalTree,
    key: &str,
    entry: &[u8],
) -> Result<(), ConflictableTransactionError<StoreError>> {
    let cursor = meta.get(FEED_CURSOR)?.map_or(0, |bytes| be_u64(&bytes)) + 1;
    meta.insert(FEED_CURSOR, &cursor.to_be_bytes())?;

    if let Some(old) = feed_position.insert(key.as_bytes(), &cursor.to_be_bytes())? {
        feed.remove(old)?;
    }
    feed.insert(&cursor.to_be_bytes(), entry)?;
    Ok(())
}

/// How a card enters the feed: as a removal when its permit is withdrawn.
fn removal_of(card: &OutletCard) -> Option<RemovalReason> {
    match card.permit.status {
        PermitStatus::Cancelled => Some(RemovalReason::PermitCancelled),
        PermitStatus::Revoked => Some(RemovalReason::PermitRevoked),
        PermitStatus::Valid | PermitStatus::Changed | PermitStatus::Renewed => None,
    }
}

fn be_u64(bytes: &[u8]) -> u64 {
    let mut array = [0u8; 8];
    array.copy_from_slice(&bytes[..8]);
    u64::from_be_bytes(array)
}

fn decode<T: for<'de> Deserialize<'de>>(key: &[u8], value: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(value).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into_owned(),
        reason: e.to_string(),
    })
}

/// Reads and decodes the JSON value under `key`.
fn get_json<T: for<'de> Deserialize<'de>>(tree: &sled::Tree, key: &[u8]) -> Result<Option<T>, StoreError> {
    match tree.get(key)? {
        Some(value) => decode(key, &value).map(Some),
        None => Ok(None),
    }
}

/// Reads and decodes every JSON value of `tree`, in key order.
fn all_json<T: for<'de> Deserialize<'de>>(tree: &sled::Tree) -> Result<Vec<T>, StoreError> {
    let mut values = Vec::new();
    for entry in tree.iter() {
        let (key, value) = entry?;
        values.push(decode(&key, &value)?);
    }
    Ok(values)
}

impl ServerStore for SledStore {
    fn card(&self, outlet: &OutletId) -> Result<Option<OutletCard>, StoreError> {
        get_json(&self.cards, outlet.to_string().as_bytes())
    }

    /// sled keeps recently read pages in its page cache (64 MiB); a miss reads one page from disk.
    fn reads_in_memory(&self) -> bool {
        true
    }

    fn card_json(&self, outlet: &OutletId) -> Result<Option<CardJson>, StoreError> {
        /// The one field read from a stored card; serde skips the others without building them.
        #[derive(serde::Deserialize)]
        struct Version {
            version: u64,
        }

        let key = outlet.to_string();
        let Some(json) = self.cards.get(key.as_bytes())? else {
            return Ok(None);
        };
        let Version { version } = decode(key.as_bytes(), &json)?;
        Ok(Some(CardJson { version, json: json.to_vec() }))
    }

    fn put_card(&self, card: &OutletCard) -> Result<(), StoreError> {
        let value = serde_json::to_vec(card).expect("cards always serialise");
        let mns: Vec<String> = card.monitors.iter().map(|monitor| monitor.mn.clone()).collect();
        self.write_with_feed(&card.outlet.id, card.unit.uscc.region_code(), Some(value), &mns, removal_of(card))
    }

    fn remove_card(&self, outlet: &OutletId) -> Result<bool, StoreError> {
        let Some(card) = self.card(outlet)? else {
            return Ok(false);
        };
        self.write_with_feed(outlet, card.unit.uscc.region_code(), None, &[], Some(RemovalReason::OutletRemoved))?;
        Ok(true)
    }

    fn outlets_of_permit(&self, permit_no: &PermitNo) -> Result<Vec<OutletId>, StoreError> {
        let prefix = format!("{permit_no}-");
        let mut outlets = Vec::new();
        for key in self.cards.scan_prefix(prefix.as_bytes()).keys() {
            let key = key?;
            let text = String::from_utf8_lossy(&key);
            outlets.push(text.parse().map_err(|e: outlet_core::ids::IdError| StoreError::Corrupt { key: text.to_string(), reason: e.to_string() })?);
        }
        Ok(outlets)
    }

    fn cards(&self) -> Result<Vec<OutletCard>, StoreError> {
        all_json(&self.cards)
    }

    fn changes(&self, region: &Region, since: u64, limit: usize, count: bool) -> Result<ChangePage, StoreError> {
        let prefix = region.prefix();
        let mut changes = Vec::new();
        let mut next_cursor = since;
        let mut complete = true;
        let mut pending = count.then_some(0u64);

        let Some(first) = since.checked_add(1) else {
            return Ok(ChangePage { changes, next_cursor, complete, pending });
        };
        for entry in self.feed.range(first.to_be_bytes()..) {
            let (key, value) = entry?;
            let cursor = be_u64(&key);
            let entry: FeedEntry = decode(&key, &value)?;
            if !entry.region.starts_with(prefix) {
                if changes.len() < limit {
                    next_cursor = cursor;
                }
                continue;
            }

            if changes.len() < limit {
                changes.push(self.change(cursor, entry)?);
                next_cursor = cursor;
            } else {
                complete = false;
                if pending.is_none() {
                    break;
                }
            }
            if let Some(pending) = &mut pending {
                *pending += 1;
            }
        }
        Ok(ChangePage { changes, next_cursor, complete, pending })
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    fn insert_inspection(&self, inspection: &NewInspection) -> Result<InsertOutcome, StoreError> {
        self.inspections.insert(inspection)
    }

    fn inspection(&self, id: Uuid) -> Result<Option<StoredInspection>, StoreError> {
        self.inspections.inspection(id)
    }

    fn inspection_count(&self) -> Result<usize, StoreError> {
        Ok(self.inspections.count())
    }

    fn device_chain(&self, device_id: Uuid) -> Result<Vec<ChainLink>, StoreError> {
        self.inspections.device_chain(device_id)
    }

    fn placard_record(&self, outlet: &OutletId) -> Result<Option<PlacardRecord>, StoreError> {
        get_json(&self.placards, outlet.to_string().as_bytes())
    }

    fn put_placard_record(&self, record: &PlacardRecord) -> Result<(), StoreError> {
        let value = serde_json::to_vec(record).expect("placard records always serialise");
        self.placards.insert(record.outlet.to_string().as_bytes(), value)?;
        self.db.flush()?;
        Ok(())
    }

    fn placard_records(&self) -> Result<Vec<PlacardRecord>, StoreError> {
        all_json(&self.placards)
    }

    fn outlet_of_monitor(&self, mn: &str) -> Result<Option<OutletId>, StoreError> {
        let Some(value) = self.monitors.get(mn.as_bytes())? else {
            return Ok(None);
        };
        let text = String::from_utf8_lossy(&value);
        let outlet = text.parse().map_err(|e: outlet_core::ids::IdError| StoreError::Corrupt { key: mn.to_string(), reason: e.to_string() })?;
        Ok(Some(outlet))
    }

    fn update_monitor(&self, outlet: &OutletId, mn: &str, update: &MonitorUpdate) -> Result<MonitorWrite, StoreError> {
        let key = outlet.to_string();

        let write = (&self.cards, &self.feed, &self.feed_position, &self.meta).transaction(
            |(cards, feed, feed_position, meta): &(TransactionalTree, TransactionalTree, TransactionalTree, TransactionalTree)| {
                let Some(value) = cards.get(key.as_bytes())? else {
                    return Ok(MonitorWrite::NoMonitor);
                };
                let mut card: OutletCard = decode(key.as_bytes(), &value).map_err(ConflictableTransactionError::Abort)?;
                let Some(monitor) = card.monitors.iter_mut().find(|monitor| monitor.mn == mn) else {
                    return Ok(MonitorWrite::NoMonitor);
                };
                if !update.apply(monitor) {
                    return Ok(MonitorWrite::Unchanged);
                }

                card.version += 1;
                let entry = FeedEntry { outlet: outlet.clone(), region: card.unit.uscc.region_code().to_string(), removed: removal_of(&card) };
                let entry = serde_json::to_vec(&entry).expect("feed entries always serialise");
                append_to_feed(feed, feed_position, meta, &key, &entry)?;
                cards.insert(key.as_bytes(), serde_json::to_vec(&card).expect("cards always serialise"))?;
                Ok::<MonitorWrite, ConflictableTransactionError<StoreError>>(MonitorWrite::Updated { version: card.version })
            },
        )?;
        Ok(write)
    }

    fn silent_monitors(&self, cutoff: OffsetDateTime) -> Result<Vec<(OutletId, String)>, StoreError> {
        let mut silent = Vec::new();
        for entry in self.cards.iter() {
            let (key, value) = entry?;
            let card: CardMonitors = decode(&key, &value)?;
            for monitor in card.monitors {
                let quiet = monitor.last_seen.is_none_or(|seen| seen < cutoff);
                if quiet && monitor.status != OnlineStatus::Offline {
                    silent.push((card.outlet.id.clone(), monitor.mn));
                }
            }
        }
        Ok(silent)
    }

    fn insert_account(&self, account: &Account) -> Result<bool, StoreError> {
        self.accounts.insert_account(account)
    }

    fn update_account(&self, account: &Account) -> Result<bool, StoreError> {
        self.accounts.update_account(account)
    }

    fn account(&self, badge_no: &str) -> Result<Option<Account>, StoreError> {
        self.accounts.account(badge_no)
    }

    fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        self.accounts.accounts()
    }

    fn insert_token(&self, token: &LoginToken) -> Result<(), StoreError> {
        self.accounts.insert_token(token)
    }

    fn token(&self, token_sha256: &str) -> Result<Option<LoginToken>, StoreError> {
        self.accounts.token(token_sha256)
    }

    fn revoke_token(&self, token_sha256: &str, at: OffsetDateTime) -> Result<bool, StoreError> {
        self.accounts.revoke_token(token_sha256, at)
    }

    fn revoke_tokens_of(&self, badge_no: &str, at: OffsetDateTime) -> Result<usize, StoreError> {
        self.accounts.revoke_tokens_of(badge_no, at)
    }

    fn insert_device_key(&self, key: &DeviceKey) -> Result<Option<DeviceKey>, StoreError> {
        self.accounts.insert_device_key(key)
    }

    fn device_key(&self, badge_no: &str, device_id: Uuid) -> Result<Option<DeviceKey>, StoreError> {
        self.accounts.device_key(badge_no, device_id)
    }

    fn insert_photo(&self, sha256: &[u8; 32], bytes: &[u8]) -> Result<PhotoWrite, StoreError> {
        self.photos.insert_photo(sha256, bytes)
    }

    fn missing_photos(&self, sha256s: &[[u8; 32]]) -> Result<Vec<[u8; 32]>, StoreError> {
        self.photos.missing_photos(sha256s)
    }

    fn photo(&self, sha256: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
        self.photos.photo(sha256)
    }

    fn photo_count(&self) -> Result<usize, StoreError> {
        self.photos.photo_count()
    }
}
