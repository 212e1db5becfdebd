//! The Outlet Inspector server: the registry's outlet cards, inspection intake with dedup, the
//! placard signing keys, the public page a placard's QR code opens, and the web app's files.
//!
//! Storage is behind [`store::ServerStore`]; [`store::SledStore`] keeps everything in one folder,
//! and [`store::PgStore`] in a PostgreSQL database that several server instances can share.
//! The `outlet` binary (`src/main.rs`) wraps this library in a command line.

pub mod accounts;
pub mod chain;
pub mod demo;
pub mod error;
pub mod hj212;
pub mod import;
pub mod keys;
pub mod listen;
pub mod placards;
pub mod routes;
pub mod store;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use outlet_core::placard::KeySet;

pub use routes::router;

/// Largest inspection body accepted, in bytes. A record without photos is a few kilobytes.
pub const MAX_INSPECTION_BYTES: usize = 256 * 1024;

/// State shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn store::ServerStore>,
    pub keys: Arc<KeySet>,
    /// Folder of the built web app, served under `/app/`; `None` serves no app.
    pub web_dir: Option<PathBuf>,
    /// The clock that login tokens expire by.
    pub clock: accounts::Clock,
    /// Lifetime of the login tokens issued from now on.
    pub token_ttl: time::Duration,
    /// Counters of the HJ 212 listener; all zero when the server runs without one.
    pub hj212: Arc<hj212::Hj212Stats>,
    /// How long slow clients may take before they are cut.
    pub timeouts: listen::Timeouts,
}

impl AppState {
    /// Sets the lifetime of the login tokens issued from now on.
    pub fn with_token_ttl(mut self, ttl: time::Duration) -> Self {
        self.token_ttl = ttl;
        self
    }
}

/// Failure to open a data folder.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Key(#[from] keys::KeyFileError),
    #[error(transparent)]
    Account(#[from] accounts::AccountError),
}

/// A data folder: the placard signing keys in `keys/`, and the store: the sled database in `db/`,
/// or a PostgreSQL database.
pub struct DataDir {
    pub store: Arc<dyn store::ServerStore>,
    pub keyring: keys::Keyring,
    /// The public keys served to devices, read when the folder was opened.
    pub key_set: KeySet,
}

impl DataDir {
    /// Opens (creating if needed) the data folder; with `load_demo`, adds the demo outlets and demo
    /// accounts that are not stored yet.
    pub fn open(path: &Path, load_demo: bool) -> Result<Self, OpenError> {
        Self::open_with(path, None, load_demo)
    }

    /// Opens the data folder as [`DataDir::open`] does, but with `database_url` set keeps the
    /// records in that PostgreSQL database instead of `db/`. Server instances that share a
    /// database need copies of the same `keys/` folder.
    pub fn open_with(path: &Path, database_url: Option<&str>, load_demo: bool) -> Result<Self, OpenError> {
        let store = store::open(&path.join("db"), database_url)?;
        if load_demo {
            let added = demo::seed(store.as_ref())?;
            tracing::info!(added, "demo registry loaded");
            let created = accounts::demo::seed_accounts(store.as_ref(), time::OffsetDateTime::now_utc())?;
            tracing::info!(created, "demo accounts ready (badge numbers and passwords: README, section Set up and run)");
        }
        let keyring = keys::Keyring::open(path)?;
        let key_set = keyring.key_set()?;
        Ok(Self { store, keyring, key_set })
    }

    /// Builds the handlers' state over this folder.
    // NOTE: keys rotated or retired while a server runs reach devices only after it restarts.
    pub fn state(&self, web_dir: Option<PathBuf>) -> AppState {
        AppState {
            store: self.store.clone(),
            keys: Arc::new(self.key_set.clone()),
            web_dir,
            clock: accounts::Clock::system(),
            token_ttl: accounts::DEFAULT_TOKEN_TTL,
            hj212: Arc::default(),
            timeouts: listen::Timeouts::default(),
        }
    }
}

/// Serves `state` on `listener` until the process gets Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    serve_until(listener, state, shutdown_signal()).await
}

pub use listen::serve_until;

/// A server running in this process on its own task, as the demo and the tests use it.
pub struct RunningServer {
    pub addr: std::net::SocketAddr,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Starts serving `state` on `addr` (port 0 picks a free port).
    pub async fn start(addr: &str, state: AppState) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve_until(listener, state, async {
            let _ = stopped.await;
        }));
        Ok(Self { addr, shutdown, task })
    }

    /// `http://ADDR`, the base URL of the API.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn stop(self) -> std::io::Result<()> {
        let _ = self.shutdown.send(());
        self.task.await.unwrap_or_else(|e| Err(std::io::Error::other(e)))
    }
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
