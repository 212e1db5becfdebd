//! Inspection records (现场检查笔录): the draft an officer edits, the record it freezes into, and the
//! signed bytes that are sent.
//!
//! Freezing serialises the record once into canonical bytes (JSON with a fixed field order, no maps,
//! times as RFC 3339 UTC), hashes them with SHA-256 and signs them with the device's Ed25519 key. Every
//! retry sends those same bytes, so the server can tell a retry (same id, same hash) from a conflicting
//! record (same id, other hash). Each record names the hash and sequence number of the device's
//! previous record, so a deleted or reordered record breaks the chain.

mod draft;
mod error;
mod frozen;
mod premark;
mod record;
mod signature;

pub use draft::{DraftAnswer, DraftMeasurement, FreezeContext, InspectionDraft};
pub use premark::{premarks, Premark, PremarkReason};
pub use error::{FreezeError, MeasurementProblem};
pub use frozen::{sha256_hex, verify_signature, FrozenInspection, SignatureError};
pub use record::{
    Acknowledgement, Amendment, ChecklistAnswer, FixSource, GeoPoint, InspectionRecord, Location, MeasureMethod, Measurement, Officer,
    PhotoRef, RecordUnit, SuspectedViolation, TaskType, Witness, ACKNOWLEDGEMENT_TEXT,
};
pub use signature::{Signature, MAX_SIGNATURE_POINTS, SIGNATURE_HEIGHT, SIGNATURE_WIDTH};

/// Maximum length of the finding text, in characters.
pub const MAX_FINDING_CHARS: usize = 4000;

/// Maximum length of a short text field (a name, a place, a reason, a note), in characters.
pub const MAX_TEXT_CHARS: usize = 500;

/// Minimum number of officers the law requires at an inspection (《环境行政处罚办法》 art. 32).
pub const MIN_OFFICERS: usize = 2;

/// Most officers, outlets, measurements or suspected violations one record may list.
pub const MAX_LIST: usize = 50;

/// Largest photo a record may list and the server accepts, in bytes. A 2000-pixel JPEG is about
/// 0.5 to 1 MB.
pub const MAX_PHOTO_BYTES: usize = 8 * 1024 * 1024;

/// Most photos one record may list.
pub const MAX_PHOTOS: usize = 50;

/// Returns true when `text` is a SHA-256 in lower-case hex: exactly 64 characters `0-9a-f`.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
