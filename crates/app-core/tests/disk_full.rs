//! The disk fills while the officer saves: a device process whose file-size limit (RLIMIT_FSIZE) is
//! just above its store's size keeps attaching photos and editing until a save fails. The officer
//! must get a clear message, the screen must show only what is stored, and everything saved before
//! must stay readable and still sync.

mod common;

use std::io::Cursor;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};

use common::child;
use common::device::{open_device, send, start_inspection, Server};
use common::world::complete_inspection_edits;
use outlet_app_core::{open_store, Core, DraftEdit, Event, NoticeLevel, PlatformKv};
use outlet_core::i18n::{Lang, Msg};
use outlet_core::inspection::{InspectionDraft, MAX_FINDING_CHARS};
use outlet_store::{OutboxEntry, OutboxState, PhotoSync};
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

const TEST_NAME: &str = "full_disk_keeps_saved_work";
const ROLE: &str = "full-disk-device";
const DEVICE_DIR_VAR: &str = "OUTLET_TEST_DEVICE_DIR";
const SERVER_URL_VAR: &str = "OUTLET_TEST_SERVER_URL";
const REPORT_VAR: &str = "OUTLET_TEST_REPORT";

/// Room left above the store's largest file, in bytes: a few photos' worth.
const HEADROOM_BYTES: u64 = 2 * 1024 * 1024;

/// Saves the child tries before it gives up on reaching the limit. Each photo adds about 1 MB.
const MAX_SAVES: usize = 40;

/// Edits of the longest finding (4000 characters) tried after the first failure.
// NOTE: sled 0.34.7 keeps the first I/O error of a database as its global error and returns it
// from every later operation until the database is opened again. So these edits fail even when
// they would fit, and they would fail after space is freed too.
const EDITS_AFTER_FAILURE: usize = 5;

/// What the child device saw when its saves started failing.
#[derive(Debug, Serialize, Deserialize)]
struct Report {
    /// The draft on the screen at the end.
    shown_draft: Option<InspectionDraft>,
    notices: Vec<NoticeSeen>,
    /// Saves that succeeded.
    saves: usize,
    /// The failed saves, in order.
    failures: Vec<Failure>,
    /// Panic messages seen in any thread of the child.
    panics: Vec<String>,
}

/// One failed save.
#[derive(Debug, Serialize, Deserialize)]
struct Failure {
    /// "photo" or "edit".
    kind: String,
    /// True when the draft on the screen stayed as it was before the failed save.
    shown_unchanged: bool,
    /// True when an error notice was added or was already the newest one.
    reported: bool,
}

/// A notice as the child showed it; `level` and `msg` in their `Debug` form.
#[derive(Debug, Serialize, Deserialize)]
struct NoticeSeen {
    level: String,
    msg: String,
    args: Vec<String>,
    text: String,
}

/// Encodes a photo of random pixels, different for each `seed`. Noise does not compress, so the
/// app keeps about 1 MB for it (a JPEG, stored as base64).
fn noise_photo(seed: u64) -> Vec<u8> {
    let mut pixels = vec![0u8; 800 * 600 * 3];
    StdRng::seed_from_u64(seed).fill_bytes(&mut pixels);
    let image = image::RgbImage::from_raw(800, 600, pixels).expect("the buffer fits the size");
    let mut bytes = Vec::new();
    image.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

/// Size in bytes of the largest file under `dir`, which RLIMIT_FSIZE applies to.
fn largest_file(dir: &Path) -> u64 {
    let mut largest = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        largest = largest.max(if meta.is_dir() { largest_file(&entry.path()) } else { meta.len() });
    }
    largest
}

