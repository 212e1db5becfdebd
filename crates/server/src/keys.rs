//! The bureau's placard signing keys, kept in the data folder under `keys/`.
//!
//! `keys/index.json` lists every key with its id and whether it is retired; `keys/<id>.bin` contains a
//! key's 32-byte Ed25519 secret, readable by the owner only. One key is active and signs new
//! placards. After a rotation, placards signed with an older key keep verifying until that key is
//! retired; retiring a key marks its placards for reprinting.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use outlet_core::placard::{KeySet, PlacardSigner};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("the key file {path} could not be read or written: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("the key file {path} must hold exactly 32 bytes, found {len}; restore it from backup")]
    Length { path: PathBuf, len: usize },

    #[error("the key index {path} is not valid: {reason}; restore it from backup")]
    Index { path: PathBuf, reason: String },

    #[error("no random source is available to make a signing key: {0}")]
    Random(String),

    #[error("key {0} does not exist; `outlet keys list` shows the keys")]
    UnknownKey(String),

    #[error("key {0} is the active key; rotate first (`outlet keys rotate`), then retire it")]
    RetireActive(String),
}

/// One key's entry in the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEntry {
    pub id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub retired_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct KeyIndex {
    active: String,
    keys: Vec<KeyEntry>,
}

/// The signing keys of a data folder.
pub struct Keyring {
    dir: PathBuf,
    index: KeyIndex,
}

impl Keyring {
    /// Opens the keyring in `data_dir`, creating it with one active key on first use.
    pub fn open(data_dir: &Path) -> Result<Self, KeyFileError> {
        let dir = data_dir.join("keys");
        let index_path = dir.join("index.json");
        if !index_path.exists() {
            let mut keyring = Self { dir, index: KeyIndex::default() };
            keyring.rotate()?;
            return Ok(keyring);
        }

        let text = fs::read_to_string(&index_path).map_err(|source| KeyFileError::Io { path: index_path.clone(), source })?;
        let index: KeyIndex =
            serde_json::from_str(&text).map_err(|e| KeyFileError::Index { path: index_path.clone(), reason: e.to_string() })?;
        if !index.keys.iter().any(|k| k.id == index.active) {
            return Err(KeyFileError::Index { path: index_path, reason: format!("the active key {} is not listed", index.active) });
        }
        Ok(Self { dir, index })
    }

    /// Opens the keyring only if `data_dir` has one.
    pub fn open_existing(data_dir: &Path) -> Result<Option<Self>, KeyFileError> {
        if !data_dir.join("keys/index.json").exists() {
            return Ok(None);
        }
        Self::open(data_dir).map(Some)
    }

    pub fn entries(&self) -> &[KeyEntry] {
        &self.index.keys
    }

    pub fn active_id(&self) -> &str {
        &self.index.active
    }

    /// Loads the key that signs new placards.
    pub fn active_signer(&self) -> Result<PlacardSigner, KeyFileError> {
        self.signer(&self.index.active)
    }

    /// Loads the signer of key `id`, retired or not. A retired key signs nothing new, but its
    /// placards are still listed by it.
    pub fn signer(&self, id: &str) -> Result<PlacardSigner, KeyFileError> {
        if !self.index.keys.iter().any(|k| k.id == id) {
            return Err(KeyFileError::UnknownKey(id.to_string()));
        }
        let path = self.dir.join(format!("{id}.bin"));
        let bytes = fs::read(&path).map_err(|source| KeyFileError::Io { path: path.clone(), source })?;
        let secret: [u8; 32] = bytes.as_slice().try_into().map_err(|_| KeyFileError::Length { path, len: bytes.len() })?;
        Ok(PlacardSigner::from_secret(id, secret))
    }

    pub fn is_retired(&self, id: &str) -> bool {
        self.index.keys.iter().any(|k| k.id == id && k.retired_at.is_some())
    }

