//! Dates of an inspection started at 07:30 on a device in Asia/Shanghai (UTC+08:00), when the UTC
//! date is still the day before. The draft, the stored draft, the finalized record and its PDF must
//! all carry the local date, and reopening the draft must not restamp its time.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::child;
use common::device::{open_device, send, start_inspection, Server};
use common::world::complete_inspection_edits;
use outlet_app_core::clock::FixedClock;
use outlet_app_core::{open_store, DraftEdit, Event};
use outlet_core::inspection::InspectionDraft;
use time::macros::{datetime, offset};
use time::{Duration, OffsetDateTime};

/// 07:30 in Shanghai, which is 23:30 on 4 December in UTC.
// NOTE: the login's expiry comes from the server's real clock, and the device ends a login whose
// expiry its own clock has passed. So the machine clock must read later than this instant minus the
// token lifetime, or the fixed clock finds the login expired.
const STARTED: OffsetDateTime = datetime!(2026-12-05 07:30 +08:00);

/// The local date as record numbers carry it.
const LOCAL_DATE: &str = "20261205";

/// The local date as the printed record writes it.
const PRINTED_DATE: &str = "2026年12月05日";

const SYSTEM_CLOCK_TEST: &str = "system_clock_in_shanghai_dates_draft";
const ROLE: &str = "shanghai-device";
const DEVICE_DIR_VAR: &str = "OUTLET_TEST_DEVICE_DIR";
const SERVER_URL_VAR: &str = "OUTLET_TEST_SERVER_URL";
const REPORT_VAR: &str = "OUTLET_TEST_REPORT";

fn outlet() -> String {
    outlet_server::demo::demo_cards()[0].outlet.id.to_string()
}

/// Checks that `draft` is the one started at [`STARTED`] with the record number `record_no`.
fn assert_started_at_0730(draft: &InspectionDraft, record_no: &str, when: &str) {
    assert_eq!(draft.started_at, STARTED, "{when}: started_at moved");
    assert_eq!(draft.started_at.offset(), offset!(+8), "{when}: started_at lost the device's offset");
    assert_eq!(draft.record_no, record_no, "{when}: record_no changed");
}

