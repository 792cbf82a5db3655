//! The city view's pages after the Annex 2 table: the ranking with its rule, the firms
//! claimed by more than one unit (both claims shown), each unit's latest bundle, and the
//! import log. Long pages scroll to keep the selected row in sight.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{UNIT_COLS, line_at, marker, row_style, text_at};
use crate::i18n::figures;
use crate::i18n::labels::kind_label;
use crate::i18n::{Localized as _, messages, tui as t};
use crate::report::{CityReport, SILENT_AFTER_DAYS};
use crate::tui::app::App;
use crate::tui::state::city::{CityPage, CityView, claimants};
use crate::tui::widgets::{self, gauge};

const TIME_COLS: usize = 16;

/// A bordered box from row `y` of `body` to its bottom, with a heading line inside; returns
/// the area for the rows under the heading.
fn table_box(frame: &mut Frame, app: &App, body: Rect, y: u16, head: String) -> Rect {
    let area = Rect::new(
        body.x,
        body.y + y,
        body.width,
        body.height.saturating_sub(y),
    );
    let block = app.theme.block();
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(head, app.theme.heading()))),
        Rect::new(inner.x, inner.y, inner.width, 1.min(inner.height)),
    );
    Rect::new(
        inner.x,
        inner.y + 1,
        inner.width,
        inner.height.saturating_sub(1),
    )
}

/// The rows of a list that fit in `rows`, starting so that `selected` shows.
fn window<T>(items: Vec<T>, selected: usize, rows: usize) -> impl Iterator<Item = (usize, T)> {
    let skip = (selected + 1).saturating_sub(rows.max(1));
    items.into_iter().enumerate().skip(skip).take(rows)
}

fn selected_on(city: &CityView, page: CityPage) -> Option<usize> {
    (city.page == page).then(|| city.selected())
}

