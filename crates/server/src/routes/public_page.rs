//! `GET /o/{outlet_id}`: the public page a placard's QR code opens, readable on a phone.
//!
//! It shows the public subset of the card only: the unit, the outlet, its limits, the latest online
//! data and public penalties. Officers' names, internal records and inspections never appear. Every
//! value from the registry is HTML-escaped. `?lang=en` switches to English.

use std::fmt::Write;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Html;
use outlet_core::card::{EnforcementKind, LimitValue};
use outlet_core::i18n::{format_time, permit_alert_text, Label, Lang, Msg};
use outlet_core::markup::escape;
use outlet_core::{OutletCard, OutletId};
use serde::Deserialize;

use crate::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
}

impl PageQuery {
    fn lang(&self) -> Lang {
        match self.lang.as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }
}

/// Serves the public page for a signed placard URL (`SERIAL.KEY_ID.SIGNATURE` after the outlet id).
/// Only the serial is read here, to say when the placard was replaced; the app checks signatures.
pub async fn signed_page(
    State(state): State<AppState>,
    Path((outlet_id, signed)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> (StatusCode, Html<String>) {
    let mut parts = signed.split('.');
    let serial = parts.next().and_then(|s| s.parse::<u32>().ok());
    let retired = parts.next().is_some_and(|key_id| state.keys.retired.contains(key_id));
    respond(&state, &outlet_id, serial, retired, query.lang())
}

pub async fn page(State(state): State<AppState>, Path(outlet_id): Path<String>, Query(query): Query<PageQuery>) -> (StatusCode, Html<String>) {
    respond(&state, &outlet_id, None, false, query.lang())
}

fn respond(state: &AppState, outlet_id: &str, scanned_serial: Option<u32>, retired_key: bool, lang: Lang) -> (StatusCode, Html<String>) {

    let card = match outlet_id.parse::<OutletId>() {
        Ok(outlet) => state.store.card(&outlet),
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

const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:0;padding:12px;max-width:720px;line-height:1.5;color:#1b1b1b}\
h1{font-size:1.3em;background:#00703c;color:#fff;padding:10px;margin:-12px -12px 12px}\
h2{font-size:1.05em;border-bottom:2px solid #00703c;margin-top:1.2em}\
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px;text-align:left;font-size:.95em}\
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
fn render(card: &OutletCard, notice: Option<Msg>, lang: Lang) -> String {
    let t = |msg: Msg| escape(msg.text(lang));
    let mut body = String::new();

    if let Some(notice) = notice {
        let _ = write!(body, "<p class=\"replaced\">{}</p>", t(notice));
    }

    let _ = write!(body, "<h2>{}</h2><table>", t(Msg::SectionUnit));
    row(&mut body, &t(Msg::SectionUnit), &escape(&card.unit.name));
    row(&mut body, &t(Msg::FieldUscc), &escape(card.unit.uscc.as_str()));
    row(&mut body, &t(Msg::FieldAddress), &escape(&card.unit.address));
    row(&mut body, &t(Msg::FieldPermitNo), &escape(card.permit.permit_no.as_str()));
    row(&mut body, &t(Msg::FieldValidity), &format!("{} – {}", card.permit.valid_from, card.permit.valid_to));
    row(&mut body, &t(Msg::FieldStatus), &t(card.permit.status.label()));
    body.push_str("</table>");
    if let Some(alert) = card.permit_alert(time::OffsetDateTime::now_utc().date()) {
        let _ = write!(body, "<p class=\"replaced\">{}</p>", escape(&permit_alert_text(alert, lang)));
    }

    let _ = write!(body, "<h2>{}</h2><table>", t(Msg::SectionOutlet));
    row(&mut body, &t(Msg::FieldOutletCode), &escape(card.outlet.id.outlet_code.as_str()));
    row(&mut body, &t(Msg::FieldOutletName), &escape(&card.outlet.name));
    row(&mut body, &t(Msg::FieldOutletKind), &format!("{} · {}", t(card.outlet.medium.label()), t(card.outlet.kind.label())));
    body.push_str("</table>");

    let _ = write!(
        body,
        "<h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        t(Msg::SectionLimits),
        t(Msg::FieldPollutant),
        t(Msg::FieldConcentration),
        t(Msg::FieldStandard)
    );
    for limit in &card.limits {
        let value = match &limit.concentration {
            LimitValue::Numeric { value, unit } => format!("{value} {unit}"),
            LimitValue::Text(text) => text.clone(),
        };
        let _ = write!(body, "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", escape(&limit.pollutant), escape(&value), escape(&limit.standard));
    }
    body.push_str("</table>");

    let _ = write!(body, "<h2>{}</h2>", t(Msg::PublicLatest));
    if card.monitors.is_empty() {
        let _ = write!(body, "<p>{}</p>", t(Msg::NoRecords));
    }
    for monitor in &card.monitors {
        let last_seen = monitor.last_seen.map(format_time).unwrap_or_else(|| Msg::None.text(lang).to_string());
        let _ = write!(body, "<p>{}：{} · {}：{}</p>", t(Msg::FieldStatus), t(monitor.status.label()), t(Msg::FieldLastSeen), escape(&last_seen));
        if !monitor.latest.is_empty() {
            body.push_str("<table>");
            for reading in &monitor.latest {
                let flag = if card.exceeds_limit(reading) { format!(" <strong>{}</strong>", t(Msg::Exceedance)) } else { String::new() };
                let _ = write!(body, "<tr><td>{}</td><td>{} {}{flag}</td></tr>", escape(&reading.pollutant), reading.value, escape(&reading.unit));
            }
            body.push_str("</table>");
        }
    }

    let _ = write!(body, "<h2>{}</h2>", t(Msg::PublicPenalties));
    let penalties: Vec<_> = card.enforcement.iter().filter(|a| a.public && a.kind == EnforcementKind::Penalty).collect();
    if penalties.is_empty() {
        let _ = write!(body, "<p>{}</p>", t(Msg::NoRecords));
    }
    for action in penalties {
        let fine = action.fine_yuan.map(|f| Msg::FineYuan.fill(lang, &[&f.to_string()])).unwrap_or_default();
        let _ = write!(
            body,
            "<p>{} · {} · {} · {}</p>",
            action.date,
            escape(action.decision_no.as_deref().unwrap_or("")),
            escape(&action.result),
            escape(&fine)
        );
    }

    page_shell(lang, Msg::PublicTitle.text(lang), &body)
}

fn row(body: &mut String, label: &str, value: &str) {
    let _ = write!(body, "<tr><th>{label}</th><td>{value}</td></tr>");
}
