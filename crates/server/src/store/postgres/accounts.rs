//! Officer accounts, login tokens and device keys. The primary keys enforce what the trait requires
//! to be unique: badge numbers, token hashes, and (badge number, device id).

use deadpool_postgres::GenericClient;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{decode, execute, query, query_opt, PgStore};
use crate::accounts::{Account, DeviceKey, LoginToken};
use crate::store::StoreError;

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("account records always serialise")
}

pub(super) async fn insert_account(client: &impl GenericClient, account: &Account) -> Result<bool, StoreError> {
    let inserted = execute(
        client,
        "INSERT INTO accounts (badge_no, account) VALUES ($1, $2::text::jsonb) ON CONFLICT (badge_no) DO NOTHING",
        &[&account.badge_no, &json(account)],
    )
    .await?;
    Ok(inserted == 1)
}

pub(super) async fn update_account(client: &impl GenericClient, account: &Account) -> Result<bool, StoreError> {
    let updated = execute(client, "UPDATE accounts SET account = $2::text::jsonb WHERE badge_no = $1", &[&account.badge_no, &json(account)]).await?;
    Ok(updated == 1)
}

pub(super) async fn account(client: &impl GenericClient, badge_no: &str) -> Result<Option<Account>, StoreError> {
    match query_opt(client, "SELECT account::text FROM accounts WHERE badge_no = $1", &[&badge_no]).await? {
        Some(row) => decode(badge_no, row.get(0)).map(Some),
        None => Ok(None),
    }
}

/// Every account, in badge number order.
pub(super) async fn accounts(client: &impl GenericClient) -> Result<Vec<Account>, StoreError> {
    let rows = query(client, "SELECT badge_no, account::text FROM accounts ORDER BY badge_no", &[]).await?;
    rows.iter().map(|row| decode(row.get(0), row.get(1))).collect()
}

/// Stores a token, replacing one with the same hash as the sled store does.
pub(super) async fn insert_token(client: &impl GenericClient, token: &LoginToken) -> Result<(), StoreError> {
    execute(
        client,
        "INSERT INTO tokens (token_sha256, badge_no, token) VALUES ($1, $2, $3::text::jsonb)
            ON CONFLICT (token_sha256) DO UPDATE SET badge_no = EXCLUDED.badge_no, token = EXCLUDED.token",
        &[&token.token_sha256, &token.badge_no, &json(token)],
    )
    .await?;
    Ok(())
}

pub(super) async fn token(client: &impl GenericClient, token_sha256: &str) -> Result<Option<LoginToken>, StoreError> {
    match query_opt(client, "SELECT token::text FROM tokens WHERE token_sha256 = $1", &[&token_sha256]).await? {
        Some(row) => decode(token_sha256, row.get(0)).map(Some),
        None => Ok(None),
    }
}

/// Revokes one token in a transaction that locks its row. Returns false when there is no such token.
pub(super) async fn revoke_token(store: &PgStore, token_sha256: &str, at: OffsetDateTime) -> Result<bool, StoreError> {
    let mut client = store.client().await?;
    let transaction = client.transaction().await?;

    let Some(row) = query_opt(&transaction, "SELECT token::text FROM tokens WHERE token_sha256 = $1 FOR UPDATE", &[&token_sha256]).await? else {
        transaction.rollback().await?;
        return Ok(false);
    };
    let mut token: LoginToken = decode(token_sha256, row.get(0))?;
    if token.revoked_at.is_none() {
        token.revoked_at = Some(at);
        execute(&transaction, "UPDATE tokens SET token = $2::text::jsonb WHERE token_sha256 = $1", &[&token_sha256, &json(&token)]).await?;
    }

    transaction.commit().await?;
    Ok(true)
}

/// Revokes every unrevoked token of an account in one transaction. Returns how many it revoked.
pub(super) async fn revoke_tokens_of(store: &PgStore, badge_no: &str, at: OffsetDateTime) -> Result<usize, StoreError> {
    let mut client = store.client().await?;
    let transaction = client.transaction().await?;

    let rows = query(&transaction, "SELECT token_sha256, token::text FROM tokens WHERE badge_no = $1 ORDER BY token_sha256 FOR UPDATE", &[&badge_no]).await?;
    let mut revoked = 0;
    for row in rows {
        let token_sha256: &str = row.get(0);
        let mut token: LoginToken = decode(token_sha256, row.get(1))?;
        if token.revoked_at.is_some() {
            continue;
        }
        token.revoked_at = Some(at);
        execute(&transaction, "UPDATE tokens SET token = $2::text::jsonb WHERE token_sha256 = $1", &[&token_sha256, &json(&token)]).await?;
        revoked += 1;
    }

    transaction.commit().await?;
    Ok(revoked)
}

/// Stores a device key unless the account has one for that device. Returns the stored key then.
pub(super) async fn insert_device_key(client: &impl GenericClient, key: &DeviceKey) -> Result<Option<DeviceKey>, StoreError> {
    let inserted = execute(
        client,
        "INSERT INTO device_keys (badge_no, device_id, key) VALUES ($1, $2, $3::text::jsonb) ON CONFLICT (badge_no, device_id) DO NOTHING",
        &[&key.badge_no, &key.device_id, &json(key)],
    )
    .await?;
    if inserted == 1 {
        return Ok(None);
    }
    // Device keys are never deleted, so the key that blocked the insert is still there.
    device_key(client, &key.badge_no, key.device_id).await
}

pub(super) async fn device_key(client: &impl GenericClient, badge_no: &str, device_id: Uuid) -> Result<Option<DeviceKey>, StoreError> {
    match query_opt(client, "SELECT key::text FROM device_keys WHERE badge_no = $1 AND device_id = $2", &[&badge_no, &device_id]).await? {
        Some(row) => decode(&format!("{badge_no}/{device_id}"), row.get(0)).map(Some),
        None => Ok(None),
    }
}
