//! Inspection photos prepared on the device before they are stored and uploaded.
//!
//! [`prepare`] takes a photo as the camera or the gallery gives it (JPEG, PNG or WebP). It returns an
//! upright JPEG whose longer side is at most 2000 pixels by default, with its SHA-256. The JPEG has
//! no EXIF block, because EXIF can hold the phone's serial number and the owner's name. The time and
//! GPS position the camera recorded are returned beside it, for the record's [`PhotoRef`].
//!
//! Inputs are checked before their pixels are allocated: size of the file, pixel count and decoded
//! size each have a limit in [`PhotoSettings`]. The crate is pure Rust and builds for
//! `wasm32-unknown-unknown`, where the web app calls it.
//!
//! ```
//! use outlet_photo::{prepare, PhotoError, PhotoSettings};
//! use time::macros::offset;
//!
//! let mut png = Vec::new();
//! let picture = image::RgbImage::from_pixel(400, 300, image::Rgb([90, 140, 60]));
//! picture.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
//! let mut settings = PhotoSettings::new(offset!(+8));
//! settings.max_long_side = 200;
//!
//! let photo = prepare(&png, &settings).unwrap();
//! assert_eq!((photo.width, photo.height), (200, 150));
//! assert_eq!(photo.photo_ref().sha256, photo.sha256);
//! assert_eq!(prepare(&[], &settings), Err(PhotoError::Empty));
//! ```
//!
//! [`PhotoRef`]: outlet_core::inspection::PhotoRef

mod decode;
mod encode;
mod error;
mod file_end;
mod format;
mod messages;
mod metadata;
mod prepared;
mod settings;

pub use error::PhotoError;
pub use format::PhotoFormat;
pub use prepared::PreparedPhoto;
pub use settings::{
    PhotoSettings, DEFAULT_JPEG_QUALITY, DEFAULT_MAX_INPUT_BYTES, DEFAULT_MAX_LONG_SIDE, DEFAULT_MAX_PIXELS, JPEG_QUALITY_STEP,
    MIN_JPEG_QUALITY,
};

use outlet_core::inspection::sha256_hex;

/// Prepares a photo for an inspection record: decodes it, turns it upright by its EXIF orientation,
/// scales it down to `settings.max_long_side` (never up), and encodes a JPEG of at most
/// `settings.output_byte_limit()` bytes, lowering the quality step by step when needed. Reads
/// `taken_at` and `position` from the EXIF block; the output carries no EXIF.
///
/// The same input and settings give the same bytes and hash. Returns an error for empty input, data
/// that is not an image, formats other than JPEG, PNG and WebP, truncated or corrupt files, and
/// inputs over the limits of `settings`. A panic inside a decoder becomes [`PhotoError::Corrupt`]
/// where panics unwind; on `wasm32-unknown-unknown` they abort.
pub fn prepare(encoded: &[u8], settings: &PhotoSettings) -> Result<PreparedPhoto, PhotoError> {
    settings.validate()?;

    if encoded.len() > settings.max_input_bytes {
        return Err(PhotoError::InputTooLarge { bytes: encoded.len(), limit: settings.max_input_bytes });
    }

    let format = format::detect_format(encoded)?;
    file_end::check_complete(encoded, format)?;

    let decoded = decode::decode_catching_panics(encoded, format, settings)?;
    let camera = metadata::read_camera_metadata(decoded.exif, settings.local_offset);

    // Scaling before turning keeps the rotation's copy small; the longer side is the same either way.
    let mut image = encode::downscale(decoded.image, settings.max_long_side);
    image.apply_orientation(camera.orientation);
    let rgb = encode::flatten_to_rgb(image);

    let (bytes, jpeg_quality) = encode::encode_jpeg_within(&rgb, settings.jpeg_quality, settings.output_byte_limit())?;
    let sha256 = sha256_hex(&bytes);
    tracing::debug!(%sha256, %format, width = rgb.width(), height = rgb.height(), bytes = bytes.len(), jpeg_quality, "photo prepared");

    Ok(PreparedPhoto {
        bytes,
        sha256,
        width: rgb.width(),
        height: rgb.height(),
        jpeg_quality,
        taken_at: camera.taken_at,
        position: camera.position,
    })
}
