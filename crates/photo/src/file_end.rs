//! Checks that a JPEG or WebP file is complete, to reject truncated files.
//!
//! `image` runs zune-jpeg in its lenient mode, which fills the rows missing from a truncated JPEG with
//! grey and reports success, and image-webp decodes a WebP file that lacks its last bytes. A photo
//! cut short in transfer would then be stored as evidence with a grey or damaged part. So a JPEG's
//! marker structure is walked first: segments by their lengths, entropy-coded data up to the next
//! marker, until the end-of-image marker (EOI). Data after EOI (phone makers append depth maps or
//! short videos there) is not read. A WebP file must be as long as its RIFF header declares. PNG needs no
//! check here, because its decoder reports missing image data itself.

use crate::error::PhotoError;
use crate::format::PhotoFormat;

const MARKER_PREFIX: u8 = 0xFF;
const START_OF_IMAGE: u8 = 0xD8;
const END_OF_IMAGE: u8 = 0xD9;
const START_OF_SCAN: u8 = 0xDA;
/// TEM, a marker without a length field.
const TEMPORARY: u8 = 0x01;
/// RST0 to RST7, restart markers inside entropy-coded data, without a length field.
const RESTARTS: std::ops::RangeInclusive<u8> = 0xD0..=0xD7;
/// A zero after 0xFF inside entropy-coded data stands for a literal 0xFF byte.
const STUFFED_ZERO: u8 = 0x00;

/// Size of the RIFF header: `RIFF`, the little-endian size of the rest of the file, and `WEBP`.
const RIFF_HEADER_BYTES: usize = 12;

/// Rejects a JPEG or WebP file that ends early, with `Truncated`, or whose JPEG marker structure is
/// broken, with `Corrupt`.
pub(crate) fn check_complete(encoded: &[u8], format: PhotoFormat) -> Result<(), PhotoError> {
    match format {
        PhotoFormat::Jpeg => find_end_of_image(encoded).map(|_| ()),
        PhotoFormat::WebP => check_riff_size(encoded),
        PhotoFormat::Png => Ok(()),
    }
}

/// Compares the file's length with the size in its RIFF header (the bytes after the first eight).
fn check_riff_size(webp: &[u8]) -> Result<(), PhotoError> {
    let Some(size_bytes) = webp.get(4..8) else {
        return Err(PhotoError::Truncated { format: PhotoFormat::WebP, reason: "the RIFF header is incomplete".into() });
    };
    let declared = u32::from_le_bytes([size_bytes[0], size_bytes[1], size_bytes[2], size_bytes[3]]) as usize;

    let expected_len = declared.saturating_add(8).max(RIFF_HEADER_BYTES);
    if webp.len() < expected_len {
        let reason = format!("the file has {} bytes, but its RIFF header declares {expected_len}", webp.len());
        return Err(PhotoError::Truncated { format: PhotoFormat::WebP, reason });
    }
    Ok(())
}

/// Returns the offset just after the main image's EOI marker, or `Truncated` when the data ends
/// before it and `Corrupt` when the marker structure is broken.
fn find_end_of_image(jpeg: &[u8]) -> Result<usize, PhotoError> {
    if jpeg.get(..2) != Some(&[MARKER_PREFIX, START_OF_IMAGE]) {
        return Err(corrupt("the start-of-image marker FF D8 is missing".into()));
    }

    let mut position = 2;
    loop {
        let marker_at = position;
        let marker = read_marker(jpeg, &mut position)?;

        match marker {
            END_OF_IMAGE => return Ok(position),
            TEMPORARY => continue,
            marker if RESTARTS.contains(&marker) => continue,
            STUFFED_ZERO => return Err(corrupt(format!("invalid marker FF 00 at byte {marker_at}"))),
            _ => {}
        }

        position = skip_segment(jpeg, position, marker, marker_at)?;

        if marker == START_OF_SCAN {
            position = skip_entropy_coded_data(jpeg, position)?;
        }
    }
}

