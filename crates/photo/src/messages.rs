//! Photo errors in the officer's language, through the texts of [`outlet_core::i18n`].

use outlet_core::i18n::{Lang, Msg};

use crate::error::PhotoError;

const BYTES_PER_MB: f64 = 1_000_000.0;
const PIXELS_PER_MEGAPIXEL: f64 = 1_000_000.0;

impl PhotoError {
    /// Writes what went wrong and what to do next, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            PhotoError::Empty => Msg::PhotoEmpty.text(lang).to_string(),
            PhotoError::InputTooLarge { bytes, limit } => {
                Msg::PhotoFileTooLarge.fill(lang, &[&megabytes(*bytes as u64), &megabytes(*limit as u64)])
            }
            PhotoError::NotAnImage { start } => Msg::PhotoNotAnImage.fill(lang, &[start]),
            PhotoError::UnsupportedFormat { found } => unsupported_format_message(found, lang),
            PhotoError::TooManyPixels { width, height, limit } => {
                let limit = format!("{:.0}", *limit as f64 / PIXELS_PER_MEGAPIXEL);
                Msg::PhotoTooManyPixels.fill(lang, &[&width.to_string(), &height.to_string(), &limit])
            }
            PhotoError::TooMuchMemory { format, bytes, limit } => {
                Msg::PhotoTooMuchMemory.fill(lang, &[format.name(), &megabytes(*bytes), &megabytes(*limit)])
            }
            PhotoError::DecoderLimit { format, limit, .. } => Msg::PhotoDecoderLimit.fill(lang, &[format.name(), &megabytes(*limit)]),
            PhotoError::Truncated { format, .. } => Msg::PhotoTruncated.fill(lang, &[format.name()]),
            PhotoError::Corrupt { format, reason } => Msg::PhotoCorrupt.fill(lang, &[format.name(), reason]),
            PhotoError::UnsupportedFeature { format, reason } => Msg::PhotoUnsupportedFeature.fill(lang, &[format.name(), reason]),
            PhotoError::OutputTooLarge { bytes, limit, .. } => {
                Msg::PhotoOutputTooLarge.fill(lang, &[&megabytes(*bytes as u64), &megabytes(*limit as u64)])
            }
            PhotoError::Encode { reason } => Msg::PhotoEncodeFailed.fill(lang, &[reason]),
            PhotoError::InvalidSettings { field, value, expected } => Msg::PhotoInvalidSettings.fill(lang, &[field, value, expected]),
        }
    }
}

fn unsupported_format_message(found: &str, lang: Lang) -> String {
    let message = Msg::PhotoUnsupportedFormat.fill(lang, &[found]);
    if found != "HEIC" && found != "HEIF" {
        return message;
    }
    let separator = match lang {
        Lang::Zh => "",
        Lang::En => " ",
    };
    format!("{message}{separator}{}", Msg::PhotoHeicHint.text(lang))
}

/// Formats a byte count in decimal megabytes with one decimal, e.g. `40.0`.
fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / BYTES_PER_MB)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::PhotoFormat;

    #[test]
    fn too_many_pixels_names_size_and_limit() {
        let error = PhotoError::TooManyPixels { width: 60_000, height: 60_000, limit: 100_000_000 };

        let english = error.message(Lang::En);
        assert!(english.contains("60000×60000"), "{english}");
        assert!(english.contains("100 megapixels"), "{english}");
        assert!(error.message(Lang::Zh).contains("100 百万像素"));
    }

    #[test]
    fn heic_gets_iphone_hint() {
        let heic = PhotoError::UnsupportedFormat { found: "HEIC" }.message(Lang::En);
        let gif = PhotoError::UnsupportedFormat { found: "GIF" }.message(Lang::En);

        assert!(heic.contains("Most Compatible"), "{heic}");
        assert!(!gif.contains("Most Compatible"), "{gif}");
    }

    #[test]
    fn file_size_in_megabytes() {
        let error = PhotoError::InputTooLarge { bytes: 41_500_000, limit: 40_000_000 };

        assert_eq!(
            error.message(Lang::En),
            "The photo file is 41.5 MB, over the limit of 40.0 MB. Lower the camera's resolution and take it again."
        );
    }

    #[test]
    fn truncated_names_format() {
        let error = PhotoError::Truncated { format: PhotoFormat::Jpeg, reason: "ends early".into() };

        assert!(error.message(Lang::Zh).contains("JPEG"));
    }
}
