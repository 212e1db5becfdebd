//! Recording an inspection: starting a draft from the shown card, every edit saved at once, photos,
//! the location, the party's acknowledgement, and finalizing into a signed record in the outbox.

use outlet_core::i18n::{Label, Msg};
use outlet_core::inspection::{
    premarks, Acknowledgement, DraftMeasurement, FixSource, FreezeContext, FreezeError, GeoPoint, InspectionDraft, Location, MeasureMethod,
    Officer, RecordUnit, Signature, SuspectedViolation, Witness, ACKNOWLEDGEMENT_TEXT, MAX_FINDING_CHARS, MAX_LIST, MAX_PHOTOS,
    MAX_TEXT_CHARS, MIN_OFFICERS,
};
use outlet_core::{Lang, OutletId};
use outlet_store::{Kv, StoreError};
use time::Duration;
use uuid::Uuid;

use crate::core::Core;
use crate::model::{DraftEdit, NoticeLevel, Screen};

/// The source of this build's position fixes.
const FIX_SOURCE: FixSource = if cfg!(target_arch = "wasm32") { FixSource::Browser } else { FixSource::Device };

impl<K: Kv> Core<K> {
    /// Opens the inspection form for the shown outlet, continuing its saved draft if there is one.
    pub(crate) async fn start_inspection(&mut self) {
        let Some(card) = &self.model.card else { return };
        let card = card.cached.card.clone();

        let saved = match self.store.draft_for(&card.outlet.id).await {
            Ok(saved) => saved,
            Err(error) => return self.storage_failed(error),
        };
        if let Some(draft) = saved {
            return self.show_draft(draft).await;
        }

        let now = self.now();
        let unit = RecordUnit { name: card.unit.name.clone(), permit_no: card.permit.permit_no.to_string() };
        let mut draft = InspectionDraft::new(card.outlet.id.clone(), unit, card.unit.address.clone(), now);
        draft.officers = self.remembered_officers();
        draft.recorder = self.model.settings.recorder.min(draft.officers.len().saturating_sub(1));
        for (item, premark) in premarks(&card, now.date()) {
            draft.premark(item, premark);
        }
        draft.location = self.fresh_location();

        if let Err(error) = self.store.save_draft(&draft).await {
            return self.storage_failed(error);
        }
        tracing::info!(inspection_id = %draft.id, outlet = %card.outlet.id, "inspection started");
        self.show_draft(draft).await;
    }

    /// Continues a saved draft.
    pub(crate) async fn open_draft(&mut self, id: Uuid) {
        match self.store.drafts().await {
            Ok(drafts) => match drafts.into_iter().find(|draft| draft.id == id) {
                Some(draft) => self.show_draft(draft).await,
                None => tracing::info!(inspection_id = %id, "draft to open is gone"),
            },
            Err(error) => self.storage_failed(error),
        }
    }

    async fn show_draft(&mut self, draft: InspectionDraft) {
        self.model.draft = Some(draft);
        self.model.screen = Screen::Inspection;
        self.reload_drafts().await;
    }

    pub(crate) async fn reload_drafts(&mut self) {
        match self.store.drafts().await {
            Ok(drafts) => self.model.drafts = drafts,
            Err(error) => self.storage_failed(error),
        }
    }

    /// Returns the officers of the last record, or the logged-in officer and an empty row.
    fn remembered_officers(&self) -> Vec<Officer> {
        let mut officers = self.model.settings.officers.clone();
        if officers.is_empty() {
            if let Some(session) = &self.model.session {
                officers.push(Officer { name: session.account.name.clone(), badge_no: session.account.badge_no.clone() });
            }
        }
        while officers.len() < MIN_OFFICERS {
            officers.push(Officer::default());
        }
        officers
    }

    /// Returns the device's last fix as a location, unless it is older than the configured age.
    fn fresh_location(&self) -> Option<Location> {
        let fix = self.model.position.as_ref()?;
        let max_age = Duration::seconds(i64::from(self.model.settings.max_fix_age_secs));
        (self.now() - fix.at <= max_age).then(|| Location::Fix {
            point: GeoPoint { latitude: fix.latitude, longitude: fix.longitude },
            accuracy_m: fix.accuracy_m,
            fixed_at: fix.at,
            source: FIX_SOURCE,
        })
    }

