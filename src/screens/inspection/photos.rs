//! Photos of the inspection: taken with the camera on phones or picked from the gallery, then
//! scaled, hashed and kept on the device by the core.

use dioxus::prelude::*;
use outlet_app_core::{DraftEdit, Event};
use outlet_core::card::display::coordinates_text;
use outlet_core::i18n::{format_time, Lang, Msg};
use outlet_core::inspection::PhotoRef;

/// Hex digits of the SHA-256 shown per photo, as on the printed record.
const HASH_PREFIX: usize = 16;

#[component]
pub fn PhotosSection(lang: Lang, photos: Vec<PhotoRef>) -> Element {
    let events = use_coroutine_handle::<Event>();
    let t = |msg: Msg| msg.text(lang);

    let pick_photo = move |evt: FormEvent| async move {
        for file in evt.files() {
            match file.read_bytes().await {
                Ok(bytes) => events.send(Event::AttachPhoto(bytes.to_vec())),
                Err(error) => events.send(Event::PhotoFailed(error.to_string())),
            }
        }
    };

    rsx! {
        fieldset { id: "photos", class: "photos",
            legend { {t(Msg::PrintPhotos)} }
            if photos.is_empty() {
                p { class: "empty", {t(Msg::NoRecords)} }
            }
            ul {
                for photo in photos {
                    li { class: "photo", "data-sha256": "{photo.sha256}",
                        dl {
                            dt { {t(Msg::PrintColumnPhotoHash)} }
                            dd { class: "code", {photo.sha256.chars().take(HASH_PREFIX).collect::<String>()} }
                            dt { {t(Msg::PrintColumnTakenAt)} }
                            dd { {photo.taken_at.map_or_else(|| t(Msg::PrintNotRecorded).to_string(), format_time)} }
                            dt { {t(Msg::PrintColumnPosition)} }
                            dd {
                                {photo.position.map_or_else(|| t(Msg::PrintNotRecorded).to_string(), |point| coordinates_text(lang, point.latitude, point.longitude))}
                            }
                        }
                        button { class: "remove", r#type: "button",
                            onclick: move |_| events.send(Event::Draft(DraftEdit::RemovePhoto(photo.sha256.clone()))),
                            {t(Msg::FormRemove)}
                        }
                    }
                }
            }
            label { class: "photo-button",
                {t(Msg::PickPhoto)}
                input { id: "inspection-photo", r#type: "file", accept: "image/*", capture: "environment", onchange: pick_photo }
            }
        }
    }
}
