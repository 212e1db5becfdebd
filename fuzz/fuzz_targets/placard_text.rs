//! Feeds arbitrary text to the placard payload parser, the function the app runs on every decoded
//! QR code. Besides "no panic": whatever parses as a placard has its signature checked against a real
//! key, and writes back to a QR text that parses as the same placard.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};

use libfuzzer_sys::fuzz_target;
use outlet_core::placard::{parse_scanned_text, KeySet, PlacardSigner, ScannedText};

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);

    let ScannedText::Placard(payload) = parse_scanned_text(&text) else { return };

    let signer = PlacardSigner::from_secret("K1", [7; 32]);
    let keys = KeySet { keys: BTreeMap::from([("K1".to_string(), signer.public_key_base32())]), retired: BTreeSet::new() };
    let _ = payload.verify(&keys);
    let again = parse_scanned_text(&payload.to_qr_text("http://127.0.0.1:8080"));
    assert_eq!(again, ScannedText::Placard(payload), "re-parsing the written QR text");
});
