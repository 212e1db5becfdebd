//! Checks between rows and tables (references resolve, keys are unique, units fit the outlet's
//! medium) and the assembly of one card per outlet.
//!
//! A permit is imported whole or not at all: an invalid row holds back every outlet of the permit it
//! names (for a unit's row, every permit of the unit), so no card is written with part of its rows.

use std::collections::{BTreeSet, HashMap, HashSet};

use outlet_core::card::{EnforcementAction, Medium, MonitoringRequirement, OnlineMonitor, Outlet, PermitLimit, SpecialPeriodLimit, Unit};
use outlet_core::ids::{OutletId, PermitNo, Uscc};
use outlet_core::OutletCard;

use crate::columns::*;
use crate::error::{Location, MediumName, Problem, ProblemKind};
use crate::read::Source;
use crate::row::{Header, UsedUnit};
use crate::validate::{EnforcementRow, LimitRow, MonitorRow, MonitoringRow, PermitRow, SpecialPeriodRow, TypedRow};

/// A row of the registry: the table source it was read from (an index into [`Collected::sources`])
/// and its row number. Orders rows as they were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RowRef {
    pub source: usize,
    pub row: u32,
}

/// The owner of an invalid row, read from its key cells as written (trimmed, in upper case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RowOwner {
    /// A `units` row: the USCC.
    Unit(String),
    /// Any other row: the permit number.
    Permit(String),
    /// The key cell is empty.
    Unknown,
}

/// Every row read, valid rows typed, invalid rows by owner.
#[derive(Debug, Default)]
pub(crate) struct Collected {
    pub sources: Vec<(Source, Header)>,
    pub units: Vec<(RowRef, Unit)>,
    pub permits: Vec<(RowRef, PermitRow)>,
    pub outlets: Vec<(RowRef, Outlet)>,
    pub limits: Vec<(RowRef, LimitRow)>,
    pub special_periods: Vec<(RowRef, SpecialPeriodRow)>,
    pub monitoring: Vec<(RowRef, MonitoringRow)>,
    pub monitors: Vec<(RowRef, MonitorRow)>,
    pub enforcement: Vec<(RowRef, EnforcementRow)>,
    pub invalid: HashMap<RowRef, RowOwner>,
    /// USCCs of every `units` row, valid or not, as written.
    pub unit_keys: HashSet<String>,
    /// Permit number → USCC of every `permits` row, valid or not, as written.
    pub permit_keys: HashMap<String, String>,
    /// Permit number and outlet code of every `outlets` row, valid or not, as written.
    pub outlet_keys: HashSet<(String, String)>,
    /// Data rows read, blank rows not counted.
    pub rows: usize,
}

impl Collected {
    pub(crate) fn push(&mut self, at: RowRef, row: TypedRow) {
        match row {
            TypedRow::Unit(unit) => self.units.push((at, unit)),
            TypedRow::Permit(permit) => self.permits.push((at, permit)),
            TypedRow::Outlet(outlet) => self.outlets.push((at, outlet)),
            TypedRow::Limit(limit) => self.limits.push((at, limit)),
            TypedRow::SpecialPeriod(period) => self.special_periods.push((at, period)),
            TypedRow::Monitoring(duty) => self.monitoring.push((at, duty)),
            TypedRow::Monitor(monitor) => self.monitors.push((at, monitor)),
            TypedRow::Enforcement(action) => self.enforcement.push((at, action)),
        }
    }

    fn location(&self, at: RowRef, column: usize, value: String) -> Location {
        let (source, header) = &self.sources[at.source];
        source.at(Some(at.row), Some(header.column_name(column)), Some(value))
    }
}

/// The cards of the permits that can be imported, and what was held back.
#[derive(Debug, Default)]
pub(crate) struct Assembled {
    pub cards: Vec<OutletCard>,
    pub complete_permits: BTreeSet<PermitNo>,
    pub held_back_permits: BTreeSet<String>,
    pub removals_withheld: bool,
    pub skipped_rows: usize,
}

/// The rows found invalid here, and the problems found.
struct Checker<'a> {
    collected: &'a Collected,
    problems: &'a mut Vec<Problem>,
    invalid: HashMap<RowRef, RowOwner>,
}

impl Checker<'_> {
    fn reject(&mut self, at: RowRef, owner: RowOwner, column: usize, value: String, kind: ProblemKind) {
        let location = self.collected.location(at, column, value);
        self.problems.push(Problem { location, kind });
        self.invalid.insert(at, owner);
    }
}

