//! The view state the UI renders and the events it may send.

use outlet_core::api::AccountInfo;
use outlet_core::checklist::{Answer, ChecklistItem};
use outlet_core::i18n::{format_age, Lang, Msg};
use outlet_core::inspection::{DraftMeasurement, InspectionDraft, Officer, TaskType};
use outlet_scan::FrameHint;
use outlet_store::{CachedCard, OutboxEntry, OutboxState};
use uuid::Uuid;

use crate::position::{LocationCheck, PositionFix, DEFAULT_PLACARD_RADIUS_M};
use crate::session::Password;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    #[default]
    Scan,
    Card,
    Inspection,
    Outbox,
    Package,
    /// Shown while there is no valid login; the other screens need one.
    Login,
}

/// The offline package as the package screen shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageView {
    pub region: outlet_core::Region,
    /// Changes stored by the current or last download.
    pub downloaded: u64,
    /// Changes the server had pending when that download started.
    pub pending_total: Option<u64>,
    /// Estimated seconds left, from the rate so far.
    pub eta_secs: Option<u64>,
    /// True while pages are still being fetched.
    pub running: bool,
    /// True when the last download stopped on a network failure; it resumes from its saved cursor.
    pub interrupted: bool,
    /// True once the whole package was downloaded at least once.
    pub complete: bool,
    pub updated_at: time::OffsetDateTime,
    pub cached_cards: usize,
}

impl PackageView {
    pub(crate) fn idle(state: &outlet_store::PackageState, cached_cards: usize) -> Self {
        Self {
            region: state.region.clone(),
            downloaded: 0,
            pending_total: None,
            eta_secs: None,
            running: false,
            interrupted: false,
            complete: state.complete,
            updated_at: state.updated_at,
            cached_cards,
        }
    }

    /// Share done of the running download, 0.0 to 1.0, when the total is known.
    pub fn fraction(&self) -> Option<f64> {
        match self.pending_total {
            Some(0) => Some(1.0),
            Some(total) => Some((self.downloaded as f64 / total as f64).min(1.0)),
            None => None,
        }
    }
}

/// Everything the UI can ask of the core.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Load the local store and refresh the bureau's keys. Sent once at start-up.
    Start,
    /// Log in with the badge number and password typed on the login screen.
    LogIn { badge_no: String, password: Password },
    /// Log out: the token is revoked and forgotten; drafts and the outbox stay on the device.
    LogOut,
    SwitchLanguage,
    Navigate(Screen),
    /// Start the live camera on the scan screen.
    StartCamera,
    /// Stop the camera, because the officer pressed stop or the page was hidden.
    StopCamera,
    /// The camera could not be started; carries the platform's reason.
    CameraFailed(String),
    /// A greyscale camera frame, one byte a pixel, row by row. Ignored unless the camera is on.
    Frame { width: u32, height: u32, luma: Vec<u8> },
    /// An encoded photo the officer took or picked.
    Photo(Vec<u8>),
    /// The platform could not read the picked file; carries its reason.
    PhotoFailed(String),
    /// Text typed by hand: an outlet id.
    ManualEntry(String),
    /// Open the inspection form for the shown card's outlet, continuing its draft if there is one.
    StartInspection,
    /// Continue the saved draft with this id.
    OpenDraft(uuid::Uuid),
    /// Change the open draft; it is saved at once.
    Draft(DraftEdit),
    /// A photo for the open draft from the camera or the gallery, encoded as the platform gave it.
    AttachPhoto(Vec<u8>),
    /// Discard the open draft (only a draft: finalized records cannot be deleted this way).
    DiscardDraft,
    /// Validate, freeze, sign and queue the open draft.
    Finalize,
    /// Start a correction of the finalized record with this id: a new draft that names it.
    StartCorrection(uuid::Uuid),
    /// Remove a finalized record from the device; refused unless it is fully synced.
    DeleteRecord(uuid::Uuid),
    /// Make the printable PDF of the finalized record with this id (native builds).
    ExportPdf(uuid::Uuid),
    /// Sync now, at the officer's request.
    Sync,
    /// A periodic timer: syncs queued records when their retry time has come, and resumes or
    /// refreshes the offline package when due.
    Tick,
    /// Download (or update) the offline package of a region, given as its 6-digit code.
    DownloadPackage(String),
    /// Store the next page of the running package download; the shell sends it while
    /// [`PackageView::running`] is set.
    ContinuePackage,
    /// The package screen's region field changed to this text.
    SetRegion(String),
    /// The officer set the placard check's radius, in metres, as typed.
    SetPlacardRadius(String),
    /// A position fix from the platform: WGS-84 degrees and the accuracy radius in metres.
    Position { latitude: f64, longitude: f64, accuracy_m: f64 },
    /// The platform gave no position fix; carries its reason.
    PositionUnavailable(String),
}

