//! Enforcement history, newest first. Internal records and notes are shown to the officer and
//! marked internal; the public page never shows them.

use dioxus::prelude::*;
use outlet_core::card::EnforcementAction;
use outlet_core::i18n::{Label, Lang, Msg};
use outlet_core::OutletCard;

pub fn section(lang: Lang, card: &OutletCard) -> Element {
    let t = |msg: Msg| msg.text(lang);

    rsx! {
        section { id: "enforcement",
            h3 { {t(Msg::SectionEnforcement)} }
            if card.enforcement.is_empty() {
                p { {t(Msg::NoRecords)} }
            }
            ol { class: "enforcement",
                for action in card.enforcement_newest_first() {
                    {action_item(lang, action)}
                }
            }
        }
    }
}

fn action_item(lang: Lang, action: &EnforcementAction) -> Element {
    let t = |msg: Msg| msg.text(lang);

    rsx! {
        li { class: if action.public { "enforcement-action" } else { "enforcement-action internal" }, "data-date": "{action.date}",
            p { class: "action-head",
                strong { "{action.date}" }
                " · "
                {action.kind.text(lang)}
                if let Some(status) = &action.status {
                    " "
                    span { class: "action-status", "{status}" }
                }
            }
            if !action.public {
                p { class: "internal-marker", {t(Msg::InternalRecord)} }
            }
            p { class: "action-result", "{action.result}" }
            dl {
                if let Some(article) = &action.legal_article {
                    dt { {t(Msg::FieldLegalArticle)} } dd { "{article}" }
                }
                if let Some(number) = &action.decision_no {
                    dt { {t(Msg::FieldDecisionNo)} } dd { "{number}" }
                }
                if let Some(fine) = action.fine_yuan {
                    dt { {t(Msg::FieldFine)} } dd { {Msg::FineYuan.fill(lang, &[&fine.to_string()])} }
                }
            }
            if let Some(note) = &action.internal_note {
                p { class: "internal-note",
                    strong { {t(Msg::InternalNote)} }
                    " "
                    "{note}"
                }
            }
        }
    }
}
