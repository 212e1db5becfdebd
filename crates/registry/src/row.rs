//! One row of a table seen through its header: cells by column, each read by the column's rule, and
//! every problem of the row collected with its place.

use outlet_core::card::LimitValue;
use outlet_core::ids::{OutletCode, PermitNo, Uscc};
use time::{Date, Month};

use crate::columns::{Choice, Table, LIST_SEPARATORS};
use crate::error::{Location, Problem, ProblemKind};
use crate::measure::{split_number_and_unit, Measure};
use crate::read::{Cell, Source};

/// The layout of a table's columns in its file, found from the header row.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub table: Table,
    /// For each column of the table, its position in the file, if the file has it.
    pub positions: Vec<Option<usize>>,
    /// The header cells as the file writes them.
    pub names: Vec<String>,
}

impl Header {
    /// Maps a header row to the table's columns. Unknown, repeated and missing required columns are
    /// problems; columns with an empty header are ignored unless a row fills them.
    pub(crate) fn read(table: Table, source: &Source, row: u32, cells: &[Cell], problems: &mut Vec<Problem>) -> Header {
        let names: Vec<String> = cells.iter().map(|cell| cell.text().unwrap_or_default()).collect();
        let mut positions: Vec<Option<usize>> = vec![None; table.columns().len()];

        for (position, name) in names.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            let at = source.at(Some(row), Some(name.clone()), Some(name.clone()));
            match table.column_of_header(name) {
                None => {
                    let expected = table.columns().iter().map(|column| format!("{} ({})", column.key, column.header_zh)).collect::<Vec<_>>().join(", ");
                    problems.push(Problem { location: at, kind: ProblemKind::UnknownColumn { table, expected } });
                }
                Some(column) => match positions[column] {
                    Some(first) => problems.push(Problem { location: at, kind: ProblemKind::DuplicateColumn { first: names[first].clone() } }),
                    None => positions[column] = Some(position),
                },
            }
        }

        for (column, spec) in table.columns().iter().enumerate() {
            if spec.is_required() && positions[column].is_none() {
                let expected = format!("{} ({})", spec.header_zh, spec.key);
                problems.push(Problem { location: source.at(Some(row), Some(expected), None), kind: ProblemKind::MissingColumn });
            }
        }
        Header { table, positions, names }
    }

    /// Returns the column's name as the file writes it, or its Chinese header when the file lacks it.
    pub(crate) fn column_name(&self, column: usize) -> String {
        match self.positions[column] {
            Some(position) => self.names[position].clone(),
            None => self.table.columns()[column].header_zh.to_string(),
        }
    }

    /// Positions in the file that no column of the table claims.
    fn is_claimed(&self, position: usize) -> bool {
        self.positions.contains(&Some(position))
    }
}

/// A data row being read: its cells, where it is, and the problems found so far.
pub(crate) struct RowView<'a> {
    pub header: &'a Header,
    pub source: &'a Source,
    pub row: u32,
    cells: &'a [Cell],
    pub problems: Vec<Problem>,
}

impl<'a> RowView<'a> {
    pub(crate) fn new(header: &'a Header, source: &'a Source, row: u32, cells: &'a [Cell]) -> Self {
        let mut view = RowView { header, source, row, cells, problems: Vec::new() };
        for (position, cell) in cells.iter().enumerate() {
            if !matches!(cell, Cell::Empty) && !header.is_claimed(position) && header.names.get(position).is_none_or(String::is_empty) {
                let location = source.at(Some(row), Some(column_letter(position)), cell.text());
                view.problems.push(Problem { location, kind: ProblemKind::CellWithoutHeader });
            }
        }
        view
    }

    /// True when every cell is empty: such rows are passed over.
    pub(crate) fn is_blank(cells: &[Cell]) -> bool {
        cells.iter().all(|cell| matches!(cell, Cell::Empty))
    }

