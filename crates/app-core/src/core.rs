//! The event handler: each [`Event`] updates the [`Model`], reading and writing the local store and
//! calling the server as needed.

use outlet_core::i18n::{Label, Msg};
use outlet_core::inspection::{FreezeError, InspectionDraft, MAX_FINDING_CHARS, MIN_OFFICERS};
use outlet_core::placard::KeySet;
use outlet_core::OutletId;
use outlet_store::{CachedCard, Kv, LocalStore, OutboxState, StoreError};
use outlet_sync::{CardFetch, RetryPolicy, SubmitOutcome, SyncClient};
use time::OffsetDateTime;

use crate::model::{CardSource, CardView, Event, Model, Notice, NoticeLevel, PlacardCheck, Screen, Settings};
use crate::position::{self, LocationCheck, PositionError};
use crate::session::Refusal;

/// Key of the officer's settings in the settings collection.
const SETTINGS_KEY: &str = "officer";

/// Most notices kept in the model.
const MAX_NOTICES: usize = 5;

/// Reads the current time with the device's UTC offset, falling back to UTC where the platform
/// cannot tell the offset.
pub(crate) fn now() -> OffsetDateTime {
    OffsetDateTime::now_local().unwrap_or_else(|_| OffsetDateTime::now_utc())
}

