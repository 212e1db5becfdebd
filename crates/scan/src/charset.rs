//! Turns QR payload bytes into text.
//!
//! An ECI designator, when the symbol has one, names the character set. Otherwise byte-mode data is
//! UTF-8 when it is valid UTF-8, else GB18030 (older Chinese placards) or Shift_JIS (Japanese codes).
//! Many byte strings are valid in both of those, so the choice uses the symbol's other segments
//! (Kanji mode is Shift_JIS, Hanzi mode is GB2312) and then scores how plausible each reading is.

use encoding_rs::{Encoding, GB18030, SHIFT_JIS, UTF_8};

use crate::segments::{Segment, SegmentCharset};

/// Decodes payload bytes that come without segment information, such as text another decoder
/// returned as bytes: UTF-8 if valid, else the more plausible of GB18030 and Shift_JIS. Bytes valid
/// in none of them are shown with replacement characters, never as mojibake from a wrong guess.
pub fn decode_text(bytes: &[u8]) -> String {
    decode_unlabelled(bytes, Hint::None)
}

/// Joins the segments of one symbol into text, each in its character set.
pub(crate) fn segments_text(segments: &[Segment]) -> String {
    let hint = if segments.iter().any(|s| s.charset == SegmentCharset::ShiftJis) {
        Hint::Japanese
    } else if segments.iter().any(|s| s.charset == SegmentCharset::Gb2312) {
        Hint::Chinese
    } else {
        Hint::None
    };
    let unlabelled: Vec<u8> = segments
        .iter()
        .filter(|s| s.charset == SegmentCharset::Unknown)
        .flat_map(|s| s.bytes.iter().copied())
        .collect();
    let guess = guess(&unlabelled, hint);

    let mut text = String::new();
    let mut run: Vec<u8> = Vec::new();
    let mut run_encoding: Option<Decoding> = None;
    for segment in segments {
        let decoding = match segment.charset {
            // ASCII reads the same in every candidate, so it joins whatever run it follows.
            SegmentCharset::Ascii => run_encoding.unwrap_or(Decoding::Utf8),
            SegmentCharset::Unknown => guess,
            SegmentCharset::Eci(number) => eci_decoding(number).unwrap_or(guess),
            SegmentCharset::ShiftJis => Decoding::Encoding(SHIFT_JIS),
            SegmentCharset::Gb2312 => Decoding::Encoding(GB18030),
        };
        if run_encoding.is_some_and(|current| current != decoding) {
            text.push_str(&run_encoding.unwrap_or(Decoding::Utf8).decode(&run));
            run.clear();
        }
        run_encoding = Some(decoding);
        run.extend_from_slice(&segment.bytes);
    }
    if let Some(decoding) = run_encoding {
        text.push_str(&decoding.decode(&run));
    }
    text
}

/// Language that the symbol's other segments suggest for its unlabelled bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hint {
    None,
    Japanese,
    Chinese,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decoding {
    Utf8,
    Latin1,
    Encoding(&'static Encoding),
}

impl Decoding {
    /// Decodes with replacement characters for malformed sequences.
    fn decode(self, bytes: &[u8]) -> String {
        match self {
            Decoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Decoding::Latin1 => bytes.iter().map(|&b| char::from(b)).collect(),
            Decoding::Encoding(encoding) => encoding.decode_without_bom_handling(bytes).0.into_owned(),
        }
    }
}

fn decode_unlabelled(bytes: &[u8], hint: Hint) -> String {
    guess(bytes, hint).decode(bytes)
}

/// Picks the character set of byte-mode data that carries no ECI.
fn guess(bytes: &[u8], hint: Hint) -> Decoding {
    if std::str::from_utf8(bytes).is_ok() {
        return Decoding::Utf8;
    }

    let gb_valid = GB18030.decode_without_bom_handling_and_without_replacement(bytes).is_some();
    let sjis_valid = SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes).is_some();
    match (gb_valid, sjis_valid) {
        (true, false) => Decoding::Encoding(GB18030),
        (false, true) => Decoding::Encoding(SHIFT_JIS),
        (false, false) => Decoding::Utf8,
        (true, true) => match hint {
            Hint::Japanese => Decoding::Encoding(SHIFT_JIS),
            Hint::Chinese => Decoding::Encoding(GB18030),
            // Ties go to GB18030: this app's placards are Chinese.
            Hint::None if shift_jis_score(bytes) > gb18030_score(bytes) => Decoding::Encoding(SHIFT_JIS),
            Hint::None => Decoding::Encoding(GB18030),
        },
    }
}

