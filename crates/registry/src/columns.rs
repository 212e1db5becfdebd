//! The registry's tables and their columns: the one place that names them.
//!
//! Every table is a file (its stem) or a sheet (its name). Every column has an English key and a
//! Chinese header, and a file may use either. `docs/REGISTRY.md` describes the same tables for bureau
//! staff, and a test checks that it names every column listed here.

use std::fmt;

use outlet_core::card::{DischargeMode, EnforcementKind, ManagementClass, Medium, MonitoringMode, OutletKind, PermitStatus};

/// One table of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Units,
    Permits,
    Outlets,
    Limits,
    SpecialPeriods,
    Monitoring,
    Monitors,
    Enforcement,
}

/// Whether a cell of a column must be filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    Required,
    Optional,
}

/// A column: its English key, its Chinese header, and whether every row must fill it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub header_zh: &'static str,
    pub requirement: Requirement,
}

impl Column {
    pub fn is_required(&self) -> bool {
        self.requirement == Requirement::Required
    }
}

/// Defines a table's column indices (`USCC`, `NAME`, ...) and its [`Column`] list, in one order.
macro_rules! table_columns {
    ($module:ident { $($index:ident: $key:literal, $zh:literal, $requirement:ident;)* }) => {
        pub mod $module {
            use super::{Column, Requirement};

            column_indices!(0usize; $($index)*);

            pub const COLUMNS: &[Column] = &[
                $(Column { key: $key, header_zh: $zh, requirement: Requirement::$requirement },)*
            ];
        }
    };
}

macro_rules! column_indices {
    ($next:expr;) => {};
    ($next:expr; $first:ident $($rest:ident)*) => {
        pub const $first: usize = $next;
        column_indices!($next + 1; $($rest)*);
    };
}

table_columns!(units {
    USCC: "uscc", "统一社会信用代码", Required;
    NAME: "name", "单位名称", Required;
    ADDRESS: "address", "生产经营场所地址", Required;
    INDUSTRY_CODE: "industry_code", "行业类别代码", Required;
    MANAGEMENT_CLASS: "management_class", "管理类别", Required;
});

table_columns!(permits {
    PERMIT_NO: "permit_no", "许可证编号", Required;
    USCC: "uscc", "统一社会信用代码", Required;
    ISSUING_AUTHORITY: "issuing_authority", "发证机关", Required;
    ISSUE_DATE: "issue_date", "发证日期", Optional;
    VALID_FROM: "valid_from", "有效期起", Required;
    VALID_TO: "valid_to", "有效期止", Required;
    STATUS: "status", "许可证状态", Required;
    VERSION: "version", "版本", Optional;
});

table_columns!(outlets {
    PERMIT_NO: "permit_no", "许可证编号", Required;
    OUTLET_CODE: "outlet_code", "排放口编号", Required;
    NAME: "name", "排放口名称", Required;
    MEDIUM: "medium", "排放介质", Required;
    KIND: "kind", "排放口类型", Required;
    LONGITUDE: "longitude", "经度", Required;
    LATITUDE: "latitude", "纬度", Required;
    STACK_HEIGHT: "stack_height_m", "排气筒高度(m)", Optional;
    STACK_DIAMETER: "stack_diameter_m", "排气筒出口内径(m)", Optional;
    RECEIVING_WATER: "receiving_water", "排放去向", Optional;
    DISCHARGE_MODE: "discharge_mode", "排放方式", Optional;
});

table_columns!(limits {
    PERMIT_NO: "permit_no", "许可证编号", Required;
    OUTLET_CODE: "outlet_code", "排放口编号", Required;
    POLLUTANT: "pollutant", "污染物", Required;
    HJ212_CODE: "hj212_code", "污染物代码", Optional;
    HOURLY: "hourly", "小时浓度限值", Optional;
    DAILY: "daily", "日均浓度限值", Optional;
    COMMITTED: "committed", "承诺浓度限值", Optional;
    UNIT: "unit", "浓度单位", Optional;
    RATE: "rate_kg_per_h", "许可排放速率(kg/h)", Optional;
    ANNUAL_YEAR1: "annual_t_year1", "第1年许可排放量(t/a)", Optional;
    ANNUAL_YEAR2: "annual_t_year2", "第2年许可排放量(t/a)", Optional;
    ANNUAL_YEAR3: "annual_t_year3", "第3年许可排放量(t/a)", Optional;
    ANNUAL_YEAR4: "annual_t_year4", "第4年许可排放量(t/a)", Optional;
    ANNUAL_YEAR5: "annual_t_year5", "第5年许可排放量(t/a)", Optional;
    STANDARD: "standard", "执行标准", Required;
});

