//! Inspection records: the draft an officer edits, and the frozen record that is sent.
//!
//! Freezing serialises the record once into canonical bytes (JSON with a fixed field order, no maps,
//! times as RFC 3339 UTC) and hashes them with SHA-256. Every retry sends those same bytes, so the
//! server can tell a retry (same id, same hash) from a conflicting record (same id, other hash).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::checklist::{Answer, ChecklistItem};
use crate::ids::OutletId;

/// Maximum length of the finding text, in characters.
pub const MAX_FINDING_CHARS: usize = 4000;

/// Minimum number of officers the law requires at an inspection.
pub const MIN_OFFICERS: usize = 2;

/// Largest photo a record may list and the server accepts, in bytes. A 2000-pixel JPEG is about
/// 0.5 to 1 MB.
pub const MAX_PHOTO_BYTES: usize = 8 * 1024 * 1024;

/// Most photos one record may list.
pub const MAX_PHOTOS: usize = 50;

/// A photo that a record lists, by content: devices upload it separately, under its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRef {
    /// Lower-case hex SHA-256 of the photo's bytes (64 characters).
    pub sha256: String,
    /// Size of the photo in bytes.
    pub bytes: u64,
    /// When the photo was taken, if the device recorded it.
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub taken_at: Option<OffsetDateTime>,
}

/// Returns true when `text` is a SHA-256 in lower-case hex: exactly 64 characters `0-9a-f`.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub name: String,
    /// Number of the officer's enforcement certificate (执法证号).
    pub badge_no: String,
}

/// An inspection being recorded on the device. Its `id` is created once and never regenerated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionDraft {
    pub id: Uuid,
    pub outlet: OutletId,
    pub officers: Vec<Officer>,
    /// Answers in [`ChecklistItem::ALL`] order; `None` until answered.
    pub answers: Vec<(ChecklistItem, Option<Answer>)>,
    pub finding: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// Photos taken for this inspection, in the order taken.
    #[serde(default)]
    pub photos: Vec<PhotoRef>,
}

impl InspectionDraft {
    pub fn new(outlet: OutletId, started_at: OffsetDateTime) -> Self {
        Self {
            id: Uuid::new_v4(),
            outlet,
            officers: vec![Officer::default(); MIN_OFFICERS],
            answers: ChecklistItem::ALL.iter().map(|item| (*item, None)).collect(),
            finding: String::new(),
            started_at,
            photos: Vec::new(),
        }
    }

    pub fn set_answer(&mut self, item: ChecklistItem, answer: Answer) {
        if let Some(slot) = self.answers.iter_mut().find(|(i, _)| *i == item) {
            slot.1 = Some(answer);
        }
    }

    pub fn answer(&self, item: ChecklistItem) -> Option<Answer> {
        self.answers.iter().find(|(i, _)| *i == item).and_then(|(_, a)| *a)
    }

    /// Validates the draft and freezes it into the bytes that will be sent.
    ///
    /// `finalized_at` carries the device's UTC offset, which is kept beside the UTC instants.
    pub fn freeze(&self, finalized_at: OffsetDateTime) -> Result<FrozenInspection, FreezeError> {
        let officers: Vec<Officer> = self
            .officers
            .iter()
            .map(|o| Officer { name: o.name.trim().to_string(), badge_no: o.badge_no.trim().to_string() })
            .filter(|o| !o.name.is_empty() || !o.badge_no.is_empty())
            .collect();
        if let Some(index) = officers.iter().position(|o| o.name.is_empty() || o.badge_no.is_empty()) {
            return Err(FreezeError::OfficerIncomplete { index });
        }
        if officers.len() < MIN_OFFICERS {
            return Err(FreezeError::TooFewOfficers { count: officers.len() });
        }

        let mut answers = Vec::with_capacity(self.answers.len());
        for (item, answer) in &self.answers {
            let Some(answer) = answer else {
                return Err(FreezeError::Unanswered { item: *item });
            };
            answers.push(ChecklistAnswer { item: *item, answer: *answer });
        }

        let finding = self.finding.trim().to_string();
        let chars = finding.chars().count();
        if chars > MAX_FINDING_CHARS {
            return Err(FreezeError::FindingTooLong { chars });
        }

        let record = InspectionRecord {
            id: self.id,
            outlet: self.outlet.clone(),
            officers,
            answers,
            finding,
            started_at: self.started_at.to_offset(time::UtcOffset::UTC),
            finalized_at: finalized_at.to_offset(time::UtcOffset::UTC),
            device_utc_offset_minutes: finalized_at.offset().whole_minutes(),
            photos: self.photos.clone(),
        };
        Ok(FrozenInspection::from_record(&record))
    }
}

/// One answered checklist item in a frozen record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistAnswer {
    pub item: ChecklistItem,
    pub answer: Answer,
}

/// The content of a finalized inspection. Field order is part of the canonical encoding: do not
/// reorder fields, add new ones at the end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionRecord {
    pub id: Uuid,
    pub outlet: OutletId,
    pub officers: Vec<Officer>,
    pub answers: Vec<ChecklistAnswer>,
    pub finding: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub finalized_at: OffsetDateTime,
    /// The device's UTC offset at finalizing, in minutes (480 for China Standard Time).
    pub device_utc_offset_minutes: i16,
    /// The photos of the inspection, uploaded apart from the record. A record without photos leaves
    /// the field out, so its canonical bytes are those of a record written before photos existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoRef>,
}

