//! Creating, disabling, enabling accounts and resetting their passwords, as `outlet accounts` and
//! the demo do it.

use outlet_core::api::Role;
use outlet_core::Region;
use time::OffsetDateTime;

use super::{normalize_badge_no, password, Account, AccountError, MAX_NAME_CHARS};
use crate::store::ServerStore;

/// The values an administrator gives for a new account, as typed.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub badge_no: String,
    pub name: String,
    /// 6-digit administrative division code.
    pub region: String,
    pub role: Role,
}

/// Generates a random initial password: 16 letters and digits without look-alikes.
pub fn generate_password() -> Result<String, AccountError> {
    password::generate()
}

/// Creates an account with `password`. Rejects an invalid badge number, name, region or password, and a
/// badge number already in use (the store's unique key decides, so two concurrent creations cannot
/// both succeed).
pub fn create_account(store: &dyn ServerStore, new: &NewAccount, password: &str, now: OffsetDateTime) -> Result<Account, AccountError> {
    let badge_no = normalize_badge_no(&new.badge_no)?;
    let name = new.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(AccountError::InvalidName(new.name.clone()));
    }
    let region = Region::parse(&new.region).map_err(AccountError::InvalidRegion)?;
    password::check_length(password)?;

    let account = Account {
        badge_no: badge_no.clone(),
        name: name.to_string(),
        region,
        role: new.role,
        password_hash: password::hash(password)?,
        created_at: now,
        disabled_at: None,
        tokens_valid_from: now,
    };
    if !store.insert_account(&account)? {
        return Err(AccountError::DuplicateBadgeNo(badge_no));
    }
    tracing::info!(badge_no = %account.badge_no, region = %account.region, role = %account.role, "account created");
    Ok(account)
}

/// Disables (`disabled` true) or enables an account. Disabling revokes every token of the account,
/// so each of its devices must log in again once it is enabled.
pub fn set_disabled(store: &dyn ServerStore, badge_no: &str, disabled: bool, now: OffsetDateTime) -> Result<Account, AccountError> {
    let mut account = stored_account(store, badge_no)?;

    if disabled {
        account.disabled_at = Some(now);
        account.tokens_valid_from = now;
    } else {
        account.disabled_at = None;
    }
    save(store, &account)?;

    if disabled {
        let revoked = store.revoke_tokens_of(&account.badge_no, now)?;
        tracing::info!(badge_no = %account.badge_no, revoked, "account disabled");
    } else {
        tracing::info!(badge_no = %account.badge_no, "account enabled");
    }
    Ok(account)
}

/// Gives an account a new password and revokes all its tokens.
pub fn reset_password(store: &dyn ServerStore, badge_no: &str, password: &str, now: OffsetDateTime) -> Result<Account, AccountError> {
    password::check_length(password)?;
    let mut account = stored_account(store, badge_no)?;

    account.password_hash = password::hash(password)?;
    account.tokens_valid_from = now;
    save(store, &account)?;

    let revoked = store.revoke_tokens_of(&account.badge_no, now)?;
    tracing::info!(badge_no = %account.badge_no, revoked, "password reset");
    Ok(account)
}

/// Reads the account with the (normalized) badge number, or returns [`AccountError::UnknownBadgeNo`].
fn stored_account(store: &dyn ServerStore, badge_no: &str) -> Result<Account, AccountError> {
    let badge_no = normalize_badge_no(badge_no)?;
    store.account(&badge_no)?.ok_or(AccountError::UnknownBadgeNo(badge_no))
}

fn save(store: &dyn ServerStore, account: &Account) -> Result<(), AccountError> {
    if !store.update_account(account)? {
        return Err(AccountError::UnknownBadgeNo(account.badge_no.clone()));
    }
    Ok(())
}
