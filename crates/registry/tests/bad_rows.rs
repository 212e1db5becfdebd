//! One test per kind of bad row: each changes the valid fixture in one place, writes it as CSV files
//! and as a workbook, and checks that the problem names the file, sheet, row, column and value.

mod common;

use common::{expected_place, other_uscc, Fixture, FORMATS, PERMIT, USCC};
use outlet_core::ids::IdError;
use outlet_registry::{read_registry, ProblemKind, Table};

/// Where a problem is expected: the table, the row (header = 1), the column header and the value.
struct Expected<'a> {
    table: Table,
    row: Option<u32>,
    column: &'a str,
    value: Option<&'a str>,
}

/// Reads `fixture` in each format and checks that a problem matching `kind` is at `expected`, and
/// that the permit with the bad row is held back.
fn assert_problem(fixture: &Fixture, expected: Expected, kind: impl Fn(&ProblemKind) -> bool) {
    for format in FORMATS {
        let dir = tempfile::tempdir().unwrap();
        let written = fixture.write(format, dir.path());

        let registry = read_registry(std::slice::from_ref(&written));

        let problem = registry.problems.iter().find(|problem| kind(&problem.kind));
        let problem = problem.unwrap_or_else(|| panic!("{format:?}: expected problem not among {:#?}", registry.problems));
        let (file, sheet) = expected_place(format, &written, expected.table);
        assert_eq!(problem.location.file, file, "{format:?}: file");
        assert_eq!(problem.location.sheet, sheet, "{format:?}: sheet");
        assert_eq!(problem.location.row, expected.row, "{format:?}: row");
        assert_eq!(problem.location.column.as_deref(), Some(expected.column), "{format:?}: column");
        assert_eq!(problem.location.value.as_deref(), expected.value, "{format:?}: value");
        assert!(!registry.cards.iter().any(|card| card.permit.permit_no.as_str() == PERMIT), "{format:?}: the permit's cards must be held back");
        assert!(registry.complete_permits.is_empty(), "{format:?}: no permit is complete");
    }
}

#[test]
fn uscc_with_wrong_check_character() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Units, 2, "统一社会信用代码", "91350100M000100Y44");

    let expected = Expected { table: Table::Units, row: Some(2), column: "统一社会信用代码", value: Some("91350100M000100Y44") };
    assert_problem(&fixture, expected, |kind| matches!(kind, ProblemKind::InvalidId(IdError::UsccCheck { found: '4', expected: '3', .. })));
}

#[test]
fn permit_number_of_another_unit() {
    let mut fixture = Fixture::valid();
    let foreign = format!("{}001P", other_uscc());
    fixture.set(Table::Permits, 2, "许可证编号", &foreign);

    let expected = Expected { table: Table::Permits, row: Some(2), column: "许可证编号", value: Some(&foreign) };
    assert_problem(&fixture, expected, |kind| matches!(kind, ProblemKind::PermitOfOtherUnit { uscc } if uscc == USCC));
}

#[test]
fn outlet_code_of_wrong_shape() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Outlets, 2, "排放口编号", "DX001");

    let expected = Expected { table: Table::Outlets, row: Some(2), column: "排放口编号", value: Some("DX001") };
    assert_problem(&fixture, expected, |kind| matches!(kind, ProblemKind::InvalidId(IdError::OutletCode { .. })));
}

#[test]
fn outlet_code_against_medium() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Outlets, 3, "排放介质", "废气");

    let expected = Expected { table: Table::Outlets, row: Some(3), column: "排放口编号", value: Some("DW001") };
    assert_problem(&fixture, expected, |kind| matches!(kind, ProblemKind::OutletCodeMedium { .. }));
}

#[test]
fn unknown_unit_of_measure() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Limits, 2, "浓度单位", "mg/kg");

    let expected = Expected { table: Table::Limits, row: Some(2), column: "浓度单位", value: Some("mg/kg") };
    assert_problem(&fixture, expected, |kind| matches!(kind, ProblemKind::UnknownMeasure { expected } if expected.contains("mg/m³")));
}

#[test]
fn water_unit_on_air_outlet() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Limits, 2, "浓度单位", "mg/L");

    let expected = Expected { table: Table::Limits, row: Some(2), column: "浓度单位", value: Some("mg/L") };
    assert_problem(&fixture, expected, |kind| matches!(kind, ProblemKind::MeasureMedium { .. }));
}

#[test]
fn negative_annual_amount() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Limits, 2, "第1年许可排放量(t/a)", "-150");

    let expected = Expected { table: Table::Limits, row: Some(2), column: "第1年许可排放量(t/a)", value: Some("-150") };
    assert_problem(&fixture, expected, |kind| *kind == ProblemKind::Negative);
}

#[test]
fn unreadable_date() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Permits, 2, "有效期止", "2028-02-30");

    let expected = Expected { table: Table::Permits, row: Some(2), column: "有效期止", value: Some("2028-02-30") };
    assert_problem(&fixture, expected, |kind| *kind == ProblemKind::InvalidDate);
}

