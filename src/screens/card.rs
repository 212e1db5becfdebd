//! The outlet card: permit, limits, monitoring duties, online status and enforcement history.

use dioxus::prelude::*;
use outlet_app_core::{CardSource, CardView, Event, PlacardCheck};
use outlet_core::card::LimitValue;
use outlet_core::i18n::{format_time, permit_alert_text, Label, Lang, Msg};

#[component]
pub fn CardScreen(lang: Lang, view: Option<CardView>) -> Element {
    let events = use_coroutine_handle::<Event>();
    let Some(view) = view else { return rsx! {} };
    let card = &view.cached.card;
    let t = |msg: Msg| msg.text(lang);

    let check = match view.check {
        PlacardCheck::Genuine => Some(("check genuine", Msg::GenuinePlacard.text(lang).to_string())),
        PlacardCheck::Forged => Some(("check forged", Msg::ForgedPlacard.fill(lang, &[&card.outlet.id.to_string()]))),
        PlacardCheck::UnknownKey => Some(("check unknown", Msg::PlacardUnverifiable.text(lang).to_string())),
        PlacardCheck::RetiredKey => Some(("check forged", Msg::RetiredKeyPlacard.fill(lang, &[&card.outlet.id.to_string()]))),
        PlacardCheck::Replaced { scanned, current } => {
            Some(("check forged", Msg::ReplacedPlacard.fill(lang, &[&scanned.to_string(), &current.to_string()])))
        }
        PlacardCheck::Unverified => Some(("check unverified", Msg::UnverifiedEntry.text(lang).to_string())),
    };
    let source_class = match view.source {
        CardSource::Server => "source server",
        CardSource::Cache { .. } => "source cache",
        CardSource::OfflineCache { .. } => "source offline",
    };

    rsx! {
        article { id: "card", class: "card",
            p { id: "card-source", class: source_class, {view.source.text(lang)} }
            if let Some((class, text)) = check {
                p { id: "placard-check", class, {text} }
            }
            if let Some(alert) = view.permit_alert {
                p { id: "permit-alert", class: "check forged", {permit_alert_text(alert, lang)} }
            }
            h2 { "{card.unit.name}" }
            p { class: "outlet-title", "{card.outlet.id.outlet_code} · {card.outlet.name}" }

            section {
                h3 { {t(Msg::SectionPermit)} }
                dl {
                    dt { {t(Msg::FieldPermitNo)} } dd { "{card.permit.permit_no}" }
                    dt { {t(Msg::FieldValidity)} } dd { "{card.permit.valid_from} – {card.permit.valid_to}" }
                    dt { {t(Msg::FieldStatus)} } dd { {card.permit.status.text(lang)} }
                    dt { {t(Msg::FieldAuthority)} } dd { "{card.permit.issuing_authority}" }
                    dt { {t(Msg::FieldUscc)} } dd { "{card.unit.uscc}" }
                }
            }

            section {
                h3 { {t(Msg::SectionOutlet)} }
                dl {
                    dt { {t(Msg::FieldOutletCode)} } dd { "{card.outlet.id.outlet_code}" }
                    dt { {t(Msg::FieldOutletKind)} } dd { "{card.outlet.medium.text(lang)} · {card.outlet.kind.text(lang)}" }
                    if let Some(height) = card.outlet.stack_height_m {
                        dt { {t(Msg::FieldStackHeight)} } dd { "{height} m" }
                    }
                    if let Some(water) = &card.outlet.receiving_water {
                        dt { {t(Msg::FieldReceivingWater)} } dd { "{water}" }
                    }
                }
            }

            section {
                h3 { {t(Msg::SectionLimits)} }
                table { id: "limits",
                    tr { th { {t(Msg::FieldPollutant)} } th { {t(Msg::FieldConcentration)} } th { {t(Msg::FieldAnnual)} } th { {t(Msg::FieldStandard)} } }
                    for limit in card.limits.iter() {
                        tr {
                            td { "{limit.pollutant}" }
                            td { {limit_text(&limit.concentration)} }
                            td { {limit.annual_t.first().map(|t| format!("{t} t/a")).unwrap_or_else(|| "—".into())} }
                            td { "{limit.standard}" }
                        }
                    }
                }
            }

            section {
                h3 { {t(Msg::SectionMonitoring)} }
                table {
                    tr { th { {t(Msg::FieldPollutant)} } th { {t(Msg::FieldMode)} } th { {t(Msg::FieldFrequency)} } th { {t(Msg::FieldMethod)} } }
                    for duty in card.monitoring.iter() {
                        tr {
                            td { "{duty.pollutant}" }
                            td { {duty.mode.text(lang)} if duty.networked { " · " {t(Msg::FieldNetworked)} } }
                            td { "{duty.frequency}" }
                            td { "{duty.method_standard}" }
                        }
                    }
                }
            }

            section {
                h3 { {t(Msg::SectionOnline)} }
                if card.monitors.is_empty() { p { {t(Msg::NoRecords)} } }
                for monitor in card.monitors.iter() {
                    div { class: "monitor",
                        p {
                            span { class: "status-{monitor.status:?}", {monitor.status.text(lang)} }
                            " · {t(Msg::FieldMonitor)} {monitor.mn} · {t(Msg::FieldLastSeen)} "
                            {monitor.last_seen.map(format_time).unwrap_or_else(|| t(Msg::None).to_string())}
                        }
                        ul {
                            for reading in monitor.latest.iter() {
                                li { class: if card.exceeds_limit(reading) { "exceedance" },
                                    "{reading.pollutant} {reading.value} {reading.unit} ({reading.flag})"
                                    if card.exceeds_limit(reading) { strong { " {t(Msg::Exceedance)}" } }
                                }
                            }
                        }
                    }
                }
            }

            section {
                h3 { {t(Msg::SectionEnforcement)} }
                if card.enforcement.is_empty() { p { {t(Msg::NoRecords)} } }
                ul {
                    for action in card.enforcement.iter() {
                        li {
                            "{action.date} · {action.kind.text(lang)} · {action.result}"
                            if let Some(number) = &action.decision_no { " · {number}" }
                            if let Some(fine) = action.fine_yuan { " · " {Msg::FineYuan.fill(lang, &[&fine.to_string()])} }
                        }
                    }
                }
            }

            button { id: "start-inspection", class: "primary", onclick: move |_| events.send(Event::StartInspection), {t(Msg::StartInspection)} }
        }
    }
}

fn limit_text(limit: &LimitValue) -> String {
    match limit {
        LimitValue::Numeric { value, unit } => format!("{value} {unit}"),
        LimitValue::Text(text) => text.clone(),
    }
}
