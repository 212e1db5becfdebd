//! Turns greyscale pictures into dark/light module maps (set = dark) for the detectors.

use image::GrayImage;
use rxing::common::{BitMatrix, HybridBinarizer};
use rxing::{Binarizer, Luma8LuminanceSource};

/// rxing's hybrid binariser (ZXing's): thresholds from 8×8 blocks averaged over 5×5 neighbourhoods,
/// with a global histogram threshold for pictures too small for blocks.
pub(crate) fn hybrid(picture: &GrayImage) -> Option<BitMatrix> {
    let source = Luma8LuminanceSource::new(picture.as_raw().clone(), picture.width(), picture.height()).ok()?;
    HybridBinarizer::new(source).get_black_matrix().ok().cloned()
}

/// One global threshold chosen by Otsu's method, which suits evenly lit renders and scans.
pub(crate) fn otsu(picture: &GrayImage) -> Option<BitMatrix> {
    let mut histogram = [0u64; 256];
    for pixel in picture.as_raw() {
        histogram[*pixel as usize] += 1;
    }
    let total: u64 = histogram.iter().sum();
    let weighted_total: f64 = histogram.iter().enumerate().map(|(level, &count)| level as f64 * count as f64).sum();

    let mut best = (0.0, 0u8);
    let mut dark_count = 0u64;
    let mut dark_weighted = 0.0;
    for (level, &count) in histogram.iter().enumerate() {
        dark_count += count;
        dark_weighted += level as f64 * count as f64;
        let light_count = total - dark_count;
        if dark_count == 0 || light_count == 0 {
            continue;
        }
        let dark_mean = dark_weighted / dark_count as f64;
        let light_mean = (weighted_total - dark_weighted) / light_count as f64;
        let between = dark_count as f64 * light_count as f64 * (dark_mean - light_mean).powi(2);
        if between > best.0 {
            best = (between, level as u8);
        }
    }

    let threshold = best.1;
    from_predicate(picture, |_, _, value| value <= threshold)
}

/// Thresholds each pixel against the mean of the `(2 * radius + 1)`² window around it: the pixel is
/// dark when it is more than `offset` grey levels below that mean. Handles uneven light and shadows.
pub(crate) fn local_mean(picture: &GrayImage, radius: u32, offset: u8) -> Option<BitMatrix> {
    let (width, height) = picture.dimensions();
    let stride = width as usize + 1;
    let mut integral = vec![0u64; stride * (height as usize + 1)];
    for y in 0..height as usize {
        let mut row_sum = 0u64;
        for x in 0..width as usize {
            row_sum += picture.as_raw()[y * width as usize + x] as u64;
            integral[(y + 1) * stride + x + 1] = integral[y * stride + x + 1] + row_sum;
        }
    }

    from_predicate(picture, |x, y, value| {
        let left = x.saturating_sub(radius) as usize;
        let top = y.saturating_sub(radius) as usize;
        let right = (x + radius + 1).min(width) as usize;
        let bottom = (y + radius + 1).min(height) as usize;
        let sum = integral[bottom * stride + right] + integral[top * stride + left]
            - integral[top * stride + right]
            - integral[bottom * stride + left];
        let mean = sum / ((right - left) * (bottom - top)) as u64;
        (value as u64) + (offset as u64) < mean
    })
}

fn from_predicate(picture: &GrayImage, is_dark: impl Fn(u32, u32, u8) -> bool) -> Option<BitMatrix> {
    let mut bits = BitMatrix::new(picture.width(), picture.height()).ok()?;
    for (x, y, pixel) in picture.enumerate_pixels() {
        if is_dark(x, y, pixel.0[0]) {
            bits.set(x, y);
        }
    }
    Some(bits)
}

/// Marks a pixel dark when it or one of its eight neighbours is dark.
pub(crate) fn dilated(bits: &BitMatrix) -> BitMatrix {
    neighbourhood(bits, true)
}

/// Marks a pixel dark only when it and all eight neighbours are dark.
pub(crate) fn eroded(bits: &BitMatrix) -> BitMatrix {
    neighbourhood(bits, false)
}

fn neighbourhood(bits: &BitMatrix, any: bool) -> BitMatrix {
    let (width, height) = (bits.getWidth(), bits.getHeight());
    let mut result = bits.clone();
    result.clear();
    for y in 0..height {
        for x in 0..width {
            let mut neighbours = (y.saturating_sub(1)..(y + 2).min(height))
                .flat_map(|ny| (x.saturating_sub(1)..(x + 2).min(width)).map(move |nx| (nx, ny)));
            let dark = if any {
                neighbours.any(|(nx, ny)| bits.get(nx, ny))
            } else {
                neighbours.all(|(nx, ny)| bits.get(nx, ny))
            };
            if dark {
                result.set(x, y);
            }
        }
    }
    result
}
