//! Outlet Inspector (排污口扫码巡检), the officer's app: scan an outlet placard, read the outlet card
//! from the local cache and the server, record inspections offline and sync them.
//!
//! This package is only the Dioxus shell: it renders [`outlet_app_core::Model`] and turns what the
//! officer does into [`outlet_app_core::Event`]s. Build it with one platform feature: `web`,
//! `desktop` or `mobile`.

#[cfg(any(feature = "web", feature = "desktop", feature = "mobile"))]
mod app;
#[cfg(any(feature = "web", feature = "desktop", feature = "mobile"))]
mod camera;
#[cfg(any(feature = "web", feature = "desktop", feature = "mobile"))]
mod geolocation;
#[cfg(any(feature = "web", feature = "desktop", feature = "mobile"))]
mod platform;
#[cfg(any(feature = "web", feature = "desktop", feature = "mobile"))]
mod screens;

fn main() {
    #[cfg(any(feature = "web", feature = "desktop", feature = "mobile"))]
    {
        // Logs go to the browser console on the web and to stderr (logcat on Android) elsewhere.
        dioxus::logger::initialize_default();
        dioxus::launch(app::App);
    }

    #[cfg(not(any(feature = "web", feature = "desktop", feature = "mobile")))]
    {
        eprintln!("outlet-app was built without a platform: build it with --features web, desktop or mobile");
        std::process::exit(2);
    }
}
