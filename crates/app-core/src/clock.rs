//! The device's clock, with its UTC offset.
//!
//! `time`'s own local-offset lookup fails once a process has several threads, because it cannot read
//! the time zone soundly then. A fallback to UTC would date an inspection started at 07:30 in
//! Beijing the day before. Natively the offset comes from `chrono`, which
//! reads `TZ` and the system's zone database safely; in the browser from JavaScript's `Date`.

use std::sync::Arc;

use time::{OffsetDateTime, UtcOffset};

/// The source of the current time. Tests set a fixed clock, and the app uses [`SystemClock`].
pub trait Clock: Send + Sync {
    /// Returns the current instant with the device's UTC offset.
    fn now(&self) -> OffsetDateTime;
}

/// The device's clock and time zone.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        now.to_offset(local_offset(now))
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn local_offset(at: OffsetDateTime) -> UtcOffset {
    use chrono::{Local, Offset, TimeZone};

    let seconds = Local.timestamp_opt(at.unix_timestamp(), 0).single().map(|local| local.offset().fix().local_minus_utc());
    seconds.and_then(|s| UtcOffset::from_whole_seconds(s).ok()).unwrap_or(UtcOffset::UTC)
}

#[cfg(target_arch = "wasm32")]
fn local_offset(at: OffsetDateTime) -> UtcOffset {
    UtcOffset::local_offset_at(at).unwrap_or(UtcOffset::UTC)
}

/// A clock that always reads the same instant, for tests.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

/// Returns the clock a core starts with.
pub(crate) fn system() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Runs this test binary again with `TZ` set, in a child process, since the zone is read
    /// per process.
    #[test]
    fn system_clock_follows_tz() {
        if let Ok(expected) = std::env::var("OUTLET_EXPECT_OFFSET_MINUTES") {
            let offset = SystemClock.now().offset().whole_minutes();
            assert_eq!(offset.to_string(), expected);
            return;
        }
        for (zone, minutes) in [("Asia/Shanghai", 480), ("UTC", 0), ("America/New_York", -300)] {
            let status = std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "clock::tests::system_clock_follows_tz", "--test-threads", "1"])
                .env("TZ", zone)
                .env("OUTLET_EXPECT_OFFSET_MINUTES", minutes.to_string())
                .status()
                .unwrap();
            assert!(status.success(), "{zone} should give {minutes} minutes");
        }
    }
}
