//! Draws a [`TrendChart`] as inline SVG: value line, dashed binding limit, exceedance marks, labels.

use dioxus::prelude::*;
use outlet_app_core::trend::{TrendChart, PLOT_BOTTOM, PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, VIEW_HEIGHT, VIEW_WIDTH};
use outlet_core::card::display::number_text;
use outlet_core::i18n::{format_time, Lang, Msg};

/// Radius of an exceedance mark, in view-box units.
const MARK_RADIUS: f64 = 4.0;

#[component]
pub fn TrendSvg(lang: Lang, chart: TrendChart) -> Element {
    let view_box = format!("0 0 {VIEW_WIDTH} {VIEW_HEIGHT}");
    let title = Msg::TrendTitle.fill(lang, &[&chart.pollutant, &chart.unit]);
    let exceedances = chart.exceedances().count();

    rsx! {
        svg { class: "trend-chart", view_box, role: "img", "aria-label": "{title}",
            line { class: "axis", x1: "{PLOT_LEFT}", y1: "{PLOT_TOP}", x2: "{PLOT_LEFT}", y2: "{PLOT_BOTTOM}" }
            line { class: "axis", x1: "{PLOT_LEFT}", y1: "{PLOT_BOTTOM}", x2: "{PLOT_RIGHT}", y2: "{PLOT_BOTTOM}" }
            if let Some(limit) = &chart.limit {
                line { class: "limit-line", "data-limit": "{limit.value}", stroke_dasharray: "6 4",
                    x1: "{PLOT_LEFT}", y1: "{limit.y:.1}", x2: "{PLOT_RIGHT}", y2: "{limit.y:.1}" }
                text { class: "limit-label", x: "{PLOT_RIGHT - 2.0}", y: "{limit.y - 4.0:.1}", text_anchor: "end",
                    {Msg::TrendLimit.fill(lang, &[&limit.text])} }
            }
            polyline { class: "trend-line", points: chart.polyline() }
            for point in chart.exceedances() {
                circle { class: "exceedance-mark", cx: "{point.x:.1}", cy: "{point.y:.1}", r: "{MARK_RADIUS}",
                    "data-at": format_time(point.at), "data-value": number_text(point.value) }
            }
            for label in chart.value_labels.iter() {
                text { class: "value-label", x: "{label.x}", y: "{label.y:.1}", text_anchor: "end", dominant_baseline: "middle", "{label.text}" }
            }
            text { class: "hour-label", x: "{chart.first_hour.x}", y: "{chart.first_hour.y}", text_anchor: "start", "{chart.first_hour.text}" }
            text { class: "hour-label", x: "{chart.last_hour.x}", y: "{chart.last_hour.y}", text_anchor: "end", "{chart.last_hour.text}" }
        }
        if exceedances > 0 {
            p { class: "trend-exceedances", {Msg::TrendExceedances.fill(lang, &[&exceedances.to_string()])} }
        }
    }
}
