//! Camera values from EXIF: orientation, capture time and GPS position.
//!
//! Every value is optional. A missing, blank or out-of-range value is dropped (and logged at debug
//! level) instead of failing the photo, because the photo is still evidence without it.

use exif::{Exif, In, Reader, Tag, Value};
use image::metadata::Orientation;
use outlet_core::inspection::GeoPoint;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Prefix of an EXIF block inside a JPEG APP1 segment; some WebP writers keep it in their EXIF chunk.
const EXIF_HEADER: &[u8] = b"Exif\0\0";

/// The camera's values that `prepare` keeps or applies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CameraMetadata {
    /// Turn and flip that show the stored pixels upright (EXIF `Orientation`).
    pub orientation: Orientation,
    pub taken_at: Option<OffsetDateTime>,
    pub position: Option<GeoPoint>,
}

impl CameraMetadata {
    const NONE: CameraMetadata = CameraMetadata { orientation: Orientation::NoTransforms, taken_at: None, position: None };
}

/// Reads the camera's values from a raw EXIF block (a TIFF structure). A `DateTimeOriginal` without
/// `OffsetTimeOriginal` is taken as local time at `local_offset`.
pub(crate) fn read_camera_metadata(raw_exif: Option<Vec<u8>>, local_offset: UtcOffset) -> CameraMetadata {
    let Some(mut raw_exif) = raw_exif else {
        return CameraMetadata::NONE;
    };
    if raw_exif.starts_with(EXIF_HEADER) {
        raw_exif.drain(..EXIF_HEADER.len());
    }

    // Keep what parses when one directory is broken, because a bad maker note or thumbnail directory
    // should not cost the photo its time and position.
    let parsed = Reader::new().continue_on_error(true).read_raw(raw_exif).or_else(|error| {
        error.distill_partial_result(|errors| {
            for error in errors {
                tracing::debug!(%error, "EXIF field skipped");
            }
        })
    });
    let exif = match parsed {
        Ok(exif) => exif,
        Err(error) => {
            tracing::debug!(%error, "unreadable EXIF block ignored");
            return CameraMetadata::NONE;
        }
    };

    CameraMetadata { orientation: orientation(&exif), taken_at: taken_at(&exif, local_offset), position: position(&exif) }
}

fn orientation(exif: &Exif) -> Orientation {
    let value = exif.get_field(Tag::Orientation, In::PRIMARY).and_then(|field| field.value.get_uint(0));
    let orientation = value.and_then(|value| u8::try_from(value).ok()).and_then(Orientation::from_exif);
    if value.is_some() && orientation.is_none() {
        tracing::debug!(?value, "EXIF Orientation outside 1 to 8 ignored");
    }
    orientation.unwrap_or(Orientation::NoTransforms)
}

/// Reads `DateTimeOriginal`, with `SubSecTimeOriginal` and `OffsetTimeOriginal` when present.
/// `DateTime` is not used: it is the time the file was last changed, which an editing app resets.
fn taken_at(exif: &Exif, local_offset: UtcOffset) -> Option<OffsetDateTime> {
    let text = ascii_field(exif, Tag::DateTimeOriginal)?;
    let mut stamp = match exif::DateTime::from_ascii(text) {
        Ok(stamp) => stamp,
        Err(error) => {
            tracing::debug!(%error, "EXIF DateTimeOriginal ignored");
            return None;
        }
    };

    if let Some(subsec) = ascii_field(exif, Tag::SubSecTimeOriginal) {
        if let Err(error) = stamp.parse_subsec(subsec) {
            tracing::debug!(%error, "EXIF SubSecTimeOriginal ignored");
        }
    }

    if let Some(offset) = ascii_field(exif, Tag::OffsetTimeOriginal) {
        if let Err(error) = stamp.parse_offset(offset) {
            tracing::debug!(%error, "EXIF OffsetTimeOriginal ignored; using the device's offset");
        }
    }

    let taken_at = to_offset_date_time(&stamp, local_offset);
    if taken_at.is_none() {
        tracing::debug!(stamp = %stamp, "EXIF DateTimeOriginal is not a valid date and time");
    }
    taken_at
}

