//! Errors of the HTTP handlers and the status codes they map to.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use outlet_core::api::ApiError;
use outlet_core::i18n::{Lang, Msg};

use crate::store::StoreError;

/// A failed request. Each variant becomes one status code and a message in both languages.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("invalid outlet id: {0}")]
    InvalidOutletId(#[from] outlet_core::ids::IdError),

    #[error("invalid region: {0}")]
    InvalidRegion(outlet_core::ids::IdError),

    #[error("outlet {0} not found")]
    OutletNotFound(String),

    #[error("invalid inspection record: {0}")]
    InvalidInspection(String),

    #[error("inspection {0} not found")]
    InspectionNotFound(String),

    #[error("inspection {id} was already stored with hash {stored_sha256}")]
    InspectionConflict { id: String, stored_sha256: String },

    #[error("storage failed: {0}")]
    Storage(#[from] StoreError),

    #[error("a storage task stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl Failure {
    fn parts(&self) -> (StatusCode, &'static str, Msg, String) {
        match self {
            Failure::InvalidOutletId(e) => (StatusCode::BAD_REQUEST, "invalid_outlet_id", Msg::InvalidOutletId, e.value().to_string()),
            Failure::InvalidRegion(e) => (StatusCode::BAD_REQUEST, "invalid_region", Msg::ApiInvalidRegion, e.value().to_string()),
            Failure::OutletNotFound(id) => (StatusCode::NOT_FOUND, "outlet_not_found", Msg::ApiOutletNotFound, id.clone()),
            Failure::InvalidInspection(reason) => (StatusCode::BAD_REQUEST, "invalid_inspection", Msg::ApiInvalidInspection, reason.clone()),
            Failure::InspectionNotFound(id) => (StatusCode::NOT_FOUND, "inspection_not_found", Msg::ApiInspectionNotFound, id.clone()),
            Failure::InspectionConflict { id, .. } => (StatusCode::CONFLICT, "inspection_conflict", Msg::ApiInspectionConflict, id.clone()),
            Failure::Storage(_) | Failure::Task(_) => (StatusCode::INTERNAL_SERVER_ERROR, "storage", Msg::ApiStorage, String::new()),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (status, code, msg, arg) = self.parts();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::info!(error = %self, status = status.as_u16(), "request rejected");
        }
        let body = ApiError {
            code: code.to_string(),
            message_zh: msg.fill(Lang::Zh, &[&arg]),
            message_en: msg.fill(Lang::En, &[&arg]),
        };
        (status, Json(body)).into_response()
    }
}
