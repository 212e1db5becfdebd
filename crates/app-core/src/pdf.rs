//! The printable record (现场检查笔录 as PDF), made on the device so it can be printed or shared
//! on site without a network.

use outlet_core::i18n::Msg;
use outlet_store::Kv;
use uuid::Uuid;

use crate::core::Core;
use crate::model::NoticeLevel;

impl<K: Kv> Core<K> {
    /// Writes the PDF of the finalized record `id` into the export folder and names the file in
    /// the model, for the platform to open or share.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) async fn export_pdf(&mut self, id: Uuid) {
        use outlet_record_pdf::{record_pdf, system_cjk_font, PrintedRecord};
        use outlet_store::OutboxState;

        let Some(entry) = self.model.outbox.iter().find(|entry| entry.frozen.id == id).cloned() else { return };
        let record = match entry.frozen.record() {
            Ok(record) => record,
            Err(error) => return self.notify(NoticeLevel::Error, Msg::PdfFailed, &[&error.to_string()]),
        };
        let receipt_no = match &entry.state {
            OutboxState::Acknowledged(receipt) => Some(receipt.receipt_no.as_str()),
            _ => None,
        };

        let printed = PrintedRecord { record: &record, sha256: &entry.frozen.sha256, receipt_no };
        let pdf = system_cjk_font().and_then(|font| record_pdf(&printed, &font, self.model.lang));
        let bytes = match pdf {
            Ok(bytes) => bytes,
            Err(error) => {
                tracing::error!(inspection_id = %id, %error, "record PDF not made");
                return self.notify(NoticeLevel::Error, Msg::PdfFailed, &[&error.to_string()]);
            }
        };

        let path = self.export_dir.join(format!("{}.pdf", record.record_no));
        if let Err(error) = std::fs::create_dir_all(&self.export_dir).and_then(|()| std::fs::write(&path, bytes)) {
            tracing::error!(inspection_id = %id, path = %path.display(), %error, "record PDF not written");
            return self.notify(NoticeLevel::Error, Msg::PdfFailed, &[&format!("{}: {error}", path.display())]);
        }
        tracing::info!(inspection_id = %id, path = %path.display(), "record PDF written");
        self.notify(NoticeLevel::Info, Msg::PdfWritten, &[&path.display().to_string()]);
        self.model.exported_pdf = Some(crate::model::ExportedPdf { inspection_id: id, path });
    }

    // TODO: the browser build has no CJK font to embed offline; it would need the font shipped
    // as an asset (several MB). Until then the web app prints from the native apps or the server.
    #[cfg(target_arch = "wasm32")]
    pub(crate) async fn export_pdf(&mut self, id: Uuid) {
        tracing::info!(inspection_id = %id, "PDF export asked in the browser build");
        self.notify(NoticeLevel::Warning, Msg::PdfNativeOnly, &[]);
    }
}
