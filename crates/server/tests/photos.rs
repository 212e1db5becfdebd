//! Photo upload by SHA-256 against the real server on 127.0.0.1, over real HTTP, on the store of
//! `common::backend` (sled, or PostgreSQL when `OUTLET_TEST_DATABASE_URL` is set).
//!
//! Requests whose path or framing a client library would rewrite (dot segments, bodies cut short)
//! go over a raw TCP stream.

mod common;

use std::time::Duration;

use common::backend::Backend;
use common::session::{demo_officer_token, log_in, put_inspection};
use outlet_core::api::{error_code, ApiError, PhotoReceipt, Role};
use outlet_core::fixtures;
use outlet_core::inspection::{sha256_hex, FrozenInspection, PhotoRef, MAX_PHOTO_BYTES};
use outlet_core::OutletId;
use outlet_server::accounts::demo::{DEMO_ADMIN_PASSWORD, DEMO_ACCOUNTS};
use outlet_server::accounts::{self, NewAccount};
use outlet_server::{demo, DataDir, RunningServer};
use outlet_sync::{PhotoUploadOutcome, SyncClient};
use reqwest::StatusCode;
use time::macros::datetime;
use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An officer of another city (350200), outside the demo outlets' jurisdiction.
const OTHER_CITY_OFFICER: &str = "35020001";
const PASSWORD: &str = "other-city-pass";

/// Maximum time a raw exchange may take before the test fails instead of hanging, e.g. when the server
/// waits for a body it should have rejected.
const RAW_EXCHANGE_LIMIT: Duration = Duration::from_secs(60);

struct Fixture {
    data: DataDir,
    server: RunningServer,
    http: reqwest::Client,
    /// The demo officer's login token.
    token: String,
    _backend: Backend,
}

async fn start() -> Fixture {
    let backend = Backend::new();
    let data = backend.open(true);
    let new = NewAccount { badge_no: OTHER_CITY_OFFICER.into(), name: "外市执法".into(), region: "350200".into(), role: Role::Officer };
    accounts::create_account(data.store.as_ref(), &new, PASSWORD, OffsetDateTime::now_utc()).unwrap();
    let server = RunningServer::start("127.0.0.1:0", data.state(None)).await.unwrap();
    let token = demo_officer_token(&server.url()).await;
    Fixture { data, server, http: reqwest::Client::new(), token, _backend: backend }
}

fn demo_outlet() -> OutletId {
    demo::demo_cards()[0].outlet.id.clone()
}

