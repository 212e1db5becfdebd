//! The offline package screen: the officer downloads the cards of a jurisdiction before going out and
//! follows the download's progress. The field settings for on-site checks sit below it.

use dioxus::prelude::*;
use outlet_app_core::{Event, PackageView};
use outlet_core::i18n::{format_age, format_time, Lang, Msg};

#[component]
pub fn PackageScreen(lang: Lang, package: Option<PackageView>, region: String, radius_m: f64) -> Element {
    let events = use_coroutine_handle::<Event>();
    let running = package.as_ref().is_some_and(|p| p.running);
    let start_region = region.clone();

    rsx! {
        section { class: "package",
            h2 { {Msg::PackageTitle.text(lang)} }
            p { class: "hint", {Msg::PackageHint.text(lang)} }
            label { r#for: "region", {Msg::FieldRegion.text(lang)} }
            div { class: "row",
                input { id: "region", inputmode: "numeric", maxlength: "6", value: "{region}", placeholder: "350100",
                    oninput: move |e| events.send(Event::SetRegion(e.value())) }
                button { id: "download-package", class: "primary", disabled: running,
                    onclick: move |_| events.send(Event::DownloadPackage(start_region.clone())),
                    if running { {Msg::PackageDownloading.text(lang)} } else { {Msg::PackageDownload.text(lang)} }
                }
            }
            if let Some(package) = package {
                PackageProgress { lang, package }
            }
            label { r#for: "placard-radius", {Msg::FieldPlacardRadius.text(lang)} }
            div { class: "row",
                input { id: "placard-radius", inputmode: "numeric", value: "{radius_m}",
                    onchange: move |e| events.send(Event::SetPlacardRadius(e.value())) }
            }
        }
    }
}

#[component]
fn PackageProgress(lang: Lang, package: PackageView) -> Element {
    let total = package.pending_total.map_or_else(|| "?".to_string(), |total| total.to_string());
    let counts = Msg::PackageCounts.fill(lang, &[&package.downloaded.to_string(), &total]);
    let state = if package.running {
        Msg::PackageDownloading
    } else if package.interrupted {
        Msg::PackageStateInterrupted
    } else if package.complete {
        Msg::PackageStateComplete
    } else {
        Msg::PackageStateIncomplete
    };

    rsx! {
        div { id: "package-state", class: if package.interrupted { "package-state warning" } else { "package-state" },
            p { id: "package-status", {state.text(lang)} }
            if let Some(fraction) = package.fraction() {
                progress { id: "package-progress", max: "1000", value: "{(fraction * 1000.0).round()}" }
            }
            p { id: "package-counts", {counts} }
            if let Some(eta) = package.eta_secs {
                p { id: "package-eta", {Msg::PackageEta.fill(lang, &[&format_age(lang, eta as i64)])} }
            }
            p { id: "package-cards", {Msg::PackageCachedCards.fill(lang, &[&package.region.to_string(), &package.cached_cards.to_string()])} }
            p { id: "package-updated", {Msg::PackageUpdatedAt.fill(lang, &[&format_time(package.updated_at)])} }
        }
    }
}
