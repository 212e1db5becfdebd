//! Reasons a packet is rejected.

/// A packet that does not follow HJ 212-2017. Each variant names the field and the value found, so
/// a log line shows the operator of the data acquisition unit what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacketError {
    #[error("packet does not start with `##` (found {found:?})")]
    MissingHeader { found: String },

    #[error("packet length field must be 4 decimal digits after `##` (found {found:?})")]
    LengthNotDigits { found: String },

    #[error("packet is {length} bytes long; HJ 212-2017 allows at most {max} bytes of data ({max_packet} in all)", max = crate::MAX_DATA_LEN, max_packet = crate::MAX_PACKET_LEN)]
    Oversize { length: usize },

    #[error("packet does not end with CR LF")]
    MissingCrlf,

    #[error("packet declares {declared} bytes of data but carries {actual}")]
    LengthMismatch { declared: usize, actual: usize },

    #[error("packet CRC field must be 4 hexadecimal digits (found {found:?})")]
    CrcNotHex { found: String },

    #[error("packet CRC is {declared:04X} but its data gives {computed:04X}")]
    CrcMismatch { declared: u16, computed: u16 },

    #[error("packet data is not UTF-8 text (bad byte at offset {offset})")]
    NotText { offset: usize },

    #[error("field {field:?} has no `=`")]
    FieldWithoutEquals { field: String },

    #[error("unknown field {field:?} before CP; HJ 212-2017 defines QN, ST, CN, PW, MN, Flag, PNUM, PNO and CP")]
    UnknownField { field: String },

    #[error("field {field} appears twice")]
    DuplicateField { field: String },

    #[error("packet has no {field} field")]
    MissingField { field: &'static str },

    #[error("CP must be written `CP=&&...&&` (found {found:?})")]
    CpNotDelimited { found: String },

    #[error("unknown command CN={value:?}; see the command table of HJ 212-2017")]
    UnknownCommand { value: String },

    #[error("{field}={value:?} is not a date and time yyyyMMddHHmmss")]
    BadDataTime { field: String, value: String },

    #[error("{field}={value:?} is not a finite decimal number")]
    BadNumber { field: String, value: String },

    #[error("{field}={value:?} is not a data flag; HJ 212-2017 uses N, F, M, S, D, C, T or B")]
    BadFlag { field: String, value: String },

    #[error("{field}={value:?}: {expected}")]
    InvalidField { field: &'static str, value: String, expected: &'static str },
}

impl PacketError {
    /// A short, stable name for counting rejected packets by kind, e.g. `crc_mismatch`.
    pub fn kind(&self) -> &'static str {
        match self {
            PacketError::MissingHeader { .. } => "missing_header",
            PacketError::LengthNotDigits { .. } => "length_not_digits",
            PacketError::Oversize { .. } => "oversize",
            PacketError::MissingCrlf => "missing_crlf",
            PacketError::LengthMismatch { .. } => "length_mismatch",
            PacketError::CrcNotHex { .. } => "crc_not_hex",
            PacketError::CrcMismatch { .. } => "crc_mismatch",
            PacketError::NotText { .. } => "not_text",
            PacketError::FieldWithoutEquals { .. } => "field_without_equals",
            PacketError::UnknownField { .. } => "unknown_field",
            PacketError::DuplicateField { .. } => "duplicate_field",
            PacketError::MissingField { .. } => "missing_field",
            PacketError::CpNotDelimited { .. } => "cp_not_delimited",
            PacketError::UnknownCommand { .. } => "unknown_command",
            PacketError::BadDataTime { .. } => "bad_data_time",
            PacketError::BadNumber { .. } => "bad_number",
            PacketError::BadFlag { .. } => "bad_flag",
            PacketError::InvalidField { .. } => "invalid_field",
        }
    }
}

/// Shortens untrusted text for an error message: at most 40 characters, control characters escaped
/// by the `Debug` formatting of the message.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.chars().take(40).collect()
}
