//! The 数据时效 sheet: each unit's latest bundle, when it was made and imported, and
//! whether the unit has gone silent.

use rust_xlsxwriter::Worksheet;

use super::CityBook;
use crate::i18n::sheet::city as words;
use crate::report::SILENT_AFTER_DAYS;
use crate::sheet::SheetError;
use crate::sheet::book::{self, ColumnWidths};

const HEAD_ROW: u32 = 2;

pub(super) fn write(ws: &mut Worksheet, city: &CityBook) -> Result<(), SheetError> {
    let (lang, styles) = (city.lang, &city.styles);
    let columns = words::freshness_columns(lang);
    let last_col = columns.len() as u16 - 1;
    let mut widths = ColumnWidths::new();
    book::header_row(ws, HEAD_ROW, &columns, styles, &mut widths)?;
    let mut row = HEAD_ROW + 1;
    for (serial, unit) in (1u32..).zip(&city.report.freshness) {
        book::number(ws, row, 0, f64::from(serial), &styles.count)?;
        let name = city.unit_name(&unit.unit);
        book::text(ws, row, 1, name, &styles.text)?;
        widths.note(1, name);
        match unit.sequence {
            Some(sequence) => book::number(ws, row, 2, sequence as f64, &styles.count)?,
            None => book::blank(ws, row, 2, &styles.count)?,
        }
        for (col, at) in [(3, unit.created_at), (4, unit.imported_at)] {
            match at {
                Some(at) => book::datetime(ws, row, col, at, &styles.datetime)?,
                None => book::blank(ws, row, col, &styles.datetime)?,
            }
            widths.note(col, "2023-12-31 23:59");
        }
        let status = words::freshness_status(
            lang,
            unit.sequence.is_some(),
            unit.silent,
            SILENT_AFTER_DAYS,
        );
        let format = if unit.silent {
            &styles.total_text
        } else {
            &styles.text
        };
        book::text(ws, row, 5, &status, format)?;
        widths.note(5, &status);
        row += 1;
    }
    book::note_row(
        ws,
        row + 1,
        last_col,
        &words::freshness_note(lang, SILENT_AFTER_DAYS),
        styles,
        &widths,
    )?;
    city.finish(
        ws,
        &words::freshness_title(lang),
        last_col,
        &widths,
        HEAD_ROW,
    )
}
