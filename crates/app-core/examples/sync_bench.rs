//! Measures how the app core syncs a large outbox over 127.0.0.1, in one run:
//!
//! 1. The device records `INSPECTIONS` finalized inspections with 3 photos each through the core's
//!    events (card by outlet id, edits, `AttachPhoto`, `Finalize`), against server A in this
//!    process (sled in a temporary folder, demo data).
//! 2. `Event::Sync` is sent until every record and photo is acknowledged, and timed. The store
//!    calls that a sync makes are then timed apart, on the synced device.
//! 3. Reference: curl sends the same bytes to server B, each record's frozen bytes with the app's
//!    headers and each photo, in one process over one keep-alive connection.
//! 4. The core's requests and store calls without its outbox reloads go to server C, to show what
//!    the sync would take without them.
//! 5. Cut test: the outbox goes to server D through a counting TCP proxy, which cuts the connection
//!    halfway through the middle photo upload. The core syncs again until done, and the proxy's
//!    counts show the bytes sent twice.
//!
//! Before steps 3 to 5 the device logs in on the new server and its outbox is marked unsent.
//! Usage: `sync_bench [INSPECTIONS] [WORK_DIR]` (defaults: 1000, the system's temporary folder).
//! Needs `curl` on the `PATH`. At 1000 inspections the work folder peaks at about 4 GB; it is
//! removed at the end. `scripts/bench-sync.sh` builds and runs it.

use std::error::Error;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use outlet_app_core::{open_store, Core, DraftEdit, Event, Password, PlatformKv};
use outlet_core::api::{inspection_header, Session};
use outlet_core::checklist::{Answer, ChecklistItem};
use outlet_server::accounts::demo::DEMO_OFFICER_PASSWORD;
use outlet_server::{demo, DataDir, RunningServer};
use outlet_store::{LocalStore, OutboxState, PhotoSync};
use outlet_sync::{PhotoUploadOutcome, SubmitOutcome, SyncClient};
use time::format_description::well_known::Rfc3339;

type BenchResult<T> = Result<T, Box<dyn Error>>;

/// Badge number of the demo officer (jurisdiction 350100, which contains every demo outlet).
const DEMO_OFFICER: &str = "35000001";

/// Photos attached to each inspection.
const PHOTOS_PER_INSPECTION: usize = 3;

/// Side of the square noise picture given to `AttachPhoto`, in pixels. Noise does not compress, so
/// after the core re-encodes it at JPEG quality 85 a photo is about 300 KB.
const PHOTO_SIDE: u32 = 436;

/// Syncs after which a benchmark run gives up on an outbox that is still not synced.
const MAX_SYNC_ROUNDS: usize = 5;

/// Key of the login session in the device's settings collection, as `outlet-app-core` stores it.
// NOTE: an internal key of the app core, read here to give curl the device's token; keep it equal
// to `SESSION_KEY` in crates/app-core/src/session.rs.
const SESSION_SETTING: &str = "session";

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("sync_bench failed: {error}");
        std::process::exit(1);
    }
}

async fn run() -> BenchResult<()> {
    let args: Vec<String> = std::env::args().collect();
    let inspections = match args.get(1) {
        Some(text) => text.parse::<usize>().ok().filter(|count| *count > 0).ok_or_else(|| format!("INSPECTIONS must be a whole number above 0, not {text:?}"))?,
        None => 1000,
    };
    let base = args.get(2).map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    check_curl()?;
    let work = tempfile::Builder::new().prefix("sync-bench-").tempdir_in(&base).map_err(|e| format!("cannot make a work folder in {}: {e}", base.display()))?;
    let bench = Bench { work: work.path().to_path_buf(), device_dir: work.path().join("device"), inspections };

    let app = bench.record_and_sync().await?;
    let curl = bench.send_with_curl().await?;
    let (no_reload_secs, step_times) = bench.sync_without_reloads().await?;
    let cut = bench.cut_test().await?;

    let payload = curl.reference.record_bytes + curl.reference.photo_bytes;
    let megabytes = payload as f64 / 1e6;
    let photos = inspections * PHOTOS_PER_INSPECTION;
    println!("data: {inspections} inspections, {photos} photos of {:.0} KB on average; records {:.2} MB, photos {:.1} MB", app.photo_bytes as f64 / photos as f64 / 1e3, curl.reference.record_bytes as f64 / 1e6, curl.reference.photo_bytes as f64 / 1e6);
    // Per record the core sends the record, requests the list of missing photos and uploads them.
    // Every upload is acknowledged, so it does not request the list again.
    let app_requests = inspections * (PHOTOS_PER_INSPECTION + 2);
    println!("app core sync: {:.2} s, {:.1} MB/s, {} sync event(s), {app_requests} requests", app.secs, megabytes / app.secs, app.rounds);
    println!("curl reference: {:.2} s, {:.1} MB/s, {} requests over {} connection(s)", curl.secs, megabytes / curl.secs, curl.reference.requests, curl.connections);
    println!("ratio app/curl: {:.2} (goal: at most 1.5)", app.secs / curl.secs);
    app.costs.report(inspections);
    println!("core's requests and store calls without the outbox reloads: {no_reload_secs:.2} s, {:.1} MB/s, ratio to curl {:.2}", megabytes / no_reload_secs, no_reload_secs / curl.secs);
    step_times.report(no_reload_secs);
    cut.proxy.report(payload, cut.rounds, cut.secs)?;
    Ok(())
}