pub fn ranking(frame: &mut Frame, app: &App, city: &CityView, report: &CityReport, body: Rect) {
    let lang = app.lang;
    line_at(
        frame,
        body,
        0,
        &t::ranking_as_of(lang, report.as_of),
        app.theme.heading(),
    );
    let used = text_at(
        frame,
        body,
        1,
        &messages::ranking_rule(lang, &app.plan.ranking),
        app.theme.muted(),
    );
    let cols = messages::ranking_columns(lang);
    let col = |i: usize| cols.get(i).map_or("", String::as_str);
    let head = format!(
        " {} {} {} {} {} {}",
        widgets::right(col(0), 4),
        widgets::padded(col(1), UNIT_COLS),
        widgets::right(col(2), 6),
        " ".repeat(15),
        widgets::right(col(3), 8),
        widgets::right(col(4), 8),
    );
    let rows = report.ranking.len() as u16;
    let area = Rect::new(
        body.x,
        body.y,
        body.width,
        (used + 1 + rows + 3).min(body.height),
    );
    let inner = table_box(frame, app, area, used + 1, head);
    let selected = selected_on(city, CityPage::Ranking);
    let lines: Vec<Line> = report
        .ranking
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let chosen = selected == Some(i);
            let style = row_style(&app.theme, chosen);
            Line::from(vec![
                Span::styled(
                    format!(
                        "{}{} {} {} ",
                        marker(chosen),
                        widgets::right(&r.rank.to_string(), 4),
                        widgets::padded(&t::unit_short(lang, &app.plan, &r.unit), UNIT_COLS),
                        widgets::right(&format!("{:.1}", r.score), 6),
                    ),
                    style,
                ),
                Span::styled(
                    gauge::bar(r.score, 15, app.theme.gauge_glyphs()),
                    style.patch(app.theme.good()),
                ),
                Span::styled(
                    format!(
                        " {} {}",
                        widgets::right(&r.at_expected.to_string(), 8),
                        widgets::right(&r.achieved.to_string(), 8),
                    ),
                    style,
                ),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    let below = area.height;
    text_at(
        frame,
        body,
        below,
        &t::city_open_hint(lang),
        app.theme.muted(),
    );
}

pub fn claims(frame: &mut Frame, app: &App, city: &CityView, report: &CityReport, body: Rect) {
    let lang = app.lang;
    let used = text_at(
        frame,
        body,
        0,
        &messages::claims_heading(lang, report.claims.len()),
        app.theme.heading(),
    );
    let used = used
        + text_at(
            frame,
            body,
            used,
            &messages::claim_rule(lang),
            app.theme.muted(),
        );
    let area = Rect::new(
        body.x,
        body.y + used,
        body.width,
        body.height.saturating_sub(used),
    );
    let block = app
        .theme
        .block()
        .title_bottom(Line::from(format!(" {} ", t::claims_open_hint(lang))).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if report.claims.is_empty() {
        frame.render_widget(
            Paragraph::new(widgets::text_line(
                &format!(" {}", t::no_claims(lang)),
                inner.width,
                app.theme.muted(),
            )),
            inner,
        );
        return;
    }
    // Every claim's heading line, then one line per unit claiming it.
    let mut lines: Vec<(Option<usize>, Line)> = Vec::new();
    let selected = selected_on(city, CityPage::Claims);
    let order = claimants(report);
    let name_cols = (inner.width as usize).saturating_sub(4 + UNIT_COLS + 1 + 10 + 2);
    for (c, claim) in report.claims.iter().enumerate() {
        lines.push((
            None,
            Line::from(Span::styled(
                widgets::cell(
                    &format!(
                        " {}  {}",
                        kind_label(claim.kind, lang),
                        claim.credit_code.as_deref().unwrap_or(&claim.entity)
                    ),
                    inner.width as usize,
                ),
                app.theme.heading(),
            )),
        ));
        for (b, by) in claim.claims.iter().enumerate() {
            let index = order.iter().position(|p| *p == (c, b));
            let chosen = index.is_some() && index == selected;
            lines.push((
                index,
                Line::from(Span::styled(
                    format!(
                        "  {}{} {} {}  {}",
                        if chosen { ">" } else { " " },
                        if by.credited { "*" } else { " " },
                        widgets::padded(&t::unit_short(lang, &app.plan, &by.unit), UNIT_COLS),
                        by.key_date,
                        widgets::padded(&by.name, name_cols),
                    ),
                    row_style(&app.theme, chosen),
                )),
            ));
        }
    }
    let at = selected
        .and_then(|s| lines.iter().position(|(i, _)| *i == Some(s)))
        .unwrap_or(0);
    let shown: Vec<Line> = window(lines, at, inner.height as usize)
        .map(|(_, (_, line))| line)
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

pub fn freshness(frame: &mut Frame, app: &App, city: &CityView, report: &CityReport, body: Rect) {
    let lang = app.lang;
    let used = text_at(
        frame,
        body,
        0,
        &messages::freshness_heading(lang, SILENT_AFTER_DAYS),
        app.theme.heading(),
    );
    let cols = t::freshness_columns(lang);
    let head = format!(
        " {} {} {} {} {}",
        widgets::padded(&cols[0], UNIT_COLS),
        widgets::right(&cols[1], 8),
        widgets::padded(&cols[2], TIME_COLS),
        widgets::padded(&cols[3], TIME_COLS),
        cols[4],
    );
    let rows = report.freshness.len() as u16;
    let area = Rect::new(
        body.x,
        body.y,
        body.width,
        (used + rows + 3).min(body.height),
    );
    let inner = table_box(frame, app, area, used, head);
    let selected = selected_on(city, CityPage::Freshness);
    let time = |at: Option<jiff::Timestamp>| at.map(t::local_time).unwrap_or_else(|| "-".into());
    let lines: Vec<Line> = report
        .freshness
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let state = t::freshness_state(lang, f.sequence.is_some(), f.silent);
            let style = if f.silent {
                app.theme.warning()
            } else {
                Style::new()
            };
            let chosen = selected == Some(i);
            let style = style.patch(row_style(&app.theme, chosen));
            Line::from(Span::styled(
                format!(
                    "{}{} {} {} {} {}",
                    marker(chosen),
                    widgets::padded(&t::unit_short(lang, &app.plan, &f.unit), UNIT_COLS),
                    widgets::right(&f.sequence.map_or("-".into(), |s| s.to_string()), 8),
                    widgets::padded(&time(f.created_at), TIME_COLS),
                    widgets::padded(&time(f.imported_at), TIME_COLS),
                    widgets::padded(&state, 12),
                ),
                style,
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    text_at(
        frame,
        body,
        area.height,
        &t::city_open_hint(lang),
        app.theme.muted(),
    );
}

/// Most refused bundles the import page lists above the log.
const REFUSED_SHOWN: usize = 3;

pub fn imports(frame: &mut Frame, app: &App, city: &CityView, body: Rect) {
    let lang = app.lang;
    let mut y = 0;
    if !city.refused.is_empty() {
        y += text_at(
            frame,
            body,
            y,
            &crate::i18n::outlook::refused_heading(lang, city.refused.len()),
            app.theme.warning(),
        );
        for refused in city.refused.iter().take(REFUSED_SHOWN) {
            let unit = refused.unit.as_deref().map_or_else(
                || crate::i18n::outlook::unknown_unit(lang).to_owned(),
                |code| t::unit_short(lang, &app.plan, code),
            );
            let text = format!("{} {} {}", t::local_time(refused.at), unit, refused.file);
            line_at(frame, body, y, &text, Style::new());
            y += 1;
            let reason = refused.reason.localize(lang);
            for part in widgets::wrap(&reason, (body.width as usize).saturating_sub(4))
                .into_iter()
                .take(2)
            {
                line_at(frame, body, y, &format!("  {part}"), app.theme.muted());
                y += 1;
            }
        }
        if city.refused.len() > REFUSED_SHOWN {
            line_at(
                frame,
                body,
                y,
                &t::more_refused(lang, city.refused.len() - REFUSED_SHOWN),
                app.theme.muted(),
            );
            y += 1;
        }
    }
    line_at(
        frame,
        body,
        y,
        &messages::import_log_heading(lang, city.imports.len()),
        app.theme.heading(),
    );
    let cols = t::import_log_columns(lang);
    let head = format!(
        " {} {} {} {} {} {} {} {}",
        widgets::padded(&cols[0], TIME_COLS),
        widgets::padded(&cols[1], 11),
        widgets::right(&cols[2], 5),
        widgets::right(&cols[3], 5),
        widgets::right(&cols[4], 5),
        widgets::right(&cols[5], 5),
        widgets::right(&cols[6], 5),
        widgets::padded(&cols[7], TIME_COLS),
    );
    let inner = table_box(frame, app, body, y + 1, head);
    if city.imports.is_empty() {
        frame.render_widget(
            Paragraph::new(widgets::text_line(
                &format!(" {}", t::no_imports(lang)),
                inner.width,
                app.theme.muted(),
            )),
            inner,
        );
        return;
    }
    let selected = selected_on(city, CityPage::Imports);
    let lines: Vec<Line> = window(
        city.imports.iter().collect(),
        selected.unwrap_or(0),
        inner.height as usize,
    )
    .map(|(i, r)| {
        let (e, c) = (&r.entry, &r.counts);
        let chosen = selected == Some(i);
        Line::from(Span::styled(
            format!(
                "{}{} {} {} {} {} {} {} {}",
                marker(chosen),
                widgets::padded(&t::local_time(e.imported_at), TIME_COLS),
                widgets::padded(&t::unit_short(lang, &app.plan, &e.unit), 11),
                widgets::right(&e.sequence.to_string(), 5),
                widgets::right(&c.new.to_string(), 5),
                widgets::right(&c.changed.to_string(), 5),
                widgets::right(&c.unchanged.to_string(), 5),
                widgets::right(&c.voided.to_string(), 5),
                widgets::padded(&t::local_time(e.created_at), TIME_COLS),
            ),
            row_style(&app.theme, chosen),
        ))
    })
    .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The city-wide targets no unit shares: each one's target, figure and verdict, or the
/// figures the city office has still to enter.
pub fn targets(frame: &mut Frame, app: &App, report: &CityReport, body: Rect) {
    let lang = app.lang;
    let Some(first) = report.city_targets.first() else {
        text_at(frame, body, 0, &t::no_city_targets(lang), app.theme.muted());
        return;
    };
    let mut used = text_at(
        frame,
        body,
        0,
        &figures::city_targets_heading(lang, first.year),
        app.theme.heading(),
    );
    for row in &report.city_targets {
        let style = match row.met {
            Some(true) => Style::new(),
            Some(false) => app.theme.warning(),
            None => app.theme.muted(),
        };
        used += text_at(
            frame,
            body,
            used,
            &figures::city_target_line(lang, &app.plan, row),
            style,
        );
    }
    text_at(
        frame,
        body,
        used + 1,
        &t::city_targets_hint(lang),
        app.theme.muted(),
    );
}
