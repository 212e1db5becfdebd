//! Crash safety of inspection records: a device process that drafts, finalizes and sends records
//! against the real server on 127.0.0.1 is killed with SIGKILL 200 times, and its sled folder is then
//! checked record by record.
//!
//! The child device appends a line to a journal and fsyncs it after each edit returns, so the journal
//! is a lower bound of what the store must contain. Phase lines in the same journal tell the parent what
//! the child was doing, which lets it aim kills at each phase.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use common::child;
use common::device::{open_device, send, start_inspection, Server};
use common::world::{complete_inspection_edits, DEMO_OFFICER};
use data_encoding::BASE64;
use outlet_app_core::{open_store, DraftEdit, Event};
use outlet_core::inspection::{sha256_hex, Acknowledgement, InspectionDraft, Location};
use outlet_store::OutboxState;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

const TEST_NAME: &str = "sigkill_200_times_loses_nothing";
const ROLE: &str = "crash-device";
const DEVICE_DIR_VAR: &str = "OUTLET_TEST_DEVICE_DIR";
const SERVER_URL_VAR: &str = "OUTLET_TEST_SERVER_URL";
const JOURNAL_VAR: &str = "OUTLET_TEST_JOURNAL";

const KILLS: usize = 200;

/// Seed of the kill schedule, fixed so that a failing schedule can be run again.
const SEED: u64 = 0x0005_c4a5;

/// Exclusive upper bound of the random number of edit lines a kill aimed at drafting waits for. A
/// new draft takes 18 edits of [`edit_plan`], or 14 once the app remembers the last officers.
const MAX_EDITS_BEFORE_KILL: usize = 14;

/// Maximum wait for the child to reach the phase a kill aims at. Only a hung or failed child takes
/// this long.
const PHASE_TIMEOUT: Duration = Duration::from_secs(60);

/// What the child device is doing, per the last phase line of its journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    /// Opening the store, which recovers it after the last kill, and loading the login. Before its
    /// phase line the child is still starting up and has not touched the store.
    Opening,
    /// Starting or continuing a draft and editing it.
    Drafting,
    Finalizing,
    Syncing,
}

impl Phase {
    const ALL: [Phase; 4] = [Phase::Opening, Phase::Drafting, Phase::Finalizing, Phase::Syncing];

    fn name(self) -> &'static str {
        match self {
            Phase::Opening => "opening",
            Phase::Drafting => "drafting",
            Phase::Finalizing => "finalizing",
            Phase::Syncing => "syncing",
        }
    }

    fn parse(name: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|phase| phase.name() == name)
    }

    /// Range of the random delay, in microseconds, before the kill: from the chosen edit's journal
    /// line for drafting, and from the phase line otherwise. A kill that lands in a later phase
    /// counts under that phase, and the test prints the counts.
    fn kill_delay_micros(self) -> std::ops::Range<u64> {
        match self {
            Phase::Opening => 0..60_000,
            Phase::Drafting => 0..3_000,
            Phase::Finalizing => 0..8_000,
            Phase::Syncing => 0..20_000,
        }
    }
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Phase(Phase),
    /// Edit `number` (from 1, in [`edit_plan`] order) of draft `id` returned saved.
    Edit { id: Uuid, number: usize },
}

impl Entry {
    fn parse(line: &str) -> Entry {
        let fields: Vec<&str> = line.split(' ').collect();
        match fields.as_slice() {
            ["phase", name] => Entry::Phase(Phase::parse(name).unwrap_or_else(|| panic!("unknown phase in journal line {line:?}"))),
            ["edit", id, number] => Entry::Edit {
                id: id.parse().unwrap_or_else(|e| panic!("journal line {line:?} has no draft id: {e}")),
                number: number.parse().unwrap_or_else(|e| panic!("journal line {line:?} has no edit number: {e}")),
            },
            _ => panic!("journal line {line:?} is neither a phase nor an edit"),
        }
    }
}

/// The child's side of the journal.
struct Journal {
    file: File,
}

impl Journal {
    fn open(path: &Path) -> Journal {
        let file = OpenOptions::new().create(true).append(true).open(path).unwrap_or_else(|e| panic!("journal {} does not open: {e}", path.display()));
        Journal { file }
    }

