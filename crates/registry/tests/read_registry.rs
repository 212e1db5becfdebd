//! Reading whole registries: valid ones in both formats and both header languages, encodings,
//! corrupt files, permits held back by invalid rows, and the writer's output read back.

mod common;

use common::{Fixture, FileFormat, FORMATS, PERMIT};
use outlet_core::card::{EnforcementKind, LimitValue, OnlineStatus, PermitStatus};
use outlet_core::i18n::Lang;
use outlet_registry::write::write_registry;
use outlet_registry::{read_registry, Notice, ProblemKind, Registry, Table};
use time::macros::date;

fn read_fixture(fixture: &Fixture, format: FileFormat) -> (tempfile::TempDir, Registry) {
    let dir = tempfile::tempdir().unwrap();
    let written = fixture.write(format, dir.path());
    let registry = read_registry(&[written]);
    (dir, registry)
}

#[test]
fn valid_fixture_gives_cards_in_both_formats() {
    for format in FORMATS {
        let (_dir, registry) = read_fixture(&Fixture::valid(), format);

        assert!(registry.problems.is_empty(), "{format:?}: {:#?}", registry.problems);
        assert_eq!(registry.cards.len(), 2, "{format:?}");
        assert_eq!(registry.rows, 13, "{format:?}");
        assert_eq!(registry.skipped_rows, 0, "{format:?}");
        assert_eq!(registry.complete_permits.iter().map(|p| p.as_str()).collect::<Vec<_>>(), [PERMIT], "{format:?}");

        let air = &registry.cards[0];
        assert_eq!(air.version, 0);
        assert_eq!(air.outlet.id.to_string(), format!("{PERMIT}-DA001"));
        assert_eq!(air.permit.valid_to, date!(2028 - 05 - 31), "{format:?}");
        assert_eq!(air.permit.status, PermitStatus::Valid);
        assert_eq!(air.outlet.stack_height_m, Some(180.0));
        assert_eq!(air.limits.len(), 2);
        assert_eq!(air.limits[0].committed, Some(LimitValue::Numeric { value: 35.0, unit: "mg/m³".into() }));
        assert_eq!(air.limits[0].annual_t, vec![150.0; 5]);
        assert_eq!(air.limits[1].hourly, Some(LimitValue::Text("1级".into())));
        assert_eq!(air.special_periods[0].daily_kg, Some(360.0));
        assert_eq!(air.monitors[0].pollutants, ["二氧化硫", "氮氧化物"]);
        assert_eq!(air.monitors[0].status, OnlineStatus::Offline);
        assert_eq!(air.enforcement.len(), 1, "{format:?}: the permit-wide record only");

        let water = &registry.cards[1];
        assert_eq!(water.limits[0].daily, Some(LimitValue::Numeric { value: 80.0, unit: "mg/L".into() }));
        assert_eq!(water.enforcement.len(), 2);
        assert_eq!(water.enforcement[0].kind, EnforcementKind::Inspection, "{format:?}: newest first");
        assert_eq!(water.enforcement[1].fine_yuan, Some(200_000));
    }
}

#[test]
fn english_headers_read_the_same() {
    let (_dir, chinese) = read_fixture(&Fixture::valid(), FileFormat::Csv);
    let mut fixture = Fixture::valid();
    fixture.english_headers();

    let (_dir, english) = read_fixture(&fixture, FileFormat::Csv);

    assert!(english.problems.is_empty(), "{:#?}", english.problems);
    assert_eq!(english.cards, chinese.cards);
}

#[test]
fn written_registry_reads_back_in_both_languages() {
    let (_dir, original) = read_fixture(&Fixture::valid().with_second_permit(), FileFormat::Csv);
    assert!(original.problems.is_empty(), "{:#?}", original.problems);

    for lang in [Lang::Zh, Lang::En] {
        let dir = tempfile::tempdir().unwrap();
        write_registry(dir.path(), lang, &original.cards).unwrap();

        let again = read_registry(&[dir.path().to_path_buf()]);

        assert!(again.problems.is_empty(), "{lang:?}: {:#?}", again.problems);
        assert_eq!(again.cards, original.cards, "{lang:?}");
    }
}