/// One run's folders and size.
struct Bench {
    work: PathBuf,
    device_dir: PathBuf,
    inspections: usize,
}

/// The core's timed sync.
struct AppSync {
    /// Bytes of all photos as the core stored them.
    photo_bytes: u64,
    secs: f64,
    /// `Event::Sync`s sent until all was synced.
    rounds: usize,
    costs: StoreCosts,
}

/// curl's timed run.
struct CurlRun {
    reference: CurlReference,
    secs: f64,
    connections: u64,
}

/// The sync through the cutting proxy.
struct CutRun {
    proxy: CountingProxy,
    secs: f64,
    rounds: usize,
}

impl Bench {
    /// Steps 1 and 2: records the outbox against server A and times the core's sync to it, then
    /// times the sync's store calls on the synced device.
    async fn record_and_sync(&self) -> BenchResult<AppSync> {
        let server = BenchServer::start(&self.work.join("server-a")).await?;
        let mut core = device_core(&self.device_dir, &server.url()).await?;
        let setup = Instant::now();
        let photo_bytes = record_inspections(&mut core, self.inspections).await?;
        eprintln!("setup: {} inspections recorded in {:.1} s", self.inspections, setup.elapsed().as_secs_f64());

        let started = Instant::now();
        let rounds = sync_until_synced(&mut core).await?;
        let secs = started.elapsed().as_secs_f64();
        server.expect_stored(self.inspections)?;
        drop(core);
        server.stop().await?;

        let store = open_store(&self.device_dir).await?;
        let costs = StoreCosts::measure(&store).await?;
        Ok(AppSync { photo_bytes, secs, rounds, costs })
    }

    /// Step 3: sends the same bytes with curl to server B.
    async fn send_with_curl(&self) -> BenchResult<CurlRun> {
        let server = BenchServer::start(&self.work.join("server-b")).await?;
        let store = logged_in_store(&self.device_dir, &server.url()).await?;
        let folder = self.work.join("curl");
        let reference = write_curl_config(&store, &server.url(), &folder).await?;
        drop(store);

        let started = Instant::now();
        let connections = run_curl(&reference)?;
        let secs = started.elapsed().as_secs_f64();
        server.expect_stored(self.inspections)?;
        server.stop().await?;
        std::fs::remove_dir_all(folder)?;
        Ok(CurlRun { reference, secs, connections })
    }

    /// Step 4: sends the outbox to server C with the core's requests and store calls, but without
    /// its outbox reloads. Returns the seconds taken and their split by step.
    async fn sync_without_reloads(&self) -> BenchResult<(f64, StepTimes)> {
        let server = BenchServer::start(&self.work.join("server-c")).await?;
        let store = logged_in_store(&self.device_dir, &server.url()).await?;
        let client = device_client(&store, &server.url()).await?;

        let started = Instant::now();
        let step_times = sync_without_reloads(&store, &client).await?;
        let secs = started.elapsed().as_secs_f64();
        server.expect_stored(self.inspections)?;
        drop((store, client));
        server.stop().await?;
        Ok((secs, step_times))
    }

    /// Step 5: syncs to server D through the proxy, which cuts the middle photo upload, until all is
    /// synced.
    async fn cut_test(&self) -> BenchResult<CutRun> {
        let server = BenchServer::start(&self.work.join("server-d")).await?;
        drop(logged_in_store(&self.device_dir, &server.url()).await?);
        let proxy = CountingProxy::start(server.running.addr, self.inspections * PHOTOS_PER_INSPECTION / 2 + 1)?;
        let mut core = device_core(&self.device_dir, &format!("http://{}", proxy.addr)).await?;

        let started = Instant::now();
        let rounds = sync_until_synced(&mut core).await?;
        let secs = started.elapsed().as_secs_f64();
        server.expect_stored(self.inspections)?;
        drop(core);
        server.stop().await?;
        Ok(CutRun { proxy, secs, rounds })
    }
}

