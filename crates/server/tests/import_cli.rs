//! `outlet demo-data --registry` and `outlet import` as an administrator runs them, through the built
//! binary, on temporary folders.

mod common;

use std::path::Path;
use std::process::Command;

use common::backend::Backend;
use common::cli::{outlet, outlet_on, path, stdout};

/// Writes the demo registry as CSV files in `dir/registry` and returns that folder.
fn demo_registry(dir: &Path) -> std::path::PathBuf {
    let folder = dir.join("registry");
    let written = outlet(&["demo-data", "--registry", path(&folder)]);
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    folder
}

/// Makes the paper mill's COD limit negative in the registry's `limits.csv`.
fn break_paper_mill_limit(folder: &Path) {
    let limits = folder.join("limits.csv");
    let text = std::fs::read_to_string(&limits).unwrap();
    assert!(text.contains(",w01018,90,"));
    std::fs::write(&limits, text.replace(",w01018,90,", ",w01018,-90,")).unwrap();
}

#[test]
fn import_then_import_again() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::new();
    let folder = demo_registry(dir.path());
    let data = dir.path().join("data");

    let first = outlet_on(&backend, &["import", "--data-dir", path(&data), path(&folder)]);
    let second = outlet_on(&backend, &["import", "--data-dir", path(&data), path(&folder)]);

    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(stdout(&first).contains("5 added, 0 updated, 0 unchanged, 0 removed, 0 rows skipped."), "{}", stdout(&first));
    assert!(second.status.success());
    assert!(stdout(&second).contains("0 added, 0 updated, 5 unchanged, 0 removed, 0 rows skipped."), "{}", stdout(&second));
}

#[test]
fn dry_run_creates_no_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::new();
    let folder = demo_registry(dir.path());
    let data = dir.path().join("data");

    let output = outlet_on(&backend, &["import", "--dry-run", "--data-dir", path(&data), path(&folder)]);

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout(&output).contains("add 91350100MA3KP00285001P-DW001"), "{}", stdout(&output));
    assert!(stdout(&output).contains("Dry run: nothing was written."));
    assert!(!data.exists(), "a dry run writes nothing");
}

#[test]
fn dry_run_leaves_stored_cards() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::new();
    let folder = demo_registry(dir.path());
    let data = dir.path().join("data");
    assert!(outlet_on(&backend, &["import", "--data-dir", path(&data), path(&folder)]).status.success());
    let permits = folder.join("permits.csv");
    let text = std::fs::read_to_string(&permits).unwrap();
    std::fs::write(&permits, text.replace("2028-05-31", "2028-06-30")).unwrap();

    let dry = outlet_on(&backend, &["import", "--dry-run", "--data-dir", path(&data), path(&folder)]);
    let real = outlet_on(&backend, &["import", "--data-dir", path(&data), path(&folder)]);

    assert!(stdout(&dry).contains("update 91350100MA2XY0012B001P-DA001 (version 2)"), "{}", stdout(&dry));
    assert!(stdout(&dry).contains("0 added, 3 updated, 2 unchanged"), "{}", stdout(&dry));
    assert!(stdout(&real).contains("0 added, 3 updated, 2 unchanged"), "the dry run wrote nothing: {}", stdout(&real));
}

#[test]
fn invalid_row_imports_nothing_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::new();
    let folder = demo_registry(dir.path());
    break_paper_mill_limit(&folder);
    let data = dir.path().join("data");

    let rejected = outlet_on(&backend, &["import", "--data-dir", path(&data), path(&folder)]);

    assert!(!rejected.status.success());
    let limits = folder.join("limits.csv");
    let expected = format!("{}, row 13, column 小时浓度限值, value \"-90\": Must not be negative.", limits.display());
    assert!(stdout(&rejected).contains(&expected), "{}", stdout(&rejected));
    assert!(String::from_utf8_lossy(&rejected.stderr).contains("nothing was imported"), "{}", String::from_utf8_lossy(&rejected.stderr));
    let check = outlet_on(&backend, &["import", "--dry-run", "--skip-invalid", "--data-dir", path(&data), path(&folder)]);
    assert!(stdout(&check).contains("4 added"), "nothing was stored by the rejected import: {}", stdout(&check));
}

