//! The full inspection record through the app core, against the real server on 127.0.0.1 and a
//! real sled folder: premarks from the cached card, several outlets, measurements, the party's
//! refusal with a witness, the location rules, photos, the device chain and corrections.

mod common;

use std::sync::{Arc, Mutex};

use common::World;
use outlet_app_core::clock::Clock;
use outlet_app_core::{DraftEdit, Event, Model, NoticeLevel, Screen};
use outlet_core::checklist::{Answer, ChecklistItem};
use outlet_core::inspection::{Acknowledgement, InspectionRecord, Location, MeasureMethod, PremarkReason};
use outlet_core::Msg;
use outlet_server::demo;
use outlet_store::OutboxState;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// A clock the test moves by hand.
#[derive(Clone)]
struct HandClock(Arc<Mutex<OffsetDateTime>>);

impl HandClock {
    fn at(now: OffsetDateTime) -> Self {
        Self(Arc::new(Mutex::new(now)))
    }

    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for HandClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

/// The paper mill's DW001: in the demo data its monitor is offline and its latest COD reading
/// exceeds the permit.
fn paper_mill_outlet() -> String {
    demo::demo_cards()[3].outlet.id.to_string()
}

fn power_plant(index: usize) -> String {
    demo::demo_cards()[index].outlet.id.to_string()
}

fn record(model: &Model, index: usize) -> InspectionRecord {
    model.outbox[index].frozen.record().expect("the frozen bytes decode")
}

async fn fill(world: &mut World) {
    for event in common::world::complete_inspection_edits() {
        world.send(event).await;
    }
}

#[tokio::test]
async fn premarks_from_card_wait_for_confirmation() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    world.send(Event::ManualEntry(paper_mill_outlet())).await;

    let model = world.send(Event::StartInspection).await;

    let draft = model.draft.as_ref().unwrap();
    let monitoring = draft.answers.iter().find(|a| a.item == ChecklistItem::AutomaticMonitoring).unwrap();
    assert!(matches!(monitoring.premark.as_ref().unwrap().reason, PremarkReason::MonitorDown { .. }));
    assert_eq!(monitoring.answer, None, "a premark is not an answer");
    let limits = draft.answers.iter().find(|a| a.item == ChecklistItem::WithinLimits).unwrap();
    let Some(PremarkReason::Exceedance { pollutant, value, .. }) = limits.premark.as_ref().map(|p| &p.reason) else { panic!("{limits:?}") };
    assert_eq!((pollutant.as_str(), *value), ("化学需氧量", 96.0));

    // Filling answers everything "complies": the officer overrides the premark on purpose.
    fill(&mut world).await;
    world.send(Event::Draft(DraftEdit::Answer { item: ChecklistItem::WithinLimits, answer: Answer::DoesNotComply })).await;
    let model = world.send(Event::Finalize).await;

    assert_eq!(model.screen, Screen::Outbox, "{:?}", model.notices);
    let record = record(&model, 0);
    assert_eq!(record.answer(ChecklistItem::WithinLimits).unwrap().answer, Answer::DoesNotComply);
    assert_eq!(record.answer(ChecklistItem::AutomaticMonitoring).unwrap().answer, Answer::Complies);
}

