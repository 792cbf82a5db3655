//! The city office's workbook: the Annex 2 table laid out like the seed's, the ranking
//! notice, the claims list, freshness and the awards statement, with native charts.
//!
//! Every figure comes from [`crate::report::city_report`] and the ledger's award lines; the
//! sheets only lay them out.

mod annex;
mod awards;
mod charts;
mod claims;
mod freshness;
mod ranking;

use std::path::Path;

use jiff::civil::Date;
use rust_xlsxwriter::{Workbook, Worksheet};

use super::SheetError;
use super::book::{self, Styles};
use crate::clock;
use crate::domain::RecordKind;
use crate::domain::progress::{AsOfSource, UnitProgress};
use crate::i18n::labels::pick;
use crate::i18n::{Lang, sheet::city as words};
use crate::plan::Plan;
use crate::report::{self, CityReport};
use crate::store::{AwardQuery, Ledger};

/// Writes the city workbook on `as_of` from the city ledger to `path`.
pub fn write_city_report(
    ledger: &Ledger,
    plan: &Plan,
    as_of: Date,
    lang: Lang,
    path: &Path,
) -> Result<(), SheetError> {
    let today = clock::today();
    let report = report::city_report(plan, lang, ledger, as_of, AsOfSource::Given, today)?;
    let lines = ledger.award_lines(plan, &AwardQuery::default())?;
    let year_ends = year_end_totals(plan, ledger, &report)?;
    let title = pick(lang, &plan.title_zh, &plan.title_en);
    let city = CityBook {
        plan,
        lang,
        report: &report,
        styles: Styles::new(),
        subtitle: words::subtitle(lang, title, as_of, today),
        names: words::sheet_names(lang),
    };
    let mut workbook = Workbook::new();
    annex::write(city.sheet(&mut workbook, Sheet::Annex)?, &city)?;
    ranking::write(city.sheet(&mut workbook, Sheet::Ranking)?, &city)?;
    claims::write(city.sheet(&mut workbook, Sheet::Claims)?, &city)?;
    freshness::write(city.sheet(&mut workbook, Sheet::Freshness)?, &city)?;
    awards::write(city.sheet(&mut workbook, Sheet::Awards)?, &city, &lines)?;
    charts::write(city.sheet(&mut workbook, Sheet::Charts)?, &city, &year_ends)?;
    book::save(&mut workbook, path)
}

/// The workbook's sheets, in their order.
#[derive(Clone, Copy)]
enum Sheet {
    Annex,
    Ranking,
    Claims,
    Freshness,
    Awards,
    Charts,
}

/// What every sheet of the city workbook is written from.
struct CityBook<'a> {
    plan: &'a Plan,
    lang: Lang,
    report: &'a CityReport,
    styles: Styles,
    subtitle: String,
    names: [&'static str; 6],
}

impl CityBook<'_> {
    /// Adds the named sheet to the workbook.
    fn sheet<'w>(
        &self,
        workbook: &'w mut Workbook,
        sheet: Sheet,
    ) -> Result<&'w mut Worksheet, SheetError> {
        let ws = workbook.add_worksheet();
        ws.set_name(self.name(sheet))?;
        Ok(ws)
    }

    /// Ends a sheet once its table is written: the title and subtitle over columns
    /// `0..=last_col`, the widths noted, and the print setup repeating rows `0..=header_row`.
    fn finish(
        &self,
        ws: &mut Worksheet,
        title: &str,
        last_col: u16,
        widths: &book::ColumnWidths,
        header_row: u32,
    ) -> Result<(), SheetError> {
        book::heading(ws, &self.styles, last_col, title, &self.subtitle, widths)?;
        widths.apply(ws)?;
        book::print_setup(ws, self.lang, header_row)
    }

    fn name(&self, sheet: Sheet) -> &'static str {
        self.names[sheet as usize]
    }

    /// A unit's name from the plan (its code when the plan does not know it).
    fn unit_name<'s>(&'s self, code: &'s str) -> &'s str {
        self.plan
            .unit(code)
            .map(|u| pick(self.lang, &u.name_zh, &u.name_en))
            .unwrap_or(code)
    }

    /// An indicator's name as the plan gives it.
    fn indicator_name(&self, kind: RecordKind) -> &str {
        self.plan
            .indicator(kind)
            .map(|i| pick(self.lang, &i.name_zh, &i.name_en))
            .unwrap_or_else(|| crate::i18n::labels::kind_label(kind, self.lang))
    }
}

/// The city at the end of one year of the plan.
struct YearEnd {
    year: i16,
    /// The year's last day.
    end: Date,
    /// The city total at the year end, or on the date measured on in its year; `None` for
    /// a year not begun by then.
    total: Option<UnitProgress>,
}

/// The city total at the end of each year of the plan, from the city report's ledger.
fn year_end_totals(
    plan: &Plan,
    ledger: &Ledger,
    report: &CityReport,
) -> Result<Vec<YearEnd>, SheetError> {
    let measured_on = report.total.measured_on;
    let mut totals = Vec::new();
    for year in plan.start.year()..=plan.end.year() {
        let end = Date::new(year, 12, 31).map_err(|e| SheetError::Build {
            reason: e.to_string(),
        })?;
        let total = if year > measured_on.year() {
            None
        } else if end >= measured_on {
            Some(report.total.clone())
        } else {
            Some(report::city_total(plan, ledger, end, AsOfSource::Given)?)
        };
        totals.push(YearEnd { year, end, total });
    }
    Ok(totals)
}
