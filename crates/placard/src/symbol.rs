//! The graphic symbols of the notice signs, drawn white on the green sign in a 100 × 100 box.
//!
//! NOTE: these are simplified drawings of the GB 15562.1-1995 notice-sign symbols: a stack giving off
//! smoke for air outlets, a pipe discharging into water for water outlets. They are not copies of the
//! standard's artwork, so a print shop working from the standard may substitute the official graphic.

use std::fmt::Write;

use outlet_core::card::Medium;

/// Appends the symbol for `medium` at `(x, y)` with side `side` mm.
pub(crate) fn push_symbol(svg: &mut String, medium: Medium, x: f64, y: f64, side: f64) {
    let scale = side / 100.0;
    let _ = write!(svg, r#"<g transform="translate({x} {y}) scale({scale})" fill="none" stroke="white" stroke-width="5" stroke-linecap="round" stroke-linejoin="round">"#);
    svg.push_str(r#"<rect x="2.5" y="2.5" width="95" height="95" rx="6"/>"#);
    match medium {
        Medium::Air => svg.push_str(AIR),
        Medium::Water => svg.push_str(WATER),
    }
    svg.push_str("</g>");
}

/// A stack on the ground with three puffs of smoke drifting up and right.
const AIR: &str = concat!(
    r#"<path d="M14 88 H86"/>"#,
    r#"<path d="M30 88 L34 44 H48 L52 88 Z" fill="white"/>"#,
    r#"<circle cx="48" cy="32" r="7" fill="white"/>"#,
    r#"<circle cx="62" cy="22" r="9" fill="white"/>"#,
    r#"<circle cx="79" cy="14" r="6" fill="white"/>"#,
);

/// A pipe from a wall, a stream falling from its mouth, and waves of the receiving water below.
const WATER: &str = concat!(
    r#"<path d="M12 20 V56"/>"#,
    r#"<path d="M12 30 H52 V44 H12 Z" fill="white"/>"#,
    r#"<path d="M54 37 C66 37 70 48 70 62" stroke-width="7"/>"#,
    r#"<path d="M14 74 q9 -7 18 0 t18 0 t18 0 t18 0"/>"#,
    r#"<path d="M14 87 q9 -7 18 0 t18 0 t18 0 t18 0"/>"#,
);
