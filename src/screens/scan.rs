//! The scan screen: camera, photo, or typed outlet id.

use dioxus::prelude::*;
use outlet_app_core::{Event, ScanView};
use outlet_core::i18n::{Lang, Msg};

use crate::camera::Camera;

#[component]
pub fn ScanScreen(lang: Lang, scan: ScanView) -> Element {
    let events = use_coroutine_handle::<Event>();
    let mut typed = use_signal(String::new);

    let pick_photo = move |evt: FormEvent| async move {
        let Some(file) = evt.files().into_iter().next() else { return };
        match file.read_bytes().await {
            Ok(bytes) => events.send(Event::Photo(bytes.to_vec())),
            Err(error) => events.send(Event::PhotoFailed(error.to_string())),
        }
    };

    rsx! {
        section { class: "scan",
            h2 { {Msg::ScanTitle.text(lang)} }
            if scan.camera_on {
                Camera { lang, frames_decoded: scan.frames_decoded }
                if let Some(hint) = scan.hint_message() {
                    p { id: "scan-hint", class: "scan-hint", role: "status", {hint.text(lang)} }
                }
                button { id: "stop-camera", onclick: move |_| events.send(Event::StopCamera), {Msg::StopCamera.text(lang)} }
            } else {
                button { id: "start-camera", class: "primary", onclick: move |_| events.send(Event::StartCamera), {Msg::StartCamera.text(lang)} }
            }
            label { class: "photo-button",
                {Msg::PickPhoto.text(lang)}
                input { id: "photo", r#type: "file", accept: "image/*", capture: "environment", onchange: pick_photo }
            }
            form {
                class: "manual",
                onsubmit: move |evt: FormEvent| {
                    evt.prevent_default();
                    events.send(Event::ManualEntry(typed()));
                },
                label { r#for: "manual-outlet", {Msg::ManualEntryLabel.text(lang)} }
                input {
                    id: "manual-outlet",
                    value: "{typed}",
                    placeholder: "91350100M000100Y43001P-DA001",
                    autocapitalize: "characters",
                    oninput: move |evt| typed.set(evt.value()),
                }
                button { r#type: "submit", id: "manual-submit", {Msg::ManualEntryButton.text(lang)} }
            }
        }
    }
}