    /// Announces a phase. Not fsynced: the parent reads it from the page cache, which a killed
    /// process does not lose.
    fn phase(&mut self, phase: Phase) {
        self.file.write_all(format!("phase {}\n", phase.name()).as_bytes()).expect("journal write");
    }

    /// Records that edit `number` of draft `id` was saved, and fsyncs it before the next edit.
    fn edit(&mut self, id: Uuid, number: usize) {
        self.file.write_all(format!("edit {id} {number}\n").as_bytes()).expect("journal write");
        self.file.sync_data().expect("journal fsync");
    }
}

/// The parent's side of the journal: reads the lines the child appended since the last call.
struct JournalTail {
    path: PathBuf,
    /// Open once the child created the journal; each read continues where the last one ended.
    file: Option<File>,
    partial: String,
}

impl JournalTail {
    fn new(path: PathBuf) -> JournalTail {
        JournalTail { path, file: None, partial: String::new() }
    }

    /// Returns the complete lines appended since the last call. A line without its newline yet
    /// waits for the next call.
    fn read_new(&mut self) -> Vec<Entry> {
        if self.file.is_none() {
            self.file = File::open(&self.path).ok();
        }
        let Some(file) = &mut self.file else { return Vec::new() };
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        self.partial.push_str(std::str::from_utf8(&bytes).expect("the journal is ASCII, so reads never split a character"));

        let Some(end) = self.partial.rfind('\n') else { return Vec::new() };
        let complete: String = self.partial.drain(..=end).collect();
        complete.lines().map(Entry::parse).collect()
    }

    /// Removes and returns the line a killed child left without its newline. A kill can cut a
    /// write short where the line crosses a page of the page cache, and the next child would append
    /// to the fragment. Call it only while no child runs, after [`JournalTail::read_new`].
    fn cut_torn_line(&mut self) -> Option<String> {
        if self.partial.is_empty() {
            return None;
        }
        let file = self.file.as_mut().expect("a torn line was read from the open journal");
        let end = file.stream_position().unwrap() - self.partial.len() as u64;
        OpenOptions::new().write(true).open(&self.path).unwrap().set_len(end).unwrap();
        file.seek(SeekFrom::Start(end)).unwrap();
        Some(std::mem::take(&mut self.partial))
    }
}

/// A child process that is killed and reaped if the test ends early.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Returns the edits of every draft, in order: a place, then what completes a draft for finalizing.
fn edit_plan() -> Vec<DraftEdit> {
    let mut plan = vec![DraftEdit::Place("厂区东侧排放口".into())];
    for event in complete_inspection_edits() {
        let Event::Draft(edit) = event else { panic!("the completing edits hold a non-edit event: {event:?}") };
        plan.push(edit);
    }
    plan
}

/// Returns true when `draft` contains what `edit` sets. Only the kinds of edit in [`edit_plan`] are known.
fn is_applied(draft: &InspectionDraft, edit: &DraftEdit) -> bool {
    match edit {
        DraftEdit::Place(place) => &draft.place == place,
        DraftEdit::OfficerName { index, name } => draft.officers.get(*index).is_some_and(|officer| &officer.name == name),
        DraftEdit::OfficerBadge { index, badge_no } => draft.officers.get(*index).is_some_and(|officer| &officer.badge_no == badge_no),
        DraftEdit::Answer { item, answer } => draft.answer(*item) == Some(*answer),
        DraftEdit::NoFixReason(reason) => draft.location == Some(Location::NoFix { reason: reason.clone() }),
        DraftEdit::Finding(text) => &draft.finding == text,
        DraftEdit::PartySigned { .. } => matches!(draft.acknowledgement, Some(Acknowledgement::Signed { .. })),
        other => panic!("the crash test cannot check an edit of this kind: {other:?}"),
    }
}

#[test]
fn sigkill_200_times_loses_nothing() {
    if child::role().as_deref() == Some(ROLE) {
        return run_device();
    }

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = runtime.block_on(Server::start());
    let work = tempfile::tempdir().unwrap();
    let device_dir = work.path().join("device");
    let journal_path = work.path().join("journal");
    let log = work.path().join("child.log");

    let kills = kill_repeatedly(&server.url(), &device_dir, &journal_path, &log);
    for phase in Phase::ALL {
        assert!(kills.get(&phase).copied().unwrap_or(0) > 0, "no kill landed while {}; kills by phase: {kills:?}", phase.name());
    }

    let journaled = journaled_edits(&journal_path);
    runtime.block_on(check_store(&device_dir, &journaled, &server));
    runtime.block_on(check_final_sync(&device_dir, &server));
}

