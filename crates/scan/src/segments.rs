//! Splits a QR symbol's error-corrected data codewords into its segments (ISO/IEC 18004 §7.4), keeping
//! each segment's mode and the ECI in force, so that the text can be decoded in the right character set.

/// Character set of one segment's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SegmentCharset {
    /// Numeric or alphanumeric mode: ASCII by construction.
    Ascii,
    /// Byte mode with no ECI in force: the character set must be guessed.
    Unknown,
    /// Byte mode after an ECI designator with this assignment number.
    Eci(u32),
    /// Kanji mode: two Shift_JIS bytes a character.
    ShiftJis,
    /// Hanzi mode (GB/T 18284): two GB2312 bytes a character.
    Gb2312,
}

/// One run of payload bytes that share a character set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Segment {
    pub charset: SegmentCharset,
    pub bytes: Vec<u8>,
}

/// Error from splitting a data stream into segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum SegmentError {
    #[error("the data stream ends inside a segment")]
    Truncated,
    #[error("mode indicator {0:#06b} is not a QR mode")]
    UnknownMode(usize),
    #[error("a numeric or alphanumeric value is out of range")]
    InvalidValue,
}

const ALPHANUMERIC: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Parses the data codewords of a symbol of `version` (1–40) into segments. Structured append and FNC1
/// headers are skipped. Parsing stops at the terminator or when fewer than four bits remain.
pub(crate) fn parse(data: &[u8], version: u32) -> Result<Vec<Segment>, SegmentError> {
    let mut bits = BitReader { data, position: 0 };
    let mut segments = Vec::new();
    let mut eci = None;
    let mut fnc1 = false;

    while bits.remaining() >= 4 {
        let mode = bits.take(4)?;
        match mode {
            0b0000 => break,
            0b0001 => segments.push(Segment { charset: SegmentCharset::Ascii, bytes: numeric(&mut bits, version)? }),
            0b0010 => {
                let bytes = alphanumeric(&mut bits, version, fnc1)?;
                segments.push(Segment { charset: SegmentCharset::Ascii, bytes });
            }
            0b0100 => {
                let count = bits.take(count_bits(version, [8, 16, 16]))?;
                let bytes = (0..count).map(|_| bits.take(8).map(|b| b as u8)).collect::<Result<Vec<_>, _>>()?;
                let charset = eci.map_or(SegmentCharset::Unknown, SegmentCharset::Eci);
                segments.push(Segment { charset, bytes });
            }
            0b1000 => segments.push(Segment { charset: SegmentCharset::ShiftJis, bytes: kanji(&mut bits, version)? }),
            0b1101 => {
                // The subset indicator: 1 is GB2312; the other subsets are not in use.
                let _subset = bits.take(4)?;
                segments.push(Segment { charset: SegmentCharset::Gb2312, bytes: hanzi(&mut bits, version)? });
            }
            0b0111 => eci = Some(eci_designator(&mut bits)?),
            0b0011 => {
                // Structured append: symbol index, symbol count and parity of the whole message.
                bits.take(16)?;
            }
            0b0101 => fnc1 = true,
            0b1001 => {
                // FNC1 in second position carries an application indicator.
                bits.take(8)?;
                fnc1 = true;
            }
            other => return Err(SegmentError::UnknownMode(other)),
        }
    }
    Ok(segments)
}

/// Width of a character count indicator for versions 1–9, 10–26 and 27–40.
fn count_bits(version: u32, widths: [usize; 3]) -> usize {
    match version {
        0..=9 => widths[0],
        10..=26 => widths[1],
        _ => widths[2],
    }
}

fn numeric(bits: &mut BitReader, version: u32) -> Result<Vec<u8>, SegmentError> {
    let mut count = bits.take(count_bits(version, [10, 12, 14]))?;
    let mut text = Vec::with_capacity(count);
    while count > 0 {
        let (digits, width) = match count {
            1 => (1, 4),
            2 => (2, 7),
            _ => (3, 10),
        };
        let value = bits.take(width)?;
        if value >= 10usize.pow(digits) {
            return Err(SegmentError::InvalidValue);
        }
        text.extend(format!("{value:0width$}", width = digits as usize).bytes());
        count -= digits as usize;
    }
    Ok(text)
}

/// Reads an alphanumeric segment. Under FNC1, `%` stands for the GS separator and `%%` for `%`.
fn alphanumeric(bits: &mut BitReader, version: u32, fnc1: bool) -> Result<Vec<u8>, SegmentError> {
    let mut count = bits.take(count_bits(version, [9, 11, 13]))?;
    let mut text = Vec::with_capacity(count);
    while count > 0 {
        if count == 1 {
            text.push(alphanumeric_char(bits.take(6)?)?);
            count -= 1;
        } else {
            let pair = bits.take(11)?;
            text.push(alphanumeric_char(pair / 45)?);
            text.push(alphanumeric_char(pair % 45)?);
            count -= 2;
        }
    }
    if !fnc1 {
        return Ok(text);
    }

    let mut unescaped = Vec::with_capacity(text.len());
    let mut rest = text.as_slice();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' && tail.first() == Some(&b'%') {
            unescaped.push(b'%');
            rest = &tail[1..];
        } else {
            unescaped.push(if first == b'%' { 0x1d } else { first });
            rest = tail;
        }
    }
    Ok(unescaped)
}

fn alphanumeric_char(value: usize) -> Result<u8, SegmentError> {
    ALPHANUMERIC.get(value).copied().ok_or(SegmentError::InvalidValue)
}

