//! `outlet hj212-sim`: a data acquisition unit simulator for the demo and the tests.
//!
//! It sends HJ 212-2017 data packets for one or more MNs to a listener. Values lie between 40 % and
//! 80 % of each pollutant's permitted limit, and a few packets carry a calibration or fault flag.
//! With `--exceed`, one pollutant per MN is above its limit. Each packet requests a reply, and the
//! command reports how many came back.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, ValueEnum};
use outlet_core::OutletCard;
use outlet_hj212::{code_of_pollutant, format_data_time, Command, Cp, DataFlag, Packet, PacketFlag, PollutantValues};
use outlet_server::store::ServerStore;
use time::{OffsetDateTime, PrimitiveDateTime};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::TcpStream;

use crate::hj212_options::parse_duration;
use crate::CliError;

/// How long the simulator keeps trying to reach the listener before it gives up.
const CONNECT_PATIENCE: Duration = Duration::from_secs(30);

/// How long it waits for the last replies after the last packet.
const REPLY_GRACE: Duration = Duration::from_secs(2);

#[derive(Args)]
pub struct SimArgs {
    /// Address and port of the HJ 212 listener (`outlet serve --hj212`).
    #[arg(long, value_name = "ADDR")]
    to: String,
    /// Device id to send for; repeat for several. With --data-dir or --demo, only these of the
    /// registry's monitors; an MN the registry lacks sends SO₂, NOx and smoke dust.
    #[arg(long = "mn", value_name = "MN")]
    mns: Vec<String>,
    /// Take the monitors, their pollutants and limits from this data folder (not while a server
    /// uses it: the database allows one process).
    #[arg(long, value_name = "DIR", conflicts_with = "demo")]
    data_dir: Option<PathBuf>,
    /// Take the monitors, their pollutants and limits from the demo registry.
    #[arg(long)]
    demo: bool,
    /// Time between rounds (one packet per MN each round), e.g. 30s or 500ms.
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    interval: Duration,
    /// Stop after this many packets in all; without it, run until stopped.
    #[arg(long)]
    count: Option<u64>,
    /// Send one pollutant of each MN at 110 % to 150 % of its limit.
    #[arg(long)]
    exceed: bool,
    /// Kind of data to send.
    #[arg(long, value_enum, default_value_t = DataKind::RealTime)]
    data: DataKind,
    /// Seed of the value generator, to repeat a run; the clock by default.
    #[arg(long)]
    seed: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DataKind {
    /// CN 2011, real-time values.
    RealTime,
    /// CN 2051, minute averages.
    Minute,
    /// CN 2061, hour averages for the previous full hour.
    Hour,
}

/// One simulated device: its MN, medium and the pollutants it reports.
#[derive(Debug, Clone)]
struct Device {
    mn: String,
    water: bool,
    pollutants: Vec<SimPollutant>,
}

#[derive(Debug, Clone)]
struct SimPollutant {
    code: String,
    /// The permitted concentration values are drawn around.
    limit: f64,
}

pub fn run(args: SimArgs) -> Result<(), CliError> {
    let devices = devices(&args)?;
    if devices.is_empty() {
        return Err(CliError::Usage("no monitor to simulate: pass --mn MN, --demo or --data-dir DIR with outlets that have online monitors".into()));
    }
    let seed = args.seed.unwrap_or_else(|| OffsetDateTime::now_utc().unix_timestamp_nanos() as u64);

    let runtime = tokio::runtime::Runtime::new().map_err(|source| CliError::Io { path: PathBuf::from(&args.to), source })?;
    runtime.block_on(send(&args, &devices, seed))
}

/// Collects the devices to simulate from the registry (`--demo`, `--data-dir`) and `--mn`.
fn devices(args: &SimArgs) -> Result<Vec<Device>, CliError> {
    let cards = match (&args.data_dir, args.demo) {
        (Some(dir), _) => outlet_server::store::SledStore::open(&dir.join("db"))?.cards()?,
        (None, true) => outlet_server::demo::demo_cards(),
        (None, false) => Vec::new(),
    };

    let mut devices: Vec<Device> = cards.iter().flat_map(devices_of_card).filter(|device| args.mns.is_empty() || args.mns.contains(&device.mn)).collect();
    for mn in &args.mns {
        if !devices.iter().any(|device| &device.mn == mn) {
            devices.push(default_device(mn));
        }
    }
    Ok(devices)
}

/// Makes one device per monitor of the card that measures at least one pollutant with an HJ 212 code.
fn devices_of_card(card: &OutletCard) -> Vec<Device> {
    let mut devices = Vec::new();
    for monitor in &card.monitors {
        let pollutants: Vec<SimPollutant> = monitor.pollutants.iter().filter_map(|name| sim_pollutant(card, name)).collect();
        if pollutants.is_empty() {
            eprintln!("hj212-sim: skipping MN {}: none of its pollutants has an HJ 212 code", monitor.mn);
            continue;
        }
        let water = pollutants.iter().all(|pollutant| pollutant.code.starts_with('w'));
        devices.push(Device { mn: monitor.mn.clone(), water, pollutants });
    }
    devices
}

fn sim_pollutant(card: &OutletCard, name: &str) -> Option<SimPollutant> {
    let limit = card.limits.iter().find(|limit| limit.pollutant == name);
    let code = limit.and_then(|limit| limit.hj212_code.clone()).or_else(|| code_of_pollutant(name).map(|entry| entry.code.to_string()))?;
    let value = limit.and_then(|limit| limit.binding()).and_then(|binding| binding.numeric()).map_or(50.0, |(value, _)| value);
    Some(SimPollutant { code, limit: value })
}

/// Makes a flue-gas device with the ultra-low emission limits of coal-fired boilers.
fn default_device(mn: &str) -> Device {
    let pollutant = |code: &str, limit| SimPollutant { code: code.into(), limit };
    Device { mn: mn.to_string(), water: false, pollutants: vec![pollutant("a21026", 35.0), pollutant("a21002", 50.0), pollutant("a34013", 10.0)] }
}

async fn send(args: &SimArgs, devices: &[Device], seed: u64) -> Result<(), CliError> {
    let io_error = |source| CliError::Io { path: PathBuf::from(&args.to), source };
    let replies = Arc::new(AtomicU64::new(0));
    let mut random = Random(seed | 1);
    let mut connection = None;
    let mut sent = 0u64;
    let mut ticks = tokio::time::interval(args.interval);

    eprintln!("hj212-sim: {} MN(s) to {} every {:?}", devices.len(), args.to, args.interval);
    'rounds: loop {
        ticks.tick().await;
        for device in devices {
            let packet = packet(device, args, &mut random, OffsetDateTime::now_utc());
            let bytes = packet.encode().map_err(|error| CliError::Usage(format!("packet for MN {} could not be encoded: {error}", device.mn)))?;

            let writer = match &mut connection {
                Some(writer) => writer,
                None => connection.insert(connect(&args.to, replies.clone()).await.map_err(io_error)?),
            };
            if let Err(error) = writer.write_all(&bytes).await {
                eprintln!("hj212-sim: connection lost ({error}); reconnecting");
                connection = None;
                continue;
            }

            sent += 1;
            if args.count.is_some_and(|count| sent >= count) {
                break 'rounds;
            }
        }
    }

