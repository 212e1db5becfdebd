//! Applying a registry read by `outlet-registry` to the store.
//!
//! Each card is upserted: a new outlet is added at version 1, a changed one gets the next version,
//! an unchanged one is left alone. For each permit whose rows were all valid, stored outlets of that
//! permit that the registry no longer lists are removed, because the permit's current version
//! dropped them. Permits the registry does not mention are not touched.

use std::collections::{HashMap, HashSet};

use outlet_core::{OutletCard, OutletId, PermitNo};
use outlet_registry::Registry;

use crate::store::{CardWrite, ServerStore, StoreError};

/// Options of an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Work out what would change, writing nothing.
    pub dry_run: bool,
    /// When some rows are invalid, import the permits without invalid rows instead of nothing.
    pub skip_invalid: bool,
}

/// A change an import made, or would make in a dry run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardChange {
    Added(OutletId),
    Updated { outlet: OutletId, version: u64 },
    Removed(OutletId),
}

/// The counts and changes of one import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Registry rows not imported: invalid rows and the other rows of their permits.
    pub skipped_rows: usize,
    /// Every change in the order made; unchanged cards are not listed.
    pub changes: Vec<CardChange>,
}

/// The reason nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("problems in files, sheets or headers ({count}) leave unknown which permits lost rows; nothing was imported")]
    Structural { count: usize },

    #[error("problems in the registry: {count}; nothing was imported (skipping invalid rows imports the permits without any)")]
    InvalidRows { count: usize },

    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Applies `registry` to `store` (see the module documentation) and flushes the store, unless the
/// options ask for a dry run. A registry with problems is applied only with
/// [`ImportOptions::skip_invalid`], and never when a file, sheet or header has a problem.
pub fn import_registry(store: &dyn ServerStore, registry: Registry, options: ImportOptions) -> Result<ImportSummary, ImportError> {
    check_acceptable(&registry, options)?;

    let write = !options.dry_run;
    let mut summary = ImportSummary { skipped_rows: registry.skipped_rows, ..ImportSummary::default() };
    let mut listed: HashMap<PermitNo, HashSet<OutletId>> = HashMap::new();
    for mut card in registry.cards {
        if registry.complete_permits.contains(&card.outlet.id.permit_no) {
            listed.entry(card.outlet.id.permit_no.clone()).or_default().insert(card.outlet.id.clone());
        }

        let change = match store.card(&card.outlet.id)? {
            None => CardWrite::Added,
            Some(stored) => {
                keep_run_time_state(&mut card, &stored);
                if stored.same_content(&card) {
                    CardWrite::Unchanged
                } else {
                    CardWrite::Updated { version: stored.version + 1 }
                }
            }
        };
        if write && change != CardWrite::Unchanged {
            let written = store.upsert_card(&card)?;
            debug_assert_eq!(written, change, "the store changed during the import");
        }
        summary.record(card.outlet.id, change);
    }

    for permit_no in &registry.complete_permits {
        let still_listed = listed.get(permit_no);
        for outlet in store.outlets_of_permit(permit_no)? {
            if still_listed.is_some_and(|outlets| outlets.contains(&outlet)) {
                continue;
            }
            if write {
                store.remove_card(&outlet)?;
            }
            tracing::debug!(%outlet, "outlet dropped from its permit");
            summary.removed += 1;
            summary.changes.push(CardChange::Removed(outlet));
        }
    }

    if write {
        store.flush()?;
    }
    Ok(summary)
}

/// Works out what importing `registry` into an empty store would do: every card is added and
/// nothing removed. For a dry run against a data folder that does not exist yet.
pub fn dry_run_on_empty_store(registry: Registry, options: ImportOptions) -> Result<ImportSummary, ImportError> {
    check_acceptable(&registry, options)?;

    let mut summary = ImportSummary { skipped_rows: registry.skipped_rows, ..ImportSummary::default() };
    for card in registry.cards {
        summary.record(card.outlet.id, CardWrite::Added);
    }
    Ok(summary)
}

fn check_acceptable(registry: &Registry, options: ImportOptions) -> Result<(), ImportError> {
    if registry.has_structural_problems() {
        let count = registry.problems.iter().filter(|problem| problem.is_structural()).count();
        return Err(ImportError::Structural { count });
    }
    if !registry.problems.is_empty() && !options.skip_invalid {
        return Err(ImportError::InvalidRows { count: registry.problems.len() });
    }
    Ok(())
}

impl ImportSummary {
    fn record(&mut self, outlet: OutletId, change: CardWrite) {
        match change {
            CardWrite::Added => {
                self.added += 1;
                self.changes.push(CardChange::Added(outlet));
            }
            CardWrite::Updated { version } => {
                self.updated += 1;
                self.changes.push(CardChange::Updated { outlet, version });
            }
            CardWrite::Unchanged => self.unchanged += 1,
        }
    }
}

/// Copies what online monitoring filled in (status, last report, readings, hourly values) from the
/// stored card's monitors to the imported monitors with the same MN, since the registry does not
/// carry it. A monitor new to the outlet stays offline until it reports.
fn keep_run_time_state(card: &mut OutletCard, stored: &OutletCard) {
    for monitor in &mut card.monitors {
        if let Some(reported) = stored.monitors.iter().find(|reported| reported.mn == monitor.mn) {
            monitor.status = reported.status;
            monitor.last_seen = reported.last_seen;
            monitor.latest = reported.latest.clone();
            monitor.hourly = reported.hourly.clone();
        }
    }
}
