//! The inspection an officer is recording, and its freezing into a signed record.

use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::error::{FreezeError, MeasurementProblem};
use super::frozen::FrozenInspection;
use super::premark::Premark;
use super::record::{
    Acknowledgement, Amendment, ChecklistAnswer, InspectionRecord, Location, MeasureMethod, Measurement, Officer, PhotoRef, RecordUnit,
    SuspectedViolation, TaskType,
};
use super::{MAX_FINDING_CHARS, MAX_LIST, MAX_TEXT_CHARS, MIN_OFFICERS};
use crate::checklist::{Answer, ChecklistItem, LAST_ARTICLE};
use crate::ids::OutletId;

/// One checklist item as the officer is answering it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftAnswer {
    pub item: ChecklistItem,
    /// `None` until the officer answers; a premark alone is not an answer.
    pub answer: Option<Answer>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub premark: Option<Premark>,
}

/// A field measurement as typed: the value stays text until freezing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftMeasurement {
    pub outlet: OutletId,
    pub pollutant: String,
    pub value: String,
    pub unit: String,
    pub method: MeasureMethod,
}

/// An inspection being recorded on the device. Its `id` is created once and never regenerated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionDraft {
    pub id: Uuid,
    pub record_no: String,
    pub task_type: TaskType,
    pub unit: RecordUnit,
    /// The outlets checked, the first being the one the inspection was started from.
    pub outlets: Vec<OutletId>,
    pub place: String,
    pub officers: Vec<Officer>,
    /// Index in `officers` of the recorder.
    pub recorder: usize,
    /// Answers in [`ChecklistItem::ALL`] order.
    pub answers: Vec<DraftAnswer>,
    pub measurements: Vec<DraftMeasurement>,
    /// Photos taken for this inspection, in the order taken.
    pub photos: Vec<PhotoRef>,
    pub location: Option<Location>,
    pub finding: String,
    pub suspected_violations: Vec<SuspectedViolation>,
    pub acknowledgement: Option<Acknowledgement>,
    /// With the device's offset at the start, which the record keeps.
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    pub amends: Option<Amendment>,
}

/// The data finalizing adds to a draft: the end time, the device's identity and its chain position.
pub struct FreezeContext<'a> {
    pub ended_at: OffsetDateTime,
    pub device_id: Uuid,
    /// 1 + the sequence number of the device's previous record.
    pub device_seq: u64,
    /// SHA-256 of the device's previous record.
    pub previous_sha256: Option<String>,
    pub key: &'a SigningKey,
}

impl InspectionDraft {
    /// Starts an inspection of `outlet` of `unit` at `started_at`, local time with its offset.
    pub fn new(outlet: OutletId, unit: RecordUnit, place: String, started_at: OffsetDateTime) -> Self {
        let id = Uuid::new_v4();
        Self {
            id,
            record_no: record_no(id, started_at),
            task_type: TaskType::default(),
            unit,
            outlets: vec![outlet],
            place,
            officers: vec![Officer::default(); MIN_OFFICERS],
            recorder: 0,
            answers: ChecklistItem::ALL.iter().map(|item| DraftAnswer { item: *item, answer: None, note: String::new(), premark: None }).collect(),
            measurements: Vec::new(),
            photos: Vec::new(),
            location: None,
            finding: String::new(),
            suspected_violations: Vec::new(),
            acknowledgement: None,
            started_at,
            amends: None,
        }
    }

    /// Starts a correction of a finalized record: a new record with the old one's content, except
    /// the party's acknowledgement, which must be given again.
    pub fn correction(record: &InspectionRecord, sha256: &str, started_at: OffsetDateTime) -> Self {
        let mut draft = Self::new(record.outlets[0].clone(), record.unit.clone(), record.place.clone(), started_at);
        draft.task_type = record.task_type;
        draft.outlets = record.outlets.clone();
        draft.officers = record.officers.clone();
        draft.recorder = record.recorder;
        for (slot, answer) in draft.answers.iter_mut().zip(&record.answers) {
            slot.answer = Some(answer.answer);
            slot.note = answer.note.clone();
        }
        draft.measurements = record
            .measurements
            .iter()
            .map(|m| DraftMeasurement { outlet: m.outlet.clone(), pollutant: m.pollutant.clone(), value: m.value.to_string(), unit: m.unit.clone(), method: m.method.clone() })
            .collect();
        draft.photos = record.photos.clone();
        draft.location = Some(record.location.clone());
        draft.finding = record.finding.clone();
        draft.suspected_violations = record.suspected_violations.clone();
        draft.amends = Some(Amendment { id: record.id, sha256: sha256.to_string() });
        draft
    }

