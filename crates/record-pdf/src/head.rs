//! The top of the first page: the title, the correction note, and the facts of the inspection.

use outlet_core::inspection::Location;
use outlet_core::i18n::Label;
use outlet_core::{Lang, Msg};

use crate::flow::{Flow, BODY_SIZE, CONTENT_WIDTH, MARGIN_X, TITLE_SIZE};
use crate::format;
use crate::grid::{paragraph, Grid};
use crate::PrintedRecord;

pub(crate) fn draw(flow: &mut Flow<'_>, printed: &PrintedRecord<'_>, lang: Lang) {
    let record = printed.record;

    let title = Msg::InspectionTitle.text(lang);
    let title_width = flow.font.width(title, TITLE_SIZE);
    flow.text(MARGIN_X + ((CONTENT_WIDTH - title_width) / 2.0).max(0.0), title, TITLE_SIZE);
    flow.advance(flow.line_height(TITLE_SIZE) + 6.0);

    if let Some(amends) = &record.amends {
        paragraph(flow, &Msg::PrintAmends.fill(lang, &[&amends.id.to_string(), &amends.sha256]), BODY_SIZE);
        flow.advance(4.0);
    }

    Grid::fields().draw(flow, &facts(printed, lang));
}

/// Collects the label-value rows of who, what, where and when.
fn facts(printed: &PrintedRecord<'_>, lang: Lang) -> Vec<Vec<String>> {
    let record = printed.record;
    let label = |msg: Msg| msg.text(lang).to_string();
    let mut rows = vec![vec![label(Msg::PrintRecordNo), record.record_no.clone()]];

    if let Some(receipt_no) = printed.receipt_no {
        rows.push(vec![label(Msg::PrintReceiptNo), receipt_no.to_string()]);
    }
    rows.push(vec![label(Msg::PrintTaskType), label(record.task_type.label())]);
    rows.push(vec![label(Msg::PrintUnit), record.unit.name.clone()]);
    rows.push(vec![label(Msg::FieldPermitNo), record.unit.permit_no.clone()]);

    let outlets: Vec<String> = record.outlets.iter().map(ToString::to_string).collect();
    rows.push(vec![label(Msg::PrintOutlets), or_none(outlets.join(Msg::PrintListSeparator.text(lang)), lang)]);
    rows.push(vec![label(Msg::PrintPlace), record.place.clone()]);

    let start = format::date_time(record.local_start(), lang);
    let end = format::date_time(record.local_end(), lang);
    let offset = format::utc_offset(record.utc_offset());
    rows.push(vec![label(Msg::PrintTime), Msg::PrintTimeRange.fill(lang, &[&start, &end, &offset])]);

    if record.officers.is_empty() {
        rows.push(vec![label(Msg::PrintOfficers), label(Msg::None)]);
    }
    for (index, officer) in record.officers.iter().enumerate() {
        let officer_label = if index == 0 { label(Msg::PrintOfficers) } else { String::new() };
        rows.push(vec![officer_label, Msg::PrintOfficer.fill(lang, &[&officer.name, &officer.badge_no])]);
    }
    let recorder = record.recorder().map_or_else(|| label(Msg::PrintNotRecorded), |officer| officer.name.clone());
    rows.push(vec![label(Msg::PrintRecorder), recorder]);

    rows.push(vec![label(Msg::PrintLocation), location(printed, lang)]);
    rows
}

/// Formats the fix with accuracy, local fix time and source, or the reason there is none.
fn location(printed: &PrintedRecord<'_>, lang: Lang) -> String {
    let record = printed.record;
    match &record.location {
        Location::Fix { point, accuracy_m, fixed_at, source } => {
            let point = format::point(*point, lang);
            let fixed_at = format::date_time(fixed_at.to_offset(record.utc_offset()), lang);
            Msg::PrintFix.fill(lang, &[&point, &format!("{accuracy_m:.0}"), &fixed_at, source.text(lang)])
        }
        Location::NoFix { reason } => Msg::PrintNoFix.fill(lang, &[reason]),
    }
}

/// Returns `text`, or 无 / None when it is empty.
pub(crate) fn or_none(text: String, lang: Lang) -> String {
    if text.trim().is_empty() {
        Msg::None.text(lang).to_string()
    } else {
        text
    }
}
