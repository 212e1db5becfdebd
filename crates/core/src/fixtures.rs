//! Records for the tests and benchmarks of other crates, behind the `fixtures` feature: an inspection
//! as the two demo officers finalize it, with every checklist item answered and the party's signature.

use ed25519_dalek::SigningKey;
use time::macros::{date, datetime};
use uuid::Uuid;

use crate::checklist::{Answer, ChecklistItem};
use crate::ids::OutletId;
use crate::inspection::{Acknowledgement, FreezeContext, FrozenInspection, InspectionDraft, Location, Officer, RecordUnit, Signature, ACKNOWLEDGEMENT_TEXT};

/// Secret key of the fixture device; its public key is [`device_public_key`].
pub const DEVICE_SECRET: [u8; 32] = [42; 32];

/// The fixture device's id.
pub const DEVICE_ID: Uuid = Uuid::from_u128(0x0d0e_0000_0000_4000_8000_0000_0000_0001);

/// The fixture device's signing key.
pub fn device_key() -> SigningKey {
    SigningKey::from_bytes(&DEVICE_SECRET)
}

/// Standard base64 of the fixture device's public key, as registered at login.
pub fn device_public_key() -> String {
    data_encoding::BASE64.encode(device_key().verifying_key().as_bytes())
}

/// Builds a complete draft of an inspection of `outlet` with `finding`, started 2026-12-04 09:00 China
/// Standard Time. Each call makes a new record id.
pub fn complete_draft(outlet: OutletId, finding: &str) -> InspectionDraft {
    let unit = RecordUnit { name: "示范单位".into(), permit_no: outlet.permit_no.to_string() };
    let mut draft = InspectionDraft::new(outlet, unit, "示范路1号".into(), datetime!(2026-12-04 09:00 +8));
    draft.officers = vec![
        Officer { name: "林执法".into(), badge_no: "35000001".into() },
        Officer { name: "陈执法".into(), badge_no: "35000002".into() },
    ];
    for item in ChecklistItem::ALL {
        draft.set_answer(item, Answer::Complies);
    }
    draft.location = Some(Location::NoFix { reason: "测试".into() });
    draft.acknowledgement = Some(Acknowledgement::Signed {
        statement: ACKNOWLEDGEMENT_TEXT.into(),
        signature: Signature { strokes: vec![vec![[100, 300], [400, 100], [700, 300]]] },
        signed_on: date!(2026 - 12 - 04),
    });
    draft.finding = finding.into();
    draft
}

/// Freezes `draft` on the fixture device as its record number `device_seq`, finalized 10:00 China
/// Standard Time on 2026-12-04.
pub fn freeze(draft: &InspectionDraft, device_seq: u64, previous_sha256: Option<String>) -> FrozenInspection {
    let key = device_key();
    let context = FreezeContext { ended_at: datetime!(2026-12-04 10:00 +8), device_id: DEVICE_ID, device_seq, previous_sha256, key: &key };
    draft.freeze(&context).expect("a complete draft freezes")
}

/// Makes a finalized inspection of `outlet` with `finding`, the fixture device's first record.
pub fn frozen_inspection(outlet: OutletId, finding: &str) -> FrozenInspection {
    freeze(&complete_draft(outlet, finding), 1, None)
}
