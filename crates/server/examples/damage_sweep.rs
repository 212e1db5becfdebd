//! Damage sweep: how large a central blot each QR error-correction level survives on a placard-sized
//! payload, decoded by this project's scanner. Prints a Markdown table for docs/BENCHMARKS.md.
//!
//! Run: `cargo run --release -p outlet-server --example damage_sweep`

use image::{GrayImage, Luma};
use qrcode::{EcLevel, QrCode};

const PIXELS_PER_MODULE: u32 = 4;
const QUIET_ZONE_MODULES: u32 = 4;

/// Builds a typical placard URL: 165 characters, alphanumeric mode.
fn payload() -> String {
    format!("HTTPS://HB.EXAMPLE.GOV.CN/O/91350100MA2XY0012B001P-DA001/1.K1.{}", "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".repeat(4).chars().take(103).collect::<String>())
}

fn render(code: &QrCode) -> GrayImage {
    let modules = code.width() as u32;
    let side = (modules + 2 * QUIET_ZONE_MODULES) * PIXELS_PER_MODULE;
    let colors = code.to_colors();
    GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / PIXELS_PER_MODULE, y / PIXELS_PER_MODULE);
        let inside = (QUIET_ZONE_MODULES..QUIET_ZONE_MODULES + modules).contains(&mx) && (QUIET_ZONE_MODULES..QUIET_ZONE_MODULES + modules).contains(&my);
        let dark = inside && colors[((my - QUIET_ZONE_MODULES) * modules + (mx - QUIET_ZONE_MODULES)) as usize] == qrcode::Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    })
}

/// Covers a centred square of `fraction` of the symbol's area (quiet zone excluded) with dirt.
fn blot(picture: &GrayImage, modules: u32, fraction: f64) -> GrayImage {
    let mut damaged = picture.clone();
    let symbol_px = (modules * PIXELS_PER_MODULE) as f64;
    let blot_px = (symbol_px * symbol_px * fraction).sqrt();
    let centre = picture.width() as f64 / 2.0;
    let (start, end) = ((centre - blot_px / 2.0) as u32, (centre + blot_px / 2.0) as u32);
    for y in start..end {
        for x in start..end {
            damaged.put_pixel(x, y, Luma([60]));
        }
    }
    damaged
}

fn decodes(picture: &GrayImage, expected: &str) -> bool {
    let frame = picture.as_raw().clone();
    outlet_scan::decode_frame(picture.width(), picture.height(), frame)
        .map(|codes| codes.iter().any(|code| code.text == expected))
        .unwrap_or(false)
}

fn main() {
    let text = payload();
    println!("| level | version | modules | largest central blot decoded (% of symbol area, 1 % steps) |");
    println!("| --- | --- | --- | --- |");
    for (name, level) in [("L", EcLevel::L), ("M", EcLevel::M), ("Q", EcLevel::Q), ("H", EcLevel::H)] {
        let code = QrCode::with_error_correction_level(text.as_bytes(), level).expect("the payload fits");
        let version = match code.version() {
            qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
        };
        let picture = render(&code);
        let modules = code.width() as u32;
        let survived = (0..=40).map(|percent| percent as f64 / 100.0).take_while(|f| decodes(&blot(&picture, modules, *f), &text)).last();
        let survived = survived.map(|f| format!("{:.0} %", f * 100.0)).unwrap_or_else(|| "none".into());
        println!("| {name} | {version} | {modules} | {survived} |");
    }
}
