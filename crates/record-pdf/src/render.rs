//! Writes laid-out pages with krilla: text as glyphs of the embedded font, rules and signature
//! strokes as vector paths.

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineCap, LineJoin, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, Document};
use outlet_core::Lang;

use crate::flow::{Mark, Page, PAGE_HEIGHT, PAGE_WIDTH};
use crate::font::{CjkFont, FontMetrics};
use crate::PdfError;

pub(crate) fn render(pages: &[Page], font: &CjkFont, metrics: &FontMetrics<'_>, title: &str, lang: Lang) -> Result<Vec<u8>, PdfError> {
    let pdf_font = Font::new(Data::from(font.data()), font.index()).ok_or(PdfError::FontInvalid { index: font.index() })?;
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or_else(|| PdfError::Write { reason: "the page size is empty".into() })?;

    let mut document = Document::new();
    document.set_metadata(Metadata::new().title(title.to_string()).language(lang.tag().to_string()));

    for page in pages {
        let mut pdf_page = document.start_page_with(settings.clone());
        let mut surface = pdf_page.surface();
        for mark in page {
            draw(&mut surface, mark, &pdf_font, metrics);
        }
        surface.finish();
        pdf_page.finish();
    }

    document.finish().map_err(|error| PdfError::Write { reason: error.to_string() })
}

fn draw(surface: &mut Surface<'_>, mark: &Mark, font: &Font, metrics: &FontMetrics<'_>) {
    match mark {
        Mark::Text { x, baseline, size, text } => {
            let glyphs: Vec<KrillaGlyph> = text
                .char_indices()
                .map(|(start, ch)| {
                    let glyph = GlyphId::new(u32::from(metrics.glyph(ch).0));
                    KrillaGlyph::new(glyph, metrics.advance(ch), 0.0, 0.0, 0.0, start..start + ch.len_utf8(), None)
                })
                .collect();
            surface.set_stroke(None);
            surface.set_fill(Some(Fill::default()));
            surface.draw_glyphs(Point::from_xy(*x, *baseline), &glyphs, font.clone(), text, *size, false);
        }
        Mark::Rule { from, to, width, gray } => {
            let mut path = PathBuilder::new();
            path.move_to(from.0, from.1);
            path.line_to(to.0, to.1);
            let lightness = (gray.clamp(0.0, 1.0) * 255.0).round() as u8;
            stroke_path(surface, path, Stroke { paint: luma::Color::new(lightness).into(), width: *width, ..Stroke::default() });
        }
        Mark::Strokes { strokes, width } => {
            let mut path = PathBuilder::new();
            for stroke in strokes {
                let Some((first, rest)) = stroke.split_first() else {
                    continue;
                };
                path.move_to(first.0, first.1);
                if rest.is_empty() {
                    // A tap draws a dot: a round cap on a zero-length segment.
                    path.line_to(first.0, first.1);
                }
                for point in rest {
                    path.line_to(point.0, point.1);
                }
            }
            let stroke = Stroke { width: *width, line_cap: LineCap::Round, line_join: LineJoin::Round, ..Stroke::default() };
            stroke_path(surface, path, stroke);
        }
    }
}

fn stroke_path(surface: &mut Surface<'_>, path: PathBuilder, stroke: Stroke) {
    let Some(path) = path.finish() else {
        return;
    };
    surface.set_fill(None);
    surface.set_stroke(Some(stroke));
    surface.draw_path(&path);
}