    pub fn set_answer(&mut self, item: ChecklistItem, answer: Answer) {
        if let Some(slot) = self.answers.iter_mut().find(|slot| slot.item == item) {
            slot.answer = Some(answer);
        }
    }

    pub fn answer(&self, item: ChecklistItem) -> Option<Answer> {
        self.answers.iter().find(|slot| slot.item == item).and_then(|slot| slot.answer)
    }

    /// Proposes an answer for `item`. An item the officer already answered keeps its answer.
    pub fn premark(&mut self, item: ChecklistItem, premark: Premark) {
        if let Some(slot) = self.answers.iter_mut().find(|slot| slot.item == item) {
            slot.premark = Some(premark);
        }
    }

    /// Returns the date printed on the record: the local date at the start.
    pub fn local_date(&self) -> time::Date {
        self.started_at.date()
    }

    /// Validates the draft and freezes it into the signed bytes that will be sent.
    pub fn freeze(&self, context: &FreezeContext) -> Result<FrozenInspection, FreezeError> {
        if self.outlets.is_empty() {
            return Err(FreezeError::NoOutlet);
        }
        for count in [self.outlets.len(), self.officers.len(), self.measurements.len(), self.suspected_violations.len()] {
            if count > MAX_LIST {
                return Err(FreezeError::ListTooLong { count });
            }
        }

        let (officers, recorder) = self.officers_and_recorder()?;

        let mut answers = Vec::with_capacity(self.answers.len());
        for slot in &self.answers {
            let Some(answer) = slot.answer else {
                return Err(FreezeError::Unanswered { item: slot.item });
            };
            answers.push(ChecklistAnswer { item: slot.item, answer, note: short_text(&slot.note)? });
        }

        let measurements = self.measurements()?;
        let location = self.location()?;

        let mut suspected_violations = Vec::with_capacity(self.suspected_violations.len());
        for (number, violation) in (1..).zip(&self.suspected_violations) {
            if violation.article == 0 || violation.article > LAST_ARTICLE {
                return Err(FreezeError::UnknownArticle { number, article: violation.article });
            }
            suspected_violations.push(SuspectedViolation { article: violation.article, note: short_text(&violation.note)? });
        }

        let finding = self.finding.trim().to_string();
        let chars = finding.chars().count();
        if chars > MAX_FINDING_CHARS {
            return Err(FreezeError::FindingTooLong { chars });
        }

        let record = InspectionRecord {
            id: self.id,
            record_no: self.record_no.clone(),
            task_type: self.task_type,
            unit: RecordUnit { name: short_text(&self.unit.name)?, permit_no: short_text(&self.unit.permit_no)? },
            outlets: self.outlets.clone(),
            place: short_text(&self.place)?,
            officers,
            recorder,
            answers,
            measurements,
            photos: self.photos.clone(),
            location,
            finding,
            suspected_violations,
            acknowledgement: self.acknowledgement()?,
            started_at: self.started_at.to_offset(time::UtcOffset::UTC),
            ended_at: context.ended_at.to_offset(time::UtcOffset::UTC),
            utc_offset_minutes: self.started_at.offset().whole_minutes(),
            amends: self.amends.clone(),
            device_id: context.device_id,
            device_seq: context.device_seq,
            previous_sha256: context.previous_sha256.clone(),
        };
        Ok(FrozenInspection::sign(&record, context.key))
    }

