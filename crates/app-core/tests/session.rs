//! The officer's login through the app core, against the real server on 127.0.0.1 and a real sled
//! folder: the login screen until a login succeeds, a restart without a network on the kept session,
//! a 401 that ends the session without losing drafts or queued records, expiry, logout, and outlets
//! and regions outside the jurisdiction.

mod common;

use common::world::{log_in, DEMO_OFFICER};
use common::World;
use outlet_app_core::{open_store, CardSource, Core, Event, Password, PlatformKv, Screen};
use outlet_core::api::Role;
use outlet_core::i18n::Msg;
use outlet_server::accounts::demo::DEMO_OFFICER_PASSWORD;
use outlet_server::accounts::{self, NewAccount};
use outlet_server::{demo, RunningServer};
use outlet_store::OutboxState;
use outlet_sync::SyncClient;
use std::time::Duration;
use time::OffsetDateTime;

/// A second device of the world's server, on its own sled folder, not logged in.
async fn new_device(world: &World, dir: &tempfile::TempDir) -> Core<PlatformKv> {
    Core::new(open_store(dir.path()).await.unwrap(), SyncClient::new(&format!("http://{}", world.addr)))
}

async fn send(core: &mut Core<PlatformKv>, event: Event) {
    core.handle(event, &mut |_| {}).await;
}

fn last_msg(core: &Core<PlatformKv>) -> Msg {
    core.model().notices.last().expect("a notice").msg
}

fn demo_outlet() -> String {
    demo::demo_cards()[0].outlet.id.to_string()
}

/// Opens the demo outlet's card and records a complete inspection in the draft.
async fn fill_draft(core: &mut Core<PlatformKv>, finding: &str) {
    send(core, Event::ManualEntry(demo_outlet())).await;
    send(core, Event::StartInspection).await;
    for event in common::world::complete_inspection_edits() {
        send(core, event).await;
    }
    send(core, Event::Draft(outlet_app_core::DraftEdit::Finding(finding.into()))).await;
}

#[tokio::test]
async fn login_screen_until_logged_in() {
    let world = World::new().await;
    let device_dir = tempfile::tempdir().unwrap();
    let mut core = new_device(&world, &device_dir).await;

    send(&mut core, Event::Start).await;
    assert_eq!(core.model().screen, Screen::Login);
    assert!(core.model().session.is_none());
    send(&mut core, Event::ManualEntry(demo_outlet())).await;
    assert_eq!(core.model().screen, Screen::Login, "no card opens without a login");
    assert!(core.model().card.is_none());
    send(&mut core, Event::Navigate(Screen::Outbox)).await;
    assert_eq!(core.model().screen, Screen::Login, "no other screen opens without a login");

    send(&mut core, Event::LogIn { badge_no: DEMO_OFFICER.into(), password: Password("wrong-password".into()) }).await;
    assert_eq!(last_msg(&core), Msg::ApiInvalidCredentials);
    assert_eq!(core.model().screen, Screen::Login);
    send(&mut core, Event::LogIn { badge_no: " ".into(), password: Password(String::new()) }).await;
    assert_eq!(last_msg(&core), Msg::LoginFieldsMissing);

    log_in(&mut core).await;
    assert_eq!(core.model().screen, Screen::Scan);
    assert_eq!(last_msg(&core), Msg::LoggedIn);
    let session = core.model().session.clone().unwrap();
    assert_eq!(session.account.badge_no, DEMO_OFFICER);
    assert_eq!(session.account.role, Role::Officer);
    assert_eq!(core.model().region, "350100", "the package screen starts with the officer's region");
    send(&mut core, Event::ManualEntry(demo_outlet())).await;
    assert_eq!(core.model().card.as_ref().unwrap().source, CardSource::Server);

    // The device's key, made once and kept on the device, is registered on the server.
    drop(core);
    let store = open_store(device_dir.path()).await.unwrap();
    let identity: serde_json::Value = store.setting("device_key").await.unwrap().expect("the device key is kept");
    let device_id: uuid::Uuid = identity["device_id"].as_str().unwrap().parse().unwrap();
    let registered = world.data.store.device_key(DEMO_OFFICER, device_id).unwrap().expect("the device key is registered");
    assert_eq!(registered.public_key.len(), 44, "base64 of 32 bytes");
}

#[tokio::test]
async fn restart_offline_keeps_session() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    world.send(Event::ManualEntry(demo_outlet())).await;
    let device_dir = tempfile::tempdir().unwrap();
    {
        let mut core = new_device(&world, &device_dir).await;
        log_in(&mut core).await;
        send(&mut core, Event::ManualEntry(demo_outlet())).await;
        assert!(core.model().card.is_some());
    }

    world.network_off().await;
    let mut core = new_device(&world, &device_dir).await;
    send(&mut core, Event::Start).await;

    assert_eq!(core.model().screen, Screen::Scan, "the kept session needs no network");
    assert_eq!(core.model().session.as_ref().unwrap().account.badge_no, DEMO_OFFICER);
    send(&mut core, Event::ManualEntry(demo_outlet())).await;
    assert!(matches!(core.model().card.as_ref().unwrap().source, CardSource::OfflineCache { .. }));
    fill_draft(&mut core, "离线检查").await;
    send(&mut core, Event::Finalize).await;
    assert_eq!(core.model().pending_count(), 1, "an inspection is finalized offline");
}

