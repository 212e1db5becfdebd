//! Renders an outlet's placard (标志牌): the sign's name, the unit, the outlet code, the main
//! pollutants, the supervising bureau, the 12369 hotline and the signed QR code.
//!
//! The layout is drawn once, as SVG in millimetres at the sign's physical size (a wall-mounted
//! 480×300 mm notice sign: green background, white text); PNG is that SVG rasterised by resvg. The
//! QR code uses error-correction level Q, because outdoor placards get dirty and a central blot of
//! about 14 % of the area is survived at Q against 4 % at L.
//!
//! ```no_run
//! # fn demo(card: &outlet_core::OutletCard) -> Result<(), outlet_placard::PlacardError> {
//! let svg = outlet_placard::render_svg(card, "HTTP://HB.EXAMPLE/O/...", "某市生态环境局")?;
//! let png = outlet_placard::render_png(&svg, 4.0)?;
//! # Ok(()) }
//! ```

mod raster;

use std::fmt::Write;

use outlet_core::card::Medium;
use outlet_core::i18n::{Lang, Msg};
use outlet_core::OutletCard;
use outlet_core::markup::escape;
use qrcode::{EcLevel, QrCode};

pub use raster::render_png;

/// Placard width and height in mm (GB 15562.1-1995 wall-mounted notice sign).
pub const PLACARD_MM: (f64, f64) = (480.0, 300.0);

/// Side of the QR code in mm, quiet zone included. Large enough to read from about 1.5 m with a phone.
const QR_SIDE_MM: f64 = 170.0;

/// Modules of white margin around the code (the QR quiet zone).
const QUIET_ZONE_MODULES: usize = 4;

/// Notice-sign green.
const SIGN_GREEN: &str = "#00703c";

/// Characters of 12 mm text that fit left of the QR code.
const LEFT_COLUMN_CHARS: usize = 21;

const FONT_FAMILY: &str = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";

#[derive(Debug, thiserror::Error)]
pub enum PlacardError {
    #[error("the QR text ({len} characters) does not fit in a QR code: {reason}")]
    QrEncode { len: usize, reason: String },

    #[error("the placard SVG could not be rasterised: {0}")]
    Raster(String),

    #[error("a {width_px}x{height_px} px image could not be allocated; choose a lower resolution")]
    TooLarge { width_px: u32, height_px: u32 },
}

/// Draws the placard of `card`'s outlet with `qr_text` in its QR code.
pub fn render_svg(card: &OutletCard, qr_text: &str, bureau: &str) -> Result<String, PlacardError> {
    let code = QrCode::with_error_correction_level(qr_text.as_bytes(), EcLevel::Q)
        .map_err(|e| PlacardError::QrEncode { len: qr_text.len(), reason: e.to_string() })?;

    let (width, height) = PLACARD_MM;
    let title = match card.outlet.medium {
        Medium::Air => Msg::PlacardAirTitle,
        Medium::Water => Msg::PlacardWaterTitle,
    };
    let zh = |msg: Msg| msg.text(Lang::Zh);
    let pollutants = card.main_pollutants().join("、");

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm" viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}">"#
    );
    let _ = write!(svg, r#"<rect width="{width}" height="{height}" fill="{SIGN_GREEN}"/>"#);
    let _ = write!(svg, r#"<rect x="6" y="6" width="{}" height="{}" fill="none" stroke="white" stroke-width="3"/>"#, width - 12.0, height - 12.0);

    push_text(&mut svg, 24.0, 58.0, 40.0, true, zh(title));
    push_text(&mut svg, 24.0, 82.0, 12.0, false, title.text(Lang::En));
    push_text(&mut svg, 24.0, 122.0, 20.0, true, &card.unit.name);
    push_text(&mut svg, 24.0, 152.0, 18.0, false, &format!("{}：{}", zh(Msg::FieldOutletCode), card.outlet.id.outlet_code));
    push_text(&mut svg, 24.0, 174.0, 14.0, false, &card.outlet.name);
    let pollutant_lines = wrap_chars(&format!("{}：{}", zh(Msg::PlacardPollutants), pollutants), LEFT_COLUMN_CHARS, 2);
    for (i, line) in pollutant_lines.iter().enumerate() {
        push_text(&mut svg, 24.0, 198.0 + 16.0 * i as f64, 12.0, false, line);
    }
    push_text(&mut svg, 24.0, 238.0, 12.0, false, &format!("{}：{}", zh(Msg::PlacardBureau), bureau));
    push_text(&mut svg, 24.0, 268.0, 18.0, true, zh(Msg::PlacardHotline));

    let qr_x = width - QR_SIDE_MM - 24.0;
    let qr_y = 36.0;
    push_qr(&mut svg, &code, qr_x, qr_y);
    push_text(&mut svg, qr_x, qr_y + QR_SIDE_MM + 18.0, 11.0, false, zh(Msg::PlacardScanHint));
    push_text(&mut svg, qr_x, qr_y + QR_SIDE_MM + 32.0, 8.0, false, Msg::PlacardScanHint.text(Lang::En));

    svg.push_str("</svg>");
    Ok(svg)
}

/// Splits `text` into at most `max_lines` lines of `width` characters, ending with "…" when cut.
fn wrap_chars(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut lines: Vec<String> = chars.chunks(width).take(max_lines).map(|c| c.iter().collect()).collect();
    if chars.len() > width * max_lines {
        if let Some(last) = lines.last_mut() {
            last.pop();
            last.push('…');
        }
    }
    lines
}

fn push_text(svg: &mut String, x: f64, y: f64, size_mm: f64, bold: bool, text: &str) {
    let weight = if bold { "bold" } else { "normal" };
    let _ = write!(
        svg,
        r#"<text x="{x}" y="{y}" font-size="{size_mm}" font-weight="{weight}" fill="white">{}</text>"#,
        escape(text)
    );
}

/// Draws the code as one path of unit squares on a white square with the quiet zone.
fn push_qr(svg: &mut String, code: &QrCode, x: f64, y: f64) {
    let modules = code.width();
    let total = modules + 2 * QUIET_ZONE_MODULES;
    let module_mm = QR_SIDE_MM / total as f64;

    let _ = write!(svg, r#"<rect x="{x}" y="{y}" width="{QR_SIDE_MM}" height="{QR_SIDE_MM}" fill="white"/>"#);
    let _ = write!(
        svg,
        r#"<path transform="translate({x} {y}) scale({module_mm})" fill="black" shape-rendering="crispEdges" d=""#
    );
    let colors = code.to_colors();
    for row in 0..modules {
        for col in 0..modules {
            if colors[row * modules + col] == qrcode::Color::Dark {
                let _ = write!(svg, "M{} {}h1v1h-1z", col + QUIET_ZONE_MODULES, row + QUIET_ZONE_MODULES);
            }
        }
    }
    svg.push_str(r#""/>"#);
}

/// Size facts of the QR symbol for a payload: QR version and modules per side.
pub fn qr_symbol_size(qr_text: &str) -> Result<(i16, usize), PlacardError> {
    let code = QrCode::with_error_correction_level(qr_text.as_bytes(), EcLevel::Q)
        .map_err(|e| PlacardError::QrEncode { len: qr_text.len(), reason: e.to_string() })?;
    let version = match code.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
    };
    Ok((version, code.width()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_marks_cut_text() {
        assert_eq!(wrap_chars("abcdefg", 3, 2), vec!["abc".to_string(), "de…".to_string()]);
        assert_eq!(wrap_chars("abc", 3, 2), vec!["abc".to_string()]);
    }
}
