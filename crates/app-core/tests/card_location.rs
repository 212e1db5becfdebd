//! The card's location check through the app core: the demo power plant's DA001 is opened by typed
//! id from the real server on 127.0.0.1 with a real sled folder, and position fixes arrive as the
//! platform would send them.

mod common;

use common::World;
use outlet_app_core::position::{LocationCheck, PositionError, DEFAULT_PLACARD_RADIUS_M};
use outlet_app_core::{open_store, Core, Event, Model};
use outlet_core::Msg;
use outlet_sync::SyncClient;
use outlet_server::demo;

/// About 1 km north of DA001 (26.0802 N, 119.3401 E).
const ONE_KM_NORTH: (f64, f64) = (26.0892, 119.3401);

async fn open_power_plant(world: &mut World) -> Model {
    world.send(Event::ManualEntry(demo::demo_cards()[0].outlet.id.to_string())).await
}

fn location(model: &Model) -> LocationCheck {
    model.card.as_ref().expect("a card is shown").location.clone()
}

fn one_km_north(accuracy_m: f64) -> Event {
    Event::Position { latitude: ONE_KM_NORTH.0, longitude: ONE_KM_NORTH.1, accuracy_m }
}

#[tokio::test]
async fn fix_one_km_away_warns() {
    let mut world = World::new().await;
    let model = open_power_plant(&mut world).await;
    assert_eq!(location(&model), LocationCheck::Pending);

    let model = world.send(one_km_north(20.0)).await;

    let LocationCheck::Measured(distance) = location(&model) else { panic!("no distance: {:?}", location(&model)) };
    assert!((distance.metres - 1000.8).abs() < 1.0, "{}", distance.metres);
    assert_eq!(distance.accuracy_m, 20.0);
    assert_eq!(distance.radius_m, DEFAULT_PLACARD_RADIUS_M);
    assert!(distance.beyond_radius);
    world.network_off().await;
}

#[tokio::test]
async fn wider_radius_clears_warning() {
    let mut world = World::new().await;
    open_power_plant(&mut world).await;
    world.send(one_km_north(20.0)).await;

    world.core.set_placard_radius(2000.0).unwrap();

    let LocationCheck::Measured(distance) = location(world.core.model()) else { panic!("no distance") };
    assert!(!distance.beyond_radius);
    assert!(distance.within_radius);
    assert_eq!(world.core.model().settings.placard_radius_m, 2000.0);
}

#[tokio::test]
async fn invalid_radius_rejected() {
    let mut world = World::new().await;

    assert_eq!(world.core.set_placard_radius(0.0), Err(PositionError::InvalidRadius(0.0)));
    assert!(world.core.set_placard_radius(f64::NAN).is_err());
    assert_eq!(world.core.model().settings.placard_radius_m, DEFAULT_PLACARD_RADIUS_M);
}

#[tokio::test]
async fn fix_before_card_used_on_open() {
    let mut world = World::new().await;
    world.send(one_km_north(20.0)).await;

    let model = open_power_plant(&mut world).await;

    assert!(matches!(location(&model), LocationCheck::Measured(distance) if distance.beyond_radius));
}

#[tokio::test]
async fn unavailable_without_fix_shows_reason() {
    let mut world = World::new().await;
    open_power_plant(&mut world).await;

    let model = world.send(Event::PositionUnavailable("1: User denied Geolocation".into())).await;

    assert_eq!(location(&model), LocationCheck::Unavailable("1: User denied Geolocation".into()));
}

#[tokio::test]
async fn fresh_fix_kept_after_failures() {
    let mut world = World::new().await;
    open_power_plant(&mut world).await;
    world.send(one_km_north(20.0)).await;

    let after_timeout = world.send(Event::PositionUnavailable("3: Timeout expired".into())).await;
    let after_invalid = world.send(Event::Position { latitude: 200.0, longitude: 119.3, accuracy_m: 5.0 }).await;

    assert!(matches!(location(&after_timeout), LocationCheck::Measured(_)));
    assert!(matches!(location(&after_invalid), LocationCheck::Measured(_)), "an invalid fix must not replace a valid one");
    let reason = after_invalid.position_unavailable.expect("the invalid fix is reported");
    assert!(reason.contains("latitude 200"), "{reason}");
}

#[tokio::test]
async fn radius_setting_survives_restart() {
    let world = World::new().await;
    let device_dir = tempfile::tempdir().unwrap();
    let device = || async {
        let mut core = Core::new(open_store(device_dir.path()).await.unwrap(), SyncClient::new(&format!("http://{}", world.addr)));
        common::world::log_in(&mut core).await;
        core
    };

    {
        let mut core = device().await;
        core.handle(Event::Start, &mut |_| {}).await;
        core.handle(Event::SetPlacardRadius("2000".into()), &mut |_| {}).await;
        assert_eq!(core.model().settings.placard_radius_m, 2000.0);
        assert_eq!(core.model().notices.last().unwrap().msg, Msg::RadiusSaved);

        core.handle(Event::SetPlacardRadius("两千".into()), &mut |_| {}).await;
        assert_eq!(core.model().notices.last().unwrap().msg, Msg::InvalidRadius);
        assert_eq!(core.model().notices.last().unwrap().args, ["两千"]);
        assert_eq!(core.model().settings.placard_radius_m, 2000.0, "a bad value changes nothing");
    }

    let mut core = device().await;
    core.handle(Event::Start, &mut |_| {}).await;
    assert_eq!(core.model().settings.placard_radius_m, 2000.0);
    core.handle(Event::ManualEntry(demo::demo_cards()[0].outlet.id.to_string()), &mut |_| {}).await;
    core.handle(one_km_north(20.0), &mut |_| {}).await;

    let LocationCheck::Measured(distance) = location(core.model()) else { panic!("no distance") };
    assert!(!distance.beyond_radius, "1 km is inside the saved 2 km radius");
}