/// A change to the open draft. Indexes count from 0 in the draft's lists.
#[derive(Debug, Clone, PartialEq)]
pub enum DraftEdit {
    TaskType(TaskType),
    Place(String),
    /// Add an outlet of the same visit, typed or scanned as its outlet id.
    AddOutlet(String),
    RemoveOutlet(usize),
    OfficerName { index: usize, name: String },
    OfficerBadge { index: usize, badge_no: String },
    AddOfficer,
    RemoveOfficer(usize),
    Recorder(usize),
    Answer { item: ChecklistItem, answer: Answer },
    AnswerNote { item: ChecklistItem, note: String },
    /// Add an empty measurement at the first outlet.
    AddMeasurement,
    Measurement { index: usize, measurement: DraftMeasurement },
    RemoveMeasurement(usize),
    /// Take the device's current position fix as the inspection's location, if it is fresh.
    UseCurrentFix,
    /// No fix can be had; the officer's reason.
    NoFixReason(String),
    Finding(String),
    AddViolation(u8),
    ViolationNote { index: usize, note: String },
    RemoveViolation(usize),
    /// The party signed: strokes in canvas pixels, with the canvas size.
    PartySigned { strokes: Vec<Vec<(f64, f64)>>, width: f64, height: f64 },
    /// The party refuses to sign, for this reason (edited as typed).
    PartyRefused(String),
    WitnessName(String),
    WitnessSigned { strokes: Vec<Vec<(f64, f64)>>, width: f64, height: f64 },
    /// Clear the signature or refusal, to start the acknowledgement again.
    ClearAcknowledgement,
    RemovePhoto(String),
}

/// The scan screen's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScanView {
    /// True while the live camera should run. The shell starts the camera when this turns true and
    /// ends its tracks when it turns false. That happens on the stop button, on leaving the scan
    /// screen, once a code of ours was read, and when the page is hidden.
    pub camera_on: bool,
    /// Advice from a recent frame that held no readable code, such as "move closer". It stays until
    /// [`crate::HINT_HOLD_FRAMES`] frames in a row gave no advice, a code was read, or the camera stopped.
    pub hint: Option<FrameHint>,
    /// Frames decoded since the camera started. The shell sends the next frame only after this
    /// count grows, so at most one frame waits for the decoder.
    pub frames_decoded: u64,
}

impl ScanView {
    /// Returns the hint as the message the scan screen shows.
    pub fn hint_message(&self) -> Option<Msg> {
        self.hint.map(|hint| match hint {
            FrameHint::MoveCloser => Msg::MoveCloser,
            FrameHint::HoldStill => Msg::HoldStill,
        })
    }
}

/// Whether the placard behind the shown card was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlacardCheck {
    Genuine,
    Forged,
    UnknownKey,
    /// Signed with a key the bureau retired: the placard must be replaced.
    RetiredKey,
    /// Genuine, but a newer placard replaced this one.
    Replaced { scanned: u32, current: u32 },
    /// Typed by hand or a bare id: there was no signature to check.
    Unverified,
}

/// Origin of the shown card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardSource {
    /// Just fetched or confirmed current by the server.
    Server,
    /// From the local cache while the request to the server is still running.
    Cache { age_secs: i64 },
    /// From the local cache because the server could not be reached.
    OfflineCache { age_secs: i64 },
}

