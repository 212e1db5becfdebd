//! The photo as it is stored, uploaded and listed in an inspection record.

use outlet_core::inspection::{GeoPoint, PhotoRef};
use time::{OffsetDateTime, UtcOffset};

/// A photo ready to store and upload: an upright JPEG without EXIF, its hash, and the camera's time
/// and position, which the record carries instead of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedPhoto {
    /// The JPEG file.
    pub bytes: Vec<u8>,
    /// Lower-case hex SHA-256 of `bytes` (64 characters), the name the photo is uploaded under.
    pub sha256: String,
    /// Width of the upright image, in pixels.
    pub width: u32,
    /// Height of the upright image, in pixels.
    pub height: u32,
    /// JPEG quality the bytes were encoded at, lower than the requested one when the first encoding
    /// was over the byte limit.
    pub jpeg_quality: u8,
    /// Capture time, from EXIF `DateTimeOriginal`, at the offset the camera recorded
    /// (`OffsetTimeOriginal`) or else at the device's offset from the settings.
    pub taken_at: Option<OffsetDateTime>,
    /// Capture position, from the EXIF GPS latitude and longitude (WGS-84 degrees).
    pub position: Option<GeoPoint>,
}

impl PreparedPhoto {
    /// Builds the record's reference to this photo. `taken_at` is converted to UTC, as every time in
    /// a record is.
    pub fn photo_ref(&self) -> PhotoRef {
        PhotoRef {
            sha256: self.sha256.clone(),
            bytes: self.bytes.len() as u64,
            taken_at: self.taken_at.and_then(|taken_at| taken_at.checked_to_offset(UtcOffset::UTC)),
            position: self.position,
        }
    }
}
