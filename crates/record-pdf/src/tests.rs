//! Layout checks on the marks before they become PDF: nothing overlaps, nothing leaves the page,
//! and no text is lost when it flows onto further pages.

use outlet_core::checklist::Answer;
use outlet_core::fixtures;
use outlet_core::inspection::{
    Acknowledgement, InspectionRecord, MeasureMethod, Measurement, Officer, PhotoRef, Signature, SuspectedViolation, Witness, MAX_FINDING_CHARS,
    MAX_LIST, MAX_PHOTOS, MAX_TEXT_CHARS,
};
use outlet_core::{Lang, Msg, OutletId};

use crate::flow::{Mark, Page, BODY_BOTTOM, BODY_TOP, HEADING_SIZE, MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH};
use crate::font::FontMetrics;
use crate::{lay_out, record_pdf, system_cjk_font, CjkFont, PrintedRecord};

const SHA256: &str = "3f9a1c2b3f9a1c2b3f9a1c2b3f9a1c2b3f9a1c2b3f9a1c2b3f9a1c2b3f9a1c2b";

fn font() -> CjkFont {
    system_cjk_font().expect("a CJK font is installed (apt-get install fonts-wqy-microhei)")
}

fn outlet() -> OutletId {
    "91350100M000100Y43001P-DA001".parse().expect("valid outlet id")
}

fn fixture_record(finding: &str) -> InspectionRecord {
    fixtures::frozen_inspection(outlet(), finding).record().expect("fixture record decodes")
}

/// Builds a record at or past every limit the app enforces: the longest texts, the maximum number
/// of list entries and a signature of the maximum number of points.
fn largest_record() -> InspectionRecord {
    let mut record = fixture_record("");
    record.finding = "现场检查发现排放口标志牌缺失，在线监测设备离线。".repeat(MAX_FINDING_CHARS / 24 + 1);
    let long = |text: &str| text.repeat(MAX_TEXT_CHARS / text.chars().count());

    record.unit.name = long("示范单位");
    // Characters the font lacks (an emoji, an extension-B ideograph) print as its missing-glyph box.
    record.place = long("示范路1号😀𠀀\u{200B} ");
    record.officers = (0..MAX_LIST).map(|n| Officer { name: format!("执法人员{n}"), badge_no: format!("350{n:05}") }).collect();
    for answer in &mut record.answers {
        answer.answer = Answer::DoesNotComply;
        answer.note = long("未按要求");
    }
    record.measurements = (0..MAX_LIST)
        .map(|n| Measurement {
            outlet: outlet(),
            pollutant: long("二氧化硫"),
            value: 1234.5678 + f64::from(n as u32),
            unit: "mg/m³".into(),
            method: MeasureMethod::Sampling { sample_no: format!("S-{n:03}-{}", "X".repeat(40)) },
        })
        .collect();
    record.photos = (0..MAX_PHOTOS).map(|n| PhotoRef { sha256: format!("{n:064x}"), bytes: 1, taken_at: None, position: None }).collect();
    record.suspected_violations = (0..MAX_LIST).map(|n| SuspectedViolation { article: (n % 51 + 1) as u8, note: long("超标排放") }).collect();
    let strokes = (0..60).map(|s| (0..100).map(|p| [(p * 10) as u16, ((s * 7 + p * 3) % 400) as u16]).collect()).collect();
    record.acknowledgement = Acknowledgement::Refused {
        reason: long("拒绝"),
        witness: Some(Witness { name: long("见证人"), signature: Signature { strokes } }),
    };
    record
}

/// Box of a text mark: left, top, right, bottom.
fn text_box(mark: &Mark, font: &FontMetrics<'_>) -> Option<[f32; 4]> {
    let Mark::Text { x, baseline, size, text } = mark else {
        return None;
    };
    Some([*x, baseline - font.ascent() * size, x + font.width(text, *size), baseline + font.descent() * size])
}

fn overlaps(a: [f32; 4], b: [f32; 4]) -> bool {
    const TOLERANCE: f32 = 0.01;
    a[0] < b[2] - TOLERANCE && b[0] < a[2] - TOLERANCE && a[1] < b[3] - TOLERANCE && b[1] < a[3] - TOLERANCE
}

