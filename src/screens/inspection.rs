//! The inspection form: officers, checklist, findings, finalize. Every change is saved by the core.

use dioxus::prelude::*;
use outlet_app_core::Event;
use outlet_core::checklist::{Answer, ChecklistItem};
use outlet_core::i18n::{Label, Lang, Msg};
use outlet_core::inspection::InspectionDraft;

#[component]
pub fn InspectionScreen(lang: Lang, draft: Option<InspectionDraft>) -> Element {
    let events = use_coroutine_handle::<Event>();
    let Some(draft) = draft else { return rsx! {} };
    let t = |msg: Msg| msg.text(lang);

    rsx! {
        form { id: "inspection", class: "inspection", onsubmit: move |evt: FormEvent| {
                evt.prevent_default();
                events.send(Event::Finalize);
            },
            h2 { {t(Msg::InspectionTitle)} }
            p { class: "outlet-title", "{draft.outlet}" }

            for (index, officer) in draft.officers.iter().cloned().enumerate() {
                fieldset { class: "officer",
                    legend { {Msg::OfficerN.fill(lang, &[&(index + 1).to_string()])} }
                    label { {t(Msg::OfficerName)}
                        input { id: "officer-{index}-name", value: "{officer.name}",
                            oninput: move |evt: FormEvent| events.send(Event::SetOfficerName { index, name: evt.value() })
                        }
                    }
                    label { {t(Msg::BadgeNo)}
                        input { id: "officer-{index}-badge", value: "{officer.badge_no}",
                            oninput: move |evt: FormEvent| events.send(Event::SetOfficerBadge { index, badge_no: evt.value() })
                        }
                    }
                }
            }

            fieldset { class: "checklist",
                legend { {t(Msg::Checklist)} }
                for item in ChecklistItem::ALL {
                    ChecklistRow { lang, item, answer: draft.answer(item) }
                }
            }

            label { r#for: "finding", {t(Msg::Finding)} }
            textarea { id: "finding", rows: 4, value: "{draft.finding}",
                oninput: move |evt: FormEvent| events.send(Event::SetFinding(evt.value())) }

            button { id: "finalize", class: "primary", r#type: "submit", {t(Msg::Finalize)} }
        }
    }
}

#[component]
fn ChecklistRow(lang: Lang, item: ChecklistItem, answer: Option<Answer>) -> Element {
    let events = use_coroutine_handle::<Event>();
    let articles: Vec<String> = item.articles().iter().map(|a| a.to_string()).collect();
    let reference = Msg::ArticleRef.fill(lang, &[&articles.join("、")]);
    let key = format!("{item:?}");

    rsx! {
        div { class: "checklist-item", "data-item": "{key}",
            p { {item.text(lang)} small { " {reference}" } }
            div { class: "answers",
                for choice in [Answer::Complies, Answer::DoesNotComply, Answer::NotApplicable] {
                    button {
                        r#type: "button",
                        id: "answer-{key}-{choice:?}",
                        class: if answer == Some(choice) { "chosen" },
                        "aria-pressed": answer == Some(choice),
                        onclick: move |_| events.send(Event::SetAnswer { item, answer: choice }),
                        {choice.text(lang)}
                    }
                }
            }
        }
    }
}
