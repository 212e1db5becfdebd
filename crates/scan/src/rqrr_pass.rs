//! Finds QR symbols with rqrr, the primary decoder, and reads each grid it samples.

use image::GrayImage;
use rqrr::{BitGrid, PreparedImage};
use rxing::common::BitMatrix;

use crate::charset::decode_text;
use crate::guard::catch_decoder_panic;
use crate::{symbol, DecodedCode};

/// Codes and unread grids that one rqrr pass found.
#[derive(Debug, Default)]
pub(crate) struct RqrrFindings {
    pub codes: Vec<DecodedCode>,
    /// Module size, in pixels of the pass's picture, of each grid that was found but did not decode.
    pub undecoded_module_px: Vec<f32>,
}

/// Runs rqrr with its own thresholding (a running row average) on a greyscale picture.
pub(crate) fn scan_grey(picture: &GrayImage) -> RqrrFindings {
    guarded(picture.width(), picture.height(), || PreparedImage::prepare(picture.clone()))
}

/// Runs rqrr on a picture that is already binarised (set = dark).
pub(crate) fn scan_binary(bits: &BitMatrix) -> RqrrFindings {
    let (width, height) = (bits.getWidth(), bits.getHeight());
    guarded(width, height, || {
        let marks = GrayImage::from_fn(width, height, |x, y| image::Luma([u8::from(bits.get(x, y))]));
        PreparedImage::without_preparation(marks)
    })
}

/// Runs one pass and catches rqrr's panics (it asserts on some geometry, e.g. in `detect_grids`):
/// a panic counts as nothing found.
fn guarded(width: u32, height: u32, prepare: impl FnOnce() -> PreparedImage<GrayImage>) -> RqrrFindings {
    let attempt = catch_decoder_panic(|| {
        let mut prepared = prepare();
        let mut findings = RqrrFindings::default();
        for grid in prepared.detect_grids() {
            match read_grid(&grid) {
                Some(code) => findings.codes.push(code),
                None => findings.undecoded_module_px.push(module_px(&grid)),
            }
        }
        findings
    });

    attempt.unwrap_or_else(|| {
        tracing::warn!(width, height, "rqrr panicked; treating the picture as unreadable");
        RqrrFindings::default()
    })
}

/// Reads a grid's modules with [`symbol::read`], which keeps segment modes and ECIs for the text.
/// When that fails, falls back to rqrr's own decoder, whose bytes carry no segment information.
fn read_grid<G: BitGrid>(grid: &rqrr::Grid<G>) -> Option<DecodedCode> {
    let size = grid.grid.size();
    let code = symbol::modules_from(size, |x, y| grid.grid.bit(y, x)).and_then(|modules| symbol::read(&modules));
    if code.is_some() {
        return code;
    }

    let mut bytes = Vec::new();
    match grid.decode_to(&mut bytes) {
        Ok(_meta) => Some(DecodedCode { text: decode_text(&bytes), bytes }),
        Err(error) => {
            tracing::debug!(%error, "a QR grid was found but did not decode");
            None
        }
    }
}

/// Estimates the module size from the grid's top edge.
fn module_px<G: BitGrid>(grid: &rqrr::Grid<G>) -> f32 {
    let [top_left, top_right, _, _] = grid.bounds;
    let dx = (top_right.x - top_left.x) as f32;
    let dy = (top_right.y - top_left.y) as f32;
    dx.hypot(dy) / grid.grid.size().max(1) as f32
}
