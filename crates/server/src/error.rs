//! Errors of the HTTP handlers and the status codes they map to.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use outlet_core::api::{error_code, ApiError, Role};
use outlet_core::i18n::{format_time, Lang, Msg};
use outlet_core::inspection::SignatureError;
use outlet_core::Region;
use time::OffsetDateTime;

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
    InvalidInspection(Detail),

    #[error("inspection {0} not found")]
    InspectionNotFound(String),

    #[error("invalid photo upload: {0}")]
    InvalidPhoto(Detail),

    #[error("inspection {id} was already stored with hash {stored_sha256}")]
    InspectionConflict { id: String, stored_sha256: String },

    #[error("the request carries no bearer token")]
    TokenMissing,

    #[error("the bearer token is malformed or unknown")]
    TokenInvalid,

    #[error("the token of {badge_no} expired at {expired_at}")]
    TokenExpired { badge_no: String, expired_at: OffsetDateTime },

    #[error("the token of {badge_no} was revoked")]
    TokenRevoked { badge_no: String },

    #[error("account {0} is disabled")]
    AccountDisabled(String),

    #[error("login as {badge_no:?} rejected: unknown badge number or wrong password")]
    InvalidCredentials { badge_no: String },

    #[error("invalid login request: {0}")]
    InvalidLogin(Detail),

    #[error("invalid query string {0:?}")]
    InvalidQuery(String),

    #[error("the body is larger than {limit_bytes} bytes")]
    BodyTooLarge { limit_bytes: usize },

    #[error("device {device_id} of {badge_no} is registered with another public key")]
    DeviceKeyConflict { badge_no: String, device_id: String },

    #[error("{badge_no} (jurisdiction {jurisdiction}) asked for {target}, outside the jurisdiction")]
    OutsideJurisdiction { badge_no: String, jurisdiction: Region, target: String },

    #[error("{badge_no} asked for a request that needs the {required} role")]
    RoleRequired { badge_no: String, required: Role },

    #[error("{badge_no} sent a record signed by device {device_id}, which has no key registered for {badge_no}")]
    DeviceNotRegistered { badge_no: String, device_id: String },

    #[error("the signature of inspection {id} does not verify: {reason}")]
    SignatureInvalid { id: String, reason: SignatureError },

    #[error("invalid device id {0:?}")]
    InvalidDeviceId(String),

    #[error("{badge_no} asked for the chain of device {device_id}, which is not registered to this officer")]
    DeviceChainForbidden { badge_no: String, device_id: String },

    #[error("the server failed: {0}")]
    Internal(String),

    #[error("storage failed: {0}")]
    Storage(#[from] StoreError),

    #[error("a storage task stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl Failure {
    /// Maps a body that axum could not read: too large (413), or cut off.
    pub fn from_body(rejection: axum::extract::rejection::BytesRejection, limit_bytes: usize, other: impl FnOnce(Detail) -> Failure) -> Failure {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Failure::BodyTooLarge { limit_bytes };
        }
        other(Detail::new(Msg::ApiBodyUnreadable, &[&rejection.body_text()]))
    }

    fn parts(&self) -> (StatusCode, &'static str, Msg, Vec<String>) {
        let one = |arg: String| vec![arg];
        match self {
            Failure::InvalidOutletId(e) => (StatusCode::BAD_REQUEST, "invalid_outlet_id", Msg::InvalidOutletId, one(e.value().to_string())),
            Failure::InvalidRegion(e) => (StatusCode::BAD_REQUEST, "invalid_region", Msg::ApiInvalidRegion, one(e.value().to_string())),
            Failure::OutletNotFound(id) => (StatusCode::NOT_FOUND, "outlet_not_found", Msg::ApiOutletNotFound, one(id.clone())),
            Failure::InvalidInspection(_) => (StatusCode::BAD_REQUEST, "invalid_inspection", Msg::ApiInvalidInspection, Vec::new()),
            Failure::InvalidPhoto(_) => (StatusCode::BAD_REQUEST, "invalid_photo", Msg::ApiInvalidPhoto, Vec::new()),
            Failure::InspectionNotFound(id) => (StatusCode::NOT_FOUND, "inspection_not_found", Msg::ApiInspectionNotFound, one(id.clone())),
            Failure::InspectionConflict { id, .. } => (StatusCode::CONFLICT, "inspection_conflict", Msg::ApiInspectionConflict, one(id.clone())),
            Failure::TokenMissing => (StatusCode::UNAUTHORIZED, error_code::TOKEN_MISSING, Msg::ApiTokenMissing, Vec::new()),
            Failure::TokenInvalid => (StatusCode::UNAUTHORIZED, error_code::TOKEN_INVALID, Msg::ApiTokenInvalid, Vec::new()),
            Failure::TokenExpired { expired_at, .. } => (StatusCode::UNAUTHORIZED, error_code::TOKEN_EXPIRED, Msg::ApiTokenExpired, one(format_time(*expired_at))),
            Failure::TokenRevoked { .. } => (StatusCode::UNAUTHORIZED, error_code::TOKEN_REVOKED, Msg::ApiTokenRevoked, Vec::new()),
            Failure::AccountDisabled(badge_no) => (StatusCode::UNAUTHORIZED, error_code::ACCOUNT_DISABLED, Msg::ApiAccountDisabled, one(badge_no.clone())),
            Failure::InvalidCredentials { .. } => (StatusCode::UNAUTHORIZED, error_code::INVALID_CREDENTIALS, Msg::ApiInvalidCredentials, Vec::new()),
            Failure::InvalidLogin(_) => (StatusCode::BAD_REQUEST, "invalid_login", Msg::ApiInvalidLogin, Vec::new()),
            Failure::InvalidQuery(query) => (StatusCode::BAD_REQUEST, "invalid_query", Msg::ApiInvalidQuery, one(query.clone())),
            Failure::BodyTooLarge { limit_bytes } => (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", Msg::ApiBodyTooLarge, one(limit_bytes.to_string())),
            Failure::DeviceKeyConflict { device_id, .. } => (StatusCode::CONFLICT, "device_key_conflict", Msg::ApiDeviceKeyConflict, one(device_id.clone())),
            Failure::OutsideJurisdiction { target, .. } => (StatusCode::FORBIDDEN, error_code::OUTSIDE_JURISDICTION, Msg::ApiOutsideJurisdiction, one(target.clone())),
            Failure::RoleRequired { required: Role::Officer, .. } => (StatusCode::FORBIDDEN, error_code::ROLE_REQUIRED, Msg::ApiOfficerRequired, Vec::new()),
            Failure::RoleRequired { required: Role::Admin, .. } => (StatusCode::FORBIDDEN, error_code::ROLE_REQUIRED, Msg::ApiAdminRequired, Vec::new()),
            Failure::DeviceNotRegistered { device_id, .. } => (StatusCode::UNAUTHORIZED, error_code::DEVICE_NOT_REGISTERED, Msg::ApiDeviceNotRegistered, one(device_id.clone())),
            Failure::SignatureInvalid { id, .. } => (StatusCode::BAD_REQUEST, error_code::SIGNATURE_INVALID, Msg::ApiSignatureInvalid, one(id.clone())),
            Failure::InvalidDeviceId(text) => (StatusCode::BAD_REQUEST, "invalid_device_id", Msg::ApiInvalidDeviceId, one(text.clone())),
            Failure::DeviceChainForbidden { device_id, .. } => (StatusCode::FORBIDDEN, "device_chain_forbidden", Msg::ApiDeviceChainForbidden, one(device_id.clone())),
            Failure::Internal(_) | Failure::Storage(_) | Failure::Task(_) => (StatusCode::INTERNAL_SERVER_ERROR, "storage", Msg::ApiStorage, Vec::new()),
        }
    }

    /// Writes the message in `lang`, with a [`Detail`] inside its outer message in the same language.
    fn message(&self, msg: Msg, args: &[String], lang: Lang) -> String {
        let detail = match self {
            Failure::InvalidInspection(detail) | Failure::InvalidLogin(detail) | Failure::InvalidPhoto(detail) => Some(detail.text(lang)),
            _ => None,
        };
        match detail {
            Some(detail) => msg.fill(lang, &[&detail]),
            None => msg.fill(lang, &args.iter().map(String::as_str).collect::<Vec<_>>()),
        }
    }
}

