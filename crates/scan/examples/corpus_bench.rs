//! Decodes every image of the public QR corpus with three Rust pipelines and records, per image and
//! pipeline, the decoded texts and the time taken. `scripts/bench-scan.sh` runs it beside zxing-cpp
//! and turns both outputs into the table in docs/BENCHMARKS.md.
//!
//! The pipelines:
//! - `rqrr raw`: rqrr 0.11 on the greyscale picture, with no scaling, retries or charset guessing,
//!   which is the baseline;
//! - `rxing`: rxing alone on the greyscale picture (TryHarder, AlsoInverted), QR codes only;
//! - `outlet-scan`: this crate's public `outlet_scan::decode_image`.
//!
//! Each timing covers decoding the encoded file (PNG, JPEG…) to pixels and then decoding the QR code.
//! Reading the file from disk is not timed.
//!
//! Run: `cargo run --release -p outlet-scan --example corpus_bench -- CORPUS_DIR OUT.jsonl`, where
//! `CORPUS_DIR` contains `manifest.jsonl`. Each output line is one JSON object:
//! `{"pipeline", "set", "path", "ms", "texts"}`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use image::GrayImage;

/// A decoder under test: encoded image in, decoded texts out.
type Decode = fn(&[u8]) -> Vec<String>;

/// Pipelines in the order they run, each over the whole corpus.
const PIPELINES: [(&str, Decode); 3] =
    [("rqrr raw", decode_rqrr_raw), ("rxing", decode_rxing_alone), ("outlet-scan", decode_outlet_scan)];

#[derive(Debug, thiserror::Error)]
enum BenchError {
    #[error("usage: corpus_bench CORPUS_DIR OUT.jsonl (CORPUS_DIR contains manifest.jsonl)")]
    Usage,

    #[error("{path} could not be read: {source}; check the corpus folder or set OUTLET_QR_CORPUS")]
    Read { path: PathBuf, source: std::io::Error },

    #[error("line {line} of {path} is not a manifest entry with `set`, `path` and `expected`: {reason}")]
    Manifest { path: PathBuf, line: usize, reason: String },

    #[error("{path} could not be written: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

/// One scored image of the corpus.
struct Entry {
    set: String,
    path: String,
    bytes: Vec<u8>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("corpus_bench: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), BenchError> {
    let mut args = std::env::args_os().skip(1);
    let (Some(corpus), Some(out_path)) = (args.next(), args.next()) else {
        return Err(BenchError::Usage);
    };
    let (corpus, out_path) = (PathBuf::from(corpus), PathBuf::from(out_path));

    let entries = read_corpus(&corpus)?;
    let write_error = |source| BenchError::Write { path: out_path.clone(), source };
    let mut out = BufWriter::new(File::create(&out_path).map_err(write_error)?);

    for (pipeline, decode) in PIPELINES {
        // One untimed call first, so one-off set-up (tables, allocator growth) is not charged to an image.
        decode(&entries[0].bytes);

        for entry in &entries {
            let start = Instant::now();
            let texts = decode(&entry.bytes);
            let ms = start.elapsed().as_secs_f64() * 1000.0;

            let record = serde_json::json!({ "pipeline": pipeline, "set": entry.set, "path": entry.path, "ms": ms, "texts": texts });
            writeln!(out, "{record}").map_err(write_error)?;
        }
        eprintln!("corpus_bench: {pipeline} done on {} images", entries.len());
    }

    out.flush().map_err(write_error)
}

/// Reads the manifest and every image it lists into memory, so disk reads stay out of the timings.
fn read_corpus(corpus: &Path) -> Result<Vec<Entry>, BenchError> {
    let manifest_path = corpus.join("manifest.jsonl");
    let manifest = std::fs::read_to_string(&manifest_path).map_err(|source| BenchError::Read { path: manifest_path.clone(), source })?;

    let mut entries = Vec::new();
    for (index, line) in manifest.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
        let invalid = |reason: String| BenchError::Manifest { path: manifest_path.clone(), line: index + 1, reason };
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| invalid(e.to_string()))?;
        let field = |name: &str| value[name].as_str().map(String::from).ok_or_else(|| invalid(format!("`{name}` is missing or not a string")));
        let (set, path) = (field("set")?, field("path")?);

        let image_path = corpus.join(&path);
        let bytes = std::fs::read(&image_path).map_err(|source| BenchError::Read { path: image_path, source })?;
        entries.push(Entry { set, path, bytes });
    }

    if entries.is_empty() {
        return Err(BenchError::Manifest { path: manifest_path, line: 0, reason: "it lists no images".into() });
    }
    Ok(entries)
}

/// Converts an encoded image to grey, or `None` when it cannot be read.
fn load_grey(encoded: &[u8]) -> Option<GrayImage> {
    image::load_from_memory(encoded).ok().map(|picture| picture.to_luma8())
}

/// Runs rqrr plainly: prepare, detect, decode each grid to a UTF-8 string. rqrr panics on some
/// pictures, which count as nothing found.
fn decode_rqrr_raw(encoded: &[u8]) -> Vec<String> {
    let Some(picture) = load_grey(encoded) else {
        return Vec::new();
    };
    catch_unwind(AssertUnwindSafe(|| {
        let mut prepared = rqrr::PreparedImage::prepare(picture);
        prepared.detect_grids().iter().filter_map(|grid| grid.decode().ok()).map(|(_meta, text)| text).collect()
    }))
    .unwrap_or_default()
}

/// rxing 0.9 alone on the full-size picture, with the hints this crate's fallback uses.
fn decode_rxing_alone(encoded: &[u8]) -> Vec<String> {
    let Some(picture) = load_grey(encoded) else {
        return Vec::new();
    };
    let (width, height) = picture.dimensions();
    catch_unwind(AssertUnwindSafe(|| {
        let mut hints = rxing::DecodeHints { TryHarder: Some(true), AlsoInverted: Some(true), ..Default::default() };
        rxing::helpers::detect_in_luma_with_hints(picture.into_raw(), width, height, Some(rxing::BarcodeFormat::QR_CODE), &mut hints)
            .map(|result| vec![result.getText().to_string()])
            .unwrap_or_default()
    }))
    .unwrap_or_default()
}

fn decode_outlet_scan(encoded: &[u8]) -> Vec<String> {
    outlet_scan::decode_image(encoded).map(|codes| codes.into_iter().map(|code| code.text).collect()).unwrap_or_default()
}