impl CardSource {
    pub fn text(self, lang: Lang) -> String {
        match self {
            CardSource::Server => Msg::CardFromServer.text(lang).to_string(),
            CardSource::Cache { age_secs } => Msg::CardFromCache.fill(lang, &[&format_age(lang, age_secs)]),
            CardSource::OfflineCache { age_secs } => Msg::CardOffline.fill(lang, &[&format_age(lang, age_secs)]),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CardView {
    pub cached: CachedCard,
    pub source: CardSource,
    pub check: PlacardCheck,
    /// The device's date when the card was shown, for the permit alert and special periods in force.
    pub today: time::Date,
    /// The permit's problem on the device's date, if any.
    pub permit_alert: Option<outlet_core::card::PermitAlert>,
    /// The device's position against the outlet's, to catch a moved or swapped placard.
    pub location: LocationCheck,
}

/// The logged-in account, as the header and the login notice show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    pub account: AccountInfo,
    /// When the login token expires. From then on the app requires a new login, online or not.
    pub expires_at: time::OffsetDateTime,
}

/// Settings the officer may change; kept on the device.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// Distance from the outlet, in metres, beyond which the card warns that the placard may have
    /// been moved or swapped.
    pub placard_radius_m: f64,
    /// The officers of the last finalized record, offered for the next one.
    #[serde(default)]
    pub officers: Vec<Officer>,
    #[serde(default)]
    pub recorder: usize,
    /// Oldest position fix, in seconds, that a record takes as its location without a new fix.
    #[serde(default = "default_max_fix_age_secs")]
    pub max_fix_age_secs: u32,
    /// Maximum length of a photo's long side, in pixels, before it is kept.
    #[serde(default = "default_photo_long_side")]
    pub photo_max_long_side: u32,
}

fn default_max_fix_age_secs() -> u32 {
    crate::position::MAX_FIX_AGE.whole_seconds() as u32
}

fn default_photo_long_side() -> u32 {
    2000
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            placard_radius_m: DEFAULT_PLACARD_RADIUS_M,
            officers: Vec::new(),
            recorder: 0,
            max_fix_age_secs: default_max_fix_age_secs(),
            photo_max_long_side: default_photo_long_side(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    Info,
    Warning,
    Error,
}

/// A message for the officer, kept as a [`Msg`] with its values so a language switch re-renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: NoticeLevel,
    pub msg: Msg,
    pub args: Vec<String>,
}

impl Notice {
    pub fn new(level: NoticeLevel, msg: Msg, args: &[&str]) -> Self {
        Self { level, msg, args: args.iter().map(|a| a.to_string()).collect() }
    }

    pub fn text(&self, lang: Lang) -> String {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        self.msg.fill(lang, &args)
    }
}

/// The state the UI renders.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    pub screen: Screen,
    pub lang: Lang,
    /// The valid login, `None` while the login screen is shown.
    pub session: Option<SessionView>,
    pub scan: ScanView,
    pub card: Option<CardView>,
    pub draft: Option<InspectionDraft>,
    /// Unfinished drafts kept on the device, the open one included.
    pub drafts: Vec<InspectionDraft>,
    pub outbox: Vec<OutboxEntry>,
    /// The record being sent right now, if any.
    pub sending: Option<Uuid>,
    /// The last printable record made, as a file the platform can open or share.
    pub exported_pdf: Option<ExportedPdf>,
    /// Newest last; the UI shows the last few.
    pub notices: Vec<Notice>,
    /// True while a sync runs.
    pub syncing: bool,
    /// When queued records are sent again automatically after a failed sync.
    pub next_retry_at: Option<time::OffsetDateTime>,
    /// The offline package of the device, once one was downloaded or started.
    pub package: Option<PackageView>,
    /// The region field of the package screen.
    pub region: String,
    /// The device's last position fix, used while it is fresh.
    pub position: Option<PositionFix>,
    /// The platform's reason for giving no fix at the last request, cleared by the next fix.
    pub position_unavailable: Option<String>,
    pub settings: Settings,
}

/// A printable record written by [`Event::ExportPdf`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedPdf {
    pub inspection_id: Uuid,
    pub path: std::path::PathBuf,
}

impl Model {
    /// Records with something left to send: queued, or acknowledged with photos still to upload.
    /// Quarantined records are not waiting: they need a correction.
    pub fn pending_count(&self) -> usize {
        self.outbox.iter().filter(|entry| entry.state == OutboxState::Queued || entry.photos_pending()).count()
    }

    /// True only when every record has the server's receipt and the server stores all their photos.
    pub fn all_synced(&self) -> bool {
        self.outbox.iter().all(OutboxEntry::is_synced)
    }

    /// True when the record with this id may be deleted from the device.
    pub fn can_delete(&self, id: Uuid) -> bool {
        self.sending != Some(id) && self.outbox.iter().any(|entry| entry.frozen.id == id && entry.is_synced())
    }
}