table_columns!(special_periods {
    PERMIT_NO: "permit_no", "许可证编号", Required;
    OUTLET_CODE: "outlet_code", "排放口编号", Required;
    NAME: "name", "时段名称", Required;
    STARTS: "starts", "开始日期", Required;
    ENDS: "ends", "结束日期", Required;
    POLLUTANT: "pollutant", "污染物", Required;
    CONCENTRATION: "concentration", "浓度限值", Optional;
    UNIT: "unit", "浓度单位", Optional;
    DAILY_KG: "daily_kg", "日许可排放量(kg)", Optional;
    MONTHLY_T: "monthly_t", "月许可排放量(t)", Optional;
});

table_columns!(monitoring {
    PERMIT_NO: "permit_no", "许可证编号", Required;
    OUTLET_CODE: "outlet_code", "排放口编号", Required;
    POLLUTANT: "pollutant", "监测指标", Required;
    MODE: "mode", "监测方式", Required;
    NETWORKED: "networked", "是否联网", Required;
    FREQUENCY: "frequency", "监测频次", Required;
    METHOD_STANDARD: "method_standard", "监测方法标准", Required;
});

table_columns!(monitors {
    PERMIT_NO: "permit_no", "许可证编号", Required;
    OUTLET_CODE: "outlet_code", "排放口编号", Required;
    MN: "mn", "设备唯一标识(MN)", Required;
    POLLUTANTS: "pollutants", "监测因子", Required;
});

table_columns!(enforcement {
    PERMIT_NO: "permit_no", "许可证编号", Required;
    OUTLET_CODE: "outlet_code", "排放口编号", Optional;
    DATE: "date", "日期", Required;
    KIND: "kind", "类别", Required;
    RESULT: "result", "结果", Required;
    LEGAL_ARTICLE: "legal_article", "违法条款", Optional;
    DECISION_NO: "decision_no", "处罚决定书文号", Optional;
    FINE: "fine_yuan", "罚款金额(元)", Optional;
    STATUS: "status", "办理状态", Optional;
    PUBLIC: "public", "是否公开", Required;
    INTERNAL_NOTE: "internal_note", "内部备注", Optional;
});

/// The columns of `limits` that hold the annual amounts of permit years 1 to 5, in year order.
pub const ANNUAL_COLUMNS: [usize; 5] =
    [limits::ANNUAL_YEAR1, limits::ANNUAL_YEAR2, limits::ANNUAL_YEAR3, limits::ANNUAL_YEAR4, limits::ANNUAL_YEAR5];

impl Table {
    /// Every table, in the order the registry is read and written: referenced tables first.
    pub const ALL: [Table; 8] = [
        Table::Units,
        Table::Permits,
        Table::Outlets,
        Table::Limits,
        Table::SpecialPeriods,
        Table::Monitoring,
        Table::Monitors,
        Table::Enforcement,
    ];

