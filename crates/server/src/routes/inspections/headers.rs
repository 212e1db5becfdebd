//! The request headers that come with an inspection record: the device that signed it, the
//! signature, and the device's clock when sending.

use axum::http::HeaderMap;
use outlet_core::api::{inspection_header, CLOCK_SKEW_TOLERANCE_SECS};
use outlet_core::i18n::Msg;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::{Detail, Failure};

/// Maximum number of characters of a header value that an error message repeats.
const MAX_QUOTED_CHARS: usize = 100;

/// The values of the headers `Outlet-Device-Id`, `Outlet-Signature` and `Outlet-Sent-At`.
#[derive(Debug, Clone)]
pub(super) struct Signed {
    pub device_id: Uuid,
    /// As sent; checked when the signature is verified.
    pub signature: String,
    pub sent_at: OffsetDateTime,
}

impl Signed {
    /// Reads the three headers. A missing header or a device id or time that does not parse is
    /// [`Failure::InvalidInspection`] naming the header.
    pub(super) fn from_headers(headers: &HeaderMap) -> Result<Self, Failure> {
        let device_id = text(headers, inspection_header::DEVICE_ID, "Outlet-Device-Id")?;
        let device_id = Uuid::parse_str(device_id.trim()).map_err(|_| invalid(Msg::DetailDeviceIdHeader, &device_id))?;

        let signature = text(headers, inspection_header::SIGNATURE, "Outlet-Signature")?.trim().to_string();

        let sent_at = text(headers, inspection_header::SENT_AT, "Outlet-Sent-At")?;
        let sent_at = OffsetDateTime::parse(sent_at.trim(), &Rfc3339).map_err(|_| invalid(Msg::DetailSentAtHeader, &sent_at))?;

        Ok(Self { device_id, signature, sent_at })
    }
}

/// Returns `sent_at - received_at` in whole seconds when its magnitude exceeds
/// [`CLOCK_SKEW_TOLERANCE_SECS`], else `None`.
pub(super) fn clock_skew(sent_at: OffsetDateTime, received_at: OffsetDateTime) -> Option<i64> {
    let skew = (sent_at - received_at).whole_seconds();
    (skew.abs() > CLOCK_SKEW_TOLERANCE_SECS).then_some(skew)
}

/// Reads header `name` as text, with bytes that are not UTF-8 replaced by U+FFFD, so that the
/// parse that follows rejects such a value and its message still shows the rest.
fn text(headers: &HeaderMap, name: &str, display_name: &str) -> Result<String, Failure> {
    let value = headers.get(name).ok_or_else(|| Failure::InvalidInspection(Detail::new(Msg::DetailHeaderMissing, &[&display_name])))?;
    Ok(String::from_utf8_lossy(value.as_bytes()).into_owned())
}

fn invalid(msg: Msg, value: &str) -> Failure {
    let quoted: String = value.chars().take(MAX_QUOTED_CHARS).collect();
    Failure::InvalidInspection(Detail::new(msg, &[&quoted]))
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn skew_within_tolerance_not_flagged() {
        let received = datetime!(2026-12-04 02:00:00 UTC);
        assert_eq!(clock_skew(received + time::Duration::seconds(CLOCK_SKEW_TOLERANCE_SECS), received), None);
        assert_eq!(clock_skew(received - time::Duration::seconds(10), received), None);
    }

    #[test]
    fn skew_beyond_tolerance_signed() {
        let received = datetime!(2026-12-04 02:00:00 UTC);
        assert_eq!(clock_skew(received + time::Duration::seconds(121), received), Some(121));
        assert_eq!(clock_skew(received - time::Duration::hours(1), received), Some(-3600));
    }

    #[test]
    fn headers_parsed_with_offset() {
        let mut headers = HeaderMap::new();
        headers.insert(inspection_header::DEVICE_ID, "0d0e0000-0000-4000-8000-000000000001".parse().unwrap());
        headers.insert(inspection_header::SIGNATURE, "c2lnbmF0dXJl".parse().unwrap());
        headers.insert(inspection_header::SENT_AT, "2026-12-04T10:00:05+08:00".parse().unwrap());

        let signed = Signed::from_headers(&headers).unwrap();

        assert_eq!(signed.device_id, Uuid::from_u128(0x0d0e_0000_0000_4000_8000_0000_0000_0001));
        assert_eq!(signed.signature, "c2lnbmF0dXJl");
        assert_eq!(signed.sent_at, datetime!(2026-12-04 02:00:05 UTC));
    }

    #[test]
    fn missing_and_bad_headers_named() {
        let mut headers = HeaderMap::new();
        let missing = Signed::from_headers(&headers).unwrap_err().to_string();
        assert!(missing.contains("Outlet-Device-Id"), "{missing}");

        headers.insert(inspection_header::DEVICE_ID, "not-a-uuid".parse().unwrap());
        let bad_id = Signed::from_headers(&headers).unwrap_err().to_string();
        assert!(bad_id.contains("not-a-uuid"), "{bad_id}");

        headers.insert(inspection_header::DEVICE_ID, "0d0e0000-0000-4000-8000-000000000001".parse().unwrap());
        headers.insert(inspection_header::SIGNATURE, "c2ln".parse().unwrap());
        headers.insert(inspection_header::SENT_AT, "yesterday".parse().unwrap());
        let bad_time = Signed::from_headers(&headers).unwrap_err().to_string();
        assert!(bad_time.contains("yesterday"), "{bad_time}");
        assert!(bad_time.contains("Outlet-Sent-At"), "{bad_time}");
    }
}
