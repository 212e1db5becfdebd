//! Findings, and the articles of the 排污许可管理条例 that the officers suspect were broken.

use dioxus::prelude::*;
use outlet_app_core::{DraftEdit, Event};
use outlet_core::checklist::LAST_ARTICLE;
use outlet_core::i18n::{Lang, Msg};
use outlet_core::inspection::SuspectedViolation;

/// The article preselected for a new suspected violation: art. 34, exceeding permitted limits.
const DEFAULT_ARTICLE: u8 = 34;

#[component]
pub fn FindingsSection(lang: Lang, finding: String, violations: Vec<SuspectedViolation>) -> Element {
    let events = use_coroutine_handle::<Event>();
    let mut article = use_signal(|| DEFAULT_ARTICLE);
    let t = |msg: Msg| msg.text(lang);

    rsx! {
        fieldset { id: "findings", class: "findings",
            legend { {t(Msg::Finding)} }
            textarea { id: "finding", rows: 5, value: "{finding}",
                oninput: move |evt: FormEvent| events.send(Event::Draft(DraftEdit::Finding(evt.value()))) }
        }
        fieldset { id: "violations", class: "violations",
            legend { {t(Msg::PrintSuspectedViolations)} }
            ul {
                for (index, violation) in violations.into_iter().enumerate() {
                    li { class: "violation", "data-article": "{violation.article}",
                        p { {Msg::ArticleRef.fill(lang, &[&violation.article.to_string()])} }
                        input { id: "violation-{index}-note", value: "{violation.note}", placeholder: t(Msg::PrintColumnNote),
                            oninput: move |evt: FormEvent| events.send(Event::Draft(DraftEdit::ViolationNote { index, note: evt.value() })) }
                        button { class: "remove", r#type: "button", id: "remove-violation-{index}",
                            onclick: move |_| events.send(Event::Draft(DraftEdit::RemoveViolation(index))),
                            {t(Msg::FormRemove)}
                        }
                    }
                }
            }
            label { r#for: "violation-article", {t(Msg::FieldLegalArticle)} }
            div { class: "row",
                select { id: "violation-article",
                    onchange: move |evt: FormEvent| {
                        if let Ok(number) = evt.value().parse::<u8>() {
                            article.set(number);
                        }
                    },
                    for number in 1..=LAST_ARTICLE {
                        option { value: "{number}", selected: number == article(), {Msg::PrintArticleNo.fill(lang, &[&number.to_string()])} }
                    }
                }
                button { id: "add-violation", r#type: "button", onclick: move |_| events.send(Event::Draft(DraftEdit::AddViolation(article()))),
                    {t(Msg::FormAddViolation)}
                }
            }
        }
    }
}
