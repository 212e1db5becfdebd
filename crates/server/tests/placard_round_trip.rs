//! Placards rendered to PNG decode back to their outlet with a valid signature, in every layout,
//! at print resolution and after simulated wear; PDFs have the physical page size and embed the font.

use std::process::Command;

use image::{GrayImage, Luma};
use outlet_core::card::Medium;
use outlet_core::placard::{parse_scanned_text, Authenticity, KeySet, ScannedText};
use outlet_core::OutletCard;
use outlet_placard::{Layout, PdfDocument, PlacardContent};
use outlet_server::keys::Keyring;
use outlet_server::demo;

const PUBLIC_URL: &str = "https://hb.example.gov.cn";

/// 300 dpi, the print shop's usual resolution.
const PRINT_PX_PER_MM: f32 = 11.81;

fn keyring() -> (tempfile::TempDir, Keyring) {
    let dir = tempfile::tempdir().unwrap();
    let keyring = Keyring::open(dir.path()).unwrap();
    (dir, keyring)
}

fn placard_svg(keyring: &Keyring, card: &OutletCard, layout: Layout) -> String {
    let qr_text = keyring.active_signer().unwrap().sign(&card.outlet.id, 1).to_qr_text(PUBLIC_URL);
    outlet_placard::render_svg(&PlacardContent::from_card(card, &qr_text, 1), layout).unwrap()
}

fn decode_one(png: &[u8]) -> ScannedText {
    let codes = outlet_scan::decode_image(png).unwrap();
    assert_eq!(codes.len(), 1, "expected one QR code, found {}", codes.len());
    parse_scanned_text(&codes[0].text)
}

fn assert_genuine(png: &[u8], card: &OutletCard, keys: &KeySet, what: &str) {
    let ScannedText::Placard(payload) = decode_one(png) else { panic!("{what} did not decode as a placard") };
    assert_eq!(payload.outlet, card.outlet.id, "{what}");
    assert_eq!(payload.verify(keys), Authenticity::Genuine, "{what}");
}

#[test]
fn every_demo_placard_decodes_genuine() {
    let (_dir, keyring) = keyring();
    let keys = keyring.key_set().unwrap();

    for layout in Layout::ALL {
        for card in demo::demo_cards() {
            let png = outlet_placard::render_png(&placard_svg(&keyring, &card, layout), 4.0).unwrap();
            assert_genuine(&png, &card, &keys, &format!("{} {}", card.outlet.id, layout.name()));
        }
    }
}

#[test]
fn print_resolution_placards_decode() {
    let (_dir, keyring) = keyring();
    let keys = keyring.key_set().unwrap();
    let cards = demo::demo_cards();
    let air = cards.iter().find(|c| c.outlet.medium == Medium::Air).unwrap();
    let water = cards.iter().find(|c| c.outlet.medium == Medium::Water).unwrap();

    for layout in Layout::ALL {
        for card in [air, water] {
            let png = outlet_placard::render_png(&placard_svg(&keyring, card, layout), PRINT_PX_PER_MM).unwrap();
            let size = image::load_from_memory(&png).unwrap();
            let expected_width = (layout.size_mm().0 * PRINT_PX_PER_MM as f64).ceil() as u32;
            assert_eq!(size.width(), expected_width, "{} width", layout.name());
            assert_genuine(&png, card, &keys, &format!("{} {} at 300 dpi", card.outlet.id, layout.name()));
        }
    }
}

#[test]
fn placard_altered_by_one_character_is_forged() {
    let (_dir, keyring) = keyring();
    let card = demo::demo_cards().remove(0);
    let genuine = keyring.active_signer().unwrap().sign(&card.outlet.id, 1).to_qr_text(PUBLIC_URL);
    let altered = genuine.replacen("/1.K1.", "/2.K1.", 1);
    assert_ne!(genuine, altered);

    let svg = outlet_placard::render_svg(&PlacardContent::from_card(&card, &altered, 1), Layout::Wall).unwrap();
    let png = outlet_placard::render_png(&svg, 4.0).unwrap();

    let ScannedText::Placard(payload) = decode_one(&png) else { panic!("altered placard did not parse") };
    assert_eq!(payload.verify(&keyring.key_set().unwrap()), Authenticity::Forged);
}

