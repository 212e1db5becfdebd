//! `outlet placard`: issue placards and write their print files.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use outlet_core::{OutletCard, OutletId};
use outlet_placard::{Layout, PdfDocument, PlacardContent};
use outlet_server::placards::{self, IssueMode};
use outlet_server::store::ServerStore;
use outlet_server::DataDir;

use crate::CliError;

#[derive(Args)]
pub struct PlacardArgs {
    /// Folder that contains the database and the placard signing keys.
    #[arg(long, default_value = "outlet-data")]
    data_dir: PathBuf,
    #[command(flatten)]
    database: crate::database_arg::DatabaseArg,
    /// Folder to write the placards to; created if missing.
    #[arg(long, default_value = "placards")]
    out: PathBuf,
    /// Public address of the server, put in the QR code (e.g. https://hb.example.gov.cn).
    #[arg(long)]
    public_url: String,
    /// Only these outlets (PERMIT_NO-OUTLET_CODE).
    #[arg(long = "outlet")]
    outlets: Vec<String>,
    /// Only the outlets of this permit number.
    #[arg(long)]
    permit: Option<String>,
    /// Only the outlets of the unit with this unified social credit code.
    #[arg(long)]
    unit: Option<String>,
    /// Only the outlets of units registered in this administrative region: a division code or its
    /// prefix (e.g. 3501 for a city and its districts), matched against characters 3-8 of the USCC.
    #[arg(long)]
    region: Option<String>,
    /// Placard format: wall-mounted 480×300 mm or post-mounted 420×420 mm.
    #[arg(long, value_enum, default_value_t = LayoutArg::Wall)]
    layout: LayoutArg,
    /// File formats to write, one file per placard; `pdf-batch` writes all placards into one PDF,
    /// one placard a page.
    #[arg(long, value_enum, default_values_t = [Format::Svg, Format::Png])]
    format: Vec<Format>,
    /// PNG resolution in dots per inch (100 for screen previews, 300 for print).
    #[arg(long, default_value_t = 100.0)]
    dpi: f32,
    /// Replace the current placards with new serials, revoking the old ones (lost, damaged, or
    /// signed with a retired key). Give the reason.
    #[arg(long, value_name = "REASON")]
    reissue: Option<String>,
    /// Load the demo registry first (outlets already stored are kept).
    #[arg(long)]
    demo: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LayoutArg {
    Wall,
    Post,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Svg,
    Png,
    Pdf,
    PdfBatch,
}

pub fn run(args: PlacardArgs) -> Result<(), CliError> {
    let data = DataDir::open_with(&args.data_dir, args.database.url(), args.demo)?;
    let cards = select_cards(data.store.as_ref(), &args)?;
    let layout = match args.layout {
        LayoutArg::Wall => Layout::Wall,
        LayoutArg::Post => Layout::Post,
    };
    let mode = match &args.reissue {
        Some(reason) => IssueMode::Reissue { reason: reason.clone() },
        None => IssueMode::Current,
    };
    std::fs::create_dir_all(&args.out).map_err(|source| CliError::Io { path: args.out.clone(), source })?;

    let progress = ProgressBar::new(cards.len() as u64);
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} placards, {eta} left").expect("the progress template is valid"),
    );
    let mut batch = args.format.contains(&Format::PdfBatch).then(PdfDocument::new);

    for card in &cards {
        let issued = placards::issue(data.store.as_ref(), &data.keyring, &card.outlet.id, &mode)?;
        let qr_text = issued.payload.to_qr_text(&args.public_url);
        let content = PlacardContent::from_card(&issued.card, &qr_text, issued.payload.serial);
        let svg = outlet_placard::render_svg(&content, layout)?;
        let stem = args.out.join(format!("{}-{}", card.outlet.id, layout.name()));

        if args.format.contains(&Format::Svg) {
            write_file(&stem.with_extension("svg"), svg.as_bytes())?;
        }
        if args.format.contains(&Format::Png) {
            write_file(&stem.with_extension("png"), &outlet_placard::render_png(&svg, args.dpi / 25.4)?)?;
        }
        if args.format.contains(&Format::Pdf) {
            let mut single = PdfDocument::new();
            single.add_page(&svg)?;
            write_file(&stem.with_extension("pdf"), &single.finish()?)?;
        }
        if let Some(batch) = batch.as_mut() {
            batch.add_page(&svg)?;
        }
        // The listing goes to stdout for scripts; the bar, on a terminal only, goes to stderr.
        progress.suspend(|| println!("{}\tno. {}\t{}\t{}", card.outlet.id, issued.payload.serial, card.unit.name, card.outlet.name));
        progress.inc(1);
    }
    progress.finish_and_clear();

    if let Some(batch) = batch {
        let path = args.out.join(format!("placards-{}.pdf", layout.name()));
        write_file(&path, &batch.finish()?)?;
        eprintln!("{} placards in {}", cards.len(), path.display());
    }
    eprintln!("{} placards written to {}", cards.len(), args.out.display());
    Ok(())
}

/// Selects the cards named by `--outlet`, or those matching `--permit`, `--unit` and `--region`.
fn select_cards(store: &dyn ServerStore, args: &PlacardArgs) -> Result<Vec<OutletCard>, CliError> {
    if !args.outlets.is_empty() {
        let mut cards = Vec::new();
        for text in &args.outlets {
            let id: OutletId = text.parse().map_err(|e| CliError::OutletId(text.clone(), e))?;
            let card = store.card(&id)?.ok_or_else(|| outlet_server::placards::IssueError::UnknownOutlet(id.clone()))?;
            cards.push(card);
        }
        return Ok(cards);
    }

    let permit = args.permit.as_deref().map(str::to_ascii_uppercase);
    let unit = args.unit.as_deref().map(str::to_ascii_uppercase);
    let cards: Vec<OutletCard> = store
        .cards()?
        .into_iter()
        .filter(|card| permit.as_deref().is_none_or(|p| card.permit.permit_no.as_str() == p))
        .filter(|card| unit.as_deref().is_none_or(|u| card.unit.uscc.as_str() == u))
        .filter(|card| args.region.as_deref().is_none_or(|r| card.unit.uscc.region_code().starts_with(r)))
        .collect();
    if cards.is_empty() {
        return Err(CliError::Usage("no stored outlet matches; check --permit, --unit and --region, or load the registry first".into()));
    }
    Ok(cards)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes).map_err(|source| CliError::Io { path: path.into(), source })
}
