//! The 图表 sheet: native charts any spreadsheet program draws and prints, one page per
//! indicator: (a) each unit's completion rate (columns) against what it should have done by
//! the date (a line), (b) the city against the plan's year-end figures. The rates are the
//! 附件2 sheet's cells; the rest of the charts' figures sit in hidden columns to the right.

use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFont, ChartLegendPosition, ChartMarker, ChartMarkerType, ChartType,
    Worksheet,
};

use super::{CityBook, Sheet, YearEnd, annex};
use crate::domain::progress::city_expected;
use crate::i18n::labels::pick;
use crate::i18n::sheet::city as words;
use crate::plan::Indicator;
use crate::sheet::SheetError;
use crate::sheet::book::{self, ColumnWidths};

/// Columns the printed page spans, 8 characters (61 pixels) wide each.
const PAGE_COLS: u16 = 15;
const PAGE_COL_TEXT: &str = "123456";
const CHART_WIDTH: u32 = 900;
const CHART_HEIGHT: u32 = 290;
/// Rows (20 pixels each) from one chart's top to the next one's; two charts a page.
const CHART_ROWS: u32 = 15;
const FIRST_CHART_ROW: u32 = 2;
/// The first hidden column holding the charts' figures.
const DATA_COL: u16 = PAGE_COLS + 2;
/// The header row of the units' expected rates, the units below it.
const EXPECTED_HEAD_ROW: u32 = 3;

/// A block of rows: a sheet and the first and last row of a column of figures.
#[derive(Clone, Copy)]
struct Rows {
    sheet: &'static str,
    first: u32,
    last: u32,
}

impl Rows {
    fn new(sheet: &'static str, first: u32, count: usize) -> Rows {
        let count = u32::try_from(count).unwrap_or(u32::MAX).max(1);
        Rows {
            sheet,
            first,
            last: first.saturating_add(count - 1),
        }
    }

    /// The cells of `col` in these rows, as a chart refers to them.
    fn at(self, col: u16) -> (&'static str, u32, u16, u32, u16) {
        (self.sheet, self.first, col, self.last, col)
    }
}

pub(super) fn write(
    ws: &mut Worksheet,
    city: &CityBook,
    year_ends: &[YearEnd],
) -> Result<(), SheetError> {
    let lang = city.lang;
    let mut widths = ColumnWidths::new();
    for col in 0..PAGE_COLS {
        widths.note(col, PAGE_COL_TEXT);
    }
    book::heading(
        ws,
        &city.styles,
        PAGE_COLS - 1,
        &words::charts_title(lang),
        &city.subtitle,
        &widths,
    )?;
    widths.apply(ws)?;
    let (expected, years) = write_figures(ws, city, year_ends)?;
    let units = Rows::new(
        city.name(Sheet::Annex),
        annex::FIRST_UNIT_ROW,
        city.report.units.len(),
    );
    let mut row = FIRST_CHART_ROW;
    let mut breaks = Vec::new();
    for (k, indicator) in city.plan.indicators.iter().enumerate() {
        let expected_col = DATA_COL + 1 + k as u16;
        let mut rates = rate_chart(city, indicator, units, k, expected.at(expected_col));
        place(ws, &mut rates, row)?;
        row += CHART_ROWS;
        let mut milestones = milestone_chart(city, indicator, years, DATA_COL + 1 + 2 * k as u16);
        place(ws, &mut milestones, row)?;
        row += CHART_ROWS;
        breaks.push(row);
    }
    // A page per indicator: its two charts together.
    breaks.pop();
    ws.set_page_breaks(&breaks)?;
    book::print_setup(ws, lang, 1)
}

