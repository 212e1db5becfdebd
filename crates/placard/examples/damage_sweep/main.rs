//! Damage sweep: how much dirt a placard's QR code survives at each error-correction level, and how
//! coarse a picture of it still reads, with this project's scanner (`outlet_scan::decode_image`).
//! Prints Markdown tables for docs/BENCHMARKS.md.
//!
//! The payload is a signed placard URL like the ones `outlet placard` prints for the demo registry.
//! At each level the code is printed at the wall placard's QR size (quiet zone included), so a level
//! that needs a larger version gets smaller modules, as it would on the placard. Then:
//! - the camera resolution falls in small steps until the undamaged code no longer decodes, in a
//!   sharp picture and in one blurred as a lens or a slightly missed focus would;
//! - one dark blot centred on the symbol covers k % of the symbol's area;
//! - random small dark and light spots cover k % of it, for each of several seeds, once anywhere on
//!   the symbol and once sparing the finder patterns (which error correction does not protect).
//!
//! k rises in 1 % steps from 0, and a run's result is the largest k such that every step up to it
//! decodes to the exact payload. For the spots, the tables give the smallest result over all seeds
//! and the median one.
//!
//! Run: `cargo run --release -p outlet-placard --example damage_sweep`

mod damage;
mod picture;

use std::process::ExitCode;

use image::GrayImage;
use outlet_core::ids::{OutletCode, OutletId, PermitNo, Uscc};
use outlet_core::placard::PlacardSigner;
use outlet_placard::{Layout, EC_LEVEL};
use qrcode::{EcLevel, QrCode};

use damage::SpotArea;
use picture::{PrintedCode, FINE_PX_PER_MM};

const LEVELS: [EcLevel; 4] = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H];

/// Camera resolutions of the damage tables, in pixels per millimetre of placard. 2 px/mm is a close
/// photo. 1 px/mm is about what a 1920 px wide camera frame gives from 1.5 m, an estimate from a 70°
/// field of view.
const CAMERA_PX_PER_MM: [f64; 2] = [2.0, 1.0];

/// Camera resolutions of the resolution sweep, in px/mm: from 1.2 down to 0.3 in steps of 0.02.
const RESOLUTION_STEPS: std::ops::RangeInclusive<u32> = 15..=60;
const RESOLUTION_STEP_PX_PER_MM: f64 = 0.02;

/// Blur of the blurred resolution sweep: a Gaussian's sigma, in camera pixels. A guess at a phone
/// camera in focus, not a measurement.
const BLUR_SIGMA_PX: f32 = 1.0;

/// Number of dirt-spot seeds (1, 2, …) per level, variant and resolution. Odd, so the median is one run.
const SEED_COUNT: u64 = 15;

/// Largest damage tried, in percent of the symbol's area.
const MAX_PERCENT: u32 = 50;

