//! The unit's printable ledger workbook: a first sheet with the unit's Annex 2 progress on
//! the date, then one sheet per record kind listing its records with every field, each cell
//! keeping its meaning (codes and names as text, dates as dates, yuan as numbers). The
//! ledger is read through its methods, page by page, so memory does not grow with the
//! reading.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rust_xlsxwriter::{Workbook, Worksheet};
use uuid::Uuid;

use super::SheetError;
use super::book::{self, ColumnWidths, Styles};
use crate::domain::dates::parse_date;
use crate::domain::progress::{AsOfSource, UnitProgress};
use crate::domain::{FieldSpec, FieldType, Record, RecordKind, RecordStatus};
use crate::i18n::sheet::report as words;
use crate::i18n::{Lang, labels, messages};
use crate::plan::Plan;
use crate::store::{Ledger, ListQuery};

/// Records are read in pages of this many.
const PAGE: usize = 1000;
/// The row of the column headers (under the title and the subtitle).
const HEADER_ROW: u32 = 2;

/// What the unit's workbook shows.
#[derive(Clone, Copy, Debug)]
pub struct UnitReport {
    /// The date progress is measured on, and where it came from.
    pub as_of: Date,
    pub source: AsOfSource,
    /// List voided records too (with their status and the reason).
    pub include_voided: bool,
    pub lang: Lang,
    /// The day the workbook is made, printed under the title.
    pub made_on: Date,
}

/// Writes the unit ledger's workbook to `path` (see [`book::save`]).
pub fn write_unit_report(
    ledger: &Ledger,
    plan: &Plan,
    report: &UnitReport,
    path: &Path,
) -> Result<(), SheetError> {
    let mut workbook = build_unit_report(ledger, plan, report)?;
    book::save(&mut workbook, path)
}

/// Writes the unit ledger's workbook into the folder `dir`, under its usual name (see
/// [`book::unit_report_path`]); returns the file written.
pub fn write_unit_report_into(
    ledger: &Ledger,
    plan: &Plan,
    report: &UnitReport,
    dir: &Path,
) -> Result<PathBuf, SheetError> {
    let path = book::unit_report_path(plan, ledger.unit(), dir, report.as_of);
    write_unit_report(ledger, plan, report, &path)?;
    Ok(path)
}

/// Builds the unit ledger's workbook: the progress sheet, then one sheet per kind.
pub fn build_unit_report(
    ledger: &Ledger,
    plan: &Plan,
    report: &UnitReport,
) -> Result<Workbook, SheetError> {
    let lang = report.lang;
    let code = ledger.unit();
    let unit_name = plan
        .unit(code)
        .map(|u| match lang {
            Lang::Zh => u.name_zh.as_str(),
            Lang::En => u.name_en.as_str(),
        })
        .unwrap_or(code);
    let progress = crate::report::unit_ledger_progress(plan, ledger, report.as_of, report.source)?;
    let plan_title = match lang {
        Lang::Zh => &plan.title_zh,
        Lang::En => &plan.title_en,
    };
    let page = Page {
        styles: Styles::new(),
        lang,
        unit_name,
        subtitle: words::subtitle(
            lang,
            plan_title,
            code,
            report.as_of,
            report.source,
            progress.measured_on,
            report.made_on,
        ),
        as_of: report.as_of,
    };
    let mut workbook = Workbook::new();
    progress_sheet(workbook.add_worksheet(), &page, plan, &progress)?;
    for kind in RecordKind::ALL {
        kind_sheet(workbook.add_worksheet(), &page, ledger, kind, report)?;
    }
    Ok(workbook)
}

/// What every sheet of the workbook shares.
struct Page<'a> {
    styles: Styles,
    lang: Lang,
    unit_name: &'a str,
    subtitle: String,
    as_of: Date,
}

impl Page<'_> {
    /// Writes the title, the subtitle (with `extra` after it) and the column headers over
    /// the rows already written, sets the widths and the print layout.
    fn finish(
        &self,
        ws: &mut Worksheet,
        title: &str,
        extra: Option<&str>,
        headers: &[String],
        mut widths: ColumnWidths,
    ) -> Result<(), SheetError> {
        let last_col = last_col(headers.len())?;
        note_headers(&mut widths, headers);
        for (col, header) in (0..).zip(headers) {
            book::text(ws, HEADER_ROW, col, header, &self.styles.header)?;
        }
        widths.apply(ws)?;
        book::title_row(ws, 0, last_col, title, &self.styles.title)?;
        ws.set_row_height(0, 24)?;
        let subtitle = match extra {
            Some(extra) => words::subtitle_and(self.lang, &self.subtitle, extra),
            None => self.subtitle.clone(),
        };
        book::paragraph(ws, 1, last_col, &subtitle, &self.styles.subtitle, &widths)?;
        book::print_setup(ws, self.lang, HEADER_ROW)
    }
}

