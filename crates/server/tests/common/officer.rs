//! The real server on 127.0.0.1 with the demo data, and the demo officer logged in from the fixture
//! device, as most API tests start.

use outlet_server::{DataDir, RunningServer};

use super::backend::Backend;
use super::session::demo_officer_token;

pub struct Fixture {
    pub data: DataDir,
    pub server: RunningServer,
    pub http: reqwest::Client,
    /// The demo officer's token, from a login on the fixture device.
    pub token: String,
    _backend: Backend,
}

/// Starts the server on the backend the tests run against (sled, or PostgreSQL when configured).
pub async fn start() -> Fixture {
    let backend = Backend::new();
    let data = backend.open(true);
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let token = demo_officer_token(&server.url()).await;
    Fixture { data, server, http: reqwest::Client::new(), token, _backend: backend }
}