fn owner_of(permit_no: &PermitNo) -> RowOwner {
    RowOwner::Permit(permit_no.to_string())
}

/// Runs the checks between rows, then assembles the cards of the permits without invalid rows.
pub(crate) fn assemble(mut collected: Collected, problems: &mut Vec<Problem>) -> Assembled {
    let invalid = std::mem::take(&mut collected.invalid);
    let mut checker = Checker { collected: &collected, problems, invalid };

    let units = check_units(&mut checker);
    let permits = check_permits(&mut checker);
    let media = check_outlets(&mut checker);
    check_limits(&mut checker, &media);
    check_special_periods(&mut checker, &media);
    check_monitoring(&mut checker);
    check_monitors(&mut checker);
    check_enforcement(&mut checker);

    let invalid = checker.invalid;
    let (held_back, removals_withheld) = held_back_permits(&collected, &invalid);
    let skipped_rows = invalid.len() + count_rows_of(&collected, &invalid, &held_back);

    let complete_permits = if removals_withheld {
        BTreeSet::new()
    } else {
        permits.keys().filter(|permit_no| !held_back.contains(permit_no.as_str())).cloned().collect()
    };
    let cards = build_cards(collected, &invalid, &held_back, &units, &permits);
    Assembled { cards, complete_permits, held_back_permits: held_back, removals_withheld, skipped_rows }
}

/// Checks that no USCC is listed twice. Returns the first row of each unit.
fn check_units(checker: &mut Checker) -> HashMap<Uscc, RowRef> {
    let mut first: HashMap<Uscc, RowRef> = HashMap::new();
    for (at, unit) in &checker.collected.units {
        if let Some(first_row) = first.get(&unit.uscc) {
            let kind = ProblemKind::Duplicate { first_row: first_row.row };
            checker.reject(*at, RowOwner::Unit(unit.uscc.to_string()), units::USCC, unit.uscc.to_string(), kind);
            continue;
        }
        first.insert(unit.uscc.clone(), *at);
    }
    first
}

/// Checks that each permit is listed once and its unit is in `units`. Returns the first row of each
/// permit.
fn check_permits(checker: &mut Checker) -> HashMap<PermitNo, RowRef> {
    let mut first: HashMap<PermitNo, RowRef> = HashMap::new();
    for (at, row) in &checker.collected.permits {
        let owner = owner_of(&row.permit.permit_no);
        if let Some(first_row) = first.get(&row.permit.permit_no) {
            let kind = ProblemKind::Duplicate { first_row: first_row.row };
            checker.reject(*at, owner, permits::PERMIT_NO, row.permit.permit_no.to_string(), kind);
            continue;
        }
        first.insert(row.permit.permit_no.clone(), *at);

        if !checker.collected.unit_keys.contains(row.uscc.as_str()) {
            checker.reject(*at, owner, permits::USCC, row.uscc.to_string(), ProblemKind::Dangling { table: Table::Units });
        }
    }
    first
}

/// Checks that each outlet is listed once and its permit is in `permits`. Returns the medium of each
/// valid outlet.
fn check_outlets(checker: &mut Checker) -> HashMap<OutletId, Medium> {
    let mut first: HashMap<&OutletId, RowRef> = HashMap::new();
    let mut media = HashMap::new();
    for (at, outlet) in &checker.collected.outlets {
        let owner = owner_of(&outlet.id.permit_no);
        if let Some(first_row) = first.get(&outlet.id) {
            let kind = ProblemKind::Duplicate { first_row: first_row.row };
            checker.reject(*at, owner, outlets::OUTLET_CODE, outlet.id.outlet_code.to_string(), kind);
            continue;
        }
        first.insert(&outlet.id, *at);

        if !checker.collected.permit_keys.contains_key(outlet.id.permit_no.as_str()) {
            checker.reject(*at, owner, outlets::PERMIT_NO, outlet.id.permit_no.to_string(), ProblemKind::Dangling { table: Table::Permits });
            continue;
        }
        media.insert(outlet.id.clone(), outlet.medium);
    }
    media
}

/// Checks that a row's outlet is in `outlets`. Returns false, after recording the problem, when it
/// is not.
fn outlet_exists(checker: &mut Checker, at: RowRef, outlet: &OutletId, code_column: usize) -> bool {
    let key = (outlet.permit_no.to_string(), outlet.outlet_code.to_string());
    if checker.collected.outlet_keys.contains(&key) {
        return true;
    }
    checker.reject(at, owner_of(&outlet.permit_no), code_column, outlet.outlet_code.to_string(), ProblemKind::Dangling { table: Table::Outlets });
    false
}