/// Logs the device in on `server_url` (which registers its key there), then returns its store with
/// the outbox marked unsent, ready to be sent to that server again.
async fn logged_in_store(device_dir: &Path, server_url: &str) -> BenchResult<LocalStore<PlatformKv>> {
    drop(device_core(device_dir, server_url).await?);
    let store = open_store(device_dir).await?;
    mark_outbox_unsent(&store).await?;
    Ok(store)
}

/// Creates a client for `server_url` with the login token the device stored.
async fn device_client(store: &LocalStore<PlatformKv>, server_url: &str) -> BenchResult<SyncClient> {
    let mut client = SyncClient::new(server_url);
    client.set_token(Some(device_token(store).await?));
    Ok(client)
}

/// Reads the login token the device stored at its last login.
async fn device_token(store: &LocalStore<PlatformKv>) -> BenchResult<String> {
    let session = store.setting::<Option<Session>>(SESSION_SETTING).await?.flatten().ok_or("the device has no stored login session")?;
    Ok(session.token)
}

/// Time spent in each step of [`sync_without_reloads`], in seconds.
#[derive(Debug, Default)]
struct StepTimes {
    submit: f64,
    missing_lists: f64,
    photo_reads: f64,
    photo_uploads: f64,
    state_writes: f64,
}

impl StepTimes {
    fn report(&self, total: f64) {
        println!(
            "  of which: record PUTs {:.2} s, missing-photo GETs {:.2} s, photo reads from the store {:.2} s, photo PUTs {:.2} s, state writes {:.2} s",
            self.submit, self.missing_lists, self.photo_reads, self.photo_uploads, self.state_writes
        );
        let steps = self.submit + self.missing_lists + self.photo_reads + self.photo_uploads + self.state_writes;
        println!("  the rest (reading the outbox once, the loop) {:.2} s", total - steps);
    }
}

/// Sends the outbox with the requests and store calls of the core's sync (record, its state, the
/// missing photos, each photo read and uploaded, the missing photos again, the photo state), but
/// without reloading the whole outbox after each record. Any outcome but a receipt is an error.
async fn sync_without_reloads(store: &LocalStore<PlatformKv>, client: &SyncClient) -> BenchResult<StepTimes> {
    let mut times = StepTimes::default();
    let mut clock = Instant::now();
    let mut lap = |slot: &mut f64| {
        *slot += clock.elapsed().as_secs_f64();
        clock = Instant::now();
    };

    for entry in store.outbox().await? {
        // The outbox read and the loop itself go to no step; the report shows them as the rest.
        lap(&mut 0.0);
        let id = entry.frozen.id;
        let receipt = match client.submit(&entry.frozen).await {
            SubmitOutcome::Acknowledged(receipt) => receipt,
            outcome => return Err(format!("record {id} was not acknowledged: {outcome:?}").into()),
        };
        lap(&mut times.submit);
        store.set_outbox_state(id, OutboxState::Acknowledged(receipt)).await?;
        lap(&mut times.state_writes);

        let missing = client.missing_photos(id).await?;
        lap(&mut times.missing_lists);
        for sha256 in missing {
            let bytes = store.photo(&sha256).await?.ok_or_else(|| format!("photo {sha256} of record {id} is not on the device"))?;
            lap(&mut times.photo_reads);
            match client.upload_photo(id, &sha256, bytes).await {
                PhotoUploadOutcome::Acknowledged(_) => {}
                outcome => return Err(format!("photo {sha256} of record {id} was not acknowledged: {outcome:?}").into()),
            }
            lap(&mut times.photo_uploads);
        }

        let missing = client.missing_photos(id).await?;
        lap(&mut times.missing_lists);
        if !missing.is_empty() {
            return Err(format!("the server still lacks {} photos of record {id}", missing.len()).into());
        }
        store.set_photo_sync(id, PhotoSync::Complete).await?;
        lap(&mut times.state_writes);
    }
    Ok(times)
}

/// Fails with the fix when curl cannot be started.
fn check_curl() -> BenchResult<()> {
    match Command::new("curl").arg("--version").output() {
        Ok(output) if output.status.success() => Ok(()),
        _ => Err("curl was not found on the PATH; install it (on Debian: apt-get install -y curl)".into()),
    }
}

/// A server in this process on 127.0.0.1 with a sled store in its own folder and the demo data.
struct BenchServer {
    folder: PathBuf,
    data: DataDir,
    running: RunningServer,
}

