//! The reasons a draft cannot be finalized yet.

use crate::checklist::ChecklistItem;

use super::{MAX_FINDING_CHARS, MAX_LIST, MAX_TEXT_CHARS, MIN_OFFICERS};

/// Reason a draft cannot be finalized yet. Each names what to fix; numbers count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FreezeError {
    #[error("no outlet is listed; at least one is required")]
    NoOutlet,

    #[error("at least {MIN_OFFICERS} officers with name and badge number are required, found {count}")]
    TooFewOfficers { count: usize },

    #[error("officer {number} has a name or a badge number but not both")]
    OfficerIncomplete { number: usize },

    #[error("the recorder must be one of the listed officers")]
    NoRecorder,

    #[error("checklist item {item:?} is not answered")]
    Unanswered { item: ChecklistItem },

    #[error("measurement {number}: {reason}")]
    MeasurementInvalid { number: usize, reason: MeasurementProblem },

    #[error("no location: take a position fix or enter why there is none")]
    NoLocation,

    #[error("suspected violation {number} names article {article}, which the regulation does not have")]
    UnknownArticle { number: usize, article: u8 },

    #[error("the party's acknowledgement is missing: a signature, or the reason for refusing")]
    NoAcknowledgement,

    #[error("the refusal needs a reason")]
    RefusalWithoutReason,

    #[error("the witness signed but gave no name")]
    WitnessWithoutName,

    #[error("the finding has {chars} characters; at most {MAX_FINDING_CHARS} are allowed")]
    FindingTooLong { chars: usize },

    #[error("a text field has {chars} characters; at most {MAX_TEXT_CHARS} are allowed")]
    TextTooLong { chars: usize },

    #[error("a list has {count} entries; at most {MAX_LIST} are allowed")]
    ListTooLong { count: usize },
}

/// The problem with a field measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MeasurementProblem {
    #[error("the pollutant is missing")]
    NoPollutant,
    #[error("the value is not a number of zero or more")]
    BadValue,
    #[error("the unit is missing")]
    NoUnit,
    #[error("a sample needs its sample number")]
    NoSampleNo,
    #[error("the outlet is not one of the record's outlets")]
    OtherOutlet,
}
