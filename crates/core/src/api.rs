//! Types exchanged between the app and the server over `/api/v1`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// Value of the `server` field in every receipt. A 200 whose body lacks it came from something else
/// (a captive portal, a proxy) and is not an acknowledgement.
pub const SERVER_NAME: &str = "outlet-inspector";

/// The server's acknowledgement that it durably stored an inspection record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub server: String,
    pub inspection_id: Uuid,
    /// SHA-256 of the stored bytes, lower-case hex; equals the device's hash on a true acknowledgement.
    pub sha256: String,
    /// Receipt number for the paper trail, e.g. `R20261204-000001`.
    pub receipt_no: String,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
}

impl Receipt {
    /// True when this receipt acknowledges exactly the record with this id and hash.
    pub fn acknowledges(&self, inspection_id: Uuid, sha256: &str) -> bool {
        self.server == SERVER_NAME && self.inspection_id == inspection_id && self.sha256 == sha256
    }
}

/// The body of every error response: a machine code and a message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}