/// A finalized record: its canonical bytes and their SHA-256, never changed after freezing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenInspection {
    pub id: Uuid,
    pub outlet: OutletId,
    /// Canonical JSON of the [`InspectionRecord`].
    pub bytes: Vec<u8>,
    /// Lower-case hex SHA-256 of `bytes`.
    pub sha256: String,
}

impl FrozenInspection {
    fn from_record(record: &InspectionRecord) -> Self {
        let bytes = serde_json::to_vec(record).expect("an inspection record always serialises");
        Self { id: record.id, outlet: record.outlet.clone(), sha256: sha256_hex(&bytes), bytes }
    }
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reason a draft cannot be finalized yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FreezeError {
    #[error("at least {MIN_OFFICERS} officers with name and badge number are required, found {count}")]
    TooFewOfficers { count: usize },

    #[error("officer {} has a name or a badge number but not both", index + 1)]
    OfficerIncomplete { index: usize },

    #[error("checklist item {item:?} is not answered")]
    Unanswered { item: ChecklistItem },

    #[error("the finding has {chars} characters; at most {MAX_FINDING_CHARS} are allowed")]
    FindingTooLong { chars: usize },
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn complete_draft() -> InspectionDraft {
        let mut draft = InspectionDraft::new(
            "91350100M000100Y43001P-DA001".parse().unwrap(),
            datetime!(2026-12-04 09:00 +8),
        );
        draft.officers = vec![
            Officer { name: "李明".into(), badge_no: "35010001".into() },
            Officer { name: "王芳".into(), badge_no: "35010002".into() },
        ];
        for item in ChecklistItem::ALL {
            draft.set_answer(item, Answer::Complies);
        }
        draft.finding = "未发现问题".into();
        draft
    }

    #[test]
    fn freezing_twice_gives_identical_bytes() {
        let draft = complete_draft();
        let at = datetime!(2026-12-04 10:00 +8);
        assert_eq!(draft.freeze(at).unwrap(), draft.freeze(at).unwrap());
    }

    #[test]
    fn frozen_hash_matches_bytes() {
        let frozen = complete_draft().freeze(datetime!(2026-12-04 10:00 +8)).unwrap();
        assert_eq!(frozen.sha256, sha256_hex(&frozen.bytes));
        assert_eq!(frozen.sha256.len(), 64);
    }

    #[test]
    fn frozen_record_keeps_utc_and_offset() {
        let frozen = complete_draft().freeze(datetime!(2026-12-04 10:00 +8)).unwrap();
        let record: InspectionRecord = serde_json::from_slice(&frozen.bytes).unwrap();
        assert_eq!(record.finalized_at, datetime!(2026-12-04 02:00 UTC));
        assert_eq!(record.device_utc_offset_minutes, 480);
    }

    #[test]
    fn record_without_photos_leaves_field_out() {
        let frozen = complete_draft().freeze(datetime!(2026-12-04 10:00 +8)).unwrap();
        let text = String::from_utf8(frozen.bytes).unwrap();
        assert!(!text.contains("photos"), "{text}");
        assert!(text.ends_with("\"device_utc_offset_minutes\":480}"), "{text}");
    }

    #[test]
    fn record_photos_survive_freezing() {
        let mut draft = complete_draft();
        draft.photos = vec![PhotoRef { sha256: "ab".repeat(32), bytes: 1234, taken_at: Some(datetime!(2026-12-04 01:30 UTC)) }];
        let frozen = draft.freeze(datetime!(2026-12-04 10:00 +8)).unwrap();
        let record: InspectionRecord = serde_json::from_slice(&frozen.bytes).unwrap();
        assert_eq!(record.photos, draft.photos);
    }

    #[test]
    fn sha256_hex_form_checked() {
        assert!(is_sha256_hex(&"0a".repeat(32)));
        for bad in ["", "../etc/passwd", &"A".repeat(64), &"a".repeat(63), &"a".repeat(65), &format!("{}g", "a".repeat(63))] {
            assert!(!is_sha256_hex(bad), "{bad:?}");
        }
    }

    #[test]
    fn one_officer_is_not_enough() {
        let mut draft = complete_draft();
        draft.officers[1] = Officer::default();
        assert_eq!(draft.freeze(datetime!(2026-12-04 10:00 +8)), Err(FreezeError::TooFewOfficers { count: 1 }));
    }

    #[test]
    fn officer_without_badge_is_rejected() {
        let mut draft = complete_draft();
        draft.officers[1].badge_no = " ".into();
        assert_eq!(draft.freeze(datetime!(2026-12-04 10:00 +8)), Err(FreezeError::OfficerIncomplete { index: 1 }));
    }

    #[test]
    fn unanswered_item_is_named() {
        let mut draft = complete_draft();
        draft.answers[3].1 = None;
        assert_eq!(
            draft.freeze(datetime!(2026-12-04 10:00 +8)),
            Err(FreezeError::Unanswered { item: ChecklistItem::AutomaticMonitoring })
        );
    }
}
