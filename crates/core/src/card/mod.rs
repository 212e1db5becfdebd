//! The outlet card: everything a permit and the bureau's records state about one outlet, as the server
//! sends it and the app caches it. [`OutletCard::public_view`] strips what the public must not see.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

pub mod display;
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
    /// Date of the permit's current version.
    #[serde(default)]
    pub issue_date: Option<Date>,
    pub valid_from: Date,
    pub valid_to: Date,
    pub status: PermitStatus,
    /// Permit version (版本): 1 when first issued, one more at every change or renewal.
    #[serde(default = "first_version")]
    pub version: u32,
}

fn first_version() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PermitStatus {
    Valid,
    /// 变更: valid, with a changed content since the first issue.
    Changed,
    /// 延续: valid, renewed for another term.
    Renewed,
    /// 注销
    Cancelled,
    /// 撤销
    Revoked,
}

impl PermitStatus {
    /// True when the permit was cancelled or revoked: the unit may no longer discharge under it.
    pub fn is_withdrawn(self) -> bool {
        matches!(self, PermitStatus::Cancelled | PermitStatus::Revoked)
    }
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
    /// Stack inner diameter at the outlet in m, for air outlets.
    #[serde(default)]
    pub stack_diameter_m: Option<f64>,
    /// Discharge destination of a water outlet (a named water body or a sewage plant).
    pub receiving_water: Option<String>,
    /// Discharge route of a water outlet: straight into the receiving water or through a sewage plant.
    #[serde(default)]
    pub discharge_mode: Option<DischargeMode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DischargeMode {
    /// 直接排放
    Direct,
    /// 间接排放
    Indirect,
}

/// A permitted limit as the permit writes it: usually a number with a unit, sometimes a grade such
/// as 林格曼黑度 "1级".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitValue {
    Numeric { value: f64, unit: String },
    Text(String),
}

impl LimitValue {
    /// Returns the number and unit of a numeric limit.
    pub fn numeric(&self) -> Option<(f64, &str)> {
        match self {
            LimitValue::Numeric { value, unit } => Some((*value, unit)),
            LimitValue::Text(_) => None,
        }
    }
}

/// The permitted discharge of one pollutant at one outlet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PermitLimit {
    pub pollutant: String,
    /// HJ 212-2017 pollutant code, e.g. `a21026` for SO₂, when one exists.
    pub hj212_code: Option<String>,
    /// Hourly-average concentration limit (mg/Nm³ for air, mg/L for water), or a grade.
    pub hourly: Option<LimitValue>,
    /// Daily-average concentration limit.
    #[serde(default)]
    pub daily: Option<LimitValue>,
    /// A stricter limit the unit committed to (承诺), binding in place of the hourly one.
    #[serde(default)]
    pub committed: Option<LimitValue>,
    /// Permitted rate in kg/h, for some air pollutants.
    pub rate_kg_per_h: Option<f64>,
    /// Permitted annual amounts in t/a for permit years 1 to 5.
    pub annual_t: Vec<f64>,
    /// The emission standard the limit comes from, e.g. GB 13223-2011.
    pub standard: String,
}

impl PermitLimit {
    /// Returns the concentration a single reading is held to: the committed limit when there is one,
    /// else the hourly one, else the daily one.
    pub fn binding(&self) -> Option<&LimitValue> {
        self.committed.as_ref().or(self.hourly.as_ref()).or(self.daily.as_ref())
    }

    /// Returns which of the concentrations [`PermitLimit::binding`] returns.
    pub fn binding_kind(&self) -> Option<ConcentrationKind> {
        if self.committed.is_some() {
            Some(ConcentrationKind::Committed)
        } else if self.hourly.is_some() {
            Some(ConcentrationKind::Hourly)
        } else if self.daily.is_some() {
            Some(ConcentrationKind::Daily)
        } else {
            None
        }
    }

    /// Lists the hourly, daily and committed concentrations, in that order, with their kinds.
    pub fn concentrations(&self) -> [(ConcentrationKind, Option<&LimitValue>); 3] {
        [
            (ConcentrationKind::Hourly, self.hourly.as_ref()),
            (ConcentrationKind::Daily, self.daily.as_ref()),
            (ConcentrationKind::Committed, self.committed.as_ref()),
        ]
    }
}

/// The kinds of permitted concentration a [`PermitLimit`] may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConcentrationKind {
    Hourly,
    Daily,
    Committed,
}

/// A stricter limit for a named period (特殊时段), e.g. a heavy-pollution-weather response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpecialPeriodLimit {
    /// The period's name as the permit writes it, e.g. 重污染天气橙色预警.
    pub name: String,
    /// First and last day, both included.
    pub starts: Date,
    pub ends: Date,
    pub pollutant: String,
    pub concentration: Option<LimitValue>,
    /// Permitted amount per day in kg.
    pub daily_kg: Option<f64>,
    /// Permitted amount per month in t.
    pub monthly_t: Option<f64>,
}

