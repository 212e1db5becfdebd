//! The outlet registry as bureaus keep it: spreadsheets of units, permits, outlets, limits, special
//! periods, self-monitoring duties, online monitors and enforcement records.
//!
//! [`read_registry`] reads CSV files and .xlsx workbooks (one table per file or sheet), checks every
//! row, lists every problem with its file, sheet, row and column, and assembles one
//! [`OutletCard`] per outlet. [`RegistryWriter`] writes cards back as CSV files, one card at a time.
//! `docs/REGISTRY.md` describes the format for bureau staff; [`columns`] defines it.
//!
//! Cards come out at version 0 and without what online monitoring fills in at run time (monitor
//! status, readings, hourly values). The server's store sets versions and keeps that state.

pub mod columns;
pub mod error;
pub mod measure;
pub mod messages;
pub mod write;

mod assemble;
mod read;
mod row;
mod validate;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use outlet_core::ids::PermitNo;
use outlet_core::OutletCard;

pub use columns::Table;
pub use error::{Location, Notice, Problem, ProblemKind};
pub use write::{RegistryWriter, WriteError};

use assemble::{Collected, RowOwner, RowRef};
use read::{Rows, Source};
use row::{Header, RowView};

/// A registry as read: the cards that can be imported and every problem found.
#[derive(Debug, Default)]
pub struct Registry {
    /// One card per outlet of the permits without invalid rows, in the order of the `outlets`
    /// rows; version 0. Empty when a file, sheet or header has a problem.
    pub cards: Vec<OutletCard>,
    /// Permits whose rows are all valid. The registry lists all their outlets, so a stored outlet of
    /// such a permit that the registry lacks was dropped from the permit. Empty when
    /// [`removals_withheld`](Self::removals_withheld) is set.
    pub complete_permits: BTreeSet<PermitNo>,
    /// Permit numbers, as written, with an invalid row; none of their outlets is in `cards`.
    pub held_back_permits: BTreeSet<String>,
    /// Set when an invalid row names no permit of the registry: it may belong to any permit, so
    /// none counts as complete.
    pub removals_withheld: bool,
    /// Every problem, in the order of the files and rows.
    pub problems: Vec<Problem>,
    pub notices: Vec<Notice>,
    /// Data rows read, blank rows not counted.
    pub rows: usize,
    /// Rows not imported: invalid rows and the other rows of held-back permits.
    pub skipped_rows: usize,
}

impl Registry {
    /// True when a file, sheet or header has a problem: then nothing may be imported.
    pub fn has_structural_problems(&self) -> bool {
        self.problems.iter().any(Problem::is_structural)
    }
}

/// Reads a registry from files and folders (a folder means every `.csv` and `.xlsx` file in it).
/// Returns a registry in every case. Every problem, from an unreadable file to a bad cell, is in
/// [`Registry::problems`].
pub fn read_registry(inputs: &[PathBuf]) -> Registry {
    let mut problems = Vec::new();
    let mut notices = Vec::new();
    let files = read::expand_inputs(inputs, &mut problems);

    let mut collected = Collected::default();
    let mut seen: HashMap<Table, String> = HashMap::new();
    for file in &files {
        let mut file_problems = Vec::new();
        read::read_file(file, &mut file_problems, &mut notices, &mut |source, rows| {
            collect_table(source, rows, &mut collected, &mut seen, &mut problems);
        });
        problems.append(&mut file_problems);
    }

    let anchor = inputs.first().cloned().unwrap_or_default();
    for table in Table::ALL {
        if !seen.contains_key(&table) && !files.is_empty() {
            let location = Location { file: anchor.clone(), sheet: None, row: None, column: None, value: Some(table.key().into()) };
            problems.push(Problem { location, kind: ProblemKind::MissingTable { table } });
        }
    }

    let rows = collected.rows;
    let assembled = assemble::assemble(collected, &mut problems);
    let mut registry = Registry {
        cards: assembled.cards,
        complete_permits: assembled.complete_permits,
        held_back_permits: assembled.held_back_permits,
        removals_withheld: assembled.removals_withheld,
        problems,
        notices,
        rows,
        skipped_rows: assembled.skipped_rows,
    };
    if registry.has_structural_problems() {
        registry.skipped_rows = registry.rows;
        registry.cards.clear();
        registry.complete_permits.clear();
    }
    sort_problems(&mut registry.problems, inputs);
    registry
}

