//! Corpus surveys for choosing and ordering [`crate::pipeline::STEPS`], compiled only with the
//! `survey` feature because they take minutes:
//!
//! `cargo test -p outlet-scan --release --features survey --lib survey:: -- --ignored --nocapture`
//!
//! - `survey` runs every candidate step alone, with no budget, on every corpus image. It writes one
//!   line per image and step to `OUTLET_SURVEY_OUT`: path, width, height, step, result (`ok`,
//!   `ok+other`, `wrong` or `none`) and milliseconds.
//! - `pipeline_gains` prints how many images each step of `STEPS` gains, in order.
//! - `frame_overruns` prints the step times of 1280×720 frames that overran `FRAME_BUDGET`.
//! - `decode_one` prints what every candidate step reads from the image at `OUTLET_DECODE`.

use std::fmt::Write as _;
use std::path::PathBuf;

use web_time::Instant;

use crate::pipeline::{run_step, Clues, Decoder, Input, Size, Variants};

fn candidate_steps() -> Vec<(Decoder, Input, Size)> {
    let inputs = [
        Input::Grey,
        Input::Inverted,
        Input::Stretched,
        Input::Hybrid,
        Input::HybridInverted,
        Input::Otsu,
        Input::LocalMean(8),
        Input::LocalMean(24),
        Input::BlurredHybrid,
        Input::HybridDilated,
        Input::HybridEroded,
    ];
    let sizes = std::env::var("OUTLET_SURVEY_SIZES").unwrap_or_else(|_| "native,1600,1024,640,320,x2,x3,p1,p2".to_string());
    let mut steps = Vec::new();
    for size in sizes.split(',') {
        let size = match size {
            "native" => Size::AtMost(u32::MAX),
            times if times.starts_with('x') => Size::Times(times[1..].parse().unwrap()),
            padded if padded.starts_with("pm") => Size::PaddedAtMost(padded[2..].parse().unwrap()),
            padded if padded.starts_with('p') => Size::PaddedTimes(padded[1..].parse().unwrap()),
            side => Size::AtMost(side.parse().unwrap()),
        };
        for decoder in [Decoder::Rqrr, Decoder::Rxing] {
            for input in inputs {
                if decoder == Decoder::Rxing && matches!(input, Input::Grey | Input::Inverted | Input::Stretched) {
                    continue;
                }
                steps.push((decoder, input, size));
            }
        }
    }
    steps
}

#[test]
#[ignore = "survey over the whole corpus; takes minutes"]
fn survey() {
    let dir = std::env::var("OUTLET_QR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/qr"));
    let out = std::env::var("OUTLET_SURVEY_OUT").unwrap_or_else(|_| "survey.tsv".to_string());
    let manifest = std::fs::read_to_string(dir.join("manifest.jsonl")).unwrap();
    let steps = candidate_steps();
    let mut report = String::new();

    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        let relative = entry["path"].as_str().unwrap();
        let expected: Vec<&str> = entry["expected"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        let picture = image::open(dir.join(relative)).unwrap().to_luma8();
        let mut variants = Variants::new(&picture);

        for &(decoder, input, size) in &steps {
            let Some(resolved) = variants.resolve(size) else {
                continue;
            };
            if matches!(size, Size::AtMost(side) | Size::PaddedAtMost(side) if side != u32::MAX && resolved.side != side) {
                continue;
            }
            let started = Instant::now();
            let codes = run_step(&mut variants, decoder, input, resolved, &mut Clues::default());
            let millis = started.elapsed().as_secs_f64() * 1000.0;
            let result = if codes.is_empty() {
                "none"
            } else if codes.iter().all(|c| expected.contains(&c.text.as_str())) {
                "ok"
            } else if codes.iter().any(|c| expected.contains(&c.text.as_str())) {
                "ok+other"
            } else {
                "wrong"
            };
            writeln!(
                report,
                "{relative}\t{}\t{}\t{decoder:?}/{input:?}/{size:?}\t{result}\t{millis:.2}",
                picture.width(),
                picture.height(),
            )
            .unwrap();
        }
        eprintln!("{relative}");
    }
    std::fs::write(&out, report).unwrap();
}

