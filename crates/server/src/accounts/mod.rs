//! Accounts of officers and bureau administrators, their login tokens and their devices' keys.
//!
//! An account is keyed by its badge number and carries a jurisdiction ([`Region`]) and a [`Role`].
//! Passwords are stored as Argon2id hashes in PHC string format. A login gives the device a random
//! bearer token; the server stores only the token's SHA-256, with the device, the expiry and a
//! revocation time. Disabling an account or resetting its password revokes its tokens. Tokens created
//! before the latest of those changes are rejected as well, so a revocation interrupted by a crash
//! cannot leave an old token working.

mod auth;
mod clock;
pub mod demo;
mod login;
mod manage;
mod password;
mod token;

pub use auth::Caller;
pub use clock::Clock;
pub use login::{authenticate, log_in, log_out};
pub use manage::{create_account, generate_password, reset_password, set_disabled, NewAccount};
pub use password::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};

use outlet_core::api::{AccountInfo, Role};
use outlet_core::Region;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::store::StoreError;

/// Lifetime of a login token unless the server sets another: a week, so an officer can work offline
/// for a week after logging in.
pub const DEFAULT_TOKEN_TTL: time::Duration = time::Duration::days(7);

/// Maximum length of a badge number, in characters.
pub const MAX_BADGE_CHARS: usize = 32;

/// Maximum length of an account name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// An officer's or administrator's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The enforcement certificate number, upper case; unique.
    pub badge_no: String,
    pub name: String,
    /// The jurisdiction: the account reaches the outlets of units whose USCC lies in this region.
    pub region: Region,
    pub role: Role,
    /// Argon2id hash of the password in PHC string format.
    pub password_hash: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When the account was disabled; `None` while it is enabled.
    #[serde(with = "time::serde::rfc3339::option")]
    pub disabled_at: Option<OffsetDateTime>,
    /// Tokens created before this instant are rejected: the last password reset or disabling.
    #[serde(with = "time::serde::rfc3339")]
    pub tokens_valid_from: OffsetDateTime,
}

impl Account {
    /// Returns the account as devices see it, without its password hash.
    pub fn info(&self) -> AccountInfo {
        AccountInfo { name: self.name.clone(), badge_no: self.badge_no.clone(), region: self.region.clone(), role: self.role }
    }
}

/// A login token as the server stores it: its hash, never the token.
// TODO: expired and revoked tokens are never deleted, so the store grows by one record per login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginToken {
    /// SHA-256 of the token's text, lower-case hex; unique.
    pub token_sha256: String,
    pub badge_no: String,
    /// The device that logged in.
    pub device_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// When a logout, a password reset or disabling the account revoked the token.
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

/// The public key a device registered at login; it verifies the inspection records the device signs.
/// The badge number and device id together are unique.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceKey {
    pub badge_no: String,
    pub device_id: Uuid,
    /// The 32-byte Ed25519 public key, standard base64.
    pub public_key: String,
    pub label: String,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
}

/// An account command that failed, with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0:?} is not a valid badge number: use 1 to {MAX_BADGE_CHARS} letters, digits or '-'")]
    InvalidBadgeNo(String),

    #[error("the name {0:?} is not valid: give 1 to {MAX_NAME_CHARS} characters")]
    InvalidName(String),

    #[error("{0}")]
    InvalidRegion(outlet_core::ids::IdError),

    #[error("an account with badge number {0} exists already: choose another badge number, or run `outlet accounts reset-password {0}` for a new password")]
    DuplicateBadgeNo(String),

    #[error("no account has badge number {0}: `outlet accounts list` shows the accounts")]
    UnknownBadgeNo(String),

    #[error("the password has {chars} characters: use {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS}")]
    PasswordLength { chars: usize },

    #[error("no random source is available: {0}")]
    Random(String),

    #[error("the password could not be hashed: {0}")]
    Hash(String),

    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Trims a badge number and turns it to upper case, so `t0001` and `T0001 ` name one account.
/// Rejects empty, long and non-alphanumeric numbers.
pub fn normalize_badge_no(text: &str) -> Result<String, AccountError> {
    let badge_no = text.trim().to_ascii_uppercase();
    let valid = !badge_no.is_empty()
        && badge_no.chars().count() <= MAX_BADGE_CHARS
        && badge_no.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid {
        return Err(AccountError::InvalidBadgeNo(text.to_string()));
    }
    Ok(badge_no)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_numbers_normalized() {
        assert_eq!(normalize_badge_no(" t0001 ").unwrap(), "T0001");
        assert_eq!(normalize_badge_no("35-0001").unwrap(), "35-0001");
    }

    #[test]
    fn badge_numbers_rejected() {
        for bad in ["", "  ", "35 0001", "执法01", &"9".repeat(MAX_BADGE_CHARS + 1)] {
            assert!(matches!(normalize_badge_no(bad), Err(AccountError::InvalidBadgeNo(_))), "{bad:?}");
        }
    }
}
