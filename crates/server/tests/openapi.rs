//! The OpenAPI description (`crates/server/openapi.yaml`) against the router and a real server on
//! 127.0.0.1. The server serves the repository's file, and the description lists exactly the
//! router's paths and methods. Every operation sent with the description's examples gets a
//! documented success status. `scripts/api-conformance.sh` checks the schemas in depth with
//! schemathesis, and these tests need no Python.

mod common;

use std::collections::BTreeSet;

use common::backend::Backend;
use outlet_core::api::{DeviceRegistration, LoginRequest, Session};
use outlet_core::fixtures;
use outlet_server::accounts::demo::{DEMO_ADMIN_PASSWORD, DEMO_OFFICER_PASSWORD};
use outlet_server::routes::route_methods;
use outlet_server::RunningServer;
use reqwest::{Method, StatusCode};
use serde_json::Value;

const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml");

/// The HTTP methods an OpenAPI path item can hold, in its lower-case spelling.
const SPEC_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The methods probed on every route: those a route of this API could serve.
const PROBED_METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

/// Badge numbers of the demo accounts the operations run as.
const DEMO_OFFICER: &str = "35000001";
const DEMO_SECOND_OFFICER: &str = "35000002";
const DEMO_ADMIN: &str = "35009001";

fn spec_text() -> String {
    std::fs::read_to_string(SPEC_PATH).unwrap_or_else(|e| panic!("{SPEC_PATH} could not be read: {e}"))
}

fn spec() -> Value {
    serde_norway::from_str(&spec_text()).unwrap_or_else(|e| panic!("{SPEC_PATH} is not valid YAML: {e}"))
}

/// Follows a local `$ref` (`#/components/...`) until the value is not a reference.
fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    let mut value = value;
    while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("{reference} is not a local reference"));
        value = spec.pointer(pointer).unwrap_or_else(|| panic!("{reference} points at nothing"));
    }
    value
}

/// One operation of the description: a path and a method.
struct Operation<'a> {
    path: &'a str,
    method: &'a str,
    path_item: &'a Value,
    operation: &'a Value,
}

impl Operation<'_> {
    fn id(&self) -> &str {
        self.operation["operationId"].as_str().unwrap_or_else(|| panic!("{} {} has no operationId", self.method, self.path))
    }

    fn needs_login(&self) -> bool {
        self.operation.get("security").and_then(Value::as_array).is_some_and(|schemes| !schemes.is_empty())
    }
}

fn operations(spec: &Value) -> Vec<Operation<'_>> {
    let paths = spec["paths"].as_object().expect("the description has paths");
    let mut operations = Vec::new();
    for (path, path_item) in paths {
        for method in SPEC_METHODS {
            if let Some(operation) = path_item.get(method) {
                operations.push(Operation { path, method, path_item, operation });
            }
        }
    }
    operations
}

fn listed_in_spec(spec: &Value) -> BTreeSet<(String, String)> {
    operations(spec).iter().map(|op| (op.path.to_string(), op.method.to_uppercase())).collect()
}

fn listed_in_router() -> BTreeSet<(String, String)> {
    route_methods().into_iter().flat_map(|(path, methods)| methods.iter().map(move |method| (path.to_string(), method.to_string()))).collect()
}

/// A demo server on a fresh store, and an HTTP client that does not follow redirects.
struct Fixture {
    server: RunningServer,
    http: reqwest::Client,
    _backend: Backend,
}

async fn start() -> Fixture {
    let backend = Backend::new();
    let data = backend.open(true);
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    Fixture { server, http, _backend: backend }
}

impl Fixture {
    /// Logs in from the fixture device, which signed the description's example record, and returns
    /// the bearer token.
    async fn log_in(&self, badge_no: &str, password: &str) -> String {
        let request = LoginRequest {
            badge_no: badge_no.into(),
            password: password.into(),
            device: DeviceRegistration { device_id: fixtures::DEVICE_ID, public_key: fixtures::device_public_key(), label: "openapi test".into() },
        };
        let response = self.http.post(format!("{}/api/v1/session", self.server.url())).json(&request).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::CREATED, "login as {badge_no}");
        response.json::<Session>().await.unwrap().token
    }
}

