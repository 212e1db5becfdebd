//! A device (the app core on a real sled folder), logged in as a demo officer, and the real server on
//! 127.0.0.1 with the demo data and accounts; [`ProxiedWorld`] puts a fault-injecting proxy between
//! them.

use outlet_app_core::{open_store, Core, Event, Model, Password, PlatformKv};
use outlet_core::api::{DeviceRegistration, LoginRequest};
use outlet_server::accounts::demo::DEMO_OFFICER_PASSWORD;
use outlet_server::{DataDir, RunningServer};
use outlet_sync::SyncClient;

use super::proxy::Proxy;

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

/// Logs in as the demo officer from the fixture device (`outlet_core::fixtures`) with the client
/// alone, and returns the token: records made with `fixtures::frozen_inspection` then verify.
pub async fn demo_officer_token(server_url: &str) -> String {
    use outlet_core::fixtures;

    let device = DeviceRegistration { device_id: fixtures::DEVICE_ID, public_key: fixtures::device_public_key(), label: "app-core test".into() };
    let request = LoginRequest { badge_no: DEMO_OFFICER.into(), password: DEMO_OFFICER_PASSWORD.into(), device };
    SyncClient::new(server_url).log_in(&request).await.expect("the demo officer logs in").token
}

/// The edits that complete a freshly started draft, as two demo officers fill the form: officers,
/// every checklist item answered "complies", a no-fix reason, a finding and the party's signature.
pub fn complete_inspection_edits() -> Vec<Event> {
    use outlet_app_core::DraftEdit;
    use outlet_core::checklist::{Answer, ChecklistItem};

    let mut events = vec![
        Event::Draft(DraftEdit::OfficerName { index: 0, name: "林执法".into() }),
        Event::Draft(DraftEdit::OfficerBadge { index: 0, badge_no: "35000001".into() }),
        Event::Draft(DraftEdit::OfficerName { index: 1, name: "陈执法".into() }),
        Event::Draft(DraftEdit::OfficerBadge { index: 1, badge_no: "35000002".into() }),
    ];
    for item in ChecklistItem::ALL {
        events.push(Event::Draft(DraftEdit::Answer { item, answer: Answer::Complies }));
    }
    events.push(Event::Draft(DraftEdit::NoFixReason("厂房内无卫星信号".into())));
    events.push(Event::Draft(DraftEdit::Finding("现场检查未发现异常。".into())));
    let strokes = vec![vec![(10.0, 60.0), (80.0, 20.0), (150.0, 70.0)], vec![(40.0, 40.0), (120.0, 45.0)]];
    events.push(Event::Draft(DraftEdit::PartySigned { strokes, width: 300.0, height: 120.0 }));
    events
}

/// Encodes test photo number `seed` as a JPEG of `width` × `height` pixels: a colour gradient under
/// strong per-pixel noise, so each seed gives different bytes and JPEG cannot shrink it much. At
/// 512 × 384 the device's photo preparation (quality 85) makes it about 275 KB.
pub fn noisy_jpeg(seed: u64, width: u32, height: u32) -> Vec<u8> {
    use image::codecs::jpeg::JpegEncoder;
    use image::RgbImage;

    let mut random = super::proxy::SeededRandom::new(seed);
    let length = width as usize * height as usize * 3;
    let mut pixels = Vec::with_capacity(length + 8);
    while pixels.len() < length {
        pixels.extend_from_slice(&random.next_u64().to_le_bytes());
    }
    pixels.truncate(length);
    for (index, value) in pixels.iter_mut().enumerate() {
        let pixel = (index / 3) as u32;
        let (x, y) = (pixel % width, pixel / width);
        let gradient = match index % 3 {
            0 => x * 255 / width,
            1 => y * 255 / height,
            _ => (x + y) * 255 / (width + height),
        };
        *value = (gradient / 4) as u8 + *value / 4 * 3;
    }

    let image = RgbImage::from_raw(width, height, pixels).expect("the buffer holds width × height RGB pixels");
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 95).encode_image(&image).expect("an RGB image encodes as JPEG");
    bytes
}