#[tokio::test]
async fn unauthorized_ends_session_keeps_work() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    fill_draft(&mut world.core, "第一份").await;
    world.send(Event::Finalize).await;
    fill_draft(&mut world.core, "未完成的草稿").await;
    world.send(Event::ManualEntry(demo::demo_cards()[3].outlet.id.to_string())).await;
    let queued_id = world.core.model().outbox[0].frozen.id;

    // The bureau resets the officer's password: every token of the account stops working.
    accounts::reset_password(world.data.store.as_ref(), DEMO_OFFICER, "the-new-password", OffsetDateTime::now_utc()).unwrap();
    let model = world.send(Event::Sync).await;

    assert!(model.session.is_none());
    assert_eq!(model.screen, Screen::Login);
    assert_eq!(model.notices.last().unwrap().msg, Msg::SessionEnded);
    assert_eq!(model.outbox.len(), 1);
    assert_eq!(model.outbox[0].state, OutboxState::Queued, "the record waits for the next login");
    assert_eq!(world.data.store.inspection_count().unwrap(), 0);

    world.send(Event::LogIn { badge_no: DEMO_OFFICER.into(), password: Password("the-new-password".into()) }).await;
    let model = world.send(Event::Sync).await;
    assert!(matches!(model.outbox[0].state, OutboxState::Acknowledged(_)), "{:?}", model.outbox[0].state);
    assert!(world.data.store.inspection(queued_id).unwrap().is_some());
    world.send(Event::ManualEntry(demo_outlet())).await;
    let model = world.send(Event::StartInspection).await;
    assert_eq!(model.draft.unwrap().finding, "未完成的草稿", "the draft survived the ended session");
}

#[tokio::test]
async fn unauthorized_card_request_ends_session() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    world.send(Event::ManualEntry(demo_outlet())).await;

    accounts::set_disabled(world.data.store.as_ref(), DEMO_OFFICER, true, OffsetDateTime::now_utc()).unwrap();
    let model = world.send(Event::ManualEntry(demo_outlet())).await;

    assert_eq!(model.screen, Screen::Login);
    assert!(model.card.is_none(), "the card closes with the session");
    world.send(Event::LogIn { badge_no: DEMO_OFFICER.into(), password: Password(DEMO_OFFICER_PASSWORD.into()) }).await;
    assert_eq!(world.core.model().notices.last().unwrap().msg, Msg::ApiAccountDisabled);
    assert_eq!(world.core.model().notices.last().unwrap().args, [DEMO_OFFICER]);
}

#[tokio::test]
async fn expired_session_needs_login() {
    let world = World::new().await;
    let server = RunningServer::start("127.0.0.1:0", world.data.state(None).with_token_ttl(time::Duration::seconds(1))).await.unwrap();
    let device_dir = tempfile::tempdir().unwrap();
    let mut core = Core::new(open_store(device_dir.path()).await.unwrap(), SyncClient::new(&server.url()));
    log_in(&mut core).await;
    let expires_at = core.model().session.as_ref().unwrap().expires_at;

    // Waits until the device's clock passes the expiry: a deadline, not a measured time.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while OffsetDateTime::now_utc() <= expires_at {
        assert!(std::time::Instant::now() < deadline, "the clock did not pass {expires_at}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(core);
    let mut core = Core::new(open_store(device_dir.path()).await.unwrap(), SyncClient::new(&server.url()));
    send(&mut core, Event::Start).await;

    assert_eq!(core.model().screen, Screen::Login);
    assert!(core.model().session.is_none());
    assert_eq!(last_msg(&core), Msg::SessionEnded);
}

#[tokio::test]
async fn logout_keeps_work_and_asks_login() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    fill_draft(&mut world.core, "退出前的草稿").await;

    let model = world.send(Event::LogOut).await;

    assert_eq!(model.screen, Screen::Login);
    assert!(model.session.is_none());
    assert_eq!(model.notices.last().unwrap().msg, Msg::LoggedOut);
    log_in(&mut world.core).await;
    world.send(Event::ManualEntry(demo_outlet())).await;
    let model = world.send(Event::StartInspection).await;
    assert_eq!(model.draft.unwrap().finding, "退出前的草稿");
}

#[tokio::test]
async fn logout_offline_warns_token_lives_on() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    world.network_off().await;

    let model = world.send(Event::LogOut).await;

    assert_eq!(model.screen, Screen::Login);
    assert_eq!(model.notices.last().unwrap().msg, Msg::LogoutOffline);
}

#[tokio::test]
async fn other_jurisdiction_is_refused() {
    let mut world = World::new().await;
    let district = NewAccount { badge_no: "D350102".into(), name: "区执法".into(), region: "350102".into(), role: Role::Officer };
    accounts::create_account(world.data.store.as_ref(), &district, "district-pass-1", OffsetDateTime::now_utc()).unwrap();
    world.send(Event::LogOut).await;
    world.send(Event::LogIn { badge_no: "D350102".into(), password: Password("district-pass-1".into()) }).await;
    assert!(world.core.model().session.is_some());

    let model = world.send(Event::ManualEntry(demo_outlet())).await;
    assert!(model.card.is_none());
    assert_eq!(model.screen, Screen::Scan);
    assert_eq!(model.notices.last().unwrap().msg, Msg::OutletOutsideJurisdiction);

    let model = world.send(Event::DownloadPackage("350100".into())).await;
    assert!(model.package.is_none());
    assert_eq!(model.notices.last().unwrap().msg, Msg::RegionOutsideJurisdiction);
    assert_eq!(model.notices.last().unwrap().args, ["350100", "350102"]);
    assert!(model.session.is_some(), "a 403 keeps the session");
}
