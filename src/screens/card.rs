//! The outlet card: where the device is against the outlet, the permit, the outlet, its limits and
//! special periods, monitoring duties, online monitors with 24-hour trends, and enforcement history.
//!
//! Each section lives in its own file and only renders what the [`CardView`] holds. Opening the
//! screen requests a position fix from the platform, which reaches the core as an event.

mod enforcement;
mod limits;
mod location;
mod monitoring;
mod online;
mod outlet;
mod permit;
mod special_periods;
mod text;
mod trend;

use dioxus::prelude::*;
use outlet_app_core::{CardSource, CardView, Event, PlacardCheck};
use outlet_core::i18n::{permit_alert_text, Lang, Msg};

use crate::geolocation::request_position;

#[component]
pub fn CardScreen(lang: Lang, view: Option<CardView>) -> Element {
    let events = use_coroutine_handle::<Event>();

    use_effect(move || {
        spawn(request_position(events));
    });

    let Some(view) = view else { return rsx! {} };
    let card = &view.cached.card;

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

            {location::section(lang, card, &view.location, events)}
            {permit::section(lang, card)}
            {outlet::section(lang, card)}
            {limits::section(lang, card)}
            {special_periods::section(lang, card, view.today)}
            {monitoring::section(lang, card)}
            {online::section(lang, card)}
            {enforcement::section(lang, card)}

            button { id: "start-inspection", class: "primary", onclick: move |_| events.send(Event::StartInspection), {Msg::StartInspection.text(lang)} }
        }
    }
}
