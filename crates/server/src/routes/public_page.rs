//! `GET /o/{outlet_id}`: the public page a placard's QR code opens, readable on a phone.
//!
//! It shows the public subset of the card only: the permit and its status, the outlet, its limits,
//! special periods (marked when in force), the online monitors' status and latest readings, and the
//! public enforcement records. Internal records, internal notes, officers' names and badge numbers
//! never appear. Every value from the registry is HTML-escaped. `?lang=en` switches to English.

use std::fmt::Write;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Html;
use outlet_core::i18n::{Lang, Msg};
use outlet_core::markup::escape;
use outlet_core::{OutletCard, OutletId};
use serde::Deserialize;
use time::{OffsetDateTime, UtcOffset};

use crate::AppState;

mod sections;

/// The registry's dates are China Standard Time, so "today" for the permit alert and special periods
/// is the date in UTC+8, whatever the server's own time zone.
const CHINA_STANDARD_TIME: UtcOffset = time::macros::offset!(+8);

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
}

impl PageQuery {
    /// The page's language: English for `?lang=en`, Chinese otherwise, also for a query that does not
    /// parse (a repeated `lang`, say), because a citizen's link must always open.
    fn lang_of(query: Result<Query<PageQuery>, QueryRejection>) -> Lang {
        match query.ok().and_then(|Query(query)| query.lang) {
            Some(lang) if lang == "en" => Lang::En,
            _ => Lang::Zh,
        }
    }
}

/// Serves the public page for a signed placard URL (`SERIAL.KEY_ID.SIGNATURE` after the outlet id).
/// Only the serial is read here, to say when the placard was replaced; the app checks signatures.
pub async fn signed_page(
    State(state): State<AppState>,
    Path((outlet_id, signed)): Path<(String, String)>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> (StatusCode, Html<String>) {
    let mut parts = signed.split('.');
    let serial = parts.next().and_then(|s| s.parse::<u32>().ok());
    let retired = parts.next().is_some_and(|key_id| state.keys.retired.contains(key_id));
    respond(&state, &outlet_id, serial, retired, PageQuery::lang_of(query)).await
}

pub async fn page(State(state): State<AppState>, Path(outlet_id): Path<String>, query: Result<Query<PageQuery>, QueryRejection>) -> (StatusCode, Html<String>) {
    respond(&state, &outlet_id, None, false, PageQuery::lang_of(query)).await
}

async fn respond(state: &AppState, outlet_id: &str, scanned_serial: Option<u32>, retired_key: bool, lang: Lang) -> (StatusCode, Html<String>) {
    let card = match outlet_id.parse::<OutletId>() {
        Ok(outlet) => super::read_store(state, move |store| store.card(&outlet)).await,
        Err(_) => Ok(None),
    };
    match card {
        Ok(Some(card)) => {
            let replaced = matches!((scanned_serial, card.placard_serial), (Some(scanned), Some(current)) if scanned != current);
            let notice = if replaced {
                Some(Msg::PublicReplaced)
            } else if retired_key {
                Some(Msg::PublicRetired)
            } else {
                None
            };
            (StatusCode::OK, Html(render(&card.public_view(), notice, lang)))
        }
        Ok(None) => (StatusCode::NOT_FOUND, Html(render_not_found(outlet_id, lang))),
        Err(error) => {
            tracing::error!(%error, outlet_id, "public page could not read the card");
            (StatusCode::INTERNAL_SERVER_ERROR, Html(render_not_found(outlet_id, lang)))
        }
    }
}

/// Layout for a phone first: nothing wider than the screen, tables wrap long words instead of
/// scrolling sideways.
const STYLE: &str = "*{box-sizing:border-box}\
body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:0 auto;padding:12px;max-width:720px;line-height:1.5;color:#1b1b1b;overflow-wrap:anywhere}\
h1{font-size:1.3em;background:#00703c;color:#fff;padding:10px;margin:-12px -12px 12px}\
h2{font-size:1.05em;border-bottom:2px solid #00703c;margin-top:1.2em}\
table{border-collapse:collapse;width:100%;table-layout:fixed}td,th{border:1px solid #ccc;padding:4px;text-align:left;vertical-align:top;font-size:.95em}\
thead th{background:#f0f4f1}.fields th{width:38%}.nowrap{white-space:nowrap}.unit{display:block;color:#666;font-size:.85em;font-weight:normal}\
.binding{font-weight:bold;background:#e4f4ea}.detail td{font-size:.85em;color:#444}\
.in-force{background:#fff4d6;border-left:4px solid #c77700;padding:6px 8px;font-weight:bold}\
.marker{background:#c77700;color:#fff;border-radius:3px;padding:0 6px;font-size:.85em}\
.period{border:1px solid #ddd;border-radius:4px;padding:6px;margin:6px 0}.period.now{border-color:#c77700}\
.period p,.record p{margin:0 0 4px}td strong{color:#b00020}.label{color:#555;margin-right:.3em}\
.record{border-left:4px solid #00703c;padding:4px 8px;margin:6px 0;background:#fafafa}\
.hotline{background:#fff4d6;padding:8px;margin-top:1.5em;font-weight:bold}\
.replaced{background:#fde2e1;color:#8a1010;padding:8px;font-weight:bold}";

fn page_shell(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{}</title><style>{STYLE}</style></head><body><h1>{}</h1>{body}<p class=\"hotline\">{}</p></body></html>",
        lang.tag(),
        escape(title),
        escape(title),
        escape(Msg::PublicHotline.text(lang)),
    )
}

fn render_not_found(outlet_id: &str, lang: Lang) -> String {
    let body = format!("<p>{}</p>", escape(&Msg::PublicNotFound.fill(lang, &[outlet_id])));
    page_shell(lang, Msg::PublicTitle.text(lang), &body)
}

/// Renders the public subset of `card`, with `notice` (placard replaced or retired) above it.
/// `card` must already be the [`OutletCard::public_view`], and the sections also skip anything
/// not public.
fn render(card: &OutletCard, notice: Option<Msg>, lang: Lang) -> String {
    let today = OffsetDateTime::now_utc().to_offset(CHINA_STANDARD_TIME).date();
    let mut body = String::new();

    if let Some(notice) = notice {
        let _ = write!(body, "<p class=\"replaced\">{}</p>", escape(notice.text(lang)));
    }
    sections::permit(&mut body, card, lang, today);
    sections::outlet(&mut body, card, lang);
    sections::limits(&mut body, card, lang);
    sections::special_periods(&mut body, card, lang, today);
    sections::online(&mut body, card, lang);
    sections::enforcement(&mut body, card, lang);

    page_shell(lang, Msg::PublicTitle.text(lang), &body)
}
