//! The HTTP API against the real server on 127.0.0.1 with a real store (see `common::backend`).

mod common;

use outlet_core::fixtures;
use outlet_core::api::{ApiError, Receipt};
use outlet_core::inspection::FrozenInspection;
use outlet_core::OutletId;
use common::backend::Backend;
use common::officer::{start, Fixture};
use common::session::{signed, TestDevice};
use outlet_server::{demo, RunningServer};
use reqwest::StatusCode;
use time::OffsetDateTime;

fn demo_outlet() -> OutletId {
    demo::demo_cards()[0].outlet.id.clone()
}

fn frozen_inspection(finding: &str) -> FrozenInspection {
    fixtures::frozen_inspection(demo_outlet(), finding)
}

impl Fixture {
    /// Sends `body` to `/api/v1/inspections/{id}`, signed by the fixture device whatever it holds.
    async fn put(&self, id: &str, body: Vec<u8>) -> reqwest::Response {
        let frozen = TestDevice::fixture().sign_bytes(uuid::Uuid::nil(), body);
        let request = self.http.put(format!("{}/api/v1/inspections/{id}", self.server.url())).bearer_auth(&self.token).body(frozen.bytes.clone());
        signed(request, &frozen, OffsetDateTime::now_utc()).send().await.unwrap()
    }

    fn stored_count(&self) -> usize {
        self.data.store.inspection_count().unwrap()
    }
}