    /// Applies an edit to the open draft and saves it at once, so a killed app loses nothing.
    pub(crate) async fn edit(&mut self, edit: DraftEdit) {
        let Some(mut draft) = self.model.draft.clone() else { return };
        if let Err((msg, args)) = self.apply(&mut draft, edit).await {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            return self.notify(NoticeLevel::Error, msg, &args);
        }
        self.save_open_draft(draft).await;
    }

    /// Saves the draft and shows it. A failed save keeps the shown draft as it was, so the screen
    /// never shows what is not stored.
    async fn save_open_draft(&mut self, draft: InspectionDraft) {
        match self.store.save_draft(&draft).await {
            Ok(()) => self.model.draft = Some(draft),
            Err(error) => self.storage_failed(error),
        }
    }

    async fn apply(&mut self, draft: &mut InspectionDraft, edit: DraftEdit) -> Result<(), (Msg, Vec<String>)> {
        let too_long = |chars: usize| (Msg::TextTooLong, vec![chars.to_string(), MAX_TEXT_CHARS.to_string()]);
        let short = |text: String| if text.chars().count() > MAX_TEXT_CHARS { Err(too_long(text.chars().count())) } else { Ok(text) };
        let full = || (Msg::ListFull, vec![MAX_LIST.to_string()]);

        match edit {
            DraftEdit::TaskType(task_type) => draft.task_type = task_type,
            DraftEdit::Place(place) => draft.place = short(place)?,
            DraftEdit::AddOutlet(text) => self.add_outlet(draft, &text).await?,
            DraftEdit::RemoveOutlet(index) => {
                // The first outlet is the one the inspection was started from and stays.
                if index > 0 && index < draft.outlets.len() {
                    let removed = draft.outlets.remove(index);
                    draft.measurements.retain(|m| m.outlet != removed);
                }
            }
            DraftEdit::OfficerName { index, name } => {
                let name = short(name)?;
                if let Some(officer) = draft.officers.get_mut(index) {
                    officer.name = name;
                }
            }
            DraftEdit::OfficerBadge { index, badge_no } => {
                let badge_no = short(badge_no)?;
                if let Some(officer) = draft.officers.get_mut(index) {
                    officer.badge_no = badge_no;
                }
            }
            DraftEdit::AddOfficer if draft.officers.len() >= MAX_LIST => return Err(full()),
            DraftEdit::AddOfficer => draft.officers.push(Officer::default()),
            DraftEdit::RemoveOfficer(index) => {
                if draft.officers.len() > MIN_OFFICERS && index < draft.officers.len() {
                    draft.officers.remove(index);
                    if draft.recorder >= index && draft.recorder > 0 {
                        draft.recorder -= 1;
                    }
                }
            }
            DraftEdit::Recorder(index) if index < draft.officers.len() => draft.recorder = index,
            DraftEdit::Recorder(_) => {}
            DraftEdit::Answer { item, answer } => draft.set_answer(item, answer),
            DraftEdit::AnswerNote { item, note } => {
                let note = short(note)?;
                if let Some(slot) = draft.answers.iter_mut().find(|slot| slot.item == item) {
                    slot.note = note;
                }
            }
            DraftEdit::AddMeasurement if draft.measurements.len() >= MAX_LIST => return Err(full()),
            DraftEdit::AddMeasurement => draft.measurements.push(DraftMeasurement {
                outlet: draft.outlets[0].clone(),
                pollutant: String::new(),
                value: String::new(),
                unit: String::new(),
                method: MeasureMethod::PortableInstrument,
            }),
            DraftEdit::Measurement { index, measurement } => {
                if let Some(slot) = draft.measurements.get_mut(index) {
                    *slot = measurement;
                }
            }
            DraftEdit::RemoveMeasurement(index) if index < draft.measurements.len() => {
                draft.measurements.remove(index);
            }
            DraftEdit::RemoveMeasurement(_) => {}
            DraftEdit::UseCurrentFix => draft.location = Some(self.current_fix()?),
            DraftEdit::NoFixReason(reason) => draft.location = Some(Location::NoFix { reason: short(reason)? }),
            DraftEdit::Finding(text) if text.chars().count() > MAX_FINDING_CHARS => {
                return Err((Msg::FindingTooLong, vec![text.chars().count().to_string(), MAX_FINDING_CHARS.to_string()]));
            }
            DraftEdit::Finding(text) => draft.finding = text,
            DraftEdit::AddViolation(_) if draft.suspected_violations.len() >= MAX_LIST => return Err(full()),
            DraftEdit::AddViolation(article) => {
                if !draft.suspected_violations.iter().any(|v| v.article == article) {
                    draft.suspected_violations.push(SuspectedViolation { article, note: String::new() });
                }
            }
            DraftEdit::ViolationNote { index, note } => {
                let note = short(note)?;
                if let Some(violation) = draft.suspected_violations.get_mut(index) {
                    violation.note = note;
                }
            }
            DraftEdit::RemoveViolation(index) if index < draft.suspected_violations.len() => {
                draft.suspected_violations.remove(index);
            }
            DraftEdit::RemoveViolation(_) => {}
            DraftEdit::PartySigned { strokes, width, height } => {
                let signature = drawn(&strokes, width, height)?;
                let signed_on = self.now().date();
                draft.acknowledgement = Some(Acknowledgement::Signed { statement: ACKNOWLEDGEMENT_TEXT.into(), signature, signed_on });
            }
            DraftEdit::PartyRefused(reason) => {
                let reason = short(reason)?;
                let witness = match draft.acknowledgement.take() {
                    Some(Acknowledgement::Refused { witness, .. }) => witness,
                    _ => None,
                };
                draft.acknowledgement = Some(Acknowledgement::Refused { reason, witness });
            }
            DraftEdit::WitnessName(name) => {
                let name = short(name)?;
                let Some(Acknowledgement::Refused { witness, .. }) = &mut draft.acknowledgement else {
                    return Err((Msg::WitnessNeedsRefusal, Vec::new()));
                };
                witness.get_or_insert_with(|| Witness { name: String::new(), signature: Signature::default() }).name = name;
            }
            DraftEdit::WitnessSigned { strokes, width, height } => {
                let signature = drawn(&strokes, width, height)?;
                let Some(Acknowledgement::Refused { witness, .. }) = &mut draft.acknowledgement else {
                    return Err((Msg::WitnessNeedsRefusal, Vec::new()));
                };
                witness.get_or_insert_with(|| Witness { name: String::new(), signature: Signature::default() }).signature = signature;
            }
            DraftEdit::ClearAcknowledgement => draft.acknowledgement = None,
            DraftEdit::RemovePhoto(sha256) => draft.photos.retain(|photo| photo.sha256 != sha256),
        }
        Ok(())
    }

