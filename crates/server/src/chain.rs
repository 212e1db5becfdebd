//! The audit of one device's chain of records. Each record names the hash of the device's record
//! with the sequence number before its own. A gap, a repeated number or a hash that does not match
//! shows records that are unsent, or were deleted, replaced or forged on the device.

use outlet_core::api::{ChainBreak, ChainLink};

/// Finds the breaks in `links`, which must be ordered by `device_seq` (as
/// [`crate::store::ServerStore::device_chain`] returns them). Numbers after the last stored record
/// are not reported missing, since the device may not have sent them yet. A record whose
/// predecessor is missing is not checked against it; the gap is reported instead.
pub fn chain_breaks(links: &[ChainLink]) -> Vec<ChainBreak> {
    let mut breaks = Vec::new();
    let mut next_seq = 1u64;
    let mut previous_group: &[ChainLink] = &[];

    for group in links.chunk_by(|a, b| a.device_seq == b.device_seq) {
        let device_seq = group[0].device_seq;

        if device_seq > next_seq {
            breaks.push(ChainBreak::Missing { first_seq: next_seq, last_seq: device_seq - 1 });
        }
        if group.len() > 1 {
            breaks.push(ChainBreak::SeqReused { device_seq, inspection_ids: group.iter().map(|link| link.inspection_id).collect() });
        }

        // Record 1 must name no predecessor; a later one must name the hash of a record before it.
        let expected: Option<Vec<String>> = if device_seq <= 1 {
            Some(Vec::new())
        } else if previous_group.first().is_some_and(|link| link.device_seq == device_seq - 1) {
            Some(previous_group.iter().map(|link| link.sha256.clone()).collect())
        } else {
            None
        };
        if let Some(expected_sha256) = expected {
            for link in group {
                let matches = match &link.previous_sha256 {
                    None => expected_sha256.is_empty(),
                    Some(previous) => expected_sha256.contains(previous),
                };
                if !matches {
                    breaks.push(ChainBreak::PreviousMismatch {
                        device_seq,
                        inspection_id: link.inspection_id,
                        previous_sha256: link.previous_sha256.clone(),
                        expected_sha256: expected_sha256.clone(),
                    });
                }
            }
        }

        next_seq = device_seq.saturating_add(1);
        previous_group = group;
    }
    breaks
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;
    use uuid::Uuid;

    use super::*;

    fn hash(n: u8) -> String {
        format!("{n:02x}").repeat(32)
    }

    /// Record `seq` with hash `hash(seq)` naming `previous` as its predecessor's hash.
    fn link(seq: u64, previous: Option<u8>) -> ChainLink {
        ChainLink {
            device_seq: seq,
            inspection_id: Uuid::from_u128(seq as u128),
            sha256: hash(seq as u8),
            previous_sha256: previous.map(hash),
            receipt_no: format!("R20261204-{seq:06}"),
            received_at: datetime!(2026-12-04 02:00 UTC),
        }
    }

    #[test]
    fn unbroken_chain_has_no_breaks() {
        let links = [link(1, None), link(2, Some(1)), link(3, Some(2))];
        assert_eq!(chain_breaks(&links), []);
        assert_eq!(chain_breaks(&[]), []);
    }

    #[test]
    fn gap_reported_once_as_range() {
        let links = [link(1, None), link(4, Some(3)), link(5, Some(4))];
        assert_eq!(chain_breaks(&links), [ChainBreak::Missing { first_seq: 2, last_seq: 3 }]);
    }

    #[test]
    fn chain_starting_late_misses_first() {
        let links = [link(3, Some(2))];
        assert_eq!(chain_breaks(&links), [ChainBreak::Missing { first_seq: 1, last_seq: 2 }]);
    }

    #[test]
    fn wrong_previous_hash_reported() {
        let links = [link(1, None), link(2, Some(9))];
        let expected = ChainBreak::PreviousMismatch { device_seq: 2, inspection_id: Uuid::from_u128(2), previous_sha256: Some(hash(9)), expected_sha256: vec![hash(1)] };
        assert_eq!(chain_breaks(&links), [expected]);
    }

    #[test]
    fn first_record_naming_predecessor_reported() {
        let links = [link(1, Some(7))];
        let expected = ChainBreak::PreviousMismatch { device_seq: 1, inspection_id: Uuid::from_u128(1), previous_sha256: Some(hash(7)), expected_sha256: vec![] };
        assert_eq!(chain_breaks(&links), [expected]);
    }

    #[test]
    fn later_record_naming_none_reported() {
        let links = [link(1, None), link(2, None)];
        assert!(matches!(chain_breaks(&links)[..], [ChainBreak::PreviousMismatch { device_seq: 2, previous_sha256: None, .. }]));
    }

    #[test]
    fn reused_seq_reported_and_either_hash_accepted() {
        let mut twin = link(2, Some(1));
        twin.inspection_id = Uuid::from_u128(22);
        twin.sha256 = hash(22);
        let mut third = link(3, None);
        third.previous_sha256 = Some(hash(22));
        let links = [link(1, None), link(2, Some(1)), twin, third];

        let breaks = chain_breaks(&links);

        assert_eq!(breaks, [ChainBreak::SeqReused { device_seq: 2, inspection_ids: vec![Uuid::from_u128(2), Uuid::from_u128(22)] }]);
    }
}