    pub(crate) fn cell(&self, column: usize) -> &'a Cell {
        self.header.positions[column].and_then(|position| self.cells.get(position)).unwrap_or(&Cell::Empty)
    }

    /// Returns the cell's text as read, for messages and keys.
    pub(crate) fn raw(&self, column: usize) -> Option<String> {
        self.cell(column).text()
    }

    pub(crate) fn location(&self, column: usize) -> Location {
        self.source.at(Some(self.row), Some(self.header.column_name(column)), self.raw(column))
    }

    pub(crate) fn problem(&mut self, column: usize, kind: ProblemKind) {
        let location = self.location(column);
        self.problems.push(Problem { location, kind });
    }

    pub(crate) fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    /// Reads a cell by `parse`. An empty cell is `Some(None)`, or a problem when the column is
    /// required; an unreadable cell is a problem and `None`.
    pub(crate) fn optional<T>(&mut self, column: usize, parse: impl FnOnce(&Cell) -> Result<T, ProblemKind>) -> Option<Option<T>> {
        let cell = self.cell(column);
        if matches!(cell, Cell::Empty) {
            if self.header.table.columns()[column].is_required() {
                self.problem(column, ProblemKind::Missing);
                return None;
            }
            return Some(None);
        }
        if let Cell::Error(code) = cell {
            let kind = ProblemKind::CellError { code: code.clone() };
            self.problem(column, kind);
            return None;
        }
        match parse(cell) {
            Ok(value) => Some(Some(value)),
            Err(kind) => {
                self.problem(column, kind);
                None
            }
        }
    }

    /// Reads a cell that must be filled.
    pub(crate) fn required<T>(&mut self, column: usize, parse: impl FnOnce(&Cell) -> Result<T, ProblemKind>) -> Option<T> {
        match self.optional(column, parse) {
            Some(Some(value)) => Some(value),
            Some(None) => {
                self.problem(column, ProblemKind::Missing);
                None
            }
            None => None,
        }
    }

    pub(crate) fn text(&mut self, column: usize) -> Option<String> {
        self.required(column, text)
    }

    pub(crate) fn optional_text(&mut self, column: usize) -> Option<Option<String>> {
        self.optional(column, text)
    }
}

/// Writes a 0-based column position as the spreadsheet's letters: 0 → A, 26 → AA.
fn column_letter(position: usize) -> String {
    let mut letters = Vec::new();
    let mut rest = position + 1;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(b'A' + digit as u8);
        rest = (rest - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

pub(crate) fn text(cell: &Cell) -> Result<String, ProblemKind> {
    Ok(cell.text().unwrap_or_default())
}

pub(crate) fn uscc(cell: &Cell) -> Result<Uscc, ProblemKind> {
    Uscc::parse(&text(cell)?).map_err(ProblemKind::InvalidId)
}

pub(crate) fn permit_no(cell: &Cell) -> Result<PermitNo, ProblemKind> {
    PermitNo::parse(&text(cell)?).map_err(ProblemKind::InvalidId)
}

pub(crate) fn outlet_code(cell: &Cell) -> Result<OutletCode, ProblemKind> {
    OutletCode::parse(&text(cell)?).map_err(ProblemKind::InvalidId)
}

pub(crate) fn choice<T: Copy + PartialEq>(choices: &'static [Choice<T>]) -> impl Fn(&Cell) -> Result<T, ProblemKind> {
    move |cell| Choice::parse(choices, &text(cell)?).ok_or_else(|| ProblemKind::InvalidChoice { expected: Choice::expected(choices) })
}

/// Reads a date: a date cell of a workbook, or text `YYYY-MM-DD` (also with `/`, or `2026年1月31日`),
/// with a midnight time of day allowed after it.
pub(crate) fn date(cell: &Cell) -> Result<Date, ProblemKind> {
    match cell {
        Cell::Date(date) => Ok(*date),
        Cell::Text(text) => parse_date(text).ok_or(ProblemKind::InvalidDate),
        _ => Err(ProblemKind::InvalidDate),
    }
}

fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let day_part = ["T00:00:00", " 00:00:00", " 00:00"].iter().find_map(|midnight| text.strip_suffix(midnight)).unwrap_or(text);
    let normalized = day_part.replace(['年', '月', '/'], "-").replace('日', "");
    let parts: Vec<&str> = normalized.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return None;
    };
    let digits = |part: &str, lengths: &[usize]| lengths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, &[4]) || !digits(month, &[1, 2]) || !digits(day, &[1, 2]) {
        return None;
    }
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// Reads a number. Text may carry `unit` after the number (`12.5 kg/h`); any other unit is a problem.
fn number_in(cell: &Cell, unit: Option<Measure>) -> Result<f64, ProblemKind> {
    let number = match cell {
        Cell::Number(number) => *number,
        Cell::Text(text) => match text.parse::<f64>() {
            Ok(number) => number,
            Err(_) => {
                let (number, unit_text) = split_number_and_unit(text).ok_or(ProblemKind::InvalidNumber)?;
                let Some(expected) = unit else {
                    return Err(ProblemKind::InvalidNumber);
                };
                if Measure::parse(unit_text) != Some(expected) {
                    return Err(ProblemKind::WrongMeasure { expected: expected.symbol() });
                }
                number
            }
        },
        _ => return Err(ProblemKind::InvalidNumber),
    };
    if !number.is_finite() {
        return Err(ProblemKind::InvalidNumber);
    }
    Ok(number)
}