    /// Returns the English name, which is also the CSV file stem the writer uses.
    pub fn key(self) -> &'static str {
        match self {
            Table::Units => "units",
            Table::Permits => "permits",
            Table::Outlets => "outlets",
            Table::Limits => "limits",
            Table::SpecialPeriods => "special_periods",
            Table::Monitoring => "monitoring",
            Table::Monitors => "monitors",
            Table::Enforcement => "enforcement",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Table::Units => "排污单位",
            Table::Permits => "许可证",
            Table::Outlets => "排放口",
            Table::Limits => "许可限值",
            Table::SpecialPeriods => "特殊时段",
            Table::Monitoring => "自行监测",
            Table::Monitors => "在线监测设备",
            Table::Enforcement => "执法记录",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Units => units::COLUMNS,
            Table::Permits => permits::COLUMNS,
            Table::Outlets => outlets::COLUMNS,
            Table::Limits => limits::COLUMNS,
            Table::SpecialPeriods => special_periods::COLUMNS,
            Table::Monitoring => monitoring::COLUMNS,
            Table::Monitors => monitors::COLUMNS,
            Table::Enforcement => enforcement::COLUMNS,
        }
    }

    /// Finds the table a file stem or sheet name names: the English key in any letter case, or the
    /// Chinese name, with surrounding white space ignored.
    pub fn from_name(name: &str) -> Option<Table> {
        let name = name.trim();
        Table::ALL.into_iter().find(|table| table.key().eq_ignore_ascii_case(name) || table.name_zh() == name)
    }

    /// Finds the column a header cell names: its English key or its Chinese header, compared as
    /// [`normalize_header`] writes them. A bracketed unit after the header may differ or be left out,
    /// so `排气筒高度（米）` and `排气筒高度` both name `排气筒高度(m)`.
    pub fn column_of_header(self, header: &str) -> Option<usize> {
        let expected = normalize_header(header);
        let expected_bare = without_unit_suffix(&expected);
        self.columns().iter().position(|column| {
            let zh = normalize_header(column.header_zh);
            expected == column.key || expected == zh || expected_bare == without_unit_suffix(&zh)
        })
    }

    /// Lists every accepted table name, for error messages.
    pub fn all_names() -> String {
        Table::ALL.iter().map(|table| format!("{} ({})", table.key(), table.name_zh())).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Brings a header to the form headers are compared in: no white space, ASCII letters in lower
/// case, full-width brackets and slash as ASCII ones.
pub fn normalize_header(header: &str) -> String {
    header
        .chars()
        .filter(|ch| !ch.is_whitespace())
        .map(|ch| match ch {
            '（' => '(',
            '）' => ')',
            '／' => '/',
            other => other.to_ascii_lowercase(),
        })
        .collect()
}

/// Strips a trailing bracketed unit from a header: `排气筒高度(m)` → `排气筒高度`.
fn without_unit_suffix(header: &str) -> &str {
    match header.find('(') {
        Some(open) if open > 0 && header.ends_with(')') => &header[..open],
        _ => header,
    }
}

/// One allowed value of a column: the Chinese and English words written by the writer, and other
/// spellings the reader also accepts.
#[derive(Debug, Clone, Copy)]
pub struct Choice<T: 'static> {
    pub value: T,
    pub zh: &'static str,
    pub en: &'static str,
    pub also: &'static [&'static str],
}

impl<T: Copy + PartialEq> Choice<T> {
    /// Finds the value `text` spells, ignoring surrounding white space and ASCII letter case.
    pub fn parse(choices: &[Choice<T>], text: &str) -> Option<T> {
        let text = text.trim();
        choices
            .iter()
            .find(|choice| {
                choice.zh == text || choice.en.eq_ignore_ascii_case(text) || choice.also.iter().any(|word| word.eq_ignore_ascii_case(text))
            })
            .map(|choice| choice.value)
    }