/// Writes the hidden figures: each unit's expected rate per indicator, and per year the
/// plan's year-end figure and the city's count per indicator. Returns where the units'
/// rows and the years' rows are.
fn write_figures(
    ws: &mut Worksheet,
    city: &CityBook,
    year_ends: &[YearEnd],
) -> Result<(Rows, Rows), SheetError> {
    let (lang, styles, report) = (city.lang, &city.styles, city.report);
    let indicators = &city.plan.indicators;
    let sheet = city.name(Sheet::Charts);
    let heading = words::chart_data_heading(lang);
    book::text(ws, EXPECTED_HEAD_ROW - 1, DATA_COL, heading, &styles.text)?;

    // A row per unit, a column per indicator.
    let head = &styles.header;
    book::text(
        ws,
        EXPECTED_HEAD_ROW,
        DATA_COL,
        words::unit_axis(lang),
        head,
    )?;
    for (col, indicator) in (DATA_COL + 1..).zip(indicators) {
        let name = city.indicator_name(indicator.kind);
        let title = format!("{name}{}", words::expected_series(lang));
        book::text(ws, EXPECTED_HEAD_ROW, col, &title, head)?;
    }
    let units = Rows::new(sheet, EXPECTED_HEAD_ROW + 1, report.units.len());
    for (row, unit) in (units.first..).zip(&report.units) {
        book::text(ws, row, DATA_COL, city.unit_name(&unit.unit), &styles.text)?;
        for (col, indicator) in (DATA_COL + 1..).zip(&unit.indicators) {
            if indicator.target > 0 {
                let rate = f64::from(indicator.expected) / f64::from(indicator.target);
                book::number(ws, row, col, rate, &styles.percent)?;
            } else {
                book::blank(ws, row, col, &styles.percent)?;
            }
        }
    }

    // A row per year, two columns per indicator.
    let years_head = units.last + 2;
    book::text(ws, years_head, DATA_COL, words::year_axis(lang), head)?;
    for (k, indicator) in indicators.iter().enumerate() {
        let col = DATA_COL + 1 + 2 * k as u16;
        let name = city.indicator_name(indicator.kind);
        let planned = format!("{name}{}", words::milestone_series(lang));
        book::text(ws, years_head, col, &planned, head)?;
        let achieved = format!("{name}{}", words::achieved_series(lang, report.as_of));
        book::text(ws, years_head, col + 1, &achieved, head)?;
    }
    let years = Rows::new(sheet, years_head + 1, year_ends.len());
    for (row, year) in (years.first..).zip(year_ends) {
        let label = words::year_label(lang, year.year);
        book::text(ws, row, DATA_COL, &label, &styles.text)?;
        for (k, indicator) in indicators.iter().enumerate() {
            let col = DATA_COL + 1 + 2 * k as u16;
            let growth = report.total.indicators.get(k).and_then(|i| i.growth);
            let baseline = growth.map_or(0, |g| g.baseline);
            let planned = city_expected(city.plan, indicator, baseline, year.end);
            book::number(ws, row, col, f64::from(planned), &styles.count)?;
            match year.total.as_ref().and_then(|t| t.indicators.get(k)) {
                Some(done) => book::number(ws, row, col + 1, done.achieved as f64, &styles.count)?,
                None => book::blank(ws, row, col + 1, &styles.count)?,
            }
        }
    }
    let last_col = DATA_COL + 2 * indicators.len() as u16;
    ws.set_column_range_hidden(DATA_COL, last_col)?;
    Ok((units, years))
}

/// (a) Indicator `k`'s completion rate of each unit (the 附件2 cells) against the rate
/// expected by the date.
fn rate_chart(
    city: &CityBook,
    indicator: &Indicator,
    units: Rows,
    k: usize,
    expected: (&'static str, u32, u16, u32, u16),
) -> Chart {
    let lang = city.lang;
    let mut chart = Chart::new(ChartType::Column);
    chart
        .add_series()
        .set_name(words::rate_series(lang))
        .set_categories(units.at(annex::UNIT_COL))
        .set_values(units.at(annex::rate_col(k)))
        .set_data_label(ChartDataLabel::new().show_value().set_num_format("0%"));
    let mut line = Chart::new(ChartType::Line);
    line.add_series()
        .set_name(words::expected_series(lang))
        .set_categories(units.at(annex::UNIT_COL))
        .set_values(expected)
        .set_marker(ChartMarker::new().set_type(ChartMarkerType::Diamond));
    chart.combine(&line);
    let name = city.indicator_name(indicator.kind);
    let title = words::rate_chart_title(lang, name, city.report.as_of);
    chart.title().set_name(&title);
    chart.x_axis().set_name(words::unit_axis(lang));
    chart
        .y_axis()
        .set_name(words::rate_axis(lang))
        .set_num_format("0%")
        .set_min(0.0);
    chart
}

/// (b) The city's count at each year end (this year: on the date) against the plan's
/// figure for that year end, from the columns `planned_col` and the one after it.
fn milestone_chart(city: &CityBook, indicator: &Indicator, years: Rows, planned_col: u16) -> Chart {
    let lang = city.lang;
    let mut chart = Chart::new(ChartType::Column);
    let series = [
        (planned_col, words::milestone_series(lang).to_owned()),
        (
            planned_col + 1,
            words::achieved_series(lang, city.report.as_of),
        ),
    ];
    for (col, name) in series {
        chart
            .add_series()
            .set_name(&name)
            .set_categories(years.at(DATA_COL))
            .set_values(years.at(col))
            .set_data_label(ChartDataLabel::new().show_value());
    }
    let name = city.indicator_name(indicator.kind);
    chart
        .title()
        .set_name(&words::milestone_chart_title(lang, name));
    chart.x_axis().set_name(words::year_axis(lang));
    let measure = pick(lang, &indicator.measure_zh, &indicator.measure_en);
    chart
        .y_axis()
        .set_name(&words::count_axis(lang, measure))
        .set_min(0.0);
    chart
}

/// Sizes a chart for half a landscape page and puts it at `row`, a little below the row's
/// top so that its frame stays off the page break above.
fn place(ws: &mut Worksheet, chart: &mut Chart, row: u32) -> Result<(), SheetError> {
    chart
        .title()
        .set_font(ChartFont::new().set_size(12).set_bold());
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.show_hidden_data();
    chart.set_width(CHART_WIDTH).set_height(CHART_HEIGHT);
    ws.insert_chart_with_offset(row, 0, chart, 0, 6)?;
    Ok(())
}
