//! One HJ 212-2017 packet: framing, header fields and CP.

use crate::command::{Command, PacketFlag};
use crate::cp::{short, Cp};
use crate::crc::crc16;
use crate::error::{excerpt, PacketError};
use crate::{MAX_DATA_LEN, MAX_PACKET_LEN};

/// A packet as a data acquisition unit sends it:
/// `##` + 4-digit data length + data segment + CRC-16 (4 hex digits) + CR LF, where the data segment
/// is `QN=...;ST=...;CN=...;PW=...;MN=...;Flag=...;CP=&&...&&`.
#[derive(Debug, Clone, PartialEq)]
pub struct Packet {
    /// Request number `yyyyMMddHHmmsszzz`; uploads of older units leave it out.
    pub qn: Option<String>,
    /// System code, two digits: 31 air pollution source, 32 water pollution source, 91 interaction.
    pub st: String,
    pub cn: Command,
    /// Access password.
    pub pw: String,
    /// Device id of the data acquisition unit (MN): 1 to 24 letters or digits.
    pub mn: String,
    /// `None` for units of the 2005 edition, which send no Flag.
    pub flag: Option<PacketFlag>,
    /// Number of parts and this part's number, for a split message (Flag bit D).
    pub pnum: Option<u16>,
    pub pno: Option<u16>,
    pub cp: Cp,
}

/// Header fields seen so far, to reject duplicates and find missing ones.
#[derive(Default)]
struct Header {
    qn: Option<String>,
    st: Option<String>,
    cn: Option<Command>,
    pw: Option<String>,
    mn: Option<String>,
    flag: Option<PacketFlag>,
    pnum: Option<u16>,
    pno: Option<u16>,
}

impl Packet {
    /// Parses one whole packet, from `##` to the closing CR LF included. Checks, in this order: the
    /// header, the length field, the size limit, CR LF, the declared length, the CRC, then the fields.
    pub fn parse(bytes: &[u8]) -> Result<Packet, PacketError> {
        if !bytes.starts_with(b"##") {
            return Err(PacketError::MissingHeader { found: excerpt(&bytes[..bytes.len().min(8)]) });
        }
        let length_field = bytes.get(2..6).filter(|field| field.iter().all(u8::is_ascii_digit));
        let Some(length_field) = length_field else {
            return Err(PacketError::LengthNotDigits { found: excerpt(&bytes[2..bytes.len().min(6)]) });
        };
        let declared: usize = std::str::from_utf8(length_field).expect("digits").parse().expect("4 digits fit");

        if declared > MAX_DATA_LEN {
            return Err(PacketError::Oversize { length: declared });
        }
        if bytes.len() > MAX_PACKET_LEN {
            return Err(PacketError::Oversize { length: bytes.len() });
        }
        let Some(body) = bytes.strip_suffix(b"\r\n") else {
            return Err(PacketError::MissingCrlf);
        };

        let body = &body[6..];
        if body.len() < 4 {
            return Err(PacketError::CrcNotHex { found: excerpt(body) });
        }
        let (data, crc_field) = body.split_at(body.len() - 4);
        if data.len() != declared {
            return Err(PacketError::LengthMismatch { declared, actual: data.len() });
        }
        let declared_crc = parse_crc(crc_field)?;
        let computed = crc16(data);
        if declared_crc != computed {
            return Err(PacketError::CrcMismatch { declared: declared_crc, computed });
        }

        let text = std::str::from_utf8(data).map_err(|e| PacketError::NotText { offset: 6 + e.valid_up_to() })?;
        Self::parse_data(text)
    }

    /// Parses a data segment (the part the CRC covers).
    fn parse_data(text: &str) -> Result<Packet, PacketError> {
        let mut header = Header::default();
        let mut rest = text;
        let cp = loop {
            if let Some(cp) = rest.strip_prefix("CP=") {
                break parse_cp(cp)?;
            }
            let (field, tail) = rest.split_once(';').unwrap_or((rest, ""));
            if field.is_empty() && tail.is_empty() {
                return Err(PacketError::MissingField { field: "CP" });
            }
            if !field.is_empty() {
                header.set(field)?;
            }
            rest = tail;
        };

        let cn = header.cn.ok_or(PacketError::MissingField { field: "CN" })?;
        if cn.carries_data() && cp.data_time.is_none() {
            return Err(PacketError::MissingField { field: "DataTime" });
        }
        Ok(Packet {
            qn: header.qn,
            st: header.st.ok_or(PacketError::MissingField { field: "ST" })?,
            cn,
            pw: header.pw.ok_or(PacketError::MissingField { field: "PW" })?,
            mn: header.mn.ok_or(PacketError::MissingField { field: "MN" })?,
            flag: header.flag,
            pnum: header.pnum,
            pno: header.pno,
            cp,
        })
    }