#[derive(Debug, thiserror::Error)]
enum SweepError {
    #[error("the demo outlet id is invalid: {0}")]
    OutletId(#[from] outlet_core::ids::IdError),

    #[error("the {len}-character payload does not fit a QR code at level {level:?}: {reason}")]
    Encode { len: usize, level: EcLevel, reason: String },

    #[error("the level {level:?} symbol drawn here differs from outlet_placard::encode_qr's, so the sweep would not measure the placards' code")]
    NotThePlacardCode { level: EcLevel },

    #[error("a damaged picture could not be encoded as PNG: {0}")]
    Png(#[from] image::ImageError),
}

/// Largest dirt coverage survived, in percent, over the seeds. `None` means not even the undamaged
/// code decoded.
struct SeedSpread {
    /// The minimum over the seeds: every seed decoded up to this coverage.
    all_seeds: Option<u32>,
    median_seed: Option<u32>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("damage_sweep: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), SweepError> {
    let payload = demo_payload()?;
    let side_mm = Layout::Wall.qr_side_mm();
    println!("Payload: {} characters (`{payload}`).", payload.len());
    println!("Printed size: {side_mm} mm with the quiet zone, the wall placard's. Placards use level {EC_LEVEL:?}.");

    let mut printed_codes = Vec::new();
    for level in LEVELS {
        let code = encode(&payload, level)?;
        printed_codes.push((level, version_number(&code), code.width(), picture::print(&code, side_mm)));
    }

    println!();
    println!("Smallest camera resolution at which the undamaged code decodes, with every 0.02 px/mm step from 1.2 px/mm down to it decoding (px per module in brackets):");
    println!();
    println!("| level | version | modules | module side | sharp | blurred (sigma {BLUR_SIGMA_PX} px) |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (level, version, modules, printed) in &printed_codes {
        let module_mm = printed.module_side / FINE_PX_PER_MM as f64;
        let sharp = resolution_cell(smallest_resolution(&payload, printed, 0.0)?, module_mm);
        let blurred = resolution_cell(smallest_resolution(&payload, printed, BLUR_SIGMA_PX)?, module_mm);
        println!("| {} | {version} | {modules} | {module_mm:.2} mm | {sharp} | {blurred} |", level_name(*level));
    }

    for camera_px_per_mm in CAMERA_PX_PER_MM {
        println!();
        println!("Camera: {camera_px_per_mm} px/mm. Largest damage, in % of the symbol's area, with every 1 % step up to it decoded:");
        println!();
        println!("| level | px per module | central blot | dirt spots anywhere: all {SEED_COUNT} seeds / median | dirt spots off the finders: all / median |");
        println!("| --- | --- | --- | --- | --- |");
        for (level, _, _, printed) in &printed_codes {
            let px_per_module = printed.module_side / FINE_PX_PER_MM as f64 * camera_px_per_mm;
            let blot = largest_decoded(&payload, camera_px_per_mm, |fraction| damage::central_blot(printed, fraction))?;
            let anywhere = sweep_seeds(&payload, camera_px_per_mm, printed, SpotArea::Anywhere)?;
            let off_finders = sweep_seeds(&payload, camera_px_per_mm, printed, SpotArea::OffFinders)?;
            println!(
                "| {} | {px_per_module:.1} | {} | {} / {} | {} / {} |",
                level_name(*level),
                percent(blot),
                percent(anywhere.all_seeds),
                percent(anywhere.median_seed),
                percent(off_finders.all_seeds),
                percent(off_finders.median_seed),
            );
        }
    }
    Ok(())
}

/// Signs a placard for the first demo outlet (boiler stack DA001 of the demo power plant), as the
/// server does.
fn demo_payload() -> Result<String, SweepError> {
    let uscc = Uscc::with_check_character("91350100MA2XY0012")?;
    let outlet = OutletId { permit_no: PermitNo::parse(&format!("{}001P", uscc.as_str()))?, outlet_code: OutletCode::parse("DA001")? };
    let signer = PlacardSigner::from_secret("K1", [7; 32]);
    Ok(signer.sign(&outlet, 1).to_qr_text("https://hb.example.gov.cn"))
}

/// Encodes the payload at `level`. At the placards' own level it checks that the symbol is the one
/// `outlet_placard::encode_qr` prints.
fn encode(payload: &str, level: EcLevel) -> Result<QrCode, SweepError> {
    let encode_error = |reason: String| SweepError::Encode { len: payload.len(), level, reason };
    let code = QrCode::with_error_correction_level(payload.as_bytes(), level).map_err(|e| encode_error(e.to_string()))?;
    if level == EC_LEVEL {
        let placard_code = outlet_placard::encode_qr(payload).map_err(|e| encode_error(e.to_string()))?;
        if placard_code.to_colors() != code.to_colors() {
            return Err(SweepError::NotThePlacardCode { level });
        }
    }
    Ok(code)
}

fn decodes(payload: &str, raster: &GrayImage, camera_px_per_mm: f64, blur_sigma_px: f32) -> Result<bool, SweepError> {
    let png = picture::encode_png(&picture::photograph(raster, camera_px_per_mm, blur_sigma_px))?;
    Ok(outlet_scan::decode_image(&png).is_ok_and(|codes| codes.iter().any(|code| code.text == payload)))
}

/// Lowers the camera resolution step by step and returns the last one that decoded, in px/mm.
fn smallest_resolution(payload: &str, printed: &PrintedCode, blur_sigma_px: f32) -> Result<Option<f64>, SweepError> {
    let mut last_decoded = None;
    for step in RESOLUTION_STEPS.rev() {
        let px_per_mm = step as f64 * RESOLUTION_STEP_PX_PER_MM;
        if !decodes(payload, &printed.raster, px_per_mm, blur_sigma_px)? {
            break;
        }
        last_decoded = Some(px_per_mm);
    }
    Ok(last_decoded)
}

/// Raises the damage in 1 % steps from 0 and returns the last step that decoded to `payload`, or
/// `None` when the undamaged code did not decode.
fn largest_decoded(payload: &str, camera_px_per_mm: f64, damaged: impl Fn(f64) -> GrayImage) -> Result<Option<u32>, SweepError> {
    let mut last_decoded = None;
    for step in 0..=MAX_PERCENT {
        if !decodes(payload, &damaged(step as f64 / 100.0), camera_px_per_mm, 0.0)? {
            break;
        }
        last_decoded = Some(step);
    }
    Ok(last_decoded)
}

fn sweep_seeds(payload: &str, camera_px_per_mm: f64, printed: &PrintedCode, area: SpotArea) -> Result<SeedSpread, SweepError> {
    let mut per_seed = Vec::new();
    for seed in 1..=SEED_COUNT {
        per_seed.push(largest_decoded(payload, camera_px_per_mm, |fraction| damage::dirt_spots(printed, fraction, seed, area))?);
    }

    // `None` sorts before every percentage, so a seed that never decoded is the minimum.
    per_seed.sort();
    Ok(SeedSpread { all_seeds: per_seed[0], median_seed: per_seed[per_seed.len() / 2] })
}

fn version_number(code: &QrCode) -> i16 {
    match code.version() {
        qrcode::Version::Normal(number) | qrcode::Version::Micro(number) => number,
    }
}

fn level_name(level: EcLevel) -> String {
    let marker = if level == EC_LEVEL { " (placards)" } else { "" };
    format!("{level:?}{marker}")
}

fn resolution_cell(px_per_mm: Option<f64>, module_mm: f64) -> String {
    match px_per_mm {
        Some(px_per_mm) => format!("{px_per_mm:.2} px/mm ({:.1})", px_per_mm * module_mm),
        None => "none".to_string(),
    }
}

fn percent(value: Option<u32>) -> String {
    match value {
        Some(MAX_PERCENT) => format!("≥ {MAX_PERCENT} %"),
        Some(value) => format!("{value} %"),
        None => "none".to_string(),
    }
}
