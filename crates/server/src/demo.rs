//! The demo registry: three fictional units with valid identifiers and limits taken from the
//! national standards each would fall under. No real company or person.

use outlet_core::card::*;
use outlet_core::ids::{OutletCode, OutletId, PermitNo, Uscc};
use outlet_core::OutletCard;
use time::macros::{date, datetime};
use time::Date;

use crate::store::{ServerStore, StoreError};

/// Name of the fictional supervising bureau printed on demo placards.
pub const DEMO_BUREAU: &str = "示例市生态环境局";

/// Loads the demo cards into `store`, keeping cards that already exist. Returns how many were added.
pub fn seed(store: &dyn ServerStore) -> Result<usize, StoreError> {
    let mut added = 0;
    for card in demo_cards() {
        if store.card(&card.outlet.id)?.is_none() {
            store.put_card(&card)?;
            added += 1;
        }
    }
    Ok(added)
}

/// Builds every demo outlet's card.
pub fn demo_cards() -> Vec<OutletCard> {
    let mut cards = power_plant();
    cards.extend(paper_mill());
    cards.extend(chemical_plant());
    cards
}

/// Makes `count` fictional outlets for benchmarks and load tests: units of three outlets each, with
/// valid identifiers, named after no real company, their limits and monitors copied from the demo
/// outlets in turn.
pub fn synthetic_cards(count: usize) -> Vec<OutletCard> {
    synthetic_cards_iter(count).collect()
}

/// Makes the outlets of [`synthetic_cards`] one at a time, so that a large registry can be written
/// without holding it in memory.
pub fn synthetic_cards_iter(count: usize) -> impl Iterator<Item = OutletCard> {
    let templates = demo_cards();
    (0..count).map(move |index| synthetic_card(&templates, index))
}

/// Builds synthetic outlet `index`, of unit `index / 3`. The unit's industry and the permit's term
/// come from the template of the unit's first outlet, so the three outlets agree on them, and every
/// monitor gets its own MN.
fn synthetic_card(templates: &[OutletCard], index: usize) -> OutletCard {
    const PLACES: [&str; 8] = ["东岸", "青溪", "海湾", "北辰", "南屿", "西岭", "松涛", "云峰"];
    const TRADES: [&str; 4] = ["热电", "纸业", "化工", "建材"];
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

    let unit_index = index / 3;
    let mut serial = String::new();
    let mut rest = unit_index;
    for _ in 0..7 {
        serial.insert(0, ALPHABET[rest % ALPHABET.len()] as char);
        rest /= ALPHABET.len();
    }

    let first = &templates[(unit_index * 3) % templates.len()];
    let mut card = templates[index % templates.len()].clone();
    let name = format!("示例{}{}第{}厂有限公司", PLACES[unit_index % PLACES.len()], TRADES[unit_index % TRADES.len()], unit_index + 1);
    card.unit = unit(&format!("91350100MB{serial}"), &name, "示例市示例区示例路", &first.unit.industry_code);
    card.permit = permit(&card.unit, first.permit.valid_from, first.permit.valid_to);
    let code = format!("{}{:03}", if card.outlet.medium == Medium::Air { "DA" } else { "DW" }, index % 3 + 1);
    card.outlet.id = outlet_id(&card.permit, &code);
    for (number, monitor) in card.monitors.iter_mut().enumerate() {
        monitor.mn = format!("35010000{code}{index:09}{number}");
    }
    card
}

/// Loads `count` synthetic outlets into `store`, keeping outlets already stored. Returns how many were added.
pub fn seed_synthetic(store: &dyn ServerStore, count: usize) -> Result<usize, StoreError> {
    let mut added = 0;
    for card in synthetic_cards_iter(count) {
        if store.card(&card.outlet.id)?.is_none() {
            store.put_card(&card)?;
            added += 1;
        }
    }
    Ok(added)
}

fn unit(first17: &str, name: &str, address: &str, industry_code: &str) -> Unit {
    Unit {
        uscc: Uscc::with_check_character(first17).expect("demo USCC prefixes use valid characters"),
        name: name.into(),
        address: address.into(),
        industry_code: industry_code.into(),
        management_class: ManagementClass::Key,
    }
}

fn permit(unit: &Unit, valid_from: Date, valid_to: Date) -> Permit {
    Permit {
        permit_no: PermitNo::parse(&format!("{}001P", unit.uscc)).expect("demo permit numbers are valid"),
        issuing_authority: DEMO_BUREAU.into(),
        issue_date: Some(valid_from),
        valid_from,
        valid_to,
        status: PermitStatus::Valid,
        version: 1,
    }
}

