//! `outlet scan`: decode placard photos and check their signatures.

use std::path::PathBuf;

use clap::Args;
use outlet_core::placard::{parse_scanned_text, Authenticity, ScannedText};
use outlet_server::keys::Keyring;

use crate::CliError;

#[derive(Args)]
pub struct ScanArgs {
    /// Photos to decode (PNG, JPEG, GIF, BMP, WebP).
    #[arg(required = true)]
    photos: Vec<PathBuf>,
    /// Folder whose placard signing keys are used to check signatures.
    #[arg(long, default_value = "outlet-data")]
    data_dir: PathBuf,
}

pub fn run(args: ScanArgs) -> Result<(), CliError> {
    let keyring = Keyring::open_existing(&args.data_dir)?.ok_or_else(|| CliError::NoSigningKey(args.data_dir.clone()))?;
    let keys = keyring.key_set()?;
    let mut unreadable = 0;

    for photo in &args.photos {
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
                    Authenticity::Genuine => format!("placard {} no. {}: signature valid", payload.outlet, payload.serial),
                    Authenticity::Forged => format!("placard {}: signature INVALID (altered or forged)", payload.outlet),
                    Authenticity::UnknownKey => format!("placard {}: signed with unknown key {}", payload.outlet, payload.key_id),
                    Authenticity::RetiredKey => format!("placard {}: signed with retired key {}; replace it", payload.outlet, payload.key_id),
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
