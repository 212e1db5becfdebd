//! The outbox: unfinished drafts, then every finalized record with its true sync status and the
//! actions it allows (correction, PDF, and delete once the server has everything).

use dioxus::prelude::*;
use outlet_app_core::{Event, Model};
use outlet_core::api::ApiError;
use outlet_core::i18n::{format_time, Lang, Msg};
use outlet_core::inspection::InspectionDraft;
use outlet_core::OutletId;
use outlet_store::{OutboxEntry, OutboxState, PhotoSync};

/// Hex digits of a photo's SHA-256 named in a rejection.
const HASH_PREFIX: usize = 16;

/// The outbox screen. What it calls pending, synced or deletable comes from the model's own rules
/// ([`Model::pending_count`], [`Model::all_synced`], [`Model::can_delete`]), so the screen never
/// decides on its own that a record is safe.
#[component]
pub fn OutboxScreen(lang: Lang, model: Model) -> Element {
    let events = use_coroutine_handle::<Event>();
    let pending = model.pending_count();
    let all_synced = model.all_synced();
    let need_attention = model.outbox.iter().filter(|entry| !entry.is_synced() && entry.state != OutboxState::Queued && !entry.photos_pending()).count();

    let mut summary = Vec::new();
    if model.outbox.is_empty() {
        summary.push(Msg::OutboxEmpty.text(lang).to_string());
    } else if all_synced {
        summary.push(Msg::AllSynced.text(lang).to_string());
    } else {
        if pending > 0 {
            summary.push(Msg::PendingCount.fill(lang, &[&pending.to_string()]));
        }
        if need_attention > 0 {
            summary.push(Msg::OutboxNeedAttention.fill(lang, &[&need_attention.to_string()]));
        }
    }
    let records = model.outbox.iter().rev().map(|entry| {
        let id = entry.frozen.id;
        let exported_path = model.exported_pdf.as_ref().filter(|pdf| pdf.inspection_id == id).map(|pdf| pdf.path.display().to_string());
        (entry.clone(), model.sending == Some(id), model.can_delete(id), exported_path)
    });

    rsx! {
        section { class: "outbox",
            h2 { {Msg::OutboxTitle.text(lang)} }
            if !model.drafts.is_empty() {
                h3 { {Msg::OutboxDrafts.text(lang)} }
                ul { id: "drafts",
                    for draft in model.drafts.iter().cloned() {
                        DraftRow { lang, draft }
                    }
                }
            }

            h3 { {Msg::OutboxRecords.text(lang)} }
            p { id: "outbox-summary", class: if all_synced { "synced" } else { "pending" },
                for line in summary {
                    span { class: "summary-line", "{line}" }
                }
            }
            if let Some(at) = model.next_retry_at.filter(|_| pending > 0) {
                p { id: "next-retry", {Msg::NextRetry.fill(lang, &[&format_time(at)])} }
            }
            button { id: "sync", class: "primary", disabled: model.syncing, onclick: move |_| events.send(Event::Sync),
                if model.syncing { {Msg::Syncing.text(lang)} } else { {Msg::SyncNow.text(lang)} }
            }
            ul { id: "records",
                for (entry, sending, deletable, exported_path) in records {
                    RecordRow { lang, entry, sending, deletable, exported_path }
                }
            }
        }
    }
}

#[component]
fn DraftRow(lang: Lang, draft: InspectionDraft) -> Element {
    let events = use_coroutine_handle::<Event>();
    let id = draft.id;

    rsx! {
        li { class: "draft-entry", "data-id": "{id}",
            div { class: "record-no code", "{draft.record_no}" }
            div { class: "outlets", {outlet_codes(lang, &draft.outlets)} }
            div { class: "time", {format_time(draft.started_at)} }
            button { class: "open-draft", r#type: "button", onclick: move |_| events.send(Event::OpenDraft(id)), {Msg::OutboxOpenDraft.text(lang)} }
        }
    }
}

#[component]
fn RecordRow(lang: Lang, entry: OutboxEntry, sending: bool, deletable: bool, exported_path: Option<String>) -> Element {
    let events = use_coroutine_handle::<Event>();
    let t = |msg: Msg| msg.text(lang);
    let id = entry.frozen.id;
    // The number is inside the frozen bytes; a record that no longer decodes is listed by its id.
    let record_no = entry.frozen.record().map_or_else(|_| id.to_string(), |record| record.record_no);

    let (class, status) = if sending {
        ("state sending", t(Msg::OutboxStateSending).to_string())
    } else {
        match &entry.state {
            OutboxState::Queued => ("state queued", t(Msg::StateQueued).to_string()),
            OutboxState::Acknowledged(receipt) => ("state acknowledged", Msg::StateAcknowledged.fill(lang, &[&receipt.receipt_no])),
            OutboxState::Quarantined { status, error } => ("state quarantined", Msg::OutboxQuarantined.fill(lang, &[&status.to_string(), api_message(lang, error)])),
        }
    };
    let photos = match &entry.photos {
        _ if entry.photos_pending() => Some(("photos uploading", Msg::OutboxPhotosUploading.fill(lang, &[&entry.photo_count.to_string()]))),
        PhotoSync::Rejected { sha256, status, error } => {
            let hash: String = sha256.chars().take(HASH_PREFIX).collect();
            Some(("photos rejected", Msg::OutboxPhotoRejected.fill(lang, &[&hash, &status.to_string(), api_message(lang, error)])))
        }
        _ => None,
    };
    let clock_skew = match &entry.state {
        OutboxState::Acknowledged(receipt) => receipt.clock_skew_secs,
        _ => None,
    };

    rsx! {
        li { class: "outbox-entry", "data-id": "{id}",
            div { class: "record-no code", "{record_no}" }
            div { class: "outlets", {outlet_codes(lang, &entry.frozen.outlets)} }
            div { class: "time", {format_time(entry.finalized_at)} }
            div { class, {status} }
            if let Some((class, text)) = photos {
                div { class, {text} }
            }
            if let Some(secs) = clock_skew {
                div { class: "clock-skew", {Msg::ReceiptClockSkew.fill(lang, &[&secs.to_string()])} }
            }
            if let Some(path) = exported_path {
                div { class: "exported-pdf", {Msg::PdfWritten.fill(lang, &[&path])} }
            }
            div { class: "actions",
                button { class: "correct", r#type: "button", onclick: move |_| events.send(Event::StartCorrection(id)), {t(Msg::OutboxCorrect)} }
                button { class: "export-pdf", r#type: "button", onclick: move |_| events.send(Event::ExportPdf(id)), {t(Msg::OutboxExportPdf)} }
                if deletable {
                    button { class: "delete danger", r#type: "button", onclick: move |_| events.send(Event::DeleteRecord(id)), {t(Msg::OutboxDelete)} }
                }
            }
        }
    }
}

/// Returns the server's reason in the screen's language.
fn api_message(lang: Lang, error: &ApiError) -> &str {
    match lang {
        Lang::Zh => &error.message_zh,
        Lang::En => &error.message_en,
    }
}

/// Joins the outlet codes of a record, e.g. `DA001、DA002`.
fn outlet_codes(lang: Lang, outlets: &[OutletId]) -> String {
    let codes: Vec<String> = outlets.iter().map(|outlet| outlet.outlet_code.to_string()).collect();
    codes.join(Msg::PrintListSeparator.text(lang))
}
