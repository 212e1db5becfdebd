//! Per-frame decode time of `decode_frame_within` on the public QR corpus, as a camera preview would
//! call it.
//!
//! Two frame sets: each scored corpus image as a frame of at most 1280 pixels (scaled down when
//! larger), and each image fitted into a full 1280×720 camera frame on a grey ground. Every frame is
//! decoded once per round, three rounds, with `FRAME_BUDGET` and with no limit; the median, p99 and
//! maximum per frame are printed. Criterion then times a round-robin over the corpus frames.
//!
//! Run: `cargo bench -p outlet-scan --bench frame_decode` (the corpus lives in `shared/corpora/qr`
//! beside the repository, or where `OUTLET_QR_CORPUS` points).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use image::imageops::FilterType;
use image::GrayImage;

const MAX_FRAME_SIDE_PX: u32 = 1280;

struct Frame {
    width: u32,
    height: u32,
    luma: Vec<u8>,
}

fn corpus_pictures() -> Vec<GrayImage> {
    let dir = std::env::var("OUTLET_QR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/qr"));
    let manifest = std::fs::read_to_string(dir.join("manifest.jsonl")).expect("QR corpus manifest; set OUTLET_QR_CORPUS");
    manifest
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let entry: serde_json::Value = serde_json::from_str(line).unwrap();
            image::open(dir.join(entry["path"].as_str().unwrap())).unwrap().to_luma8()
        })
        .collect()
}

fn as_frame(picture: GrayImage) -> Frame {
    Frame { width: picture.width(), height: picture.height(), luma: picture.into_raw() }
}

/// Scales the picture down to at most 1280 pixels on its longest side.
fn corpus_frame(picture: &GrayImage) -> Frame {
    let longest = picture.width().max(picture.height());
    if longest <= MAX_FRAME_SIDE_PX {
        return as_frame(picture.clone());
    }
    let scale = MAX_FRAME_SIDE_PX as f64 / longest as f64;
    let width = (picture.width() as f64 * scale).round() as u32;
    let height = (picture.height() as f64 * scale).round() as u32;
    as_frame(image::imageops::resize(picture, width, height, FilterType::Triangle))
}

/// Scales the picture to fill the height of a 1280×720 frame, centred on mid-grey.
fn camera_frame(picture: &GrayImage) -> Frame {
    let scale = 720.0 / picture.height() as f64;
    let width = ((picture.width() as f64 * scale).round() as u32).min(1280);
    let scaled = image::imageops::resize(picture, width, 720, FilterType::Triangle);
    let mut frame = GrayImage::from_pixel(1280, 720, image::Luma([128]));
    image::imageops::replace(&mut frame, &scaled, ((1280 - width) / 2) as i64, 0);
    as_frame(frame)
}

fn decode_millis(frame: &Frame, budget: Duration) -> (f64, bool) {
    let started = Instant::now();
    let outcome = outlet_scan::decode_frame_within(frame.width, frame.height, frame.luma.clone(), budget).unwrap();
    (started.elapsed().as_secs_f64() * 1000.0, !outcome.codes.is_empty())
}

fn print_percentiles(label: &str, frames: &[Frame], budget: Duration) {
    let mut millis = Vec::new();
    let mut decoded = 0;
    for round in 0..3 {
        for frame in frames {
            let (ms, found) = decode_millis(frame, budget);
            millis.push(ms);
            if round == 0 && found {
                decoded += 1;
            }
        }
    }
    millis.sort_by(f64::total_cmp);
    let at = |q: f64| millis[((millis.len() - 1) as f64 * q).round() as usize];
    eprintln!(
        "{label}: {} frames, {decoded} decoded; ms per frame: median {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}",
        frames.len(),
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    );
}

fn frame_decode(c: &mut Criterion) {
    let pictures = corpus_pictures();
    let corpus: Vec<Frame> = pictures.iter().map(corpus_frame).collect();
    let camera: Vec<Frame> = pictures.iter().map(camera_frame).collect();

    print_percentiles("corpus frames, FRAME_BUDGET", &corpus, outlet_scan::FRAME_BUDGET);
    print_percentiles("corpus frames, no limit", &corpus, Duration::MAX);
    print_percentiles("1280x720 camera frames, FRAME_BUDGET", &camera, outlet_scan::FRAME_BUDGET);
    print_percentiles("1280x720 camera frames, no limit", &camera, Duration::MAX);

    let mut next = 0;
    c.bench_function("decode_frame_within/corpus round robin", |b| {
        b.iter(|| {
            next = (next + 1) % corpus.len();
            let frame = &corpus[next];
            outlet_scan::decode_frame_within(frame.width, frame.height, frame.luma.clone(), outlet_scan::FRAME_BUDGET).unwrap()
        })
    });
}

criterion_group!(benches, frame_decode);
criterion_main!(benches);
