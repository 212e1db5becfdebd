//! Text of rendered codes whose payloads need the segment modes or the ECI to read right.

use encoding_rs::{GB18030, SHIFT_JIS};
use qrcode::bits::Bits;
use qrcode::{Color, EcLevel, QrCode, Version};

const MODULE_PX: usize = 6;
const QUIET_ZONE_MODULES: usize = 4;

/// Renders a symbol as a greyscale frame and decodes it with no time limit.
fn decode_symbol(code: &QrCode) -> Vec<String> {
    let side = (code.width() + 2 * QUIET_ZONE_MODULES) * MODULE_PX;
    let colors = code.to_colors();
    let mut luma = vec![255u8; side * side];
    for (index, color) in colors.iter().enumerate() {
        if *color == Color::Light {
            continue;
        }
        let (mx, my) = (index % code.width() + QUIET_ZONE_MODULES, index / code.width() + QUIET_ZONE_MODULES);
        for y in my * MODULE_PX..(my + 1) * MODULE_PX {
            luma[y * side + mx * MODULE_PX..y * side + (mx + 1) * MODULE_PX].fill(0);
        }
    }
    let outcome = outlet_scan::decode_frame_within(side as u32, side as u32, luma, std::time::Duration::MAX).unwrap();
    outcome.codes.into_iter().map(|code| code.text).collect()
}

fn symbol(build: impl FnOnce(&mut Bits)) -> QrCode {
    let mut bits = Bits::new(Version::Normal(5));
    build(&mut bits);
    bits.push_terminator(EcLevel::M).unwrap();
    QrCode::with_bits(bits, EcLevel::M).unwrap()
}

#[test]
fn eci_utf8_byte_segment() {
    let code = symbol(|bits| {
        bits.push_eci_designator(26).unwrap();
        bits.push_byte_data("排污口 DW001".as_bytes()).unwrap();
    });
    assert_eq!(decode_symbol(&code), vec!["排污口 DW001"]);
}

#[test]
fn gb18030_byte_segment_without_eci() {
    let (bytes, _, _) = GB18030.encode("污水排放口");
    let code = symbol(|bits| bits.push_byte_data(&bytes).unwrap());
    assert_eq!(decode_symbol(&code), vec!["污水排放口"]);
}

#[test]
fn shift_jis_kana_sentence_without_eci() {
    let (bytes, _, _) = SHIFT_JIS.encode("今度のバージョンでは文章の暗号化ができます。");
    let code = symbol(|bits| bits.push_byte_data(&bytes).unwrap());
    assert_eq!(decode_symbol(&code), vec!["今度のバージョンでは文章の暗号化ができます。"]);
}

#[test]
fn half_width_katakana_beside_kanji_mode() {
    let (kana, _, _) = SHIFT_JIS.encode("ｲﾗｽﾄ");
    let (kanji, _, _) = SHIFT_JIS.encode("入り");
    let code = symbol(|bits| {
        bits.push_byte_data(&kana).unwrap();
        bits.push_kanji_data(&kanji).unwrap();
    });
    assert_eq!(decode_symbol(&code), vec!["ｲﾗｽﾄ入り"]);
}

#[test]
fn alphanumeric_placard_url() {
    let code = QrCode::with_error_correction_level("HTTPS://HB.EXAMPLE.GOV.CN/O/91350100MB0000014001P-DA001", EcLevel::Q).unwrap();
    assert_eq!(decode_symbol(&code), vec!["HTTPS://HB.EXAMPLE.GOV.CN/O/91350100MB0000014001P-DA001"]);
}
