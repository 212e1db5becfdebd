//! The sled and PostgreSQL stores return the same results for the same history of writes: the change
//! feed's pages for every cursor and page size, the cards, placards, inspections and device chains,
//! monitors and accounts. Needs `OUTLET_TEST_DATABASE_URL` (see `common::backend`); prints a notice
//! and passes without it.

mod common;

use common::backend::{admin_url_or_skip, Backend};
use outlet_core::api::Role;
use outlet_core::card::{OnlineStatus, PermitStatus, Reading};
use outlet_core::{OutletCard, Region};
use outlet_server::accounts::{Account, DeviceKey, LoginToken};
use outlet_server::store::{MonitorData, MonitorUpdate, NewInspection, PlacardRecord, ServerStore, SledStore};
use outlet_server::{demo, store::IssuedPlacard};
use time::macros::datetime;
use time::OffsetDateTime;
use uuid::Uuid;

const REGIONS: [&str; 5] = ["350100", "350000", "350200", "110000", "000000"];
const PAGE_SIZES: [usize; 6] = [0, 1, 2, 3, 5, 100];

fn account(badge_no: &str) -> Account {
    Account {
        badge_no: badge_no.into(),
        name: "测试员".into(),
        region: Region::parse("350100").unwrap(),
        role: Role::Officer,
        password_hash: "$argon2id$not-a-real-hash".into(),
        created_at: datetime!(2026-12-01 09:00 UTC),
        disabled_at: None,
        tokens_valid_from: datetime!(2026-12-01 09:00 UTC),
    }
}

fn token(sha256: &str, badge_no: &str) -> LoginToken {
    LoginToken {
        token_sha256: sha256.into(),
        badge_no: badge_no.into(),
        device_id: Uuid::from_u128(7),
        created_at: datetime!(2026-12-01 09:00 UTC),
        expires_at: datetime!(2026-12-08 09:00 UTC),
        revoked_at: None,
    }
}

/// Builds an inspection of the device `Uuid::from_u128(7)` with sequence number `device_seq`.
fn inspection(id: Uuid, sha256: &str, record: &str, device_seq: u64, previous_sha256: Option<&str>, received_at: OffsetDateTime) -> NewInspection {
    NewInspection {
        id,
        sha256: sha256.into(),
        record: record.into(),
        device_id: Uuid::from_u128(7),
        device_seq,
        previous_sha256: previous_sha256.map(String::from),
        signature: "c2lnbmF0dXJl".into(),
        clock_skew_secs: None,
        received_at,
    }
}

