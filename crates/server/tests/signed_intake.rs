//! The intake of signed records over real HTTP against the server on 127.0.0.1, on the store of
//! `common::backend`: signatures, device registration, jurisdiction over every outlet, the checks
//! that mirror freezing, clock skew, and the chain audit. Every rejection leaves the store as it was.

mod common;

use common::officer::{start, Fixture};
use common::session::{log_in, log_in_from, put_inspection, signed, TestDevice, DEMO_OFFICER};
use outlet_core::api::{error_code, ApiError, ChainBreak, DeviceChain, Receipt, CLOCK_SKEW_TOLERANCE_SECS};
use outlet_core::fixtures;
use outlet_core::ids::Uscc;
use outlet_core::inspection::FrozenInspection;
use outlet_core::OutletId;
use outlet_server::accounts::demo::{DEMO_ACCOUNTS, DEMO_ADMIN_PASSWORD, DEMO_OFFICER_PASSWORD};
use outlet_server::demo;
use reqwest::StatusCode;
use serde_json::{json, Value};
use time::OffsetDateTime;

fn demo_outlet() -> OutletId {
    demo::demo_cards()[0].outlet.id.clone()
}

/// Returns an outlet of a unit registered in 350200, another city than the demo officer's 350100.
fn other_city_outlet() -> OutletId {
    let uscc = Uscc::with_check_character("91350200MA2KXXXX0").unwrap();
    format!("{uscc}001P-DA001").parse().unwrap()
}

impl Fixture {
    fn stored_count(&self) -> usize {
        self.data.store.inspection_count().unwrap()
    }

    async fn put(&self, frozen: &FrozenInspection) -> reqwest::Response {
        put_inspection(&self.http, &self.server.url(), frozen, &self.token).await
    }

    /// Sends `frozen` with `sent_at` as the device's clock.
    async fn put_sent_at(&self, frozen: &FrozenInspection, sent_at: OffsetDateTime) -> reqwest::Response {
        let request = self.http.put(format!("{}/api/v1/inspections/{}", self.server.url(), frozen.id)).bearer_auth(&self.token).body(frozen.bytes.clone());
        signed(request, frozen, sent_at).send().await.unwrap()
    }

    async fn chain(&self, device_id: &str, token: &str) -> reqwest::Response {
        self.http.get(format!("{}/api/v1/devices/{device_id}/chain", self.server.url())).bearer_auth(token).send().await.unwrap()
    }
}

async fn error_of(response: reqwest::Response, status: StatusCode, description: &str) -> ApiError {
    assert_eq!(response.status(), status, "{description}");
    response.json().await.unwrap()
}

/// The fixture record with its JSON changed by `edit`, signed again by the fixture device, so that
/// only the change can be why the server rejects it.
fn edited_record(edit: impl FnOnce(&mut Value)) -> FrozenInspection {
    let frozen = fixtures::frozen_inspection(demo_outlet(), "正常");
    let mut record: Value = serde_json::from_slice(&frozen.bytes).unwrap();
    edit(&mut record);
    TestDevice::fixture().sign_bytes(frozen.id, serde_json::to_vec(&record).unwrap())
}

#[tokio::test]
async fn forged_signature_rejected_and_nothing_stored() {
    let fixture = start().await;
    let genuine = fixtures::frozen_inspection(demo_outlet(), "正常");

    // The finding changed after signing; the signature is the genuine one.
    let mut altered = genuine.clone();
    altered.bytes = String::from_utf8(genuine.bytes.clone()).unwrap().replace("正常", "篡改").into_bytes();
    // Signed by another key under the fixture device's id.
    let mut other_key = TestDevice::new_random().sign_bytes(genuine.id, genuine.bytes.clone());
    other_key.device_id = genuine.device_id;
    // Not base64 of 64 bytes at all.
    let mut malformed = genuine.clone();
    malformed.signature = "not-a-signature".into();

    for (description, forged) in [("altered body", &altered), ("other key", &other_key), ("malformed signature", &malformed)] {
        let error = error_of(fixture.put(forged).await, StatusCode::BAD_REQUEST, description).await;
        assert_eq!(error.code, error_code::SIGNATURE_INVALID, "{description}");
        assert!(error.message_zh.contains(&genuine.id.to_string()), "{description}: {}", error.message_zh);
        assert!(error.message_en.contains(&genuine.id.to_string()), "{description}: {}", error.message_en);
    }
    assert_eq!(fixture.stored_count(), 0, "a forged record was stored");
    assert_eq!(fixture.data.store.inspection(genuine.id).unwrap(), None);

    assert_eq!(fixture.put(&genuine).await.status(), StatusCode::CREATED, "the genuine record is still accepted");
}