fn strokes_box(mark: &Mark) -> Option<[f32; 4]> {
    let Mark::Strokes { strokes, .. } = mark else {
        return None;
    };
    let points = strokes.iter().flatten();
    let left = points.clone().map(|p| p.0).fold(f32::MAX, f32::min);
    let top = points.clone().map(|p| p.1).fold(f32::MAX, f32::min);
    let right = points.clone().map(|p| p.0).fold(f32::MIN, f32::max);
    let bottom = points.map(|p| p.1).fold(f32::MIN, f32::max);
    Some([left, top, right, bottom])
}

fn assert_sane_layout(pages: &[Page], font: &FontMetrics<'_>) {
    for (number, page) in (1..).zip(pages) {
        let texts: Vec<[f32; 4]> = page.iter().filter_map(|mark| text_box(mark, font)).collect();
        for (i, a) in texts.iter().enumerate() {
            assert!(a[0] >= MARGIN_X - 0.01, "page {number}: text {a:?} starts in the left margin");
            assert!(a[2] <= PAGE_WIDTH - MARGIN_X + 0.01, "page {number}: text {a:?} runs into the right margin");
            assert!(a[1] >= BODY_TOP - 0.01, "page {number}: text {a:?} starts above the body");
            assert!(a[3] <= PAGE_HEIGHT - 20.0, "page {number}: text {a:?} runs off the bottom");
            assert!(a[3] <= BODY_BOTTOM + 0.01 || a[1] >= BODY_BOTTOM, "page {number}: text {a:?} crosses into the footer");
            for b in &texts[i + 1..] {
                assert!(!overlaps(*a, *b), "page {number}: text {a:?} overlaps {b:?}");
            }
        }
        for strokes in page.iter().filter_map(strokes_box) {
            assert!(strokes[3] <= BODY_BOTTOM, "page {number}: signature {strokes:?} crosses into the footer");
            for text in &texts {
                assert!(!overlaps(strokes, *text), "page {number}: signature {strokes:?} overlaps text {text:?}");
            }
        }
    }
}

