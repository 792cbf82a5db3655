//! The 图表 sheet: native charts any spreadsheet program draws and prints, one page per
//! indicator: (a) each unit's completion rate (columns) against what it should have done by
//! the date (a line), (b) the city against the plan's year-end figures. The rates are the
//! 附件2 sheet's cells; the rest of the charts' figures sit in hidden columns to the right.

use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartFont, ChartLegendPosition, ChartMarker, ChartMarkerType, ChartType,
    Worksheet,
};

use super::{CityBook, Sheet, annex};
use crate::domain::progress::{UnitProgress, city_expected};
use crate::i18n::labels::pick;
use crate::i18n::sheet::city as words;
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

pub(super) fn write(
    ws: &mut Worksheet,
    city: &CityBook,
    year_ends: &[(i16, Option<UnitProgress>)],
) -> Result<(), SheetError> {
    let (lang, styles) = (city.lang, &city.styles);
    let report = city.report;
    let indicators = &city.plan.indicators;
    let mut widths = ColumnWidths::new();
    for col in 0..PAGE_COLS {
        widths.note(col, PAGE_COL_TEXT);
    }
    book::heading(
        ws,
        styles,
        PAGE_COLS - 1,
        &words::charts_title(lang),
        &city.subtitle,
        &widths,
    )?;
    widths.apply(ws)?;

    // (a)'s expected rates: a row per unit, a column per indicator.
    book::text(
        ws,
        EXPECTED_HEAD_ROW - 1,
        DATA_COL,
        words::chart_data_heading(lang),
        &styles.text,
    )?;
    book::text(
        ws,
        EXPECTED_HEAD_ROW,
        DATA_COL,
        words::unit_axis(lang),
        &styles.header,
    )?;
    for (k, indicator) in indicators.iter().enumerate() {
        let col = DATA_COL + 1 + k as u16;
        let head = format!(
            "{}{}",
            city.indicator_name(indicator.kind),
            words::expected_series(lang)
        );
        book::text(ws, EXPECTED_HEAD_ROW, col, &head, &styles.header)?;
    }
    let first_unit = EXPECTED_HEAD_ROW + 1;
    for (row, unit) in (first_unit..).zip(&report.units) {
        book::text(ws, row, DATA_COL, city.unit_name(&unit.unit), &styles.text)?;
        for (k, indicator) in unit.indicators.iter().enumerate() {
            let col = DATA_COL + 1 + k as u16;
            if indicator.target > 0 {
                let rate = f64::from(indicator.expected) / f64::from(indicator.target);
                book::number(ws, row, col, rate, &styles.percent)?;
            } else {
                book::blank(ws, row, col, &styles.percent)?;
            }
        }
    }

    // (b)'s figures: a row per year, the plan's year-end figure and the count per indicator.
    let years_head = first_unit + report.units.len() as u32 + 1;
    book::text(
        ws,
        years_head,
        DATA_COL,
        words::year_axis(lang),
        &styles.header,
    )?;
    for (k, indicator) in indicators.iter().enumerate() {
        let col = DATA_COL + 1 + 2 * k as u16;
        let name = city.indicator_name(indicator.kind);
        let planned = format!("{name}{}", words::milestone_series(lang));
        book::text(ws, years_head, col, &planned, &styles.header)?;
        let achieved = format!("{name}{}", words::achieved_series(lang, report.as_of));
        book::text(ws, years_head, col + 1, &achieved, &styles.header)?;
    }
    let first_year = years_head + 1;
    for (row, (year, total)) in (first_year..).zip(year_ends) {
        book::text(
            ws,
            row,
            DATA_COL,
            &words::year_label(lang, *year),
            &styles.text,
        )?;
        let year_end = jiff::civil::Date::new(*year, 12, 31).map_err(|e| SheetError::Build {
            reason: e.to_string(),
        })?;
        for (k, indicator) in indicators.iter().enumerate() {
            let col = DATA_COL + 1 + 2 * k as u16;
            let city_now = report.total.indicators.get(k);
            let baseline = city_now.and_then(|i| i.growth).map_or(0, |g| g.baseline);
            let planned = city_expected(city.plan, indicator, baseline, year_end);
            book::number(ws, row, col, f64::from(planned), &styles.count)?;
            match total.as_ref().and_then(|t| t.indicators.get(k)) {
                Some(done) => book::number(ws, row, col + 1, done.achieved as f64, &styles.count)?,
                None => book::blank(ws, row, col + 1, &styles.count)?,
            }
        }
    }
    let data_cols = 1 + 2 * indicators.len() as u16;
    ws.set_column_range_hidden(DATA_COL, DATA_COL + data_cols)?;

    let charts_sheet = city.name(Sheet::Charts);
    let annex_sheet = city.name(Sheet::Annex);
    let units = Rows {
        first: annex::FIRST_UNIT_ROW,
        last: annex::FIRST_UNIT_ROW + report.units.len() as u32 - 1,
    };
    let years = Rows {
        first: first_year,
        last: first_year + year_ends.len() as u32 - 1,
    };
    let mut row = FIRST_CHART_ROW;
    let mut breaks = Vec::new();
    for (k, indicator) in indicators.iter().enumerate() {
        let name = city.indicator_name(indicator.kind);
        let measure = pick(lang, &indicator.measure_zh, &indicator.measure_en);

        // (a) Each unit's rate against the expected pace.
        let mut rates = Chart::new(ChartType::Column);
        rates
            .add_series()
            .set_name(words::rate_series(lang))
            .set_categories((
                annex_sheet,
                units.first,
                annex::UNIT_COL,
                units.last,
                annex::UNIT_COL,
            ))
            .set_values((
                annex_sheet,
                units.first,
                annex::rate_col(k),
                units.last,
                annex::rate_col(k),
            ))
            .set_data_label(ChartDataLabel::new().show_value().set_num_format("0%"));
        let mut expected = Chart::new(ChartType::Line);
        let expected_col = DATA_COL + 1 + k as u16;
        expected
            .add_series()
            .set_name(words::expected_series(lang))
            .set_categories((
                annex_sheet,
                units.first,
                annex::UNIT_COL,
                units.last,
                annex::UNIT_COL,
            ))
            .set_values((
                charts_sheet,
                first_unit,
                expected_col,
                first_unit + report.units.len() as u32 - 1,
                expected_col,
            ))
            .set_marker(ChartMarker::new().set_type(ChartMarkerType::Diamond));
        rates.combine(&expected);
        rates
            .title()
            .set_name(&words::rate_chart_title(lang, name, report.as_of));
        rates.x_axis().set_name(words::unit_axis(lang));
        rates
            .y_axis()
            .set_name(words::rate_axis(lang))
            .set_num_format("0%")
            .set_min(0.0);
        place(ws, &mut rates, row)?;
        row += CHART_ROWS;

        // (b) The city against the plan's year-end figures.
        let mut milestones = Chart::new(ChartType::Column);
        let planned_col = DATA_COL + 1 + 2 * k as u16;
        for (col, series) in [
            (planned_col, words::milestone_series(lang).to_owned()),
            (planned_col + 1, words::achieved_series(lang, report.as_of)),
        ] {
            milestones
                .add_series()
                .set_name(&series)
                .set_categories((charts_sheet, years.first, DATA_COL, years.last, DATA_COL))
                .set_values((charts_sheet, years.first, col, years.last, col))
                .set_data_label(ChartDataLabel::new().show_value());
        }
        milestones
            .title()
            .set_name(&words::milestone_chart_title(lang, name));
        milestones.x_axis().set_name(words::year_axis(lang));
        milestones
            .y_axis()
            .set_name(&words::count_axis(lang, measure))
            .set_min(0.0);
        place(ws, &mut milestones, row)?;
        row += CHART_ROWS;
        breaks.push(row);
    }
    // A page per indicator: its two charts together.
    breaks.pop();
    ws.set_page_breaks(&breaks)?;
    book::print_setup(ws, lang, 1)
}

/// First and last row of a block of figures.
struct Rows {
    first: u32,
    last: u32,
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
