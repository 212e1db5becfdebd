//! Greyscale picture variants fed to the detectors.

use image::imageops::FilterType;
use image::GrayImage;

/// Scales a picture down so that its longest side is at most `max_side` pixels; smaller pictures are
/// returned as they are.
pub(crate) fn scale_down(picture: &GrayImage, max_side: u32) -> GrayImage {
    let (width, height) = picture.dimensions();
    let longest = width.max(height);
    if longest <= max_side {
        return picture.clone();
    }
    let scale = max_side as f64 / longest as f64;
    let new_width = ((width as f64 * scale).round() as u32).max(1);
    let new_height = ((height as f64 * scale).round() as u32).max(1);
    image::imageops::resize(picture, new_width, new_height, FilterType::Triangle)
}

pub(crate) fn inverted(picture: &GrayImage) -> GrayImage {
    let mut inverted = picture.clone();
    image::imageops::invert(&mut inverted);
    inverted
}

/// Stretches the grey levels between the 1st and 99th percentile to the full range, which helps
/// rqrr's fixed-ratio threshold on washed-out or dim photos.
pub(crate) fn stretched(picture: &GrayImage) -> GrayImage {
    let mut histogram = [0usize; 256];
    for pixel in picture.as_raw() {
        histogram[*pixel as usize] += 1;
    }
    let total = picture.as_raw().len();
    let percentile = |fraction: f64| {
        let target = (total as f64 * fraction) as usize;
        let mut seen = 0;
        for (level, count) in histogram.iter().enumerate() {
            seen += count;
            if seen > target {
                return level as u8;
            }
        }
        255
    };
    let (low, high) = (percentile(0.01), percentile(0.99));
    if high <= low {
        return picture.clone();
    }

    let range = (high - low) as f32;
    let mut stretched = picture.clone();
    for pixel in stretched.pixels_mut() {
        let value = (pixel.0[0].saturating_sub(low)) as f32 * 255.0 / range;
        pixel.0[0] = value.min(255.0) as u8;
    }
    stretched
}

/// Scales a picture up so that its longest side is `side` pixels.
pub(crate) fn scale_up(picture: &GrayImage, side: u32) -> GrayImage {
    let (width, height) = picture.dimensions();
    let longest = width.max(height).max(1);
    let new_width = (width * side / longest).max(1);
    let new_height = (height * side / longest).max(1);
    image::imageops::resize(picture, new_width, new_height, FilterType::Triangle)
}

/// Surrounds a picture with a white border `border` pixels wide.
pub(crate) fn padded(picture: &GrayImage, border: u32) -> GrayImage {
    let mut padded = GrayImage::from_pixel(picture.width() + 2 * border, picture.height() + 2 * border, image::Luma([255]));
    image::imageops::replace(&mut padded, picture, border as i64, border as i64);
    padded
}

/// Averages each pixel with its eight neighbours.
pub(crate) fn box_blurred(picture: &GrayImage) -> GrayImage {
    let (width, height) = picture.dimensions();
    GrayImage::from_fn(width, height, |x, y| {
        let mut sum = 0u32;
        let mut count = 0u32;
        for ny in y.saturating_sub(1)..(y + 2).min(height) {
            for nx in x.saturating_sub(1)..(x + 2).min(width) {
                sum += picture.get_pixel(nx, ny).0[0] as u32;
                count += 1;
            }
        }
        image::Luma([(sum / count) as u8])
    })
}