impl BenchServer {
    async fn start(folder: &Path) -> BenchResult<Self> {
        let data = DataDir::open(folder, true).map_err(|e| format!("the server data folder {} does not open: {e}", folder.display()))?;
        let running = RunningServer::start("127.0.0.1:0", data.state(None)).await?;
        Ok(Self { folder: folder.to_path_buf(), data, running })
    }

    fn url(&self) -> String {
        self.running.url()
    }

    /// Checks that the server stores every record and every photo.
    fn expect_stored(&self, inspections: usize) -> BenchResult<()> {
        let records = self.data.store.inspection_count()?;
        let photos = self.data.store.photo_count()?;
        if records != inspections || photos != inspections * PHOTOS_PER_INSPECTION {
            return Err(format!("the server stores {records} records and {photos} photos, expected {inspections} and {}", inspections * PHOTOS_PER_INSPECTION).into());
        }
        Ok(())
    }

    /// Stops the server and deletes its folder, to keep the disk use of a run down.
    async fn stop(self) -> BenchResult<()> {
        self.running.stop().await?;
        drop(self.data);
        std::fs::remove_dir_all(&self.folder)?;
        Ok(())
    }
}

/// Opens the device's sled folder and logs it in as the demo officer on `server_url`, which
/// registers the device's key there.
async fn device_core(device_dir: &Path, server_url: &str) -> BenchResult<Core<PlatformKv>> {
    let store = open_store(device_dir).await?;
    let mut core = Core::new(store, SyncClient::new(server_url));
    core.handle(Event::LogIn { badge_no: DEMO_OFFICER.into(), password: Password(DEMO_OFFICER_PASSWORD.into()) }, &mut |_| {}).await;
    if core.model().session.is_none() {
        return Err(format!("the demo officer's login to {server_url} failed: {:?}", core.model().notices.last()).into());
    }
    core.handle(Event::Start, &mut |_| {}).await;
    Ok(core)
}

/// Handles one event and returns the newest notice's English text, for error messages.
async fn send(core: &mut Core<PlatformKv>, event: Event) -> String {
    core.handle(event, &mut |_| {}).await;
    core.model().notices.last().map(|notice| notice.text(outlet_core::Lang::En)).unwrap_or_default()
}

/// Records `count` finalized inspections of the demo outlets in turn, each with
/// [`PHOTOS_PER_INSPECTION`] distinct photos, as an officer does in the app. Returns the bytes of
/// the photos as the core stored them.
async fn record_inspections(core: &mut Core<PlatformKv>, count: usize) -> BenchResult<u64> {
    let outlets: Vec<String> = demo::demo_cards().iter().map(|card| card.outlet.id.to_string()).collect();
    let mut photo_bytes = 0;

    for index in 0..count {
        let outlet = &outlets[index % outlets.len()];
        let notice = send(core, Event::ManualEntry(outlet.clone())).await;
        if core.model().card.is_none() {
            return Err(format!("no card shown for outlet {outlet}: {notice}").into());
        }
        send(core, Event::StartInspection).await;
        for edit in completing_edits() {
            send(core, edit).await;
        }

        for photo in 0..PHOTOS_PER_INSPECTION {
            let notice = send(core, Event::AttachPhoto(noise_jpeg((index * PHOTOS_PER_INSPECTION + photo) as u64)?)).await;
            let attached = core.model().draft.as_ref().map_or(0, |draft| draft.photos.len());
            if attached != photo + 1 {
                return Err(format!("photo {} of inspection {index} was not attached: {notice}", photo + 1).into());
            }
        }
        photo_bytes += core.model().draft.as_ref().map_or(0, |draft| draft.photos.iter().map(|photo| photo.bytes).sum::<u64>());

        let notice = send(core, Event::Finalize).await;
        if core.model().outbox.len() != index + 1 {
            return Err(format!("inspection {index} of outlet {outlet} was not finalized: {notice}").into());
        }
        if (index + 1) % 100 == 0 {
            eprintln!("setup: {} inspections recorded", index + 1);
        }
    }
    Ok(photo_bytes)
}

