//! `outlet scan`: decode placard photos with the app's pipeline and check their signatures.
//!
//! Plain output is one tab-separated line per code. With `--json`, each photo gives one JSON object
//! on its own line: the photo's path, every code decoded in it (its text and, for our placards, the
//! outlet, serial and signature verdict), or the reason it could not be read. An unreadable photo
//! never stops the command; the exit status reports it at the end.

use std::path::{Path, PathBuf};

use clap::Args;
use outlet_core::placard::{parse_scanned_text, Authenticity, KeySet, ScannedText};
use outlet_server::keys::Keyring;
use serde::Serialize;

use crate::CliError;

#[derive(Args)]
pub struct ScanArgs {
    /// Photos to decode (PNG, JPEG, GIF, BMP, WebP).
    #[arg(required = true)]
    photos: Vec<PathBuf>,
    /// Folder whose placard signing keys are used to check signatures.
    #[arg(long, default_value = "outlet-data")]
    data_dir: PathBuf,
    /// Print one JSON object per photo instead of text lines.
    #[arg(long)]
    json: bool,
}

/// Result of scanning one photo, as `--json` prints it.
#[derive(Serialize)]
struct PhotoReport {
    photo: String,
    /// Every code found, ours first; empty when the photo contains none.
    codes: Vec<CodeReport>,
    /// Reason the photo could not be read; `codes` is then empty.
    error: Option<String>,
}

#[derive(Serialize)]
struct CodeReport {
    text: String,
    kind: CodeKind,
    outlet: Option<String>,
    serial: Option<u32>,
    /// The signature check, for placards.
    signature: Option<Signature>,
    key_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum CodeKind {
    /// A signed placard payload of this system.
    Placard,
    /// An outlet id without signature.
    OutletId,
    /// Any other text: not an outlet placard.
    Foreign,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum Signature {
    Valid,
    /// Altered or forged.
    Invalid,
    UnknownKey,
    RetiredKey,
}

pub fn run(args: ScanArgs) -> Result<(), CliError> {
    let keyring = Keyring::open_existing(&args.data_dir)?.ok_or_else(|| CliError::NoSigningKey(args.data_dir.clone()))?;
    let keys = keyring.key_set()?;
    let mut unreadable = 0;

    for photo in &args.photos {
        let report = scan_photo(photo, &keys);
        if report.error.is_some() {
            unreadable += 1;
        }

        if args.json {
            println!("{}", serde_json::to_string(&report).expect("reports always serialise"));
        } else {
            print_text(&report);
        }
    }

    if unreadable > 0 {
        return Err(CliError::UnreadablePhotos { count: unreadable });
    }
    Ok(())
}

fn scan_photo(photo: &Path, keys: &KeySet) -> PhotoReport {
    let decoded = std::fs::read(photo)
        .map_err(|e| e.to_string())
        .and_then(|bytes| outlet_scan::decode_image(&bytes).map_err(|e| e.to_string()));
    let photo_name = photo.display().to_string();

    match decoded {
        Ok(codes) => {
            let mut codes: Vec<CodeReport> = codes.into_iter().map(|code| check_code(code.text, keys)).collect();
            codes.sort_by_key(|code| code.kind != CodeKind::Placard);
            PhotoReport { photo: photo_name, codes, error: None }
        }
        Err(reason) => {
            tracing::warn!(photo = %photo_name, %reason, "photo not readable");
            PhotoReport { photo: photo_name, codes: Vec::new(), error: Some(reason) }
        }
    }
}

fn check_code(text: String, keys: &KeySet) -> CodeReport {
    let (kind, outlet, serial, signature, key_id) = match parse_scanned_text(&text) {
        ScannedText::Placard(payload) => {
            let signature = match payload.verify(keys) {
                Authenticity::Genuine => Signature::Valid,
                Authenticity::Forged => Signature::Invalid,
                Authenticity::UnknownKey => Signature::UnknownKey,
                Authenticity::RetiredKey => Signature::RetiredKey,
            };
            (CodeKind::Placard, Some(payload.outlet.to_string()), Some(payload.serial), Some(signature), Some(payload.key_id.clone()))
        }
        ScannedText::BareOutletId(outlet) => (CodeKind::OutletId, Some(outlet.to_string()), None, None, None),
        ScannedText::Foreign(_) => (CodeKind::Foreign, None, None, None, None),
    };
    CodeReport { text, kind, outlet, serial, signature, key_id }
}

fn print_text(report: &PhotoReport) {
    let photo = &report.photo;
    if let Some(reason) = &report.error {
        println!("{photo}\terror: {reason}");
        return;
    }
    if report.codes.is_empty() {
        println!("{photo}\tno QR code found");
    }

    for code in &report.codes {
        let outlet = code.outlet.as_deref().unwrap_or_default();
        let key = code.key_id.as_deref().unwrap_or_default();
        let verdict = match (code.kind, code.signature) {
            (CodeKind::Placard, Some(Signature::Valid)) => format!("placard {outlet} no. {}: signature valid", code.serial.unwrap_or_default()),
            (CodeKind::Placard, Some(Signature::Invalid)) => format!("placard {outlet}: signature INVALID (altered or forged)"),
            (CodeKind::Placard, Some(Signature::UnknownKey)) => format!("placard {outlet}: signed with unknown key {key}"),
            (CodeKind::Placard, _) => format!("placard {outlet}: signed with retired key {key}; replace it"),
            (CodeKind::OutletId, _) => format!("outlet id {outlet} without signature"),
            (CodeKind::Foreign, _) => "not an outlet placard".to_string(),
        };
        println!("{photo}\t{}\t{verdict}", code.text);
    }
}
