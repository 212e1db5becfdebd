//! The public QR corpus: no image makes the scanner panic or yield a wrong text, and the decode rate
//! does not fall.
//!
//! The corpus lives in `shared/corpora/qr` beside the repository (or where `OUTLET_QR_CORPUS` points).

use std::path::PathBuf;
use std::time::Duration;

/// Images of the corpus decoded to an expected text when this test was last tightened.
/// Raise it when the pipeline improves; a drop below it fails.
const MIN_DECODED: usize = 310;

/// Texts that an image contains besides the ones its manifest line lists.
/// - The "double QR" sample is a small code printed inside a large one, and the two test suites each
///   list only one of them.
/// - ZXing's text file for qrcode-2/13 reads "photograph", but the symbol contains "photography", as
///   zxing-cpp's text file for its copy of the same picture and ZXing's own qrcode-2/12 say.
const ALSO_PRESENT: &[(&str, &str)] = &[
    ("zxing/core/src/test/resources/blackbox/qrcode-2/16.png", "[内側QRコード]\r\n\r\n*ダブルQR*\r\nhttp://d-qr.net/ex/"),
    ("zxing-cpp/test/samples/qrcode-2/16.webp", "[外側QRコード]\r\n \r\n*ﾀﾞﾌﾞﾙQR*\r\nhttp://d-qr.net/ex/"),
    (
        "zxing/core/src/test/resources/blackbox/qrcode-2/13.png",
        "The 2005 USGS aerial photography of the Washington Monument is censored.",
    ),
];

fn corpus_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("OUTLET_QR_CORPUS") {
        return PathBuf::from(dir);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/qr");
    assert!(dir.join("manifest.jsonl").exists(), "QR corpus not found at {}; set OUTLET_QR_CORPUS", dir.display());
    dir
}

/// Decodes every scored image with no time limit, so that the count does not depend on the speed
/// of the machine or the build profile.
#[test]
fn corpus_decodes_without_panic_or_wrong_text() {
    let dir = corpus_dir();
    let manifest = std::fs::read_to_string(dir.join("manifest.jsonl")).unwrap();
    let mut decoded = 0;
    let mut wrong = Vec::new();
    let mut undecoded = Vec::new();
    let mut total = 0;

    for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        let relative = entry["path"].as_str().unwrap();
        let mut expected: Vec<&str> = entry["expected"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        expected.extend(ALSO_PRESENT.iter().filter(|(path, _)| *path == relative).map(|(_, text)| *text));
        let bytes = std::fs::read(dir.join(relative)).unwrap();
        total += 1;

        let codes = outlet_scan::decode_image_within(&bytes, Duration::MAX).unwrap().codes;
        if codes.iter().any(|code| expected.contains(&code.text.as_str())) {
            decoded += 1;
        } else {
            undecoded.push(relative.to_string());
        }
        for code in codes.iter().filter(|code| !expected.contains(&code.text.as_str())) {
            wrong.push(format!("{relative}: {:?}", code.text));
        }
    }

    eprintln!("decoded {decoded} of {total} corpus images; not decoded: {undecoded:#?}");
    assert!(wrong.is_empty(), "{} decoded texts are not expected ones: {wrong:#?}", wrong.len());
    assert!(decoded >= MIN_DECODED, "decoded {decoded} of {total}, fewer than the recorded {MIN_DECODED}");
}

#[test]
fn known_rqrr_panic_image_is_handled() {
    let path = corpus_dir().join("zxing/core/src/test/resources/blackbox/qrcode-6/7.png");
    let bytes = std::fs::read(&path).unwrap();
    assert!(outlet_scan::decode_image_within(&bytes, Duration::MAX).is_ok());
}

#[test]
fn corrupt_image_is_an_error() {
    let error = outlet_scan::decode_image(b"\x89PNG\r\n\x1a\nnot really").unwrap_err();
    assert!(matches!(error, outlet_scan::ScanError::UnreadableImage(_)));
}

#[test]
fn frame_of_wrong_size_is_an_error() {
    assert!(outlet_scan::decode_frame(10, 10, vec![0; 99]).is_err());
}

#[test]
fn blank_frame_has_no_code() {
    assert_eq!(outlet_scan::decode_frame(64, 48, vec![255; 64 * 48]).unwrap(), Vec::new());
}
