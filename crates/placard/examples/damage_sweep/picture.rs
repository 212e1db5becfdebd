//! The printed code and the camera's picture of it.
//!
//! A code is drawn on a fine raster at its printed size, so damage can be painted in millimetres
//! whatever the symbol's module size. The camera's picture is that raster scaled down, so each
//! camera pixel is a weighted mean of the placard area around it. Module edges that fall between
//! camera pixels then come out grey, as in a photo. An optional Gaussian blur models the lens and
//! the focus. The model has no noise, perspective or uneven light, so real photos read
//! worse than these pictures.

use image::imageops::FilterType;
use image::{GrayImage, Luma};
use qrcode::{Color, QrCode};

/// Pixels per millimetre of the fine raster.
pub const FINE_PX_PER_MM: u32 = 8;

/// Modules of white margin around the symbol, as the placards print it.
pub const QUIET_ZONE_MODULES: usize = 4;

/// A QR code drawn at its printed size on the fine raster.
pub struct PrintedCode {
    pub raster: GrayImage,
    /// Left and top edge of the symbol (quiet zone excluded), in fine pixels.
    pub symbol_start: f64,
    /// Side of the symbol (quiet zone excluded), in fine pixels.
    pub symbol_side: f64,
    /// Side of one module, in fine pixels.
    pub module_side: f64,
}

/// Draws `code` black on white so that it and its quiet zone fill a square of `side_mm`.
pub fn print(code: &QrCode, side_mm: f64) -> PrintedCode {
    let modules = code.width();
    let side_px = (side_mm * FINE_PX_PER_MM as f64).round() as u32;
    let module_side = side_px as f64 / (modules + 2 * QUIET_ZONE_MODULES) as f64;
    let colors = code.to_colors();

    let raster = GrayImage::from_fn(side_px, side_px, |x, y| {
        let column = ((x as f64 + 0.5) / module_side) as usize;
        let row = ((y as f64 + 0.5) / module_side) as usize;
        let inside = |index: usize| (QUIET_ZONE_MODULES..QUIET_ZONE_MODULES + modules).contains(&index);
        let dark = inside(column) && inside(row) && colors[(row - QUIET_ZONE_MODULES) * modules + column - QUIET_ZONE_MODULES] == Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    });

    PrintedCode {
        raster,
        symbol_start: QUIET_ZONE_MODULES as f64 * module_side,
        symbol_side: modules as f64 * module_side,
        module_side,
    }
}

/// Scales the fine raster down to `camera_px_per_mm` pixels a millimetre of placard, then blurs it
/// with a Gaussian of `blur_sigma_px` camera pixels (none at 0). The triangle filter of `image`
/// widens with the scale factor, so every fine pixel contributes.
pub fn photograph(raster: &GrayImage, camera_px_per_mm: f64, blur_sigma_px: f32) -> GrayImage {
    let side = (raster.width() as f64 * camera_px_per_mm / FINE_PX_PER_MM as f64).round() as u32;
    let picture = image::imageops::resize(raster, side, side, FilterType::Triangle);
    if blur_sigma_px > 0.0 {
        image::imageops::blur(&picture, blur_sigma_px)
    } else {
        picture
    }
}

/// Encodes a picture as PNG, the form `outlet_scan::decode_image` takes.
pub fn encode_png(picture: &GrayImage) -> Result<Vec<u8>, image::ImageError> {
    let mut png = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut png, image::ImageFormat::Png)?;
    Ok(png.into_inner())
}
