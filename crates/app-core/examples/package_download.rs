//! Downloads a region's offline package from a running server the way the app does (the core's
//! events, one page per event, into a sled cache), then prints the time, the cache size on disk and
//! the process's peak memory. `scripts/bench-package.sh` runs it against curl on the same pages.
//!
//! Usage: `package_download SERVER_URL REGION CACHE_DIR [CURL_CONFIG]`. It logs in with the badge
//! number and password in `OUTLET_BADGE_NO` and `OUTLET_PASSWORD` (the demo officer's by default).
//! With `CURL_CONFIG`, it afterwards walks the feed again without storing and writes a curl config
//! for the curl reference: a login token header, then the page URLs it asked for, one per line.

use std::path::Path;
use std::time::Instant;

use outlet_app_core::{open_store, Core, Event, Password, DEFAULT_PAGE_SIZE};
use outlet_core::api::{DeviceRegistration, LoginRequest};
use outlet_core::Region;
use outlet_sync::SyncClient;

fn folder_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else { return 0 };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => folder_size(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Peak resident memory of this process in KiB, from `/proc/self/status` (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, server, region, cache_dir, rest @ ..] = args.as_slice() else {
        eprintln!("usage: package_download SERVER_URL REGION CACHE_DIR [CURL_CONFIG]");
        std::process::exit(2);
    };

    let store = open_store(Path::new(cache_dir)).await.expect("the cache folder opens");
    let mut core = Core::new(store, SyncClient::new(server));
    let badge_no = std::env::var("OUTLET_BADGE_NO").unwrap_or_else(|_| "35000001".into());
    let password = std::env::var("OUTLET_PASSWORD").unwrap_or_else(|_| "demo-officer".into());
    core.handle(Event::LogIn { badge_no: badge_no.clone(), password: Password(password.clone()) }, &mut |_| {}).await;
    if core.model().session.is_none() {
        eprintln!("login as {badge_no} failed: {:?}", core.model().notices.last());
        std::process::exit(1);
    }
    let started = Instant::now();
    core.handle(Event::DownloadPackage(region.clone()), &mut |_| {}).await;
    let mut pages = 1;
    while core.model().package.as_ref().is_some_and(|package| package.running) {
        core.handle(Event::ContinuePackage, &mut |_| {}).await;
        pages += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    if let Some(peak) = peak_rss_kib() {
        println!("peak memory during the download: {:.1} MiB", peak as f64 / 1024.0);
    }
    drop(core);

    let package = open_store(Path::new(cache_dir)).await.expect("the cache reopens").cached_card_count().await.expect("the cache counts");
    println!("download: {pages} pages, {package} cards in {seconds:.2} s");
    println!("cache on disk: {:.1} MiB", folder_size(Path::new(cache_dir)) as f64 / 1024.0 / 1024.0);
    if let [curl_config, ..] = rest {
        let mut client = SyncClient::new(server);
        let key = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
        let device = DeviceRegistration { device_id: uuid::Uuid::new_v4(), public_key: data_encoding::BASE64.encode(key.verifying_key().as_bytes()), label: "package benchmark".into() };
        let session = client.log_in(&LoginRequest { badge_no, password, device }).await.expect("the second login works");
        client.set_token(Some(session.token.clone()));
        let region = Region::parse(region).expect("the region downloaded above is valid");
        let mut since = 0;
        let mut urls = format!("header = \"Authorization: Bearer {}\"\n", session.token);
        let walk = Instant::now();
        loop {
            let count = since == 0;
            urls.push_str(&format!("url = \"{server}/api/v1/regions/{region}/changes?since={since}&limit={DEFAULT_PAGE_SIZE}&count={count}\"\n"));
            let page = client.fetch_changes(&region, since, DEFAULT_PAGE_SIZE, count).await.expect("the feed reads");
            since = page.next_cursor;
            if page.complete || page.changes.is_empty() {
                break;
            }
        }
        println!("fetch and parse the same pages without storing: {:.2} s", walk.elapsed().as_secs_f64());
        std::fs::write(curl_config, urls).expect("the curl config is written");
    }
}