#[test]
fn writer_rejects_cards_that_disagree_on_their_unit() {
    let (_dir, registry) = read_fixture(&Fixture::valid(), FileFormat::Csv);
    let mut cards = registry.cards;
    cards[1].unit.name = "改过的名称".into();
    let dir = tempfile::tempdir().unwrap();

    let error = write_registry(dir.path(), Lang::Zh, &cards).unwrap_err();

    assert!(matches!(error, outlet_registry::WriteError::Inconsistent { table: Table::Units, .. }), "{error}");
}

#[test]
fn gb18030_csv_is_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let folder = Fixture::valid().write_csv(&dir.path().join("registry"));
    let units = folder.join("units.csv");
    let text = std::fs::read_to_string(&units).unwrap();
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    std::fs::write(&units, &bytes).unwrap();

    let registry = read_registry(&[folder]);

    assert!(registry.problems.is_empty(), "{:#?}", registry.problems);
    assert_eq!(registry.notices, [Notice::DecodedGb18030 { file: units }]);
    assert_eq!(registry.cards[0].unit.name, "示例测试热电有限公司");
}

#[test]
fn binary_csv_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let folder = Fixture::valid().write_csv(&dir.path().join("registry"));
    let units = folder.join("units.csv");
    std::fs::write(&units, [0x00, 0xFF, 0xFE, 0x81, 0x30]).unwrap();

    let registry = read_registry(&[folder]);

    let problem = registry.problems.iter().find(|problem| problem.kind == ProblemKind::NotText).expect("the file is named");
    assert_eq!(problem.location.file, units);
    assert!(registry.cards.is_empty(), "nothing is imported when a file cannot be read");
    assert!(registry.has_structural_problems());
}

#[test]
fn corrupt_workbooks_are_problems() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.xlsx");
    std::fs::write(&garbage, b"this is not a zip archive").unwrap();
    let valid = Fixture::valid().write_xlsx(&dir.path().join("valid.xlsx"));
    let bytes = std::fs::read(&valid).unwrap();
    let truncated = dir.path().join("truncated.xlsx");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();

    for path in [garbage, truncated] {
        let registry = read_registry(std::slice::from_ref(&path));

        let problem = registry.problems.first().expect("a problem");
        assert!(matches!(problem.kind, ProblemKind::CorruptWorkbook { .. }), "{problem}");
        assert_eq!(problem.location.file, path);
        assert!(registry.cards.is_empty());
    }
}

#[test]
fn missing_path_and_other_files_are_problems() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "说明").unwrap();
    let missing = dir.path().join("missing.csv");

    let registry = read_registry(&[notes.clone(), missing.clone(), dir.path().to_path_buf()]);

    let kinds: Vec<(&std::path::Path, &ProblemKind)> = registry.problems.iter().map(|problem| (problem.location.file.as_path(), &problem.kind)).collect();
    assert!(kinds.contains(&(notes.as_path(), &ProblemKind::UnsupportedFile)), "{kinds:?}");
    assert!(kinds.iter().any(|(file, kind)| *file == missing && matches!(kind, ProblemKind::Unreadable { .. })), "{kinds:?}");
    assert!(kinds.contains(&(dir.path(), &ProblemKind::EmptyFolder)), "{kinds:?}");
}

#[test]
fn missing_table_stops_the_import() {
    let mut fixture = Fixture::valid();
    fixture.remove_table(Table::Monitors);

    let (_dir, registry) = read_fixture(&fixture, FileFormat::Csv);

    assert!(registry.problems.iter().any(|problem| problem.kind == ProblemKind::MissingTable { table: Table::Monitors }));
    assert!(registry.cards.is_empty());
    assert_eq!(registry.skipped_rows, registry.rows);
}

