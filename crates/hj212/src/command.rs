//! Command codes (CN) and data flags of HJ 212-2017.

use std::fmt;

/// A command code (CN). The data uploads have their own variants; the other commands of the standard
/// (parameters, control, replies) are kept as [`Command::Other`] with their number. Numbers outside
/// the standard's table are rejected by the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// 2011: real-time data (`-Rtd` values).
    RealTimeData,
    /// 2051: minute data (`-Avg`, `-Min`, `-Max` over the minute interval).
    MinuteData,
    /// 2061: hour data, the hour's averages.
    HourData,
    /// 2031: day data, the day's averages.
    DayData,
    /// 9014: the upper computer's reply to a data upload that asked for one.
    DataResponse,
    /// Any other command code of the standard.
    Other(u16),
}

/// Every other command code HJ 212-2017 defines: initialisation (1000, 1001), parameters (1011 to
/// 1072), status and history (2012 to 2081), control (3011 to 3021) and interaction (9011 to 9013).
const OTHER_CODES: &[u16] = &[
    1000, 1001, 1011, 1012, 1013, 1061, 1062, 1063, 1064, 1072, 2012, 2021, 2022, 2041, 2081, 3011, 3012, 3013, 3014, 3015, 3016, 3017, 3018, 3019,
    3020, 3021, 9011, 9012, 9013,
];

impl Command {
    /// Reads a command code, e.g. `2011`; `None` when the standard does not define it.
    pub fn from_code(text: &str) -> Option<Command> {
        if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let code: u16 = text.parse().ok()?;
        match code {
            2011 => Some(Command::RealTimeData),
            2051 => Some(Command::MinuteData),
            2061 => Some(Command::HourData),
            2031 => Some(Command::DayData),
            9014 => Some(Command::DataResponse),
            other if OTHER_CODES.contains(&other) => Some(Command::Other(other)),
            _ => None,
        }
    }

    pub fn code(self) -> u16 {
        match self {
            Command::RealTimeData => 2011,
            Command::MinuteData => 2051,
            Command::HourData => 2061,
            Command::DayData => 2031,
            Command::DataResponse => 9014,
            Command::Other(code) => code,
        }
    }

    /// True for the uploads that carry pollutant values with a `DataTime`.
    pub fn carries_data(self) -> bool {
        matches!(self, Command::RealTimeData | Command::MinuteData | Command::HourData | Command::DayData)
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.code())
    }
}

/// A data flag (数据标记) of one pollutant value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataFlag {
    /// N: normal.
    Normal,
    /// F: the source is stopped (停运).
    Stopped,
    /// M: maintenance.
    Maintenance,
    /// S: set manually.
    Manual,
    /// D: fault.
    Fault,
    /// C: calibration.
    Calibration,
    /// T: beyond the measuring range.
    OverRange,
    /// B: communication error between analyser and data acquisition unit.
    CommunicationError,
}

impl DataFlag {
    pub fn from_letter(text: &str) -> Option<DataFlag> {
        match text {
            "N" => Some(DataFlag::Normal),
            "F" => Some(DataFlag::Stopped),
            "M" => Some(DataFlag::Maintenance),
            "S" => Some(DataFlag::Manual),
            "D" => Some(DataFlag::Fault),
            "C" => Some(DataFlag::Calibration),
            "T" => Some(DataFlag::OverRange),
            "B" => Some(DataFlag::CommunicationError),
            _ => None,
        }
    }

    pub fn letter(self) -> &'static str {
        match self {
            DataFlag::Normal => "N",
            DataFlag::Stopped => "F",
            DataFlag::Maintenance => "M",
            DataFlag::Manual => "S",
            DataFlag::Fault => "D",
            DataFlag::Calibration => "C",
            DataFlag::OverRange => "T",
            DataFlag::CommunicationError => "B",
        }
    }
}

/// The packet's `Flag` field: bits V5..V0 hold the protocol version (1 for HJ 212-2017), bit D says
/// the packet carries `PNUM` and `PNO` (one part of a split message), bit A asks for a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PacketFlag(pub u8);

impl PacketFlag {
    /// Version 1 (HJ 212-2017), no reply asked.
    pub const V2017: PacketFlag = PacketFlag(0b100);
    /// Version 1 (HJ 212-2017), reply asked.
    pub const V2017_REPLY: PacketFlag = PacketFlag(0b101);

    /// True when the sender waits for a reply (bit A).
    pub fn wants_reply(self) -> bool {
        self.0 & 0b01 != 0
    }

    /// True when the packet is one part of a split message (bit D).
    pub fn is_split(self) -> bool {
        self.0 & 0b10 != 0
    }

    /// The protocol version bits: 0 for HJ/T 212-2005, 1 for HJ 212-2017.
    pub fn version(self) -> u8 {
        self.0 >> 2
    }
}
