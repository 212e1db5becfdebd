//! Renders outlet placards (标志牌): GB 15562.1-1995 notice signs (green background, white graphic and
//! text) with the sign's name, the unit, the outlet code, the main pollutants, the supervising
//! bureau, the 12369 hotline and the signed QR code.
//!
//! Each placard is drawn once, as SVG in millimetres at its physical size ([`Layout`]). PNG is that SVG
//! rasterised by resvg, and PDF ([`PdfDocument`]) is that SVG converted to vector pages by krilla,
//! with the CJK font embedded as a subset.
//!
//! The QR code uses error-correction level Q because outdoor placards get dirty. With this project's
//! scanner a 165-character placard URL survives a central blot of 20 % of the symbol's area at Q,
//! against 6 % at L and 24 % at H. H would need version 10 instead of 9, which makes modules 6 %
//! smaller and shortens the reading distance (`examples/damage_sweep` measures this).
//!
//! ```no_run
//! # fn demo(card: &outlet_core::OutletCard) -> Result<(), outlet_placard::PlacardError> {
//! use outlet_placard::{Layout, PlacardContent};
//!
//! let content = PlacardContent::from_card(card, "HTTP://HB.EXAMPLE/O/...", 1);
//! let svg = outlet_placard::render_svg(&content, Layout::Wall)?;
//! let png = outlet_placard::render_png(&svg, 4.0)?;
//! # Ok(()) }
//! ```

mod layout;
mod pdf;
mod raster;
mod symbol;

use std::fmt::Write;

use outlet_core::card::Medium;
use outlet_core::i18n::{Lang, Msg};
use outlet_core::markup::escape;
use outlet_core::OutletCard;
use qrcode::{EcLevel, QrCode};

pub use layout::Layout;
pub use pdf::PdfDocument;
pub use raster::render_png;

use layout::TextBox;

/// Error-correction level of every placard's QR code.
pub const EC_LEVEL: EcLevel = EcLevel::Q;

/// Modules of white margin around the code (the QR quiet zone).
const QUIET_ZONE_MODULES: usize = 4;

/// Notice-sign green.
const SIGN_GREEN: &str = "#00703c";

const FONT_FAMILY: &str = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif";

#[derive(Debug, thiserror::Error)]
pub enum PlacardError {
    #[error("the QR text ({len} characters) does not fit in a QR code: {reason}")]
    QrEncode { len: usize, reason: String },

    #[error("the placard SVG could not be read: {0}")]
    Svg(String),

    #[error("a {width_px}x{height_px} px image could not be allocated; choose a lower resolution")]
    TooLarge { width_px: u32, height_px: u32 },

    #[error("the PNG could not be encoded: {0}")]
    Png(String),

    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

/// Text and code printed on one placard.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacardContent {
    pub medium: Medium,
    pub unit_name: String,
    pub outlet_code: String,
    pub outlet_name: String,
    pub pollutants: Vec<String>,
    /// The supervising bureau (监管部门).
    pub bureau: String,
    pub qr_text: String,
    /// Placard serial, printed small so a replaced placard can be distinguished from its successor.
    pub serial: u32,
}

impl PlacardContent {
    /// Builds the placard of `card`'s outlet, naming the permit's issuing authority as the bureau.
    pub fn from_card(card: &OutletCard, qr_text: &str, serial: u32) -> Self {
        Self {
            medium: card.outlet.medium,
            unit_name: card.unit.name.clone(),
            outlet_code: card.outlet.id.outlet_code.to_string(),
            outlet_name: card.outlet.name.clone(),
            pollutants: card.main_pollutants().into_iter().map(String::from).collect(),
            bureau: card.permit.issuing_authority.clone(),
            qr_text: qr_text.to_string(),
            serial,
        }
    }
}

/// Encodes the QR text at [`EC_LEVEL`].
pub fn encode_qr(qr_text: &str) -> Result<QrCode, PlacardError> {
    QrCode::with_error_correction_level(qr_text.as_bytes(), EC_LEVEL)
        .map_err(|e| PlacardError::QrEncode { len: qr_text.len(), reason: e.to_string() })
}

