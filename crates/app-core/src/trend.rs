//! Geometry of the 24-hour trend chart of one pollutant. The hourly values form a line, the binding
//! limit a dashed line, and hours over the limit get marks. Labels give the highest and lowest value
//! and the first and last hour. The UI draws it as SVG in a view box of [`VIEW_WIDTH`] ×
//! [`VIEW_HEIGHT`] units scaled to the screen's width. Nothing here depends on the UI.

use outlet_core::card::display::number_text;
use outlet_core::card::{HourlySeries, LimitValue};
use outlet_core::OutletCard;
use time::OffsetDateTime;

/// Width of the SVG view box, in view-box units.
pub const VIEW_WIDTH: f64 = 320.0;
/// Height of the SVG view box, in view-box units.
pub const VIEW_HEIGHT: f64 = 150.0;
/// Left edge of the plot area. The value labels sit in the margin to its left.
pub const PLOT_LEFT: f64 = 42.0;
pub const PLOT_RIGHT: f64 = 312.0;
pub const PLOT_TOP: f64 = 14.0;
/// Bottom edge of the plot area. The hour labels sit below it.
pub const PLOT_BOTTOM: f64 = 124.0;

/// Space above the highest value or limit, as a share of the plotted range, so the top point and
/// the limit label stay inside the plot.
const HEADROOM: f64 = 0.12;
/// Smallest vertical distance between the highest- and lowest-value labels, in view-box units, at
/// which both are drawn. When they are closer, only the highest is drawn.
const MIN_LABEL_GAP: f64 = 12.0;

/// One hourly value placed in the view box.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    pub x: f64,
    pub y: f64,
    pub value: f64,
    /// Start of the hour.
    pub at: OffsetDateTime,
    /// True when the value is above the pollutant's binding limit ([`OutletCard::exceeds`]).
    pub exceeds: bool,
}

/// A text anchored at a point of the view box.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartLabel {
    pub x: f64,
    pub y: f64,
    pub text: String,
}

/// The binding limit drawn across the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct LimitLine {
    pub y: f64,
    pub value: f64,
    /// The value without its unit, e.g. `35`.
    pub text: String,
}

/// The chart of one pollutant's hourly series.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    pub pollutant: String,
    pub unit: String,
    /// Oldest first.
    pub points: Vec<TrendPoint>,
    /// `None` when the permit sets no numeric limit in the series' unit.
    pub limit: Option<LimitLine>,
    /// The highest value, the lowest value and the scale's base (0, or the lowest value if that is
    /// negative), each left out where it would overlap a label before it. Right-aligned at the
    /// plot's left edge, at the height of their values.
    pub value_labels: Vec<ChartLabel>,
    /// Start of the first hour, left-aligned below the plot.
    pub first_hour: ChartLabel,
    /// Start of the last hour, right-aligned below the plot.
    pub last_hour: ChartLabel,
}

impl TrendChart {
    /// Formats the points as the `points` attribute of an SVG polyline: `x,y x,y ...`.
    pub fn polyline(&self) -> String {
        self.points.iter().map(|point| format!("{:.1},{:.1}", point.x, point.y)).collect::<Vec<_>>().join(" ")
    }

    /// Lists the hours over the limit, oldest first.
    pub fn exceedances(&self) -> impl Iterator<Item = &TrendPoint> {
        self.points.iter().filter(|point| point.exceeds)
    }
}

