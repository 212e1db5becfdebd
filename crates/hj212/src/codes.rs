//! Pollutant codes of HJ 212-2017 that the outlets of this project report, with the names the
//! permits use and the units of the values.

/// One entry of the code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollutantCode {
    pub code: &'static str,
    /// The name permits and the registry give the pollutant, e.g. 二氧化硫.
    pub name: &'static str,
    /// Unit of the concentration or quantity the code carries.
    pub unit: &'static str,
}

const fn entry(code: &'static str, name: &'static str, unit: &'static str) -> PollutantCode {
    PollutantCode { code, name, unit }
}

/// Air (a…) and water (w…) codes: the main pollutants of permits and the flue-gas and flow
/// parameters that monitors send with them.
pub const POLLUTANT_CODES: &[PollutantCode] = &[
    entry("a00000", "废气流量", "m³/s"),
    entry("a01011", "烟气流速", "m/s"),
    entry("a01012", "烟气温度", "℃"),
    entry("a01013", "烟气压力", "kPa"),
    entry("a01014", "烟气湿度", "%"),
    entry("a19001", "氧气含量", "%"),
    entry("a21002", "氮氧化物", "mg/m³"),
    entry("a21005", "一氧化碳", "mg/m³"),
    entry("a21026", "二氧化硫", "mg/m³"),
    entry("a24088", "非甲烷总烃", "mg/m³"),
    entry("a34013", "烟尘", "mg/m³"),
    entry("w00000", "废水流量", "L/s"),
    entry("w01001", "pH值", "无量纲"),
    entry("w01018", "化学需氧量", "mg/L"),
    entry("w21001", "总氮", "mg/L"),
    entry("w21003", "氨氮", "mg/L"),
    entry("w21011", "总磷", "mg/L"),
];

/// Looks a code up in [`POLLUTANT_CODES`]; codes are matched without regard to case.
pub fn pollutant_code(code: &str) -> Option<&'static PollutantCode> {
    POLLUTANT_CODES.iter().find(|entry| entry.code.eq_ignore_ascii_case(code))
}

/// Looks a pollutant up by the name permits give it.
pub fn code_of_pollutant(name: &str) -> Option<&'static PollutantCode> {
    POLLUTANT_CODES.iter().find(|entry| entry.name == name)
}
