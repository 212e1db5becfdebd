//! Location check: the outlet's registered coordinates and how far the device is from them.

use dioxus::prelude::*;
use outlet_app_core::position::{format_distance, LocationCheck, MAX_FIX_AGE};
use outlet_app_core::Event;
use outlet_core::card::display::{coordinates_text, number_text};
use outlet_core::i18n::{position_reason, Lang, Msg};
use outlet_core::OutletCard;

use crate::geolocation::request_position;

pub fn section(lang: Lang, card: &OutletCard, location: &LocationCheck, events: Coroutine<Event>) -> Element {
    let t = |msg: Msg| msg.text(lang);
    let coordinates = coordinates_text(lang, card.outlet.latitude, card.outlet.longitude);

    let (class, text, verdict) = match location {
        LocationCheck::Pending => ("pending", t(Msg::PositionPending).to_string(), None),
        LocationCheck::Measured(distance) => {
            let text = Msg::DistanceToOutlet.fill(lang, &[&format_distance(distance.metres), &number_text(distance.accuracy_m.round())]);
            let radius = number_text(distance.radius_m);
            let verdict = if distance.beyond_radius {
                ("check forged beyond", Msg::DistanceBeyondRadius.fill(lang, &[&radius]))
            } else if distance.within_radius {
                ("check genuine within", Msg::DistanceWithinRadius.fill(lang, &[&radius]))
            } else {
                ("check unknown coarse", Msg::PositionTooCoarse.fill(lang, &[&radius]))
            };
            ("measured", text, Some(verdict))
        }
        LocationCheck::Stale { .. } => ("stale", Msg::PositionStale.fill(lang, &[&MAX_FIX_AGE.whole_minutes().to_string()]), None),
        LocationCheck::Unavailable(reason) => ("unavailable", Msg::PositionUnavailable.fill(lang, &[&position_reason(lang, reason)]), None),
        LocationCheck::OutletNotLocated => ("unavailable", t(Msg::OutletNotLocated).to_string(), None),
    };

    rsx! {
        section { id: "location",
            h3 { {t(Msg::SectionLocation)} }
            if let Some((verdict_class, verdict_text)) = verdict {
                p { id: "distance-verdict", class: verdict_class, {verdict_text} }
            }
            p { id: "distance", class: class, {text} }
            dl { dt { {t(Msg::FieldCoordinates)} } dd { class: "coordinates", {coordinates} } }
            button { id: "relocate", onclick: move |_| { spawn(request_position(events)); }, {t(Msg::Relocate)} }
        }
    }
}
