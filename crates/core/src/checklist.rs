//! The on-site inspection checklist, each item with the article of the 2021 排污许可管理条例
//! (Regulations on the Administration of Pollutant Discharge Permits) that backs it.

use serde::{Deserialize, Serialize};

/// One checklist item. The order of [`ChecklistItem::ALL`] is the order officers answer them in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecklistItem {
    ValidPermit,
    OutletsMatchPermit,
    PlacardPresent,
    AutomaticMonitoring,
    SelfMonitoring,
    Ledger,
    ExecutionReports,
    Disclosure,
    SpecialPeriodControls,
    WithinLimits,
}

impl ChecklistItem {
    pub const ALL: [ChecklistItem; 10] = [
        Self::ValidPermit,
        Self::OutletsMatchPermit,
        Self::PlacardPresent,
        Self::AutomaticMonitoring,
        Self::SelfMonitoring,
        Self::Ledger,
        Self::ExecutionReports,
        Self::Disclosure,
        Self::SpecialPeriodControls,
        Self::WithinLimits,
    ];

    /// Articles of the regulation behind the item, e.g. `[18, 36]`.
    pub fn articles(self) -> &'static [u8] {
        match self {
            Self::ValidPermit => &[33],
            Self::OutletsMatchPermit => &[18, 36],
            Self::PlacardPresent => &[18],
            Self::AutomaticMonitoring => &[20, 36],
            Self::SelfMonitoring => &[19],
            Self::Ledger => &[21],
            Self::ExecutionReports => &[22, 37],
            Self::Disclosure => &[23, 36],
            Self::SpecialPeriodControls => &[35],
            Self::WithinLimits => &[34],
        }
    }
}

/// An officer's answer to one checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Complies,
    DoesNotComply,
    NotApplicable,
}

/// Number of the last article of the 排污许可管理条例 (2021), which has 51.
pub const LAST_ARTICLE: u8 = 51;
