//! The text in a placard's QR code, and its Ed25519 signature.
//!
//! A placard contains a URL so that any phone camera opens the public page:
//!
//! ```text
//! HTTP://HOST:PORT/O/91350100M000100Y43001P-DA001/1.K1.<base32 signature>
//! ```
//!
//! Everything is upper case, digits and `/:.-`, so the whole text fits QR alphanumeric mode (5.5 bits
//! a character instead of 8), which gives a smaller symbol with larger modules. The signature covers
//! the canonical string `OI1|permit_no|outlet_code|serial|key_id`, so the app can tell a genuine placard
//! from a forged one offline, with the bureau's public keys cached earlier.

use std::collections::{BTreeMap, BTreeSet};

use data_encoding::BASE32_NOPAD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::ids::OutletId;

/// Version tag of the signed canonical string.
const PAYLOAD_VERSION: &str = "OI1";

/// A signed placard payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacardPayload {
    pub outlet: OutletId,
    /// Placard serial: a reissued placard gets a new one, so a lost placard can be revoked.
    pub serial: u32,
    /// Id of the bureau key that signed it.
    pub key_id: String,
    pub signature: [u8; 64],
}

/// Classification of a QR code's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScannedText {
    /// One of our signed placards (signature not yet checked).
    Placard(PlacardPayload),
    /// A bare `PERMIT_NO-OUTLET_CODE`, as older placards or manual entry give; carries no signature.
    BareOutletId(OutletId),
    /// Anything else: someone else's QR code.
    Foreign(String),
}

/// Result of checking a placard's signature against the cached key set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authenticity {
    Genuine,
    /// The signature does not match the text: altered or forged.
    Forged,
    /// Signed with a key this device does not know (not yet synced, or another bureau's).
    UnknownKey,
    /// Signed with a key the bureau has retired: the placard must be replaced.
    RetiredKey,
}

/// A set of bureau public keys by key id, as `GET /api/v1/keys` returns and the app caches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySet {
    /// Key id to base32 of the 32-byte Ed25519 public key.
    pub keys: BTreeMap<String, String>,
    /// Ids of retired keys, whose placards no longer count as genuine.
    #[serde(default)]
    pub retired: BTreeSet<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("key {key_id:?} is not valid base32 of a 32-byte Ed25519 public key")]
    Malformed { key_id: String },
}

impl KeySet {
    pub fn verifying_key(&self, key_id: &str) -> Result<Option<VerifyingKey>, KeyError> {
        let Some(encoded) = self.keys.get(key_id) else {
            return Ok(None);
        };
        let malformed = || KeyError::Malformed { key_id: key_id.to_string() };
        let bytes = BASE32_NOPAD.decode(encoded.as_bytes()).map_err(|_| malformed())?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| malformed())?;
        VerifyingKey::from_bytes(&bytes).map(Some).map_err(|_| malformed())
    }
}

/// The bureau's placard signing key with its id.
pub struct PlacardSigner {
    pub key_id: String,
    key: SigningKey,
}

impl PlacardSigner {
    /// Wraps a 32-byte Ed25519 secret key.
    pub fn from_secret(key_id: &str, secret: [u8; 32]) -> Self {
        Self { key_id: key_id.to_string(), key: SigningKey::from_bytes(&secret) }
    }

    /// Returns the public half, base32, for [`KeySet`].
    pub fn public_key_base32(&self) -> String {
        BASE32_NOPAD.encode(self.key.verifying_key().as_bytes())
    }

    pub fn sign(&self, outlet: &OutletId, serial: u32) -> PlacardPayload {
        let message = canonical_string(outlet, serial, &self.key_id);
        PlacardPayload {
            outlet: outlet.clone(),
            serial,
            key_id: self.key_id.clone(),
            signature: self.key.sign(message.as_bytes()).to_bytes(),
        }
    }
}

fn canonical_string(outlet: &OutletId, serial: u32, key_id: &str) -> String {
    format!("{PAYLOAD_VERSION}|{}|{}|{serial}|{key_id}", outlet.permit_no, outlet.outlet_code)
}

impl PlacardPayload {
    /// Writes the QR text: `BASE/O/OUTLET_ID/SERIAL.KEY_ID.SIGNATURE`, upper case. `base_url` is the public
    /// address of the bureau's server, e.g. `https://hb.example.gov.cn`.
    pub fn to_qr_text(&self, base_url: &str) -> String {
        let base = base_url.trim_end_matches('/').to_ascii_uppercase();
        let signature = BASE32_NOPAD.encode(&self.signature);
        format!("{base}/O/{}/{}.{}.{signature}", self.outlet, self.serial, self.key_id.to_ascii_uppercase())
    }

