//! The 排序通报 sheet: the plan's ranking rule, then each unit's rank, score and the
//! figures the ties are broken on, as the ranking gives them.

use rust_xlsxwriter::Worksheet;

use super::CityBook;
use crate::i18n::sheet::city as words;
use crate::sheet::SheetError;
use crate::sheet::book::{self, ColumnWidths};

/// The rule, wrapped over the table's width.
const RULE_ROW: u32 = 2;
const HEAD_ROW: u32 = 3;

pub(super) fn write(ws: &mut Worksheet, city: &CityBook) -> Result<(), SheetError> {
    let (lang, styles) = (city.lang, &city.styles);
    let columns = words::ranking_columns(lang);
    let last_col = columns.len() as u16 - 1;
    let mut widths = ColumnWidths::new();
    book::header_row(ws, HEAD_ROW, &columns, styles, &mut widths)?;
    for (row, rank) in (HEAD_ROW + 1..).zip(&city.report.ranking) {
        book::number(ws, row, 0, rank.rank as f64, &styles.count)?;
        let name = city.unit_name(&rank.unit);
        book::text(ws, row, 1, name, &styles.text)?;
        widths.note(1, name);
        // The score is a mean completion in percent.
        book::number(ws, row, 2, rank.score / 100.0, &styles.percent)?;
        book::number(ws, row, 3, rank.at_expected as f64, &styles.count)?;
        book::number(ws, row, 4, rank.achieved as f64, &styles.count)?;
    }
    book::note_row(
        ws,
        RULE_ROW,
        last_col,
        &city.report.ranking_rule,
        styles,
        &widths,
    )?;
    city.finish(ws, &words::ranking_title(lang), last_col, &widths, HEAD_ROW)
}
