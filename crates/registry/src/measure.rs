//! Units of measure the registry accepts, each with the spellings found in permits and spreadsheets
//! and the one symbol cards store.

use outlet_core::card::Medium;

/// A unit of measure. Named `Measure` because "unit" is the discharging unit (排污单位) here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Air concentration; permits write mg/m³ and mg/Nm³ for the same thing (at standard conditions).
    MilligramPerCubicMetre,
    MicrogramPerCubicMetre,
    /// Dioxins in toxic equivalents.
    NanogramTeqPerCubicMetre,
    MilligramPerLitre,
    MicrogramPerLitre,
    /// Bacterial counts such as faecal coliforms (MPN/L).
    CountPerLitre,
    /// Colour as a dilution ratio (稀释倍数).
    Dilution,
    /// pH, odour concentration.
    Dimensionless,
    KilogramPerHour,
    TonnePerYear,
    Kilogram,
    Tonne,
    Metre,
    Yuan,
}

impl Measure {
    /// Concentration units allowed in the `unit` columns of limits and special periods.
    pub const CONCENTRATIONS: [Measure; 8] = [
        Measure::MilligramPerCubicMetre,
        Measure::MicrogramPerCubicMetre,
        Measure::NanogramTeqPerCubicMetre,
        Measure::MilligramPerLitre,
        Measure::MicrogramPerLitre,
        Measure::CountPerLitre,
        Measure::Dilution,
        Measure::Dimensionless,
    ];

    /// Returns the symbol that cards store and the writer writes.
    pub fn symbol(self) -> &'static str {
        match self {
            Measure::MilligramPerCubicMetre => "mg/m³",
            Measure::MicrogramPerCubicMetre => "μg/m³",
            Measure::NanogramTeqPerCubicMetre => "ng-TEQ/m³",
            Measure::MilligramPerLitre => "mg/L",
            Measure::MicrogramPerLitre => "μg/L",
            Measure::CountPerLitre => "个/L",
            Measure::Dilution => "倍",
            Measure::Dimensionless => "无量纲",
            Measure::KilogramPerHour => "kg/h",
            Measure::TonnePerYear => "t/a",
            Measure::Kilogram => "kg",
            Measure::Tonne => "t",
            Measure::Metre => "m",
            Measure::Yuan => "元",
        }
    }

    /// Accepted spellings in the form [`normalize`] gives.
    fn spellings(self) -> &'static [&'static str] {
        match self {
            Measure::MilligramPerCubicMetre => &["mg/m3", "毫克/立方米"],
            Measure::MicrogramPerCubicMetre => &["ug/m3", "微克/立方米"],
            Measure::NanogramTeqPerCubicMetre => &["ng-teq/m3", "ngteq/m3", "纳克毒性当量/立方米"],
            Measure::MilligramPerLitre => &["mg/l", "毫克/升"],
            Measure::MicrogramPerLitre => &["ug/l", "微克/升"],
            Measure::CountPerLitre => &["个/l", "mpn/l"],
            Measure::Dilution => &["倍", "稀释倍数"],
            Measure::Dimensionless => &["无量纲", "dimensionless"],
            Measure::KilogramPerHour => &["kg/h", "kg/hr", "千克/小时", "公斤/小时"],
            Measure::TonnePerYear => &["t/a", "t/yr", "吨/年"],
            Measure::Kilogram => &["kg", "千克", "公斤"],
            Measure::Tonne => &["t", "吨"],
            Measure::Metre => &["m", "米"],
            Measure::Yuan => &["元", "yuan"],
        }
    }

    /// Finds the unit `text` spells, e.g. `mg/Nm3`, `mg/m³` and `毫克/立方米` are all mg/m³.
    pub fn parse(text: &str) -> Option<Measure> {
        let spelling = normalize(text);
        ALL.into_iter().find(|measure| measure.spellings().contains(&spelling.as_str()))
    }

    /// Returns the medium whose outlets use this concentration unit, or `None` for units used by both.
    pub fn medium(self) -> Option<Medium> {
        match self {
            Measure::MilligramPerCubicMetre | Measure::MicrogramPerCubicMetre | Measure::NanogramTeqPerCubicMetre => Some(Medium::Air),
            Measure::MilligramPerLitre | Measure::MicrogramPerLitre | Measure::CountPerLitre | Measure::Dilution => Some(Medium::Water),
            _ => None,
        }
    }

    pub fn is_concentration(self) -> bool {
        Measure::CONCENTRATIONS.contains(&self)
    }

    /// Lists the concentration units, for error messages.
    pub fn concentrations_expected() -> String {
        Measure::CONCENTRATIONS.iter().map(|measure| measure.symbol()).collect::<Vec<_>>().join(", ")
    }
}