    /// Adds an outlet of the same permit to the visit, with the premarks of its cached card.
    async fn add_outlet(&mut self, draft: &mut InspectionDraft, text: &str) -> Result<(), (Msg, Vec<String>)> {
        let outlet: OutletId = text.parse().map_err(|_| (Msg::InvalidOutletId, vec![text.trim().to_string()]))?;
        if draft.outlets.contains(&outlet) {
            return Ok(());
        }
        if draft.outlets.len() >= MAX_LIST {
            return Err((Msg::ListFull, vec![MAX_LIST.to_string()]));
        }
        if outlet.permit_no.to_string() != draft.unit.permit_no {
            return Err((Msg::OutletOfOtherPermit, vec![outlet.to_string(), draft.unit.permit_no.clone()]));
        }

        match self.store.cached_card(&outlet).await {
            Ok(Some(cached)) => {
                for (item, premark) in premarks(&cached.card, self.now().date()) {
                    if draft.answer(item).is_none() {
                        draft.premark(item, premark);
                    }
                }
            }
            Ok(None) => tracing::info!(outlet = %outlet, "added outlet has no cached card; no premarks"),
            Err(error) => tracing::warn!(outlet = %outlet, %error, "cached card of the added outlet unreadable"),
        }
        draft.outlets.push(outlet);
        Ok(())
    }

    /// Returns the current fix as a location. A fix older than the configured age is rejected with
    /// its age, so the officer takes a new one or gives a reason instead.
    fn current_fix(&self) -> Result<Location, (Msg, Vec<String>)> {
        let Some(fix) = &self.model.position else {
            return Err((Msg::NoFixYet, Vec::new()));
        };
        self.fresh_location().ok_or_else(|| {
            let age_secs = (self.now() - fix.at).whole_seconds().max(0);
            (Msg::FixTooOld, vec![outlet_core::i18n::format_age(self.model.lang, age_secs), (self.model.settings.max_fix_age_secs / 60).to_string()])
        })
    }

