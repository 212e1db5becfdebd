//! The web app's live camera end to end: the real server on 127.0.0.1 serving the built web app and
//! Debian's Chromium with a fake camera, driven by `tests/e2e/camera_scan.mjs`.
//!
//! Two fake videos are built here from a real signed demo placard. In the first the placard is far
//! away, so the scan screen must show "move closer". The script also leaves the screen and hides the
//! page, and checks that the camera's tracks ended each time. In the second the placard is
//! photographed at an angle (turned 30° with its code side away, tilted 12°, in perspective), and the outlet's card must open
//! as a genuine placard with the camera stopped.
//!
//! Needs the web build in `OUTLET_WEB_DIST`, Chromium and the e2e npm packages: `cargo xtask test`
//! prepares all three. The videos and screenshots go to `target/e2e-output/`.

mod common;


use image::{Rgb, RgbImage};
use common::camera::{render_placard, write_y4m, RenderedPlacard};
use outlet_server::{demo, DataDir, RunningServer};

/// Size of the fake camera's frames, in pixels (even, as 4:2:0 chroma needs).
const FRAME: (u32, u32) = (640, 480);

/// Identical frames in each video; Chromium plays the file in a loop.
const VIDEO_FRAMES: usize = 3;

/// Grey of the wall behind the placard.
const BACKGROUND: Rgb<u8> = Rgb([150, 150, 150]);

/// Focal length of the simulated camera, in pixels of the frame (about 65° of horizontal view).
const FOCAL_PX: f64 = 500.0;

/// How a placard sits in front of the simulated camera.
struct Pose {
    /// Turn about the placard's vertical axis, in degrees.
    yaw_deg: f64,
    /// Tilt about its horizontal axis, in degrees.
    pitch_deg: f64,
    /// Width the placard would cover in the frame if it faced the camera, in pixels.
    facing_width_px: f64,
}

/// Projects `placard` (a flat picture) through a pinhole camera into a frame, turned and tilted by
/// `pose` and centred on a grey background. Each frame pixel is traced back through the inverse homography and
/// sampled bilinearly from the placard.
fn photograph(placard: &RgbImage, pose: &Pose) -> RgbImage {
    // Scaled first to about the size it takes in the frame, so that sampling does not alias.
    let scaled_width = (pose.facing_width_px * 1.25).round() as u32;
    let scaled_height = (f64::from(placard.height()) * f64::from(scaled_width) / f64::from(placard.width())).round() as u32;
    let placard = &image::imageops::resize(placard, scaled_width, scaled_height, image::imageops::FilterType::Lanczos3);
    let (width, height) = (f64::from(placard.width()), f64::from(placard.height()));
    let (yaw, pitch) = (pose.yaw_deg.to_radians(), pose.pitch_deg.to_radians());

    // Rotation R = Rx(pitch) · Ry(yaw); only its first two columns act on the flat placard.
    let r1 = [yaw.cos(), pitch.sin() * yaw.sin(), -pitch.cos() * yaw.sin()];
    let r2 = [0.0, pitch.cos(), pitch.sin()];
    let distance = width * FOCAL_PX / pose.facing_width_px;
    let (cx, cy) = (f64::from(FRAME.0) / 2.0, f64::from(FRAME.1) / 2.0);

    // H = K · [r1 r2 t] with t = (0, 0, distance), mapping placard (x, y, 1) centred on its middle
    // to frame pixels.
    let homography = [
        [FOCAL_PX * r1[0] + cx * r1[2], FOCAL_PX * r2[0] + cx * r2[2], cx * distance],
        [FOCAL_PX * r1[1] + cy * r1[2], FOCAL_PX * r2[1] + cy * r2[2], cy * distance],
        [r1[2], r2[2], distance],
    ];
    let inverse = invert(homography);

    RgbImage::from_fn(FRAME.0, FRAME.1, |u, v| {
        let (u, v) = (f64::from(u) + 0.5, f64::from(v) + 0.5);
        let w = inverse[2][0] * u + inverse[2][1] * v + inverse[2][2];
        let x = (inverse[0][0] * u + inverse[0][1] * v + inverse[0][2]) / w + width / 2.0;
        let y = (inverse[1][0] * u + inverse[1][1] * v + inverse[1][2]) / w + height / 2.0;
        sample(placard, x, y).unwrap_or(BACKGROUND)
    })
}