/// Writes the same history to `store` and returns the outcome of every call, as text.
fn write_history(store: &dyn ServerStore) -> Vec<String> {
    let mut outcomes = Vec::new();
    let mut log = |outcome: String| outcomes.push(outcome);
    let cards: Vec<OutletCard> = demo::demo_cards().into_iter().chain(demo::synthetic_cards(12)).collect();

    for card in &cards {
        log(format!("{:?}", store.upsert_card(card)));
    }
    let mut renamed = cards[3].clone();
    renamed.outlet.name = "改名".into();
    log(format!("{:?}", store.upsert_card(&renamed)));
    log(format!("{:?}", store.upsert_card(&renamed)));
    let mut revoked = cards[1].clone();
    revoked.permit.status = PermitStatus::Revoked;
    log(format!("{:?}", store.upsert_card(&revoked)));
    let mut cancelled = cards[8].clone();
    cancelled.permit.status = PermitStatus::Cancelled;
    log(format!("{:?}", store.upsert_card(&cancelled)));
    log(format!("{:?}", store.remove_card(&cards[6].outlet.id)));
    log(format!("{:?}", store.remove_card(&cards[6].outlet.id)));
    let mut placard = cards[0].clone();
    placard.placard_serial = Some(2);
    placard.version += 5;
    log(format!("{:?}", store.put_card(&placard)));

    let record = PlacardRecord {
        outlet: cards[0].outlet.id.clone(),
        issued: vec![IssuedPlacard { serial: 2, key_id: "K1".into(), issued_at: datetime!(2026-12-02 10:00 UTC), revoked_at: None, revoke_reason: None }],
    };
    log(format!("{:?}", store.put_placard_record(&record)));

    let now = datetime!(2026-12-04 10:00:00.123456 +8);
    let id = Uuid::from_u128(1);
    log(format!("{:?}", store.insert_inspection(&inspection(id, "aa", "{\"n\":1}", 1, None, now))));
    log(format!("{:?}", store.insert_inspection(&inspection(id, "aa", "{\"n\":1}", 1, None, now))));
    log(format!("{:?}", store.insert_inspection(&inspection(id, "bb", "{\"n\":2}", 1, None, now))));
    let skewed = NewInspection { clock_skew_secs: Some(-3600), ..inspection(Uuid::from_u128(2), "cc", "{ \"spaces\" : true }", 3, Some("aa"), now) };
    log(format!("{:?}", store.insert_inspection(&skewed)));
    log(format!("{:?}", store.insert_inspection(&inspection(Uuid::from_u128(4), "dd", "{}", 3, Some("zz"), now))));

    let mn = cards[0].monitors[0].mn.clone();
    let data = MonitorData {
        received_at: datetime!(2026-12-04 09:59:59.5 +8),
        status: OnlineStatus::Online,
        readings: vec![Reading { pollutant: "二氧化硫".into(), value: 12.5, unit: "mg/m³".into(), flag: "N".into(), at: datetime!(2026-12-04 09:59 +8) }],
        hourly: Vec::new(),
    };
    log(format!("{:?}", store.update_monitor(&cards[0].outlet.id, &mn, &MonitorUpdate::Data(data.clone()))));
    log(format!("{:?}", store.update_monitor(&cards[0].outlet.id, &mn, &MonitorUpdate::Data(data))));
    log(format!("{:?}", store.update_monitor(&cards[0].outlet.id, "NO-SUCH-MN", &MonitorUpdate::Silence { cutoff: now })));
    log(format!("{:?}", store.update_monitor(&cards[6].outlet.id, &mn, &MonitorUpdate::Silence { cutoff: now })));
    log(format!("{:?}", store.update_monitor(&cards[0].outlet.id, &mn, &MonitorUpdate::Silence { cutoff: datetime!(2026-12-04 11:00 +8) })));

    log(format!("{:?}", store.insert_account(&account("T0001"))));
    log(format!("{:?}", store.insert_account(&account("T0001"))));
    log(format!("{:?}", store.insert_account(&account("A0002"))));
    let mut disabled = account("T0001");
    disabled.disabled_at = Some(now);
    log(format!("{:?}", store.update_account(&disabled)));
    log(format!("{:?}", store.update_account(&account("NOBODY"))));
    for hash in ["h1", "h2", "h3"] {
        log(format!("{:?}", store.insert_token(&token(hash, "T0001"))));
    }
    log(format!("{:?}", store.insert_token(&token("h4", "A0002"))));
    log(format!("{:?}", store.revoke_token("h2", now)));
    log(format!("{:?}", store.revoke_token("h2", now)));
    log(format!("{:?}", store.revoke_token("missing", now)));
    log(format!("{:?}", store.revoke_tokens_of("T0001", now)));
    let key = DeviceKey { badge_no: "T0001".into(), device_id: Uuid::from_u128(7), public_key: "AAAA".into(), label: "测试机".into(), registered_at: now };
    log(format!("{:?}", store.insert_device_key(&key)));
    log(format!("{:?}", store.insert_device_key(&DeviceKey { public_key: "BBBB".into(), ..key })));

    log(format!("{:?}", store.flush()));
    outcomes
}

