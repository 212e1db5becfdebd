//! Inspection intake under load: simulated devices that log in and then all send their frozen
//! inspections at once through `outlet_sync::SyncClient`, as the app's outbox does.
//!
//! `intake_load load URL --devices N --records M` logs N devices in to the server at URL (one login
//! and device key each), freezes M distinct records per device as that device's chain, signed with
//! its key, and releases every device at the same instant. Each device sends its records one after another. The run prints the intake rate
//! and the latency of each submission. It then sends every record again and checks that each
//! resend gets back its original receipt. It exits non-zero when a record was not acknowledged,
//! two records got the same receipt number, or a resend got another receipt.
//!
//! `intake_load count --data-dir DIR [--database URL]` prints how many inspections the store
//! holds. Run it after the server stops, because the sled database admits one process at a time.
//!
//! `scripts/bench-load.sh` runs both against `outlet serve`; the results are in docs/BENCHMARKS.md.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use data_encoding::BASE64;
use ed25519_dalek::SigningKey;
use outlet_core::api::{DeviceRegistration, LoginRequest, Receipt};
use outlet_core::fixtures;
use outlet_core::inspection::{FreezeContext, FrozenInspection};
use outlet_core::OutletId;
use outlet_server::accounts::demo::{DEMO_ACCOUNTS, DEMO_OFFICER_PASSWORD};
use outlet_sync::{SubmitOutcome, SyncClient};
use time::OffsetDateTime;

/// Attempts per record before the device gives up on it. Any retry fails the run's checks.
const MAX_ATTEMPTS: u32 = 3;

/// Pause before a retry. A device waits 15 s or more (`RetryPolicy`), but a load run should not.
const RETRY_PAUSE: Duration = Duration::from_millis(200);

/// Logins sent at once. Each login costs the server an Argon2 check of about 19 MiB.
const CONCURRENT_LOGINS: usize = 4;

#[derive(Parser)]
#[command(about = "Simulated devices sending inspections to an Outlet Inspector server at once")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Log devices in, send every device's records at once, then resend them all and compare receipts.
    Load {
        /// Base URL of the server, e.g. http://127.0.0.1:8080.
        url: String,
        /// Simulated devices, each with its own login, connection and records.
        #[arg(long, default_value_t = 100)]
        devices: usize,
        /// Records each device sends, one after another.
        #[arg(long, default_value_t = 10)]
        records: usize,
        /// Officer account the devices log in as; its jurisdiction must contain the demo outlets.
        #[arg(long, env = "OUTLET_BADGE_NO", default_value = DEMO_ACCOUNTS[0].0)]
        badge_no: String,
        #[arg(long, env = "OUTLET_PASSWORD", default_value = DEMO_OFFICER_PASSWORD, hide_env_values = true)]
        password: String,
    },
    /// Print the number of inspections stored in a data folder or PostgreSQL database.
    Count {
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long = "database", env = "OUTLET_DATABASE_URL", hide_env_values = true, value_name = "URL")]
        database_url: Option<String>,
    },
}

/// Failure of the load run before any record was sent.
#[derive(Debug, thiserror::Error)]
enum LoadError {
    #[error("login of device {device} failed: {source}")]
    Login { device: usize, source: outlet_sync::SyncError },
    #[error("freezing a record failed: {0}")]
    Freeze(#[from] outlet_core::inspection::FreezeError),
    #[error("opening the store failed: {0}")]
    Store(#[from] outlet_server::store::StoreError),
    #[error("the async runtime did not start: {0}")]
    Runtime(#[from] std::io::Error),
    #[error("--devices and --records must be at least 1")]
    Empty,
}

/// What happened to one record during the timed run.
struct Sent {
    frozen: FrozenInspection,
    /// The receipt of the last attempt, if it was an acknowledgement.
    receipt: Option<Receipt>,
    attempts: u32,
    /// Time from the first attempt to the acknowledgement or the last failure.
    latency: Duration,
    /// The reason of the last failed attempt.
    last_error: Option<String>,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Load { url, devices, records, badge_no, password } => {
            tokio::runtime::Runtime::new().map_err(LoadError::from).and_then(|runtime| runtime.block_on(load(&url, devices, records, &badge_no, &password)))
        }
        Command::Count { data_dir, database_url } => count(&data_dir, database_url.as_deref().filter(|url| !url.trim().is_empty())),
    };

    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("intake_load: {error}");
            ExitCode::FAILURE
        }
    }
}