    /// The public keys devices verify placards with: every key not retired, and the ids of the
    /// retired ones so a device can report why a placard no longer verifies.
    pub fn key_set(&self) -> Result<KeySet, KeyFileError> {
        let mut keys = KeySet::default();
        for entry in &self.index.keys {
            if entry.retired_at.is_some() {
                keys.retired.insert(entry.id.clone());
            } else {
                keys.keys.insert(entry.id.clone(), self.signer(&entry.id)?.public_key_base32());
            }
        }
        Ok(keys)
    }

    /// Creates a new key and makes it the active one. Returns its id.
    pub fn rotate(&mut self) -> Result<String, KeyFileError> {
        let id = format!("K{}", self.index.keys.len() + 1);
        let mut secret = [0u8; 32];
        getrandom::getrandom(&mut secret).map_err(|e| KeyFileError::Random(e.to_string()))?;

        fs::create_dir_all(&self.dir).map_err(|source| KeyFileError::Io { path: self.dir.clone(), source })?;
        let path = self.dir.join(format!("{id}.bin"));
        write_private(&path, &secret).map_err(|source| KeyFileError::Io { path: path.clone(), source })?;

        self.index.keys.push(KeyEntry { id: id.clone(), created_at: OffsetDateTime::now_utc(), retired_at: None });
        self.index.active = id.clone();
        self.save_index()?;
        tracing::info!(key_id = %id, "created a new placard signing key; it signs new placards from now on");
        Ok(id)
    }

    /// Retires key `id`: devices stop accepting placards signed with it.
    pub fn retire(&mut self, id: &str) -> Result<(), KeyFileError> {
        if id == self.index.active {
            return Err(KeyFileError::RetireActive(id.to_string()));
        }
        let entry = self.index.keys.iter_mut().find(|k| k.id == id).ok_or_else(|| KeyFileError::UnknownKey(id.to_string()))?;
        if entry.retired_at.is_none() {
            entry.retired_at = Some(OffsetDateTime::now_utc());
        }
        self.save_index()?;
        tracing::info!(key_id = %id, "placard signing key retired");
        Ok(())
    }

    /// Writes the index to a temporary file and renames it over the old one, so a crash leaves
    /// either index whole.
    fn save_index(&self) -> Result<(), KeyFileError> {
        let path = self.dir.join("index.json");
        let temporary = self.dir.join("index.json.tmp");
        let text = serde_json::to_string_pretty(&self.index).expect("the key index always serialises");
        let io = |source| KeyFileError::Io { path: path.clone(), source };
        fs::write(&temporary, text).map_err(io)?;
        fs::rename(&temporary, &path).map_err(io)
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_keyring_has_one_active_key() {
        let dir = tempfile::tempdir().unwrap();
        let keyring = Keyring::open(dir.path()).unwrap();
        assert_eq!(keyring.active_id(), "K1");
        assert_eq!(keyring.key_set().unwrap().keys.len(), 1);
    }

    #[test]
    fn rotation_keeps_old_key_valid_until_retired() {
        let dir = tempfile::tempdir().unwrap();
        let mut keyring = Keyring::open(dir.path()).unwrap();
        let old = keyring.active_signer().unwrap();

        assert_eq!(keyring.rotate().unwrap(), "K2");
        let reopened = Keyring::open(dir.path()).unwrap();
        assert_eq!(reopened.active_id(), "K2");
        assert!(reopened.key_set().unwrap().keys.contains_key("K1"));
        assert_eq!(reopened.signer("K1").unwrap().public_key_base32(), old.public_key_base32());

        keyring.retire("K1").unwrap();
        let key_set = Keyring::open(dir.path()).unwrap().key_set().unwrap();
        assert!(!key_set.keys.contains_key("K1"));
        assert!(key_set.retired.contains("K1"));
    }

    #[test]
    fn active_key_cannot_be_retired() {
        let dir = tempfile::tempdir().unwrap();
        let mut keyring = Keyring::open(dir.path()).unwrap();
        assert!(matches!(keyring.retire("K1"), Err(KeyFileError::RetireActive(_))));
        assert!(matches!(keyring.retire("K9"), Err(KeyFileError::UnknownKey(_))));
    }

    #[cfg(unix)]
    #[test]
    fn secret_files_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        Keyring::open(dir.path()).unwrap();
        let mode = fs::metadata(dir.path().join("keys/K1.bin")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
