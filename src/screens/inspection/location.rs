//! The inspection's location: the attached position fix, or the officer's reason for having none.

use dioxus::prelude::*;
use outlet_app_core::{DraftEdit, Event};
use outlet_core::card::display::number_text;
use outlet_core::i18n::{format_time, Label, Lang, Msg};
use outlet_core::inspection::Location;

use crate::geolocation::request_position;

#[component]
pub fn LocationSection(lang: Lang, location: Option<Location>) -> Element {
    let events = use_coroutine_handle::<Event>();
    let mut locating = use_signal(|| false);
    let t = |msg: Msg| msg.text(lang);

    let (class, text) = match &location {
        Some(Location::Fix { point, accuracy_m, fixed_at, source }) => {
            let source = source.text(lang);
            let args = [format!("{:.5}", point.latitude), format!("{:.5}", point.longitude), number_text(accuracy_m.round()), format_time(*fixed_at), source.to_string()];
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            ("fix", Msg::PrintFix.fill(lang, &args))
        }
        Some(Location::NoFix { reason }) => ("no-fix", Msg::PrintNoFix.fill(lang, &[reason])),
        None => ("none", t(Msg::PrintNotRecorded).to_string()),
    };
    let reason = match &location {
        Some(Location::NoFix { reason }) => reason.clone(),
        _ => String::new(),
    };

    // A fresh fix first, so that the core does not reject a stale one. The core then takes the newest
    // fix it has, or shows a notice explaining why there is none.
    let use_current_fix = move |_| {
        locating.set(true);
        spawn(async move {
            request_position(events).await;
            events.send(Event::Draft(DraftEdit::UseCurrentFix));
            locating.set(false);
        });
    };

    rsx! {
        fieldset { id: "record-location", class: "record-location",
            legend { {t(Msg::PrintLocation)} }
            p { id: "record-location-text", class: class, {text} }
            button { id: "use-current-fix", r#type: "button", disabled: locating(), onclick: use_current_fix,
                if locating() { {t(Msg::PositionPending)} } else { {t(Msg::FormUseCurrentFix)} }
            }
            label { r#for: "no-fix-reason", {t(Msg::FormNoFixReason)} }
            input { id: "no-fix-reason", value: "{reason}",
                oninput: move |evt: FormEvent| events.send(Event::Draft(DraftEdit::NoFixReason(evt.value()))) }
        }
    }
}
