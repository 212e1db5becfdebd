//! Reading codes: the live camera's frames, photos, and the choice among several codes in one view.

use std::time::Duration;

use outlet_core::i18n::Msg;
use outlet_core::placard::{parse_scanned_text, Authenticity, PlacardPayload, ScannedText};
use outlet_core::OutletId;
use outlet_scan::{DecodedCode, FrameHint, ScanError, FRAME_BUDGET};
use outlet_store::Kv;

use crate::core::Core;
use crate::model::{Model, NoticeLevel, PlacardCheck, ScanView};

/// Frames without any hint after which the last hint is cleared. Holding it this long (about a second
/// at the camera script's 5 frames a second) keeps it from flickering when only some frames show the
/// code's outline.
pub const HINT_HOLD_FRAMES: u32 = 5;

/// Maximum characters of a foreign code's text quoted in a notice. A longer text is cut and ends
/// with "…", so that a code holding a whole page cannot flood the screen.
const MAX_FOREIGN_CHARS: usize = 200;

/// The core's state for decoding camera frames.
#[derive(Debug)]
pub(crate) struct FrameState {
    /// Wall time each frame may take to decode.
    budget: Duration,
    /// Frames in a row that gave no hint since the last one that did.
    since_hint: u32,
}

impl Default for FrameState {
    fn default() -> Self {
        Self { budget: FRAME_BUDGET, since_hint: 0 }
    }
}

/// The codes of one picture, sorted by what they are.
#[derive(Debug, Default)]
struct SortedCodes {
    /// The first signed placard in decoding order.
    placard: Option<PlacardPayload>,
    /// The first bare `PERMIT_NO-OUTLET_CODE`.
    bare: Option<OutletId>,
    /// Texts of the codes that are not ours, each once, in decoding order.
    foreign: Vec<String>,
}

impl SortedCodes {
    fn sort(codes: &[DecodedCode]) -> Self {
        let mut sorted = SortedCodes::default();
        for code in codes {
            match parse_scanned_text(&code.text) {
                ScannedText::Placard(payload) => {
                    sorted.placard.get_or_insert(payload);
                }
                ScannedText::BareOutletId(outlet) => {
                    sorted.bare.get_or_insert(outlet);
                }
                ScannedText::Foreign(text) => {
                    if !sorted.foreign.contains(&text) {
                        sorted.foreign.push(text);
                    }
                }
            }
        }
        sorted
    }
}

impl<K: Kv> Core<K> {
    /// Sets the wall time each camera frame may take to decode, [`FRAME_BUDGET`] unless set. A frame
    /// that runs out of time is left unread and the next frame is tried, so a larger budget reads
    /// more per frame at a lower frame rate.
    pub fn set_frame_budget(&mut self, budget: Duration) {
        self.frames.budget = budget;
    }

    pub(crate) fn start_camera(&mut self) {
        self.model.scan = ScanView { camera_on: true, ..ScanView::default() };
        self.frames.since_hint = 0;
    }

    pub(crate) fn stop_camera(&mut self) {
        self.model.scan.camera_on = false;
        self.model.scan.hint = None;
    }

    /// Decodes one camera frame within the frame budget, so the camera keeps a steady rate even on a
    /// busy picture, and opens the codes in it. A frame without a code only updates the hint, because
    /// such frames are normal while the officer aims. A frame that arrives after the camera was
    /// stopped is dropped unread.
    pub(crate) async fn frame(&mut self, width: u32, height: u32, luma: Vec<u8>, publish: &mut dyn FnMut(&Model)) {
        if !self.model.scan.camera_on {
            return;
        }
        self.model.scan.frames_decoded += 1;

        let outcome = match outlet_scan::decode_frame_within(width, height, luma, self.frames.budget) {
            Ok(outcome) => outcome,
            Err(error) => {
                tracing::warn!(%error, "camera frame rejected");
                return;
            }
        };
        if outcome.budget_exhausted {
            tracing::trace!(width, height, frame = self.model.scan.frames_decoded, "frame decode stopped at its time budget");
        }

        if outcome.codes.is_empty() {
            self.update_hint(outcome.hint);
            return;
        }
        self.model.scan.hint = None;
        self.open_codes(outcome.codes, publish).await;
    }

    /// Shows a frame's hint at once, and clears the shown one after [`HINT_HOLD_FRAMES`] frames
    /// without any hint.
    fn update_hint(&mut self, hint: Option<FrameHint>) {
        match hint {
            Some(hint) => {
                self.model.scan.hint = Some(hint);
                self.frames.since_hint = 0;
            }
            None => {
                self.frames.since_hint += 1;
                if self.frames.since_hint >= HINT_HOLD_FRAMES {
                    self.model.scan.hint = None;
                }
            }
        }
    }

