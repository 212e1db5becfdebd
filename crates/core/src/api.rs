//! Types exchanged between the app and the server over `/api/v1`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{OutletCard, OutletId};

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

/// Reason an outlet left a jurisdiction's offline package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalReason {
    /// The permit was cancelled (注销).
    PermitCancelled,
    /// The permit was revoked (撤销).
    PermitRevoked,
    /// A new version of the permit no longer lists the outlet.
    OutletRemoved,
}

/// One entry of the change feed: the outlet's card as it now is, or its removal. `C` is the card's
/// type: [`OutletCard`] on the server, the card's raw JSON on a device that stores it as received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change<C = OutletCard> {
    /// Position in the server's feed; strictly increasing.
    pub cursor: u64,
    pub outlet: OutletId,
    /// Set when the outlet left the package; `card` is then `None`.
    pub removed: Option<RemovalReason>,
    pub card: Option<C>,
}

/// A page of `GET /api/v1/regions/{region}/changes?since=CURSOR&limit=N`: the changes of the region
/// after `since`, oldest first. The server's store keeps one feed entry per outlet (its latest
/// change), so an outlet appears at most once in the whole feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangePage<C = OutletCard> {
    pub changes: Vec<Change<C>>,
    /// The cursor to ask from next; covers entries of other regions skipped on the way.
    pub next_cursor: u64,
    /// True when the page reaches the end of the feed.
    pub complete: bool,
    /// Changes of the region after `since`, this page included; only when asked with `count=true`.
    pub pending: Option<u64>,
}
