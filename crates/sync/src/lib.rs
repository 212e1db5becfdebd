//! The app's client for the server's `/api/v1`: login and logout, outlet cards, a jurisdiction's
//! change feed, the placard key set, inspection submission and the upload of inspection photos.
//!
//! A submission counts as acknowledged only when the response is a receipt from our server for
//! exactly the id and hash sent (see [`outlet_core::api::Receipt::acknowledges`]). Timeouts, 5xx,
//! resets and a 200 from anything else leave the record queued.

mod retry;

pub use retry::RetryPolicy;

use outlet_core::api::{inspection_header, ApiError, ChangePage, LoginRequest, MissingPhotos, PhotoReceipt, Receipt, Session, SessionStatus};
use outlet_core::inspection::FrozenInspection;
use outlet_core::placard::KeySet;
use outlet_core::{OutletCard, OutletId, Region};
use reqwest::{header, StatusCode};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use std::time::Duration;

/// Maximum wait for a card or the key set. The officer already sees the cached card, so a slow
/// server should not hold up the next action for long.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Maximum wait for one page of the change feed (up to a few MB).
const PAGE_TIMEOUT: Duration = Duration::from_secs(60);

/// Maximum wait for a submission's receipt. A timeout leaves the record queued, and the server's
/// dedup makes the retry safe.
const SUBMIT_TIMEOUT: Duration = Duration::from_secs(30);

/// Maximum wait for one photo upload and its receipt: a photo of up to 8 MiB over a slow mobile link.
const PHOTO_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No response: offline, refused, reset or timed out.
    #[error("the server at {url} could not be reached: {reason}")]
    Unreachable { url: String, reason: String },

    /// A response that is not from our server or does not parse.
    #[error("unexpected answer from {url} (HTTP {status}): {reason}")]
    Protocol { url: String, status: u16, reason: String },

    /// 401: no valid login (missing, expired or revoked token, disabled account, or wrong password at
    /// login). The device must log in again.
    #[error("{url} requires a valid login ({}): {}", error.code, error.message_en)]
    Unauthorized { url: String, error: ApiError },

    /// 403: the login is valid, but the outlet or region is outside its jurisdiction, or the request
    /// needs another role.
    #[error("{url} is not allowed for this account ({}): {}", error.code, error.message_en)]
    Forbidden { url: String, error: ApiError },

    /// Another 4xx with the server's reason, such as an invalid login request.
    #[error("{url} rejected the request (HTTP {status}, {}): {}", error.code, error.message_en)]
    Rejected { url: String, status: u16, error: ApiError },
}

/// A page of the change feed with each card as the server's JSON text.
pub type RawChangePage = ChangePage<Box<serde_json::value::RawValue>>;

/// Result of asking for a card.
#[derive(Debug, Clone, PartialEq)]
pub enum CardFetch {
    Fresh(Box<OutletCard>),
    /// The cached version is current.
    NotModified,
    NotFound,
}

/// Result of sending one finalized inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// The server stored exactly these bytes.
    Acknowledged(Receipt),
    /// The server refused the record (4xx other than 408/429); retrying would not help.
    Rejected { status: u16, error: ApiError },
    /// Try again later; the record stays queued. `retry_after` is the server's Retry-After, if it
    /// sent one in seconds.
    RetryLater { reason: String, retry_after: Option<Duration> },
    /// 401: the login is no longer valid, or (code `device_not_registered`) the record's device has
    /// no key registered under it. The record stays queued and is sent after the next login on this
    /// device.
    Unauthorized(ApiError),
}

/// Result of uploading one photo of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoUploadOutcome {
    /// The server stores exactly these bytes (stored now, or before).
    Acknowledged(PhotoReceipt),
    /// The server refused the photo (4xx other than 408/429): wrong hash, not listed by the record,
    /// not an image, too large, unknown record. Retrying the same bytes would not help.
    Rejected { status: u16, error: ApiError },
    /// Try again later; the photo stays queued. `retry_after` is the server's Retry-After, if it sent
    /// one in seconds.
    RetryLater { reason: String, retry_after: Option<Duration> },
    /// 401: the login is no longer valid. The photo stays queued and is sent after the next login.
    Unauthorized(ApiError),
}

/// The client. With a token set ([`SyncClient::set_token`]) every request carries it as
/// `Authorization: Bearer`.
#[derive(Clone)]
pub struct SyncClient {
    base_url: String,
    http: reqwest::Client,
    token: Option<String>,
}