/// Draws the placard as SVG whose user unit is 1 mm.
pub fn render_svg(content: &PlacardContent, layout: Layout) -> Result<String, PlacardError> {
    let code = encode_qr(&content.qr_text)?;
    let geometry = layout.geometry();
    let (width, height) = geometry.size_mm;
    let title = match content.medium {
        Medium::Air => Msg::PlacardAirTitle,
        Medium::Water => Msg::PlacardWaterTitle,
    };
    let zh = |msg: Msg| msg.text(Lang::Zh);

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm" viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}">"#
    );
    let _ = write!(svg, r#"<rect width="{width}" height="{height}" fill="{SIGN_GREEN}"/>"#);
    let _ = write!(svg, r#"<rect x="6" y="6" width="{}" height="{}" fill="none" stroke="white" stroke-width="3"/>"#, width - 12.0, height - 12.0);

    let (symbol_x, symbol_y, symbol_side) = geometry.symbol;
    symbol::push_symbol(&mut svg, content.medium, symbol_x, symbol_y, symbol_side);
    push_text(&mut svg, geometry.title, true, zh(title));
    push_text(&mut svg, geometry.title_en, false, title.text(Lang::En));
    push_text(&mut svg, geometry.unit, true, &content.unit_name);
    push_text(&mut svg, geometry.outlet, false, &format!("{}：{}  {}", zh(Msg::FieldOutletCode), content.outlet_code, content.outlet_name));
    push_text(&mut svg, geometry.pollutants, false, &format!("{}：{}", zh(Msg::PlacardPollutants), content.pollutants.join("、")));
    push_text(&mut svg, geometry.bureau, false, &format!("{}：{}", zh(Msg::PlacardBureau), content.bureau));
    push_text(&mut svg, geometry.hotline, true, zh(Msg::PlacardHotline));

    let (qr_x, qr_y, qr_side) = geometry.qr;
    push_qr(&mut svg, &code, qr_x, qr_y, qr_side);
    let hint = geometry.hint;
    push_text(&mut svg, hint, false, zh(Msg::PlacardScanHint));
    let serial = TextBox { y: hint.y + hint.size_mm * 1.4, ..hint };
    push_text(&mut svg, serial, false, &Msg::PlacardSerial.fill(Lang::Zh, &[&content.serial.to_string()]));

    svg.push_str("</svg>");
    Ok(svg)
}

/// Punctuation that Chinese typesetting keeps off the start of a line; it stays on the line before,
/// slightly past the width.
const NO_LINE_START: &str = "、，。：；！？）」』》】…";

/// Estimated advance width of a character in ems: CJK and full-width forms are square, Latin letters
/// and digits about half as wide.
fn char_width_em(ch: char) -> f64 {
    if ch.is_ascii() {
        0.56
    } else {
        1.0
    }
}

/// Splits `text` into lines no wider than `width_em`, at most `max_lines`, ending with "…" when cut.
fn wrap_text(text: &str, width_em: f64, max_lines: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut used = 0.0;
    for ch in text.chars() {
        let advance = char_width_em(ch);
        if used + advance > width_em && !NO_LINE_START.contains(ch) {
            if lines.len() == max_lines {
                let last = lines.last_mut().expect("lines is never empty");
                last.pop();
                last.push('…');
                return lines;
            }
            lines.push(String::new());
            used = 0.0;
        }
        lines.last_mut().expect("lines is never empty").push(ch);
        used += advance;
    }
    lines
}

fn push_text(svg: &mut String, text_box: TextBox, bold: bool, text: &str) {
    let weight = if bold { "bold" } else { "normal" };
    let lines = wrap_text(text, text_box.width_mm / text_box.size_mm, text_box.max_lines);
    for (i, line) in lines.iter().enumerate() {
        let y = text_box.y + i as f64 * text_box.size_mm * 1.25;
        let _ = write!(
            svg,
            r#"<text x="{}" y="{y}" font-size="{}" font-weight="{weight}" fill="white">{}</text>"#,
            text_box.x,
            text_box.size_mm,
            escape(line)
        );
    }
}

/// Draws the code as one path of unit squares on a white square with the quiet zone.
fn push_qr(svg: &mut String, code: &QrCode, x: f64, y: f64, side: f64) {
    let modules = code.width();
    let total = modules + 2 * QUIET_ZONE_MODULES;
    let module_mm = side / total as f64;

    let _ = write!(svg, r#"<rect x="{x}" y="{y}" width="{side}" height="{side}" fill="white"/>"#);
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

/// QR version and modules per side of the symbol for a payload.
pub fn qr_symbol_size(qr_text: &str) -> Result<(i16, usize), PlacardError> {
    let code = encode_qr(qr_text)?;
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
        assert_eq!(wrap_text("排放口排放口排", 3.0, 2), vec!["排放口".to_string(), "排放…".to_string()]);
        assert_eq!(wrap_text("排放口", 3.0, 2), vec!["排放口".to_string()]);
    }

    #[test]
    fn wrap_keeps_comma_off_line_start() {
        assert_eq!(wrap_text("氨氮、总磷", 2.0, 3), vec!["氨氮、".to_string(), "总磷".to_string()]);
    }

    #[test]
    fn wrap_counts_latin_narrower() {
        assert_eq!(wrap_text("DA001DA001", 6.0, 1), vec!["DA001DA001".to_string()]);
    }
}
