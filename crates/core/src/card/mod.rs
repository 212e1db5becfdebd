//! The outlet card: everything a permit and the bureau's records state about one outlet, as the server
//! sends it and the app caches it. [`OutletCard::public_view`] strips what the public must not see.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

#[cfg(test)]
mod tests;

use crate::ids::{OutletId, PermitNo, Uscc};

/// The discharging unit (排污单位).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub uscc: Uscc,
    pub name: String,
    pub address: String,
    /// Industry code of GB/T 4754, e.g. `D4411` for thermal power.
    pub industry_code: String,
    pub management_class: ManagementClass,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManagementClass {
    /// 重点管理
    Key,
    /// 简化管理
    Simplified,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Permit {
    pub permit_no: PermitNo,
    pub issuing_authority: String,
    pub valid_from: Date,
    pub valid_to: Date,
    pub status: PermitStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PermitStatus {
    Valid,
    /// 注销
    Cancelled,
    /// 撤销
    Revoked,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Medium {
    Air,
    Water,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutletKind {
    /// 主要排放口
    Main,
    /// 一般排放口
    General,
    /// 其他排放口
    Other,
}

/// A discharge point (排放口).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outlet {
    pub id: OutletId,
    /// The name the permit gives, e.g. 1#锅炉废气排放口.
    pub name: String,
    pub medium: Medium,
    pub kind: OutletKind,
    /// WGS-84 degrees (CGCS2000 differs by less than the app's precision).
    pub longitude: f64,
    pub latitude: f64,
    /// Stack height in m, for air outlets.
    pub stack_height_m: Option<f64>,
    /// Discharge destination of a water outlet (a named water body or a sewage plant).
    pub receiving_water: Option<String>,
}

/// A permitted limit as the permit writes it: usually a number with a unit, sometimes a grade such
/// as 林格曼黑度 "1级".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitValue {
    Numeric { value: f64, unit: String },
    Text(String),
}

/// The permitted discharge of one pollutant at one outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PermitLimit {
    pub pollutant: String,
    /// HJ 212-2017 pollutant code, e.g. `a21026` for SO₂, when one exists.
    pub hj212_code: Option<String>,
    /// Concentration limit (mg/Nm³ for air, mg/L for water).
    pub concentration: LimitValue,
    /// Permitted rate in kg/h, for some air pollutants.
    pub rate_kg_per_h: Option<f64>,
    /// Permitted annual amounts in t/a for permit years 1 to 5.
    pub annual_t: Vec<f64>,
    /// The emission standard the limit comes from, e.g. GB 13223-2011.
    pub standard: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MonitoringMode {
    /// 手工
    Manual,
    /// 自动
    Automatic,
}

/// The unit's own monitoring duty (自行监测) for one pollutant at one outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitoringRequirement {
    pub pollutant: String,
    pub mode: MonitoringMode,
    /// True when the automatic monitor must report to the bureau (联网).
    pub networked: bool,
    /// As written in the permit, e.g. 1次/季度.
    pub frequency: String,
    pub method_standard: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineStatus {
    Online,
    Offline,
    Fault,
    Maintenance,
}

/// One value from an online monitor, with its HJ 212-2017 data flag (N normal, D fault, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    pub pollutant: String,
    pub value: f64,
    pub unit: String,
    pub flag: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A continuous monitor reporting over HJ 212-2017 (在线监测).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnlineMonitor {
    /// HJ 212 device id (`MN`).
    pub mn: String,
    pub status: OnlineStatus,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_seen: Option<OffsetDateTime>,
    pub latest: Vec<Reading>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnforcementKind {
    Inspection,
    Penalty,
}

/// A past inspection or penalty decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnforcementAction {
    pub date: Date,
    pub kind: EnforcementKind,
    pub result: String,
    /// Legal article, e.g. 《排污许可管理条例》第三十四条.
    pub legal_article: Option<String>,
    pub decision_no: Option<String>,
    /// Fine in yuan.
    pub fine_yuan: Option<u64>,
    /// False for internal records that the public page must not show.
    pub public: bool,
}

/// Everything the app shows about one outlet. `version` grows on every change on the server, so the
/// app can ask for a card only when it changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutletCard {
    pub version: u64,
    pub unit: Unit,
    pub permit: Permit,
    pub outlet: Outlet,
    pub limits: Vec<PermitLimit>,
    pub monitoring: Vec<MonitoringRequirement>,
    pub monitors: Vec<OnlineMonitor>,
    /// Newest first.
    pub enforcement: Vec<EnforcementAction>,
    /// Serial of the placard now valid at this outlet; `None` before one is issued. A scanned
    /// placard with another serial was replaced.
    #[serde(default)]
    pub placard_serial: Option<u32>,
}

/// Days before expiry from which the card warns that the permit is about to expire.
pub const EXPIRY_WARNING_DAYS: i64 = 90;

/// A problem with the permit on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PermitAlert {
    Expired { valid_to: Date },
    ExpiringSoon { valid_to: Date, days_left: i64 },
    Cancelled,
    Revoked,
}

impl OutletCard {
    /// Finds the permit's problem on `today`, if any: cancelled or revoked, expired, or expiring within
    /// [`EXPIRY_WARNING_DAYS`].
    pub fn permit_alert(&self, today: Date) -> Option<PermitAlert> {
        let valid_to = self.permit.valid_to;
        match self.permit.status {
            PermitStatus::Cancelled => Some(PermitAlert::Cancelled),
            PermitStatus::Revoked => Some(PermitAlert::Revoked),
            PermitStatus::Valid if today > valid_to => Some(PermitAlert::Expired { valid_to }),
            PermitStatus::Valid => {
                let days_left = (valid_to - today).whole_days();
                (days_left <= EXPIRY_WARNING_DAYS).then_some(PermitAlert::ExpiringSoon { valid_to, days_left })
            }
        }
    }

    /// True when `reading` is above the permitted concentration of its pollutant in the same unit.
    /// Limits that are not numbers, or in another unit, are not compared.
    pub fn exceeds_limit(&self, reading: &Reading) -> bool {
        self.limits.iter().any(|limit| {
            limit.pollutant == reading.pollutant
                && matches!(&limit.concentration, LimitValue::Numeric { value, unit } if unit == &reading.unit && reading.value > *value)
        })
    }

    /// Copies the card as a citizen may see it, without internal enforcement records.
    pub fn public_view(&self) -> OutletCard {
        let mut card = self.clone();
        card.enforcement.retain(|action| action.public);
        card
    }

    /// Main pollutants for the placard text, in permit order, without repeats.
    pub fn main_pollutants(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for limit in &self.limits {
            if !names.contains(&limit.pollutant.as_str()) {
                names.push(&limit.pollutant);
            }
        }
        names
    }
}
