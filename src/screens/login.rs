//! The login screen: badge number and password. The core keeps the session on the device, so the
//! screen shows again only when the login expired, was revoked or the officer logged out.

use dioxus::prelude::*;
use outlet_app_core::{Event, Password};
use outlet_core::i18n::{Lang, Msg};

#[component]
pub fn LoginScreen(lang: Lang) -> Element {
    let events = use_coroutine_handle::<Event>();
    let mut badge_no = use_signal(String::new);
    let mut password = use_signal(String::new);

    let mut submit = move || {
        events.send(Event::LogIn { badge_no: badge_no.read().clone(), password: Password(password.read().clone()) });
        // The password leaves the screen with the event; the field does not keep it.
        password.set(String::new());
    };

    rsx! {
        section { class: "login",
            h2 { {Msg::LoginTitle.text(lang)} }
            p { class: "hint", {Msg::LoginHint.text(lang)} }
            label { r#for: "login-badge", {Msg::BadgeNo.text(lang)} }
            input { id: "login-badge", autocomplete: "username", value: "{badge_no}",
                oninput: move |e| badge_no.set(e.value()) }
            label { r#for: "login-password", {Msg::LoginPassword.text(lang)} }
            input { id: "login-password", r#type: "password", autocomplete: "current-password", value: "{password}",
                oninput: move |e| password.set(e.value()),
                onkeydown: move |e| if e.key() == Key::Enter { submit() } }
            button { id: "login-submit", class: "primary", onclick: move |_| submit(), {Msg::LoginSubmit.text(lang)} }
        }
    }
}
