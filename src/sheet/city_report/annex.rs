//! The 附件2 sheet: the plan's Annex 2 table (units down in the plan's order, the six
//! indicators across) with each unit's target, what it achieved and its completion rate,
//! and the city total row.

use rust_xlsxwriter::{Format, Worksheet};

use super::CityBook;
use crate::domain::progress::{IndicatorProgress, UnitProgress};
use crate::i18n::sheet::city as words;
use crate::sheet::SheetError;
use crate::sheet::book::{self, ColumnWidths};

/// The first header row (indicator names, merged over their three columns).
const HEAD_ROW: u32 = 2;
/// The second header row (目标 / 完成 / 完成率), repeated on every printed page.
const SUB_HEAD_ROW: u32 = 3;
/// The first unit's row; the units follow in the plan's order, then the total.
pub(super) const FIRST_UNIT_ROW: u32 = 4;
/// The height of a unit's row, in points: a printed table easy to read across.
const ROW_HEIGHT: f64 = 20.0;
/// The column of the units' names.
pub(super) const UNIT_COL: u16 = 1;

/// The column of indicator `k`'s target; its achieved count and rate follow.
pub(super) fn target_col(k: usize) -> u16 {
    // At most a handful of indicators.
    2 + 3 * k as u16
}

/// The column of indicator `k`'s completion rate.
pub(super) fn rate_col(k: usize) -> u16 {
    target_col(k) + 2
}

pub(super) fn write(ws: &mut Worksheet, city: &CityBook) -> Result<(), SheetError> {
    let (lang, styles) = (city.lang, &city.styles);
    let indicators = &city.plan.indicators;
    let last_col = target_col(indicators.len()) - 1;
    let mut widths = ColumnWidths::new();
    for (col, head) in (0u16..).zip(words::annex_columns(lang)) {
        ws.merge_range(HEAD_ROW, col, SUB_HEAD_ROW, col, head, &styles.header)?;
        widths.note(col, head);
    }
    for (k, indicator) in indicators.iter().enumerate() {
        let first = target_col(k);
        let name = city.indicator_name(indicator.kind);
        ws.merge_range(HEAD_ROW, first, HEAD_ROW, first + 2, name, &styles.header)?;
        for (col, sub) in (first..).zip(words::annex_sub_columns(lang)) {
            book::text(ws, SUB_HEAD_ROW, col, sub, &styles.header)?;
            // Room for `100.0%` and for the indicator's name over three columns.
            widths.note(col, "100.0%");
        }
    }
    ws.set_row_height(HEAD_ROW, 30)?;
    let formats = Figures {
        count: &styles.count,
        percent: &styles.percent,
    };
    let mut row = FIRST_UNIT_ROW;
    for (serial, unit) in (1u32..).zip(&city.report.units) {
        book::number(ws, row, 0, f64::from(serial), &styles.count)?;
        let name = city.unit_name(&unit.unit);
        book::text(ws, row, UNIT_COL, name, &styles.text)?;
        widths.note(UNIT_COL, name);
        figures(ws, row, unit, &formats)?;
        ws.set_row_height(row, ROW_HEIGHT)?;
        row += 1;
    }
    let total = words::annex_total(lang);
    ws.merge_range(row, 0, row, UNIT_COL, total, &styles.total_text)?;
    widths.note(UNIT_COL, total);
    let totals = Figures {
        count: &styles.total_count,
        percent: &styles.total_percent,
    };
    figures(ws, row, &city.report.total, &totals)?;
    ws.set_row_height(row, ROW_HEIGHT)?;
    book::note_row(
        ws,
        row + 2,
        last_col,
        &words::annex_note(lang),
        styles,
        &widths,
    )?;
    city.finish(
        ws,
        &words::annex_title(lang),
        last_col,
        &widths,
        SUB_HEAD_ROW,
    )
}

/// The formats of a row's figures.
struct Figures<'a> {
    count: &'a Format,
    percent: &'a Format,
}

/// Target, achieved and rate of each indicator along `row`.
fn figures(
    ws: &mut Worksheet,
    row: u32,
    area: &UnitProgress,
    formats: &Figures,
) -> Result<(), SheetError> {
    for (k, indicator) in area.indicators.iter().enumerate() {
        let col = target_col(k);
        book::number(ws, row, col, f64::from(indicator.target), formats.count)?;
        book::number(ws, row, col + 1, indicator.achieved as f64, formats.count)?;
        match completion_rate(indicator) {
            Some(rate) => book::number(ws, row, col + 2, rate, formats.percent)?,
            None => book::blank(ws, row, col + 2, formats.percent)?,
        }
    }
    Ok(())
}

/// The completion rate as a share (0.85 for 85%), as the report rounds it; none without a
/// target.
fn completion_rate(indicator: &IndicatorProgress) -> Option<f64> {
    (indicator.target > 0).then(|| indicator.percent / 100.0)
}