/// Reads an amount in `unit` (`None` for a plain count) that must not be negative.
pub(crate) fn amount(unit: Option<Measure>) -> impl Fn(&Cell) -> Result<f64, ProblemKind> {
    move |cell| {
        let number = number_in(cell, unit)?;
        if number < 0.0 {
            return Err(ProblemKind::Negative);
        }
        Ok(number)
    }
}

/// Reads a coordinate in degrees between `min` and `max`.
pub(crate) fn degrees(min: f64, max: f64) -> impl Fn(&Cell) -> Result<f64, ProblemKind> {
    move |cell| {
        let number = number_in(cell, None)?;
        if !(min..=max).contains(&number) {
            return Err(ProblemKind::OutOfRange { min, max });
        }
        Ok(number)
    }
}

/// Reads a whole number of at least `min`, in `unit` if one is given.
pub(crate) fn whole(min: u64, unit: Option<Measure>) -> impl Fn(&Cell) -> Result<u64, ProblemKind> {
    move |cell| {
        let number = number_in(cell, unit)?;
        if number < 0.0 && min == 0 {
            return Err(ProblemKind::Negative);
        }
        if number.fract() != 0.0 || number < min as f64 || number > 9.0e15 {
            return Err(ProblemKind::NotWholeNumber { min });
        }
        Ok(number as u64)
    }
}

/// A concentration cell: a number (with its unit if the cell writes one), or a limit the permit
/// writes in words, such as `1级`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Concentration {
    Number { value: f64, unit: Option<Measure> },
    Text(String),
}

/// Reads a concentration: a number, a number followed by a concentration unit (`50 mg/Nm3`), or
/// any other text, kept as written.
pub(crate) fn concentration(cell: &Cell) -> Result<Concentration, ProblemKind> {
    let value = match cell {
        Cell::Number(number) => Concentration::Number { value: *number, unit: None },
        Cell::Text(text) => match (text.parse::<f64>(), split_number_and_unit(text)) {
            (Ok(number), _) => Concentration::Number { value: number, unit: None },
            (Err(_), Some((number, unit_text))) => match Measure::parse(unit_text) {
                Some(measure) if measure.is_concentration() => Concentration::Number { value: number, unit: Some(measure) },
                Some(_) => return Err(ProblemKind::UnknownMeasure { expected: Measure::concentrations_expected() }),
                None => Concentration::Text(text.clone()),
            },
            (Err(_), None) => Concentration::Text(text.clone()),
        },
        _ => return Err(ProblemKind::InvalidNumber),
    };
    if let Concentration::Number { value, .. } = value {
        if !value.is_finite() {
            return Err(ProblemKind::InvalidNumber);
        }
        if value < 0.0 {
            return Err(ProblemKind::Negative);
        }
    }
    Ok(value)
}

