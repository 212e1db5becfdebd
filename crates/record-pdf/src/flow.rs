//! Pages as lists of marks in PDF points (origin at the top left, y down), and the cursor that
//! fills them from top to bottom and starts a new page when the next block does not fit.

use crate::font::FontMetrics;

/// A4 width in points.
pub(crate) const PAGE_WIDTH: f32 = 595.28;

/// A4 height in points.
pub(crate) const PAGE_HEIGHT: f32 = 841.89;

/// Left and right margin: 20 mm.
pub(crate) const MARGIN_X: f32 = 56.69;

/// Top of the body on every page: 18 mm.
pub(crate) const BODY_TOP: f32 = 51.02;

/// Bottom of the body; the footer takes the space below.
pub(crate) const BODY_BOTTOM: f32 = PAGE_HEIGHT - 78.0;

/// Width between the margins.
pub(crate) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

/// Font size of the title, in points.
pub(crate) const TITLE_SIZE: f32 = 20.0;

/// Font size of section headings, in points.
pub(crate) const HEADING_SIZE: f32 = 12.0;

/// Font size of fields and paragraphs, in points.
pub(crate) const BODY_SIZE: f32 = 10.0;

/// Font size of table cells, in points.
pub(crate) const TABLE_SIZE: f32 = 9.0;

/// Font size of the footer, in points.
pub(crate) const FOOTER_SIZE: f32 = 7.5;

/// Line height as a multiple of the font size.
const LINE_SPACING: f32 = 1.45;

/// Height of one line of text at `size` points, tall enough for the font's ascent and descent.
pub(crate) fn line_height(font: &FontMetrics<'_>, size: f32) -> f32 {
    (size * LINE_SPACING).max((font.ascent() + font.descent()) * size + 1.0)
}

/// Builds the mark of a line of text whose line box starts at `top`, with the glyphs' ascent and
/// descent centred in the line box.
pub(crate) fn text_mark(font: &FontMetrics<'_>, x: f32, top: f32, size: f32, text: &str) -> Mark {
    let glyph_height = (font.ascent() + font.descent()) * size;
    let baseline = top + (line_height(font, size) - glyph_height) / 2.0 + font.ascent() * size;
    Mark::Text { x, baseline, size, text: text.to_string() }
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Mark {
    /// One line of text starting at `x` on the baseline `baseline`.
    Text { x: f32, baseline: f32, size: f32, text: String },
    /// A straight line, black at `gray` 0 and white at 1.
    Rule { from: (f32, f32), to: (f32, f32), width: f32, gray: f32 },
    /// Drawn strokes of a signature, each a polyline.
    Strokes { strokes: Vec<Vec<(f32, f32)>>, width: f32 },
}

/// The marks of one page.
pub(crate) type Page = Vec<Mark>;

/// Fills pages top to bottom.
pub(crate) struct Flow<'f> {
    pub font: &'f FontMetrics<'f>,
    pages: Vec<Page>,
    /// Top of the free space on the current page.
    y: f32,
}

impl<'f> Flow<'f> {
    pub fn new(font: &'f FontMetrics<'f>) -> Self {
        Self { font, pages: vec![Vec::new()], y: BODY_TOP }
    }

    pub fn line_height(&self, size: f32) -> f32 {
        line_height(self.font, size)
    }

    pub fn y(&self) -> f32 {
        self.y
    }

    /// Free height left on the current page.
    pub fn remaining(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    /// True when nothing has been placed on the current page yet.
    pub fn at_page_top(&self) -> bool {
        self.y <= BODY_TOP
    }

    pub fn advance(&mut self, height: f32) {
        self.y += height;
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = BODY_TOP;
    }

    /// Starts a new page unless `height` fits below the cursor or the page is still empty (a block
    /// taller than a whole page then starts at the top and its caller splits it). Returns true when
    /// a page was started.
    pub fn ensure(&mut self, height: f32) -> bool {
        if height > self.remaining() && !self.at_page_top() {
            self.new_page();
            return true;
        }
        false
    }

    /// Places one line of text whose line box starts at the cursor, and leaves the cursor where it is.
    pub fn text(&mut self, x: f32, text: &str, size: f32) {
        if text.is_empty() {
            return;
        }
        let mark = text_mark(self.font, x, self.y, size, text);
        self.push(mark);
    }

    /// Draws a horizontal rule from `x` to `x + width` at the cursor.
    pub fn rule(&mut self, x: f32, width: f32, stroke: f32, gray: f32) {
        let y = self.y;
        self.push(Mark::Rule { from: (x, y), to: (x + width, y), width: stroke, gray });
    }

    pub fn push(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(mark);
        }
    }

    pub fn finish(self) -> Vec<Page> {
        self.pages
    }
}