/// The edits that complete a fresh draft: two officers, the answer "complies" for every checklist
/// item, a no-fix reason, a finding and the party's signature.
fn completing_edits() -> Vec<Event> {
    let mut edits = vec![
        DraftEdit::OfficerName { index: 0, name: "林执法".into() },
        DraftEdit::OfficerBadge { index: 0, badge_no: DEMO_OFFICER.into() },
        DraftEdit::OfficerName { index: 1, name: "陈执法".into() },
        DraftEdit::OfficerBadge { index: 1, badge_no: "35000002".into() },
    ];
    edits.extend(ChecklistItem::ALL.into_iter().map(|item| DraftEdit::Answer { item, answer: Answer::Complies }));
    edits.push(DraftEdit::NoFixReason("厂房内无卫星信号".into()));
    edits.push(DraftEdit::Finding("现场检查未发现异常。".into()));
    let strokes = vec![vec![(10.0, 60.0), (80.0, 20.0), (150.0, 70.0)], vec![(40.0, 40.0), (120.0, 45.0)]];
    edits.push(DraftEdit::PartySigned { strokes, width: 300.0, height: 120.0 });
    edits.into_iter().map(Event::Draft).collect()
}

/// Encodes a picture of colour noise, different for each `seed`, as a JPEG of quality 95: what a
/// camera hands the app. The noise keeps the core's re-encoded JPEG at about 300 KB.
fn noise_jpeg(seed: u64) -> BenchResult<Vec<u8>> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    let pixels: Vec<u8> = (0..PHOTO_SIDE * PHOTO_SIDE * 3).map(|_| splitmix64(&mut state) as u8).collect();
    let picture = image::RgbImage::from_raw(PHOTO_SIDE, PHOTO_SIDE, pixels).ok_or("the noise buffer does not match the picture size")?;
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95).encode_image(&picture)?;
    Ok(jpeg)
}

/// SplitMix64: a fast, seedable generator, so every run makes the same photos.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Sends `Event::Sync` until every record and photo is acknowledged; returns the number of syncs.
async fn sync_until_synced(core: &mut Core<PlatformKv>) -> BenchResult<usize> {
    for round in 1..=MAX_SYNC_ROUNDS {
        send(core, Event::Sync).await;
        if core.model().all_synced() {
            return Ok(round);
        }
    }
    let notice = core.model().notices.last().map(|notice| notice.text(outlet_core::Lang::En)).unwrap_or_default();
    Err(format!("{} records are still not synced after {MAX_SYNC_ROUNDS} syncs: {notice}", core.model().pending_count()).into())
}

/// Device-store work that one sync of the whole outbox does, timed apart from it on the synced
/// device, to show where the sync's time goes.
struct StoreCosts {
    entries: usize,
    /// Size of the outbox as stored: each entry's JSON.
    outbox_json_bytes: usize,
    /// One `LocalStore::outbox` call, which reads and decodes every entry, in seconds.
    outbox_read_secs: f64,
    /// Reading every photo of the outbox with `LocalStore::photo` (base64 decoding and SHA-256 check).
    photo_reads_secs: f64,
    /// Writing each entry's state and photo state once, as a sync does (each a flushed write).
    state_writes_secs: f64,
}

impl StoreCosts {
    /// Outbox reads timed and averaged; a few are enough, because each reads every entry.
    const OUTBOX_READS: u32 = 10;

    /// Times the store calls of a sync on a synced device. The writes store each entry's current
    /// states again, so the outbox stays as it was.
    async fn measure(store: &LocalStore<PlatformKv>) -> BenchResult<Self> {
        let started = Instant::now();
        for _ in 0..Self::OUTBOX_READS {
            store.outbox().await?;
        }
        let outbox_read_secs = started.elapsed().as_secs_f64() / f64::from(Self::OUTBOX_READS);
        let outbox = store.outbox().await?;
        let outbox_json_bytes = outbox.iter().map(|entry| serde_json::to_string(entry).map_or(0, |json| json.len())).sum();

        let mut photos = Vec::new();
        for entry in &outbox {
            photos.extend(entry.frozen.record()?.photos.into_iter().map(|photo| photo.sha256));
        }
        let started = Instant::now();
        for sha256 in &photos {
            store.photo(sha256).await?.ok_or_else(|| format!("photo {sha256} is not on the device"))?;
        }
        let photo_reads_secs = started.elapsed().as_secs_f64();

        let started = Instant::now();
        for entry in &outbox {
            store.set_outbox_state(entry.frozen.id, entry.state.clone()).await?;
            store.set_photo_sync(entry.frozen.id, entry.photos.clone()).await?;
        }
        let state_writes_secs = started.elapsed().as_secs_f64();
        Ok(Self { entries: outbox.len(), outbox_json_bytes, outbox_read_secs, photo_reads_secs, state_writes_secs })
    }

