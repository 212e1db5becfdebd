//! Reading CSV files and .xlsx workbooks into rows of cells, one table at a time.
//!
//! A CSV file is one table, named by its file stem. A workbook contains one table per sheet, named
//! by the sheet. A CSV file is read whole into memory to check its encoding, and a sheet as calamine
//! loads it. Rows are handed on one at a time, so only one file's text is in memory at once.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, Xlsx};
use time::Date;

use crate::error::{Location, Notice, Problem, ProblemKind};

/// One cell as read, before the column's rules apply.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    /// Text without surrounding white space, never empty.
    Text(String),
    /// A numeric cell of a workbook. CSV cells are always text.
    Number(f64),
    /// A date cell of a workbook with no time of day.
    Date(Date),
    /// A cell holding a spreadsheet error such as `#N/A`.
    Error(String),
}

impl Cell {
    fn from_text(text: &str) -> Cell {
        let text = text.trim();
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text.to_string())
        }
    }

    /// Returns the cell as text, as a person reads it: whole numbers without a decimal point, dates as
    /// YYYY-MM-DD. `None` for an empty cell.
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(text) | Cell::Error(text) => Some(text.clone()),
            Cell::Number(number) => Some(format_number(*number)),
            Cell::Date(date) => Some(date.to_string()),
        }
    }
}

/// Writes a number as the shortest text that reads back to it, whole numbers without `.0`.
pub(crate) fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// The file, and for a workbook the sheet, that a table comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    pub file: PathBuf,
    pub sheet: Option<String>,
}

impl Source {
    /// Builds the location of a whole file or sheet, or of one cell when `row` and `column` are given.
    pub(crate) fn at(&self, row: Option<u32>, column: Option<String>, value: Option<String>) -> Location {
        Location { file: self.file.clone(), sheet: self.sheet.clone(), row, column, value }
    }

    pub(crate) fn problem(&self, kind: ProblemKind) -> Problem {
        Problem { location: self.at(None, None, None), kind }
    }

    /// Describes the table's origin for messages: the file, and the sheet for a workbook.
    pub(crate) fn describe(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("{}, sheet {sheet}", self.file.display()),
            None => self.file.display().to_string(),
        }
    }

    /// Returns the name that says which table this is: the sheet name, else the file stem.
    pub(crate) fn table_name(&self) -> String {
        match &self.sheet {
            Some(sheet) => sheet.clone(),
            None => self.file.file_stem().map(|stem| stem.to_string_lossy().into_owned()).unwrap_or_default(),
        }
    }
}

/// The rows of one table, read one at a time.
pub(crate) enum Rows {
    Csv { reader: csv::Reader<Cursor<Vec<u8>>>, record: csv::StringRecord, next_row: u32 },
    Sheet { range: Range<Data>, next_index: usize },
}

impl Rows {
    /// Reads the next row into `cells` and returns its row number as the spreadsheet shows it, or
    /// `None` after the last row.
    pub(crate) fn next_row(&mut self, cells: &mut Vec<Cell>) -> Option<Result<u32, ProblemKind>> {
        cells.clear();
        match self {
            Rows::Csv { reader, record, next_row } => match reader.read_record(record) {
                Ok(false) => None,
                Ok(true) => {
                    cells.extend(record.iter().map(Cell::from_text));
                    let row = *next_row;
                    *next_row += 1;
                    Some(Ok(row))
                }
                Err(error) => Some(Err(ProblemKind::MalformedCsv { reason: error.to_string() })),
            },
            Rows::Sheet { range, next_index } => {
                let (first_row, _) = range.start()?;
                let width = range.width();
                let row = *next_index;
                if row >= range.height() {
                    return None;
                }
                *next_index += 1;
                cells.extend((0..width).map(|column| range.get((row, column)).map_or(Cell::Empty, cell_of_data)));
                Some(Ok(first_row + row as u32 + 1))
            }
        }
    }
}

/// Turns a workbook cell into a [`Cell`].
fn cell_of_data(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::from_text(text),
        Data::Int(number) => Cell::Number(*number as f64),
        Data::Float(number) => Cell::Number(*number),
        Data::Bool(true) => Cell::Text("TRUE".into()),
        Data::Bool(false) => Cell::Text("FALSE".into()),
        Data::Error(error) => Cell::Error(error.to_string()),
        Data::DateTime(datetime) if datetime.is_datetime() => {
            let (year, month, day, hour, minute, second, milli) = datetime.to_ymd_hms_milli();
            let date = time::Month::try_from(month).ok().and_then(|month| Date::from_calendar_date(i32::from(year), month, day).ok());
            match date {
                Some(date) if (hour, minute, second, milli) == (0, 0, 0, 0) => Cell::Date(date),
                _ => Cell::Text(format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")),
            }
        }
        Data::DateTime(duration) => Cell::Text(format_number(duration.as_f64())),
    }
}

/// Lists the files to read: files as given, folders as their `.csv` and `.xlsx` files in name order.
/// A path that is neither, or a folder without such files, is a problem.
pub(crate) fn expand_inputs(inputs: &[PathBuf], problems: &mut Vec<Problem>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for input in inputs {
        let whole = |kind| Problem { location: Location { file: input.clone(), sheet: None, row: None, column: None, value: None }, kind };
        if input.is_dir() {
            let entries = match std::fs::read_dir(input) {
                Ok(entries) => entries,
                Err(error) => {
                    problems.push(whole(ProblemKind::Unreadable { reason: error.to_string() }));
                    continue;
                }
            };
            let mut found: Vec<PathBuf> = entries.filter_map(Result::ok).map(|entry| entry.path()).filter(|path| path.is_file() && file_kind(path).is_some()).collect();
            if found.is_empty() {
                problems.push(whole(ProblemKind::EmptyFolder));
            }
            found.sort();
            files.extend(found);
        } else if !input.exists() {
            problems.push(whole(ProblemKind::Unreadable { reason: "no such file or folder".into() }));
        } else if file_kind(input).is_none() {
            problems.push(whole(ProblemKind::UnsupportedFile));
        } else {
            files.push(input.clone());
        }
    }
    files
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Csv,
    Xlsx,
}

