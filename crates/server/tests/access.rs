//! Accounts and access over real HTTP against the server on 127.0.0.1: every attack on the login
//! tokens and the jurisdictions is rejected with its status and error code, and the stored
//! inspections and card versions stay as they were.

mod common;

use common::backend::Backend;
use common::session::{demo_officer_token, log_in, log_in_from, login_request, post_login, signed, TestDevice, DEMO_OFFICER};
use data_encoding::{BASE64, BASE64URL_NOPAD};
use outlet_core::fixtures;
use outlet_core::api::{error_code, ApiError, Role, SessionStatus};
use outlet_core::inspection::FrozenInspection;
use outlet_core::OutletId;
use outlet_server::accounts::demo::{DEMO_ADMIN_PASSWORD, DEMO_OFFICER_PASSWORD};
use outlet_server::accounts::{self, Clock, NewAccount, DEFAULT_TOKEN_TTL};
use outlet_server::{demo, DataDir, RunningServer};
use reqwest::{Method, StatusCode};
use time::OffsetDateTime;

/// Badge number of the demo administrator (jurisdiction 350100).
const DEMO_ADMIN: &str = "35009001";

/// An officer of district 350102, inside the demo city but not containing its outlets (their units
/// are registered in 350100 itself).
const DISTRICT_OFFICER: &str = "D350102";

/// An officer of another city, 350200.
const OTHER_CITY_OFFICER: &str = "X350200";

/// Password of the officers these tests create.
const PASSWORD: &str = "test-password-1";

struct Fixture {
    data: DataDir,
    server: RunningServer,
    clock: Clock,
    http: reqwest::Client,
    _backend: Backend,
}

async fn start() -> Fixture {
    let backend = Backend::new();
    let data = backend.open(true);
    for (badge_no, region) in [(DISTRICT_OFFICER, "350102"), (OTHER_CITY_OFFICER, "350200")] {
        let new = NewAccount { badge_no: badge_no.into(), name: "测试执法".into(), region: region.into(), role: Role::Officer };
        accounts::create_account(data.store.as_ref(), &new, PASSWORD, OffsetDateTime::now_utc()).unwrap();
    }
    let state = data.state(None);
    let clock = state.clock.clone();
    let server = RunningServer::start("127.0.0.1:0", state).await.unwrap();
    Fixture { data, server, clock, http: reqwest::Client::new(), _backend: backend }
}

fn demo_outlet() -> OutletId {
    demo::demo_cards()[0].outlet.id.clone()
}

fn frozen_inspection() -> FrozenInspection {
    fixtures::frozen_inspection(demo_outlet(), "")
}

/// What the attacks must leave unchanged: the number of stored inspections and every card's version.
#[derive(Debug, PartialEq, Eq)]
struct Stored {
    inspections: usize,
    card_versions: Vec<(String, u64)>,
}

/// One request of the protected API, with the record it sends, if any.
struct Call {
    method: Method,
    path: String,
    record: Option<FrozenInspection>,
}

impl Fixture {
    fn stored(&self) -> Stored {
        let mut card_versions: Vec<(String, u64)> =
            self.data.store.cards().unwrap().into_iter().map(|card| (card.outlet.id.to_string(), card.version)).collect();
        card_versions.sort();
        Stored { inspections: self.data.store.inspection_count().unwrap(), card_versions }
    }

    /// Lists every protected request an officer's device makes, for the demo outlet and its region.
    fn protected_calls(&self, frozen: &FrozenInspection) -> Vec<Call> {
        let outlet = demo_outlet();
        vec![
            Call { method: Method::GET, path: format!("/api/v1/outlets/{outlet}/card"), record: None },
            Call { method: Method::GET, path: "/api/v1/regions/350100/changes".into(), record: None },
            Call { method: Method::PUT, path: format!("/api/v1/inspections/{}", frozen.id), record: Some(frozen.clone()) },
            Call { method: Method::GET, path: format!("/api/v1/inspections/{}", frozen.id), record: None },
            Call { method: Method::GET, path: format!("/api/v1/devices/{}/chain", frozen.device_id), record: None },
            Call { method: Method::GET, path: "/api/v1/session".into(), record: None },
            Call { method: Method::GET, path: "/api/v1/accounts".into(), record: None },
        ]
    }

