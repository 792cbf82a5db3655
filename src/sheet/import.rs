//! Importing a unit's own sheet as records of one kind, in two steps a screen can show
//! between: [`prepare`] reads the sheet and gives every data row a verdict against the ledger
//! (new, already in the ledger, repeated in the sheet, invalid) without writing anything;
//! [`apply`] saves the new rows in one transaction and writes the rejected rows, with their
//! reasons, to a workbook beside the sheet for the clerk to fix and import again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::read::read_sheet;
use super::{SheetError, SheetRefusal, rejected};
use crate::domain::sheet_rows::{
    ColumnMap, RowCheck, RowProblem, SheetCell, SheetColumn, SkipReason, check_row, plan_columns,
    skip_reason,
};
use crate::domain::{FieldIssue, RecordKind, ValidRecord};
use crate::i18n::Lang;
use crate::store::{ExistingEntry, Ledger, LedgerRole};

/// What importing a sheet would do, row by row. Nothing has been written yet.
#[derive(Clone, Debug)]
pub struct SheetImportPreview {
    /// The sheet file.
    pub path: PathBuf,
    pub kind: RecordKind,
    /// The worksheet read (`None` for CSV).
    pub sheet_name: Option<String>,
    /// The header row, numbered as the spreadsheet shows it (1-based).
    pub header_row: u32,
    /// The columns read and those ignored, in sheet order.
    pub columns: Vec<SheetColumn>,
    /// Every data row with its verdict, in sheet order.
    pub rows: Vec<SheetRow>,
    /// Rows below the header that are no records.
    pub skipped: Vec<SkippedRow>,
    pub counts: SheetImportCounts,
    /// The header row's cells as read, for the rejected-rows workbook.
    pub(crate) header_cells: Vec<SheetCell>,
}

/// One data row of the sheet.
#[derive(Clone, Debug)]
pub struct SheetRow {
    /// The row number the spreadsheet shows (1-based).
    pub number: u32,
    /// The entity's name as the row gives it (may be empty on an invalid row).
    pub name: String,
    pub verdict: RowVerdict,
    /// The row's cells as read, for the rejected-rows workbook.
    pub(crate) cells: Vec<SheetCell>,
}

/// What importing does with a data row.
#[derive(Clone, Debug)]
pub enum RowVerdict {
    /// A valid record the ledger does not hold yet; it is saved (its warnings are shown).
    New(ValidRecord),
    /// The unit already holds this entity as an active record of the kind.
    InLedger(ExistingEntry),
    /// The same entity as an earlier row of the sheet (its row number).
    RepeatsRow(u32),
    /// Not a valid record, for these reasons; `warnings` were found as well.
    Invalid {
        problems: Vec<RowProblem>,
        warnings: Vec<FieldIssue>,
    },
}

impl RowVerdict {
    /// Rows the clerk must fix: written to the rejected-rows workbook.
    pub fn is_rejected(&self) -> bool {
        matches!(self, RowVerdict::RepeatsRow(_) | RowVerdict::Invalid { .. })
    }
}

/// A row below the header that is not read, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SkippedRow {
    pub number: u32,
    pub reason: SkipReason,
}

/// How many rows got each verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SheetImportCounts {
    pub new: usize,
    pub in_ledger: usize,
    pub repeated: usize,
    pub invalid: usize,
    pub skipped: usize,
}

impl SheetImportCounts {
    /// Rows written to the rejected-rows workbook.
    pub fn rejected(&self) -> usize {
        self.repeated + self.invalid
    }
}

/// What [`apply`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetImportDone {
    /// Records saved.
    pub inserted: usize,
    /// The workbook of rejected rows, if there were any.
    pub rejected_file: Option<PathBuf>,
    /// Rows in it.
    pub rejected_rows: usize,
}

