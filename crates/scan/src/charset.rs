//! Turns QR payload bytes into text.

use encoding_rs::{GB18030, SHIFT_JIS};

/// Decodes payload bytes as UTF-8, else GB18030 (older Chinese placards), else Shift_JIS (QR's own
/// Kanji mode). Bytes valid in none of them are shown with replacement characters, never as mojibake
/// from a wrong guess.
// TODO: read the ECI designator when present; rqrr 0.11 does not report it, so ECI-tagged payloads
// are decoded by the same guess.
pub fn decode_text(bytes: &[u8]) -> String {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    for encoding in [GB18030, SHIFT_JIS] {
        if let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes) {
            return text.into_owned();
        }
    }
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_chinese() {
        assert_eq!(decode_text("废气排放口".as_bytes()), "废气排放口");
    }

    #[test]
    fn gb18030_chinese() {
        let (bytes, _, _) = GB18030.encode("污水排放口");
        assert_eq!(decode_text(&bytes), "污水排放口");
    }
}