fn count(data_dir: &std::path::Path, database_url: Option<&str>) -> Result<bool, LoadError> {
    let store = outlet_server::store::open(&data_dir.join("db"), database_url)?;
    println!("stored_inspections={}", store.inspection_count()?);
    Ok(true)
}

/// Runs the load and prints one `key=value` line of results. Returns whether every check passed.
async fn load(url: &str, devices: usize, records: usize, badge_no: &str, password: &str) -> Result<bool, LoadError> {
    if devices == 0 || records == 0 {
        return Err(LoadError::Empty);
    }

    let identities: Vec<Device> = (0..devices).map(|_| Device::new()).collect();
    let clients = log_in_devices(url, &identities, badge_no, password).await?;
    let outlets: Vec<OutletId> = outlet_server::demo::demo_cards().into_iter().map(|card| card.outlet.id).collect();
    let mut outboxes = Vec::with_capacity(devices);
    for (number, device) in identities.iter().enumerate() {
        outboxes.push(device.outbox(&outlets, number, records)?);
    }

    let start = Arc::new(tokio::sync::Barrier::new(devices + 1));
    let mut tasks = Vec::with_capacity(devices);
    for (client, outbox) in clients.iter().cloned().zip(outboxes) {
        let start = start.clone();
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            send_outbox(&client, outbox).await
        }));
    }
    start.wait().await;
    let began = Instant::now();
    let mut sent = Vec::with_capacity(devices * records);
    for task in tasks {
        let outbox = task.await.expect("a device task does not panic");
        sent.extend(outbox);
    }
    let elapsed = began.elapsed();

    let resends = resend_all(&clients, &sent, records).await;
    Ok(report(&sent, elapsed, devices, records, resends))
}

/// A simulated device: its id and the Ed25519 key it signs its records with.
struct Device {
    id: uuid::Uuid,
    key: SigningKey,
}

impl Device {
    /// Makes a new device with a fresh id and a key derived from it. The key signs only load-test
    /// records, so it need not be secret.
    fn new() -> Self {
        let id = uuid::Uuid::new_v4();
        let secret: [u8; 32] = id.as_u128().to_le_bytes().repeat(2).try_into().expect("16 bytes twice are 32");
        Self { id, key: SigningKey::from_bytes(&secret) }
    }

    fn login_request(&self, badge_no: &str, password: &str) -> LoginRequest {
        let public_key = BASE64.encode(self.key.verifying_key().as_bytes());
        LoginRequest { badge_no: badge_no.into(), password: password.into(), device: DeviceRegistration { device_id: self.id, public_key, label: "intake_load".into() } }
    }

    /// Freezes `records` complete records on the demo outlets, distinct for each device (`number`)
    /// and record, as this device's chain: sequence numbers from 1, each naming the hash of the last.
    fn outbox(&self, outlets: &[OutletId], number: usize, records: usize) -> Result<Vec<FrozenInspection>, LoadError> {
        let mut outbox: Vec<FrozenInspection> = Vec::with_capacity(records);
        for record in 0..records {
            let outlet = outlets[(number + record) % outlets.len()].clone();
            let draft = fixtures::complete_draft(outlet, &format!("负载测试：设备 {number}，第 {record} 份笔录"));
            let context = FreezeContext {
                ended_at: OffsetDateTime::now_utc(),
                device_id: self.id,
                device_seq: record as u64 + 1,
                previous_sha256: outbox.last().map(|previous| previous.sha256.clone()),
                key: &self.key,
            };
            outbox.push(draft.freeze(&context)?);
        }
        Ok(outbox)
    }
}

/// Logs each device in with its own device id and key, a few at a time.
async fn log_in_devices(url: &str, devices: &[Device], badge_no: &str, password: &str) -> Result<Vec<SyncClient>, LoadError> {
    use futures::stream::{self, StreamExt, TryStreamExt};

    stream::iter(devices.iter().enumerate())
        .map(|(number, device)| async move {
            let mut client = SyncClient::new(url);
            let session = client.log_in(&device.login_request(badge_no, password)).await.map_err(|source| LoadError::Login { device: number, source })?;
            client.set_token(Some(session.token));
            Ok::<_, LoadError>(client)
        })
        .buffered(CONCURRENT_LOGINS)
        .try_collect()
        .await
}