/// Starts the child device `KILLS` times and kills each with SIGKILL, aiming the kills at each
/// phase in turn. Returns how many kills landed in each phase.
fn kill_repeatedly(server_url: &str, device_dir: &Path, journal_path: &Path, log: &Path) -> BTreeMap<Phase, usize> {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut tail = JournalTail::new(journal_path.to_path_buf());
    let mut kills = BTreeMap::new();

    for kill in 0..KILLS {
        // The last kill aims at drafting, so the checks after the loop likely meet an open draft too.
        let aim = if kill == KILLS - 1 { Phase::Drafting } else { Phase::ALL[kill % Phase::ALL.len()] };
        let delay = Duration::from_micros(rng.random_range(aim.kill_delay_micros()));
        let edits_before_kill = if aim == Phase::Drafting { rng.random_range(0..MAX_EDITS_BEFORE_KILL) } else { 0 };

        let mut command = child::command(TEST_NAME, ROLE, log);
        command.env(DEVICE_DIR_VAR, device_dir).env(SERVER_URL_VAR, server_url).env(JOURNAL_VAR, journal_path);
        let mut process = KillOnDrop(command.spawn().expect("the test binary starts as a child"));

        let mut phase = Phase::Opening;
        let mut reached = false;
        let mut edits_seen = 0;
        let started = Instant::now();
        loop {
            for entry in tail.read_new() {
                match entry {
                    Entry::Phase(next) => {
                        phase = next;
                        reached |= next == aim;
                    }
                    Entry::Edit { .. } if reached => edits_seen += 1,
                    Entry::Edit { .. } => {}
                }
            }
            // A draft with fewer edits left than chosen moves on to finalizing, which ends the wait.
            if reached && (edits_seen >= edits_before_kill || phase != aim) {
                break;
            }
            if let Some(status) = process.0.try_wait().unwrap() {
                panic!("kill {kill}: the child device exited on its own ({status}); its output:\n{}", child::log_excerpt(log));
            }
            assert!(started.elapsed() < PHASE_TIMEOUT, "kill {kill}: the child device did not reach {} in {PHASE_TIMEOUT:?}; its output:\n{}", aim.name(), child::log_excerpt(log));
            std::thread::sleep(Duration::from_micros(500));
        }
        std::thread::sleep(delay);

        process.0.kill().expect("SIGKILL is sent to the child");
        let status = process.0.wait().unwrap();
        assert_eq!(status.signal(), Some(libc::SIGKILL), "kill {kill}: the child device ended before the kill ({status}); its output:\n{}", child::log_excerpt(log));

        for entry in tail.read_new() {
            if let Entry::Phase(next) = entry {
                phase = next;
            }
        }
        if let Some(torn) = tail.cut_torn_line() {
            eprintln!("kill {kill} cut the journal line {torn:?} short; it was removed");
        }
        *kills.entry(phase).or_insert(0) += 1;
    }
    eprintln!("kills by phase: {kills:?}");
    kills
}

/// Returns the highest edit number journaled for each draft.
fn journaled_edits(journal_path: &Path) -> HashMap<Uuid, usize> {
    let mut edits = HashMap::new();
    for entry in JournalTail::new(journal_path.to_path_buf()).read_new() {
        if let Entry::Edit { id, number } = entry {
            let highest = edits.entry(id).or_insert(0);
            *highest = number.max(*highest);
        }
    }
    edits
}

