//! The event handler: each [`Event`] updates the [`Model`], reading and writing the local store and
//! calling the server as needed.

use outlet_core::i18n::Msg;
use outlet_core::placard::KeySet;
use outlet_core::OutletId;
use std::sync::Arc;

use outlet_store::{CachedCard, Kv, LocalStore, StoreError};
use outlet_sync::{CardFetch, RetryPolicy, SyncClient};
use time::OffsetDateTime;

use crate::clock::Clock;
use crate::model::{CardSource, CardView, Event, Model, Notice, NoticeLevel, PlacardCheck, Screen, Settings};
use crate::position::{self, LocationCheck, PositionError};
use crate::session::Refusal;

/// Key of the officer's settings in the settings collection.
const SETTINGS_KEY: &str = "officer";

/// Most notices kept in the model.
const MAX_NOTICES: usize = 5;

/// The app core. Owns the local store and the server client; the UI owns nothing but the model
/// it is handed.
pub struct Core<K: Kv> {
    pub(crate) store: LocalStore<K>,
    pub(crate) client: SyncClient,
    pub(crate) keys: KeySet,
    /// Serial of the genuine placard being opened, to compare with the card's current serial.
    pub(crate) scanned_serial: Option<u32>,
    pub(crate) retry_policy: RetryPolicy,
    /// Consecutive syncs that ended without reaching the server.
    pub(crate) failed_syncs: u32,
    clock: Arc<dyn Clock>,
    /// Folder printable records are written to.
    pub(crate) export_dir: std::path::PathBuf,
    pub(crate) package_run: Option<crate::package::PackageRun>,
    pub(crate) package_page_size: usize,
    /// When the last package download was interrupted; cleared by a stored page.
    pub(crate) package_interrupted_at: Option<OffsetDateTime>,
    pub(crate) frames: crate::scan::FrameState,
    pub(crate) model: Model,
}

impl<K: Kv> Core<K> {
    pub fn new(store: LocalStore<K>, client: SyncClient) -> Self {
        Self {
            store,
            client,
            keys: KeySet::default(),
            scanned_serial: None,
            retry_policy: RetryPolicy::default(),
            failed_syncs: 0,
            clock: crate::clock::system(),
            export_dir: default_export_dir(),
            package_run: None,
            package_page_size: crate::package::DEFAULT_PAGE_SIZE,
            package_interrupted_at: None,
            frames: crate::scan::FrameState::default(),
            model: Model::default(),
        }
    }

    /// Sets the folder printable records are written to (the app's documents folder).
    pub fn set_export_dir(&mut self, dir: std::path::PathBuf) {
        self.export_dir = dir;
    }

    /// Replaces the clock, for tests that set the device's time and time zone.
    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    /// Returns the current time with the device's UTC offset.
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Sets the distance from the outlet, in metres, beyond which the card warns that the placard may
    /// have been moved or swapped. Rejects radii that are not finite and above 0.
    pub fn set_placard_radius(&mut self, metres: f64) -> Result<(), PositionError> {
        let now = self.now();
        position::set_radius(&mut self.model, metres, now)
    }