fn outlet_id(permit: &Permit, code: &str) -> OutletId {
    OutletId { permit_no: permit.permit_no.clone(), outlet_code: OutletCode::parse(code).expect("demo outlet codes are valid") }
}

fn limit(pollutant: &str, hj212: Option<&str>, value: f64, unit: &str, annual_t: &[f64], standard: &str) -> PermitLimit {
    PermitLimit {
        pollutant: pollutant.into(),
        hj212_code: hj212.map(Into::into),
        hourly: Some(LimitValue::Numeric { value, unit: unit.into() }),
        daily: None,
        committed: None,
        rate_kg_per_h: None,
        annual_t: annual_t.to_vec(),
        standard: standard.into(),
    }
}

/// Adds the stricter kinds of limit to a demo limit, in the same unit as its hourly limit.
trait Stricter {
    fn committed(self, value: f64) -> Self;
    fn daily(self, value: f64) -> Self;
}

impl Stricter for PermitLimit {
    fn committed(mut self, value: f64) -> Self {
        let unit = self.hourly.as_ref().and_then(LimitValue::numeric).map(|(_, unit)| unit.to_string()).unwrap_or_default();
        self.committed = Some(LimitValue::Numeric { value, unit });
        self
    }

    fn daily(mut self, value: f64) -> Self {
        let unit = self.hourly.as_ref().and_then(LimitValue::numeric).map(|(_, unit)| unit.to_string()).unwrap_or_default();
        self.daily = Some(LimitValue::Numeric { value, unit });
        self
    }
}

fn text_limit(pollutant: &str, text: &str, standard: &str) -> PermitLimit {
    PermitLimit {
        pollutant: pollutant.into(),
        hj212_code: None,
        hourly: Some(LimitValue::Text(text.into())),
        daily: None,
        committed: None,
        rate_kg_per_h: None,
        annual_t: Vec::new(),
        standard: standard.into(),
    }
}

fn duty(pollutant: &str, mode: MonitoringMode, frequency: &str, method: &str) -> MonitoringRequirement {
    MonitoringRequirement {
        pollutant: pollutant.into(),
        mode,
        networked: mode == MonitoringMode::Automatic,
        frequency: frequency.into(),
        method_standard: method.into(),
    }
}

fn reading(pollutant: &str, value: f64, unit: &str, flag: &str, at: time::OffsetDateTime) -> Reading {
    Reading { pollutant: pollutant.into(), value, unit: unit.into(), flag: flag.into(), at }
}

/// Makes 24 hourly values ending at `last`, swinging around `mean` by `swing` (a fixed pattern, so
/// the demo looks the same every time), with `peak` at hour 18 of 24 when given.
fn day_of_hours(pollutant: &str, unit: &str, last: time::OffsetDateTime, mean: f64, swing: f64, peak: Option<f64>) -> HourlySeries {
    const PATTERN: [f64; 24] = [
        -0.6, -0.8, -0.9, -1.0, -0.7, -0.3, 0.2, 0.6, 0.9, 1.0, 0.8, 0.5, 0.3, 0.4, 0.6, 0.7, 0.5, 0.2, 0.0, -0.1, -0.3, -0.4, -0.5, -0.6,
    ];
    let values = PATTERN
        .iter()
        .enumerate()
        .map(|(hour, shape)| {
            let value = if hour == 18 { peak.unwrap_or(mean + shape * swing) } else { mean + shape * swing };
            HourlyValue { at: last - time::Duration::hours(23 - hour as i64), value: (value * 10.0).round() / 10.0, flag: "N".into() }
        })
        .collect();
    HourlySeries { pollutant: pollutant.into(), unit: unit.into(), values }
}

/// Builds the demo city's heating-season heavy-pollution-weather response: stricter limits from
/// 15 November to 15 March.
fn heating_season(pollutant: &str, value: f64, daily_kg: f64) -> SpecialPeriodLimit {
    SpecialPeriodLimit {
        name: "采暖季重污染天气应急响应（橙色及以上预警）".into(),
        starts: date!(2026 - 11 - 15),
        ends: date!(2027 - 03 - 15),
        pollutant: pollutant.into(),
        concentration: Some(LimitValue::Numeric { value, unit: "mg/m³".into() }),
        daily_kg: Some(daily_kg),
        monthly_t: None,
    }
}

