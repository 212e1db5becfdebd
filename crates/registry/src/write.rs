//! Writing cards as a registry of CSV files, one card at a time, so that a registry of any size is
//! written in little memory. [`crate::read_registry`] reads what the writer writes back to the same
//! cards, except for what online monitoring fills in at run time.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use outlet_core::card::{LimitValue, Permit, Unit};
use outlet_core::i18n::Lang;
use outlet_core::ids::{PermitNo, Uscc};
use outlet_core::OutletCard;

use crate::columns::*;

/// Failure to write a registry.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("{path}: {source}")]
    Csv { path: PathBuf, source: csv::Error },

    #[error("the cards disagree on the {table} row of {key}: a registry lists each unit and permit once, so all outlets of one must carry the same details")]
    Inconsistent { table: Table, key: String },
}

/// Writes a registry as one CSV file per table (`units.csv`, `permits.csv`, ...) in a folder.
///
/// Headers and words (statuses, kinds, yes/no) are written in the chosen language. Files are UTF-8
/// with a byte order mark, so that Excel opens them with the right encoding. Each unit and permit is
/// written once, at its first card; it keeps one copy of each in memory to check that later cards
/// agree.
pub struct RegistryWriter {
    lang: Lang,
    files: Vec<(PathBuf, csv::Writer<BufWriter<File>>)>,
    units: HashMap<Uscc, Unit>,
    permits: HashMap<PermitNo, Permit>,
}

impl RegistryWriter {
    /// Creates the folder if needed and the eight CSV files with their header rows, replacing files
    /// of the same names.
    pub fn create(dir: &Path, lang: Lang) -> Result<Self, WriteError> {
        std::fs::create_dir_all(dir).map_err(|source| WriteError::Io { path: dir.into(), source })?;

        let mut files = Vec::new();
        for table in Table::ALL {
            let path = dir.join(format!("{}.csv", table.key()));
            let file = File::create(&path).map_err(|source| WriteError::Io { path: path.clone(), source })?;
            let mut buffered = BufWriter::new(file);
            buffered.write_all("\u{FEFF}".as_bytes()).map_err(|source| WriteError::Io { path: path.clone(), source })?;

            let mut writer = csv::Writer::from_writer(buffered);
            let header = table.columns().iter().map(|column| match lang {
                Lang::Zh => column.header_zh,
                Lang::En => column.key,
            });
            writer.write_record(header).map_err(|source| WriteError::Csv { path: path.clone(), source })?;
            files.push((path, writer));
        }
        Ok(Self { lang, files, units: HashMap::new(), permits: HashMap::new() })
    }

    /// Writes one card: its unit and permit the first time they appear, then its outlet and every
    /// row that belongs to the outlet.
    pub fn write_card(&mut self, card: &OutletCard) -> Result<(), WriteError> {
        self.write_unit(&card.unit)?;
        self.write_permit(&card.permit, &card.unit.uscc)?;
        self.write_outlet(card)?;
        self.write_limits(card)?;
        self.write_special_periods(card)?;
        self.write_monitoring(card)?;
        self.write_monitors(card)?;
        self.write_enforcement(card)
    }

    /// Flushes every file.
    pub fn finish(self) -> Result<(), WriteError> {
        for (path, mut writer) in self.files {
            writer.flush().map_err(|source| WriteError::Io { path, source })?;
        }
        Ok(())
    }

    fn write_row(&mut self, table: Table, row: Vec<String>) -> Result<(), WriteError> {
        let index = Table::ALL.iter().position(|candidate| *candidate == table).expect("every table has a file");
        let (path, writer) = &mut self.files[index];
        writer.write_record(&row).map_err(|source| WriteError::Csv { path: path.clone(), source })
    }

    fn word<T: Copy + PartialEq>(&self, choices: &'static [Choice<T>], value: T) -> String {
        let choice = Choice::of(choices, value);
        match self.lang {
            Lang::Zh => choice.zh.into(),
            Lang::En => choice.en.into(),
        }
    }

    fn write_unit(&mut self, unit: &Unit) -> Result<(), WriteError> {
        if let Some(written) = self.units.get(&unit.uscc) {
            return agree(written == unit, Table::Units, unit.uscc.as_str());
        }
        let mut row = empty_row(Table::Units);
        row[units::USCC] = unit.uscc.to_string();
        row[units::NAME] = unit.name.clone();
        row[units::ADDRESS] = unit.address.clone();
        row[units::INDUSTRY_CODE] = unit.industry_code.clone();
        row[units::MANAGEMENT_CLASS] = self.word(MANAGEMENT_CLASSES, unit.management_class);
        self.units.insert(unit.uscc.clone(), unit.clone());
        self.write_row(Table::Units, row)
    }

