//! Special periods: stricter limits in named periods, grouped by period, with those in force on the
//! device's date marked and named at the top.

use dioxus::prelude::*;
use outlet_core::card::display::{limit_text, number_text};
use outlet_core::card::SpecialPeriodLimit;
use outlet_core::i18n::{Lang, Msg};
use outlet_core::OutletCard;
use time::Date;

use super::text::fill_unbroken;

pub fn section(lang: Lang, card: &OutletCard, today: Date) -> Element {
    let t = |msg: Msg| msg.text(lang);
    let periods = card.special_periods_grouped();
    let in_force = card.special_period_names_in_force(today);

    rsx! {
        section { id: "special-periods",
            h3 { {t(Msg::SectionSpecialPeriods)} }
            if !in_force.is_empty() {
                p { id: "special-period-in-force", class: "in-force-banner",
                    span { class: "in-force-marker", {t(Msg::SpecialPeriodInForce)} }
                    " "
                    {Msg::SpecialPeriodsInForceToday.fill(lang, &[&in_force.join(" · ")])}
                }
            }
            if periods.is_empty() {
                p { {t(Msg::NoRecords)} }
            }
            for limits in periods {
                {period_block(lang, &limits, today)}
            }
        }
    }
}

fn period_block(lang: Lang, limits: &[&SpecialPeriodLimit], today: Date) -> Element {
    let t = |msg: Msg| msg.text(lang);
    let Some(first) = limits.first() else { return rsx! {} };
    let in_force = first.in_force(today);
    let dash = || "—".to_string();

    rsx! {
        div { class: if in_force { "special-period in-force" } else { "special-period" },
            p { class: "period-name",
                strong { "{first.name}" }
                if in_force {
                    " "
                    span { class: "in-force-marker", {t(Msg::SpecialPeriodInForce)} }
                }
            }
            p { class: "period-dates", {fill_unbroken(Msg::DateRange, lang, &[&first.starts.to_string(), &first.ends.to_string()])} }
            table {
                thead {
                    tr {
                        th { {t(Msg::FieldPollutant)} }
                        th { {t(Msg::FieldConcentration)} }
                        th { {t(Msg::FieldDailyAmount)} }
                        th { {t(Msg::FieldMonthlyAmount)} }
                    }
                }
                tbody {
                    for limit in limits.iter() {
                        tr {
                            td { "{limit.pollutant}" }
                            td { {limit.concentration.as_ref().map(limit_text).unwrap_or_else(dash)} }
                            td { {limit.daily_kg.map(|kg| Msg::AmountKgPerDay.fill(lang, &[&number_text(kg)])).unwrap_or_else(dash)} }
                            td { {limit.monthly_t.map(|tonnes| Msg::AmountTonnesPerMonth.fill(lang, &[&number_text(tonnes)])).unwrap_or_else(dash)} }
                        }
                    }
                }
            }
        }
    }
}
