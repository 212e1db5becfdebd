//! Views holding several codes, and the live camera's frames, against the real server on 127.0.0.1.
//! Our signed placard wins over a bare outlet id and over foreign codes, and foreign codes are named
//! with their text. The camera stops once a code of ours was read or the scan screen is left.

mod common;

use common::World;
use image::{GrayImage, Luma};
use outlet_app_core::{Event, FrameHint, NoticeLevel, PlacardCheck, Screen, HINT_HOLD_FRAMES};
use outlet_core::i18n::{Lang, Msg};
use outlet_core::OutletCard;
use outlet_placard::{Layout, PlacardContent};
use outlet_server::demo;
use outlet_server::placards::{self, IssueMode};
use std::time::Duration;

/// Gap between the pictures of a composed view, in pixels.
const GAP_PX: u32 = 60;

/// No frame budget (the decoder's convention), for tests that must not depend on the machine's speed.
const UNLIMITED_BUDGET: Duration = Duration::MAX;

/// Renders the outlet's current genuine placard (issued on first use) as a greyscale picture.
fn genuine_placard(world: &World, card: &OutletCard) -> GrayImage {
    let issued = placards::issue(world.data.store.as_ref(), &world.data.keyring, &card.outlet.id, &IssueMode::Current).unwrap();
    let qr_text = issued.payload.to_qr_text(&format!("http://{}", world.addr));
    let content = PlacardContent::from_card(card, &qr_text, issued.payload.serial);
    let svg = outlet_placard::render_svg(&content, Layout::Wall).unwrap();
    let png = outlet_placard::render_png(&svg, 3.0).unwrap();
    image::load_from_memory(&png).unwrap().to_luma8()
}

/// Renders a plain QR code of `text`, as someone else's sticker would carry.
fn plain_qr(text: &str) -> GrayImage {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).unwrap();
    code.render::<Luma<u8>>().min_dimensions(360, 360).build()
}

/// Places the pictures side by side, left to right, on a white background.
fn side_by_side(pictures: &[GrayImage]) -> GrayImage {
    let width = pictures.iter().map(|p| p.width() + GAP_PX).sum::<u32>() + GAP_PX;
    let height = pictures.iter().map(GrayImage::height).max().unwrap() + 2 * GAP_PX;
    let mut view = GrayImage::from_pixel(width, height, Luma([255]));
    let mut x = GAP_PX;
    for picture in pictures {
        image::imageops::overlay(&mut view, picture, i64::from(x), i64::from(GAP_PX));
        x += picture.width() + GAP_PX;
    }
    view
}

/// Places the placard, 180 px wide, on a 640 × 480 grey frame. At that size the decoder finds the
/// code's finder patterns but cannot read its modules.
// NOTE: the decoder's hint depends on the exact size. When this was written it read the code from
// 220 px up, gave no hint at 172, 186 and 205 px, and gave "move closer" at 176 to 184 px.
fn far_away(placard: &GrayImage) -> GrayImage {
    let small = image::imageops::resize(placard, 180, 180 * placard.height() / placard.width(), image::imageops::FilterType::Lanczos3);
    let mut frame = GrayImage::from_pixel(640, 480, Luma([150]));
    image::imageops::overlay(&mut frame, &small, 200, 180);
    frame
}

fn png(picture: &GrayImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    picture.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

/// Scales a picture down to at most 800 px on its longest side, as the camera script does.
fn camera_frame(picture: &GrayImage) -> Event {
    let scale = 800.0 / f64::from(picture.width().max(picture.height()));
    let width = (f64::from(picture.width()) * scale).round() as u32;
    let height = (f64::from(picture.height()) * scale).round() as u32;
    let frame = image::imageops::resize(picture, width, height, image::imageops::FilterType::Triangle);
    Event::Frame { width, height, luma: frame.into_raw() }
}

fn notices_of(world: &World, msg: Msg) -> Vec<String> {
    world.core.model().notices.iter().filter(|notice| notice.msg == msg).map(|notice| notice.text(Lang::Zh)).collect()
}

#[tokio::test]
async fn placard_opens_and_foreign_code_named() {
    let mut world = World::new().await;
    let card = demo::demo_cards().remove(0);
    world.send(Event::Start).await;
    let foreign_text = "https://example.com/menu?table=12";
    let view = side_by_side(&[plain_qr(foreign_text), genuine_placard(&world, &card)]);

    let model = world.send(Event::Photo(png(&view))).await;

    assert_eq!(model.screen, Screen::Card);
    let shown = model.card.expect("a card");
    assert_eq!(shown.cached.card.outlet.id, card.outlet.id);
    assert_eq!(shown.check, PlacardCheck::Genuine);
    let foreign = notices_of(&world, Msg::ForeignCodeBeside);
    assert_eq!(foreign, [Msg::ForeignCodeBeside.fill(Lang::Zh, &[foreign_text])]);
    assert!(notices_of(&world, Msg::ForeignCode).is_empty(), "the view held a placard, so no code is reported alone");
}

#[tokio::test]
async fn signed_placard_wins_over_bare_id() {
    let mut world = World::new().await;
    let cards = demo::demo_cards();
    let (bare_card, placard_card) = (&cards[1], &cards[0]);
    world.send(Event::Start).await;
    let view = side_by_side(&[plain_qr(&bare_card.outlet.id.to_string()), genuine_placard(&world, placard_card)]);

    let model = world.send(Event::Photo(png(&view))).await;

    let shown = model.card.expect("a card");
    assert_eq!(shown.cached.card.outlet.id, placard_card.outlet.id);
    assert_eq!(shown.check, PlacardCheck::Genuine);
}

#[tokio::test]
async fn bare_id_wins_over_foreign_code() {
    let mut world = World::new().await;
    let card = demo::demo_cards().remove(2);
    world.send(Event::Start).await;
    let view = side_by_side(&[plain_qr("WIFI:T:WPA;S:guest;P:12345678;;"), plain_qr(&card.outlet.id.to_string())]);

    let model = world.send(Event::Photo(png(&view))).await;

    let shown = model.card.expect("a card");
    assert_eq!(shown.cached.card.outlet.id, card.outlet.id);
    assert_eq!(shown.check, PlacardCheck::Unverified);
    assert_eq!(notices_of(&world, Msg::ForeignCodeBeside).len(), 1);
}

#[tokio::test]
async fn only_foreign_codes_named() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    let view = side_by_side(&[plain_qr("https://example.com/a"), plain_qr("https://example.com/b")]);

    let model = world.send(Event::Photo(png(&view))).await;

    assert_eq!(model.screen, Screen::Scan);
    let mut foreign = notices_of(&world, Msg::ForeignCode);
    foreign.sort();
    let expected = [Msg::ForeignCode.fill(Lang::Zh, &["https://example.com/a"]), Msg::ForeignCode.fill(Lang::Zh, &["https://example.com/b"])];
    assert_eq!(foreign, expected);
    assert_eq!(world.core.model().notices.last().unwrap().level, NoticeLevel::Warning);
}