/// Reads a Kanji segment: each 13-bit value packs one Shift_JIS character from 0x8140–0x9FFC or
/// 0xE040–0xEBBF.
fn kanji(bits: &mut BitReader, version: u32) -> Result<Vec<u8>, SegmentError> {
    let count = bits.take(count_bits(version, [8, 10, 12]))?;
    let mut bytes = Vec::with_capacity(count * 2);
    for _ in 0..count {
        let value = bits.take(13)?;
        let packed = ((value / 0xc0) << 8) | (value % 0xc0);
        let code = if packed + 0x8140 <= 0x9ffc { packed + 0x8140 } else { packed + 0xc140 };
        bytes.extend([(code >> 8) as u8, code as u8]);
    }
    Ok(bytes)
}

/// Reads a Hanzi segment: each 13-bit value packs one GB2312 character from 0xA1A1–0xAAFE or
/// 0xB0A1–0xFAFE.
fn hanzi(bits: &mut BitReader, version: u32) -> Result<Vec<u8>, SegmentError> {
    let count = bits.take(count_bits(version, [8, 10, 12]))?;
    let mut bytes = Vec::with_capacity(count * 2);
    for _ in 0..count {
        let value = bits.take(13)?;
        let packed = ((value / 0x60) << 8) | (value % 0x60);
        let code = if packed + 0xa1a1 <= 0xaafe { packed + 0xa1a1 } else { packed + 0xa6a1 };
        bytes.extend([(code >> 8) as u8, code as u8]);
    }
    Ok(bytes)
}

/// Reads an ECI assignment number, coded in one, two or three bytes.
fn eci_designator(bits: &mut BitReader) -> Result<u32, SegmentError> {
    let first = bits.take(8)? as u32;
    if first & 0x80 == 0 {
        Ok(first)
    } else if first & 0xc0 == 0x80 {
        Ok(((first & 0x3f) << 8) | bits.take(8)? as u32)
    } else if first & 0xe0 == 0xc0 {
        Ok(((first & 0x1f) << 16) | bits.take(16)? as u32)
    } else {
        Err(SegmentError::InvalidValue)
    }
}

struct BitReader<'a> {
    data: &'a [u8],
    position: usize,
}

impl BitReader<'_> {
    fn remaining(&self) -> usize {
        self.data.len() * 8 - self.position
    }

    /// Takes the next `count` bits (at most 16), most significant first.
    fn take(&mut self, count: usize) -> Result<usize, SegmentError> {
        if count > self.remaining() {
            return Err(SegmentError::Truncated);
        }
        let mut value = 0;
        for _ in 0..count {
            let byte = self.data[self.position / 8];
            let bit = (byte >> (7 - self.position % 8)) & 1;
            value = (value << 1) | bit as usize;
            self.position += 1;
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Packs `(value, width)` fields into bytes, padding the last byte with zeros.
    fn pack(fields: &[(usize, usize)]) -> Vec<u8> {
        let mut bits = Vec::new();
        for &(value, width) in fields {
            bits.extend((0..width).rev().map(|i| (value >> i) & 1 == 1));
        }
        bits.chunks(8)
            .map(|chunk| chunk.iter().enumerate().fold(0u8, |byte, (i, &bit)| byte | (u8::from(bit) << (7 - i))))
            .collect()
    }

    #[test]
    fn numeric_segment() {
        let data = pack(&[(0b0001, 4), (8, 10), (12, 10), (345, 10), (67, 7), (0, 4)]);
        let segments = parse(&data, 1).unwrap();
        assert_eq!(segments, vec![Segment { charset: SegmentCharset::Ascii, bytes: b"01234567".to_vec() }]);
    }

    #[test]
    fn alphanumeric_segment() {
        let data = pack(&[(0b0010, 4), (3, 9), (10 * 45 + 11, 11), (36, 6)]);
        let segments = parse(&data, 1).unwrap();
        assert_eq!(segments[0].bytes, b"AB ");
    }

    #[test]
    fn eci_applies_to_following_byte_segment() {
        let data = pack(&[(0b0111, 4), (26, 8), (0b0100, 4), (2, 8), (0xc3, 8), (0xa9, 8)]);
        let segments = parse(&data, 1).unwrap();
        assert_eq!(segments, vec![Segment { charset: SegmentCharset::Eci(26), bytes: vec![0xc3, 0xa9] }]);
    }

    #[test]
    fn kanji_segment_gives_shift_jis_bytes() {
        // 点 is 0x935F in Shift_JIS: 0x935F - 0x8140 = 0x121F, packed as 0x12 * 0xC0 + 0x1F.
        let data = pack(&[(0b1000, 4), (1, 8), (0x12 * 0xc0 + 0x1f, 13)]);
        let segments = parse(&data, 1).unwrap();
        assert_eq!(segments, vec![Segment { charset: SegmentCharset::ShiftJis, bytes: vec![0x93, 0x5f] }]);
    }

    #[test]
    fn truncated_byte_segment_is_an_error() {
        let data = pack(&[(0b0100, 4), (5, 8), (0x41, 8)]);
        assert_eq!(parse(&data, 1), Err(SegmentError::Truncated));
    }

    #[test]
    fn unknown_mode_is_an_error() {
        let data = pack(&[(0b1111, 4), (0, 4)]);
        assert_eq!(parse(&data, 1), Err(SegmentError::UnknownMode(0b1111)));
    }
}
