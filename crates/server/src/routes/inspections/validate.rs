//! The checks of a received record. They repeat what freezing a draft on the device guarantees
//! (`InspectionDraft::freeze` in outlet-core), because a body may come from anywhere.

use std::fmt::Display;

use outlet_core::checklist::{ChecklistItem, LAST_ARTICLE};
use outlet_core::i18n::Msg;
use outlet_core::inspection::{
    is_sha256_hex, Acknowledgement, GeoPoint, InspectionRecord, Location, MeasureMethod, Signature, MAX_FINDING_CHARS, MAX_LIST, MAX_PHOTOS,
    MAX_PHOTO_BYTES, MAX_TEXT_CHARS, MIN_OFFICERS,
};
use uuid::Uuid;

use crate::error::{Detail, Failure};

/// Maximum number of characters of a rejected value that an error message repeats.
const MAX_QUOTED_CHARS: usize = 100;

fn invalid(msg: Msg, args: &[&dyn Display]) -> Failure {
    Failure::InvalidInspection(Detail::new(msg, args))
}

/// Checks that `record` is one the device could have frozen, under the id `id` of the URL. The
/// error names the first problem found.
pub(super) fn validate(id: Uuid, record: &InspectionRecord) -> Result<(), Failure> {
    if record.id != id {
        return Err(invalid(Msg::DetailIdMismatch, &[&record.id, &id]));
    }
    check_list_lengths(record)?;
    check_text_lengths(record)?;
    check_officers(record)?;
    check_answers(record)?;
    check_measurements(record)?;
    check_location(&record.location)?;
    check_violations(record)?;
    check_acknowledgement(&record.acknowledgement)?;
    check_photos(record)?;
    check_chain_fields(record)
}

fn check_list_lengths(record: &InspectionRecord) -> Result<(), Failure> {
    if record.outlets.is_empty() || record.outlets.len() > MAX_LIST {
        return Err(invalid(Msg::DetailOutletCount, &[&record.outlets.len(), &MAX_LIST]));
    }
    let lists = [
        ("officers", record.officers.len()),
        ("answers", record.answers.len()),
        ("measurements", record.measurements.len()),
        ("suspected_violations", record.suspected_violations.len()),
    ];
    for (field, count) in lists {
        if count > MAX_LIST {
            return Err(invalid(Msg::DetailListTooLong, &[&field, &count, &MAX_LIST]));
        }
    }
    if record.photos.len() > MAX_PHOTOS {
        return Err(invalid(Msg::DetailTooManyPhotos, &[&MAX_PHOTOS]));
    }
    Ok(())
}

/// Checks every short text field against [`MAX_TEXT_CHARS`] and the finding against
/// [`MAX_FINDING_CHARS`]. The error names the field by its JSON path, indexes from 0.
fn check_text_lengths(record: &InspectionRecord) -> Result<(), Failure> {
    if record.finding.chars().count() > MAX_FINDING_CHARS {
        return Err(invalid(Msg::DetailFindingTooLong, &[&MAX_FINDING_CHARS]));
    }

    for (field, text) in short_texts(record) {
        let chars = text.chars().count();
        if chars > MAX_TEXT_CHARS {
            return Err(invalid(Msg::DetailTextTooLong, &[&field, &chars, &MAX_TEXT_CHARS]));
        }
    }
    Ok(())
}

