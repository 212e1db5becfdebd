//! The rules of each table's rows: every cell read by its column's rule, and the checks between
//! cells of one row (dates in order, medium against outlet code, ...). Checks between rows and
//! tables are in `assemble`.

use outlet_core::card::{
    EnforcementAction, EnforcementKind, Medium, MonitoringMode, MonitoringRequirement, OnlineMonitor, OnlineStatus, Outlet, Permit, PermitLimit, SpecialPeriodLimit, Unit,
};
use outlet_core::ids::{OutletCode, OutletId, PermitNo, Uscc};

use crate::columns::*;
use crate::error::{MediumName, ProblemKind};
use crate::measure::Measure;
use crate::row::{self, RowView, UsedUnit};

/// A valid row of any table.
#[derive(Debug, Clone)]
pub(crate) enum TypedRow {
    Unit(Unit),
    Permit(PermitRow),
    Outlet(Outlet),
    Limit(LimitRow),
    SpecialPeriod(SpecialPeriodRow),
    Monitoring(MonitoringRow),
    Monitor(MonitorRow),
    Enforcement(EnforcementRow),
}

#[derive(Debug, Clone)]
pub(crate) struct PermitRow {
    pub uscc: Uscc,
    pub permit: Permit,
}

#[derive(Debug, Clone)]
pub(crate) struct LimitRow {
    pub outlet: OutletId,
    pub limit: PermitLimit,
    pub units: Vec<UsedUnit>,
}

#[derive(Debug, Clone)]
pub(crate) struct SpecialPeriodRow {
    pub outlet: OutletId,
    pub period: SpecialPeriodLimit,
    pub units: Vec<UsedUnit>,
}

#[derive(Debug, Clone)]
pub(crate) struct MonitoringRow {
    pub outlet: OutletId,
    pub duty: MonitoringRequirement,
}

#[derive(Debug, Clone)]
pub(crate) struct MonitorRow {
    pub outlet: OutletId,
    pub monitor: OnlineMonitor,
}

#[derive(Debug, Clone)]
pub(crate) struct EnforcementRow {
    pub permit_no: PermitNo,
    /// `None`: the record applies to every outlet of the permit.
    pub outlet_code: Option<OutletCode>,
    pub action: EnforcementAction,
}

/// Reads a data row of the view's table. Returns `None` when the row has a problem, and the view
/// then contains every problem found.
pub(crate) fn validate_row(view: &mut RowView) -> Option<TypedRow> {
    let row = match view.header.table {
        Table::Units => unit_row(view).map(TypedRow::Unit),
        Table::Permits => permit_row(view).map(TypedRow::Permit),
        Table::Outlets => outlet_row(view).map(TypedRow::Outlet),
        Table::Limits => limit_row(view).map(TypedRow::Limit),
        Table::SpecialPeriods => special_period_row(view).map(TypedRow::SpecialPeriod),
        Table::Monitoring => monitoring_row(view).map(TypedRow::Monitoring),
        Table::Monitors => monitor_row(view).map(TypedRow::Monitor),
        Table::Enforcement => enforcement_row(view).map(TypedRow::Enforcement),
    };
    row.filter(|_| view.is_valid())
}

fn unit_row(view: &mut RowView) -> Option<Unit> {
    let uscc = view.required(units::USCC, row::uscc);
    let name = view.text(units::NAME);
    let address = view.text(units::ADDRESS);
    let industry_code = view.text(units::INDUSTRY_CODE);
    let management_class = view.required(units::MANAGEMENT_CLASS, row::choice(MANAGEMENT_CLASSES));

    Some(Unit { uscc: uscc?, name: name?, address: address?, industry_code: industry_code?, management_class: management_class? })
}