/// Reads the marker at `position`, after any 0xFF fill bytes, and moves `position` past it.
fn read_marker(jpeg: &[u8], position: &mut usize) -> Result<u8, PhotoError> {
    match jpeg.get(*position) {
        None => return Err(truncated()),
        Some(&MARKER_PREFIX) => {}
        Some(other) => return Err(corrupt(format!("expected a marker at byte {}, found {other:02X}", *position))),
    }

    while jpeg.get(*position) == Some(&MARKER_PREFIX) {
        *position += 1;
    }

    let marker = *jpeg.get(*position).ok_or_else(truncated)?;
    *position += 1;
    Ok(marker)
}

/// Skips a segment's length field and payload; `position` is just after its marker.
fn skip_segment(jpeg: &[u8], position: usize, marker: u8, marker_at: usize) -> Result<usize, PhotoError> {
    let length_bytes = jpeg.get(position..position + 2).ok_or_else(truncated)?;
    let length = usize::from(u16::from_be_bytes([length_bytes[0], length_bytes[1]]));
    if length < 2 {
        return Err(corrupt(format!("segment FF {marker:02X} at byte {marker_at} has length {length}, below the minimum of 2")));
    }

    let end = position + length;
    if end > jpeg.len() {
        return Err(truncated());
    }
    Ok(end)
}

/// Skips entropy-coded data (where 0xFF appears only as FF 00 or as a restart marker) and returns
/// the offset of the next marker.
fn skip_entropy_coded_data(jpeg: &[u8], mut position: usize) -> Result<usize, PhotoError> {
    loop {
        let prefix_at =
            jpeg[position..].iter().position(|&byte| byte == MARKER_PREFIX).map(|offset| position + offset).ok_or_else(truncated)?;

        let next = *jpeg.get(prefix_at + 1).ok_or_else(truncated)?;
        if next == STUFFED_ZERO || RESTARTS.contains(&next) {
            position = prefix_at + 2;
            continue;
        }
        return Ok(prefix_at);
    }
}

fn truncated() -> PhotoError {
    PhotoError::Truncated { format: PhotoFormat::Jpeg, reason: "the data ends before the end-of-image marker FF D9".into() }
}

fn corrupt(reason: String) -> PhotoError {
    PhotoError::Corrupt { format: PhotoFormat::Jpeg, reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, an APP0 segment of 4 payload bytes, SOS with entropy-coded data holding a stuffed byte and
    /// a restart marker, then EOI.
    const MINIMAL: &[u8] =
        &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x06, 1, 2, 3, 4, 0xFF, 0xDA, 0x00, 0x02, 0x11, 0xFF, 0x00, 0x22, 0xFF, 0xD3, 0x33, 0xFF, 0xD9];

    #[test]
    fn webp_shorter_than_riff_size_truncated() {
        let mut webp = b"RIFF".to_vec();
        webp.extend_from_slice(&20u32.to_le_bytes());
        webp.extend_from_slice(b"WEBPVP8 ");
        webp.extend_from_slice(&[0; 12]);

        assert_eq!(check_complete(&webp, PhotoFormat::WebP), Ok(()));
        assert!(matches!(check_complete(&webp[..27], PhotoFormat::WebP), Err(PhotoError::Truncated { .. })));
        assert!(matches!(check_complete(&webp[..6], PhotoFormat::WebP), Err(PhotoError::Truncated { .. })));
    }

    #[test]
    fn end_found_after_entropy_data() {
        assert_eq!(find_end_of_image(MINIMAL), Ok(MINIMAL.len()));
    }

    #[test]
    fn trailer_after_end_ignored() {
        let mut with_trailer = MINIMAL.to_vec();
        with_trailer.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x00, 0x12]);

        assert_eq!(find_end_of_image(&with_trailer), Ok(MINIMAL.len()));
    }

    #[test]
    fn every_cut_is_truncated() {
        for cut in 2..MINIMAL.len() {
            let result = find_end_of_image(&MINIMAL[..cut]);
            assert!(matches!(result, Err(PhotoError::Truncated { .. })), "cut at {cut}: {result:?}");
        }
    }

    #[test]
    fn short_segment_length_corrupt() {
        let broken = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xD9];

        assert!(matches!(find_end_of_image(&broken), Err(PhotoError::Corrupt { .. })));
    }

    #[test]
    fn missing_marker_corrupt() {
        let broken = [0xFF, 0xD8, 0x12, 0xFF, 0xD9];

        assert!(matches!(find_end_of_image(&broken), Err(PhotoError::Corrupt { .. })));
    }
}
