//! One module per resource; [`router`] puts them together.

mod accounts;
mod cards;
mod changes;
mod devices;
mod hj212;
mod inspections;
mod openapi;
mod photos;
mod public_page;
mod session;

use axum::extract::{DefaultBodyLimit, State};
use axum::response::Redirect;
use axum::routing::{get, post, put, MethodRouter};
use axum::{Json, Router};
use outlet_core::placard::KeySet;
use tower_http::services::{ServeDir, ServeFile};
use axum::http::StatusCode;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::Failure;
use crate::store::{ServerStore, StoreError};
use crate::{AppState, MAX_INSPECTION_BYTES};

/// Runs a store call on tokio's blocking threads, because a store call waits on the disk (sled) or
/// on the network (PostgreSQL) and would hold up the other requests of an async thread.
async fn with_store<T, F>(state: &AppState, call: F) -> Result<T, Failure>
where
    T: Send + 'static,
    F: FnOnce(&dyn ServerStore) -> Result<T, StoreError> + Send + 'static,
{
    let store = state.store.clone();
    Ok(tokio::task::spawn_blocking(move || call(store.as_ref())).await??)
}

/// Runs a store read on the async thread when the store serves reads from memory (see
/// [`ServerStore::reads_in_memory`]), because a hand-off to the blocking pool costs more than such a
/// read. Otherwise runs it on the blocking threads, as [`with_store`] does.
async fn read_store<T, F>(state: &AppState, read: F) -> Result<T, Failure>
where
    T: Send + 'static,
    F: FnOnce(&dyn ServerStore) -> Result<T, StoreError> + Send + 'static,
{
    if state.store.reads_in_memory() {
        return Ok(read(state.store.as_ref())?);
    }
    with_store(state, read).await
}

/// A path of the router, the HTTP methods it serves, and their handlers.
struct Route {
    path: &'static str,
    methods: &'static [&'static str],
    handlers: MethodRouter<AppState>,
}

fn route(path: &'static str, methods: &'static [&'static str], handlers: MethodRouter<AppState>) -> Route {
    Route { path, methods, handlers }
}

/// Every route of the server. Each route names its methods beside its handlers, so [`route_methods`] can
/// list them for the OpenAPI test, which also checks that the router returns 405 for other methods.
///
/// Cards, change feeds, inspections, their photos, device chains and the account list need a login
/// token (see [`crate::accounts::Caller`]). Health, the key set, login and the public page do not.
///
/// Placard URLs are upper case (QR alphanumeric mode), so the public page is served at `/O/...` as well
/// as `/o/...`.
fn table() -> Vec<Route> {
    vec![
        route("/", &["GET"], get(|| async { Redirect::temporary("/app/") })),
        route("/api/v1/health", &["GET"], get(health)),
        route("/api/v1/openapi.yaml", &["GET"], get(openapi::description)),
        route("/api/v1/keys", &["GET"], get(keys)),
        route(
            "/api/v1/session",
            &["POST", "GET", "DELETE"],
            post(session::log_in).get(session::status).delete(session::log_out).layer(DefaultBodyLimit::max(session::MAX_LOGIN_BYTES)),
        ),
        route("/api/v1/accounts", &["GET"], get(accounts::list)),
        route("/api/v1/outlets/{outlet_id}/card", &["GET"], get(cards::card)),
        route("/api/v1/regions/{region}/changes", &["GET"], get(changes::changes)),
        route("/api/v1/hj212/stats", &["GET"], get(hj212::stats)),
        route(
            "/api/v1/inspections/{inspection_id}",
            &["PUT", "GET"],
            put(inspections::submit).get(inspections::receipt).layer(DefaultBodyLimit::max(MAX_INSPECTION_BYTES)),
        ),
        route("/api/v1/inspections/{inspection_id}/photos/missing", &["GET"], get(photos::missing)),
        route("/api/v1/devices/{device_id}/chain", &["GET"], get(devices::chain)),
        // The handler reads the body as a stream under its own limit, MAX_PHOTO_BYTES.
        route("/api/v1/inspections/{inspection_id}/photos/{sha256}", &["PUT"], put(photos::upload)),
        route("/o/{outlet_id}", &["GET"], get(public_page::page)),
        route("/O/{outlet_id}", &["GET"], get(public_page::page)),
        route("/o/{outlet_id}/{signed}", &["GET"], get(public_page::signed_page)),
        route("/O/{outlet_id}/{signed}", &["GET"], get(public_page::signed_page)),
    ]
}

/// Lists the path and methods of every route, in axum's path syntax (`{name}` for a parameter,
/// as OpenAPI writes it too). `GET` routes also serve `HEAD`. The web app under `/app/` is a file
/// service rather than a route, and is not listed.
pub fn route_methods() -> Vec<(&'static str, &'static [&'static str])> {
    table().into_iter().map(|route| (route.path, route.methods)).collect()
}

/// Builds the server's router over `state`: the routes of [`table`], and the web app under `/app/`
/// when `state` names its folder.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for route in table() {
        router = router.route(route.path, route.handlers);
    }

    if let Some(web_dir) = &state.web_dir {
        let app = ServeDir::new(web_dir).fallback(ServeFile::new(web_dir.join("index.html")));
        router = router.nest_service("/app", app);
    }

    let request_timeout = TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, state.timeouts.request);
    router.layer(request_timeout).layer(TraceLayer::new_for_http()).with_state(state)
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "server": outlet_core::api::SERVER_NAME }))
}

async fn keys(State(state): State<AppState>) -> Json<KeySet> {
    Json(state.keys.as_ref().clone())
}
