//! Finds and decodes QR codes in photos and camera frames.
//!
//! rqrr does the decoding, with rxing as a fallback when rqrr finds nothing. Around them this crate
//! bounds the work, because large photos are scaled down first. It tries a few variants of the
//! picture (smaller scales, inverted for light-on-dark codes) and catches the decoders' panics, so a
//! bad picture becomes "no code found". It turns raw bytes into text with the right character set.
//!
//! ```no_run
//! let photo = std::fs::read("placard.png").unwrap();
//! for code in outlet_scan::decode_image(&photo).unwrap() {
//!     println!("{}", code.text);
//! }
//! ```

mod charset;

use std::panic::{catch_unwind, AssertUnwindSafe};

use image::imageops::FilterType;
use image::GrayImage;

pub use charset::decode_text;

/// Maximum side, in pixels, that a photo is decoded at. Larger photos are scaled down first because
/// rqrr's time grows quickly with size; a placard's code stays readable at this size.
pub const MAX_SIDE_PX: u32 = 1600;

/// Scales tried after the first pass found nothing, as the longest side in pixels.
const RETRY_SIDES_PX: [u32; 2] = [1024, 640];

/// A decoded QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedCode {
    /// The payload as text, in the character set [`decode_text`] chose.
    pub text: String,
    /// The payload's raw bytes.
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("the image could not be read: {0}")]
    UnreadableImage(String),

    #[error("a {width}x{height} frame needs {expected} grey bytes, got {actual}")]
    FrameSize { width: u32, height: u32, expected: usize, actual: usize },
}

/// Decodes every QR code in an encoded image (PNG, JPEG, GIF, BMP, WebP). An image without a readable
/// code gives an empty list; only an image that cannot be read at all is an error.
pub fn decode_image(encoded: &[u8]) -> Result<Vec<DecodedCode>, ScanError> {
    let picture = image::load_from_memory(encoded).map_err(|e| ScanError::UnreadableImage(e.to_string()))?;
    Ok(decode_grey(picture.to_luma8()))
}

/// Decodes a greyscale camera frame, one byte a pixel, row by row.
pub fn decode_frame(width: u32, height: u32, luma: Vec<u8>) -> Result<Vec<DecodedCode>, ScanError> {
    let expected = width as usize * height as usize;
    let actual = luma.len();
    let Some(frame) = GrayImage::from_raw(width, height, luma).filter(|_| actual == expected) else {
        return Err(ScanError::FrameSize { width, height, expected, actual });
    };
    Ok(decode_grey(frame))
}

fn decode_grey(original: GrayImage) -> Vec<DecodedCode> {
    let picture = scale_down(original.clone(), MAX_SIDE_PX);

    let found = decode_once(&picture);
    if !found.is_empty() {
        return found;
    }

    for side in RETRY_SIDES_PX {
        if picture.width().max(picture.height()) > side {
            let found = decode_once(&scale_down(picture.clone(), side));
            if !found.is_empty() {
                return found;
            }
        }
    }

    let mut inverted = picture.clone();
    image::imageops::invert(&mut inverted);
    let found = decode_once(&inverted);
    if !found.is_empty() {
        return found;
    }

    let found = decode_with_rxing(&picture);
    if !found.is_empty() || original.dimensions() == picture.dimensions() {
        return found;
    }
    decode_with_rxing(&original)
}

/// Decodes with the fallback decoder, rxing (a Rust port of ZXing), with its hybrid binariser, trying
/// harder and inverted codes too. It reads many photos rqrr cannot (see docs/BENCHMARKS.md), and it
/// runs only after every rqrr pass found nothing.
fn decode_with_rxing(picture: &GrayImage) -> Vec<DecodedCode> {
    let attempt = catch_unwind(AssertUnwindSafe(|| {
        let mut hints = rxing::DecodeHints::default();
        hints.TryHarder = Some(true);
        hints.AlsoInverted = Some(true);
        rxing::helpers::detect_in_luma_with_hints(
            picture.as_raw().clone(),
            picture.width(),
            picture.height(),
            Some(rxing::BarcodeFormat::QR_CODE),
            &mut hints,
        )
    }));
    match attempt {
        Ok(Ok(result)) => {
            let text = result.getText().to_string();
            vec![DecodedCode { bytes: text.as_bytes().to_vec(), text }]
        }
        Ok(Err(_)) => Vec::new(),
        Err(_) => {
            tracing::warn!(width = picture.width(), height = picture.height(), "rxing panicked; treating the picture as unreadable");
            Vec::new()
        }
    }
}

fn scale_down(picture: GrayImage, max_side: u32) -> GrayImage {
    let (width, height) = picture.dimensions();
    let longest = width.max(height);
    if longest <= max_side {
        return picture;
    }
    let scale = max_side as f64 / longest as f64;
    let new_width = ((width as f64 * scale).round() as u32).max(1);
    let new_height = ((height as f64 * scale).round() as u32).max(1);
    image::imageops::resize(&picture, new_width, new_height, FilterType::Triangle)
}

/// Runs one rqrr pass. A panic inside rqrr (it asserts on some geometry) counts as nothing found.
fn decode_once(picture: &GrayImage) -> Vec<DecodedCode> {
    let attempt = catch_unwind(AssertUnwindSafe(|| {
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
            picture.width() as usize,
            picture.height() as usize,
            |x, y| picture.get_pixel(x as u32, y as u32).0[0],
        );
        let mut codes = Vec::new();
        for grid in prepared.detect_grids() {
            let mut bytes = Vec::new();
            match grid.decode_to(&mut bytes) {
                Ok(_meta) => codes.push(DecodedCode { text: decode_text(&bytes), bytes }),
                Err(error) => tracing::debug!(%error, "a QR grid was found but did not decode"),
            }
        }
        codes
    }));

    attempt.unwrap_or_else(|_| {
        tracing::warn!(width = picture.width(), height = picture.height(), "rqrr panicked; treating the picture as unreadable");
        Vec::new()
    })
}
