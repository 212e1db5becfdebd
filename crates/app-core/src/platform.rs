//! The storage engine of each platform.

use outlet_store::{LocalStore, StoreError};

/// sled on native platforms.
#[cfg(not(target_arch = "wasm32"))]
pub type PlatformKv = outlet_store::SledKv;

/// IndexedDB in the browser.
#[cfg(target_arch = "wasm32")]
pub type PlatformKv = outlet_store::IdbKv;

/// Opens the platform's local store; `data_dir` is the sled folder on native platforms and unused
/// in the browser. Call it once per process.
pub async fn open_store(data_dir: &std::path::Path) -> Result<LocalStore<PlatformKv>, StoreError> {
    #[cfg(not(target_arch = "wasm32"))]
    let kv = outlet_store::SledKv::open(data_dir)?;

    #[cfg(target_arch = "wasm32")]
    let kv = {
        let _ = data_dir;
        outlet_store::IdbKv::open().await?
    };

    Ok(LocalStore::new(kv))
}
