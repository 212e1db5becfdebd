//! Login tokens: 32 random bytes, sent to the device as unpadded base64url, stored as SHA-256.

use data_encoding::BASE64URL_NOPAD;
use sha2::{Digest, Sha256};

use super::AccountError;

/// Random bytes in a token.
const TOKEN_BYTES: usize = 32;

/// Makes a new token's text.
pub(crate) fn generate() -> Result<String, AccountError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::getrandom(&mut bytes).map_err(|e| AccountError::Random(e.to_string()))?;
    Ok(BASE64URL_NOPAD.encode(&bytes))
}

/// Returns the SHA-256 of a token's text, lower-case hex: the key the server stores it under.
pub(crate) fn sha256_hex(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// True when `text` has the shape of a token, so other strings are rejected before a lookup.
pub(crate) fn well_formed(text: &str) -> bool {
    BASE64URL_NOPAD.decode(text.as_bytes()).is_ok_and(|bytes| bytes.len() == TOKEN_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_well_formed_and_distinct() {
        let first = generate().unwrap();
        assert!(well_formed(&first));
        assert_ne!(first, generate().unwrap());
        assert_eq!(sha256_hex(&first).len(), 64);
    }

    #[test]
    fn other_strings_are_not_tokens() {
        assert!(!well_formed(""));
        assert!(!well_formed("abc"));
        assert!(!well_formed(&"A".repeat(44)));
    }
}
