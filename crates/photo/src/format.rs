//! Recognising the input's format from its first bytes.

use std::fmt;

use image::ImageFormat;

use crate::error::PhotoError;

/// An input format that `prepare` decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoFormat {
    Jpeg,
    Png,
    WebP,
}

impl PhotoFormat {
    /// Returns the format's usual name, e.g. `JPEG`.
    pub fn name(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "JPEG",
            PhotoFormat::Png => "PNG",
            PhotoFormat::WebP => "WebP",
        }
    }

    pub(crate) fn image_format(self) -> ImageFormat {
        match self {
            PhotoFormat::Jpeg => ImageFormat::Jpeg,
            PhotoFormat::Png => ImageFormat::Png,
            PhotoFormat::WebP => ImageFormat::WebP,
        }
    }
}

impl fmt::Display for PhotoFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// ISO base media file brands of HEIF still images, which iPhones write by default. `image` has no
/// HEIF decoder, so these get their own name in the error.
const HEIF_BRANDS: [&[u8; 4]; 9] = [b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1"];

/// Most bytes of the input that [`PhotoError::NotAnImage`] shows.
const SHOWN_START_BYTES: usize = 8;

/// Recognises JPEG, PNG and WebP by their signatures. Empty input, other image formats and
/// anything else get their own errors.
pub(crate) fn detect_format(encoded: &[u8]) -> Result<PhotoFormat, PhotoError> {
    if encoded.is_empty() {
        return Err(PhotoError::Empty);
    }

    if let Some(found) = heif_name(encoded) {
        return Err(PhotoError::UnsupportedFormat { found });
    }

    match image::guess_format(encoded) {
        Ok(ImageFormat::Jpeg) => Ok(PhotoFormat::Jpeg),
        Ok(ImageFormat::Png) => Ok(PhotoFormat::Png),
        Ok(ImageFormat::WebP) => Ok(PhotoFormat::WebP),
        Ok(other) => Err(PhotoError::UnsupportedFormat { found: other_format_name(other) }),
        Err(_) => Err(PhotoError::NotAnImage { start: hex_start(encoded) }),
    }
}

/// Names a HEIF or HEIC file from the major brand of its `ftyp` box (bytes 4 to 12).
fn heif_name(encoded: &[u8]) -> Option<&'static str> {
    let box_type = encoded.get(4..8)?;
    let brand = encoded.get(8..12)?;
    if box_type != b"ftyp" {
        return None;
    }

    match brand {
        b"mif1" => Some("HEIF"),
        brand if HEIF_BRANDS.iter().any(|heif| heif.as_slice() == brand) => Some("HEIC"),
        _ => None,
    }
}

fn other_format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Gif => "GIF",
        ImageFormat::Bmp => "BMP",
        ImageFormat::Tiff => "TIFF",
        ImageFormat::Avif => "AVIF",
        ImageFormat::Ico => "ICO",
        ImageFormat::Pnm => "PNM",
        ImageFormat::OpenExr => "OpenEXR",
        ImageFormat::Hdr => "Radiance HDR",
        ImageFormat::Qoi => "QOI",
        ImageFormat::Dds => "DDS",
        ImageFormat::Farbfeld => "farbfeld",
        other => other.to_mime_type(),
    }
}

fn hex_start(encoded: &[u8]) -> String {
    let first_bytes = &encoded[..encoded.len().min(SHOWN_START_BYTES)];
    let hex: Vec<String> = first_bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    hex.join(" ")
}
