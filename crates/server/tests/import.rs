//! Importing registries into a store (see `common::backend`): round trip of the demo registry,
//! idempotent re-import, a newer permit version, dry runs, all-or-nothing and skipped rows.

mod common;

use std::path::{Path, PathBuf};

use outlet_core::card::{LimitValue, OnlineStatus};
use outlet_core::i18n::Lang;
use outlet_core::OutletCard;
use outlet_registry::read_registry;
use outlet_registry::write::write_registry;
use outlet_server::demo::{demo_cards, seed, synthetic_cards};
use outlet_server::import::{import_registry, CardChange, ImportError, ImportOptions};
use common::backend::Backend;
use outlet_server::store::ServerStore;

const APPLY: ImportOptions = ImportOptions { dry_run: false, skip_invalid: false };

/// The demo cards as a registry gives them back: version 0, monitors not yet reporting.
fn as_registered(cards: &[OutletCard]) -> Vec<OutletCard> {
    let mut cards = cards.to_vec();
    for card in &mut cards {
        card.version = 0;
        for monitor in &mut card.monitors {
            monitor.status = OnlineStatus::Offline;
            monitor.last_seen = None;
            monitor.latest.clear();
            monitor.hourly.clear();
        }
    }
    cards
}

fn write(dir: &Path, name: &str, cards: &[OutletCard]) -> PathBuf {
    let folder = dir.join(name);
    write_registry(&folder, Lang::Zh, cards).unwrap();
    folder
}

fn stored_cards(store: &dyn ServerStore) -> Vec<OutletCard> {
    store.cards().unwrap()
}

#[test]
fn demo_registry_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let folder = write(dir.path(), "demo", &demo_cards());

    let registry = read_registry(&[folder]);

    assert!(registry.problems.is_empty(), "{:#?}", registry.problems);
    assert_eq!(registry.cards, as_registered(&demo_cards()));
}

#[test]
fn demo_registry_into_seeded_store_changes_nothing() {
    let backend = Backend::new();
    let store = backend.store();
    seed(&*store).unwrap();
    let before = stored_cards(&*store);
    let folder = write(backend.path(), "demo", &demo_cards());

    let summary = import_registry(&*store, read_registry(&[folder]), APPLY).unwrap();

    assert_eq!(summary.unchanged, 5);
    assert_eq!((summary.added, summary.updated, summary.removed), (0, 0, 0));
    assert_eq!(stored_cards(&*store), before, "versions and monitor readings are kept");
}

#[test]
fn second_import_changes_nothing() {
    let backend = Backend::new();
    let store = backend.store();
    let folder = write(backend.path(), "synthetic", &synthetic_cards(30));

    let first = import_registry(&*store, read_registry(std::slice::from_ref(&folder)), APPLY).unwrap();
    let after_first = stored_cards(&*store);
    let second = import_registry(&*store, read_registry(&[folder]), APPLY).unwrap();

    assert_eq!(first.added, 30);
    assert_eq!(second.unchanged, 30);
    assert_eq!((second.added, second.updated, second.removed), (0, 0, 0));
    assert!(second.changes.is_empty());
    assert_eq!(stored_cards(&*store), after_first);
    assert!(after_first.iter().all(|card| card.version == 1));
}

/// The demo cards with the power plant's permit at version 2: a stricter SO₂ limit on DA001 and
/// the coal-yard outlet DA003 dropped.
fn newer_permit_version() -> Vec<OutletCard> {
    let mut cards = demo_cards();
    cards.retain(|card| card.outlet.id.to_string() != "91350100MA2XY0012B001P-DA003");
    for card in cards.iter_mut().filter(|card| card.permit.permit_no.as_str() == "91350100MA2XY0012B001P") {
        card.permit.version = 2;
    }
    cards[0].limits[1].committed = Some(LimitValue::Numeric { value: 30.0, unit: "mg/m³".into() });
    cards
}