    /// Drops blank officer rows and moves the recorder index with them.
    fn officers_and_recorder(&self) -> Result<(Vec<Officer>, usize), FreezeError> {
        let mut officers = Vec::new();
        let mut recorder = None;
        for (index, officer) in self.officers.iter().enumerate() {
            let officer = Officer { name: short_text(&officer.name)?, badge_no: short_text(&officer.badge_no)? };
            if officer.name.is_empty() && officer.badge_no.is_empty() {
                continue;
            }
            if officer.name.is_empty() || officer.badge_no.is_empty() {
                return Err(FreezeError::OfficerIncomplete { number: index + 1 });
            }
            if index == self.recorder {
                recorder = Some(officers.len());
            }
            officers.push(officer);
        }
        if officers.len() < MIN_OFFICERS {
            return Err(FreezeError::TooFewOfficers { count: officers.len() });
        }
        Ok((officers, recorder.ok_or(FreezeError::NoRecorder)?))
    }

    fn measurements(&self) -> Result<Vec<Measurement>, FreezeError> {
        let mut measurements = Vec::with_capacity(self.measurements.len());
        for (number, typed) in (1..).zip(&self.measurements) {
            let problem = |reason| FreezeError::MeasurementInvalid { number, reason };
            if !self.outlets.contains(&typed.outlet) {
                return Err(problem(MeasurementProblem::OtherOutlet));
            }
            let pollutant = short_text(&typed.pollutant)?;
            if pollutant.is_empty() {
                return Err(problem(MeasurementProblem::NoPollutant));
            }
            let value = typed.value.trim().parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0).ok_or(problem(MeasurementProblem::BadValue))?;
            let unit = short_text(&typed.unit)?;
            if unit.is_empty() {
                return Err(problem(MeasurementProblem::NoUnit));
            }
            let method = match &typed.method {
                MeasureMethod::Sampling { sample_no } if sample_no.trim().is_empty() => return Err(problem(MeasurementProblem::NoSampleNo)),
                MeasureMethod::Sampling { sample_no } => MeasureMethod::Sampling { sample_no: short_text(sample_no)? },
                MeasureMethod::PortableInstrument => MeasureMethod::PortableInstrument,
            };
            measurements.push(Measurement { outlet: typed.outlet.clone(), pollutant, value, unit, method });
        }
        Ok(measurements)
    }

    fn location(&self) -> Result<Location, FreezeError> {
        match &self.location {
            Some(Location::NoFix { reason }) => {
                let reason = short_text(reason)?;
                if reason.is_empty() {
                    return Err(FreezeError::NoLocation);
                }
                Ok(Location::NoFix { reason })
            }
            Some(fix @ Location::Fix { .. }) => Ok(fix.clone()),
            None => Err(FreezeError::NoLocation),
        }
    }

    fn acknowledgement(&self) -> Result<Acknowledgement, FreezeError> {
        match &self.acknowledgement {
            None => Err(FreezeError::NoAcknowledgement),
            Some(Acknowledgement::Signed { signature, .. }) if !signature.is_drawn() || !signature.in_box() => Err(FreezeError::NoAcknowledgement),
            Some(signed @ Acknowledgement::Signed { .. }) => Ok(signed.clone()),
            Some(Acknowledgement::Refused { reason, witness }) => {
                let reason = short_text(reason)?;
                if reason.is_empty() {
                    return Err(FreezeError::RefusalWithoutReason);
                }
                let witness = match witness {
                    Some(witness) if !witness.signature.is_drawn() => None,
                    Some(witness) if witness.name.trim().is_empty() => return Err(FreezeError::WitnessWithoutName),
                    Some(witness) => Some(super::record::Witness { name: short_text(&witness.name)?, signature: witness.signature.clone() }),
                    None => None,
                };
                Ok(Acknowledgement::Refused { reason, witness })
            }
        }
    }
}

/// Trims a short text field and checks its length.
fn short_text(text: &str) -> Result<String, FreezeError> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(FreezeError::TextTooLong { chars });
    }
    Ok(text.to_string())
}

/// Builds the printed record number: `XJ`, the local start date and the first 8 hex digits of the id.
fn record_no(id: Uuid, started_at: OffsetDateTime) -> String {
    let date = started_at.date();
    let hex = id.simple().to_string().to_uppercase();
    format!("XJ{:04}{:02}{:02}-{}", date.year(), u8::from(date.month()), date.day(), &hex[..8])
}

#[cfg(test)]
mod tests;
