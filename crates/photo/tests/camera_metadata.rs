//! Time and GPS position read from real EXIF blocks, and no EXIF in the output.

mod support;

use std::io::Cursor;

use exif::{Field, In, Tag, Value};
use outlet_photo::prepare;
use support::*;
use time::macros::{datetime, offset};
use time::UtcOffset;

const FUZHOU_LATITUDE: f64 = 26.0 + 4.0 / 60.0 + 30.5 / 3600.0;
const FUZHOU_LONGITUDE: f64 = 119.0 + 17.0 / 60.0 + 46.2 / 3600.0;

fn assert_close(actual: f64, expected: f64, label: &str) {
    assert!((actual - expected).abs() < 1e-9, "{label}: {actual}, expected {expected}");
}

fn phone_photo() -> Vec<u8> {
    jpeg_with_fields(&corpus_file(SMALL_JPEG), &phone_fields())
}

#[test]
fn time_with_offset_read() {
    let photo = prepare(&phone_photo(), &china_settings()).unwrap();

    assert_eq!(photo.taken_at, Some(datetime!(2026-12-04 09:30:15.250 +08:00)));
    assert_eq!(photo.taken_at.unwrap().offset(), offset!(+8));
}

#[test]
fn photo_ref_time_in_utc() {
    let photo = prepare(&phone_photo(), &china_settings()).unwrap();

    let photo_ref = photo.photo_ref();

    let taken_at = photo_ref.taken_at.unwrap();
    assert_eq!(taken_at, datetime!(2026-12-04 01:30:15.250 UTC));
    assert_eq!(taken_at.offset(), UtcOffset::UTC);
}

#[test]
fn time_without_offset_uses_device_offset() {
    let fields = [ascii(Tag::DateTimeOriginal, "2026:07:01 18:05:00")];
    let input = jpeg_with_fields(&corpus_file(SMALL_JPEG), &fields);

    let in_china = prepare(&input, &china_settings()).unwrap();
    let in_new_york = prepare(&input, &outlet_photo::PhotoSettings::new(offset!(-4))).unwrap();

    assert_eq!(in_china.taken_at, Some(datetime!(2026-07-01 18:05:00 +08:00)));
    assert_eq!(in_new_york.taken_at, Some(datetime!(2026-07-01 18:05:00 -04:00)));
}

#[test]
fn blank_or_invalid_time_dropped() {
    for text in ["    :  :     :  :  ", "2026:02:30 10:00:00", "2026:13:01 10:00:00", "2026:12:04 25:00:00", "yesterday"] {
        let fields = [ascii(Tag::DateTimeOriginal, text)];
        let input = jpeg_with_fields(&corpus_file(SMALL_JPEG), &fields);

        let photo = prepare(&input, &china_settings()).unwrap();

        assert_eq!(photo.taken_at, None, "{text:?}");
    }
}

#[test]
fn file_change_time_not_taken() {
    let fields = [ascii(Tag::DateTime, "2026:12:05 08:00:00")];
    let input = jpeg_with_fields(&corpus_file(SMALL_JPEG), &fields);

    let photo = prepare(&input, &china_settings()).unwrap();

    assert_eq!(photo.taken_at, None);
}

#[test]
fn north_east_position_read() {
    let photo = prepare(&phone_photo(), &china_settings()).unwrap();

    let position = photo.position.unwrap();
    assert_close(position.latitude, FUZHOU_LATITUDE, "latitude");
    assert_close(position.longitude, FUZHOU_LONGITUDE, "longitude");
    assert_eq!(photo.photo_ref().position, Some(position));
}

#[test]
fn south_west_position_negative() {
    let fields = [
        ascii(Tag::GPSLatitudeRef, "S"),
        degrees_minutes_seconds(Tag::GPSLatitude, 22, 54, 30.0),
        ascii(Tag::GPSLongitudeRef, "W"),
        degrees_minutes_seconds(Tag::GPSLongitude, 43, 11, 47.0),
    ];
    let input = jpeg_with_fields(&corpus_file(SMALL_JPEG), &fields);

    let position = prepare(&input, &china_settings()).unwrap().position.unwrap();

    assert_close(position.latitude, -(22.0 + 54.0 / 60.0 + 30.0 / 3600.0), "latitude");
    assert_close(position.longitude, -(43.0 + 11.0 / 60.0 + 47.0 / 3600.0), "longitude");
}

