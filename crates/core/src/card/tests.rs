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
        permit: Permit { permit_no: permit_no.clone(), issuing_authority: "示例局".into(), valid_from: date!(2023 - 01 - 01), valid_to, status },
        outlet: Outlet {
            id: format!("{permit_no}-DA001").parse().unwrap(),
            name: "1#".into(),
            medium: Medium::Air,
            kind: OutletKind::Main,
            longitude: 119.0,
            latitude: 26.0,
            stack_height_m: None,
            receiving_water: None,
        },
        limits: vec![PermitLimit {
            pollutant: "二氧化硫".into(),
            hj212_code: Some("a21026".into()),
            concentration: LimitValue::Numeric { value: 50.0, unit: "mg/m³".into() },
            rate_kg_per_h: None,
            annual_t: vec![],
            standard: "GB 13223-2011".into(),
        }],
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
