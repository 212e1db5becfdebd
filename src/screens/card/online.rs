//! Online monitors: status, device id (MN), last data time, the latest readings against their
//! binding limits, and a 24-hour trend chart per pollutant.

use dioxus::prelude::*;
use outlet_app_core::trend::trend_chart;
use outlet_core::card::display::{limit_text, number_text};
use outlet_core::card::OnlineMonitor;
use outlet_core::i18n::{format_time, Label, Lang, Msg};
use outlet_core::OutletCard;

use super::trend::TrendSvg;

pub fn section(lang: Lang, card: &OutletCard) -> Element {
    let t = |msg: Msg| msg.text(lang);

    rsx! {
        section { id: "online",
            h3 { {t(Msg::SectionOnline)} }
            if card.monitors.is_empty() {
                p { {t(Msg::NoRecords)} }
            }
            for monitor in card.monitors.iter() {
                {monitor_block(lang, card, monitor)}
            }
        }
    }
}

fn monitor_block(lang: Lang, card: &OutletCard, monitor: &OnlineMonitor) -> Element {
    let t = |msg: Msg| msg.text(lang);
    let last_seen = monitor.last_seen.map(format_time).unwrap_or_else(|| t(Msg::None).to_string());
    let charts: Vec<_> = monitor.hourly.iter().map(|series| (series, trend_chart(card, series))).collect();

    rsx! {
        div { class: "monitor", "data-mn": "{monitor.mn}",
            dl {
                dt { {t(Msg::FieldStatus)} } dd { span { class: "status-{monitor.status:?}", {monitor.status.text(lang)} } }
                dt { {t(Msg::FieldMonitor)} } dd { class: "code", "{monitor.mn}" }
                dt { {t(Msg::FieldLastSeen)} } dd { {last_seen} }
            }
            if !monitor.latest.is_empty() {
                table { class: "readings",
                    thead {
                        tr {
                            th { {t(Msg::FieldPollutant)} }
                            th { {t(Msg::FieldLatest)} }
                            th { {t(Msg::FieldBindingLimit)} }
                        }
                    }
                    tbody {
                        for reading in monitor.latest.iter() {
                            tr { class: if card.exceeds_limit(reading) { "exceedance" },
                                td { "{reading.pollutant}" }
                                td {
                                    {number_text(reading.value)} " {reading.unit} ({reading.flag})"
                                    if card.exceeds_limit(reading) {
                                        " "
                                        strong { class: "exceedance-badge", {t(Msg::Exceedance)} }
                                    }
                                }
                                td { {card.binding_limit(&reading.pollutant).map(limit_text).unwrap_or_else(|| "—".to_string())} }
                            }
                        }
                    }
                }
            }
            for (series, chart) in charts {
                figure { class: "trend", "data-pollutant": "{series.pollutant}",
                    figcaption { {Msg::TrendTitle.fill(lang, &[&series.pollutant, &series.unit])} }
                    match chart {
                        Some(chart) => rsx! { TrendSvg { lang, chart } },
                        None => rsx! { p { class: "trend-empty", {t(Msg::TrendNoData)} } },
                    }
                }
            }
        }
    }
}