/// Builds a coal-fired power plant with two boiler stacks and a coal-yard outlet (GB 13223-2011).
fn power_plant() -> Vec<OutletCard> {
    let unit = unit("91350100MA2XY0012", "示例东岸热电有限公司", "示例市东岸区滨江路 88 号", "D4411");
    let permit = permit(&unit, date!(2023 - 06 - 01), date!(2028 - 05 - 31));
    const STD: &str = "GB 13223-2011";
    let boiler_limits = |share: f64| {
        vec![
            limit("烟尘", Some("a34013"), 20.0, "mg/m³", &[120.0 * share; 5], STD).committed(10.0),
            limit("二氧化硫", Some("a21026"), 50.0, "mg/m³", &[300.0 * share; 5], STD).committed(35.0),
            limit("氮氧化物", Some("a21002"), 100.0, "mg/m³", &[600.0 * share; 5], STD).committed(50.0),
            limit("汞及其化合物", None, 0.03, "mg/m³", &[], STD),
            text_limit("烟气黑度（林格曼黑度）", "1级", STD),
        ]
    };
    let boiler_duties = vec![
        duty("烟尘", MonitoringMode::Automatic, "自动监测", "HJ 75-2017"),
        duty("二氧化硫", MonitoringMode::Automatic, "自动监测", "HJ 75-2017"),
        duty("氮氧化物", MonitoringMode::Automatic, "自动监测", "HJ 75-2017"),
        duty("汞及其化合物", MonitoringMode::Manual, "1次/季度", "HJ 543-2009"),
        duty("烟气黑度（林格曼黑度）", MonitoringMode::Manual, "1次/季度", "HJ/T 398-2007"),
    ];
    let enforcement = vec![EnforcementAction {
        date: date!(2026 - 03 - 12),
        kind: EnforcementKind::Inspection,
        result: "双随机检查，未发现违法行为".into(),
        legal_article: None,
        decision_no: None,
        fine_yuan: None,
        status: Some("已结案".into()),
        public: true,
        internal_note: None,
    }];

    let stack = |code: &str, name: &str, lon: f64, lat: f64, monitor: OnlineMonitor| OutletCard {
        version: 1,
        unit: unit.clone(),
        permit: permit.clone(),
        outlet: Outlet {
            id: outlet_id(&permit, code),
            name: name.into(),
            medium: Medium::Air,
            kind: OutletKind::Main,
            longitude: lon,
            latitude: lat,
            stack_height_m: Some(180.0),
            stack_diameter_m: Some(6.5),
            receiving_water: None,
            discharge_mode: None,
        },
        limits: boiler_limits(0.5),
        special_periods: vec![heating_season("二氧化硫", 25.0, 360.0), heating_season("氮氧化物", 40.0, 720.0)],
        monitoring: boiler_duties.clone(),
        monitors: vec![monitor],
        enforcement: enforcement.clone(),
        placard_serial: None,
    };

    let at = datetime!(2026-12-04 08:00 +8);
    let online = OnlineMonitor {
        mn: "35010000DA0010000001".into(),
        pollutants: vec!["烟尘".into(), "二氧化硫".into(), "氮氧化物".into()],
        status: OnlineStatus::Online,
        last_seen: Some(at),
        latest: vec![
            reading("烟尘", 4.2, "mg/m³", "N", at),
            reading("二氧化硫", 18.5, "mg/m³", "N", at),
            reading("氮氧化物", 36.0, "mg/m³", "N", at),
        ],
        hourly: vec![
            day_of_hours("烟尘", "mg/m³", at, 4.5, 1.2, None),
            day_of_hours("二氧化硫", "mg/m³", at, 19.0, 4.0, Some(38.2)),
            day_of_hours("氮氧化物", "mg/m³", at, 38.0, 6.0, None),
        ],
    };
    let fault = OnlineMonitor {
        mn: "35010000DA0020000001".into(),
        pollutants: vec!["烟尘".into(), "二氧化硫".into(), "氮氧化物".into()],
        status: OnlineStatus::Fault,
        last_seen: Some(datetime!(2026-12-03 21:00 +8)),
        latest: vec![reading("二氧化硫", 0.0, "mg/m³", "D", datetime!(2026-12-03 21:00 +8))],
        hourly: Vec::new(),
    };

    let mut coal_yard = stack("DA003", "输煤系统除尘器排放口", 119.3412, 26.0791, OnlineMonitor {
        mn: "35010000DA0030000001".into(),
        pollutants: vec!["颗粒物".into()],
        status: OnlineStatus::Offline,
        last_seen: None,
        latest: Vec::new(),
        hourly: Vec::new(),
    });
    coal_yard.outlet.kind = OutletKind::General;
    coal_yard.outlet.stack_height_m = Some(25.0);
    coal_yard.outlet.stack_diameter_m = Some(0.8);
    coal_yard.special_periods.clear();
    coal_yard.limits = vec![limit("颗粒物", Some("a34000"), 120.0, "mg/m³", &[], "GB 16297-1996")];
    coal_yard.monitoring = vec![duty("颗粒物", MonitoringMode::Manual, "1次/半年", "HJ 836-2017")];
    coal_yard.monitors.clear();

    vec![
        stack("DA001", "1#锅炉烟气排放口", 119.3401, 26.0802, online),
        stack("DA002", "2#锅炉烟气排放口", 119.3405, 26.0804, fault),
        coal_yard,
    ]
}