fn to_offset_date_time(stamp: &exif::DateTime, local_offset: UtcOffset) -> Option<OffsetDateTime> {
    let month = Month::try_from(stamp.month).ok()?;
    let date = Date::from_calendar_date(i32::from(stamp.year), month, stamp.day).ok()?;
    let time = Time::from_hms_nano(stamp.hour, stamp.minute, stamp.second, stamp.nanosecond.unwrap_or(0)).ok()?;

    let offset = match stamp.offset {
        Some(minutes) => UtcOffset::from_whole_seconds(i32::from(minutes) * 60).ok()?,
        None => local_offset,
    };
    let taken_at = PrimitiveDateTime::new(date, time).assume_offset(offset);

    // The record stores UTC. A time without a UTC instant in `time`'s range is dropped here, so that
    // `PreparedPhoto::photo_ref` has a UTC time for every photo that has a time.
    taken_at.checked_to_offset(UtcOffset::UTC)?;
    Some(taken_at)
}

/// Reads `GPSLatitude` and `GPSLongitude` with their N/S and E/W references; south and west are
/// negative. A fix marked void (`GPSStatus` V) or on a datum other than WGS-84 is dropped.
fn position(exif: &Exif) -> Option<GeoPoint> {
    if ascii_field(exif, Tag::GPSStatus).is_some_and(|status| status.eq_ignore_ascii_case(b"V")) {
        tracing::debug!("EXIF GPS fix marked void ignored");
        return None;
    }

    if let Some(datum) = ascii_field(exif, Tag::GPSMapDatum) {
        let datum = String::from_utf8_lossy(datum);
        let is_wgs84 = datum.trim().is_empty() || datum.to_ascii_uppercase().contains("WGS");
        if !is_wgs84 {
            tracing::debug!(%datum, "EXIF GPS position on a datum other than WGS-84 ignored");
            return None;
        }
    }

    let latitude = coordinate(exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, (b'N', b'S'), 90.0)?;
    let longitude = coordinate(exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, (b'E', b'W'), 180.0)?;
    Some(GeoPoint { latitude, longitude })
}

/// Reads one coordinate: up to three rationals (degrees, minutes, seconds) and a one-letter
/// reference, `positive_negative.0` for a positive value and `.1` for a negative one.
fn coordinate(exif: &Exif, tag: Tag, reference_tag: Tag, positive_negative: (u8, u8), max_degrees: f64) -> Option<f64> {
    let Value::Rational(parts) = &exif.get_field(tag, In::PRIMARY)?.value else {
        tracing::debug!(%tag, "EXIF GPS coordinate is not rational");
        return None;
    };
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|part| part.denom == 0) {
        tracing::debug!(%tag, ?parts, "EXIF GPS coordinate ignored");
        return None;
    }

    let degrees: f64 = parts.iter().zip([1.0, 60.0, 3600.0]).map(|(part, divisor)| part.to_f64() / divisor).sum();
    if degrees > max_degrees {
        tracing::debug!(%tag, degrees, "EXIF GPS coordinate out of range ignored");
        return None;
    }

    let reference = ascii_field(exif, reference_tag).and_then(|text| text.first()).map(u8::to_ascii_uppercase);
    match reference {
        Some(letter) if letter == positive_negative.0 => Some(degrees),
        Some(letter) if letter == positive_negative.1 => Some(-degrees),
        _ => {
            tracing::debug!(%reference_tag, ?reference, "EXIF GPS reference missing or invalid; position ignored");
            None
        }
    }
}

/// Returns the first string of an ASCII field of the primary image (EXIF and GPS directories included).
fn ascii_field(exif: &Exif, tag: Tag) -> Option<&[u8]> {
    match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Ascii(strings) => strings.first().map(Vec::as_slice),
        _ => None,
    }
}