/// Headers wrap: a column needs only half a header's width (a whole word of it, at least).
fn note_headers(widths: &mut ColumnWidths, headers: &[String]) {
    for (col, header) in (0..).zip(headers) {
        let width = crate::display::width(header);
        widths.note_width(col, width.div_ceil(2).max(width.min(8)));
    }
}

fn last_col(columns: usize) -> Result<u16, SheetError> {
    u16::try_from(columns.saturating_sub(1)).map_err(|_| SheetError::Build {
        reason: "too many columns".to_string(),
    })
}

/// The first sheet: each indicator's target, count, share, expectation and status, and the
/// plan's floors, growth and yearly counts in words under the table.
fn progress_sheet(
    ws: &mut Worksheet,
    page: &Page,
    plan: &Plan,
    progress: &UnitProgress,
) -> Result<(), SheetError> {
    let (lang, styles) = (page.lang, &page.styles);
    ws.set_name(words::progress_sheet(lang))?;
    let mut widths = ColumnWidths::new();
    let mut row = HEADER_ROW + 1;
    let name = |kind: RecordKind| -> &str {
        plan.indicator(kind)
            .map(|i| match lang {
                Lang::Zh => i.name_zh.as_str(),
                Lang::En => i.name_en.as_str(),
            })
            .unwrap_or(kind.key())
    };
    for ind in &progress.indicators {
        let indicator = name(ind.key);
        let status = messages::status_label(lang, ind.status);
        widths.note(0, indicator);
        widths.note(5, status);
        book::text(ws, row, 0, indicator, &styles.text)?;
        book::number(ws, row, 1, f64::from(ind.target), &styles.count)?;
        // Counts of entities fit an f64 exactly.
        book::number(ws, row, 2, ind.achieved as f64, &styles.count)?;
        book::number(ws, row, 3, ind.percent / 100.0, &styles.percent)?;
        book::number(ws, row, 4, f64::from(ind.expected), &styles.count)?;
        book::text(ws, row, 5, status, &styles.text)?;
        row += 1;
    }
    let headers = messages::progress_columns(lang);
    for col in 1..=4 {
        widths.note(col, "100.0%");
    }
    let notes: Vec<String> = progress
        .indicators
        .iter()
        .flat_map(|ind| {
            let name = name(ind.key);
            [
                messages::floor_and_growth_line(lang, name, plan.end, ind),
                messages::yearly_line(lang, name, plan.end, ind),
            ]
        })
        .flatten()
        .collect();
    let title = words::progress_title(lang, page.unit_name, page.as_of);
    let last = last_col(headers.len())?;
    // The notes' heights depend on the final widths.
    note_headers(&mut widths, &headers);
    row += 1;
    for note in &notes {
        book::paragraph(ws, row, last, note, &styles.note, &widths)?;
        row += 1;
    }
    page.finish(ws, &title, None, &headers, widths)
}