/// A small real PNG whose pixels, and so whose bytes and hash, depend on `shade`.
fn png(shade: u8) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(8, 8, image::Rgb([shade, 128, 255 - shade]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

fn photo_ref(bytes: &[u8]) -> PhotoRef {
    PhotoRef { sha256: sha256_hex(bytes), bytes: bytes.len() as u64, taken_at: Some(datetime!(2026-12-04 01:30 UTC)), position: None }
}

/// A complete record of the demo outlet that lists `photos`, frozen on the fixture device.
fn record_with(photos: Vec<PhotoRef>) -> FrozenInspection {
    let mut draft = fixtures::complete_draft(demo_outlet(), "");
    draft.photos = photos;
    fixtures::freeze(&draft, 1, None)
}

impl Fixture {
    fn client(&self) -> SyncClient {
        let mut client = SyncClient::new(&self.server.url());
        client.set_token(Some(self.token.clone()));
        client
    }

    async fn submit(&self, frozen: &FrozenInspection) {
        let response = put_inspection(&self.http, &self.server.url(), frozen, &self.token).await;
        assert_eq!(response.status(), StatusCode::CREATED, "submit: {}", response.text().await.unwrap());
    }

    async fn put_photo(&self, frozen: &FrozenInspection, sha256: &str, bytes: &[u8], token: Option<&str>) -> reqwest::Response {
        let url = format!("{}/api/v1/inspections/{}/photos/{sha256}", self.server.url(), frozen.id);
        let mut request = self.http.put(url).header("content-type", "image/png").body(bytes.to_vec());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    async fn get_missing(&self, frozen: &FrozenInspection, token: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(format!("{}/api/v1/inspections/{}/photos/missing", self.server.url(), frozen.id));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    fn photo_count(&self) -> usize {
        self.data.store.photo_count().unwrap()
    }

    /// Sends `head` (request line and headers, without the blank line) and `body` on a new
    /// connection, and reads the response's status and body.
    async fn raw(&self, head: &str, body: &[u8]) -> (u16, String) {
        let exchange = async {
            let mut stream = TcpStream::connect(self.server.addr).await.unwrap();
            let mut request = format!("{head}\r\nHost: {}\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n", self.server.addr, self.token).into_bytes();
            request.extend_from_slice(body);
            stream.write_all(&request).await.unwrap();
            read_response(&mut stream).await
        };
        tokio::time::timeout(RAW_EXCHANGE_LIMIT, exchange).await.unwrap_or_else(|_| panic!("no response to {head:?}"))
    }
}

/// Reads one HTTP/1.1 response with a `Content-Length` body: its status and body text.
async fn read_response(stream: &mut TcpStream) -> (u16, String) {
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = received.windows(4).position(|window| window == b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(&mut buffer).await.unwrap();
        assert!(read > 0, "the connection closed before the response head: {:?}", String::from_utf8_lossy(&received));
        received.extend_from_slice(&buffer[..read]);
    };

    let head = String::from_utf8_lossy(&received[..head_end]).to_string();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let length: usize = head
        .lines()
        .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:").map(|value| value.trim().parse().unwrap()))
        .unwrap_or(0);
    while received.len() < head_end + length {
        let read = stream.read(&mut buffer).await.unwrap();
        assert!(read > 0, "the connection closed inside the response body");
        received.extend_from_slice(&buffer[..read]);
    }
    (status, String::from_utf8_lossy(&received[head_end..head_end + length]).to_string())
}

async fn assert_error(response: reqwest::Response, status: StatusCode, code: &str, description: &str) -> ApiError {
    assert_eq!(response.status(), status, "{description}");
    let error: ApiError = response.json().await.unwrap_or_else(|e| panic!("{description}: the body is not an ApiError: {e}"));
    assert_eq!(error.code, code, "{description}: {error:?}");
    error
}

#[tokio::test]
async fn upload_resumes_until_none_missing() {
    let fixture = start().await;
    let client = fixture.client();
    let photos = [png(1), png(2), png(3)];
    let frozen = record_with(photos.iter().map(|bytes| photo_ref(bytes)).collect());
    fixture.submit(&frozen).await;
    let hashes: Vec<String> = photos.iter().map(|bytes| sha256_hex(bytes)).collect();

    assert_eq!(client.missing_photos(frozen.id).await.unwrap(), hashes);

    let first = fixture.put_photo(&frozen, &hashes[0], &photos[0], Some(&fixture.token)).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let receipt: PhotoReceipt = first.json().await.unwrap();
    assert!(receipt.acknowledges(frozen.id, &hashes[0]), "{receipt:?}");
    assert_eq!(receipt.bytes, photos[0].len() as u64);
    assert_eq!(client.missing_photos(frozen.id).await.unwrap(), hashes[1..]);

    let again = fixture.put_photo(&frozen, &hashes[0], &photos[0], Some(&fixture.token)).await;
    assert_eq!(again.status(), StatusCode::OK, "a resent photo is acknowledged again");
    assert_eq!(client.missing_photos(frozen.id).await.unwrap(), hashes[1..]);
    assert_eq!(fixture.photo_count(), 1, "a resent photo is stored once");

    for (hash, bytes) in hashes.iter().zip(&photos).skip(1) {
        let outcome = client.upload_photo(frozen.id, hash, bytes.clone()).await;
        assert!(matches!(&outcome, PhotoUploadOutcome::Acknowledged(receipt) if receipt.sha256 == *hash), "{outcome:?}");
    }
    assert_eq!(client.missing_photos(frozen.id).await.unwrap(), Vec::<String>::new());
    assert_eq!(fixture.photo_count(), 3);
    for (hash, bytes) in hashes.iter().zip(&photos) {
        let digest: [u8; 32] = data_encoding::HEXLOWER.decode(hash.as_bytes()).unwrap().try_into().unwrap();
        assert_eq!(fixture.data.store.photo(&digest).unwrap().as_deref(), Some(bytes.as_slice()), "photo {hash}");
    }
}

#[tokio::test]
async fn photo_of_two_records_stored_once() {
    let fixture = start().await;
    let shared = png(9);
    let first = record_with(vec![photo_ref(&shared)]);
    let second = record_with(vec![photo_ref(&shared), photo_ref(&png(10))]);
    fixture.submit(&first).await;
    fixture.submit(&second).await;
    let hash = sha256_hex(&shared);

    let stored = fixture.put_photo(&first, &hash, &shared, Some(&fixture.token)).await;
    let again = fixture.put_photo(&second, &hash, &shared, Some(&fixture.token)).await;

    assert_eq!(stored.status(), StatusCode::CREATED);
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(fixture.photo_count(), 1);
    assert_eq!(fixture.client().missing_photos(second.id).await.unwrap(), vec![sha256_hex(&png(10))]);
}

#[tokio::test]
async fn hash_mismatch_stores_nothing() {
    let fixture = start().await;
    let (listed, other) = (png(20), png(21));
    let frozen = record_with(vec![photo_ref(&listed), photo_ref(&other)]);
    fixture.submit(&frozen).await;

    let response = fixture.put_photo(&frozen, &sha256_hex(&listed), &other, Some(&fixture.token)).await;
    let error = assert_error(response, StatusCode::BAD_REQUEST, "invalid_photo", "bytes of another photo").await;
    assert!(error.message_en.contains(&sha256_hex(&other)), "{}", error.message_en);

    let truncated = fixture.put_photo(&frozen, &sha256_hex(&listed), &listed[..listed.len() / 2], Some(&fixture.token)).await;
    assert_error(truncated, StatusCode::BAD_REQUEST, "invalid_photo", "half of the photo").await;
    assert_eq!(fixture.photo_count(), 0);
}

#[tokio::test]
async fn unlisted_photo_rejected() {
    let fixture = start().await;
    let frozen = record_with(vec![photo_ref(&png(30))]);
    fixture.submit(&frozen).await;
    let unlisted = png(31);

    let response = fixture.put_photo(&frozen, &sha256_hex(&unlisted), &unlisted, Some(&fixture.token)).await;

    let error = assert_error(response, StatusCode::BAD_REQUEST, "invalid_photo", "a photo the record does not list").await;
    assert!(error.message_en.contains(&sha256_hex(&unlisted)), "{}", error.message_en);
    assert_eq!(fixture.photo_count(), 0);
}

#[tokio::test]
async fn non_image_rejected() {
    let fixture = start().await;
    let text = b"<html>not a photo</html>".to_vec();
    let frozen = record_with(vec![photo_ref(&text)]);
    fixture.submit(&frozen).await;

    let response = fixture.put_photo(&frozen, &sha256_hex(&text), &text, Some(&fixture.token)).await;

    let error = assert_error(response, StatusCode::BAD_REQUEST, "invalid_photo", "an HTML body").await;
    assert!(error.message_en.contains("JPEG or PNG"), "{}", error.message_en);
    assert_eq!(fixture.photo_count(), 0);
}

#[tokio::test]
async fn declared_oversize_rejected_before_body() {
    let fixture = start().await;
    let photo = png(40);
    let frozen = record_with(vec![photo_ref(&photo)]);
    fixture.submit(&frozen).await;

    // Only the first kilobyte of the declared body is sent, so a 413 proves the server responded
    // from the Content-Length without waiting for the rest.
    let head = format!("PUT /api/v1/inspections/{}/photos/{} HTTP/1.1\r\nContent-Type: image/png\r\nContent-Length: {}", frozen.id, sha256_hex(&photo), MAX_PHOTO_BYTES + 1);
    let (status, body) = fixture.raw(&head, &[0x89; 1024]).await;

    assert_eq!(status, 413, "{body}");
    let error: ApiError = serde_json::from_str(&body).unwrap();
    assert_eq!(error.code, "body_too_large");
    assert!(error.message_en.contains(&MAX_PHOTO_BYTES.to_string()), "{}", error.message_en);
    assert_eq!(fixture.photo_count(), 0);
}

#[tokio::test]
async fn chunked_oversize_rejected_while_streaming() {
    let fixture = start().await;
    let photo = png(41);
    let frozen = record_with(vec![photo_ref(&photo)]);
    fixture.submit(&frozen).await;
    let head = format!(
        "PUT /api/v1/inspections/{}/photos/{} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        frozen.id,
        sha256_hex(&photo),
        fixture.server.addr,
        fixture.token
    );

    // The writer sends 64 KiB chunks, twice the limit in all, and stops quietly once the server
    // closes; the reader waits for the response meanwhile.
    let stream = TcpStream::connect(fixture.server.addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let sender = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        let chunk = [0x89u8; 64 * 1024];
        for _ in 0..(2 * MAX_PHOTO_BYTES / chunk.len()) {
            writer.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await?;
            writer.write_all(&chunk).await?;
            writer.write_all(b"\r\n").await?;
        }
        writer.write_all(b"0\r\n\r\n").await
    });
    let exchange = async {
        let mut received = Vec::new();
        let mut buffer = [0u8; 4096];
        while !received.windows(4).any(|window| window == b"\r\n\r\n") {
            let read = reader.read(&mut buffer).await.unwrap();
            assert!(read > 0, "the connection closed without a response");
            received.extend_from_slice(&buffer[..read]);
        }
        String::from_utf8_lossy(&received).to_string()
    };
    let response = tokio::time::timeout(RAW_EXCHANGE_LIMIT, exchange).await.expect("no response to a chunked oversized upload");
    let _ = sender.await;

    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert_eq!(fixture.photo_count(), 0);
}

#[tokio::test]
async fn path_tricks_rejected() {
    let fixture = start().await;
    let photo = png(50);
    let frozen = record_with(vec![photo_ref(&photo)]);
    fixture.submit(&frozen).await;
    let hash = sha256_hex(&photo);
    let files_before = files_under(fixture._backend.path());

    let tricks = [
        "../../db".to_string(),
        "..%2F..%2Fdb".to_string(),
        "%2e%2e%2f%2e%2e%2fdb".to_string(),
        "%2e%2e".to_string(),
        hash.to_uppercase(),
        hash[..63].to_string(),
        format!("{hash}0"),
        format!("{}%00", &hash[..61]),
        "photo.jpg".to_string(),
        format!("{hash}.jpg"),
        format!("{hash}%2F..%2F..%2Fx"),
    ];
    for trick in &tricks {
        let head = format!("PUT /api/v1/inspections/{}/photos/{trick} HTTP/1.1\r\nContent-Type: image/png\r\nContent-Length: {}", frozen.id, photo.len());
        let (status, body) = fixture.raw(&head, &photo).await;

        assert!(status == 400 || status == 404, "{trick}: HTTP {status} {body}");
        if status == 400 {
            let error: ApiError = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{trick}: {e}: {body}"));
            assert_eq!(error.code, "invalid_photo", "{trick}");
        }
    }

    assert_eq!(fixture.photo_count(), 0);
    assert_eq!(files_under(fixture._backend.path()).len(), files_before.len(), "a request created a file");
}

/// Lists every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[tokio::test]
async fn other_jurisdiction_rejected() {
    let fixture = start().await;
    let photo = png(60);
    let frozen = record_with(vec![photo_ref(&photo)]);
    fixture.submit(&frozen).await;
    let outsider = log_in(&fixture.server.url(), OTHER_CITY_OFFICER, PASSWORD).await.token;

    let missing = fixture.get_missing(&frozen, Some(&outsider)).await;
    assert_error(missing, StatusCode::FORBIDDEN, error_code::OUTSIDE_JURISDICTION, "other city reads the missing photos").await;
    let upload = fixture.put_photo(&frozen, &sha256_hex(&photo), &photo, Some(&outsider)).await;
    assert_error(upload, StatusCode::FORBIDDEN, error_code::OUTSIDE_JURISDICTION, "other city uploads").await;

    assert_eq!(fixture.photo_count(), 0);
}

#[tokio::test]
async fn administrator_reads_but_cannot_upload() {
    let fixture = start().await;
    let photo = png(61);
    let frozen = record_with(vec![photo_ref(&photo)]);
    fixture.submit(&frozen).await;
    let admin = log_in(&fixture.server.url(), DEMO_ACCOUNTS[2].0, DEMO_ADMIN_PASSWORD).await.token;

    let missing = fixture.get_missing(&frozen, Some(&admin)).await;
    assert_eq!(missing.status(), StatusCode::OK);
    let upload = fixture.put_photo(&frozen, &sha256_hex(&photo), &photo, Some(&admin)).await;
    assert_error(upload, StatusCode::FORBIDDEN, error_code::ROLE_REQUIRED, "administrator uploads").await;

    assert_eq!(fixture.photo_count(), 0);
}

#[tokio::test]
async fn missing_token_rejected() {
    let fixture = start().await;
    let photo = png(62);
    let frozen = record_with(vec![photo_ref(&photo)]);
    fixture.submit(&frozen).await;

    let missing = fixture.get_missing(&frozen, None).await;
    assert_error(missing, StatusCode::UNAUTHORIZED, error_code::TOKEN_MISSING, "missing photos without a token").await;
    let upload = fixture.put_photo(&frozen, &sha256_hex(&photo), &photo, None).await;
    assert_error(upload, StatusCode::UNAUTHORIZED, error_code::TOKEN_MISSING, "upload without a token").await;

    let mut anonymous = fixture.client();
    anonymous.set_token(None);
    let outcome = anonymous.upload_photo(frozen.id, &sha256_hex(&photo), photo.clone()).await;
    assert!(matches!(outcome, PhotoUploadOutcome::Unauthorized(_)), "{outcome:?}");
    assert_eq!(fixture.photo_count(), 0);
}

#[tokio::test]
async fn unknown_record_not_found() {
    let fixture = start().await;
    let photo = png(63);
    let never_sent = record_with(vec![photo_ref(&photo)]);

    let missing = fixture.get_missing(&never_sent, Some(&fixture.token)).await;
    assert_error(missing, StatusCode::NOT_FOUND, "inspection_not_found", "missing photos of an unknown record").await;
    let outcome = fixture.client().upload_photo(never_sent.id, &sha256_hex(&photo), photo.clone()).await;

    assert!(matches!(&outcome, PhotoUploadOutcome::Rejected { status: 404, error } if error.code == "inspection_not_found"), "{outcome:?}");
    assert_eq!(fixture.photo_count(), 0);
}

#[tokio::test]
async fn record_with_bad_photo_list_rejected() {
    let fixture = start().await;
    let photo = png(70);
    let mut upper_case = photo_ref(&photo);
    upper_case.sha256 = upper_case.sha256.to_uppercase();
    let mut empty = photo_ref(&photo);
    empty.bytes = 0;
    let mut oversized = photo_ref(&photo);
    oversized.bytes = MAX_PHOTO_BYTES as u64 + 1;
    let cases = [("upper-case hash", vec![upper_case]), ("empty photo", vec![empty]), ("oversized photo", vec![oversized]), ("photo listed twice", vec![photo_ref(&photo), photo_ref(&photo)])];

    for (description, photos) in cases {
        let frozen = record_with(photos);
        let response = put_inspection(&fixture.http, &fixture.server.url(), &frozen, &fixture.token).await;
        assert_error(response, StatusCode::BAD_REQUEST, "invalid_inspection", description).await;
    }

    assert_eq!(fixture.data.store.inspection_count().unwrap(), 0);
}
