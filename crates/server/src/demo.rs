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
    const PLACES: [&str; 8] = ["东岸", "青溪", "海湾", "北辰", "南屿", "西岭", "松涛", "云峰"];
    const TRADES: [&str; 4] = ["热电", "纸业", "化工", "建材"];
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

    let templates = demo_cards();
    let mut cards = Vec::with_capacity(count);
    for index in 0..count {
        let unit_index = index / 3;
        let mut serial = String::new();
        let mut rest = unit_index;
        for _ in 0..7 {
            serial.insert(0, ALPHABET[rest % ALPHABET.len()] as char);
            rest /= ALPHABET.len();
        }

        let mut card = templates[index % templates.len()].clone();
        let name = format!("示例{}{}第{}厂有限公司", PLACES[unit_index % PLACES.len()], TRADES[unit_index % TRADES.len()], unit_index + 1);
        card.unit = unit(&format!("91350100MB{serial}"), &name, "示例市示例区示例路", &card.unit.industry_code);
        card.permit = permit(&card.unit, card.permit.valid_from, card.permit.valid_to);
        let code = format!("{}{:03}", if card.outlet.medium == Medium::Air { "DA" } else { "DW" }, index % 3 + 1);
        card.outlet.id = outlet_id(&card.permit, &code);
        cards.push(card);
    }
    cards
}

/// Loads `count` synthetic outlets into `store`, keeping outlets already stored. Returns how many were added.
pub fn seed_synthetic(store: &dyn ServerStore, count: usize) -> Result<usize, StoreError> {
    let mut added = 0;
    for card in synthetic_cards(count) {
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
        valid_from,
        valid_to,
        status: PermitStatus::Valid,
    }
}

fn outlet_id(permit: &Permit, code: &str) -> OutletId {
    OutletId { permit_no: permit.permit_no.clone(), outlet_code: OutletCode::parse(code).expect("demo outlet codes are valid") }
}

fn limit(pollutant: &str, hj212: Option<&str>, value: f64, unit: &str, annual_t: &[f64], standard: &str) -> PermitLimit {
    PermitLimit {
        pollutant: pollutant.into(),
        hj212_code: hj212.map(Into::into),
        concentration: LimitValue::Numeric { value, unit: unit.into() },
        rate_kg_per_h: None,
        annual_t: annual_t.to_vec(),
        standard: standard.into(),
    }
}