#[test]
fn skip_invalid_imports_the_other_permits() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::new();
    let folder = demo_registry(dir.path());
    break_paper_mill_limit(&folder);
    let data = dir.path().join("data");

    let output = outlet_on(&backend, &["import", "--skip-invalid", "--data-dir", path(&data), path(&folder)]);

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout(&output).contains("Permit 91350100MA3KP00285001P has invalid rows and was not imported"), "{}", stdout(&output));
    assert!(stdout(&output).contains("4 added, 0 updated, 0 unchanged, 0 removed, 16 rows skipped."), "{}", stdout(&output));
}

#[test]
fn messages_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::new();
    let folder = demo_registry(dir.path());
    break_paper_mill_limit(&folder);
    let data = dir.path().join("data");

    let chosen = outlet_on(&backend, &["import", "--lang", "zh", "--data-dir", path(&data), path(&folder)]);
    let from_env = Command::new(env!("CARGO_BIN_EXE_outlet"))
        .args(["import", "--data-dir", path(&data), path(&folder)])
        .env("RUST_LOG", "warn")
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();

    for output in [chosen, from_env] {
        assert!(stdout(&output).contains("第13行，列“小时浓度限值”，值“-90”：不能为负数。"), "{}", stdout(&output));
        assert!(String::from_utf8_lossy(&output.stderr).contains("未导入任何数据"));
    }
}

#[test]
fn workbook_imports_like_csv_files() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::new();
    let folder = demo_registry(dir.path());
    let workbook_path = dir.path().join("登记表.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let file = entry.unwrap().path();
        let table = outlet_registry::Table::from_name(&file.file_stem().unwrap().to_string_lossy()).unwrap();
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.name_zh()).unwrap();
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(&file).unwrap();
        for (row, record) in reader.records().enumerate() {
            for (column, cell) in record.unwrap().iter().enumerate() {
                sheet.write_string(row as u32, column as u16, cell.trim_start_matches('\u{feff}')).unwrap();
            }
        }
    }
    workbook.save(&workbook_path).unwrap();
    let data = dir.path().join("data");

    let from_workbook = outlet_on(&backend, &["import", "--data-dir", path(&data), path(&workbook_path)]);
    let from_csv = outlet_on(&backend, &["import", "--data-dir", path(&data), path(&folder)]);

    assert!(stdout(&from_workbook).contains("5 added"), "{}{}", stdout(&from_workbook), String::from_utf8_lossy(&from_workbook.stderr));
    assert!(stdout(&from_csv).contains("5 unchanged"), "the workbook gave the same cards: {}", stdout(&from_csv));
}

#[test]
fn corrupt_workbook_fails_without_panic() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::new();
    let broken = dir.path().join("registry.xlsx");
    std::fs::write(&broken, b"PK\x03\x04 not really a zip").unwrap();

    let output = outlet_on(&backend, &["import", "--data-dir", path(&dir.path().join("data")), path(&broken)]);

    assert!(!output.status.success());
    assert_eq!(output.status.code(), Some(1), "an error exit, not a panic");
    assert!(stdout(&output).contains("Not a readable .xlsx workbook"), "{}", stdout(&output));
}

#[test]
fn synthetic_registry_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::new();
    let folder = dir.path().join("synthetic");
    assert!(outlet(&["demo-data", "--outlets", "300", "--registry", path(&folder)]).status.success());
    let data = dir.path().join("data");

    let first = outlet_on(&backend, &["import", "--data-dir", path(&data), path(&folder)]);
    let second = outlet_on(&backend, &["import", "--data-dir", path(&data), path(&folder)]);

    assert!(stdout(&first).contains("300 added"), "{}", stdout(&first));
    assert!(stdout(&second).contains("300 unchanged"), "{}", stdout(&second));
}