/// Reads the sheet `sheet` (or the first) of the file at `path` as records of `kind` for
/// the ledger's unit and gives each data row its verdict, `today` deciding which dates lie
/// in the future. Writes nothing. Refused: a city ledger, a file that cannot be read, a sheet
/// with no recognisable header row or missing a required column, a `--map` naming no column
/// or no field.
pub fn prepare(
    ledger: &Ledger,
    path: &Path,
    kind: RecordKind,
    maps: &[ColumnMap],
    sheet: Option<&str>,
    today: Date,
) -> Result<SheetImportPreview, SheetError> {
    if ledger.role() == LedgerRole::City {
        return Err(SheetRefusal::CityLedger.into());
    }
    let grid = read_sheet(path, sheet)?;
    let plan = plan_columns(kind, &grid.rows, maps).map_err(SheetRefusal::Columns)?;
    let row_number = |index: usize| u32::try_from(index + 1).unwrap_or(u32::MAX);

    let name_column = plan
        .read_columns()
        .find(|(_, field)| *field == kind.name_field())
        .map(|(col, _)| col);
    let mut skipped = Vec::new();
    let mut rows = Vec::new();
    for (index, cells) in grid.rows.iter().enumerate().skip(plan.header_row + 1) {
        let number = row_number(index);
        if let Some(reason) = skip_reason(cells) {
            skipped.push(SkippedRow { number, reason });
            continue;
        }
        let check = check_row(kind, &plan, cells, ledger.unit(), today);
        let name = match &check {
            RowCheck::Valid(valid) => valid.index.name.clone(),
            RowCheck::Invalid { .. } => name_column
                .and_then(|col| cells.get(col))
                .map(|c| c.text().trim().to_string())
                .unwrap_or_default(),
        };
        let verdict = match check {
            RowCheck::Valid(valid) => RowVerdict::New(valid),
            RowCheck::Invalid { problems, warnings } => RowVerdict::Invalid { problems, warnings },
        };
        rows.push(SheetRow {
            number,
            name,
            verdict,
            cells: cells.clone(),
        });
    }
    // Trailing blank rows are the sheet's formatting, not worth naming.
    while skipped.last().is_some_and(|s| {
        s.reason == SkipReason::Blank && rows.last().is_none_or(|r| r.number < s.number)
    }) {
        skipped.pop();
    }

    let keys: Vec<String> = rows
        .iter()
        .filter_map(|r| match &r.verdict {
            RowVerdict::New(valid) => Some(valid.index.dup_key.clone()),
            _ => None,
        })
        .collect();
    let existing = ledger.entries_by_dup_key(kind, &keys)?;
    let mut first_row_of: HashMap<String, u32> = HashMap::new();
    for row in &mut rows {
        let RowVerdict::New(valid) = &row.verdict else {
            continue;
        };
        let key = &valid.index.dup_key;
        if let Some(entry) = existing.get(key) {
            row.verdict = RowVerdict::InLedger(entry.clone());
        } else if let Some(&first) = first_row_of.get(key) {
            row.verdict = RowVerdict::RepeatsRow(first);
        } else {
            first_row_of.insert(key.clone(), row.number);
        }
    }

    let mut counts = SheetImportCounts {
        skipped: skipped.len(),
        ..SheetImportCounts::default()
    };
    for row in &rows {
        match row.verdict {
            RowVerdict::New(_) => counts.new += 1,
            RowVerdict::InLedger(_) => counts.in_ledger += 1,
            RowVerdict::RepeatsRow(_) => counts.repeated += 1,
            RowVerdict::Invalid { .. } => counts.invalid += 1,
        }
    }
    Ok(SheetImportPreview {
        path: path.to_path_buf(),
        kind,
        sheet_name: grid.sheet_name,
        header_row: row_number(plan.header_row),
        columns: plan.columns,
        rows,
        skipped,
        counts,
        header_cells: grid.rows.get(plan.header_row).cloned().unwrap_or_default(),
    })
}

/// Saves the preview's new rows in one transaction (all or none) as `actor`, then writes its
/// rejected rows with their reasons (in `lang`) to a workbook beside the sheet. If that
/// workbook cannot be written the records stay saved and the error says so
/// ([`SheetError::RejectedUnwritten`]); importing the sheet again writes it. If the ledger
/// gained one of the new entities since [`prepare`], nothing is saved (the store refuses the
/// duplicate) and the sheet is to be prepared again.
pub fn apply(
    ledger: &mut Ledger,
    preview: &SheetImportPreview,
    actor: &str,
    lang: Lang,
) -> Result<SheetImportDone, SheetError> {
    let new: Vec<ValidRecord> = preview
        .rows
        .iter()
        .filter_map(|r| match &r.verdict {
            RowVerdict::New(valid) => Some(valid.clone()),
            _ => None,
        })
        .collect();
    let rejected_rows = preview.counts.rejected();
    let mut workbook = if rejected_rows > 0 {
        Some(rejected::workbook(preview, lang)?)
    } else {
        None
    };
    let inserted = if new.is_empty() {
        0
    } else {
        ledger.insert_many(&new, actor)?
    };
    let rejected_file = match workbook.as_mut() {
        Some(book) => {
            let target = rejected::path_for(&preview.path, lang);
            super::book::save(book, &target).map_err(|e| SheetError::RejectedUnwritten {
                inserted,
                source: Box::new(e),
            })?;
            Some(target)
        }
        None => None,
    };
    Ok(SheetImportDone {
        inserted,
        rejected_file,
        rejected_rows,
    })
}
