//! HJ 212-2017, the protocol Chinese continuous emission monitors use to report to the bureau: packet
//! framing, the CRC-16, a parser that names what is wrong with a bad packet, and an encoder for the
//! simulator. No I/O: the server's listener and the `outlet hj212-sim` command do the networking.
//!
//! ```
//! use outlet_hj212::{Command, Packet};
//!
//! let bytes = b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n";
//! let packet = Packet::parse(bytes).unwrap();
//! assert_eq!(packet.cn, Command::Other(1062));
//! assert_eq!(packet.encode().unwrap(), bytes.to_vec());
//! ```

mod codes;
mod command;
mod cp;
mod crc;
mod error;
mod packet;

pub use codes::{code_of_pollutant, pollutant_code, PollutantCode, POLLUTANT_CODES};
pub use command::{Command, DataFlag, PacketFlag};
pub use cp::{Cp, PollutantValues};
pub use crc::crc16;
pub use error::PacketError;
pub use packet::Packet;

/// Most bytes a data segment may have (HJ 212-2017: 0 to 1024).
pub const MAX_DATA_LEN: usize = 1024;

/// Most bytes a whole packet may have: `##`, 4 length digits, the data, 4 CRC digits, CR LF.
pub const MAX_PACKET_LEN: usize = 2 + 4 + MAX_DATA_LEN + 4 + 2;

/// Parses `DataTime`-style text, `yyyyMMddHHmmss`, as the station's local date and time.
pub fn parse_data_time(text: &str) -> Result<time::PrimitiveDateTime, PacketError> {
    cp::parse_data_time("DataTime", text)
}

/// Writes a date and time as `yyyyMMddHHmmss`, the form of `DataTime` and of QN's first 14 digits.
pub fn format_data_time(at: time::PrimitiveDateTime) -> String {
    cp::format_data_time(at)
}

#[cfg(test)]
mod tests;