/// Sends one device's records in order, retrying a record that did not get a receipt.
async fn send_outbox(client: &SyncClient, outbox: Vec<FrozenInspection>) -> Vec<Sent> {
    let mut results = Vec::with_capacity(outbox.len());
    for frozen in outbox {
        let began = Instant::now();
        let mut sent = Sent { frozen, receipt: None, attempts: 0, latency: Duration::ZERO, last_error: None };
        while sent.receipt.is_none() && sent.attempts < MAX_ATTEMPTS {
            if sent.attempts > 0 {
                tokio::time::sleep(RETRY_PAUSE).await;
            }
            sent.attempts += 1;
            match client.submit(&sent.frozen).await {
                SubmitOutcome::Acknowledged(receipt) => sent.receipt = Some(receipt),
                SubmitOutcome::RetryLater { reason, .. } => sent.last_error = Some(reason),
                SubmitOutcome::Rejected { status, error } => {
                    sent.last_error = Some(format!("HTTP {status} {}: {}", error.code, error.message_en));
                    break;
                }
                SubmitOutcome::Unauthorized(error) => {
                    sent.last_error = Some(format!("HTTP 401 {}: {}", error.code, error.message_en));
                    break;
                }
            }
        }
        sent.latency = began.elapsed();
        results.push(sent);
    }
    results
}

/// Sends every acknowledged record again from its own device and counts the resends whose receipt
/// equals the original one.
async fn resend_all(clients: &[SyncClient], sent: &[Sent], records: usize) -> usize {
    let mut tasks = Vec::with_capacity(clients.len());
    for (client, outbox) in clients.iter().cloned().zip(sent.chunks(records)) {
        let originals: Vec<(FrozenInspection, Receipt)> = outbox.iter().filter_map(|s| Some((s.frozen.clone(), s.receipt.clone()?))).collect();
        tasks.push(tokio::spawn(async move {
            let mut matching = 0;
            for (frozen, original) in originals {
                match client.submit(&frozen).await {
                    SubmitOutcome::Acknowledged(receipt) if receipt == original => matching += 1,
                    other => eprintln!("intake_load: resend of {} got {other:?} instead of receipt {}", frozen.id, original.receipt_no),
                }
            }
            matching
        }));
    }

    let mut matching = 0;
    for task in tasks {
        matching += task.await.expect("a resend task does not panic");
    }
    matching
}

/// Prints the results as one line of `key=value` pairs and returns whether every check passed.
fn report(sent: &[Sent], elapsed: Duration, devices: usize, records: usize, resends_matching: usize) -> bool {
    let total = devices * records;
    let acknowledged = sent.iter().filter(|s| s.receipt.is_some()).count();
    let retries: u32 = sent.iter().map(|s| s.attempts.saturating_sub(1)).sum();
    let mut receipt_numbers: Vec<&str> = sent.iter().filter_map(|s| Some(s.receipt.as_ref()?.receipt_no.as_str())).collect();
    receipt_numbers.sort_unstable();
    receipt_numbers.dedup();
    let mut latencies: Vec<Duration> = sent.iter().map(|s| s.latency).collect();
    latencies.sort_unstable();

    for failed in sent.iter().filter(|s| s.receipt.is_none()) {
        eprintln!("intake_load: record {} not acknowledged after {} attempts: {}", failed.frozen.id, failed.attempts, failed.last_error.as_deref().unwrap_or("no reason"));
    }
    let seconds = elapsed.as_secs_f64();
    println!(
        "devices={devices} records_per_device={records} records={total} seconds={seconds:.3} records_per_s={:.0} p50_ms={:.1} p99_ms={:.1} max_ms={:.1} acknowledged={acknowledged} retries={retries} failed={} distinct_receipts={} resends_matching={resends_matching}",
        total as f64 / seconds,
        percentile_ms(&latencies, 0.50),
        percentile_ms(&latencies, 0.99),
        percentile_ms(&latencies, 1.0),
        total - acknowledged,
        receipt_numbers.len(),
    );
    acknowledged == total && retries == 0 && receipt_numbers.len() == total && resends_matching == total
}

/// The `fraction` quantile of sorted `latencies` (nearest rank), in milliseconds.
fn percentile_ms(latencies: &[Duration], fraction: f64) -> f64 {
    let rank = ((latencies.len() as f64 * fraction).ceil() as usize).clamp(1, latencies.len());
    latencies[rank - 1].as_secs_f64() * 1000.0
}
