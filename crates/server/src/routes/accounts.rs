//! `GET /api/v1/accounts`: the accounts of an administrator's jurisdiction.

use axum::extract::State;
use axum::Json;
use outlet_core::api::{AccountInfo, Role};
use serde::Serialize;

use crate::accounts::Caller;
use crate::error::Failure;
use crate::AppState;

/// One account in the list, without its password hash.
#[derive(Debug, Serialize)]
pub struct AccountListing {
    #[serde(flatten)]
    pub account: AccountInfo,
    pub disabled: bool,
}

/// Lists the accounts whose jurisdiction lies inside the administrator's, ordered by badge number.
/// Officers get 403.
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<AccountListing>>, Failure> {
    caller.require_role(Role::Admin)?;

    let own = caller.account.region.prefix();
    let listing = super::with_store(&state, |store| store.accounts())
        .await?
        .into_iter()
        .filter(|account| account.region.prefix().starts_with(own))
        .map(|account| AccountListing { account: account.info(), disabled: account.disabled_at.is_some() })
        .collect();
    Ok(Json(listing))
}