#[test]
fn unknown_sheet_fails_empty_sheet_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registry.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.add_worksheet().set_name("Sheet2").unwrap();
    workbook.add_worksheet().set_name("说明").unwrap().write_string(0, 0, "填表说明").unwrap();
    workbook.save(&path).unwrap();

    let registry = read_registry(std::slice::from_ref(&path));

    assert_eq!(registry.notices, [Notice::EmptySheetSkipped { file: path.clone(), sheet: "Sheet2".into() }]);
    let unknown = registry.problems.iter().find(|problem| matches!(problem.kind, ProblemKind::UnknownTable { .. })).expect("说明 is no table");
    assert_eq!(unknown.location.sheet.as_deref(), Some("说明"));
}

#[test]
fn header_only_table_means_no_rows() {
    let mut fixture = Fixture::valid();
    let monitors = fixture.tables.iter_mut().find(|(table, _)| *table == Table::Monitors).unwrap();
    monitors.1.truncate(1);

    let (_dir, registry) = read_fixture(&fixture, FileFormat::Xlsx);

    assert!(registry.problems.is_empty(), "{:#?}", registry.problems);
    assert!(registry.cards.iter().all(|card| card.monitors.is_empty()));
}

#[test]
fn blank_rows_are_passed_over() {
    let mut fixture = Fixture::valid();
    fixture.push(Table::Limits, &[]);
    fixture.push(Table::Limits, &[PERMIT, "DW001", "氨氮", "w21003", "8", "", "", "mg/L", "", "", "", "", "", "", "GB 3544-2008"]);

    let (_dir, registry) = read_fixture(&fixture, FileFormat::Csv);

    assert!(registry.problems.is_empty(), "{:#?}", registry.problems);
    assert_eq!(registry.cards[1].limits.len(), 2);
}

#[test]
fn invalid_row_holds_back_only_its_permit() {
    let mut fixture = Fixture::valid().with_second_permit();
    fixture.set(Table::Limits, 4, "小时浓度限值", "-90");

    let (_dir, registry) = read_fixture(&fixture, FileFormat::Csv);

    let second = Fixture::second_permit();
    assert_eq!(registry.problems.len(), 1, "{:#?}", registry.problems);
    assert_eq!(registry.cards.len(), 1);
    assert_eq!(registry.cards[0].permit.permit_no.as_str(), second);
    assert_eq!(registry.held_back_permits.iter().collect::<Vec<_>>(), [PERMIT]);
    assert_eq!(registry.complete_permits.iter().map(|p| p.as_str()).collect::<Vec<_>>(), [second.as_str()]);
    assert!(!registry.removals_withheld);
    assert_eq!(registry.skipped_rows, 13, "every row of the first permit");
}

#[test]
fn row_without_permit_withholds_removals() {
    let mut fixture = Fixture::valid().with_second_permit();
    fixture.set(Table::Monitoring, 3, "许可证编号", "");

    let (_dir, registry) = read_fixture(&fixture, FileFormat::Csv);

    assert!(registry.removals_withheld);
    assert!(registry.complete_permits.is_empty());
    assert_eq!(registry.cards.len(), 3, "the cards of both permits are still imported");
}

#[test]
fn invalid_unit_holds_back_its_permits() {
    let mut fixture = Fixture::valid().with_second_permit();
    fixture.set(Table::Units, 2, "管理类别", "登记管理");

    let (_dir, registry) = read_fixture(&fixture, FileFormat::Csv);

    assert_eq!(registry.held_back_permits.iter().collect::<Vec<_>>(), [PERMIT]);
    assert_eq!(registry.cards.len(), 1);
}

#[test]
fn value_in_column_without_header() {
    let mut fixture = Fixture::valid();
    fixture.add_column(Table::Units, "", "");
    fixture.set(Table::Units, 2, "", "多余的内容");

    let (_dir, registry) = read_fixture(&fixture, FileFormat::Csv);

    let problem = registry.problems.first().expect("a problem");
    assert_eq!(problem.kind, ProblemKind::CellWithoutHeader);
    assert_eq!(problem.location.column.as_deref(), Some("F"));
    assert_eq!(problem.location.value.as_deref(), Some("多余的内容"));
}
