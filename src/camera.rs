//! The live camera: a preview, and greyscale frames sent to the core for decoding.
//!
//! Works where the webview grants `getUserMedia`: browsers, Android's WebView and iOS's WKWebView.
//! Linux desktop (WebKitGTK) denies it, and the core then shows the reason; photo and typed entry
//! remain.

use data_encoding::BASE64;
use dioxus::prelude::*;
use outlet_app_core::Event;
use outlet_core::i18n::{Lang, Msg};
use serde::Deserialize;

const CAMERA_SCRIPT: &str = include_str!("camera.js");

/// Message from the camera script.
#[derive(Deserialize)]
#[serde(untagged)]
enum CameraMessage {
    Frame { width: u32, height: u32, luma: String },
    Failed { error: String },
}

#[component]
pub fn Camera(lang: Lang) -> Element {
    let events = use_coroutine_handle::<Event>();

    use_effect(move || {
        spawn(async move {
            let mut bridge = document::eval(CAMERA_SCRIPT);
            loop {
                match bridge.recv::<CameraMessage>().await {
                    Ok(CameraMessage::Frame { width, height, luma }) => {
                        if let Ok(luma) = BASE64.decode(luma.as_bytes()) {
                            events.send(Event::Frame { width, height, luma });
                        }
                        if bridge.send(true).is_err() {
                            break;
                        }
                    }
                    Ok(CameraMessage::Failed { error }) => {
                        events.send(Event::CameraFailed(error));
                        break;
                    }
                    Err(_) => break,
                }
            }
        });
    });

    use_drop(|| {
        document::eval("window.__outletStopCamera && window.__outletStopCamera();");
    });

    rsx! {
        div { id: "camera-preview", class: "camera",
            p { class: "hint", {Msg::CameraStarting.text(lang)} }
        }
    }
}