#[tokio::test]
async fn unknown_device_rejected_until_login_on_it() {
    let fixture = start().await;
    let unknown = TestDevice::new_random();
    let frozen = unknown.freeze(&fixtures::complete_draft(demo_outlet(), "新设备"), 1, None);

    let error = error_of(fixture.put(&frozen).await, StatusCode::UNAUTHORIZED, "unknown device").await;

    assert_eq!(error.code, error_code::DEVICE_NOT_REGISTERED);
    assert!(error.message_zh.contains("重新登录"), "{}", error.message_zh);
    assert!(error.message_zh.contains(&unknown.id.to_string()), "{}", error.message_zh);
    assert!(error.message_en.contains("log in again on this device"), "{}", error.message_en);
    assert_eq!(fixture.stored_count(), 0);

    // Logging in on that device registers its key, and the same record then goes through.
    let session = log_in_from(&unknown, &fixture.server.url(), DEMO_OFFICER, DEMO_OFFICER_PASSWORD).await;
    let accepted = put_inspection(&fixture.http, &fixture.server.url(), &frozen, &session.token).await;
    assert_eq!(accepted.status(), StatusCode::CREATED);
    assert_eq!(fixture.stored_count(), 1);
}

#[tokio::test]
async fn device_registered_to_another_officer_rejected() {
    let fixture = start().await;
    let second_officer = DEMO_ACCOUNTS[1].0;
    let device = TestDevice::new_random();
    log_in_from(&device, &fixture.server.url(), second_officer, DEMO_OFFICER_PASSWORD).await;
    let frozen = device.freeze(&fixtures::complete_draft(demo_outlet(), "他人设备"), 1, None);

    let error = error_of(fixture.put(&frozen).await, StatusCode::UNAUTHORIZED, "device of another officer").await;

    assert_eq!(error.code, error_code::DEVICE_NOT_REGISTERED);
    assert_eq!(fixture.stored_count(), 0);
}

#[tokio::test]
async fn one_outlet_outside_jurisdiction_rejects_record() {
    let fixture = start().await;
    let mut draft = fixtures::complete_draft(demo_outlet(), "跨市");
    draft.outlets.push(other_city_outlet());
    let frozen = fixtures::freeze(&draft, 1, None);

    let error = error_of(fixture.put(&frozen).await, StatusCode::FORBIDDEN, "one outlet in another city").await;

    assert_eq!(error.code, error_code::OUTSIDE_JURISDICTION);
    assert!(error.message_zh.contains(&other_city_outlet().to_string()), "{}", error.message_zh);
    assert_eq!(fixture.stored_count(), 0);
}

#[tokio::test]
async fn record_of_several_outlets_in_jurisdiction_accepted() {
    let fixture = start().await;
    let outlets: Vec<OutletId> = demo::demo_cards().into_iter().map(|card| card.outlet.id).collect();
    let mut draft = fixtures::complete_draft(outlets[0].clone(), "多个排放口");
    draft.outlets = outlets.clone();
    let frozen = fixtures::freeze(&draft, 1, None);

    assert_eq!(fixture.put(&frozen).await.status(), StatusCode::CREATED);

    let receipt = fixture.http.get(format!("{}/api/v1/inspections/{}", fixture.server.url(), frozen.id)).bearer_auth(&fixture.token).send().await.unwrap();
    assert_eq!(receipt.status(), StatusCode::OK, "the receipt of a record of {} outlets", outlets.len());
}

#[tokio::test]
async fn clock_skew_flagged_beyond_tolerance() {
    let fixture = start().await;
    let behind = fixtures::frozen_inspection(demo_outlet(), "慢一小时");
    let ahead = fixtures::frozen_inspection(demo_outlet(), "快一小时");
    let close = fixtures::frozen_inspection(demo_outlet(), "差十秒");

    let behind: Receipt = fixture.put_sent_at(&behind, OffsetDateTime::now_utc() - time::Duration::hours(1)).await.json().await.unwrap();
    let ahead: Receipt = fixture.put_sent_at(&ahead, OffsetDateTime::now_utc() + time::Duration::hours(1)).await.json().await.unwrap();
    let close: Receipt = fixture.put_sent_at(&close, OffsetDateTime::now_utc() - time::Duration::seconds(10)).await.json().await.unwrap();

    // The server reads its clock after the request arrives, so the skew can exceed the hour a
    // little but never falls short of it. The margin covers a slow test machine.
    let behind_secs = behind.clock_skew_secs.expect("an hour behind is flagged");
    assert!((-3600 - CLOCK_SKEW_TOLERANCE_SECS..=-3600).contains(&behind_secs), "{behind_secs}");
    let ahead_secs = ahead.clock_skew_secs.expect("an hour ahead is flagged");
    assert!((3600 - CLOCK_SKEW_TOLERANCE_SECS..=3600).contains(&ahead_secs), "{ahead_secs}");
    assert_eq!(close.clock_skew_secs, None, "10 s off is within the tolerance");
    let close_json: Value = serde_json::to_value(&close).unwrap();
    assert!(close_json.get("clock_skew_secs").is_none(), "an unflagged receipt leaves the field out: {close_json}");
    assert_eq!(fixture.stored_count(), 3);
}