/// Checks the killed device's store: whole, signed records in an unbroken chain, and no journaled
/// edit lost.
async fn check_store(device_dir: &Path, journaled: &HashMap<Uuid, usize>, server: &Server) {
    let store = open_store(device_dir).await.expect("the device store opens after 200 kills");
    let outbox = store.outbox().await.expect("the outbox reads after 200 kills");
    let drafts = store.drafts().await.expect("the drafts read after 200 kills");
    let identity: serde_json::Value = store.setting("device_key").await.expect("the settings read").expect("the device key is stored");
    drop(store);
    assert!(!outbox.is_empty(), "no record was finalized in {KILLS} runs of the device");

    let device_id: Uuid = serde_json::from_value(identity["device_id"].clone()).expect("the device key names its device id");
    let secret: [u8; 32] = BASE64.decode(identity["secret_key"].as_str().unwrap_or_default().as_bytes()).ok().and_then(|bytes| bytes.try_into().ok()).expect("the device's secret key is 32 bytes of base64");
    let public_key = BASE64.encode(ed25519_dalek::SigningKey::from_bytes(&secret).verifying_key().as_bytes());
    let registered = server.data.store.device_key(DEMO_OFFICER, device_id).unwrap().expect("the server registered the device key");
    assert_eq!(registered.public_key, public_key, "the server holds the device's own public key");

    let mut previous_sha256: Option<String> = None;
    for (index, entry) in outbox.iter().enumerate() {
        let frozen = &entry.frozen;
        let record = frozen.record().unwrap_or_else(|e| panic!("record {} is not a whole InspectionRecord: {e}", frozen.id));
        assert_eq!(sha256_hex(&frozen.bytes), frozen.sha256, "record {} bytes do not match their SHA-256", frozen.id);
        frozen.verify(&public_key).unwrap_or_else(|e| panic!("record {} signature: {e}", frozen.id));
        assert_eq!(record.id, frozen.id);
        assert_eq!(record.device_id, device_id, "record {} names another device", frozen.id);

        let expected_seq = index as u64 + 1;
        assert_eq!(entry.device_seq, expected_seq, "outbox entry {} is out of the chain's order", frozen.id);
        assert_eq!(record.device_seq, expected_seq, "record {} bytes carry another device_seq", frozen.id);
        assert_eq!(record.previous_sha256, previous_sha256, "record {} (device_seq {expected_seq}) does not name the previous record", frozen.id);
        previous_sha256 = Some(frozen.sha256.clone());
    }

    let finalized: HashSet<Uuid> = outbox.iter().map(|entry| entry.frozen.id).collect();
    let plan = edit_plan();
    for (id, number) in journaled {
        if finalized.contains(id) {
            continue;
        }
        let draft = drafts.iter().find(|draft| draft.id == *id).unwrap_or_else(|| panic!("draft {id} is lost: journaled up to edit {number}, but neither a draft nor in the outbox"));
        for (index, edit) in plan.iter().enumerate().take(*number) {
            assert!(is_applied(draft, edit), "draft {id} lost edit {} of the {number} journaled: {edit:?}", index + 1);
        }
    }
    eprintln!("after {KILLS} kills: {} records in the outbox, {} drafts, {} drafts journaled", outbox.len(), drafts.len(), journaled.len());
}

/// Sends the outbox in this process and checks that the server stores exactly its records, each once.
async fn check_final_sync(device_dir: &Path, server: &Server) {
    let mut core = open_device(device_dir, &server.url()).await;
    let model = send(&mut core, Event::Sync).await;
    let outbox = &model.outbox;

    for entry in outbox {
        assert!(matches!(entry.state, OutboxState::Acknowledged(_)), "record {} not acknowledged after the final sync: {:?}; notices: {:?}", entry.frozen.id, entry.state, model.notices);
        let stored = server.data.store.inspection(entry.frozen.id).unwrap().unwrap_or_else(|| panic!("the server lacks record {}", entry.frozen.id));
        assert_eq!(stored.record.as_bytes(), entry.frozen.bytes.as_slice(), "the server holds other bytes for record {}", entry.frozen.id);
    }
    assert_eq!(server.data.store.inspection_count().unwrap(), outbox.len(), "the server holds records that are not in the outbox, or lacks some");

    let device_id = outbox[0].frozen.device_id;
    let chain = server.data.store.device_chain(device_id).unwrap();
    let seqs: Vec<u64> = chain.iter().map(|link| link.device_seq).collect();
    let expected: Vec<u64> = (1..=outbox.len() as u64).collect();
    assert_eq!(seqs, expected, "the server's chain of the device is not 1..={}", outbox.len());
}