impl SpecialPeriodLimit {
    pub fn in_force(&self, today: Date) -> bool {
        self.starts <= today && today <= self.ends
    }
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

/// One hourly average of an online monitor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HourlyValue {
    /// Start of the hour.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub value: f64,
    pub flag: String,
}

/// The hourly values of one pollutant over the last 24 hours, oldest first, for the trend chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HourlySeries {
    pub pollutant: String,
    pub unit: String,
    pub values: Vec<HourlyValue>,
}

/// A continuous monitor reporting over HJ 212-2017 (在线监测).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OnlineMonitor {
    /// HJ 212 device id (`MN`).
    pub mn: String,
    /// Pollutants the monitor measures, as the registry lists them.
    #[serde(default)]
    pub pollutants: Vec<String>,
    pub status: OnlineStatus,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_seen: Option<OffsetDateTime>,
    pub latest: Vec<Reading>,
    #[serde(default)]
    pub hourly: Vec<HourlySeries>,
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
    /// Case status, e.g. 已结案 or 整改中.
    #[serde(default)]
    pub status: Option<String>,
    /// False for internal records that the public page must not show.
    pub public: bool,
    /// The bureau's internal note; never shown to the public.
    #[serde(default)]
    pub internal_note: Option<String>,
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
    #[serde(default)]
    pub special_periods: Vec<SpecialPeriodLimit>,
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
            PermitStatus::Valid | PermitStatus::Changed | PermitStatus::Renewed => {
                let days_left = (valid_to - today).whole_days();
                if days_left < 0 {
                    Some(PermitAlert::Expired { valid_to })
                } else {
                    (days_left <= EXPIRY_WARNING_DAYS).then_some(PermitAlert::ExpiringSoon { valid_to, days_left })
                }
            }
        }
    }

    /// True when `value` (in `unit`) is above the binding concentration of `pollutant` (see
    /// [`PermitLimit::binding`]). Limits that are not numbers, or in another unit, are not compared.
    pub fn exceeds(&self, pollutant: &str, value: f64, unit: &str) -> bool {
        self.binding_limit(pollutant)
            .and_then(LimitValue::numeric)
            .is_some_and(|(limit, limit_unit)| limit_unit == unit && value > limit)
    }

    /// True when `reading` is above the binding concentration of its pollutant.
    pub fn exceeds_limit(&self, reading: &Reading) -> bool {
        self.exceeds(&reading.pollutant, reading.value, &reading.unit)
    }

    /// Returns the concentration readings of `pollutant` are held to, if the permit sets one.
    pub fn binding_limit(&self, pollutant: &str) -> Option<&LimitValue> {
        self.limits.iter().filter(|limit| limit.pollutant == pollutant).find_map(PermitLimit::binding)
    }

    /// Special periods in force on `today`.
    pub fn special_periods_in_force(&self, today: Date) -> impl Iterator<Item = &SpecialPeriodLimit> {
        self.special_periods.iter().filter(move |period| period.in_force(today))
    }

    /// Lists the names of the special periods in force on `today`, in permit order, without repeats.
    pub fn special_period_names_in_force(&self, today: Date) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for period in self.special_periods_in_force(today) {
            if !names.contains(&period.name.as_str()) {
                names.push(&period.name);
            }
        }
        names
    }

    /// Groups the special-period limits by period (same name and dates), in permit order.
    pub fn special_periods_grouped(&self) -> Vec<Vec<&SpecialPeriodLimit>> {
        let mut groups: Vec<Vec<&SpecialPeriodLimit>> = Vec::new();
        for limit in &self.special_periods {
            let same_period = |group: &&mut Vec<&SpecialPeriodLimit>| {
                let first = group[0];
                first.name == limit.name && first.starts == limit.starts && first.ends == limit.ends
            };
            match groups.iter_mut().find(same_period) {
                Some(group) => group.push(limit),
                None => groups.push(vec![limit]),
            }
        }
        groups
    }

    /// Sorts the enforcement history newest first by date, whatever order the registry sent.
    /// Actions of the same day keep their relative order.
    pub fn enforcement_newest_first(&self) -> Vec<&EnforcementAction> {
        let mut actions: Vec<&EnforcementAction> = self.enforcement.iter().collect();
        actions.sort_by_key(|action| std::cmp::Reverse(action.date));
        actions
    }

    /// Copies the card as a citizen may see it: no internal enforcement records, no internal notes.
    pub fn public_view(&self) -> OutletCard {
        let mut card = self.clone();
        card.enforcement.retain(|action| action.public);
        for action in &mut card.enforcement {
            action.internal_note = None;
        }
        card
    }

    /// Compares two cards ignoring what the server stamps on them (version and placard serial), to
    /// tell whether an import changed the registry's content.
    pub fn same_content(&self, other: &OutletCard) -> bool {
        let strip = |card: &OutletCard| OutletCard { version: 0, placard_serial: None, ..card.clone() };
        strip(self) == strip(other)
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
