//! The sections of the public page, each appended to the page body as HTML. Every registry value
//! passes through [`escape`]. Numbers and dates are formatted here and contain no markup.

use std::fmt::Write;

use outlet_core::card::display::{concentration_unit, coordinates_text, limit_cell, limit_text, number_text};
use outlet_core::card::{PermitLimit, SpecialPeriodLimit};
use outlet_core::i18n::{format_time, permit_alert_text, Label, Lang, Msg};
use outlet_core::markup::escape;
use outlet_core::OutletCard;
use time::Date;

/// Appends a table row of a label and a value, both already escaped.
fn row(body: &mut String, label: &str, value: &str) {
    let _ = write!(body, "<tr><th>{label}</th><td>{value}</td></tr>");
}

/// Formats a date range as HTML with each date in a span that does not wrap, so a date never breaks
/// at a hyphen.
fn date_range_html(lang: Lang, from: Date, to: Date) -> String {
    let nowrap = |date: Date| format!("<span class=\"nowrap\">{date}</span>");
    escape(Msg::DateRange.text(lang)).replace("{0}", &nowrap(from)).replace("{1}", &nowrap(to))
}

fn heading(body: &mut String, title: Msg, lang: Lang) {
    let _ = write!(body, "<h2>{}</h2>", escape(title.text(lang)));
}

/// Unit and permit: number, status with its alert on `today`, validity, issue date, version,
/// authority, USCC, management class.
pub fn permit(body: &mut String, card: &OutletCard, lang: Lang, today: Date) {
    let t = |msg: Msg| escape(msg.text(lang));
    let permit = &card.permit;

    heading(body, Msg::SectionPermit, lang);
    body.push_str("<table class=\"fields\">");
    row(body, &t(Msg::SectionUnit), &escape(&card.unit.name));
    row(body, &t(Msg::FieldUscc), &escape(card.unit.uscc.as_str()));
    row(body, &t(Msg::FieldAddress), &escape(&card.unit.address));
    row(body, &t(Msg::FieldPermitNo), &escape(permit.permit_no.as_str()));
    row(body, &t(Msg::FieldStatus), &t(permit.status.label()));
    row(body, &t(Msg::FieldValidity), &date_range_html(lang, permit.valid_from, permit.valid_to));
    if let Some(issued) = permit.issue_date {
        row(body, &t(Msg::FieldIssueDate), &issued.to_string());
    }
    row(body, &t(Msg::FieldPermitVersion), &escape(&Msg::PermitVersionN.fill(lang, &[&permit.version.to_string()])));
    row(body, &t(Msg::FieldAuthority), &escape(&permit.issuing_authority));
    row(body, &t(Msg::FieldManagementClass), &t(card.unit.management_class.label()));
    body.push_str("</table>");

    if let Some(alert) = card.permit_alert(today) {
        let _ = write!(body, "<p class=\"replaced\">{}</p>", escape(&permit_alert_text(alert, lang)));
    }
}

/// Outlet: code, name, medium and kind, stack or receiving water and discharge mode, coordinates.
pub fn outlet(body: &mut String, card: &OutletCard, lang: Lang) {
    let t = |msg: Msg| escape(msg.text(lang));
    let outlet = &card.outlet;
    let metres = |value: f64| format!("{} m", number_text(value));

    heading(body, Msg::SectionOutlet, lang);
    body.push_str("<table class=\"fields\">");
    row(body, &t(Msg::FieldOutletCode), &escape(outlet.id.outlet_code.as_str()));
    row(body, &t(Msg::FieldOutletName), &escape(&outlet.name));
    row(body, &t(Msg::FieldOutletKind), &format!("{} · {}", t(outlet.medium.label()), t(outlet.kind.label())));
    if let Some(height) = outlet.stack_height_m {
        row(body, &t(Msg::FieldStackHeight), &metres(height));
    }
    if let Some(diameter) = outlet.stack_diameter_m {
        row(body, &t(Msg::FieldStackDiameter), &metres(diameter));
    }
    if let Some(water) = &outlet.receiving_water {
        row(body, &t(Msg::FieldReceivingWater), &escape(water));
    }
    if let Some(mode) = outlet.discharge_mode {
        row(body, &t(Msg::FieldDischargeMode), &t(mode.label()));
    }
    row(body, &t(Msg::FieldCoordinates), &escape(&coordinates_text(lang, outlet.latitude, outlet.longitude)));
    body.push_str("</table>");
}

/// Limits: hourly, daily and committed concentrations, the binding one in bold, and the standard
/// on a second row.
pub fn limits(body: &mut String, card: &OutletCard, lang: Lang) {
    let t = |msg: Msg| escape(msg.text(lang));

    heading(body, Msg::SectionLimits, lang);
    if card.limits.is_empty() {
        let _ = write!(body, "<p>{}</p>", t(Msg::NoRecords));
        return;
    }
    let _ = write!(
        body,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
        t(Msg::FieldPollutant),
        t(Msg::FieldHourly),
        t(Msg::FieldDaily),
        t(Msg::FieldCommitted)
    );
    for limit in &card.limits {
        limit_rows(body, limit);
    }
    let _ = write!(body, "</table><p>{}</p>", t(Msg::LimitsBindingLegend));
}

fn limit_rows(body: &mut String, limit: &PermitLimit) {
    let unit = concentration_unit(limit);
    let binding = limit.binding_kind();

    let _ = write!(body, "<tbody><tr><th>{}", escape(&limit.pollutant));
    if let Some(unit) = unit {
        let _ = write!(body, "<span class=\"unit\">{}</span>", escape(unit));
    }
    body.push_str("</th>");
    for (kind, value) in limit.concentrations() {
        let class = if Some(kind) == binding { " class=\"binding\"" } else { "" };
        let _ = write!(body, "<td{class}>{}</td>", escape(&limit_cell(value, unit)));
    }
    let _ = write!(body, "</tr><tr class=\"detail\"><td colspan=\"4\">{}</td></tr></tbody>", escape(&limit.standard));
}

