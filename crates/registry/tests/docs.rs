//! The format documents for bureau staff (`docs/REGISTRY.md` and its Chinese copy) against the
//! column definitions: every table, column and allowed word is described, and the example reads.

use std::path::PathBuf;

use outlet_registry::columns::*;
use outlet_registry::measure::Measure;
use outlet_registry::{read_registry, Table};

fn document(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

const DOCUMENTS: [&str; 2] = ["REGISTRY.md", "REGISTRY.zh-CN.md"];

fn words<T: Copy + PartialEq>(choices: &[Choice<T>]) -> Vec<&'static str> {
    choices.iter().flat_map(|choice| [choice.zh, choice.en]).collect()
}

#[test]
fn documents_name_every_column() {
    for name in DOCUMENTS {
        let text = document(name);
        for table in Table::ALL {
            assert!(text.contains(&format!("`{}`", table.key())), "{name} lacks table {table}");
            assert!(text.contains(table.name_zh()), "{name} lacks table {}", table.name_zh());
            for column in table.columns() {
                let row = text.lines().find(|line| line.contains(&format!("`{}`", column.key)) && line.contains(column.header_zh));
                let is_annual = column.key.starts_with("annual_t_year");
                assert!(row.is_some() || is_annual, "{name}: no row for {table}.{} ({})", column.key, column.header_zh);
            }
        }
    }
}

#[test]
fn documents_list_allowed_words_and_units() {
    let mut expected = Vec::new();
    expected.extend(words(MANAGEMENT_CLASSES));
    expected.extend(words(PERMIT_STATUSES));
    expected.extend(words(MEDIA));
    expected.extend(words(OUTLET_KINDS));
    expected.extend(words(DISCHARGE_MODES));
    expected.extend(words(MONITORING_MODES));
    expected.extend(words(ENFORCEMENT_KINDS));
    expected.extend(words(YES_NO));
    expected.extend(Measure::CONCENTRATIONS.iter().map(|measure| measure.symbol()));

    for name in DOCUMENTS {
        let text = document(name);
        for word in &expected {
            assert!(text.contains(&format!("`{word}`")) || text.contains(&format!("| {word} |")), "{name} lacks {word}");
        }
    }
}

/// Writes the CSV blocks of a document's example (each after a line naming its file) to a folder.
fn write_example(text: &str, dir: &std::path::Path) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut files = 0;
    for (index, line) in lines.iter().enumerate() {
        let Some(file) = line.strip_prefix('`').and_then(|rest| rest.strip_suffix(".csv`")) else {
            continue;
        };
        let block: Vec<&str> = lines[index + 2..].iter().take_while(|line| **line != "```").copied().collect();
        std::fs::write(dir.join(format!("{file}.csv")), block.join("\n")).unwrap();
        files += 1;
    }
    files
}

#[test]
fn document_examples_are_valid_registries() {
    for name in DOCUMENTS {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(write_example(&document(name), dir.path()), 8, "{name}: one block per table");

        let registry = read_registry(&[dir.path().to_path_buf()]);

        assert!(registry.problems.is_empty(), "{name}: {:#?}", registry.problems);
        assert_eq!(registry.cards.len(), 2, "{name}");
    }
}