/// Prints what every candidate step reads from the image at `OUTLET_DECODE`.
#[test]
#[ignore = "diagnostic for one image"]
fn decode_one() {
    let path = std::env::var("OUTLET_DECODE").expect("set OUTLET_DECODE to an image path");
    let picture = image::open(&path).unwrap().to_luma8();
    let mut variants = Variants::new(&picture);
    for (decoder, input, size) in candidate_steps() {
        let Some(resolved) = variants.resolve(size) else {
            continue;
        };
        let mut clues = Clues::default();
        let codes = run_step(&mut variants, decoder, input, resolved, &mut clues);
        eprintln!("{decoder:?}/{input:?}/{size:?}: {:?} {clues:?}", codes.iter().map(|c| &c.text).collect::<Vec<_>>());
    }
}

/// Runs [`crate::pipeline::STEPS`] in order on every corpus image, with no budget, and prints which
/// step first read each image, how many images each step gained and the time per image.
#[test]
#[ignore = "survey over the whole corpus"]
fn pipeline_gains() {
    let dir = std::env::var("OUTLET_QR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/qr"));
    let manifest = std::fs::read_to_string(dir.join("manifest.jsonl")).unwrap();
    let mut gains = vec![0usize; crate::pipeline::STEPS.len()];
    let mut millis = Vec::new();

    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        let relative = entry["path"].as_str().unwrap();
        let picture = image::open(dir.join(relative)).unwrap().to_luma8();
        let mut variants = Variants::new(&picture);
        let mut tried = std::collections::HashSet::new();
        let started = Instant::now();
        for (index, step) in crate::pipeline::STEPS.iter().enumerate() {
            let Some(resolved) = variants.resolve(step.size) else {
                continue;
            };
            if !tried.insert((step.decoder, step.input, resolved)) {
                continue;
            }
            if !run_step(&mut variants, step.decoder, step.input, resolved, &mut Clues::default()).is_empty() {
                gains[index] += 1;
                break;
            }
        }
        millis.push(started.elapsed().as_secs_f64() * 1000.0);
    }

    for (step, gained) in crate::pipeline::STEPS.iter().zip(&gains) {
        eprintln!("{:?}/{:?}/{:?}: +{gained}", step.decoder, step.input, step.size);
    }
    millis.sort_by(f64::total_cmp);
    let at = |q: f64| millis[((millis.len() - 1) as f64 * q) as usize];
    eprintln!("images {}; ms per image: median {:.1}, p90 {:.1}, p99 {:.1}, max {:.1}", millis.len(), at(0.5), at(0.9), at(0.99), at(1.0));
}

/// Fits every corpus image into a 1280×720 frame, decodes it within [`crate::FRAME_BUDGET`] and, for
/// frames that overran it, prints the time of each step run without a budget.
#[test]
#[ignore = "diagnostic over the whole corpus"]
fn frame_overruns() {
    let dir = std::env::var("OUTLET_QR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/qr"));
    let manifest = std::fs::read_to_string(dir.join("manifest.jsonl")).unwrap();
    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        let relative = entry["path"].as_str().unwrap();
        let picture = image::open(dir.join(relative)).unwrap().to_luma8();
        let width = ((picture.width() as f64 * 720.0 / picture.height() as f64).round() as u32).min(1280);
        let scaled = image::imageops::resize(&picture, width, 720, image::imageops::FilterType::Triangle);
        let mut frame = image::GrayImage::from_pixel(1280, 720, image::Luma([128]));
        image::imageops::replace(&mut frame, &scaled, ((1280 - width) / 2) as i64, 0);

        let started = Instant::now();
        let outcome = crate::pipeline::run(&frame, crate::pipeline::STEPS, &crate::budget::Deadline::starting_now(crate::FRAME_BUDGET));
        let total = started.elapsed().as_secs_f64() * 1000.0;
        if total < 45.0 {
            continue;
        }

        let mut report = format!("{relative}: {total:.1} ms, {} codes;", outcome.codes.len());
        let mut variants = Variants::new(&frame);
        for step in crate::pipeline::STEPS {
            let Some(resolved) = variants.resolve(step.size) else {
                continue;
            };
            let started = Instant::now();
            let found = run_step(&mut variants, step.decoder, step.input, resolved, &mut Clues::default()).len();
            write!(report, " {:?}/{:?}/{:?} {:.1} ms ({found})", step.decoder, step.input, step.size, started.elapsed().as_secs_f64() * 1000.0).unwrap();
        }
        eprintln!("{report}");
    }
}