/// Checks that the concentration units of a row fit its outlet's medium.
fn check_units_fit(checker: &mut Checker, at: RowRef, outlet: &OutletId, medium: Option<Medium>, used: &[UsedUnit]) {
    let Some(medium) = medium else {
        return;
    };
    for unit in used {
        if let Some(unit_medium) = unit.measure.medium().filter(|unit_medium| *unit_medium != medium) {
            let kind = ProblemKind::MeasureMedium { unit: unit.measure.symbol().into(), unit_medium: MediumName(unit_medium), medium: MediumName(medium) };
            checker.reject(at, owner_of(&outlet.permit_no), unit.column, unit.text.clone(), kind);
        }
    }
}

fn check_limits(checker: &mut Checker, media: &HashMap<OutletId, Medium>) {
    let mut first: HashMap<(&OutletId, &str), RowRef> = HashMap::new();
    for (at, row) in &checker.collected.limits {
        if !outlet_exists(checker, *at, &row.outlet, limits::OUTLET_CODE) {
            continue;
        }
        if let Some(first_row) = first.get(&(&row.outlet, row.limit.pollutant.as_str())) {
            let kind = ProblemKind::Duplicate { first_row: first_row.row };
            checker.reject(*at, owner_of(&row.outlet.permit_no), limits::POLLUTANT, row.limit.pollutant.clone(), kind);
            continue;
        }
        first.insert((&row.outlet, &row.limit.pollutant), *at);

        let medium = media.get(&row.outlet).copied();
        check_units_fit(checker, *at, &row.outlet, medium, &row.units);
        if let (Some(code), Some(medium)) = (&row.limit.hj212_code, medium) {
            let code_medium = if code.starts_with('a') { Medium::Air } else { Medium::Water };
            if code_medium != medium {
                let kind = ProblemKind::PollutantCodeMedium { code_medium: MediumName(code_medium), medium: MediumName(medium) };
                checker.reject(*at, owner_of(&row.outlet.permit_no), limits::HJ212_CODE, code.clone(), kind);
            }
        }
    }
}

fn check_special_periods(checker: &mut Checker, media: &HashMap<OutletId, Medium>) {
    let mut first: HashMap<(&OutletId, &str, &str, time::Date), RowRef> = HashMap::new();
    for (at, row) in &checker.collected.special_periods {
        if !outlet_exists(checker, *at, &row.outlet, special_periods::OUTLET_CODE) {
            continue;
        }
        let key = (&row.outlet, row.period.name.as_str(), row.period.pollutant.as_str(), row.period.starts);
        if let Some(first_row) = first.get(&key) {
            let kind = ProblemKind::Duplicate { first_row: first_row.row };
            checker.reject(*at, owner_of(&row.outlet.permit_no), special_periods::POLLUTANT, row.period.pollutant.clone(), kind);
            continue;
        }
        first.insert(key, *at);
        check_units_fit(checker, *at, &row.outlet, media.get(&row.outlet).copied(), &row.units);
    }
}

fn check_monitoring(checker: &mut Checker) {
    let mut first: HashMap<(&OutletId, &str, bool), RowRef> = HashMap::new();
    for (at, row) in &checker.collected.monitoring {
        if !outlet_exists(checker, *at, &row.outlet, monitoring::OUTLET_CODE) {
            continue;
        }
        let key = (&row.outlet, row.duty.pollutant.as_str(), row.duty.mode == outlet_core::card::MonitoringMode::Automatic);
        if let Some(first_row) = first.get(&key) {
            let kind = ProblemKind::Duplicate { first_row: first_row.row };
            checker.reject(*at, owner_of(&row.outlet.permit_no), monitoring::POLLUTANT, row.duty.pollutant.clone(), kind);
            continue;
        }
        first.insert(key, *at);
    }
}

/// Checks that each monitor's outlet exists and that no MN is listed twice in the registry.
fn check_monitors(checker: &mut Checker) {
    let mut first: HashMap<&str, RowRef> = HashMap::new();
    for (at, row) in &checker.collected.monitors {
        if !outlet_exists(checker, *at, &row.outlet, monitors::OUTLET_CODE) {
            continue;
        }
        if let Some(first_row) = first.get(row.monitor.mn.as_str()) {
            let kind = ProblemKind::Duplicate { first_row: first_row.row };
            checker.reject(*at, owner_of(&row.outlet.permit_no), monitors::MN, row.monitor.mn.clone(), kind);
            continue;
        }
        first.insert(&row.monitor.mn, *at);
    }
}

