//! The server address and the data folder of each platform.

use outlet_app_core::{open_store, Core, PlatformKv};
use outlet_store::StoreError;
use outlet_sync::SyncClient;

/// Opens the local store and the server client of this platform.
pub async fn open_core() -> Result<Core<PlatformKv>, StoreError> {
    let dir = data_dir();
    let store = open_store(&dir).await?;
    let mut core = Core::new(store, SyncClient::new(&server_url().await));
    if cfg!(not(target_arch = "wasm32")) {
        core.set_export_dir(dir.join("records"));
    }
    Ok(core)
}

/// Returns the page's own origin, because the web app is served by the server it talks to.
#[cfg(target_arch = "wasm32")]
async fn server_url() -> String {
    dioxus::document::eval("return window.location.origin;")
        .join::<String>()
        .await
        .unwrap_or_else(|_| "http://127.0.0.1:8080".to_string())
}

/// Reads `OUTLET_SERVER_URL` on native builds.
// TODO: let the officer set the server at login. Phones have no environment variables, so until then
// mobile builds use the default.
#[cfg(not(target_arch = "wasm32"))]
async fn server_url() -> String {
    std::env::var("OUTLET_SERVER_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".to_string())
}

#[cfg(target_arch = "wasm32")]
fn data_dir() -> std::path::PathBuf {
    std::path::PathBuf::new()
}

/// `OUTLET_DATA_DIR`, else the user's local data folder.
// TODO: on Android the app's files folder must come from the activity (JNI); dirs returns none there.
#[cfg(not(target_arch = "wasm32"))]
fn data_dir() -> std::path::PathBuf {
    if let Ok(dir) = std::env::var("OUTLET_DATA_DIR") {
        return dir.into();
    }
    dirs::data_local_dir().unwrap_or_else(|| ".".into()).join("outlet-inspector")
}