    /// Prepares a photo (scaled down, hashed), keeps it on the device and lists it in the draft.
    pub(crate) async fn attach_photo(&mut self, encoded: &[u8]) {
        let Some(mut draft) = self.model.draft.clone() else { return };
        if draft.photos.len() >= MAX_PHOTOS {
            return self.notify(NoticeLevel::Error, Msg::ListFull, &[&MAX_PHOTOS.to_string()]);
        }

        let now = self.now();
        let settings = outlet_photo::PhotoSettings { max_long_side: self.model.settings.photo_max_long_side, ..outlet_photo::PhotoSettings::new(now.offset()) };
        let prepared = match outlet_photo::prepare(encoded, &settings) {
            Ok(prepared) => prepared,
            Err(error) => {
                tracing::info!(inspection_id = %draft.id, %error, "photo not attached");
                return self.notify(NoticeLevel::Error, Msg::PhotoNotAttached, &[&error.message(self.model.lang)]);
            }
        };

        let mut photo = prepared.photo_ref();
        photo.taken_at = photo.taken_at.or(Some(now));
        if photo.position.is_none() {
            if let Some(Location::Fix { point, .. }) = self.fresh_location() {
                photo.position = Some(point);
            }
        }
        if let Err(error) = self.store.save_photo(&prepared.bytes).await {
            return self.storage_failed(error);
        }
        if !draft.photos.iter().any(|p| p.sha256 == photo.sha256) {
            tracing::info!(inspection_id = %draft.id, sha256 = %photo.sha256, bytes = photo.bytes, "photo attached");
            draft.photos.push(photo);
        }
        self.save_open_draft(draft).await;
    }

    pub(crate) async fn discard_draft(&mut self) {
        let Some(draft) = self.model.draft.take() else { return };
        if let Err(error) = self.store.discard_draft(draft.id).await {
            self.model.draft = Some(draft);
            return self.storage_failed(error);
        }
        tracing::info!(inspection_id = %draft.id, "draft discarded");
        self.reload_drafts().await;
        self.model.screen = Screen::Scan;
    }

    /// Freezes the open draft, signs it with the device key as the next link of the device's chain,
    /// and queues it. The officer list is remembered for the next record.
    pub(crate) async fn finalize(&mut self) {
        let Some(draft) = self.model.draft.clone() else { return };

        let identity = match self.device_identity().await {
            Ok(identity) => identity,
            Err(error) => {
                tracing::error!(%error, "no device key to sign with");
                return self.notify(NoticeLevel::Error, Msg::StorageFailed, &[&error.to_string()]);
            }
        };
        let Some(key) = identity.signing_key() else {
            return self.notify(NoticeLevel::Error, Msg::StorageFailed, &["device key"]);
        };
        let head = match self.store.chain_head().await {
            Ok(head) => head,
            Err(error) => return self.storage_failed(error),
        };

        let ended_at = self.now();
        let device_seq = head.as_ref().map_or(1, |head| head.device_seq + 1);
        let context = FreezeContext { ended_at, device_id: identity.device_id, device_seq, previous_sha256: head.map(|head| head.sha256), key: &key };
        let frozen = match draft.freeze(&context) {
            Ok(frozen) => frozen,
            Err(error) => {
                let (msg, args) = freeze_message(&error, self.model.lang);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                return self.notify(NoticeLevel::Error, msg, &args);
            }
        };

        match self.store.enqueue(frozen, ended_at, device_seq, draft.photos.len()).await {
            Ok(entry) => {
                tracing::info!(inspection_id = %entry.frozen.id, sha256 = %entry.frozen.sha256, device_seq, "inspection finalized and queued");
                self.model.draft = None;
                self.remember_officers(&draft).await;
                self.notify(NoticeLevel::Info, Msg::Finalized, &[]);
                self.reload_outbox().await;
                self.reload_drafts().await;
                self.model.screen = Screen::Outbox;
            }
            Err(error) => self.storage_failed(error),
        }
    }