/// Special periods, grouped by name and dates, with a banner and a marker for those in force on
/// `today`.
pub fn special_periods(body: &mut String, card: &OutletCard, lang: Lang, today: Date) {
    let t = |msg: Msg| escape(msg.text(lang));

    heading(body, Msg::SectionSpecialPeriods, lang);
    let in_force = card.special_period_names_in_force(today);
    if !in_force.is_empty() {
        let names = Msg::SpecialPeriodsInForceToday.fill(lang, &[&in_force.join(" · ")]);
        let _ = write!(body, "<p class=\"in-force\"><span class=\"marker\">{}</span> {}</p>", t(Msg::SpecialPeriodInForce), escape(&names));
    }
    if card.special_periods.is_empty() {
        let _ = write!(body, "<p>{}</p>", t(Msg::NoRecords));
    }

    for group in card.special_periods_grouped() {
        period_block(body, &group, lang, today);
    }
}

fn period_block(body: &mut String, limits: &[&SpecialPeriodLimit], lang: Lang, today: Date) {
    let t = |msg: Msg| escape(msg.text(lang));
    let Some(first) = limits.first() else { return };
    let now = first.in_force(today);
    let dash = || "—".to_string();

    let _ = write!(body, "<div class=\"period{}\"><p><strong>{}</strong>", if now { " now" } else { "" }, escape(&first.name));
    if now {
        let _ = write!(body, " <span class=\"marker\">{}</span>", t(Msg::SpecialPeriodInForce));
    }
    let _ = write!(
        body,
        "</p><p>{}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        date_range_html(lang, first.starts, first.ends),
        t(Msg::FieldPollutant),
        t(Msg::FieldConcentration),
        t(Msg::FieldDailyAmount),
        t(Msg::FieldMonthlyAmount)
    );
    for limit in limits {
        let concentration = limit.concentration.as_ref().map(limit_text).unwrap_or_else(dash);
        let daily = limit.daily_kg.map(|kg| Msg::AmountKgPerDay.fill(lang, &[&number_text(kg)])).unwrap_or_else(dash);
        let monthly = limit.monthly_t.map(|tonnes| Msg::AmountTonnesPerMonth.fill(lang, &[&number_text(tonnes)])).unwrap_or_else(dash);
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&limit.pollutant),
            escape(&concentration),
            escape(&daily),
            escape(&monthly)
        );
    }
    body.push_str("</tbody></table></div>");
}

/// Online monitors: status, last data time and latest readings, exceedances marked.
pub fn online(body: &mut String, card: &OutletCard, lang: Lang) {
    let t = |msg: Msg| escape(msg.text(lang));

    heading(body, Msg::PublicLatest, lang);
    if card.monitors.is_empty() {
        let _ = write!(body, "<p>{}</p>", t(Msg::NoRecords));
    }
    for monitor in &card.monitors {
        let last_seen = monitor.last_seen.map(format_time).unwrap_or_else(|| Msg::None.text(lang).to_string());
        let _ = write!(
            body,
            "<p><span class=\"label\">{}</span> {} · <span class=\"label\">{}</span> {}</p>",
            t(Msg::FieldStatus),
            t(monitor.status.label()),
            t(Msg::FieldLastSeen),
            escape(&last_seen)
        );
        if monitor.latest.is_empty() {
            continue;
        }
        body.push_str("<table>");
        for reading in &monitor.latest {
            let flag = if card.exceeds_limit(reading) { format!(" <strong>{}</strong>", t(Msg::Exceedance)) } else { String::new() };
            let limit = card.binding_limit(&reading.pollutant).map(limit_text).unwrap_or_default();
            let _ = write!(
                body,
                "<tr><td>{}</td><td>{} {}{flag}</td><td>{} {}</td></tr>",
                escape(&reading.pollutant),
                number_text(reading.value),
                escape(&reading.unit),
                t(Msg::FieldBindingLimit),
                escape(&limit)
            );
        }
        body.push_str("</table>");
    }
}

/// Public enforcement records, newest first: date, kind, status, result, legal article, decision
/// number, fine. Records not marked public are skipped and internal notes are never written.
pub fn enforcement(body: &mut String, card: &OutletCard, lang: Lang) {
    let t = |msg: Msg| escape(msg.text(lang));

    heading(body, Msg::SectionEnforcement, lang);
    let records: Vec<_> = card.enforcement_newest_first().into_iter().filter(|action| action.public).collect();
    if records.is_empty() {
        let _ = write!(body, "<p>{}</p>", t(Msg::NoRecords));
    }
    for action in records {
        let _ = write!(body, "<div class=\"record\"><p><strong>{}</strong> · {}", action.date, t(action.kind.label()));
        if let Some(status) = &action.status {
            let _ = write!(body, " · {}", escape(status));
        }
        let _ = write!(body, "</p><p>{}</p>", escape(&action.result));
        if let Some(article) = &action.legal_article {
            let _ = write!(body, "<p><span class=\"label\">{}</span> {}</p>", t(Msg::FieldLegalArticle), escape(article));
        }
        if let Some(number) = &action.decision_no {
            let _ = write!(body, "<p><span class=\"label\">{}</span> {}</p>", t(Msg::FieldDecisionNo), escape(number));
        }
        if let Some(fine) = action.fine_yuan {
            let _ = write!(body, "<p><span class=\"label\">{}</span> {}</p>", t(Msg::FieldFine), escape(&Msg::FineYuan.fill(lang, &[&fine.to_string()])));
        }
        body.push_str("</div>");
    }
}
