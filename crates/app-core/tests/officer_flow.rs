//! The officer's path through the app core, against the real server on 127.0.0.1 and a real sled
//! folder: scan a placard photo, see the card, lose the network, record and finalize an inspection,
//! get the network back, sync, and sync again.

mod common;

use common::World;
use outlet_app_core::{open_store, CardSource, Core, DraftEdit, Event, NoticeLevel, PlacardCheck, Screen};
use outlet_core::i18n::{Lang, Msg};
use outlet_core::OutletCard;
use outlet_placard::{Layout, PlacardContent};
use outlet_server::placards::{self, IssueMode};
use outlet_server::{demo, DataDir, RunningServer};
use outlet_store::OutboxState;
use outlet_sync::{RetryPolicy, SyncClient};
use std::time::Duration;

/// What these tests do with the shared [`World`] beyond sending events.
trait OfficerWorld {
    fn placard_png(&self, card: &OutletCard, qr_text: &str) -> Vec<u8>;
    fn genuine_placard(&self, card: &OutletCard) -> Vec<u8>;
    fn last_notice(&self) -> (NoticeLevel, String);
}

impl OfficerWorld for World {
    fn placard_png(&self, card: &OutletCard, qr_text: &str) -> Vec<u8> {
        let content = PlacardContent::from_card(card, qr_text, 1);
        let svg = outlet_placard::render_svg(&content, Layout::Wall).unwrap();
        outlet_placard::render_png(&svg, 3.0).unwrap()
    }

    /// Issues the outlet's current placard (serial 1 on first use) and photographs it.
    fn genuine_placard(&self, card: &OutletCard) -> Vec<u8> {
        let issued = placards::issue(self.data.store.as_ref(), &self.data.keyring, &card.outlet.id, &IssueMode::Current).unwrap();
        self.placard_png(card, &issued.payload.to_qr_text(&format!("http://{}", self.addr)))
    }

    fn last_notice(&self) -> (NoticeLevel, String) {
        let notice = self.core.model().notices.last().expect("a notice");
        (notice.level, notice.text(Lang::Zh))
    }
}

#[tokio::test]
async fn scan_offline_inspection_then_sync_once() {
    let mut world = World::new().await;
    let card = demo::demo_cards().remove(0);
    world.send(Event::Start).await;

    let photo = world.genuine_placard(&card);
    let model = world.send(Event::Photo(photo)).await;
    assert_eq!(model.screen, Screen::Card);
    let view = model.card.unwrap();
    assert_eq!(view.cached.card.outlet.id, card.outlet.id);
    assert_eq!(view.check, PlacardCheck::Genuine);
    assert_eq!(view.source, CardSource::Server);

    world.network_off().await;
    let model = world.send(Event::Photo(world.genuine_placard(&card))).await;
    let view = model.card.unwrap();
    assert!(matches!(view.source, CardSource::OfflineCache { .. }), "{:?}", view.source);
    assert_eq!(view.check, PlacardCheck::Genuine, "cached keys verify offline");

    world.send(Event::StartInspection).await;
    for event in common::world::complete_inspection_edits() {
        world.send(event).await;
    }
    let model = world.send(Event::Finalize).await;
    assert_eq!(model.screen, Screen::Outbox);
    assert_eq!(model.outbox.len(), 1);
    assert_eq!(model.outbox[0].state, OutboxState::Queued);
    assert_eq!(model.pending_count(), 1);

    let model = world.send(Event::Sync).await;
    assert_eq!(model.outbox[0].state, OutboxState::Queued, "nothing is acknowledged while offline");
    assert_eq!(world.last_notice().0, NoticeLevel::Warning);

    world.network_on().await;
    let model = world.send(Event::Sync).await;
    let OutboxState::Acknowledged(receipt) = &model.outbox[0].state else { panic!("not acknowledged: {:?}", model.outbox[0].state) };
    assert!(receipt.acknowledges(model.outbox[0].frozen.id, &model.outbox[0].frozen.sha256));
    assert!(model.all_synced());
    assert_eq!(world.data.store.inspection_count().unwrap(), 1);

    let again = world.send(Event::Sync).await;
    assert_eq!(again.outbox, model.outbox);
    assert_eq!(world.data.store.inspection_count().unwrap(), 1);
}

#[tokio::test]
async fn incomplete_inspection_names_what_is_missing() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    world.send(Event::ManualEntry(demo::demo_cards()[0].outlet.id.to_string())).await;
    world.send(Event::StartInspection).await;
    world.send(Event::Draft(DraftEdit::OfficerName { index: 0, name: "林执法".into() })).await;
    world.send(Event::Draft(DraftEdit::OfficerBadge { index: 0, badge_no: "35000001".into() })).await;

    let model = world.send(Event::Finalize).await;

    assert_eq!(model.screen, Screen::Inspection);
    assert!(model.outbox.is_empty());
    assert_eq!(world.last_notice(), (NoticeLevel::Error, Msg::TooFewOfficers.fill(Lang::Zh, &["2"])));
}