    async fn remember_officers(&mut self, draft: &InspectionDraft) {
        let officers: Vec<Officer> = draft.officers.iter().filter(|o| !o.name.trim().is_empty()).cloned().collect();
        self.model.settings.recorder = draft.recorder.min(officers.len().saturating_sub(1));
        self.model.settings.officers = officers;
        if let Err(error) = self.save_settings().await {
            self.storage_failed(error);
        }
    }

    /// Opens a correction of a finalized record as a new draft naming it.
    pub(crate) async fn start_correction(&mut self, id: Uuid) {
        let Some(entry) = self.model.outbox.iter().find(|entry| entry.frozen.id == id).cloned() else { return };
        let record = match entry.frozen.record() {
            Ok(record) => record,
            Err(error) => {
                return self.storage_failed(StoreError::Corrupt { collection: "outbox", key: id.to_string(), reason: error.to_string() });
            }
        };
        let draft = InspectionDraft::correction(&record, &entry.frozen.sha256, self.now());
        if let Err(error) = self.store.save_draft(&draft).await {
            return self.storage_failed(error);
        }
        tracing::info!(inspection_id = %draft.id, amends = %id, "correction started");
        self.show_draft(draft).await;
    }

    /// Deletes a fully synced record; anything still to be sent is refused with the reason.
    pub(crate) async fn delete_record(&mut self, id: Uuid) {
        if self.model.sending == Some(id) {
            return self.notify(NoticeLevel::Error, Msg::RecordNotDeletable, &[&id.to_string()]);
        }
        match self.store.delete_record(id).await {
            Ok(()) => tracing::info!(inspection_id = %id, "synced record deleted from the device"),
            Err(StoreError::NotDeletable { .. }) => {
                tracing::info!(inspection_id = %id, "delete rejected: the record is not yet synced");
                self.notify(NoticeLevel::Error, Msg::RecordNotDeletable, &[&id.to_string()]);
            }
            Err(error) => self.storage_failed(error),
        }
        self.reload_outbox().await;
    }
}

/// Scales drawn strokes into a signature, refusing dots and scribbles too long to store.
fn drawn(strokes: &[Vec<(f64, f64)>], width: f64, height: f64) -> Result<Signature, (Msg, Vec<String>)> {
    let signature = Signature::from_canvas(strokes, width, height);
    if signature.is_drawn() {
        Ok(signature)
    } else {
        Err((Msg::SignatureNotDrawn, Vec::new()))
    }
}

/// Builds the notice for a draft that cannot be finalized yet, naming what to fix.
fn freeze_message(error: &FreezeError, lang: Lang) -> (Msg, Vec<String>) {
    match error {
        FreezeError::NoOutlet => (Msg::FreezeNoOutlet, vec![]),
        FreezeError::TooFewOfficers { .. } => (Msg::TooFewOfficers, vec![MIN_OFFICERS.to_string()]),
        FreezeError::OfficerIncomplete { number } => (Msg::OfficerIncomplete, vec![number.to_string()]),
        FreezeError::NoRecorder => (Msg::FreezeNoRecorder, vec![]),
        FreezeError::Unanswered { item } => (Msg::Unanswered, vec![item.text(lang).to_string()]),
        FreezeError::MeasurementInvalid { number, reason } => (Msg::FreezeMeasurementInvalid, vec![number.to_string(), reason.label().text(lang).to_string()]),
        FreezeError::NoLocation => (Msg::FreezeNoLocation, vec![]),
        FreezeError::UnknownArticle { article, .. } => (Msg::FreezeUnknownArticle, vec![article.to_string()]),
        FreezeError::NoAcknowledgement => (Msg::FreezeNoAcknowledgement, vec![]),
        FreezeError::RefusalWithoutReason => (Msg::FreezeRefusalWithoutReason, vec![]),
        FreezeError::WitnessWithoutName => (Msg::FreezeWitnessWithoutName, vec![]),
        FreezeError::FindingTooLong { chars } => (Msg::FindingTooLong, vec![chars.to_string(), MAX_FINDING_CHARS.to_string()]),
        FreezeError::TextTooLong { chars } => (Msg::TextTooLong, vec![chars.to_string(), MAX_TEXT_CHARS.to_string()]),
        FreezeError::ListTooLong { .. } => (Msg::ListFull, vec![MAX_LIST.to_string()]),
    }
}