    async fn send(&self, call: &Call, authorization: Option<&str>) -> reqwest::Response {
        let mut request = self.http.request(call.method.clone(), format!("{}{}", self.server.url(), call.path));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        if let Some(frozen) = &call.record {
            request = signed(request.body(frozen.bytes.clone()), frozen, OffsetDateTime::now_utc());
        }
        request.send().await.unwrap()
    }

    async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.http.get(format!("{}{path}", self.server.url())).bearer_auth(token).send().await.unwrap()
    }

    async fn put_inspection(&self, frozen: &FrozenInspection, token: &str) -> reqwest::Response {
        common::session::put_inspection(&self.http, &self.server.url(), frozen, token).await
    }

    /// Sends every protected request with `authorization` and checks that each gets `status` and
    /// `code` and that nothing stored changed.
    async fn assert_all_rejected(&self, authorization: Option<&str>, status: StatusCode, code: &str) {
        let before = self.stored();
        let frozen = frozen_inspection();

        for call in self.protected_calls(&frozen) {
            let response = self.send(&call, authorization).await;
            let description = format!("{} {}", call.method, call.path);
            assert_error(response, status, code, &description).await;
        }

        assert_eq!(self.stored(), before, "a rejected request changed what is stored");
    }
}

/// Checks a rejection's status, code, both messages and, for a 401, the Bearer challenge.
async fn assert_error(response: reqwest::Response, status: StatusCode, code: &str, description: &str) -> ApiError {
    assert_eq!(response.status(), status, "{description}");
    if status == StatusCode::UNAUTHORIZED {
        let challenge = response.headers().get("www-authenticate").map(|value| value.to_str().unwrap().to_string());
        assert!(challenge.as_deref().is_some_and(|value| value.starts_with("Bearer")), "{description}: WWW-Authenticate is {challenge:?}");
    }
    let error: ApiError = response.json().await.unwrap();
    assert_eq!(error.code, code, "{description}");
    assert!(!error.message_zh.is_empty(), "{description}: no Chinese message");
    assert!(!error.message_en.is_empty(), "{description}: no English message");
    error
}

#[tokio::test]
async fn missing_token_rejected() {
    let fixture = start().await;
    fixture.assert_all_rejected(None, StatusCode::UNAUTHORIZED, error_code::TOKEN_MISSING).await;
}

#[tokio::test]
async fn forged_tokens_rejected() {
    let fixture = start().await;
    let real = demo_officer_token(&fixture.server.url()).await;

    // One character changed, so the token is well formed but its hash is unknown.
    let mut altered = real.clone().into_bytes();
    altered[0] = if altered[0] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    let random = BASE64URL_NOPAD.encode(&[0x5a; 32]);

    for authorization in [format!("Bearer {altered}"), format!("Bearer {random}"), "Bearer not-a-token".into(), format!("Basic {real}"), "Bearer".into()] {
        fixture.assert_all_rejected(Some(&authorization), StatusCode::UNAUTHORIZED, error_code::TOKEN_INVALID).await;
    }
}

#[tokio::test]
async fn expired_token_rejected() {
    let fixture = start().await;
    let session = log_in(&fixture.server.url(), DEMO_OFFICER, DEMO_OFFICER_PASSWORD).await;
    let lifetime = session.expires_at - fixture.clock.now();
    assert!(lifetime <= DEFAULT_TOKEN_TTL, "token lifetime {lifetime}");
    assert!(lifetime > DEFAULT_TOKEN_TTL - time::Duration::minutes(5), "token lifetime {lifetime}");
    assert_eq!(fixture.get("/api/v1/session", &session.token).await.status(), StatusCode::OK);

    fixture.clock.advance(DEFAULT_TOKEN_TTL + time::Duration::seconds(1));

    let authorization = format!("Bearer {}", session.token);
    fixture.assert_all_rejected(Some(&authorization), StatusCode::UNAUTHORIZED, error_code::TOKEN_EXPIRED).await;
}

