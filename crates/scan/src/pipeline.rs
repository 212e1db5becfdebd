//! The order in which picture variants are handed to the decoders, and the budget checks between
//! them.

use std::collections::{HashMap, HashSet};

use image::GrayImage;
use rxing::common::BitMatrix;

use web_time::Instant;

use crate::budget::{Deadline, StepCosts};
use crate::{binarise, picture, rqrr_pass, rxing_pass, DecodedCode, FrameHint, FrameOutcome};

/// Module size, in pixels of the caller's picture, below which a code that was seen but not read gets
/// [`FrameHint::MoveCloser`] rather than [`FrameHint::HoldStill`].
const MIN_READABLE_MODULE_PX: f32 = 2.5;

/// Finder patterns of matching size that suggest a code is in view when nothing decoded.
const FINDER_PATTERNS_FOR_HINT: usize = 3;

/// Decoder that a step runs. The discriminant indexes [`StepCosts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Decoder {
    Rqrr = 0,
    Rxing = 1,
}

/// Picture variant that a step feeds the decoder, derived from the picture scaled to the step's
/// size. Some variants are only tried by the survey in `survey.rs`, which measured that they add
/// nothing to [`STEPS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(not(all(test, feature = "survey")), allow(dead_code))]
pub(crate) enum Input {
    /// Grey levels as they are; rqrr thresholds them itself.
    Grey,
    /// Grey levels inverted, for light codes on dark ground.
    Inverted,
    /// Grey levels stretched between the 1st and 99th percentile.
    Stretched,
    /// rxing's hybrid binariser.
    Hybrid,
    /// rxing's hybrid binariser, dark and light swapped.
    HybridInverted,
    /// One global Otsu threshold.
    Otsu,
    /// Local mean threshold over a window of 1/`n` of the longest side.
    LocalMean(u32),
    /// rxing's hybrid binariser after a 3×3 box blur, which joins dotted or textured modules.
    BlurredHybrid,
    /// rxing's hybrid binariser, dark areas grown by one pixel, which closes gaps between modules.
    HybridDilated,
    /// rxing's hybrid binariser, dark areas shrunk by one pixel, which separates bleeding modules.
    HybridEroded,
}

/// The size a step works at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Size {
    /// Scaled down so that the longest side is at most this many pixels.
    AtMost(u32),
    /// As `AtMost`, then given a white border a tenth of the longest side wide, for codes cropped
    /// with little or no quiet zone.
    PaddedAtMost(u32),
    /// Scaled up by this factor, for small pictures whose modules are a few pixels wide; skipped
    /// when the result would be larger than [`MAX_UPSCALED_SIDE_PX`].
    Times(u32),
    /// As `Times`, then given a white border a tenth of the longest side wide.
    PaddedTimes(u32),
}

/// The largest picture that upscaling makes.
const MAX_UPSCALED_SIDE_PX: u32 = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Step {
    pub decoder: Decoder,
    pub input: Input,
    pub size: Size,
}

const fn step(decoder: Decoder, input: Input, size: Size) -> Step {
    Step { decoder, input, size }
}

/// Maximum longest side, in pixels, that a picture is decoded at. Larger photos are scaled down
/// first, because rqrr's time grows quickly with size and a placard's code stays readable at this size.
pub(crate) const MAX_SIDE_PX: u32 = 1600;

