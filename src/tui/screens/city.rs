//! The city ledger's view: a row of pages (`0`-`4`) over the Annex 2 table of the nine units
//! and the city total, the ranking with its rule, the firms claimed twice, each unit's
//! freshness and the import log; and one unit's records opened from it, read-only.

mod pages;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Chrome, records};
use crate::domain::RecordKind;
use crate::domain::progress::{IndicatorProgress, ProgressStatus, UnitProgress};
use crate::i18n::tui as t;
use crate::report::SILENT_AFTER_DAYS;
use crate::tui::app::App;
use crate::tui::state::city::{AnnexColumns, CityPage, CityView, UnitRecords};
use crate::tui::theme::Theme;
use crate::tui::widgets;

/// Columns of the unit names in the city's tables.
pub(crate) const UNIT_COLS: usize = 16;
/// Columns of each indicator in the Annex 2 table.
const CELL_COLS: usize = 9;

pub fn draw(frame: &mut Frame, app: &App, city: &CityView, chrome: &Chrome) {
    draw_pages(frame, app, city.page, chrome.title);
    let Some(report) = &city.report else {
        return;
    };
    match city.page {
        CityPage::Annex => draw_annex(frame, app, city, chrome.body),
        CityPage::Ranking => pages::ranking(frame, app, city, report, chrome.body),
        CityPage::Claims => pages::claims(frame, app, city, report, chrome.body),
        CityPage::Freshness => pages::freshness(frame, app, city, report, chrome.body),
        CityPage::Imports => pages::imports(frame, app, city, chrome.body),
        CityPage::Targets => pages::targets(frame, app, report, chrome.body),
        CityPage::Pool => super::pool::draw_city_pool(
            frame,
            app,
            &city.pools,
            &city.pool_total,
            city.selected(),
            chrome.body,
        ),
    }
    if let Some((input, bad)) = &city.date_prompt {
        super::dashboard::draw_date_prompt(frame, app, input, *bad, chrome.body);
    }
    if let Some(prompt) = &city.report_prompt {
        super::sync::draw_prompt(frame, app, prompt, chrome.body);
    }
}

