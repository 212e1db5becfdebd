//! The outlet card in the web app at phone size. The real server on 127.0.0.1 with the demo registry
//! serves the built web app. Debian's Chromium at 360×740, with a position fix about 1 km from the
//! power plant's DA001, opens that outlet by typed id, driven by `tests/e2e/card_snapshot.mjs`.
//! The script checks the card's sections and saves `target/e2e-output/card-360x740.png`, then opens
//! the outlet's public page at the same size and saves `public-360x740.png`.
//!
//! Needs the web build in `OUTLET_WEB_DIST`, Chromium and the e2e npm packages: `cargo xtask test`
//! prepares all three.

mod common;

use outlet_core::card::{EnforcementAction, EnforcementKind};
use outlet_server::{demo, DataDir, RunningServer};
use time::macros::date;
use time::{Duration, OffsetDateTime};

/// About 1 km north of DA001 (26.0802 N, 119.3401 E): 0.009° of latitude is 1,001 m.
const DEVICE_POSITION: (f64, f64) = (26.0892, 119.3401);

fn action(date: time::Date, kind: EnforcementKind, result: &str, public: bool, internal_note: Option<&str>) -> EnforcementAction {
    EnforcementAction {
        date,
        kind,
        result: result.into(),
        legal_article: None,
        decision_no: None,
        fine_yuan: None,
        status: Some("已结案".into()),
        public,
        internal_note: internal_note.map(Into::into),
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the web build, Chromium and npm packages: run `cargo xtask test`"]
async fn web_card_at_phone_size() {
    let web_dist = common::web_dist();
    let out_dir = common::output_dir();
    let screenshot = out_dir.join("card-360x740.png");
    let _ = std::fs::remove_file(&screenshot);

    let server_dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(server_dir.path(), true).unwrap();

    // The demo's heating season is fixed to 2026-11-15..2027-03-15; centring it on today keeps it in
    // force whenever the test runs. Two more records, stored out of date order, check the sorting.
    let mut card = demo::demo_cards().remove(0);
    let today = OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8)).date();
    for period in &mut card.special_periods {
        period.starts = today - Duration::days(20);
        period.ends = today + Duration::days(100);
    }
    card.enforcement.insert(0, action(date!(2024 - 06 - 18), EnforcementKind::Inspection, "例行检查，未发现问题", true, None));
    card.enforcement.push(action(date!(2025 - 11 - 20), EnforcementKind::Inspection, "夜间突击检查", false, Some("脱硫塔旁路挡板需复查，铅封编号待核")));
    data.store.put_card(&card).unwrap();

    let server = RunningServer::start("127.0.0.1:0", data.state(Some(web_dist))).await.unwrap();
    let result = common::run_script(
        "card_snapshot.mjs",
        vec![
            ("APP_URL", format!("{}/app/", server.url())),
            ("OUT_DIR", out_dir.display().to_string()),
            ("PUBLIC_URL", format!("{}/o/{}", server.url(), card.outlet.id)),
            ("OUTLET_ID", card.outlet.id.to_string()),
            ("LATITUDE", DEVICE_POSITION.0.to_string()),
            ("LONGITUDE", DEVICE_POSITION.1.to_string()),
            ("EXPECTED_DATES", "2026-03-12,2025-11-20,2024-06-18".to_string()),
        ]
        .into_iter()
        .chain(common::officer_login_env())
        .collect(),
    )
    .await;

    assert_eq!(result["ok"], true, "{result}");
    assert!(screenshot.exists(), "no screenshot at {}", screenshot.display());

    server.stop().await.unwrap();
}
