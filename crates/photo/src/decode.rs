//! Decoding within pixel and memory limits, keeping the raw EXIF block for `metadata`.

use std::io::{Cursor, ErrorKind};
use std::panic::{catch_unwind, AssertUnwindSafe};

use image::{DynamicImage, ImageDecoder, ImageError, ImageReader, Limits};

use crate::error::PhotoError;
use crate::format::PhotoFormat;
use crate::settings::PhotoSettings;

/// A decoded photo, not yet turned upright.
pub(crate) struct Decoded {
    pub image: DynamicImage,
    /// The EXIF block as a TIFF structure, if the file has one.
    pub exif: Option<Vec<u8>>,
}

/// Runs [`decode`] so that a panic inside `image` becomes [`PhotoError::Corrupt`] instead of ending
/// the app. This works where panics unwind; on `wasm32-unknown-unknown` a panic aborts.
pub(crate) fn decode_catching_panics(encoded: &[u8], format: PhotoFormat, settings: &PhotoSettings) -> Result<Decoded, PhotoError> {
    match catch_unwind(AssertUnwindSafe(|| decode(encoded, format, settings))) {
        Ok(result) => result,
        Err(_) => {
            tracing::warn!(%format, bytes = encoded.len(), "the image decoder panicked; the photo is rejected as corrupt");
            Err(PhotoError::Corrupt { format, reason: "the decoder failed on this file".into() })
        }
    }
}

/// Decodes `encoded` as `format`. The pixel count and the decoded size are checked against the
/// settings after the header is read and before any pixel buffer is allocated, so a small file that
/// claims a huge image costs only its header.
fn decode(encoded: &[u8], format: PhotoFormat, settings: &PhotoSettings) -> Result<Decoded, PhotoError> {
    let max_decoded_bytes = settings.max_decoded_bytes();
    let mut limits = Limits::default();
    limits.max_alloc = Some(max_decoded_bytes);

    let mut reader = ImageReader::with_format(Cursor::new(encoded), format.image_format());
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|error| decode_error(error, format, max_decoded_bytes))?;

    let (width, height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    if pixels > settings.max_pixels {
        return Err(PhotoError::TooManyPixels { width, height, limit: settings.max_pixels });
    }

    let decoded_bytes = decoder.total_bytes();
    if decoded_bytes > max_decoded_bytes {
        return Err(PhotoError::TooMuchMemory { format, bytes: decoded_bytes, limit: max_decoded_bytes });
    }

    // A broken EXIF block costs the photo its time and position, not the photo itself.
    let exif = match decoder.exif_metadata() {
        Ok(exif) => exif,
        Err(error) => {
            tracing::debug!(%format, %error, "unreadable EXIF block ignored");
            None
        }
    };

    let image = DynamicImage::from_decoder(decoder).map_err(|error| decode_error(error, format, max_decoded_bytes))?;
    Ok(Decoded { image, exif })
}

fn decode_error(error: ImageError, format: PhotoFormat, max_decoded_bytes: u64) -> PhotoError {
    match error {
        ImageError::IoError(io) if io.kind() == ErrorKind::UnexpectedEof => PhotoError::Truncated { format, reason: io.to_string() },
        ImageError::Limits(limit) => PhotoError::DecoderLimit { format, limit: max_decoded_bytes, reason: limit.to_string() },
        ImageError::Unsupported(unsupported) => PhotoError::UnsupportedFeature { format, reason: unsupported.to_string() },
        other => PhotoError::Corrupt { format, reason: other.to_string() },
    }
}
