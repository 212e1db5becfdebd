//! Inputs for the tests: public photos from the QR corpus, and the same photos with EXIF blocks
//! written by kamadak-exif's writer, so that no external tool is needed.
#![allow(dead_code)]

use std::io::Cursor;
use std::path::PathBuf;

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};
use outlet_photo::PhotoSettings;
use time::macros::offset;

/// A 2625×3500 camera photo (portrait, no EXIF) from rqrr's test images.
pub const LARGE_PORTRAIT_JPEG: &str = "rqrr/tests/data/errors/should-not-panic-2.jpg";
/// A 1536×2048 photo (portrait, JFIF, no EXIF) from rqrr's test images.
pub const GOGH_JPEG: &str = "rqrr/tests/data/full/gogh.jpg";
/// A 410×392 photo (no EXIF) from rqrr's test images.
pub const SMALL_JPEG: &str = "rqrr/tests/data/errors/should-not-panic-1.jpg";
/// A 640×480 RGB camera photo from zxing's test images.
pub const PHOTO_PNG: &str = "zxing/core/src/test/resources/blackbox/qrcode-1/1.png";
/// A 358×310 lossy WebP photo from zxing-cpp's test images.
pub const PHOTO_WEBP: &str = "zxing-cpp/test/samples/qrcode-1/1.webp";
/// A GIF from rqrr's test images.
pub const GIF: &str = "rqrr/tests/data/github.gif";

/// Returns the public QR corpus folder: `shared/corpora/qr` beside the repository, or where
/// `OUTLET_QR_CORPUS` points.
pub fn corpus_dir() -> PathBuf {
    std::env::var("OUTLET_QR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/qr"))
}

pub fn corpus_file(relative: &str) -> Vec<u8> {
    let path = corpus_dir().join(relative);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}; set OUTLET_QR_CORPUS to the QR corpus", path.display()))
}

/// Default settings for a device in China Standard Time (UTC+8).
pub fn china_settings() -> PhotoSettings {
    PhotoSettings::new(offset!(+8))
}

pub fn ascii(tag: Tag, text: &str) -> Field {
    Field { tag, ifd_num: In::PRIMARY, value: Value::Ascii(vec![text.as_bytes().to_vec()]) }
}

pub fn short(tag: Tag, value: u16) -> Field {
    Field { tag, ifd_num: In::PRIMARY, value: Value::Short(vec![value]) }
}

/// Builds a GPS coordinate field of degrees, minutes and seconds. Seconds are kept to a thousandth.
pub fn degrees_minutes_seconds(tag: Tag, degrees: u32, minutes: u32, seconds: f64) -> Field {
    let thousandths = (seconds * 1000.0).round() as u32;
    let parts: Vec<Rational> = vec![(degrees, 1).into(), (minutes, 1).into(), (thousandths, 1000).into()];
    Field { tag, ifd_num: In::PRIMARY, value: Value::Rational(parts) }
}

/// Fields as a phone writes them for a photo taken in Fuzhou on 4 December 2026 at 09:30:15.250
/// local time (UTC+8), at 26°4'30.5"N 119°17'46.2"E, held upright in portrait (orientation 6).
pub fn phone_fields() -> Vec<Field> {
    vec![
        ascii(Tag::Make, "TestMaker"),
        ascii(Tag::Model, "Phone 1"),
        short(Tag::Orientation, 6),
        ascii(Tag::DateTimeOriginal, "2026:12:04 09:30:15"),
        ascii(Tag::SubSecTimeOriginal, "250"),
        ascii(Tag::OffsetTimeOriginal, "+08:00"),
        ascii(Tag::GPSLatitudeRef, "N"),
        degrees_minutes_seconds(Tag::GPSLatitude, 26, 4, 30.5),
        ascii(Tag::GPSLongitudeRef, "E"),
        degrees_minutes_seconds(Tag::GPSLongitude, 119, 17, 46.2),
        ascii(Tag::GPSMapDatum, "WGS-84"),
    ]
}

/// Encodes `fields` as a big-endian TIFF-structured EXIF block, with `thumbnail` as the JPEG
/// thumbnail of IFD 1 when given.
pub fn exif_block(fields: &[Field], thumbnail: Option<&[u8]>) -> Vec<u8> {
    let mut writer = Writer::new();
    for field in fields {
        writer.push_field(field);
    }
    if let Some(thumbnail) = thumbnail {
        writer.set_jpeg(thumbnail, In::THUMBNAIL);
    }

    let mut block = Cursor::new(Vec::new());
    writer.write(&mut block, false).expect("EXIF fields encode");
    block.into_inner()
}