#[tokio::test]
async fn camera_frame_opens_card_and_stops_camera() {
    let mut world = World::new().await;
    let card = demo::demo_cards().remove(0);
    world.send(Event::Start).await;
    let placard = genuine_placard(&world, &card);
    world.core.set_frame_budget(UNLIMITED_BUDGET);

    let model = world.send(Event::StartCamera).await;
    assert!(model.scan.camera_on);

    let blank = GrayImage::from_pixel(640, 480, Luma([128]));
    let model = world.send(camera_frame(&blank)).await;
    assert_eq!(model.scan.frames_decoded, 1);
    assert_eq!(model.screen, Screen::Scan);
    assert!(model.scan.camera_on, "a frame without a code keeps the camera running");

    let model = world.send(camera_frame(&placard)).await;
    assert_eq!(model.scan.frames_decoded, 2);
    assert_eq!(model.screen, Screen::Card);
    assert_eq!(model.card.expect("a card").check, PlacardCheck::Genuine);
    assert!(!model.scan.camera_on, "the camera stops once the card opened");
}

#[tokio::test]
async fn far_placard_gives_move_closer() {
    let mut world = World::new().await;
    let card = demo::demo_cards().remove(0);
    world.send(Event::Start).await;
    let far = far_away(&genuine_placard(&world, &card));
    // Every step of the decoder runs, so the outcome depends on the picture alone.
    world.core.set_frame_budget(UNLIMITED_BUDGET);
    world.send(Event::StartCamera).await;

    let model = world.send(Event::Frame { width: 640, height: 480, luma: far.into_raw() }).await;

    assert_eq!(model.screen, Screen::Scan);
    assert_eq!(model.scan.hint, Some(FrameHint::MoveCloser));
    assert_eq!(model.scan.hint_message(), Some(Msg::MoveCloser));
    let model = world.send(Event::StopCamera).await;
    assert_eq!(model.scan.hint, None, "a stopped camera shows no hint");
}

#[tokio::test]
async fn hint_held_for_some_frames() {
    let mut world = World::new().await;
    let card = demo::demo_cards().remove(0);
    world.send(Event::Start).await;
    let far = far_away(&genuine_placard(&world, &card));
    let blank = GrayImage::from_pixel(640, 480, Luma([150]));
    world.core.set_frame_budget(UNLIMITED_BUDGET);
    world.send(Event::StartCamera).await;
    world.send(Event::Frame { width: 640, height: 480, luma: far.into_raw() }).await;

    for frame in 1..HINT_HOLD_FRAMES {
        let model = world.send(Event::Frame { width: 640, height: 480, luma: blank.as_raw().clone() }).await;
        assert_eq!(model.scan.hint, Some(FrameHint::MoveCloser), "hint cleared after {frame} frames without one");
    }
    let model = world.send(Event::Frame { width: 640, height: 480, luma: blank.into_raw() }).await;
    assert_eq!(model.scan.hint, None);
}

#[tokio::test]
async fn frame_ignored_while_camera_off() {
    let mut world = World::new().await;
    let card = demo::demo_cards().remove(0);
    world.send(Event::Start).await;
    let placard = genuine_placard(&world, &card);

    let model = world.send(camera_frame(&placard)).await;

    assert_eq!(model.screen, Screen::Scan, "a frame that arrives after the camera stopped opens nothing");
    assert_eq!(model.scan.frames_decoded, 0);
}

#[tokio::test]
async fn leaving_scan_screen_stops_camera() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    world.send(Event::StartCamera).await;

    let model = world.send(Event::Navigate(Screen::Outbox)).await;
    assert!(!model.scan.camera_on);

    world.send(Event::Navigate(Screen::Scan)).await;
    world.send(Event::StartCamera).await;
    let model = world.send(Event::StopCamera).await;
    assert!(!model.scan.camera_on);

    world.send(Event::StartCamera).await;
    let model = world.send(Event::CameraFailed("NotAllowedError: Permission denied".into())).await;
    assert!(!model.scan.camera_on);
    assert_eq!(model.notices.last().unwrap().msg, Msg::CameraUnavailable);
}

#[tokio::test]
async fn typed_id_stops_camera() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    world.send(Event::StartCamera).await;

    let model = world.send(Event::ManualEntry(demo::demo_cards()[0].outlet.id.to_string())).await;

    assert_eq!(model.screen, Screen::Card);
    assert!(!model.scan.camera_on);
}
