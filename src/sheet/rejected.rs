//! The workbook of rejected rows written beside an imported sheet: the sheet's header row,
//! the rows that were not imported exactly as read (codes as text), and a column saying why,
//! so that the clerk fixes them in Excel and imports the file again.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::Workbook;

use super::SheetError;
use super::book::{self, ColumnWidths, Styles};
use super::import::SheetImportPreview;
use crate::display;
use crate::domain::FieldType;
use crate::domain::dates::parse_date;
use crate::domain::sheet_rows::{SheetCell, cell_value};
use crate::i18n::{Lang, sheet::import as words};

/// Characters of reasons on one line of the widest column, and the height of a line in points.
const REASON_LINE_WIDTH: usize = 56;
const LINE_HEIGHT: f64 = 15.0;

/// Where the rejected rows of the sheet at `input` go: `名称-待修改.xlsx` beside it. The
/// rejected file of an earlier import is replaced only when it is the sheet being imported
/// (the clerk fixed it and imported it again); otherwise a free name is chosen, so a file
/// being fixed is never overwritten.
pub(super) fn path_for(input: &Path, lang: Lang) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suffix = words::rejected_suffix(lang);
    let at = |name: String| input.with_file_name(format!("{name}.xlsx"));
    let base = if stem.ends_with(suffix) {
        let own = at(stem.clone());
        if own == input || !own.exists() {
            return own;
        }
        stem
    } else {
        format!("{stem}{suffix}")
    };
    (1u32..)
        .map(|n| {
            if n == 1 {
                at(base.clone())
            } else {
                at(format!("{base}({n})"))
            }
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| at(base))
}

/// The workbook of the preview's rejected rows.
pub(super) fn workbook(preview: &SheetImportPreview, lang: Lang) -> Result<Workbook, SheetError> {
    let styles = Styles::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(words::rejected_sheet_name(lang))?;
    let mut widths = ColumnWidths::new();
    let width = preview
        .rows
        .iter()
        .filter(|r| r.verdict.is_rejected())
        .map(|r| r.cells.len())
        .chain([preview.header_cells.len()])
        .max()
        .unwrap_or(0);
    let column = |index: usize| {
        u16::try_from(index).map_err(|_| SheetError::Build {
            reason: "too many columns".to_string(),
        })
    };
    let reason_col = column(width)?;
    for (index, cell) in preview.header_cells.iter().enumerate() {
        let text = cell.text();
        widths.note(column(index)?, &text);
        book::text(ws, 0, column(index)?, &text, &styles.header)?;
    }
    let reason_header = words::reason_header(lang);
    widths.note(reason_col, reason_header);
    book::text(ws, 0, reason_col, reason_header, &styles.header)?;

    let field_of = |index: usize| {
        preview
            .columns
            .iter()
            .find(|c| c.index == index)
            .and_then(|c| c.usage.field())
            .and_then(|f| preview.kind.field(f))
    };
    let rejected = preview.rows.iter().filter(|r| r.verdict.is_rejected());
    for (n, row) in rejected.enumerate() {
        let at = u32::try_from(n + 1).map_err(|_| SheetError::Build {
            reason: "too many rows".to_string(),
        })?;
        for (index, cell) in row.cells.iter().enumerate() {
            let col = column(index)?;
            let spec = field_of(index);
            let day = spec
                .filter(|s| s.ty == FieldType::Date)
                .and_then(|s| cell_value(s, cell).ok().flatten())
                .and_then(|v| parse_date(&v).ok());
            match (cell, day) {
                (SheetCell::Empty, _) => {}
                (_, Some(day)) => {
                    widths.note(col, &day.to_string());
                    book::date(ws, at, col, day, &styles.date)?
                }
                (SheetCell::Number(n), _) if spec.is_some_and(|s| s.ty == FieldType::Amount) => {
                    widths.note(col, &format!("{n:.2},"));
                    book::number(ws, at, col, *n, &styles.yuan)?
                }
                (SheetCell::Number(n), _) if spec.is_none() && n.fract() == 0.0 => {
                    widths.note(col, &cell.text());
                    book::number(ws, at, col, *n, &styles.count)?
                }
                _ => {
                    let text = cell.text();
                    widths.note(col, &text);
                    book::text(ws, at, col, &text, &styles.text)?;
                }
            }
        }
        let reasons = words::row_reasons(row, lang).join(words::reason_separator(lang));
        widths.note(reason_col, &reasons);
        book::text(ws, at, reason_col, &reasons, &styles.note)?;
        // Not every spreadsheet fits a row to wrapped text on opening: give it the lines.
        let lines = display::width(&reasons).div_ceil(REASON_LINE_WIDTH).max(1);
        if lines > 1 {
            ws.set_row_height(at, LINE_HEIGHT * lines as f64)?;
        }
    }
    widths.apply(ws)?;
    book::print_setup(ws, lang, 0)?;
    Ok(wb)
}
