//! The `outlet` command as an administrator runs it, on a temporary data folder and the test's store
//! (see `common::backend`).

mod common;

use std::path::Path;

use common::backend::Backend;
use common::cli::{outlet, outlet_on, path, stdout};

#[test]
fn every_subcommand_has_help() {
    for subcommand in ["serve", "placard", "keys", "scan", "import", "demo-data", "accounts"] {
        let output = outlet(&[subcommand, "--help"]);
        assert!(output.status.success(), "{subcommand} --help failed");
        assert!(stdout(&output).contains("Usage: outlet"), "{subcommand} --help lacks usage");
    }
}

#[test]
fn placards_scan_then_key_retirement() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::new();
    let data = dir.path().join("data");
    let out = dir.path().join("placards");

    let issued = outlet_on(&backend, &["placard", "--demo", "--data-dir", path(&data), "--out", path(&out), "--public-url", "http://127.0.0.1:8080", "--format", "png", "--format", "pdf-batch", "--layout", "post"]);
    assert!(issued.status.success(), "{}", String::from_utf8_lossy(&issued.stderr));
    assert_eq!(stdout(&issued).lines().count(), 5, "one line per demo outlet");
    assert!(out.join("placards-post.pdf").exists());
    let png = out.join("91350100MA3KP00285001P-DW001-post.png");

    let scanned = outlet(&["scan", path(&png), "--data-dir", path(&data)]);
    assert!(scanned.status.success());
    assert!(stdout(&scanned).contains("signature valid"), "{}", stdout(&scanned));

    let broken = dir.path().join("broken.jpg");
    std::fs::write(&broken, b"not a photo").unwrap();
    let json = outlet(&["scan", "--json", path(&png), path(&broken), "--data-dir", path(&data)]);
    assert!(!json.status.success(), "an unreadable photo sets the exit status");
    let lines: Vec<serde_json::Value> = stdout(&json).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(lines.len(), 2, "one object per photo");
    assert_eq!(lines[0]["photo"], path(&png));
    assert_eq!(lines[0]["codes"][0]["kind"], "placard");
    assert_eq!(lines[0]["codes"][0]["outlet"], "91350100MA3KP00285001P-DW001");
    assert_eq!(lines[0]["codes"][0]["signature"], "valid");
    assert_eq!(lines[0]["error"], serde_json::Value::Null);
    assert_eq!(lines[1]["photo"], path(&broken));
    assert_eq!(lines[1]["codes"].as_array().unwrap().len(), 0);
    assert!(!lines[1]["error"].as_str().unwrap().is_empty());

    assert!(outlet_on(&backend, &["keys", "--data-dir", path(&data), "rotate"]).status.success());
    let retired = outlet_on(&backend, &["keys", "--data-dir", path(&data), "retire", "K1"]);
    assert!(retired.status.success(), "{}", String::from_utf8_lossy(&retired.stderr));
    assert!(stdout(&retired).contains("5 placards must be reprinted"), "{}", stdout(&retired));
    assert!(stdout(&retired).contains("91350100MA3KP00285001P-DW001\tno. 1"));

    let rescanned = outlet(&["scan", path(&png), "--data-dir", path(&data)]);
    assert!(stdout(&rescanned).contains("retired key K1"), "{}", stdout(&rescanned));

    let blocked = outlet_on(&backend, &["placard", "--data-dir", path(&data), "--out", path(&out), "--public-url", "http://127.0.0.1:8080", "--outlet", "91350100MA3KP00285001P-DW001"]);
    assert!(!blocked.status.success(), "printing a placard of a retired key must fail");
    assert!(String::from_utf8_lossy(&blocked.stderr).contains("--reissue"));

    let reissued = outlet_on(&backend, &["placard", "--data-dir", path(&data), "--out", path(&out), "--public-url", "http://127.0.0.1:8080", "--outlet", "91350100MA3KP00285001P-DW001", "--reissue", "key K1 retired"]);
    assert!(reissued.status.success(), "{}", String::from_utf8_lossy(&reissued.stderr));
    assert!(stdout(&reissued).contains("no. 2"), "{}", stdout(&reissued));
}

#[test]
fn scan_reports_bad_photos_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let broken = dir.path().join("broken.jpg");
    std::fs::write(&broken, b"not a photo").unwrap();
    assert!(outlet(&["keys", "--data-dir", path(&data), "list"]).status.success());

    let output = outlet(&["scan", path(&broken), path(&dir.path().join("missing.png")), "--data-dir", path(&data)]);

    assert!(!output.status.success());
    assert_eq!(stdout(&output).matches("error:").count(), 2, "{}", stdout(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("2 of the photos could not be read"));
}

#[test]
fn decoder_panic_prints_no_panic_report() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(outlet(&["keys", "--data-dir", path(&data), "list"]).status.success());
    // rqrr 0.11 panics on this image (an assertion in its geometry code); the scan catches it.
    let photo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/qr/zxing/core/src/test/resources/blackbox/qrcode-6/7.png");

    let output = outlet(&["scan", path(&photo), "--data-dir", path(&data)]);

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked at"), "{stderr}");
    assert!(stdout(&output).contains("not an outlet placard"), "{}", stdout(&output));
}

#[test]
fn placard_of_unknown_outlet_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Backend::new();
    let output = outlet_on(&backend, &["placard", "--data-dir", path(&dir.path().join("data")), "--out", path(dir.path()), "--public-url", "http://x", "--outlet", "91350100M000100Y43001P-DA009"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("91350100M000100Y43001P-DA009"));
}