/// A device logged in as the demo officer that reaches the real server on 127.0.0.1 only through a
/// fault-injecting [`Proxy`], with its store in a real sled folder.
pub struct ProxiedWorld {
    _server_dir: tempfile::TempDir,
    device_dir: tempfile::TempDir,
    pub data: DataDir,
    pub server: RunningServer,
    pub proxy: Proxy,
    /// The client the device was made with, before login; a reopened device gets a copy.
    client: SyncClient,
    /// `None` while the device is closed ([`ProxiedWorld::close_device`]).
    core: Option<Core<PlatformKv>>,
}

impl ProxiedWorld {
    pub async fn new() -> Self {
        Self::with_client(|_| {}).await
    }

    /// Starts the server, the proxy and a device, and logs the device in. The device then restarts
    /// with a client that `configure` adjusted (e.g. a short read timeout, which a login's password
    /// hashing could exceed) and handles [`Event::Start`].
    pub async fn with_client(configure: impl FnOnce(&mut SyncClient)) -> Self {
        let server_dir = tempfile::tempdir().unwrap();
        let device_dir = tempfile::tempdir().unwrap();
        let data = DataDir::open(server_dir.path(), true).unwrap();
        let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
        let proxy = Proxy::start(server.addr).await;

        let mut core = Core::new(open_store(device_dir.path()).await.unwrap(), SyncClient::new(&proxy.url()));
        log_in(&mut core).await;
        drop(core);

        let mut client = SyncClient::new(&proxy.url());
        configure(&mut client);
        let mut world = Self { _server_dir: server_dir, device_dir, data, server, proxy, client, core: None };
        world.reopen_device().await;
        world
    }

    pub fn core(&mut self) -> &mut Core<PlatformKv> {
        self.core.as_mut().expect("the device is open")
    }

    pub fn model(&self) -> &Model {
        self.core.as_ref().expect("the device is open").model()
    }

    /// Handles one event and returns the model after it.
    pub async fn send(&mut self, event: Event) -> Model {
        let core = self.core();
        core.handle(event, &mut |_| {}).await;
        core.model().clone()
    }

    /// Records a complete inspection of the first demo outlet with these photos attached (as
    /// encoded files, so they go through the device's photo preparation), finalizes it, and returns
    /// its id. Panics with the notices if the record did not reach the outbox.
    pub async fn finalize_inspection(&mut self, photos: Vec<Vec<u8>>) -> uuid::Uuid {
        let outlet = outlet_server::demo::demo_cards()[0].outlet.id.to_string();
        let queued_before = self.model().outbox.len();

        self.send(Event::ManualEntry(outlet)).await;
        self.send(Event::StartInspection).await;
        for event in complete_inspection_edits() {
            self.send(event).await;
        }
        let photo_count = photos.len();
        for photo in photos {
            self.send(Event::AttachPhoto(photo)).await;
        }
        let attached = self.model().draft.as_ref().map_or(0, |draft| draft.photos.len());
        assert_eq!(attached, photo_count, "every photo is attached: {:?}", self.model().notices);
        let model = self.send(Event::Finalize).await;

        assert_eq!(model.outbox.len(), queued_before + 1, "the record is queued: {:?}", model.notices);
        model.outbox.last().unwrap().frozen.id
    }

    /// Closes the device's store, so the test can open the sled folder itself.
    pub fn close_device(&mut self) {
        self.core = None;
    }

    /// Returns the device's sled folder.
    pub fn device_path(&self) -> &std::path::Path {
        self.device_dir.path()
    }

    /// Opens the device again from its sled folder, as an app restart does: the session kept on the
    /// device is restored by [`Event::Start`].
    pub async fn reopen_device(&mut self) {
        let store = open_store(self.device_dir.path()).await.unwrap();
        let mut core = Core::new(store, self.client.clone());
        core.handle(Event::Start, &mut |_| {}).await;
        assert!(core.model().session.is_some(), "the session survives the restart: {:?}", core.model().notices);
        self.core = Some(core);
    }
}