/// Lists the short text fields of `record` with their JSON paths.
fn short_texts(record: &InspectionRecord) -> Vec<(String, &str)> {
    let mut texts = vec![
        ("record_no".to_string(), record.record_no.as_str()),
        ("unit.name".to_string(), record.unit.name.as_str()),
        ("unit.permit_no".to_string(), record.unit.permit_no.as_str()),
        ("place".to_string(), record.place.as_str()),
    ];
    for (index, officer) in record.officers.iter().enumerate() {
        texts.push((format!("officers[{index}].name"), &officer.name));
        texts.push((format!("officers[{index}].badge_no"), &officer.badge_no));
    }
    for (index, answer) in record.answers.iter().enumerate() {
        texts.push((format!("answers[{index}].note"), &answer.note));
    }
    for (index, measurement) in record.measurements.iter().enumerate() {
        texts.push((format!("measurements[{index}].pollutant"), &measurement.pollutant));
        texts.push((format!("measurements[{index}].unit"), &measurement.unit));
        if let MeasureMethod::Sampling { sample_no } = &measurement.method {
            texts.push((format!("measurements[{index}].method.sample_no"), sample_no));
        }
    }
    if let Location::NoFix { reason } = &record.location {
        texts.push(("location.reason".to_string(), reason));
    }
    for (index, violation) in record.suspected_violations.iter().enumerate() {
        texts.push((format!("suspected_violations[{index}].note"), &violation.note));
    }
    match &record.acknowledgement {
        Acknowledgement::Signed { statement, .. } => texts.push(("acknowledgement.statement".to_string(), statement)),
        Acknowledgement::Refused { reason, witness } => {
            texts.push(("acknowledgement.reason".to_string(), reason));
            if let Some(witness) = witness {
                texts.push(("acknowledgement.witness.name".to_string(), &witness.name));
            }
        }
    }
    texts
}

fn check_officers(record: &InspectionRecord) -> Result<(), Failure> {
    for (number, officer) in (1..).zip(&record.officers) {
        if officer.name.trim().is_empty() || officer.badge_no.trim().is_empty() {
            return Err(invalid(Msg::DetailOfficerIncomplete, &[&number]));
        }
    }
    if record.officers.len() < MIN_OFFICERS {
        return Err(invalid(Msg::DetailTooFewOfficers, &[&MIN_OFFICERS]));
    }
    if record.recorder >= record.officers.len() {
        return Err(invalid(Msg::DetailRecorderInvalid, &[&record.recorder, &record.officers.len()]));
    }
    Ok(())
}

/// Each checklist item must be answered exactly once. Items are numbered from 1 in
/// [`ChecklistItem::ALL`] order, as the form shows them.
fn check_answers(record: &InspectionRecord) -> Result<(), Failure> {
    for (number, item) in (1..).zip(ChecklistItem::ALL) {
        match record.answers.iter().filter(|answer| answer.item == item).count() {
            0 => return Err(invalid(Msg::DetailUnanswered, &[&number])),
            1 => {}
            _ => return Err(invalid(Msg::DetailAnsweredTwice, &[&number])),
        }
    }
    Ok(())
}

fn check_measurements(record: &InspectionRecord) -> Result<(), Failure> {
    for (number, measurement) in (1..).zip(&record.measurements) {
        if !record.outlets.contains(&measurement.outlet) {
            return Err(invalid(Msg::DetailMeasurementOtherOutlet, &[&number, &measurement.outlet]));
        }
        if measurement.pollutant.trim().is_empty() {
            return Err(invalid(Msg::DetailMeasurementNoPollutant, &[&number]));
        }
        if !measurement.value.is_finite() || measurement.value < 0.0 {
            return Err(invalid(Msg::DetailMeasurementValue, &[&number, &measurement.value]));
        }
        if measurement.unit.trim().is_empty() {
            return Err(invalid(Msg::DetailMeasurementNoUnit, &[&number]));
        }
        if matches!(&measurement.method, MeasureMethod::Sampling { sample_no } if sample_no.trim().is_empty()) {
            return Err(invalid(Msg::DetailMeasurementNoSampleNo, &[&number]));
        }
    }
    Ok(())
}

/// True when `point` lies on the globe: latitude -90..=90, longitude -180..=180 (NaN fails).
fn on_globe(point: &GeoPoint) -> bool {
    (-90.0..=90.0).contains(&point.latitude) && (-180.0..=180.0).contains(&point.longitude)
}

