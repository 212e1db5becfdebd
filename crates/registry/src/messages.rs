//! Problems and notices in the reader's language, through the texts of [`outlet_core::i18n`].

use outlet_core::card::Medium;
use outlet_core::i18n::{Lang, Msg};
use outlet_core::ids::IdError;

use crate::columns::Table;
use crate::error::{Location, MediumName, Notice, Problem, ProblemKind};

impl Problem {
    /// Writes the problem for a person in `lang`: where it is, then what is wrong and what to write.
    pub fn message(&self, lang: Lang) -> String {
        Msg::ImportProblemAt.fill(lang, &[&self.location.message(lang), &self.kind.message(lang)])
    }
}

impl Location {
    /// Writes the place: file, sheet, row, column and the value found, as far as they are known.
    pub fn message(&self, lang: Lang) -> String {
        let mut parts = vec![self.file.display().to_string()];
        if let Some(sheet) = &self.sheet {
            parts.push(Msg::ImportSheet.fill(lang, &[sheet]));
        }
        if let Some(row) = self.row {
            parts.push(Msg::ImportRow.fill(lang, &[&row.to_string()]));
        }
        if let Some(column) = &self.column {
            parts.push(Msg::ImportColumn.fill(lang, &[column]));
        }
        if let Some(value) = &self.value {
            parts.push(Msg::ImportValue.fill(lang, &[value]));
        }
        parts.join(Msg::ImportPlaceSeparator.text(lang))
    }
}

fn table_name(table: Table, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => table.name_zh(),
        Lang::En => table.key(),
    }
}

fn medium_name(medium: MediumName, lang: Lang) -> &'static str {
    match medium.0 {
        Medium::Air => Msg::ImportAir.text(lang),
        Medium::Water => Msg::ImportWater.text(lang),
    }
}

fn id_message(error: &IdError, lang: Lang) -> String {
    match error {
        IdError::UsccLength { len, .. } => Msg::ImportUsccLength.fill(lang, &[&len.to_string()]),
        IdError::UsccCharacter { ch, .. } => Msg::ImportUsccCharacter.fill(lang, &[&ch.to_string()]),
        IdError::UsccCheck { found, expected, .. } => Msg::ImportUsccCheck.fill(lang, &[&found.to_string(), &expected.to_string()]),
        IdError::PermitNoShape { .. } => Msg::ImportPermitNoShape.text(lang).to_string(),
        IdError::PermitNoUscc { source, .. } => Msg::ImportPermitNoUscc.fill(lang, &[&id_message(source, lang)]),
        IdError::OutletCode { .. } => Msg::ImportOutletCode.text(lang).to_string(),
        other => Msg::ImportInvalidId.fill(lang, &[&other.to_string()]),
    }
}

