//! The HTTP accept loop, with the timeouts that cut slow clients.
//!
//! `axum::serve` gives hyper no timer, so a client that sends its headers one byte a minute would hold
//! a connection for ever. Here hyper gets tokio's timer and a header read timeout, and each request
//! gets an overall time limit that also covers reading its body.

use std::future::Future;
use std::time::Duration;

use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::{router, AppState};

/// How long slow clients may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// From a connection's first byte (or the end of its previous request) to the end of the headers.
    pub header_read: Duration,
    /// From the end of the headers to the end of the response, reading the body included. A request
    /// over it gets 408.
    pub request: Duration,
    /// How long a shutdown waits for open requests before it drops them.
    pub shutdown_grace: Duration,
}

impl Default for Timeouts {
    /// 10 s for headers, which a phone on a weak link sends in one packet; 60 s for a request, which
    /// covers a 256 KiB inspection over a slow mobile link and the largest change-feed page.
    fn default() -> Self {
        Self { header_read: Duration::from_secs(10), request: Duration::from_secs(60), shutdown_grace: Duration::from_secs(30) }
    }
}

/// Accepts connections on `listener` until `shutdown` completes, then lets open requests finish
/// within the grace period.
pub async fn serve_until(listener: TcpListener, state: AppState, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
    let address = listener.local_addr()?;
    let timeouts = state.timeouts;
    let app = router(state);
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(timeouts.header_read);
    let graceful = GracefulShutdown::new();
    tracing::info!(%address, ?timeouts, "server started");

    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // For example out of file descriptors: wait a little rather than spin.
                    tracing::warn!(%address, %error, "accepting a connection failed; retrying");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };

        let service = TowerToHyperService::new(app.clone().map_request(|request: Request<Incoming>| request.map(axum::body::Body::new)));
        let connection = graceful.watch(builder.serve_connection_with_upgrades(TokioIo::new(stream), service).into_owned());
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "connection ended with an error");
            }
        });
    }

    drop(listener);
    if tokio::time::timeout(timeouts.shutdown_grace, graceful.shutdown()).await.is_err() {
        tracing::warn!(%address, "open requests did not finish within the shutdown grace period, so they were dropped");
    }
    tracing::info!(%address, "server stopped");
    Ok(())
}
