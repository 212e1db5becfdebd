//! Permit section: number, status, validity, issue date, version, authority, USCC, management class.

use dioxus::prelude::*;
use outlet_core::i18n::{Label, Lang, Msg};
use outlet_core::OutletCard;

use super::text::fill_unbroken;

pub fn section(lang: Lang, card: &OutletCard) -> Element {
    let t = |msg: Msg| msg.text(lang);
    let permit = &card.permit;
    let status_class = if permit.status.is_withdrawn() { "permit-status withdrawn" } else { "permit-status" };

    rsx! {
        section { id: "permit",
            h3 { {t(Msg::SectionPermit)} }
            dl {
                dt { {t(Msg::FieldPermitNo)} } dd { class: "code", "{permit.permit_no}" }
                dt { {t(Msg::FieldStatus)} } dd { class: status_class, {permit.status.text(lang)} }
                dt { {t(Msg::FieldValidity)} } dd { {fill_unbroken(Msg::DateRange, lang, &[&permit.valid_from.to_string(), &permit.valid_to.to_string()])} }
                if let Some(issued) = permit.issue_date {
                    dt { {t(Msg::FieldIssueDate)} } dd { "{issued}" }
                }
                dt { {t(Msg::FieldPermitVersion)} } dd { {Msg::PermitVersionN.fill(lang, &[&permit.version.to_string()])} }
                dt { {t(Msg::FieldAuthority)} } dd { "{permit.issuing_authority}" }
                dt { {t(Msg::FieldUscc)} } dd { class: "code", "{card.unit.uscc}" }
                dt { {t(Msg::FieldManagementClass)} } dd { {card.unit.management_class.text(lang)} }
            }
        }
    }
}
