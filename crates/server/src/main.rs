//! `outlet`: run the server, render placards, and check placard photos from the command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use outlet_core::placard::{parse_scanned_text, Authenticity, ScannedText};
use outlet_core::OutletId;
use outlet_server::store::ServerStore;
use outlet_server::{keys, DataDir};

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
        /// Folder that holds the database and the placard signing key; created if missing.
        #[arg(long, default_value = "outlet-data")]
        data_dir: PathBuf,
        /// Folder of the built web app, served under /app/.
        #[arg(long)]
        web_dir: Option<PathBuf>,
        /// Load the demo registry first (outlets already stored are kept).
        #[arg(long)]
        demo: bool,
    },
    /// Render the placards of stored outlets, one file per outlet and format.
    Placard {
        /// Folder that holds the database and the placard signing key.
        #[arg(long, default_value = "outlet-data")]
        data_dir: PathBuf,
        /// Folder to write the placards to; created if missing.
        #[arg(long, default_value = "placards")]
        out: PathBuf,
        /// Public address of the server, put in the QR code (e.g. https://hb.example.gov.cn).
        #[arg(long)]
        public_url: String,
        /// Only these outlets (PERMIT_NO-OUTLET_CODE); all stored outlets when omitted.
        #[arg(long = "outlet")]
        outlets: Vec<String>,
        /// File formats to write.
        #[arg(long, value_enum, default_values_t = [Format::Svg, Format::Png])]
        format: Vec<Format>,
        /// PNG resolution in pixels per millimetre (4 for screen previews, 11.8 for 300 dpi print).
        #[arg(long, default_value_t = 4.0)]
        px_per_mm: f32,
        /// Load the demo registry first (outlets already stored are kept).
        #[arg(long)]
        demo: bool,
    },
    /// Decode the QR codes in photos and say whether each is a genuine placard.
    Scan {
        /// Photos to decode (PNG, JPEG, GIF, BMP, WebP).
        #[arg(required = true)]
        photos: Vec<PathBuf>,
        /// Folder whose placard signing key is used to check signatures.
        #[arg(long, default_value = "outlet-data")]
        data_dir: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Svg,
    Png,
}

/// A command that failed, with the message to print.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Open(#[from] outlet_server::OpenError),
    #[error(transparent)]
    Store(#[from] outlet_server::store::StoreError),
    #[error(transparent)]
    Key(#[from] keys::KeyFileError),
    #[error(transparent)]
    Placard(#[from] outlet_placard::PlacardError),
    #[error("{0} is not a valid outlet id: {1}")]
    OutletId(String, outlet_core::ids::IdError),
    #[error("outlet {0} is not in the registry; run with --demo or import the registry first")]
    UnknownOutlet(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0} holds no placard signing key; pass the server's --data-dir so signatures can be checked")]
    NoSigningKey(PathBuf),
    #[error("{count} of the photos could not be read")]
    UnreadablePhotos { count: usize },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=info".into()))
        .with_writer(std::io::stderr)
        .init();

    let result = match Cli::parse().command {
        Command::Serve { addr, data_dir, web_dir, demo } => serve(&addr, &data_dir, web_dir, demo),
        Command::Placard { data_dir, out, public_url, outlets, format, px_per_mm, demo } => {
            placards(&data_dir, &out, &public_url, &outlets, &format, px_per_mm, demo)
        }
        Command::Scan { photos, data_dir } => scan(&photos, &data_dir),
    };

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn serve(addr: &str, data_dir: &Path, web_dir: Option<PathBuf>, load_demo: bool) -> Result<(), CliError> {
    let state = DataDir::open(data_dir, load_demo)?.state(web_dir);

    let runtime = tokio::runtime::Runtime::new().map_err(|source| CliError::Io { path: data_dir.into(), source })?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| CliError::Io { path: PathBuf::from(addr), source })?;
        outlet_server::serve(listener, state).await.map_err(|source| CliError::Io { path: PathBuf::from(addr), source })
    })
}

fn placards(data_dir: &Path, out: &Path, public_url: &str, outlets: &[String], formats: &[Format], px_per_mm: f32, load_demo: bool) -> Result<(), CliError> {
    let DataDir { store, signer } = DataDir::open(data_dir, load_demo)?;

    let cards = if outlets.is_empty() {
        store.cards()?
    } else {
        let mut cards = Vec::new();
        for text in outlets {
            let id: OutletId = text.parse().map_err(|e| CliError::OutletId(text.clone(), e))?;
            cards.push(store.card(&id)?.ok_or_else(|| CliError::UnknownOutlet(text.clone()))?);
        }
        cards
    };

    std::fs::create_dir_all(out).map_err(|source| CliError::Io { path: out.into(), source })?;
    for card in &cards {
        // TODO: placard serials and reissue are not stored yet; every placard is serial 1.
        let qr_text = signer.sign(&card.outlet.id, 1).to_qr_text(public_url);
        let svg = outlet_placard::render_svg(card, &qr_text, &card.permit.issuing_authority)?;
        let stem = out.join(card.outlet.id.to_string());

        if formats.contains(&Format::Svg) {
            write_file(&stem.with_extension("svg"), svg.as_bytes())?;
        }
        if formats.contains(&Format::Png) {
            write_file(&stem.with_extension("png"), &outlet_placard::render_png(&svg, px_per_mm)?)?;
        }
        println!("{}\t{}\t{}", card.outlet.id, card.unit.name, card.outlet.name);
    }
    eprintln!("{} placards written to {}", cards.len(), out.display());
    Ok(())
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes).map_err(|source| CliError::Io { path: path.into(), source })
}

fn scan(photos: &[PathBuf], data_dir: &Path) -> Result<(), CliError> {
    let signer = keys::load_signer(data_dir)?.ok_or_else(|| CliError::NoSigningKey(data_dir.into()))?;
    let keys = keys::key_set(&signer);
    let mut unreadable = 0;

    for photo in photos {
        let decoded = std::fs::read(photo)
            .map_err(|e| e.to_string())
            .and_then(|bytes| outlet_scan::decode_image(&bytes).map_err(|e| e.to_string()));
        let codes = match decoded {
            Ok(codes) => codes,
            Err(reason) => {
                println!("{}\terror: {reason}", photo.display());
                unreadable += 1;
                continue;
            }
        };
        if codes.is_empty() {
            println!("{}\tno QR code found", photo.display());
        }
        for code in codes {
            let verdict = match parse_scanned_text(&code.text) {
                ScannedText::Placard(payload) => match payload.verify(&keys) {
                    Authenticity::Genuine => format!("placard {} serial {}: signature valid", payload.outlet, payload.serial),
                    Authenticity::Forged => format!("placard {}: signature INVALID (altered or forged)", payload.outlet),
                    Authenticity::UnknownKey => format!("placard {}: signed with unknown key {}", payload.outlet, payload.key_id),
                },
                ScannedText::BareOutletId(outlet) => format!("outlet id {outlet} without signature"),
                ScannedText::Foreign(_) => "not an outlet placard".to_string(),
            };
            println!("{}\t{}\t{verdict}", photo.display(), code.text);
        }
    }

    if unreadable > 0 {
        return Err(CliError::UnreadablePhotos { count: unreadable });
    }
    Ok(())
}
