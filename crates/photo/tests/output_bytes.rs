//! The output file: its hash, its repeatability and its byte limit.

mod support;

use outlet_core::inspection::{is_sha256_hex, MAX_PHOTO_BYTES};
use outlet_photo::{prepare, PhotoError, DEFAULT_JPEG_QUALITY, MIN_JPEG_QUALITY};
use sha2::{Digest, Sha256};
use support::*;

fn sha256_of(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

#[test]
fn sha256_names_output_bytes() {
    let photo = prepare(&corpus_file(GOGH_JPEG), &china_settings()).unwrap();

    assert!(is_sha256_hex(&photo.sha256), "{}", photo.sha256);
    assert_eq!(photo.sha256, sha256_of(&photo.bytes));
}

#[test]
fn same_input_same_hash() {
    let input = jpeg_with_fields(&corpus_file(GOGH_JPEG), &phone_fields());

    let first = prepare(&input, &china_settings()).unwrap();
    let second = prepare(&input, &china_settings()).unwrap();

    assert_eq!(first.sha256, second.sha256);
    assert_eq!(first.bytes, second.bytes);
}

#[test]
fn different_photos_different_hashes() {
    let gogh = prepare(&corpus_file(GOGH_JPEG), &china_settings()).unwrap();
    let small = prepare(&corpus_file(SMALL_JPEG), &china_settings()).unwrap();

    assert_ne!(gogh.sha256, small.sha256);
}

#[test]
fn photo_ref_lists_hash_and_size() {
    let photo = prepare(&corpus_file(GOGH_JPEG), &china_settings()).unwrap();

    let photo_ref = photo.photo_ref();

    assert_eq!(photo_ref.sha256, photo.sha256);
    assert_eq!(photo_ref.bytes, photo.bytes.len() as u64);
    assert!(photo.bytes.len() <= MAX_PHOTO_BYTES);
}

#[test]
fn default_quality_used_when_within_limit() {
    let photo = prepare(&corpus_file(GOGH_JPEG), &china_settings()).unwrap();

    assert_eq!(photo.jpeg_quality, DEFAULT_JPEG_QUALITY);
}

#[test]
fn quality_lowered_to_fit_limit() {
    let input = corpus_file(LARGE_PORTRAIT_JPEG);
    let at_default = prepare(&input, &china_settings()).unwrap();
    let mut settings = china_settings();
    settings.max_output_bytes = at_default.bytes.len() - 1;

    let photo = prepare(&input, &settings).unwrap();

    assert!(photo.jpeg_quality < DEFAULT_JPEG_QUALITY, "quality {}", photo.jpeg_quality);
    assert!(photo.bytes.len() <= settings.max_output_bytes, "{} bytes", photo.bytes.len());
    assert_eq!((photo.width, photo.height), (at_default.width, at_default.height));
}

#[test]
fn output_over_limit_at_lowest_quality_rejected() {
    let mut settings = china_settings();
    settings.max_output_bytes = 2_000;

    let error = prepare(&corpus_file(GOGH_JPEG), &settings).unwrap_err();

    let PhotoError::OutputTooLarge { bytes, quality, limit } = error else {
        panic!("expected OutputTooLarge, got {error:?}");
    };
    assert_eq!(quality, MIN_JPEG_QUALITY);
    assert_eq!(limit, 2_000);
    assert!(bytes > 2_000, "{bytes} bytes");
}

#[test]
fn output_limit_capped_at_record_maximum() {
    let mut settings = china_settings();
    settings.max_output_bytes = usize::MAX;

    assert_eq!(settings.output_byte_limit(), MAX_PHOTO_BYTES);
}