/// Reads the one draft stored in `dir`.
async fn stored_draft(dir: &Path) -> InspectionDraft {
    let store = open_store(dir).await.expect("the device store opens");
    let mut drafts = store.drafts().await.expect("the drafts read");
    assert_eq!(drafts.len(), 1, "one draft is stored: {drafts:?}");
    drafts.remove(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shanghai_0730_keeps_local_date() {
    let server = Server::start().await;
    let device = tempfile::tempdir().unwrap();
    let dir = device.path();

    let mut core = open_device(dir, &server.url()).await;
    core.set_clock(Arc::new(FixedClock(STARTED)));
    let id = start_inspection(&mut core, &outlet()).await;
    let shown = core.model().draft.clone().unwrap();
    assert_eq!(shown.started_at.date(), STARTED.date(), "the shown date is the local date, not the UTC date 2026-12-04");
    assert_eq!((shown.started_at.hour(), shown.started_at.minute()), (7, 30));
    assert_eq!(shown.started_at.offset(), offset!(+8));
    assert!(shown.record_no.contains(LOCAL_DATE), "record_no {} lacks the local date {LOCAL_DATE}", shown.record_no);
    let record_no = shown.record_no.clone();
    drop(core);

    let stored = stored_draft(dir).await;
    assert_eq!(stored.id, id);
    assert_started_at_0730(&stored, &record_no, "stored");

    // Each reopening happens an hour later on the device's clock, from 08:30 (00:30 UTC, the next UTC
    // date) on, so a draft restamped on opening or saving would show it.
    for reopening in 1..=5 {
        let mut core = open_device(dir, &server.url()).await;
        core.set_clock(Arc::new(FixedClock(STARTED + Duration::hours(reopening))));
        let reopened = start_inspection(&mut core, &outlet()).await;
        assert_eq!(reopened, id, "reopening {reopening} continued another draft");
        let finding = format!("第{reopening}次打开后保存");
        let model = send(&mut core, Event::Draft(DraftEdit::Finding(finding.clone()))).await;
        let shown = model.draft.as_ref().unwrap();
        assert_eq!(shown.finding, finding, "reopening {reopening}: the edit was not saved: {:?}", model.notices);
        assert_started_at_0730(shown, &record_no, &format!("reopening {reopening}, shown"));
        drop(core);

        let stored = stored_draft(dir).await;
        assert_eq!(stored.finding, finding);
        assert_started_at_0730(&stored, &record_no, &format!("reopening {reopening}, stored"));
    }

    let mut core = open_device(dir, &server.url()).await;
    core.set_clock(Arc::new(FixedClock(STARTED + Duration::hours(6))));
    start_inspection(&mut core, &outlet()).await;
    for edit in complete_inspection_edits() {
        send(&mut core, edit).await;
    }
    let model = send(&mut core, Event::Finalize).await;
    let entry = model.outbox.iter().find(|entry| entry.frozen.id == id).unwrap_or_else(|| panic!("the draft was not finalized: {:?}", model.notices));
    let record = entry.frozen.record().unwrap();
    assert_eq!(record.record_no, record_no);
    assert_eq!(record.started_at, STARTED);
    assert_eq!(record.utc_offset_minutes, 480);
    assert_eq!(record.local_start().date(), STARTED.date(), "the record's local start date");
    assert_eq!((record.local_start().hour(), record.local_start().minute()), (7, 30));

    let exports = tempfile::tempdir().unwrap();
    core.set_export_dir(exports.path().to_path_buf());
    let model = send(&mut core, Event::ExportPdf(id)).await;
    let exported = model.exported_pdf.as_ref().unwrap_or_else(|| panic!("no PDF was exported: {:?}", model.notices));
    let text = pdf_text(&exported.path);
    assert!(text.contains(PRINTED_DATE), "the PDF lacks the local date {PRINTED_DATE}; its text:\n{text}");
    assert!(!text.contains("2026年12月04日"), "the PDF shows the UTC date 2026年12月04日; its text:\n{text}");
}

/// Extracts the text of a PDF with pdftotext (poppler-utils).
fn pdf_text(path: &Path) -> String {
    let output = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext did not run ({e}); install poppler-utils to check the PDF's text"));
    assert!(output.status.success(), "pdftotext failed on {}: {}", path.display(), String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("pdftotext writes UTF-8")
}

/// Runs a device with `TZ=Asia/Shanghai` and the system clock in a child process, since the time
/// zone is read per process, and checks the draft it starts, as shown there and as stored.
#[test]
fn system_clock_in_shanghai_dates_draft() {
    if child::role().as_deref() == Some(ROLE) {
        return run_shanghai_device();
    }

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = runtime.block_on(Server::start());
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("device");
    let report = work.path().join("draft.json");
    let log = work.path().join("child.log");

    let before = OffsetDateTime::now_utc();
    let mut command = child::command(SYSTEM_CLOCK_TEST, ROLE, &log);
    command.env("TZ", "Asia/Shanghai").env(DEVICE_DIR_VAR, &dir).env(SERVER_URL_VAR, server.url()).env(REPORT_VAR, &report);
    child::run_to_success(command, &log);
    let after = OffsetDateTime::now_utc();

    let text = std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("the child wrote no report to {}: {e}", report.display()));
    let shown: InspectionDraft = serde_json::from_str(&text).unwrap();
    assert_eq!(shown.started_at.offset(), offset!(+8), "the system clock under TZ=Asia/Shanghai");
    assert!(shown.started_at >= before, "started_at {} is before the child started", shown.started_at);
    assert!(shown.started_at <= after, "started_at {} is after the child ended", shown.started_at);
    let local_date = shown.started_at.date();
    let digits = format!("{:04}{:02}{:02}", local_date.year(), u8::from(local_date.month()), local_date.day());
    assert!(shown.record_no.contains(&digits), "record_no {} lacks the local date {digits}", shown.record_no);

    // This process may run in another zone; the stored draft keeps the offset it was started with.
    let stored = runtime.block_on(stored_draft(&dir));
    assert_eq!(stored.id, shown.id);
    assert_eq!(stored.started_at, shown.started_at);
    assert_eq!(stored.started_at.offset(), offset!(+8));
    assert_eq!(stored.record_no, shown.record_no);
}

/// Runs the child's role: starts a draft with the system clock and writes it, as shown, to the report.
fn run_shanghai_device() {
    let dir = PathBuf::from(child::var(DEVICE_DIR_VAR));
    let server_url = child::var(SERVER_URL_VAR);
    let report = PathBuf::from(child::var(REPORT_VAR));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

    runtime.block_on(async {
        let mut core = open_device(&dir, &server_url).await;
        start_inspection(&mut core, &outlet()).await;
        let draft = core.model().draft.clone().unwrap();
        std::fs::write(&report, serde_json::to_string(&draft).unwrap()).unwrap();
    });
}