/// Reads a concentration unit.
pub(crate) fn concentration_unit(cell: &Cell) -> Result<Measure, ProblemKind> {
    match Measure::parse(&text(cell)?) {
        Some(measure) if measure.is_concentration() => Ok(measure),
        _ => Err(ProblemKind::UnknownMeasure { expected: Measure::concentrations_expected() }),
    }
}

/// Reads an HJ 212-2017 pollutant code: `a` (air) or `w` (water) and 5 digits, stored in lower case.
pub(crate) fn pollutant_code(cell: &Cell) -> Result<String, ProblemKind> {
    let code = text(cell)?.to_ascii_lowercase();
    let bytes = code.as_bytes();
    let valid = bytes.len() == 6 && matches!(bytes[0], b'a' | b'w') && bytes[1..].iter().all(u8::is_ascii_digit);
    valid.then_some(code).ok_or(ProblemKind::InvalidPollutantCode)
}

/// Reads an HJ 212 device id (MN): 1 to 24 ASCII letters or digits, kept as written.
pub(crate) fn mn(cell: &Cell) -> Result<String, ProblemKind> {
    let mn = text(cell)?;
    let valid = (1..=24).contains(&mn.len()) && mn.bytes().all(|b| b.is_ascii_alphanumeric());
    valid.then_some(mn).ok_or(ProblemKind::InvalidMn)
}

/// Reads a list of pollutants separated by 、 or semicolons, each named once.
pub(crate) fn pollutant_list(cell: &Cell) -> Result<Vec<String>, ProblemKind> {
    let mut pollutants: Vec<String> = Vec::new();
    for item in text(cell)?.split(LIST_SEPARATORS).map(str::trim).filter(|item| !item.is_empty()) {
        if pollutants.iter().any(|known| known == item) {
            return Err(ProblemKind::RepeatedInList { item: item.to_string() });
        }
        pollutants.push(item.to_string());
    }
    if pollutants.is_empty() {
        return Err(ProblemKind::Missing);
    }
    Ok(pollutants)
}

/// Turns a concentration cell into a limit value, taking the unit from the number's own text or
/// else from the row's unit column. Also returns the unit used and the column it was read from, for
/// the check against the outlet's medium.
pub(crate) fn limit_value(view: &mut RowView, column: usize, value: Concentration, unit_column: usize, row_unit: Option<Measure>) -> Option<(LimitValue, Option<UsedUnit>)> {
    match value {
        Concentration::Text(text) => Some((LimitValue::Text(text), None)),
        Concentration::Number { value, unit: Some(own) } => {
            if let Some(row_unit) = row_unit.filter(|row_unit| *row_unit != own) {
                let kind = ProblemKind::ConflictingMeasure { unit: row_unit.symbol().into(), unit_column: view.header.column_name(unit_column) };
                view.problem(column, kind);
                return None;
            }
            let used = UsedUnit { column, measure: own, text: view.raw(column).unwrap_or_default() };
            Some((LimitValue::Numeric { value, unit: own.symbol().into() }, Some(used)))
        }
        Concentration::Number { value, unit: None } => match row_unit {
            Some(unit) => {
                let used = UsedUnit { column: unit_column, measure: unit, text: view.raw(unit_column).unwrap_or_default() };
                Some((LimitValue::Numeric { value, unit: unit.symbol().into() }, Some(used)))
            }
            None => {
                let kind = ProblemKind::MissingMeasure { unit_column: view.header.column_name(unit_column) };
                view.problem(column, kind);
                None
            }
        },
    }
}

