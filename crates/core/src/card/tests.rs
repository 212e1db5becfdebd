use time::macros::{date, datetime};

use super::*;

fn card(status: PermitStatus, valid_to: Date) -> OutletCard {
    let uscc = Uscc::with_check_character("91350100MA2XY0012").unwrap();
    let permit_no = PermitNo::parse(&format!("{uscc}001P")).unwrap();
    OutletCard {
        version: 1,
        unit: Unit {
            uscc: uscc.clone(),
            name: "示例单位".into(),
            address: String::new(),
            industry_code: "D4411".into(),
            management_class: ManagementClass::Key,
        },
        permit: Permit {
            permit_no: permit_no.clone(),
            issuing_authority: "示例局".into(),
            issue_date: None,
            valid_from: date!(2023 - 01 - 01),
            valid_to,
            status,
            version: 1,
        },
        outlet: Outlet {
            id: format!("{permit_no}-DA001").parse().unwrap(),
            name: "1#".into(),
            medium: Medium::Air,
            kind: OutletKind::Main,
            longitude: 119.0,
            latitude: 26.0,
            stack_height_m: None,
            stack_diameter_m: None,
            receiving_water: None,
            discharge_mode: None,
        },
        limits: vec![PermitLimit {
            pollutant: "二氧化硫".into(),
            hj212_code: Some("a21026".into()),
            hourly: Some(LimitValue::Numeric { value: 50.0, unit: "mg/m³".into() }),
            daily: None,
            committed: None,
            rate_kg_per_h: None,
            annual_t: vec![],
            standard: "GB 13223-2011".into(),
        }],
        special_periods: vec![],
        monitoring: vec![],
        monitors: vec![],
        enforcement: vec![],
        placard_serial: None,
    }
}

fn reading(value: f64, unit: &str) -> Reading {
    Reading { pollutant: "二氧化硫".into(), value, unit: unit.into(), flag: "N".into(), at: datetime!(2026-12-04 08:00 +8) }
}

#[test]
fn permit_alerts_by_date_and_status() {
    let today = date!(2026 - 12 - 04);
    assert_eq!(card(PermitStatus::Valid, date!(2028 - 05 - 31)).permit_alert(today), None);
    assert_eq!(
        card(PermitStatus::Valid, date!(2027 - 01 - 03)).permit_alert(today),
        Some(PermitAlert::ExpiringSoon { valid_to: date!(2027 - 01 - 03), days_left: 30 })
    );
    assert_eq!(
        card(PermitStatus::Valid, date!(2026 - 12 - 03)).permit_alert(today),
        Some(PermitAlert::Expired { valid_to: date!(2026 - 12 - 03) })
    );
    assert_eq!(card(PermitStatus::Revoked, date!(2028 - 05 - 31)).permit_alert(today), Some(PermitAlert::Revoked));
    assert_eq!(card(PermitStatus::Cancelled, date!(2028 - 05 - 31)).permit_alert(today), Some(PermitAlert::Cancelled));
}

#[test]
fn exceedance_compares_same_unit_only() {
    let card = card(PermitStatus::Valid, date!(2028 - 05 - 31));
    assert!(card.exceeds_limit(&reading(51.0, "mg/m³")));
    assert!(!card.exceeds_limit(&reading(50.0, "mg/m³")));
    assert!(!card.exceeds_limit(&reading(80.0, "kg/h")));
}

#[test]
fn committed_limit_binds_over_hourly() {
    let mut card = card(PermitStatus::Valid, date!(2028 - 05 - 31));
    card.limits[0].committed = Some(LimitValue::Numeric { value: 35.0, unit: "mg/m³".into() });

    assert!(card.exceeds_limit(&reading(36.0, "mg/m³")));
    assert!(!card.exceeds_limit(&reading(35.0, "mg/m³")));
}