#[tokio::test]
async fn token_ttl_is_configurable() {
    let backend = Backend::new();
    let data = backend.open(true);
    let state = data.state(None).with_token_ttl(time::Duration::hours(1));
    let clock = state.clock.clone();
    let server = RunningServer::start("127.0.0.1:0", state).await.unwrap();

    let session = log_in(&server.url(), DEMO_OFFICER, DEMO_OFFICER_PASSWORD).await;

    let lifetime = session.expires_at - clock.now();
    assert!(lifetime <= time::Duration::hours(1), "token lifetime {lifetime}");
    assert!(lifetime > time::Duration::minutes(55), "token lifetime {lifetime}");
}

#[tokio::test]
async fn token_revoked_by_logout() {
    let fixture = start().await;
    let url = fixture.server.url();
    let session = log_in(&url, DEMO_OFFICER, DEMO_OFFICER_PASSWORD).await;
    let other_device = log_in_from(&TestDevice::new_random(), &url, DEMO_OFFICER, DEMO_OFFICER_PASSWORD).await;

    let logout = fixture.http.delete(format!("{url}/api/v1/session")).bearer_auth(&session.token).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);

    let authorization = format!("Bearer {}", session.token);
    fixture.assert_all_rejected(Some(&authorization), StatusCode::UNAUTHORIZED, error_code::TOKEN_REVOKED).await;
    let card = fixture.get(&format!("/api/v1/outlets/{}/card", demo_outlet()), &other_device.token).await;
    assert_eq!(card.status(), StatusCode::OK, "the other device's login stays valid");
}

#[tokio::test]
async fn disabled_account_rejected() {
    let fixture = start().await;
    let url = fixture.server.url();
    let token = demo_officer_token(&url).await;
    let store = fixture.data.store.as_ref();

    accounts::set_disabled(store, DEMO_OFFICER, true, OffsetDateTime::now_utc()).unwrap();

    let authorization = format!("Bearer {token}");
    fixture.assert_all_rejected(Some(&authorization), StatusCode::UNAUTHORIZED, error_code::ACCOUNT_DISABLED).await;
    let login = post_login(&url, &login_request(DEMO_OFFICER, DEMO_OFFICER_PASSWORD)).await;
    let error = assert_error(login, StatusCode::UNAUTHORIZED, error_code::ACCOUNT_DISABLED, "login while disabled").await;
    assert!(error.message_zh.contains(DEMO_OFFICER), "{}", error.message_zh);

    accounts::set_disabled(store, DEMO_OFFICER, false, OffsetDateTime::now_utc()).unwrap();

    fixture.assert_all_rejected(Some(&authorization), StatusCode::UNAUTHORIZED, error_code::TOKEN_REVOKED).await;
    let fresh = demo_officer_token(&url).await;
    assert_eq!(fixture.get("/api/v1/session", &fresh).await.status(), StatusCode::OK, "a new login works once enabled");
}

#[tokio::test]
async fn password_reset_revokes_tokens() {
    let fixture = start().await;
    let url = fixture.server.url();
    let token = demo_officer_token(&url).await;

    accounts::reset_password(fixture.data.store.as_ref(), DEMO_OFFICER, "a-new-password", OffsetDateTime::now_utc()).unwrap();

    let authorization = format!("Bearer {token}");
    fixture.assert_all_rejected(Some(&authorization), StatusCode::UNAUTHORIZED, error_code::TOKEN_REVOKED).await;
    let old_password = post_login(&url, &login_request(DEMO_OFFICER, DEMO_OFFICER_PASSWORD)).await;
    assert_error(old_password, StatusCode::UNAUTHORIZED, error_code::INVALID_CREDENTIALS, "login with the old password").await;
    log_in(&url, DEMO_OFFICER, "a-new-password").await;
}

