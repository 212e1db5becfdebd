//! Changes online monitoring makes to a card's monitor, as plain data, so every storage backend
//! applies them the same way inside its own transaction ([`MonitorUpdate::apply`]).

use outlet_core::card::{HourlySeries, HourlyValue, OnlineMonitor, OnlineStatus, Reading};
use time::{Duration, OffsetDateTime};

/// Hourly values kept per pollutant: one day, for the trend chart.
pub const HOURS_KEPT: usize = 24;

/// A change to one monitor of a card.
#[derive(Debug, Clone, PartialEq)]
pub enum MonitorUpdate {
    /// A data upload arrived.
    Data(MonitorData),
    /// Nothing arrived since `cutoff`: the monitor goes offline unless data came at or after it.
    Silence { cutoff: OffsetDateTime },
}

/// The content of one data upload.
#[derive(Debug, Clone, PartialEq)]
pub struct MonitorData {
    /// When the server received it (the server's clock, so a unit's wrong clock cannot keep a
    /// silent monitor online).
    pub received_at: OffsetDateTime,
    /// Status the upload's data flags give.
    pub status: OnlineStatus,
    /// New latest values, one per pollutant, each stamped with the time it refers to.
    pub readings: Vec<Reading>,
    /// Hour averages for the trend chart.
    pub hourly: Vec<HourlyReading>,
}

/// One hour's average of one pollutant.
#[derive(Debug, Clone, PartialEq)]
pub struct HourlyReading {
    pub pollutant: String,
    pub unit: String,
    pub value: HourlyValue,
}

/// Outcome of [`crate::store::ServerStore::update_monitor`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonitorWrite {
    /// The card changed and was stored with this version, at the end of the change feed.
    Updated { version: u64 },
    /// The update changed nothing (e.g. the monitor is already offline): nothing written.
    Unchanged,
    /// The outlet has no card, or its card lists no monitor with that MN.
    NoMonitor,
}

impl MonitorUpdate {
    /// Applies the update to `monitor`; returns true when something changed.
    ///
    /// Data moves `last_seen` forward to the receive time and sets the upload's status. Each reading
    /// replaces the pollutant's latest one unless that one refers to a later time, so a resent old
    /// upload does not hide newer data. Hour values go into the pollutant's series, which keeps the
    /// newest [`HOURS_KEPT`] hours, oldest first.
    pub fn apply(&self, monitor: &mut OnlineMonitor) -> bool {
        let before = monitor.clone();
        match self {
            MonitorUpdate::Data(data) => apply_data(monitor, data),
            MonitorUpdate::Silence { cutoff } => {
                let silent = monitor.last_seen.is_none_or(|seen| seen < *cutoff);
                if silent {
                    monitor.status = OnlineStatus::Offline;
                }
            }
        }
        *monitor != before
    }
}

fn apply_data(monitor: &mut OnlineMonitor, data: &MonitorData) {
    monitor.last_seen = Some(monitor.last_seen.map_or(data.received_at, |seen| seen.max(data.received_at)));
    monitor.status = data.status;

    for reading in &data.readings {
        match monitor.latest.iter_mut().find(|latest| latest.pollutant == reading.pollutant) {
            Some(latest) if latest.at > reading.at => {}
            Some(latest) => *latest = reading.clone(),
            None => monitor.latest.push(reading.clone()),
        }
    }

    for hour in &data.hourly {
        let series = match monitor.hourly.iter().position(|series| series.pollutant == hour.pollutant) {
            Some(index) => &mut monitor.hourly[index],
            None => {
                monitor.hourly.push(HourlySeries { pollutant: hour.pollutant.clone(), unit: hour.unit.clone(), values: Vec::new() });
                monitor.hourly.last_mut().expect("just pushed")
            }
        };
        if series.unit != hour.unit {
            // Values in another unit cannot share a chart axis: start the series again.
            series.unit = hour.unit.clone();
            series.values.clear();
        }
        add_hour(&mut series.values, &hour.value);
    }
}

