//! The 重复填报 sheet: the entities more than one unit counts on the date, one row per
//! claiming record, and which unit is credited.

use rust_xlsxwriter::Worksheet;

use super::CityBook;
use crate::i18n::labels::kind_label;
use crate::i18n::sheet::city as words;
use crate::sheet::SheetError;
use crate::sheet::book::{self, ColumnWidths};

const HEAD_ROW: u32 = 2;

pub(super) fn write(ws: &mut Worksheet, city: &CityBook) -> Result<(), SheetError> {
    let (lang, styles) = (city.lang, &city.styles);
    let columns = words::claims_columns(lang);
    let last_col = columns.len() as u16 - 1;
    let mut widths = ColumnWidths::new();
    book::header_row(ws, HEAD_ROW, &columns, styles, &mut widths)?;
    let mut row = HEAD_ROW + 1;
    for (serial, claim) in (1u32..).zip(&city.report.claims) {
        let indicator = kind_label(claim.kind, lang);
        for by in &claim.claims {
            let code = by
                .credit_code
                .as_deref()
                .or(claim.credit_code.as_deref())
                .unwrap_or("");
            let cells = [
                (1, indicator),
                (2, claim.entity.as_str()),
                (3, code),
                (4, city.unit_name(&by.unit)),
                (5, by.name.as_str()),
                (7, words::credited(lang, by.credited)),
            ];
            book::number(ws, row, 0, f64::from(serial), &styles.count)?;
            for (col, value) in cells {
                let format = if by.credited && col == 7 {
                    &styles.total_text
                } else {
                    &styles.text
                };
                book::text(ws, row, col, value, format)?;
                widths.note(col, value);
            }
            book::date(ws, row, 6, by.key_date, &styles.date)?;
            widths.note(6, "2023-12-31");
            row += 1;
        }
    }
    if city.report.claims.is_empty() {
        book::title_row(ws, row, last_col, &words::claims_none(lang), &styles.note)?;
        row += 1;
    }
    book::note_row(
        ws,
        row + 1,
        last_col,
        &words::claims_rule(lang),
        styles,
        &widths,
    )?;
    city.finish(ws, &words::claims_title(lang), last_col, &widths, HEAD_ROW)
}
