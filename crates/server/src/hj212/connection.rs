//! One data acquisition unit's TCP connection: read, frame, parse, hand over, reply.

use std::net::SocketAddr;
use std::time::Duration;

use outlet_hj212::{Packet, PacketError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;

use super::framing::{Frame, Framer};
use super::intake::Intake;
use super::stats::bump;

/// Limits of one connection.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// The connection closes when nothing arrives for this long.
    pub idle_timeout: Duration,
    /// The connection closes after this many malformed packets in a row.
    pub max_bad_packets: u32,
}

/// Serves one connection until the peer closes it, it idles, it sends too much garbage, or the
/// listener stops.
pub async fn serve(mut stream: TcpStream, peer: SocketAddr, intake: Intake, limits: ConnectionLimits, mut stop: watch::Receiver<bool>) {
    let mut framer = Framer::default();
    let mut buffer = [0u8; 4096];
    let mut bad_in_a_row = 0u32;

    loop {
        let read = tokio::select! {
            read = tokio::time::timeout(limits.idle_timeout, stream.read(&mut buffer)) => read,
            _ = stop.changed() => return,
        };
        let count = match read {
            Ok(Ok(0)) => return,
            Ok(Ok(count)) => count,
            Ok(Err(error)) => {
                tracing::debug!(%peer, %error, "HJ 212 connection failed");
                return;
            }
            Err(_) => {
                bump(&intake.stats.connections_idle_closed);
                tracing::info!(%peer, timeout_s = limits.idle_timeout.as_secs_f64(), "HJ 212 connection idle, closed");
                return;
            }
        };

        for frame in framer.push(&buffer[..count]) {
            let parsed = match frame {
                Frame::Line(line) if line.trim_ascii().is_empty() => continue,
                Frame::Line(line) => Packet::parse(&line).map_err(|error| (error, mn_hint(&line))),
                Frame::Oversize { length } => Err((PacketError::Oversize { length }, None)),
            };

            match parsed {
                Ok(packet) => {
                    bad_in_a_row = 0;
                    let Some(reply) = intake.handle(packet, peer).await else { continue };
                    if let Err(error) = stream.write_all(&reply).await {
                        tracing::debug!(%peer, %error, "HJ 212 reply could not be sent");
                        return;
                    }
                    bump(&intake.stats.replies_sent);
                }
                Err((error, mn)) => {
                    intake.stats.malformed(error.kind());
                    tracing::warn!(%peer, mn = mn.as_deref().unwrap_or("?"), %error, "HJ 212 packet rejected");
                    bad_in_a_row += 1;
                    if bad_in_a_row >= limits.max_bad_packets {
                        bump(&intake.stats.connections_dropped);
                        tracing::warn!(%peer, bad_in_a_row, "HJ 212 connection closed after malformed packets");
                        return;
                    }
                }
            }
        }
    }
}

/// Finds the MN of a packet that failed to parse, for the log line: the letters and digits after
/// the first `MN=`, if any.
fn mn_hint(line: &[u8]) -> Option<String> {
    let start = line.windows(3).position(|window| window == b"MN=")? + 3;
    let mn: String = line[start..].iter().take_while(|b| b.is_ascii_alphanumeric()).take(24).map(|&b| char::from(b)).collect();
    (!mn.is_empty()).then_some(mn)
}