/// The exact problem with a request body, as a message and its arguments, so that the client gets it
/// in both languages. `Display` gives the English text for the log.
#[derive(Debug, Clone)]
pub struct Detail {
    msg: Msg,
    args: Vec<String>,
}

impl Detail {
    pub fn new(msg: Msg, args: &[&dyn std::fmt::Display]) -> Self {
        Self { msg, args: args.iter().map(|arg| arg.to_string()).collect() }
    }

    pub fn text(&self, lang: Lang) -> String {
        self.msg.fill(lang, &self.args.iter().map(String::as_str).collect::<Vec<_>>())
    }
}

impl std::fmt::Display for Detail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (status, code, msg, args) = self.parts();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::info!(error = %self, status = status.as_u16(), "request rejected");
        }
        let body = ApiError {
            code: code.to_string(),
            message_zh: self.message(msg, &args, Lang::Zh),
            message_en: self.message(msg, &args, Lang::En),
        };
        let mut response = (status, Json(body)).into_response();
        // RFC 6750: a 401 names the scheme, and `invalid_token` marks a token that was sent but is not
        // valid. An unregistered device has a valid token: only a new login on it registers its key.
        if status == StatusCode::UNAUTHORIZED {
            let challenge = match self {
                Failure::TokenMissing | Failure::InvalidCredentials { .. } | Failure::DeviceNotRegistered { .. } => "Bearer",
                _ => "Bearer error=\"invalid_token\"",
            };
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        response
    }
}