fn draw_pages(frame: &mut Frame, app: &App, current: CityPage, area: Rect) {
    let spans: Vec<Span> = CityPage::ALL
        .into_iter()
        .enumerate()
        .map(|(i, page)| {
            let label = format!("{i} {}", t::city_page_label(app.lang, page));
            if page == current {
                Span::styled(format!("[{label}]"), app.theme.selected())
            } else {
                Span::raw(format!(" {label} "))
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// One line of plain text at row `y` of `body`.
pub(crate) fn line_at(frame: &mut Frame, body: Rect, y: u16, text: &str, style: Style) {
    if y >= body.height {
        return;
    }
    frame.render_widget(
        Paragraph::new(widgets::text_line(&format!(" {text}"), body.width, style)),
        Rect::new(body.x, body.y + y, body.width, 1),
    );
}

/// Wrapped text from row `y` of `body`; returns the rows used.
pub(crate) fn text_at(frame: &mut Frame, body: Rect, y: u16, text: &str, style: Style) -> u16 {
    let mut used = 0;
    for part in widgets::wrap(text, (body.width as usize).saturating_sub(2)) {
        line_at(frame, body, y + used, &part, style);
        used += 1;
    }
    used
}

/// The first column of a row: `>` when selected, so it shows without colour or reverse.
pub(crate) fn marker(selected: bool) -> &'static str {
    if selected { ">" } else { " " }
}

/// The style of a row: reversed when selected.
pub(crate) fn row_style(theme: &Theme, selected: bool) -> Style {
    if selected {
        theme.selected()
    } else {
        Style::new()
    }
}

fn status_style(theme: &Theme, status: ProgressStatus) -> Style {
    match status {
        ProgressStatus::Ahead => theme.good(),
        ProgressStatus::OnTrack => Style::new(),
        ProgressStatus::Behind => theme.warning(),
    }
}

fn percent(p: f64) -> String {
    if p >= 1000.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn cell(app: &App, columns: AnnexColumns, i: &IndicatorProgress) -> (String, Style) {
    match columns {
        AnnexColumns::Achieved => (format!("{}/{}", i.achieved, i.target), Style::new()),
        AnnexColumns::Percent => (percent(i.percent), Style::new()),
        AnnexColumns::Expected => (
            t::expected_cell(app.lang, i.expected, i.status),
            status_style(&app.theme, i.status),
        ),
    }
}

fn draw_annex(frame: &mut Frame, app: &App, city: &CityView, body: Rect) {
    let lang = app.lang;
    let Some(report) = &city.report else {
        return;
    };
    line_at(
        frame,
        body,
        0,
        &t::city_as_of_heading(
            lang,
            report.as_of,
            report.as_of_source,
            report.total.measured_on,
        ),
        app.theme.heading(),
    );
    let rows = report.units.len() as u16 + 2;
    let table = Rect::new(
        body.x,
        body.y + 1,
        body.width,
        (rows + 2).min(body.height - 1),
    );
    let block = app.theme.block().title(Span::styled(
        format!(" {} ", t::annex_box_title(lang, city.columns)),
        app.theme.title(),
    ));
    let inner = block.inner(table);
    frame.render_widget(block, table);
    let mut head = format!(
        " {}",
        widgets::padded(&t::annex_unit_column(lang), UNIT_COLS)
    );
    for ind in &report.total.indicators {
        head.push(' ');
        head.push_str(&widgets::right(&t::short_kind(lang, ind.key), CELL_COLS));
    }
    let mut lines = vec![Line::from(Span::styled(head, app.theme.heading()))];
    let selected = (city.page == CityPage::Annex).then(|| city.selected());
    for (i, unit) in report.units.iter().enumerate() {
        let name = t::unit_short(lang, &app.plan, &unit.unit);
        lines.push(annex_row(
            app,
            city.columns,
            &name,
            unit,
            selected == Some(i),
        ));
    }
    let total = annex_row(
        app,
        city.columns,
        &t::city_total_short(lang),
        &report.total,
        false,
    );
    lines.push(total.patch_style(app.theme.heading()));
    frame.render_widget(Paragraph::new(lines), inner);

    let silent = report.freshness.iter().filter(|f| f.silent).count();
    let mut y = table.height + 1;
    for (text, style) in [
        (t::annex_columns_hint(lang), app.theme.muted()),
        (t::counted_once(lang, report.claims.len()), Style::new()),
        (
            t::silent_summary(lang, silent, SILENT_AFTER_DAYS),
            if silent > 0 {
                app.theme.warning()
            } else {
                Style::new()
            },
        ),
        (
            t::refused_summary(lang, city.refused.len()),
            app.theme.warning(),
        ),
        (city_floor_note(lang, report), Style::new()),
        (t::city_open_hint(lang), app.theme.muted()),
    ] {
        if text.is_empty() {
            continue;
        }
        y += text_at(frame, body, y, &text, style);
    }
}

/// The city total's floor and target (high-tech), or nothing when the plan sets none.
fn city_floor_note(lang: crate::i18n::Lang, report: &crate::report::CityReport) -> String {
    report
        .total
        .indicators
        .iter()
        .find_map(|ind| t::floor_and_growth_short(lang, ind))
        .map(|note| t::city_note(lang, &note))
        .unwrap_or_default()
}

fn annex_row(
    app: &App,
    columns: AnnexColumns,
    name: &str,
    unit: &UnitProgress,
    selected: bool,
) -> Line<'static> {
    let base = row_style(&app.theme, selected);
    let mut spans = vec![Span::styled(
        format!("{}{}", marker(selected), widgets::padded(name, UNIT_COLS)),
        base,
    )];
    for ind in &unit.indicators {
        let (text, style) = cell(app, columns, ind);
        spans.push(Span::styled(" ", base));
        spans.push(Span::styled(
            widgets::right(&text, CELL_COLS),
            base.patch(style),
        ));
    }
    Line::from(spans)
}

/// One unit's records at the city: the kinds as tabs, then the list, read-only.
pub fn draw_unit_records(frame: &mut Frame, app: &App, records: &UnitRecords, chrome: &Chrome) {
    let spans: Vec<Span> = RecordKind::ALL
        .into_iter()
        .enumerate()
        .map(|(i, kind)| {
            let label = format!("{} {}", i + 1, t::short_kind(app.lang, kind));
            if i == records.kind {
                Span::styled(format!("[{label}]"), app.theme.selected())
            } else {
                Span::raw(format!(" {label} "))
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), chrome.title);
    let list = records.list();
    let title = t::unit_records_title(app.lang, &app.plan, &records.unit, list.kind);
    records::draw_list(frame, app, list, &title, chrome);
}
