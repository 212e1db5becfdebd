//! `outlet`: run the server, import the registry, issue placards, manage signing keys and accounts,
//! and check placard photos.

mod accounts_command;
mod database_arg;
mod hj212_options;
mod hj212_sim_command;
mod import_command;
mod keys_command;
mod placard_command;
mod scan_command;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use outlet_server::DataDir;

#[derive(Parser)]
#[command(name = "outlet", version, about = "Outlet Inspector: outlet cards, placards and inspection records for pollutant discharge permits")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server: outlet cards, inspection intake, the public placard page and the web app.
    Serve {
        /// Address and port to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Folder that contains the database and the placard signing keys; created if missing.
        #[arg(long, default_value = "outlet-data")]
        data_dir: PathBuf,
        /// Folder of the built web app, served under /app/.
        #[arg(long)]
        web_dir: Option<PathBuf>,
        /// Load the demo registry and the demo accounts first (outlets and accounts already stored
        /// are kept).
        #[arg(long)]
        demo: bool,
        /// Lifetime of login tokens, e.g. 7d, 12h or 30m: how long an officer can work offline after
        /// logging in.
        #[arg(long, default_value = "7d", value_parser = accounts_command::parse_token_ttl)]
        token_ttl: time::Duration,
        #[command(flatten)]
        database: database_arg::DatabaseArg,
        #[command(flatten)]
        hj212: hj212_options::Hj212Options,
    },
    /// Issue placards and render them to print files (SVG, PNG, PDF).
    Placard(placard_command::PlacardArgs),
    /// List, rotate and retire the placard signing keys.
    Keys(keys_command::KeysArgs),
    /// Decode the QR codes in photos and report whether each is a genuine placard.
    Scan(scan_command::ScanArgs),
    /// Load the registry from the bureau's spreadsheets: CSV files and .xlsx workbooks.
    Import(import_command::ImportArgs),
    /// Simulate online monitors: send HJ 212-2017 data packets to `outlet serve --hj212`.
    Hj212Sim(hj212_sim_command::SimArgs),
    /// Create, list, disable and enable officer and administrator accounts, and reset passwords.
    Accounts(accounts_command::AccountsArgs),
    /// Load fictional outlets for benchmarks and load tests (outlets already stored are kept), or
    /// write them as a registry of CSV files with --registry.
    DemoData {
        /// Folder that contains the database and the placard signing keys; created if missing.
        #[arg(long, default_value = "outlet-data")]
        data_dir: PathBuf,
        /// How many synthetic outlets to make. With --registry and without --outlets, the demo
        /// registry's outlets are written.
        #[arg(long, required_unless_present = "registry")]
        outlets: Option<usize>,
        /// Write the outlets as a registry of CSV files in this folder (created if missing) instead of
        /// loading them; `outlet import` reads it back.
        #[arg(long, value_name = "DIR")]
        registry: Option<PathBuf>,
        #[command(flatten)]
        database: database_arg::DatabaseArg,
    },
}

/// A command that failed, with the message to print.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Open(#[from] outlet_server::OpenError),
    #[error(transparent)]
    Store(#[from] outlet_server::store::StoreError),
    #[error(transparent)]
    Key(#[from] outlet_server::keys::KeyFileError),
    #[error(transparent)]
    Issue(#[from] outlet_server::placards::IssueError),
    #[error(transparent)]
    Placard(#[from] outlet_placard::PlacardError),
    #[error("{0} is not a valid outlet id: {1}")]
    OutletId(String, outlet_core::ids::IdError),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0} holds no placard signing keys; pass the server's --data-dir so signatures can be checked")]
    NoSigningKey(PathBuf),
    #[error("{count} of the photos could not be read")]
    UnreadablePhotos { count: usize },
    #[error("{0}")]
    Usage(String),
    /// The import rejected the registry. `message` gives the reason in the language the user chose.
    #[error("{message}")]
    ImportRejected { message: String, reason: outlet_server::import::ImportError },
    #[error(transparent)]
    WriteRegistry(#[from] outlet_registry::WriteError),
    #[error(transparent)]
    Account(#[from] outlet_server::accounts::AccountError),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=info".into()))
        .with_writer(std::io::stderr)
        .init();
    outlet_scan::install_panic_hook();

    let result = match Cli::parse().command {
        Command::Serve { addr, data_dir, web_dir, demo, token_ttl, database, hj212 } => serve(&addr, &data_dir, database.url(), web_dir, demo, token_ttl, &hj212),
        Command::Placard(args) => placard_command::run(args),
        Command::Keys(args) => keys_command::run(args),
        Command::Scan(args) => scan_command::run(args),
        Command::Import(args) => import_command::run(args),
        Command::Hj212Sim(args) => hj212_sim_command::run(args),
        Command::Accounts(args) => accounts_command::run(args),
        Command::DemoData { outlets, registry: Some(dir), .. } => demo_registry(&dir, outlets),
        Command::DemoData { data_dir, outlets, registry: None, database } => demo_data(&data_dir, database.url(), outlets.unwrap_or_default()),
    };

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn serve(
    addr: &str,
    data_dir: &std::path::Path,
    database_url: Option<&str>,
    web_dir: Option<PathBuf>,
    load_demo: bool,
    token_ttl: time::Duration,
    hj212: &hj212_options::Hj212Options,
) -> Result<(), CliError> {
    let state = DataDir::open_with(data_dir, database_url, load_demo)?.state(web_dir).with_token_ttl(token_ttl);

    let runtime = tokio::runtime::Runtime::new().map_err(|source| CliError::Io { path: data_dir.into(), source })?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| CliError::Io { path: PathBuf::from(addr), source })?;
        let monitoring = hj212.start(&state).await?;
        let served = outlet_server::serve(listener, state).await.map_err(|source| CliError::Io { path: PathBuf::from(addr), source });
        if let Some(monitoring) = monitoring {
            monitoring.stop().await;
        }
        served
    })
}

fn demo_data(data_dir: &std::path::Path, database_url: Option<&str>, outlets: usize) -> Result<(), CliError> {
    let data = DataDir::open_with(data_dir, database_url, false)?;
    let added = outlet_server::demo::seed_synthetic(data.store.as_ref(), outlets)?;
    eprintln!("{added} synthetic outlets added to {}", data_dir.display());
    Ok(())
}

/// Writes `outlets` synthetic outlets, or the demo registry when `None`, as CSV files in `dir`. The
/// synthetic cards are made and written one at a time.
fn demo_registry(dir: &std::path::Path, outlets: Option<usize>) -> Result<(), CliError> {
    let mut writer = outlet_registry::RegistryWriter::create(dir, outlet_core::Lang::Zh)?;
    let mut written = 0;
    let cards: Box<dyn Iterator<Item = outlet_core::OutletCard>> = match outlets {
        Some(count) => Box::new(outlet_server::demo::synthetic_cards_iter(count)),
        None => Box::new(outlet_server::demo::demo_cards().into_iter()),
    };
    for card in cards {
        writer.write_card(&card)?;
        written += 1;
    }
    writer.finish()?;
    eprintln!("{written} outlets written as a registry to {}", dir.display());
    Ok(())
}
