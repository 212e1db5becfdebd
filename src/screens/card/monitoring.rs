//! Self-monitoring duties: pollutant, manual or automatic (and for automatic monitors whether they
//! are networked), frequency, method standard.

use dioxus::prelude::*;
use outlet_core::card::MonitoringMode;
use outlet_core::i18n::{Label, Lang, Msg};
use outlet_core::OutletCard;

pub fn section(lang: Lang, card: &OutletCard) -> Element {
    let t = |msg: Msg| msg.text(lang);

    rsx! {
        section { id: "monitoring",
            h3 { {t(Msg::SectionMonitoring)} }
            if card.monitoring.is_empty() {
                p { {t(Msg::NoRecords)} }
            } else {
                table { class: "duties",
                    thead {
                        tr {
                            th { {t(Msg::FieldPollutant)} }
                            th { {t(Msg::FieldMode)} }
                            th { {t(Msg::FieldFrequency)} }
                            th { {t(Msg::FieldMethod)} }
                        }
                    }
                    tbody {
                        for duty in card.monitoring.iter() {
                            tr {
                                td { "{duty.pollutant}" }
                                td {
                                    {duty.mode.text(lang)}
                                    if duty.mode == MonitoringMode::Automatic {
                                        span { class: if duty.networked { "networked" } else { "networked not" },
                                            {t(if duty.networked { Msg::FieldNetworked } else { Msg::NotNetworked })}
                                        }
                                    }
                                }
                                td { "{duty.frequency}" }
                                td {
                                    // One span a word, so `HJ 75-2017` breaks at its space, never at its hyphen.
                                    for word in duty.method_standard.split_whitespace() {
                                        span { class: "nowrap", "{word}" }
                                        " "
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
