use std::path::PathBuf;

/// Failure to find a usable font or to write a record's PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// None of the CJK families [`crate::CJK_FAMILIES`] is installed.
    #[error(
        "no CJK font found among the system fonts (looked for {families}); install one of them, \
         e.g. `apt-get install fonts-wqy-microhei` on Debian or Ubuntu"
    )]
    NoCjkFont { families: String },

    #[error("font file {path} could not be read: {source}")]
    FontFileUnreadable { path: PathBuf, source: std::io::Error },

    /// The bytes are not a TrueType or OpenType font, or the collection has no face at `index`.
    #[error("the font data is not a TrueType or OpenType font with a face at collection index {index}")]
    FontInvalid { index: u32 },

    /// The font cannot draw Chinese, so the record would print as empty boxes.
    #[error("font {family:?} has no glyph for {ch:?}; use a CJK font such as WenQuanYi Micro Hei or Noto Sans CJK SC")]
    FontLacksGlyph { family: String, ch: char },

    /// krilla failed to serialise the document, e.g. because the font could not be subset.
    #[error("the PDF could not be written: {reason}")]
    Write { reason: String },
}