#[test]
fn full_disk_keeps_saved_work() {
    if child::role().as_deref() == Some(ROLE) {
        return run_full_device();
    }

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = runtime.block_on(Server::start());
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("device");
    let report_path = work.path().join("report.json");
    let log = work.path().join("child.log");
    let outlets: Vec<String> = outlet_server::demo::demo_cards().iter().take(4).map(|card| card.outlet.id.to_string()).collect();

    let (drafts_before, record_before) = runtime.block_on(save_earlier_work(&dir, &server.url(), &outlets));
    let limit = largest_file(&dir) + HEADROOM_BYTES;

    let mut command = child::command(TEST_NAME, ROLE, &log);
    command.env(DEVICE_DIR_VAR, &dir).env(SERVER_URL_VAR, server.url()).env(REPORT_VAR, &report_path);
    // SAFETY: setrlimit and signal are async-signal-safe, and the closure touches no other state.
    unsafe {
        command.pre_exec(move || {
            let rlimit = libc::rlimit { rlim_cur: limit, rlim_max: limit };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Ignored, a write past the limit fails with EFBIG instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    child::run_to_success(command, &log);

    let text = std::fs::read_to_string(&report_path).unwrap_or_else(|e| panic!("the child wrote no report ({e}); its output:\n{}", child::log_excerpt(&log)));
    let report: Report = serde_json::from_str(&text).unwrap();
    eprintln!("limit {limit} bytes: {} saves, failures {:?}; notices: {:?}", report.saves, report.failures, report.notices);
    assert!(report.panics.is_empty(), "the child panicked: {:?}", report.panics);
    assert!(!report.failures.is_empty(), "no save failed in {MAX_SAVES} tries under a limit of {limit} bytes; notices: {:?}", report.notices);
    for failure in &report.failures {
        assert!(failure.shown_unchanged, "a failed {} save changed the draft on the screen", failure.kind);
        assert!(failure.reported, "a {} save failed without an error notice", failure.kind);
    }
    let errors: Vec<&NoticeSeen> = report.notices.iter().filter(|notice| notice.level == "Error").collect();
    let storage_full = format!("{:?}", Msg::StorageFull);
    assert!(errors.iter().all(|notice| notice.msg == storage_full), "a failed save was not reported as a full disk (Msg::StorageFull); error notices: {errors:?}");

    runtime.block_on(check_after_restart(&dir, &server, &report, &drafts_before, &record_before));
}

/// Saves two drafts and a finalized record with a photo, as the store's content before the disk
/// fills, then opens the store once more. Returns the drafts and the record as stored.
///
/// sled 0.34.7 extends its log file to a whole segment (8 MiB here) when it opens a store. So the
/// store's size is taken after a reopen, because a limit below that fails the child's open, not a save.
async fn save_earlier_work(dir: &Path, server_url: &str, outlets: &[String]) -> (Vec<InspectionDraft>, OutboxEntry) {
    let mut core = open_device(dir, server_url).await;
    for (number, outlet) in outlets[..2].iter().enumerate() {
        start_inspection(&mut core, outlet).await;
        send(&mut core, Event::Draft(DraftEdit::Place(format!("{}号排放口", number + 1)))).await;
        send(&mut core, Event::Draft(DraftEdit::Finding("检查进行中".into()))).await;
    }

    start_inspection(&mut core, &outlets[2]).await;
    send(&mut core, Event::AttachPhoto(noise_photo(1))).await;
    for edit in complete_inspection_edits() {
        send(&mut core, edit).await;
    }
    let model = send(&mut core, Event::Finalize).await;
    assert_eq!(model.outbox.len(), 1, "the record was not finalized: {:?}", model.notices);
    assert_eq!(model.drafts.len(), 2, "two drafts stay open");
    assert_eq!(model.outbox[0].photo_count, 1);
    drop(core);

    drop(open_device(dir, server_url).await);
    (model.drafts, model.outbox[0].clone())
}

/// Opens the store in this process, which has no file-size limit, and checks it against what the
/// child showed and what was saved before. Then sends the record.
async fn check_after_restart(dir: &Path, server: &Server, report: &Report, drafts_before: &[InspectionDraft], record_before: &OutboxEntry) {
    let store = open_store(dir).await.expect("the store opens after the disk filled");
    let drafts = store.drafts().await.expect("the drafts read after the disk filled");
    let outbox = store.outbox().await.expect("the outbox reads after the disk filled");

    for before in drafts_before {
        let after = drafts.iter().find(|draft| draft.id == before.id).unwrap_or_else(|| panic!("earlier draft {} is lost", before.id));
        assert_eq!(after, before, "earlier draft {} changed", before.id);
    }
    assert_eq!(outbox, vec![record_before.clone()], "the finalized record changed");

    let shown = report.shown_draft.as_ref().expect("a draft was shown when the save failed");
    let stored = drafts.iter().find(|draft| draft.id == shown.id).unwrap_or_else(|| panic!("the shown draft {} is not stored", shown.id));
    assert_eq!(stored, shown, "the screen showed a draft other than the one stored");
    for photo in &shown.photos {
        let bytes = store.photo(&photo.sha256).await.unwrap_or_else(|e| panic!("photo {} of the shown draft: {e}", photo.sha256));
        assert!(bytes.is_some(), "photo {} of the shown draft is not stored", photo.sha256);
    }
    drop(store);

    let mut core = open_device(dir, &server.url()).await;
    let model = send(&mut core, Event::Sync).await;
    let entry = &model.outbox[0];
    assert!(matches!(entry.state, OutboxState::Acknowledged(_)), "the record was not acknowledged: {:?}; notices: {:?}", entry.state, model.notices);
    assert_eq!(entry.photos, PhotoSync::Complete, "the record's photo did not reach the server");
    let on_server = server.data.store.inspection(entry.frozen.id).unwrap().expect("the server stored the record");
    assert_eq!(on_server.record.as_bytes(), record_before.frozen.bytes.as_slice());
}

/// Whether a save went to the store.
enum Saved {
    Yes,
    No(Failure),
}

/// Handles `event`, which changes the open draft when its save succeeds, and returns whether it
/// was saved. A save counts as failed when it added an error notice or left the draft as it was.
async fn save(core: &mut Core<PlatformKv>, event: Event, kind: &str) -> Saved {
    let errors = |core: &Core<PlatformKv>| core.model().notices.iter().filter(|notice| notice.level == NoticeLevel::Error).count();
    let errors_before = errors(core);
    let shown_before = core.model().draft.clone();

    send(core, event).await;
    let new_error = errors(core) > errors_before;
    let shown_unchanged = core.model().draft == shown_before;
    if !new_error && !shown_unchanged {
        return Saved::Yes;
    }
    // A notice equal to the newest one is not repeated, so a second failure in a row shows no new one.
    let reported = new_error || core.model().notices.last().is_some_and(|notice| notice.level == NoticeLevel::Error);
    Saved::No(Failure { kind: kind.into(), shown_unchanged, reported })
}

/// Runs the child's role: under the file-size limit, starts a draft and alternately attaches a photo and
/// edits the finding until a save fails, then writes what it showed to the report.
fn run_full_device() {
    let dir = PathBuf::from(child::var(DEVICE_DIR_VAR));
    let server_url = child::var(SERVER_URL_VAR);
    let report_path = PathBuf::from(child::var(REPORT_VAR));

    let panics = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = panics.clone();
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        seen.lock().unwrap().push(info.to_string());
        default_hook(info);
    }));

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut report = runtime.block_on(async {
        let mut core = open_device(&dir, &server_url).await;
        let outlet = outlet_server::demo::demo_cards()[3].outlet.id.to_string();
        start_inspection(&mut core, &outlet).await;

        let mut saves = 0;
        let mut failures = Vec::new();
        for step in 0..MAX_SAVES {
            let (event, kind) = if step % 2 == 0 {
                (Event::AttachPhoto(noise_photo(100 + step as u64)), "photo")
            } else {
                (Event::Draft(DraftEdit::Finding(format!("第{step}次编辑"))), "edit")
            };
            match save(&mut core, event, kind).await {
                Saved::Yes => saves += 1,
                Saved::No(failure) => {
                    failures.push(failure);
                    break;
                }
            }
        }

        // The officer keeps working after the message. Each later save may fit or fail, and the
        // screen must still show only what was stored.
        if !failures.is_empty() {
            for step in 0..EDITS_AFTER_FAILURE {
                let finding = format!("{step:04}").repeat(MAX_FINDING_CHARS / 4);
                match save(&mut core, Event::Draft(DraftEdit::Finding(finding)), "edit").await {
                    Saved::Yes => saves += 1,
                    Saved::No(failure) => failures.push(failure),
                }
            }
        }

        let model = core.model().clone();
        let notices = model
            .notices
            .iter()
            .map(|notice| NoticeSeen { level: format!("{:?}", notice.level), msg: format!("{:?}", notice.msg), args: notice.args.clone(), text: notice.text(Lang::Zh) })
            .collect();
        drop(core);
        Report { shown_draft: model.draft, notices, saves, failures, panics: Vec::new() }
    });

    report.panics = panics.lock().unwrap().clone();
    std::fs::write(&report_path, serde_json::to_string(&report).unwrap()).unwrap();
}

