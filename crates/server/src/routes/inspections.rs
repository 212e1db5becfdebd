//! `PUT /api/v1/inspections/{id}`: inspection intake, exactly once per id.
//!
//! The body is the frozen record's canonical bytes, and the headers name the device that signed
//! them, the signature and the device's clock (see [`headers`]). The server hashes the bytes it
//! received, so the receipt's hash proves to the device which bytes were stored.

mod headers;
mod validate;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use outlet_core::api::{Receipt, Role};
use outlet_core::i18n::Msg;
use outlet_core::inspection::{sha256_hex, verify_signature, InspectionRecord, SignatureError};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::Caller;
use crate::error::{Detail, Failure};
use crate::store::{InsertOutcome, NewInspection, StoreError};
use crate::{AppState, MAX_INSPECTION_BYTES};

/// Stores a record from an officer whose jurisdiction contains every outlet of the record, signed
/// by a device registered to that officer. Every check runs before the insert, so a rejected
/// request stores nothing.
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(inspection_id): Path<String>,
    request_headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Receipt>), Failure> {
    caller.require_role(Role::Officer)?;
    let id = Uuid::parse_str(&inspection_id)
        .map_err(|_| Failure::InvalidInspection(Detail::new(Msg::DetailIdNotUuid, &[&inspection_id])))?;
    let signed = headers::Signed::from_headers(&request_headers)?;

    let body = body.map_err(|rejection| Failure::from_body(rejection, MAX_INSPECTION_BYTES, Failure::InvalidInspection))?;
    let record_text = std::str::from_utf8(&body).map_err(|_| Failure::InvalidInspection(Detail::new(Msg::DetailBodyNotUtf8, &[])))?;
    let record: InspectionRecord =
        serde_json::from_str(record_text).map_err(|e| Failure::InvalidInspection(Detail::new(Msg::DetailBodyNotRecord, &[&e])))?;
    validate::validate(id, &record)?;
    if record.device_id != signed.device_id {
        return Err(Failure::InvalidInspection(Detail::new(Msg::DetailDeviceIdMismatch, &[&record.device_id, &signed.device_id])));
    }
    caller.require_outlets(&record.outlets)?;
    let received_at = OffsetDateTime::now_utc();

    check_signature(&state, &caller, &record, &body, &signed.signature).await?;

    let sha256 = sha256_hex(&body);
    let inspection = NewInspection {
        id,
        sha256: sha256.clone(),
        record: record_text.to_string(),
        device_id: record.device_id,
        device_seq: record.device_seq,
        previous_sha256: record.previous_sha256.clone(),
        signature: signed.signature,
        clock_skew_secs: headers::clock_skew(signed.sent_at, received_at),
        received_at,
    };
    let outcome = super::with_store(&state, move |store| store.insert_inspection(&inspection)).await?;

    match outcome {
        InsertOutcome::Inserted(receipt) => {
            tracing::info!(
                inspection_id = %id,
                outlets = record.outlets.len(),
                device_id = %record.device_id,
                device_seq = record.device_seq,
                badge_no = %caller.account.badge_no,
                receipt_no = %receipt.receipt_no,
                clock_skew_secs = ?receipt.clock_skew_secs,
                "inspection stored"
            );
            Ok((StatusCode::CREATED, Json(receipt)))
        }
        InsertOutcome::Duplicate(receipt) => {
            tracing::info!(inspection_id = %id, receipt_no = %receipt.receipt_no, "inspection resent; returning the original receipt");
            Ok((StatusCode::OK, Json(receipt)))
        }
        InsertOutcome::Conflict { stored_sha256 } => {
            tracing::warn!(inspection_id = %id, %stored_sha256, received_sha256 = %sha256, "inspection id reused with different content");
            Err(Failure::InspectionConflict { id: id.to_string(), stored_sha256 })
        }
    }
}

/// Verifies `signature` over `body` with the key that the record's device registered when the
/// caller logged in on it. No key means the caller never logged in on that device
/// ([`Failure::DeviceNotRegistered`]).
async fn check_signature(state: &AppState, caller: &Caller, record: &InspectionRecord, body: &[u8], signature: &str) -> Result<(), Failure> {
    let badge_no = caller.account.badge_no.clone();
    let device_id = record.device_id;
    let Some(device_key) = super::read_store(state, move |store| store.device_key(&badge_no, device_id)).await? else {
        tracing::warn!(inspection_id = %record.id, %device_id, badge_no = %caller.account.badge_no, "inspection rejected: device not registered to the caller");
        return Err(Failure::DeviceNotRegistered { badge_no: caller.account.badge_no.clone(), device_id: device_id.to_string() });
    };

    match verify_signature(body, signature, &device_key.public_key) {
        Ok(()) => Ok(()),
        Err(SignatureError::BadKey) => Err(StoreError::Corrupt {
            key: format!("{}/{device_id}", caller.account.badge_no),
            reason: "the stored device key is not base64 of a 32-byte Ed25519 key".into(),
        }
        .into()),
        Err(reason) => {
            tracing::warn!(inspection_id = %record.id, %device_id, badge_no = %caller.account.badge_no, %reason, "inspection rejected: signature does not verify");
            Err(Failure::SignatureInvalid { id: record.id.to_string(), reason })
        }
    }
}

/// `GET /api/v1/inspections/{id}`: the receipt of a stored record, for officers and administrators
/// whose jurisdiction contains every outlet of the record.
pub async fn receipt(State(state): State<AppState>, caller: Caller, Path(inspection_id): Path<String>) -> Result<Json<Receipt>, Failure> {
    let id = Uuid::parse_str(&inspection_id)
        .map_err(|_| Failure::InvalidInspection(Detail::new(Msg::DetailIdNotUuid, &[&inspection_id])))?;
    let stored = super::with_store(&state, move |store| store.inspection(id)).await?.ok_or_else(|| Failure::InspectionNotFound(id.to_string()))?;

    let record: InspectionRecord = serde_json::from_str(&stored.record)
        .map_err(|e| StoreError::Corrupt { key: id.to_string(), reason: format!("the stored record does not parse: {e}") })?;
    caller.require_outlets(&record.outlets)?;
    Ok(Json(stored.receipt))
}