fn permit_row(view: &mut RowView) -> Option<PermitRow> {
    let permit_no = view.required(permits::PERMIT_NO, row::permit_no);
    let uscc = view.required(permits::USCC, row::uscc);
    let issuing_authority = view.text(permits::ISSUING_AUTHORITY);
    let issue_date = view.optional(permits::ISSUE_DATE, row::date);
    let valid_from = view.required(permits::VALID_FROM, row::date);
    let valid_to = view.required(permits::VALID_TO, row::date);
    let status = view.required(permits::STATUS, row::choice(PERMIT_STATUSES));
    let version = view.optional(permits::VERSION, row::whole(1, None));

    if let (Some(permit_no), Some(uscc)) = (&permit_no, &uscc) {
        if permit_no.uscc() != *uscc {
            view.problem(permits::PERMIT_NO, ProblemKind::PermitOfOtherUnit { uscc: uscc.to_string() });
        }
    }
    if let (Some(from), Some(to)) = (valid_from, valid_to) {
        if to < from {
            require_order(view, permits::VALID_FROM, permits::VALID_TO);
        }
    }
    let version = match version? {
        None => 1,
        Some(version) => match u32::try_from(version) {
            Ok(version) => version,
            Err(_) => {
                view.problem(permits::VERSION, ProblemKind::NotWholeNumber { min: 1 });
                return None;
            }
        },
    };

    let permit = Permit {
        permit_no: permit_no?,
        issuing_authority: issuing_authority?,
        issue_date: issue_date?,
        valid_from: valid_from?,
        valid_to: valid_to?,
        status: status?,
        version,
    };
    Some(PermitRow { uscc: uscc?, permit })
}

/// Records that the date in `later` is before the one in `earlier`, at the later column.
fn require_order(view: &mut RowView, earlier: usize, later: usize) {
    let kind = ProblemKind::DateOrder { other_column: view.header.column_name(earlier), other_value: view.raw(earlier).unwrap_or_default() };
    view.problem(later, kind);
}

fn outlet_row(view: &mut RowView) -> Option<Outlet> {
    let permit_no = view.required(outlets::PERMIT_NO, row::permit_no);
    let outlet_code = view.required(outlets::OUTLET_CODE, row::outlet_code);
    let name = view.text(outlets::NAME);
    let medium = view.required(outlets::MEDIUM, row::choice(MEDIA));
    let kind = view.required(outlets::KIND, row::choice(OUTLET_KINDS));
    let longitude = view.required(outlets::LONGITUDE, row::degrees(-180.0, 180.0));
    let latitude = view.required(outlets::LATITUDE, row::degrees(-90.0, 90.0));
    let stack_height_m = view.optional(outlets::STACK_HEIGHT, row::amount(Some(Measure::Metre)));
    let stack_diameter_m = view.optional(outlets::STACK_DIAMETER, row::amount(Some(Measure::Metre)));
    let receiving_water = view.optional_text(outlets::RECEIVING_WATER);
    let discharge_mode = view.optional(outlets::DISCHARGE_MODE, row::choice(DISCHARGE_MODES));

    if let (Some(code), Some(medium)) = (&outlet_code, medium) {
        let code_medium = if code.is_air() { Medium::Air } else { Medium::Water };
        if code_medium != medium {
            view.problem(outlets::OUTLET_CODE, ProblemKind::OutletCodeMedium { code_medium: MediumName(code_medium), medium: MediumName(medium) });
        }
    }
    let only_for = |medium_of_column: Medium| move |view: &mut RowView, column: usize| {
        if medium != Some(medium_of_column) && medium.is_some() && view.raw(column).is_some() {
            let kind = ProblemKind::NotAllowedWhen { other_column: view.header.column_name(outlets::MEDIUM), other_value: view.raw(outlets::MEDIUM).unwrap_or_default() };
            view.problem(column, kind);
        }
    };
    only_for(Medium::Air)(view, outlets::STACK_HEIGHT);
    only_for(Medium::Air)(view, outlets::STACK_DIAMETER);
    only_for(Medium::Water)(view, outlets::RECEIVING_WATER);
    only_for(Medium::Water)(view, outlets::DISCHARGE_MODE);

    Some(Outlet {
        id: OutletId { permit_no: permit_no?, outlet_code: outlet_code? },
        name: name?,
        medium: medium?,
        kind: kind?,
        longitude: longitude?,
        latitude: latitude?,
        stack_height_m: stack_height_m?,
        stack_diameter_m: stack_diameter_m?,
        receiving_water: receiving_water?,
        discharge_mode: discharge_mode?,
    })
}

fn outlet_of(view: &mut RowView, permit_column: usize, code_column: usize) -> Option<OutletId> {
    let permit_no = view.required(permit_column, row::permit_no);
    let outlet_code = view.required(code_column, row::outlet_code);
    Some(OutletId { permit_no: permit_no?, outlet_code: outlet_code? })
}

