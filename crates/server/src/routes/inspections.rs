//! `PUT /api/v1/inspections/{id}`: inspection intake, exactly once per id.
//!
//! The body is the frozen record's canonical bytes. The server hashes the bytes it received, so the
//! receipt's hash proves to the device which bytes were stored.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use outlet_core::api::Receipt;
use outlet_core::inspection::{sha256_hex, InspectionRecord, MAX_FINDING_CHARS, MIN_OFFICERS};
use outlet_core::checklist::ChecklistItem;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::Failure;
use crate::store::InsertOutcome;
use crate::AppState;

pub async fn submit(
    State(state): State<AppState>,
    Path(inspection_id): Path<String>,
    body: Bytes,
) -> Result<(StatusCode, Json<Receipt>), Failure> {
    let id = Uuid::parse_str(&inspection_id)
        .map_err(|_| Failure::InvalidInspection(format!("{inspection_id:?} in the URL is not a UUID")))?;
    let record_text = std::str::from_utf8(&body).map_err(|_| Failure::InvalidInspection("the body is not UTF-8".into()))?;
    let record: InspectionRecord =
        serde_json::from_str(record_text).map_err(|e| Failure::InvalidInspection(format!("the body is not an inspection record: {e}")))?;
    validate(id, &record)?;

    let sha256 = sha256_hex(&body);
    let store = state.store.clone();
    let record_text = record_text.to_string();
    let hash = sha256.clone();
    let outcome = tokio::task::spawn_blocking(move || store.insert_inspection(id, &hash, &record_text, OffsetDateTime::now_utc()))
        .await
        .expect("the insert task does not panic")?;

    match outcome {
        InsertOutcome::Inserted(receipt) => {
            tracing::info!(inspection_id = %id, outlet = %record.outlet, receipt_no = %receipt.receipt_no, "inspection stored");
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
    let invalid = |reason: String| Err(Failure::InvalidInspection(reason));

    if record.id != id {
        return invalid(format!("the record's id {} differs from the URL's {id}", record.id));
    }
    let complete_officers = record.officers.iter().filter(|o| !o.name.trim().is_empty() && !o.badge_no.trim().is_empty()).count();
    if complete_officers < MIN_OFFICERS || complete_officers != record.officers.len() {
        return invalid(format!("{MIN_OFFICERS} or more officers with name and badge number are required"));
    }
    for item in ChecklistItem::ALL {
        if !record.answers.iter().any(|a| a.item == item) {
            return invalid(format!("checklist item {item:?} is not answered"));
        }
    }
    if record.finding.chars().count() > MAX_FINDING_CHARS {
        return invalid(format!("the finding is longer than {MAX_FINDING_CHARS} characters"));
    }
    Ok(())
}

/// `GET /api/v1/inspections/{id}`: the receipt of a stored record.
// TODO: restrict to officers of the outlet's jurisdiction once accounts exist; today anyone who
// has a record's UUID can read its receipt (not its content).
pub async fn receipt(State(state): State<AppState>, Path(inspection_id): Path<String>) -> Result<Json<Receipt>, Failure> {
    let id = Uuid::parse_str(&inspection_id)
        .map_err(|_| Failure::InvalidInspection(format!("{inspection_id:?} in the URL is not a UUID")))?;
    let stored = state.store.inspection(id)?.ok_or_else(|| Failure::InspectionNotFound(id.to_string()))?;
    Ok(Json(stored.receipt))
}
