//! Problems found in a registry, each with the place a person fixes it: file, sheet, row, column
//! and the value found there.

use std::fmt;
use std::path::PathBuf;

use outlet_core::card::Medium;
use outlet_core::ids::IdError;

use crate::columns::Table;

/// The place of a problem, as a spreadsheet program shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// The worksheet of an .xlsx workbook; `None` for a CSV file.
    pub sheet: Option<String>,
    /// Row number as the spreadsheet shows it: the header is row 1. `None` for a whole file or sheet.
    pub row: Option<u32>,
    /// The column's header as the file writes it, or the expected header of a missing column.
    pub column: Option<String>,
    /// The cell's text as read; `None` where no single cell is at fault.
    pub value: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet {sheet}")?;
        }
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        if let Some(value) = &self.value {
            write!(f, ", value {value:?}")?;
        }
        Ok(())
    }
}

/// One problem in the registry.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{location}: {kind}")]
pub struct Problem {
    pub location: Location,
    pub kind: ProblemKind,
}

impl Problem {
    /// True for a problem with a file, a sheet or a header. It leaves unknown which permits lost
    /// rows, so nothing of the registry may be imported, even with invalid rows skipped.
    pub fn is_structural(&self) -> bool {
        self.kind.is_structural()
    }
}

/// The kind of problem: what is wrong, and what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProblemKind {
    #[error("the file could not be read: {reason}")]
    Unreadable { reason: String },

    #[error("not a .csv or .xlsx file")]
    UnsupportedFile,

    #[error("the folder holds no .csv or .xlsx file")]
    EmptyFolder,

    #[error("the file is neither UTF-8 nor GB18030 text; save it as \"CSV UTF-8\"")]
    NotText,

    #[error("not a readable .xlsx workbook: {reason}")]
    CorruptWorkbook { reason: String },

    #[error("malformed CSV: {reason}")]
    MalformedCsv { reason: String },

    #[error("not a table name; expected one of {expected}")]
    UnknownTable { expected: String },

    #[error("table {table} was already read from {first}")]
    DuplicateTable { table: Table, first: String },

    #[error("table {table} is missing; give its header row even when it has no rows")]
    MissingTable { table: Table },

    #[error("the header row is empty")]
    NoHeader,

    #[error("unknown column of table {table}; its columns are {expected}")]
    UnknownColumn { table: Table, expected: String },

    #[error("required column is missing")]
    MissingColumn,

    #[error("the column repeats column {first}")]
    DuplicateColumn { first: String },

    #[error("the cell has a value but its column has no header")]
    CellWithoutHeader,

    #[error("a value is required")]
    Missing,

    #[error("the cell contains the spreadsheet error {code}")]
    CellError { code: String },

    #[error("{0}")]
    InvalidId(IdError),

    #[error("the permit number must start with the unit's USCC {uscc}")]
    PermitOfOtherUnit { uscc: String },

    #[error("the outlet code is for {code_medium} outlets, but the medium is {medium}")]
    OutletCodeMedium { code_medium: MediumName, medium: MediumName },

    #[error("not an allowed value; expected one of {expected}")]
    InvalidChoice { expected: String },

    #[error("unknown unit of measure; expected one of {expected}")]
    UnknownMeasure { expected: String },

    #[error("the unit {unit} is for {unit_medium} outlets, but the outlet's medium is {medium}")]
    MeasureMedium { unit: String, unit_medium: MediumName, medium: MediumName },

    #[error("the unit must be {expected}")]
    WrongMeasure { expected: &'static str },

    #[error("the unit after the number differs from {unit} in column {unit_column}")]
    ConflictingMeasure { unit: String, unit_column: String },

    #[error("a numeric limit needs its unit, in column {unit_column} or after the number")]
    MissingMeasure { unit_column: String },

    #[error("not a number")]
    InvalidNumber,

    #[error("must not be negative")]
    Negative,

    #[error("must be between {min} and {max}")]
    OutOfRange { min: f64, max: f64 },

    #[error("must be a whole number of at least {min}")]
    NotWholeNumber { min: u64 },

    #[error("not a date; expected YYYY-MM-DD, e.g. 2026-01-31")]
    InvalidDate,

    #[error("is before {other_value} in column {other_column}")]
    DateOrder { other_column: String, other_value: String },

    #[error("not an HJ 212 pollutant code; expected a (air) or w (water) and 5 digits, e.g. a21026")]
    InvalidPollutantCode,

    #[error("the pollutant code is for {code_medium} outlets, but the outlet's medium is {medium}")]
    PollutantCodeMedium { code_medium: MediumName, medium: MediumName },

    #[error("not an HJ 212 device id (MN); expected 1 to 24 letters or digits")]
    InvalidMn,

    #[error("not found in table {table}")]
    Dangling { table: Table },

    #[error("repeats the key of row {first_row}")]
    Duplicate { first_row: u32 },

    #[error("{item} is listed twice")]
    RepeatedInList { item: String },

    #[error("required when column {other_column} is {other_value}")]
    RequiredWhen { other_column: String, other_value: String },

    #[error("must be empty when column {other_column} is {other_value}")]
    NotAllowedWhen { other_column: String, other_value: String },

    #[error("the row sets no limit; fill at least one concentration, the rate or an annual amount")]
    NoLimit,
}

impl ProblemKind {
    pub fn is_structural(&self) -> bool {
        matches!(
            self,
            ProblemKind::Unreadable { .. }
                | ProblemKind::UnsupportedFile
                | ProblemKind::EmptyFolder
                | ProblemKind::NotText
                | ProblemKind::CorruptWorkbook { .. }
                | ProblemKind::MalformedCsv { .. }
                | ProblemKind::UnknownTable { .. }
                | ProblemKind::DuplicateTable { .. }
                | ProblemKind::MissingTable { .. }
                | ProblemKind::NoHeader
                | ProblemKind::UnknownColumn { .. }
                | ProblemKind::MissingColumn
                | ProblemKind::DuplicateColumn { .. }
        )
    }
}

/// A medium as English messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediumName(pub Medium);

impl fmt::Display for MediumName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Medium::Air => "air",
            Medium::Water => "water",
        })
    }
}

/// Something the reader did that the person importing should know, but that is no problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A CSV file was not UTF-8 and was read as GB18030 (the encoding Excel uses for CSV on
    /// Chinese-language Windows).
    DecodedGb18030 { file: PathBuf },
    /// An empty sheet of a workbook was passed over.
    EmptySheetSkipped { file: PathBuf, sheet: String },
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::DecodedGb18030 { file } => write!(f, "{}: not UTF-8, read as GB18030", file.display()),
            Notice::EmptySheetSkipped { file, sheet } => write!(f, "{}, sheet {sheet}: empty, skipped", file.display()),
        }
    }
}
