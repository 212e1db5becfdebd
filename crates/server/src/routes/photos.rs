//! Photos of inspection records, uploaded apart from the record and stored once per content under
//! their SHA-256.
//!
//! - `GET /api/v1/inspections/{id}/photos/missing`: the photos the stored record lists that the
//!   server does not store yet, so an interrupted upload resumes with the rest.
//! - `PUT /api/v1/inspections/{id}/photos/{sha256}`: one photo's raw JPEG or PNG bytes. The server
//!   hashes what it received and stores it only when that hash is the URL's and the record lists it.
//!
//! The body is read as a stream and dropped once it passes [`MAX_PHOTO_BYTES`], and a
//! `Content-Length` above the limit is rejected before any of the body is read.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use data_encoding::HEXLOWER;
use futures::StreamExt;
use outlet_core::api::{MissingPhotos, PhotoReceipt, Role, SERVER_NAME};
use outlet_core::i18n::Msg;
use outlet_core::inspection::{is_sha256_hex, InspectionRecord, MAX_PHOTO_BYTES};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::accounts::Caller;
use crate::error::{Detail, Failure};
use crate::store::{PhotoWrite, StoreError};
use crate::AppState;

/// Leading bytes of a JPEG file (SOI marker and the first marker's 0xFF).
const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];

/// The 8-byte signature every PNG file starts with.
const PNG_MAGIC: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// Lists the photos of a stored record that the server lacks, for officers and administrators whose
/// jurisdiction contains every outlet of the record.
pub async fn missing(State(state): State<AppState>, caller: Caller, Path(inspection_id): Path<String>) -> Result<Json<MissingPhotos>, Failure> {
    let id = parse_inspection_id(&inspection_id)?;
    let record = stored_record(&state, id).await?;
    caller.require_outlets(&record.outlets)?;

    let listed = listed_digests(id, &record)?;
    let missing = super::with_store(&state, move |store| store.missing_photos(&listed)).await?;
    Ok(Json(MissingPhotos { missing: missing.iter().map(|digest| HEXLOWER.encode(digest)).collect() }))
}

/// Stores one photo of a record, from an officer whose jurisdiction contains every outlet of the
/// record.
/// Returns 201 when stored now and 200 when the photo was stored before. Every check runs before
/// the insert, so a rejected request stores nothing.
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path((inspection_id, sha256)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<PhotoReceipt>), Failure> {
    caller.require_role(Role::Officer)?;
    let id = parse_inspection_id(&inspection_id)?;
    let digest = parse_digest(&sha256).ok_or_else(|| Failure::InvalidPhoto(Detail::new(Msg::DetailPhotoHashForm, &[&sha256])))?;
    reject_declared_length(&headers)?;

    let record = stored_record(&state, id).await?;
    caller.require_outlets(&record.outlets)?;
    if !record.photos.iter().any(|photo| photo.sha256 == sha256) {
        return Err(Failure::InvalidPhoto(Detail::new(Msg::DetailPhotoNotListed, &[&id, &sha256])));
    }

    let (bytes, received) = read_limited(body).await?;
    if received != digest {
        return Err(Failure::InvalidPhoto(Detail::new(Msg::DetailPhotoHashMismatch, &[&HEXLOWER.encode(&received), &sha256])));
    }
    if !bytes.starts_with(JPEG_MAGIC) && !bytes.starts_with(PNG_MAGIC) {
        return Err(Failure::InvalidPhoto(Detail::new(Msg::DetailPhotoNotImage, &[])));
    }

    let size = bytes.len() as u64;
    let write = super::with_store(&state, move |store| store.insert_photo(&digest, &bytes)).await?;
    let receipt = PhotoReceipt { server: SERVER_NAME.to_string(), inspection_id: id, sha256: sha256.clone(), bytes: size };
    match write {
        PhotoWrite::Inserted => {
            tracing::info!(inspection_id = %id, %sha256, bytes = size, badge_no = %caller.account.badge_no, "photo stored");
            Ok((StatusCode::CREATED, Json(receipt)))
        }
        PhotoWrite::AlreadyStored => {
            tracing::info!(inspection_id = %id, %sha256, "photo resent; it was stored before");
            Ok((StatusCode::OK, Json(receipt)))
        }
    }
}

fn parse_inspection_id(text: &str) -> Result<Uuid, Failure> {
    Uuid::parse_str(text).map_err(|_| Failure::InvalidInspection(Detail::new(Msg::DetailIdNotUuid, &[&text])))
}

/// Decodes a SHA-256 written as exactly 64 lower-case hex characters; anything else (upper case,
/// another length, a file name, `..`) is `None`.
fn parse_digest(text: &str) -> Option<[u8; 32]> {
    if !is_sha256_hex(text) {
        return None;
    }
    HEXLOWER.decode(text.as_bytes()).ok()?.try_into().ok()
}

/// Reads and parses the stored record with this id; a missing record is 404.
async fn stored_record(state: &AppState, id: Uuid) -> Result<InspectionRecord, Failure> {
    let stored = super::with_store(state, move |store| store.inspection(id)).await?.ok_or_else(|| Failure::InspectionNotFound(id.to_string()))?;
    let record = serde_json::from_str(&stored.record)
        .map_err(|e| StoreError::Corrupt { key: id.to_string(), reason: format!("the stored record does not parse: {e}") })?;
    Ok(record)
}

/// Decodes the hashes the record lists. The intake accepted only well-formed hashes, so a bad one
/// means the stored record is corrupt.
fn listed_digests(id: Uuid, record: &InspectionRecord) -> Result<Vec<[u8; 32]>, StoreError> {
    record
        .photos
        .iter()
        .map(|photo| {
            parse_digest(&photo.sha256).ok_or_else(|| StoreError::Corrupt { key: id.to_string(), reason: format!("the record lists photo {:?}, which is not a SHA-256", photo.sha256) })
        })
        .collect()
}

/// Rejects a request whose `Content-Length` exceeds [`MAX_PHOTO_BYTES`] before its body is read.
fn reject_declared_length(headers: &HeaderMap) -> Result<(), Failure> {
    let declared = headers.get(CONTENT_LENGTH).and_then(|value| value.to_str().ok()).and_then(|text| text.parse::<u64>().ok());
    match declared {
        Some(length) if length > MAX_PHOTO_BYTES as u64 => Err(Failure::BodyTooLarge { limit_bytes: MAX_PHOTO_BYTES }),
        _ => Ok(()),
    }
}

/// Reads the body while hashing it, and stops with 413 as soon as it passes [`MAX_PHOTO_BYTES`], so
/// a body without `Content-Length` is never held beyond the limit plus one chunk.
async fn read_limited(body: Body) -> Result<(Vec<u8>, [u8; 32]), Failure> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    let mut hasher = Sha256::new();

    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|error| Failure::InvalidPhoto(Detail::new(Msg::ApiBodyUnreadable, &[&error])))?;
        if bytes.len() + chunk.len() > MAX_PHOTO_BYTES {
            return Err(Failure::BodyTooLarge { limit_bytes: MAX_PHOTO_BYTES });
        }
        hasher.update(&chunk);
        bytes.extend_from_slice(&chunk);
    }
    Ok((bytes, hasher.finalize().into()))
}