const ALL: [Measure; 14] = [
    Measure::MilligramPerCubicMetre,
    Measure::MicrogramPerCubicMetre,
    Measure::NanogramTeqPerCubicMetre,
    Measure::MilligramPerLitre,
    Measure::MicrogramPerLitre,
    Measure::CountPerLitre,
    Measure::Dilution,
    Measure::Dimensionless,
    Measure::KilogramPerHour,
    Measure::TonnePerYear,
    Measure::Kilogram,
    Measure::Tonne,
    Measure::Metre,
    Measure::Yuan,
];

/// Brings a unit to the form spellings are compared in: no white space, ASCII letters in lower
/// case, `³` as `3`, micro signs as `u`, a full-width slash as `/`, and `Nm3` (standard cubic metres)
/// as `m3`.
fn normalize(text: &str) -> String {
    let compact: String = text
        .chars()
        .filter(|ch| !ch.is_whitespace())
        .map(|ch| match ch {
            '³' => '3',
            'µ' | 'μ' => 'u',
            '／' => '/',
            other => other.to_ascii_lowercase(),
        })
        .collect();
    compact.replace("/nm3", "/m3").replace("/标立方米", "/立方米")
}

/// Splits a cell such as `12.5 kg/h` or `50mg/Nm3` into its number and its unit text. Returns `None`
/// when the text does not start with a number or nothing follows it.
pub fn split_number_and_unit(text: &str) -> Option<(f64, &str)> {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(i, ch)| !(ch.is_ascii_digit() || ch == '.' || (i == 0 && (ch == '-' || ch == '+')) || ch == 'e' || ch == 'E'))
        .map(|(i, _)| i)?;
    let number = text[..end].parse::<f64>().ok()?;
    let rest = text[end..].trim();
    (!rest.is_empty()).then_some((number, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_air_concentration() {
        for text in ["mg/m³", "mg/m3", "mg/Nm3", "mg/Nm³", "MG/NM3", "毫克/立方米", "mg／m3"] {
            assert_eq!(Measure::parse(text), Some(Measure::MilligramPerCubicMetre), "{text}");
        }
    }

    #[test]
    fn unknown_units_are_none() {
        assert_eq!(Measure::parse("mg/kg"), None);
        assert_eq!(Measure::parse(""), None);
    }

    #[test]
    fn micro_signs_are_one_unit() {
        assert_eq!(Measure::parse("µg/m³"), Some(Measure::MicrogramPerCubicMetre));
        assert_eq!(Measure::parse("μg/m3"), Some(Measure::MicrogramPerCubicMetre));
        assert_eq!(Measure::parse("ug/L"), Some(Measure::MicrogramPerLitre));
    }

    #[test]
    fn number_and_unit_split() {
        assert_eq!(split_number_and_unit("12.5 kg/h"), Some((12.5, "kg/h")));
        assert_eq!(split_number_and_unit("50mg/Nm3"), Some((50.0, "mg/Nm3")));
        assert_eq!(split_number_and_unit("12.5"), None);
        assert_eq!(split_number_and_unit("1级"), Some((1.0, "级")));
        assert_eq!(split_number_and_unit("级"), None);
    }
}
