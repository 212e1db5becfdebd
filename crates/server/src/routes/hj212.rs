//! `GET /api/v1/hj212/stats`: the counters of the HJ 212 listener (packets accepted, malformed by
//! kind, unknown MNs, connections). They carry no MN and no reading, so no login is needed.

use axum::extract::State;
use axum::Json;

use crate::hj212::Hj212StatsSnapshot;
use crate::AppState;

pub async fn stats(State(state): State<AppState>) -> Json<Hj212StatsSnapshot> {
    Json(state.hj212.snapshot())
}