    /// Finds the choice of `value`, for the writer.
    pub fn of(choices: &'static [Choice<T>], value: T) -> &'static Choice<T> {
        choices.iter().find(|choice| choice.value == value).expect("every value of the enum has a choice")
    }

    /// Lists the accepted words, for error messages: `重点管理/key, 简化管理/simplified`.
    pub fn expected(choices: &[Choice<T>]) -> String {
        choices.iter().map(|choice| format!("{}/{}", choice.zh, choice.en)).collect::<Vec<_>>().join(", ")
    }
}

pub const MANAGEMENT_CLASSES: &[Choice<ManagementClass>] = &[
    Choice { value: ManagementClass::Key, zh: "重点管理", en: "key", also: &["重点"] },
    Choice { value: ManagementClass::Simplified, zh: "简化管理", en: "simplified", also: &["简化"] },
];

pub const PERMIT_STATUSES: &[Choice<PermitStatus>] = &[
    Choice { value: PermitStatus::Valid, zh: "有效", en: "valid", also: &[] },
    Choice { value: PermitStatus::Changed, zh: "变更", en: "changed", also: &["已变更"] },
    Choice { value: PermitStatus::Renewed, zh: "延续", en: "renewed", also: &["已延续"] },
    Choice { value: PermitStatus::Cancelled, zh: "注销", en: "cancelled", also: &["已注销", "canceled"] },
    Choice { value: PermitStatus::Revoked, zh: "撤销", en: "revoked", also: &["已撤销"] },
];

pub const MEDIA: &[Choice<Medium>] = &[
    Choice { value: Medium::Air, zh: "废气", en: "air", also: &[] },
    Choice { value: Medium::Water, zh: "废水", en: "water", also: &[] },
];

pub const OUTLET_KINDS: &[Choice<OutletKind>] = &[
    Choice { value: OutletKind::Main, zh: "主要排放口", en: "main", also: &["主要"] },
    Choice { value: OutletKind::General, zh: "一般排放口", en: "general", also: &["一般"] },
    Choice { value: OutletKind::Other, zh: "其他排放口", en: "other", also: &["其他"] },
];

pub const DISCHARGE_MODES: &[Choice<DischargeMode>] = &[
    Choice { value: DischargeMode::Direct, zh: "直接排放", en: "direct", also: &["直接"] },
    Choice { value: DischargeMode::Indirect, zh: "间接排放", en: "indirect", also: &["间接"] },
];

pub const MONITORING_MODES: &[Choice<MonitoringMode>] = &[
    Choice { value: MonitoringMode::Manual, zh: "手工", en: "manual", also: &["手工监测"] },
    Choice { value: MonitoringMode::Automatic, zh: "自动", en: "automatic", also: &["自动监测"] },
];

pub const ENFORCEMENT_KINDS: &[Choice<EnforcementKind>] = &[
    Choice { value: EnforcementKind::Inspection, zh: "现场检查", en: "inspection", also: &["检查"] },
    Choice { value: EnforcementKind::Penalty, zh: "行政处罚", en: "penalty", also: &["处罚"] },
];

/// Yes and no; `TRUE` and `FALSE` are what Excel's logical cells hold.
pub const YES_NO: &[Choice<bool>] = &[
    Choice { value: true, zh: "是", en: "yes", also: &["y", "true"] },
    Choice { value: false, zh: "否", en: "no", also: &["n", "false"] },
];

/// Separators between the pollutants of a monitor: the Chinese enumeration comma and semicolons.
/// Commas are not separators, because names such as 1,2-二氯乙烷 contain them.
pub const LIST_SEPARATORS: &[char] = &['、', ';', '；'];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_follow_column_order() {
        assert_eq!(units::COLUMNS[units::MANAGEMENT_CLASS].key, "management_class");
        assert_eq!(permits::COLUMNS[permits::VERSION].key, "version");
        assert_eq!(outlets::COLUMNS[outlets::DISCHARGE_MODE].key, "discharge_mode");
        assert_eq!(limits::COLUMNS[limits::STANDARD].key, "standard");
        assert_eq!(special_periods::COLUMNS[special_periods::MONTHLY_T].key, "monthly_t");
        assert_eq!(monitoring::COLUMNS[monitoring::METHOD_STANDARD].key, "method_standard");
        assert_eq!(monitors::COLUMNS[monitors::POLLUTANTS].key, "pollutants");
        assert_eq!(enforcement::COLUMNS[enforcement::INTERNAL_NOTE].key, "internal_note");
    }

    #[test]
    fn headers_match_in_either_language() {
        assert_eq!(Table::Units.column_of_header("USCC"), Some(units::USCC));
        assert_eq!(Table::Units.column_of_header(" 统一社会信用代码 "), Some(units::USCC));
        assert_eq!(Table::Outlets.column_of_header("排气筒高度（m）"), Some(outlets::STACK_HEIGHT));
        assert_eq!(Table::Outlets.column_of_header("排气筒高度(米)"), Some(outlets::STACK_HEIGHT));
        assert_eq!(Table::Outlets.column_of_header("排气筒高度"), Some(outlets::STACK_HEIGHT));
        assert_eq!(Table::Limits.column_of_header("第3年许可排放量（t/a）"), Some(limits::ANNUAL_YEAR3));
        assert_eq!(Table::Monitors.column_of_header("设备唯一标识"), Some(monitors::MN));
        assert_eq!(Table::Units.column_of_header("统一社会信用"), None);
    }

    #[test]
    fn table_names_match_in_either_language() {
        assert_eq!(Table::from_name("Special_Periods"), Some(Table::SpecialPeriods));
        assert_eq!(Table::from_name("特殊时段"), Some(Table::SpecialPeriods));
        assert_eq!(Table::from_name("sheet1"), None);
    }

    #[test]
    fn column_keys_are_unique_per_table() {
        for table in Table::ALL {
            let columns = table.columns();
            for (i, column) in columns.iter().enumerate() {
                assert_eq!(table.column_of_header(column.key), Some(i), "{table} {}", column.key);
                assert_eq!(table.column_of_header(column.header_zh), Some(i), "{table} {}", column.header_zh);
            }
        }
    }

    #[test]
    fn choices_accept_both_languages() {
        assert_eq!(Choice::parse(PERMIT_STATUSES, "注销"), Some(PermitStatus::Cancelled));
        assert_eq!(Choice::parse(PERMIT_STATUSES, " Revoked "), Some(PermitStatus::Revoked));
        assert_eq!(Choice::parse(YES_NO, "TRUE"), Some(true));
        assert_eq!(Choice::parse(YES_NO, "否"), Some(false));
        assert_eq!(Choice::parse(MEDIA, "gas"), None);
    }
}
