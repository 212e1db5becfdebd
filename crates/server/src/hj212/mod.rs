//! Online-monitoring intake: a TCP listener for HJ 212-2017 packets from data acquisition units
//! (`outlet serve --hj212 ADDR`).
//!
//! Each connection is split into packets at line ends with a bounded buffer ([`framing`]), each
//! packet is checked by [`outlet_hj212::Packet::parse`], and a data upload updates the monitor with
//! that MN on its outlet's card through [`crate::store::ServerStore::update_monitor`], which bumps
//! the card's version and puts it on the change feed devices download. Malformed packets are
//! counted by kind and logged; a connection that sends nothing else is closed, the listener goes on.
//! A background tick sets monitors offline after a configured silence. Counters are served at
//! `GET /api/v1/hj212/stats`.

mod connection;
pub mod framing;
pub mod intake;
mod offline;
mod stats;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

pub use stats::{Hj212Stats, Hj212StatsSnapshot};

use crate::store::ServerStore;
use connection::ConnectionLimits;
use intake::Intake;
use stats::bump;

/// Settings of the listener.
#[derive(Debug, Clone)]
pub struct Hj212Config {
    /// Address and port to listen on, e.g. `127.0.0.1:9212`.
    pub addr: String,
    /// A monitor that sends nothing for this long is set offline.
    pub offline_after: Duration,
    /// A connection that sends nothing for this long is closed. Units reconnect by themselves.
    pub idle_timeout: Duration,
    /// Connections served at once; further ones are closed at once.
    pub max_connections: usize,
    /// Malformed packets in a row after which a connection is closed.
    pub max_bad_packets: u32,
}

impl Hj212Config {
    /// Default offline delay: 30 minutes, long enough for units that send hour data only.
    pub const DEFAULT_OFFLINE_AFTER: Duration = Duration::from_secs(30 * 60);

    /// Listens on `addr` with the default limits: offline after 30 minutes, connections closed after
    /// 10 idle minutes, 1024 connections, 5 malformed packets in a row.
    pub fn new(addr: impl Into<String>) -> Self {
        Hj212Config {
            addr: addr.into(),
            offline_after: Self::DEFAULT_OFFLINE_AFTER,
            idle_timeout: Duration::from_secs(10 * 60),
            max_connections: 1024,
            max_bad_packets: 5,
        }
    }
}

/// A running listener and its silence tick.
pub struct RunningHj212 {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningHj212 {
    /// Binds `config.addr` and starts accepting connections and checking for silent monitors.
    pub async fn start(config: Hj212Config, store: Arc<dyn ServerStore>, stats: Arc<Hj212Stats>) -> std::io::Result<Self> {
        let listener = TcpListener::bind(&config.addr).await?;
        let addr = listener.local_addr()?;
        stats.set_listening(addr);
        tracing::info!(%addr, offline_after_s = config.offline_after.as_secs(), "HJ 212 listener started");

        let (stop, stopped) = watch::channel(false);
        tokio::spawn(offline::watch_silence(store.clone(), stats.clone(), config.offline_after, stopped.clone()));
        let intake = Intake { store, stats };
        let task = tokio::spawn(accept_loop(listener, intake, config, stopped));
        Ok(RunningHj212 { addr, stop, task })
    }

    /// Stops accepting, closes the open connections and ends the silence tick.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
        tracing::info!(addr = %self.addr, "HJ 212 listener stopped");
    }
}

async fn accept_loop(listener: TcpListener, intake: Intake, config: Hj212Config, mut stop: watch::Receiver<bool>) {
    let slots = Arc::new(Semaphore::new(config.max_connections));
    let limits = ConnectionLimits { idle_timeout: config.idle_timeout, max_bad_packets: config.max_bad_packets };

    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.changed() => return,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Typically out of file descriptors: wait a little rather than spin.
                tracing::warn!(%error, "HJ 212 accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };

        let Ok(slot) = slots.clone().try_acquire_owned() else {
            bump(&intake.stats.connections_refused);
            tracing::warn!(%peer, max = config.max_connections, "HJ 212 connection refused: too many connections");
            continue;
        };
        bump(&intake.stats.connections_accepted);
        tracing::debug!(%peer, "HJ 212 connection accepted");

        let (intake, stop) = (intake.clone(), stop.clone());
        tokio::spawn(async move {
            intake.stats.connections_open.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            connection::serve(stream, peer, intake.clone(), limits, stop).await;
            intake.stats.connections_open.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            drop(slot);
        });
    }
}