fn limit_row(view: &mut RowView) -> Option<LimitRow> {
    let outlet = outlet_of(view, limits::PERMIT_NO, limits::OUTLET_CODE);
    let pollutant = view.text(limits::POLLUTANT);
    let hj212_code = view.optional(limits::HJ212_CODE, row::pollutant_code);
    let hourly = view.optional(limits::HOURLY, row::concentration);
    let daily = view.optional(limits::DAILY, row::concentration);
    let committed = view.optional(limits::COMMITTED, row::concentration);
    let unit = view.optional(limits::UNIT, row::concentration_unit);
    let rate_kg_per_h = view.optional(limits::RATE, row::amount(Some(Measure::KilogramPerHour)));
    let annual: Vec<Option<Option<f64>>> = ANNUAL_COLUMNS.iter().map(|&column| view.optional(column, row::amount(Some(Measure::TonnePerYear)))).collect();
    let standard = view.text(limits::STANDARD);

    let unit = unit?;
    let mut units = Vec::new();
    let mut value_of = |view: &mut RowView, column: usize, cell: Option<Option<row::Concentration>>| -> Option<Option<_>> {
        let Some(concentration) = cell? else {
            return Some(None);
        };
        let (value, used) = row::limit_value(view, column, concentration, limits::UNIT, unit)?;
        units.extend(used);
        Some(Some(value))
    };
    let hourly = value_of(view, limits::HOURLY, hourly);
    let daily = value_of(view, limits::DAILY, daily);
    let committed = value_of(view, limits::COMMITTED, committed);
    let annual_t = annual_amounts(view, &annual);

    let nothing_set = [&hourly, &daily, &committed].iter().all(|value| matches!(value, Some(None)))
        && matches!(rate_kg_per_h, Some(None))
        && matches!(&annual_t, Some(amounts) if amounts.is_empty());
    if nothing_set {
        view.problem(limits::HOURLY, ProblemKind::NoLimit);
    }

    let limit = PermitLimit {
        pollutant: pollutant?,
        hj212_code: hj212_code?,
        hourly: hourly?,
        daily: daily?,
        committed: committed?,
        rate_kg_per_h: rate_kg_per_h?,
        annual_t: annual_t?,
        standard: standard?,
    };
    Some(LimitRow { outlet: outlet?, limit, units })
}

/// Collects the annual amounts of years 1 to 5 up to the last one given. A year left empty before a
/// later year that is filled is a problem.
fn annual_amounts(view: &mut RowView, annual: &[Option<Option<f64>>]) -> Option<Vec<f64>> {
    let last_given = annual.iter().rposition(|year| !matches!(year, Some(None)));
    let Some(last_given) = last_given else {
        return Some(Vec::new());
    };

    let mut amounts = Vec::new();
    let mut valid = true;
    for (year, amount) in annual.iter().enumerate().take(last_given + 1) {
        match amount {
            Some(Some(amount)) => amounts.push(*amount),
            Some(None) => {
                let later = ANNUAL_COLUMNS[last_given];
                let kind = ProblemKind::RequiredWhen { other_column: view.header.column_name(later), other_value: view.raw(later).unwrap_or_default() };
                view.problem(ANNUAL_COLUMNS[year], kind);
                valid = false;
            }
            None => valid = false,
        }
    }
    valid.then_some(amounts)
}

fn special_period_row(view: &mut RowView) -> Option<SpecialPeriodRow> {
    let outlet = outlet_of(view, special_periods::PERMIT_NO, special_periods::OUTLET_CODE);
    let name = view.text(special_periods::NAME);
    let starts = view.required(special_periods::STARTS, row::date);
    let ends = view.required(special_periods::ENDS, row::date);
    let pollutant = view.text(special_periods::POLLUTANT);
    let concentration = view.optional(special_periods::CONCENTRATION, row::concentration);
    let unit = view.optional(special_periods::UNIT, row::concentration_unit);
    let daily_kg = view.optional(special_periods::DAILY_KG, row::amount(Some(Measure::Kilogram)));
    let monthly_t = view.optional(special_periods::MONTHLY_T, row::amount(Some(Measure::Tonne)));

    if let (Some(starts), Some(ends)) = (starts, ends) {
        if ends < starts {
            require_order(view, special_periods::STARTS, special_periods::ENDS);
        }
    }
    let mut units = Vec::new();
    let concentration = match (concentration?, unit?) {
        (None, _) => None,
        (Some(value), unit) => {
            let (value, used) = row::limit_value(view, special_periods::CONCENTRATION, value, special_periods::UNIT, unit)?;
            units.extend(used);
            Some(value)
        }
    };
    if concentration.is_none() && matches!(daily_kg, Some(None)) && matches!(monthly_t, Some(None)) {
        view.problem(special_periods::CONCENTRATION, ProblemKind::NoLimit);
    }

    let period = SpecialPeriodLimit {
        name: name?,
        starts: starts?,
        ends: ends?,
        pollutant: pollutant?,
        concentration,
        daily_kg: daily_kg?,
        monthly_t: monthly_t?,
    };
    Some(SpecialPeriodRow { outlet: outlet?, period, units })
}