/// Inserts an APP1 EXIF segment holding `block` right after the JPEG's start-of-image marker,
/// where cameras put it.
pub fn jpeg_with_exif(jpeg: &[u8], block: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "not a JPEG");
    let payload_len = 2 + 6 + block.len();
    let length = u16::try_from(payload_len).expect("EXIF block fits one APP1 segment");

    let mut out = Vec::with_capacity(jpeg.len() + payload_len + 2);
    out.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xE1]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(block);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Adds a real EXIF block to a JPEG: `fields` and a 160-pixel thumbnail of the photo, as a phone
/// writes them.
pub fn jpeg_with_fields(jpeg: &[u8], fields: &[Field]) -> Vec<u8> {
    let thumbnail = thumbnail_jpeg(jpeg);
    jpeg_with_exif(jpeg, &exif_block(fields, Some(&thumbnail)))
}

fn thumbnail_jpeg(jpeg: &[u8]) -> Vec<u8> {
    let picture = image::load_from_memory(jpeg).expect("corpus JPEG decodes").thumbnail(160, 160).into_rgb8();
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 70).encode_image(&picture).expect("thumbnail encodes");
    bytes
}

/// Inserts an `eXIf` chunk holding `block` after the PNG's IHDR chunk, before the image data, where
/// the `png` decoder reads it.
pub fn png_with_exif(png: &[u8], block: &[u8]) -> Vec<u8> {
    const SIGNATURE_AND_IHDR: usize = 8 + 4 + 4 + 13 + 4;
    assert_eq!(&png[12..16], b"IHDR", "not a PNG");

    let mut out = png[..SIGNATURE_AND_IHDR].to_vec();
    out.extend_from_slice(&png_chunk(b"eXIf", block));
    out.extend_from_slice(&png[SIGNATURE_AND_IHDR..]);
    out
}

/// Encodes a PNG chunk: length, type, data and the CRC-32 of type and data.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = Vec::with_capacity(data.len() + 12);
    chunk.extend_from_slice(&(data.len() as u32).to_be_bytes());
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);

    let crc = crc32(&chunk[4..]);
    chunk.extend_from_slice(&crc.to_be_bytes());
    chunk
}

/// Computes the CRC-32 that PNG chunks carry (ISO-HDLC polynomial), bit by bit.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// Builds a PNG whose header claims `width`×`height` RGBA pixels of `bit_depth` bits a channel (8 or 16),
/// followed by a few bytes of image data: a decompression bomb's shape, without the bomb.
pub fn png_claiming(width: u32, height: u32, bit_depth: u8) -> Vec<u8> {
    const COLOR_TYPE_RGBA: u8 = 6;
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[bit_depth, COLOR_TYPE_RGBA, 0, 0, 0]);

    // A zlib stream of one stored block of 16 zero bytes (the start of the first row), and the
    // stream's Adler-32: a = 1, b = 16 × 1.
    let mut image_data = vec![0x78, 0x01, 0x01, 16, 0, !16u8, 0xFF];
    image_data.extend_from_slice(&[0; 16]);
    image_data.extend_from_slice(&[0x00, 0x10, 0x00, 0x01]);

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&png_chunk(b"IHDR", &header));
    png.extend_from_slice(&png_chunk(b"IDAT", &image_data));
    png.extend_from_slice(&png_chunk(b"IEND", &[]));
    png
}

/// Rewrites the start-of-frame segment of a real JPEG to claim `width`×`height`. The scan data stays
/// that of the original, far too short for the claim.
pub fn jpeg_claiming(jpeg: &[u8], width: u16, height: u16) -> Vec<u8> {
    let mut out = jpeg.to_vec();
    let frame_at = out.windows(2).position(|pair| pair == [0xFF, 0xC0] || pair == [0xFF, 0xC2]).expect("JPEG has a frame header");
    out[frame_at + 5..frame_at + 7].copy_from_slice(&height.to_be_bytes());
    out[frame_at + 7..frame_at + 9].copy_from_slice(&width.to_be_bytes());
    out
}

/// Deterministic pseudo-random bytes (xorshift64), so that failures repeat.
pub struct Noise(u64);

impl Noise {
    pub fn new(seed: u64) -> Self {
        Noise(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound as u64) as usize
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// Decodes a prepared JPEG with `image`, independently of the crate's own code.
pub fn decode_output(bytes: &[u8]) -> image::RgbImage {
    image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg).expect("output is a JPEG").into_rgb8()
}