    /// Prints the costs next to the number of times a sync pays them: the core's sync reads the
    /// whole outbox before the first record and after the last one.
    fn report(&self, inspections: usize) {
        println!(
            "device store: the outbox of {} entries is {:.1} MB of JSON; one full read takes {:.1} ms, and a sync makes 2 of them",
            self.entries,
            self.outbox_json_bytes as f64 / 1e6,
            self.outbox_read_secs * 1e3,
        );
        println!("device store: reading the {} photos takes {:.2} s; the {} flushed state writes {:.2} s", inspections * PHOTOS_PER_INSPECTION, self.photo_reads_secs, 2 * inspections, self.state_writes_secs);
    }
}

/// Marks every record of the outbox queued with its photos pending, as before its first sync, so
/// the same records go to another server. The frozen bytes stay as they are.
async fn mark_outbox_unsent(store: &LocalStore<PlatformKv>) -> BenchResult<()> {
    for entry in store.outbox().await? {
        store.set_outbox_state(entry.frozen.id, OutboxState::Queued).await?;
        store.set_photo_sync(entry.frozen.id, PhotoSync::Pending).await?;
    }
    Ok(())
}

/// The curl run: its config file and what it sends.
struct CurlReference {
    config: PathBuf,
    requests: usize,
    record_bytes: u64,
    photo_bytes: u64,
}

/// Writes each record's frozen bytes and each photo from the device's store into `folder`, and a
/// curl config that PUTs them to `server_url` in the outbox's order with the app's headers and the
/// device's token.
async fn write_curl_config(store: &LocalStore<PlatformKv>, server_url: &str, folder: &Path) -> BenchResult<CurlReference> {
    std::fs::create_dir_all(folder)?;
    let token = device_token(store).await?;
    let sent_at = time::OffsetDateTime::now_utc().format(&Rfc3339)?;
    let mut config = String::new();
    let mut reference = CurlReference { config: folder.join("requests.cfg"), requests: 0, record_bytes: 0, photo_bytes: 0 };

    for entry in store.outbox().await? {
        let frozen = &entry.frozen;
        let record_file = folder.join(format!("record-{:05}.json", entry.device_seq));
        std::fs::write(&record_file, &frozen.bytes)?;
        let headers = [
            ("Content-Type", "application/json".to_string()),
            (inspection_header::DEVICE_ID, frozen.device_id.to_string()),
            (inspection_header::SIGNATURE, frozen.signature.clone()),
            (inspection_header::SENT_AT, sent_at.clone()),
        ];
        push_upload(&mut config, &format!("{server_url}/api/v1/inspections/{}", frozen.id), &record_file, &token, &headers);
        reference.record_bytes += frozen.bytes.len() as u64;
        reference.requests += 1;

        for photo in frozen.record()?.photos {
            let bytes = store.photo(&photo.sha256).await?.ok_or_else(|| format!("photo {} of record {} is not on the device", photo.sha256, frozen.id))?;
            let photo_file = folder.join(format!("{}.jpg", photo.sha256));
            std::fs::write(&photo_file, &bytes)?;
            let url = format!("{server_url}/api/v1/inspections/{}/photos/{}", frozen.id, photo.sha256);
            push_upload(&mut config, &url, &photo_file, &token, &[("Content-Type", "image/jpeg".to_string())]);
            reference.photo_bytes += bytes.len() as u64;
            reference.requests += 1;
        }
    }
    std::fs::write(&reference.config, config)?;
    Ok(reference)
}

/// Appends one PUT of `file` to a curl config, after a `next` unless it is the first request, so
/// its options apply to it alone. The empty `Expect:` header stops curl from waiting for
/// `100 Continue`, which the app's client does not ask for either.
fn push_upload(config: &mut String, url: &str, file: &Path, token: &str, headers: &[(&str, String)]) {
    if !config.is_empty() {
        config.push_str("next\n");
    }
    let mut line = |name: &str, value: &str| config.push_str(&format!("{name} = \"{}\"\n", value.replace('\\', "\\\\").replace('"', "\\\"")));
    line("url", url);
    line("upload-file", &file.to_string_lossy());
    line("header", &format!("Authorization: Bearer {token}"));
    for (name, value) in headers {
        line("header", &format!("{name}: {value}"));
    }
    line("header", "Expect:");
    line("output", "/dev/null");
    config.push_str("write-out = \"%{http_code} %{num_connects}\\n\"\n");
}