/// Runs the child's role: drafts, finalizes and sends records in a loop until it is killed.
fn run_device() {
    let device_dir = PathBuf::from(child::var(DEVICE_DIR_VAR));
    let server_url = child::var(SERVER_URL_VAR);
    let mut journal = Journal::open(Path::new(&child::var(JOURNAL_VAR)));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();

    runtime.block_on(async {
        journal.phase(Phase::Opening);
        let mut core = open_device(&device_dir, &server_url).await;
        let outlets: Vec<String> = outlet_server::demo::demo_cards().iter().take(3).map(|card| card.outlet.id.to_string()).collect();
        let plan = edit_plan();
        loop {
            journal.phase(Phase::Drafting);
            let id = match core.model().drafts.first() {
                Some(draft) => {
                    let id = draft.id;
                    send(&mut core, Event::OpenDraft(id)).await;
                    id
                }
                None => {
                    let outlet = &outlets[core.model().outbox.len() % outlets.len()];
                    start_inspection(&mut core, outlet).await
                }
            };
            for (index, edit) in plan.iter().enumerate() {
                let open = core.model().draft.as_ref().unwrap_or_else(|| panic!("draft {id} is not open: {:?}", core.model().notices));
                if is_applied(open, edit) {
                    continue;
                }
                let model = send(&mut core, Event::Draft(edit.clone())).await;
                let saved = model.draft.as_ref().is_some_and(|draft| draft.id == id && is_applied(draft, edit));
                assert!(saved, "edit {} of draft {id} was not saved: {edit:?}; notices: {:?}", index + 1, model.notices);
                journal.edit(id, index + 1);
            }

            journal.phase(Phase::Finalizing);
            let model = send(&mut core, Event::Finalize).await;
            let queued = model.draft.is_none() && model.outbox.iter().any(|entry| entry.frozen.id == id);
            assert!(queued, "draft {id} was not finalized; notices: {:?}", model.notices);

            journal.phase(Phase::Syncing);
            send(&mut core, Event::Sync).await;
        }
    });
}

/// A kill while sled 0.34.7 writes a snapshot leaves `snap.<lsn>.generating`, empty or cut short,
/// because sled renames the file to `snap.<lsn>` only after writing and syncing it. sled lists the
/// leftover among the snapshots at the next open, reads it as the newest one and fails with "Read
/// corrupted data". The SIGKILL test above hits this only now and then (5 of about 70 runs on a
/// 2-core machine), after a kill while the store is being opened, so this test makes the leftover
/// file directly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupted_snapshot_write_still_opens() {
    let server = Server::start().await;
    let device = tempfile::tempdir().unwrap();
    let dir = device.path();

    let mut core = open_device(dir, &server.url()).await;
    start_inspection(&mut core, &outlet_server::demo::demo_cards()[0].outlet.id.to_string()).await;
    for edit in complete_inspection_edits() {
        send(&mut core, edit).await;
    }
    let finalized = send(&mut core, Event::Finalize).await.outbox;
    assert_eq!(finalized.len(), 1, "the record was not finalized");
    drop(core);

    // Opening again replays the log and writes a snapshot of it.
    drop(open_store(dir).await.expect("the store opens again"));

    for case in ["empty", "cut short"] {
        let snapshot = snapshot_file(dir);
        let lsn = u64::from_str_radix(snapshot.file_name().unwrap().to_str().unwrap().trim_start_matches("snap."), 16).expect("sled names snapshots snap.<16 hex digits>");
        let mut bytes = std::fs::read(&snapshot).unwrap();
        bytes.truncate(if case == "empty" { 0 } else { bytes.len() / 2 });
        let leftover = dir.join(format!("snap.{:016X}.generating", lsn + 1));
        std::fs::write(&leftover, bytes).unwrap();

        let store = open_store(dir).await.unwrap_or_else(|e| panic!("the store does not open beside the leftover {} ({case}): {e}", leftover.display()));
        let outbox = store.outbox().await.expect("the outbox reads");
        assert_eq!(outbox, finalized, "the outbox changed beside a leftover snapshot ({case})");
        drop(store);
        let _ = std::fs::remove_file(&leftover);
    }
}

/// Returns the path of the one finished sled snapshot in `dir`.
fn snapshot_file(dir: &Path) -> PathBuf {
    let snapshots: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.starts_with("snap.") && !name.ends_with(".generating")))
        .collect();
    assert_eq!(snapshots.len(), 1, "one sled snapshot is expected in {}: {snapshots:?}", dir.display());
    snapshots[0].clone()
}
