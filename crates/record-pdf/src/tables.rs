//! The checklist, measurement and photo tables.

use outlet_core::i18n::Label;
use outlet_core::inspection::InspectionRecord;
use outlet_core::{Lang, Msg};

use crate::flow::{Flow, BODY_SIZE, CONTENT_WIDTH, TABLE_SIZE};
use crate::format;
use crate::grid::{heading, paragraph, Grid};

/// Width of the row-number column, in points.
const NO_WIDTH: f32 = 24.0;

/// How many hex digits of a photo's SHA-256 the table prints; enough to find the photo.
const PHOTO_HASH_DIGITS: usize = 16;

fn labels(lang: Lang, msgs: &[Msg]) -> Vec<String> {
    msgs.iter().map(|msg| msg.text(lang).to_string()).collect()
}

/// Column widths: `fixed` then one column taking the rest of the page.
fn widths(fixed: &[f32]) -> Vec<f32> {
    let mut widths = fixed.to_vec();
    widths.push(CONTENT_WIDTH - fixed.iter().sum::<f32>());
    widths
}

/// Draws each checklist item with its result, the articles behind the item and the officer's note.
pub(crate) fn checklist(flow: &mut Flow<'_>, record: &InspectionRecord, lang: Lang) {
    let header = labels(lang, &[Msg::PrintColumnNo, Msg::PrintColumnItem, Msg::PrintColumnAnswer, Msg::PrintColumnArticles, Msg::PrintColumnNote]);
    let rows: Vec<Vec<String>> = record
        .answers
        .iter()
        .enumerate()
        .map(|(index, answer)| {
            vec![
                (index + 1).to_string(),
                answer.item.text(lang).to_string(),
                answer.answer.text(lang).to_string(),
                format::article_numbers(answer.item.articles(), lang),
                answer.note.clone(),
            ]
        })
        .collect();
    section_table(flow, Msg::Checklist.text(lang), &widths(&[NO_WIDTH, 166.0, 50.0, 108.0]), header, &rows, lang);
}

/// Draws the values measured on site, with the sample number of samples taken for the laboratory.
pub(crate) fn measurements(flow: &mut Flow<'_>, record: &InspectionRecord, lang: Lang) {
    let header = labels(
        lang,
        &[Msg::PrintColumnNo, Msg::SectionOutlet, Msg::FieldPollutant, Msg::PrintColumnValue, Msg::PrintColumnUnit, Msg::PrintColumnMethod, Msg::PrintColumnSampleNo],
    );
    let rows: Vec<Vec<String>> = record
        .measurements
        .iter()
        .enumerate()
        .map(|(index, measurement)| {
            let (method, sample_no) = format::method(&measurement.method, lang);
            vec![
                (index + 1).to_string(),
                measurement.outlet.to_string(),
                measurement.pollutant.clone(),
                measurement.value.to_string(),
                measurement.unit.clone(),
                method,
                sample_no,
            ]
        })
        .collect();
    section_table(flow, Msg::PrintMeasurements.text(lang), &widths(&[NO_WIDTH, 118.0, 78.0, 60.0, 52.0, 64.0]), header, &rows, lang);
}

/// Draws the photos by the start of their SHA-256, with when and where they were taken.
pub(crate) fn photos(flow: &mut Flow<'_>, record: &InspectionRecord, lang: Lang) {
    let header = labels(lang, &[Msg::PrintColumnNo, Msg::PrintColumnPhotoHash, Msg::PrintColumnTakenAt, Msg::PrintColumnPosition]);
    let not_recorded = Msg::PrintNotRecorded.text(lang);
    let rows: Vec<Vec<String>> = record
        .photos
        .iter()
        .enumerate()
        .map(|(index, photo)| {
            let taken_at = photo.taken_at.map_or_else(|| not_recorded.to_string(), |at| format::date_time(at.to_offset(record.utc_offset()), lang));
            let position = photo.position.map_or_else(|| not_recorded.to_string(), |point| format::point(point, lang));
            vec![(index + 1).to_string(), photo.sha256.chars().take(PHOTO_HASH_DIGITS).collect(), taken_at, position]
        })
        .collect();
    section_table(flow, Msg::PrintPhotos.text(lang), &widths(&[NO_WIDTH, 120.0, 120.0]), header, &rows, lang);
}

/// Draws a heading and the table under it, or 无 / None when the table has no rows.
pub(crate) fn section_table(flow: &mut Flow<'_>, title: &str, widths: &[f32], header: Vec<String>, rows: &[Vec<String>], lang: Lang) {
    if rows.is_empty() {
        heading(flow, title, flow.line_height(BODY_SIZE));
        paragraph(flow, Msg::None.text(lang), BODY_SIZE);
        return;
    }

    let table = Grid::table(widths, header, TABLE_SIZE);
    heading(flow, title, table.lead_height(flow, rows));
    table.draw(flow, rows);
}