/// Builds a paper mill with one wastewater outlet (GB 3544-2008), an exceedance penalty on record.
fn paper_mill() -> Vec<OutletCard> {
    let unit = unit("91350100MA3KP0028", "示例青溪纸业有限公司", "示例市青溪县工业园区纸业路 6 号", "C2221");
    let permit = permit(&unit, date!(2022 - 09 - 15), date!(2027 - 09 - 14));
    const STD: &str = "GB 3544-2008";
    let at = datetime!(2026-12-02 23:00 +8);

    vec![OutletCard {
        version: 1,
        unit: unit.clone(),
        permit: permit.clone(),
        outlet: Outlet {
            id: outlet_id(&permit, "DW001"),
            name: "废水总排放口".into(),
            medium: Medium::Water,
            kind: OutletKind::Main,
            longitude: 119.1203,
            latitude: 26.2311,
            stack_height_m: None,
            stack_diameter_m: None,
            receiving_water: Some("青溪（虚构水体）".into()),
            discharge_mode: Some(DischargeMode::Direct),
        },
        limits: vec![
            limit("化学需氧量", Some("w01018"), 90.0, "mg/L", &[180.0; 5], STD).daily(80.0),
            limit("氨氮", Some("w21003"), 8.0, "mg/L", &[16.0; 5], STD),
            limit("总磷", Some("w21011"), 0.8, "mg/L", &[1.6; 5], STD),
            limit("总氮", Some("w21001"), 12.0, "mg/L", &[24.0; 5], STD),
            limit("悬浮物", None, 30.0, "mg/L", &[], STD),
            text_limit("pH值", "6～9（无量纲）", STD),
        ],
        special_periods: Vec::new(),
        monitoring: vec![
            duty("化学需氧量", MonitoringMode::Automatic, "自动监测", "HJ 377-2019"),
            duty("氨氮", MonitoringMode::Automatic, "自动监测", "HJ 101-2019"),
            duty("总磷", MonitoringMode::Automatic, "自动监测", "HJ 101-2019"),
            duty("悬浮物", MonitoringMode::Manual, "1次/周", "GB/T 11901-1989"),
        ],
        monitors: vec![OnlineMonitor {
            mn: "35010000DW0010000001".into(),
            pollutants: vec!["化学需氧量".into(), "氨氮".into(), "总磷".into()],
            status: OnlineStatus::Offline,
            last_seen: Some(at),
            latest: vec![reading("化学需氧量", 96.0, "mg/L", "N", at), reading("氨氮", 3.1, "mg/L", "N", at)],
            hourly: vec![day_of_hours("化学需氧量", "mg/L", at, 82.0, 9.0, Some(96.0)), day_of_hours("氨氮", "mg/L", at, 3.0, 0.6, None)],
        }],
        enforcement: vec![
            EnforcementAction {
                date: date!(2025 - 08 - 20),
                kind: EnforcementKind::Penalty,
                result: "化学需氧量超标排放，责令改正并处罚款".into(),
                legal_article: Some("《排污许可管理条例》第三十四条".into()),
                decision_no: Some("示环罚〔2025〕31号".into()),
                fine_yuan: Some(200_000),
                status: Some("已执行".into()),
                public: true,
                internal_note: None,
            },
            EnforcementAction {
                date: date!(2025 - 08 - 06),
                kind: EnforcementKind::Inspection,
                result: "现场采样，移交立案".into(),
                legal_article: None,
                decision_no: None,
                fine_yuan: None,
                status: Some("已立案".into()),
                public: false,
                internal_note: Some("内部记录：COD 128 mg/L，样品编号 S-2025-0806-01".into()),
            },
        ],
        placard_serial: None,
    }]
}