fn text_limit(pollutant: &str, text: &str, standard: &str) -> PermitLimit {
    PermitLimit {
        pollutant: pollutant.into(),
        hj212_code: None,
        concentration: LimitValue::Text(text.into()),
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

/// Builds a coal-fired power plant with two boiler stacks and a coal-yard outlet (GB 13223-2011).
fn power_plant() -> Vec<OutletCard> {
    let unit = unit("91350100MA2XY0012", "示例东岸热电有限公司", "示例市东岸区滨江路 88 号", "D4411");
    let permit = permit(&unit, date!(2023 - 06 - 01), date!(2028 - 05 - 31));
    const STD: &str = "GB 13223-2011";
    let boiler_limits = |share: f64| {
        vec![
            limit("烟尘", Some("a34013"), 20.0, "mg/m³", &[120.0 * share; 5], STD),
            limit("二氧化硫", Some("a21026"), 50.0, "mg/m³", &[300.0 * share; 5], STD),
            limit("氮氧化物", Some("a21002"), 100.0, "mg/m³", &[600.0 * share; 5], STD),
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
        public: true,
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
            receiving_water: None,
        },
        limits: boiler_limits(0.5),
        monitoring: boiler_duties.clone(),
        monitors: vec![monitor],
        enforcement: enforcement.clone(),
        placard_serial: None,
    };

    let at = datetime!(2026-12-04 08:00 +8);
    let online = OnlineMonitor {
        mn: "35010000DA0010000001".into(),
        status: OnlineStatus::Online,
        last_seen: Some(at),
        latest: vec![
            reading("烟尘", 4.2, "mg/m³", "N", at),
            reading("二氧化硫", 18.5, "mg/m³", "N", at),
            reading("氮氧化物", 36.0, "mg/m³", "N", at),
        ],
    };
    let fault = OnlineMonitor {
        mn: "35010000DA0020000001".into(),
        status: OnlineStatus::Fault,
        last_seen: Some(datetime!(2026-12-03 21:00 +8)),
        latest: vec![reading("二氧化硫", 0.0, "mg/m³", "D", datetime!(2026-12-03 21:00 +8))],
    };

    let mut coal_yard = stack("DA003", "输煤系统除尘器排放口", 119.3412, 26.0791, OnlineMonitor {
        mn: "35010000DA0030000001".into(),
        status: OnlineStatus::Offline,
        last_seen: None,
        latest: Vec::new(),
    });
    coal_yard.outlet.kind = OutletKind::General;
    coal_yard.outlet.stack_height_m = Some(25.0);
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
            receiving_water: Some("直接排放：青溪（虚构水体）".into()),
        },
        limits: vec![
            limit("化学需氧量", Some("w01018"), 90.0, "mg/L", &[180.0; 5], STD),
            limit("氨氮", Some("w21003"), 8.0, "mg/L", &[16.0; 5], STD),
            limit("总磷", Some("w21011"), 0.8, "mg/L", &[1.6; 5], STD),
            limit("总氮", Some("w21001"), 12.0, "mg/L", &[24.0; 5], STD),
            limit("悬浮物", None, 30.0, "mg/L", &[], STD),
            text_limit("pH值", "6～9（无量纲）", STD),
        ],
        monitoring: vec![
            duty("化学需氧量", MonitoringMode::Automatic, "自动监测", "HJ 377-2019"),
            duty("氨氮", MonitoringMode::Automatic, "自动监测", "HJ 101-2019"),
            duty("总磷", MonitoringMode::Automatic, "自动监测", "HJ 101-2019"),
            duty("悬浮物", MonitoringMode::Manual, "1次/周", "GB/T 11901-1989"),
        ],
        monitors: vec![OnlineMonitor {
            mn: "35010000DW0010000001".into(),
            status: OnlineStatus::Offline,
            last_seen: Some(at),
            latest: vec![reading("化学需氧量", 96.0, "mg/L", "N", at), reading("氨氮", 3.1, "mg/L", "N", at)],
        }],
        enforcement: vec![
            EnforcementAction {
                date: date!(2025 - 08 - 20),
                kind: EnforcementKind::Penalty,
                result: "化学需氧量超标排放，责令改正并处罚款".into(),
                legal_article: Some("《排污许可管理条例》第三十四条".into()),
                decision_no: Some("示环罚〔2025〕31号".into()),
                fine_yuan: Some(200_000),
                public: true,
            },
            EnforcementAction {
                date: date!(2025 - 08 - 06),
                kind: EnforcementKind::Inspection,
                result: "内部记录：现场采样，COD 128 mg/L，移交立案".into(),
                legal_article: None,
                decision_no: None,
                fine_yuan: None,
                public: false,
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
            receiving_water: None,
        },
        limits: vec![
            limit("非甲烷总烃", Some("a24088"), 120.0, "mg/m³", &[12.5; 5], STD),
            limit("苯", None, 4.0, "mg/m³", &[], STD),
            limit("甲苯", None, 15.0, "mg/m³", &[], STD),
            text_limit("臭气浓度", "2000（无量纲）", "GB 14554-93"),
        ],
        monitoring: vec![
            duty("非甲烷总烃", MonitoringMode::Automatic, "自动监测", "HJ 1013-2018"),
            duty("苯", MonitoringMode::Manual, "1次/月", "HJ 734-2014"),
            duty("甲苯", MonitoringMode::Manual, "1次/月", "HJ 734-2014"),
            duty("臭气浓度", MonitoringMode::Manual, "1次/季度", "HJ 1262-2022"),
        ],
        monitors: vec![OnlineMonitor {
            mn: "35010000DA0010000003".into(),
            status: OnlineStatus::Online,
            last_seen: Some(at),
            latest: vec![reading("非甲烷总烃", 35.4, "mg/m³", "N", at)],
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
