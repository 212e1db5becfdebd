//! Login, logout and the check of a request's bearer token.

use data_encoding::BASE64;
use outlet_core::api::{LoginRequest, Session};
use outlet_core::i18n::Msg;
use time::OffsetDateTime;

use super::{normalize_badge_no, password, token, Account, DeviceKey, LoginToken, MAX_PASSWORD_CHARS};
use crate::error::{Detail, Failure};
use crate::store::ServerStore;

/// Maximum length of a device label, in characters.
const MAX_LABEL_CHARS: usize = 100;

/// Checks the badge number and password, registers the device's public key and issues a token valid
/// for `ttl`. Returns the session for the device; the store keeps only the token's hash.
///
/// An unknown badge number and a wrong password give the same [`Failure::InvalidCredentials`], after
/// the same Argon2 work. A disabled account is reported only to a caller who knows its password.
/// Blocks for the Argon2 check (19 MiB of memory, two passes), so call it off the async runtime.
// TODO: failed logins are logged but not rate-limited, so only Argon2's cost per guess slows down
// password guessing.
pub fn log_in(store: &dyn ServerStore, request: &LoginRequest, ttl: time::Duration, now: OffsetDateTime) -> Result<Session, Failure> {
    if request.password.chars().count() > MAX_PASSWORD_CHARS {
        return Err(Failure::InvalidLogin(Detail::new(Msg::DetailPasswordTooLong, &[&MAX_PASSWORD_CHARS])));
    }
    let public_key = device_public_key(&request.device.public_key)?;
    let label = request.device.label.trim();
    if label.chars().count() > MAX_LABEL_CHARS {
        return Err(Failure::InvalidLogin(Detail::new(Msg::DetailLabelTooLong, &[&MAX_LABEL_CHARS])));
    }

    let account = match normalize_badge_no(&request.badge_no).ok().map(|badge_no| store.account(&badge_no)).transpose()? {
        Some(Some(account)) => account,
        _ => {
            password::verify_against_dummy(&request.password);
            tracing::warn!(badge_no = %request.badge_no, "login rejected: unknown badge number");
            return Err(Failure::InvalidCredentials { badge_no: request.badge_no.clone() });
        }
    };
    if !password::verify(&request.password, &account.password_hash) {
        tracing::warn!(badge_no = %account.badge_no, "login rejected: wrong password");
        return Err(Failure::InvalidCredentials { badge_no: account.badge_no });
    }
    if account.disabled_at.is_some() {
        return Err(Failure::AccountDisabled(account.badge_no));
    }

    register_device(store, &account, &request.device.device_id, public_key, label, now)?;

    let token_text = token::generate().map_err(|e| Failure::Internal(e.to_string()))?;
    let token = LoginToken {
        token_sha256: token::sha256_hex(&token_text),
        badge_no: account.badge_no.clone(),
        device_id: request.device.device_id,
        created_at: now,
        expires_at: now + ttl,
        revoked_at: None,
    };
    store.insert_token(&token)?;
    tracing::info!(badge_no = %account.badge_no, device_id = %token.device_id, expires_at = %token.expires_at, "logged in");
    Ok(Session { token: token_text, expires_at: token.expires_at, account: account.info() })
}

/// Revokes `token`, so later requests that carry it get 401.
pub fn log_out(store: &dyn ServerStore, token: &LoginToken, now: OffsetDateTime) -> Result<(), Failure> {
    store.revoke_token(&token.token_sha256, now)?;
    tracing::info!(badge_no = %token.badge_no, device_id = %token.device_id, "logged out");
    Ok(())
}

/// Checks the value of a request's `Authorization` header and returns the account and token it
/// carries. Each way a token can fail is its own [`Failure`] (all 401).
pub fn authenticate(store: &dyn ServerStore, authorization: Option<&str>, now: OffsetDateTime) -> Result<(Account, LoginToken), Failure> {
    let Some(value) = authorization else {
        return Err(Failure::TokenMissing);
    };
    let token_text = match value.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ => return Err(Failure::TokenInvalid),
    };
    if !token::well_formed(token_text) {
        return Err(Failure::TokenInvalid);
    }

    let Some(token) = store.token(&token::sha256_hex(token_text))? else {
        return Err(Failure::TokenInvalid);
    };
    let Some(account) = store.account(&token.badge_no)? else {
        return Err(Failure::TokenInvalid);
    };
    if account.disabled_at.is_some() {
        return Err(Failure::AccountDisabled(account.badge_no));
    }
    if token.revoked_at.is_some() || token.created_at < account.tokens_valid_from {
        return Err(Failure::TokenRevoked { badge_no: account.badge_no });
    }
    if token.expires_at <= now {
        return Err(Failure::TokenExpired { badge_no: account.badge_no, expired_at: token.expires_at });
    }
    Ok((account, token))
}

/// Decodes a device's public key: standard base64 of a valid 32-byte Ed25519 point.
fn device_public_key(text: &str) -> Result<[u8; 32], Failure> {
    let invalid = || Failure::InvalidLogin(Detail::new(Msg::DetailDeviceKey, &[&text]));
    let bytes: [u8; 32] = BASE64.decode(text.trim().as_bytes()).ok().and_then(|bytes| bytes.try_into().ok()).ok_or_else(invalid)?;
    ed25519_dalek::VerifyingKey::from_bytes(&bytes).map_err(|_| invalid())?;
    Ok(bytes)
}

/// Stores the device's key for the account. A device id registered before keeps its first key: the
/// same key logs in again, another key is rejected, so records signed earlier keep verifying.
fn register_device(store: &dyn ServerStore, account: &Account, device_id: &uuid::Uuid, public_key: [u8; 32], label: &str, now: OffsetDateTime) -> Result<(), Failure> {
    let key = DeviceKey {
        badge_no: account.badge_no.clone(),
        device_id: *device_id,
        public_key: BASE64.encode(&public_key),
        label: label.to_string(),
        registered_at: now,
    };
    match store.insert_device_key(&key)? {
        None => {
            tracing::info!(badge_no = %key.badge_no, device_id = %key.device_id, label = %key.label, "device key registered");
            Ok(())
        }
        Some(stored) if stored.public_key == key.public_key => Ok(()),
        Some(_) => {
            tracing::warn!(badge_no = %key.badge_no, device_id = %key.device_id, "login rejected: the device id is registered with another key");
            Err(Failure::DeviceKeyConflict { badge_no: key.badge_no, device_id: key.device_id.to_string() })
        }
    }
}
