//! The command parameters (CP) of a packet: `DataTime` and the values of each pollutant.
//!
//! Inside `CP=&&...&&`, `;` separates groups and `,` separates fields of a group; HJ 212-2017 puts one
//! pollutant per group (`a21026-Rtd=12.3,a21026-Flag=N;a21002-Rtd=...`). The parser accepts either
//! separator anywhere, as data acquisition units differ in this.

use time::{Date, Month, PrimitiveDateTime, Time};

use crate::command::DataFlag;
use crate::error::PacketError;

/// The values one packet gives for one pollutant (or monitored parameter), by its HJ 212 code.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PollutantValues {
    /// Pollutant code, e.g. `a21026` (SO₂) or `w01018` (COD).
    pub code: String,
    /// `-Rtd`: real-time value.
    pub rtd: Option<f64>,
    /// `-Avg`, `-Min`, `-Max`: over the minute, hour or day interval.
    pub avg: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// `-ZsRtd`, `-ZsAvg`, `-ZsMin`, `-ZsMax`: converted (折算) to the reference oxygen content of the
    /// emission standard, for flue gas; the permit's limits apply to these.
    pub zs_rtd: Option<f64>,
    pub zs_avg: Option<f64>,
    pub zs_min: Option<f64>,
    pub zs_max: Option<f64>,
    /// `-Cou`: cumulative amount over the interval.
    pub cou: Option<f64>,
    /// `-Flag`: the data flag; absent means normal.
    pub flag: Option<DataFlag>,
}

/// The numeric suffixes of a pollutant field, in the order [`Cp::encode`] writes them.
const NUMERIC_SUFFIXES: [&str; 9] = ["Rtd", "Avg", "Min", "Max", "ZsRtd", "ZsAvg", "ZsMin", "ZsMax", "Cou"];

impl PollutantValues {
    pub fn new(code: &str) -> Self {
        PollutantValues { code: code.to_string(), ..Default::default() }
    }

    fn slot(&mut self, suffix: &str) -> Option<&mut Option<f64>> {
        match suffix {
            "Rtd" => Some(&mut self.rtd),
            "Avg" => Some(&mut self.avg),
            "Min" => Some(&mut self.min),
            "Max" => Some(&mut self.max),
            "ZsRtd" => Some(&mut self.zs_rtd),
            "ZsAvg" => Some(&mut self.zs_avg),
            "ZsMin" => Some(&mut self.zs_min),
            "ZsMax" => Some(&mut self.zs_max),
            "Cou" => Some(&mut self.cou),
            _ => None,
        }
    }

    fn value(&self, suffix: &str) -> Option<f64> {
        match suffix {
            "Rtd" => self.rtd,
            "Avg" => self.avg,
            "Min" => self.min,
            "Max" => self.max,
            "ZsRtd" => self.zs_rtd,
            "ZsAvg" => self.zs_avg,
            "ZsMin" => self.zs_min,
            "ZsMax" => self.zs_max,
            "Cou" => self.cou,
            _ => None,
        }
    }
}

/// The parsed CP of a packet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cp {
    /// `DataTime`: the time the values refer to, in the station's local time (China Standard Time for
    /// Chinese stations). For minute, hour and day data it is the start of the interval.
    pub data_time: Option<PrimitiveDateTime>,
    /// Pollutants in the order of their first field.
    pub pollutants: Vec<PollutantValues>,
    /// Every other field in order, as written: command parameters such as `RtdInterval`, `QnRtn` or
    /// `ExeRtn`, and pollutant fields with other suffixes such as `a05002-SampleTime`.
    pub other: Vec<(String, String)>,
}

impl Cp {
    /// Parses the text between `CP=&&` and the closing `&&`.
    pub(crate) fn parse(content: &str) -> Result<Cp, PacketError> {
        let mut cp = Cp::default();
        for field in content.split([';', ',']).filter(|field| !field.is_empty()) {
            let Some((key, value)) = field.split_once('=') else {
                return Err(PacketError::FieldWithoutEquals { field: short(field) });
            };

            if key == "DataTime" {
                if cp.data_time.is_some() {
                    return Err(PacketError::DuplicateField { field: key.to_string() });
                }
                cp.data_time = Some(parse_data_time(key, value)?);
                continue;
            }
            match key.split_once('-') {
                Some((code, suffix)) if is_code(code) => cp.set_pollutant_field(key, code, suffix, value)?,
                _ => cp.other.push((key.to_string(), value.to_string())),
            }
        }
        Ok(cp)
    }

