//! The bureau's placard signing key, kept in the data folder.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use outlet_core::placard::{KeySet, PlacardSigner};

/// Id of the first signing key.
// TODO: key rotation (several ids, retiring old ones) is not built yet; every placard uses this id.
pub const KEY_ID: &str = "K1";

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("the signing key file {path} could not be read or written: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("the signing key file {path} must hold exactly 32 bytes, found {len}; restore it from backup or remove it to make a new key (existing placards then stop verifying)")]
    Length { path: PathBuf, len: usize },

    #[error("no random source is available to make a signing key: {0}")]
    Random(String),
}

fn key_path(data_dir: &Path) -> PathBuf {
    data_dir.join("placard-signing-key.bin")
}

/// Loads the signing key from `data_dir`, or `None` where the folder has none.
pub fn load_signer(data_dir: &Path) -> Result<Option<PlacardSigner>, KeyFileError> {
    if !key_path(data_dir).exists() {
        return Ok(None);
    }
    load_or_create_signer(data_dir).map(Some)
}

/// Loads the signing key from `data_dir`, creating one (readable by the owner only) on first use.
pub fn load_or_create_signer(data_dir: &Path) -> Result<PlacardSigner, KeyFileError> {
    let path = key_path(data_dir);
    let io = |source| KeyFileError::Io { path: path.clone(), source };

    if path.exists() {
        let bytes = fs::read(&path).map_err(io)?;
        let secret: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| KeyFileError::Length { path: path.clone(), len: bytes.len() })?;
        return Ok(PlacardSigner::from_secret(KEY_ID, secret));
    }

    let mut secret = [0u8; 32];
    getrandom::getrandom(&mut secret).map_err(|e| KeyFileError::Random(e.to_string()))?;
    fs::create_dir_all(data_dir).map_err(io)?;
    write_private(&path, &secret).map_err(io)?;
    tracing::info!(path = %path.display(), key_id = KEY_ID, "created a new placard signing key");
    Ok(PlacardSigner::from_secret(KEY_ID, secret))
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

/// The public keys a device needs to verify placards.
pub fn key_set(signer: &PlacardSigner) -> KeySet {
    let mut keys = KeySet::default();
    keys.keys.insert(signer.key_id.clone(), signer.public_key_base32());
    keys
}
