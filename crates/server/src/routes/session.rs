//! `/api/v1/session`: log in (`POST`), see whose token a request carries (`GET`), log out (`DELETE`).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use outlet_core::api::{LoginRequest, Session, SessionStatus};
use outlet_core::i18n::Msg;

use crate::accounts::{self, Caller};
use crate::error::{Detail, Failure};
use crate::AppState;

/// Largest login body accepted, in bytes: a badge number, a password and a device's key and label.
pub const MAX_LOGIN_BYTES: usize = 16 * 1024;

/// Checks the officer's badge number and password, registers the device's key, and returns a new
/// token (201). The password check runs on tokio's blocking threads, because Argon2 keeps a thread
/// busy for each check.
pub async fn log_in(State(state): State<AppState>, body: Result<Bytes, BytesRejection>) -> Result<(StatusCode, Json<Session>), Failure> {
    // The body is parsed here rather than by axum's `Json`, so a bad body gets the API's error format.
    let body = body.map_err(|rejection| Failure::from_body(rejection, MAX_LOGIN_BYTES, Failure::InvalidLogin))?;
    let request: LoginRequest = serde_json::from_slice(&body).map_err(|e| Failure::InvalidLogin(Detail::new(Msg::DetailBodyNotLogin, &[&e])))?;

    let store = state.store.clone();
    let now = state.clock.now();
    let session = tokio::task::spawn_blocking(move || accounts::log_in(store.as_ref(), &request, state.token_ttl, now)).await??;
    Ok((StatusCode::CREATED, Json(session)))
}

pub async fn status(caller: Caller) -> Json<SessionStatus> {
    Json(SessionStatus { account: caller.account.info(), device_id: caller.token.device_id, expires_at: caller.token.expires_at })
}

/// Revokes the token the request carries (204). Other devices' tokens of the account stay valid.
pub async fn log_out(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, Failure> {
    let store = state.store.clone();
    let now = state.clock.now();
    tokio::task::spawn_blocking(move || accounts::log_out(store.as_ref(), &caller.token, now)).await??;
    Ok(StatusCode::NO_CONTENT)
}