    fn set_pollutant_field(&mut self, key: &str, code: &str, suffix: &str, value: &str) -> Result<(), PacketError> {
        let known = suffix == "Flag" || NUMERIC_SUFFIXES.contains(&suffix);
        if !known {
            self.other.push((key.to_string(), value.to_string()));
            return Ok(());
        }

        let index = match self.pollutants.iter().position(|pollutant| pollutant.code == code) {
            Some(index) => index,
            None => {
                self.pollutants.push(PollutantValues::new(code));
                self.pollutants.len() - 1
            }
        };
        let pollutant = &mut self.pollutants[index];
        let duplicate = || PacketError::DuplicateField { field: short(key) };

        if suffix == "Flag" {
            let flag = DataFlag::from_letter(value).ok_or_else(|| PacketError::BadFlag { field: short(key), value: short(value) })?;
            if pollutant.flag.replace(flag).is_some() {
                return Err(duplicate());
            }
            return Ok(());
        }
        let number = parse_number(key, value)?;
        let slot = pollutant.slot(suffix).expect("numeric suffixes have a slot");
        if slot.replace(number).is_some() {
            return Err(duplicate());
        }
        Ok(())
    }

    /// Writes the CP content (without the `&&` delimiters): `DataTime` first, then one group per
    /// pollutant, then the other fields. Fails on a value that is not a finite number.
    pub(crate) fn encode(&self) -> Result<String, PacketError> {
        let mut groups: Vec<String> = Vec::new();
        if let Some(at) = self.data_time {
            groups.push(format!("DataTime={}", format_data_time(at)));
        }

        for pollutant in &self.pollutants {
            let mut fields = Vec::new();
            for suffix in NUMERIC_SUFFIXES {
                if let Some(value) = pollutant.value(suffix) {
                    if !value.is_finite() {
                        return Err(PacketError::BadNumber { field: format!("{}-{suffix}", pollutant.code), value: value.to_string() });
                    }
                    fields.push(format!("{}-{suffix}={value}", pollutant.code));
                }
            }
            if let Some(flag) = pollutant.flag {
                fields.push(format!("{}-Flag={}", pollutant.code, flag.letter()));
            }
            if !fields.is_empty() {
                groups.push(fields.join(","));
            }
        }

        groups.extend(self.other.iter().map(|(key, value)| format!("{key}={value}")));
        Ok(groups.join(";"))
    }
}

/// True for a pollutant code: letters and digits only, as in `a21026`, `w01018`, `B01` or `011`.
fn is_code(text: &str) -> bool {
    !text.is_empty() && text.len() <= 16 && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Reads a decimal number as HJ 212 writes it: an optional `-`, digits, and optionally `.` and more
/// digits. No exponent, no `inf` or `NaN`, no bare `.5`: so a number never gets longer when written
/// back, and an accepted packet always fits again after [`Cp::encode`].
fn parse_number(field: &str, text: &str) -> Result<f64, PacketError> {
    let bad = || PacketError::BadNumber { field: short(field), value: short(text) };
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|fraction| !digits(fraction)) {
        return Err(bad());
    }
    text.parse::<f64>().ok().filter(|value| value.is_finite()).ok_or_else(bad)
}

/// Reads `yyyyMMddHHmmss`.
pub(crate) fn parse_data_time(field: &str, text: &str) -> Result<PrimitiveDateTime, PacketError> {
    let bad = || PacketError::BadDataTime { field: short(field), value: short(text) };
    if text.len() != 14 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u16>().expect("checked digits");

    let month = Month::try_from(number(4..6) as u8).map_err(|_| bad())?;
    let date = Date::from_calendar_date(i32::from(number(0..4)), month, number(6..8) as u8).map_err(|_| bad())?;
    let time = Time::from_hms(number(8..10) as u8, number(10..12) as u8, number(12..14) as u8).map_err(|_| bad())?;
    Ok(PrimitiveDateTime::new(date, time))
}

/// Writes `yyyyMMddHHmmss`.
pub(crate) fn format_data_time(at: PrimitiveDateTime) -> String {
    format!("{:04}{:02}{:02}{:02}{:02}{:02}", at.year(), u8::from(at.month()), at.day(), at.hour(), at.minute(), at.second())
}

/// Shortens untrusted text for an error message to at most 40 characters.
pub(crate) fn short(text: &str) -> String {
    text.chars().take(40).collect()
}
