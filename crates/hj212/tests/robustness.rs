//! The fuzz target's check in the normal test run: the seeds of `fuzz/seeds/hj212_parse` and a few
//! thousand random mutations of them, plus random bytes, go through the parser as they are and
//! framed with a valid length and CRC. Nothing may panic, and whatever parses must encode to bytes
//! that parse as the same packet. `scripts/fuzz.sh` runs the real fuzzer for longer.

use std::path::PathBuf;

use outlet_hj212::{crc16, Packet, MAX_DATA_LEN};

/// Mutations per seed.
const MUTATIONS: usize = 2000;

/// Bytes that matter to the grammar, so mutations hit field and value boundaries.
const SPECIAL: &[u8] = b";,=&-.#\r\n0123456789ANZsRtdAvgFlag";

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/seeds/hj212_parse");
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap())
        })
        .collect();
    seeds.sort();
    seeds
}

/// Frames `data` as a packet with the right length and CRC.
fn framed(data: &[u8]) -> Vec<u8> {
    let mut bytes = format!("##{:04}", data.len()).into_bytes();
    bytes.extend_from_slice(data);
    bytes.extend_from_slice(format!("{:04X}\r\n", crc16(data)).as_bytes());
    bytes
}

/// The fuzz target's property; returns true when the input parsed.
fn check(bytes: &[u8]) -> bool {
    let Ok(packet) = Packet::parse(bytes) else { return false };

    let encoded = packet.encode().unwrap_or_else(|e| panic!("{:?} parsed but does not encode: {e}", String::from_utf8_lossy(bytes)));
    assert_eq!(Packet::parse(&encoded).as_ref(), Ok(&packet), "{:?}", String::from_utf8_lossy(bytes));
    true
}

/// Checks `bytes` as they are and, when they fit, framed as a data segment.
fn check_both_ways(bytes: &[u8]) -> bool {
    let raw = check(bytes);
    let as_data = bytes.len() <= MAX_DATA_LEN && check(&framed(bytes));
    raw || as_data
}

struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn byte(&mut self) -> u8 {
        if self.next() & 1 == 0 {
            SPECIAL[self.below(SPECIAL.len())]
        } else {
            self.next() as u8
        }
    }

    /// Changes `bytes` in one to four places: replace, insert, delete, duplicate or truncate.
    fn mutate(&mut self, bytes: &mut Vec<u8>) {
        for _ in 0..1 + self.below(4) {
            let at = self.below(bytes.len() + 1);
            match self.below(5) {
                0 if at < bytes.len() => bytes[at] = self.byte(),
                1 => bytes.insert(at, self.byte()),
                2 if at < bytes.len() => {
                    bytes.remove(at);
                }
                3 => {
                    let end = (at + self.below(16)).min(bytes.len());
                    let copy = bytes[at..end].to_vec();
                    bytes.splice(at..at, copy);
                }
                _ => bytes.truncate(at),
            }
        }
    }
}

#[test]
fn seeds_are_valid_packets_or_data_segments() {
    let seeds = seeds();

    assert!(seeds.len() >= 4, "seeds: {:?}", seeds.iter().map(|(name, _)| name).collect::<Vec<_>>());
    for (name, bytes) in &seeds {
        assert!(check_both_ways(bytes), "seed {name} does not parse");
    }
}

#[test]
fn mutated_seeds_never_panic_and_round_trip() {
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut parsed = 0;

    for (_, seed) in seeds() {
        for _ in 0..MUTATIONS {
            let mut bytes = seed.clone();
            random.mutate(&mut bytes);
            parsed += usize::from(check_both_ways(&bytes));
        }
    }

    assert!(parsed > 100, "only {parsed} mutated inputs parsed: the mutations no longer reach the field parser");
}

#[test]
fn random_bytes_never_panic() {
    let mut random = Random(0x2545_F491_4F6C_DD1D);

    for _ in 0..2000 {
        let length = random.below(1100);
        let bytes: Vec<u8> = (0..length).map(|_| random.byte()).collect();
        check_both_ways(&bytes);
        let mut packet = b"##".to_vec();
        packet.extend_from_slice(&bytes);
        check(&packet);
    }
}
