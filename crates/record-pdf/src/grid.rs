//! Blocks of text laid out in columns: tables with a header row, label-value fields, paragraphs
//! and section headings. A row that does not fit goes to the next page, where a table repeats its
//! header. A row taller than a page is split between lines.

use crate::flow::{Flow, BODY_SIZE, CONTENT_WIDTH, HEADING_SIZE, MARGIN_X};
use crate::wrap::wrap;

/// Space kept free at the right of every column but the last, in points.
const CELL_GAP: f32 = 6.0;

/// Space above and below the text of a table row, in points.
const TABLE_ROW_PAD: f32 = 2.5;

/// Space above and below the text of a field row, in points.
const FIELD_ROW_PAD: f32 = 1.0;

/// Width of the label column of fields, in points.
pub(crate) const LABEL_WIDTH: f32 = 84.0;

/// Columns of text; see the module doc.
pub(crate) struct Grid {
    /// Column widths in points, summing to at most [`CONTENT_WIDTH`].
    widths: Vec<f32>,
    size: f32,
    header: Option<Vec<String>>,
    /// True for tables, which draw rules around the header and between rows, and false for fields.
    ruled: bool,
    row_pad: f32,
}

impl Grid {
    /// Creates a table with a header row that repeats on every page it continues on.
    pub fn table(widths: &[f32], header: Vec<String>, size: f32) -> Self {
        Self { widths: widths.to_vec(), size, header: Some(header), ruled: true, row_pad: TABLE_ROW_PAD }
    }

    /// Creates label-value rows: a label column of [`LABEL_WIDTH`] and the value across the rest.
    pub fn fields() -> Self {
        Self { widths: vec![LABEL_WIDTH, CONTENT_WIDTH - LABEL_WIDTH], size: BODY_SIZE, header: None, ruled: false, row_pad: FIELD_ROW_PAD }
    }

    fn total_width(&self) -> f32 {
        self.widths.iter().sum()
    }

    /// Lines of each cell of `row`, wrapped to its column.
    fn wrap_row(&self, flow: &Flow<'_>, row: &[String]) -> Vec<Vec<String>> {
        let last = self.widths.len().saturating_sub(1);
        self.widths
            .iter()
            .enumerate()
            .map(|(column, width)| {
                let text = row.get(column).map(String::as_str).unwrap_or_default();
                let text_width = if column < last { width - CELL_GAP } else { *width };
                wrap(flow.font, text, self.size, text_width.max(self.size))
            })
            .collect()
    }

    fn row_height(&self, flow: &Flow<'_>, cells: &[Vec<String>]) -> f32 {
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1);
        lines as f32 * flow.line_height(self.size) + 2.0 * self.row_pad
    }

    /// Height of the header and the start of the first row (up to three lines), which must share
    /// a page.
    pub fn lead_height(&self, flow: &Flow<'_>, rows: &[Vec<String>]) -> f32 {
        let header = self.header.as_ref().map_or(0.0, |header| self.row_height(flow, &self.wrap_row(flow, header)));
        let first_row = rows.first().map_or(0.0, |row| self.row_height(flow, &self.wrap_row(flow, row)));
        header + first_row.min(3.0 * flow.line_height(self.size) + 2.0 * self.row_pad)
    }

    /// Draws the header and `rows`, keeping the header with the first row.
    pub fn draw(&self, flow: &mut Flow<'_>, rows: &[Vec<String>]) {
        let header = self.header.as_ref().map(|header| self.wrap_row(flow, header));

        if let Some(header) = &header {
            flow.ensure(self.lead_height(flow, rows));
            self.draw_header(flow, header);
        }

        for row in rows {
            let cells = self.wrap_row(flow, row);
            if flow.ensure(self.row_height(flow, &cells)) {
                self.repeat_header(flow, header.as_deref());
            }
            self.draw_cells(flow, &cells, header.as_deref());
        }
    }

    fn draw_header(&self, flow: &mut Flow<'_>, header: &[Vec<String>]) {
        flow.rule(MARGIN_X, self.total_width(), 0.8, 0.0);
        self.draw_cells(flow, header, None);
        flow.rule(MARGIN_X, self.total_width(), 0.6, 0.0);
    }

    fn repeat_header(&self, flow: &mut Flow<'_>, header: Option<&[Vec<String>]>) {
        if let Some(header) = header {
            self.draw_header(flow, header);
        }
    }

    /// Draws one row line by line, moving to a new page between lines when the row is taller than
    /// the space left.
    fn draw_cells(&self, flow: &mut Flow<'_>, cells: &[Vec<String>], header: Option<&[Vec<String>]>) {
        let line_height = flow.line_height(self.size);
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1);

        flow.advance(self.row_pad);
        for line in 0..lines {
            if line_height + self.row_pad > flow.remaining() && !flow.at_page_top() {
                flow.new_page();
                self.repeat_header(flow, header);
                flow.advance(self.row_pad);
            }

            let mut x = MARGIN_X;
            for (column, width) in self.widths.iter().enumerate() {
                if let Some(text) = cells.get(column).and_then(|lines| lines.get(line)) {
                    flow.text(x, text, self.size);
                }
                x += width;
            }
            flow.advance(line_height);
        }
        flow.advance(self.row_pad);

        if self.ruled {
            flow.rule(MARGIN_X, self.total_width(), 0.3, 0.55);
        }
    }
}

/// Space above a section heading, in points.
const HEADING_SPACE: f32 = 10.0;

/// Draws a section heading with a rule under it, on a new page unless `keep` points of what
/// follows fit under it on this one.
pub(crate) fn heading(flow: &mut Flow<'_>, text: &str, keep: f32) {
    let heading_height = flow.line_height(HEADING_SIZE);
    flow.ensure(HEADING_SPACE + heading_height + 3.0 + keep);

    if !flow.at_page_top() {
        flow.advance(HEADING_SPACE);
    }
    flow.text(MARGIN_X, text, HEADING_SIZE);
    flow.advance(heading_height);
    flow.rule(MARGIN_X, CONTENT_WIDTH, 0.5, 0.35);
    flow.advance(3.0);
}

/// Height of the first lines of a paragraph that must stay with its heading: three body lines.
pub(crate) fn paragraph_lead(flow: &Flow<'_>) -> f32 {
    3.0 * flow.line_height(BODY_SIZE)
}

/// Draws `text` across the page, wrapped, at `size` points.
pub(crate) fn paragraph(flow: &mut Flow<'_>, text: &str, size: f32) {
    let line_height = flow.line_height(size);
    for line in wrap(flow.font, text, size, CONTENT_WIDTH) {
        flow.ensure(line_height);
        flow.text(MARGIN_X, &line, size);
        flow.advance(line_height);
    }
}