    pub fn verify(&self, keys: &KeySet) -> Authenticity {
        if keys.retired.contains(&self.key_id) {
            return Authenticity::RetiredKey;
        }
        let key = match keys.verifying_key(&self.key_id) {
            Ok(Some(key)) => key,
            Ok(None) => return Authenticity::UnknownKey,
            Err(_) => return Authenticity::UnknownKey,
        };
        let message = canonical_string(&self.outlet, self.serial, &self.key_id);
        let signature = Signature::from_bytes(&self.signature);
        match key.verify(message.as_bytes(), &signature) {
            Ok(()) => Authenticity::Genuine,
            Err(_) => Authenticity::Forged,
        }
    }
}

/// Classifies a decoded QR text. Never fails: what is not ours is [`ScannedText::Foreign`].
pub fn parse_scanned_text(text: &str) -> ScannedText {
    let trimmed = text.trim();

    if let Ok(outlet) = trimmed.parse::<OutletId>() {
        return ScannedText::BareOutletId(outlet);
    }

    match parse_placard_url(trimmed) {
        Some(payload) => ScannedText::Placard(payload),
        None => ScannedText::Foreign(trimmed.to_string()),
    }
}

fn parse_placard_url(text: &str) -> Option<PlacardPayload> {
    let upper = text.to_ascii_uppercase();
    let rest = upper.strip_prefix("HTTPS://").or_else(|| upper.strip_prefix("HTTP://"))?;
    let (_host, path) = rest.split_once("/O/")?;
    let (outlet, signed) = path.split_once('/')?;
    let outlet: OutletId = outlet.parse().ok()?;

    let mut parts = signed.trim_end_matches('/').split('.');
    let serial = parts.next()?.parse().ok()?;
    let key_id = parts.next()?.to_string();
    let signature = BASE32_NOPAD.decode(parts.next()?.as_bytes()).ok()?;
    if parts.next().is_some() {
        return None;
    }

    Some(PlacardPayload { outlet, serial, key_id, signature: signature.try_into().ok()? })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> PlacardSigner {
        PlacardSigner::from_secret("K1", [7; 32])
    }

    fn keys_of(signer: &PlacardSigner) -> KeySet {
        KeySet { keys: BTreeMap::from([(signer.key_id.clone(), signer.public_key_base32())]), retired: BTreeSet::new() }
    }

    fn outlet() -> OutletId {
        "91350100M000100Y43001P-DA001".parse().unwrap()
    }

    #[test]
    fn signed_url_round_trips_and_verifies() {
        let signer = signer();
        let text = signer.sign(&outlet(), 3).to_qr_text("http://127.0.0.1:8080");

        let ScannedText::Placard(parsed) = parse_scanned_text(&text) else { panic!("not a placard: {text}") };

        assert_eq!(parsed.outlet, outlet());
        assert_eq!(parsed.serial, 3);
        assert_eq!(parsed.verify(&keys_of(&signer)), Authenticity::Genuine);
    }

    #[test]
    fn qr_text_fits_alphanumeric_mode() {
        let text = signer().sign(&outlet(), 1).to_qr_text("https://hb.example.gov.cn");
        let alphanumeric = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        assert!(text.chars().all(|c| alphanumeric.contains(c)), "{text}");
    }

    #[test]
    fn altered_outlet_code_is_forged() {
        let signer = signer();
        let text = signer.sign(&outlet(), 1).to_qr_text("http://h").replace("DA001", "DA002");
        let ScannedText::Placard(parsed) = parse_scanned_text(&text) else { panic!() };
        assert_eq!(parsed.verify(&keys_of(&signer)), Authenticity::Forged);
    }

    #[test]
    fn unknown_key_is_reported() {
        let payload = signer().sign(&outlet(), 1);
        assert_eq!(payload.verify(&KeySet::default()), Authenticity::UnknownKey);
    }

    #[test]
    fn retired_key_is_reported() {
        let signer = signer();
        let mut keys = keys_of(&signer);
        keys.keys.clear();
        keys.retired.insert("K1".into());
        assert_eq!(signer.sign(&outlet(), 1).verify(&keys), Authenticity::RetiredKey);
    }

    #[test]
    fn foreign_and_bare_texts() {
        assert!(matches!(parse_scanned_text("https://example.com/x"), ScannedText::Foreign(_)));
        assert!(matches!(parse_scanned_text("WIFI:S:cafe;;"), ScannedText::Foreign(_)));
        assert!(matches!(
            parse_scanned_text(" 91350100M000100Y43001P-DW001 "),
            ScannedText::BareOutletId(_)
        ));
    }
}