/// Returns the router's own 404 (no route matches the path), which has an empty body, unlike the
/// 404 a handler sends.
fn is_unrouted(status: StatusCode, body: &str) -> bool {
    status == StatusCode::NOT_FOUND && body.is_empty()
}

#[tokio::test]
async fn served_description_is_repository_file() {
    let fixture = start().await;

    let response = fixture.http.get(format!("{}/api/v1/openapi.yaml", fixture.server.url())).send().await.unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/yaml");
    assert!(response.text().await.unwrap() == spec_text(), "GET /api/v1/openapi.yaml differs from {SPEC_PATH}");
}

#[test]
fn description_lists_every_route() {
    let spec = spec();

    let in_spec = listed_in_spec(&spec);
    let in_router = listed_in_router();

    let undocumented: Vec<_> = in_router.difference(&in_spec).collect();
    let unrouted: Vec<_> = in_spec.difference(&in_router).collect();
    assert!(undocumented.is_empty(), "routes missing from openapi.yaml: {undocumented:?}");
    assert!(unrouted.is_empty(), "operations of openapi.yaml that no route serves: {unrouted:?}");
}

#[test]
fn description_references_resolve() {
    fn references<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    found.push(reference);
                }
                map.values().for_each(|inner| references(inner, found));
            }
            Value::Array(items) => items.iter().for_each(|inner| references(inner, found)),
            _ => {}
        }
    }
    let spec = spec();
    let mut found = Vec::new();
    references(&spec, &mut found);

    assert!(!found.is_empty());
    for reference in found {
        let target = reference.strip_prefix('#').and_then(|pointer| spec.pointer(pointer));
        assert!(target.is_some(), "{reference} points at nothing");
    }
}

#[test]
fn operation_ids_are_unique() {
    let spec = spec();
    let mut seen = BTreeSet::new();

    for operation in operations(&spec) {
        assert!(seen.insert(operation.id().to_string()), "operationId {} is used twice", operation.id());
    }
}

/// The router serves each route's listed methods and returns 405 for the others, so the list that
/// `description_lists_every_route` compares is the router's real one.
#[tokio::test]
async fn router_serves_exactly_listed_methods() {
    let fixture = start().await;

    for (path, methods) in route_methods() {
        let url = format!("{}{}", fixture.server.url(), path.replace(['{', '}'], ""));
        for method in PROBED_METHODS {
            let response = fixture.http.request(Method::from_bytes(method.as_bytes()).unwrap(), &url).send().await.unwrap();
            let status = response.status();
            let body = response.text().await.unwrap();

            if methods.contains(&method) {
                assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path} is listed but not routed");
                assert!(!is_unrouted(status, &body), "{method} {path} is listed but no route matches it");
            } else {
                assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path} is routed but not listed");
            }
        }
    }
}

/// Lists the parameters of the operation that are `location` (`path`, `header`), with their
/// examples. An optional parameter without an example is left out; a required one must have one.
fn example_parameters<'a>(spec: &'a Value, operation: &'a Operation, location: &str) -> Vec<(&'a str, &'a str)> {
    let shared = operation.path_item.get("parameters").and_then(Value::as_array).into_iter().flatten();
    let own = operation.operation.get("parameters").and_then(Value::as_array).into_iter().flatten();

    let mut found = Vec::new();
    for parameter in shared.chain(own).map(|parameter| resolve(spec, parameter)) {
        if parameter["in"] != location {
            continue;
        }
        let name = parameter["name"].as_str().unwrap();
        let required = parameter["required"].as_bool().unwrap_or(false);
        match parameter["example"].as_str() {
            Some(example) => found.push((name, example)),
            None if required => panic!("{location} parameter {name} of {} has no example", operation.id()),
            None => {}
        }
    }
    found
}