#[tokio::test]
async fn other_jurisdiction_cannot_read_or_submit() {
    let fixture = start().await;
    let url = fixture.server.url();
    let frozen = frozen_inspection();
    let outlet = demo_outlet();

    // A record of the demo outlet, stored by its own officer, for the receipt check below.
    let own = demo_officer_token(&url).await;
    assert_eq!(fixture.put_inspection(&frozen, &own).await.status(), StatusCode::CREATED);
    let before = fixture.stored();

    for badge_no in [DISTRICT_OFFICER, OTHER_CITY_OFFICER] {
        let token = log_in(&url, badge_no, PASSWORD).await.token;

        let card = fixture.get(&format!("/api/v1/outlets/{outlet}/card"), &token).await;
        let error = assert_error(card, StatusCode::FORBIDDEN, error_code::OUTSIDE_JURISDICTION, &format!("{badge_no} reads the card")).await;
        assert!(error.message_zh.contains(&outlet.to_string()), "{}", error.message_zh);
        let changes = fixture.get("/api/v1/regions/350100/changes", &token).await;
        assert_error(changes, StatusCode::FORBIDDEN, error_code::OUTSIDE_JURISDICTION, &format!("{badge_no} reads the city's feed")).await;
        let receipt = fixture.get(&format!("/api/v1/inspections/{}", frozen.id), &token).await;
        assert_error(receipt, StatusCode::FORBIDDEN, error_code::OUTSIDE_JURISDICTION, &format!("{badge_no} reads a receipt")).await;

        let submitted = fixture.put_inspection(&frozen_inspection(), &token).await;
        assert_error(submitted, StatusCode::FORBIDDEN, error_code::OUTSIDE_JURISDICTION, &format!("{badge_no} submits")).await;
    }

    assert_eq!(fixture.stored(), before, "a rejected request changed what is stored");
}

#[tokio::test]
async fn feed_limited_to_own_jurisdiction() {
    let fixture = start().await;
    let url = fixture.server.url();
    let district = log_in(&url, DISTRICT_OFFICER, PASSWORD).await.token;
    let city = demo_officer_token(&url).await;

    let own_district = fixture.get("/api/v1/regions/350102/changes", &district).await;
    assert_eq!(own_district.status(), StatusCode::OK);
    let district_of_city = fixture.get("/api/v1/regions/350102/changes", &city).await;
    assert_eq!(district_of_city.status(), StatusCode::OK, "a city officer reads its districts");
    let province = fixture.get("/api/v1/regions/350000/changes", &city).await;
    assert_error(province, StatusCode::FORBIDDEN, error_code::OUTSIDE_JURISDICTION, "a city officer reads the province").await;
}

#[tokio::test]
async fn roles_enforced() {
    let fixture = start().await;
    let url = fixture.server.url();
    let officer = demo_officer_token(&url).await;
    let admin = log_in(&url, DEMO_ADMIN, DEMO_ADMIN_PASSWORD).await.token;
    let before = fixture.stored();

    let listing = fixture.get("/api/v1/accounts", &officer).await;
    assert_error(listing, StatusCode::FORBIDDEN, error_code::ROLE_REQUIRED, "an officer lists accounts").await;
    let submitted = fixture.put_inspection(&frozen_inspection(), &admin).await;
    assert_error(submitted, StatusCode::FORBIDDEN, error_code::ROLE_REQUIRED, "an administrator submits").await;
    assert_eq!(fixture.stored(), before, "a rejected request changed what is stored");

    let listing = fixture.get("/api/v1/accounts", &admin).await;
    assert_eq!(listing.status(), StatusCode::OK);
    let listing: Vec<serde_json::Value> = listing.json().await.unwrap();
    let badges: Vec<&str> = listing.iter().map(|account| account["badge_no"].as_str().unwrap()).collect();
    assert_eq!(badges, ["35000001", "35000002", DEMO_ADMIN, DISTRICT_OFFICER], "the city's accounts, its district's included");
    assert!(listing.iter().all(|account| account.get("password_hash").is_none()), "the listing shows a password hash");
    let card = fixture.get(&format!("/api/v1/outlets/{}/card", demo_outlet()), &admin).await;
    assert_eq!(card.status(), StatusCode::OK, "an administrator reads the cards of the jurisdiction");
}