    let deadline = tokio::time::Instant::now() + REPLY_GRACE;
    while replies.load(Ordering::Relaxed) < sent && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!("hj212-sim: {sent} packets sent to {}, {} acknowledged", args.to, replies.load(Ordering::Relaxed));
    Ok(())
}

/// Connects, retrying for [`CONNECT_PATIENCE`] as a real data acquisition unit would, and starts counting replies.
async fn connect(addr: &str, replies: Arc<AtomicU64>) -> std::io::Result<tokio::net::tcp::OwnedWriteHalf> {
    let deadline = tokio::time::Instant::now() + CONNECT_PATIENCE;
    loop {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                let (reader, writer) = stream.into_split();
                tokio::spawn(count_replies(reader, replies));
                return Ok(writer);
            }
            Err(error) if tokio::time::Instant::now() < deadline => {
                eprintln!("hj212-sim: {addr} not reachable yet ({error}); retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(error) => return Err(error),
        }
    }
}

/// Counts the data responses (CN 9014) the listener sends back.
async fn count_replies(reader: OwnedReadHalf, replies: Arc<AtomicU64>) {
    let mut lines = BufReader::new(reader).split(b'\n');
    while let Ok(Some(mut line)) = lines.next_segment().await {
        line.push(b'\n');
        if Packet::parse(&line).is_ok_and(|packet| packet.cn == Command::DataResponse) {
            replies.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Builds the next packet of `device`.
fn packet(device: &Device, args: &SimArgs, random: &mut Random, now: OffsetDateTime) -> Packet {
    let local = now.to_offset(time::macros::offset!(+8));
    let local = PrimitiveDateTime::new(local.date(), local.time());
    let (cn, data_time) = match args.data {
        DataKind::RealTime => (Command::RealTimeData, local.replace_millisecond(0).expect("0 ms is valid")),
        DataKind::Minute => (Command::MinuteData, local.replace_second(0).and_then(|t| t.replace_millisecond(0)).expect("valid")),
        DataKind::Hour => (Command::HourData, local.replace_minute(0).and_then(|t| t.replace_second(0)).and_then(|t| t.replace_millisecond(0)).expect("valid") - time::Duration::hours(1)),
    };

    let flag_roll = random.unit();
    let pollutants = device
        .pollutants
        .iter()
        .enumerate()
        .map(|(index, pollutant)| {
            let share = if args.exceed && index == 0 { random.between(1.1, 1.5) } else { random.between(0.4, 0.8) };
            let value = round(pollutant.limit * share);
            let flag = match flag_roll {
                roll if roll < 0.02 => DataFlag::Calibration,
                roll if roll < 0.03 && index == 0 => DataFlag::Fault,
                _ => DataFlag::Normal,
            };
            let mut values = PollutantValues { flag: Some(flag), ..PollutantValues::new(&pollutant.code) };
            match cn {
                Command::RealTimeData => values.rtd = Some(value),
                _ => {
                    values.avg = Some(value);
                    values.min = Some(round(value * 0.9));
                    values.max = Some(round(value * 1.1));
                }
            }
            values
        })
        .collect();

    Packet {
        qn: Some(format!("{}{:03}", format_data_time(local.replace_millisecond(0).expect("valid")), local.millisecond())),
        st: if device.water { "32" } else { "31" }.into(),
        cn,
        pw: "123456".into(),
        mn: device.mn.clone(),
        flag: Some(PacketFlag::V2017_REPLY),
        pnum: None,
        pno: None,
        cp: Cp { data_time: Some(data_time), pollutants, other: Vec::new() },
    }
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// A small xorshift generator: enough for plausible demo values, no dependency.
struct Random(u64);

impl Random {
    /// Returns a number in [0, 1).
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.unit()
    }
}
