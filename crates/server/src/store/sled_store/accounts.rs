//! The sled trees of accounts, login tokens and device keys.

use sled::transaction::ConflictableTransactionError;
use sled::Transactional;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{all_json, decode, get_json};
use crate::accounts::{Account, DeviceKey, LoginToken};
use crate::store::StoreError;

/// Trees: `accounts` (badge number → [`Account`]), `tokens` (token SHA-256 → [`LoginToken`]),
/// `account_tokens` (badge number, 0, token SHA-256 → nothing: the tokens of an account), and
/// `device_keys` (badge number, 0, device id → [`DeviceKey`]).
pub(super) struct SledAccounts {
    db: sled::Db,
    accounts: sled::Tree,
    tokens: sled::Tree,
    account_tokens: sled::Tree,
    device_keys: sled::Tree,
}

/// Key of an account's entry in a tree keyed by badge number and a second part. Badge numbers hold
/// no 0 byte, so one account's keys never run into another's.
fn pair_key(badge_no: &str, second: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(badge_no.len() + 1 + second.len());
    key.extend_from_slice(badge_no.as_bytes());
    key.push(0);
    key.extend_from_slice(second);
    key
}

fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("account records always serialise")
}

impl SledAccounts {
    pub(super) fn open(db: &sled::Db) -> Result<Self, StoreError> {
        Ok(Self {
            accounts: db.open_tree("accounts")?,
            tokens: db.open_tree("tokens")?,
            account_tokens: db.open_tree("account_tokens")?,
            device_keys: db.open_tree("device_keys")?,
            db: db.clone(),
        })
    }

    pub(super) fn insert_account(&self, account: &Account) -> Result<bool, StoreError> {
        let inserted = self.accounts.compare_and_swap(account.badge_no.as_bytes(), None as Option<&[u8]>, Some(json(account)))?.is_ok();
        self.db.flush()?;
        Ok(inserted)
    }

    pub(super) fn update_account(&self, account: &Account) -> Result<bool, StoreError> {
        let key = account.badge_no.as_bytes();
        let value = json(account);
        let updated = self.accounts.transaction(|accounts| {
            if accounts.get(key)?.is_none() {
                return Ok(false);
            }
            accounts.insert(key, value.as_slice())?;
            Ok::<bool, ConflictableTransactionError<StoreError>>(true)
        })?;
        self.db.flush()?;
        Ok(updated)
    }

    pub(super) fn account(&self, badge_no: &str) -> Result<Option<Account>, StoreError> {
        get_json(&self.accounts, badge_no.as_bytes())
    }

    pub(super) fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        all_json(&self.accounts)
    }

    /// Writes the token and its entry in the account's list in one transaction.
    pub(super) fn insert_token(&self, token: &LoginToken) -> Result<(), StoreError> {
        let key = token.token_sha256.as_bytes();
        let value = json(token);
        let index_key = pair_key(&token.badge_no, key);
        (&self.tokens, &self.account_tokens).transaction(|(tokens, account_tokens)| {
            tokens.insert(key, value.as_slice())?;
            account_tokens.insert(index_key.as_slice(), &[] as &[u8])?;
            Ok::<(), ConflictableTransactionError<StoreError>>(())
        })?;
        self.db.flush()?;
        Ok(())
    }

    pub(super) fn token(&self, token_sha256: &str) -> Result<Option<LoginToken>, StoreError> {
        get_json(&self.tokens, token_sha256.as_bytes())
    }

    pub(super) fn revoke_token(&self, token_sha256: &str, at: OffsetDateTime) -> Result<bool, StoreError> {
        let found = self.revoke_unflushed(token_sha256, at)?.is_some();
        self.db.flush()?;
        Ok(found)
    }

    pub(super) fn revoke_tokens_of(&self, badge_no: &str, at: OffsetDateTime) -> Result<usize, StoreError> {
        let prefix = pair_key(badge_no, b"");
        let mut revoked = 0;
        for key in self.account_tokens.scan_prefix(&prefix).keys() {
            let key = key?;
            let token_sha256 = String::from_utf8_lossy(&key[prefix.len()..]).into_owned();
            if self.revoke_unflushed(&token_sha256, at)? == Some(true) {
                revoked += 1;
            }
        }
        self.db.flush()?;
        Ok(revoked)
    }

    /// Sets a token's revocation time unless it has one. Returns `None` when there is no such token,
    /// else whether this call revoked it.
    fn revoke_unflushed(&self, token_sha256: &str, at: OffsetDateTime) -> Result<Option<bool>, StoreError> {
        let key = token_sha256.as_bytes();
        let outcome = self.tokens.transaction(|tokens| {
            let Some(value) = tokens.get(key)? else {
                return Ok(None);
            };
            let mut token: LoginToken = decode(key, &value).map_err(ConflictableTransactionError::Abort)?;
            if token.revoked_at.is_some() {
                return Ok(Some(false));
            }
            token.revoked_at = Some(at);
            tokens.insert(key, json(&token))?;
            Ok::<Option<bool>, ConflictableTransactionError<StoreError>>(Some(true))
        })?;
        Ok(outcome)
    }

    pub(super) fn insert_device_key(&self, key: &DeviceKey) -> Result<Option<DeviceKey>, StoreError> {
        let tree_key = pair_key(&key.badge_no, key.device_id.as_bytes());
        let outcome = self.device_keys.compare_and_swap(&tree_key, None as Option<&[u8]>, Some(json(key)))?;
        self.db.flush()?;
        match outcome {
            Ok(()) => Ok(None),
            Err(existing) => decode(&tree_key, &existing.current.unwrap_or_default()).map(Some),
        }
    }

    pub(super) fn device_key(&self, badge_no: &str, device_id: Uuid) -> Result<Option<DeviceKey>, StoreError> {
        get_json(&self.device_keys, &pair_key(badge_no, device_id.as_bytes()))
    }
}
