//! Download and refresh of a jurisdiction's offline package. Each event stores one page, so the
//! officer's own events are handled between pages. The shell sends [`Event::ContinuePackage`] while
//! [`PackageView::running`] is set.

use outlet_core::i18n::Msg;
use outlet_core::Region;
use outlet_store::{Kv, PackageState};
use time::{Duration, OffsetDateTime};

use crate::core::Core;
use crate::model::{NoticeLevel, PackageView};

/// Changes requested per page: about 2.3 MB of demo cards (4.5 KiB each as JSON).
pub const DEFAULT_PAGE_SIZE: usize = 500;

/// Age after which a complete package is refreshed on the next tick.
const REFRESH_AFTER: Duration = Duration::hours(1);

/// Wait after an interrupted download before a tick resumes it.
const RESUME_AFTER: Duration = Duration::minutes(1);

/// A download in progress.
#[derive(Debug, Clone)]
pub(crate) struct PackageRun {
    region: Region,
    cursor: u64,
    /// Changes stored in this run.
    downloaded: u64,
    /// Changes pending when the run started, as the server counted them.
    pending_total: Option<u64>,
    started_at: OffsetDateTime,
    /// The next page, fetched while the previous one was stored.
    prefetched: Option<outlet_sync::RawChangePage>,
}

impl<K: Kv> Core<K> {
    /// Changes the page size of package downloads (tests use small pages to cut between them).
    pub fn set_package_page_size(&mut self, size: usize) {
        self.package_page_size = size.max(1);
    }

    /// Shows the state of the device's most recently updated package, if there is one.
    pub(crate) async fn load_package(&mut self) {
        let packages = match self.store.packages().await {
            Ok(packages) => packages,
            Err(error) => return self.storage_failed(error),
        };
        if let Some(state) = packages.into_iter().max_by_key(|state| state.updated_at) {
            let cached_cards = match state.cached_cards {
                Some(count) => count,
                None => self.cached_card_count().await,
            };
            self.model.package = Some(PackageView::idle(&state, cached_cards));
            self.model.region = state.region.to_string();
        }
    }

    /// Starts (or resumes, from the saved cursor) the download of `region`'s package and stores its
    /// first page.
    pub(crate) async fn download_package(&mut self, region_text: &str) {
        let region = match Region::parse(region_text) {
            Ok(region) => region,
            Err(error) => return self.notify(NoticeLevel::Error, Msg::ApiInvalidRegion, &[error.value()]),
        };
        self.model.region = region.to_string();

        let cursor = match self.store.package(&region).await {
            Ok(state) => state.map_or(0, |state| state.cursor),
            Err(error) => return self.storage_failed(error),
        };
        tracing::info!(region = %region, cursor, "package download started");
        self.package_run = Some(PackageRun { region, cursor, downloaded: 0, pending_total: None, started_at: self.now(), prefetched: None });
        self.next_package_page().await;
    }

    /// Stores the next page of the running download while fetching the one after it, so the server
    /// prepares a page while the device writes the previous one. A failure stops the run with the
    /// cursor of the last stored page saved; the next start or tick resumes from there.
    pub(crate) async fn next_package_page(&mut self) {
        let Some(mut run) = self.package_run.take() else { return };

        let page = match run.prefetched.take() {
            Some(page) => Ok(page),
            None => {
                let first = run.downloaded == 0 && run.pending_total.is_none();
                let page = self.client.fetch_changes(&run.region, run.cursor, self.package_page_size, first).await;
                if let Ok(page) = &page {
                    run.pending_total = run.pending_total.or(page.pending);
                }
                page
            }
        };
        let page = match page {
            Ok(page) => page,
            Err(error) => return self.package_interrupted(&run, &error).await,
        };

        let count = page.changes.len() as u64;
        let reached_end = page.complete || count == 0;
        let next_cursor = page.next_cursor;
        let (stored, next) = if reached_end {
            (self.store.apply_changes(&run.region, page, self.now()).await, None)
        } else {
            // The fetch goes first and the store yields once before writing, so the request is on the
            // wire while sled's synchronous writes run.
            let fetch = self.client.fetch_changes(&run.region, next_cursor, self.package_page_size, false);
            let store = async {
                YieldOnce(false).await;
                self.store.apply_changes(&run.region, page, self.now()).await
            };
            let (next, stored) = futures::join!(fetch, store);
            (stored, Some(next))
        };

        let state = match stored {
            Ok(state) => state,
            Err(error) => {
                self.show_run(&run, false, None).await;
                return self.storage_failed(error);
            }
        };
        run.cursor = state.cursor;
        run.downloaded += count;
        self.package_interrupted_at = None;

        match next {
            None => {
                if let Err(error) = self.store.flush_package().await {
                    self.storage_failed(error);
                }
                self.show_run(&run, false, Some(&state)).await;
                tracing::info!(region = %run.region, changes = run.downloaded, cursor = run.cursor, "package up to date");
                let cached = self.model.package.as_ref().map_or(0, |view| view.cached_cards);
                self.notify(NoticeLevel::Info, Msg::PackageDone, &[&run.downloaded.to_string(), &cached.to_string()]);
            }
            Some(Ok(next)) => {
                run.prefetched = Some(next);
                self.show_run(&run, true, Some(&state)).await;
                self.package_run = Some(run);
            }
            Some(Err(error)) => {
                self.show_run(&run, false, Some(&state)).await;
                self.package_interrupted(&run, &error).await;
            }
        }
    }