#[tokio::test]
async fn forged_placard_is_flagged() {
    let mut world = World::new().await;
    let card = demo::demo_cards().remove(1);
    world.send(Event::Start).await;
    let signer = world.data.keyring.active_signer().unwrap();
    let genuine = signer.sign(&card.outlet.id, 1).to_qr_text(&format!("http://{}", world.addr));
    let forged = genuine.replacen("/1.K1.", "/7.K1.", 1);

    let model = world.send(Event::Photo(world.placard_png(&card, &forged))).await;

    assert_eq!(model.card.unwrap().check, PlacardCheck::Forged);
    let (level, text) = world.last_notice();
    assert_eq!(level, NoticeLevel::Error);
    assert!(text.contains("签名无效"), "{text}");
}

#[tokio::test]
async fn bad_inputs_give_chinese_messages() {
    let mut world = World::new().await;
    world.send(Event::Start).await;

    let blank = {
        let mut png = Vec::new();
        let blank = image::GrayImage::from_pixel(200, 150, image::Luma([255]));
        blank.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
        png
    };
    world.send(Event::Photo(blank)).await;
    assert_eq!(world.last_notice(), (NoticeLevel::Warning, Msg::NoCodeFound.text(Lang::Zh).to_string()));

    let foreign = {
        let code = qrcode::QrCode::new(b"https://example.com/menu").unwrap();
        let picture = code.render::<image::Luma<u8>>().min_dimensions(300, 300).build();
        let mut png = Vec::new();
        picture.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
        png
    };
    world.send(Event::Photo(foreign)).await;
    let (_, text) = world.last_notice();
    assert!(text.starts_with("这不是排污口标志牌的二维码"), "{text}");
    assert!(text.contains("https://example.com/menu"), "{text}");

    world.send(Event::Photo(b"GIF89a broken".to_vec())).await;
    let (level, text) = world.last_notice();
    assert_eq!(level, NoticeLevel::Error);
    assert!(text.starts_with("无法读取这张图片"), "{text}");

    let unknown = "91350100M000100Y43001P-DA009";
    world.send(Event::ManualEntry(unknown.into())).await;
    assert_eq!(world.last_notice(), (NoticeLevel::Error, Msg::UnknownOutlet.fill(Lang::Zh, &[unknown])));

    world.send(Event::ManualEntry("DA001".into())).await;
    assert_eq!(world.last_notice(), (NoticeLevel::Error, Msg::InvalidOutletId.fill(Lang::Zh, &["DA001"])));

    assert_eq!(world.core.model().screen, Screen::Scan, "no bad input opened a card");
}

#[tokio::test]
async fn draft_survives_restart() {
    let device_dir = tempfile::tempdir().unwrap();
    let server_dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(server_dir.path(), true).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let outlet = demo::demo_cards()[0].outlet.id.to_string();

    {
        let mut core = Core::new(open_store(device_dir.path()).await.unwrap(), SyncClient::new(&server.url()));
        common::world::log_in(&mut core).await;
        core.handle(Event::Start, &mut |_| {}).await;
        core.handle(Event::ManualEntry(outlet.clone()), &mut |_| {}).await;
        core.handle(Event::StartInspection, &mut |_| {}).await;
        core.handle(Event::Draft(DraftEdit::Finding("半途记录".into())), &mut |_| {}).await;
    }

    let mut core = Core::new(open_store(device_dir.path()).await.unwrap(), SyncClient::new(&server.url()));
    core.handle(Event::Start, &mut |_| {}).await;
    core.handle(Event::ManualEntry(outlet.clone()), &mut |_| {}).await;
    core.handle(Event::StartInspection, &mut |_| {}).await;
    let draft = core.model().draft.clone().expect("draft restored");
    assert_eq!(draft.finding, "半途记录");
    assert_eq!(draft.outlets[0].to_string(), outlet);
}

#[tokio::test]
async fn draft_kept_when_switching_outlets() {
    let mut world = World::new().await;
    let cards = demo::demo_cards();
    world.send(Event::Start).await;

    world.send(Event::ManualEntry(cards[0].outlet.id.to_string())).await;
    world.send(Event::StartInspection).await;
    world.send(Event::Draft(DraftEdit::Finding("第一个排放口".into()))).await;

    world.send(Event::ManualEntry(cards[3].outlet.id.to_string())).await;
    let model = world.send(Event::StartInspection).await;
    assert_eq!(model.draft.as_ref().unwrap().outlets[0], cards[3].outlet.id);
    assert_eq!(model.draft.as_ref().unwrap().finding, "");

    world.send(Event::ManualEntry(cards[0].outlet.id.to_string())).await;
    let model = world.send(Event::StartInspection).await;
    assert_eq!(model.draft.unwrap().finding, "第一个排放口");
}