/// Simulated years outdoors: blur, a glare patch and dirt spots over the QR code.
fn weather(png: &[u8], layout: Layout, px_per_mm: f64) -> Vec<u8> {
    let mut picture: GrayImage = image::imageops::blur(&image::load_from_memory(png).unwrap().to_luma8(), 1.5);
    let qr = match layout {
        Layout::Wall => (292.0, 36.0, 170.0),
        Layout::Post => (200.0, 170.0, 200.0),
    };
    let (qr_x, qr_y, qr_side) = (qr.0 * px_per_mm, qr.1 * px_per_mm, qr.2 * px_per_mm);

    let glare = (qr_x + qr_side * 0.62, qr_y + qr_side * 0.55, qr_side * 0.09);
    let mut spots = Vec::new();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..14 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let fx = ((seed >> 33) % 1000) as f64 / 1000.0;
        let fy = ((seed >> 13) % 1000) as f64 / 1000.0;
        spots.push((qr_x + qr_side * (0.15 + 0.7 * fx), qr_y + qr_side * (0.15 + 0.7 * fy), px_per_mm * 2.0));
    }

    for (x, y, pixel) in picture.enumerate_pixels_mut() {
        let (x, y) = (x as f64, y as f64);
        let inside = |(cx, cy, r): (f64, f64, f64)| (x - cx).powi(2) + (y - cy).powi(2) <= r * r;
        let value = pixel.0[0] as f64;
        if inside(glare) {
            *pixel = Luma([(value + (255.0 - value) * 0.75) as u8]);
        }
        if spots.iter().any(|spot| inside(*spot)) {
            *pixel = Luma([40]);
        }
    }

    let mut out = Vec::new();
    picture.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

#[test]
fn worn_placard_still_decodes() {
    let (_dir, keyring) = keyring();
    let keys = keyring.key_set().unwrap();
    let card = demo::demo_cards().remove(0);

    for layout in Layout::ALL {
        let png = outlet_placard::render_png(&placard_svg(&keyring, &card, layout), 4.0).unwrap();
        let worn = weather(&png, layout, 4.0);
        assert_ne!(worn, png);
        assert_genuine(&worn, &card, &keys, &format!("worn {} placard", layout.name()));
    }
}

#[test]
fn placard_svg_has_chinese_text_and_escapes() {
    let mut card = demo::demo_cards().remove(0);
    card.unit.name = "A&B <化工>".into();
    let svg = outlet_placard::render_svg(&PlacardContent::from_card(&card, "HTTP://X/O/Y", 3), Layout::Wall).unwrap();
    assert!(svg.contains("废气排放口"));
    assert!(svg.contains("12369"));
    assert!(svg.contains("标志牌编号 3"));
    assert!(svg.contains("A&amp;B &lt;化工&gt;"));
}

#[test]
fn typical_payload_symbol_size() {
    let (_dir, keyring) = keyring();
    let card = demo::demo_cards().remove(0);
    let qr_text = keyring.active_signer().unwrap().sign(&card.outlet.id, 1).to_qr_text(PUBLIC_URL);

    let (version, modules) = outlet_placard::qr_symbol_size(&qr_text).unwrap();

    // A 165-character URL in alphanumeric mode at level Q needs version 9 (53 modules a side), which
    // puts 2.8 mm modules in the 170 mm code of the wall placard.
    assert!(version <= 9, "version {version} for {} characters", qr_text.len());
    assert_eq!(modules, 17 + 4 * version as usize);
}

fn poppler(tool: &str, pdf: &std::path::Path) -> String {
    let output = Command::new(tool).arg(pdf).output().unwrap_or_else(|e| panic!("{tool} (poppler-utils) could not run: {e}"));
    assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn pdf_has_physical_size_and_embedded_font() {
    let (_dir, keyring) = keyring();
    let out = tempfile::tempdir().unwrap();

    for layout in Layout::ALL {
        let mut pdf = PdfDocument::new();
        for card in demo::demo_cards() {
            pdf.add_page(&placard_svg(&keyring, &card, layout)).unwrap();
        }
        let path = out.path().join(format!("{}.pdf", layout.name()));
        std::fs::write(&path, pdf.finish().unwrap()).unwrap();

        let info = poppler("pdfinfo", &path);
        assert!(info.lines().any(|l| l.starts_with("Pages:") && l.ends_with(&demo::demo_cards().len().to_string())), "{info}");
        let size_line = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
        let points: Vec<f64> = size_line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
        let (width_mm, height_mm) = (points[0] * 25.4 / 72.0, points[1] * 25.4 / 72.0);
        let (expected_width, expected_height) = layout.size_mm();
        assert!((width_mm - expected_width).abs() < 0.1, "{} width {width_mm} mm", layout.name());
        assert!((height_mm - expected_height).abs() < 0.1, "{} height {height_mm} mm", layout.name());

        let fonts = poppler("pdffonts", &path);
        let font_rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!font_rows.is_empty(), "no fonts in the {} PDF:\n{fonts}", layout.name());
        for row in font_rows {
            let columns: Vec<&str> = row.split_whitespace().collect();
            let (embedded, subset) = (columns[columns.len() - 5], columns[columns.len() - 4]);
            assert_eq!((embedded, subset), ("yes", "yes"), "font not embedded as a subset: {row}");
        }
    }
}
