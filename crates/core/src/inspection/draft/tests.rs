use ed25519_dalek::SigningKey;
use time::macros::{date, datetime};

use super::*;
use crate::inspection::{sha256_hex, PremarkReason, Signature, Witness};

const KEY: [u8; 32] = [7; 32];

fn outlet() -> OutletId {
    "91350100M000100Y43001P-DA001".parse().unwrap()
}

fn complete_draft() -> InspectionDraft {
    let unit = RecordUnit { name: "福州示范热电有限公司".into(), permit_no: "91350100M000100Y43001P".into() };
    let mut draft = InspectionDraft::new(outlet(), unit, "马尾区示范路1号".into(), datetime!(2026-12-04 09:00 +8));
    draft.officers = vec![
        Officer { name: "李明".into(), badge_no: "35010001".into() },
        Officer { name: "王芳".into(), badge_no: "35010002".into() },
    ];
    for item in ChecklistItem::ALL {
        draft.set_answer(item, Answer::Complies);
    }
    draft.location = Some(Location::NoFix { reason: "室内无信号".into() });
    draft.acknowledgement = Some(Acknowledgement::Signed {
        statement: super::super::ACKNOWLEDGEMENT_TEXT.into(),
        signature: Signature { strokes: vec![vec![[10, 10], [200, 120]]] },
        signed_on: date!(2026 - 12 - 04),
    });
    draft.finding = "未发现问题".into();
    draft
}

fn freeze(draft: &InspectionDraft) -> Result<FrozenInspection, FreezeError> {
    let key = SigningKey::from_bytes(&KEY);
    let context = FreezeContext { ended_at: datetime!(2026-12-04 10:00 +8), device_id: Uuid::nil(), device_seq: 1, previous_sha256: None, key: &key };
    draft.freeze(&context)
}

fn public_key() -> String {
    data_encoding::BASE64.encode(SigningKey::from_bytes(&KEY).verifying_key().as_bytes())
}

#[test]
fn freezing_twice_gives_identical_bytes() {
    let draft = complete_draft();
    assert_eq!(freeze(&draft).unwrap(), freeze(&draft).unwrap());
}

#[test]
fn frozen_hash_and_signature_match_bytes() {
    let frozen = freeze(&complete_draft()).unwrap();
    assert_eq!(frozen.sha256, sha256_hex(&frozen.bytes));
    frozen.verify(&public_key()).unwrap();

    let mut tampered = frozen.clone();
    tampered.bytes[20] ^= 1;
    assert_eq!(tampered.verify(&public_key()), Err(crate::inspection::SignatureError::Mismatch));
}

#[test]
fn frozen_record_keeps_utc_and_offset() {
    let record = freeze(&complete_draft()).unwrap().record().unwrap();
    assert_eq!(record.started_at, datetime!(2026-12-04 01:00 UTC));
    assert_eq!(record.ended_at, datetime!(2026-12-04 02:00 UTC));
    assert_eq!(record.utc_offset_minutes, 480);
    assert_eq!(record.local_start(), datetime!(2026-12-04 09:00 +8));
}

#[test]
fn early_morning_start_keeps_local_date() {
    let unit = RecordUnit::default();
    let draft = InspectionDraft::new(outlet(), unit, String::new(), datetime!(2026-12-05 07:30 +8));
    assert_eq!(draft.local_date(), date!(2026 - 12 - 05));
    assert!(draft.record_no.starts_with("XJ20261205-"), "{}", draft.record_no);
}

#[test]
fn one_officer_is_not_enough() {
    let mut draft = complete_draft();
    draft.officers[1] = Officer::default();
    assert_eq!(freeze(&draft), Err(FreezeError::TooFewOfficers { count: 1 }));
}

#[test]
fn officer_without_badge_is_rejected() {
    let mut draft = complete_draft();
    draft.officers[1].badge_no = " ".into();
    assert_eq!(freeze(&draft), Err(FreezeError::OfficerIncomplete { number: 2 }));
}

