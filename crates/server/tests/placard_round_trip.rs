//! Placards rendered to PNG decode back to their outlet with a valid signature.

use outlet_core::placard::{parse_scanned_text, Authenticity, ScannedText};
use outlet_server::{demo, keys};

const PUBLIC_URL: &str = "https://hb.example.gov.cn";

fn decode_placard(png: &[u8]) -> ScannedText {
    let codes = outlet_scan::decode_image(png).unwrap();
    assert_eq!(codes.len(), 1, "expected one QR code, found {}", codes.len());
    parse_scanned_text(&codes[0].text)
}

#[test]
fn every_demo_placard_decodes_genuine() {
    let dir = tempfile::tempdir().unwrap();
    let signer = keys::load_or_create_signer(dir.path()).unwrap();
    let key_set = keys::key_set(&signer);

    for card in demo::demo_cards() {
        let qr_text = signer.sign(&card.outlet.id, 1).to_qr_text(PUBLIC_URL);
        let svg = outlet_placard::render_svg(&card, &qr_text, demo::DEMO_BUREAU).unwrap();
        let png = outlet_placard::render_png(&svg, 4.0).unwrap();

        let ScannedText::Placard(payload) = decode_placard(&png) else { panic!("{} did not decode as a placard", card.outlet.id) };
        assert_eq!(payload.outlet, card.outlet.id);
        assert_eq!(payload.verify(&key_set), Authenticity::Genuine, "{}", card.outlet.id);
    }
}

#[test]
fn placard_altered_by_one_character_is_forged() {
    let dir = tempfile::tempdir().unwrap();
    let signer = keys::load_or_create_signer(dir.path()).unwrap();
    let card = demo::demo_cards().remove(0);
    let genuine = signer.sign(&card.outlet.id, 1).to_qr_text(PUBLIC_URL);
    let altered = genuine.replacen("/1.K1.", "/2.K1.", 1);
    assert_ne!(genuine, altered);

    let svg = outlet_placard::render_svg(&card, &altered, demo::DEMO_BUREAU).unwrap();
    let png = outlet_placard::render_png(&svg, 4.0).unwrap();

    let ScannedText::Placard(payload) = decode_placard(&png) else { panic!("altered placard did not parse") };
    assert_eq!(payload.verify(&keys::key_set(&signer)), Authenticity::Forged);
}

#[test]
fn placard_svg_has_chinese_text_and_escapes() {
    let mut card = demo::demo_cards().remove(0);
    card.unit.name = "A&B <化工>".into();
    let svg = outlet_placard::render_svg(&card, "HTTP://X/O/Y", demo::DEMO_BUREAU).unwrap();
    assert!(svg.contains("废气排放口"));
    assert!(svg.contains("12369"));
    assert!(svg.contains("A&amp;B &lt;化工&gt;"));
}

#[test]
fn typical_payload_symbol_size() {
    let dir = tempfile::tempdir().unwrap();
    let signer = keys::load_or_create_signer(dir.path()).unwrap();
    let card = demo::demo_cards().remove(0);
    let qr_text = signer.sign(&card.outlet.id, 1).to_qr_text(PUBLIC_URL);

    let (version, modules) = outlet_placard::qr_symbol_size(&qr_text).unwrap();

    // A 165-character URL in alphanumeric mode at level Q needs version 9 (53 modules a side), which
    // puts 3.2 mm modules in the 170 mm code.
    assert!(version <= 9, "version {version} for {} characters", qr_text.len());
    assert_eq!(modules, 17 + 4 * version as usize);
}
