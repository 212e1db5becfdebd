//! `GET /api/v1/outlets/{outlet_id}/card`: the full outlet card, with an ETag of its version, for
//! officers and administrators of the outlet's jurisdiction.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use outlet_core::OutletId;

use crate::accounts::Caller;
use crate::error::Failure;
use crate::AppState;

/// Serves the card to a caller whose jurisdiction contains the outlet; 403 for any other outlet,
/// before the store is read, so the response does not reveal whether the outlet exists.
pub async fn card(State(state): State<AppState>, caller: Caller, Path(outlet_id): Path<String>, headers: HeaderMap) -> Result<Response, Failure> {
    let outlet: OutletId = outlet_id.parse()?;
    caller.require_outlet(&outlet)?;

    // The stored JSON is sent as it is: decoding and encoding an 8 KB card took most of a request's time.
    let key = outlet.clone();
    let card = super::read_store(&state, move |store| store.card_json(&key)).await?.ok_or_else(|| Failure::OutletNotFound(outlet.to_string()))?;

    let etag = format!("\"v{}\"", card.version);
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|tag| tag.trim() == etag));
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response());
    }
    let content_type = HeaderValue::from_static("application/json");
    Ok(([(header::ETAG, HeaderValue::from_str(&etag).expect("an ETag is ASCII")), (header::CONTENT_TYPE, content_type)], card.json).into_response())
}
