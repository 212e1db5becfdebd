//! The web app end to end: the real server on 127.0.0.1 serving the built web app, Debian's
//! Chromium with a fake camera showing a demo placard, driven by `tests/e2e/offline_inspection.mjs`.
//!
//! Needs the web build in `OUTLET_WEB_DIST`, Chromium and the e2e npm packages: `cargo xtask test`
//! prepares all three. Screenshots go to `target/e2e-output/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use outlet_placard::{Layout, PlacardContent};
use outlet_server::placards::{self, IssueMode};
use outlet_server::store::ServerStore;
use outlet_server::{demo, DataDir, RunningServer};

/// Camera frame size of the fake video, in pixels (even, as 4:2:0 chroma needs).
const FRAME: (u32, u32) = (1280, 800);

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes `rgb` as a one-frame Y4M video (4:2:0, BT.601 full range), which Chromium's fake camera
/// plays in a loop.
fn write_y4m(rgb: &image::RgbImage, path: &Path) {
    let (width, height) = rgb.dimensions();
    let mut video = format!("YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\nFRAME\n").into_bytes();
    let mut u_plane = Vec::new();
    let mut v_plane = Vec::new();

    for y in 0..height {
        for x in 0..width {
            let [r, g, b] = rgb.get_pixel(x, y).0.map(f32::from);
            video.push((0.299 * r + 0.587 * g + 0.114 * b).round() as u8);
        }
    }
    for y in (0..height).step_by(2) {
        for x in (0..width).step_by(2) {
            let [r, g, b] = rgb.get_pixel(x, y).0.map(f32::from);
            u_plane.push((-0.169 * r - 0.331 * g + 0.5 * b + 128.0).clamp(0.0, 255.0) as u8);
            v_plane.push((0.5 * r - 0.419 * g - 0.081 * b + 128.0).clamp(0.0, 255.0) as u8);
        }
    }
    video.extend(u_plane);
    video.extend(v_plane);
    std::fs::write(path, video).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the web build, Chromium and npm packages: run `cargo xtask test`"]
async fn web_app_offline_inspection_syncs_once() {
    let web_dist = PathBuf::from(std::env::var("OUTLET_WEB_DIST").expect("OUTLET_WEB_DIST names the built web app"));
    assert!(web_dist.join("index.html").exists(), "no web build in {}", web_dist.display());
    let out_dir = repo_root().join("target/e2e-output");
    std::fs::create_dir_all(&out_dir).unwrap();

    let server_dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(server_dir.path(), true).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(Some(web_dist))).await.unwrap();

    let card = demo::demo_cards().remove(0);
    let issued = placards::issue(data.store.as_ref(), &data.keyring, &card.outlet.id, &IssueMode::Current).unwrap();
    let qr_text = issued.payload.to_qr_text(&server.url());
    let content = PlacardContent::from_card(&issued.card, &qr_text, issued.payload.serial);
    let svg = outlet_placard::render_svg(&content, Layout::Wall).unwrap();
    let png = outlet_placard::render_png(&svg, 4.0).unwrap();
    let placard = image::load_from_memory(&png).unwrap().to_rgb8();
    let frame = image::imageops::resize(&placard, FRAME.0, FRAME.1, image::imageops::FilterType::Triangle);
    let y4m = out_dir.join("placard.y4m");
    write_y4m(&frame, &y4m);

    let script = repo_root().join("tests/e2e/offline_inspection.mjs");
    let run = tokio::task::spawn_blocking({
        let app_url = format!("{}/app/", server.url());
        let unit_name = card.unit.name.clone();
        let outlet_code = card.outlet.id.outlet_code.to_string();
        let out_dir = out_dir.clone();
        move || {
            Command::new("node")
                .arg(script)
                .env("APP_URL", app_url)
                .env("CAMERA_Y4M", y4m)
                .env("OUT_DIR", out_dir)
                .env("UNIT_NAME", unit_name)
                .env("OUTLET_CODE", outlet_code)
                .output()
                .expect("node runs")
        }
    })
    .await
    .unwrap();

    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "browser run failed:\n{stdout}\n{stderr}");
    let result: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap();
    let inspection_id: uuid::Uuid = result["inspection_id"].as_str().unwrap().parse().unwrap();

    assert_eq!(data.store.inspection_count().unwrap(), 1, "the server must hold exactly one record");
    let stored = data.store.inspection(inspection_id).unwrap().expect("the synced record is stored");
    assert!(stored.record.contains(card.outlet.id.to_string().as_str()));
    assert!(out_dir.join("card.png").exists());

    server.stop().await.unwrap();
}
