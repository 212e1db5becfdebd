//! Counters of the HJ 212 listener, served as JSON at `GET /api/v1/hj212/stats`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// Live counters, shared by the listener's tasks and the HTTP handler. All count since the server
/// started.
#[derive(Debug, Default)]
pub struct Hj212Stats {
    listening: Mutex<Option<SocketAddr>>,
    pub(crate) connections_open: AtomicU64,
    pub(crate) connections_accepted: AtomicU64,
    pub(crate) connections_refused: AtomicU64,
    pub(crate) connections_dropped: AtomicU64,
    pub(crate) connections_idle_closed: AtomicU64,
    pub(crate) packets_accepted: AtomicU64,
    pub(crate) packets_ignored: AtomicU64,
    pub(crate) unknown_mn: AtomicU64,
    pub(crate) readings_stored: AtomicU64,
    pub(crate) readings_unmapped: AtomicU64,
    pub(crate) exceedances: AtomicU64,
    pub(crate) monitors_set_offline: AtomicU64,
    pub(crate) replies_sent: AtomicU64,
    pub(crate) store_errors: AtomicU64,
    malformed: Mutex<BTreeMap<String, u64>>,
}

/// The counters at one moment, as the stats endpoint returns them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hj212StatsSnapshot {
    /// Address of the listener; `None` when the server runs without `--hj212`.
    pub listening: Option<String>,
    pub connections_open: u64,
    pub connections_accepted: u64,
    /// Refused because the connection limit was reached.
    pub connections_refused: u64,
    /// Closed after too many malformed packets in a row.
    pub connections_dropped: u64,
    /// Closed after the idle timeout.
    pub connections_idle_closed: u64,
    /// Well-formed packets, whatever their MN.
    pub packets_accepted: u64,
    /// Well-formed packets of commands that carry no data (replies, parameter commands).
    pub packets_ignored: u64,
    /// Malformed packets by kind, e.g. `crc_mismatch`.
    pub malformed: BTreeMap<String, u64>,
    pub malformed_total: u64,
    /// Data packets whose MN no card lists.
    pub unknown_mn: u64,
    pub readings_stored: u64,
    /// Values whose pollutant code neither the card's limits nor the code table know.
    pub readings_unmapped: u64,
    /// Readings above the binding limit of the outlet's permit.
    pub exceedances: u64,
    pub monitors_set_offline: u64,
    /// Data responses (CN 9014) sent to units that asked for one.
    pub replies_sent: u64,
    pub store_errors: u64,
}

/// Adds one to a counter.
pub(crate) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

impl Hj212Stats {
    pub(crate) fn set_listening(&self, addr: SocketAddr) {
        *self.listening.lock().expect("stats lock") = Some(addr);
    }

    /// Counts a rejected packet under its kind (see `PacketError::kind`).
    pub(crate) fn malformed(&self, kind: &str) {
        *self.malformed.lock().expect("stats lock").entry(kind.to_string()).or_default() += 1;
    }

    pub fn snapshot(&self) -> Hj212StatsSnapshot {
        let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        let malformed = self.malformed.lock().expect("stats lock").clone();
        Hj212StatsSnapshot {
            listening: self.listening.lock().expect("stats lock").map(|addr| addr.to_string()),
            connections_open: read(&self.connections_open),
            connections_accepted: read(&self.connections_accepted),
            connections_refused: read(&self.connections_refused),
            connections_dropped: read(&self.connections_dropped),
            connections_idle_closed: read(&self.connections_idle_closed),
            packets_accepted: read(&self.packets_accepted),
            packets_ignored: read(&self.packets_ignored),
            malformed_total: malformed.values().sum(),
            malformed,
            unknown_mn: read(&self.unknown_mn),
            readings_stored: read(&self.readings_stored),
            readings_unmapped: read(&self.readings_unmapped),
            exceedances: read(&self.exceedances),
            monitors_set_offline: read(&self.monitors_set_offline),
            replies_sent: read(&self.replies_sent),
            store_errors: read(&self.store_errors),
        }
    }
}
