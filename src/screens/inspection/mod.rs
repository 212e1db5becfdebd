//! The inspection form (现场检查笔录): one component per section of the record. Every change goes to
//! the core as an [`Event::Draft`] edit, and the core saves the draft before the screen shows it.

mod acknowledgement;
mod checklist;
mod findings;
mod header;
mod location;
mod measurements;
mod officers;
mod photos;
mod signature_pad;

use dioxus::prelude::*;
use outlet_app_core::Event;
use outlet_core::i18n::{Lang, Msg};
use outlet_core::inspection::InspectionDraft;

use acknowledgement::AcknowledgementSection;
use checklist::ChecklistSection;
use findings::FindingsSection;
use header::HeaderSection;
use location::LocationSection;
use measurements::MeasurementsSection;
use officers::OfficersSection;
use photos::PhotosSection;

#[component]
pub fn InspectionScreen(lang: Lang, draft: Option<InspectionDraft>) -> Element {
    let Some(draft) = draft else { return rsx! {} };

    rsx! {
        section { id: "inspection", class: "inspection", "data-id": "{draft.id}",
            h2 { {Msg::InspectionTitle.text(lang)} }
            HeaderSection { lang, draft: draft.clone() }
            OfficersSection { lang, officers: draft.officers.clone(), recorder: draft.recorder }
            ChecklistSection { lang, answers: draft.answers.clone() }
            MeasurementsSection { lang, measurements: draft.measurements.clone(), outlets: draft.outlets.clone() }
            PhotosSection { lang, photos: draft.photos.clone() }
            LocationSection { lang, location: draft.location.clone() }
            FindingsSection { lang, finding: draft.finding.clone(), violations: draft.suspected_violations.clone() }
            AcknowledgementSection { lang, acknowledgement: draft.acknowledgement.clone(), record_date: draft.local_date() }
            DraftActions { lang }
        }
    }
}

/// Finalize, and discard with a second step, because a discarded draft cannot be recovered.
#[component]
fn DraftActions(lang: Lang) -> Element {
    let events = use_coroutine_handle::<Event>();
    let mut confirming = use_signal(|| false);

    rsx! {
        div { class: "draft-actions",
            button { id: "finalize", class: "primary", r#type: "button", onclick: move |_| events.send(Event::Finalize),
                {Msg::Finalize.text(lang)}
            }
            if confirming() {
                div { id: "discard-confirm", class: "confirm", role: "alertdialog",
                    p { {Msg::FormDiscardQuestion.text(lang)} }
                    button { id: "discard-yes", class: "danger", r#type: "button",
                        onclick: move |_| {
                            confirming.set(false);
                            events.send(Event::DiscardDraft);
                        },
                        {Msg::FormDiscardConfirm.text(lang)}
                    }
                    button { id: "discard-no", r#type: "button", onclick: move |_| confirming.set(false), {Msg::FormCancel.text(lang)} }
                }
            } else {
                button { id: "discard-draft", class: "danger", r#type: "button", onclick: move |_| confirming.set(true),
                    {Msg::FormDiscardDraft.text(lang)}
                }
            }
        }
    }
}