fn check_location(location: &Location) -> Result<(), Failure> {
    match location {
        Location::NoFix { reason } if reason.trim().is_empty() => Err(invalid(Msg::DetailLocationNoReason, &[])),
        Location::NoFix { .. } => Ok(()),
        Location::Fix { point, accuracy_m, .. } if !on_globe(point) || !accuracy_m.is_finite() || *accuracy_m <= 0.0 => {
            Err(invalid(Msg::DetailLocationFix, &[&point.latitude, &point.longitude, accuracy_m]))
        }
        Location::Fix { .. } => Ok(()),
    }
}

fn check_violations(record: &InspectionRecord) -> Result<(), Failure> {
    for (number, violation) in (1..).zip(&record.suspected_violations) {
        if !(1..=LAST_ARTICLE).contains(&violation.article) {
            return Err(invalid(Msg::DetailUnknownArticle, &[&number, &violation.article, &LAST_ARTICLE]));
        }
    }
    Ok(())
}

/// Returns true for a drawn signature with every point inside the box, as the signature pad makes it.
fn is_signature(signature: &Signature) -> bool {
    signature.is_drawn() && signature.in_box()
}

fn check_acknowledgement(acknowledgement: &Acknowledgement) -> Result<(), Failure> {
    match acknowledgement {
        Acknowledgement::Signed { signature, .. } if !is_signature(signature) => Err(invalid(Msg::DetailSignatureNotDrawn, &[])),
        Acknowledgement::Signed { .. } => Ok(()),
        Acknowledgement::Refused { reason, .. } if reason.trim().is_empty() => Err(invalid(Msg::DetailRefusalWithoutReason, &[])),
        Acknowledgement::Refused { witness: Some(witness), .. } if witness.name.trim().is_empty() || !is_signature(&witness.signature) => {
            Err(invalid(Msg::DetailWitnessInvalid, &[]))
        }
        Acknowledgement::Refused { .. } => Ok(()),
    }
}

/// Photos are uploaded later under the hashes listed here, so each must be one the upload accepts.
fn check_photos(record: &InspectionRecord) -> Result<(), Failure> {
    for (number, photo) in (1..).zip(&record.photos) {
        if !is_sha256_hex(&photo.sha256) || photo.bytes == 0 || photo.bytes > MAX_PHOTO_BYTES as u64 {
            return Err(invalid(Msg::DetailPhotoRefInvalid, &[&number, &MAX_PHOTO_BYTES]));
        }
        if record.photos[..number - 1].iter().any(|earlier| earlier.sha256 == photo.sha256) {
            return Err(invalid(Msg::DetailPhotoListedTwice, &[&photo.sha256]));
        }
        if let Some(position) = photo.position.as_ref().filter(|position| !on_globe(position)) {
            return Err(invalid(Msg::DetailPhotoPosition, &[&number, &position.latitude, &position.longitude]));
        }
    }
    Ok(())
}

/// Checks the fields that link the record to others: its place in the device's chain, and the
/// record it amends. The PostgreSQL store keeps `device_seq` as a signed 64-bit number.
fn check_chain_fields(record: &InspectionRecord) -> Result<(), Failure> {
    if record.device_seq == 0 || record.device_seq > i64::MAX as u64 {
        return Err(invalid(Msg::DetailDeviceSeq, &[&record.device_seq, &i64::MAX]));
    }
    let hashes = [("previous_sha256", record.previous_sha256.as_deref()), ("amends.sha256", record.amends.as_ref().map(|amends| amends.sha256.as_str()))];
    for (field, hash) in hashes {
        if let Some(hash) = hash.filter(|hash| !is_sha256_hex(hash)) {
            let quoted: String = hash.chars().take(MAX_QUOTED_CHARS).collect();
            return Err(invalid(Msg::DetailHashForm, &[&field, &quoted]));
        }
    }
    Ok(())
}
