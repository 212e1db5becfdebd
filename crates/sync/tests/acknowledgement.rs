//! Only a receipt from our server for the exact bytes sent counts as an acknowledgement. Each case
//! runs the client against a stand-in server on 127.0.0.1 that responds one fixed way.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::{Json, Router};
use outlet_core::fixtures;
use outlet_core::api::{ApiError, Receipt, SERVER_NAME};
use outlet_core::inspection::FrozenInspection;
use outlet_sync::{SubmitOutcome, SyncClient};
use time::macros::datetime;

fn frozen() -> FrozenInspection {
    fixtures::frozen_inspection("91350100M000100Y43001P-DA001".parse().unwrap(), "")
}

fn receipt_for(frozen: &FrozenInspection, sha256: &str) -> Receipt {
    Receipt {
        server: SERVER_NAME.into(),
        inspection_id: frozen.id,
        sha256: sha256.into(),
        receipt_no: "R20261204-000001".into(),
        received_at: datetime!(2026-12-04 02:00 UTC),
        clock_skew_secs: None,
    }
}

/// Starts a stand-in server whose every PUT gets `response`, and submits `frozen` to it.
async fn submit_against(frozen: &FrozenInspection, response: fn(&FrozenInspection) -> Response) -> SubmitOutcome {
    let body = response(frozen);
    let shared = std::sync::Arc::new(std::sync::Mutex::new(Some(body)));
    let app = Router::new().route(
        "/api/v1/inspections/{id}",
        put(move || {
            let shared = shared.clone();
            async move { shared.lock().unwrap().take().unwrap_or_else(|| StatusCode::GONE.into_response()) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    SyncClient::new(&format!("http://{addr}")).submit(frozen).await
}

#[tokio::test]
async fn matching_receipt_acknowledges() {
    let frozen = frozen();
    let outcome = submit_against(&frozen, |f| (StatusCode::CREATED, Json(receipt_for(f, &f.sha256))).into_response()).await;
    assert!(matches!(outcome, SubmitOutcome::Acknowledged(_)), "{outcome:?}");
}

#[tokio::test]
async fn captive_portal_page_is_not_acknowledgement() {
    let frozen = frozen();
    let outcome = submit_against(&frozen, |_| (StatusCode::OK, "<html>请先登录 Wi-Fi</html>").into_response()).await;
    assert!(matches!(outcome, SubmitOutcome::RetryLater { .. }), "{outcome:?}");
}

#[tokio::test]
async fn receipt_for_other_bytes_is_not_acknowledgement() {
    let frozen = frozen();
    let outcome = submit_against(&frozen, |f| (StatusCode::OK, Json(receipt_for(f, &"0".repeat(64)))).into_response()).await;
    assert!(matches!(outcome, SubmitOutcome::RetryLater { .. }), "{outcome:?}");
}

#[tokio::test]
async fn server_error_is_retried() {
    let frozen = frozen();
    let outcome = submit_against(&frozen, |_| StatusCode::SERVICE_UNAVAILABLE.into_response()).await;
    assert!(matches!(outcome, SubmitOutcome::RetryLater { .. }), "{outcome:?}");
}

#[tokio::test]
async fn retry_after_is_reported() {
    let frozen = frozen();
    let outcome = submit_against(&frozen, |_| (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "120")]).into_response()).await;
    let SubmitOutcome::RetryLater { retry_after, .. } = outcome else { panic!("{outcome:?}") };
    assert_eq!(retry_after, Some(std::time::Duration::from_secs(120)));
}

#[tokio::test]
async fn conflict_is_rejected_with_reason() {
    let frozen = frozen();
    let outcome = submit_against(&frozen, |_| {
        let error = ApiError { code: "inspection_conflict".into(), message_zh: "冲突".into(), message_en: "conflict".into() };
        (StatusCode::CONFLICT, Json(error)).into_response()
    })
    .await;
    let SubmitOutcome::Rejected { status, error } = outcome else { panic!("{outcome:?}") };
    assert_eq!(status, 409);
    assert_eq!(error.code, "inspection_conflict");
}

#[tokio::test]
async fn unreachable_server_is_retried() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);

    let outcome = SyncClient::new(&format!("http://{addr}")).submit(&frozen()).await;

    assert!(matches!(outcome, SubmitOutcome::RetryLater { .. }), "{outcome:?}");
}
