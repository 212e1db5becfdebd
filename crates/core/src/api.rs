//! Types exchanged between the app and the server over `/api/v1`.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{OutletCard, OutletId, Region};

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
    /// The device's clock minus the server's when the record arrived, in seconds: positive when the
    /// device is ahead. Set only when its magnitude exceeds [`CLOCK_SKEW_TOLERANCE_SECS`], so the
    /// times the device wrote into the record deserve a second look.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_skew_secs: Option<i64>,
}

/// Largest difference between the device's clock (header `Outlet-Sent-At`) and the server's that
/// the server accepts without flagging the record, in seconds. Two minutes cover the drift of a
/// phone that syncs its clock with the network, plus the time a slow upload takes.
pub const CLOCK_SKEW_TOLERANCE_SECS: i64 = 120;

/// Request headers of `PUT /api/v1/inspections/{id}`, beside the bearer token.
pub mod inspection_header {
    /// The id of the device that signed the record; must equal the record's `device_id`.
    pub const DEVICE_ID: &str = "outlet-device-id";
    /// Standard base64 of the device's Ed25519 signature over the body.
    pub const SIGNATURE: &str = "outlet-signature";
    /// The device's clock when it sent the request, in RFC 3339.
    pub const SENT_AT: &str = "outlet-sent-at";
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

/// Error codes of [`ApiError`] that clients act on.
pub mod error_code {
    /// 401: the request carries no `Authorization: Bearer` token.
    pub const TOKEN_MISSING: &str = "token_missing";
    /// 401: the token is malformed or unknown to the server (forged, or from another server).
    pub const TOKEN_INVALID: &str = "token_invalid";
    /// 401: the token's lifetime is over.
    pub const TOKEN_EXPIRED: &str = "token_expired";
    /// 401: the token was revoked by a logout, a password reset or a disabled account.
    pub const TOKEN_REVOKED: &str = "token_revoked";
    /// 401: the account is disabled.
    pub const ACCOUNT_DISABLED: &str = "account_disabled";
    /// 401 at login: unknown badge number or wrong password (the server does not say which).
    pub const INVALID_CREDENTIALS: &str = "invalid_credentials";
    /// 403: the outlet or region lies outside the account's jurisdiction.
    pub const OUTSIDE_JURISDICTION: &str = "outside_jurisdiction";
    /// 403: the request needs another role.
    pub const ROLE_REQUIRED: &str = "role_required";
    /// 401 on an inspection: no device key is registered for the record's device under the caller's
    /// account. Logging in again on that device registers its key.
    pub const DEVICE_NOT_REGISTERED: &str = "device_not_registered";
    /// 400 on an inspection: the `Outlet-Signature` header does not verify against the body and the
    /// device's registered key. The record was altered or signed by another key; resending will not help.
    pub const SIGNATURE_INVALID: &str = "signature_invalid";
}

/// The role of an account. Officers read full cards and submit inspections inside their jurisdiction.
/// Administrators read cards and list the accounts of their jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Officer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Officer => "officer",
            Role::Admin => "admin",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    /// Parses `officer` or `admin`; the error names the value and the choices.
    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim() {
            "officer" => Ok(Role::Officer),
            "admin" => Ok(Role::Admin),
            other => Err(format!("{other:?} is not a role; write officer or admin")),
        }
    }
}

/// The account a token belongs to, as the server shows it to the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub name: String,
    pub badge_no: String,
    /// The jurisdiction: a city's code also covers its districts.
    pub region: Region,
    pub role: Role,
}

/// The device that logs in, with the public half of the Ed25519 key it signs inspection records with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRegistration {
    /// Generated once on the device, together with its key.
    pub device_id: Uuid,
    /// Standard base64 of the 32-byte Ed25519 public key.
    pub public_key: String,
    /// A name for people, such as the platform and model; at most 100 characters.
    pub label: String,
}

/// Body of `POST /api/v1/session`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub badge_no: String,
    pub password: String,
    pub device: DeviceRegistration,
}

/// Leaves the password out of `{:?}` output.
impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest").field("badge_no", &self.badge_no).field("device", &self.device).finish_non_exhaustive()
    }
}

/// Response to a login: the bearer token (the server keeps only its hash) and when it expires.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Sent as `Authorization: Bearer TOKEN` on every later request.
    pub token: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub account: AccountInfo,
}

/// Leaves the token out of `{:?}` output.
impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("expires_at", &self.expires_at).field("account", &self.account).finish_non_exhaustive()
    }
}

/// Response to `GET /api/v1/session`: whose token the request carried, for which device, and until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionStatus {
    pub account: AccountInfo,
    pub device_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// Response to `GET /api/v1/inspections/{id}/photos/missing`: the photos the stored record lists
/// that the server does not store yet, as lower-case hex SHA-256, in the record's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingPhotos {
    pub missing: Vec<String>,
}

/// The server's acknowledgement that it durably stored a photo with this SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoReceipt {
    /// Always [`SERVER_NAME`].
    pub server: String,
    pub inspection_id: Uuid,
    /// Lower-case hex SHA-256 of the stored bytes.
    pub sha256: String,
    /// Size of the stored photo in bytes.
    pub bytes: u64,
}

impl PhotoReceipt {
    /// True when this receipt acknowledges exactly the photo with this hash for this record.
    pub fn acknowledges(&self, inspection_id: Uuid, sha256: &str) -> bool {
        self.server == SERVER_NAME && self.inspection_id == inspection_id && self.sha256 == sha256
    }
}

/// Response to `GET /api/v1/devices/{device_id}/chain`: the records the server stores from one
/// device, ordered by `device_seq`, and the places where their hash chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceChain {
    pub device_id: Uuid,
    pub links: Vec<ChainLink>,
    /// Empty when sequence numbers run from 1 without gaps or repeats and each record names the
    /// hash of the one before it.
    pub breaks: Vec<ChainBreak>,
}

/// One stored record of a device's chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainLink {
    pub device_seq: u64,
    pub inspection_id: Uuid,
    /// SHA-256 of the stored record, lower-case hex.
    pub sha256: String,
    /// The hash the record names for the device's record `device_seq - 1`.
    pub previous_sha256: Option<String>,
    pub receipt_no: String,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
}

/// A place where a device's chain of records breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ChainBreak {
    /// No stored record has a sequence number from `first_seq` to `last_seq` (inclusive): the
    /// records were not sent yet, or were deleted on the device.
    Missing { first_seq: u64, last_seq: u64 },
    /// Several stored records carry this sequence number.
    SeqReused { device_seq: u64, inspection_ids: Vec<Uuid> },
    /// The record's `previous_sha256` is not the hash of a stored record `device_seq - 1`.
    /// `expected_sha256` lists those hashes; it is empty for record 1, which must name none.
    PreviousMismatch { device_seq: u64, inspection_id: Uuid, previous_sha256: Option<String>, expected_sha256: Vec<String> },
}
