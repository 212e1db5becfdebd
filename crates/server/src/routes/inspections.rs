//! `PUT /api/v1/inspections/{id}`: inspection intake, exactly once per id.
//!
//! The body is the frozen record's canonical bytes. The server hashes the bytes it received, so the
//! receipt's hash proves to the device which bytes were stored.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use outlet_core::api::{Receipt, Role};
use outlet_core::inspection::{is_sha256_hex, sha256_hex, InspectionRecord, MAX_FINDING_CHARS, MAX_PHOTOS, MAX_PHOTO_BYTES, MIN_OFFICERS};
use outlet_core::checklist::ChecklistItem;
use outlet_core::i18n::Msg;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::accounts::Caller;
use crate::error::{Detail, Failure};
use crate::store::{InsertOutcome, StoreError};
use crate::{AppState, MAX_INSPECTION_BYTES};

/// Stores a record from an officer whose jurisdiction contains the record's outlet. Every check runs
/// before the insert, so a rejected request stores nothing.
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(inspection_id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Receipt>), Failure> {
    caller.require_role(Role::Officer)?;
    let id = Uuid::parse_str(&inspection_id)
        .map_err(|_| Failure::InvalidInspection(Detail::new(Msg::DetailIdNotUuid, &[&inspection_id])))?;
    let body = body.map_err(|rejection| Failure::from_body(rejection, MAX_INSPECTION_BYTES, Failure::InvalidInspection))?;
    let record_text = std::str::from_utf8(&body).map_err(|_| Failure::InvalidInspection(Detail::new(Msg::DetailBodyNotUtf8, &[])))?;
    let record: InspectionRecord =
        serde_json::from_str(record_text).map_err(|e| Failure::InvalidInspection(Detail::new(Msg::DetailBodyNotRecord, &[&e])))?;
    validate(id, &record)?;
    caller.require_outlet(&record.outlet)?;

    let sha256 = sha256_hex(&body);
    let store = state.store.clone();
    let record_text = record_text.to_string();
    let hash = sha256.clone();
    let outcome = tokio::task::spawn_blocking(move || store.insert_inspection(id, &hash, &record_text, OffsetDateTime::now_utc()))
        .await
        .expect("the insert task does not panic")?;

    match outcome {
        InsertOutcome::Inserted(receipt) => {
            tracing::info!(inspection_id = %id, outlet = %record.outlet, badge_no = %caller.account.badge_no, receipt_no = %receipt.receipt_no, "inspection stored");
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

/// Checks what the device's freezing guarantees, since a body may come from anywhere.
fn validate(id: Uuid, record: &InspectionRecord) -> Result<(), Failure> {
    let invalid = |msg: Msg, args: &[&dyn std::fmt::Display]| Err(Failure::InvalidInspection(Detail::new(msg, args)));

    if record.id != id {
        return invalid(Msg::DetailIdMismatch, &[&record.id, &id]);
    }
    let complete_officers = record.officers.iter().filter(|o| !o.name.trim().is_empty() && !o.badge_no.trim().is_empty()).count();
    if complete_officers < MIN_OFFICERS || complete_officers != record.officers.len() {
        return invalid(Msg::DetailTooFewOfficers, &[&MIN_OFFICERS]);
    }
    for (number, item) in (1..).zip(ChecklistItem::ALL) {
        if !record.answers.iter().any(|a| a.item == item) {
            return invalid(Msg::DetailUnanswered, &[&number]);
        }
    }
    if record.finding.chars().count() > MAX_FINDING_CHARS {
        return invalid(Msg::DetailFindingTooLong, &[&MAX_FINDING_CHARS]);
    }

    // Photos are uploaded later under the hashes listed here, so each must be one the upload accepts.
    if record.photos.len() > MAX_PHOTOS {
        return invalid(Msg::DetailTooManyPhotos, &[&MAX_PHOTOS]);
    }
    for (number, photo) in (1..).zip(&record.photos) {
        if !is_sha256_hex(&photo.sha256) || photo.bytes == 0 || photo.bytes > MAX_PHOTO_BYTES as u64 {
            return invalid(Msg::DetailPhotoRefInvalid, &[&number, &MAX_PHOTO_BYTES]);
        }
        if record.photos[..number - 1].iter().any(|earlier| earlier.sha256 == photo.sha256) {
            return invalid(Msg::DetailPhotoListedTwice, &[&photo.sha256]);
        }
    }
    Ok(())
}

/// `GET /api/v1/inspections/{id}`: the receipt of a stored record, for officers and administrators
/// whose jurisdiction contains the record's outlet.
pub async fn receipt(State(state): State<AppState>, caller: Caller, Path(inspection_id): Path<String>) -> Result<Json<Receipt>, Failure> {
    let id = Uuid::parse_str(&inspection_id)
        .map_err(|_| Failure::InvalidInspection(Detail::new(Msg::DetailIdNotUuid, &[&inspection_id])))?;
    let stored = super::with_store(&state, move |store| store.inspection(id)).await?.ok_or_else(|| Failure::InspectionNotFound(id.to_string()))?;

    let record: InspectionRecord = serde_json::from_str(&stored.record)
        .map_err(|e| StoreError::Corrupt { key: id.to_string(), reason: format!("the stored record does not parse: {e}") })?;
    caller.require_outlet(&record.outlet)?;
    Ok(Json(stored.receipt))
}