#[tokio::test]
async fn resend_returns_identical_receipt_with_skew() {
    let fixture = start().await;
    let frozen = fixtures::frozen_inspection(demo_outlet(), "重发");

    let first = fixture.put_sent_at(&frozen, OffsetDateTime::now_utc() - time::Duration::hours(1)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Receipt = first.json().await.unwrap();
    let resent = fixture.put_sent_at(&frozen, OffsetDateTime::now_utc()).await;
    assert_eq!(resent.status(), StatusCode::OK);
    let resent: Receipt = resent.json().await.unwrap();

    assert!(first.clock_skew_secs.is_some(), "{first:?}");
    assert_eq!(resent, first, "the resend gets the original receipt, skew included");
    let read: Receipt = fixture.http.get(format!("{}/api/v1/inspections/{}", fixture.server.url(), frozen.id)).bearer_auth(&fixture.token).send().await.unwrap().json().await.unwrap();
    assert_eq!(read, first);
    let stored = fixture.data.store.inspection(frozen.id).unwrap().unwrap();
    assert_eq!(stored.device_id, Some(fixtures::DEVICE_ID));
    assert_eq!(stored.signature.as_deref(), Some(frozen.signature.as_str()));
    assert_eq!(fixture.stored_count(), 1);
}

#[tokio::test]
async fn headers_required_and_checked() {
    let fixture = start().await;
    let frozen = fixtures::frozen_inspection(demo_outlet(), "请求头");
    let url = format!("{}/api/v1/inspections/{}", fixture.server.url(), frozen.id);
    let device_id = frozen.device_id.to_string();
    let signature = frozen.signature.as_str();
    let sent_at = "2026-12-04T10:05:00+08:00";
    let other_device = uuid::Uuid::new_v4().to_string();
    // Each request sends the headers given, (device id, signature, sent-at), `None` leaving one out.
    let request = |device_id: Option<&str>, signature: Option<&str>, sent_at: Option<&str>| {
        let mut request = fixture.http.put(&url).bearer_auth(&fixture.token).body(frozen.bytes.clone());
        for (name, value) in [("outlet-device-id", device_id), ("outlet-signature", signature), ("outlet-sent-at", sent_at)] {
            if let Some(value) = value {
                request = request.header(name, value);
            }
        }
        request
    };

    let cases = [
        ("no headers", request(None, None, None), "Outlet-Device-Id"),
        ("no signature", request(Some(&device_id), None, Some(sent_at)), "Outlet-Signature"),
        ("no sent-at", request(Some(&device_id), Some(signature), None), "Outlet-Sent-At"),
        ("device id not a UUID", request(Some("phone-1"), Some(signature), Some(sent_at)), "phone-1"),
        ("sent-at not RFC 3339", request(Some(&device_id), Some(signature), Some("2026/12/04 10:05")), "2026/12/04 10:05"),
        ("device id of another device", request(Some(&other_device), Some(signature), Some(sent_at)), &other_device),
    ];
    for (description, request, named) in cases {
        let error = error_of(request.send().await.unwrap(), StatusCode::BAD_REQUEST, description).await;
        assert_eq!(error.code, "invalid_inspection", "{description}");
        assert!(error.message_en.contains(named), "{description}: {}", error.message_en);
    }
    assert_eq!(fixture.stored_count(), 0);
}

#[tokio::test]
async fn invalid_record_fields_rejected() {
    let fixture = start().await;
    let other_outlet = demo::demo_cards()[1].outlet.id.to_string();
    let measurement = |outlet: &str, value: f64, method: Value| json!({ "outlet": outlet, "pollutant": "二氧化硫", "value": value, "unit": "mg/m³", "method": method });
    let portable = json!({ "kind": "portable_instrument" });

    type Edit = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        ("no outlet", Box::new(|r| r["outlets"] = json!([])), "lists 0 outlets"),
        ("officer without badge", Box::new(|r| r["officers"][1]["badge_no"] = json!(" ")), "Officer 2"),
        ("recorder out of range", Box::new(|r| r["recorder"] = json!(5)), "recorder index 5"),
        ("item answered twice", Box::new(|r| {
            let first = r["answers"][0].clone();
            r["answers"].as_array_mut().unwrap().push(first);
        }), "Checklist item 1 is answered more than once"),
        ("item unanswered", Box::new(|r| {
            r["answers"].as_array_mut().unwrap().pop();
        }), "Checklist item 10"),
        ("measurement of another outlet", Box::new(move |r| r["measurements"] = json!([measurement(&other_outlet, 1.0, portable.clone())])), "Measurement 1 names outlet"),
        ("negative value", Box::new(|r| {
            let outlet = r["outlets"][0].clone();
            r["measurements"] = json!([{ "outlet": outlet, "pollutant": "二氧化硫", "value": -1.0, "unit": "mg/m³", "method": { "kind": "portable_instrument" } }]);
        }), "value -1"),
        ("sample without number", Box::new(|r| {
            let outlet = r["outlets"][0].clone();
            r["measurements"] = json!([{ "outlet": outlet, "pollutant": "COD", "value": 3.0, "unit": "mg/L", "method": { "kind": "sampling", "sample_no": "" } }]);
        }), "sample number"),
        ("latitude off the globe", Box::new(|r| {
            r["location"] = json!({ "kind": "fix", "latitude": 91.0, "longitude": 119.3, "accuracy_m": 8.0, "fixed_at": "2026-12-04T01:05:00Z", "source": "device" });
        }), "latitude 91"),
        ("zero accuracy", Box::new(|r| {
            r["location"] = json!({ "kind": "fix", "latitude": 26.0, "longitude": 119.3, "accuracy_m": 0.0, "fixed_at": "2026-12-04T01:05:00Z", "source": "device" });
        }), "accuracy 0"),
        ("no fix and no reason", Box::new(|r| r["location"] = json!({ "kind": "no_fix", "reason": "  " })), "no position fix"),
        ("article 52", Box::new(|r| r["suspected_violations"] = json!([{ "article": 52 }])), "article 52"),
        ("signature of dots", Box::new(|r| r["acknowledgement"]["signature"] = json!({ "strokes": [[[10, 10]], [[20, 20]]] })), "party's signature"),
        ("signature outside the box", Box::new(|r| r["acknowledgement"]["signature"] = json!({ "strokes": [[[10, 10], [1001, 20]]] })), "party's signature"),
        ("refusal without reason", Box::new(|r| r["acknowledgement"] = json!({ "kind": "refused", "reason": "" })), "no reason is given"),
        ("witness without name", Box::new(|r| {
            r["acknowledgement"] = json!({ "kind": "refused", "reason": "拒签", "witness": { "name": "", "signature": { "strokes": [[[1, 1], [9, 9]]] } } });
        }), "witness"),
        ("place too long", Box::new(|r| r["place"] = json!("路".repeat(501))), "field place has 501"),
        ("finding too long", Box::new(|r| r["finding"] = json!("查".repeat(4001))), "4000"),
        ("device_seq 0", Box::new(|r| r["device_seq"] = json!(0)), "device_seq is 0"),
        ("previous hash not a SHA-256", Box::new(|r| r["previous_sha256"] = json!("abc")), "previous_sha256"),
        ("photo off the globe", Box::new(|r| {
            r["photos"] = json!([{ "sha256": "8b209804013314857700e6cb601f63de72e12b2480c25c86973a0bdf53fdc7d0", "bytes": 69, "position": { "latitude": 26.0, "longitude": 181.0 } }]);
        }), "longitude 181"),
    ];

    for (description, edit, named) in cases {
        let frozen = edited_record(edit);
        let error = error_of(fixture.put(&frozen).await, StatusCode::BAD_REQUEST, description).await;
        assert_eq!(error.code, "invalid_inspection", "{description}");
        assert!(error.message_en.contains(named), "{description}: {}", error.message_en);
        assert!(error.message_zh.starts_with("笔录无效"), "{description}: {}", error.message_zh);
    }
    assert_eq!(fixture.stored_count(), 0);
}