#[test]
fn recorder_follows_blank_rows_out() {
    let mut draft = complete_draft();
    draft.officers.insert(0, Officer::default());
    draft.recorder = 2;
    let record = freeze(&draft).unwrap().record().unwrap();
    assert_eq!(record.recorder().unwrap().name, "王芳");

    draft.recorder = 0;
    assert_eq!(freeze(&draft), Err(FreezeError::NoRecorder));
}

#[test]
fn unanswered_item_is_named_even_when_premarked() {
    let mut draft = complete_draft();
    draft.answers[3].answer = None;
    draft.premark(ChecklistItem::AutomaticMonitoring, Premark { answer: Answer::DoesNotComply, reason: PremarkReason::PermitInvalid });
    assert_eq!(freeze(&draft), Err(FreezeError::Unanswered { item: ChecklistItem::AutomaticMonitoring }));
}

#[test]
fn measurement_value_must_be_a_number() {
    let mut draft = complete_draft();
    draft.measurements.push(DraftMeasurement { outlet: outlet(), pollutant: "二氧化硫".into(), value: "12,5".into(), unit: "mg/m³".into(), method: MeasureMethod::PortableInstrument });
    assert_eq!(freeze(&draft), Err(FreezeError::MeasurementInvalid { number: 1, reason: MeasurementProblem::BadValue }));

    draft.measurements[0].value = " 12.5 ".into();
    draft.measurements[0].method = MeasureMethod::Sampling { sample_no: " ".into() };
    assert_eq!(freeze(&draft), Err(FreezeError::MeasurementInvalid { number: 1, reason: MeasurementProblem::NoSampleNo }));

    draft.measurements[0].method = MeasureMethod::Sampling { sample_no: "S-001".into() };
    let record = freeze(&draft).unwrap().record().unwrap();
    assert_eq!(record.measurements[0].value, 12.5);
}

#[test]
fn location_or_reason_is_required() {
    let mut draft = complete_draft();
    draft.location = None;
    assert_eq!(freeze(&draft), Err(FreezeError::NoLocation));
    draft.location = Some(Location::NoFix { reason: "  ".into() });
    assert_eq!(freeze(&draft), Err(FreezeError::NoLocation));
}

#[test]
fn acknowledgement_needs_drawn_signature_or_reason() {
    let mut draft = complete_draft();
    draft.acknowledgement = Some(Acknowledgement::Signed { statement: "以上记录属实".into(), signature: Signature::default(), signed_on: date!(2026 - 12 - 04) });
    assert_eq!(freeze(&draft), Err(FreezeError::NoAcknowledgement));

    draft.acknowledgement = Some(Acknowledgement::Refused { reason: String::new(), witness: None });
    assert_eq!(freeze(&draft), Err(FreezeError::RefusalWithoutReason));

    let signature = Signature { strokes: vec![vec![[1, 1], [50, 50]]] };
    draft.acknowledgement = Some(Acknowledgement::Refused { reason: "拒绝签字".into(), witness: Some(Witness { name: String::new(), signature }) });
    assert_eq!(freeze(&draft), Err(FreezeError::WitnessWithoutName));
}

#[test]
fn unknown_article_is_rejected() {
    let mut draft = complete_draft();
    draft.suspected_violations.push(SuspectedViolation { article: 99, note: String::new() });
    assert_eq!(freeze(&draft), Err(FreezeError::UnknownArticle { number: 1, article: 99 }));
}

#[test]
fn correction_names_the_amended_record() {
    let frozen = freeze(&complete_draft()).unwrap();
    let record = frozen.record().unwrap();
    let mut correction = InspectionDraft::correction(&record, &frozen.sha256, datetime!(2026-12-04 11:00 +8));
    assert_ne!(correction.id, record.id);
    assert_eq!(correction.amends, Some(Amendment { id: record.id, sha256: frozen.sha256.clone() }));
    assert_eq!(correction.acknowledgement, None, "the party acknowledges the correction anew");

    correction.acknowledgement = complete_draft().acknowledgement;
    let amended = freeze(&correction).unwrap().record().unwrap();
    assert_eq!(amended.answers, record.answers);
    assert_eq!(amended.amends.unwrap().id, record.id);
}