/// Reads one table: its header, then each data row, typed if valid.
fn collect_table(source: Source, mut rows: Rows, collected: &mut Collected, seen: &mut HashMap<Table, String>, problems: &mut Vec<Problem>) {
    let name = source.table_name();
    let Some(table) = Table::from_name(&name) else {
        let location = source.at(None, None, Some(name));
        problems.push(Problem { location, kind: ProblemKind::UnknownTable { expected: Table::all_names() } });
        return;
    };
    if let Some(first) = seen.get(&table) {
        problems.push(source.problem(ProblemKind::DuplicateTable { table, first: first.clone() }));
        return;
    }
    seen.insert(table, source.describe());

    let mut cells = Vec::new();
    let header_row = match rows.next_row(&mut cells) {
        Some(Ok(row)) if !RowView::is_blank(&cells) => row,
        Some(Err(kind)) => return problems.push(source.problem(kind)),
        _ => return problems.push(source.problem(ProblemKind::NoHeader)),
    };
    let problems_before = problems.len();
    let header = Header::read(table, &source, header_row, &cells, problems);
    // Without a required column every row would repeat the same problem, so rows are only counted.
    let rows_unreadable = problems[problems_before..].iter().any(|problem| problem.kind == ProblemKind::MissingColumn);

    let source_index = collected.sources.len();
    collected.sources.push((source.clone(), header.clone()));
    loop {
        let row = match rows.next_row(&mut cells) {
            None => break,
            Some(Err(kind)) => {
                problems.push(source.problem(kind));
                break;
            }
            Some(Ok(row)) => row,
        };
        if RowView::is_blank(&cells) {
            continue;
        }
        collected.rows += 1;
        if rows_unreadable {
            continue;
        }

        let mut view = RowView::new(&header, &source, row, &cells);
        record_keys(table, &view, collected);
        let at = RowRef { source: source_index, row };
        match validate::validate_row(&mut view) {
            Some(typed) => collected.push(at, typed),
            None => {
                let owner = owner_of_row(table, &view);
                problems.append(&mut view.problems);
                collected.invalid.insert(at, owner);
            }
        }
    }
}

/// Text of a key cell as identifiers are compared: trimmed, in upper case.
fn key_text(view: &RowView, column: usize) -> Option<String> {
    view.raw(column).map(|text| text.trim().to_ascii_uppercase())
}

/// Notes the keys a row gives, valid or not, so that references to it resolve: a row with a bad
/// cell is reported once, not again in every row that names it.
fn record_keys(table: Table, view: &RowView, collected: &mut Collected) {
    match table {
        Table::Units => collected.unit_keys.extend(key_text(view, columns::units::USCC)),
        Table::Permits => {
            if let Some(permit_no) = key_text(view, columns::permits::PERMIT_NO) {
                collected.permit_keys.insert(permit_no, key_text(view, columns::permits::USCC).unwrap_or_default());
            }
        }
        Table::Outlets => {
            if let (Some(permit_no), Some(code)) = (key_text(view, columns::outlets::PERMIT_NO), key_text(view, columns::outlets::OUTLET_CODE)) {
                collected.outlet_keys.insert((permit_no, code));
            }
        }
        _ => {}
    }
}

fn owner_of_row(table: Table, view: &RowView) -> RowOwner {
    let owner = match table {
        Table::Units => key_text(view, columns::units::USCC).map(RowOwner::Unit),
        Table::Permits => key_text(view, columns::permits::PERMIT_NO).map(RowOwner::Permit),
        Table::Outlets => key_text(view, columns::outlets::PERMIT_NO).map(RowOwner::Permit),
        Table::Limits => key_text(view, columns::limits::PERMIT_NO).map(RowOwner::Permit),
        Table::SpecialPeriods => key_text(view, columns::special_periods::PERMIT_NO).map(RowOwner::Permit),
        Table::Monitoring => key_text(view, columns::monitoring::PERMIT_NO).map(RowOwner::Permit),
        Table::Monitors => key_text(view, columns::monitors::PERMIT_NO).map(RowOwner::Permit),
        Table::Enforcement => key_text(view, columns::enforcement::PERMIT_NO).map(RowOwner::Permit),
    };
    owner.unwrap_or(RowOwner::Unknown)
}

/// Orders problems by input, file, sheet and row, keeping the order of problems within a row.
fn sort_problems(problems: &mut [Problem], inputs: &[PathBuf]) {
    let input_index = |location: &Location| inputs.iter().position(|input| location.file.starts_with(input)).unwrap_or(usize::MAX);
    problems.sort_by(|a, b| {
        let (a, b) = (&a.location, &b.location);
        (input_index(a), &a.file, &a.sheet, a.row.unwrap_or(0)).cmp(&(input_index(b), &b.file, &b.sheet, b.row.unwrap_or(0)))
    });
}