/// A concentration unit a row uses: the column it was read from and the cell's text, to name if the
/// unit does not fit the outlet's medium.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UsedUnit {
    pub column: usize,
    pub measure: Measure,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_cell(text: &str) -> Cell {
        Cell::Text(text.into())
    }

    #[test]
    fn dates_in_accepted_forms() {
        let expected = time::macros::date!(2026 - 01 - 31);
        for text in ["2026-01-31", "2026/1/31", "2026年1月31日", "2026-01-31T00:00:00", "2026-01-31 00:00:00"] {
            assert_eq!(date(&text_cell(text)), Ok(expected), "{text}");
        }
    }

    #[test]
    fn impossible_dates_are_rejected() {
        for text in ["2026-02-30", "31/01/2026", "2026-13-01", "20260131", "2026-01-31 13:00:00", "明天"] {
            assert_eq!(date(&text_cell(text)), Err(ProblemKind::InvalidDate), "{text}");
        }
        assert_eq!(date(&Cell::Number(46053.0)), Err(ProblemKind::InvalidDate));
    }

    #[test]
    fn amounts_take_their_unit_or_none() {
        let rate = amount(Some(Measure::KilogramPerHour));
        assert_eq!(rate(&text_cell("12.5")), Ok(12.5));
        assert_eq!(rate(&text_cell("12.5 kg/h")), Ok(12.5));
        assert_eq!(rate(&text_cell("12.5 t/a")), Err(ProblemKind::WrongMeasure { expected: "kg/h" }));
        assert_eq!(rate(&text_cell("-1")), Err(ProblemKind::Negative));
        assert_eq!(rate(&text_cell("NaN")), Err(ProblemKind::InvalidNumber));
        assert_eq!(rate(&text_cell("十二")), Err(ProblemKind::InvalidNumber));
    }

    #[test]
    fn concentrations_are_numbers_or_words() {
        assert_eq!(concentration(&text_cell("35")), Ok(Concentration::Number { value: 35.0, unit: None }));
        assert_eq!(concentration(&text_cell("50 mg/Nm3")), Ok(Concentration::Number { value: 50.0, unit: Some(Measure::MilligramPerCubicMetre) }));
        assert_eq!(concentration(&text_cell("1级")), Ok(Concentration::Text("1级".into())));
        assert_eq!(concentration(&text_cell("6～9（无量纲）")), Ok(Concentration::Text("6～9（无量纲）".into())));
        assert_eq!(concentration(&text_cell("-3")), Err(ProblemKind::Negative));
        assert!(matches!(concentration(&text_cell("3 kg/h")), Err(ProblemKind::UnknownMeasure { .. })));
    }

    #[test]
    fn whole_numbers() {
        let version = whole(1, None);
        assert_eq!(version(&text_cell("3")), Ok(3));
        assert_eq!(version(&Cell::Number(2.0)), Ok(2));
        assert_eq!(version(&text_cell("0")), Err(ProblemKind::NotWholeNumber { min: 1 }));
        assert_eq!(version(&text_cell("1.5")), Err(ProblemKind::NotWholeNumber { min: 1 }));
    }

    #[test]
    fn pollutant_codes_and_device_ids() {
        assert_eq!(pollutant_code(&text_cell("A21026")), Ok("a21026".into()));
        assert_eq!(pollutant_code(&text_cell("a2102")), Err(ProblemKind::InvalidPollutantCode));
        assert_eq!(mn(&text_cell("35010000DA0010000001")), Ok("35010000DA0010000001".into()));
        assert_eq!(mn(&text_cell("35010000-DA001")), Err(ProblemKind::InvalidMn));
    }

    #[test]
    fn pollutant_lists_split_on_enumeration_marks() {
        assert_eq!(pollutant_list(&text_cell("烟尘、二氧化硫；氮氧化物")), Ok(vec!["烟尘".into(), "二氧化硫".into(), "氮氧化物".into()]));
        assert_eq!(pollutant_list(&text_cell("1,2-二氯乙烷")), Ok(vec!["1,2-二氯乙烷".into()]));
        assert_eq!(pollutant_list(&text_cell("烟尘、烟尘")), Err(ProblemKind::RepeatedInList { item: "烟尘".into() }));
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
    }
}