/// The app core. Owns the local store and the server client; the UI owns nothing but the model
/// it is handed.
pub struct Core<K: Kv> {
    pub(crate) store: LocalStore<K>,
    pub(crate) client: SyncClient,
    pub(crate) keys: KeySet,
    /// Serial of the genuine placard being opened, to compare with the card's current serial.
    pub(crate) scanned_serial: Option<u32>,
    retry_policy: RetryPolicy,
    /// Consecutive syncs that ended without reaching the server.
    failed_syncs: u32,
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
            package_run: None,
            package_page_size: crate::package::DEFAULT_PAGE_SIZE,
            package_interrupted_at: None,
            frames: crate::scan::FrameState::default(),
            model: Model::default(),
        }
    }

    /// Sets the distance from the outlet, in metres, beyond which the card warns that the placard may
    /// have been moved or swapped. Rejects radii that are not finite and above 0.
    pub fn set_placard_radius(&mut self, metres: f64) -> Result<(), PositionError> {
        position::set_radius(&mut self.model, metres, now())
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
            Event::SetOfficerName { index, name } => {
                self.edit_draft(|draft| {
                    if let Some(officer) = draft.officers.get_mut(index) {
                        officer.name = name;
                    }
                })
                .await
            }
            Event::SetOfficerBadge { index, badge_no } => {
                self.edit_draft(|draft| {
                    if let Some(officer) = draft.officers.get_mut(index) {
                        officer.badge_no = badge_no;
                    }
                })
                .await
            }
            Event::SetAnswer { item, answer } => self.edit_draft(|draft| draft.set_answer(item, answer)).await,
            Event::SetFinding(text) => self.edit_draft(|draft| draft.finding = text).await,
            Event::Finalize => self.finalize().await,
            Event::Sync => self.sync(true, publish).await,
            Event::Tick => {
                let due = self.model.next_retry_at.is_none_or(|at| now() >= at);
                if due && self.model.pending_count() > 0 {
                    self.sync(false, publish).await;
                }
                self.refresh_package_if_due().await;
                // A fix that grew older than the limit while the card is open stops counting.
                position::refresh_location(&mut self.model, now());
            }
            Event::DownloadPackage(region) => self.download_package(&region).await,
            Event::ContinuePackage => self.next_package_page().await,
            Event::SetRegion(text) => self.model.region = text,
            Event::SetPlacardRadius(text) => self.save_placard_radius(&text).await,
            Event::Position { latitude, longitude, accuracy_m } => position::record_fix(&mut self.model, latitude, longitude, accuracy_m, now()),
            Event::PositionUnavailable(reason) => position::record_unavailable(&mut self.model, reason, now()),
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

    pub(crate) fn storage_failed(&mut self, error: StoreError) {
        tracing::error!(%error, "local store failed");
        self.notify(NoticeLevel::Error, Msg::StorageFailed, &[&error.to_string()]);
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
        self.load_package().await;
    }

    /// Sets the placard check's radius from the officer's text and keeps it on the device.
    async fn save_placard_radius(&mut self, text: &str) {
        let radius = text.trim().parse::<f64>().ok().filter(|metres| self.set_placard_radius(*metres).is_ok());
        let Some(radius) = radius else {
            return self.notify(NoticeLevel::Error, Msg::InvalidRadius, &[text.trim()]);
        };

        if let Err(error) = self.store.save_setting(SETTINGS_KEY, &self.model.settings).await {
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

    async fn reload_outbox(&mut self) {
        match self.store.outbox().await {
            Ok(outbox) => self.model.outbox = outbox,
            Err(error) => self.storage_failed(error),
        }
    }

    async fn navigate(&mut self, screen: Screen) {
        if screen == Screen::Outbox {
            self.reload_outbox().await;
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
        let now = now();
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
        let today = now().date();
        let permit_alert = cached.card.permit_alert(today);
        self.model.card = Some(CardView { cached, source, check, today, permit_alert, location: LocationCheck::Pending });
        position::refresh_location(&mut self.model, now());
        self.model.screen = Screen::Card;
    }

    /// Opens the inspection form for the shown outlet, continuing its saved draft if there is one.
    async fn start_inspection(&mut self) {
        let Some(card) = &self.model.card else { return };
        let outlet = card.cached.card.outlet.id.clone();

        let saved = match self.store.draft_for(&outlet).await {
            Ok(saved) => saved,
            Err(error) => {
                self.storage_failed(error);
                return;
            }
        };
        let draft = match saved {
            Some(draft) => draft,
            None => {
                let draft = InspectionDraft::new(outlet, now());
                if let Err(error) = self.store.save_draft(&draft).await {
                    self.storage_failed(error);
                    return;
                }
                draft
            }
        };
        self.model.draft = Some(draft);
        self.model.screen = Screen::Inspection;
    }

    /// Applies an edit to the draft and saves it at once, so a killed app loses nothing.
    async fn edit_draft(&mut self, edit: impl FnOnce(&mut InspectionDraft)) {
        let Some(draft) = self.model.draft.as_mut() else { return };
        edit(draft);
        let draft = draft.clone();
        if let Err(error) = self.store.save_draft(&draft).await {
            self.storage_failed(error);
        }
    }

    async fn finalize(&mut self) {
        let Some(draft) = self.model.draft.clone() else { return };
        let finalized_at = now();

        let frozen = match draft.freeze(finalized_at) {
            Ok(frozen) => frozen,
            Err(error) => {
                let (msg, args) = freeze_message(&error, self.model.lang);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                self.notify(NoticeLevel::Error, msg, &args);
                return;
            }
        };

        match self.store.enqueue(frozen, finalized_at).await {
            Ok(entry) => {
                tracing::info!(inspection_id = %entry.frozen.id, sha256 = %entry.frozen.sha256, "inspection finalized and queued");
                self.model.draft = None;
                self.notify(NoticeLevel::Info, Msg::Finalized, &[]);
                self.reload_outbox().await;
                self.model.screen = Screen::Outbox;
            }
            Err(error) => self.storage_failed(error),
        }
    }

    /// Sends every queued record. A record is marked acknowledged only on a receipt for its exact
    /// bytes. A rejected record is quarantined and the others still go, while a network failure
    /// stops the batch.
    ///
    /// After a failure the next automatic attempt is scheduled with backoff and jitter, never sooner
    /// than the server's Retry-After. Automatic attempts (`manual` false) report failures only in
    /// the log and the outbox, not as notices.
    async fn sync(&mut self, manual: bool, publish: &mut dyn FnMut(&Model)) {
        self.model.syncing = true;
        publish(&self.model);
        self.reload_outbox().await;

        let queued: Vec<_> = self.model.outbox.iter().filter(|e| e.state == OutboxState::Queued).map(|e| e.frozen.clone()).collect();
        let mut failure = None;
        let mut retry_after = None;
        let mut unauthorized = false;
        for frozen in queued {
            let state = match self.client.submit(&frozen).await {
                SubmitOutcome::Acknowledged(receipt) => {
                    tracing::info!(inspection_id = %frozen.id, receipt_no = %receipt.receipt_no, "inspection acknowledged");
                    OutboxState::Acknowledged(receipt)
                }
                SubmitOutcome::Rejected { status, error } => {
                    tracing::warn!(inspection_id = %frozen.id, status, code = %error.code, "inspection rejected; quarantined");
                    OutboxState::Quarantined { status, error }
                }
                SubmitOutcome::RetryLater { reason, retry_after: server_delay } => {
                    tracing::info!(inspection_id = %frozen.id, %reason, "inspection not sent; will retry");
                    failure = Some(reason);
                    retry_after = server_delay;
                    break;
                }
                SubmitOutcome::Unauthorized(error) => {
                    tracing::info!(inspection_id = %frozen.id, code = %error.code, "inspection not sent: the login is no longer valid");
                    unauthorized = true;
                    break;
                }
            };
            if let Err(error) = self.store.set_outbox_state(frozen.id, state).await {
                self.storage_failed(error);
                break;
            }
        }

        self.reload_outbox().await;
        self.model.syncing = false;
        if unauthorized {
            // The records stay queued and go after the next login.
            return self.end_session().await;
        }
        self.schedule_retry(failure.is_some(), retry_after);
        match failure {
            Some(reason) if !manual => tracing::info!(%reason, next_retry_at = ?self.model.next_retry_at, "automatic sync failed"),
            Some(reason) => self.notify(NoticeLevel::Warning, Msg::SyncFailed, &[&reason]),
            None if self.model.all_synced() => {
                // Earlier failures are resolved, so their notices would now mislead.
                self.model.notices.retain(|notice| notice.msg != Msg::SyncFailed);
                self.notify(NoticeLevel::Info, Msg::AllSynced, &[]);
            }
            None => {
                let pending = self.model.pending_count().to_string();
                self.notify(NoticeLevel::Warning, Msg::PendingCount, &[&pending]);
            }
        }
    }
}

impl<K: Kv> Core<K> {
    fn schedule_retry(&mut self, failed: bool, retry_after: Option<std::time::Duration>) {
        if !failed {
            self.failed_syncs = 0;
            self.model.next_retry_at = None;
            return;
        }
        self.failed_syncs += 1;
        let mut random = [0u8; 4];
        let _ = getrandom::getrandom(&mut random);
        let delay = self.retry_policy.delay(self.failed_syncs, retry_after, u32::from_le_bytes(random));
        self.model.next_retry_at = Some(now() + delay);
    }
}

fn freeze_message(error: &FreezeError, lang: outlet_core::Lang) -> (Msg, Vec<String>) {
    match error {
        FreezeError::TooFewOfficers { .. } => (Msg::TooFewOfficers, vec![MIN_OFFICERS.to_string()]),
        FreezeError::OfficerIncomplete { index } => (Msg::OfficerIncomplete, vec![(index + 1).to_string()]),
        FreezeError::Unanswered { item } => (Msg::Unanswered, vec![item.text(lang).to_string()]),
        FreezeError::FindingTooLong { chars } => (Msg::FindingTooLong, vec![chars.to_string(), MAX_FINDING_CHARS.to_string()]),
    }
}