/// Leaves the token out.
impl std::fmt::Debug for SyncClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncClient").field("base_url", &self.base_url).field("has_token", &self.token.is_some()).finish()
    }
}

impl SyncClient {
    /// Creates a client for the server at `base_url`, e.g. `http://127.0.0.1:8080`, without a token.
    pub fn new(base_url: &str) -> Self {
        let http = reqwest::Client::builder().build().expect("the HTTP client configuration is valid");
        Self { base_url: base_url.trim_end_matches('/').to_string(), http, token: None }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sets (or, with `None`, clears) the login token sent with every later request.
    pub fn set_token(&mut self, token: Option<String>) {
        self.token = token;
    }

    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    /// Sets how long any later request waits for the server: it fails as timed out when no response
    /// has started `timeout` after the request began, or when its body stalls that long. The
    /// per-request limits above still apply. Tests use it to meet a server that never responds
    /// without waiting [`SUBMIT_TIMEOUT`]. Rebuilding the HTTP client closes its pooled connections.
    /// Native builds only, because reqwest's browser client has no read timeout.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn set_read_timeout(&mut self, timeout: Duration) {
        self.http = reqwest::Client::builder().read_timeout(timeout).build().expect("the HTTP client configuration is valid");
    }

    fn unreachable(url: &str, error: reqwest::Error) -> SyncError {
        SyncError::Unreachable { url: url.to_string(), reason: error.to_string() }
    }

    /// Adds the token, if there is one.
    fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// Fetches a card; with `known_version`, only when the server has a different version.
    pub async fn fetch_card(&self, outlet: &OutletId, known_version: Option<u64>) -> Result<CardFetch, SyncError> {
        let url = format!("{}/api/v1/outlets/{outlet}/card", self.base_url);
        let mut request = self.authorized(self.http.get(&url)).timeout(READ_TIMEOUT);
        if let Some(version) = known_version {
            request = request.header(header::IF_NONE_MATCH, format!("\"v{version}\""));
        }

        let response = request.send().await.map_err(|e| Self::unreachable(&url, e))?;
        let status = response.status();
        match status {
            StatusCode::NOT_MODIFIED => Ok(CardFetch::NotModified),
            StatusCode::NOT_FOUND => Ok(CardFetch::NotFound),
            StatusCode::OK => {
                let card = response.json().await.map_err(|e| SyncError::Protocol { url, status: 200, reason: e.to_string() })?;
                Ok(CardFetch::Fresh(card))
            }
            _ => Err(refusal(url, response, "expected 200, 304 or 404").await),
        }
    }

    /// Fetches up to `limit` changes of `region` after cursor `since`. With `count`, the server also
    /// counts the pending changes for a progress bar. That costs the server a scan, so ask once per
    /// run. The cards stay raw JSON, so the device can store them without serialising them again.
    pub async fn fetch_changes(&self, region: &Region, since: u64, limit: usize, count: bool) -> Result<RawChangePage, SyncError> {
        let url = format!("{}/api/v1/regions/{region}/changes?since={since}&limit={limit}&count={count}", self.base_url);
        let response = self.authorized(self.http.get(&url)).timeout(PAGE_TIMEOUT).send().await.map_err(|e| Self::unreachable(&url, e))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(refusal(url, response, "expected 200").await);
        }

