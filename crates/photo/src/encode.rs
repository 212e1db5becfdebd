//! Scaling down, flattening to RGB and encoding the output JPEG.

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, RgbImage};

use crate::error::PhotoError;
use crate::settings::{JPEG_QUALITY_STEP, MIN_JPEG_QUALITY};

/// Triangle (bilinear) filtering, which `image` widens by the scale factor when shrinking, so every
/// source pixel counts. Lanczos3 is sharper but has three times the filter taps on each axis.
const RESIZE_FILTER: FilterType = FilterType::Triangle;

/// Returns the size that fits `width`×`height` into `max_long_side` on its longer side with the same
/// aspect ratio, rounded to whole pixels and at least 1. A photo that already fits keeps its size.
pub(crate) fn fit_long_side(width: u32, height: u32, max_long_side: u32) -> (u32, u32) {
    let long_side = width.max(height);
    if long_side <= max_long_side {
        return (width, height);
    }

    let scale = |side: u32| -> u32 {
        let scaled = (u64::from(side) * u64::from(max_long_side) + u64::from(long_side) / 2) / u64::from(long_side);
        u32::try_from(scaled).unwrap_or(max_long_side).max(1)
    };
    if width >= height {
        (max_long_side, scale(height))
    } else {
        (scale(width), max_long_side)
    }
}

/// Scales `image` down so that its longer side is at most `max_long_side`; never scales up.
pub(crate) fn downscale(image: DynamicImage, max_long_side: u32) -> DynamicImage {
    let (width, height) = fit_long_side(image.width(), image.height(), max_long_side);
    if (width, height) == (image.width(), image.height()) {
        return image;
    }
    image.resize_exact(width, height, RESIZE_FILTER)
}

/// Converts to 8-bit RGB, because baseline JPEG has no alpha channel. Transparent parts are laid on
/// white, the usual page background, instead of turning black.
pub(crate) fn flatten_to_rgb(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }

    let rgba = image.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [red, green, blue, alpha] = rgba.get_pixel(x, y).0;
        let on_white = |channel: u8| -> u8 {
            let alpha = u32::from(alpha);
            let blended = (u32::from(channel) * alpha + 255 * (255 - alpha) + 127) / 255;
            blended as u8
        };
        image::Rgb([on_white(red), on_white(green), on_white(blue)])
    })
}

/// Encodes `rgb` as JPEG at `quality`, then at lower qualities in steps of [`JPEG_QUALITY_STEP`]
/// down to [`MIN_JPEG_QUALITY`], until the output is at most `max_bytes`. Returns the bytes and the
/// quality used. The encoder writes a JFIF header and no EXIF block.
pub(crate) fn encode_jpeg_within(rgb: &RgbImage, quality: u8, max_bytes: usize) -> Result<(Vec<u8>, u8), PhotoError> {
    let mut quality = quality;
    loop {
        let bytes = encode_jpeg(rgb, quality)?;
        if bytes.len() <= max_bytes {
            return Ok((bytes, quality));
        }

        if quality <= MIN_JPEG_QUALITY {
            return Err(PhotoError::OutputTooLarge { bytes: bytes.len(), quality, limit: max_bytes });
        }

        tracing::debug!(quality, bytes = bytes.len(), max_bytes, "JPEG over its byte limit; lowering the quality");
        quality = quality.saturating_sub(JPEG_QUALITY_STEP).max(MIN_JPEG_QUALITY);
    }
}

fn encode_jpeg(rgb: &RgbImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, quality)
        .encode_image(rgb)
        .map_err(|error| PhotoError::Encode { reason: error.to_string() })?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_small_sizes() {
        assert_eq!(fit_long_side(410, 392, 2000), (410, 392));
        assert_eq!(fit_long_side(2000, 1500, 2000), (2000, 1500));
    }

    #[test]
    fn fit_scales_landscape_and_portrait() {
        assert_eq!(fit_long_side(4000, 3000, 2000), (2000, 1500));
        assert_eq!(fit_long_side(2625, 3500, 2000), (1500, 2000));
        assert_eq!(fit_long_side(4001, 3001, 2000), (2000, 1500));
    }

    #[test]
    fn fit_keeps_thin_strips_visible() {
        assert_eq!(fit_long_side(65_535, 1, 2000), (2000, 1));
        assert_eq!(fit_long_side(1, 65_535, 2000), (1, 2000));
    }

    #[test]
    fn flatten_lays_transparency_on_white() {
        let mut rgba = image::RgbaImage::new(2, 1);
        rgba.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
        rgba.put_pixel(1, 0, image::Rgba([0, 0, 0, 255]));

        let rgb = flatten_to_rgb(DynamicImage::ImageRgba8(rgba));

        assert_eq!(rgb.get_pixel(0, 0).0, [255, 255, 255]);
        assert_eq!(rgb.get_pixel(1, 0).0, [0, 0, 0]);
    }
}
