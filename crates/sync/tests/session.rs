//! The client's login, its bearer token on every request, and how it reports 401 and 403. Each case
//! runs the client against a stand-in server on 127.0.0.1 that records the requests' Authorization
//! headers and responds one fixed way.

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::{Json, Router};
use outlet_core::fixtures;
use outlet_core::api::{AccountInfo, ApiError, DeviceRegistration, LoginRequest, Role, Session};
use outlet_core::inspection::FrozenInspection;
use outlet_core::Region;
use outlet_sync::{SubmitOutcome, SyncClient, SyncError};
use time::macros::datetime;

const OUTLET: &str = "91350100M000100Y43001P-DA001";

fn frozen() -> FrozenInspection {
    fixtures::frozen_inspection(OUTLET.parse().unwrap(), "")
}

fn api_error(code: &str) -> ApiError {
    ApiError { code: code.into(), message_zh: "拒绝".into(), message_en: "refused".into() }
}

/// A stand-in server whose every route but login responds `status` with an [`ApiError`] of `code`,
/// and whose login returns a session. Returns its URL and the Authorization headers it saw.
async fn stand_in(status: StatusCode, code: &'static str) -> (String, Arc<Mutex<Vec<Option<String>>>>) {
    let seen: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let record = seen.clone();
    let refuse = move |headers: HeaderMap| {
        let record = record.clone();
        async move {
            let authorization = headers.get("authorization").map(|value| value.to_str().unwrap().to_string());
            record.lock().unwrap().push(authorization);
            let response: Response = (status, Json(api_error(code))).into_response();
            response
        }
    };
    let log_in = |Json(request): Json<LoginRequest>| async move {
        if request.password != "right-password" {
            return (StatusCode::UNAUTHORIZED, Json(api_error("invalid_credentials"))).into_response();
        }
        let account = AccountInfo { name: "林执法".into(), badge_no: request.badge_no, region: Region::parse("350100").unwrap(), role: Role::Officer };
        let session = Session { token: "stand-in-token".into(), expires_at: datetime!(2026-12-11 10:00 UTC), account };
        (StatusCode::CREATED, Json(session)).into_response()
    };
    // Login returns a session; every other request, logout and the session status included, is refused.
    let app = Router::new().route("/api/v1/session", post(log_in).fallback(refuse.clone())).fallback(any(refuse));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

fn login_request(password: &str) -> LoginRequest {
    LoginRequest {
        badge_no: "35000001".into(),
        password: password.into(),
        device: DeviceRegistration { device_id: uuid::Uuid::new_v4(), public_key: "AAAA".into(), label: "test".into() },
    }
}

#[tokio::test]
async fn token_sent_on_every_request() {
    let (url, seen) = stand_in(StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
    let mut client = SyncClient::new(&url);
    client.set_token(Some("secret-token".into()));

    let _ = client.fetch_card(&OUTLET.parse().unwrap(), None).await;
    let _ = client.fetch_changes(&Region::parse("350100").unwrap(), 0, 10, true).await;
    let _ = client.fetch_keys().await;
    let _ = client.submit(&frozen()).await;
    let _ = client.session_status().await;
    let _ = client.log_out().await;

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 6);
    for header in seen {
        assert_eq!(header.as_deref(), Some("Bearer secret-token"));
    }
}

#[tokio::test]
async fn no_token_no_header() {
    let (url, seen) = stand_in(StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
    let mut client = SyncClient::new(&url);
    client.set_token(Some("secret-token".into()));
    client.set_token(None);

    let _ = client.fetch_keys().await;

    assert_eq!(seen.lock().unwrap().clone(), [None]);
}

#[tokio::test]
async fn unauthorized_submit_is_not_rejection() {
    let (url, _) = stand_in(StatusCode::UNAUTHORIZED, "token_expired").await;

    let outcome = SyncClient::new(&url).submit(&frozen()).await;

    let SubmitOutcome::Unauthorized(error) = outcome else { panic!("{outcome:?}") };
    assert_eq!(error.code, "token_expired");
}

#[tokio::test]
async fn forbidden_submit_is_rejection() {
    let (url, _) = stand_in(StatusCode::FORBIDDEN, "outside_jurisdiction").await;

    let outcome = SyncClient::new(&url).submit(&frozen()).await;

    let SubmitOutcome::Rejected { status, error } = outcome else { panic!("{outcome:?}") };
    assert_eq!(status, 403);
    assert_eq!(error.code, "outside_jurisdiction");
}

#[tokio::test]
async fn card_refusals_are_typed() {
    let (unauthorized_url, _) = stand_in(StatusCode::UNAUTHORIZED, "token_revoked").await;
    let (forbidden_url, _) = stand_in(StatusCode::FORBIDDEN, "outside_jurisdiction").await;
    let outlet = OUTLET.parse().unwrap();

    let unauthorized = SyncClient::new(&unauthorized_url).fetch_card(&outlet, None).await;
    let forbidden = SyncClient::new(&forbidden_url).fetch_changes(&Region::parse("350000").unwrap(), 0, 10, false).await;

    assert!(matches!(&unauthorized, Err(SyncError::Unauthorized { error, .. }) if error.code == "token_revoked"), "{unauthorized:?}");
    assert!(matches!(&forbidden, Err(SyncError::Forbidden { error, .. }) if error.code == "outside_jurisdiction"), "{forbidden:?}");
}

#[tokio::test]
async fn login_returns_session_or_refusal() {
    let (url, _) = stand_in(StatusCode::SERVICE_UNAVAILABLE, "unavailable").await;
    let client = SyncClient::new(&url);

    let session = client.log_in(&login_request("right-password")).await.unwrap();
    let refused = client.log_in(&login_request("wrong-password")).await;

    assert_eq!(session.token, "stand-in-token");
    assert_eq!(session.account.badge_no, "35000001");
    assert!(!client.has_token(), "log_in leaves the token to the caller");
    assert!(matches!(&refused, Err(SyncError::Unauthorized { error, .. }) if error.code == "invalid_credentials"), "{refused:?}");
}

#[test]
fn debug_output_hides_secrets() {
    let mut client = SyncClient::new("http://127.0.0.1:1");
    client.set_token(Some("secret-token".into()));
    let request = login_request("secret-password");

    assert!(!format!("{client:?}").contains("secret-token"));
    assert!(!format!("{request:?}").contains("secret-password"));
}
