//! `decode_frame_within`: the budget flag and the hints for the camera screen.

use std::time::Duration;

use outlet_scan::{decode_frame_within, FrameHint};
use qrcode::{Color, EcLevel, QrCode};

const QUIET_ZONE_MODULES: usize = 4;

const PLACARD_URL: &str = "HTTPS://HB.EXAMPLE.GOV.CN/O/91350100MB0000014001P-DA001";

/// Renders a placard-like symbol at `module_px` pixels a module. With `damaged`, every other data
/// module is flipped, which no error correction level survives, while the finder, timing and
/// alignment patterns stay intact.
fn frame(module_px: usize, damaged: bool) -> (u32, u32, Vec<u8>) {
    let (side, luma) = render(PLACARD_URL, module_px, damaged);
    (side as u32, side as u32, luma)
}

/// Renders `text` as a square picture and returns its side and its grey bytes.
fn render(text: &str, module_px: usize, damaged: bool) -> (usize, Vec<u8>) {
    let code = QrCode::with_error_correction_level(text, EcLevel::Q).unwrap();
    let width = code.width();
    let side = (width + 2 * QUIET_ZONE_MODULES) * module_px;
    let mut luma = vec![255u8; side * side];
    for (index, color) in code.to_colors().iter().enumerate() {
        let (x, y) = (index % width, index / width);
        let flipped = damaged && !code.is_functional(x, y) && (x + y) % 2 == 0;
        if (*color == Color::Dark) == flipped {
            continue;
        }
        let (left, top) = ((x + QUIET_ZONE_MODULES) * module_px, (y + QUIET_ZONE_MODULES) * module_px);
        for row in top..top + module_px {
            luma[row * side + left..row * side + left + module_px].fill(0);
        }
    }
    (side, luma)
}

#[test]
fn readable_frame_decodes_within_unlimited_budget() {
    let (width, height, luma) = frame(4, false);
    let outcome = decode_frame_within(width, height, luma, Duration::MAX).unwrap();
    assert_eq!(outcome.codes.len(), 1);
    assert!(!outcome.budget_exhausted);
    assert_eq!(outcome.hint, None);
}

#[test]
fn two_codes_side_by_side_both_read() {
    let (left_side, left) = render(PLACARD_URL, 4, false);
    let (right_side, right) = render("https://example.com/menu?table=12", 4, false);
    let (width, height) = (left_side + right_side, left_side.max(right_side));
    let mut luma = vec![255u8; width * height];
    for y in 0..left_side {
        luma[y * width..y * width + left_side].copy_from_slice(&left[y * left_side..(y + 1) * left_side]);
    }
    for y in 0..right_side {
        luma[y * width + left_side..y * width + width].copy_from_slice(&right[y * right_side..(y + 1) * right_side]);
    }

    let outcome = decode_frame_within(width as u32, height as u32, luma, Duration::MAX).unwrap();

    let mut texts: Vec<String> = outcome.codes.into_iter().map(|code| code.text).collect();
    texts.sort();
    assert_eq!(texts, ["HTTPS://HB.EXAMPLE.GOV.CN/O/91350100MB0000014001P-DA001", "https://example.com/menu?table=12"]);
}

#[test]
fn exhausted_budget_returns_with_flag_set() {
    let (width, height, luma) = frame(4, false);
    let outcome = decode_frame_within(width, height, luma, Duration::ZERO).unwrap();
    assert!(outcome.budget_exhausted);
    assert!(outcome.codes.is_empty());
}

#[test]
fn damaged_code_hints_hold_still() {
    let (width, height, luma) = frame(6, true);
    let outcome = decode_frame_within(width, height, luma, Duration::MAX).unwrap();
    assert!(outcome.codes.is_empty());
    assert_eq!(outcome.hint, Some(FrameHint::HoldStill));
}

#[test]
fn small_damaged_code_hints_move_closer() {
    let (width, height, luma) = frame(2, true);
    let outcome = decode_frame_within(width, height, luma, Duration::MAX).unwrap();
    assert!(outcome.codes.is_empty());
    assert_eq!(outcome.hint, Some(FrameHint::MoveCloser));
}

#[test]
fn blank_frame_has_no_hint() {
    let outcome = decode_frame_within(320, 240, vec![200; 320 * 240], Duration::MAX).unwrap();
    assert_eq!(outcome.hint, None);
    assert!(!outcome.budget_exhausted);
}
