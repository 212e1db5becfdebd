//! The officer's login: the session kept on the device, the device's signing key registered at login,
//! and what happens when the server stops accepting the token.
//!
//! The session (token, expiry, account) lives in the settings collection, so a restart without a
//! network keeps working until the token expires. A 401 from the server, or the expiry passing, ends
//! the session and shows the login screen again; drafts and the outbox stay untouched.

use data_encoding::BASE64;
use ed25519_dalek::SigningKey;
use outlet_core::api::{error_code, DeviceRegistration, LoginRequest, Session};
use outlet_core::i18n::{format_time, Msg};
use outlet_store::{Kv, StoreError};
use outlet_sync::SyncError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::core::Core;
use crate::model::{Event, NoticeLevel, Screen, SessionView};

/// Key of the session in the settings collection; `null` after a logout.
const SESSION_KEY: &str = "session";

/// Key of the device's identity and signing key in the settings collection.
const DEVICE_KEY: &str = "device_key";

/// A password as typed. Its `Debug` output hides it, so `{:?}` of an event does not show it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Password(pub String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

/// The device's identity: a random id and an Ed25519 key, made once and kept on the device. The public
/// half is registered at every login; a later step signs finalized inspection records with it.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct DeviceIdentity {
    pub device_id: Uuid,
    /// Standard base64 of the 32-byte secret key.
    secret_key: String,
}

impl DeviceIdentity {
    fn generate() -> Result<Self, getrandom::Error> {
        let mut secret = [0u8; 32];
        getrandom::getrandom(&mut secret)?;
        Ok(Self { device_id: Uuid::new_v4(), secret_key: BASE64.encode(&secret) })
    }

    /// Returns the signing key, or `None` when the stored secret is not 32 bytes of base64.
    pub fn signing_key(&self) -> Option<SigningKey> {
        let bytes: [u8; 32] = BASE64.decode(self.secret_key.as_bytes()).ok()?.try_into().ok()?;
        Some(SigningKey::from_bytes(&bytes))
    }
}

/// Failure to read or make the device's identity.
#[derive(Debug, thiserror::Error)]
pub(crate) enum IdentityError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Random(String),
}

/// The kind of a refusal by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// 401: the session was ended and the login screen shown.
    Unauthorized,
    /// 403: outside the account's jurisdiction or role; the caller says what was refused.
    Forbidden,
}

/// True for the events that work without a session: starting, the language, logging in and out, and
/// what the platform reports on its own. Every other event needs a valid login.
fn allowed_without_session(event: &Event) -> bool {
    matches!(
        event,
        Event::Start
            | Event::SwitchLanguage
            | Event::LogIn { .. }
            | Event::LogOut
            | Event::StopCamera
            | Event::CameraFailed(_)
            | Event::PhotoFailed(_)
            | Event::Position { .. }
            | Event::PositionUnavailable(_)
    )
}

/// Returns a short description of the device, which the server stores with its key.
fn device_label() -> String {
    if cfg!(target_arch = "wasm32") {
        "web browser".to_string()
    } else {
        format!("{} {}", std::env::consts::OS, std::env::consts::ARCH)
    }
}

impl<K: Kv> Core<K> {
    /// Decides whether `event` may run: an expired session ends first, and without a session only the
    /// events of [`allowed_without_session`] run while the login screen is shown.
    pub(crate) async fn session_allows(&mut self, event: &Event) -> bool {
        let expired = self.model.session.as_ref().is_some_and(|session| session.expires_at <= self.now());
        if expired {
            tracing::info!("login expired");
            self.end_session().await;
        }
        if self.model.session.is_some() || allowed_without_session(event) {
            return true;
        }
        self.model.screen = Screen::Login;
        false
    }

    /// Restores the session kept on the device, if it has not expired, so the app works offline.
    // NOTE: an offline device cannot learn that its token was revoked, so it keeps working offline
    // until the expiry it stored; the server rejects the token at the next request.
    pub(crate) async fn load_session(&mut self) {
        let stored = match self.store.setting::<Option<Session>>(SESSION_KEY).await {
            Ok(stored) => stored.flatten(),
            Err(error) => return self.storage_failed(error),
        };
        match stored {
            Some(session) if session.expires_at > self.now() => self.begin_session(session),
            Some(_) => {
                tracing::info!("the stored login expired");
                self.end_session().await;
            }
            None => self.model.screen = Screen::Login,
        }
    }

    /// Logs in with the badge number and password, registering the device's public key, and keeps the
    /// session on the device.
    pub(crate) async fn log_in(&mut self, badge_no: &str, password: &str) {
        let badge_no = badge_no.trim();
        if badge_no.is_empty() || password.is_empty() {
            return self.notify(NoticeLevel::Error, Msg::LoginFieldsMissing, &[]);
        }
        let identity = match self.device_identity().await {
            Ok(identity) => identity,
            Err(IdentityError::Store(error)) => return self.storage_failed(error),
            Err(IdentityError::Random(reason)) => return self.notify(NoticeLevel::Error, Msg::LoginFailed, &[&reason]),
        };
        let Some(public_key) = identity.signing_key().map(|key| BASE64.encode(key.verifying_key().as_bytes())) else {
            return self.storage_failed(StoreError::Corrupt { collection: "settings", key: DEVICE_KEY.into(), reason: "the device key is not 32 bytes of base64".into() });
        };
        let request = LoginRequest {
            badge_no: badge_no.to_string(),
            password: password.to_string(),
            device: DeviceRegistration { device_id: identity.device_id, public_key, label: device_label() },
        };

        let session = match self.client.log_in(&request).await {
            Ok(session) => session,
            Err(error) => return self.login_failed(badge_no, &error),
        };
        if let Err(error) = self.store.save_setting(SESSION_KEY, &Some(&session)).await {
            return self.storage_failed(error);
        }
        tracing::info!(badge_no = %session.account.badge_no, device_id = %identity.device_id, expires_at = %session.expires_at, "logged in");
        let account = session.account.clone();
        let until = format_time(session.expires_at.to_offset(self.now().offset()));
        self.begin_session(session);
        self.model.notices.retain(|notice| notice.msg != Msg::SessionEnded);
        self.notify(NoticeLevel::Info, Msg::LoggedIn, &[&account.name, &account.badge_no, account.region.as_str(), &until]);
        self.refresh_keys().await;
    }