/// Checks that each record's permit (and outlet, if given) exists and that a decision number is not
/// listed twice for the same outlet.
fn check_enforcement(checker: &mut Checker) {
    let mut first: HashMap<(&PermitNo, Option<&str>, &str), RowRef> = HashMap::new();
    for (at, row) in &checker.collected.enforcement {
        let owner = owner_of(&row.permit_no);
        if !checker.collected.permit_keys.contains_key(row.permit_no.as_str()) {
            checker.reject(*at, owner, enforcement::PERMIT_NO, row.permit_no.to_string(), ProblemKind::Dangling { table: Table::Permits });
            continue;
        }
        if let Some(code) = &row.outlet_code {
            let outlet = OutletId { permit_no: row.permit_no.clone(), outlet_code: code.clone() };
            if !outlet_exists(checker, *at, &outlet, enforcement::OUTLET_CODE) {
                continue;
            }
        }
        let Some(decision_no) = &row.action.decision_no else {
            continue;
        };
        let key = (&row.permit_no, row.outlet_code.as_ref().map(|code| code.as_str()), decision_no.as_str());
        if let Some(first_row) = first.get(&key) {
            let kind = ProblemKind::Duplicate { first_row: first_row.row };
            checker.reject(*at, owner, enforcement::DECISION_NO, decision_no.clone(), kind);
            continue;
        }
        first.insert(key, *at);
    }
}

/// Lists the permit numbers of each unit, both as written.
fn permits_by_unit(collected: &Collected) -> HashMap<&str, Vec<&str>> {
    let mut permits: HashMap<&str, Vec<&str>> = HashMap::new();
    for (permit_no, uscc) in &collected.permit_keys {
        permits.entry(uscc.as_str()).or_default().push(permit_no.as_str());
    }
    permits
}

/// Finds the permits with an invalid row. A row names its permit directly, and a unit's row names
/// every permit of the unit. Also returns true when an invalid row names no permit of the registry,
/// because such a row may belong to any permit, so no outlet may be removed.
fn held_back_permits(collected: &Collected, invalid: &HashMap<RowRef, RowOwner>) -> (BTreeSet<String>, bool) {
    let of_unit = permits_by_unit(collected);
    let mut held_back = BTreeSet::new();
    let mut unattributed = false;
    for owner in invalid.values() {
        match owner {
            RowOwner::Permit(permit_no) if collected.permit_keys.contains_key(permit_no) => {
                held_back.insert(permit_no.clone());
            }
            RowOwner::Unit(uscc) => {
                held_back.extend(of_unit.get(uscc.as_str()).into_iter().flatten().map(|permit_no| permit_no.to_string()));
            }
            RowOwner::Permit(_) | RowOwner::Unknown => unattributed = true,
        }
    }
    (held_back, unattributed)
}

/// Counts the valid rows of held-back permits, which are skipped along with the invalid ones. A
/// unit's row counts when every permit of the unit is held back.
fn count_rows_of(collected: &Collected, invalid: &HashMap<RowRef, RowOwner>, held_back: &BTreeSet<String>) -> usize {
    if held_back.is_empty() {
        return 0;
    }

    let of_unit = permits_by_unit(collected);
    let skipped = |at: &RowRef, permit_no: &PermitNo| !invalid.contains_key(at) && held_back.contains(permit_no.as_str());
    let unit_skipped = |at: &RowRef, uscc: &Uscc| {
        let permits = of_unit.get(uscc.as_str()).map(Vec::as_slice).unwrap_or_default();
        !invalid.contains_key(at) && !permits.is_empty() && permits.iter().all(|permit_no| held_back.contains(*permit_no))
    };
    collected.units.iter().filter(|(at, unit)| unit_skipped(at, &unit.uscc)).count()
        + collected.permits.iter().filter(|(at, row)| skipped(at, &row.permit.permit_no)).count()
        + collected.outlets.iter().filter(|(at, outlet)| skipped(at, &outlet.id.permit_no)).count()
        + collected.limits.iter().filter(|(at, row)| skipped(at, &row.outlet.permit_no)).count()
        + collected.special_periods.iter().filter(|(at, row)| skipped(at, &row.outlet.permit_no)).count()
        + collected.monitoring.iter().filter(|(at, row)| skipped(at, &row.outlet.permit_no)).count()
        + collected.monitors.iter().filter(|(at, row)| skipped(at, &row.outlet.permit_no)).count()
        + collected.enforcement.iter().filter(|(at, row)| skipped(at, &row.permit_no)).count()
}