fn monitoring_row(view: &mut RowView) -> Option<MonitoringRow> {
    let outlet = outlet_of(view, monitoring::PERMIT_NO, monitoring::OUTLET_CODE);
    let pollutant = view.text(monitoring::POLLUTANT);
    let mode = view.required(monitoring::MODE, row::choice(MONITORING_MODES));
    let networked = view.required(monitoring::NETWORKED, row::choice(YES_NO));
    let frequency = view.text(monitoring::FREQUENCY);
    let method_standard = view.text(monitoring::METHOD_STANDARD);

    if mode == Some(MonitoringMode::Manual) && networked == Some(true) {
        let kind = ProblemKind::NotAllowedWhen { other_column: view.header.column_name(monitoring::MODE), other_value: view.raw(monitoring::MODE).unwrap_or_default() };
        view.problem(monitoring::NETWORKED, kind);
    }

    let duty = MonitoringRequirement { pollutant: pollutant?, mode: mode?, networked: networked?, frequency: frequency?, method_standard: method_standard? };
    Some(MonitoringRow { outlet: outlet?, duty })
}

fn monitor_row(view: &mut RowView) -> Option<MonitorRow> {
    let outlet = outlet_of(view, monitors::PERMIT_NO, monitors::OUTLET_CODE);
    let mn = view.required(monitors::MN, row::mn);
    let pollutants = view.required(monitors::POLLUTANTS, row::pollutant_list);

    // Status, readings and hourly values come from the monitor itself once it reports.
    let monitor = OnlineMonitor { mn: mn?, pollutants: pollutants?, status: OnlineStatus::Offline, last_seen: None, latest: Vec::new(), hourly: Vec::new() };
    Some(MonitorRow { outlet: outlet?, monitor })
}

fn enforcement_row(view: &mut RowView) -> Option<EnforcementRow> {
    let permit_no = view.required(enforcement::PERMIT_NO, row::permit_no);
    let outlet_code = view.optional(enforcement::OUTLET_CODE, row::outlet_code);
    let date = view.required(enforcement::DATE, row::date);
    let kind = view.required(enforcement::KIND, row::choice(ENFORCEMENT_KINDS));
    let result = view.text(enforcement::RESULT);
    let legal_article = view.optional_text(enforcement::LEGAL_ARTICLE);
    let decision_no = view.optional_text(enforcement::DECISION_NO);
    let fine_yuan = view.optional(enforcement::FINE, row::whole(0, Some(Measure::Yuan)));
    let status = view.optional_text(enforcement::STATUS);
    let public = view.required(enforcement::PUBLIC, row::choice(YES_NO));
    let internal_note = view.optional_text(enforcement::INTERNAL_NOTE);

    let kind_is = |view: &RowView| ProblemKind::RequiredWhen { other_column: view.header.column_name(enforcement::KIND), other_value: view.raw(enforcement::KIND).unwrap_or_default() };
    if kind == Some(EnforcementKind::Penalty) && matches!(decision_no, Some(None)) {
        let problem = kind_is(view);
        view.problem(enforcement::DECISION_NO, problem);
    }
    if kind == Some(EnforcementKind::Inspection) && matches!(fine_yuan, Some(Some(_))) {
        let kind = ProblemKind::NotAllowedWhen { other_column: view.header.column_name(enforcement::KIND), other_value: view.raw(enforcement::KIND).unwrap_or_default() };
        view.problem(enforcement::FINE, kind);
    }

    let action = EnforcementAction {
        date: date?,
        kind: kind?,
        result: result?,
        legal_article: legal_article?,
        decision_no: decision_no?,
        fine_yuan: fine_yuan?,
        status: status?,
        public: public?,
        internal_note: internal_note?,
    };
    Some(EnforcementRow { permit_no: permit_no?, outlet_code: outlet_code?, action })
}