    /// Stops a run whose page could not be fetched; its saved cursor is where the next run starts.
    /// A 401 ends the session, and the download resumes after the next login. A 403 drops the package
    /// from view, because the region is not the account's.
    async fn package_interrupted(&mut self, run: &PackageRun, error: &outlet_sync::SyncError) {
        match self.refusal(error).await {
            Some(crate::session::Refusal::Unauthorized) => return self.show_run(run, false, None).await,
            Some(crate::session::Refusal::Forbidden) => {
                tracing::warn!(region = %run.region, "package download rejected: region outside the jurisdiction");
                self.model.package = None;
                let own = self.model.session.as_ref().map(|session| session.account.region.to_string()).unwrap_or_default();
                return self.notify(NoticeLevel::Error, Msg::RegionOutsideJurisdiction, &[run.region.as_str(), &own]);
            }
            None => {}
        }
        tracing::warn!(region = %run.region, cursor = run.cursor, %error, "package download interrupted");
        self.package_interrupted_at = Some(self.now());
        self.show_run(run, false, None).await;
        let (done, total) = progress_text(run);
        self.notify(NoticeLevel::Warning, Msg::PackageInterrupted, &[&done, &total]);
    }

    /// Refreshes the package on a tick: resumes an interrupted download after a pause, and fetches
    /// the changes of a complete package once it is older than an hour.
    pub(crate) async fn refresh_package_if_due(&mut self) {
        if self.package_run.is_some() {
            return;
        }
        let Some(view) = &self.model.package else { return };
        let now = self.now();
        let due = match self.package_interrupted_at {
            Some(at) => now - at >= RESUME_AFTER,
            None => !view.complete || now - view.updated_at >= REFRESH_AFTER,
        };
        if due {
            let region = view.region.to_string();
            self.download_package(&region).await;
        }
    }

    /// Updates the package view. The cached cards are counted only once the run stops, because
    /// counting walks the whole cache and would make a long download quadratic.
    async fn show_run(&mut self, run: &PackageRun, running: bool, state: Option<&PackageState>) {
        let cached_cards = match (running, &self.model.package) {
            (true, Some(view)) => view.cached_cards,
            _ => {
                let count = self.cached_card_count().await;
                if let Err(error) = self.store.record_cached_cards(&run.region, count).await {
                    self.storage_failed(error);
                }
                count
            }
        };
        let elapsed = (self.now() - run.started_at).as_seconds_f64();
        let eta_secs = match run.pending_total {
            Some(total) if run.downloaded > 0 && running => {
                let rate = run.downloaded as f64 / elapsed.max(0.001);
                Some(((total.saturating_sub(run.downloaded)) as f64 / rate).ceil() as u64)
            }
            _ => None,
        };
        let previous = self.model.package.take();
        self.model.package = Some(PackageView {
            region: run.region.clone(),
            downloaded: run.downloaded,
            pending_total: run.pending_total,
            eta_secs,
            running,
            interrupted: self.package_interrupted_at.is_some(),
            complete: state.map(|s| s.complete).or(previous.as_ref().map(|p| p.complete)).unwrap_or(false),
            updated_at: state.map(|s| s.updated_at).or(previous.map(|p| p.updated_at)).unwrap_or(run.started_at),
            cached_cards,
        });
    }

    async fn cached_card_count(&mut self) -> usize {
        match self.store.cached_card_count().await {
            Ok(count) => count,
            Err(error) => {
                self.storage_failed(error);
                0
            }
        }
    }
}

/// Returns `Pending` once, waking its task at once, so the executor runs other tasks (here, the HTTP
/// connection) before the caller continues. Works on any executor, the browser's included.
struct YieldOnce(bool);

impl std::future::Future for YieldOnce {
    type Output = ();

    fn poll(mut self: std::pin::Pin<&mut Self>, context: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        context.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

fn progress_text(run: &PackageRun) -> (String, String) {
    (run.downloaded.to_string(), run.pending_total.map_or_else(|| "?".to_string(), |total| total.to_string()))
}