#[tokio::test]
async fn inspection_put_twice_stores_one() {
    let fixture = start().await;
    let frozen = frozen_inspection("正常");

    let first = fixture.put(&frozen.id.to_string(), frozen.bytes.clone()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Receipt = first.json().await.unwrap();

    let second = fixture.put(&frozen.id.to_string(), frozen.bytes.clone()).await;
    assert_eq!(second.status(), StatusCode::OK);
    let second: Receipt = second.json().await.unwrap();

    assert_eq!(first, second);
    assert!(first.acknowledges(frozen.id, &frozen.sha256));
    assert_eq!(fixture.stored_count(), 1);
}

#[tokio::test]
async fn inspection_same_id_other_bytes_conflicts() {
    let fixture = start().await;
    let original = frozen_inspection("正常");
    // The same device signs other content under the same id, as a device whose store lost the
    // first freeze might.
    let mut draft = fixtures::complete_draft(demo_outlet(), "改过的内容");
    draft.id = original.id;
    let altered = fixtures::freeze(&draft, 1, None);

    assert_eq!(fixture.put(&original.id.to_string(), original.bytes.clone()).await.status(), StatusCode::CREATED);
    let conflict = fixture.put(&original.id.to_string(), altered.bytes).await;

    assert_eq!(conflict.status(), StatusCode::CONFLICT);
    let error: ApiError = conflict.json().await.unwrap();
    assert_eq!(error.code, "inspection_conflict");
    let stored = fixture.data.store.inspection(original.id).unwrap().unwrap();
    assert_eq!(stored.record.as_bytes(), original.bytes.as_slice());
}

#[tokio::test]
async fn malformed_body_is_rejected_and_nothing_changes() {
    let fixture = start().await;
    let frozen = frozen_inspection("正常");
    fixture.put(&frozen.id.to_string(), frozen.bytes.clone()).await;

    let cases: Vec<(String, Vec<u8>)> = vec![
        (uuid::Uuid::new_v4().to_string(), b"{not json".to_vec()),
        (uuid::Uuid::new_v4().to_string(), vec![0xff, 0xfe, 0x00]),
        ("not-a-uuid".into(), frozen.bytes.clone()),
        (uuid::Uuid::new_v4().to_string(), frozen.bytes.clone()),
    ];
    for (id, body) in cases {
        let response = fixture.put(&id, body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "id {id}");
        let error: ApiError = response.json().await.unwrap();
        assert_eq!(error.code, "invalid_inspection");
        assert!(error.message_zh.starts_with("笔录无效"), "{}", error.message_zh);
        assert!(!error.message_zh.contains(" the "), "the Chinese message holds no English: {}", error.message_zh);
    }
    assert_eq!(fixture.stored_count(), 1);
}

#[tokio::test]
async fn record_with_one_officer_is_rejected() {
    let fixture = start().await;
    let frozen = frozen_inspection("正常");
    let mut record: serde_json::Value = serde_json::from_slice(&frozen.bytes).unwrap();
    record["officers"].as_array_mut().unwrap().pop();

    let response = fixture.put(&frozen.id.to_string(), serde_json::to_vec(&record).unwrap()).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(fixture.stored_count(), 0);
}

#[tokio::test]
async fn oversized_body_gets_413() {
    let fixture = start().await;
    let response = fixture.put(&uuid::Uuid::new_v4().to_string(), vec![b' '; outlet_server::MAX_INSPECTION_BYTES + 1]).await;

    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let error: ApiError = response.json().await.unwrap();
    assert_eq!(error.code, "body_too_large");
    assert!(error.message_zh.contains(&outlet_server::MAX_INSPECTION_BYTES.to_string()), "{}", error.message_zh);
    assert_eq!(fixture.stored_count(), 0);
}

#[tokio::test]
async fn card_etag_gives_not_modified() {
    let fixture = start().await;
    let url = format!("{}/api/v1/outlets/{}/card", fixture.server.url(), demo_outlet());

    let first = fixture.http.get(&url).bearer_auth(&fixture.token).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()["etag"].to_str().unwrap().to_string();

    let again = fixture.http.get(&url).bearer_auth(&fixture.token).header("if-none-match", etag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn card_of_bad_and_unknown_outlets() {
    let fixture = start().await;
    let bad = fixture.http.get(format!("{}/api/v1/outlets/DA001/card", fixture.server.url())).bearer_auth(&fixture.token).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    let unknown = fixture
        .http
        .get(format!("{}/api/v1/outlets/91350100M000100Y43001P-DA009/card", fixture.server.url()))
        .bearer_auth(&fixture.token)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let error: ApiError = unknown.json().await.unwrap();
    assert!(error.message_zh.contains("91350100M000100Y43001P-DA009"));
}

#[tokio::test]
async fn public_page_shows_public_subset_only() {
    let fixture = start().await;
    let paper_mill = demo::demo_cards().into_iter().find(|c| c.outlet.id.outlet_code.as_str() == "DW001").unwrap();
    let frozen = fixtures::frozen_inspection(paper_mill.outlet.id.clone(), "内部检查意见");
    let submitted = common::session::put_inspection(&fixture.http, &fixture.server.url(), &frozen, &fixture.token).await;
    assert_eq!(submitted.status(), StatusCode::CREATED);

    let url = format!("{}/O/{}", fixture.server.url(), paper_mill.outlet.id);
    let response = fixture.http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let page = response.text().await.unwrap();

    assert!(page.contains(&paper_mill.unit.name));
    assert!(page.contains("化学需氧量"));
    assert!(page.contains("12369"));
    assert!(page.contains("示环罚〔2025〕31号"), "public penalty missing");
    assert!(page.contains("96 mg/L <strong>超标</strong>"), "exceedance not marked");
    assert!(!page.contains("内部记录"), "internal enforcement record leaked");
    assert!(!page.contains("内部检查意见"), "inspection finding leaked");
    assert!(!page.contains("林执法"), "officer name leaked");
    assert!(!page.contains("35000001"), "badge number leaked");
}

#[tokio::test]
async fn public_page_escapes_registry_text() {
    let fixture = start().await;
    let mut card = demo::demo_cards().remove(0);
    card.unit.name = "<script>alert(1)</script>".into();
    fixture.data.store.put_card(&card).unwrap();

    let page = fixture.http.get(format!("{}/o/{}", fixture.server.url(), card.outlet.id)).send().await.unwrap().text().await.unwrap();

    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn signed_placard_url_opens_public_page() {
    let fixture = start().await;
    let outlet = demo_outlet();
    let qr_text = fixture.data.keyring.active_signer().unwrap().sign(&outlet, 1).to_qr_text(&fixture.server.url());

    let response = fixture.http.get(&qr_text).send().await.unwrap();

    assert_eq!(response.status(), StatusCode::OK, "{qr_text}");
    assert!(response.text().await.unwrap().contains(outlet.outlet_code.as_str()));
}

#[tokio::test]
async fn public_page_unknown_outlet_404() {
    let fixture = start().await;
    let response = fixture.http.get(format!("{}/o/nonsense", fixture.server.url())).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("未找到排放口 nonsense"));
}

#[tokio::test]
async fn public_page_says_placard_replaced() {
    let fixture = start().await;
    let outlet = demo_outlet();
    let (store, keyring) = (fixture.data.store.as_ref(), &fixture.data.keyring);
    let first = outlet_server::placards::issue(store, keyring, &outlet, &outlet_server::placards::IssueMode::Current).unwrap();
    let reissue = outlet_server::placards::IssueMode::Reissue { reason: "damaged".into() };
    let second = outlet_server::placards::issue(store, keyring, &outlet, &reissue).unwrap();
    let url = fixture.server.url();

    let old_page = fixture.http.get(first.payload.to_qr_text(&url)).send().await.unwrap().text().await.unwrap();
    let new_page = fixture.http.get(second.payload.to_qr_text(&url)).send().await.unwrap().text().await.unwrap();

    assert!(old_page.contains("此标志牌已被更换"), "old placard page lacks the replacement notice");
    assert!(!new_page.contains("此标志牌已被更换"), "current placard page shows the replacement notice");
}

#[tokio::test]
async fn public_page_says_key_retired() {
    let backend = Backend::new();
    let outlet = demo_outlet();
    let old_payload = {
        let mut data = backend.open(true);
        let issued = outlet_server::placards::issue(data.store.as_ref(), &data.keyring, &outlet, &outlet_server::placards::IssueMode::Current).unwrap();
        data.keyring.rotate().unwrap();
        data.keyring.retire("K1").unwrap();
        issued.payload
    };
    let data = backend.open(false);
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();

    let page = reqwest::get(old_payload.to_qr_text(&server.url())).await.unwrap().text().await.unwrap();

    assert!(page.contains("此标志牌的签名已停用"), "retired-key notice missing");
    assert!(page.contains(outlet.outlet_code.as_str()));
}
