//! Prints a finalized inspection record (现场检查笔录) as an A4 PDF that an officer prints on site
//! or shares.
//!
//! The page shows the record as it was frozen. It lists the unit, outlets and officers, the times
//! in the device's local time and the location. The checklist names the articles of the
//! 排污许可管理条例 behind each item. Measurements, photos, the finding and suspected violations
//! follow, and the party's signature is drawn as vector strokes. Every page's footer carries the
//! page number, the record's SHA-256 and the device's id and sequence number, so a printout can be
//! matched to the stored record. Labels come from [`outlet_core::Msg`]. The text is drawn in one
//! CJK font, embedded as a subset so the file prints on machines without that font.
//!
//! ```no_run
//! # fn print(record: &outlet_core::inspection::InspectionRecord, sha256: &str) -> Result<(), outlet_record_pdf::PdfError> {
//! use outlet_record_pdf::{record_pdf, system_cjk_font, PrintedRecord};
//!
//! let font = system_cjk_font()?;
//! let pdf = record_pdf(&PrintedRecord::new(record, sha256), &font, outlet_core::Lang::Zh)?;
//! std::fs::write("record.pdf", pdf).expect("writable");
//! # Ok(())
//! # }
//! ```

mod error;
mod flow;
mod font;
mod footer;
mod format;
mod grid;
mod head;
mod party;
mod render;
mod tables;
mod wrap;

use outlet_core::inspection::InspectionRecord;
use outlet_core::{Lang, Msg};

pub use error::PdfError;
pub use font::{system_cjk_font, CjkFont, CJK_FAMILIES};

/// A finalized record with what identifies its stored copy.
#[derive(Debug, Clone, Copy)]
pub struct PrintedRecord<'a> {
    pub record: &'a InspectionRecord,
    /// Lower-case hex SHA-256 of the record's frozen bytes.
    pub sha256: &'a str,
    /// The server's receipt number, once the record was acknowledged.
    pub receipt_no: Option<&'a str>,
}

impl<'a> PrintedRecord<'a> {
    pub fn new(record: &'a InspectionRecord, sha256: &'a str) -> Self {
        Self { record, sha256, receipt_no: None }
    }

    pub fn with_receipt(self, receipt_no: &'a str) -> Self {
        Self { receipt_no: Some(receipt_no), ..self }
    }
}

/// Lays out and writes the PDF of `printed` with labels in `lang`. Long findings, tables and
/// signatures continue on further pages; nothing is cut off.
pub fn record_pdf(printed: &PrintedRecord<'_>, font: &CjkFont, lang: Lang) -> Result<Vec<u8>, PdfError> {
    let metrics = font.metrics()?;
    let pages = lay_out(printed, &metrics, lang);

    let title = format!("{} {}", Msg::InspectionTitle.text(lang), printed.record.record_no);
    let pdf = render::render(&pages, font, &metrics, &title, lang)?;

    tracing::debug!(record = %printed.record.id, pages = pages.len(), bytes = pdf.len(), "record PDF written");
    Ok(pdf)
}

/// Places every mark of every page, footers included.
fn lay_out(printed: &PrintedRecord<'_>, metrics: &font::FontMetrics<'_>, lang: Lang) -> Vec<flow::Page> {
    let record = printed.record;
    let mut flow = flow::Flow::new(metrics);

    head::draw(&mut flow, printed, lang);
    tables::checklist(&mut flow, record, lang);
    tables::measurements(&mut flow, record, lang);
    tables::photos(&mut flow, record, lang);
    party::finding(&mut flow, record, lang);
    party::violations(&mut flow, record, lang);
    party::acknowledgement(&mut flow, record, lang);

    let mut pages = flow.finish();
    footer::add(&mut pages, printed, metrics, lang);
    pages
}

#[cfg(test)]
mod tests;
