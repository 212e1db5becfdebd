//! Logging in to the server under test, as a device does, and sending signed records.
//!
//! Logins come from the fixture device of `outlet_core::fixtures` unless a test makes its own
//! [`TestDevice`], so the records that `fixtures::frozen_inspection` signs verify for the officer.

use data_encoding::BASE64;
use ed25519_dalek::{Signer, SigningKey};
use outlet_core::api::{inspection_header, DeviceRegistration, LoginRequest, Session};
use outlet_core::fixtures;
use outlet_core::inspection::{sha256_hex, FreezeContext, FrozenInspection, InspectionDraft};
use outlet_server::accounts::demo::{DEMO_ACCOUNTS, DEMO_OFFICER_PASSWORD};
use time::format_description::well_known::Rfc3339;
use time::macros::datetime;
use time::OffsetDateTime;
use uuid::Uuid;

/// Badge number of the first demo officer (jurisdiction 350100, every demo outlet).
pub const DEMO_OFFICER: &str = DEMO_ACCOUNTS[0].0;

/// A device with its id and the Ed25519 key it signs records with.
pub struct TestDevice {
    pub id: Uuid,
    pub key: SigningKey,
}

impl TestDevice {
    /// The fixture device, which signs the records of `outlet_core::fixtures`.
    pub fn fixture() -> Self {
        Self { id: fixtures::DEVICE_ID, key: fixtures::device_key() }
    }

    /// Makes a new device with a fresh id and a key derived from it.
    pub fn new_random() -> Self {
        let id = Uuid::new_v4();
        let secret: [u8; 32] = id.as_u128().to_le_bytes().repeat(2).try_into().unwrap();
        Self { id, key: SigningKey::from_bytes(&secret) }
    }

    pub fn registration(&self) -> DeviceRegistration {
        DeviceRegistration { device_id: self.id, public_key: BASE64.encode(self.key.verifying_key().as_bytes()), label: "server test".into() }
    }

    /// Signs `bytes` as the record `id` of this device, whatever they hold, so a test can send a
    /// record that freezing would not produce.
    pub fn sign_bytes(&self, id: Uuid, bytes: Vec<u8>) -> FrozenInspection {
        let signature = BASE64.encode(&self.key.sign(&bytes).to_bytes());
        FrozenInspection { id, outlets: Vec::new(), sha256: sha256_hex(&bytes), bytes, device_id: self.id, signature }
    }

    /// Freezes `draft` on this device as its record `device_seq`.
    pub fn freeze(&self, draft: &InspectionDraft, device_seq: u64, previous_sha256: Option<String>) -> FrozenInspection {
        let context = FreezeContext { ended_at: datetime!(2026-12-04 10:00 +8), device_id: self.id, device_seq, previous_sha256, key: &self.key };
        draft.freeze(&context).expect("a complete draft freezes")
    }
}

/// Builds a login request from `device`.
pub fn login_request_from(device: &TestDevice, badge_no: &str, password: &str) -> LoginRequest {
    LoginRequest { badge_no: badge_no.into(), password: password.into(), device: device.registration() }
}

/// Builds a login request from the fixture device.
pub fn login_request(badge_no: &str, password: &str) -> LoginRequest {
    login_request_from(&TestDevice::fixture(), badge_no, password)
}

/// Sends a login and returns the response, whatever its status.
pub async fn post_login(server_url: &str, request: &LoginRequest) -> reqwest::Response {
    reqwest::Client::new().post(format!("{server_url}/api/v1/session")).json(request).send().await.unwrap()
}

/// Logs in from `device` and returns the session; panics when the login fails.
pub async fn log_in_from(device: &TestDevice, server_url: &str, badge_no: &str, password: &str) -> Session {
    let response = post_login(server_url, &login_request_from(device, badge_no, password)).await;
    assert_eq!(response.status(), 201, "login as {badge_no}: {}", response.text().await.unwrap_or_default());
    response.json().await.unwrap()
}

/// Logs in from the fixture device and returns the session; panics when the login fails.
pub async fn log_in(server_url: &str, badge_no: &str, password: &str) -> Session {
    log_in_from(&TestDevice::fixture(), server_url, badge_no, password).await
}

/// Logs in as the first demo officer from the fixture device and returns the bearer token.
pub async fn demo_officer_token(server_url: &str) -> String {
    log_in(server_url, DEMO_OFFICER, DEMO_OFFICER_PASSWORD).await.token
}

/// Logs in as the first demo officer from the fixture device, with `http`, and returns the bearer
/// token.
pub async fn officer_token(http: &reqwest::Client, base_url: &str) -> String {
    let request = login_request(DEMO_OFFICER, DEMO_OFFICER_PASSWORD);
    let response = http.post(format!("{base_url}/api/v1/session")).json(&request).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::CREATED, "demo officer login failed");
    response.json::<Session>().await.unwrap().token
}

/// Adds the headers of a signed record to `request`: the record's device and signature, and
/// `sent_at` as the device's clock.
pub fn signed(request: reqwest::RequestBuilder, frozen: &FrozenInspection, sent_at: OffsetDateTime) -> reqwest::RequestBuilder {
    request
        .header(inspection_header::DEVICE_ID, frozen.device_id.to_string())
        .header(inspection_header::SIGNATURE, &frozen.signature)
        .header(inspection_header::SENT_AT, sent_at.format(&Rfc3339).unwrap())
}

/// Sends `frozen` as a device does, with its headers and the current time, and returns the
/// response, whatever its status.
pub async fn put_inspection(http: &reqwest::Client, base_url: &str, frozen: &FrozenInspection, token: &str) -> reqwest::Response {
    let request = http.put(format!("{base_url}/api/v1/inspections/{}", frozen.id)).bearer_auth(token).body(frozen.bytes.clone());
    signed(request, frozen, OffsetDateTime::now_utc()).send().await.unwrap()
}
