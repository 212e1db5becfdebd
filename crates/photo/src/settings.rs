//! Settings of `prepare`: input limits, output size and quality, and the device's UTC offset.

use outlet_core::inspection::MAX_PHOTO_BYTES;
use time::UtcOffset;

use crate::error::PhotoError;

/// Default maximum length of the output's longer side, in pixels. At quality 85 the benchmark's
/// 12-megapixel photo (a 2.4 MB JPEG) becomes a 1500×2000 JPEG of 0.45 MB.
pub const DEFAULT_MAX_LONG_SIDE: u32 = 2000;

/// Default JPEG quality (1 to 100, as libjpeg scales its quantisation tables).
pub const DEFAULT_JPEG_QUALITY: u8 = 85;

/// Default maximum number of pixels of an input photo (100 megapixels), which rejects decompression
/// bombs before their pixels are allocated. Phone cameras commonly take 12 to 50 megapixels.
/// NOTE: full-resolution modes of 108- and 200-megapixel phone sensors exceed it and get
/// `TooManyPixels`, which asks the officer to lower the resolution.
pub const DEFAULT_MAX_PIXELS: u64 = 100_000_000;

/// Default maximum size of an encoded input photo, in bytes (40 MB).
pub const DEFAULT_MAX_INPUT_BYTES: usize = 40_000_000;

/// Lowest JPEG quality tried when the output is over its byte limit, so that a photo of a placard
/// stays readable. The value is a judgement, not a measured threshold.
pub const MIN_JPEG_QUALITY: u8 = 35;

/// How much the JPEG quality drops on each retry when the output is over its byte limit.
pub const JPEG_QUALITY_STEP: u8 = 10;

/// Limits and output options of [`crate::prepare`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhotoSettings {
    /// Maximum length of the output's longer side, in pixels. Smaller photos keep their size.
    pub max_long_side: u32,
    /// JPEG quality of the first encoding attempt, 1 to 100.
    pub jpeg_quality: u8,
    /// Maximum size of the output JPEG, in bytes. Values above [`MAX_PHOTO_BYTES`] act as that
    /// limit, because the server rejects larger photos.
    pub max_output_bytes: usize,
    /// Maximum width × height of the input, in pixels.
    pub max_pixels: u64,
    /// Maximum size of the encoded input, in bytes.
    pub max_input_bytes: usize,
    /// The device's UTC offset, used for an EXIF `DateTimeOriginal` that comes without an
    /// `OffsetTimeOriginal`. Cameras write that local time without a zone, so the offset has to come
    /// from the device (`time` cannot read the local offset in a browser or a multi-threaded process).
    pub local_offset: UtcOffset,
}

impl PhotoSettings {
    /// Returns the default settings for a device at `local_offset`.
    pub fn new(local_offset: UtcOffset) -> Self {
        Self {
            max_long_side: DEFAULT_MAX_LONG_SIDE,
            jpeg_quality: DEFAULT_JPEG_QUALITY,
            max_output_bytes: MAX_PHOTO_BYTES,
            max_pixels: DEFAULT_MAX_PIXELS,
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
            local_offset,
        }
    }

    /// Returns the output byte limit in force: `max_output_bytes`, capped at [`MAX_PHOTO_BYTES`].
    pub fn output_byte_limit(&self) -> usize {
        self.max_output_bytes.min(MAX_PHOTO_BYTES)
    }

    /// Returns the largest buffer that decoding may allocate, in bytes: four bytes (RGBA, 8 bits a
    /// channel) for each allowed pixel. A 16-bit image therefore gets half the pixels.
    pub fn max_decoded_bytes(&self) -> u64 {
        self.max_pixels.saturating_mul(4)
    }

    /// Rejects settings that cannot produce a photo, naming the field and its allowed range.
    pub(crate) fn validate(&self) -> Result<(), PhotoError> {
        let invalid =
            |field: &'static str, value: String, expected: &'static str| Err(PhotoError::InvalidSettings { field, value, expected });

        if self.max_long_side == 0 {
            return invalid("max_long_side", self.max_long_side.to_string(), "at least 1 pixel");
        }

        if !(1..=100).contains(&self.jpeg_quality) {
            return invalid("jpeg_quality", self.jpeg_quality.to_string(), "1 to 100");
        }

        if self.max_output_bytes == 0 {
            return invalid("max_output_bytes", self.max_output_bytes.to_string(), "at least 1 byte");
        }

        if self.max_pixels == 0 {
            return invalid("max_pixels", self.max_pixels.to_string(), "at least 1 pixel");
        }

        if self.max_input_bytes == 0 {
            return invalid("max_input_bytes", self.max_input_bytes.to_string(), "at least 1 byte");
        }

        Ok(())
    }
}