#[tokio::test]
async fn chain_report_finds_gap_and_wrong_previous_hash() {
    let fixture = start().await;
    let device = TestDevice::fixture();
    let draft = |finding: &str| fixtures::complete_draft(demo_outlet(), finding);
    let first = device.freeze(&draft("第一份"), 1, None);
    let second = device.freeze(&draft("第二份"), 2, Some(first.sha256.clone()));
    // Record 3 was never sent; record 4 names it by a hash the server cannot check.
    let fourth = device.freeze(&draft("第四份"), 4, Some("3".repeat(64)));
    // Record 5 names a hash that is not record 4's.
    let fifth = device.freeze(&draft("第五份"), 5, Some(first.sha256.clone()));
    for frozen in [&first, &second, &fourth, &fifth] {
        assert_eq!(fixture.put(frozen).await.status(), StatusCode::CREATED);
    }

    let response = fixture.chain(&device.id.to_string(), &fixture.token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let chain: DeviceChain = response.json().await.unwrap();

    assert_eq!(chain.device_id, device.id);
    let order: Vec<(u64, uuid::Uuid)> = chain.links.iter().map(|link| (link.device_seq, link.inspection_id)).collect();
    assert_eq!(order, [(1, first.id), (2, second.id), (4, fourth.id), (5, fifth.id)]);
    assert_eq!(chain.links[1].sha256, second.sha256);
    let expected_mismatch = ChainBreak::PreviousMismatch {
        device_seq: 5,
        inspection_id: fifth.id,
        previous_sha256: Some(first.sha256.clone()),
        expected_sha256: vec![fourth.sha256.clone()],
    };
    assert_eq!(chain.breaks, [ChainBreak::Missing { first_seq: 3, last_seq: 3 }, expected_mismatch]);
}

#[tokio::test]
async fn unbroken_chain_has_no_breaks() {
    let fixture = start().await;
    let device = TestDevice::fixture();
    let mut previous: Option<String> = None;
    for seq in 1..=3 {
        let frozen = device.freeze(&fixtures::complete_draft(demo_outlet(), &format!("第 {seq} 份")), seq, previous.clone());
        assert_eq!(fixture.put(&frozen).await.status(), StatusCode::CREATED);
        previous = Some(frozen.sha256);
    }

    let chain: DeviceChain = fixture.chain(&device.id.to_string(), &fixture.token).await.json().await.unwrap();

    assert_eq!(chain.links.len(), 3);
    assert_eq!(chain.breaks, []);
}

#[tokio::test]
async fn chain_access_by_role_and_device() {
    let fixture = start().await;
    let url = fixture.server.url();
    let frozen = fixtures::frozen_inspection(demo_outlet(), "链");
    assert_eq!(fixture.put(&frozen).await.status(), StatusCode::CREATED);
    let device_id = fixtures::DEVICE_ID.to_string();
    let stranger = log_in_from(&TestDevice::new_random(), &url, DEMO_ACCOUNTS[1].0, DEMO_OFFICER_PASSWORD).await.token;
    let admin = log_in_from(&TestDevice::new_random(), &url, DEMO_ACCOUNTS[2].0, DEMO_ADMIN_PASSWORD).await.token;

    let own = fixture.chain(&device_id, &fixture.token).await;
    assert_eq!(own.status(), StatusCode::OK, "an officer audits a device of their own");
    let by_admin = fixture.chain(&device_id, &admin).await;
    assert_eq!(by_admin.status(), StatusCode::OK, "an administrator audits any device");
    let by_admin: DeviceChain = by_admin.json().await.unwrap();
    assert_eq!(by_admin.links.len(), 1);

    let error = error_of(fixture.chain(&device_id, &stranger).await, StatusCode::FORBIDDEN, "another officer's device").await;
    assert_eq!(error.code, "device_chain_forbidden");
    assert!(error.message_zh.contains(&device_id), "{}", error.message_zh);
    let error = error_of(fixture.chain("phone-1", &admin).await, StatusCode::BAD_REQUEST, "device id not a UUID").await;
    assert_eq!(error.code, "invalid_device_id");
    let anonymous = fixture.http.get(format!("{url}/api/v1/devices/{device_id}/chain")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn second_officer_sends_from_shared_device() {
    // The two demo officers share the fixture device. The second one logs in on it, which registers
    // the device's key for that account too, and sends a record the first one recorded.
    let fixture = start().await;
    let second = log_in(&fixture.server.url(), DEMO_ACCOUNTS[1].0, DEMO_OFFICER_PASSWORD).await.token;
    let frozen = fixtures::frozen_inspection(demo_outlet(), "第二位执法人员发送");

    let response = put_inspection(&fixture.http, &fixture.server.url(), &frozen, &second).await;

    assert_eq!(response.status(), StatusCode::CREATED);
}
