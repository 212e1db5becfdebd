//! The party's acknowledgement (当事人意见): a signature under 以上记录属实, or a refusal with its
//! reason and, where one is present, a witness's name and signature.

use dioxus::prelude::*;
use outlet_app_core::{DraftEdit, Event};
use outlet_core::i18n::{Lang, Msg};
use outlet_core::inspection::{Acknowledgement, Witness, ACKNOWLEDGEMENT_TEXT};
use time::Date;

use super::signature_pad::{DrawnStrokes, SignaturePad, SignatureView};

#[component]
pub fn AcknowledgementSection(lang: Lang, acknowledgement: Option<Acknowledgement>, record_date: Date) -> Element {
    let events = use_coroutine_handle::<Event>();
    // Chosen before the draft contains a refusal: the reason field shows while it is still empty.
    let mut refusing = use_signal(|| false);
    let t = |msg: Msg| msg.text(lang);

    let date = match &acknowledgement {
        Some(Acknowledgement::Signed { signed_on, .. }) => *signed_on,
        _ => record_date,
    };
    let date_text = Msg::PrintDate.fill(lang, &[&date.year().to_string(), &u8::from(date.month()).to_string(), &date.day().to_string()]);
    let date_label = if matches!(acknowledgement, Some(Acknowledgement::Refused { .. })) { Msg::FieldDate } else { Msg::PrintSignedOn };
    let refused = match &acknowledgement {
        Some(Acknowledgement::Refused { reason, witness }) => Some((reason.clone(), witness.clone())),
        None if refusing() => Some((String::new(), None)),
        _ => None,
    };

    let mut clear = move || {
        refusing.set(false);
        events.send(Event::Draft(DraftEdit::ClearAcknowledgement));
    };
    let party_signed = move |drawn: DrawnStrokes| {
        events.send(Event::Draft(DraftEdit::PartySigned { strokes: drawn.strokes, width: drawn.width, height: drawn.height }));
    };

    rsx! {
        fieldset { id: "acknowledgement", class: "acknowledgement",
            legend { {t(Msg::PrintAcknowledgement)} }
            p { {t(Msg::FormAckIntro)} }
            p { class: "statement", "{ACKNOWLEDGEMENT_TEXT}"
                if lang == Lang::En {
                    span { class: "meaning", " {t(Msg::FormAckMeaning)}" }
                }
            }
            p { id: "acknowledgement-date", class: "date", {Msg::FormLabelValue.fill(lang, &[t(date_label), &date_text])} }

            if let Some(Acknowledgement::Signed { signature, .. }) = &acknowledgement {
                p { id: "party-signed", class: "signed", {t(Msg::FormSigned)} }
                SignatureView { id: "party-signature-view", signature: signature.clone() }
                button { id: "clear-acknowledgement", r#type: "button", onclick: move |_| clear(), {t(Msg::FormClearAcknowledgement)} }
            } else if let Some((reason, witness)) = refused {
                RefusalFields { lang, reason, witness, stored: acknowledgement.is_some() }
                button { id: "party-signs-instead", r#type: "button", onclick: move |_| clear(), {t(Msg::FormPartySignsInstead)} }
            } else {
                p { class: "field-label", {t(Msg::PrintPartySignature)} }
                SignaturePad { lang, id: "party-signature", on_confirm: party_signed }
                button { id: "party-refuses", class: "danger", r#type: "button", onclick: move |_| refusing.set(true), {t(Msg::FormPartyRefuses)} }
            }
        }
    }
}

/// The refusal's reason and the witness. The witness fields wait until a reason is stored, because
/// the core takes a witness only for a stored refusal.
#[component]
fn RefusalFields(lang: Lang, reason: String, witness: Option<Witness>, stored: bool) -> Element {
    let events = use_coroutine_handle::<Event>();
    let mut signing_again = use_signal(|| false);
    let t = |msg: Msg| msg.text(lang);
    let witness_name = witness.as_ref().map(|w| w.name.clone()).unwrap_or_default();
    let witness_signature = witness.map(|w| w.signature).filter(|signature| signature.is_drawn());

    let witness_signed = move |drawn: DrawnStrokes| {
        signing_again.set(false);
        events.send(Event::Draft(DraftEdit::WitnessSigned { strokes: drawn.strokes, width: drawn.width, height: drawn.height }));
    };

    rsx! {
        p { id: "party-refused", class: "refused", {t(Msg::FormPartyRefuses)} }
        label { r#for: "refusal-reason", {t(Msg::FormRefusalReason)} }
        input { id: "refusal-reason", value: "{reason}",
            oninput: move |evt: FormEvent| events.send(Event::Draft(DraftEdit::PartyRefused(evt.value()))) }
        label { r#for: "witness-name", {t(Msg::FormWitnessName)} }
        input { id: "witness-name", value: "{witness_name}", disabled: !stored,
            oninput: move |evt: FormEvent| events.send(Event::Draft(DraftEdit::WitnessName(evt.value()))) }
        p { class: "field-label", {t(Msg::PrintWitnessSignature)} }
        match witness_signature {
            Some(signature) if !signing_again() => rsx! {
                SignatureView { id: "witness-signature-view", signature }
                button { id: "witness-sign-again", r#type: "button", onclick: move |_| signing_again.set(true), {t(Msg::FormSignatureRedo)} }
            },
            _ if stored => rsx! { SignaturePad { lang, id: "witness-signature", on_confirm: witness_signed } },
            _ => rsx! {},
        }
    }
}