/// The steps, in order. rqrr on the plain picture comes first. rxing comes next, because it reads
/// most of what rqrr misses in well under a millisecond on a corpus image. Then come variants that
/// each read a few more corpus images: light-on-dark codes, uneven light, codes cropped without a
/// quiet zone, small or dotted modules. `survey.rs` measures what each step adds. A step whose
/// picture equals one already tried, as when the picture is smaller than both sizes, is skipped.
pub(crate) const STEPS: &[Step] = &[
    step(Decoder::Rqrr, Input::Grey, Size::AtMost(MAX_SIDE_PX)),
    step(Decoder::Rxing, Input::Hybrid, Size::AtMost(MAX_SIDE_PX)),
    step(Decoder::Rxing, Input::HybridInverted, Size::AtMost(MAX_SIDE_PX)),
    step(Decoder::Rxing, Input::LocalMean(8), Size::PaddedAtMost(MAX_SIDE_PX)),
    step(Decoder::Rxing, Input::HybridDilated, Size::Times(2)),
    step(Decoder::Rqrr, Input::Hybrid, Size::PaddedAtMost(MAX_SIDE_PX)),
    step(Decoder::Rqrr, Input::Grey, Size::AtMost(800)),
    step(Decoder::Rqrr, Input::HybridDilated, Size::AtMost(MAX_SIDE_PX)),
    step(Decoder::Rqrr, Input::HybridDilated, Size::PaddedTimes(2)),
    step(Decoder::Rqrr, Input::Inverted, Size::PaddedTimes(2)),
];

/// Steps at the start of [`STEPS`] that run even after an earlier one read a code, while budget is
/// left: rqrr and rxing on the plain picture. A view often contains more than one code (a placard
/// beside someone else's sticker), and each decoder misses codes that the other reads.
const STEPS_FOR_EVERY_CODE: usize = 2;

/// Runs `steps` on `original` until one decodes a code or the deadline passes. The first
/// [`STEPS_FOR_EVERY_CODE`] steps all run, and their codes are merged.
pub(crate) fn run(original: &GrayImage, steps: &[Step], deadline: &Deadline) -> FrameOutcome {
    let mut variants = Variants::new(original);
    let mut tried = HashSet::new();
    let mut clues = Clues::default();
    let mut costs = StepCosts::default();
    let mut skipped = false;
    let mut found = Vec::new();

    for (index, step) in steps.iter().enumerate() {
        if !found.is_empty() && index >= STEPS_FOR_EVERY_CODE {
            break;
        }
        let Some(size) = variants.resolve(step.size) else {
            continue;
        };
        if !tried.insert((step.decoder, step.input, size)) {
            continue;
        }
        if deadline.is_spent() {
            skipped = true;
            break;
        }
        // A step predicted to overrun is skipped, but a later, cheaper one may still fit.
        let pixels = variants.pixels(size);
        if deadline.would_pass(costs.predict(step.decoder as usize, pixels)) {
            skipped = true;
            continue;
        }

        let started = Instant::now();
        found.extend(run_step(&mut variants, step.decoder, step.input, size, &mut clues));
        costs.record(step.decoder as usize, pixels, started.elapsed());
    }

    if found.is_empty() {
        FrameOutcome { codes: Vec::new(), hint: clues.hint(), budget_exhausted: skipped }
    } else {
        FrameOutcome { codes: unique(found), hint: None, budget_exhausted: false }
    }
}

/// Runs one decoder on one variant, adding what it saw of unread codes to `clues`.
pub(crate) fn run_step(
    variants: &mut Variants,
    decoder: Decoder,
    input: Input,
    size: Resolved,
    clues: &mut Clues,
) -> Vec<DecodedCode> {
    let to_original = variants.longest as f32 / size.side as f32;
    let prepared = variants.get(input, size);
    match (decoder, prepared) {
        (Decoder::Rqrr, Prepared::Grey(picture)) => {
            let findings = rqrr_pass::scan_grey(picture);
            clues.undecoded_grids.extend(findings.undecoded_module_px.iter().map(|px| px * to_original));
            findings.codes
        }
        (Decoder::Rqrr, Prepared::Binary(bits)) => {
            let findings = rqrr_pass::scan_binary(bits);
            clues.undecoded_grids.extend(findings.undecoded_module_px.iter().map(|px| px * to_original));
            findings.codes
        }
        (Decoder::Rxing, Prepared::Binary(bits)) => {
            let findings = rxing_pass::scan_binary(bits);
            clues.finder_patterns.extend(findings.finder_module_px.iter().map(|px| px * to_original));
            findings.codes
        }
        (Decoder::Rxing, Prepared::Grey(picture)) => match binarise::hybrid(picture) {
            Some(bits) => rxing_pass::scan_binary(&bits).codes,
            None => Vec::new(),
        },
        (_, Prepared::Missing) => Vec::new(),
    }
}

