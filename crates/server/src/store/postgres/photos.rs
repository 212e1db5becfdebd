//! Inspection photos. The primary key on the SHA-256 stores each photo once, even when two server
//! instances receive it at the same time.

use deadpool_postgres::GenericClient;

use super::{execute, query, query_one, query_opt};
use crate::store::{PhotoWrite, StoreError};

/// Inserts the photo unless its hash is stored. The statement commits on its own, so the photo is
/// durable before this returns.
pub(super) async fn insert(client: &impl GenericClient, sha256: &[u8; 32], bytes: &[u8]) -> Result<PhotoWrite, StoreError> {
    let inserted = execute(client, "INSERT INTO photos (sha256, bytes) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING", &[&sha256.as_slice(), &bytes]).await?;
    Ok(if inserted == 1 { PhotoWrite::Inserted } else { PhotoWrite::AlreadyStored })
}

pub(super) async fn missing(client: &impl GenericClient, sha256s: &[[u8; 32]]) -> Result<Vec<[u8; 32]>, StoreError> {
    let requested: Vec<&[u8]> = sha256s.iter().map(|sha256| sha256.as_slice()).collect();
    let rows = query(client, "SELECT sha256 FROM photos WHERE sha256 = ANY($1)", &[&requested]).await?;
    let stored: Vec<Vec<u8>> = rows.iter().map(|row| row.get(0)).collect();
    Ok(sha256s.iter().filter(|sha256| !stored.iter().any(|held| held.as_slice() == sha256.as_slice())).copied().collect())
}

pub(super) async fn photo(client: &impl GenericClient, sha256: &[u8; 32]) -> Result<Option<Vec<u8>>, StoreError> {
    let row = query_opt(client, "SELECT bytes FROM photos WHERE sha256 = $1", &[&sha256.as_slice()]).await?;
    Ok(row.map(|row| row.get(0)))
}

pub(super) async fn count(client: &impl GenericClient) -> Result<usize, StoreError> {
    let count: i64 = query_one(client, "SELECT count(*) FROM photos", &[]).await?.get(0);
    Ok(count as usize)
}
