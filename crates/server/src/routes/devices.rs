//! `GET /api/v1/devices/{device_id}/chain`: the chain audit of one device's records.

use axum::extract::{Path, State};
use axum::Json;
use outlet_core::api::{DeviceChain, Role};
use uuid::Uuid;

use crate::accounts::Caller;
use crate::chain::chain_breaks;
use crate::error::Failure;
use crate::AppState;

/// Lists the stored records of a device by sequence number, with the breaks in their hash chain.
/// Administrators may audit any device, and officers the devices registered to them.
// NOTE: an administrator may read the chain of any device, also one whose officers work in another
// jurisdiction. The chain lists ids, hashes and receipt numbers only, never a record's content.
pub async fn chain(State(state): State<AppState>, caller: Caller, Path(device_id): Path<String>) -> Result<Json<DeviceChain>, Failure> {
    let device_id = Uuid::parse_str(&device_id).map_err(|_| Failure::InvalidDeviceId(device_id.chars().take(100).collect()))?;

    if caller.account.role != Role::Admin {
        let badge_no = caller.account.badge_no.clone();
        let registered = super::read_store(&state, move |store| store.device_key(&badge_no, device_id)).await?;
        if registered.is_none() {
            tracing::warn!(badge_no = %caller.account.badge_no, %device_id, "chain request rejected: device not registered to the officer");
            return Err(Failure::DeviceChainForbidden { badge_no: caller.account.badge_no.clone(), device_id: device_id.to_string() });
        }
    }

    let links = super::with_store(&state, move |store| store.device_chain(device_id)).await?;
    let breaks = chain_breaks(&links);
    if !breaks.is_empty() {
        tracing::info!(%device_id, links = links.len(), breaks = breaks.len(), badge_no = %caller.account.badge_no, "device chain has breaks");
    }
    Ok(Json(DeviceChain { device_id, links, breaks }))
}
