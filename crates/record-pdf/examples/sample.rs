//! Writes the PDF of a sample inspection record, to look at the layout.
//!
//! `cargo run -p outlet-record-pdf --example sample -- OUT.pdf [en]`

use std::process::ExitCode;

use outlet_core::checklist::{Answer, ChecklistItem};
use outlet_core::fixtures;
use outlet_core::inspection::{
    Acknowledgement, DraftMeasurement, FixSource, FreezeContext, GeoPoint, InspectionDraft, Location, MeasureMethod, PhotoRef, SuspectedViolation, TaskType,
};
use outlet_core::{Lang, OutletId};
use outlet_record_pdf::{record_pdf, system_cjk_font, PrintedRecord};
use time::macros::datetime;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: sample OUT.pdf [en]");
        return ExitCode::FAILURE;
    };
    let lang = if args.next().as_deref() == Some("en") { Lang::En } else { Lang::Zh };

    let outlet: OutletId = "91350100M000100Y43001P-DA001".parse().expect("valid outlet id");
    let started_at = datetime!(2026-12-05 07:30 +8);
    let mut draft = fixtures::complete_draft(outlet.clone(), "锅炉废气排放口DA001标志牌已褪色，二维码仍可识读。在线监测数据与便携式仪器读数基本一致。");
    let restarted = InspectionDraft::new(outlet.clone(), draft.unit.clone(), draft.place.clone(), started_at);
    (draft.id, draft.record_no, draft.started_at) = (restarted.id, restarted.record_no, started_at);
    if let Some(Acknowledgement::Signed { signed_on, .. }) = &mut draft.acknowledgement {
        *signed_on = started_at.date();
    }
    draft.task_type = TaskType::Complaint;
    draft.set_answer(ChecklistItem::PlacardPresent, Answer::DoesNotComply);
    draft.answers[2].note = "标志牌褪色，须更换".into();
    draft.set_answer(ChecklistItem::SpecialPeriodControls, Answer::NotApplicable);
    draft.location = Some(Location::Fix {
        point: GeoPoint { latitude: 26.074_508, longitude: 119.296_494 },
        accuracy_m: 12.0,
        fixed_at: datetime!(2026-12-05 07:32 +8),
        source: FixSource::Device,
    });
    draft.measurements = vec![
        DraftMeasurement { outlet: outlet.clone(), pollutant: "二氧化硫".into(), value: "35.2".into(), unit: "mg/m³".into(), method: MeasureMethod::PortableInstrument },
        DraftMeasurement {
            outlet,
            pollutant: "颗粒物".into(),
            value: "8.4".into(),
            unit: "mg/m³".into(),
            method: MeasureMethod::Sampling { sample_no: "CY-20261205-01".into() },
        },
    ];
    draft.photos = vec![PhotoRef {
        sha256: "9b2f0c6e1d4a7b3c".repeat(4),
        bytes: 812_345,
        taken_at: Some(datetime!(2026-12-05 07:41 +8)),
        position: Some(GeoPoint { latitude: 26.074_51, longitude: 119.296_5 }),
    }];
    draft.suspected_violations = vec![SuspectedViolation { article: 36, note: "标志牌不清晰".into() }];

    let key = fixtures::device_key();
    let context =
        FreezeContext { ended_at: datetime!(2026-12-05 09:00 +8), device_id: fixtures::DEVICE_ID, device_seq: 7, previous_sha256: None, key: &key };
    let frozen = draft.freeze(&context).expect("the sample draft is complete");
    let record = frozen.record().expect("the frozen record decodes");

    let font = match system_cjk_font() {
        Ok(font) => font,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let printed = PrintedRecord::new(&record, &frozen.sha256).with_receipt("HZ-20261205-000123");
    match record_pdf(&printed, &font, lang).map(|pdf| std::fs::write(&out, pdf)) {
        Ok(Ok(())) => {
            println!("wrote {out} in {}", font.family());
            ExitCode::SUCCESS
        }
        Ok(Err(error)) => {
            eprintln!("{out} could not be written: {error}");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