/// Inverts a 3×3 matrix by its adjugate. The homographies here are far from singular.
fn invert(m: [[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let cofactor = |r: usize, c: usize| {
        let (r1, r2) = ((r + 1) % 3, (r + 2) % 3);
        let (c1, c2) = ((c + 1) % 3, (c + 2) % 3);
        m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]
    };
    let determinant = m[0][0] * cofactor(0, 0) + m[0][1] * cofactor(0, 1) + m[0][2] * cofactor(0, 2);
    assert!(determinant.abs() > 1e-9, "the placard's pose gives a singular homography");
    let mut inverse = [[0.0; 3]; 3];
    for (r, row) in inverse.iter_mut().enumerate() {
        for (c, value) in row.iter_mut().enumerate() {
            *value = cofactor(c, r) / determinant;
        }
    }
    inverse
}

/// Samples the picture at (x, y) in pixel units with bilinear interpolation, or None outside it.
fn sample(picture: &RgbImage, x: f64, y: f64) -> Option<Rgb<u8>> {
    let (x, y) = (x - 0.5, y - 0.5);
    if x < 0.0 || y < 0.0 || x > f64::from(picture.width() - 1) || y > f64::from(picture.height() - 1) {
        return None;
    }
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(picture.width() - 1), (y0 + 1).min(picture.height() - 1));
    let (fx, fy) = (x - f64::from(x0), y - f64::from(y0));

    let mut pixel = [0u8; 3];
    for (channel, value) in pixel.iter_mut().enumerate() {
        let at = |px: u32, py: u32| f64::from(picture.get_pixel(px, py).0[channel]);
        let top = at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx;
        let bottom = at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx;
        *value = (top * (1.0 - fy) + bottom * fy).round() as u8;
    }
    Some(Rgb(pixel))
}

/// Writes the frames as a Y4M video (4:2:0, BT.601 full range, 10 frames a second), which Chromium's
/// fake camera plays in a loop.

/// Returns the frame's greyscale pixels, as the camera script sends them to the core.
fn luma(frame: &RgbImage) -> Vec<u8> {
    image::DynamicImage::ImageRgb8(frame.clone()).to_luma8().into_raw()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the web build, Chromium and npm packages: run `cargo xtask test`"]
async fn camera_reads_tilted_placard() {
    let web_dist = common::web_dist();
    let out_dir = common::output_dir();

    let server_dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(server_dir.path(), true).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(Some(web_dist))).await.unwrap();

    let card = demo::demo_cards().remove(1);
    let RenderedPlacard { qr_text, picture: placard } = render_placard(&data, &server.url(), &card.outlet.id, 3.0);

    // Far away, the placard would be 205 px wide facing the camera. NOTE: the window is narrow. When
    // this was written the decoder read the code from 230 px up, gave the hint for most poses from
    // 180 to 220 px and found nothing below, so a stronger decoder may need a smaller placard here.
    let tilted = photograph(&placard, &Pose { yaw_deg: -30.0, pitch_deg: 12.0, facing_width_px: 480.0 });
    let far = photograph(&placard, &Pose { yaw_deg: 10.0, pitch_deg: 5.0, facing_width_px: 205.0 });
    tilted.save(out_dir.join("camera-tilted.png")).unwrap();
    far.save(out_dir.join("camera-far.png")).unwrap();

    // The core's decoder must read the tilted frame and give the move-closer hint on the far one. A
    // failure here points at the pictures or the decoder, not at the browser.
    let (width, height) = FRAME;
    let near_outcome = outlet_scan::decode_frame_within(width, height, luma(&tilted), std::time::Duration::MAX).unwrap();
    let texts: Vec<&str> = near_outcome.codes.iter().map(|code| code.text.as_str()).collect();
    assert_eq!(texts, [qr_text.as_str()], "the tilted frame decodes to the placard's text");
    let far_outcome = outlet_scan::decode_frame_within(width, height, luma(&far), std::time::Duration::MAX).unwrap();
    assert!(far_outcome.codes.is_empty(), "the far frame is too small to read");
    assert_eq!(far_outcome.hint, Some(outlet_scan::FrameHint::MoveCloser));

    let tilted_y4m = out_dir.join("camera-tilted.y4m");
    let far_y4m = out_dir.join("camera-far.y4m");
    write_y4m(&vec![tilted; VIDEO_FRAMES], &tilted_y4m);
    write_y4m(&vec![far; VIDEO_FRAMES], &far_y4m);

    let result = common::run_script(
        "camera_scan.mjs",
        vec![
            ("APP_URL", format!("{}/app/", server.url())),
            ("FAR_Y4M", far_y4m.display().to_string()),
            ("TILTED_Y4M", tilted_y4m.display().to_string()),
            ("OUT_DIR", out_dir.display().to_string()),
            ("UNIT_NAME", card.unit.name.clone()),
            ("OUTLET_CODE", card.outlet.id.outlet_code.to_string()),
        ]
        .into_iter()
        .chain(common::officer_login_env())
        .collect(),
    )
    .await;

    // The rate and the longest main-thread task are reported, not asserted, because timing belongs in
    // benchmarks and `cargo xtask test` runs a debug build.
    println!("camera while aiming: {}", result["aiming"]);
    assert_eq!(result["ok"], true);
    assert_eq!(result["tracks_ended_after_card"], true, "the camera stops once the card opened");

    server.stop().await.unwrap();
}