/// Runs curl on the config, checks that every response was 200 or 201, and returns the number of
/// connections curl opened.
fn run_curl(reference: &CurlReference) -> BenchResult<u64> {
    let output = Command::new("curl").arg("--silent").arg("--show-error").arg("--config").arg(&reference.config).output()?;
    let written = String::from_utf8_lossy(&output.stdout);
    let mut answered = 0;
    let mut failed = 0;
    let mut connections = 0;
    for line in written.lines() {
        let (status, connects) = line.split_once(' ').unwrap_or((line, "0"));
        answered += 1;
        failed += usize::from(!matches!(status, "200" | "201"));
        connections += connects.parse::<u64>().unwrap_or(0);
    }
    if !output.status.success() || answered != reference.requests || failed > 0 {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("curl ({}) got responses to {answered} of {} requests, {failed} of them not 200 or 201: {}", output.status, reference.requests, stderr.trim()).into());
    }
    Ok(connections)
}

/// A TCP proxy on 127.0.0.1 in front of one server. It reads the HTTP/1.1 requests the device
/// sends, counts their body bytes by kind, and cuts the connection once: halfway through the body
/// of the photo upload numbered `cut_at_photo` (from 1).
struct CountingProxy {
    addr: SocketAddr,
    counts: Arc<Mutex<ProxyCounts>>,
}

/// Counts of the requests and bytes the proxy forwarded from the device to the server.
#[derive(Debug, Default)]
struct ProxyCounts {
    connections: usize,
    /// Every byte forwarded to the server, request lines and headers included.
    forwarded_bytes: u64,
    record_uploads: usize,
    record_body_bytes: u64,
    photo_uploads: usize,
    photo_body_bytes: u64,
    other_requests: usize,
    cut: Option<CutPhoto>,
}

/// The photo upload the proxy cut.
#[derive(Debug, Clone)]
struct CutPhoto {
    sha256: String,
    /// The photo's size from its `Content-Length`.
    photo_bytes: u64,
    /// Bytes of the photo forwarded before the cut.
    forwarded: u64,
}

/// Kind of a request, from its request line.
#[derive(Debug, Clone, PartialEq)]
enum RequestKind {
    Record,
    Photo { sha256: String },
    Other,
}

/// The body being forwarded on one connection.
struct BodyInFlight {
    kind: RequestKind,
    /// Ordinal of the photo upload (from 1), 0 for other requests.
    photo_number: usize,
    length: u64,
    forwarded: u64,
}

impl CountingProxy {
    fn start(server: SocketAddr, cut_at_photo: usize) -> BenchResult<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let counts = Arc::new(Mutex::new(ProxyCounts::default()));
        let shared = counts.clone();
        std::thread::spawn(move || {
            for device in listener.incoming() {
                let counts = shared.clone();
                match device.and_then(|device| Ok((device, TcpStream::connect(server)?))) {
                    Ok((device, upstream)) => {
                        std::thread::spawn(move || proxy_connection(device, upstream, &counts, cut_at_photo));
                    }
                    Err(error) => eprintln!("proxy: a connection failed: {error}"),
                }
            }
        });
        Ok(Self { addr, counts })
    }

    /// Prints the cut test's result: the payload bytes forwarded against `needed`, the bytes of
    /// every record and photo once.
    fn report(&self, needed: u64, rounds: usize, seconds: f64) -> BenchResult<()> {
        let counts = self.counts.lock().map_err(|_| "a proxy thread panicked")?;
        let cut = counts.cut.clone().ok_or("the proxy never cut a photo upload: fewer photos than expected were sent")?;
        let sent = counts.record_body_bytes + counts.photo_body_bytes;
        let resent = sent.saturating_sub(needed);
        println!(
            "cut test: {rounds} sync event(s) in {seconds:.2} s over {} connections; {} record and {} photo uploads, {} other requests",
            counts.connections, counts.record_uploads, counts.photo_uploads, counts.other_requests
        );
        println!("cut test: cut photo {} after {} of its {} bytes", cut.sha256, cut.forwarded, cut.photo_bytes);
        let verdict = if resent <= cut.photo_bytes { "met" } else { "missed" };
        println!(
            "cut test: payload sent {sent} bytes, needed {needed}, re-sent {resent} ({:.2} of the photo in flight; goal of no more than that photo {verdict})",
            resent as f64 / cut.photo_bytes as f64
        );
        println!("cut test: all bytes to the server {} (request lines and headers included)", counts.forwarded_bytes);
        Ok(())
    }
}

