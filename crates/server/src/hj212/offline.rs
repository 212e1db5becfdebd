//! The background tick that sets monitors offline after a silence.

use std::sync::Arc;
use std::time::{Duration, Instant};

use time::OffsetDateTime;
use tokio::sync::watch;

use super::stats::{bump, Hj212Stats};
use crate::store::{MonitorUpdate, MonitorWrite, ServerStore};

/// Maximum time between two checks.
const LONGEST_PERIOD: Duration = Duration::from_secs(30);

/// Every quarter of `offline_after` (at most 30 s), sets offline the monitors that sent nothing for
/// `offline_after`. Silence counts only once the listener has run that long itself, so a server
/// restart does not flag every monitor before the units could reconnect.
pub async fn watch_silence(store: Arc<dyn ServerStore>, stats: Arc<Hj212Stats>, offline_after: Duration, mut stop: watch::Receiver<bool>) {
    let started = Instant::now();
    let period = (offline_after / 4).clamp(Duration::from_millis(50), LONGEST_PERIOD);
    let mut ticks = tokio::time::interval(period);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);

    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => return,
        }
        if started.elapsed() < offline_after {
            continue;
        }

        let cutoff = OffsetDateTime::now_utc() - offline_after;
        let (store, stats) = (store.clone(), stats.clone());
        if let Err(error) = tokio::task::spawn_blocking(move || set_offline(store.as_ref(), &stats, cutoff)).await {
            tracing::error!(%error, "HJ 212 silence check stopped");
        }
    }
}

fn set_offline(store: &dyn ServerStore, stats: &Hj212Stats, cutoff: OffsetDateTime) {
    let silent = match store.silent_monitors(cutoff) {
        Ok(silent) => silent,
        Err(error) => {
            bump(&stats.store_errors);
            tracing::error!(%error, "silent monitors could not be listed");
            return;
        }
    };

    for (outlet, mn) in silent {
        match store.update_monitor(&outlet, &mn, &MonitorUpdate::Silence { cutoff }) {
            Ok(MonitorWrite::Updated { version }) => {
                bump(&stats.monitors_set_offline);
                tracing::info!(mn, %outlet, version, "online monitor offline after silence");
            }
            Ok(MonitorWrite::Unchanged | MonitorWrite::NoMonitor) => {}
            Err(error) => {
                bump(&stats.store_errors);
                tracing::error!(mn, %outlet, %error, "online monitor could not be set offline");
            }
        }
    }
}
