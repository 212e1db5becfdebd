//! A submission carries the device's id, its signature over the body and the device's clock. The
//! stand-in server on 127.0.0.1 records the headers of the PUT and returns a receipt.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::put;
use axum::{Json, Router};
use outlet_core::api::{inspection_header, Receipt, SERVER_NAME};
use outlet_core::fixtures;
use outlet_sync::{SubmitOutcome, SyncClient};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The headers and body of the one PUT the stand-in received.
type Seen = Arc<Mutex<Option<(HeaderMap, Bytes)>>>;

async fn stand_in() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let app = Router::new().route(
        "/api/v1/inspections/{id}",
        put(move |headers: HeaderMap, body: Bytes| {
            let record = record.clone();
            async move {
                let frozen_id = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["id"].as_str().unwrap().parse().unwrap();
                let receipt = Receipt {
                    server: SERVER_NAME.into(),
                    inspection_id: frozen_id,
                    sha256: outlet_core::inspection::sha256_hex(&body),
                    receipt_no: "R20261204-000001".into(),
                    received_at: OffsetDateTime::now_utc(),
                    clock_skew_secs: Some(-3600),
                };
                *record.lock().unwrap() = Some((headers, body));
                (StatusCode::CREATED, Json(receipt)).into_response()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).unwrap_or_else(|| panic!("header {name} missing")).to_str().unwrap()
}

#[tokio::test]
async fn submit_sends_device_signature_and_clock() {
    let (url, seen) = stand_in().await;
    let frozen = fixtures::frozen_inspection("91350100M000100Y43001P-DA001".parse().unwrap(), "");

    let before = OffsetDateTime::now_utc();
    let outcome = SyncClient::new(&url).submit(&frozen).await;
    let after = OffsetDateTime::now_utc();

    let SubmitOutcome::Acknowledged(receipt) = outcome else { panic!("{outcome:?}") };
    assert_eq!(receipt.clock_skew_secs, Some(-3600), "the receipt's clock skew reaches the caller");
    let (headers, body) = seen.lock().unwrap().take().expect("the stand-in got the PUT");
    assert_eq!(body.as_ref(), frozen.bytes.as_slice(), "the body is the frozen bytes");
    assert_eq!(header(&headers, inspection_header::DEVICE_ID), fixtures::DEVICE_ID.to_string());
    assert_eq!(header(&headers, inspection_header::SIGNATURE), frozen.signature);
    outlet_core::inspection::verify_signature(&body, header(&headers, inspection_header::SIGNATURE), &fixtures::device_public_key()).unwrap();
    let sent_at = OffsetDateTime::parse(header(&headers, inspection_header::SENT_AT), &Rfc3339).unwrap();
    assert!(before <= sent_at, "sent at {sent_at}, before the call at {before}");
    assert!(sent_at <= after, "sent at {sent_at}, after the call ended at {after}");
}
