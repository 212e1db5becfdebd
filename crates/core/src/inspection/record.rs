//! The content of a finalized inspection, as it is frozen, sent, stored and printed.
//!
//! Field order is part of the canonical encoding, so fields are never reordered. New fields go at
//! the end of a struct with `#[serde(default, skip_serializing_if = ...)]`, so older records keep
//! their bytes.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::signature::Signature;
use crate::checklist::{Answer, ChecklistItem};
use crate::ids::OutletId;

/// The sentence the party signs under (以上记录属实, "the above record is true").
pub const ACKNOWLEDGEMENT_TEXT: &str = "以上记录属实";

/// The reason for the inspection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskType {
    /// 日常检查, including the random checks of 双随机.
    #[default]
    Routine,
    /// 专项检查: a campaign on one topic or one period.
    SpecialCampaign,
    /// 信访投诉: a complaint from the public.
    Complaint,
}

impl TaskType {
    pub const ALL: [TaskType; 3] = [Self::Routine, Self::SpecialCampaign, Self::Complaint];
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub name: String,
    /// Number of the officer's enforcement certificate (执法证号).
    pub badge_no: String,
}

/// The inspected unit, as the card named it when the inspection started.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordUnit {
    pub name: String,
    /// The pollutant discharge permit's number (许可证编号).
    pub permit_no: String,
}

/// One answered checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistAnswer {
    pub item: ChecklistItem,
    pub answer: Answer,
    /// The officer's note on the item; empty when none.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The method of a field measurement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MeasureMethod {
    /// Read on site with a portable instrument (便携式仪器).
    PortableInstrument,
    /// A sample taken for the laboratory (采样), under its sample number.
    Sampling { sample_no: String },
}

/// A value measured on site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    /// The outlet measured at.
    pub outlet: OutletId,
    /// As the permit names it, e.g. 二氧化硫.
    pub pollutant: String,
    pub value: f64,
    /// e.g. mg/m³.
    pub unit: String,
    pub method: MeasureMethod,
}

/// WGS-84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
}

/// A photo that a record lists, by content: devices upload it separately, under its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoRef {
    /// Lower-case hex SHA-256 of the photo's bytes (64 characters).
    pub sha256: String,
    /// Size of the photo in bytes.
    pub bytes: u64,
    /// When the photo was taken, if the device recorded it.
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub taken_at: Option<OffsetDateTime>,
    /// The place the photo was taken, from its EXIF data or the device's fix at the time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<GeoPoint>,
}

/// The source of a position fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FixSource {
    /// The operating system's location service (satellite, Wi-Fi or cell).
    Device,
    /// The browser's Geolocation API.
    Browser,
}

/// The place of the inspection: a position fix, or the officer's reason for having none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Location {
    Fix {
        #[serde(flatten)]
        point: GeoPoint,
        /// Radius of 68 % confidence, in metres.
        accuracy_m: f64,
        #[serde(with = "time::serde::rfc3339")]
        fixed_at: OffsetDateTime,
        source: FixSource,
    },
    NoFix {
        reason: String,
    },
}

/// An article of the 排污许可管理条例 the officer suspects was broken, with what was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspectedViolation {
    pub article: u8,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A person who saw the party refuse to sign (见证人).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Witness {
    pub name: String,
    pub signature: Signature,
}

/// The party's answer to the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Acknowledgement {
    /// The party signed under [`ACKNOWLEDGEMENT_TEXT`] on `signed_on` (the device's local date).
    Signed { statement: String, signature: Signature, signed_on: Date },
    /// The party refused to sign; a witness may sign instead.
    Refused {
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        witness: Option<Witness>,
    },
}

/// The earlier record a correction replaces, by id and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    pub id: Uuid,
    pub sha256: String,
}

/// The content of a finalized inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionRecord {
    pub id: Uuid,
    /// Number printed on the record, e.g. `XJ20261205-3F9A1C2B`.
    pub record_no: String,
    pub task_type: TaskType,
    pub unit: RecordUnit,
    /// The outlets checked on this visit, at least one.
    pub outlets: Vec<OutletId>,
    /// The place of the inspection, as the officer describes it.
    pub place: String,
    pub officers: Vec<Officer>,
    /// Index in `officers` of the officer who wrote the record (记录人).
    pub recorder: usize,
    /// One answer per item of [`ChecklistItem::ALL`], in that order.
    pub answers: Vec<ChecklistAnswer>,
    pub measurements: Vec<Measurement>,
    pub photos: Vec<PhotoRef>,
    pub location: Location,
    pub finding: String,
    pub suspected_violations: Vec<SuspectedViolation>,
    pub acknowledgement: Acknowledgement,
    /// UTC instants; the local times are these plus `utc_offset_minutes`.
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub ended_at: OffsetDateTime,
    /// The device's UTC offset when the inspection started, in minutes (480 for China Standard Time).
    pub utc_offset_minutes: i16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amends: Option<Amendment>,
    /// The device that finalized and signed the record.
    pub device_id: Uuid,
    /// 1 for the device's first finalized record, one more for each next one.
    pub device_seq: u64,
    /// SHA-256 of the device's record with sequence `device_seq - 1`; `None` for the first.
    pub previous_sha256: Option<String>,
}

impl InspectionRecord {
    /// Returns the officer who wrote the record.
    pub fn recorder(&self) -> Option<&Officer> {
        self.officers.get(self.recorder)
    }

    /// Returns the device's UTC offset at the inspection.
    pub fn utc_offset(&self) -> time::UtcOffset {
        time::UtcOffset::from_whole_seconds(i32::from(self.utc_offset_minutes) * 60).unwrap_or(time::UtcOffset::UTC)
    }

    /// Start of the inspection in the device's local time, as printed on the record.
    pub fn local_start(&self) -> OffsetDateTime {
        self.started_at.to_offset(self.utc_offset())
    }

    /// End of the inspection in the device's local time.
    pub fn local_end(&self) -> OffsetDateTime {
        self.ended_at.to_offset(self.utc_offset())
    }

    /// Returns the answer to `item`.
    pub fn answer(&self, item: ChecklistItem) -> Option<&ChecklistAnswer> {
        self.answers.iter().find(|answer| answer.item == item)
    }
}