/// One kind's sheet: a row per record, newest first, every field of the kind that is
/// required or filled in some record listed.
fn kind_sheet(
    ws: &mut Worksheet,
    page: &Page,
    ledger: &Ledger,
    kind: RecordKind,
    report: &UnitReport,
) -> Result<(), SheetError> {
    let (lang, styles) = (page.lang, &page.styles);
    let kind_label = labels::kind_label(kind, lang);
    ws.set_name(kind_label)?;
    let query = ListQuery {
        kind: Some(kind),
        unit: None,
        search: None,
        include_voided: report.include_voided,
        limit: PAGE,
        after: None,
    };
    // First pass: which optional fields any record fills, and how many records there are.
    let mut filled = vec![false; kind.fields().len()];
    let (mut count, mut voided) = (0u64, 0u64);
    each_record(ledger, query.clone(), |r| {
        count += 1;
        voided += u64::from(r.status == RecordStatus::Voided);
        for (seen, field) in filled.iter_mut().zip(kind.fields()) {
            *seen |= r.fields.get(field.key).is_some_and(|v| !v.is_empty());
        }
        Ok(())
    })?;
    let fields: Vec<&FieldSpec> = kind
        .fields()
        .iter()
        .zip(&filled)
        .filter(|(f, seen)| f.required || **seen)
        .map(|(f, _)| f)
        .collect();
    let mut headers = vec![words::serial_column(lang)];
    headers.extend(
        fields
            .iter()
            .map(|f| labels::field_label(f.key, lang).to_string()),
    );
    if report.include_voided {
        headers.push(labels::field_label("status", lang).to_string());
        headers.push(labels::field_label("void_reason", lang).to_string());
    }

    let mut widths = ColumnWidths::new();
    let mut row = HEADER_ROW + 1;
    let mut serial = 0u32;
    each_record(ledger, query, |r| {
        serial += 1;
        widths.note(0, &serial.to_string());
        book::number(ws, row, 0, f64::from(serial), &styles.count)?;
        for (col, field) in (1..).zip(&fields) {
            record_cell(ws, row, col, ledger, r, field, lang, styles, &mut widths)?;
        }
        if report.include_voided {
            let col = last_col(headers.len())? - 1;
            let status = labels::status_label(r.status, lang);
            let reason = match r.status {
                RecordStatus::Voided => r.void_reason.as_deref().unwrap_or(""),
                RecordStatus::Active => "",
            };
            for (col, value) in [(col, status), (col + 1, reason)] {
                widths.note(col, value);
                book::text(ws, row, col, value, styles.text_for(value))?;
            }
        }
        row += 1;
        Ok(())
    })?;
    if count == 0 {
        let last = last_col(headers.len())?;
        book::paragraph(
            ws,
            row,
            last,
            &words::no_records(lang),
            &styles.text,
            &widths,
        )?;
    }
    let title = words::kind_title(lang, page.unit_name, kind_label, page.as_of);
    let listed = words::records_listed(lang, count, voided, report.include_voided);
    page.finish(ws, &title, Some(&listed), &headers, widths)
}

/// Writes one field of a record as a cell of its type: a date as a date, yuan as a
/// number, a choice by its label, anything else as text (never as a formula).
#[allow(clippy::too_many_arguments)]
fn record_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    ledger: &Ledger,
    record: &Record,
    field: &FieldSpec,
    lang: Lang,
    styles: &Styles,
    widths: &mut ColumnWidths,
) -> Result<(), SheetError> {
    let raw = record
        .fields
        .get(field.key)
        .map(String::as_str)
        .unwrap_or("");
    if raw.is_empty() {
        return Ok(());
    }
    match field.ty {
        FieldType::Date => {
            if let Ok(day) = parse_date(raw) {
                // Ten characters, and room to spare for a proportional font.
                widths.note_width(col, 11);
                return book::date(ws, row, col, day, &styles.date);
            }
        }
        FieldType::Amount => {
            if let Ok(yuan) = raw.parse::<f64>()
                && yuan.is_finite()
            {
                widths.note_width(col, yuan_width(yuan));
                return book::number(ws, row, col, yuan, &styles.yuan);
            }
        }
        FieldType::RecordRef => {
            let name = referenced_name(ledger, raw);
            let shown = name.as_deref().unwrap_or(raw);
            widths.note(col, shown);
            return book::text(ws, row, col, shown, styles.text_for(shown));
        }
        _ => {}
    }
    let shown = labels::shown_value(record, field.key, lang);
    widths.note(col, shown);
    book::text(ws, row, col, shown, styles.text_for(shown))
}

/// How wide `#,##0.00` shows an amount: its digits, the separators, the point and cents.
fn yuan_width(yuan: f64) -> usize {
    let whole = format!("{:.0}", yuan.trunc()).len();
    // The point and the cents, and room to spare for a proportional font.
    whole + (whole.saturating_sub(1)) / 3 + 4
}

/// The name of the record an upgrade supersedes, when the ledger holds it.
fn referenced_name(ledger: &Ledger, id: &str) -> Option<String> {
    let id = Uuid::parse_str(id).ok()?;
    let record = ledger.get(id).ok()?;
    Some(record.name().to_string())
}

/// Calls `f` on every record the query matches, page by page.
fn each_record(
    ledger: &Ledger,
    mut query: ListQuery,
    mut f: impl FnMut(&Record) -> Result<(), SheetError>,
) -> Result<(), SheetError> {
    loop {
        let page = ledger.list(&query)?;
        for record in &page.records {
            f(record)?;
        }
        match page.next {
            Some(next) if !page.records.is_empty() => query.after = Some(next),
            _ => return Ok(()),
        }
    }
}