        // A body cut off mid-way is a lost connection, not a broken server: the caller retries.
        let body = response.bytes().await.map_err(|e| Self::unreachable(&url, e))?;
        serde_json::from_slice(&body).map_err(|e| SyncError::Protocol { url, status, reason: e.to_string() })
    }

    pub async fn fetch_keys(&self) -> Result<KeySet, SyncError> {
        let url = format!("{}/api/v1/keys", self.base_url);
        let response = self.authorized(self.http.get(&url)).timeout(READ_TIMEOUT).send().await.map_err(|e| Self::unreachable(&url, e))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(SyncError::Protocol { url, status, reason: "expected 200".into() });
        }
        response.json().await.map_err(|e| SyncError::Protocol { url, status, reason: e.to_string() })
    }

    /// Sends one frozen inspection, byte for byte as frozen, with the device's id, its signature
    /// and the device's clock at sending (headers `Outlet-Device-Id`, `Outlet-Signature`,
    /// `Outlet-Sent-At`). The server compares that clock with its own to flag clock skew.
    pub async fn submit(&self, frozen: &FrozenInspection) -> SubmitOutcome {
        let url = format!("{}/api/v1/inspections/{}", self.base_url, frozen.id);
        let sent_at = match OffsetDateTime::now_utc().format(&Rfc3339) {
            Ok(sent_at) => sent_at,
            Err(error) => return SubmitOutcome::RetryLater { reason: format!("the device's clock could not be written as RFC 3339: {error}"), retry_after: None },
        };
        let sent = self
            .authorized(self.http.put(&url))
            .timeout(SUBMIT_TIMEOUT)
            .header(header::CONTENT_TYPE, "application/json")
            .header(inspection_header::DEVICE_ID, frozen.device_id.to_string())
            .header(inspection_header::SIGNATURE, frozen.signature.as_str())
            .header(inspection_header::SENT_AT, sent_at)
            .body(frozen.bytes.clone())
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => return SubmitOutcome::RetryLater { reason: error.to_string(), retry_after: None },
        };

        let status = response.status();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(error) => return SubmitOutcome::RetryLater { reason: format!("the response was cut off: {error}"), retry_after },
        };

        if status.is_success() {
            return match serde_json::from_slice::<Receipt>(&body) {
                Ok(receipt) if receipt.acknowledges(frozen.id, &frozen.sha256) => SubmitOutcome::Acknowledged(receipt),
                Ok(receipt) => SubmitOutcome::RetryLater {
                    reason: format!("the receipt names {} with hash {}, not this record", receipt.inspection_id, receipt.sha256),
                    retry_after,
                },
                Err(_) => SubmitOutcome::RetryLater { reason: format!("HTTP {status} without a receipt: not our server"), retry_after },
            };
        }

        let retryable = status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::TOO_MANY_REQUESTS;
        if status == StatusCode::UNAUTHORIZED {
            return SubmitOutcome::Unauthorized(api_error(status, &body));
        }
        match serde_json::from_slice::<ApiError>(&body) {
            Ok(error) if !retryable && status.is_client_error() => SubmitOutcome::Rejected { status: status.as_u16(), error },
            _ => SubmitOutcome::RetryLater { reason: format!("HTTP {status}"), retry_after },
        }
    }
}

