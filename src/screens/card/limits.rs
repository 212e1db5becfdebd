//! Limits table: per pollutant the hourly, daily and committed concentrations (the binding one in
//! bold), then the rate, the annual amounts of permit years 1 to 5 and the standard on a second row.

use dioxus::prelude::*;
use outlet_core::card::display::{annual_amounts_text, concentration_unit, limit_cell, number_text};
use outlet_core::card::PermitLimit;
use outlet_core::i18n::{Lang, Msg};
use outlet_core::OutletCard;

pub fn section(lang: Lang, card: &OutletCard) -> Element {
    let t = |msg: Msg| msg.text(lang);

    rsx! {
        section { id: "limits",
            h3 { {t(Msg::SectionLimits)} }
            if card.limits.is_empty() {
                p { {t(Msg::NoRecords)} }
            } else {
                table { class: "limits",
                    thead {
                        tr {
                            th { {t(Msg::FieldPollutant)} }
                            th { {t(Msg::FieldHourly)} }
                            th { {t(Msg::FieldDaily)} }
                            th { {t(Msg::FieldCommitted)} }
                        }
                    }
                    for limit in card.limits.iter() {
                        {limit_rows(lang, limit)}
                    }
                }
                p { class: "legend", {t(Msg::LimitsBindingLegend)} }
            }
        }
    }
}

fn limit_rows(lang: Lang, limit: &PermitLimit) -> Element {
    let unit = concentration_unit(limit);
    let binding = limit.binding_kind();
    let cells = limit.concentrations().map(|(kind, value)| (Some(kind) == binding, limit_cell(value, unit)));

    let mut details = Vec::new();
    if let Some(rate) = limit.rate_kg_per_h {
        details.push(format!("{} {} kg/h", Msg::FieldRate.text(lang), number_text(rate)));
    }
    if let Some(annual) = annual_amounts_text(lang, &limit.annual_t) {
        details.push(format!("{} {annual}", Msg::FieldAnnualAmounts.text(lang)));
    }
    details.push(limit.standard.clone());

    rsx! {
        tbody { class: "limit",
            tr {
                th { scope: "row",
                    "{limit.pollutant}"
                    if let Some(unit) = unit {
                        span { class: "unit", "{unit}" }
                    }
                }
                for (is_binding, cell) in cells {
                    td { class: if is_binding { "binding" }, {cell} }
                }
            }
            tr { class: "limit-detail",
                td { colspan: "4", {details.join(" · ")} }
            }
        }
    }
}
