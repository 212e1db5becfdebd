//! The jurisdiction's offline package against the real server on 127.0.0.1: full download in pages,
//! delta sync with updates and removals, and a download cut mid-page that resumes from its cursor.

mod common;

use common::{Fault, Proxy};
use outlet_app_core::{open_store, CardSource, Core, Event, Model, PlacardCheck};
use outlet_core::card::PermitStatus;
use outlet_core::{Msg, OutletCard};
use outlet_server::store::CardWrite;
use outlet_server::{demo, DataDir, RunningServer};

const REGION: &str = "350100";

/// Outlets on the server: the 5 demo outlets and this many synthetic ones, all in [`REGION`].
const SYNTHETIC: usize = 60;

struct World {
    _server_dir: tempfile::TempDir,
    device_dir: tempfile::TempDir,
    data: DataDir,
    _server: RunningServer,
    proxy: Proxy,
}

async fn world() -> World {
    let server_dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(server_dir.path(), true).unwrap();
    demo::seed_synthetic(data.store.as_ref(), SYNTHETIC).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let proxy = Proxy::start(server.addr).await;
    World { _server_dir: server_dir, device_dir: tempfile::tempdir().unwrap(), data, _server: server, proxy }
}

async fn device(world: &World, page_size: usize) -> Core<outlet_app_core::PlatformKv> {
    let store = open_store(world.device_dir.path()).await.unwrap();
    let mut core = Core::new(store, outlet_sync::SyncClient::new(&world.proxy.url()));
    common::world::log_in(&mut core).await;
    core.set_package_page_size(page_size);
    core.handle(Event::Start, &mut |_| {}).await;
    core
}

/// Starts a download and continues it, as the shell does, until it stops.
async fn download(core: &mut Core<outlet_app_core::PlatformKv>) -> Model {
    core.handle(Event::DownloadPackage(REGION.into()), &mut |_| {}).await;
    let mut pages = 1;
    while core.model().package.as_ref().unwrap().running {
        core.handle(Event::ContinuePackage, &mut |_| {}).await;
        pages += 1;
        assert!(pages < 1000, "the download does not end");
    }
    core.model().clone()
}

fn demo_card(index: usize) -> OutletCard {
    demo::demo_cards().remove(index)
}

#[tokio::test]
async fn full_download_then_delta_with_removals() {
    let world = world().await;
    let total = (5 + SYNTHETIC) as u64;
    let mut core = device(&world, 10).await;

    let model = download(&mut core).await;

    let package = model.package.unwrap();
    assert_eq!((package.downloaded, package.pending_total, package.cached_cards), (total, Some(total), total as usize));
    assert!(package.complete);
    assert!(!package.interrupted);
    assert!(model.notices.iter().any(|n| n.msg == Msg::PackageDone), "{:?}", model.notices);

    // The bureau changes three outlets: a new name, a revoked permit, an outlet the permit dropped.
    let mut renamed = demo_card(0);
    renamed.outlet.name = "1#锅炉烟气排放口（改造后）".into();
    assert_eq!(world.data.store.upsert_card(&renamed).unwrap(), CardWrite::Updated { version: 2 });
    let mut revoked = demo_card(3);
    revoked.permit.status = PermitStatus::Revoked;
    world.data.store.upsert_card(&revoked).unwrap();
    let dropped = demo_card(4);
    assert!(world.data.store.remove_card(&dropped.outlet.id).unwrap());

    let model = download(&mut core).await;

    let package = model.package.unwrap();
    assert_eq!(package.downloaded, 3, "the delta holds exactly the three changes");
    assert_eq!(package.cached_cards, total as usize - 2);

    // Offline now: the renamed card comes from the package, and a scan of a removed outlet gives the
    // removal's reason.
    world.proxy.set_fault(Fault::DropResponses);
    core.handle(Event::ManualEntry(renamed.outlet.id.to_string()), &mut |_| {}).await;
    let view = core.model().card.clone().unwrap();
    assert_eq!(view.cached.card.outlet.name, renamed.outlet.name);
    assert_eq!(view.cached.card.version, 2);
    assert_eq!(view.check, PlacardCheck::Unverified);

    for gone in [&revoked, &dropped] {
        core.handle(Event::ManualEntry(gone.outlet.id.to_string()), &mut |_| {}).await;
        let last = core.model().notices.last().unwrap();
        assert_eq!(last.msg, Msg::OutletRemovedOffline);
        assert_eq!(last.args[0], gone.outlet.id.to_string());
    }
}

#[tokio::test]
async fn cut_download_resumes_from_its_cursor() {
    let world = world().await;
    let total = (5 + SYNTHETIC) as u64;
    let mut core = device(&world, 10).await;

    // Two whole pages; the third is cut in the middle of its body.
    world.proxy.set_fault(Fault::CutAfter(2));
    let model = download(&mut core).await;

    let package = model.package.unwrap();
    assert!(package.interrupted);
    assert!(!package.complete);
    assert_eq!(package.downloaded, 20);
    assert_eq!(package.cached_cards, 20, "the cut page stored nothing");
    assert_eq!(model.notices.last().unwrap().msg, Msg::PackageInterrupted);

    world.proxy.set_fault(Fault::None);
    let model = download(&mut core).await;

    let package = model.package.unwrap();
    assert!(package.complete);
    assert!(!package.interrupted);
    assert_eq!(package.downloaded, total - 20, "the resumed run fetched only what was missing");
    assert_eq!(package.cached_cards, total as usize);

    let pages: Vec<String> = world.proxy.requests().into_iter().filter(|line| line.contains("/changes")).collect();
    let since = |line: &String| line.split("since=").nth(1).unwrap().split('&').next().unwrap().to_string();
    assert_eq!(since(&pages[2]), since(&pages[3]), "the cut page is asked for again from the same cursor");
    assert_ne!(since(&pages[3]), "0", "the resumed run does not start over");
}

#[tokio::test]
async fn cached_card_then_server_refresh() {
    let world = world().await;
    let mut core = device(&world, 100).await;
    download(&mut core).await;
    let mut changed = demo_card(2);
    changed.outlet.name = "废水总排放口（新）".into();
    world.data.store.upsert_card(&changed).unwrap();

    let mut shown = Vec::new();
    core.handle(Event::ManualEntry(changed.outlet.id.to_string()), &mut |model: &Model| shown.push(model.card.clone().unwrap())).await;
    let last = core.model().card.clone().unwrap();

    assert_eq!(shown.len(), 1, "one intermediate state: the cached card");
    assert!(matches!(shown[0].source, CardSource::Cache { .. }), "{:?}", shown[0].source);
    assert_eq!(shown[0].cached.card.outlet.name, demo_card(2).outlet.name);
    assert_eq!(last.source, CardSource::Server);
    assert_eq!(last.cached.card.outlet.name, changed.outlet.name);
    assert_eq!(last.cached.card.version, 2);
}

#[tokio::test]
async fn restart_shows_package_without_counting() {
    let world = world().await;
    let total = 5 + SYNTHETIC;
    let mut core = device(&world, 50).await;
    download(&mut core).await;
    drop(core);

    let store = open_store(world.device_dir.path()).await.unwrap();
    let region = outlet_core::Region::parse(REGION).unwrap();
    assert_eq!(store.package(&region).await.unwrap().unwrap().cached_cards, Some(total), "the count is stored when the run ends");
    drop(store);
    let core = device(&world, 50).await;

    let package = core.model().package.clone().unwrap();
    assert_eq!(package.cached_cards, total);
    assert!(package.complete);
    assert!(!package.running);
}
