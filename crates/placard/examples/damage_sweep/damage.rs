//! Synthetic damage painted on a printed code: one central blot, or many small spots of dirt.
//!
//! Both cover a given fraction of the symbol's area, quiet zone excluded.

use image::{GrayImage, Luma};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::picture::PrintedCode;

/// Brightness of a blot and of dark dirt spots: grime, not ink black.
const DARK_DIRT: u8 = 50;

/// Brightness of light spots: flaked paint or bird droppings over dark modules.
const LIGHT_DIRT: u8 = 230;

/// Smallest and largest spot radius, in modules.
const SPOT_RADIUS_MODULES: (f64, f64) = (0.25, 0.75);

/// Paints one dark disc centred on the symbol whose area is `fraction` of the symbol's area.
pub fn central_blot(code: &PrintedCode, fraction: f64) -> GrayImage {
    let mut raster = code.raster.clone();
    let centre = code.symbol_start + code.symbol_side / 2.0;
    let radius = (fraction * code.symbol_side * code.symbol_side / std::f64::consts::PI).sqrt();
    paint_disc(&mut raster, (centre, centre), radius, DARK_DIRT, |_, _| {});
    raster
}

/// Region of the symbol that dirt spots may cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpotArea {
    /// Anywhere on the symbol.
    Anywhere,
    /// Nowhere on the three finder patterns or their separators (the 8 × 8 module corners). Error
    /// correction does not cover the finder patterns, so this variant isolates what the level adds.
    OffFinders,
}

/// Paints random dark and light spots (half of each, radius 0.25 to 0.75 modules) at random places
/// in `area` until they cover `fraction` of the symbol's area.
///
/// The same `seed` gives the same spots in the same order, so the damage at a larger fraction
/// contains the damage at every smaller one.
pub fn dirt_spots(code: &PrintedCode, fraction: f64, seed: u64, area: SpotArea) -> GrayImage {
    let mut raster = code.raster.clone();
    let mut rng = StdRng::seed_from_u64(seed);

    let start = code.symbol_start;
    let side = code.symbol_side;
    let side_px = side.ceil() as usize;
    let mut covered = vec![false; side_px * side_px];
    let mut covered_count = 0usize;
    let target = (fraction * side * side) as usize;

    while covered_count < target {
        let centre = (start + rng.random_range(0.0..side), start + rng.random_range(0.0..side));
        let radius = code.module_side * rng.random_range(SPOT_RADIUS_MODULES.0..SPOT_RADIUS_MODULES.1);
        let brightness = if rng.random_bool(0.5) { DARK_DIRT } else { LIGHT_DIRT };
        if area == SpotArea::OffFinders && touches_finder(code, (centre.0 - start, centre.1 - start), radius) {
            continue;
        }

        paint_disc(&mut raster, centre, radius, brightness, |x, y| {
            let (sx, sy) = (x as f64 - start, y as f64 - start);
            if (0.0..side).contains(&sx) && (0.0..side).contains(&sy) {
                let cell = &mut covered[sy as usize * side_px + sx as usize];
                if !*cell {
                    *cell = true;
                    covered_count += 1;
                }
            }
        });
    }
    raster
}

/// Tells whether a disc at `centre` (relative to the symbol's top-left corner, in fine pixels)
/// reaches into a finder pattern or its separator.
fn touches_finder(code: &PrintedCode, centre: (f64, f64), radius: f64) -> bool {
    let corner = 8.0 * code.module_side;
    let far = code.symbol_side - corner;
    let corners = [(0.0, 0.0), (far, 0.0), (0.0, far)];

    corners.iter().any(|&(left, top)| {
        let nearest_x = centre.0.clamp(left, left + corner);
        let nearest_y = centre.1.clamp(top, top + corner);
        let (dx, dy) = (centre.0 - nearest_x, centre.1 - nearest_y);
        dx * dx + dy * dy < radius * radius
    })
}

/// Sets every pixel whose centre lies within `radius` of `centre` to `brightness`, and calls
/// `on_pixel` with each one's coordinates.
fn paint_disc(raster: &mut GrayImage, centre: (f64, f64), radius: f64, brightness: u8, mut on_pixel: impl FnMut(u32, u32)) {
    let (cx, cy) = centre;
    let x_range = (cx - radius).floor().max(0.0) as u32..((cx + radius).ceil() as u32).min(raster.width());
    let y_range = (cy - radius).floor().max(0.0) as u32..((cy + radius).ceil() as u32).min(raster.height());

    for y in y_range {
        for x in x_range.clone() {
            let (dx, dy) = (x as f64 + 0.5 - cx, y as f64 + 0.5 - cy);
            if dx * dx + dy * dy <= radius * radius {
                raster.put_pixel(x, y, Luma([brightness]));
                on_pixel(x, y);
            }
        }
    }
}