#[test]
fn valid_from_after_valid_to() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Permits, 2, "有效期起", "2029-01-01");

    let expected = Expected { table: Table::Permits, row: Some(2), column: "有效期止", value: Some("2028-05-31") };
    assert_problem(&fixture, expected, |kind| {
        matches!(kind, ProblemKind::DateOrder { other_column, other_value } if other_column == "有效期起" && other_value == "2029-01-01")
    });
}

#[test]
fn special_period_ending_before_start() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::SpecialPeriods, 2, "结束日期", "2026-11-01");

    let expected = Expected { table: Table::SpecialPeriods, row: Some(2), column: "结束日期", value: Some("2026-11-01") };
    assert_problem(&fixture, expected, |kind| matches!(kind, ProblemKind::DateOrder { .. }));
}

#[test]
fn limit_of_unknown_outlet() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Limits, 3, "排放口编号", "DA009");

    let expected = Expected { table: Table::Limits, row: Some(3), column: "排放口编号", value: Some("DA009") };
    assert_problem(&fixture, expected, |kind| *kind == ProblemKind::Dangling { table: Table::Outlets });
}

#[test]
fn duplicate_unit() {
    let mut fixture = Fixture::valid();
    fixture.push(Table::Units, &[USCC, "另一个名称", "示例市测试路9号", "D4411", "重点管理"]);

    let expected = Expected { table: Table::Units, row: Some(3), column: "统一社会信用代码", value: Some(USCC) };
    assert_problem(&fixture, expected, |kind| *kind == ProblemKind::Duplicate { first_row: 2 });
}

#[test]
fn duplicate_limit_of_outlet() {
    let mut fixture = Fixture::valid();
    fixture.push(Table::Limits, &[PERMIT, "DA001", "二氧化硫", "a21026", "100", "", "", "mg/m³", "", "", "", "", "", "", "GB 13223-2011"]);

    let expected = Expected { table: Table::Limits, row: Some(5), column: "污染物", value: Some("二氧化硫") };
    assert_problem(&fixture, expected, |kind| *kind == ProblemKind::Duplicate { first_row: 2 });
}

#[test]
fn unknown_column() {
    let mut fixture = Fixture::valid();
    fixture.add_column(Table::Outlets, "排放口照片", "");

    let expected = Expected { table: Table::Outlets, row: Some(1), column: "排放口照片", value: Some("排放口照片") };
    assert_problem(&fixture, expected, |kind| matches!(kind, ProblemKind::UnknownColumn { table: Table::Outlets, .. }));
}

#[test]
fn missing_required_column() {
    let mut fixture = Fixture::valid();
    fixture.remove_column(Table::Outlets, "排放口名称");

    let expected = Expected { table: Table::Outlets, row: Some(1), column: "排放口名称 (name)", value: None };
    assert_problem(&fixture, expected, |kind| *kind == ProblemKind::MissingColumn);
}

#[test]
fn unknown_status_word() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Permits, 2, "许可证状态", "暂停");

    let expected = Expected { table: Table::Permits, row: Some(2), column: "许可证状态", value: Some("暂停") };
    assert_problem(&fixture, expected, |kind| matches!(kind, ProblemKind::InvalidChoice { expected } if expected.contains("注销/cancelled")));
}

#[test]
fn penalty_without_decision_number() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Enforcement, 3, "处罚决定书文号", "");

    let expected = Expected { table: Table::Enforcement, row: Some(3), column: "处罚决定书文号", value: None };
    assert_problem(&fixture, expected, |kind| matches!(kind, ProblemKind::RequiredWhen { other_value, .. } if other_value == "行政处罚"));
}

#[test]
fn missing_required_value() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Monitoring, 2, "监测频次", "");

    let expected = Expected { table: Table::Monitoring, row: Some(2), column: "监测频次", value: None };
    assert_problem(&fixture, expected, |kind| *kind == ProblemKind::Missing);
}

#[test]
fn every_problem_is_listed() {
    let mut fixture = Fixture::valid();
    fixture.set(Table::Units, 2, "管理类别", "登记");
    fixture.set(Table::Outlets, 2, "经度", "东经119度");
    fixture.set(Table::Limits, 4, "日均浓度限值", "-80");
    fixture.set(Table::Monitors, 2, "设备唯一标识(MN)", "MN-0001");

    for format in FORMATS {
        let dir = tempfile::tempdir().unwrap();
        let written = fixture.write(format, dir.path());

        let registry = read_registry(&[written]);

        let kinds: Vec<&ProblemKind> = registry.problems.iter().map(|problem| &problem.kind).collect();
        assert_eq!(kinds.len(), 4, "{format:?}: {:#?}", registry.problems);
        assert!(kinds.iter().any(|kind| matches!(kind, ProblemKind::InvalidChoice { .. })), "{format:?}: management class");
        assert!(kinds.contains(&&ProblemKind::InvalidNumber), "{format:?}: longitude");
        assert!(kinds.contains(&&ProblemKind::Negative), "{format:?}: daily limit");
        assert!(kinds.contains(&&ProblemKind::InvalidMn), "{format:?}: MN");
    }
}