/// Keeps the first of codes with equal text, as when one symbol is found twice.
fn unique(codes: Vec<DecodedCode>) -> Vec<DecodedCode> {
    let mut seen = HashSet::new();
    codes.into_iter().filter(|code| seen.insert(code.text.clone())).collect()
}

/// Traces of codes that the steps saw but could not read.
#[derive(Debug, Default)]
pub(crate) struct Clues {
    /// Module size, in the caller's pixels, of each rqrr grid that did not decode.
    undecoded_grids: Vec<f32>,
    /// Module size, in the caller's pixels, of each finder pattern rxing saw.
    finder_patterns: Vec<f32>,
}

impl Clues {
    fn hint(&self) -> Option<FrameHint> {
        if let Some(px) = self.undecoded_grids.iter().copied().reduce(f32::max) {
            return Some(if px < MIN_READABLE_MODULE_PX { FrameHint::MoveCloser } else { FrameHint::HoldStill });
        }

        let (small, readable): (Vec<f32>, Vec<f32>) =
            self.finder_patterns.iter().partition(|px| **px < MIN_READABLE_MODULE_PX);
        if has_matching_patterns(readable) {
            Some(FrameHint::HoldStill)
        } else if has_matching_patterns(small) {
            Some(FrameHint::MoveCloser)
        } else {
            None
        }
    }
}

/// True when [`FINDER_PATTERNS_FOR_HINT`] of the finder patterns have module sizes within a factor of
/// 1.5 of each other, as the three patterns of one symbol do. Lone patterns are often textures.
fn has_matching_patterns(mut module_px: Vec<f32>) -> bool {
    module_px.sort_by(f32::total_cmp);
    module_px.windows(FINDER_PATTERNS_FOR_HINT).any(|window| window[window.len() - 1] <= window[0] * 1.5)
}

/// A picture variant ready for a decoder.
pub(crate) enum Prepared {
    Grey(GrayImage),
    Binary(BitMatrix),
    /// The variant could not be built (rxing rejected the picture's size).
    Missing,
}

/// A step's size worked out for one picture: the longest side of the scaled picture and the width of
/// its white border, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Resolved {
    pub side: u32,
    pub border: u32,
}

/// The caller's picture and the variants built from it so far, built once and shared by the steps.
pub(crate) struct Variants<'a> {
    original: &'a GrayImage,
    longest: u32,
    scaled: HashMap<Resolved, GrayImage>,
    prepared: HashMap<(Input, Resolved), Prepared>,
}

impl<'a> Variants<'a> {
    pub(crate) fn new(original: &'a GrayImage) -> Self {
        let longest = original.width().max(original.height()).max(1);
        Variants { original, longest, scaled: HashMap::new(), prepared: HashMap::new() }
    }

    /// Works out a step's size for this picture. Returns `None` for an upscaling step that the
    /// picture is too large for.
    pub(crate) fn resolve(&self, size: Size) -> Option<Resolved> {
        let side = match size {
            Size::AtMost(max_side) | Size::PaddedAtMost(max_side) => self.longest.min(max_side),
            Size::Times(factor) | Size::PaddedTimes(factor) => self.longest.saturating_mul(factor),
        };
        if matches!(size, Size::Times(_) | Size::PaddedTimes(_)) && side > MAX_UPSCALED_SIDE_PX {
            return None;
        }
        let border = if matches!(size, Size::PaddedAtMost(_) | Size::PaddedTimes(_)) { side / 10 } else { 0 };
        Some(Resolved { side, border })
    }

