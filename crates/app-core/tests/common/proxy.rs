//! A fault-injecting HTTP/1.1 proxy for the tests: it sits between the device and the real server on
//! 127.0.0.1, relays one request at a time per connection, logs each request line, and injects the
//! configured [`Fault`]. The fault is read per request, so kept-alive connections are affected too.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Relay faithfully.
    None,
    /// Forward the request, read the server's whole response, and close the device's connection
    /// without sending a byte of it: the server has acted, the device hears nothing.
    DropResponses,
    /// Relay this many more responses, then send only the first half of each response and close.
    CutAfter(usize),
}

#[derive(Clone)]
pub struct Proxy {
    pub addr: SocketAddr,
    fault: Arc<Mutex<Fault>>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = Proxy { addr: listener.local_addr().unwrap(), fault: Arc::new(Mutex::new(Fault::None)), requests: Arc::default() };
        let shared = proxy.clone();
        tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else { return };
                let proxy = shared.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(upstream).await else { return };
                    proxy.relay(client, server).await;
                });
            }
        });
        proxy
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_fault(&self, fault: Fault) {
        *self.fault.lock().unwrap() = fault;
    }

    /// Request lines seen so far, e.g. `GET /api/v1/keys HTTP/1.1`.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// Decides what to do with the next response: how many of its bytes to send (all, some or none).
    fn next_response(&self, length: usize) -> usize {
        let mut fault = self.fault.lock().unwrap();
        match *fault {
            Fault::None => length,
            Fault::DropResponses => 0,
            Fault::CutAfter(0) => length / 2,
            Fault::CutAfter(n) => {
                *fault = Fault::CutAfter(n - 1);
                length
            }
        }
    }

    async fn relay(&self, mut client: TcpStream, mut server: TcpStream) {
        loop {
            let Some(request) = read_message(&mut client).await else { return };
            let line = String::from_utf8_lossy(&request).lines().next().unwrap_or_default().to_string();
            self.requests.lock().unwrap().push(line);
            if server.write_all(&request).await.is_err() {
                return;
            }

            let Some(response) = read_message(&mut server).await else { return };
            let send = self.next_response(response.len());
            if client.write_all(&response[..send]).await.is_err() || send < response.len() {
                return;
            }
        }
    }
}

/// Reads one HTTP message: headers, then as many body bytes as Content-Length names.
async fn read_message(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut message = Vec::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        if let Some(length) = message_length(&message) {
            if message.len() >= length {
                return Some(message);
            }
        }
        let n = stream.read(&mut buffer).await.ok()?;
        if n == 0 {
            return None;
        }
        message.extend_from_slice(&buffer[..n]);
    }
}

/// Total length of the message once its headers are complete.
fn message_length(bytes: &[u8]) -> Option<usize> {
    let header_end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let headers = String::from_utf8_lossy(&bytes[..header_end]).to_ascii_lowercase();
    let body = headers
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    Some(header_end + 4 + body)
}