    fn write_permit(&mut self, permit: &Permit, uscc: &Uscc) -> Result<(), WriteError> {
        if let Some(written) = self.permits.get(&permit.permit_no) {
            return agree(written == permit, Table::Permits, permit.permit_no.as_str());
        }
        let mut row = empty_row(Table::Permits);
        row[permits::PERMIT_NO] = permit.permit_no.to_string();
        row[permits::USCC] = uscc.to_string();
        row[permits::ISSUING_AUTHORITY] = permit.issuing_authority.clone();
        row[permits::ISSUE_DATE] = permit.issue_date.map(|date| date.to_string()).unwrap_or_default();
        row[permits::VALID_FROM] = permit.valid_from.to_string();
        row[permits::VALID_TO] = permit.valid_to.to_string();
        row[permits::STATUS] = self.word(PERMIT_STATUSES, permit.status);
        row[permits::VERSION] = permit.version.to_string();
        self.permits.insert(permit.permit_no.clone(), permit.clone());
        self.write_row(Table::Permits, row)
    }

    fn write_outlet(&mut self, card: &OutletCard) -> Result<(), WriteError> {
        let outlet = &card.outlet;
        let mut row = empty_row(Table::Outlets);
        row[outlets::PERMIT_NO] = outlet.id.permit_no.to_string();
        row[outlets::OUTLET_CODE] = outlet.id.outlet_code.to_string();
        row[outlets::NAME] = outlet.name.clone();
        row[outlets::MEDIUM] = self.word(MEDIA, outlet.medium);
        row[outlets::KIND] = self.word(OUTLET_KINDS, outlet.kind);
        row[outlets::LONGITUDE] = outlet.longitude.to_string();
        row[outlets::LATITUDE] = outlet.latitude.to_string();
        row[outlets::STACK_HEIGHT] = optional_number(outlet.stack_height_m);
        row[outlets::STACK_DIAMETER] = optional_number(outlet.stack_diameter_m);
        row[outlets::RECEIVING_WATER] = outlet.receiving_water.clone().unwrap_or_default();
        row[outlets::DISCHARGE_MODE] = outlet.discharge_mode.map(|mode| self.word(DISCHARGE_MODES, mode)).unwrap_or_default();
        self.write_row(Table::Outlets, row)
    }

    fn write_limits(&mut self, card: &OutletCard) -> Result<(), WriteError> {
        for limit in &card.limits {
            let mut row = empty_row(Table::Limits);
            row[limits::PERMIT_NO] = card.outlet.id.permit_no.to_string();
            row[limits::OUTLET_CODE] = card.outlet.id.outlet_code.to_string();
            row[limits::POLLUTANT] = limit.pollutant.clone();
            row[limits::HJ212_CODE] = limit.hj212_code.clone().unwrap_or_default();

            let values = [(limits::HOURLY, &limit.hourly), (limits::DAILY, &limit.daily), (limits::COMMITTED, &limit.committed)];
            let shared_unit = shared_unit(values.iter().filter_map(|(_, value)| value.as_ref()));
            for (column, value) in values {
                row[column] = value.as_ref().map(|value| limit_text(value, shared_unit.is_some())).unwrap_or_default();
            }
            row[limits::UNIT] = shared_unit.unwrap_or_default();
            row[limits::RATE] = optional_number(limit.rate_kg_per_h);
            for (amount, column) in limit.annual_t.iter().zip(ANNUAL_COLUMNS) {
                row[column] = amount.to_string();
            }
            row[limits::STANDARD] = limit.standard.clone();
            self.write_row(Table::Limits, row)?;
        }
        Ok(())
    }

    fn write_special_periods(&mut self, card: &OutletCard) -> Result<(), WriteError> {
        for period in &card.special_periods {
            let mut row = empty_row(Table::SpecialPeriods);
            row[special_periods::PERMIT_NO] = card.outlet.id.permit_no.to_string();
            row[special_periods::OUTLET_CODE] = card.outlet.id.outlet_code.to_string();
            row[special_periods::NAME] = period.name.clone();
            row[special_periods::STARTS] = period.starts.to_string();
            row[special_periods::ENDS] = period.ends.to_string();
            row[special_periods::POLLUTANT] = period.pollutant.clone();
            let unit = shared_unit(period.concentration.iter());
            row[special_periods::CONCENTRATION] = period.concentration.as_ref().map(|value| limit_text(value, true)).unwrap_or_default();
            row[special_periods::UNIT] = unit.unwrap_or_default();
            row[special_periods::DAILY_KG] = optional_number(period.daily_kg);
            row[special_periods::MONTHLY_T] = optional_number(period.monthly_t);
            self.write_row(Table::SpecialPeriods, row)?;
        }
        Ok(())
    }

