//! Parsing the placard SVG with the system's fonts, and rasterising it to PNG.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use crate::PlacardError;

/// Largest raster accepted, in pixels, so a mistyped resolution cannot exhaust memory.
const MAX_PIXELS: u64 = 100_000_000;

/// Font families the placards name, in order of preference.
const CJK_FAMILIES: [&str; 3] = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC"];

/// Returns the placard fonts, loaded once per process and kept in memory.
///
/// Only the CJK families the placards name are kept, read into memory once: a font left as a file
/// source is read from disk again for every PDF page, which dominated the time of large batches.
/// Without any of them, every system font is offered and Chinese text may be missing.
fn font_database() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut system = usvg::fontdb::Database::new();
            system.load_system_fonts();

            let mut fonts = usvg::fontdb::Database::new();
            let mut loaded_paths = Vec::new();
            for face in system.faces() {
                let wanted = face.families.iter().any(|(name, _)| CJK_FAMILIES.contains(&name.as_str()));
                if let (true, usvg::fontdb::Source::File(path)) = (wanted, &face.source) {
                    if loaded_paths.contains(path) {
                        continue;
                    }
                    match std::fs::read(path) {
                        Ok(data) => fonts.load_font_data(data),
                        Err(error) => tracing::warn!(path = %path.display(), %error, "font file could not be read"),
                    }
                    loaded_paths.push(path.clone());
                }
            }

            if fonts.is_empty() {
                tracing::warn!("no CJK font found (install fonts-wqy-microhei); Chinese text on PNG and PDF placards will be missing");
                return Arc::new(system);
            }
            if let Some(family) = CJK_FAMILIES.iter().find(|family| fonts.faces().any(|f| f.families.iter().any(|(n, _)| n == *family))) {
                fonts.set_sans_serif_family(*family);
            }
            Arc::new(fonts)
        })
        .clone()
}

/// Parses a placard SVG, resolving its fonts among the system's.
pub(crate) fn parse_svg(svg: &str) -> Result<usvg::Tree, PlacardError> {
    let options = usvg::Options { fontdb: font_database(), ..Default::default() };
    usvg::Tree::from_str(svg, &options).map_err(|e| PlacardError::Svg(e.to_string()))
}

/// Rasterises a placard SVG whose size is given in mm at `px_per_mm` pixels a millimetre
/// (4 px/mm ≈ 100 dpi for previews, 11.8 px/mm = 300 dpi for print).
pub fn render_png(svg: &str, px_per_mm: f32) -> Result<Vec<u8>, PlacardError> {
    let tree = parse_svg(svg)?;

    // usvg converts the SVG's mm width and height to CSS pixels at 96 per inch.
    let scale = px_per_mm * 25.4 / 96.0;
    let size = tree.size();
    let width_px = (size.width() * scale).ceil() as u32;
    let height_px = (size.height() * scale).ceil() as u32;
    if width_px as u64 * height_px as u64 > MAX_PIXELS {
        return Err(PlacardError::TooLarge { width_px, height_px });
    }
    let mut pixmap = tiny_skia::Pixmap::new(width_px, height_px).ok_or(PlacardError::TooLarge { width_px, height_px })?;

    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| PlacardError::Png(e.to_string()))
}
