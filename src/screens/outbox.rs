//! The outbox: every finalized record and whether the server acknowledged it.

use dioxus::prelude::*;
use outlet_app_core::Event;
use outlet_core::i18n::{format_time, Lang, Msg};
use outlet_store::{OutboxEntry, OutboxState};

#[component]
pub fn OutboxScreen(lang: Lang, outbox: Vec<OutboxEntry>, syncing: bool, next_retry_at: Option<time::OffsetDateTime>) -> Element {
    let events = use_coroutine_handle::<Event>();
    let pending = outbox.iter().filter(|e| e.state == OutboxState::Queued).count();
    let all_synced = outbox.iter().all(|e| matches!(e.state, OutboxState::Acknowledged(_)));
    let summary = if outbox.is_empty() {
        Msg::OutboxEmpty.text(lang).to_string()
    } else if all_synced {
        Msg::AllSynced.text(lang).to_string()
    } else {
        Msg::PendingCount.fill(lang, &[&pending.to_string()])
    };

    rsx! {
        section { class: "outbox",
            h2 { {Msg::OutboxTitle.text(lang)} }
            p { id: "outbox-summary", class: if all_synced { "synced" } else { "pending" }, {summary} }
            if let Some(at) = next_retry_at.filter(|_| pending > 0) {
                p { id: "next-retry", {Msg::NextRetry.fill(lang, &[&format_time(at)])} }
            }
            button { id: "sync", class: "primary", disabled: syncing, onclick: move |_| events.send(Event::Sync),
                if syncing { {Msg::Syncing.text(lang)} } else { {Msg::SyncNow.text(lang)} }
            }
            ul {
                for entry in outbox.iter().rev() {
                    li { class: "outbox-entry", "data-id": "{entry.frozen.id}",
                        div { class: "outlet", "{entry.frozen.outlet}" }
                        div { class: "time", {format_time(entry.finalized_at)} }
                        div {
                            class: match entry.state {
                                OutboxState::Queued => "state queued",
                                OutboxState::Acknowledged(_) => "state acknowledged",
                                OutboxState::Quarantined { .. } => "state quarantined",
                            },
                            {state_text(lang, &entry.state)}
                        }
                    }
                }
            }
        }
    }
}

fn state_text(lang: Lang, state: &OutboxState) -> String {
    match state {
        OutboxState::Queued => Msg::StateQueued.text(lang).to_string(),
        OutboxState::Acknowledged(receipt) => Msg::StateAcknowledged.fill(lang, &[&receipt.receipt_no]),
        OutboxState::Quarantined { error, .. } => {
            let reason = match lang {
                Lang::Zh => &error.message_zh,
                Lang::En => &error.message_en,
            };
            Msg::StateQuarantined.fill(lang, &[reason])
        }
    }
}