    pub(crate) async fn photo(&mut self, bytes: &[u8], publish: &mut dyn FnMut(&Model)) {
        match outlet_scan::decode_image(bytes) {
            Ok(codes) if codes.is_empty() => self.notify(NoticeLevel::Warning, Msg::NoCodeFound, &[]),
            Ok(codes) => self.open_codes(codes, publish).await,
            Err(ScanError::UnreadableImage(reason)) => self.notify(NoticeLevel::Error, Msg::UnreadableImage, &[&reason]),
            Err(error) => self.notify(NoticeLevel::Error, Msg::UnreadableImage, &[&error.to_string()]),
        }
    }

    /// Opens the best code of one view: a signed placard before a bare outlet id. Codes that are not
    /// ours are named as such with their text, also when a code of ours opened beside them. Once a
    /// code of ours was read the camera stops, whether or not its card can be shown.
    async fn open_codes(&mut self, codes: Vec<DecodedCode>, publish: &mut dyn FnMut(&Model)) {
        let sorted = SortedCodes::sort(&codes);
        let ours_found = sorted.placard.is_some() || sorted.bare.is_some();

        let foreign_msg = if ours_found { Msg::ForeignCodeBeside } else { Msg::ForeignCode };
        for text in &sorted.foreign {
            self.notify(NoticeLevel::Warning, foreign_msg, &[&quoted(text)]);
        }
        if ours_found {
            self.stop_camera();
        }

        if let Some(payload) = sorted.placard {
            self.open_placard(payload, publish).await;
        } else if let Some(outlet) = sorted.bare {
            self.scanned_serial = None;
            self.open_card(outlet, PlacardCheck::Unverified, publish).await;
        }
    }

    /// Checks a placard's signature, fetching the bureau's keys once when the key is unknown, warns
    /// about a bad one, and opens the outlet's card.
    async fn open_placard(&mut self, payload: PlacardPayload, publish: &mut dyn FnMut(&Model)) {
        let mut authenticity = payload.verify(&self.keys);
        if authenticity == Authenticity::UnknownKey {
            self.refresh_keys().await;
            authenticity = payload.verify(&self.keys);
        }
        let check = match authenticity {
            Authenticity::Genuine => PlacardCheck::Genuine,
            Authenticity::Forged => PlacardCheck::Forged,
            Authenticity::UnknownKey => PlacardCheck::UnknownKey,
            Authenticity::RetiredKey => PlacardCheck::RetiredKey,
        };

        let outlet = payload.outlet.clone();
        match check {
            PlacardCheck::Forged => {
                tracing::warn!(outlet = %outlet, serial = payload.serial, "placard signature invalid");
                self.notify(NoticeLevel::Error, Msg::ForgedPlacard, &[&outlet.to_string()]);
            }
            PlacardCheck::UnknownKey => self.notify(NoticeLevel::Warning, Msg::UnknownKeyPlacard, &[&payload.key_id]),
            PlacardCheck::RetiredKey => {
                tracing::warn!(outlet = %outlet, key_id = %payload.key_id, "placard signed with a retired key");
                self.notify(NoticeLevel::Error, Msg::RetiredKeyPlacard, &[&outlet.to_string()]);
            }
            _ => {}
        }

        self.scanned_serial = (check == PlacardCheck::Genuine).then_some(payload.serial);
        self.open_card(outlet, check, publish).await;
    }
}

/// Returns a foreign code's text as a notice quotes it: whole up to [`MAX_FOREIGN_CHARS`], else cut.
fn quoted(text: &str) -> String {
    match text.char_indices().nth(MAX_FOREIGN_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> DecodedCode {
        DecodedCode { text: text.to_string(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn bare_id_and_foreign_texts_sorted() {
        let codes = [code("https://example.com/menu"), code("91350100M000100Y43001P-DA001"), code("https://example.com/menu"), code("WIFI:S:cafe;;")];

        let sorted = SortedCodes::sort(&codes);

        assert!(sorted.placard.is_none());
        assert_eq!(sorted.bare.map(|outlet| outlet.to_string()).as_deref(), Some("91350100M000100Y43001P-DA001"));
        assert_eq!(sorted.foreign, ["https://example.com/menu", "WIFI:S:cafe;;"]);
    }

    #[test]
    fn long_foreign_text_cut() {
        let long = "码".repeat(MAX_FOREIGN_CHARS + 5);

        let shown = quoted(&long);

        assert_eq!(shown.chars().count(), MAX_FOREIGN_CHARS + 1);
        assert!(shown.ends_with('…'));
        assert_eq!(quoted("short"), "short");
    }
}