/// Builds one card per valid outlet of the permits not held back, in the order of the `outlets`
/// rows. Limits, periods, duties and monitors keep their row order; enforcement records are newest
/// first, records of the same day in row order.
fn build_cards(
    collected: Collected,
    invalid: &HashMap<RowRef, RowOwner>,
    held_back: &BTreeSet<String>,
    unit_rows: &HashMap<Uscc, RowRef>,
    permit_rows: &HashMap<PermitNo, RowRef>,
) -> Vec<OutletCard> {
    let usable = |at: &RowRef, permit_no: &PermitNo| !invalid.contains_key(at) && !held_back.contains(permit_no.as_str());

    let units: HashMap<Uscc, Unit> =
        collected.units.into_iter().filter(|(at, unit)| unit_rows.get(&unit.uscc) == Some(at)).map(|(_, unit)| (unit.uscc.clone(), unit)).collect();
    let permits: HashMap<PermitNo, PermitRow> = collected
        .permits
        .into_iter()
        .filter(|(at, row)| permit_rows.get(&row.permit.permit_no) == Some(at) && usable(at, &row.permit.permit_no))
        .map(|(_, row)| (row.permit.permit_no.clone(), row))
        .collect();

    let mut limits: HashMap<OutletId, Vec<PermitLimit>> = HashMap::new();
    for (_, row) in collected.limits.into_iter().filter(|(at, row)| usable(at, &row.outlet.permit_no)) {
        limits.entry(row.outlet).or_default().push(row.limit);
    }
    let mut periods: HashMap<OutletId, Vec<SpecialPeriodLimit>> = HashMap::new();
    for (_, row) in collected.special_periods.into_iter().filter(|(at, row)| usable(at, &row.outlet.permit_no)) {
        periods.entry(row.outlet).or_default().push(row.period);
    }
    let mut duties: HashMap<OutletId, Vec<MonitoringRequirement>> = HashMap::new();
    for (_, MonitoringRow { outlet, duty }) in collected.monitoring.into_iter().filter(|(at, row)| usable(at, &row.outlet.permit_no)) {
        duties.entry(outlet).or_default().push(duty);
    }
    let mut monitors: HashMap<OutletId, Vec<OnlineMonitor>> = HashMap::new();
    for (_, MonitorRow { outlet, monitor }) in collected.monitors.into_iter().filter(|(at, row)| usable(at, &row.outlet.permit_no)) {
        monitors.entry(outlet).or_default().push(monitor);
    }
    let mut actions_of_outlet: HashMap<OutletId, Vec<(RowRef, EnforcementAction)>> = HashMap::new();
    let mut actions_of_permit: HashMap<PermitNo, Vec<(RowRef, EnforcementAction)>> = HashMap::new();
    for (at, row) in collected.enforcement.into_iter().filter(|(at, row)| usable(at, &row.permit_no)) {
        match row.outlet_code {
            Some(outlet_code) => actions_of_outlet.entry(OutletId { permit_no: row.permit_no, outlet_code }).or_default().push((at, row.action)),
            None => actions_of_permit.entry(row.permit_no).or_default().push((at, row.action)),
        }
    }

    let mut cards = Vec::new();
    for (at, outlet) in collected.outlets {
        if !usable(&at, &outlet.id.permit_no) {
            continue;
        }
        let (Some(permit), id) = (permits.get(&outlet.id.permit_no), outlet.id.clone()) else {
            continue;
        };
        let Some(unit) = units.get(&permit.uscc) else {
            continue;
        };

        let mut actions = actions_of_outlet.remove(&id).unwrap_or_default();
        actions.extend(actions_of_permit.get(&id.permit_no).into_iter().flatten().cloned());
        actions.sort_by_key(|(at, _)| *at);
        actions.sort_by_key(|(_, action)| std::cmp::Reverse(action.date));

        cards.push(OutletCard {
            version: 0,
            unit: unit.clone(),
            permit: permit.permit.clone(),
            outlet,
            limits: limits.remove(&id).unwrap_or_default(),
            special_periods: periods.remove(&id).unwrap_or_default(),
            monitoring: duties.remove(&id).unwrap_or_default(),
            monitors: monitors.remove(&id).unwrap_or_default(),
            enforcement: actions.into_iter().map(|(_, action)| action).collect(),
            placard_serial: None,
        });
    }
    cards
}
