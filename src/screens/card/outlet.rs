//! Outlet section: code, name, medium and kind, stack or receiving water, coordinates.

use dioxus::prelude::*;
use outlet_core::card::display::{coordinates_text, number_text};
use outlet_core::i18n::{Label, Lang, Msg};
use outlet_core::OutletCard;

pub fn section(lang: Lang, card: &OutletCard) -> Element {
    let t = |msg: Msg| msg.text(lang);
    let outlet = &card.outlet;
    let metres = |value: f64| format!("{} m", number_text(value));

    rsx! {
        section { id: "outlet",
            h3 { {t(Msg::SectionOutlet)} }
            dl {
                dt { {t(Msg::FieldOutletCode)} } dd { class: "code", "{outlet.id.outlet_code}" }
                dt { {t(Msg::FieldOutletName)} } dd { "{outlet.name}" }
                dt { {t(Msg::FieldOutletKind)} } dd { {outlet.medium.text(lang)} " · " {outlet.kind.text(lang)} }
                if let Some(height) = outlet.stack_height_m {
                    dt { {t(Msg::FieldStackHeight)} } dd { {metres(height)} }
                }
                if let Some(diameter) = outlet.stack_diameter_m {
                    dt { {t(Msg::FieldStackDiameter)} } dd { {metres(diameter)} }
                }
                if let Some(water) = &outlet.receiving_water {
                    dt { {t(Msg::FieldReceivingWater)} } dd { "{water}" }
                }
                if let Some(mode) = outlet.discharge_mode {
                    dt { {t(Msg::FieldDischargeMode)} } dd { {mode.text(lang)} }
                }
                dt { {t(Msg::FieldCoordinates)} } dd { {coordinates_text(lang, outlet.latitude, outlet.longitude)} }
            }
        }
    }
}
