//! Reads a sampled QR symbol (its modules, dark = set) into segments: format and version information,
//! unmasking, de-interleaving and Reed–Solomon correction come from rxing's QR decoder parts; the
//! segment parsing is [`crate::segments`], which keeps the modes and ECIs that the text depends on.

use rxing::common::reedsolomon::{PredefinedGenericGF, ReedSolomonDecoder};
use rxing::common::BitMatrix;
use rxing::qrcode::decoder::{BitMatrixParser, DataBlock};

use crate::charset::decode_text;
use crate::segments::{self, Segment};
use crate::DecodedCode;

/// Decodes the modules of one symbol into a code. Tries the symbol as sampled, then mirrored (some
/// printers and screens flip codes), then with rxing's port of zxing-cpp's decoder, which also reads
/// QR Model 1. Returns `None` when no reading passes error correction.
pub(crate) fn read(modules: &BitMatrix) -> Option<DecodedCode> {
    if let Some(segments) = read_segments(modules) {
        return Some(DecodedCode::from_segments(&segments));
    }

    let decoded = rxing::qrcode::cpp_port::decoder::Decode(modules).ok().filter(|d| d.isValid())?;
    let content = decoded.content();
    if content.has_eci {
        Some(DecodedCode { text: content.to_string(), bytes: content.bytes().to_vec() })
    } else {
        Some(DecodedCode { text: decode_text(content.bytes()), bytes: content.bytes().to_vec() })
    }
}

/// Reads the segments of a Model 2 symbol, as sampled or mirrored.
fn read_segments(modules: &BitMatrix) -> Option<Vec<Segment>> {
    let mut parser = BitMatrixParser::new(modules.clone()).ok()?;
    let first = read_with(&mut parser);
    if first.is_some() {
        return first;
    }

    parser.remask().ok()?;
    parser.setMirror(true);
    parser.readVersion().ok()?;
    parser.readFormatInformation().ok()?;
    parser.mirror();
    read_with(&mut parser)
}

/// Builds a `size`×`size` module matrix from a function that returns true for dark modules at (x, y).
pub(crate) fn modules_from(size: usize, is_dark: impl Fn(usize, usize) -> bool) -> Option<BitMatrix> {
    let mut modules = BitMatrix::with_single_dimension(size as u32).ok()?;
    for y in 0..size {
        for x in 0..size {
            if is_dark(x, y) {
                modules.set(x as u32, y as u32);
            }
        }
    }
    Some(modules)
}

fn read_with(parser: &mut BitMatrixParser) -> Option<Vec<Segment>> {
    let version = parser.readVersion().ok()?;
    let level = parser.readFormatInformation().ok()?.getErrorCorrectionLevel();
    let codewords = parser.readCodewords().ok()?;
    let blocks = DataBlock::getDataBlocks(&codewords, version, level).ok()?;

    let corrector = ReedSolomonDecoder::new(PredefinedGenericGF::QrCodeField256.into());
    let mut data = Vec::with_capacity(codewords.len());
    for block in &blocks {
        let mut block_codewords = block.getCodewords().to_vec();
        let data_len = block.getNumDataCodewords() as usize;
        let ec_len = (block_codewords.len() - data_len) as i32;
        corrector.decode(&mut block_codewords, ec_len).ok()?;
        data.extend_from_slice(&block_codewords[..data_len]);
    }

    match segments::parse(&data, version.getVersionNumber()) {
        Ok(parsed) => Some(parsed),
        Err(error) => {
            tracing::debug!(%error, "a QR symbol passed error correction but its data stream is invalid");
            None
        }
    }
}