    fn write_monitoring(&mut self, card: &OutletCard) -> Result<(), WriteError> {
        for duty in &card.monitoring {
            let mut row = empty_row(Table::Monitoring);
            row[monitoring::PERMIT_NO] = card.outlet.id.permit_no.to_string();
            row[monitoring::OUTLET_CODE] = card.outlet.id.outlet_code.to_string();
            row[monitoring::POLLUTANT] = duty.pollutant.clone();
            row[monitoring::MODE] = self.word(MONITORING_MODES, duty.mode);
            row[monitoring::NETWORKED] = self.word(YES_NO, duty.networked);
            row[monitoring::FREQUENCY] = duty.frequency.clone();
            row[monitoring::METHOD_STANDARD] = duty.method_standard.clone();
            self.write_row(Table::Monitoring, row)?;
        }
        Ok(())
    }

    fn write_monitors(&mut self, card: &OutletCard) -> Result<(), WriteError> {
        for monitor in &card.monitors {
            let mut row = empty_row(Table::Monitors);
            row[monitors::PERMIT_NO] = card.outlet.id.permit_no.to_string();
            row[monitors::OUTLET_CODE] = card.outlet.id.outlet_code.to_string();
            row[monitors::MN] = monitor.mn.clone();
            row[monitors::POLLUTANTS] = monitor.pollutants.join("、");
            self.write_row(Table::Monitors, row)?;
        }
        Ok(())
    }

    fn write_enforcement(&mut self, card: &OutletCard) -> Result<(), WriteError> {
        for action in &card.enforcement {
            let mut row = empty_row(Table::Enforcement);
            row[enforcement::PERMIT_NO] = card.outlet.id.permit_no.to_string();
            row[enforcement::OUTLET_CODE] = card.outlet.id.outlet_code.to_string();
            row[enforcement::DATE] = action.date.to_string();
            row[enforcement::KIND] = self.word(ENFORCEMENT_KINDS, action.kind);
            row[enforcement::RESULT] = action.result.clone();
            row[enforcement::LEGAL_ARTICLE] = action.legal_article.clone().unwrap_or_default();
            row[enforcement::DECISION_NO] = action.decision_no.clone().unwrap_or_default();
            row[enforcement::FINE] = action.fine_yuan.map(|fine| fine.to_string()).unwrap_or_default();
            row[enforcement::STATUS] = action.status.clone().unwrap_or_default();
            row[enforcement::PUBLIC] = self.word(YES_NO, action.public);
            row[enforcement::INTERNAL_NOTE] = action.internal_note.clone().unwrap_or_default();
            self.write_row(Table::Enforcement, row)?;
        }
        Ok(())
    }
}

/// Writes `cards` as a registry in `dir` (see [`RegistryWriter`]).
pub fn write_registry<'a>(dir: &Path, lang: Lang, cards: impl IntoIterator<Item = &'a OutletCard>) -> Result<(), WriteError> {
    let mut writer = RegistryWriter::create(dir, lang)?;
    for card in cards {
        writer.write_card(card)?;
    }
    writer.finish()
}

fn agree(same: bool, table: Table, key: &str) -> Result<(), WriteError> {
    if same {
        Ok(())
    } else {
        Err(WriteError::Inconsistent { table, key: key.into() })
    }
}

fn empty_row(table: Table) -> Vec<String> {
    vec![String::new(); table.columns().len()]
}

fn optional_number(number: Option<f64>) -> String {
    number.map(|number| number.to_string()).unwrap_or_default()
}

/// Finds the unit that all numeric values share, which then goes in the unit column. Returns `None`
/// when they differ (each number is then written with its unit after it) or none is numeric.
fn shared_unit<'a>(values: impl Iterator<Item = &'a LimitValue>) -> Option<String> {
    let mut units = values.filter_map(LimitValue::numeric).map(|(_, unit)| unit);
    let first = units.next()?;
    units.all(|unit| unit == first).then(|| first.to_string())
}

fn limit_text(value: &LimitValue, unit_in_column: bool) -> String {
    match value {
        LimitValue::Text(text) => text.clone(),
        LimitValue::Numeric { value, .. } if unit_in_column => value.to_string(),
        LimitValue::Numeric { value, unit } => format!("{value} {unit}"),
    }
}