    /// Writes the packet with its length, CRC and CR LF. Fails when the data segment would exceed
    /// [`MAX_DATA_LEN`] bytes or a value is not a finite number.
    pub fn encode(&self) -> Result<Vec<u8>, PacketError> {
        let mut data = String::new();
        if let Some(qn) = &self.qn {
            data.push_str(&format!("QN={qn};"));
        }
        data.push_str(&format!("ST={};CN={};PW={};MN={};", self.st, self.cn, self.pw, self.mn));
        if let Some(flag) = self.flag {
            data.push_str(&format!("Flag={};", flag.0));
        }
        if let Some(pnum) = self.pnum {
            data.push_str(&format!("PNUM={pnum};"));
        }
        if let Some(pno) = self.pno {
            data.push_str(&format!("PNO={pno};"));
        }
        data.push_str(&format!("CP=&&{}&&", self.cp.encode()?));

        if data.len() > MAX_DATA_LEN {
            return Err(PacketError::Oversize { length: data.len() });
        }
        let crc = crc16(data.as_bytes());
        Ok(format!("##{:04}{data}{crc:04X}\r\n", data.len()).into_bytes())
    }

    /// The data response (CN 9014) the upper computer sends back when a data upload's Flag asks for
    /// a reply: same QN, PW and MN, system code 91, empty CP.
    pub fn data_response(&self) -> Packet {
        Packet {
            qn: self.qn.clone(),
            st: "91".into(),
            cn: Command::DataResponse,
            pw: self.pw.clone(),
            mn: self.mn.clone(),
            flag: Some(PacketFlag::V2017),
            pnum: None,
            pno: None,
            cp: Cp::default(),
        }
    }
}

impl Header {
    fn set(&mut self, field: &str) -> Result<(), PacketError> {
        let Some((key, value)) = field.split_once('=') else {
            return Err(PacketError::FieldWithoutEquals { field: short(field) });
        };
        let duplicate = || PacketError::DuplicateField { field: key.to_string() };

        match key {
            "QN" => put(&mut self.qn, checked("QN", value, 17, 17, u8::is_ascii_digit, "17 digits yyyyMMddHHmmsszzz")?).ok_or_else(duplicate),
            "ST" => put(&mut self.st, checked("ST", value, 2, 2, u8::is_ascii_digit, "2 digits, e.g. 31 or 32")?).ok_or_else(duplicate),
            "PW" => put(&mut self.pw, checked("PW", value, 1, 9, u8::is_ascii_alphanumeric, "1 to 9 letters or digits")?).ok_or_else(duplicate),
            "MN" => put(&mut self.mn, checked("MN", value, 1, 24, u8::is_ascii_alphanumeric, "1 to 24 letters or digits")?).ok_or_else(duplicate),
            "CN" => {
                let command = Command::from_code(value).ok_or_else(|| PacketError::UnknownCommand { value: short(value) })?;
                put(&mut self.cn, command).ok_or_else(duplicate)
            }
            "Flag" => {
                let flag = small_number("Flag", value, 3)?;
                let flag = u8::try_from(flag).map_err(|_| invalid("Flag", value, "a number from 0 to 255"))?;
                put(&mut self.flag, PacketFlag(flag)).ok_or_else(duplicate)
            }
            "PNUM" => put(&mut self.pnum, small_number("PNUM", value, 4)?).ok_or_else(duplicate),
            "PNO" => put(&mut self.pno, small_number("PNO", value, 4)?).ok_or_else(duplicate),
            _ => Err(PacketError::UnknownField { field: short(key) }),
        }
    }
}

/// Stores `value` in an empty slot; `None` when the slot was already set.
fn put<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    match slot {
        Some(_) => None,
        None => {
            *slot = Some(value);
            Some(())
        }
    }
}

fn invalid(field: &'static str, value: &str, expected: &'static str) -> PacketError {
    PacketError::InvalidField { field, value: short(value), expected }
}

/// Checks a header value's length and characters.
fn checked(field: &'static str, value: &str, min: usize, max: usize, allowed: fn(&u8) -> bool, expected: &'static str) -> Result<String, PacketError> {
    if value.len() < min || value.len() > max || !value.bytes().all(|b| allowed(&b)) {
        return Err(invalid(field, value, expected));
    }
    Ok(value.to_string())
}

/// Reads a decimal number of at most `digits` digits.
fn small_number(field: &'static str, value: &str, digits: usize) -> Result<u16, PacketError> {
    let expected = if digits == 3 { "a number from 0 to 255" } else { "a number of at most 4 digits" };
    if value.is_empty() || value.len() > digits || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(field, value, expected));
    }
    Ok(value.parse().expect("at most 4 digits fit"))
}

/// Parses what follows `CP=`: `&&`, the content, `&&`, and nothing after it.
fn parse_cp(text: &str) -> Result<Cp, PacketError> {
    let content = text.strip_prefix("&&").and_then(|inner| inner.strip_suffix("&&"));
    match content {
        Some(content) if !content.contains("&&") => Cp::parse(content),
        _ => Err(PacketError::CpNotDelimited { found: short(text) }),
    }
}

fn parse_crc(field: &[u8]) -> Result<u16, PacketError> {
    let not_hex = || PacketError::CrcNotHex { found: excerpt(field) };
    if !field.iter().all(u8::is_ascii_hexdigit) {
        return Err(not_hex());
    }
    let text = std::str::from_utf8(field).map_err(|_| not_hex())?;
    u16::from_str_radix(text, 16).map_err(|_| not_hex())
}