/// Forwards one device connection to the server until either side closes it or the cut.
fn proxy_connection(device: TcpStream, upstream: TcpStream, counts: &Mutex<ProxyCounts>, cut_at_photo: usize) {
    if let Ok(mut counts) = counts.lock() {
        counts.connections += 1;
    }
    let (Ok(mut device_reader), Ok(mut upstream_reader)) = (device.try_clone(), upstream.try_clone()) else {
        eprintln!("proxy: a socket could not be cloned");
        return;
    };
    let mut device_writer = device;
    let responses = std::thread::spawn(move || {
        let _ = std::io::copy(&mut upstream_reader, &mut device_writer);
        let _ = device_writer.shutdown(Shutdown::Write);
    });

    let mut upstream_writer = upstream;
    if let Err(error) = forward_requests(&mut device_reader, &mut upstream_writer, counts, cut_at_photo) {
        eprintln!("proxy: forwarding stopped: {error}");
    }
    let _ = device_reader.shutdown(Shutdown::Both);
    let _ = upstream_writer.shutdown(Shutdown::Both);
    let _ = responses.join();
}

/// Copies the device's requests to the server, counting each request's body, until the device
/// closes the connection or the planned cut happens.
fn forward_requests(device: &mut TcpStream, upstream: &mut TcpStream, counts: &Mutex<ProxyCounts>, cut_at_photo: usize) -> BenchResult<()> {
    let mut buffer = vec![0u8; 64 * 1024];
    let mut head = Vec::new();
    let mut body: Option<BodyInFlight> = None;

    loop {
        let read = device.read(&mut buffer)?;
        if read == 0 {
            return Ok(());
        }
        let mut counts = counts.lock().map_err(|_| "another proxy thread panicked")?;
        let mut offset = 0;
        let mut cut_at = None;

        while offset < read && cut_at.is_none() {
            let Some(current) = body.as_mut() else {
                offset += read_head(&mut head, &buffer[offset..read]);
                if head.ends_with(b"\r\n\r\n") {
                    body = start_request(&head, &mut counts)?;
                    head.clear();
                }
                continue;
            };

            let mut take = (current.length - current.forwarded).min((read - offset) as u64);
            let cut_due = counts.cut.is_none() && current.photo_number == cut_at_photo;
            if cut_due && current.forwarded + take >= current.length / 2 {
                take = current.length / 2 - current.forwarded;
                cut_at = Some(offset + take as usize);
            }
            current.forwarded += take;
            offset += take as usize;
            match &current.kind {
                RequestKind::Record => counts.record_body_bytes += take,
                RequestKind::Photo { sha256 } => {
                    counts.photo_body_bytes += take;
                    if cut_at.is_some() {
                        counts.cut = Some(CutPhoto { sha256: sha256.clone(), photo_bytes: current.length, forwarded: current.forwarded });
                    }
                }
                RequestKind::Other => {}
            }
            if current.forwarded == current.length {
                body = None;
            }
        }

        let end = cut_at.unwrap_or(read);
        upstream.write_all(&buffer[..end])?;
        counts.forwarded_bytes += end as u64;
        if cut_at.is_some() {
            return Ok(());
        }
    }
}

/// Appends bytes of a request head to `head` up to and including its blank line; returns how many
/// bytes of `bytes` it took.
fn read_head(head: &mut Vec<u8>, bytes: &[u8]) -> usize {
    for (index, byte) in bytes.iter().enumerate() {
        head.push(*byte);
        if head.ends_with(b"\r\n\r\n") {
            return index + 1;
        }
    }
    bytes.len()
}

/// Counts the request whose head is `head` and returns its body to forward, if it has one. Only
/// bodies with `Content-Length` are understood, which is what the app's client sends.
fn start_request(head: &[u8], counts: &mut ProxyCounts) -> BenchResult<Option<BodyInFlight>> {
    let text = std::str::from_utf8(head).map_err(|_| "a request head is not UTF-8")?;
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (method, path) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());

    let mut length = 0;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse::<u64>().map_err(|_| format!("invalid Content-Length {value:?} in {request_line:?}"))?;
        }
        if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(format!("the proxy counts only bodies with Content-Length, but {request_line:?} is sent with Transfer-Encoding {value:?}").into());
        }
    }

    let kind = match (method, path.split_once("/photos/")) {
        ("PUT", Some((_, sha256))) => RequestKind::Photo { sha256: sha256.to_string() },
        ("PUT", None) if path.starts_with("/api/v1/inspections/") => RequestKind::Record,
        _ => RequestKind::Other,
    };
    let photo_number = match kind {
        RequestKind::Record => {
            counts.record_uploads += 1;
            0
        }
        RequestKind::Photo { .. } => {
            counts.photo_uploads += 1;
            counts.photo_uploads
        }
        RequestKind::Other => {
            counts.other_requests += 1;
            0
        }
    };
    Ok((length > 0).then_some(BodyInFlight { kind, photo_number, length, forwarded: 0 }))
}
