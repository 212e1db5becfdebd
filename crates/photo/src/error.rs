//! Errors of photo preparation.

use crate::format::PhotoFormat;

/// A photo that `prepare` rejected, or settings it cannot work with. Each variant carries the values
/// that explain it (sizes, limits, the format found). [`PhotoError::message`] words it for the officer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the photo is empty (0 bytes); take or pick it again")]
    Empty,

    #[error("the photo is {bytes} bytes, over the limit of {limit} bytes; take it at a lower resolution")]
    InputTooLarge { bytes: usize, limit: usize },

    #[error("not an image: the data starts with {start}; expected a JPEG, PNG or WebP photo")]
    NotAnImage {
        /// The first bytes of the input in hex, at most eight of them.
        start: String,
    },

    #[error("{found} photos are not supported; expected JPEG, PNG or WebP")]
    UnsupportedFormat {
        /// The format recognised from the input's first bytes, e.g. `GIF` or `HEIC`.
        found: &'static str,
    },

    #[error("the photo is {width}×{height} pixels, over the limit of {limit} pixels; take it at a lower resolution")]
    TooManyPixels { width: u32, height: u32, limit: u64 },

    #[error("decoding the {format} photo needs {bytes} bytes of memory, over the limit of {limit} bytes; take it at a lower resolution")]
    TooMuchMemory { format: PhotoFormat, bytes: u64, limit: u64 },

    #[error("decoding the {format} photo stopped at the memory limit of {limit} bytes ({reason}); take it at a lower resolution")]
    DecoderLimit { format: PhotoFormat, limit: u64, reason: String },

    #[error("the {format} photo is truncated: {reason}; take or pick it again")]
    Truncated { format: PhotoFormat, reason: String },

    #[error("the {format} photo is corrupt: {reason}; take or pick it again")]
    Corrupt { format: PhotoFormat, reason: String },

    #[error("the {format} photo uses a feature the decoder does not support: {reason}; save it as a baseline JPEG")]
    UnsupportedFeature { format: PhotoFormat, reason: String },

    #[error("the prepared JPEG is {bytes} bytes at quality {quality}, over the limit of {limit} bytes; lower max_long_side")]
    OutputTooLarge { bytes: usize, quality: u8, limit: usize },

    #[error("encoding the JPEG failed: {reason}")]
    Encode { reason: String },

    #[error("invalid photo setting {field} = {value}; expected {expected}")]
    InvalidSettings { field: &'static str, value: String, expected: &'static str },
}
