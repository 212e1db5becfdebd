//! The device's position: one fix from the platform's Geolocation API, sent to the core as an event.
//!
//! Works where the webview grants `navigator.geolocation`, as browsers do on a secure origin
//! (127.0.0.1 counts). Elsewhere the core gets [`Event::PositionUnavailable`] with the platform's
//! reason, and the card shows that the location was not checked.
// NOTE: not run on Android or iOS. Their webviews also need the location permission declared in
// the app manifest and Info.plist, which `Dioxus.toml` and `platforms/` do not declare yet.

use dioxus::prelude::*;
use outlet_app_core::Event;
use serde::Deserialize;

const GEOLOCATION_SCRIPT: &str = include_str!("geolocation.js");

/// Message from the geolocation script.
#[derive(Deserialize)]
#[serde(untagged)]
enum PositionMessage {
    Fix { latitude: f64, longitude: f64, accuracy: f64 },
    Failed { error: String },
}

/// Requests one position fix from the platform and sends [`Event::Position`] or
/// [`Event::PositionUnavailable`]. Takes up to the script's 20 s timeout.
pub async fn request_position(events: Coroutine<Event>) {
    let mut bridge = document::eval(GEOLOCATION_SCRIPT);
    let event = match bridge.recv::<PositionMessage>().await {
        Ok(PositionMessage::Fix { latitude, longitude, accuracy }) => Event::Position { latitude, longitude, accuracy_m: accuracy },
        Ok(PositionMessage::Failed { error }) => Event::PositionUnavailable(error),
        Err(error) => Event::PositionUnavailable(error.to_string()),
    };
    events.send(event);
}
