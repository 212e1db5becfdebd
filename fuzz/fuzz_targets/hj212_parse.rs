//! Feeds arbitrary bytes to the HJ 212 parser twice. The bytes go in as they are, which tests the
//! framing, length and CRC checks. They also go in framed as a data segment with the right length
//! and CRC, so that mutations reach the field parser instead of stopping at the CRC. Besides "no
//! panic", the target checks that an accepted packet encodes to bytes that parse as the same packet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use outlet_hj212::{crc16, Packet, MAX_DATA_LEN};

fuzz_target!(|bytes: &[u8]| {
    check(bytes);

    if bytes.len() <= MAX_DATA_LEN {
        let mut framed = format!("##{:04}", bytes.len()).into_bytes();
        framed.extend_from_slice(bytes);
        framed.extend_from_slice(format!("{:04X}\r\n", crc16(bytes)).as_bytes());
        check(&framed);
    }
});

fn check(bytes: &[u8]) {
    let Ok(packet) = Packet::parse(bytes) else { return };

    let encoded = packet.encode().expect("a parsed packet encodes");
    assert_eq!(Packet::parse(&encoded).as_ref(), Ok(&packet), "re-parsing the encoded packet");
}
