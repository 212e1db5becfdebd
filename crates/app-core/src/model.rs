//! The view state the UI renders and the events it may send.

use outlet_core::checklist::{Answer, ChecklistItem};
use outlet_core::i18n::{format_age, Lang, Msg};
use outlet_core::inspection::InspectionDraft;
use outlet_store::{CachedCard, OutboxEntry, OutboxState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Screen {
    #[default]
    Scan,
    Card,
    Inspection,
    Outbox,
}

/// Everything the UI can ask of the core.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Load the local store and refresh the bureau's keys. Sent once at start-up.
    Start,
    SwitchLanguage,
    Navigate(Screen),
    /// The camera could not be started; carries the platform's reason.
    CameraFailed(String),
    /// A greyscale camera frame, one byte a pixel.
    Frame { width: u32, height: u32, luma: Vec<u8> },
    /// An encoded photo the officer took or picked.
    Photo(Vec<u8>),
    /// The platform could not read the picked file; carries its reason.
    PhotoFailed(String),
    /// Text typed by hand: an outlet id.
    ManualEntry(String),
    StartInspection,
    SetOfficerName { index: usize, name: String },
    SetOfficerBadge { index: usize, badge_no: String },
    SetAnswer { item: ChecklistItem, answer: Answer },
    SetFinding(String),
    Finalize,
    /// Sync now, at the officer's request.
    Sync,
    /// A periodic timer: syncs queued records when their retry time has come.
    Tick,
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
    /// The permit's problem on the device's date, if any.
    pub permit_alert: Option<outlet_core::card::PermitAlert>,
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
    pub card: Option<CardView>,
    pub draft: Option<InspectionDraft>,
    pub outbox: Vec<OutboxEntry>,
    /// Newest last; the UI shows the last few.
    pub notices: Vec<Notice>,
    /// True while a sync runs.
    pub syncing: bool,
    /// When queued records are sent again automatically after a failed sync.
    pub next_retry_at: Option<time::OffsetDateTime>,
}

impl Model {
    /// Records waiting for an acknowledgement (quarantined ones are not waiting: they need a correction).
    pub fn pending_count(&self) -> usize {
        self.outbox.iter().filter(|entry| entry.state == OutboxState::Queued).count()
    }

    /// True only when every record has the server's receipt.
    pub fn all_synced(&self) -> bool {
        self.outbox.iter().all(|entry| matches!(entry.state, OutboxState::Acknowledged(_)))
    }
}