#[tokio::test]
async fn several_outlets_measurements_and_refusal_with_witness() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    world.send(Event::ManualEntry(power_plant(1))).await;
    world.send(Event::ManualEntry(power_plant(0))).await;
    world.send(Event::StartInspection).await;
    fill(&mut world).await;

    let model = world.send(Event::Draft(DraftEdit::AddOutlet(power_plant(1)))).await;
    let draft = model.draft.as_ref().unwrap();
    assert_eq!(draft.outlets.len(), 2);
    let monitoring = draft.answers.iter().find(|a| a.item == ChecklistItem::AutomaticMonitoring).unwrap();
    assert_eq!(monitoring.answer, Some(Answer::Complies), "an answered item keeps its answer");

    world.send(Event::Draft(DraftEdit::AddOutlet(paper_mill_outlet()))).await;
    assert_eq!(world.core.model().notices.last().unwrap().msg, Msg::OutletOfOtherPermit);
    assert_eq!(world.core.model().draft.as_ref().unwrap().outlets.len(), 2);

    world.send(Event::Draft(DraftEdit::AddMeasurement)).await;
    let mut measurement = world.core.model().draft.as_ref().unwrap().measurements[0].clone();
    measurement.outlet = power_plant(1).parse().unwrap();
    measurement.pollutant = "二氧化硫".into();
    measurement.value = "36.5".into();
    measurement.unit = "mg/m³".into();
    measurement.method = MeasureMethod::Sampling { sample_no: "YP-20261204-01".into() };
    world.send(Event::Draft(DraftEdit::Measurement { index: 0, measurement })).await;
    world.send(Event::Draft(DraftEdit::AddViolation(36))).await;
    world.send(Event::Draft(DraftEdit::ViolationNote { index: 0, note: "在线监测设备故障未报告".into() })).await;

    world.send(Event::Draft(DraftEdit::PartyRefused("当事人认为监测数据有误".into()))).await;
    world.send(Event::Draft(DraftEdit::WitnessName("张见证".into()))).await;
    let strokes = vec![vec![(5.0, 5.0), (60.0, 40.0), (90.0, 10.0)]];
    world.send(Event::Draft(DraftEdit::WitnessSigned { strokes, width: 100.0, height: 50.0 })).await;
    let model = world.send(Event::Finalize).await;

    assert_eq!(model.screen, Screen::Outbox, "{:?}", model.notices);
    let record = record(&model, 0);
    assert_eq!(record.outlets.len(), 2);
    assert_eq!(record.measurements[0].value, 36.5);
    assert_eq!(record.suspected_violations[0].article, 36);
    let Acknowledgement::Refused { reason, witness: Some(witness) } = &record.acknowledgement else { panic!("{:?}", record.acknowledgement) };
    assert_eq!((reason.as_str(), witness.name.as_str()), ("当事人认为监测数据有误", "张见证"));
    assert_eq!(record.recorder().unwrap().name, "林执法");

    let model = world.send(Event::Sync).await;
    assert!(matches!(model.outbox[0].state, OutboxState::Acknowledged(_)), "{:?}", model.outbox[0].state);
    assert_eq!(world.data.store.inspection_count().unwrap(), 1);
}

#[tokio::test]
async fn chain_links_records_and_officers_are_remembered() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    for outlet in [power_plant(0), power_plant(1)] {
        world.send(Event::ManualEntry(outlet)).await;
        world.send(Event::StartInspection).await;
        fill(&mut world).await;
        world.send(Event::Finalize).await;
    }

    world.send(Event::ManualEntry(power_plant(2))).await;
    let model = world.send(Event::StartInspection).await;

    let names: Vec<&str> = model.draft.as_ref().unwrap().officers.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["林执法", "陈执法"], "the last record's officers are offered again");
    let (first, second) = (record(&model, 0), record(&model, 1));
    assert_eq!((first.device_seq, second.device_seq), (1, 2));
    assert_eq!(first.previous_sha256, None);
    assert_eq!(second.previous_sha256.as_deref(), Some(model.outbox[0].frozen.sha256.as_str()));
    assert_eq!(first.device_id, second.device_id);
}

#[tokio::test]
async fn stale_fix_is_not_reused_silently() {
    let mut world = World::new().await;
    let clock = HandClock::at(datetime!(2026-12-05 09:00 +8));
    world.core.set_clock(Arc::new(clock.clone()));
    world.send(Event::Start).await;
    world.send(Event::ManualEntry(power_plant(0))).await;
    world.send(Event::Position { latitude: 26.0802, longitude: 119.3401, accuracy_m: 12.0 }).await;

    clock.advance(Duration::minutes(11));
    let model = world.send(Event::StartInspection).await;
    assert_eq!(model.draft.as_ref().unwrap().location, None, "an 11-minute-old fix is not taken");

    let model = world.send(Event::Draft(DraftEdit::UseCurrentFix)).await;
    assert_eq!(model.draft.as_ref().unwrap().location, None);
    let notice = model.notices.last().unwrap();
    assert_eq!((notice.level, notice.msg), (NoticeLevel::Error, Msg::FixTooOld));

    world.send(Event::Position { latitude: 26.0803, longitude: 119.3402, accuracy_m: 8.0 }).await;
    let model = world.send(Event::Draft(DraftEdit::UseCurrentFix)).await;
    let Some(Location::Fix { point, accuracy_m, fixed_at, .. }) = &model.draft.as_ref().unwrap().location else { panic!() };
    assert_eq!((point.latitude, *accuracy_m, *fixed_at), (26.0803, 8.0, datetime!(2026-12-05 09:11 +8)));
}