/// Maps an ECI assignment number (AIM ECI specification) to a decoder. Returns `None` for numbers
/// this crate has no decoder for (CP437, binary data, unassigned numbers): those bytes are guessed.
fn eci_decoding(number: u32) -> Option<Decoding> {
    let encoding = match number {
        1 | 3 => return Some(Decoding::Latin1),
        4 => encoding_rs::ISO_8859_2,
        5 => encoding_rs::ISO_8859_3,
        6 => encoding_rs::ISO_8859_4,
        7 => encoding_rs::ISO_8859_5,
        8 => encoding_rs::ISO_8859_6,
        9 => encoding_rs::ISO_8859_7,
        10 => encoding_rs::ISO_8859_8,
        // encoding_rs has windows-1254 and windows-874, supersets of ISO-8859-9 and ISO-8859-11.
        11 => encoding_rs::WINDOWS_1254,
        12 => encoding_rs::ISO_8859_10,
        13 => encoding_rs::WINDOWS_874,
        15 => encoding_rs::ISO_8859_13,
        16 => encoding_rs::ISO_8859_14,
        17 => encoding_rs::ISO_8859_15,
        18 => encoding_rs::ISO_8859_16,
        20 => SHIFT_JIS,
        21 => encoding_rs::WINDOWS_1250,
        22 => encoding_rs::WINDOWS_1251,
        23 => encoding_rs::WINDOWS_1252,
        24 => encoding_rs::WINDOWS_1256,
        25 => encoding_rs::UTF_16BE,
        26 | 27 | 170 => UTF_8,
        28 => encoding_rs::BIG5,
        // GB2312 (29) and GBK (31) are subsets of GB18030.
        29 | 31 | 32 => GB18030,
        30 => encoding_rs::EUC_KR,
        _ => return None,
    };
    Some(Decoding::Encoding(encoding))
}

/// Scores a Shift_JIS reading, per non-ASCII byte: common kana and JIS level-1 kanji score high,
/// half-width katakana lower unless a voicing mark follows a kana that takes it, rare and
/// user-defined characters negative.
fn shift_jis_score(bytes: &[u8]) -> f64 {
    let mut score = 0.0;
    let mut non_ascii = 0;
    let mut previous: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        match byte {
            0x00..=0x7f => {
                previous = None;
                i += 1;
                continue;
            }
            0xa1..=0xdf => {
                score += half_width_kana_score(byte, previous);
                previous = Some(byte);
                non_ascii += 1;
                i += 1;
                continue;
            }
            _ => {}
        }

        let trail = bytes.get(i + 1).copied().unwrap_or(0);
        score += match (byte, trail) {
            (0x81, _) => 0.6,
            (0x82, 0x9f..=0xf1) | (0x83, 0x40..=0x96) => 1.0,
            (0x82, _) => 0.5,
            (0x88..=0x98, _) => 1.0,
            (0x99..=0x9f, _) | (0xe0..=0xea, _) => 0.4,
            (0x83 | 0x84 | 0x87 | 0xed | 0xee | 0xfa..=0xfc, _) => 0.05,
            _ => -1.0,
        };
        previous = None;
        non_ascii += 2;
        i += 2;
    }
    per_byte(score, non_ascii)
}

fn half_width_kana_score(byte: u8, previous: Option<u8>) -> f64 {
    let takes_dakuten = |b: u8| matches!(b, 0xb3 | 0xb6..=0xc4 | 0xca..=0xce);
    let takes_handakuten = |b: u8| matches!(b, 0xca..=0xce);
    match (byte, previous) {
        (0xde, Some(kana)) if takes_dakuten(kana) => 1.5,
        (0xdf, Some(kana)) if takes_handakuten(kana) => 1.5,
        (0xde | 0xdf, _) => -1.0,
        (0xb0, Some(0xa6..=0xdd)) => 0.6,
        (0xa1..=0xa5, _) => 0.2,
        _ => 0.3,
    }
}

