//! The live camera: a preview, greyscale frames sent to the core for decoding, and the torch switch.
//!
//! Works where the webview grants `getUserMedia`: browsers, Android's WebView and iOS's WKWebView.
//! Linux desktop (WebKitGTK) denies it, and the core then shows the reason; photo and typed entry
//! remain. The camera runs while this component is mounted: removing it stops the camera's tracks.

use data_encoding::BASE64;
use dioxus::document::Eval;
use dioxus::prelude::*;
use outlet_app_core::Event;
use outlet_core::i18n::{Lang, Msg};
use serde::{Deserialize, Serialize};

const CAMERA_SCRIPT: &str = include_str!("camera.js");

/// Message from the camera script.
#[derive(Deserialize)]
#[serde(untagged)]
enum CameraMessage {
    Frame { width: u32, height: u32, luma: String },
    Failed { error: String },
    /// The track supports a torch; carries whether it is on.
    Torch { torch: bool },
    /// The script stopped the camera by itself; carries why ("hidden": the page was hidden).
    Stopped { stopped: String },
}

/// Request to the camera script to switch the torch on or off.
#[derive(Serialize)]
struct TorchRequest {
    torch: bool,
}

/// The camera preview. `frames_decoded` is the core's count of decoded frames: each increase lets the
/// script send its next frame.
#[component]
pub fn Camera(lang: Lang, frames_decoded: u64) -> Element {
    let events = use_coroutine_handle::<Event>();
    let mut bridge = use_signal(|| None::<Eval>);
    // None until the script reports that the track has a torch.
    let mut torch_on = use_signal(|| None::<bool>);

    use_effect(move || {
        let mut script = document::eval(CAMERA_SCRIPT);
        bridge.set(Some(script));
        spawn(async move {
            loop {
                match script.recv::<CameraMessage>().await {
                    Ok(CameraMessage::Frame { width, height, luma }) => match BASE64.decode(luma.as_bytes()) {
                        Ok(luma) => events.send(Event::Frame { width, height, luma }),
                        Err(error) => {
                            tracing::warn!(%error, "camera frame was not valid base64; skipped");
                            let _ = script.send("next");
                        }
                    },
                    Ok(CameraMessage::Torch { torch }) => torch_on.set(Some(torch)),
                    Ok(CameraMessage::Stopped { stopped }) => {
                        tracing::info!(reason = %stopped, "camera stopped by the page");
                        events.send(Event::StopCamera);
                        break;
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

    // The core decoded the last frame: the script may take the next one.
    use_effect(use_reactive!(|frames_decoded| {
        let _ = frames_decoded;
        if let Some(script) = *bridge.peek() {
            let _ = script.send("next");
        }
    }));

    use_drop(|| {
        document::eval("window.__outletStopCamera && window.__outletStopCamera();");
    });

    let toggle_torch = move |_| {
        let Some(on) = torch_on() else { return };
        if let Some(script) = *bridge.peek() {
            let _ = script.send(TorchRequest { torch: !on });
        }
    };

    rsx! {
        div { id: "camera-preview", class: "camera", "data-frames": "{frames_decoded}",
            p { class: "hint", {Msg::CameraStarting.text(lang)} }
        }
        if let Some(on) = torch_on() {
            button { id: "torch", class: if on { "torch on" } else { "torch" }, onclick: toggle_torch,
                {if on { Msg::TorchOff.text(lang) } else { Msg::TorchOn.text(lang) }}
            }
        }
    }
}
