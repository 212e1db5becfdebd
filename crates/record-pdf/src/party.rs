//! The finding, the suspected violations and the party's acknowledgement with its signature.

use outlet_core::inspection::{Acknowledgement, InspectionRecord, Signature, SIGNATURE_HEIGHT, SIGNATURE_WIDTH};
use outlet_core::{Lang, Msg};

use crate::flow::{Flow, Mark, BODY_SIZE, MARGIN_X};
use crate::format;
use crate::grid::{heading, paragraph, paragraph_lead, Grid, LABEL_WIDTH};
use crate::head::or_none;
use crate::tables::section_table;

/// Printed width of the signature box, in points (53 mm); the height keeps the box's 5:2 ratio.
const SIGNATURE_BOX_WIDTH: f32 = 150.0;

/// Height the signature box takes on the page with the space around it, in points.
fn signature_box_height() -> f32 {
    f32::from(SIGNATURE_HEIGHT) * SIGNATURE_BOX_WIDTH / f32::from(SIGNATURE_WIDTH) + 8.0
}

/// Width of a signature stroke, in points.
const SIGNATURE_STROKE: f32 = 1.1;

pub(crate) fn finding(flow: &mut Flow<'_>, record: &InspectionRecord, lang: Lang) {
    heading(flow, Msg::Finding.text(lang), paragraph_lead(flow));
    paragraph(flow, &or_none(record.finding.clone(), lang), BODY_SIZE);
}

/// Draws the articles the officer suspects were broken, with what was seen.
pub(crate) fn violations(flow: &mut Flow<'_>, record: &InspectionRecord, lang: Lang) {
    let header = [Msg::PrintColumnNo, Msg::FieldLegalArticle, Msg::PrintColumnNote].iter().map(|msg| msg.text(lang).to_string()).collect();
    let rows: Vec<Vec<String>> = record
        .suspected_violations
        .iter()
        .enumerate()
        .map(|(index, violation)| vec![(index + 1).to_string(), format::articles(&[violation.article], lang), violation.note.clone()])
        .collect();
    let widths = [24.0, 190.0, crate::flow::CONTENT_WIDTH - 214.0];
    section_table(flow, Msg::PrintSuspectedViolations.text(lang), &widths, header, &rows, lang);
}

/// Draws the party's statement, signature and date, or else the refusal, its reason and the witness.
pub(crate) fn acknowledgement(flow: &mut Flow<'_>, record: &InspectionRecord, lang: Lang) {
    heading(flow, Msg::PrintAcknowledgement.text(lang), flow.line_height(BODY_SIZE) + signature_box_height());

    match &record.acknowledgement {
        Acknowledgement::Signed { statement, signature, signed_on } => {
            paragraph(flow, statement, BODY_SIZE);
            signature_box(flow, Msg::PrintPartySignature.text(lang), signature);
            Grid::fields().draw(flow, &[vec![Msg::PrintSignedOn.text(lang).to_string(), format::date(*signed_on, lang)]]);
        }
        Acknowledgement::Refused { reason, witness } => {
            paragraph(flow, &Msg::PrintRefused.fill(lang, &[reason]), BODY_SIZE);
            match witness {
                Some(witness) => {
                    Grid::fields().draw(flow, &[vec![Msg::PrintWitness.text(lang).to_string(), witness.name.clone()]]);
                    signature_box(flow, Msg::PrintWitnessSignature.text(lang), &witness.signature);
                }
                None => paragraph(flow, Msg::PrintNoWitness.text(lang), BODY_SIZE),
            }
        }
    }
}

/// Draws `label` and, beside it, a box with the signature's strokes scaled from the
/// [`SIGNATURE_WIDTH`] × [`SIGNATURE_HEIGHT`] box. The box and its label stay on one page.
fn signature_box(flow: &mut Flow<'_>, label: &str, signature: &Signature) {
    let scale = SIGNATURE_BOX_WIDTH / f32::from(SIGNATURE_WIDTH);
    let box_height = f32::from(SIGNATURE_HEIGHT) * scale;
    flow.ensure(signature_box_height());
    flow.advance(4.0);

    flow.text(MARGIN_X, label, BODY_SIZE);

    let left = MARGIN_X + LABEL_WIDTH;
    let top = flow.y();
    let (right, bottom) = (left + SIGNATURE_BOX_WIDTH, top + box_height);
    for (from, to) in [((left, top), (right, top)), ((right, top), (right, bottom)), ((right, bottom), (left, bottom)), ((left, bottom), (left, top))] {
        flow.push(Mark::Rule { from, to, width: 0.4, gray: 0.7 });
    }

    // Points outside the box are clamped to its edge, so a damaged record cannot draw over the page.
    let strokes: Vec<Vec<(f32, f32)>> = signature
        .strokes
        .iter()
        .filter(|stroke| !stroke.is_empty())
        .map(|stroke| {
            stroke
                .iter()
                .map(|[x, y]| (left + f32::from((*x).min(SIGNATURE_WIDTH)) * scale, top + f32::from((*y).min(SIGNATURE_HEIGHT)) * scale))
                .collect()
        })
        .collect();
    if !strokes.is_empty() {
        flow.push(Mark::Strokes { strokes, width: SIGNATURE_STROKE });
    }

    flow.advance(box_height + 4.0);
}
