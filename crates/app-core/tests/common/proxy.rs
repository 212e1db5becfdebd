//! A fault-injecting HTTP/1.1 proxy for the tests: it sits between the device and the real server on
//! 127.0.0.1, relays one request at a time per connection, logs each request with what it did to
//! it, and injects faults. A request is handled by the first [`Rule`] that matches it, or else by
//! the configured [`Fault`]. Both are read per request, so kept-alive connections are affected too.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does to every request that no [`Rule`] matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Relay faithfully.
    None,
    /// Forward the request, read the server's whole response, and close the device's connection
    /// without sending a byte of it: the server has acted, the device hears nothing.
    DropResponses,
    /// Relay this many more responses, then send only the first half of each response and close.
    CutAfter(usize),
    /// Hit each request with probability `percent` in 100 with one of the [`Action::LOSSES`],
    /// picked at random, and relay the others. The choices come from a generator seeded with
    /// `seed`, so the same seed and the same sequence of requests give the same faults.
    Random { seed: u64, percent: u64 },
}

/// What the proxy does with one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Forward the request and send the whole response back.
    Relay,
    /// Close the device's connection without forwarding, so the server never receives the request.
    DropRequest,
    /// Forward the first half of the request's bytes, then close both connections. The server
    /// receives a truncated request and the device no response.
    CutRequest,
    /// Forward the request, read the whole response, and close without sending any of it.
    DropResponse,
    /// Forward the request and send only the first half of the response, then close.
    CutResponse,
    /// Send this response without forwarding the request.
    Respond(CannedResponse),
    /// Never respond. The request is not forwarded and the device's connection stays open until
    /// the device closes it.
    Hold,
}

impl Action {
    /// The faults that [`Fault::Random`] picks from: a connection lost before forwarding, during
    /// the request, and after the server responded.
    pub const LOSSES: [Action; 4] = [Action::DropRequest, Action::CutRequest, Action::DropResponse, Action::CutResponse];

    /// Builds a 503 response with `Retry-After` in seconds and a JSON error body, as a load balancer
    /// sends it.
    pub fn service_unavailable(retry_after_secs: u64) -> Action {
        let body = r#"{"code":"unavailable","message_zh":"服务暂时不可用","message_en":"service unavailable"}"#;
        Action::Respond(CannedResponse {
            status_line: "503 Service Unavailable".into(),
            headers: vec![("Content-Type".into(), "application/json".into()), ("Retry-After".into(), retry_after_secs.to_string())],
            body: body.into(),
        })
    }

    /// Builds a 200 response with an HTML login page, which the captive portal of a hotel or airport
    /// Wi-Fi returns for any request before the user has signed in.
    pub fn captive_portal() -> Action {
        let body = "<!DOCTYPE html><html><head><title>Wi-Fi login</title></head><body><form action=\"/login\"><input name=\"phone\"><button>Connect</button></form></body></html>";
        Action::Respond(CannedResponse {
            status_line: "200 OK".into(),
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: body.into(),
        })
    }
}

/// A response the proxy sends itself; `Content-Length` is added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CannedResponse {
    /// Status code and reason phrase, e.g. `503 Service Unavailable`.
    pub status_line: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl CannedResponse {
    fn to_bytes(&self) -> Vec<u8> {
        let mut text = format!("HTTP/1.1 {}\r\n", self.status_line);
        for (name, value) in &self.headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str(&format!("Content-Length: {}\r\n\r\n{}", self.body.len(), self.body));
        text.into_bytes()
    }
}

/// A fault for the requests with this method whose target contains `target_contains`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// HTTP method, e.g. `PUT`.
    pub method: &'static str,
    /// Part of the request target, e.g. `/photos/` or a record's id.
    pub target_contains: String,
    /// How many matching requests get `action`; `None` means every one. Once used up, the rule no
    /// longer matches.
    pub times: Option<usize>,
    pub action: Action,
}

impl Rule {
    fn matches(&self, method: &str, target: &str) -> bool {
        self.times != Some(0) && self.method == method && target.contains(&self.target_contains)
    }
}

/// A request the proxy received and what it did with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    /// The request target, e.g. `/api/v1/keys`.
    pub target: String,
    pub action: Action,
}

/// A splitmix64 generator: a small, fast, seedable source of random numbers for tests. Not for
/// anything that needs unpredictable numbers.
#[derive(Debug, Clone)]
pub struct SeededRandom(u64);

