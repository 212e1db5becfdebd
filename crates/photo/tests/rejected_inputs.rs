//! Inputs that `prepare` rejects, each with its own error, and damaged files that must not panic.

mod support;

use outlet_core::i18n::Lang;
use outlet_photo::{prepare, PhotoError, PhotoFormat};
use support::*;

#[test]
fn empty_input_rejected() {
    assert_eq!(prepare(&[], &china_settings()), Err(PhotoError::Empty));
}

#[test]
fn random_bytes_not_an_image() {
    let noise = Noise::new(0x5eed).bytes(4096);

    let error = prepare(&noise, &china_settings()).unwrap_err();

    let expected_start: Vec<String> = noise[..8].iter().map(|byte| format!("{byte:02x}")).collect();
    assert_eq!(error, PhotoError::NotAnImage { start: expected_start.join(" ") });
    assert!(error.message(Lang::En).contains("JPEG, PNG or WebP"));
}

#[test]
fn text_file_not_an_image() {
    let error = prepare(b"<!DOCTYPE html><html>", &china_settings()).unwrap_err();

    assert_eq!(error, PhotoError::NotAnImage { start: "3c 21 44 4f 43 54 59 50".into() });
}

#[test]
fn truncated_jpeg_rejected() {
    let jpeg = corpus_file(GOGH_JPEG);

    for cut in [jpeg.len() / 2, jpeg.len() - 2, 1000] {
        let error = prepare(&jpeg[..cut], &china_settings()).unwrap_err();

        assert!(matches!(error, PhotoError::Truncated { format: PhotoFormat::Jpeg, .. }), "cut at {cut}: {error:?}");
    }
}

#[test]
fn truncated_png_and_webp_rejected() {
    let png = corpus_file(PHOTO_PNG);
    let webp = corpus_file(PHOTO_WEBP);
    let cases = [
        (PHOTO_PNG, &png[..png.len() / 2], PhotoFormat::Png),
        (PHOTO_PNG, &png[..100], PhotoFormat::Png),
        (PHOTO_WEBP, &webp[..webp.len() / 2], PhotoFormat::WebP),
        (PHOTO_WEBP, &webp[..webp.len() - 1], PhotoFormat::WebP),
    ];

    for (path, cut, format) in cases {
        let error = prepare(cut, &china_settings()).unwrap_err();

        assert!(
            matches!(&error, PhotoError::Truncated { format: found, .. } if *found == format),
            "{path} cut to {}: {error:?}",
            cut.len()
        );
    }
}

#[test]
fn gif_unsupported() {
    let error = prepare(&corpus_file(GIF), &china_settings()).unwrap_err();

    assert_eq!(error, PhotoError::UnsupportedFormat { found: "GIF" });
}

#[test]
fn heic_named_and_unsupported() {
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    heic.extend_from_slice(&[0; 64]);

    let error = prepare(&heic, &china_settings()).unwrap_err();

    assert_eq!(error, PhotoError::UnsupportedFormat { found: "HEIC" });
}

#[test]
fn input_over_byte_limit_rejected() {
    let mut settings = china_settings();
    settings.max_input_bytes = 100_000;
    let jpeg = corpus_file(GOGH_JPEG);

    let error = prepare(&jpeg, &settings).unwrap_err();

    assert_eq!(error, PhotoError::InputTooLarge { bytes: jpeg.len(), limit: 100_000 });
}

#[test]
fn photo_over_pixel_limit_rejected() {
    let mut settings = china_settings();
    settings.max_pixels = 3_000_000;

    let error = prepare(&corpus_file(GOGH_JPEG), &settings).unwrap_err();

    assert_eq!(error, PhotoError::TooManyPixels { width: 1536, height: 2048, limit: 3_000_000 });
}

#[test]
fn invalid_settings_named() {
    let jpeg = corpus_file(SMALL_JPEG);
    let mut zero_quality = china_settings();
    zero_quality.jpeg_quality = 0;
    let mut zero_side = china_settings();
    zero_side.max_long_side = 0;

    let quality_error = prepare(&jpeg, &zero_quality).unwrap_err();
    let side_error = prepare(&jpeg, &zero_side).unwrap_err();

    assert_eq!(quality_error, PhotoError::InvalidSettings { field: "jpeg_quality", value: "0".into(), expected: "1 to 100" });
    assert!(matches!(side_error, PhotoError::InvalidSettings { field: "max_long_side", .. }), "{side_error:?}");
}

#[test]
fn corrupt_segment_length_rejected() {
    let mut jpeg = corpus_file(SMALL_JPEG);
    // The first segment after SOI gets a length of 1, below the minimum of 2.
    jpeg[4] = 0;
    jpeg[5] = 1;

    let error = prepare(&jpeg, &china_settings()).unwrap_err();

    assert!(matches!(error, PhotoError::Corrupt { format: PhotoFormat::Jpeg, .. }), "{error:?}");
}

/// Flips bytes and cuts real files at pseudo-random places; every result must be a photo or an
/// error, never a panic.
#[test]
fn damaged_files_never_panic() {
    let mut noise = Noise::new(20_261_204);
    let mut settings = china_settings();
    settings.max_long_side = 256;

    for path in [SMALL_JPEG, PHOTO_PNG, PHOTO_WEBP] {
        let original = corpus_file(path);
        let original = if path == SMALL_JPEG { jpeg_with_fields(&original, &phone_fields()) } else { original };

        for round in 0..60 {
            let mut damaged = original.clone();
            for _ in 0..1 + noise.below(8) {
                let at = noise.below(damaged.len());
                damaged[at] = noise.next_u64() as u8;
            }
            if round % 3 == 0 {
                damaged.truncate(noise.below(damaged.len()));
            }

            let result = prepare(&damaged, &settings);

            if let Ok(photo) = result {
                assert!(photo.width.max(photo.height) <= 256, "{path} round {round}");
            }
        }
    }
}
