//! The checklist: each item with the articles behind it, the officer's answer and note, and the
//! answer the app proposes from the outlet card, which stays a proposal until the officer answers.

use dioxus::prelude::*;
use outlet_app_core::{DraftEdit, Event};
use outlet_core::card::display::number_text;
use outlet_core::checklist::Answer;
use outlet_core::i18n::{Label, Lang, Msg};
use outlet_core::inspection::{DraftAnswer, Premark, PremarkReason};

const ANSWERS: [Answer; 3] = [Answer::Complies, Answer::DoesNotComply, Answer::NotApplicable];

#[component]
pub fn ChecklistSection(lang: Lang, answers: Vec<DraftAnswer>) -> Element {
    rsx! {
        fieldset { id: "checklist", class: "checklist",
            legend { {Msg::Checklist.text(lang)} }
            for slot in answers {
                ChecklistRow { lang, slot }
            }
        }
    }
}

#[component]
fn ChecklistRow(lang: Lang, slot: DraftAnswer) -> Element {
    let events = use_coroutine_handle::<Event>();
    let item = slot.item;
    let articles: Vec<String> = item.articles().iter().map(u8::to_string).collect();
    let reference = Msg::ArticleRef.fill(lang, &[&articles.join("、")]);
    let key = format!("{item:?}");
    let proposed = slot.premark.as_ref().map(|premark| premark.answer);

    rsx! {
        div { class: "checklist-item", "data-item": "{key}",
            p { {item.text(lang)} small { class: "articles", " {reference}" } }
            if let Some(premark) = &slot.premark {
                PremarkHint { lang, premark: premark.clone(), answered: slot.answer.is_some() }
            }
            div { class: "answers",
                for choice in ANSWERS {
                    button {
                        r#type: "button",
                        id: "answer-{key}-{choice:?}",
                        class: answer_class(slot.answer, proposed, choice),
                        "aria-pressed": slot.answer == Some(choice),
                        onclick: move |_| events.send(Event::Draft(DraftEdit::Answer { item, answer: choice })),
                        {choice.text(lang)}
                    }
                }
            }
            input { id: "note-{key}", class: "note", value: "{slot.note}", placeholder: Msg::PrintColumnNote.text(lang),
                oninput: move |evt: FormEvent| events.send(Event::Draft(DraftEdit::AnswerNote { item, note: evt.value() })) }
        }
    }
}

/// Returns `chosen` for the officer's answer, and `proposed` for the premark's answer until one is chosen.
fn answer_class(answer: Option<Answer>, proposed: Option<Answer>, choice: Answer) -> &'static str {
    if answer == Some(choice) {
        "chosen"
    } else if answer.is_none() && proposed == Some(choice) {
        "proposed"
    } else {
        ""
    }
}

/// The proposal and what on the card led to it. It stays visible after the officer answered, so the
/// reason can still be read.
#[component]
fn PremarkHint(lang: Lang, premark: Premark, answered: bool) -> Element {
    let reason = match &premark.reason {
        PremarkReason::Exceedance { outlet, pollutant, value, unit } => {
            Msg::FormPremarkExceedance.fill(lang, &[&outlet.outlet_code.to_string(), pollutant, &number_text(*value), unit])
        }
        PremarkReason::MonitorDown { outlet, mn, status } => Msg::FormPremarkMonitorDown.fill(lang, &[&outlet.outlet_code.to_string(), mn, status.text(lang)]),
        PremarkReason::PermitInvalid => Msg::FormPremarkPermitInvalid.text(lang).to_string(),
    };

    rsx! {
        div { class: if answered { "premark answered" } else { "premark" }, role: "note",
            p { class: "premark-proposal", {Msg::FormPremarkProposed.fill(lang, &[premark.answer.text(lang)])} }
            p { class: "premark-reason", {reason} }
        }
    }
}
