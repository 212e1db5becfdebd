//! Password hashing with Argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes, 1 lane) and
//! generated initial passwords.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use super::AccountError;

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Maximum length of a password, in characters, which bounds the hashing work one request can cause.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Letters and digits of generated passwords, without look-alikes (0/O, 1/l/I), so a password read
/// from a screen or paper is typed right.
const PASSWORD_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/// Length of a generated password: 16 characters of a 56-letter alphabet, about 93 bits.
const GENERATED_CHARS: usize = 16;

/// Checks the length rules of a password chosen by a person.
pub(crate) fn check_length(password: &str) -> Result<(), AccountError> {
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&chars) {
        return Err(AccountError::PasswordLength { chars });
    }
    Ok(())
}

/// Hashes `password` with a fresh random salt into a PHC string.
pub(crate) fn hash(password: &str) -> Result<String, AccountError> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| AccountError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AccountError::Hash(e.to_string()))?;
    let hash = Argon2::default().hash_password(password.as_bytes(), &salt).map_err(|e| AccountError::Hash(e.to_string()))?;
    Ok(hash.to_string())
}

/// True when `password` matches the PHC string `stored`. A stored hash that does not parse matches
/// nothing, and the error is logged.
pub(crate) fn verify(password: &str, stored: &str) -> bool {
    let parsed = match PasswordHash::new(stored) {
        Ok(parsed) => parsed,
        Err(error) => {
            tracing::error!(%error, "a stored password hash does not parse; that account cannot log in");
            return false;
        }
    };
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
}

/// Verifies `password` against a fixed hash, taking as long as a real check, so a login for an
/// unknown badge number is not faster than one with a wrong password.
pub(crate) fn verify_against_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not-a-password-of-any-account").unwrap_or_default());
    let _ = verify(password, dummy);
}

/// Generates a random initial password of [`GENERATED_CHARS`] characters.
pub(crate) fn generate() -> Result<String, AccountError> {
    let mut password = String::with_capacity(GENERATED_CHARS);
    let mut bytes = [0u8; 64];
    while password.len() < GENERATED_CHARS {
        getrandom::getrandom(&mut bytes).map_err(|e| AccountError::Random(e.to_string()))?;
        // Bytes at or above the largest multiple of the alphabet's size are skipped, so every
        // character is equally likely.
        let limit = 256 - 256 % PASSWORD_ALPHABET.len();
        for &byte in bytes.iter().filter(|&&byte| (byte as usize) < limit) {
            if password.len() == GENERATED_CHARS {
                break;
            }
            password.push(PASSWORD_ALPHABET[byte as usize % PASSWORD_ALPHABET.len()] as char);
        }
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_only_its_password() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterY", &stored));
    }

    #[test]
    fn corrupt_hash_matches_nothing() {
        assert!(!verify("anything", "not a phc string"));
    }

    #[test]
    fn generated_passwords_differ_and_pass_rules() {
        let first = generate().unwrap();
        let second = generate().unwrap();
        assert_eq!(first.chars().count(), GENERATED_CHARS);
        assert_ne!(first, second);
        assert!(check_length(&first).is_ok());
        assert!(first.bytes().all(|b| PASSWORD_ALPHABET.contains(&b)));
    }

    #[test]
    fn short_password_rejected() {
        assert!(matches!(check_length("short"), Err(AccountError::PasswordLength { chars: 5 })));
    }
}