#[test]
fn special_period_in_force_includes_both_ends() {
    let mut card = card(PermitStatus::Valid, date!(2028 - 05 - 31));
    card.special_periods.push(SpecialPeriodLimit {
        name: "重污染天气橙色预警".into(),
        starts: date!(2026 - 12 - 01),
        ends: date!(2026 - 12 - 04),
        pollutant: "二氧化硫".into(),
        concentration: Some(LimitValue::Numeric { value: 35.0, unit: "mg/m³".into() }),
        daily_kg: Some(120.0),
        monthly_t: None,
    });

    assert_eq!(card.special_periods_in_force(date!(2026 - 12 - 01)).count(), 1);
    assert_eq!(card.special_periods_in_force(date!(2026 - 12 - 04)).count(), 1);
    assert_eq!(card.special_periods_in_force(date!(2026 - 12 - 05)).count(), 0);
}

#[test]
fn public_view_drops_internal_records_and_notes() {
    let mut card = card(PermitStatus::Valid, date!(2028 - 05 - 31));
    let action = |public: bool| EnforcementAction {
        date: date!(2026 - 03 - 01),
        kind: EnforcementKind::Inspection,
        result: "未发现问题".into(),
        legal_article: None,
        decision_no: None,
        fine_yuan: None,
        status: None,
        public,
        internal_note: Some("内部备注".into()),
    };
    card.enforcement = vec![action(true), action(false)];

    let public = card.public_view();

    assert_eq!(public.enforcement.len(), 1);
    assert_eq!(public.enforcement[0].internal_note, None);
}

#[test]
fn enforcement_sorted_newest_first() {
    let mut card = card(PermitStatus::Valid, date!(2028 - 05 - 31));
    let action = |date: Date, result: &str| EnforcementAction {
        date,
        kind: EnforcementKind::Inspection,
        result: result.into(),
        legal_article: None,
        decision_no: None,
        fine_yuan: None,
        status: None,
        public: true,
        internal_note: None,
    };
    card.enforcement = vec![
        action(date!(2024 - 05 - 01), "oldest"),
        action(date!(2026 - 03 - 12), "newest"),
        action(date!(2025 - 08 - 20), "middle, first"),
        action(date!(2025 - 08 - 20), "middle, second"),
    ];

    let results: Vec<&str> = card.enforcement_newest_first().iter().map(|action| action.result.as_str()).collect();

    assert_eq!(results, ["newest", "middle, first", "middle, second", "oldest"]);
}

#[test]
fn binding_kind_prefers_committed() {
    let card = card(PermitStatus::Valid, date!(2028 - 05 - 31));
    let mut limit = card.limits[0].clone();
    assert_eq!(limit.binding_kind(), Some(ConcentrationKind::Hourly));

    limit.committed = Some(LimitValue::Numeric { value: 35.0, unit: "mg/m³".into() });
    assert_eq!(limit.binding_kind(), Some(ConcentrationKind::Committed));

    limit.committed = None;
    limit.hourly = None;
    assert_eq!(limit.binding_kind(), None);
    limit.daily = Some(LimitValue::Numeric { value: 40.0, unit: "mg/m³".into() });
    assert_eq!(limit.binding_kind(), Some(ConcentrationKind::Daily));
}

#[test]
fn special_periods_grouped_by_name_and_dates() {
    let mut card = card(PermitStatus::Valid, date!(2028 - 05 - 31));
    let period = |name: &str, pollutant: &str, starts: Date| SpecialPeriodLimit {
        name: name.into(),
        starts,
        ends: date!(2027 - 03 - 15),
        pollutant: pollutant.into(),
        concentration: None,
        daily_kg: None,
        monthly_t: None,
    };
    card.special_periods = vec![
        period("采暖季", "二氧化硫", date!(2026 - 11 - 15)),
        period("重污染天气", "二氧化硫", date!(2027 - 01 - 01)),
        period("采暖季", "氮氧化物", date!(2026 - 11 - 15)),
        period("采暖季", "烟尘", date!(2026 - 12 - 01)),
    ];

    let groups: Vec<Vec<&str>> =
        card.special_periods_grouped().iter().map(|group| group.iter().map(|limit| limit.pollutant.as_str()).collect()).collect();

    assert_eq!(groups, [vec!["二氧化硫", "氮氧化物"], vec!["二氧化硫"], vec!["烟尘"]]);
    assert_eq!(card.special_period_names_in_force(date!(2026 - 12 - 04)), ["采暖季"]);
    assert_eq!(card.special_period_names_in_force(date!(2027 - 01 - 02)), ["采暖季", "重污染天气"]);
}
