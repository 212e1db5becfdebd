//! Logging in to the server under test, as a device does.

use data_encoding::BASE64;
use outlet_core::api::{DeviceRegistration, LoginRequest, Session};
use outlet_server::accounts::demo::{DEMO_ACCOUNTS, DEMO_OFFICER_PASSWORD};

/// Badge number of the first demo officer (jurisdiction 350100, every demo outlet).
pub const DEMO_OFFICER: &str = DEMO_ACCOUNTS[0].0;

/// A login request from a new device: a fresh device id and an Ed25519 key derived from it.
pub fn login_request(badge_no: &str, password: &str) -> LoginRequest {
    let device_id = uuid::Uuid::new_v4();
    let secret: [u8; 32] = device_id.as_u128().to_le_bytes().repeat(2).try_into().unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&secret);
    LoginRequest {
        badge_no: badge_no.into(),
        password: password.into(),
        device: DeviceRegistration { device_id, public_key: BASE64.encode(key.verifying_key().as_bytes()), label: "server test".into() },
    }
}

/// Sends a login and returns the response, whatever its status.
pub async fn post_login(server_url: &str, request: &LoginRequest) -> reqwest::Response {
    reqwest::Client::new().post(format!("{server_url}/api/v1/session")).json(request).send().await.unwrap()
}

/// Logs in from a new device and returns the session; panics when the login fails.
pub async fn log_in(server_url: &str, badge_no: &str, password: &str) -> Session {
    let response = post_login(server_url, &login_request(badge_no, password)).await;
    assert_eq!(response.status(), 201, "login as {badge_no}: {}", response.text().await.unwrap_or_default());
    response.json().await.unwrap()
}

/// Logs in as the first demo officer from a new device and returns the bearer token.
pub async fn demo_officer_token(server_url: &str) -> String {
    log_in(server_url, DEMO_OFFICER, DEMO_OFFICER_PASSWORD).await.token
}

/// Logs in as the first demo officer from a new device, with `http`, and returns the bearer token.
pub async fn officer_token(http: &reqwest::Client, base_url: &str) -> String {
    let request = login_request(DEMO_OFFICER, DEMO_OFFICER_PASSWORD);
    let response = http.post(format!("{base_url}/api/v1/session")).json(&request).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::CREATED, "demo officer login failed");
    response.json::<Session>().await.unwrap().token
}