/// Puts `value` in time order, replacing a value of the same hour, then drops what falls outside the
/// newest [`HOURS_KEPT`] hours.
fn add_hour(values: &mut Vec<HourlyValue>, value: &HourlyValue) {
    match values.binary_search_by(|existing| existing.at.cmp(&value.at)) {
        Ok(index) => values[index] = value.clone(),
        Err(index) => values.insert(index, value.clone()),
    }

    let newest = values.last().expect("just inserted").at;
    values.retain(|kept| newest - kept.at < Duration::hours(HOURS_KEPT as i64));
    let excess = values.len().saturating_sub(HOURS_KEPT);
    values.drain(..excess);
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn monitor() -> OnlineMonitor {
        OnlineMonitor { mn: "M1".into(), pollutants: vec![], status: OnlineStatus::Offline, last_seen: None, latest: vec![], hourly: vec![] }
    }

    fn reading(value: f64, at: OffsetDateTime) -> Reading {
        Reading { pollutant: "二氧化硫".into(), value, unit: "mg/m³".into(), flag: "N".into(), at }
    }

    fn data(readings: Vec<Reading>, hourly: Vec<HourlyReading>) -> MonitorUpdate {
        MonitorUpdate::Data(MonitorData { received_at: datetime!(2026-12-04 08:00 +8), status: OnlineStatus::Online, readings, hourly })
    }

    fn hour(value: f64, at: OffsetDateTime) -> HourlyReading {
        HourlyReading { pollutant: "二氧化硫".into(), unit: "mg/m³".into(), value: HourlyValue { at, value, flag: "N".into() } }
    }

    #[test]
    fn older_reading_does_not_replace_newer() {
        let mut monitor = monitor();
        data(vec![reading(20.0, datetime!(2026-12-04 08:00 +8))], vec![]).apply(&mut monitor);

        data(vec![reading(10.0, datetime!(2026-12-04 07:00 +8))], vec![]).apply(&mut monitor);

        assert_eq!(monitor.latest.len(), 1);
        assert_eq!(monitor.latest[0].value, 20.0);
        assert_eq!(monitor.status, OnlineStatus::Online);
    }

    #[test]
    fn hourly_series_keeps_24_hours_in_order() {
        let mut monitor = monitor();
        let start = datetime!(2026-12-03 00:00 +8);
        for offset in (0..30).rev() {
            data(vec![], vec![hour(offset as f64, start + Duration::hours(offset))]).apply(&mut monitor);
        }

        let values = &monitor.hourly[0].values;
        assert_eq!(values.len(), HOURS_KEPT);
        assert_eq!(values.first().unwrap().value, 6.0);
        assert_eq!(values.last().unwrap().value, 29.0);
        assert!(values.windows(2).all(|pair| pair[0].at < pair[1].at));
    }

    #[test]
    fn same_hour_replaces_its_value() {
        let mut monitor = monitor();
        let at = datetime!(2026-12-04 07:00 +8);
        data(vec![], vec![hour(1.0, at)]).apply(&mut monitor);

        data(vec![], vec![hour(2.0, at)]).apply(&mut monitor);

        assert_eq!(monitor.hourly[0].values.len(), 1);
        assert_eq!(monitor.hourly[0].values[0].value, 2.0);
    }

    #[test]
    fn silence_sets_offline_only_when_silent_since_cutoff() {
        let mut monitor = monitor();
        data(vec![], vec![]).apply(&mut monitor);

        let before = MonitorUpdate::Silence { cutoff: datetime!(2026-12-04 07:59 +8) };
        assert!(!before.apply(&mut monitor));
        assert_eq!(monitor.status, OnlineStatus::Online);

        let after = MonitorUpdate::Silence { cutoff: datetime!(2026-12-04 08:01 +8) };
        assert!(after.apply(&mut monitor));
        assert_eq!(monitor.status, OnlineStatus::Offline);
        assert!(!after.apply(&mut monitor), "already offline: no change");
    }
}
