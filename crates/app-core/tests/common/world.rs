//! A device (the app core on a real sled folder), logged in as a demo officer, and the real server on
//! 127.0.0.1 with the demo data and accounts.

use outlet_app_core::{open_store, Core, Event, Model, Password, PlatformKv};
use outlet_core::api::{DeviceRegistration, LoginRequest};
use outlet_server::accounts::demo::DEMO_OFFICER_PASSWORD;
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
        let mut core = Core::new(store, SyncClient::new(&server.url()));
        log_in(&mut core).await;
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

/// Badge number of the demo officer the tests log in as (jurisdiction 350100, every demo outlet).
pub const DEMO_OFFICER: &str = "35000001";

/// Logs the device in as the demo officer, as the login screen does, and checks that it worked.
pub async fn log_in(core: &mut Core<PlatformKv>) {
    core.handle(Event::LogIn { badge_no: DEMO_OFFICER.into(), password: Password(DEMO_OFFICER_PASSWORD.into()) }, &mut |_| {}).await;
    assert!(core.model().session.is_some(), "demo officer login failed: {:?}", core.model().notices);
}

/// Logs in as the demo officer from a new device with the client alone, and returns the token.
pub async fn demo_officer_token(server_url: &str) -> String {
    let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    let device = DeviceRegistration { device_id: uuid::Uuid::new_v4(), public_key: data_encoding::BASE64.encode(key.verifying_key().as_bytes()), label: "app-core test".into() };
    let request = LoginRequest { badge_no: DEMO_OFFICER.into(), password: DEMO_OFFICER_PASSWORD.into(), device };
    SyncClient::new(server_url).log_in(&request).await.expect("the demo officer logs in").token
}