#[tokio::test]
async fn replaced_placard_is_flagged() {
    let mut world = World::new().await;
    let card = demo::demo_cards().remove(2);
    world.send(Event::Start).await;
    let old_placard = world.genuine_placard(&card);
    let reissue = IssueMode::Reissue { reason: "丢失".into() };
    let issued = placards::issue(world.data.store.as_ref(), &world.data.keyring, &card.outlet.id, &reissue).unwrap();
    assert_eq!(issued.payload.serial, 2);

    let model = world.send(Event::Photo(old_placard)).await;

    assert_eq!(model.card.unwrap().check, PlacardCheck::Replaced { scanned: 1, current: 2 });
    assert_eq!(world.last_notice(), (NoticeLevel::Error, Msg::ReplacedPlacard.fill(Lang::Zh, &["1", "2"])));

    let model = world.send(Event::Photo(world.genuine_placard(&card))).await;
    assert_eq!(model.card.unwrap().check, PlacardCheck::Genuine);
}

#[tokio::test]
async fn retired_key_placard_is_flagged() {
    let server_dir = tempfile::tempdir().unwrap();
    let device_dir = tempfile::tempdir().unwrap();
    let card = demo::demo_cards().remove(0);
    let old_text = {
        let mut data = DataDir::open(server_dir.path(), true).unwrap();
        let issued = placards::issue(data.store.as_ref(), &data.keyring, &card.outlet.id, &IssueMode::Current).unwrap();
        data.keyring.rotate().unwrap();
        data.keyring.retire("K1").unwrap();
        assert_eq!(placards::signed_with(data.store.as_ref(), "K1").unwrap(), vec![(card.outlet.id.clone(), 1)]);
        issued.payload.to_qr_text("http://127.0.0.1:1")
    };
    let data = DataDir::open(server_dir.path(), false).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let mut core = Core::new(open_store(device_dir.path()).await.unwrap(), SyncClient::new(&server.url()));
    common::world::log_in(&mut core).await;
    core.handle(Event::Start, &mut |_| {}).await;

    let svg = outlet_placard::render_svg(&PlacardContent::from_card(&card, &old_text, 1), Layout::Wall).unwrap();
    core.handle(Event::Photo(outlet_placard::render_png(&svg, 3.0).unwrap()), &mut |_| {}).await;

    assert_eq!(core.model().card.as_ref().unwrap().check, PlacardCheck::RetiredKey);
    let notice = core.model().notices.last().unwrap();
    assert_eq!(notice.msg, Msg::RetiredKeyPlacard);
}

async fn finalize_one_inspection(world: &mut World) {
    world.send(Event::Start).await;
    world.send(Event::ManualEntry(demo::demo_cards()[0].outlet.id.to_string())).await;
    world.send(Event::StartInspection).await;
    for event in common::world::complete_inspection_edits() {
        world.send(event).await;
    }
    world.send(Event::Finalize).await;
}

#[tokio::test]
async fn tick_retries_once_backoff_elapsed() {
    let mut world = World::new().await;
    world.core.set_retry_policy(RetryPolicy { base: Duration::ZERO, max: Duration::ZERO });
    finalize_one_inspection(&mut world).await;
    world.network_off().await;

    let model = world.send(Event::Sync).await;
    assert!(model.next_retry_at.is_some(), "a failed sync schedules a retry");

    world.network_on().await;
    let model = world.send(Event::Tick).await;
    assert!(matches!(model.outbox[0].state, OutboxState::Acknowledged(_)), "{:?}", model.outbox[0].state);
    assert_eq!(model.next_retry_at, None);
    assert_eq!(world.data.store.inspection_count().unwrap(), 1);
}

#[tokio::test]
async fn tick_waits_for_backoff() {
    let mut world = World::new().await;
    world.core.set_retry_policy(RetryPolicy { base: Duration::from_secs(3600), max: Duration::from_secs(3600) });
    finalize_one_inspection(&mut world).await;
    world.network_off().await;
    let notices_before = world.send(Event::Sync).await.notices.len();

    world.network_on().await;
    let model = world.send(Event::Tick).await;

    assert_eq!(model.outbox[0].state, OutboxState::Queued, "no attempt before the retry time");
    assert!(model.next_retry_at.unwrap() > time::OffsetDateTime::now_utc() + Duration::from_secs(1700));
    assert_eq!(model.notices.len(), notices_before);
    assert_eq!(world.data.store.inspection_count().unwrap(), 0);
}

#[tokio::test]
async fn card_warns_of_permit_expiry() {
    let mut world = World::new().await;
    let chemical_plant = demo::demo_cards().remove(4);
    world.send(Event::Start).await;

    let model = world.send(Event::ManualEntry(chemical_plant.outlet.id.to_string())).await;

    let alert = model.card.unwrap().permit_alert;
    assert!(
        matches!(alert, Some(outlet_core::card::PermitAlert::ExpiringSoon { .. } | outlet_core::card::PermitAlert::Expired { .. })),
        "{alert:?}"
    );
}
