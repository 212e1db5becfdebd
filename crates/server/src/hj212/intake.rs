//! Intake of well-formed packets: the outlet is found by MN, the values become readings with the
//! pollutant names and units of the outlet's permit, and the monitor on the card is updated.

use std::sync::Arc;

use outlet_core::card::{HourlyValue, OnlineStatus, Reading};
use outlet_core::OutletCard;
use outlet_hj212::{pollutant_code, Command, DataFlag, Packet, PollutantValues};
use time::{OffsetDateTime, UtcOffset};

use super::stats::{bump, Hj212Stats};
use crate::store::{HourlyReading, MonitorData, MonitorUpdate, MonitorWrite, ServerStore};

/// `DataTime` is the station's local time; stations in China keep China Standard Time, UTC+8.
// TODO: a station outside UTC+8 needs its offset in the registry; none is listed there yet.
const STATION_OFFSET: UtcOffset = time::macros::offset!(+8);

/// A data packet turned into a monitor update for one card.
#[derive(Debug, Clone, PartialEq)]
pub struct MappedData {
    pub data: MonitorData,
    /// Pollutant codes neither the card's limits nor the code table know; their values are dropped.
    pub unmapped: Vec<String>,
}

/// Maps a data packet (see [`Command::carries_data`]) onto `card`.
///
/// Names and units come from the card's limit with the same HJ 212 code (the unit of its binding
/// concentration), else from the code table, so that [`OutletCard::exceeds_limit`] compares like with
/// like. The value is the converted (折算) one where the packet has it, since limits apply to it: `ZsRtd`
/// or `Rtd` for real-time data, `ZsAvg` or `Avg` for minute, hour and day data. Real-time, minute and
/// hour values become the latest readings; hour values also enter the hourly series; day values only
/// show that the monitor is alive. The status is fault when a value is flagged D or B, maintenance
/// when one is flagged M or C, else online.
pub fn map_data(card: &OutletCard, packet: &Packet, received_at: OffsetDateTime) -> MappedData {
    let at = packet.cp.data_time.map_or(received_at, |local| local.assume_offset(STATION_OFFSET));
    let mut data = MonitorData { received_at, status: status_of(&packet.cp.pollutants), readings: Vec::new(), hourly: Vec::new() };
    let mut unmapped = Vec::new();

    for values in &packet.cp.pollutants {
        let Some((pollutant, unit)) = name_and_unit(card, &values.code) else {
            unmapped.push(values.code.clone());
            continue;
        };
        let value = match packet.cn {
            Command::RealTimeData => values.zs_rtd.or(values.rtd),
            _ => values.zs_avg.or(values.avg),
        };
        let Some(value) = value else { continue };
        let flag = values.flag.unwrap_or(DataFlag::Normal).letter().to_string();

        if packet.cn == Command::HourData {
            let hour = HourlyValue { at, value, flag: flag.clone() };
            data.hourly.push(HourlyReading { pollutant: pollutant.clone(), unit: unit.clone(), value: hour });
        }
        if packet.cn != Command::DayData {
            data.readings.push(Reading { pollutant, value, unit, flag, at });
        }
    }
    MappedData { data, unmapped }
}

fn status_of(values: &[PollutantValues]) -> OnlineStatus {
    let flagged = |flags: &[DataFlag]| values.iter().any(|value| value.flag.is_some_and(|flag| flags.contains(&flag)));
    if flagged(&[DataFlag::Fault, DataFlag::CommunicationError]) {
        OnlineStatus::Fault
    } else if flagged(&[DataFlag::Maintenance, DataFlag::Calibration]) {
        OnlineStatus::Maintenance
    } else {
        OnlineStatus::Online
    }
}

/// Finds the permit's pollutant name and unit for an HJ 212 code, else takes them from the code table.
fn name_and_unit(card: &OutletCard, code: &str) -> Option<(String, String)> {
    let table = pollutant_code(code);
    let limit = card.limits.iter().find(|limit| limit.hj212_code.as_deref().is_some_and(|own| own.eq_ignore_ascii_case(code)));

    if let Some(limit) = limit {
        let unit = limit.binding().and_then(|binding| binding.numeric()).map(|(_, unit)| unit.to_string());
        let unit = unit.or_else(|| table.map(|entry| entry.unit.to_string())).unwrap_or_default();
        return Some((limit.pollutant.clone(), unit));
    }
    table.map(|entry| (entry.name.to_string(), entry.unit.to_string()))
}

/// Applies packets to the store and keeps the counters.
#[derive(Clone)]
pub struct Intake {
    pub store: Arc<dyn ServerStore>,
    pub stats: Arc<Hj212Stats>,
}

impl Intake {
    /// Handles one well-formed packet; returns the reply to send, if the packet asked for one and
    /// its data was stored.
    pub async fn handle(&self, packet: Packet, peer: std::net::SocketAddr) -> Option<Vec<u8>> {
        bump(&self.stats.packets_accepted);
        if !packet.cn.carries_data() {
            bump(&self.stats.packets_ignored);
            tracing::debug!(mn = %packet.mn, cn = %packet.cn, %peer, "HJ 212 command without data ignored");
            return None;
        }

        let intake = self.clone();
        let received_at = OffsetDateTime::now_utc();
        let stored = tokio::task::spawn_blocking(move || intake.store_data(&packet, received_at).then_some(packet)).await;
        let packet = match stored {
            Ok(Some(packet)) => packet,
            Ok(None) => return None,
            Err(error) => {
                bump(&self.stats.store_errors);
                tracing::error!(%error, "HJ 212 storage task failed");
                return None;
            }
        };

        if !packet.flag.is_some_and(|flag| flag.wants_reply()) {
            return None;
        }
        match packet.data_response().encode() {
            Ok(reply) => Some(reply),
            Err(error) => {
                tracing::error!(mn = %packet.mn, %error, "HJ 212 data response could not be encoded");
                None
            }
        }
    }

