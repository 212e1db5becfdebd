//! The root component: owns the core on a coroutine and renders its model.

use dioxus::prelude::*;
use futures::StreamExt;
use outlet_app_core::{Event, Model, Notice, NoticeLevel, Screen, SessionView};
use outlet_core::i18n::{Lang, Msg};

use crate::screens::{CardScreen, InspectionScreen, LoginScreen, OutboxScreen, PackageScreen, ScanScreen};

const STYLE: &str = include_str!("../assets/style.css");

#[component]
pub fn App() -> Element {
    let mut model = use_signal(Model::default);

    let events = use_coroutine(move |mut events: UnboundedReceiver<Event>| async move {
        let mut publish = move |state: &Model| model.set(state.clone());
        let mut core = match crate::platform::open_core().await {
            Ok(core) => core,
            Err(error) => {
                model.write().notices.push(Notice::new(NoticeLevel::Error, Msg::StorageFailed, &[&error.to_string()]));
                return;
            }
        };

        core.handle(Event::Start, &mut publish).await;
        publish(core.model());
        loop {
            // While a package downloads, the officer's events go first and a page is fetched whenever
            // none is waiting, so scanning stays responsive during a long download.
            let downloading = core.model().package.as_ref().is_some_and(|package| package.running);
            let event = if downloading {
                match events.try_recv() {
                    Ok(event) => event,
                    Err(futures::channel::mpsc::TryRecvError::Closed) => break,
                    Err(futures::channel::mpsc::TryRecvError::Empty) => Event::ContinuePackage,
                }
            } else {
                match events.next().await {
                    Some(event) => event,
                    None => break,
                }
            };
            core.handle(event, &mut publish).await;
            publish(core.model());
        }
    });

    // Every webview has setTimeout, so one script serves as the timer on every platform.
    use_future(move || async move {
        loop {
            let _ = document::eval("await new Promise((resolve) => setTimeout(resolve, 15000)); return true;").join::<bool>().await;
            events.send(Event::Tick);
        }
    });

    let state = model.read();
    let lang = state.lang;

    rsx! {
        style { {STYLE} }
        div { class: "app", lang: lang.tag(),
            Header { lang, screen: state.screen, pending: state.pending_count(), session: state.session.clone() }
            Notices { lang, notices: state.notices.clone() }
            main {
                match state.screen {
                    Screen::Scan => rsx! { ScanScreen { lang, scan: state.scan.clone() } },
                    Screen::Card => rsx! { CardScreen { lang, view: state.card.clone() } },
                    Screen::Inspection => rsx! { InspectionScreen { lang, draft: state.draft.clone() } },
                    Screen::Package => rsx! { PackageScreen { lang, package: state.package.clone(), region: state.region.clone(), radius_m: state.settings.placard_radius_m } },
                    Screen::Login => rsx! { LoginScreen { lang } },
                    Screen::Outbox => rsx! { OutboxScreen { lang, model: Model::clone(&state) } },
                }
            }
        }
    }
}

#[component]
fn Header(lang: Lang, screen: Screen, pending: usize, session: Option<SessionView>) -> Element {
    let events = use_coroutine_handle::<Event>();
    let outbox_label = if pending > 0 {
        format!("{} ({pending})", Msg::NavOutbox.text(lang))
    } else {
        Msg::NavOutbox.text(lang).to_string()
    };

    rsx! {
        header {
            h1 { {Msg::AppTitle.text(lang)} }
            if let Some(session) = &session {
                p { id: "session-account", class: "account",
                    {Msg::SessionAccount.fill(lang, &[&session.account.name, &session.account.badge_no])}
                    button { id: "logout", onclick: move |_| events.send(Event::LogOut), {Msg::Logout.text(lang)} }
                }
            }
            nav {
                // Without a login only the language can change.
                if session.is_some() {
                    button { id: "nav-scan", class: if screen == Screen::Scan { "active" },
                        onclick: move |_| events.send(Event::Navigate(Screen::Scan)), {Msg::NavScan.text(lang)} }
                    button { id: "nav-package", class: if screen == Screen::Package { "active" },
                        onclick: move |_| events.send(Event::Navigate(Screen::Package)), {Msg::NavPackage.text(lang)} }
                    button { id: "nav-outbox", class: if screen == Screen::Outbox { "active" },
                        onclick: move |_| events.send(Event::Navigate(Screen::Outbox)), {outbox_label} }
                }
                button { id: "switch-language", onclick: move |_| events.send(Event::SwitchLanguage), {Msg::SwitchLanguage.text(lang)} }
            }
        }
    }
}

#[component]
fn Notices(lang: Lang, notices: Vec<Notice>) -> Element {
    rsx! {
        div { id: "notices", role: "status",
            for notice in notices.iter().rev().take(3) {
                p {
                    class: match notice.level {
                        NoticeLevel::Info => "notice info",
                        NoticeLevel::Warning => "notice warning",
                        NoticeLevel::Error => "notice error",
                    },
                    {notice.text(lang)}
                }
            }
        }
    }
}
