//! The web app end to end: the real server on 127.0.0.1 serving the built web app, Debian's
//! Chromium with a fake camera showing a demo placard, driven by `tests/e2e/offline_inspection.mjs`.
//! An officer fills every section of an inspection record offline, signs it with mouse strokes, and
//! syncs it. This test then reads the record and its photo from the server's store.
//!
//! Needs the web build in `OUTLET_WEB_DIST`, Chromium and the e2e npm packages: `cargo xtask test`
//! prepares all three. Screenshots go to `target/e2e-output/`.

mod common;

use common::camera::{render_placard, write_y4m};
use outlet_core::checklist::{Answer, ChecklistItem};
use outlet_core::inspection::{Acknowledgement, InspectionRecord, Location, MeasureMethod, TaskType};
use outlet_server::{demo, DataDir, RunningServer};

/// Camera frame size of the fake video, in pixels (even, as 4:2:0 chroma needs).
const FRAME: (u32, u32) = (1280, 800);

/// Values the script types into the form, looked for in the stored record.
const NO_FIX_REASON: &str = "锅炉房在地下，无卫星信号";
const SAMPLE_NO: &str = "YP-20261204-01";
const VIOLATION_ARTICLE: u8 = 36;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the web build, Chromium and npm packages: run `cargo xtask test`"]
async fn web_app_offline_inspection_syncs_once() {
    let web_dist = common::web_dist();
    let out_dir = common::output_dir();

    let server_dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(server_dir.path(), true).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(Some(web_dist))).await.unwrap();

    let cards = demo::demo_cards();
    let card = cards[0].clone();
    // The same permit's second stack, whose online monitor reports a fault.
    let premarked = cards[1].clone();
    assert_eq!(premarked.permit.permit_no, card.permit.permit_no, "the premarked outlet shares the permit");
    let premark_mn = premarked.monitors.iter().find(|monitor| monitor.status != outlet_core::card::OnlineStatus::Online).expect("a monitor that is down").mn.clone();
    let other = cards[3].clone();

    let placard = render_placard(&data, &server.url(), &card.outlet.id, 4.0);
    let frame = image::imageops::resize(&placard.picture, FRAME.0, FRAME.1, image::imageops::FilterType::Triangle);
    let y4m = out_dir.join("placard.y4m");
    write_y4m(&[frame.clone()], &y4m);
    let photo = out_dir.join("inspection-photo.jpg");
    image::imageops::resize(&frame, 640, 400, image::imageops::FilterType::Triangle).save(&photo).unwrap();

    let result = common::run_script(
        "offline_inspection.mjs",
        vec![
            ("APP_URL", format!("{}/app/", server.url())),
            ("CAMERA_Y4M", y4m.display().to_string()),
            ("OUT_DIR", out_dir.display().to_string()),
            ("UNIT_NAME", card.unit.name.clone()),
            ("OUTLET_CODE", card.outlet.id.outlet_code.to_string()),
            ("REGION", "350100".to_string()),
            ("REGION_OUTLETS", cards.len().to_string()),
            ("OTHER_OUTLET_ID", other.outlet.id.to_string()),
            ("OTHER_UNIT_NAME", other.unit.name.clone()),
            ("PREMARK_OUTLET_ID", premarked.outlet.id.to_string()),
            ("PREMARK_MN", premark_mn),
            ("PHOTO_FILE", photo.display().to_string()),
            ("NO_FIX_REASON", NO_FIX_REASON.to_string()),
            ("SAMPLE_NO", SAMPLE_NO.to_string()),
            ("VIOLATION_ARTICLE", VIOLATION_ARTICLE.to_string()),
        ]
        .into_iter()
        .chain(common::officer_login_env())
        .collect(),
    )
    .await;
    let inspection_id: uuid::Uuid = result["inspection_id"].as_str().unwrap().parse().unwrap();

    assert_eq!(data.store.inspection_count().unwrap(), 1, "the server must hold exactly one record");
    let stored = data.store.inspection(inspection_id).unwrap().expect("the synced record is stored");
    let record: InspectionRecord = serde_json::from_str(&stored.record).unwrap();
    assert_eq!(record.record_no, result["record_no"].as_str().unwrap());
    assert_eq!(record.task_type, TaskType::SpecialCampaign);
    assert_eq!(record.outlets, vec![card.outlet.id.clone(), premarked.outlet.id.clone()]);

    let names: Vec<&str> = record.officers.iter().map(|officer| officer.name.as_str()).collect();
    assert_eq!(names, ["林执法", "陈执法"]);
    assert_eq!(record.recorder().map(|officer| officer.badge_no.as_str()), Some("35000002"));

    let monitoring = record.answer(ChecklistItem::AutomaticMonitoring).unwrap();
    assert_eq!(monitoring.answer, Answer::DoesNotComply, "the premark was confirmed as not complying");
    assert!(!monitoring.note.is_empty(), "the item's note is stored");
    let complying = record.answers.iter().filter(|answer| answer.answer == Answer::Complies).count();
    assert_eq!(complying, ChecklistItem::ALL.len() - 1);

    assert_eq!(record.measurements.len(), 1);
    assert_eq!(record.measurements[0].value, 21.5);
    assert_eq!(record.measurements[0].outlet, card.outlet.id);
    assert_eq!(record.measurements[0].method, MeasureMethod::Sampling { sample_no: SAMPLE_NO.to_string() });

    assert_eq!(record.location, Location::NoFix { reason: NO_FIX_REASON.to_string() });
    assert_eq!(record.suspected_violations.iter().map(|v| v.article).collect::<Vec<_>>(), [VIOLATION_ARTICLE]);
    assert!(!record.finding.is_empty());

    let Acknowledgement::Signed { signature, .. } = &record.acknowledgement else {
        panic!("the party's signature is missing: {:?}", record.acknowledgement);
    };
    assert_eq!(signature.strokes.len(), 2, "two strokes were drawn after the pad was cleared");
    assert!(signature.is_drawn(), "the signature has lines");
    assert!(signature.in_box(), "the signature fits its box");

    assert_eq!(record.photos.len(), 1);
    let sha256: [u8; 32] = data_encoding::HEXLOWER.decode(record.photos[0].sha256.as_bytes()).unwrap().try_into().unwrap();
    assert!(data.store.photo(&sha256).unwrap().is_some(), "the server holds the record's photo");

    assert!(out_dir.join("card.png").exists());
    server.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the web build, Chromium and npm packages: run `cargo xtask test`"]
