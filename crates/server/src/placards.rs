//! Placard issuing: serials, reissue after loss or damage, and which placards a key signed.

use outlet_core::placard::PlacardPayload;
use outlet_core::{OutletCard, OutletId};
use time::OffsetDateTime;

use crate::keys::{KeyFileError, Keyring};
use crate::store::{IssuedPlacard, PlacardRecord, ServerStore, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Store(#[from] StoreError),

    #[error(transparent)]
    Key(#[from] KeyFileError),

    #[error("outlet {0} is not in the registry")]
    UnknownOutlet(OutletId),

    #[error("placard no. {serial} of outlet {outlet} was signed with retired key {key_id}; reissue it with --reissue")]
    RetiredKey { outlet: OutletId, serial: u32, key_id: String },
}

/// Whether to print the current placard again or replace it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueMode {
    /// The current placard (the same serial and signature), or serial 1 if none was issued.
    Current,
    /// A new serial that revokes the current one, with the reason (lost, damaged, ...).
    Reissue { reason: String },
}

/// A placard ready to render: the outlet's card and the signed payload.
#[derive(Debug, Clone)]
pub struct IssuedCard {
    pub card: OutletCard,
    pub payload: PlacardPayload,
}

/// Issues (or re-renders) the placard of `outlet`. A new serial is recorded, marked on the card
/// (whose version then grows, so devices refresh it) and signed with the active key.
pub fn issue(store: &dyn ServerStore, keyring: &Keyring, outlet: &OutletId, mode: &IssueMode) -> Result<IssuedCard, IssueError> {
    let mut card = store.card(outlet)?.ok_or_else(|| IssueError::UnknownOutlet(outlet.clone()))?;
    let mut record = store.placard_record(outlet)?.unwrap_or_else(|| PlacardRecord { outlet: outlet.clone(), issued: Vec::new() });

    if let (IssueMode::Current, Some(current)) = (mode, record.current()) {
        if keyring.is_retired(&current.key_id) {
            return Err(IssueError::RetiredKey { outlet: outlet.clone(), serial: current.serial, key_id: current.key_id.clone() });
        }
        let payload = keyring.signer(&current.key_id)?.sign(outlet, current.serial);
        return Ok(IssuedCard { card, payload });
    }

    let now = OffsetDateTime::now_utc();
    if let IssueMode::Reissue { reason } = mode {
        if let Some(current) = record.issued.iter_mut().rev().find(|p| p.revoked_at.is_none()) {
            current.revoked_at = Some(now);
            current.revoke_reason = Some(reason.clone());
            tracing::info!(outlet = %outlet, serial = current.serial, reason, "placard revoked");
        }
    }

    let serial = record.issued.iter().map(|p| p.serial).max().unwrap_or(0) + 1;
    let signer = keyring.active_signer()?;
    record.issued.push(IssuedPlacard { serial, key_id: signer.key_id.clone(), issued_at: now, revoked_at: None, revoke_reason: None });
    store.put_placard_record(&record)?;

    card.placard_serial = Some(serial);
    card.version += 1;
    store.put_card(&card)?;
    tracing::info!(outlet = %outlet, serial, key_id = %signer.key_id, "placard issued");

    Ok(IssuedCard { payload: signer.sign(outlet, serial), card })
}

/// Current placards signed with `key_id`: the ones to reprint when that key is retired.
pub fn signed_with(store: &dyn ServerStore, key_id: &str) -> Result<Vec<(OutletId, u32)>, StoreError> {
    let mut placards = Vec::new();
    for record in store.placard_records()? {
        if let Some(current) = record.current().filter(|p| p.key_id == key_id) {
            placards.push((record.outlet.clone(), current.serial));
        }
    }
    Ok(placards)
}