impl SeededRandom {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Returns a number in `0..bound`, for `bound` above 0. The modulo bias is negligible for the
    /// small bounds of the tests.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }
}

struct State {
    fault: Fault,
    random: SeededRandom,
    rules: Vec<Rule>,
    seen: Vec<Seen>,
}

#[derive(Clone)]
pub struct Proxy {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

impl Proxy {
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let state = State { fault: Fault::None, random: SeededRandom::new(0), rules: Vec::new(), seen: Vec::new() };
        let proxy = Proxy { addr: listener.local_addr().unwrap(), state: Arc::new(Mutex::new(state)) };
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

    /// Sets the fault for the requests no rule matches. [`Fault::Random`] restarts its generator
    /// from its seed.
    pub fn set_fault(&self, fault: Fault) {
        let mut state = self.state.lock().unwrap();
        if let Fault::Random { seed, .. } = fault {
            state.random = SeededRandom::new(seed);
        }
        state.fault = fault;
    }

    /// Adds a rule after the existing ones; the first matching rule handles a request.
    pub fn add_rule(&self, rule: Rule) {
        self.state.lock().unwrap().rules.push(rule);
    }

    pub fn clear_rules(&self) {
        self.state.lock().unwrap().rules.clear();
    }

    /// Request lines seen so far, e.g. `GET /api/v1/keys HTTP/1.1`.
    pub fn requests(&self) -> Vec<String> {
        self.seen().iter().map(|seen| format!("{} {} HTTP/1.1", seen.method, seen.target)).collect()
    }

    /// Lists every request received so far, oldest first, with what the proxy did with it.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// Counts the requests received with this method whose target contains `target_contains`, whatever
    /// the proxy did with them.
    pub fn count(&self, method: &str, target_contains: &str) -> usize {
        self.state.lock().unwrap().seen.iter().filter(|seen| seen.method == method && seen.target.contains(target_contains)).count()
    }

    /// Picks the action for a request and logs it.
    fn decide(&self, method: &str, target: &str) -> Action {
        let mut state = self.state.lock().unwrap();
        let action = match state.rules.iter_mut().find(|rule| rule.matches(method, target)) {
            Some(rule) => {
                if let Some(times) = &mut rule.times {
                    *times -= 1;
                }
                rule.action.clone()
            }
            None => Self::fault_action(&mut state),
        };
        state.seen.push(Seen { method: method.to_string(), target: target.to_string(), action: action.clone() });
        action
    }

    fn fault_action(state: &mut State) -> Action {
        match state.fault {
            Fault::None => Action::Relay,
            Fault::DropResponses => Action::DropResponse,
            Fault::CutAfter(0) => Action::CutResponse,
            Fault::CutAfter(n) => {
                state.fault = Fault::CutAfter(n - 1);
                Action::Relay
            }
            Fault::Random { percent, .. } => {
                if state.random.below(100) >= percent {
                    return Action::Relay;
                }
                let pick = state.random.below(Action::LOSSES.len() as u64) as usize;
                Action::LOSSES[pick].clone()
            }
        }
    }

    async fn relay(&self, mut client: TcpStream, mut server: TcpStream) {
        loop {
            let Some(request) = read_message(&mut client).await else { return };
            let line = String::from_utf8_lossy(&request).lines().next().unwrap_or_default().to_string();
            let mut parts = line.split_whitespace();
            let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());

            let response = match self.decide(method, target) {
                Action::DropRequest => return,
                Action::CutRequest => {
                    let _ = server.write_all(&request[..request.len() / 2]).await;
                    return;
                }
                Action::Hold => return wait_for_close(&mut client).await,
                Action::Respond(canned) => canned.to_bytes(),
                action @ (Action::Relay | Action::DropResponse | Action::CutResponse) => {
                    if server.write_all(&request).await.is_err() {
                        return;
                    }
                    let Some(mut response) = read_message(&mut server).await else { return };
                    match action {
                        Action::DropResponse => return,
                        Action::CutResponse => {
                            response.truncate(response.len() / 2);
                            let _ = client.write_all(&response).await;
                            return;
                        }
                        _ => response,
                    }
                }
            };
            if client.write_all(&response).await.is_err() {
                return;
            }
        }
    }
}

/// Reads from the device until it closes the connection, discarding what it sends.
async fn wait_for_close(client: &mut TcpStream) {
    let mut buffer = [0u8; 1024];
    while let Ok(n) = client.read(&mut buffer).await {
        if n == 0 {
            return;
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