#[tokio::test]
async fn login_failures_say_little() {
    let fixture = start().await;
    let url = fixture.server.url();

    let wrong_password = post_login(&url, &login_request(DEMO_OFFICER, "not-the-password")).await;
    let wrong = assert_error(wrong_password, StatusCode::UNAUTHORIZED, error_code::INVALID_CREDENTIALS, "wrong password").await;
    let unknown_badge = post_login(&url, &login_request("NOBODY", DEMO_OFFICER_PASSWORD)).await;
    let unknown = assert_error(unknown_badge, StatusCode::UNAUTHORIZED, error_code::INVALID_CREDENTIALS, "unknown badge").await;
    assert_eq!(wrong, unknown, "the answer does not tell an unknown badge from a wrong password");

    let mut bad_key = login_request(DEMO_OFFICER, DEMO_OFFICER_PASSWORD);
    bad_key.device.public_key = BASE64.encode(b"short");
    assert_error(post_login(&url, &bad_key).await, StatusCode::BAD_REQUEST, "invalid_login", "bad device key").await;
    let not_json = fixture.http.post(format!("{url}/api/v1/session")).body("{").send().await.unwrap();
    assert_error(not_json, StatusCode::BAD_REQUEST, "invalid_login", "body not JSON").await;
}

#[tokio::test]
async fn device_keeps_its_first_key() {
    let fixture = start().await;
    let url = fixture.server.url();
    let first = login_request(DEMO_OFFICER, DEMO_OFFICER_PASSWORD);
    assert_eq!(post_login(&url, &first).await.status(), StatusCode::CREATED);
    assert_eq!(post_login(&url, &first).await.status(), StatusCode::CREATED, "the same key logs in again");

    let mut other_key = first.clone();
    other_key.device.public_key = BASE64.encode(ed25519_dalek::SigningKey::from_bytes(&[8; 32]).verifying_key().as_bytes());
    let conflict = post_login(&url, &other_key).await;

    assert_error(conflict, StatusCode::CONFLICT, "device_key_conflict", "another key for the device").await;
    let stored = fixture.data.store.device_key(DEMO_OFFICER, first.device.device_id).unwrap().expect("the first key is stored");
    assert_eq!(stored.public_key, first.device.public_key);
}

#[tokio::test]
async fn session_names_account_and_device() {
    let fixture = start().await;
    let request = login_request(" 35000001 ", DEMO_OFFICER_PASSWORD);
    let login = post_login(&fixture.server.url(), &request).await;
    assert_eq!(login.status(), StatusCode::CREATED);
    let session: outlet_core::api::Session = login.json().await.unwrap();

    let status: SessionStatus = fixture.get("/api/v1/session", &session.token).await.json().await.unwrap();

    assert_eq!(status.account.badge_no, DEMO_OFFICER);
    assert_eq!(status.account.name, "林执法");
    assert_eq!(status.account.region.as_str(), "350100");
    assert_eq!(status.account.role, Role::Officer);
    assert_eq!(status.device_id, request.device.device_id);
    assert_eq!(status.expires_at, session.expires_at);
    let stored = fixture.data.store.token(&sha256_hex(&session.token)).unwrap().expect("the token's hash is stored");
    assert_eq!(stored.badge_no, DEMO_OFFICER);
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}
