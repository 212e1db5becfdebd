//! The change feed over real HTTP: paging by cursor, one entry per outlet, removals, jurisdictions.

use outlet_core::api::{ApiError, ChangePage, RemovalReason};
use outlet_core::card::PermitStatus;
use outlet_server::store::ServerStore;
use outlet_server::{demo, DataDir, RunningServer};

async fn page(server: &RunningServer, region: &str, since: u64, limit: usize) -> ChangePage {
    let url = format!("{}/api/v1/regions/{region}/changes?since={since}&limit={limit}&count=true", server.url());
    let response = reqwest::get(url).await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn feed_pages_one_entry_per_outlet() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(dir.path(), true).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let cards = demo::demo_cards();

    let first = page(&server, "350100", 0, 2).await;
    assert_eq!(first.changes.len(), 2);
    assert_eq!(first.pending, Some(cards.len() as u64));
    assert!(!first.complete);
    let rest = page(&server, "350100", first.next_cursor, 100).await;
    assert_eq!(rest.changes.len(), cards.len() - 2);
    assert!(rest.complete);

    let mut revoked = cards[1].clone();
    revoked.permit.status = PermitStatus::Revoked;
    data.store.upsert_card(&revoked).unwrap();
    let mut renamed = cards[1].clone();
    renamed.outlet.name = "改名后".into();
    renamed.permit.status = PermitStatus::Revoked;
    data.store.upsert_card(&renamed).unwrap();

    let delta = page(&server, "350100", rest.next_cursor, 100).await;
    assert_eq!(delta.changes.len(), 1, "two changes of one outlet leave one entry");
    assert_eq!(delta.changes[0].outlet, revoked.outlet.id);
    assert_eq!(delta.changes[0].removed, Some(RemovalReason::PermitRevoked));
    assert_eq!(delta.changes[0].card, None);
    let all = page(&server, "350000", 0, 100).await;
    assert_eq!(all.changes.len(), cards.len(), "the province holds the city's outlets");
    assert_eq!(all.changes.last().unwrap().outlet, revoked.outlet.id);
    assert!(all.changes.windows(2).all(|pair| pair[0].cursor < pair[1].cursor));
}

#[tokio::test]
async fn other_and_malformed_regions() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(dir.path(), true).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();

    let other = page(&server, "350200", 0, 100).await;
    assert!(other.changes.is_empty());
    assert!(other.complete);
    assert_eq!(other.pending, Some(0));

    let response = reqwest::get(format!("{}/api/v1/regions/35A100/changes", server.url())).await.unwrap();
    assert_eq!(response.status(), 400);
    let error: ApiError = response.json().await.unwrap();
    assert!(error.message_zh.contains("35A100"), "{}", error.message_zh);
}
