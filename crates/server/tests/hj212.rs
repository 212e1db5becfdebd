//! Online monitoring over real TCP and HTTP: HJ 212 packets sent to the listener change the outlet
//! cards devices download, malformed packets are counted without stopping the listener, silent
//! monitors go offline, and `outlet hj212-sim` delivers its packets.

mod common;

use std::time::Duration;

use common::backend::Backend;
use outlet_core::api::ChangePage;
use outlet_core::card::{OnlineMonitor, OnlineStatus};
use outlet_core::OutletCard;
use outlet_hj212::{crc16, format_data_time, Command, Packet};
use outlet_server::hj212::{Hj212Config, Hj212StatsSnapshot, RunningHj212};
use outlet_server::{DataDir, RunningServer};
use time::{OffsetDateTime, PrimitiveDateTime};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The monitor of the demo power plant's boiler stack 1: SO₂ limit committed at 35 mg/m³.
const BOILER_MN: &str = "35010000DA0010000001";

/// The monitor of the demo paper mill's wastewater outlet: COD limit 90 mg/L.
const MILL_MN: &str = "35010000DW0010000001";

/// Maximum wait for work the server does in the background. A correct server needs milliseconds.
const PATIENCE: Duration = Duration::from_secs(15);

/// Returns the id of the demo outlet whose card lists monitor `mn`.
fn outlet_of(mn: &str) -> String {
    let cards = outlet_server::demo::demo_cards();
    let card = cards.iter().find(|card| card.monitors.iter().any(|monitor| monitor.mn == mn)).expect("a demo monitor");
    card.outlet.id.to_string()
}

/// The server's HTTP side and HJ 212 listener over the demo registry, with an officer logged in.
struct World {
    _backend: Backend,
    _data: DataDir,
    http: RunningServer,
    listener: RunningHj212,
    token: String,
}

impl World {
    async fn start(offline_after: Duration) -> World {
        World::start_with(Hj212Config { offline_after, ..Hj212Config::new("127.0.0.1:0") }).await
    }

    async fn start_with(config: Hj212Config) -> World {
        let backend = Backend::new();
        let data = backend.open(true);
        let state = data.state(None);
        let listener = RunningHj212::start(config, state.store.clone(), state.hj212.clone()).await.unwrap();
        let http = RunningServer::start("127.0.0.1:0", state).await.unwrap();
        let token = common::session::officer_token(&reqwest::Client::new(), &http.url()).await;
        World { _backend: backend, _data: data, http, listener, token }
    }

