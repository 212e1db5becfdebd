//! Prints records to real PDF files and reads them back with poppler-utils (pdftotext, pdffonts,
//! pdfinfo, pdftoppm), as a viewer or printer would.

mod common;

use common::{draft, finalize, outlet, poppler, write_pdf};
use outlet_core::inspection::{
    Acknowledgement, DraftMeasurement, InspectionDraft, MeasureMethod, Signature, SuspectedViolation, Witness, ACKNOWLEDGEMENT_TEXT, MAX_FINDING_CHARS,
    MAX_LIST,
};
use outlet_core::Lang;
use time::macros::datetime;

use outlet_core::inspection::MAX_SIGNATURE_POINTS as SIGNATURE_POINTS;

#[test]
fn chinese_texts_are_extracted() {
    let mut draft = draft(datetime!(2026-12-05 07:30 +8), "标志牌完好。");
    draft.suspected_violations = vec![SuspectedViolation { article: 34, note: "二氧化硫超标".into() }];
    let (record, sha256) = finalize(&draft);

    let pdf = write_pdf(&record, &sha256, Lang::Zh);
    let text = pdf.text();

    for expected in ["现场检查笔录", "示范单位", "示范路1号", "林执法", "35000001", ACKNOWLEDGEMENT_TEXT, &record.record_no, &sha256] {
        assert!(text.contains(expected), "{expected:?} is missing from the extracted text:\n{text}");
    }
    assert!(text.contains("第十八条、第三十六条"), "checklist articles are missing:\n{text}");
    assert!(text.contains("《排污许可管理条例》第三十四条"), "the suspected violation's article is missing:\n{text}");
}

#[test]
fn dates_are_local_not_utc() {
    // 07:30 China Standard Time is 23:30 UTC on the day before.
    let (record, sha256) = finalize(&draft(datetime!(2026-12-05 07:30 +8), ""));
    let text = write_pdf(&record, &sha256, Lang::Zh).text();

    assert!(text.contains("2026年12月05日 07:30"), "the local start is missing:\n{text}");
    assert!(text.contains("2026年12月05日 09:00"), "the local end is missing:\n{text}");
    assert!(text.contains("UTC+08:00"), "the offset is missing:\n{text}");
    assert!(!text.contains("2026年12月04日"), "the UTC date is printed:\n{text}");
}

#[test]
fn font_is_embedded() {
    let (record, sha256) = finalize(&draft(datetime!(2026-12-05 07:30 +8), "标志牌完好。"));
    let fonts = write_pdf(&record, &sha256, Lang::Zh).fonts();

    assert!(!fonts.is_empty(), "pdffonts lists no font");
    for (name, embedded) in &fonts {
        assert!(embedded, "font {name} is not embedded");
        // A subset's name starts with six capital letters and '+'.
        assert_eq!(name.find('+'), Some(6), "font {name} is not a subset");
    }
}

#[test]
fn long_finding_continues_on_next_page() {
    let ending = "以上为检查情况全文结束";
    let sentence = "现场检查发现锅炉废气排放口标志牌缺失，在线监测设备处于离线状态，台账记录不完整。";
    let mut finding = sentence.repeat(MAX_FINDING_CHARS / sentence.chars().count());
    finding = finding.chars().take(MAX_FINDING_CHARS - ending.chars().count()).collect::<String>() + ending;
    assert_eq!(finding.chars().count(), MAX_FINDING_CHARS);

    let (record, sha256) = finalize(&draft(datetime!(2026-12-05 07:30 +8), &finding));
    let pdf = write_pdf(&record, &sha256, Lang::Zh);

    assert!(pdf.pages() > 1, "a {MAX_FINDING_CHARS}-character finding fits on one page");
    let joined = pdf.joined_text();
    assert!(joined.contains(ending), "the end of the finding is missing");
    assert!(joined.contains(&format!("第2页/共{}页", pdf.pages())), "page 2's footer is missing");
}

