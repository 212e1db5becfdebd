//! The footer of every page: record number, page x of y, the record's SHA-256 and the device's id
//! and sequence number, which together find the stored record a printout came from.

use outlet_core::{Lang, Msg};

use crate::flow::{line_height, text_mark, Mark, Page, BODY_BOTTOM, CONTENT_WIDTH, FOOTER_SIZE, MARGIN_X};
use crate::font::FontMetrics;
use crate::wrap::fit;
use crate::PrintedRecord;

/// Space between the body and the footer's rule, in points.
const FOOTER_GAP: f32 = 12.0;

/// Adds the footer to each of `pages`, numbering them out of their total.
pub(crate) fn add(pages: &mut [Page], printed: &PrintedRecord<'_>, font: &FontMetrics<'_>, lang: Lang) {
    let record = printed.record;
    let total = pages.len().to_string();
    let line = line_height(font, FOOTER_SIZE);
    let rule_y = BODY_BOTTOM + FOOTER_GAP;
    let top = rule_y + 2.0;

    let record_no = format!("{} {}", Msg::PrintRecordNo.text(lang), record.record_no);
    let hash = Msg::PrintFooterHash.fill(lang, &[printed.sha256]);
    let device = Msg::PrintFooterDevice.fill(lang, &[&record.device_id.to_string(), &record.device_seq.to_string()]);

    for (index, page) in pages.iter_mut().enumerate() {
        page.push(Mark::Rule { from: (MARGIN_X, rule_y), to: (MARGIN_X + CONTENT_WIDTH, rule_y), width: 0.4, gray: 0.5 });

        let page_of = Msg::PrintPageOf.fill(lang, &[&(index + 1).to_string(), &total]);
        let page_of_width = font.width(&page_of, FOOTER_SIZE);
        page.push(text_mark(font, MARGIN_X + CONTENT_WIDTH - page_of_width, top, FOOTER_SIZE, &page_of));

        let left_width = CONTENT_WIDTH - page_of_width - 12.0;
        page.push(text_mark(font, MARGIN_X, top, FOOTER_SIZE, &fit(font, &record_no, FOOTER_SIZE, left_width)));
        page.push(text_mark(font, MARGIN_X, top + line, FOOTER_SIZE, &fit(font, &hash, FOOTER_SIZE, CONTENT_WIDTH)));
        page.push(text_mark(font, MARGIN_X, top + 2.0 * line, FOOTER_SIZE, &fit(font, &device, FOOTER_SIZE, CONTENT_WIDTH)));
    }
}