    /// Returns the pixel count of a picture of `size`, border included.
    pub(crate) fn pixels(&self, size: Resolved) -> u64 {
        let scale = size.side as f64 / self.longest as f64;
        let width = (self.original.width() as f64 * scale) as u64 + 2 * size.border as u64;
        let height = (self.original.height() as f64 * scale) as u64 + 2 * size.border as u64;
        width * height
    }

    fn scaled(&mut self, size: Resolved) -> &GrayImage {
        if size.side == self.longest && size.border == 0 {
            return self.original;
        }
        if !self.scaled.contains_key(&size) {
            let picture = if size.side > self.longest {
                picture::scale_up(self.original, size.side)
            } else {
                // Scaling from the smallest larger variant already built is faster than from the original.
                let source = self
                    .scaled
                    .iter()
                    .filter(|(s, _)| s.side > size.side && s.border == 0)
                    .min_by_key(|(s, _)| s.side)
                    .map(|(_, p)| p);
                picture::scale_down(source.unwrap_or(self.original), size.side)
            };
            let picture = if size.border > 0 { picture::padded(&picture, size.border) } else { picture };
            self.scaled.insert(size, picture);
        }
        &self.scaled[&size]
    }

    pub(crate) fn get(&mut self, input: Input, size: Resolved) -> &Prepared {
        if !self.prepared.contains_key(&(input, size)) {
            let base = self.scaled(size);
            let prepared = match input {
                Input::Grey => Prepared::Grey(base.clone()),
                Input::Inverted => Prepared::Grey(picture::inverted(base)),
                Input::Stretched => Prepared::Grey(picture::stretched(base)),
                Input::Hybrid => binary(binarise::hybrid(base)),
                Input::HybridInverted => binary(binarise::hybrid(base).map(|mut bits| {
                    bits.flip_self();
                    bits
                })),
                Input::Otsu => binary(binarise::otsu(base)),
                Input::LocalMean(fraction) => {
                    let radius = (size.side / fraction.max(1)).max(4);
                    binary(binarise::local_mean(base, radius, 8))
                }
                Input::BlurredHybrid => binary(binarise::hybrid(&picture::box_blurred(base))),
                Input::HybridDilated => binary(binarise::hybrid(base).map(|bits| binarise::dilated(&bits))),
                Input::HybridEroded => binary(binarise::hybrid(base).map(|bits| binarise::eroded(&bits))),
            };
            self.prepared.insert((input, size), prepared);
        }
        &self.prepared[&(input, size)]
    }
}

fn binary(bits: Option<BitMatrix>) -> Prepared {
    bits.map_or(Prepared::Missing, Prepared::Binary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(undecoded_grids: &[f32], finder_patterns: &[f32]) -> Option<FrameHint> {
        Clues { undecoded_grids: undecoded_grids.to_vec(), finder_patterns: finder_patterns.to_vec() }.hint()
    }

    #[test]
    fn undecoded_grid_sets_hint_by_module_size() {
        assert_eq!(hint(&[4.0], &[]), Some(FrameHint::HoldStill));
        assert_eq!(hint(&[1.5], &[]), Some(FrameHint::MoveCloser));
    }

    #[test]
    fn three_matching_finder_patterns_set_hint() {
        assert_eq!(hint(&[], &[1.2, 1.4, 1.5]), Some(FrameHint::MoveCloser));
        assert_eq!(hint(&[], &[5.0, 5.5, 6.0]), Some(FrameHint::HoldStill));
    }

    #[test]
    fn unmatched_finder_patterns_set_no_hint() {
        assert_eq!(hint(&[], &[1.2, 1.4]), None);
        assert_eq!(hint(&[], &[3.0, 6.0, 12.0]), None);
        assert_eq!(hint(&[], &[]), None);
    }
}
