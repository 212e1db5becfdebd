//! Output size, aspect ratio and orientation on real photos.

mod support;

use exif::Tag;
use image::RgbImage;
use outlet_photo::prepare;
use support::*;

#[test]
fn large_photo_long_side_2000() {
    let photo = prepare(&corpus_file(LARGE_PORTRAIT_JPEG), &china_settings()).unwrap();

    assert_eq!((photo.width, photo.height), (1500, 2000));
    let decoded = decode_output(&photo.bytes);
    assert_eq!(decoded.dimensions(), (1500, 2000));
}

#[test]
fn aspect_ratio_kept() {
    let input = corpus_file(GOGH_JPEG);
    let original = image::load_from_memory(&input).unwrap();

    let photo = prepare(&input, &china_settings()).unwrap();

    assert_eq!(photo.width.max(photo.height), 2000);
    let original_ratio = f64::from(original.width()) / f64::from(original.height());
    let output_ratio = f64::from(photo.width) / f64::from(photo.height);
    assert!((original_ratio - output_ratio).abs() < 0.001, "{original_ratio} became {output_ratio}");
}

#[test]
fn small_photo_not_upscaled() {
    let photo = prepare(&corpus_file(SMALL_JPEG), &china_settings()).unwrap();

    assert_eq!((photo.width, photo.height), (410, 392));
    assert_eq!(decode_output(&photo.bytes).dimensions(), (410, 392));
}

#[test]
fn custom_long_side_honoured() {
    let mut settings = china_settings();
    settings.max_long_side = 1000;

    let photo = prepare(&corpus_file(GOGH_JPEG), &settings).unwrap();

    assert_eq!((photo.width, photo.height), (750, 1000));
}

#[test]
fn png_and_webp_become_jpeg() {
    for (path, size) in [(PHOTO_PNG, (640, 480)), (PHOTO_WEBP, (358, 310))] {
        let photo = prepare(&corpus_file(path), &china_settings()).unwrap();

        assert_eq!((photo.width, photo.height), size, "{path}");
        assert_eq!(image::guess_format(&photo.bytes).unwrap(), image::ImageFormat::Jpeg, "{path}");
    }
}

/// Computes the mean absolute difference per channel between two images of the same size.
fn mean_difference(a: &RgbImage, b: &RgbImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions());
    let total: u64 = a.as_raw().iter().zip(b.as_raw()).map(|(x, y)| u64::from(x.abs_diff(*y))).sum();
    total as f64 / a.as_raw().len() as f64
}

#[test]
fn orientation_6_turns_clockwise() {
    let input = corpus_file(GOGH_JPEG);
    let settings = china_settings();
    let stored_as_is = decode_output(&prepare(&input, &settings).unwrap().bytes);

    let tagged = jpeg_with_fields(&input, &[short(Tag::Orientation, 6)]);
    let photo = prepare(&tagged, &settings).unwrap();

    assert_eq!((photo.width, photo.height), (2000, 1500));
    let upright = decode_output(&photo.bytes);
    let clockwise = mean_difference(&upright, &image::imageops::rotate90(&stored_as_is));
    let counter_clockwise = mean_difference(&upright, &image::imageops::rotate270(&stored_as_is));
    assert!(clockwise < 3.0, "differs from the clockwise turn by {clockwise}");
    assert!(counter_clockwise > 4.0 * clockwise, "clockwise {clockwise}, counter-clockwise {counter_clockwise}");
}

#[test]
fn orientations_swap_sides_as_exif_defines() {
    let input = corpus_file(SMALL_JPEG);

    for orientation in 1..=8u16 {
        let tagged = jpeg_with_fields(&input, &[short(Tag::Orientation, orientation)]);
        let photo = prepare(&tagged, &china_settings()).unwrap();

        let expected = if orientation >= 5 { (392, 410) } else { (410, 392) };
        assert_eq!((photo.width, photo.height), expected, "orientation {orientation}");
    }
}

#[test]
fn invalid_orientation_ignored() {
    let tagged = jpeg_with_fields(&corpus_file(SMALL_JPEG), &[short(Tag::Orientation, 9)]);

    let photo = prepare(&tagged, &china_settings()).unwrap();

    assert_eq!((photo.width, photo.height), (410, 392));
}