    /// Stores a data packet; returns true when the monitor was found and the write succeeded.
    fn store_data(&self, packet: &Packet, received_at: OffsetDateTime) -> bool {
        let mn = packet.mn.as_str();
        let card = match self.store.outlet_of_monitor(mn).and_then(|outlet| outlet.map(|outlet| self.store.card(&outlet)).transpose()) {
            Ok(Some(Some(card))) => card,
            Ok(_) => {
                bump(&self.stats.unknown_mn);
                tracing::warn!(mn, cn = %packet.cn, "HJ 212 data from an MN that no outlet card lists");
                return false;
            }
            Err(error) => {
                bump(&self.stats.store_errors);
                tracing::error!(mn, %error, "HJ 212 monitor lookup failed");
                return false;
            }
        };
        let outlet = &card.outlet.id;

        let mapped = map_data(&card, packet, received_at);
        for code in &mapped.unmapped {
            bump(&self.stats.readings_unmapped);
            tracing::debug!(mn, %outlet, code, "HJ 212 pollutant code not in the permit or the code table");
        }
        for reading in mapped.data.readings.iter().filter(|reading| card.exceeds_limit(reading)) {
            bump(&self.stats.exceedances);
            tracing::warn!(mn, %outlet, pollutant = %reading.pollutant, value = reading.value, unit = %reading.unit, "online reading above the permitted limit");
        }
        let readings = mapped.data.readings.len() as u64;

        match self.store.update_monitor(outlet, mn, &MonitorUpdate::Data(mapped.data)) {
            Ok(MonitorWrite::Updated { version }) => {
                self.stats.readings_stored.fetch_add(readings, std::sync::atomic::Ordering::Relaxed);
                tracing::debug!(mn, %outlet, version, readings, "HJ 212 data stored");
                true
            }
            Ok(MonitorWrite::Unchanged) => true,
            Ok(MonitorWrite::NoMonitor) => {
                bump(&self.stats.unknown_mn);
                tracing::warn!(mn, %outlet, "HJ 212 monitor left its outlet card before its data was stored");
                false
            }
            Err(error) => {
                bump(&self.stats.store_errors);
                tracing::error!(mn, %outlet, %error, "HJ 212 data could not be stored");
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use outlet_hj212::{Cp, PacketFlag};
    use time::macros::datetime;

    fn card() -> OutletCard {
        crate::demo::demo_cards().into_iter().find(|card| card.monitors.iter().any(|m| m.mn == "35010000DA0010000001")).unwrap()
    }

    fn packet(cn: Command, values: Vec<PollutantValues>) -> Packet {
        Packet {
            qn: None,
            st: "31".into(),
            cn,
            pw: "123456".into(),
            mn: "35010000DA0010000001".into(),
            flag: Some(PacketFlag::V2017),
            pnum: None,
            pno: None,
            cp: Cp { data_time: Some(datetime!(2026-12-05 10:00)), pollutants: values, other: vec![] },
        }
    }

    #[test]
    fn codes_take_the_permit_names_and_units() {
        let so2 = PollutantValues { rtd: Some(30.0), zs_rtd: Some(36.0), ..PollutantValues::new("a21026") };
        let oxygen = PollutantValues { rtd: Some(6.1), ..PollutantValues::new("a19001") };
        let unknown = PollutantValues { rtd: Some(1.0), ..PollutantValues::new("a99999") };

        let mapped = map_data(&card(), &packet(Command::RealTimeData, vec![so2, oxygen, unknown]), datetime!(2026-12-05 02:00 UTC));

        let readings = &mapped.data.readings;
        assert_eq!((readings[0].pollutant.as_str(), readings[0].unit.as_str(), readings[0].value), ("二氧化硫", "mg/m³", 36.0));
        assert_eq!(readings[0].at, datetime!(2026-12-05 10:00 +8));
        assert_eq!(readings[1].pollutant, "氧气含量");
        assert_eq!(mapped.unmapped, vec!["a99999".to_string()]);
        assert!(card().exceeds_limit(&readings[0]), "36 is above the committed 35 mg/m³");
    }

    #[test]
    fn hour_data_fills_the_series() {
        let nox = PollutantValues { avg: Some(40.0), flag: Some(DataFlag::Normal), ..PollutantValues::new("a21002") };

        let mapped = map_data(&card(), &packet(Command::HourData, vec![nox]), datetime!(2026-12-05 03:00 UTC));

        assert_eq!(mapped.data.hourly.len(), 1);
        assert_eq!(mapped.data.hourly[0].pollutant, "氮氧化物");
        assert_eq!(mapped.data.readings.len(), 1);
    }

    #[test]
    fn flags_set_the_status() {
        let flagged = |flag| vec![PollutantValues { rtd: Some(1.0), flag: Some(flag), ..PollutantValues::new("a21026") }];
        let status = |flag| map_data(&card(), &packet(Command::RealTimeData, flagged(flag)), datetime!(2026-12-05 02:00 UTC)).data.status;

        assert_eq!(status(DataFlag::Normal), OnlineStatus::Online);
        assert_eq!(status(DataFlag::Fault), OnlineStatus::Fault);
        assert_eq!(status(DataFlag::CommunicationError), OnlineStatus::Fault);
        assert_eq!(status(DataFlag::Maintenance), OnlineStatus::Maintenance);
        assert_eq!(status(DataFlag::Calibration), OnlineStatus::Maintenance);
    }
}