/// Fills the path's `{name}` parameters with the examples of the description.
fn example_url(spec: &Value, base: &str, operation: &Operation) -> String {
    let mut path = operation.path.to_string();
    for (name, example) in example_parameters(spec, operation, "path") {
        path = path.replace(&format!("{{{name}}}"), example);
    }
    format!("{base}{path}")
}

/// Returns the example body of the operation and its media type. A media type with
/// `x-example-base64` gives those exact bytes: a photo, or a signed record whose signature covers
/// its bytes as sent. Otherwise a JSON body is the media type's example, else its schema's.
fn example_body(spec: &Value, operation: &Operation) -> Option<(String, Vec<u8>)> {
    let body = resolve(spec, operation.operation.get("requestBody")?);
    let content = body["content"].as_object().unwrap_or_else(|| panic!("the request body of {} has no content", operation.id()));
    if let Some((media_type, media)) = content.iter().find(|(_, media)| media.get("x-example-base64").is_some()) {
        let bytes = data_encoding::BASE64.decode(media["x-example-base64"].as_str().unwrap().as_bytes()).unwrap();
        return Some((media_type.clone(), bytes));
    }

    let media = &content["application/json"];
    let example = media.get("example").or_else(|| resolve(spec, &media["schema"]).get("example"));
    let example = example.unwrap_or_else(|| panic!("the request body of {} has no example", operation.id()));
    Some(("application/json".to_string(), serde_json::to_vec(example).unwrap()))
}

/// Path order first; on one path a write comes before the reads that need it, and logout last.
fn request_order(operation: &Operation) -> (String, u8) {
    let rank = match operation.method {
        "post" => 0,
        "put" => 1,
        "delete" => 3,
        _ => 2,
    };
    (operation.path.to_string(), rank)
}

/// Every operation of the description, sent with its examples as the demo accounts, gets a
/// documented success status with a documented content type.
#[tokio::test]
async fn operations_succeed_with_examples() {
    let fixture = start().await;
    let base = fixture.server.url();
    let officer = fixture.log_in(DEMO_OFFICER, DEMO_OFFICER_PASSWORD).await;
    let admin = fixture.log_in(DEMO_ADMIN, DEMO_ADMIN_PASSWORD).await;
    let to_revoke = fixture.log_in(DEMO_SECOND_OFFICER, DEMO_OFFICER_PASSWORD).await;
    let spec = spec();
    let mut operations = operations(&spec);
    operations.sort_by_key(request_order);

    for operation in &operations {
        let method = Method::from_bytes(operation.method.to_uppercase().as_bytes()).unwrap();
        let mut request = fixture.http.request(method, example_url(&spec, &base, operation));
        if operation.needs_login() {
            let token = match operation.id() {
                "listAccounts" => &admin,
                "logOut" => &to_revoke,
                _ => &officer,
            };
            request = request.bearer_auth(token);
        }
        for (name, example) in example_parameters(&spec, operation, "header") {
            request = request.header(name, example);
        }
        if let Some((media_type, body)) = example_body(&spec, operation) {
            request = request.header("content-type", media_type).body(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let content_type = response.headers().get("content-type").map(|value| value.to_str().unwrap().to_string());
        let body = response.text().await.unwrap();

        let id = operation.id();
        let documented = resolve(&spec, &operation.operation["responses"][status.as_str()]);
        assert!(status.is_success() || status.is_redirection(), "{id} got {status}: {body}");
        assert!(!documented.is_null(), "{id} got {status}, which openapi.yaml does not list");
        if let Some(content) = documented.get("content").and_then(Value::as_object) {
            let content_type = content_type.unwrap_or_default();
            assert!(content.keys().any(|media| content_type.starts_with(media.as_str())), "{id} answered {content_type:?}, not one of {:?}", content.keys());
        }
    }
}
