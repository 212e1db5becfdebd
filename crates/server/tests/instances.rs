//! Two server instances on one PostgreSQL database, as behind a load balancer: inspection dedup and
//! the change feed must hold across them. These tests need `OUTLET_TEST_DATABASE_URL` (see
//! `common::backend`) and print a notice and pass without it, since sled allows one process.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::backend::{admin_url_or_skip, Backend};
use common::session::{officer_token, put_inspection};
use outlet_core::fixtures;
use outlet_core::api::{ChangePage, Receipt};
use outlet_core::inspection::FrozenInspection;
use outlet_core::{OutletCard, OutletId};
use outlet_server::{demo, RunningServer};
use reqwest::StatusCode;

/// Submissions of the same record through each instance.
const SUBMISSIONS_PER_INSTANCE: usize = 20;

/// Outlets the feed test rewrites, and how often each writer rewrites each of them.
const FEED_OUTLETS: usize = 30;
const FEED_ROUNDS: usize = 8;

fn frozen_inspection() -> FrozenInspection {
    fixtures::frozen_inspection(demo::demo_cards()[0].outlet.id.clone(), "两个实例同时收到")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn inspection_stored_once_across_instances() {
    let Some(admin_url) = admin_url_or_skip("inspection_stored_once_across_instances") else {
        return;
    };
    let backend = Backend::postgres(&admin_url);
    let data_a = backend.open(true);
    let data_b = backend.open(false);
    let server_a = RunningServer::start("127.0.0.1:0", data_a.state(None)).await.unwrap();
    let server_b = RunningServer::start("127.0.0.1:0", data_b.state(None)).await.unwrap();
    let http = reqwest::Client::new();
    let token = officer_token(&http, &server_a.url()).await;
    let frozen = frozen_inspection();

    let submissions = (0..2 * SUBMISSIONS_PER_INSTANCE).map(|index| {
        let base_url = if index % 2 == 0 { server_a.url() } else { server_b.url() };
        let (http, frozen, token) = (&http, &frozen, &token);
        async move {
            let response = put_inspection(http, &base_url, frozen, token).await;
            let status = response.status();
            (status, response.json::<Receipt>().await.unwrap())
        }
    });
    let responses = futures::future::join_all(submissions).await;

    let created = responses.iter().filter(|(status, _)| *status == StatusCode::CREATED).count();
    let resent = responses.iter().filter(|(status, _)| *status == StatusCode::OK).count();
    assert_eq!(created, 1, "exactly one submission stores the record");
    assert_eq!(resent, 2 * SUBMISSIONS_PER_INSTANCE - 1, "every other submission gets the original receipt");
    let first = &responses[0].1;
    assert!(responses.iter().all(|(_, receipt)| receipt == first), "all receipts are the same");
    assert!(first.acknowledges(frozen.id, &frozen.sha256));
    assert_eq!(data_a.store.inspection_count().unwrap(), 1);
    assert_eq!(data_b.store.inspection_count().unwrap(), 1);
}

/// Reads instance B's feed of the demo region from `since` to its end, page by page, recording the
/// last version seen of each outlet. Returns the cursor to read from next.
async fn read_feed(http: &reqwest::Client, base_url: &str, token: &str, since: u64, seen: &mut HashMap<OutletId, u64>) -> u64 {
    let mut cursor = since;
    loop {
        let url = format!("{base_url}/api/v1/regions/350100/changes?since={cursor}&limit=7");
        let response = http.get(url).bearer_auth(token).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let page: ChangePage = response.json().await.unwrap();

        for change in &page.changes {
            assert!(change.cursor > cursor, "cursor {} after {cursor}", change.cursor);
            let card = change.card.as_ref().expect("the test writes no removals");
            let previous = seen.insert(change.outlet.clone(), card.version);
            assert!(previous.is_none_or(|previous| previous < card.version), "{} went back from version {previous:?} to {}", change.outlet, card.version);
        }
        cursor = page.next_cursor;
        if page.complete {
            return cursor;
        }
    }
}

/// Writes round `round` of writer `writer` to every test outlet through `store`.
fn rewrite(store: &dyn outlet_server::store::ServerStore, cards: &[OutletCard], writer: usize, round: usize) {
    for card in cards {
        let mut card = card.clone();
        card.outlet.name = format!("第{round}轮 写入者{writer}");
        store.upsert_card(&card).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn feed_misses_no_write_across_instances() {
    let Some(admin_url) = admin_url_or_skip("feed_misses_no_write_across_instances") else {
        return;
    };
    let backend = Backend::postgres(&admin_url);
    let data_a = backend.open(true);
    let data_b = backend.open(false);
    let server_b = RunningServer::start("127.0.0.1:0", data_b.state(None)).await.unwrap();
    let http = reqwest::Client::new();
    let token = officer_token(&http, &server_b.url()).await;
    let cards = demo::synthetic_cards(FEED_OUTLETS);

    // Two writers on instance A's store and one on B's rewrite the same outlets while B's feed is
    // read. A change committed behind a cursor the reader has passed would be lost to it for good.
    let writing = Arc::new(AtomicBool::new(true));
    let writers: Vec<_> = [(0, data_a.store.clone()), (1, data_a.store.clone()), (2, data_b.store.clone())]
        .into_iter()
        .map(|(writer, store)| {
            let cards = cards.clone();
            tokio::task::spawn_blocking(move || (0..FEED_ROUNDS).for_each(|round| rewrite(store.as_ref(), &cards, writer, round)))
        })
        .collect();
    let done = writing.clone();
    let all_written = tokio::spawn(async move {
        futures::future::join_all(writers).await.into_iter().for_each(|writer| writer.unwrap());
        done.store(false, Ordering::SeqCst);
    });

    let mut seen = HashMap::new();
    let mut cursor = 0;
    let mut reads_while_writing = 0;
    while writing.load(Ordering::SeqCst) {
        cursor = read_feed(&http, &server_b.url(), &token, cursor, &mut seen).await;
        reads_while_writing += 1;
    }
    all_written.await.unwrap();
    read_feed(&http, &server_b.url(), &token, cursor, &mut seen).await;

    assert!(reads_while_writing > 1, "the feed was read while the writers ran");
    for card in data_a.store.cards().unwrap() {
        assert_eq!(seen.get(&card.outlet.id), Some(&card.version), "the reader missed the last change of {}", card.outlet.id);
    }
    let rewritten = cards.iter().map(|card| data_a.store.card(&card.outlet.id).unwrap().unwrap().version);
    assert!(rewritten.into_iter().all(|version| version > 1), "every test outlet was rewritten");
}

/// Connects to the test database directly, as another server instance's transaction would.
async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    client
}

/// A feed position taken by a transaction that has not committed holds back the card writes after
/// it, so no reader can pass the position before its change is visible.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn feed_write_waits_for_open_position() {
    let Some(admin_url) = admin_url_or_skip("feed_write_waits_for_open_position") else {
        return;
    };
    let backend = Backend::postgres(&admin_url);
    let data = backend.open(true);
    let url = backend.database_url().unwrap();
    let (other_instance, observer) = (connect(url).await, connect(url).await);
    let region = outlet_core::Region::parse("350100").unwrap();
    let before = data.store.changes(&region, 0, 1000, false).unwrap().next_cursor;

    // Another instance's transaction takes the next position, as the store's feed writes do, and
    // writes a removal there without committing yet.
    other_instance.batch_execute("BEGIN").await.unwrap();
    let open_position: i64 = other_instance.query_one("UPDATE feed_cursor SET last = last + 1 RETURNING last", &[]).await.unwrap().get(0);
    let removed = demo::demo_cards()[1].outlet.id.to_string();
    other_instance
        .execute("UPDATE feed SET position = $1, removed = 'outlet_removed' WHERE outlet_id = $2", &[&open_position, &removed])
        .await
        .unwrap();
    let mut card = demo::demo_cards()[0].clone();
    card.outlet.name = "等待前一个位置".into();
    let store = data.store.clone();
    let write = tokio::task::spawn_blocking(move || store.upsert_card(&card).unwrap());

    // The write must wait for the open transaction's lock rather than commit a later position.
    loop {
        assert!(!write.is_finished(), "a card write committed while an earlier feed position was still open");
        let waiting: i64 = observer
            .query_one("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", &[])
            .await
            .unwrap()
            .get(0);
        if waiting > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    other_instance.batch_execute("COMMIT").await.unwrap();
    write.await.unwrap();

    let page = data.store.changes(&region, before, 1000, false).unwrap();
    let cursors: Vec<(String, u64)> = page.changes.iter().map(|change| (change.outlet.to_string(), change.cursor)).collect();
    assert_eq!(cursors, vec![(removed, open_position as u64), (demo::demo_cards()[0].outlet.id.to_string(), open_position as u64 + 1)]);
}
