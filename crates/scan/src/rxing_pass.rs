//! Finds QR symbols with rxing's detectors (ports of zxing-cpp's and ZXing's), the second decoder
//! after rqrr. The sampled modules go through [`symbol::read`] like rqrr's grids, so both decoders
//! give text by the same character-set rules.

use rxing::common::{BitMatrix, DetectorRXingResult};
use rxing::qrcode::cpp_port::detector::{DetectPureQR, FindFinderPatterns, GenerateFinderPatternSets, SampleQR};
use rxing::qrcode::detector::Detector;
use rxing::DecodeHints;

use crate::guard::catch_decoder_panic;
use crate::{symbol, DecodedCode};

/// Codes and finder patterns that one rxing pass found.
#[derive(Debug, Default)]
pub(crate) struct RxingFindings {
    pub codes: Vec<DecodedCode>,
    /// Module size, in pixels of the pass's picture, of each finder pattern seen.
    pub finder_module_px: Vec<f32>,
}

/// Looks for every symbol in a binarised picture (set = dark): zxing-cpp's finder-pattern sets first,
/// then, when they give nothing, the pure-symbol detector for unrotated renders and ZXing's detector.
/// A panic inside rxing counts as nothing found.
pub(crate) fn scan_binary(bits: &BitMatrix) -> RxingFindings {
    let attempt = catch_decoder_panic(|| {
        let mut findings = finder_sets(bits);
        if findings.codes.is_empty() {
            findings.codes.extend(pure_symbol(bits));
        }
        if findings.codes.is_empty() {
            findings.codes.extend(zxing_detector(bits));
        }
        findings
    });

    attempt.unwrap_or_else(|| {
        tracing::warn!(width = bits.getWidth(), height = bits.getHeight(), "rxing panicked; treating the picture as unreadable");
        RxingFindings::default()
    })
}

fn finder_sets(bits: &BitMatrix) -> RxingFindings {
    let mut patterns = FindFinderPatterns(bits, true, 0);
    let finder_module_px = patterns.iter().map(|p| p.size as f32 / 7.0).collect();

    let mut codes = Vec::new();
    let mut used = Vec::new();
    for set in GenerateFinderPatternSets(&mut patterns) {
        if [set.bl, set.tl, set.tr].iter().any(|p| used.contains(p)) {
            continue;
        }
        let Ok(sampled) = SampleQR(bits, &set) else {
            continue;
        };
        if let Some(code) = symbol::read(sampled.getBits()) {
            codes.push(code);
            used.extend([set.bl, set.tl, set.tr]);
        }
    }
    RxingFindings { codes, finder_module_px }
}

fn pure_symbol(bits: &BitMatrix) -> Option<DecodedCode> {
    let sampled = DetectPureQR(bits).ok()?;
    symbol::read(sampled.getBits())
}

fn zxing_detector(bits: &BitMatrix) -> Option<DecodedCode> {
    let hints = DecodeHints { TryHarder: Some(true), ..DecodeHints::default() };
    let sampled = Detector::new(bits).detect_with_hints(&hints).ok()?;
    symbol::read(sampled.getBits())
}
