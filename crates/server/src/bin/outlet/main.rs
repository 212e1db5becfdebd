//! `outlet`: run the server, import the registry, issue placards, manage signing keys and check
//! placard photos.

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
        /// Load the demo registry first (outlets already stored are kept).
        #[arg(long)]
        demo: bool,
    },
    /// Issue placards and render them to print files (SVG, PNG, PDF).
    Placard(placard_command::PlacardArgs),
    /// List, rotate and retire the placard signing keys.
    Keys(keys_command::KeysArgs),
    /// Decode the QR codes in photos and report whether each is a genuine placard.
    Scan(scan_command::ScanArgs),
    /// Load the registry from the bureau's spreadsheets: CSV files and .xlsx workbooks.
    Import(import_command::ImportArgs),
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
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=info".into()))
        .with_writer(std::io::stderr)
        .init();

    let result = match Cli::parse().command {
        Command::Serve { addr, data_dir, web_dir, demo } => serve(&addr, &data_dir, web_dir, demo),
        Command::Placard(args) => placard_command::run(args),
        Command::Keys(args) => keys_command::run(args),
        Command::Scan(args) => scan_command::run(args),
        Command::Import(args) => import_command::run(args),
        Command::DemoData { outlets, registry: Some(dir), .. } => demo_registry(&dir, outlets),
        Command::DemoData { data_dir, outlets, registry: None } => demo_data(&data_dir, outlets.unwrap_or_default()),
    };

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn serve(addr: &str, data_dir: &std::path::Path, web_dir: Option<PathBuf>, load_demo: bool) -> Result<(), CliError> {
    let state = DataDir::open(data_dir, load_demo)?.state(web_dir);

    let runtime = tokio::runtime::Runtime::new().map_err(|source| CliError::Io { path: data_dir.into(), source })?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| CliError::Io { path: PathBuf::from(addr), source })?;
        outlet_server::serve(listener, state).await.map_err(|source| CliError::Io { path: PathBuf::from(addr), source })
    })
}

fn demo_data(data_dir: &std::path::Path, outlets: usize) -> Result<(), CliError> {
    let data = DataDir::open(data_dir, false)?;
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
