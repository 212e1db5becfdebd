//! The CJK font the record is printed in: finding it among the system fonts, checking that it draws
//! Chinese, and measuring text in it.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use outlet_core::inspection::ACKNOWLEDGEMENT_TEXT;
use outlet_core::{Lang, Msg};
use ttf_parser::{name_id, Face, GlyphId};

use crate::PdfError;

/// CJK font families searched by [`system_cjk_font`], in order of preference. Debian's
/// `fonts-wqy-microhei` package installs the first.
pub const CJK_FAMILIES: [&str; 5] = ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Droid Sans Fallback", "PingFang SC"];

/// A font that can draw Simplified Chinese, as the bytes of a font file and the index of the face in
/// it (0 unless the file is a collection such as `.ttc`). The PDF embeds the subset of glyphs it uses.
#[derive(Clone)]
pub struct CjkFont {
    data: Arc<Vec<u8>>,
    index: u32,
    family: String,
}

impl fmt::Debug for CjkFont {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CjkFont").field("family", &self.family).field("index", &self.index).field("bytes", &self.data.len()).finish()
    }
}

impl CjkFont {
    /// Wraps the bytes of a TrueType or OpenType font (or collection) and checks that face `index`
    /// has glyphs for the Chinese words every record prints.
    pub fn new(data: Vec<u8>, index: u32) -> Result<Self, PdfError> {
        let face = Face::parse(&data, index).map_err(|_| PdfError::FontInvalid { index })?;
        let family = family_name(&face);

        let probe = [Msg::InspectionTitle.text(Lang::Zh), ACKNOWLEDGEMENT_TEXT, "0123456789ABCDEFabcdef"];
        if let Some(ch) = probe.iter().flat_map(|text| text.chars()).find(|ch| face.glyph_index(*ch).is_none()) {
            return Err(PdfError::FontLacksGlyph { family, ch });
        }

        Ok(Self { data: Arc::new(data), index, family })
    }

    /// Reads a font file and checks it as [`CjkFont::new`] does.
    pub fn from_file(path: &Path, index: u32) -> Result<Self, PdfError> {
        let data = std::fs::read(path).map_err(|source| PdfError::FontFileUnreadable { path: path.to_path_buf(), source })?;
        Self::new(data, index)
    }

    /// Family name from the font's name table, e.g. `WenQuanYi Micro Hei`.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// Index of the face in a font collection.
    pub fn index(&self) -> u32 {
        self.index
    }

    pub(crate) fn data(&self) -> Arc<Vec<u8>> {
        self.data.clone()
    }

    pub(crate) fn metrics(&self) -> Result<FontMetrics<'_>, PdfError> {
        let face = Face::parse(&self.data, self.index).map_err(|_| PdfError::FontInvalid { index: self.index })?;
        Ok(FontMetrics::new(face))
    }
}

/// Finds a CJK font installed on this machine, trying [`CJK_FAMILIES`] in order and skipping a face
/// that cannot draw Chinese. Each call scans the system's font directories and copies the font
/// file into memory, so call it once and keep the font (a clone shares the bytes).
pub fn system_cjk_font() -> Result<CjkFont, PdfError> {
    let mut database = fontdb::Database::new();
    database.load_system_fonts();

    for family in CJK_FAMILIES {
        let query = fontdb::Query { families: &[fontdb::Family::Name(family)], ..Default::default() };
        let Some(id) = database.query(&query) else {
            continue;
        };
        let Some((data, index)) = database.with_face_data(id, |data, index| (data.to_vec(), index)) else {
            tracing::warn!(family, "font file of an installed CJK family could not be read");
            continue;
        };
        match CjkFont::new(data, index) {
            Ok(font) => {
                tracing::debug!(family, index, "CJK font for printed records");
                return Ok(font);
            }
            Err(error) => tracing::warn!(family, %error, "installed CJK font skipped"),
        }
    }

    Err(PdfError::NoCjkFont { families: CJK_FAMILIES.join(", ") })
}

/// Returns the font's family name, in US English where the name table has it.
fn family_name(face: &Face<'_>) -> String {
    const US_ENGLISH: u16 = 0x0409;
    let names = face.names();
    let family_names = || names.into_iter().filter(|name| name.name_id == name_id::TYPOGRAPHIC_FAMILY || name.name_id == name_id::FAMILY);
    let english = family_names().filter(|name| name.language_id == US_ENGLISH).find_map(|name| name.to_string());
    english.or_else(|| family_names().find_map(|name| name.to_string())).unwrap_or_else(|| "(unnamed font)".to_string())
}

/// Glyphs and advances of the font, the same for measuring and for drawing, so a line that was
/// measured to fit is drawn at exactly that width. Text is not shaped: each character maps to one
/// glyph, which is right for Chinese and plain Latin but not for scripts that need shaping.
pub(crate) struct FontMetrics<'a> {
    face: Face<'a>,
    units_per_em: f32,
}

impl<'a> FontMetrics<'a> {
    fn new(face: Face<'a>) -> Self {
        let units_per_em = f32::from(face.units_per_em().max(1));
        Self { face, units_per_em }
    }

    /// Returns the glyph for `ch`, or the font's missing-glyph box (glyph 0) when it has none.
    pub fn glyph(&self, ch: char) -> GlyphId {
        self.face.glyph_index(ch).unwrap_or(GlyphId(0))
    }

    /// Returns the horizontal advance of `ch`, in ems.
    pub fn advance(&self, ch: char) -> f32 {
        let units = self.face.glyph_hor_advance(self.glyph(ch)).unwrap_or(0);
        f32::from(units) / self.units_per_em
    }

    /// Measures the width of `text` at `size` points, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|ch| self.advance(ch)).sum::<f32>() * size
    }

    /// Returns the height above the baseline, in ems.
    pub fn ascent(&self) -> f32 {
        f32::from(self.face.ascender()) / self.units_per_em
    }

    /// Returns the depth below the baseline, in ems (positive).
    pub fn descent(&self) -> f32 {
        -f32::from(self.face.descender()) / self.units_per_em
    }
}
