//! The change feed over real HTTP: paging by cursor, one entry per outlet, removals, jurisdictions.

mod common;

use outlet_core::api::{ApiError, ChangePage, RemovalReason};
use outlet_core::card::PermitStatus;
use common::backend::Backend;
use outlet_core::api::Role;
use outlet_server::accounts::{create_account, NewAccount};
use outlet_server::{demo, DataDir, RunningServer};
use time::OffsetDateTime;

/// Password of the province administrator these tests create.
const PROVINCE_PASSWORD: &str = "province-admin-1";

/// Creates an administrator of province 350000, whose jurisdiction covers every region these tests
/// ask for, and logs in as it.
async fn province_token(data: &DataDir, server: &RunningServer) -> String {
    let admin = NewAccount { badge_no: "P350000".into(), name: "省厅管理员".into(), region: "350000".into(), role: Role::Admin };
    create_account(data.store.as_ref(), &admin, PROVINCE_PASSWORD, OffsetDateTime::now_utc()).unwrap();
    common::session::log_in(&server.url(), "P350000", PROVINCE_PASSWORD).await.token
}

async fn page(server: &RunningServer, token: &str, region: &str, since: u64, limit: usize) -> ChangePage {
    let url = format!("{}/api/v1/regions/{region}/changes?since={since}&limit={limit}&count=true", server.url());
    let response = reqwest::Client::new().get(url).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn feed_pages_one_entry_per_outlet() {
    let backend = Backend::new();
    let data = backend.open(true);
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let token = province_token(&data, &server).await;
    let cards = demo::demo_cards();

    let first = page(&server, &token, "350100", 0, 2).await;
    assert_eq!(first.changes.len(), 2);
    assert_eq!(first.pending, Some(cards.len() as u64));
    assert!(!first.complete);
    let rest = page(&server, &token, "350100", first.next_cursor, 100).await;
    assert_eq!(rest.changes.len(), cards.len() - 2);
    assert!(rest.complete);

    let mut revoked = cards[1].clone();
    revoked.permit.status = PermitStatus::Revoked;
    data.store.upsert_card(&revoked).unwrap();
    let mut renamed = cards[1].clone();
    renamed.outlet.name = "改名后".into();
    renamed.permit.status = PermitStatus::Revoked;
    data.store.upsert_card(&renamed).unwrap();

    let delta = page(&server, &token, "350100", rest.next_cursor, 100).await;
    assert_eq!(delta.changes.len(), 1, "two changes of one outlet leave one entry");
    assert_eq!(delta.changes[0].outlet, revoked.outlet.id);
    assert_eq!(delta.changes[0].removed, Some(RemovalReason::PermitRevoked));
    assert_eq!(delta.changes[0].card, None);
    let all = page(&server, &token, "350000", 0, 100).await;
    assert_eq!(all.changes.len(), cards.len(), "the province holds the city's outlets");
    assert_eq!(all.changes.last().unwrap().outlet, revoked.outlet.id);
    assert!(all.changes.windows(2).all(|pair| pair[0].cursor < pair[1].cursor));
}

#[tokio::test]
async fn other_and_malformed_regions() {
    let backend = Backend::new();
    let data = backend.open(true);
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let token = province_token(&data, &server).await;

    let other = page(&server, &token, "350200", 0, 100).await;
    assert!(other.changes.is_empty());
    assert!(other.complete);
    assert_eq!(other.pending, Some(0));

    let response = reqwest::Client::new().get(format!("{}/api/v1/regions/35A100/changes", server.url())).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 400);
    let error: ApiError = response.json().await.unwrap();
    assert!(error.message_zh.contains("35A100"), "{}", error.message_zh);

    for query in ["since=abc", "since=18446744073709551616", "since=18446744073709551615&count=true", "limit=-1", "count=maybe"] {
        let url = format!("{}/api/v1/regions/350100/changes?{query}", server.url());
        let response = reqwest::Client::new().get(url).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), 400, "{query}");
        let error: ApiError = response.json().await.unwrap();
        assert_eq!(error.code, "invalid_query", "{query}");
        assert!(error.message_zh.contains(query), "{}", error.message_zh);
    }
}