#[test]
fn refusal_prints_reason_and_witness() {
    let mut draft = draft(datetime!(2026-12-05 07:30 +8), "");
    draft.acknowledgement = Some(Acknowledgement::Refused {
        reason: "负责人不在现场，拒绝签字".into(),
        witness: Some(Witness { name: "王见证".into(), signature: Signature { strokes: vec![vec![[50, 350], [500, 50], [950, 350]]] } }),
    });
    let (record, sha256) = finalize(&draft);
    let text = write_pdf(&record, &sha256, Lang::Zh).text();

    assert!(text.contains("负责人不在现场，拒绝签字"), "the refusal reason is missing:\n{text}");
    assert!(text.contains("王见证"), "the witness's name is missing:\n{text}");
    assert!(text.contains("见证人签名"), "the witness's signature label is missing:\n{text}");
    assert!(!text.contains(ACKNOWLEDGEMENT_TEXT), "a refused record prints the party's statement:\n{text}");
}

#[test]
fn most_measurements_and_points_print() {
    let mut draft = draft(datetime!(2026-12-05 07:30 +8), "");
    draft.measurements = (1..=MAX_LIST)
        .map(|n| DraftMeasurement {
            outlet: outlet(),
            pollutant: "二氧化硫".into(),
            value: format!("{n}.5"),
            unit: "mg/m³".into(),
            method: MeasureMethod::Sampling { sample_no: format!("CY{n:03}") },
        })
        .collect();
    let strokes: Vec<Vec<[u16; 2]>> = (0..60u16).map(|s| (0..100u16).map(|p| [p * 10, (s * 6 + p) % 400]).collect()).collect();
    assert_eq!(strokes.iter().map(Vec::len).sum::<usize>(), SIGNATURE_POINTS);
    if let Some(Acknowledgement::Signed { signature, .. }) = &mut draft.acknowledgement {
        signature.strokes = strokes;
    }
    let (record, sha256) = finalize(&draft);
    let pdf = write_pdf(&record, &sha256, Lang::Zh);

    assert!(pdf.pages() > 1, "{MAX_LIST} measurements fit on one page");
    let joined = pdf.joined_text();
    for n in 1..=MAX_LIST {
        assert!(joined.contains(&format!("CY{n:03}")), "sample number CY{n:03} is missing");
    }
}

#[test]
fn correction_names_amended_record() {
    let (original, original_sha256) = finalize(&draft(datetime!(2026-12-05 07:30 +8), "标志牌完好。"));
    let mut correction = InspectionDraft::correction(&original, &original_sha256, datetime!(2026-12-05 10:00 +8));
    correction.acknowledgement = draft(datetime!(2026-12-05 10:00 +8), "").acknowledgement;
    let (record, sha256) = finalize(&correction);
    let joined = write_pdf(&record, &sha256, Lang::Zh).joined_text();

    assert!(joined.contains("更正记录"), "the correction note is missing");
    assert!(joined.contains(&original.id.to_string()), "the amended record's id is missing");
}

#[test]
fn english_labels() {
    let (record, sha256) = finalize(&draft(datetime!(2026-12-05 07:30 +8), "Placard intact."));
    let text = write_pdf(&record, &sha256, Lang::En).text();

    for expected in ["Inspection record", "Inspected unit", "2026-12-05 07:30", "Page 1 of ", "Permit Regulations art.", "示范单位"] {
        assert!(text.contains(expected), "{expected:?} is missing from the extracted text:\n{text}");
    }
}

#[test]
fn first_page_renders_to_png() {
    let (record, sha256) = finalize(&draft(datetime!(2026-12-05 07:30 +8), "标志牌完好。"));
    let pdf = write_pdf(&record, &sha256, Lang::Zh);
    let prefix = pdf.dir().join("page");
    let prefix = prefix.to_str().expect("temporary paths are UTF-8");

    poppler("pdftoppm", &["-r", "60", "-png", "-f", "1", "-l", "1", pdf.path.to_str().unwrap(), prefix]);
    let png = std::fs::read(format!("{prefix}-1.png")).expect("pdftoppm wrote page 1");

    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    // A4 at 60 dpi: 595.28 × 841.89 pt is 496.1 × 701.6 px, which pdftoppm rounds up or to the nearest.
    assert!((496..=497).contains(&width), "page 1 is {width} px wide");
    assert!((701..=702).contains(&height), "page 1 is {height} px high");
}
