//! The 奖补资金 sheet: the awards statement for the finance officers, one block per year and
//! fiscal level (县（区）级, 市级), each unit's lines followed by its subtotal, and the
//! block's total. Every figure of a line is what the line adds to the totals, so each
//! subtotal and total is the sum of the lines above it.

use rust_xlsxwriter::{Format, Worksheet};

use super::CityBook;
use crate::domain::awards::{
    AwardLine, AwardTotals, Fen, add_line, award_totals, award_totals_all_units, unapplied_rules,
};
use crate::i18n::awards::cli::unapplied_rule;
use crate::i18n::awards::{line_status, rule_label};
use crate::i18n::labels::pick;
use crate::i18n::sheet::city as words;
use crate::sheet::SheetError;
use crate::sheet::book::{self, ColumnWidths};

const HEAD_ROW: u32 = 2;
/// The column of a line's basis date; the five amounts follow it, then the status.
const DATE_COL: u16 = 5;
const FIRST_AMOUNT_COL: u16 = 6;
const STATUS_COL: u16 = 11;

pub(super) fn write(
    ws: &mut Worksheet,
    city: &CityBook,
    lines: &[AwardLine],
) -> Result<(), SheetError> {
    let (lang, styles) = (city.lang, &city.styles);
    let columns = words::awards_columns(lang);
    let last_col = STATUS_COL;
    let mut widths = ColumnWidths::new();
    book::header_row(ws, HEAD_ROW, &columns, styles, &mut widths)?;
    // Long names and headers wrap rather than widen the page.
    for (col, max) in [(2, 32), (3, 32), (4, 24), (STATUS_COL, 14)] {
        widths.limit(col, max);
    }
    for col in FIRST_AMOUNT_COL..STATUS_COL {
        widths.limit(col, 14);
        widths.note(col, "12,345,678.00");
    }
    widths.note(DATE_COL, "2023-12-31");
    let unit_totals = award_totals(lines);
    let units = unit_order(city, lines);
    let mut row = HEAD_ROW + 1;
    let mut serial = 0u32;
    for block in award_totals_all_units(lines) {
        let heading = words::awards_block(lang, block.year, block.level);
        ws.merge_range(row, 0, row, last_col, &heading, &styles.section)?;
        row += 1;
        for unit in &units {
            let in_block = |l: &&AwardLine| {
                l.key.year == block.year && l.level == block.level && l.unit == *unit
            };
            let mut any = false;
            for line in lines.iter().filter(in_block) {
                serial += 1;
                any = true;
                write_line(ws, row, serial, city, line, &mut widths)?;
                row += 1;
            }
            let subtotal = unit_totals
                .iter()
                .find(|t| t.year == block.year && t.level == block.level && t.unit == *unit);
            if let (true, Some(subtotal)) = (any, subtotal) {
                let label = [words::awards_subtotal(lang), city.unit_name(unit)];
                write_total(ws, row, label, subtotal, city)?;
                row += 1;
            }
        }
        let label = words::awards_total_label(lang, block.year, block.level);
        write_total(ws, row, [words::awards_total(lang), &label], &block, city)?;
        widths.note(1, &label);
        row += 2;
    }
    if lines.is_empty() {
        book::title_row(ws, row, last_col, &words::awards_none(lang), &styles.note)?;
        row += 2;
    }
    let mut note = words::awards_note(lang);
    for rule in unapplied_rules(&city.plan.awards) {
        let description = pick(lang, &rule.description_zh, &rule.description_en);
        note.push('\n');
        note.push_str(&unapplied_rule(lang, &rule.key, description));
    }
    book::note_row(ws, row, last_col, &note, styles, &widths)?;
    city.finish(ws, &words::awards_title(lang), last_col, &widths, HEAD_ROW)
}

/// The plan's units in its order, then any other unit the lines name.
fn unit_order(city: &CityBook, lines: &[AwardLine]) -> Vec<String> {
    let mut units: Vec<String> = city.plan.units.iter().map(|u| u.code.clone()).collect();
    for line in lines {
        if !units.contains(&line.unit) {
            units.push(line.unit.clone());
        }
    }
    units
}

fn write_line(
    ws: &mut Worksheet,
    row: u32,
    serial: u32,
    city: &CityBook,
    line: &AwardLine,
    widths: &mut ColumnWidths,
) -> Result<(), SheetError> {
    let (lang, styles) = (city.lang, &city.styles);
    book::number(ws, row, 0, f64::from(serial), &styles.count)?;
    let status = line_status(line, lang);
    let cells = [
        (1, city.unit_name(&line.unit)),
        (2, line.beneficiary.as_str()),
        (3, line.entity.as_str()),
        (4, rule_label(&line.key.rule, Some(city.plan), lang)),
        (STATUS_COL, status.as_str()),
    ];
    let mut lines = 1;
    for (col, value) in cells {
        book::text(ws, row, col, value, &styles.wrapped)?;
        widths.note(col, value);
        lines = lines.max(widths.lines(col, value));
    }
    book::fit_lines(ws, row, lines)?;
    match line.basis_date {
        Some(day) => book::date(ws, row, DATE_COL, day, &styles.date)?,
        None => book::blank(ws, row, DATE_COL, &styles.date)?,
    }
    // What this line adds to its totals.
    let mut own = AwardTotals::default();
    add_line(&mut own, line);
    let owed = line.owed_fen().map(|_| own.entitled_fen);
    amounts(ws, row, owed, &own, &styles.yuan)
}

/// A subtotal or total row: its two labels, then the sums.
fn write_total(
    ws: &mut Worksheet,
    row: u32,
    label: [&str; 2],
    total: &AwardTotals,
    city: &CityBook,
) -> Result<(), SheetError> {
    let styles = &city.styles;
    book::text(ws, row, 0, label[0], &styles.total_text)?;
    book::text(ws, row, 1, label[1], &styles.total_text)?;
    for col in 2..FIRST_AMOUNT_COL {
        book::blank(ws, row, col, &styles.total_text)?;
    }
    book::blank(ws, row, STATUS_COL, &styles.total_text)?;
    amounts(ws, row, Some(total.entitled_fen), total, &styles.total_yuan)
}

/// Owed (empty while the amount waits for a figure), approved and unpaid, paid,
/// outstanding, to recover.
fn amounts(
    ws: &mut Worksheet,
    row: u32,
    owed: Option<Fen>,
    sums: &AwardTotals,
    format: &Format,
) -> Result<(), SheetError> {
    let col = FIRST_AMOUNT_COL;
    match owed {
        Some(fen) => book::number(ws, row, col, yuan(fen), format)?,
        None => book::blank(ws, row, col, format)?,
    }
    let rest = [
        sums.approved_fen,
        sums.paid_fen,
        sums.outstanding_fen,
        sums.to_recover_fen,
    ];
    for (col, fen) in (col + 1..).zip(rest) {
        book::number(ws, row, col, yuan(fen), format)?;
    }
    Ok(())
}

/// Fen as yuan.
fn yuan(fen: Fen) -> f64 {
    fen as f64 / 100.0
}