fn page_texts(page: &Page) -> Vec<&str> {
    page.iter()
        .filter_map(|mark| match mark {
            Mark::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// Text of a mark above the footer.
fn body_text(mark: &Mark) -> Option<&str> {
    match mark {
        Mark::Text { baseline, text, .. } if *baseline < BODY_BOTTOM => Some(text.as_str()),
        _ => None,
    }
}

#[test]
fn fixture_layout_is_sane() {
    let font = font();
    let metrics = font.metrics().unwrap();
    let record = fixture_record("标志牌完好。");
    for lang in [Lang::Zh, Lang::En] {
        let pages = lay_out(&PrintedRecord::new(&record, SHA256).with_receipt("R-20261204-0001"), &metrics, lang);
        assert_sane_layout(&pages, &metrics);
    }
}

#[test]
fn largest_record_layout_is_sane() {
    let font = font();
    let metrics = font.metrics().unwrap();
    let record = largest_record();
    let pages = lay_out(&PrintedRecord::new(&record, SHA256), &metrics, Lang::Zh);
    assert!(pages.len() > 5, "{} pages", pages.len());
    assert_sane_layout(&pages, &metrics);
}

#[test]
fn largest_record_prints() {
    let pdf = record_pdf(&PrintedRecord::new(&largest_record(), SHA256), &font(), Lang::En).expect("the largest record prints");
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn headings_never_end_a_page() {
    let font = font();
    let metrics = font.metrics().unwrap();
    let long_finding = fixture_record(&"现场检查发现排放口标志牌缺失。".repeat(120));
    for record in [largest_record(), long_finding, fixture_record("")] {
        let pages = lay_out(&PrintedRecord::new(&record, SHA256), &metrics, Lang::Zh);
        for (number, page) in (1..).zip(&pages) {
            for mark in page {
                let Mark::Text { baseline, size, text, .. } = mark else { continue };
                if *size != HEADING_SIZE {
                    continue;
                }
                let followed = page.iter().filter_map(body_text_baseline).any(|below| below > *baseline);
                assert!(followed, "page {number}: heading {text:?} has nothing under it");
            }
        }
    }
}

fn body_text_baseline(mark: &Mark) -> Option<f32> {
    match mark {
        Mark::Text { baseline, .. } if *baseline < BODY_BOTTOM => Some(*baseline),
        _ => None,
    }
}

#[test]
fn every_page_numbered() {
    let font = font();
    let metrics = font.metrics().unwrap();
    let record = largest_record();
    let pages = lay_out(&PrintedRecord::new(&record, SHA256), &metrics, Lang::Zh);
    let total = pages.len().to_string();
    for (number, page) in (1..).zip(&pages) {
        let expected = Msg::PrintPageOf.fill(Lang::Zh, &[&number.to_string(), &total]);
        assert_eq!(page_texts(page).iter().filter(|text| **text == expected).count(), 1, "page {number} lacks {expected:?}");
        assert!(page_texts(page).iter().any(|text| text.contains(SHA256)), "page {number} lacks the SHA-256");
    }
}

#[test]
fn long_finding_loses_no_text() {
    let font = font();
    let metrics = font.metrics().unwrap();
    let finding: String = (0..MAX_FINDING_CHARS).map(|n| char::from_u32(0x4E00 + (n as u32 % 2000)).unwrap()).collect();
    let record = fixture_record(&finding);
    let pages = lay_out(&PrintedRecord::new(&record, SHA256), &metrics, Lang::Zh);
    let body_text: String = pages.iter().flatten().filter_map(body_text).collect();
    assert!(pages.len() > 1);
    assert!(body_text.contains(&finding), "the finding is not printed in full and in order");
}

#[test]
fn table_header_repeats_on_next_page() {
    let font = font();
    let metrics = font.metrics().unwrap();
    let record = largest_record();
    let pages = lay_out(&PrintedRecord::new(&record, SHA256), &metrics, Lang::Zh);
    let header = Msg::PrintColumnSampleNo.text(Lang::Zh);
    let pages_with_header = pages.iter().filter(|page| page_texts(page).contains(&header)).count();
    assert!(pages_with_header >= 2, "the measurement header is on {pages_with_header} pages");
}

#[test]
fn empty_lists_print_none() {
    let font = font();
    let mut record = fixture_record("");
    record.officers.clear();
    record.answers.clear();
    record.acknowledgement = Acknowledgement::Refused { reason: "不在场".into(), witness: None };
    let metrics = font.metrics().unwrap();
    let pages = lay_out(&PrintedRecord::new(&record, SHA256), &metrics, Lang::Zh);
    let texts: Vec<&str> = pages.iter().flat_map(page_texts).collect();

    // Officers, checklist, measurements, photos, finding and suspected violations.
    assert_eq!(texts.iter().filter(|text| **text == Msg::None.text(Lang::Zh)).count(), 6);
    assert!(texts.contains(&Msg::PrintNoWitness.text(Lang::Zh)));
    assert!(record_pdf(&PrintedRecord::new(&record, SHA256), &font, Lang::Zh).is_ok());
}

#[test]
fn out_of_box_signature_is_clamped() {
    let font = font();
    let metrics = font.metrics().unwrap();
    let mut record = fixture_record("");
    record.acknowledgement = Acknowledgement::Signed {
        statement: "以上记录属实".into(),
        signature: Signature { strokes: vec![vec![[u16::MAX, u16::MAX], [0, 0]], vec![], vec![[500, 200]]] },
        signed_on: time::macros::date!(2026 - 12 - 04),
    };
    let pages = lay_out(&PrintedRecord::new(&record, SHA256), &metrics, Lang::Zh);
    assert_sane_layout(&pages, &metrics);

    let strokes = pages.iter().flatten().find_map(strokes_box).expect("the signature is drawn");
    assert!(strokes[2] - strokes[0] <= 150.01, "signature is {} pt wide", strokes[2] - strokes[0]);
    assert!(strokes[3] - strokes[1] <= 60.01, "signature is {} pt high", strokes[3] - strokes[1]);
}

#[test]
fn font_without_chinese_is_rejected() {
    let dejavu = std::path::Path::new("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    if !dejavu.exists() {
        eprintln!("skipped: {} is not installed", dejavu.display());
        return;
    }
    let error = CjkFont::from_file(dejavu, 0).expect_err("DejaVu Sans has no Chinese");
    assert!(matches!(error, crate::PdfError::FontLacksGlyph { .. }), "{error}");
}

#[test]
fn garbage_font_is_rejected() {
    let error = CjkFont::new(b"not a font".to_vec(), 0).expect_err("not a font");
    assert!(matches!(error, crate::PdfError::FontInvalid { index: 0 }), "{error}");
}
