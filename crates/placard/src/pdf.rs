//! Vector PDF of one or many placards, one placard a page at its physical size.

use krilla::geom::Size;
use krilla::page::PageSettings;
use krilla::Document;
use krilla_svg::{SurfaceExt, SvgSettings};

use crate::raster::parse_svg;
use crate::PlacardError;

/// PDF points per CSS pixel (72 / 96), the unit usvg gives sizes in.
const POINTS_PER_PX: f32 = 0.75;

/// A PDF being built a page at a time. Fonts are embedded once for the whole document, as subsets
/// of the glyphs its pages use, and text stays text (selectable, searchable).
pub struct PdfDocument {
    document: Document,
    pages: usize,
}

impl Default for PdfDocument {
    fn default() -> Self {
        Self::new()
    }
}

impl PdfDocument {
    pub fn new() -> Self {
        Self { document: Document::new(), pages: 0 }
    }

    /// Adds a page of the SVG's physical size with the SVG drawn on it.
    pub fn add_page(&mut self, svg: &str) -> Result<(), PlacardError> {
        let tree = parse_svg(svg)?;
        let width = tree.size().width() * POINTS_PER_PX;
        let height = tree.size().height() * POINTS_PER_PX;
        let size = Size::from_wh(width, height).ok_or_else(|| PlacardError::Pdf(format!("page size {width}x{height} pt is empty")))?;

        let mut page = self.document.start_page_with(PageSettings::new(size));
        let mut surface = page.surface();
        surface
            .draw_svg(&tree, size, SvgSettings::default())
            .ok_or_else(|| PlacardError::Pdf(format!("page {} could not be drawn", self.pages + 1)))?;
        surface.finish();
        page.finish();
        self.pages += 1;
        Ok(())
    }

    pub fn page_count(&self) -> usize {
        self.pages
    }

    /// Serialises the document.
    pub fn finish(self) -> Result<Vec<u8>, PlacardError> {
        self.document.finish().map_err(|e| PlacardError::Pdf(format!("{e:?}")))
    }
}