impl ProblemKind {
    /// Writes what is wrong and what is expected, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ProblemKind::Unreadable { reason } => Msg::ImportUnreadable.fill(lang, &[reason]),
            ProblemKind::UnsupportedFile => Msg::ImportUnsupportedFile.text(lang).into(),
            ProblemKind::EmptyFolder => Msg::ImportEmptyFolder.text(lang).into(),
            ProblemKind::NotText => Msg::ImportNotText.text(lang).into(),
            ProblemKind::CorruptWorkbook { reason } => Msg::ImportCorruptWorkbook.fill(lang, &[reason]),
            ProblemKind::MalformedCsv { reason } => Msg::ImportMalformedCsv.fill(lang, &[reason]),
            ProblemKind::UnknownTable { expected } => Msg::ImportUnknownTable.fill(lang, &[expected]),
            ProblemKind::DuplicateTable { table, first } => Msg::ImportDuplicateTable.fill(lang, &[table_name(*table, lang), first]),
            ProblemKind::MissingTable { table } => Msg::ImportMissingTable.fill(lang, &[table_name(*table, lang)]),
            ProblemKind::NoHeader => Msg::ImportNoHeader.text(lang).into(),
            ProblemKind::UnknownColumn { table, expected } => Msg::ImportUnknownColumn.fill(lang, &[table_name(*table, lang), expected]),
            ProblemKind::MissingColumn => Msg::ImportMissingColumn.text(lang).into(),
            ProblemKind::DuplicateColumn { first } => Msg::ImportDuplicateColumn.fill(lang, &[first]),
            ProblemKind::CellWithoutHeader => Msg::ImportCellWithoutHeader.text(lang).into(),
            ProblemKind::Missing => Msg::ImportMissing.text(lang).into(),
            ProblemKind::CellError { code } => Msg::ImportCellError.fill(lang, &[code]),
            ProblemKind::InvalidId(error) => id_message(error, lang),
            ProblemKind::PermitOfOtherUnit { uscc } => Msg::ImportPermitOfOtherUnit.fill(lang, &[uscc]),
            ProblemKind::OutletCodeMedium { code_medium, medium } => {
                Msg::ImportOutletCodeMedium.fill(lang, &[medium_name(*code_medium, lang), medium_name(*medium, lang)])
            }
            ProblemKind::InvalidChoice { expected } => Msg::ImportInvalidChoice.fill(lang, &[expected]),
            ProblemKind::UnknownMeasure { expected } => Msg::ImportUnknownMeasure.fill(lang, &[expected]),
            ProblemKind::MeasureMedium { unit, unit_medium, medium } => {
                Msg::ImportMeasureMedium.fill(lang, &[unit, medium_name(*unit_medium, lang), medium_name(*medium, lang)])
            }
            ProblemKind::WrongMeasure { expected } => Msg::ImportWrongMeasure.fill(lang, &[expected]),
            ProblemKind::ConflictingMeasure { unit, unit_column } => Msg::ImportConflictingMeasure.fill(lang, &[unit, unit_column]),
            ProblemKind::MissingMeasure { unit_column } => Msg::ImportMissingMeasure.fill(lang, &[unit_column]),
            ProblemKind::InvalidNumber => Msg::ImportInvalidNumber.text(lang).into(),
            ProblemKind::Negative => Msg::ImportNegative.text(lang).into(),
            ProblemKind::OutOfRange { min, max } => Msg::ImportOutOfRange.fill(lang, &[&min.to_string(), &max.to_string()]),
            ProblemKind::NotWholeNumber { min } => Msg::ImportNotWholeNumber.fill(lang, &[&min.to_string()]),
            ProblemKind::InvalidDate => Msg::ImportInvalidDate.text(lang).into(),
            ProblemKind::DateOrder { other_column, other_value } => Msg::ImportDateOrder.fill(lang, &[other_column, other_value]),
            ProblemKind::InvalidPollutantCode => Msg::ImportInvalidPollutantCode.text(lang).into(),
            ProblemKind::PollutantCodeMedium { code_medium, medium } => {
                Msg::ImportPollutantCodeMedium.fill(lang, &[medium_name(*code_medium, lang), medium_name(*medium, lang)])
            }
            ProblemKind::InvalidMn => Msg::ImportInvalidMn.text(lang).into(),
            ProblemKind::Dangling { table } => Msg::ImportDangling.fill(lang, &[table_name(*table, lang)]),
            ProblemKind::Duplicate { first_row } => Msg::ImportDuplicate.fill(lang, &[&first_row.to_string()]),
            ProblemKind::RepeatedInList { item } => Msg::ImportRepeatedInList.fill(lang, &[item]),
            ProblemKind::RequiredWhen { other_column, other_value } => Msg::ImportRequiredWhen.fill(lang, &[other_column, other_value]),
            ProblemKind::NotAllowedWhen { other_column, other_value } => Msg::ImportNotAllowedWhen.fill(lang, &[other_column, other_value]),
            ProblemKind::NoLimit => Msg::ImportNoLimit.text(lang).into(),
        }
    }
}

impl Notice {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Notice::DecodedGb18030 { file } => Msg::ImportDecodedGb18030.fill(lang, &[&file.display().to_string()]),
            Notice::EmptySheetSkipped { file, sheet } => Msg::ImportEmptySheetSkipped.fill(lang, &[&file.display().to_string(), sheet]),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn problem(kind: ProblemKind) -> Problem {
        let location = Location { file: PathBuf::from("units.csv"), sheet: None, row: Some(3), column: Some("统一社会信用代码".into()), value: Some("91350100M000100Y44".into()) };
        Problem { location, kind }
    }

    #[test]
    fn check_character_message_in_both_languages() {
        let kind = ProblemKind::InvalidId(IdError::UsccCheck { value: "91350100M000100Y44".into(), found: '4', expected: '3' });

        assert_eq!(
            problem(kind.clone()).message(Lang::Zh),
            "units.csv，第3行，列“统一社会信用代码”，值“91350100M000100Y44”：统一社会信用代码的校验码为“4”，按前17位计算应为“3”。"
        );
        assert_eq!(
            problem(kind).message(Lang::En),
            "units.csv, row 3, column 统一社会信用代码, value \"91350100M000100Y44\": The USCC's check character is 4; the first 17 characters give 3."
        );
    }

    #[test]
    fn medium_words_are_translated() {
        let kind = ProblemKind::OutletCodeMedium { code_medium: MediumName(Medium::Air), medium: MediumName(Medium::Water) };
        assert!(kind.message(Lang::Zh).contains("表示废气排放口，但排放介质为废水"));
        assert!(kind.message(Lang::En).contains("for air outlets, but the medium is water"));
    }
}
