//! Sending the outbox: each queued record, then the photos the server lists as missing.
//!
//! A record is marked acknowledged only on a receipt for its exact bytes. A rejected record (4xx) is
//! quarantined with the server's reason and the others still go. A record that timed out or met a
//! 5xx stays queued and the batch moves on to the next one. Two such failures in a row mean the
//! server looks down, and an invalid login also stops the batch.

use outlet_core::i18n::Msg;
use outlet_store::{Kv, OutboxEntry, OutboxState, PhotoSync};
use outlet_sync::{PhotoUploadOutcome, SubmitOutcome};
use std::time::Duration;

use crate::core::Core;
use crate::model::{Model, NoticeLevel};

/// Failures in a row after which the rest of the batch waits for the next attempt.
const FAILURES_BEFORE_STOP: usize = 2;

/// The outcome of one entry's turn in a sync.
enum Turn {
    Done,
    /// The server was not reached or did not respond, so the entry is retried later.
    RetryLater { reason: String, retry_after: Option<Duration> },
    /// The login is no longer valid: stop the batch.
    Unauthorized,
}

impl<K: Kv> Core<K> {
    pub(crate) async fn reload_outbox(&mut self) {
        match self.store.outbox().await {
            Ok(outbox) => self.model.outbox = outbox,
            Err(error) => self.storage_failed(error),
        }
    }

    /// Rereads one entry into the model after its turn, so the shown outbox stays true without
    /// reading the whole outbox after every record.
    async fn refresh_entry(&mut self, id: uuid::Uuid) {
        match self.store.outbox_entry(id).await {
            Ok(Some(entry)) => {
                if let Some(shown) = self.model.outbox.iter_mut().find(|shown| shown.frozen.id == id) {
                    *shown = entry;
                }
            }
            Ok(None) => {}
            Err(error) => self.storage_failed(error),
        }
    }

