//! `GET /api/v1/regions/{region}/changes`: the change feed a device builds its offline package from.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::Json;
use outlet_core::api::ChangePage;
use outlet_core::Region;
use serde::Deserialize;

use crate::accounts::Caller;
use crate::error::Failure;
use crate::AppState;

/// Changes per page when the request sets no limit. A page of demo cards is about 2.3 MB.
const DEFAULT_LIMIT: usize = 500;

/// Most changes one page may hold, to bound the memory of both ends.
const MAX_LIMIT: usize = 2000;

#[derive(Debug, Deserialize)]
pub struct ChangesQuery {
    /// The cursor the device holds; 0 for a first download.
    #[serde(default)]
    since: u64,
    limit: Option<usize>,
    /// Count the pending changes for a progress bar.
    #[serde(default)]
    count: bool,
}

/// Serves the feed of a region inside the caller's jurisdiction; 403 for a wider or another region.
pub async fn changes(State(state): State<AppState>, caller: Caller, Path(region): Path<String>, query: Result<Query<ChangesQuery>, QueryRejection>, uri: Uri) -> Result<Json<ChangePage>, Failure> {
    let invalid_query = || Failure::InvalidQuery(uri.query().unwrap_or_default().to_string());
    let Query(query) = query.map_err(|_| invalid_query())?;
    // Cursors are positions the server handed out; both backends keep them below i64::MAX (PostgreSQL's BIGINT).
    if query.since > i64::MAX as u64 {
        return Err(invalid_query());
    }
    let region = Region::parse(&region).map_err(Failure::InvalidRegion)?;
    caller.require_region(&region)?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);

    let store = state.store.clone();
    let page = tokio::task::spawn_blocking(move || store.changes(&region, query.since, limit, query.count)).await??;
    Ok(Json(page))
}
