//! The server's clock for token lifetimes.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use time::OffsetDateTime;

/// The system clock in UTC, shifted by an offset that tests advance to expire tokens without waiting.
/// Clones share the offset.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    /// Returns the system clock, not shifted.
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + time::Duration::seconds(self.offset_secs.load(Ordering::Relaxed))
    }

    /// Moves this clock and its clones forward by `by` (whole seconds).
    pub fn advance(&self, by: time::Duration) {
        self.offset_secs.fetch_add(by.whole_seconds(), Ordering::Relaxed);
    }
}
