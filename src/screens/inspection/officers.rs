//! The officers present, each with name and badge number, and which of them writes the record.

use dioxus::prelude::*;
use outlet_app_core::{DraftEdit, Event};
use outlet_core::i18n::{Lang, Msg};
use outlet_core::inspection::{Officer, MIN_OFFICERS};

#[component]
pub fn OfficersSection(lang: Lang, officers: Vec<Officer>, recorder: usize) -> Element {
    let events = use_coroutine_handle::<Event>();
    let t = |msg: Msg| msg.text(lang);
    let removable = officers.len() > MIN_OFFICERS;

    rsx! {
        fieldset { id: "officers", class: "officers",
            legend { {t(Msg::PrintOfficers)} }
            for (index, officer) in officers.into_iter().enumerate() {
                div { class: "officer", "data-index": "{index}",
                    p { class: "officer-title", {Msg::OfficerN.fill(lang, &[&(index + 1).to_string()])} }
                    label { {t(Msg::OfficerName)}
                        input { id: "officer-{index}-name", value: "{officer.name}",
                            oninput: move |evt: FormEvent| events.send(Event::Draft(DraftEdit::OfficerName { index, name: evt.value() })) }
                    }
                    label { {t(Msg::BadgeNo)}
                        input { id: "officer-{index}-badge", value: "{officer.badge_no}", inputmode: "numeric",
                            oninput: move |evt: FormEvent| events.send(Event::Draft(DraftEdit::OfficerBadge { index, badge_no: evt.value() })) }
                    }
                    div { class: "row",
                        label { class: "radio",
                            input { r#type: "radio", name: "recorder", id: "recorder-{index}", checked: index == recorder,
                                onchange: move |_| events.send(Event::Draft(DraftEdit::Recorder(index))) }
                            {t(Msg::PrintRecorder)}
                        }
                        if removable {
                            button { class: "remove", r#type: "button", id: "remove-officer-{index}",
                                onclick: move |_| events.send(Event::Draft(DraftEdit::RemoveOfficer(index))),
                                {t(Msg::FormRemove)}
                            }
                        }
                    }
                }
            }
            button { id: "add-officer", r#type: "button", onclick: move |_| events.send(Event::Draft(DraftEdit::AddOfficer)), {t(Msg::FormAddOfficer)} }
        }
    }
}
