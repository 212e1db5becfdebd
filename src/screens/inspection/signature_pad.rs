//! A signature pad drawn with pointer events on an inline SVG, so it works with a finger, a pen or a
//! mouse on every platform without a script. The strokes stay in the component until the signer
//! confirms. Only then do they reach the core, with the pad's size in CSS pixels for scaling.

use dioxus::prelude::*;
use outlet_core::i18n::{Lang, Msg};
use outlet_core::inspection::{Signature, SIGNATURE_HEIGHT, SIGNATURE_WIDTH};

/// Smallest move, in CSS pixels, that adds a point to a stroke. Finer moves add nothing visible and
/// would fill the record's point limit sooner.
const MIN_STEP_PX: f64 = 1.5;

/// Strokes drawn on the pad, in CSS pixels from its top left corner, with the pad's size.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnStrokes {
    pub strokes: Vec<Vec<(f64, f64)>>,
    pub width: f64,
    pub height: f64,
}

/// The pad, with "confirm" and "sign again" buttons. `id` prefixes the ids of its elements.
#[component]
pub fn SignaturePad(lang: Lang, id: String, on_confirm: EventHandler<DrawnStrokes>) -> Element {
    let mut strokes = use_signal(Vec::<Vec<(f64, f64)>>::new);
    let mut drawing = use_signal(|| false);
    // The pad's size in CSS pixels, from a resize observer on its frame, which the SVG fills exactly.
    let mut size = use_signal(|| None::<(f64, f64)>);
    let has_line = strokes.read().iter().any(|stroke| stroke.len() >= 2);

    let start = move |evt: PointerEvent| {
        if !evt.is_primary() {
            return;
        }
        evt.prevent_default();
        drawing.set(true);
        strokes.write().push(vec![element_point(&evt)]);
    };
    let extend = move |evt: PointerEvent| {
        if !drawing() || !evt.is_primary() {
            return;
        }
        // Released outside the pad, where its pointerup is not seen: the stroke ended there.
        if evt.held_buttons().is_empty() {
            drawing.set(false);
            return;
        }
        let (x, y) = element_point(&evt);
        let mut strokes = strokes.write();
        if let Some(stroke) = strokes.last_mut() {
            let far_enough = stroke.last().is_none_or(|&(last_x, last_y)| (x - last_x).hypot(y - last_y) >= MIN_STEP_PX);
            if far_enough {
                stroke.push((x, y));
            }
        }
    };
    let mut stop = move || drawing.set(false);

    let confirm = move |_| match size() {
        Some((width, height)) => on_confirm.call(DrawnStrokes { strokes: strokes(), width, height }),
        None => tracing::warn!("signature pad size not reported yet; signature not confirmed"),
    };
    let resized = move |evt: ResizeEvent| match evt.get_content_box_size() {
        Ok(box_size) => size.set(Some((box_size.width, box_size.height))),
        Err(error) => tracing::warn!(?error, "signature pad size unavailable"),
    };

    rsx! {
        div { class: "signature-pad", id: "{id}",
            p { class: "hint", {Msg::FormSignatureHint.text(lang)} }
            div { class: "pad-frame", onresize: resized,
                svg {
                    id: "{id}-pad",
                    class: "pad",
                    role: "img",
                    "aria-label": Msg::FormSignatureHint.text(lang),
                    onpointerdown: start,
                    onpointermove: extend,
                    onpointerup: move |_| stop(),
                    onpointerleave: move |_| stop(),
                    onpointercancel: move |_| stop(),
                    for stroke in strokes.read().iter() {
                        polyline { points: points_text(stroke.iter().copied()) }
                    }
                }
            }
            div { class: "row",
                button { id: "{id}-confirm", class: "confirm", r#type: "button", disabled: !has_line, onclick: confirm,
                    {Msg::FormSignatureConfirm.text(lang)}
                }
                button { id: "{id}-redo", r#type: "button", onclick: move |_| strokes.write().clear(), {Msg::FormSignatureRedo.text(lang)} }
            }
        }
    }
}

/// A stored signature, drawn in its [`SIGNATURE_WIDTH`] × [`SIGNATURE_HEIGHT`] box.
#[component]
pub fn SignatureView(signature: Signature, id: String) -> Element {
    let view_box = format!("0 0 {SIGNATURE_WIDTH} {SIGNATURE_HEIGHT}");

    rsx! {
        svg { id: "{id}", class: "signature", view_box, "data-strokes": "{signature.strokes.len()}",
            for stroke in signature.strokes.iter() {
                polyline { points: points_text(stroke.iter().map(|&[x, y]| (f64::from(x), f64::from(y)))) }
            }
        }
    }
}

/// Returns the pointer's position in CSS pixels from the pad's top left corner. The polylines ignore
/// pointer events (see the style sheet), so the target is always the pad itself.
fn element_point(evt: &PointerEvent) -> (f64, f64) {
    let point = evt.element_coordinates();
    (point.x, point.y)
}

/// Formats points as SVG `points` text, `x,y x,y ...`, rounded to 0.1.
fn points_text(points: impl Iterator<Item = (f64, f64)>) -> String {
    points.map(|(x, y)| format!("{:.1},{:.1}", x, y)).collect::<Vec<_>>().join(" ")
}
