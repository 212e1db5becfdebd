//! Finds and decodes QR codes in photos and camera frames.
//!
//! rqrr is the primary decoder and rxing the second, run after it on every picture. Around them
//! this crate tries a fixed sequence of picture variants (scales, inversion, binarisations) within a
//! wall-time budget, so that a camera frame does not stall the preview and a huge photo ends with
//! "no code found". It catches the decoders' panics, so a bad picture also ends as "no code found".
//! Each symbol's text is decoded by its segment modes and ECI, so Shift_JIS and GB18030 payloads
//! read correctly.
//!
//! ```no_run
//! let photo = std::fs::read("placard.png").unwrap();
//! for code in outlet_scan::decode_image(&photo).unwrap() {
//!     println!("{}", code.text);
//! }
//! ```

mod binarise;
mod budget;
mod charset;
mod guard;
mod picture;
mod pipeline;
mod rqrr_pass;
mod rxing_pass;
mod segments;
#[cfg(all(test, feature = "survey"))]
mod survey;
mod symbol;

use std::time::Duration;

use image::GrayImage;

pub use charset::decode_text;
pub use guard::install_panic_hook;

/// The wall time [`decode_frame_within`] is meant to get for one camera frame: a 25 fps preview
/// shows a frame every 40 ms, so a frame decoded within it never holds up the next one.
pub const FRAME_BUDGET: Duration = Duration::from_millis(40);

/// The wall time [`decode_image`] spends looking for codes in one photo before it reports the photo
/// unreadable. The clock starts once the image file is decoded, so that a large file that is slow to
/// decode, as in a debug build, still gets the first decoding step.
pub const PHOTO_BUDGET: Duration = Duration::from_millis(1500);

/// A decoded QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedCode {
    /// The payload as text, in the character set its ECI names or, without one, the character set
    /// chosen by [`decode_text`]'s rules.
    pub text: String,
    /// The payload's bytes: byte-mode data as stored, numeric and alphanumeric data as ASCII, Kanji
    /// mode as Shift_JIS and Hanzi mode as GB2312.
    pub bytes: Vec<u8>,
}

impl DecodedCode {
    pub(crate) fn from_segments(segments: &[segments::Segment]) -> DecodedCode {
        DecodedCode {
            text: charset::segments_text(segments),
            bytes: segments.iter().flat_map(|s| s.bytes.iter().copied()).collect(),
        }
    }
}

/// Advice for the camera screen when a frame gave no code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameHint {
    /// Finder patterns or a code grid were seen, but their modules are too small to read.
    MoveCloser,
    /// A code grid or finder patterns of readable size were seen, but the code did not decode, as
    /// with motion blur or poor focus.
    HoldStill,
}

/// The result of one decode within a budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameOutcome {
    /// Every code read, without duplicate texts; empty when none was read.
    pub codes: Vec<DecodedCode>,
    /// Set only when `codes` is empty and something code-like was seen.
    pub hint: Option<FrameHint>,
    /// True when the budget ran out before every variant of the picture was tried. Always false when
    /// `codes` is not empty.
    pub budget_exhausted: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("the image could not be read: {0}")]
    UnreadableImage(String),

    #[error("a {width}x{height} frame needs {expected} grey bytes, got {actual}")]
    FrameSize { width: u32, height: u32, expected: usize, actual: usize },
}

/// Decodes every QR code in an encoded image (PNG, JPEG, GIF, BMP, WebP) within [`PHOTO_BUDGET`].
/// An image without a readable code gives an empty list, and so does one whose budget ran out. Only
/// an image that cannot be read at all is an error.
pub fn decode_image(encoded: &[u8]) -> Result<Vec<DecodedCode>, ScanError> {
    Ok(decode_image_within(encoded, PHOTO_BUDGET)?.codes)
}

/// Decodes every QR code in an encoded image within `budget` of wall time, counted from when the
/// image file is decoded. `Duration::MAX` means no limit. [`decode_frame_within`] describes how
/// the budget is kept.
pub fn decode_image_within(encoded: &[u8], budget: Duration) -> Result<FrameOutcome, ScanError> {
    let picture = image::load_from_memory(encoded).map_err(|e| ScanError::UnreadableImage(e.to_string()))?;
    let grey = picture.to_luma8();

    let deadline = budget::Deadline::starting_now(budget);
    Ok(pipeline::run(&grey, pipeline::STEPS, &deadline))
}

/// Decodes a greyscale camera frame, one byte a pixel, row by row, with no time limit. Camera
/// previews should call [`decode_frame_within`] instead.
pub fn decode_frame(width: u32, height: u32, luma: Vec<u8>) -> Result<Vec<DecodedCode>, ScanError> {
    Ok(decode_frame_within(width, height, luma, Duration::MAX)?.codes)
}

/// Decodes a greyscale camera frame within `budget` of wall time, measured with `web_time::Instant`
/// so that it also works in the browser. `Duration::MAX` means no limit.
///
/// No step starts after the budget is spent, and no step starts that would end after it, as
/// predicted from the time per pixel of the same decoder's earlier steps. Each decoder's first step
/// has no prediction, so a call can overrun the budget by about one step, the longest being rqrr on
/// the whole frame. On 1280×720 frames with [`FRAME_BUDGET`], `benches/frame_decode.rs` measured a
/// p99 of about 42 ms per frame on a 2-core x86-64 machine in a release build.
pub fn decode_frame_within(width: u32, height: u32, luma: Vec<u8>, budget: Duration) -> Result<FrameOutcome, ScanError> {
    let deadline = budget::Deadline::starting_now(budget);
    let expected = width as usize * height as usize;
    let actual = luma.len();
    let Some(frame) = GrayImage::from_raw(width, height, luma).filter(|_| actual == expected) else {
        return Err(ScanError::FrameSize { width, height, expected, actual });
    };
    Ok(pipeline::run(&frame, pipeline::STEPS, &deadline))
}