/// Builds a fine-chemicals plant with a VOCs outlet after its thermal oxidiser (GB 31571-2015).
fn chemical_plant() -> Vec<OutletCard> {
    let unit = unit("91350100MA4HC0035", "示例海湾精细化工有限公司", "示例市海湾新区化工园区 12 号", "C2614");
    // Expires soon after the demo's date, so the card shows the expiry warning.
    let permit = permit(&unit, date!(2022 - 01 - 10), date!(2027 - 01 - 09));
    const STD: &str = "GB 31571-2015";
    let at = datetime!(2026-12-04 08:00 +8);

    vec![OutletCard {
        version: 1,
        unit: unit.clone(),
        permit: permit.clone(),
        outlet: Outlet {
            id: outlet_id(&permit, "DA001"),
            name: "RTO焚烧装置排放口".into(),
            medium: Medium::Air,
            kind: OutletKind::Main,
            longitude: 119.5521,
            latitude: 25.9632,
            stack_height_m: Some(30.0),
            stack_diameter_m: Some(1.2),
            receiving_water: None,
            discharge_mode: None,
        },
        limits: vec![
            limit("非甲烷总烃", Some("a24088"), 120.0, "mg/m³", &[12.5; 5], STD),
            limit("苯", None, 4.0, "mg/m³", &[], STD),
            limit("甲苯", None, 15.0, "mg/m³", &[], STD),
            text_limit("臭气浓度", "2000（无量纲）", "GB 14554-93"),
        ],
        special_periods: Vec::new(),
        monitoring: vec![
            duty("非甲烷总烃", MonitoringMode::Automatic, "自动监测", "HJ 1013-2018"),
            duty("苯", MonitoringMode::Manual, "1次/月", "HJ 734-2014"),
            duty("甲苯", MonitoringMode::Manual, "1次/月", "HJ 734-2014"),
            duty("臭气浓度", MonitoringMode::Manual, "1次/季度", "HJ 1262-2022"),
        ],
        monitors: vec![OnlineMonitor {
            mn: "35010000DA0010000003".into(),
            pollutants: vec!["非甲烷总烃".into()],
            status: OnlineStatus::Online,
            last_seen: Some(at),
            latest: vec![reading("非甲烷总烃", 35.4, "mg/m³", "N", at)],
            hourly: vec![day_of_hours("非甲烷总烃", "mg/m³", at, 34.0, 8.0, None)],
        }],
        enforcement: Vec::new(),
        placard_serial: None,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_ids_are_valid_and_distinct() {
        let cards = synthetic_cards(1000);
        let mut ids: Vec<String> = cards.iter().map(|c| c.outlet.id.to_string()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 1000);
        for card in &cards {
            assert_eq!(card.permit.permit_no.uscc(), card.unit.uscc);
            assert_eq!(card.outlet.id.outlet_code.is_air(), card.outlet.medium == Medium::Air);
        }
    }

    #[test]
    fn synthetic_units_agree_mns_differ() {
        let cards = synthetic_cards(30);

        for outlets_of_unit in cards.chunks(3) {
            let first = &outlets_of_unit[0];
            assert!(outlets_of_unit.iter().all(|card| card.unit == first.unit), "{}", first.unit.uscc);
            assert!(outlets_of_unit.iter().all(|card| card.permit == first.permit), "{}", first.permit.permit_no);
        }
        let mut mns: Vec<&str> = cards.iter().flat_map(|card| card.monitors.iter().map(|monitor| monitor.mn.as_str())).collect();
        let count = mns.len();
        mns.sort();
        mns.dedup();
        assert_eq!(mns.len(), count, "every MN is unique");
        assert!(mns.iter().all(|mn| mn.len() <= 24));
    }

    #[test]
    fn demo_ids_are_valid_and_distinct() {
        let cards = demo_cards();
        let mut ids: Vec<String> = cards.iter().map(|c| c.outlet.id.to_string()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), cards.len());
        for card in &cards {
            assert_eq!(card.permit.permit_no.uscc(), card.unit.uscc);
        }
    }
}
