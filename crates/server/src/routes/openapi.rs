//! `GET /api/v1/openapi.yaml`: the OpenAPI 3.1 description of the HTTP API.

use axum::http::header;
use axum::response::IntoResponse;

/// The text of `crates/server/openapi.yaml`, compiled in, so a server always serves the description
/// of the source it was built from.
const OPENAPI_YAML: &str = include_str!("../../openapi.yaml");

/// Serves [`OPENAPI_YAML`] as `application/yaml` (RFC 9512).
pub async fn description() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/yaml")], OPENAPI_YAML)
}
