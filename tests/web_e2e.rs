//! The web app end to end: the real server on 127.0.0.1 serving the built web app, Debian's
//! Chromium with a fake camera showing a demo placard, driven by `tests/e2e/offline_inspection.mjs`.
//!
//! Needs the web build in `OUTLET_WEB_DIST`, Chromium and the e2e npm packages: `cargo xtask test`
//! prepares all three. Screenshots go to `target/e2e-output/`.

mod common;


use common::camera::{render_placard, write_y4m};
use outlet_server::{demo, DataDir, RunningServer};

/// Camera frame size of the fake video, in pixels (even, as 4:2:0 chroma needs).
const FRAME: (u32, u32) = (1280, 800);

/// Writes `rgb` as a one-frame Y4M video (4:2:0, BT.601 full range), which Chromium's fake camera
/// plays in a loop.

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the web build, Chromium and npm packages: run `cargo xtask test`"]
async fn web_app_offline_inspection_syncs_once() {
    let web_dist = common::web_dist();
    let out_dir = common::output_dir();

    let server_dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(server_dir.path(), true).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(Some(web_dist))).await.unwrap();

    let card = demo::demo_cards().remove(0);
    let other = demo::demo_cards().remove(3);
    let placard = render_placard(&data, &server.url(), &card.outlet.id, 4.0);
    let frame = image::imageops::resize(&placard.picture, FRAME.0, FRAME.1, image::imageops::FilterType::Triangle);
    let y4m = out_dir.join("placard.y4m");
    write_y4m(&[frame], &y4m);

    let result = common::run_script(
        "offline_inspection.mjs",
        vec![
            ("APP_URL", format!("{}/app/", server.url())),
            ("CAMERA_Y4M", y4m.display().to_string()),
            ("OUT_DIR", out_dir.display().to_string()),
            ("UNIT_NAME", card.unit.name.clone()),
            ("OUTLET_CODE", card.outlet.id.outlet_code.to_string()),
            ("REGION", "350100".to_string()),
            ("REGION_OUTLETS", demo::demo_cards().len().to_string()),
            ("OTHER_OUTLET_ID", other.outlet.id.to_string()),
            ("OTHER_UNIT_NAME", other.unit.name.clone()),
        ]
        .into_iter()
        .chain(common::officer_login_env())
        .collect(),
    )
    .await;
    let inspection_id: uuid::Uuid = result["inspection_id"].as_str().unwrap().parse().unwrap();

    assert_eq!(data.store.inspection_count().unwrap(), 1, "the server must hold exactly one record");
    let stored = data.store.inspection(inspection_id).unwrap().expect("the synced record is stored");
    assert!(stored.record.contains(card.outlet.id.to_string().as_str()));
    assert!(out_dir.join("card.png").exists());

    server.stop().await.unwrap();
}
