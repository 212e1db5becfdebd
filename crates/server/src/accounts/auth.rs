//! The authenticated caller of a request, and the checks of its jurisdiction and role.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use outlet_core::api::Role;
use outlet_core::{OutletId, Region};

use super::{authenticate, Account, LoginToken};
use crate::error::Failure;
use crate::AppState;

/// The account whose valid token a request carries. Extracting it rejects the request with 401 when
/// the token is missing, malformed, unknown, expired or revoked, or the account is disabled.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account: Account,
    pub token: LoginToken,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Failure> {
        // A header that is not visible ASCII cannot hold a token; it is reported as an invalid one.
        let authorization = parts.headers.get(AUTHORIZATION).map(|value| value.to_str().unwrap_or_default().to_string());
        let store = state.store.clone();
        let now = state.clock.now();

        // The lookups may wait on the disk or the database, so they run on tokio's blocking threads,
        // unless the store serves them from memory.
        let (account, token) = if store.reads_in_memory() {
            authenticate(store.as_ref(), authorization.as_deref(), now)?
        } else {
            tokio::task::spawn_blocking(move || authenticate(store.as_ref(), authorization.as_deref(), now)).await??
        };
        Ok(Caller { account, token })
    }
}

impl Caller {
    /// Accepts the caller when the account has `role`.
    pub fn require_role(&self, role: Role) -> Result<(), Failure> {
        if self.account.role == role {
            return Ok(());
        }
        tracing::warn!(badge_no = %self.account.badge_no, role = %self.account.role, required = %role, "request rejected: wrong role");
        Err(Failure::RoleRequired { badge_no: self.account.badge_no.clone(), required: role })
    }

    /// Accepts the caller when `outlet`'s unit lies in the account's jurisdiction. The unit's region
    /// is part of the outlet id (the permit number starts with the unit's USCC), so no card is read.
    pub fn require_outlet(&self, outlet: &OutletId) -> Result<(), Failure> {
        if self.account.region.contains(&outlet.permit_no.uscc()) {
            return Ok(());
        }
        tracing::warn!(badge_no = %self.account.badge_no, jurisdiction = %self.account.region, outlet = %outlet, "request rejected: outlet outside the jurisdiction");
        Err(self.outside(outlet.to_string()))
    }

    /// Accepts the caller when every outlet of `outlets` lies in the account's jurisdiction; the
    /// error names the first that does not.
    pub fn require_outlets(&self, outlets: &[OutletId]) -> Result<(), Failure> {
        outlets.iter().try_for_each(|outlet| self.require_outlet(outlet))
    }

    /// Accepts the caller when `region` lies inside the account's jurisdiction: a city's officer may
    /// ask for the city or one of its districts, not for the province.
    pub fn require_region(&self, region: &Region) -> Result<(), Failure> {
        if region.prefix().starts_with(self.account.region.prefix()) {
            return Ok(());
        }
        tracing::warn!(badge_no = %self.account.badge_no, jurisdiction = %self.account.region, region = %region, "request rejected: region outside the jurisdiction");
        Err(self.outside(region.to_string()))
    }

    fn outside(&self, target: String) -> Failure {
        Failure::OutsideJurisdiction { badge_no: self.account.badge_no.clone(), jurisdiction: self.account.region.clone(), target }
    }
}