    fn login_failed(&mut self, badge_no: &str, error: &SyncError) {
        tracing::info!(badge_no, %error, "login failed");
        match error {
            SyncError::Unauthorized { error, .. } if error.code == error_code::INVALID_CREDENTIALS => {
                self.notify(NoticeLevel::Error, Msg::ApiInvalidCredentials, &[]);
            }
            SyncError::Unauthorized { error, .. } if error.code == error_code::ACCOUNT_DISABLED => {
                self.notify(NoticeLevel::Error, Msg::ApiAccountDisabled, &[&badge_no.to_ascii_uppercase()]);
            }
            SyncError::Unauthorized { error, .. } | SyncError::Forbidden { error, .. } | SyncError::Rejected { error, .. } => {
                let message = match self.model.lang {
                    outlet_core::Lang::Zh => &error.message_zh,
                    outlet_core::Lang::En => &error.message_en,
                };
                self.notify(NoticeLevel::Error, Msg::LoginFailed, &[message]);
            }
            SyncError::Unreachable { reason, .. } | SyncError::Protocol { reason, .. } => {
                self.notify(NoticeLevel::Error, Msg::LoginUnreachable, &[reason]);
            }
        }
    }

    /// Logs out: revokes the token on the server when it can be reached, then clears the session on
    /// the device. Drafts and queued records stay.
    pub(crate) async fn log_out(&mut self) {
        let Some(session) = self.model.session.clone() else {
            self.model.screen = Screen::Login;
            return;
        };
        let revoked = match self.client.log_out().await {
            Ok(()) | Err(SyncError::Unauthorized { .. }) => true,
            Err(error) => {
                tracing::info!(%error, "the server could not revoke the token at logout");
                false
            }
        };

        self.forget_session().await;
        tracing::info!(badge_no = %session.account.badge_no, revoked, "logged out");
        if revoked {
            self.notify(NoticeLevel::Info, Msg::LoggedOut, &[]);
        } else {
            let until = format_time(session.expires_at.to_offset(self.now().offset()));
            self.notify(NoticeLevel::Warning, Msg::LogoutOffline, &[&until]);
        }
    }

    /// Handles a refusal of the server: a 401 ends the session. Returns what kind of refusal `error`
    /// was, or `None` for any other error.
    pub(crate) async fn refusal(&mut self, error: &SyncError) -> Option<Refusal> {
        match error {
            SyncError::Unauthorized { error, .. } => {
                tracing::info!(code = %error.code, "the server no longer accepts the login");
                self.end_session().await;
                Some(Refusal::Unauthorized)
            }
            SyncError::Forbidden { error, .. } => {
                tracing::info!(code = %error.code, "the server rejected the request for this account");
                Some(Refusal::Forbidden)
            }
            _ => None,
        }
    }

    /// Ends the session because the server rejected it or it expired, and shows the login screen.
    pub(crate) async fn end_session(&mut self) {
        self.forget_session().await;
        self.notify(NoticeLevel::Warning, Msg::SessionEnded, &[]);
    }

    fn begin_session(&mut self, session: Session) {
        self.client.set_token(Some(session.token));
        if self.model.region.is_empty() {
            self.model.region = session.account.region.to_string();
        }
        self.model.session = Some(SessionView { account: session.account, expires_at: session.expires_at });
        if self.model.screen == Screen::Login {
            self.model.screen = Screen::Scan;
        }
    }

    /// Clears the token and the session on the device and shows the login screen. The card of the
    /// previous account is closed; drafts and the outbox stay.
    async fn forget_session(&mut self) {
        self.client.set_token(None);
        self.model.session = None;
        self.model.card = None;
        self.model.screen = Screen::Login;
        if let Err(error) = self.store.save_setting(SESSION_KEY, &None::<Session>).await {
            self.storage_failed(error);
        }
    }

    /// Reads the device's identity, making and keeping one on first use.
    pub(crate) async fn device_identity(&mut self) -> Result<DeviceIdentity, IdentityError> {
        if let Some(identity) = self.store.setting::<DeviceIdentity>(DEVICE_KEY).await? {
            return Ok(identity);
        }
        let identity = DeviceIdentity::generate().map_err(|e| IdentityError::Random(format!("no random source for the device key: {e}")))?;
        self.store.save_setting(DEVICE_KEY, &identity).await?;
        tracing::info!(device_id = %identity.device_id, "device key created");
        Ok(identity)
    }
}
