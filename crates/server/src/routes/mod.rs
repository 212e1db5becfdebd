//! One module per resource; [`router`] puts them together.

mod cards;
mod changes;
mod inspections;
mod public_page;

use axum::extract::{DefaultBodyLimit, State};
use axum::response::Redirect;
use axum::routing::{get, put};
use axum::{Json, Router};
use outlet_core::placard::KeySet;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;

use crate::{AppState, MAX_INSPECTION_BYTES};

/// Every route of the server.
///
/// Placard URLs are upper case (QR alphanumeric mode), so the public page is served at `/O/...` as well
/// as `/o/...`.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new()
        .route("/", get(|| async { Redirect::temporary("/app/") }))
        .route("/api/v1/health", get(health))
        .route("/api/v1/keys", get(keys))
        .route("/api/v1/outlets/{outlet_id}/card", get(cards::card))
        .route("/api/v1/regions/{region}/changes", get(changes::changes))
        .route(
            "/api/v1/inspections/{inspection_id}",
            put(inspections::submit).get(inspections::receipt).layer(DefaultBodyLimit::max(MAX_INSPECTION_BYTES)),
        )
        .route("/o/{outlet_id}", get(public_page::page))
        .route("/O/{outlet_id}", get(public_page::page))
        .route("/o/{outlet_id}/{signed}", get(public_page::signed_page))
        .route("/O/{outlet_id}/{signed}", get(public_page::signed_page));

    if let Some(web_dir) = &state.web_dir {
        let app = ServeDir::new(web_dir).fallback(ServeFile::new(web_dir.join("index.html")));
        router = router.nest_service("/app", app);
    }

    router.layer(TraceLayer::new_for_http()).with_state(state)
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "server": outlet_core::api::SERVER_NAME }))
}

async fn keys(State(state): State<AppState>) -> Json<KeySet> {
    Json(state.keys.as_ref().clone())
}
