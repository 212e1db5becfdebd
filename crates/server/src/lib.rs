//! The Outlet Inspector server: the registry's outlet cards, inspection intake with dedup, the
//! placard signing keys, the public page a placard's QR code opens, and the web app's files.
//!
//! Storage is behind [`store::ServerStore`]; [`store::SledStore`] keeps everything in one folder.
//! The `outlet` binary (`src/main.rs`) wraps this library in a command line.

pub mod demo;
pub mod error;
pub mod keys;
pub mod routes;
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;

use outlet_core::placard::KeySet;

pub use routes::router;

/// Largest inspection body accepted, in bytes. A record without photos is a few kilobytes.
pub const MAX_INSPECTION_BYTES: usize = 256 * 1024;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn store::ServerStore>,
    pub keys: Arc<KeySet>,
    /// Folder of the built web app, served under `/app/`; `None` serves no app.
    pub web_dir: Option<PathBuf>,
}

/// Serves `state` on `listener` until the process gets Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let address = listener.local_addr()?;
    tracing::info!(%address, "server started");
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown_signal()).await?;
    tracing::info!(%address, "server stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler installs");
        tokio::select! {
            _ = ctrl_c => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
