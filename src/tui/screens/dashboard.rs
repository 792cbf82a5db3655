//! The dashboard: the unit's six indicators against its quota on the as-of date (target,
//! achieved, percent, gauge, expected by the date, status), record counts and last export.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Chrome;
use crate::domain::progress::ProgressStatus;
use crate::i18n::tui as t;
use crate::tui::app::App;
use crate::tui::widgets::{self, gauge, text_field};

const NAME_COLS: usize = 12;
const NUM_COLS: usize = 5;
/// Achieved and record counts: room for a national-scale ledger's millions.
const COUNT_COLS: usize = 7;
const PCT_COLS: usize = 8;
const GAUGE_COLS: usize = 15;
const STATUS_COLS: usize = 6;

/// A percentage with one decimal, or none once it is in the thousands.
fn percent(p: f64) -> String {
    if p >= 1000.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

pub fn draw(frame: &mut Frame, app: &App, chrome: &Chrome) {
    let lang = app.lang;
    let body = chrome.body;
    let d = &app.dashboard;
    let measured_on = d.progress.as_ref().map_or(d.as_of, |p| p.measured_on);
    let heading = t::as_of_heading(lang, d.as_of, d.source, measured_on);
    frame.render_widget(
        Paragraph::new(widgets::text_line(
            &format!(" {heading}"),
            body.width,
            app.theme.heading(),
        )),
        Rect::new(body.x, body.y, body.width, 1),
    );
    let table = Rect::new(body.x, body.y + 1, body.width, 9);
    let block = app.theme.block().title(Span::styled(
        format!(" {} ", t::progress_title(lang)),
        app.theme.title(),
    ));
    let inner = block.inner(table);
    frame.render_widget(block, table);
    let cols = t::progress_columns(lang);
    let head = format!(
        " {} {} {} {} {} {} {} {}",
        widgets::padded(&cols[0], NAME_COLS),
        widgets::right(&cols[1], NUM_COLS),
        widgets::right(&cols[2], COUNT_COLS),
        widgets::right(&cols[3], PCT_COLS),
        widgets::padded(&cols[4], GAUGE_COLS),
        widgets::right(&cols[5], NUM_COLS + 1),
        widgets::padded(&cols[6], STATUS_COLS),
        widgets::right(&cols[7], COUNT_COLS + 1),
    );
    let mut lines = vec![Line::from(Span::styled(head, app.theme.heading()))];
    if let Some(progress) = &d.progress {
        for ind in &progress.indicators {
            let records = d
                .counts
                .iter()
                .find(|c| c.kind == ind.key)
                .map_or(0, |c| c.active);
            let status_style = match ind.status {
                ProgressStatus::Ahead => app.theme.good(),
                ProgressStatus::OnTrack => Style::new(),
                ProgressStatus::Behind => app.theme.warning(),
            };
            lines.push(Line::from(vec![
                Span::raw(format!(
                    " {} {} {} {} ",
                    widgets::padded(&t::short_kind(lang, ind.key), NAME_COLS),
                    widgets::right(&ind.target.to_string(), NUM_COLS),
                    widgets::right(&ind.achieved.to_string(), COUNT_COLS),
                    widgets::right(&percent(ind.percent), PCT_COLS),
                )),
                Span::styled(
                    gauge::bar(ind.percent, GAUGE_COLS, app.theme.gauge_glyphs()),
                    status_style,
                ),
                Span::raw(format!(
                    " {} ",
                    widgets::right(&ind.expected.to_string(), NUM_COLS + 1)
                )),
                Span::styled(
                    widgets::padded(&t::status(lang, ind.status), STATUS_COLS),
                    status_style,
                ),
                Span::raw(format!(
                    " {}",
                    widgets::right(&records.to_string(), COUNT_COLS + 1)
                )),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);

    let indicator_notes: Vec<String> = d
        .progress
        .iter()
        .flat_map(|p| &p.indicators)
        .flat_map(|ind| {
            [
                t::yearly_short(lang, app.plan.end, ind),
                t::floor_and_growth_short(lang, ind),
            ]
        })
        .flatten()
        .collect();
    let worklist_lines: Vec<String> = d
        .worklist
        .as_ref()
        .map(|w| t::dashboard_worklist(lang, &app.plan, w))
        .unwrap_or_default();
    let below_table = (body.y + body.height).saturating_sub(table.y + table.height);
    let info_rows =
        (5 + indicator_notes.len() as u16 + worklist_lines.len() as u16).min(below_table);
    let info_area = Rect::new(body.x, table.y + table.height, body.width, info_rows);
    let active: u64 = d.counts.iter().map(|c| c.active).sum();
    let voided: u64 = d.counts.iter().map(|c| c.voided).sum();
    let plan_over = d.progress.as_ref().is_some_and(|p| p.plan_over);
    let mut info = vec![t::plan_period(
        lang,
        app.plan.start,
        app.plan.end,
        plan_over,
    )];
    info.extend(indicator_notes);
    info.extend(worklist_lines);
    info.extend([
        t::record_totals(lang, active, voided),
        t::last_export(lang, d.last_export.as_ref()),
        t::city_receipt(lang, d.last_receipt.as_ref()),
        t::dashboard_help(lang),
    ]);
    let info: Vec<Line> = info
        .iter()
        .map(|s| widgets::text_line(&format!(" {s}"), body.width, Style::new()))
        .collect();
    frame.render_widget(Paragraph::new(info), info_area);

    if let Some((input, bad)) = &d.date_prompt {
        draw_date_prompt(frame, app, input, *bad, body);
    }
}

pub(crate) fn draw_date_prompt(
    frame: &mut Frame,
    app: &App,
    input: &tui_input::Input,
    bad: bool,
    body: Rect,
) {
    let area = widgets::centered(body, 60, 6);
    let inner = widgets::popup(frame, &app.theme, area, &t::as_of_prompt_title(app.lang));
    let hint_style = if bad {
        app.theme.error()
    } else {
        app.theme.muted()
    };
    frame.render_widget(
        Paragraph::new(widgets::text_line(
            &t::date_forms_hint(app.lang),
            inner.width,
            hint_style,
        )),
        Rect::new(inner.x, inner.y + 2, inner.width, 1),
    );
    if app.offered {
        frame.render_widget(
            Paragraph::new(widgets::text_line(
                &t::offered_hint(app.lang),
                inner.width,
                app.theme.muted(),
            )),
            Rect::new(inner.x, inner.y + 3, inner.width, 1),
        );
    }
    frame.render_widget(Paragraph::new(">"), Rect::new(inner.x, inner.y, 1, 1));
    let field = Rect::new(inner.x + 2, inner.y, inner.width.saturating_sub(3), 1);
    let cursor = text_field::render(input, field, frame.buffer_mut(), app.theme.input());
    frame.set_cursor_position(cursor);
}