    async fn card(&self, outlet: &str) -> OutletCard {
        let url = format!("{}/api/v1/outlets/{outlet}/card", self.http.url());
        let response = reqwest::Client::new().get(url).bearer_auth(&self.token).send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    async fn monitor(&self, outlet: &str, mn: &str) -> OnlineMonitor {
        self.card(outlet).await.monitors.into_iter().find(|monitor| monitor.mn == mn).unwrap()
    }

    async fn changes(&self, since: u64) -> ChangePage {
        let url = format!("{}/api/v1/regions/350100/changes?since={since}&limit=2000", self.http.url());
        let response = reqwest::Client::new().get(url).bearer_auth(&self.token).send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Reads the counters from `GET /api/v1/hj212/stats`.
    async fn stats(&self) -> Hj212StatsSnapshot {
        let response = reqwest::get(format!("{}/api/v1/hj212/stats", self.http.url())).await.unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Polls the stats until `done` holds, for at most [`PATIENCE`].
    async fn stats_until(&self, what: &str, done: impl Fn(&Hj212StatsSnapshot) -> bool) -> Hj212StatsSnapshot {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let stats = self.stats().await;
            if done(&stats) {
                return stats;
            }
            assert!(tokio::time::Instant::now() < deadline, "{what} did not happen: {stats:#?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn connect(&self) -> Connection {
        let stream = TcpStream::connect(self.listener.addr).await.unwrap();
        let (reader, writer) = stream.into_split();
        Connection { reader: BufReader::new(reader), writer }
    }
}

/// A connection to the listener, kept open as a data acquisition unit keeps it.
struct Connection {
    reader: BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: tokio::net::tcp::OwnedWriteHalf,
}

impl Connection {
    async fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.unwrap();
    }

    /// Reads the next packet the listener sends, within [`PATIENCE`].
    async fn reply(&mut self) -> Packet {
        let mut line = Vec::new();
        tokio::time::timeout(PATIENCE, self.reader.read_until(b'\n', &mut line)).await.expect("a reply in time").unwrap();
        Packet::parse(&line).unwrap_or_else(|error| panic!("reply {:?}: {error}", String::from_utf8_lossy(&line)))
    }

    /// True when the listener closed the connection (within [`PATIENCE`]).
    async fn closed(&mut self) -> bool {
        let mut rest = Vec::new();
        let read = tokio::time::timeout(PATIENCE, self.reader.read_to_end(&mut rest)).await.expect("the close in time");
        read.is_ok()
    }
}

/// Now in China Standard Time, to the second, as a unit's `DataTime`.
fn local_now() -> PrimitiveDateTime {
    let now = OffsetDateTime::now_utc().to_offset(time::macros::offset!(+8)).replace_millisecond(0).unwrap();
    PrimitiveDateTime::new(now.date(), now.time())
}

/// Frames a data segment with its length, CRC and CR LF.
fn frame(data: &str) -> Vec<u8> {
    format!("##{:04}{data}{:04X}\r\n", data.len(), crc16(data.as_bytes())).into_bytes()
}

/// Builds a data upload (CN `cn`) of `mn` that requests a reply, with QN `qn` and the given CP fields.
fn upload(cn: u16, mn: &str, qn: &str, data_time: PrimitiveDateTime, values: &str) -> Vec<u8> {
    let st = if mn.contains("DW") { 32 } else { 31 };
    frame(&format!("QN={qn};ST={st};CN={cn};PW=123456;MN={mn};Flag=5;CP=&&DataTime={};{values}&&", format_data_time(data_time)))
}

fn real_time(mn: &str, values: &str) -> Vec<u8> {
    upload(2011, mn, "20261205100000001", local_now(), values)
}

#[tokio::test]
async fn valid_packet_updates_the_card_and_the_feed() {
    let world = World::start(Duration::from_secs(1800)).await;
    let before = world.card(&outlet_of(BOILER_MN)).await;
    let cursor = world.changes(0).await.next_cursor;
    let data_time = local_now();
    let mut unit = world.connect().await;

    unit.send(&upload(2011, BOILER_MN, "20261205100000123", data_time, "a21026-Rtd=20.5,a21026-Flag=N;a34013-Rtd=3.1,a34013-Flag=N")).await;
    let reply = unit.reply().await;

    assert_eq!((reply.cn, reply.qn.as_deref(), reply.mn.as_str()), (Command::DataResponse, Some("20261205100000123"), BOILER_MN));
    let card = world.card(&outlet_of(BOILER_MN)).await;
    assert_eq!(card.version, before.version + 1);
    let monitor = card.monitors.iter().find(|monitor| monitor.mn == BOILER_MN).unwrap();
    assert_eq!(monitor.status, OnlineStatus::Online);
    let so2 = monitor.latest.iter().find(|reading| reading.pollutant == "二氧化硫").unwrap();
    assert_eq!((so2.value, so2.unit.as_str(), so2.flag.as_str()), (20.5, "mg/m³", "N"));
    assert_eq!(so2.at, data_time.assume_offset(time::macros::offset!(+8)));
    assert!(monitor.last_seen.unwrap() > OffsetDateTime::now_utc() - time::Duration::minutes(1));
    let delta = world.changes(cursor).await;
    let change = delta.changes.iter().find(|change| change.outlet.to_string() == outlet_of(BOILER_MN)).expect("the card is in the feed");
    assert_eq!(change.card.as_ref().unwrap().version, card.version);
    let stats = world.stats().await;
    assert_eq!((stats.packets_accepted, stats.readings_stored, stats.replies_sent), (1, 2, 1));
}

#[tokio::test]
async fn hour_data_enters_the_trend() {
    let world = World::start(Duration::from_secs(1800)).await;
    let hour = local_now().replace_minute(0).unwrap().replace_second(0).unwrap();
    let mut unit = world.connect().await;

    unit.send(&upload(2061, MILL_MN, "20261205100000001", hour, "w01018-Avg=61.5,w01018-Min=55.0,w01018-Max=70.2,w01018-Flag=N")).await;
    unit.reply().await;

    let monitor = world.monitor(&outlet_of(MILL_MN), MILL_MN).await;
    let cod = monitor.hourly.iter().find(|series| series.pollutant == "化学需氧量").unwrap();
    let newest = cod.values.last().unwrap();
    assert_eq!((newest.value, newest.at), (61.5, hour.assume_offset(time::macros::offset!(+8))));
    assert!(cod.values.len() <= 24);
    assert!(cod.values.windows(2).all(|pair| pair[0].at < pair[1].at));
}

#[tokio::test]
async fn malformed_packets_counted_connection_kept() {
    let world = World::start(Duration::from_secs(1800)).await;
    let good = real_time(BOILER_MN, "a21026-Rtd=20.0,a21026-Flag=N");
    let mut bad_crc = good.clone();
    let at = bad_crc.len() - 3;
    bad_crc[at] = if bad_crc[at] == b'0' { b'1' } else { b'0' };
    let mut bad_length = good.clone();
    bad_length[5] = if bad_length[5] == b'0' { b'1' } else { b'0' };
    let mut oversize = vec![b'#'; 1500];
    oversize.extend_from_slice(b"\r\n");
    let mut unit = world.connect().await;

    for bytes in [&bad_crc, &bad_length, &b"hello, is anyone there?\r\n".to_vec(), &oversize] {
        unit.send(bytes).await;
    }
    unit.send(&good).await;

    assert_eq!(unit.reply().await.cn, Command::DataResponse, "the same connection is still served");
    let mut another = world.connect().await;
    another.send(&good).await;
    assert_eq!(another.reply().await.cn, Command::DataResponse, "a new connection is served");
    let stats = world.stats().await;
    let kinds: Vec<(&str, u64)> = stats.malformed.iter().map(|(kind, count)| (kind.as_str(), *count)).collect();
    assert_eq!(kinds, vec![("crc_mismatch", 1), ("length_mismatch", 1), ("missing_header", 1), ("oversize", 1)]);
    assert_eq!(stats.malformed_total, 4);
    assert_eq!(stats.packets_accepted, 2);
    assert_eq!(stats.connections_dropped, 0);
}

#[tokio::test]
async fn garbage_only_connection_closed() {
    let world = World::start(Duration::from_secs(1800)).await;
    let mut noisy = world.connect().await;

    for _ in 0..Hj212Config::new("").max_bad_packets {
        noisy.send(b"GET / HTTP/1.1\r\n").await;
    }

    assert!(noisy.closed().await);
    let stats = world.stats_until("the drop", |stats| stats.connections_dropped == 1).await;
    assert_eq!(stats.malformed.get("missing_header"), Some(&5));
    let mut unit = world.connect().await;
    unit.send(&real_time(BOILER_MN, "a21026-Rtd=20.0")).await;
    assert_eq!(unit.reply().await.cn, Command::DataResponse);
}

#[tokio::test]
async fn idle_connection_is_closed() {
    let world = World::start_with(Hj212Config { idle_timeout: Duration::from_millis(200), ..Hj212Config::new("127.0.0.1:0") }).await;
    let mut unit = world.connect().await;
    unit.send(&real_time(BOILER_MN, "a21026-Rtd=20.0")).await;
    unit.reply().await;

    assert!(unit.closed().await, "closed after 200 ms without data");
    world.stats_until("the idle close", |stats| stats.connections_idle_closed == 1 && stats.connections_open == 0).await;
}

#[tokio::test]
async fn connections_over_the_limit_are_refused() {
    let world = World::start_with(Hj212Config { max_connections: 1, ..Hj212Config::new("127.0.0.1:0") }).await;
    let mut first = world.connect().await;
    first.send(&real_time(BOILER_MN, "a21026-Rtd=20.0")).await;
    first.reply().await;

    let mut second = world.connect().await;

    assert!(second.closed().await, "the second connection is closed at once");
    first.send(&real_time(BOILER_MN, "a21026-Rtd=21.0")).await;
    assert_eq!(first.reply().await.cn, Command::DataResponse, "the first one is still served");
    let stats = world.stats().await;
    assert_eq!((stats.connections_refused, stats.connections_open), (1, 1));
}

#[tokio::test]
async fn unknown_mn_is_counted_and_not_answered() {
    let world = World::start(Duration::from_secs(1800)).await;
    let mut unit = world.connect().await;

    unit.send(&real_time("NOSUCHMN000000000001", "a21026-Rtd=20.0")).await;
    unit.send(&real_time(BOILER_MN, "a21026-Rtd=20.0")).await;

    let reply = unit.reply().await;
    assert_eq!(reply.mn, BOILER_MN, "the unknown MN got no reply");
    let stats = world.stats_until("the unknown MN count", |stats| stats.unknown_mn == 1).await;
    assert_eq!(stats.packets_accepted, 2);
    assert_eq!(stats.replies_sent, 1);
}

#[tokio::test]
async fn exceedance_is_marked_on_card_and_public_page() {
    let world = World::start(Duration::from_secs(1800)).await;
    let mut unit = world.connect().await;

    unit.send(&real_time(BOILER_MN, "a21026-Rtd=30.0,a21026-ZsRtd=41.7,a21026-Flag=N;a21002-Rtd=20.0,a21002-Flag=N")).await;
    unit.reply().await;

    let card = world.card(&outlet_of(BOILER_MN)).await;
    let monitor = card.monitors.iter().find(|monitor| monitor.mn == BOILER_MN).unwrap();
    let so2 = monitor.latest.iter().find(|reading| reading.pollutant == "二氧化硫").unwrap();
    assert_eq!(so2.value, 41.7, "the converted value is the one limits apply to");
    assert!(card.exceeds_limit(so2), "41.7 is above the committed 35 mg/m³");
    let nox = monitor.latest.iter().find(|reading| reading.pollutant == "氮氧化物").unwrap();
    assert!(!card.exceeds_limit(nox));
    assert_eq!(world.stats().await.exceedances, 1);
    let page = reqwest::get(format!("{}/o/{}", world.http.url(), outlet_of(BOILER_MN))).await.unwrap().text().await.unwrap();
    assert!(page.contains("41.7"), "the public page shows the reading");
    assert!(page.contains("超标"), "the public page marks the exceedance");
}

#[tokio::test]
async fn fault_and_maintenance_flags_set_the_status() {
    let world = World::start(Duration::from_secs(1800)).await;
    let mut unit = world.connect().await;

    unit.send(&real_time(BOILER_MN, "a21026-Rtd=0.0,a21026-Flag=D;a21002-Rtd=20.0,a21002-Flag=N")).await;
    unit.reply().await;
    let faulty = world.monitor(&outlet_of(BOILER_MN), BOILER_MN).await;
    unit.send(&real_time(BOILER_MN, "a21026-Rtd=20.0,a21026-Flag=C")).await;
    unit.reply().await;
    let calibrating = world.monitor(&outlet_of(BOILER_MN), BOILER_MN).await;

    assert_eq!(faulty.status, OnlineStatus::Fault);
    assert_eq!(faulty.latest.iter().find(|reading| reading.pollutant == "二氧化硫").unwrap().flag, "D");
    assert_eq!(calibrating.status, OnlineStatus::Maintenance);
}

#[tokio::test]
async fn silent_monitor_goes_offline() {
    let world = World::start(Duration::from_secs(1)).await;
    let mut unit = world.connect().await;
    unit.send(&real_time(BOILER_MN, "a21026-Rtd=20.0")).await;
    unit.reply().await;
    let online = world.monitor(&outlet_of(BOILER_MN), BOILER_MN).await;

    let deadline = tokio::time::Instant::now() + PATIENCE;
    let offline = loop {
        let monitor = world.monitor(&outlet_of(BOILER_MN), BOILER_MN).await;
        if monitor.status == OnlineStatus::Offline {
            break monitor;
        }
        assert!(tokio::time::Instant::now() < deadline, "still {:?}", monitor.status);
        tokio::time::sleep(Duration::from_millis(50)).await;
    };

    assert_eq!(online.status, OnlineStatus::Online);
    assert_eq!(offline.last_seen, online.last_seen, "going offline keeps the time of the last data");
    assert!(world.stats().await.monitors_set_offline >= 1);
    let card = world.card(&outlet_of(BOILER_MN)).await;
    assert!(card.version >= 2, "the offline status was written as a new version");
}

#[tokio::test]
async fn simulator_packets_arrive() {
    let world = World::start(Duration::from_secs(1800)).await;
    let to = world.listener.addr.to_string();

    let output = outlet(&["hj212-sim", "--to", &to, "--demo", "--mn", MILL_MN, "--count", "3", "--interval", "50ms", "--seed", "7"]).await;

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("3 packets sent"), "{stderr}");
    assert!(stderr.contains("3 acknowledged"), "{stderr}");
    let stats = world.stats().await;
    assert_eq!((stats.packets_accepted, stats.malformed_total, stats.unknown_mn), (3, 0, 0));
    let monitor = world.monitor(&outlet_of(MILL_MN), MILL_MN).await;
    let cod = monitor.latest.iter().find(|reading| reading.pollutant == "化学需氧量").unwrap();
    assert!(monitor.last_seen.unwrap() > OffsetDateTime::now_utc() - time::Duration::minutes(1));
    assert!((0.4 * 90.0..=0.8 * 90.0).contains(&cod.value), "COD {} is 40-80 % of the 90 mg/L limit", cod.value);
}

#[tokio::test]
async fn simulator_exceed_pushes_one_pollutant_over_its_limit() {
    let world = World::start(Duration::from_secs(1800)).await;
    let to = world.listener.addr.to_string();

    let output = outlet(&["hj212-sim", "--to", &to, "--demo", "--mn", BOILER_MN, "--count", "1", "--exceed", "--seed", "7"]).await;

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let card = world.card(&outlet_of(BOILER_MN)).await;
    let monitor = card.monitors.iter().find(|monitor| monitor.mn == BOILER_MN).unwrap();
    let over: Vec<&str> = monitor.latest.iter().filter(|reading| card.exceeds_limit(reading)).map(|reading| reading.pollutant.as_str()).collect();
    assert_eq!(over, vec!["烟尘"], "the first pollutant of the monitor is pushed over");
    assert_eq!(world.stats().await.exceedances, 1);
}

/// `outlet serve --hj212` starts the listener beside the HTTP server.
#[tokio::test]
async fn serve_command_starts_the_listener() {
    let dir = tempfile::tempdir().unwrap();
    let (http, hj212) = (free_port(), free_port());
    let server = std::process::Command::new(env!("CARGO_BIN_EXE_outlet"))
        .args(["serve", "--demo", "--addr", &http, "--hj212", &hj212, "--hj212-offline-after", "45", "--data-dir"])
        .arg(dir.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let _server = KillOnDrop(server);

    let stats = poll_stats(&format!("http://{http}/api/v1/hj212/stats")).await;
    let sent = outlet(&["hj212-sim", "--to", &hj212, "--mn", BOILER_MN, "--count", "2", "--interval", "10ms"]).await;
    let after = poll_stats(&format!("http://{http}/api/v1/hj212/stats")).await;

    assert_eq!(stats.listening.as_deref(), Some(hj212.as_str()));
    assert!(sent.status.success(), "{}", String::from_utf8_lossy(&sent.stderr));
    assert_eq!(after.packets_accepted, 2);
}

/// Ends the server process this test started, also when the test fails.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the `outlet` command off the async runtime, which keeps serving meanwhile.
async fn outlet(args: &[&str]) -> std::process::Output {
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    tokio::task::spawn_blocking(move || std::process::Command::new(env!("CARGO_BIN_EXE_outlet")).args(&args).output().unwrap()).await.unwrap()
}

fn free_port() -> String {
    let socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    socket.local_addr().unwrap().to_string()
}

/// Reads the stats once the server responds, within [`PATIENCE`].
async fn poll_stats(url: &str) -> Hj212StatsSnapshot {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if let Ok(response) = reqwest::get(url).await {
            return response.json().await.unwrap();
        }
        assert!(tokio::time::Instant::now() < deadline, "{url} did not answer");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The MN lookup follows card writes: a monitor moved to another outlet, dropped from its card, or
/// on a removed card is found where it is now, or not at all.
#[test]
fn monitor_lookup_follows_card_writes() {
    let backend = Backend::new();
    let data = backend.open(true);
    let store = data.store.clone();
    let cards = outlet_server::demo::demo_cards();
    let boiler = cards.iter().find(|card| card.outlet.id.to_string() == outlet_of(BOILER_MN)).unwrap().clone();
    let mill = cards.iter().find(|card| card.outlet.id.to_string() == outlet_of(MILL_MN)).unwrap().clone();
    assert_eq!(store.outlet_of_monitor(BOILER_MN).unwrap(), Some(boiler.outlet.id.clone()));

    let mut moved = mill.clone();
    moved.monitors.push(boiler.monitors[0].clone());
    store.upsert_card(&moved).unwrap();
    let mut without = boiler.clone();
    without.monitors.clear();
    store.upsert_card(&without).unwrap();
    assert_eq!(store.outlet_of_monitor(BOILER_MN).unwrap(), Some(mill.outlet.id.clone()), "moved to the mill");

    store.remove_card(&mill.outlet.id).unwrap();
    assert_eq!(store.outlet_of_monitor(BOILER_MN).unwrap(), None, "its card is gone");
    assert_eq!(store.outlet_of_monitor(MILL_MN).unwrap(), None);
    assert_eq!(store.outlet_of_monitor("NOSUCHMN").unwrap(), None);
}
