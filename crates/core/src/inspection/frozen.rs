//! A finalized record: its canonical bytes, their SHA-256 and the device's signature over them.

use data_encoding::BASE64;
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::record::InspectionRecord;
use crate::ids::OutletId;

/// A finalized record, never changed after freezing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenInspection {
    pub id: Uuid,
    /// The outlets the record covers, copied out of the bytes for listing.
    pub outlets: Vec<OutletId>,
    /// Canonical JSON of the [`InspectionRecord`], kept as base64 text when stored.
    #[serde(with = "bytes_as_base64")]
    pub bytes: Vec<u8>,
    /// Lower-case hex SHA-256 of `bytes`.
    pub sha256: String,
    /// The device that signed, as in the record.
    pub device_id: Uuid,
    /// Standard base64 of the device's Ed25519 signature over `bytes`.
    pub signature: String,
}

/// The reason a signature does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature {0:?} is not base64 of 64 bytes")]
    Malformed(String),

    #[error("the public key is not base64 of a 32-byte Ed25519 key")]
    BadKey,

    #[error("the signature does not match the record's bytes and the device's key")]
    Mismatch,
}

impl FrozenInspection {
    /// Serialises `record` once and signs the bytes.
    pub(crate) fn sign(record: &InspectionRecord, key: &SigningKey) -> Self {
        let bytes = serde_json::to_vec(record).expect("an inspection record always serialises");
        let signature = BASE64.encode(&key.sign(&bytes).to_bytes());
        Self { id: record.id, outlets: record.outlets.clone(), sha256: sha256_hex(&bytes), bytes, device_id: record.device_id, signature }
    }

    /// Decodes the record from the frozen bytes.
    pub fn record(&self) -> Result<InspectionRecord, serde_json::Error> {
        serde_json::from_slice(&self.bytes)
    }

    /// Checks the signature against the device's public key (standard base64 of 32 bytes).
    pub fn verify(&self, public_key: &str) -> Result<(), SignatureError> {
        verify_signature(&self.bytes, &self.signature, public_key)
    }
}

/// Checks an Ed25519 `signature` (base64) over `bytes` against `public_key` (base64).
pub fn verify_signature(bytes: &[u8], signature: &str, public_key: &str) -> Result<(), SignatureError> {
    let key: [u8; 32] = BASE64.decode(public_key.as_bytes()).ok().and_then(|k| k.try_into().ok()).ok_or(SignatureError::BadKey)?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| SignatureError::BadKey)?;
    let signature: [u8; 64] = BASE64
        .decode(signature.as_bytes())
        .ok()
        .and_then(|s| s.try_into().ok())
        .ok_or_else(|| SignatureError::Malformed(signature.chars().take(100).collect()))?;
    key.verify(bytes, &ed25519_dalek::Signature::from_bytes(&signature)).map_err(|_| SignatureError::Mismatch)
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Serde form of the frozen bytes: standard base64 text, a third the size of serde's default array
/// of numbers and much faster to read back. An array written by an earlier version still reads.
mod bytes_as_base64 {
    use data_encoding::BASE64;
    use serde::de::{self, Deserializer, SeqAccess, Visitor};
    use serde::Serializer;

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&BASE64.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        deserializer.deserialize_any(BytesVisitor)
    }

    struct BytesVisitor;

    impl<'de> Visitor<'de> for BytesVisitor {
        type Value = Vec<u8>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("base64 text or an array of bytes")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Vec<u8>, E> {
            BASE64.decode(text.as_bytes()).map_err(|e| E::custom(format!("the frozen bytes are not base64: {e}")))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(byte) = seq.next_element::<u8>()? {
                bytes.push(byte);
            }
            Ok(bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_bytes_are_base64_and_arrays_still_read() {
        let frozen = FrozenInspection { id: Uuid::nil(), outlets: Vec::new(), bytes: b"{}".to_vec(), sha256: sha256_hex(b"{}"), device_id: Uuid::nil(), signature: String::new() };

        let text = serde_json::to_string(&frozen).unwrap();
        assert!(text.contains(r#""bytes":"e30=""#), "{text}");
        assert_eq!(serde_json::from_str::<FrozenInspection>(&text).unwrap(), frozen);

        let older = text.replace(r#""bytes":"e30=""#, r#""bytes":[123,125]"#);
        assert_eq!(serde_json::from_str::<FrozenInspection>(&older).unwrap(), frozen);
    }
}