#[test]
fn newer_permit_version_updates_and_removes() {
    let backend = Backend::new();
    let store = backend.store();
    let first = write(backend.path(), "v1", &demo_cards());
    import_registry(&*store, read_registry(&[first]), APPLY).unwrap();
    let da001 = "91350100MA2XY0012B001P-DA001".parse().unwrap();
    let mut with_placard = store.card(&da001).unwrap().unwrap();
    with_placard.placard_serial = Some(3);
    store.put_card(&with_placard).unwrap();
    let second = write(backend.path(), "v2", &newer_permit_version());

    let summary = import_registry(&*store, read_registry(&[second]), APPLY).unwrap();

    assert_eq!((summary.updated, summary.removed, summary.unchanged, summary.added), (2, 1, 2, 0));
    assert!(summary.changes.contains(&CardChange::Removed("91350100MA2XY0012B001P-DA003".parse().unwrap())));
    let updated = store.card(&da001).unwrap().unwrap();
    assert_eq!(updated.version, 2);
    assert_eq!(updated.permit.version, 2);
    assert_eq!(updated.placard_serial, Some(3), "the placard serial survives the import");
    assert_eq!(updated.limits[1].committed, Some(LimitValue::Numeric { value: 30.0, unit: "mg/m³".into() }));
    assert_eq!(store.card(&"91350100MA2XY0012B001P-DA003".parse().unwrap()).unwrap(), None);
    assert_eq!(store.card(&"91350100MA3KP00285001P-DW001".parse().unwrap()).unwrap().unwrap().version, 1);
}

#[test]
fn dry_run_writes_nothing() {
    let backend = Backend::new();
    let store = backend.store();
    let first = write(backend.path(), "v1", &demo_cards());
    import_registry(&*store, read_registry(&[first]), APPLY).unwrap();
    let before = stored_cards(&*store);
    let second = write(backend.path(), "v2", &newer_permit_version());

    let options = ImportOptions { dry_run: true, skip_invalid: false };
    let summary = import_registry(&*store, read_registry(&[second]), options).unwrap();

    assert_eq!((summary.updated, summary.removed), (2, 1), "the dry run reports the changes");
    assert_eq!(stored_cards(&*store), before);
}

/// Writes the demo registry with the paper mill's COD limit made negative.
fn demo_with_invalid_row(dir: &Path) -> PathBuf {
    let folder = write(dir, "invalid", &newer_permit_version());
    let limits = folder.join("limits.csv");
    let text = std::fs::read_to_string(&limits).unwrap();
    assert!(text.contains(",w01018,90,"), "the fixture row exists");
    std::fs::write(&limits, text.replace(",w01018,90,", ",w01018,-90,")).unwrap();
    folder
}

#[test]
fn invalid_row_imports_nothing() {
    let backend = Backend::new();
    let store = backend.store();
    let first = write(backend.path(), "v1", &demo_cards());
    import_registry(&*store, read_registry(&[first]), APPLY).unwrap();
    let before = stored_cards(&*store);

    let result = import_registry(&*store, read_registry(&[demo_with_invalid_row(backend.path())]), APPLY);

    assert!(matches!(result, Err(ImportError::InvalidRows { count: 1 })), "{result:?}");
    assert_eq!(stored_cards(&*store), before);
}

#[test]
fn skip_invalid_imports_the_valid_permits() {
    let backend = Backend::new();
    let store = backend.store();
    let first = write(backend.path(), "v1", &demo_cards());
    import_registry(&*store, read_registry(&[first]), APPLY).unwrap();
    let paper_mill = "91350100MA3KP00285001P-DW001".parse().unwrap();
    let paper_before = store.card(&paper_mill).unwrap();

    let options = ImportOptions { dry_run: false, skip_invalid: true };
    let summary = import_registry(&*store, read_registry(&[demo_with_invalid_row(backend.path())]), options).unwrap();

    assert_eq!((summary.updated, summary.removed), (2, 1), "the power plant's new version is imported");
    assert_eq!(summary.skipped_rows, 16, "the paper mill's unit, permit, outlet, 6 limits, 4 duties, monitor and 2 records");
    assert_eq!(store.card(&paper_mill).unwrap(), paper_before, "the paper mill is left as stored");
}

#[test]
fn unplaceable_invalid_row_removes_nothing() {
    let backend = Backend::new();
    let store = backend.store();
    let first = write(backend.path(), "v1", &demo_cards());
    import_registry(&*store, read_registry(&[first]), APPLY).unwrap();
    let folder = write(backend.path(), "v2", &newer_permit_version());
    let monitoring = folder.join("monitoring.csv");
    let text = std::fs::read_to_string(&monitoring).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines.push(",DW001,总氮,手工,否,1次/月,HJ 636-2012".into());
    std::fs::write(&monitoring, lines.join("\n")).unwrap();

    let options = ImportOptions { dry_run: false, skip_invalid: true };
    let summary = import_registry(&*store, read_registry(&[folder]), options).unwrap();

    assert_eq!(summary.removed, 0, "a row without permit number may belong to any permit");
    assert!(store.card(&"91350100MA2XY0012B001P-DA003".parse().unwrap()).unwrap().is_some());
}
