//! Identifiers fixed by national standards: the unified social credit code (GB 32100-2015), the
//! pollutant discharge permit number, and the outlet code (HJ 608-2017).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Reason an identifier was rejected. Every variant carries the offending value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("USCC {value:?} must be 18 characters, found {len}")]
    UsccLength { value: String, len: usize },

    #[error("USCC {value:?} contains {ch:?}, which is not one of 0-9 and A-Y without I, O, S, V, Z")]
    UsccCharacter { value: String, ch: char },

    #[error("USCC {value:?} has check character {found:?}, expected {expected:?}")]
    UsccCheck { value: String, found: char, expected: char },

    #[error("permit number {value:?} must be 22 characters: the unit's USCC, 3 digits and a letter (e.g. 91350100M000100Y43001P)")]
    PermitNoShape { value: String },

    #[error("permit number {value:?} does not start with a valid USCC: {source}")]
    PermitNoUscc { value: String, source: Box<IdError> },

    #[error("outlet code {value:?} must be D, then A (air) or W (water), then 3 digits, e.g. DA001")]
    OutletCode { value: String },

    #[error("outlet id {value:?} must be a permit number and an outlet code joined by '-', e.g. 91350100M000100Y43001P-DA001")]
    OutletId { value: String },

    #[error("region code {value:?} must be a 6-digit administrative division code, e.g. 350100 for a city or 350000 for a province")]
    Region { value: String },
}

impl IdError {
    /// Returns the rejected text, to show back to the person who typed it.
    pub fn value(&self) -> &str {
        match self {
            IdError::UsccLength { value, .. } | IdError::UsccCharacter { value, .. } | IdError::UsccCheck { value, .. } => value,
            IdError::PermitNoShape { value } | IdError::PermitNoUscc { value, .. } | IdError::OutletCode { value } => value,
            IdError::OutletId { value } | IdError::Region { value } => value,
        }
    }
}

/// The characters a USCC may contain, in the order that gives each its value (GB 32100-2015).
const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of the first 17 USCC characters: 3^i mod 31.
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// A unified social credit code (统一社会信用代码): 18 characters, the last a mod-31 check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

impl Uscc {
    /// Parses a USCC, accepting lower case and surrounding white space, and checks its check character.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let value = text.trim().to_ascii_uppercase();
        let len = value.chars().count();
        if len != 18 {
            return Err(IdError::UsccLength { value, len });
        }

        let mut sum = 0;
        for (i, ch) in value.chars().take(17).enumerate() {
            let Some(code) = USCC_ALPHABET.find(ch) else {
                return Err(IdError::UsccCharacter { value, ch });
            };
            sum += code as u32 * USCC_WEIGHTS[i];
        }

        let expected = uscc_check_character(sum);
        let found = value.chars().last().unwrap_or_default();
        if found != expected {
            return Err(IdError::UsccCheck { value, found, expected });
        }
        Ok(Self(value))
    }

    /// Completes 17 characters with their check character; used to make valid fictional codes.
    pub fn with_check_character(first17: &str) -> Result<Self, IdError> {
        let mut sum = 0;
        for (i, ch) in first17.chars().take(17).enumerate() {
            let Some(code) = USCC_ALPHABET.find(ch) else {
                return Err(IdError::UsccCharacter { value: first17.to_string(), ch });
            };
            sum += code as u32 * USCC_WEIGHTS[i];
        }
        Self::parse(&format!("{first17}{}", uscc_check_character(sum)))
    }

    /// Returns the administrative division code of the registering authority (characters 3 to 8), e.g.
    /// `350100`.
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A jurisdiction: a 6-digit administrative division code (GB/T 2260). A province (`350000`) contains
/// its cities, a city (`350100`) its districts, and `000000` the whole country. A unit belongs to the
/// region in its USCC.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Region(String);

