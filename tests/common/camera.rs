//! What the fake-camera tests share: a demo placard issued and rendered as a picture, and frames
//! written as the .y4m video that Chromium's fake camera plays.

use std::path::Path;

use image::RgbImage;
use outlet_placard::{Layout, PlacardContent};
use outlet_server::placards::{self, IssueMode};
use outlet_server::DataDir;
use outlet_core::OutletId;

/// A placard issued for `outlet` in `data` and rendered wall-sized at `scale` (1.0 = preview size).
pub struct RenderedPlacard {
    /// The text of its QR code, a URL on `server_url`.
    pub qr_text: String,
    pub picture: RgbImage,
}

/// Issues the current placard of `outlet` and renders it as the print files would show it.
pub fn render_placard(data: &DataDir, server_url: &str, outlet: &OutletId, scale: f32) -> RenderedPlacard {
    let issued = placards::issue(data.store.as_ref(), &data.keyring, outlet, &IssueMode::Current).unwrap();
    let qr_text = issued.payload.to_qr_text(server_url);
    let content = PlacardContent::from_card(&issued.card, &qr_text, issued.payload.serial);
    let svg = outlet_placard::render_svg(&content, Layout::Wall).unwrap();
    let png = outlet_placard::render_png(&svg, scale).unwrap();
    let picture = image::load_from_memory(&png).unwrap().to_rgb8();
    RenderedPlacard { qr_text, picture }
}

/// Writes `frames` (all of one size, even width and height) as a YUV4MPEG2 4:2:0 video at 10 frames a
/// second; Chromium's fake camera plays it in a loop.
pub fn write_y4m(frames: &[RgbImage], path: &Path) {
    let (width, height) = frames[0].dimensions();
    let mut video = format!("YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n").into_bytes();

    for rgb in frames {
        assert_eq!(rgb.dimensions(), (width, height), "every frame has the video's size");
        video.extend_from_slice(b"FRAME\n");
        for y in 0..height {
            for x in 0..width {
                let [r, g, b] = rgb.get_pixel(x, y).0.map(f64::from);
                video.push((0.299 * r + 0.587 * g + 0.114 * b).round() as u8);
            }
        }
        let mut v_plane = Vec::new();
        for y in (0..height).step_by(2) {
            for x in (0..width).step_by(2) {
                let [r, g, b] = rgb.get_pixel(x, y).0.map(f64::from);
                video.push((-0.169 * r - 0.331 * g + 0.5 * b + 128.0).clamp(0.0, 255.0) as u8);
                v_plane.push((0.5 * r - 0.419 * g - 0.081 * b + 128.0).clamp(0.0, 255.0) as u8);
            }
        }
        video.extend(v_plane);
    }
    std::fs::write(path, video).unwrap();
}
