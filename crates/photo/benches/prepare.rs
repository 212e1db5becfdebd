//! Time of `prepare` on a 12-megapixel phone-sized JPEG (3000×4000) scaled down to 2000 pixels.
//!
//! The input is made from a real 2625×3500 photo of the public QR corpus, scaled up to 3000×4000 and
//! encoded at quality 92, as phone cameras do. Run: `cargo bench -p outlet-photo --bench prepare`
//! (the corpus lives in `shared/corpora/qr` beside the repository, or where `OUTLET_QR_CORPUS`
//! points).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use outlet_photo::{prepare, PhotoSettings};
use time::macros::offset;

const SOURCE_PHOTO: &str = "rqrr/tests/data/errors/should-not-panic-2.jpg";
const PHONE_WIDTH: u32 = 3000;
const PHONE_HEIGHT: u32 = 4000;
const PHONE_JPEG_QUALITY: u8 = 92;

fn phone_jpeg() -> Vec<u8> {
    let corpus = std::env::var("OUTLET_QR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/qr"));
    let source = image::open(corpus.join(SOURCE_PHOTO)).expect("corpus photo; set OUTLET_QR_CORPUS");

    let phone_sized = source.resize_exact(PHONE_WIDTH, PHONE_HEIGHT, FilterType::CatmullRom).into_rgb8();
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, PHONE_JPEG_QUALITY).encode_image(&phone_sized).expect("JPEG encodes");
    jpeg
}

fn prepare_12_megapixels(c: &mut Criterion) {
    let jpeg = phone_jpeg();
    let settings = PhotoSettings::new(offset!(+8));
    let photo = prepare(&jpeg, &settings).expect("the bench photo prepares");
    println!("input {} bytes, output {}×{} in {} bytes", jpeg.len(), photo.width, photo.height, photo.bytes.len());

    let mut group = c.benchmark_group("prepare");
    group.sample_size(10);
    group.bench_function("jpeg_3000x4000_to_2000", |b| b.iter(|| prepare(black_box(&jpeg), &settings).unwrap()));
    group.finish();
}

criterion_group!(benches, prepare_12_megapixels);
criterion_main!(benches);