#[test]
fn unusable_position_dropped() {
    let latitude = || degrees_minutes_seconds(Tag::GPSLatitude, 26, 4, 30.5);
    let longitude = || degrees_minutes_seconds(Tag::GPSLongitude, 119, 17, 46.2);
    let cases: Vec<(&str, Vec<Field>)> = vec![
        ("no references", vec![latitude(), longitude()]),
        ("reference X", vec![ascii(Tag::GPSLatitudeRef, "X"), latitude(), ascii(Tag::GPSLongitudeRef, "E"), longitude()]),
        ("no longitude", vec![ascii(Tag::GPSLatitudeRef, "N"), latitude()]),
        (
            "latitude over 90",
            vec![
                ascii(Tag::GPSLatitudeRef, "N"),
                degrees_minutes_seconds(Tag::GPSLatitude, 91, 0, 0.0),
                ascii(Tag::GPSLongitudeRef, "E"),
                longitude(),
            ],
        ),
        (
            "zero denominator",
            vec![
                ascii(Tag::GPSLatitudeRef, "N"),
                Field {
                    tag: Tag::GPSLatitude,
                    ifd_num: In::PRIMARY,
                    value: Value::Rational(vec![(26, 0).into(), (4, 1).into(), (30, 1).into()]),
                },
                ascii(Tag::GPSLongitudeRef, "E"),
                longitude(),
            ],
        ),
        (
            "void fix",
            vec![ascii(Tag::GPSStatus, "V"), ascii(Tag::GPSLatitudeRef, "N"), latitude(), ascii(Tag::GPSLongitudeRef, "E"), longitude()],
        ),
        (
            "Tokyo datum",
            vec![
                ascii(Tag::GPSMapDatum, "TOKYO"),
                ascii(Tag::GPSLatitudeRef, "N"),
                latitude(),
                ascii(Tag::GPSLongitudeRef, "E"),
                longitude(),
            ],
        ),
    ];

    for (case, fields) in cases {
        let input = jpeg_with_fields(&corpus_file(SMALL_JPEG), &fields);

        let photo = prepare(&input, &china_settings()).unwrap();

        assert_eq!(photo.position, None, "{case}");
    }
}

#[test]
fn exif_in_png_read() {
    let block = exif_block(&phone_fields(), None);
    let input = png_with_exif(&corpus_file(PHOTO_PNG), &block);

    let photo = prepare(&input, &china_settings()).unwrap();

    assert_eq!(photo.taken_at, Some(datetime!(2026-12-04 09:30:15.250 +08:00)));
    assert_close(photo.position.unwrap().latitude, FUZHOU_LATITUDE, "latitude");
    assert_eq!((photo.width, photo.height), (480, 640), "orientation 6 applied");
}

#[test]
fn photo_without_exif_has_no_metadata() {
    let photo = prepare(&corpus_file(GOGH_JPEG), &china_settings()).unwrap();

    assert_eq!(photo.taken_at, None);
    assert_eq!(photo.position, None);
}

#[test]
fn broken_exif_block_ignored() {
    let mut block = exif_block(&phone_fields(), None);
    block.truncate(20);
    let input = jpeg_with_exif(&corpus_file(SMALL_JPEG), &block);

    let photo = prepare(&input, &china_settings()).unwrap();

    assert_eq!((photo.width, photo.height), (410, 392));
    assert_eq!(photo.taken_at, None);
}

#[test]
fn output_has_no_exif() {
    let input = phone_photo();
    assert!(exif::Reader::new().read_from_container(&mut Cursor::new(&input)).is_ok(), "the input must carry EXIF");

    let photo = prepare(&input, &china_settings()).unwrap();

    let read = exif::Reader::new().read_from_container(&mut Cursor::new(&photo.bytes));
    assert!(matches!(read, Err(exif::Error::NotFound(_))), "{:?}", read.err());
    assert!(!photo.bytes.windows(6).any(|window| window == b"Exif\0\0"));
    assert!(!photo.bytes.windows(9).any(|window| window == b"TestMaker"));
}