    /// Replaces the backoff settings of automatic retries.
    pub fn set_retry_policy(&mut self, policy: RetryPolicy) {
        self.retry_policy = policy;
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Handles one event. `publish` is called with intermediate states worth showing before the
    /// event is done, such as a cached card while the server is still being asked.
    pub async fn handle(&mut self, event: Event, publish: &mut dyn FnMut(&Model)) {
        if !self.session_allows(&event).await {
            return;
        }
        match event {
            Event::Start => self.start().await,
            Event::LogIn { badge_no, password } => self.log_in(&badge_no, &password.0).await,
            Event::LogOut => self.log_out().await,
            Event::SwitchLanguage => self.model.lang = self.model.lang.other(),
            Event::Navigate(screen) => self.navigate(screen).await,
            Event::StartCamera => self.start_camera(),
            Event::StopCamera => self.stop_camera(),
            Event::CameraFailed(reason) => {
                tracing::warn!(%reason, "camera unavailable");
                self.stop_camera();
                self.notify(NoticeLevel::Warning, Msg::CameraUnavailable, &[&reason]);
            }
            Event::Frame { width, height, luma } => self.frame(width, height, luma, publish).await,
            Event::Photo(bytes) => self.photo(&bytes, publish).await,
            Event::PhotoFailed(reason) => self.notify(NoticeLevel::Error, Msg::UnreadableImage, &[&reason]),
            Event::ManualEntry(text) => self.manual_entry(&text, publish).await,
            Event::StartInspection => self.start_inspection().await,
            Event::OpenDraft(id) => self.open_draft(id).await,
            Event::Draft(edit) => self.edit(edit).await,
            Event::AttachPhoto(bytes) => self.attach_photo(&bytes).await,
            Event::DiscardDraft => self.discard_draft().await,
            Event::Finalize => self.finalize().await,
            Event::StartCorrection(id) => self.start_correction(id).await,
            Event::DeleteRecord(id) => self.delete_record(id).await,
            Event::ExportPdf(id) => self.export_pdf(id).await,
            Event::Sync => self.sync(true, publish).await,
            Event::Tick => {
                let due = self.model.next_retry_at.is_none_or(|at| self.now() >= at);
                if due && self.model.pending_count() > 0 {
                    self.sync(false, publish).await;
                }
                self.refresh_package_if_due().await;
                // A fix that grew older than the limit while the card is open stops counting.
                let now = self.now();
                position::refresh_location(&mut self.model, now);
            }
            Event::DownloadPackage(region) => self.download_package(&region).await,
            Event::ContinuePackage => self.next_package_page().await,
            Event::SetRegion(text) => self.model.region = text,
            Event::SetPlacardRadius(text) => self.save_placard_radius(&text).await,
            Event::Position { latitude, longitude, accuracy_m } => {
                let now = self.now();
                position::record_fix(&mut self.model, latitude, longitude, accuracy_m, now)
            }
            Event::PositionUnavailable(reason) => {
                let now = self.now();
                position::record_unavailable(&mut self.model, reason, now)
            }
        }

        // The camera runs only on the scan screen, whichever event left it.
        if self.model.screen != Screen::Scan {
            self.stop_camera();
        }
    }

    /// Adds a notice, unless it repeats the newest one.
    pub(crate) fn notify(&mut self, level: NoticeLevel, msg: Msg, args: &[&str]) {
        let notice = Notice::new(level, msg, args);
        if self.model.notices.last() == Some(&notice) {
            return;
        }
        self.model.notices.push(notice);
        let excess = self.model.notices.len().saturating_sub(MAX_NOTICES);
        self.model.notices.drain(..excess);
    }

    /// Reports a failed read or write of the local store. A full disk gets its own message, since
    /// the fix is to free space; what was saved before stays readable.
    pub(crate) fn storage_failed(&mut self, error: StoreError) {
        tracing::error!(%error, "local store failed");
        if error.is_disk_full() {
            return self.notify(NoticeLevel::Error, Msg::StorageFull, &[&error.to_string()]);
        }
        self.notify(NoticeLevel::Error, Msg::StorageFailed, &[&error.to_string()]);
    }

    /// Keeps the officer's settings on the device.
    pub(crate) async fn save_settings(&self) -> Result<(), StoreError> {
        self.store.save_setting(SETTINGS_KEY, &self.model.settings).await
    }

    async fn start(&mut self) {
        self.load_session().await;
        match self.store.key_set().await {
            Ok(Some(keys)) => self.keys = keys,
            Ok(None) => {}
            Err(error) => self.storage_failed(error),
        }
        match self.store.setting::<Settings>(SETTINGS_KEY).await {
            Ok(Some(settings)) => self.model.settings = settings,
            Ok(None) => {}
            Err(error) => self.storage_failed(error),
        }
        self.refresh_keys().await;
        self.reload_outbox().await;
        self.reload_drafts().await;
        self.load_package().await;
    }

    /// Sets the placard check's radius from the officer's text and keeps it on the device.
    async fn save_placard_radius(&mut self, text: &str) {
        let radius = text.trim().parse::<f64>().ok().filter(|metres| self.set_placard_radius(*metres).is_ok());
        let Some(radius) = radius else {
            return self.notify(NoticeLevel::Error, Msg::InvalidRadius, &[text.trim()]);
        };

        if let Err(error) = self.save_settings().await {
            return self.storage_failed(error);
        }
        self.notify(NoticeLevel::Info, Msg::RadiusSaved, &[&radius.to_string()]);
    }

    /// Fetches the bureau's key set and caches it. Offline, the cached set stays in use.
    pub(crate) async fn refresh_keys(&mut self) {
        match self.client.fetch_keys().await {
            Ok(keys) => {
                if let Err(error) = self.store.save_key_set(&keys).await {
                    self.storage_failed(error);
                }
                self.keys = keys;
            }
            Err(error) => tracing::info!(%error, "key set not refreshed; using the cached one"),
        }
    }

    async fn navigate(&mut self, screen: Screen) {
        if screen == Screen::Outbox {
            self.reload_outbox().await;
            self.reload_drafts().await;
        }
        self.model.screen = screen;
    }

    async fn manual_entry(&mut self, text: &str, publish: &mut dyn FnMut(&Model)) {
        match text.parse::<OutletId>() {
            Ok(outlet) => {
                self.scanned_serial = None;
                self.open_card(outlet, PlacardCheck::Unverified, publish).await
            }
            Err(_) => self.notify(NoticeLevel::Error, Msg::InvalidOutletId, &[text.trim()]),
        }
    }

    /// Shows the cached card at once, then requests a newer version from the server.
    pub(crate) async fn open_card(&mut self, outlet: OutletId, check: PlacardCheck, publish: &mut dyn FnMut(&Model)) {
        let cached = match self.store.cached_card(&outlet).await {
            Ok(cached) => cached,
            Err(error) => {
                self.storage_failed(error);
                None
            }
        };
        let now = self.now();
        let age = |cached: &CachedCard| (now - cached.fetched_at).whole_seconds();

        if let Some(cached) = &cached {
            self.show_card(cached.clone(), CardSource::Cache { age_secs: age(cached) }, check);
            publish(&self.model);
        }

        let known_version = cached.as_ref().map(|c| c.card.version);
        match self.client.fetch_card(&outlet, known_version).await {
            Ok(CardFetch::Fresh(card)) => {
                let fresh = CachedCard { card: *card, fetched_at: now };
                if let Err(error) = self.store.cache_card(&fresh).await {
                    self.storage_failed(error);
                }
                self.show_card(fresh, CardSource::Server, check);
            }
            Ok(CardFetch::NotModified) => {
                let Some(mut confirmed) = cached else { return };
                confirmed.fetched_at = now;
                if let Err(error) = self.store.cache_card(&confirmed).await {
                    self.storage_failed(error);
                }
                self.show_card(confirmed, CardSource::Server, check);
            }
            Ok(CardFetch::NotFound) => {
                tracing::info!(outlet = %outlet, "outlet not found on the server");
                self.notify(NoticeLevel::Error, Msg::UnknownOutlet, &[&outlet.to_string()]);
            }
            Err(error) => {
                tracing::info!(outlet = %outlet, %error, "card not refreshed");
                match self.refusal(&error).await {
                    Some(Refusal::Unauthorized) => return,
                    Some(Refusal::Forbidden) => {
                        self.model.card = None;
                        self.model.screen = Screen::Scan;
                        return self.notify(NoticeLevel::Error, Msg::OutletOutsideJurisdiction, &[&outlet.to_string()]);
                    }
                    None => {}
                }
                match cached {
                    Some(cached) => {
                        let age_secs = age(&cached);
                        self.show_card(cached, CardSource::OfflineCache { age_secs }, check);
                    }
                    None => match self.store.removed_outlet(&outlet).await {
                        Ok(Some(removed)) => {
                            let reason = Msg::from(removed.reason).text(self.model.lang);
                            self.notify(NoticeLevel::Error, Msg::OutletRemovedOffline, &[&outlet.to_string(), reason]);
                        }
                        _ => self.notify(NoticeLevel::Error, Msg::OutletNotCachedOffline, &[&outlet.to_string()]),
                    },
                }
            }
        }
    }

    /// Shows a card. A genuine placard whose serial is not the card's current one was replaced, and
    /// the officer gets one notice about it per card.
    fn show_card(&mut self, cached: CachedCard, source: CardSource, check: PlacardCheck) {
        let check = match (check, self.scanned_serial, cached.card.placard_serial) {
            (PlacardCheck::Genuine, Some(scanned), Some(current)) if scanned != current => PlacardCheck::Replaced { scanned, current },
            (PlacardCheck::Replaced { .. }, Some(scanned), Some(current)) if scanned == current => PlacardCheck::Genuine,
            _ => check,
        };
        let was_replaced = matches!(self.model.card.as_ref().map(|view| view.check), Some(PlacardCheck::Replaced { .. }));
        if let PlacardCheck::Replaced { scanned, current } = check {
            if !was_replaced {
                tracing::warn!(outlet = %cached.card.outlet.id, scanned, current, "replaced placard scanned");
                self.notify(NoticeLevel::Error, Msg::ReplacedPlacard, &[&scanned.to_string(), &current.to_string()]);
            }
        }
        let now = self.now();
        let today = now.date();
        let permit_alert = cached.card.permit_alert(today);
        self.model.card = Some(CardView { cached, source, check, today, permit_alert, location: LocationCheck::Pending });
        position::refresh_location(&mut self.model, now);
        self.model.screen = Screen::Card;
    }

}

/// Returns the folder printable records go to until the platform sets one. `std::env::temp_dir` panics in
/// the browser, which has no file system and does not export.
fn default_export_dir() -> std::path::PathBuf {
    if cfg!(target_arch = "wasm32") {
        std::path::PathBuf::new()
    } else {
        std::env::temp_dir().join("outlet-inspector")
    }
}