fn file_kind(path: &Path) -> Option<FileKind> {
    let extension = path.extension()?.to_string_lossy().to_ascii_lowercase();
    match extension.as_str() {
        "csv" => Some(FileKind::Csv),
        "xlsx" => Some(FileKind::Xlsx),
        _ => None,
    }
}

/// Reads one file and hands each of its tables to `visit`: the CSV file itself, or each sheet of a
/// workbook in order. Problems that stop a whole file are pushed to `problems`.
pub(crate) fn read_file(path: &Path, problems: &mut Vec<Problem>, notices: &mut Vec<Notice>, visit: &mut dyn FnMut(Source, Rows)) {
    match file_kind(path) {
        Some(FileKind::Csv) => read_csv(path, problems, notices, visit),
        Some(FileKind::Xlsx) => read_workbook(path, problems, notices, visit),
        None => problems.push(Source { file: path.into(), sheet: None }.problem(ProblemKind::UnsupportedFile)),
    }
}

fn read_csv(path: &Path, problems: &mut Vec<Problem>, notices: &mut Vec<Notice>, visit: &mut dyn FnMut(Source, Rows)) {
    let source = Source { file: path.into(), sheet: None };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => return problems.push(source.problem(ProblemKind::Unreadable { reason: error.to_string() })),
    };

    let text = match decode_text(bytes) {
        Some((text, false)) => text,
        Some((text, true)) => {
            notices.push(Notice::DecodedGb18030 { file: path.into() });
            text
        }
        None => return problems.push(source.problem(ProblemKind::NotText)),
    };

    let reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(Cursor::new(text.into_bytes()));
    visit(source, Rows::Csv { reader, record: csv::StringRecord::new(), next_row: 1 });
}

/// Decodes a CSV file's bytes: UTF-8 (a byte order mark is dropped), else GB18030 if the bytes are
/// valid GB18030. Returns the text and whether it was GB18030, or `None` for binary data or another
/// encoding.
fn decode_text(mut bytes: Vec<u8>) -> Option<(String, bool)> {
    if bytes.contains(&0) {
        return None;
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }

    match String::from_utf8(bytes) {
        Ok(text) => Some((text, false)),
        Err(error) => {
            let bytes = error.into_bytes();
            let text = encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(&bytes)?;
            Some((text.into_owned(), true))
        }
    }
}

fn read_workbook(path: &Path, problems: &mut Vec<Problem>, notices: &mut Vec<Notice>, visit: &mut dyn FnMut(Source, Rows)) {
    let file_source = Source { file: path.into(), sheet: None };
    // calamine is not known to panic on malformed workbooks, but a corrupt file must not stop the
    // import of the others, so a panic counts as a corrupt workbook.
    let opened = catch_unwind(|| calamine::open_workbook::<Xlsx<_>, _>(path));
    let mut workbook = match opened {
        Ok(Ok(workbook)) => workbook,
        Ok(Err(error)) => return problems.push(file_source.problem(ProblemKind::CorruptWorkbook { reason: error.to_string() })),
        Err(_) => return problems.push(file_source.problem(ProblemKind::CorruptWorkbook { reason: "the reader failed on this file".into() })),
    };

    for sheet in workbook.sheet_names() {
        let source = Source { file: path.into(), sheet: Some(sheet.clone()) };
        let range = match catch_unwind(AssertUnwindSafe(|| workbook.worksheet_range(&sheet))) {
            Ok(Ok(range)) => range,
            Ok(Err(error)) => {
                problems.push(source.problem(ProblemKind::CorruptWorkbook { reason: error.to_string() }));
                continue;
            }
            Err(_) => {
                problems.push(source.problem(ProblemKind::CorruptWorkbook { reason: "the reader failed on this sheet".into() }));
                continue;
            }
        };

        let is_table = crate::columns::Table::from_name(&sheet).is_some();
        if range.is_empty() && !is_table {
            notices.push(Notice::EmptySheetSkipped { file: path.into(), sheet });
            continue;
        }
        visit(source, Rows::Sheet { range, next_index: 0 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_is_dropped() {
        let (text, gb) = decode_text(b"\xEF\xBB\xBFuscc\n".to_vec()).unwrap();
        assert_eq!(text, "uscc\n");
        assert!(!gb);
    }

    #[test]
    fn gb18030_text_is_decoded() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("统一社会信用代码,单位名称\n");
        let (text, gb) = decode_text(bytes.into_owned()).unwrap();
        assert_eq!(text, "统一社会信用代码,单位名称\n");
        assert!(gb);
    }

    #[test]
    fn binary_is_not_text() {
        assert_eq!(decode_text(vec![0x50, 0x4B, 0x03, 0x04, 0x00, 0xFF]), None);
        assert_eq!(decode_text(vec![0xFF, 0xFE, 0x41]), None);
    }

    #[test]
    fn numbers_format_without_trailing_zero() {
        assert_eq!(format_number(4411.0), "4411");
        assert_eq!(format_number(0.03), "0.03");
        assert_eq!(format_number(-2.5), "-2.5");
    }
}