impl Region {
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let value = text.trim();
        if value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Region { value: value.to_string() });
        }
        Ok(Self(value.to_string()))
    }

    /// Returns the leading digits every code inside the region shares: the code without its trailing
    /// `00` pairs.
    pub fn prefix(&self) -> &str {
        let mut prefix = self.0.as_str();
        while let Some(rest) = prefix.strip_suffix("00") {
            prefix = rest;
        }
        prefix
    }

    /// True when the unit with this USCC lies in the region.
    pub fn contains(&self, uscc: &Uscc) -> bool {
        uscc.region_code().starts_with(self.prefix())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Region {
    type Err = IdError;

    fn from_str(text: &str) -> Result<Self, IdError> {
        Self::parse(text)
    }
}

impl TryFrom<String> for Region {
    type Error = IdError;

    fn try_from(text: String) -> Result<Self, IdError> {
        Self::parse(&text)
    }
}

impl From<Region> for String {
    fn from(region: Region) -> String {
        region.0
    }
}

fn uscc_check_character(weighted_sum: u32) -> char {
    let code = (31 - weighted_sum % 31) % 31;
    USCC_ALPHABET.as_bytes()[code as usize] as char
}

/// A pollutant discharge permit number (许可证编号): the unit's USCC, a 3-digit site sequence and a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PermitNo(String);

impl PermitNo {
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let value = text.trim().to_ascii_uppercase();
        let bytes = value.as_bytes();
        let shape_ok = value.is_ascii()
            && bytes.len() == 22
            && bytes[18..21].iter().all(u8::is_ascii_digit)
            && bytes[21].is_ascii_uppercase();
        if !shape_ok {
            return Err(IdError::PermitNoShape { value });
        }

        if let Err(source) = Uscc::parse(&value[..18]) {
            return Err(IdError::PermitNoUscc { value, source: Box::new(source) });
        }
        Ok(Self(value))
    }

    /// Returns the USCC of the unit that holds the permit.
    pub fn uscc(&self) -> Uscc {
        Uscc(self.0[..18].to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An outlet code (排放口编号, HJ 608-2017): `DA` + 3 digits for air, `DW` + 3 digits for water.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OutletCode(String);

impl OutletCode {
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let value = text.trim().to_ascii_uppercase();
        let bytes = value.as_bytes();
        let ok = bytes.len() == 5
            && bytes[0] == b'D'
            && matches!(bytes[1], b'A' | b'W')
            && bytes[2..].iter().all(u8::is_ascii_digit);
        if !ok {
            return Err(IdError::OutletCode { value });
        }
        Ok(Self(value))
    }

    /// True for an air outlet (`DA…`), false for a water outlet (`DW…`).
    pub fn is_air(&self) -> bool {
        self.0.as_bytes()[1] == b'A'
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The natural key of an outlet: the permit it belongs to and its code within that permit.
/// Written `PERMIT_NO-OUTLET_CODE`, e.g. `91350100M000100Y43001P-DA001`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OutletId {
    pub permit_no: PermitNo,
    pub outlet_code: OutletCode,
}

impl FromStr for OutletId {
    type Err = IdError;

    fn from_str(text: &str) -> Result<Self, IdError> {
        let value = text.trim();
        let Some((permit, code)) = value.split_once('-') else {
            return Err(IdError::OutletId { value: value.to_string() });
        };
        Ok(Self { permit_no: PermitNo::parse(permit)?, outlet_code: OutletCode::parse(code)? })
    }
}

impl fmt::Display for OutletId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.permit_no.0, self.outlet_code.0)
    }
}

macro_rules! string_conversions {
    ($($ty:ty => $parse:expr),* $(,)?) => {$(
        impl TryFrom<String> for $ty {
            type Error = IdError;
            fn try_from(value: String) -> Result<Self, IdError> {
                $parse(&value)
            }
        }

        impl From<$ty> for String {
            fn from(value: $ty) -> String {
                value.to_string()
            }
        }
    )*};
}

string_conversions!(
    Uscc => Uscc::parse,
    PermitNo => PermitNo::parse,
    OutletCode => OutletCode::parse,
    OutletId => |text: &str| text.parse::<OutletId>(),
);

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for PermitNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for OutletCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uscc_standard_example_is_valid() {
        assert!(Uscc::parse("91350100M000100Y43").is_ok());
    }

    #[test]
    fn uscc_wrong_check_character_names_expected() {
        let err = Uscc::parse("91350100M000100Y44").unwrap_err();
        assert_eq!(
            err,
            IdError::UsccCheck { value: "91350100M000100Y44".into(), found: '4', expected: '3' }
        );
    }

    #[test]
    fn uscc_rejects_forbidden_letters() {
        assert!(matches!(Uscc::parse("9135010OM000100Y43"), Err(IdError::UsccCharacter { ch: 'O', .. })));
    }

    #[test]
    fn uscc_region_code() {
        assert_eq!(Uscc::parse("91350100M000100Y43").unwrap().region_code(), "350100");
    }

    #[test]
    fn regions_contain_their_subdivisions() {
        let uscc = Uscc::parse("91350100M000100Y43").unwrap();

        assert!(Region::parse("350100").unwrap().contains(&uscc));
        assert!(Region::parse("350000").unwrap().contains(&uscc));
        assert!(Region::parse("000000").unwrap().contains(&uscc));
        assert!(!Region::parse("350200").unwrap().contains(&uscc));
        assert!(!Region::parse("350102").unwrap().contains(&uscc));
        assert!(matches!(Region::parse("3501"), Err(IdError::Region { .. })));
        assert!(matches!(Region::parse("35010a"), Err(IdError::Region { .. })));
    }

    #[test]
    fn uscc_completion_round_trips() {
        let uscc = Uscc::with_check_character("91330100MA2KXXXX0").unwrap();
        assert_eq!(Uscc::parse(uscc.as_str()).unwrap(), uscc);
    }

    #[test]
    fn permit_no_requires_valid_uscc_prefix() {
        assert!(PermitNo::parse("91350100M000100Y43001P").is_ok());
        assert!(matches!(PermitNo::parse("91350100M000100Y44001P"), Err(IdError::PermitNoUscc { .. })));
        assert!(matches!(PermitNo::parse("91350100M000100Y43X01P"), Err(IdError::PermitNoShape { .. })));
    }

    #[test]
    fn outlet_code_shapes() {
        assert!(OutletCode::parse("da001").unwrap().is_air());
        assert!(!OutletCode::parse("DW012").unwrap().is_air());
        for bad in ["DX001", "DA01", "DA0011", "DAABC", "排放口"] {
            assert!(OutletCode::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn outlet_id_parses_and_displays() {
        let id: OutletId = "91350100m000100y43001p-da001".parse().unwrap();
        assert_eq!(id.to_string(), "91350100M000100Y43001P-DA001");
        assert!("91350100M000100Y43001P".parse::<OutletId>().is_err());
    }
}
