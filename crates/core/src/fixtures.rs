//! Records for the tests and benchmarks of other crates, behind the `fixtures` feature: an inspection
//! as the two demo officers finalize it, with every checklist item answered.

use time::macros::datetime;

use crate::checklist::{Answer, ChecklistItem};
use crate::ids::OutletId;
use crate::inspection::{FrozenInspection, InspectionDraft, Officer};

/// Makes a finalized inspection of `outlet` with `finding`, started 2026-12-04 09:00 and finalized 10:00
/// China Standard Time. Each call makes a new record id.
pub fn frozen_inspection(outlet: OutletId, finding: &str) -> FrozenInspection {
    let mut draft = InspectionDraft::new(outlet, datetime!(2026-12-04 09:00 +8));
    draft.officers = vec![
        Officer { name: "林执法".into(), badge_no: "35000001".into() },
        Officer { name: "陈执法".into(), badge_no: "35000002".into() },
    ];
    for item in ChecklistItem::ALL {
        draft.set_answer(item, Answer::Complies);
    }
    draft.finding = finding.into();

    draft.freeze(datetime!(2026-12-04 10:00 +8)).expect("a complete draft freezes")
}