/// Scores a GB18030 reading, per non-ASCII byte: GB2312 level-1 hanzi score high, level-2 hanzi and
/// punctuation lower, GBK extension characters low, four-byte sequences negative.
fn gb18030_score(bytes: &[u8]) -> f64 {
    let mut score = 0.0;
    let mut non_ascii = 0;
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        if lead < 0x80 {
            i += 1;
            continue;
        }
        let trail = bytes.get(i + 1).copied().unwrap_or(0);
        if trail.is_ascii_digit() {
            score -= 1.0;
            non_ascii += 4;
            i += 4;
            continue;
        }

        score += match (lead, trail) {
            (0xb0..=0xd7, 0xa1..=0xfe) => 1.0,
            (0xd8..=0xf7, 0xa1..=0xfe) => 0.4,
            (0xa1, 0xa1..=0xfe) => 0.6,
            (0xa2 | 0xa3, 0xa1..=0xfe) => 0.4,
            (0xa4 | 0xa5, 0xa1..=0xfe) => 0.2,
            (0xa6..=0xa9, 0xa1..=0xfe) => 0.1,
            _ => 0.05,
        };
        non_ascii += 2;
        i += 2;
    }
    per_byte(score, non_ascii)
}

fn per_byte(score: f64, bytes: usize) -> f64 {
    if bytes == 0 {
        0.0
    } else {
        score / bytes as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(bytes: &[u8]) -> Segment {
        Segment { charset: SegmentCharset::Unknown, bytes: bytes.to_vec() }
    }

    #[test]
    fn utf8_chinese() {
        assert_eq!(decode_text("废气排放口".as_bytes()), "废气排放口");
    }

    #[test]
    fn gb18030_chinese() {
        let (bytes, _, _) = GB18030.encode("污水排放口 编号 DW001");
        assert_eq!(decode_text(&bytes), "污水排放口 编号 DW001");
    }

    #[test]
    fn ambiguous_hanzi_read_as_gb18030() {
        let (bytes, _, _) = GB18030.encode("排污许可证编号");
        assert!(SHIFT_JIS.decode_without_bom_handling_and_without_replacement(&bytes).is_some());
        assert_eq!(decode_text(&bytes), "排污许可证编号");
    }

    #[test]
    fn shift_jis_kana_sentence() {
        let (bytes, _, _) = SHIFT_JIS.encode("今度のバージョンでは文章の暗号化ができます。");
        assert_eq!(decode_text(&bytes), "今度のバージョンでは文章の暗号化ができます。");
    }

    #[test]
    fn ambiguous_katakana_reads_as_shift_jis() {
        let (bytes, _, _) = SHIFT_JIS.encode("ﾃﾞｻﾞｲﾝQR");
        assert!(GB18030.decode_without_bom_handling_and_without_replacement(&bytes).is_some());
        assert_eq!(decode_text(&bytes), "ﾃﾞｻﾞｲﾝQR");
    }

    #[test]
    fn kanji_mode_makes_byte_segments_shift_jis() {
        let (kana, _, _) = SHIFT_JIS.encode("ｲﾗｽﾄ");
        let (kanji, _, _) = SHIFT_JIS.encode("入");
        let segments = [unknown(&kana), Segment { charset: SegmentCharset::ShiftJis, bytes: kanji.into_owned() }];
        assert_eq!(segments_text(&segments), "ｲﾗｽﾄ入");
    }

    #[test]
    fn eci_utf8_is_read_as_utf8() {
        let segments = [Segment { charset: SegmentCharset::Eci(26), bytes: "排放口".as_bytes().to_vec() }];
        assert_eq!(segments_text(&segments), "排放口");
    }

    #[test]
    fn eci_shift_jis_overrides_the_guess() {
        let (bytes, _, _) = SHIFT_JIS.encode("棉");
        let segments = [Segment { charset: SegmentCharset::Eci(20), bytes: bytes.into_owned() }];
        assert_eq!(segments_text(&segments), "棉");
    }

    #[test]
    fn ascii_segments_join_the_guessed_run() {
        let (bytes, _, _) = GB18030.encode("排放口");
        let segments = [
            Segment { charset: SegmentCharset::Ascii, bytes: b"DW001 ".to_vec() },
            unknown(&bytes),
        ];
        assert_eq!(segments_text(&segments), "DW001 排放口");
    }

    #[test]
    fn invalid_everywhere_gives_replacement_characters() {
        assert_eq!(decode_text(&[0x41, 0xff, 0xff, 0x42]), "A\u{fffd}\u{fffd}B");
    }
}