    /// Sends every queued record and the missing photos of acknowledged ones.
    ///
    /// After a failure the next automatic attempt is scheduled with backoff and jitter, never sooner
    /// than the server's Retry-After. Automatic attempts (`manual` false) report failures only in
    /// the log and the outbox, not as notices.
    pub(crate) async fn sync(&mut self, manual: bool, publish: &mut dyn FnMut(&Model)) {
        self.model.syncing = true;
        publish(&self.model);
        self.reload_outbox().await;

        let waiting: Vec<OutboxEntry> = self.model.outbox.iter().filter(|e| e.state == OutboxState::Queued || e.photos_pending()).cloned().collect();
        let mut failure = None;
        let mut retry_after = None;
        let mut failures_in_row = 0;
        let mut unauthorized = false;
        for entry in waiting {
            let id = entry.frozen.id;
            self.model.sending = Some(id);
            publish(&self.model);

            match self.send_entry(entry).await {
                Turn::Done => failures_in_row = 0,
                Turn::RetryLater { reason, retry_after: server_delay } => {
                    failure = Some(reason);
                    retry_after = retry_after.max(server_delay);
                    failures_in_row += 1;
                }
                Turn::Unauthorized => unauthorized = true,
            }
            self.refresh_entry(id).await;
            if unauthorized || failures_in_row >= FAILURES_BEFORE_STOP {
                break;
            }
        }

        self.model.sending = None;
        self.model.syncing = false;
        self.reload_outbox().await;
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

    /// Sends one entry: the record if it is queued, then its missing photos.
    async fn send_entry(&mut self, entry: OutboxEntry) -> Turn {
        let id = entry.frozen.id;
        if entry.state == OutboxState::Queued {
            let state = match self.client.submit(&entry.frozen).await {
                SubmitOutcome::Acknowledged(receipt) => {
                    tracing::info!(inspection_id = %id, receipt_no = %receipt.receipt_no, clock_skew_secs = ?receipt.clock_skew_secs, "inspection acknowledged");
                    OutboxState::Acknowledged(receipt)
                }
                SubmitOutcome::Rejected { status, error } => {
                    tracing::warn!(inspection_id = %id, status, code = %error.code, "inspection rejected; quarantined");
                    OutboxState::Quarantined { status, error }
                }
                SubmitOutcome::RetryLater { reason, retry_after } => {
                    tracing::info!(inspection_id = %id, %reason, "inspection not sent; will retry");
                    return Turn::RetryLater { reason, retry_after };
                }
                SubmitOutcome::Unauthorized(error) => {
                    tracing::info!(inspection_id = %id, code = %error.code, "inspection not sent: the login is no longer valid");
                    return Turn::Unauthorized;
                }
            };
            let acknowledged = matches!(state, OutboxState::Acknowledged(_));
            if let Err(error) = self.store.set_outbox_state(id, state).await {
                self.storage_failed(error);
                return Turn::Done;
            }
            if !acknowledged || entry.photo_count == 0 {
                return Turn::Done;
            }
        }
        self.send_photos(id).await
    }

    /// Uploads the photos the server is missing for record `id`. Photos the server already stores
    /// are not sent again, so an interrupted upload resumes with the photo that was in flight.
    async fn send_photos(&mut self, id: uuid::Uuid) -> Turn {
        let missing = match self.client.missing_photos(id).await {
            Ok(missing) => missing,
            Err(error) => {
                tracing::info!(inspection_id = %id, %error, "missing photos not listed; will retry");
                return match self.refusal(&error).await {
                    Some(crate::session::Refusal::Unauthorized) => Turn::Unauthorized,
                    _ => Turn::RetryLater { reason: error.to_string(), retry_after: None },
                };
            }
        };

        let mut skipped = false;
        for sha256 in missing {
            let bytes = match self.store.photo(&sha256).await {
                Ok(Some(bytes)) => bytes,
                Ok(None) => {
                    tracing::error!(inspection_id = %id, %sha256, "a listed photo is not on the device");
                    self.notify(NoticeLevel::Error, Msg::PhotoMissingOnDevice, &[&sha256]);
                    skipped = true;
                    continue;
                }
                Err(error) => {
                    self.storage_failed(error);
                    skipped = true;
                    continue;
                }
            };
            match self.client.upload_photo(id, &sha256, bytes).await {
                PhotoUploadOutcome::Acknowledged(_) => tracing::info!(inspection_id = %id, %sha256, "photo acknowledged"),
                PhotoUploadOutcome::Rejected { status, error } => {
                    tracing::warn!(inspection_id = %id, %sha256, status, code = %error.code, "photo rejected");
                    if let Err(error) = self.store.set_photo_sync(id, PhotoSync::Rejected { sha256, status, error }).await {
                        self.storage_failed(error);
                    }
                    return Turn::Done;
                }
                PhotoUploadOutcome::RetryLater { reason, retry_after } => {
                    tracing::info!(inspection_id = %id, %sha256, %reason, "photo not sent; will retry");
                    return Turn::RetryLater { reason, retry_after };
                }
                PhotoUploadOutcome::Unauthorized(_) => return Turn::Unauthorized,
            }
        }

        // Each upload was acknowledged with a receipt for its hash, so the server stores every photo
        // it listed as missing. Only a skipped photo needs the server's list again.
        if !skipped {
            return self.photos_complete(id).await;
        }
        match self.client.missing_photos(id).await {
            Ok(missing) if missing.is_empty() => self.photos_complete(id).await,
            Ok(missing) => Turn::RetryLater { reason: format!("{} photos still missing on the server", missing.len()), retry_after: None },
            Err(error) => Turn::RetryLater { reason: error.to_string(), retry_after: None },
        }
    }

    async fn photos_complete(&mut self, id: uuid::Uuid) -> Turn {
        if let Err(error) = self.store.set_photo_sync(id, PhotoSync::Complete).await {
            self.storage_failed(error);
        }
        Turn::Done
    }

    fn schedule_retry(&mut self, failed: bool, retry_after: Option<Duration>) {
        if !failed {
            self.failed_syncs = 0;
            self.model.next_retry_at = None;
            return;
        }
        self.failed_syncs += 1;
        let mut random = [0u8; 4];
        let _ = getrandom::getrandom(&mut random);
        let delay = self.retry_policy.delay(self.failed_syncs, retry_after, u32::from_le_bytes(random));
        self.model.next_retry_at = Some(self.now() + delay);
    }
}
