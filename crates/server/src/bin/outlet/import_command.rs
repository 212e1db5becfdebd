//! `outlet import`: load the registry from the bureau's spreadsheets into the data folder.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use outlet_core::i18n::{Lang, Msg};
use outlet_registry::{read_registry, Registry};
use outlet_server::import::{self, CardChange, ImportError, ImportOptions, ImportSummary};
use outlet_server::store;

use crate::CliError;

#[derive(Args)]
pub struct ImportArgs {
    /// Folder that contains the database, created if missing. The server must not be running on it,
    /// because the database allows one process at a time (a PostgreSQL database given with
    /// --database has no such limit).
    #[arg(long, default_value = "outlet-data")]
    data_dir: PathBuf,
    #[command(flatten)]
    database: crate::database_arg::DatabaseArg,
    /// Check the registry and list what would change, writing nothing.
    #[arg(long)]
    dry_run: bool,
    /// Import the permits whose rows are all valid and list the invalid rows. Without it, one
    /// invalid row means nothing is imported.
    #[arg(long)]
    skip_invalid: bool,
    /// Language of the messages [default: zh when the LANG environment variable starts with zh, else en]
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// CSV files (one table each, named by the file), .xlsx workbooks (one table per sheet), or
    /// folders of them.
    #[arg(required = true, value_name = "FILE_OR_DIR")]
    inputs: Vec<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

/// Picks the language of messages: `--lang`, else Chinese when `LANG` starts with `zh`, else English.
fn message_lang(arg: Option<LangArg>) -> Lang {
    match arg {
        Some(LangArg::Zh) => Lang::Zh,
        Some(LangArg::En) => Lang::En,
        None if std::env::var("LANG").is_ok_and(|lang| lang.starts_with("zh")) => Lang::Zh,
        None => Lang::En,
    }
}

pub fn run(args: ImportArgs) -> Result<(), CliError> {
    let lang = message_lang(args.lang);
    let options = ImportOptions { dry_run: args.dry_run, skip_invalid: args.skip_invalid };
    let started = Instant::now();
    tracing::info!(inputs = ?args.inputs, data_dir = %args.data_dir.display(), dry_run = args.dry_run, skip_invalid = args.skip_invalid, "import started");

    let registry = read_registry(&args.inputs);
    let rows = registry.rows;
    tracing::info!(rows, cards = registry.cards.len(), problems = registry.problems.len(), "registry read");
    report_registry(&registry, options, lang);

    let result = apply(&args, registry, options);
    let seconds = started.elapsed().as_secs_f64();
    let summary = match result {
        Ok(summary) => summary,
        Err(ImportError::Store(error)) => {
            tracing::error!(%error, data_dir = %args.data_dir.display(), "import failed");
            return Err(error.into());
        }
        Err(reason) => {
            let message = match reason {
                ImportError::Structural { .. } => Msg::ImportRejectedStructural.text(lang),
                _ => Msg::ImportRejected.text(lang),
            };
            tracing::error!(%reason, "import rejected");
            return Err(CliError::ImportRejected { message: message.to_string(), reason });
        }
    };

    if args.dry_run {
        for change in &summary.changes {
            println!("{}", change_text(change, lang));
        }
    }
    println!("{}", summary_text(&summary, lang));
    if args.dry_run {
        println!("{}", Msg::ImportDryRun.text(lang));
    }
    let rate = format!("{:.0}", rows as f64 / seconds.max(1e-9));
    println!("{}", Msg::ImportRate.fill(lang, &[&rows.to_string(), &format!("{seconds:.2}"), &rate]));
    tracing::info!(added = summary.added, updated = summary.updated, unchanged = summary.unchanged, removed = summary.removed, skipped_rows = summary.skipped_rows, seconds, "import finished");
    Ok(())
}

/// Opens the store and applies the registry. A dry run on a data folder without a database
/// compares with an empty store, so that it creates nothing. A dry run on PostgreSQL creates the
/// tables if the database has none yet, and writes no records.
fn apply(args: &ImportArgs, registry: Registry, options: ImportOptions) -> Result<ImportSummary, ImportError> {
    // `DataDir::open` keeps the database in `db/`. The import needs no signing keys, so it opens only
    // the database.
    let db = args.data_dir.join("db");
    if options.dry_run && args.database.url().is_none() && !db.exists() {
        return import::dry_run_on_empty_store(registry, options);
    }
    let store = store::open(&db, args.database.url())?;
    import::import_registry(store.as_ref(), registry, options)
}

/// Prints the notices and problems of the registry, and what `--skip-invalid` leaves out.
fn report_registry(registry: &Registry, options: ImportOptions, lang: Lang) {
    for notice in &registry.notices {
        println!("{}", notice.message(lang));
    }
    for problem in &registry.problems {
        println!("{}", problem.message(lang));
    }
    if registry.problems.is_empty() {
        return;
    }

    println!("{}", Msg::ImportProblemCount.fill(lang, &[&registry.problems.len().to_string()]));
    if options.skip_invalid && !registry.has_structural_problems() {
        for permit_no in &registry.held_back_permits {
            println!("{}", Msg::ImportHeldBack.fill(lang, &[permit_no]));
        }
        if registry.removals_withheld {
            println!("{}", Msg::ImportRemovalsWithheld.text(lang));
        }
    }
}

fn change_text(change: &CardChange, lang: Lang) -> String {
    match change {
        CardChange::Added(outlet) => Msg::ImportWouldAdd.fill(lang, &[&outlet.to_string()]),
        CardChange::Updated { outlet, version } => Msg::ImportWouldUpdate.fill(lang, &[&outlet.to_string(), &version.to_string()]),
        CardChange::Removed(outlet) => Msg::ImportWouldRemove.fill(lang, &[&outlet.to_string()]),
    }
}

fn summary_text(summary: &ImportSummary, lang: Lang) -> String {
    let counts = [summary.added, summary.updated, summary.unchanged, summary.removed, summary.skipped_rows].map(|count| count.to_string());
    Msg::ImportSummary.fill(lang, &counts.each_ref().map(String::as_str))
}
