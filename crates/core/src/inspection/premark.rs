//! Checklist answers the app proposes from the cached card: an exceedance, a monitor that is down or
//! a permit no longer valid marks the matching item, for the officer to confirm or change.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::card::{OnlineStatus, OutletCard, PermitAlert};
use crate::checklist::{Answer, ChecklistItem};
use crate::ids::OutletId;

/// An answer the app proposes from the cached card; the officer confirms or changes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Premark {
    pub answer: Answer,
    pub reason: PremarkReason,
}

/// The fact on the card that led to a [`Premark`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PremarkReason {
    /// The latest online reading is above the permitted concentration.
    Exceedance { outlet: OutletId, pollutant: String, value: f64, unit: String },
    /// The online monitor is not reporting normally.
    MonitorDown { outlet: OutletId, mn: String, status: OnlineStatus },
    /// The permit has expired, or was cancelled or revoked.
    PermitInvalid,
}

/// Lists the premarks the card of one checked outlet suggests on `today`, at most one per item.
pub fn premarks(card: &OutletCard, today: Date) -> Vec<(ChecklistItem, Premark)> {
    let outlet = &card.outlet.id;
    let mut found = Vec::new();

    if matches!(card.permit_alert(today), Some(PermitAlert::Expired { .. } | PermitAlert::Cancelled | PermitAlert::Revoked)) {
        found.push((ChecklistItem::ValidPermit, PremarkReason::PermitInvalid));
    }

    if let Some(monitor) = card.monitors.iter().find(|monitor| monitor.status != OnlineStatus::Online) {
        let reason = PremarkReason::MonitorDown { outlet: outlet.clone(), mn: monitor.mn.clone(), status: monitor.status };
        found.push((ChecklistItem::AutomaticMonitoring, reason));
    }

    let exceedance = card.monitors.iter().flat_map(|monitor| &monitor.latest).find(|reading| card.exceeds_limit(reading));
    if let Some(reading) = exceedance {
        let reason = PremarkReason::Exceedance { outlet: outlet.clone(), pollutant: reading.pollutant.clone(), value: reading.value, unit: reading.unit.clone() };
        found.push((ChecklistItem::WithinLimits, reason));
    }

    found.into_iter().map(|(item, reason)| (item, Premark { answer: Answer::DoesNotComply, reason })).collect()
}
