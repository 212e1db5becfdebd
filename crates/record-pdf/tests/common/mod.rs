//! Records for the PDF tests, and the poppler-utils tools that read the PDFs back.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use outlet_core::fixtures;
use outlet_core::inspection::{Acknowledgement, FreezeContext, InspectionDraft, InspectionRecord};
use outlet_core::{Lang, OutletId};
use outlet_record_pdf::{record_pdf, system_cjk_font, PrintedRecord};
use tempfile::TempDir;
use time::{Duration, OffsetDateTime};

pub fn outlet() -> OutletId {
    "91350100M000100Y43001P-DA001".parse().expect("valid outlet id")
}

/// Builds the fixture's complete draft, started at `started_at` (local time with its offset) and signed
/// on that local date.
pub fn draft(started_at: OffsetDateTime, finding: &str) -> InspectionDraft {
    let mut draft = fixtures::complete_draft(outlet(), finding);
    let restarted = InspectionDraft::new(outlet(), draft.unit.clone(), draft.place.clone(), started_at);
    (draft.id, draft.record_no, draft.started_at) = (restarted.id, restarted.record_no, started_at);
    if let Some(Acknowledgement::Signed { signed_on, .. }) = &mut draft.acknowledgement {
        *signed_on = started_at.date();
    }
    draft
}

/// Freezes `draft` on the fixture device, ending 90 minutes after its start. Returns the record as
/// decoded from the frozen bytes, and their SHA-256.
pub fn finalize(draft: &InspectionDraft) -> (InspectionRecord, String) {
    let key = fixtures::device_key();
    let context = FreezeContext {
        ended_at: draft.started_at + Duration::minutes(90),
        device_id: fixtures::DEVICE_ID,
        device_seq: 3,
        previous_sha256: None,
        key: &key,
    };
    let frozen = draft.freeze(&context).expect("the test draft is complete");
    (frozen.record().expect("the frozen record decodes"), frozen.sha256)
}

/// A PDF written into its own temporary directory, removed on drop.
pub struct PdfFile {
    _dir: TempDir,
    pub path: PathBuf,
}

pub fn write_pdf(record: &InspectionRecord, sha256: &str, lang: Lang) -> PdfFile {
    let font = system_cjk_font().expect("a CJK font is installed (apt-get install -y fonts-wqy-microhei)");
    let pdf = record_pdf(&PrintedRecord::new(record, sha256), &font, lang).expect("the record prints");

    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("record.pdf");
    std::fs::write(&path, pdf).expect("PDF written");
    PdfFile { _dir: dir, path }
}

/// Runs a poppler-utils tool and returns its standard output.
pub fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("{tool} could not be run ({error}); install poppler-utils (apt-get install -y poppler-utils)"));
    assert!(output.status.success(), "{tool} {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("poppler writes UTF-8")
}

impl PdfFile {
    fn path_arg(&self) -> &str {
        self.path.to_str().expect("temporary paths are UTF-8")
    }

    /// Returns the text pdftotext extracts, in UTF-8.
    pub fn text(&self) -> String {
        poppler("pdftotext", &["-enc", "UTF-8", self.path_arg(), "-"])
    }

    /// Returns the extracted text without white space, so words wrapped over two lines are found whole.
    pub fn joined_text(&self) -> String {
        self.text().chars().filter(|ch| !ch.is_whitespace()).collect()
    }

    /// Returns the page count pdfinfo reports.
    pub fn pages(&self) -> usize {
        let info = poppler("pdfinfo", &[self.path_arg()]);
        let line = info.lines().find(|line| line.starts_with("Pages:")).expect("pdfinfo prints the page count");
        line["Pages:".len()..].trim().parse().expect("the page count is a number")
    }

    /// Lists each font pdffonts reports, with its name and whether it is embedded.
    pub fn fonts(&self) -> Vec<(String, bool)> {
        let listing = poppler("pdffonts", &[self.path_arg()]);
        listing
            .lines()
            .skip(2)
            .map(|line| {
                // Columns: name, type (one or more words), encoding, emb, sub, uni, object number, generation.
                let columns: Vec<&str> = line.split_whitespace().collect();
                assert!(columns.len() >= 7, "unexpected pdffonts line {line:?}");
                (columns[0].to_string(), columns[columns.len() - 5] == "yes")
            })
            .collect()
    }

    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }
}
