//! A device on a sled folder that outlives the process using it, and a server that a child process
//! can reach: the pieces of tests that stop the device's process and open its folder again.

use std::path::Path;

use outlet_app_core::{open_store, Core, Event, Model, PlatformKv};
use outlet_server::{DataDir, RunningServer};
use outlet_sync::SyncClient;

/// The real server on 127.0.0.1 with the demo data, in its own folder.
pub struct Server {
    _dir: tempfile::TempDir,
    pub data: DataDir,
    pub running: RunningServer,
}

impl Server {
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::open(dir.path(), true).unwrap();
        let running = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
        Self { _dir: dir, data, running }
    }

    pub fn url(&self) -> String {
        self.running.url()
    }
}

/// Opens the device stored in `dir`, loads it as the app does at start-up, and logs in as the demo
/// officer unless the stored login is still valid.
pub async fn open_device(dir: &Path, server_url: &str) -> Core<PlatformKv> {
    let store = open_store(dir).await.unwrap_or_else(|e| panic!("the device store in {} does not open: {e}", dir.display()));
    let mut core = Core::new(store, SyncClient::new(server_url));
    core.handle(Event::Start, &mut |_| {}).await;
    if core.model().session.is_none() {
        super::world::log_in(&mut core).await;
    }
    core
}

/// Handles one event and returns the model after it.
pub async fn send(core: &mut Core<PlatformKv>, event: Event) -> Model {
    core.handle(event, &mut |_| {}).await;
    core.model().clone()
}

/// Opens the card of `outlet` and starts (or continues) its inspection, and returns the open draft's id.
pub async fn start_inspection(core: &mut Core<PlatformKv>, outlet: &str) -> uuid::Uuid {
    send(core, Event::ManualEntry(outlet.to_string())).await;
    let model = send(core, Event::StartInspection).await;
    model.draft.as_ref().unwrap_or_else(|| panic!("no draft opened for {outlet}: {:?}", model.notices)).id
}