async fn web_app_refusal_with_witness_syncs() {
    const REFUSAL_REASON: &str = "The plant manager disputes the monitor finding";
    const WITNESS_NAME: &str = "Zhang Wei (village committee)";

    let web_dist = common::web_dist();
    let out_dir = common::output_dir();
    let server_dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(server_dir.path(), true).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(Some(web_dist))).await.unwrap();
    let card = demo::demo_cards().remove(0);

    let result = common::run_script(
        "refusal_witness.mjs",
        vec![
            ("APP_URL", format!("{}/app/", server.url())),
            ("OUT_DIR", out_dir.display().to_string()),
            ("OUTLET_ID", card.outlet.id.to_string()),
            ("REFUSAL_REASON", REFUSAL_REASON.to_string()),
            ("WITNESS_NAME", WITNESS_NAME.to_string()),
        ]
        .into_iter()
        .chain(common::officer_login_env())
        .collect(),
    )
    .await;
    let inspection_id: uuid::Uuid = result["inspection_id"].as_str().unwrap().parse().unwrap();

    let stored = data.store.inspection(inspection_id).unwrap().expect("the synced record is stored");
    let record: InspectionRecord = serde_json::from_str(&stored.record).unwrap();
    let Acknowledgement::Refused { reason, witness } = &record.acknowledgement else {
        panic!("the refusal is missing: {:?}", record.acknowledgement);
    };
    assert_eq!(reason, REFUSAL_REASON);
    let witness = witness.as_ref().expect("the witness is stored");
    assert_eq!(witness.name, WITNESS_NAME);
    assert_eq!(witness.signature.strokes.len(), 1);
    assert!(witness.signature.is_drawn(), "the witness's signature has lines");
    assert!(record.answers.iter().all(|answer| answer.answer == Answer::NotApplicable));

    server.stop().await.unwrap();
}
