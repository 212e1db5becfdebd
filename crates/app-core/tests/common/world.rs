//! A device (the app core on a real sled folder) and the real server on 127.0.0.1 with the demo data.

use outlet_app_core::{open_store, Core, Event, Model};
use outlet_server::{DataDir, RunningServer};
use outlet_sync::SyncClient;

pub struct World {
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    pub data: DataDir,
    pub server: Option<RunningServer>,
    /// The server's address, kept so the network can come back on the same one.
    pub addr: String,
    pub core: Core<outlet_app_core::PlatformKv>,
}

impl World {
    pub async fn new() -> Self {
        let server_dir = tempfile::tempdir().unwrap();
        let device_dir = tempfile::tempdir().unwrap();
        let data = DataDir::open(server_dir.path(), true).unwrap();
        let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
        let addr = server.addr.to_string();
        let store = open_store(device_dir.path()).await.unwrap();
        let core = Core::new(store, SyncClient::new(&server.url()));
        Self { _dirs: (server_dir, device_dir), data, server: Some(server), addr, core }
    }

    /// Handles one event and returns the model after it.
    pub async fn send(&mut self, event: Event) -> Model {
        self.core.handle(event, &mut |_| {}).await;
        self.core.model().clone()
    }

    /// Stops the server, as if the device lost the network.
    pub async fn network_off(&mut self) {
        self.server.take().unwrap().stop().await.unwrap();
    }

    /// Starts the server again on the same address.
    pub async fn network_on(&mut self) {
        self.server = Some(RunningServer::start(&self.addr, self.data.state(None)).await.unwrap());
    }
}