/// Lays out `series` of `card`'s outlet. Values that are not finite numbers are left out, and the
/// rest are sorted by hour. Returns `None` when no value remains.
pub fn trend_chart(card: &OutletCard, series: &HourlySeries) -> Option<TrendChart> {
    let mut values: Vec<(OffsetDateTime, f64)> =
        series.values.iter().filter(|hour| hour.value.is_finite()).map(|hour| (hour.at, hour.value)).collect();
    values.sort_by_key(|(at, _)| *at);
    let (first_at, last_at) = (values.first()?.0, values.last()?.0);

    let limit = card
        .binding_limit(&series.pollutant)
        .and_then(LimitValue::numeric)
        .filter(|(value, unit)| *unit == series.unit && value.is_finite())
        .map(|(value, _)| value);

    let data_min = values.iter().map(|(_, value)| *value).fold(f64::INFINITY, f64::min);
    let data_max = values.iter().map(|(_, value)| *value).fold(f64::NEG_INFINITY, f64::max);
    let scale = Scale::new(data_min, data_max, limit);

    let span_secs = (last_at - first_at).as_seconds_f64();
    let x_of = |at: OffsetDateTime| {
        if span_secs > 0.0 {
            PLOT_LEFT + (at - first_at).as_seconds_f64() / span_secs * (PLOT_RIGHT - PLOT_LEFT)
        } else {
            (PLOT_LEFT + PLOT_RIGHT) / 2.0
        }
    };
    let points = values
        .iter()
        .map(|&(at, value)| TrendPoint {
            x: x_of(at),
            y: scale.y(value),
            value,
            at,
            exceeds: card.exceeds(&series.pollutant, value, &series.unit),
        })
        .collect();

    let mut value_labels: Vec<ChartLabel> = Vec::new();
    for value in [data_max, data_min, scale.low] {
        let y = scale.y(value);
        if value_labels.iter().all(|label| (label.y - y).abs() >= MIN_LABEL_GAP) {
            value_labels.push(ChartLabel { x: PLOT_LEFT - 4.0, y, text: number_text(value) });
        }
    }

    let hour_y = PLOT_BOTTOM + 16.0;
    Some(TrendChart {
        pollutant: series.pollutant.clone(),
        unit: series.unit.clone(),
        points,
        limit: limit.map(|value| LimitLine { y: scale.y(value), value, text: number_text(value) }),
        value_labels,
        first_hour: ChartLabel { x: PLOT_LEFT, y: hour_y, text: hour_text(first_at) },
        last_hour: ChartLabel { x: PLOT_RIGHT, y: hour_y, text: hour_text(last_at) },
    })
}

/// The vertical scale: from 0 (or the lowest value, if negative) at the plot's bottom to the highest
/// value or limit plus headroom at its top.
struct Scale {
    low: f64,
    high: f64,
}

impl Scale {
    fn new(data_min: f64, data_max: f64, limit: Option<f64>) -> Self {
        let low = data_min.min(0.0);
        let top = limit.map_or(data_max, |limit| data_max.max(limit));
        let range = if top > low { top - low } else { 1.0 };
        Self { low, high: low + range * (1.0 + HEADROOM) }
    }

    fn y(&self, value: f64) -> f64 {
        PLOT_BOTTOM - (value - self.low) / (self.high - self.low) * (PLOT_BOTTOM - PLOT_TOP)
    }
}

