//! Texts of card values shared by the app's card screen and the public page: numbers, limits,
//! annual amounts and coordinates. Words come from [`Msg`], and units stay as the permit writes them.

use crate::i18n::{Lang, Msg};

use super::{LimitValue, PermitLimit};

/// Formats a number with at most three decimals and no trailing zeros (`150`, `0.03`, `38.2`), so
/// floating-point noise such as `0.30000000000000004` never reaches the screen.
pub fn number_text(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Formats a limit with its unit (`35 mg/m³`), or the grade a non-numeric limit states (`1级`).
pub fn limit_text(limit: &LimitValue) -> String {
    match limit {
        LimitValue::Numeric { value, unit } if unit.is_empty() => number_text(*value),
        LimitValue::Numeric { value, unit } => format!("{} {unit}", number_text(*value)),
        LimitValue::Text(text) => text.clone(),
    }
}

/// Returns the unit of a limit's concentrations (hourly, daily, committed), taken from the first
/// numeric one, so a table can print it once per row.
pub fn concentration_unit(limit: &PermitLimit) -> Option<&str> {
    [&limit.hourly, &limit.daily, &limit.committed]
        .into_iter()
        .flatten()
        .find_map(LimitValue::numeric)
        .map(|(_, unit)| unit)
        .filter(|unit| !unit.is_empty())
}

/// Formats one concentration cell of a limits table whose row unit is `row_unit`. A number in the
/// row unit is bare, and a number in another unit keeps its unit. A text limit gives its grade, and
/// a missing limit gives `—`.
pub fn limit_cell(limit: Option<&LimitValue>, row_unit: Option<&str>) -> String {
    match limit {
        None => "—".to_string(),
        Some(LimitValue::Numeric { value, unit }) if Some(unit.as_str()) == row_unit => number_text(*value),
        Some(other) => limit_text(other),
    }
}

/// Formats the permitted annual amounts of years 1 to n in one line: `150 t/a (years 1–5)` when every
/// year has the same amount, `150 / 140 / 130 t/a (years 1–3)` otherwise. `None` when there are none.
pub fn annual_amounts_text(lang: Lang, amounts: &[f64]) -> Option<String> {
    let first = *amounts.first()?;

    let values = if amounts.iter().all(|amount| *amount == first) {
        number_text(first)
    } else {
        amounts.iter().map(|amount| number_text(*amount)).collect::<Vec<_>>().join(" / ")
    };

    Some(if amounts.len() == 1 {
        Msg::AnnualAmountsOneYear.fill(lang, &[&values])
    } else {
        Msg::AnnualAmountsYears.fill(lang, &[&values, &amounts.len().to_string()])
    })
}

/// Formats WGS-84 coordinates in decimal degrees with five decimals (about 1 m).
pub fn coordinates_text(lang: Lang, latitude: f64, longitude: f64) -> String {
    Msg::CoordinatesLatLon.fill(lang, &[&format!("{latitude:.5}"), &format!("{longitude:.5}")])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric(value: f64, unit: &str) -> LimitValue {
        LimitValue::Numeric { value, unit: unit.into() }
    }

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(number_text(150.0), "150");
        assert_eq!(number_text(0.03), "0.03");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(38.25), "38.25");
        assert_eq!(number_text(-0.0001), "0");
        assert_eq!(number_text(f64::NAN), "NaN");
    }

    #[test]
    fn limit_cells_print_unit_only_when_it_differs() {
        let limit = PermitLimit {
            pollutant: "二氧化硫".into(),
            hj212_code: None,
            hourly: Some(numeric(50.0, "mg/m³")),
            daily: Some(numeric(0.04, "g/m³")),
            committed: None,
            rate_kg_per_h: None,
            annual_t: vec![],
            standard: "GB 13223-2011".into(),
        };
        let unit = concentration_unit(&limit);

        assert_eq!(unit, Some("mg/m³"));
        assert_eq!(limit_cell(limit.hourly.as_ref(), unit), "50");
        assert_eq!(limit_cell(limit.daily.as_ref(), unit), "0.04 g/m³");
        assert_eq!(limit_cell(limit.committed.as_ref(), unit), "—");
        assert_eq!(limit_cell(Some(&LimitValue::Text("1级".into())), unit), "1级");
    }

    #[test]
    fn text_limit_has_no_unit() {
        let limit = PermitLimit {
            pollutant: "烟气黑度（林格曼黑度）".into(),
            hj212_code: None,
            hourly: Some(LimitValue::Text("1级".into())),
            daily: None,
            committed: None,
            rate_kg_per_h: None,
            annual_t: vec![],
            standard: "GB 13223-2011".into(),
        };
        assert_eq!(concentration_unit(&limit), None);
        assert_eq!(limit_text(limit.hourly.as_ref().unwrap()), "1级");
    }

    #[test]
    fn annual_amounts_compact() {
        assert_eq!(annual_amounts_text(Lang::En, &[]), None);
        assert_eq!(annual_amounts_text(Lang::En, &[12.5]).unwrap(), "12.5 t/a (year 1)");
        assert_eq!(annual_amounts_text(Lang::Zh, &[150.0; 5]).unwrap(), "150 t/a（第1–5年）");
        assert_eq!(annual_amounts_text(Lang::En, &[150.0, 140.0, 130.0]).unwrap(), "150 / 140 / 130 t/a (years 1–3)");
    }

    #[test]
    fn coordinates_five_decimals() {
        assert_eq!(coordinates_text(Lang::En, 26.0802, 119.3401), "lat 26.08020, lon 119.34010");
    }
}