#[tokio::test]
async fn correction_names_the_record_it_amends() {
    let mut world = World::new().await;
    world.send(Event::Start).await;
    world.send(Event::ManualEntry(power_plant(0))).await;
    world.send(Event::StartInspection).await;
    fill(&mut world).await;
    let model = world.send(Event::Finalize).await;
    let original = model.outbox[0].frozen.clone();

    let model = world.send(Event::StartCorrection(original.id)).await;
    assert_eq!(model.screen, Screen::Inspection);
    assert_eq!(model.draft.as_ref().unwrap().acknowledgement, None, "the party signs the correction anew");
    world.send(Event::Draft(DraftEdit::Finding("更正：排放口标志牌位置已核实。".into()))).await;
    let strokes = vec![vec![(10.0, 10.0), (90.0, 40.0)]];
    world.send(Event::Draft(DraftEdit::PartySigned { strokes, width: 100.0, height: 50.0 })).await;
    let model = world.send(Event::Finalize).await;

    assert_eq!(model.outbox.len(), 2);
    let amended = record(&model, 1);
    assert_eq!(amended.amends.as_ref().map(|a| (a.id, a.sha256.as_str())), Some((original.id, original.sha256.as_str())));
    assert_eq!(model.outbox[0].frozen, original, "the amended record itself never changes");
}

#[tokio::test]
async fn photo_scaled_hashed_or_rejected() {
    let mut world = World::new().await;
    let clock = HandClock::at(datetime!(2026-12-05 10:00 +8));
    world.core.set_clock(Arc::new(clock));
    world.send(Event::Start).await;
    world.send(Event::ManualEntry(power_plant(0))).await;
    world.send(Event::Position { latitude: 26.0802, longitude: 119.3401, accuracy_m: 12.0 }).await;
    world.send(Event::StartInspection).await;

    let picture = image::RgbImage::from_fn(3000, 1500, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8]));
    let mut jpeg = Vec::new();
    picture.write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg).unwrap();
    let model = world.send(Event::AttachPhoto(jpeg.clone())).await;

    let photos = &model.draft.as_ref().unwrap().photos;
    assert_eq!(photos.len(), 1, "{:?}", model.notices);
    assert_eq!(photos[0].taken_at, Some(datetime!(2026-12-05 10:00 +8)), "no EXIF time: the device's time");
    assert_eq!(photos[0].position.map(|p| p.latitude), Some(26.0802));

    let model = world.send(Event::AttachPhoto(jpeg)).await;
    assert_eq!(model.draft.as_ref().unwrap().photos.len(), 1, "the same photo is listed once");

    let model = world.send(Event::AttachPhoto(b"not a photo at all".to_vec())).await;
    assert_eq!(model.draft.as_ref().unwrap().photos.len(), 1);
    assert_eq!(model.notices.last().unwrap().msg, Msg::PhotoNotAttached);

    fill(&mut world).await;
    world.send(Event::Finalize).await;
    let model = world.send(Event::Sync).await;
    assert!(model.all_synced(), "{:?}", model.outbox);
    let sha256 = data_encoding::HEXLOWER.decode(record(&model, 0).photos[0].sha256.as_bytes()).unwrap();
    let stored = world.data.store.photo(&sha256.try_into().unwrap()).unwrap().expect("the server holds the photo");
    let decoded = image::load_from_memory(&stored).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (2000, 1000), "scaled to the 2000 px long side on the device");
}