/// Formats the start of an hour in the offset the monitor reported, e.g. `12-04 08:00`.
fn hour_text(at: OffsetDateTime) -> String {
    format!("{:02}-{:02} {:02}:{:02}", u8::from(at.month()), at.day(), at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use outlet_core::card::*;
    use time::macros::datetime;
    use time::Duration;

    use super::*;

    const LAST_HOUR: OffsetDateTime = datetime!(2026-12-04 08:00 +8);

    /// DA001 of the demo power plant with one SO₂ limit: hourly 50 mg/m³ and the given committed one.
    fn card(limit: Option<LimitValue>) -> OutletCard {
        let mut card = outlet_server::demo::demo_cards().remove(0);
        card.limits = vec![PermitLimit {
            pollutant: "二氧化硫".into(),
            hj212_code: Some("a21026".into()),
            hourly: Some(LimitValue::Numeric { value: 50.0, unit: "mg/m³".into() }),
            daily: None,
            committed: limit,
            rate_kg_per_h: None,
            annual_t: vec![],
            standard: "GB 13223-2011".into(),
        }];
        card
    }

    fn committed(value: f64) -> Option<LimitValue> {
        Some(LimitValue::Numeric { value, unit: "mg/m³".into() })
    }

    /// Hourly values ending at [`LAST_HOUR`], oldest first.
    fn series(values: &[f64]) -> HourlySeries {
        let count = values.len() as i64;
        let values = values
            .iter()
            .enumerate()
            .map(|(i, value)| HourlyValue { at: LAST_HOUR - Duration::hours(count - 1 - i as i64), value: *value, flag: "N".into() })
            .collect();
        HourlySeries { pollutant: "二氧化硫".into(), unit: "mg/m³".into(), values }
    }

    fn assert_near(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-9, "{actual} is not {expected}");
    }

    #[test]
    fn limit_line_at_its_value() {
        let chart = trend_chart(&card(committed(35.0)), &series(&[10.0, 20.0, 30.0])).unwrap();
        let limit = chart.limit.expect("a limit line");

        // The top of the scale is the limit (35, above every value) plus 12 % headroom.
        let high = 35.0 * (1.0 + HEADROOM);
        assert_near(limit.y, PLOT_BOTTOM - 35.0 / high * (PLOT_BOTTOM - PLOT_TOP));
        assert_eq!(limit.text, "35");
        // A value equal to the limit would sit on the line; 30 sits below it, so lower on screen.
        assert!(chart.points[2].y > limit.y);
    }

    #[test]
    fn limit_line_uses_binding_limit() {
        let with_committed = trend_chart(&card(committed(35.0)), &series(&[10.0])).unwrap();
        let hourly_only = trend_chart(&card(None), &series(&[10.0])).unwrap();

        assert_eq!(with_committed.limit.unwrap().value, 35.0);
        assert_eq!(hourly_only.limit.unwrap().value, 50.0);
    }

    #[test]
    fn exceedances_marked() {
        let chart = trend_chart(&card(committed(35.0)), &series(&[19.0, 35.0, 38.2, 20.0])).unwrap();

        let marked: Vec<f64> = chart.exceedances().map(|point| point.value).collect();
        assert_eq!(marked, [38.2], "only the value above 35 is marked; 35 itself is not");
        let peak = &chart.points[2];
        assert_eq!(peak.at, LAST_HOUR - Duration::hours(1));
        assert!(peak.y < chart.limit.unwrap().y, "the peak is drawn above the limit line");
    }

    #[test]
    fn no_limit_line_in_other_unit() {
        let mut series = series(&[10.0, 60.0]);
        series.unit = "ppm".into();

        let chart = trend_chart(&card(committed(35.0)), &series).unwrap();

        assert_eq!(chart.limit, None);
        assert_eq!(chart.exceedances().count(), 0);
    }

    #[test]
    fn empty_series_has_no_chart() {
        assert_eq!(trend_chart(&card(None), &series(&[])), None);
        assert_eq!(trend_chart(&card(None), &series(&[f64::NAN, f64::INFINITY])), None);
    }

    #[test]
    fn non_finite_values_left_out() {
        let chart = trend_chart(&card(None), &series(&[10.0, f64::NAN, 20.0])).unwrap();
        assert_eq!(chart.points.len(), 2);
        assert!(chart.polyline().split(' ').all(|pair| !pair.contains("NaN")));
    }

    #[test]
    fn points_span_plot_by_time() {
        let mut series = series(&[5.0, 6.0, 7.0]);
        series.values.reverse();

        let chart = trend_chart(&card(None), &series).unwrap();

        assert_near(chart.points[0].x, PLOT_LEFT);
        assert_near(chart.points[2].x, PLOT_RIGHT);
        assert_near(chart.points[1].x, (PLOT_LEFT + PLOT_RIGHT) / 2.0);
        assert_eq!(chart.points[0].value, 5.0, "points are sorted oldest first");
        assert_eq!(chart.first_hour.text, "12-04 06:00");
        assert_eq!(chart.last_hour.text, "12-04 08:00");
    }

    #[test]
    fn single_value_centred() {
        let chart = trend_chart(&card(None), &series(&[0.0])).unwrap();

        assert_near(chart.points[0].x, (PLOT_LEFT + PLOT_RIGHT) / 2.0);
        assert_near(chart.points[0].y, PLOT_BOTTOM);
        assert_eq!(chart.value_labels.len(), 1, "the value 0 and the base 0 share one label");
    }

    #[test]
    fn value_labels_show_max_and_min() {
        let chart = trend_chart(&card(committed(35.0)), &series(&[15.4, 38.2, 20.0])).unwrap();
        let texts: Vec<&str> = chart.value_labels.iter().map(|label| label.text.as_str()).collect();
        assert_eq!(texts, ["38.2", "15.4", "0"]);

        let flat = trend_chart(&card(committed(35.0)), &series(&[20.0, 20.5])).unwrap();
        let texts: Vec<&str> = flat.value_labels.iter().map(|label| label.text.as_str()).collect();
        assert_eq!(texts, ["20.5", "0"], "labels 0.5 apart would overlap, so the lowest is left out");
    }

    #[test]
    fn everything_inside_view_box() {
        let chart = trend_chart(&card(committed(35.0)), &series(&[-3.0, 0.0, 1e6, 38.2])).unwrap();
        for point in &chart.points {
            assert!((PLOT_LEFT..=PLOT_RIGHT).contains(&point.x), "{point:?}");
            assert!((PLOT_TOP..=PLOT_BOTTOM).contains(&point.y), "{point:?}");
        }
        assert!(chart.first_hour.y < VIEW_HEIGHT);
    }
}