impl SyncClient {
    /// Requests the photos that the stored record `inspection_id` lists and the server does not store
    /// yet, as lower-case hex SHA-256. An unknown record is [`SyncError::Rejected`] with status 404.
    pub async fn missing_photos(&self, inspection_id: uuid::Uuid) -> Result<Vec<String>, SyncError> {
        let url = format!("{}/api/v1/inspections/{inspection_id}/photos/missing", self.base_url);
        let response = self.authorized(self.http.get(&url)).timeout(READ_TIMEOUT).send().await.map_err(|e| Self::unreachable(&url, e))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(refusal(url, response, "expected 200").await);
        }
        let missing: MissingPhotos = response.json().await.map_err(|e| SyncError::Protocol { url, status, reason: e.to_string() })?;
        Ok(missing.missing)
    }

    /// Uploads one photo of the record `inspection_id` under its SHA-256 (`sha256`, lower-case hex).
    /// Sending a photo the server stores already is harmless, so an interrupted upload is simply
    /// sent again.
    pub async fn upload_photo(&self, inspection_id: uuid::Uuid, sha256: &str, bytes: Vec<u8>) -> PhotoUploadOutcome {
        let url = format!("{}/api/v1/inspections/{inspection_id}/photos/{sha256}", self.base_url);
        let content_type = if bytes.starts_with(b"\x89PNG") { "image/png" } else { "image/jpeg" };
        let sent = self.authorized(self.http.put(&url)).timeout(PHOTO_TIMEOUT).header(header::CONTENT_TYPE, content_type).body(bytes).send().await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => return PhotoUploadOutcome::RetryLater { reason: error.to_string(), retry_after: None },
        };

        let status = response.status();
        let retry_after = retry_after(&response);
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(error) => return PhotoUploadOutcome::RetryLater { reason: format!("the response was cut off: {error}"), retry_after },
        };

        if status.is_success() {
            return match serde_json::from_slice::<PhotoReceipt>(&body) {
                Ok(receipt) if receipt.acknowledges(inspection_id, sha256) => PhotoUploadOutcome::Acknowledged(receipt),
                Ok(receipt) => PhotoUploadOutcome::RetryLater {
                    reason: format!("the receipt names photo {} of {}, not this photo", receipt.sha256, receipt.inspection_id),
                    retry_after,
                },
                Err(_) => PhotoUploadOutcome::RetryLater { reason: format!("HTTP {status} without a photo receipt: not our server"), retry_after },
            };
        }

        if status == StatusCode::UNAUTHORIZED {
            return PhotoUploadOutcome::Unauthorized(api_error(status, &body));
        }
        let retryable = status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::TOO_MANY_REQUESTS;
        match serde_json::from_slice::<ApiError>(&body) {
            Ok(error) if !retryable && status.is_client_error() => PhotoUploadOutcome::Rejected { status: status.as_u16(), error },
            _ => PhotoUploadOutcome::RetryLater { reason: format!("HTTP {status}"), retry_after },
        }
    }

    /// Logs in and returns the session. The token is not kept: call [`SyncClient::set_token`] once the
    /// device has stored the session. Wrong credentials and a disabled account are
    /// [`SyncError::Unauthorized`]; a malformed request or a device key conflict is [`SyncError::Rejected`].
    pub async fn log_in(&self, request: &LoginRequest) -> Result<Session, SyncError> {
        let url = format!("{}/api/v1/session", self.base_url);
        let response = self.http.post(&url).timeout(READ_TIMEOUT).json(request).send().await.map_err(|e| Self::unreachable(&url, e))?;
        let status = response.status().as_u16();
        if status != 201 {
            return Err(refusal(url, response, "expected 201").await);
        }
        response.json().await.map_err(|e| SyncError::Protocol { url, status, reason: e.to_string() })
    }

    /// Revokes the current token on the server. The token stays set; the caller clears it.
    pub async fn log_out(&self) -> Result<(), SyncError> {
        let url = format!("{}/api/v1/session", self.base_url);
        let response = self.authorized(self.http.delete(&url)).timeout(READ_TIMEOUT).send().await.map_err(|e| Self::unreachable(&url, e))?;
        if response.status() != StatusCode::NO_CONTENT {
            return Err(refusal(url, response, "expected 204").await);
        }
        Ok(())
    }

    /// Requests from the server the account of the client's token and the token's expiry.
    pub async fn session_status(&self) -> Result<SessionStatus, SyncError> {
        let url = format!("{}/api/v1/session", self.base_url);
        let response = self.authorized(self.http.get(&url)).timeout(READ_TIMEOUT).send().await.map_err(|e| Self::unreachable(&url, e))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(refusal(url, response, "expected 200").await);
        }
        response.json().await.map_err(|e| SyncError::Protocol { url, status, reason: e.to_string() })
    }
}

/// Reads a Retry-After given in seconds; the HTTP-date form is ignored.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    response.headers().get(header::RETRY_AFTER).and_then(|value| value.to_str().ok()).and_then(|value| value.trim().parse::<u64>().ok()).map(Duration::from_secs)
}

/// Turns a response with an unexpected status into an error: 401, 403 and other 4xx carrying the
/// server's [`ApiError`], anything else a protocol error with `expected` as the reason.
async fn refusal(url: String, response: reqwest::Response, expected: &str) -> SyncError {
    let status = response.status();
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(error) => return SyncError::Unreachable { url, reason: format!("the response was cut off: {error}") },
    };
    match status {
        StatusCode::UNAUTHORIZED => SyncError::Unauthorized { url, error: api_error(status, &body) },
        StatusCode::FORBIDDEN => SyncError::Forbidden { url, error: api_error(status, &body) },
        _ if status.is_client_error() && status != StatusCode::REQUEST_TIMEOUT && status != StatusCode::TOO_MANY_REQUESTS => match serde_json::from_slice::<ApiError>(&body) {
            Ok(error) => SyncError::Rejected { url, status: status.as_u16(), error },
            Err(_) => SyncError::Protocol { url, status: status.as_u16(), reason: expected.to_string() },
        },
        _ => SyncError::Protocol { url, status: status.as_u16(), reason: expected.to_string() },
    }
}

/// Reads the server's error body, or describes the status when the body is not one (a proxy's page).
fn api_error(status: StatusCode, body: &[u8]) -> ApiError {
    serde_json::from_slice(body).unwrap_or_else(|_| {
        let text = format!("HTTP {status}");
        ApiError { code: format!("http_{}", status.as_u16()), message_zh: text.clone(), message_en: text }
    })
}