#[test]
fn sled_and_postgres_agree() {
    let Some(admin_url) = admin_url_or_skip("sled_and_postgres_agree") else {
        return;
    };
    let sled_dir = tempfile::tempdir().unwrap();
    let sled = SledStore::open(&sled_dir.path().join("db")).unwrap();
    let backend = Backend::postgres(&admin_url);
    let postgres = backend.store();

    assert_eq!(write_history(&sled), write_history(postgres.as_ref()), "outcomes of the writes");

    let cards = sled.cards().unwrap();
    assert_eq!(cards, postgres.cards().unwrap());
    let last_cursor = sled.changes(&Region::parse("000000").unwrap(), 0, 1000, false).unwrap().next_cursor;
    assert!(last_cursor > 20, "the history wrote the feed");
    for region in REGIONS.map(|code| Region::parse(code).unwrap()) {
        for since in 0..=last_cursor + 1 {
            for limit in PAGE_SIZES {
                for count in [false, true] {
                    let expected = sled.changes(&region, since, limit, count).unwrap();
                    let actual = postgres.changes(&region, since, limit, count).unwrap();
                    assert_eq!(actual, expected, "region {region}, since {since}, limit {limit}, count {count}");
                }
            }
        }
    }

    for card in demo::demo_cards().iter().chain(&demo::synthetic_cards(12)) {
        let permit_no = &card.outlet.id.permit_no;
        assert_eq!(postgres.outlets_of_permit(permit_no).unwrap(), sled.outlets_of_permit(permit_no).unwrap(), "outlets of {permit_no}");
        for monitor in &card.monitors {
            assert_eq!(postgres.outlet_of_monitor(&monitor.mn).unwrap(), sled.outlet_of_monitor(&monitor.mn).unwrap(), "outlet of MN {}", monitor.mn);
        }
    }
    assert_eq!(postgres.outlet_of_monitor("NO-SUCH-MN").unwrap(), None);
    for cutoff in [datetime!(2026-12-04 09:00 +8), datetime!(2026-12-04 09:59:59.5 +8), datetime!(2026-12-05 00:00 +8)] {
        assert_eq!(postgres.silent_monitors(cutoff).unwrap(), sled.silent_monitors(cutoff).unwrap(), "silent at {cutoff}");
    }

    assert_eq!(postgres.placard_records().unwrap(), sled.placard_records().unwrap());
    assert_eq!(postgres.placard_record(&cards[0].outlet.id).unwrap(), sled.placard_record(&cards[0].outlet.id).unwrap());
    assert_eq!(postgres.inspection_count().unwrap(), sled.inspection_count().unwrap());
    for id in [1, 2, 3, 4].map(Uuid::from_u128) {
        assert_eq!(postgres.inspection(id).unwrap(), sled.inspection(id).unwrap(), "inspection {id}");
    }
    let chain = sled.device_chain(Uuid::from_u128(7)).unwrap();
    let order: Vec<(u64, Uuid)> = chain.iter().map(|link| (link.device_seq, link.inspection_id)).collect();
    assert_eq!(order, [(1, Uuid::from_u128(1)), (3, Uuid::from_u128(2)), (3, Uuid::from_u128(4))], "by sequence number, then id");
    assert_eq!(postgres.device_chain(Uuid::from_u128(7)).unwrap(), chain, "device chain");
    assert_eq!(postgres.device_chain(Uuid::from_u128(8)).unwrap(), []);

    assert_eq!(postgres.accounts().unwrap(), sled.accounts().unwrap());
    assert_eq!(postgres.account("T0001").unwrap(), sled.account("T0001").unwrap());
    for hash in ["h1", "h2", "h3", "h4", "missing"] {
        assert_eq!(postgres.token(hash).unwrap(), sled.token(hash).unwrap(), "token {hash}");
    }
    assert_eq!(postgres.device_key("T0001", Uuid::from_u128(7)).unwrap(), sled.device_key("T0001", Uuid::from_u128(7)).unwrap());
    assert_eq!(postgres.device_key("T0001", Uuid::from_u128(8)).unwrap(), None);
}

/// A second store opened on a migrated database applies nothing and keeps the data.
#[test]
fn reopening_postgres_keeps_data() {
    let Some(admin_url) = admin_url_or_skip("reopening_postgres_keeps_data") else {
        return;
    };
    let backend = Backend::postgres(&admin_url);
    let first = backend.store();
    demo::seed(first.as_ref()).unwrap();
    drop(first);

    let again = backend.store();

    assert_eq!(again.cards().unwrap().len(), demo::demo_cards().len());
}

/// Runs one SQL statement on the test database, on a thread of its own.
fn execute_sql(url: &str, sql: &'static str) {
    let url = url.to_string();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(connection);
            client.batch_execute(sql).await.unwrap();
        });
    })
    .join()
    .unwrap();
}

/// A database migrated by a newer server, or whose applied migration differs from this server's
/// copy, is rejected with a message that names the version.
#[test]
fn unknown_schema_is_rejected() {
    let Some(admin_url) = admin_url_or_skip("unknown_schema_is_rejected") else {
        return;
    };
    let newer = Backend::postgres(&admin_url);
    drop(newer.store());
    execute_sql(newer.database_url().unwrap(), "INSERT INTO schema_migrations (version, name, sha256) VALUES (999, 'from_the_future', '')");
    let edited = Backend::postgres(&admin_url);
    drop(edited.store());
    execute_sql(edited.database_url().unwrap(), "UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1");

    let newer_error = outlet_server::store::PgStore::open(newer.database_url().unwrap()).err().expect("a newer schema is rejected").to_string();
    let edited_error = outlet_server::store::PgStore::open(edited.database_url().unwrap()).err().expect("an edited migration is rejected").to_string();

    assert!(newer_error.contains("schema version 999"), "{newer_error}");
    assert!(edited_error.contains("migration 1"), "{edited_error}");
    assert!(edited_error.contains("edited"), "{edited_error}");
}
