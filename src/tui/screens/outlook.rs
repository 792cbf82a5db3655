//! Drawing the pages that look ahead: the worklist (待办), one firm's page, and an
//! indicator's path month by month as a chart against the expected line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType};

use super::Chrome;
use crate::domain::trend::Trend;
use crate::i18n::outlook as o;
use crate::i18n::tui as t;
use crate::tui::app::App;
use crate::tui::state::outlook::{FirmScreen, TrendScreen, WorklistScreen};
use crate::tui::widgets;

/// The worklist page: what each indicator's items mean for its count, then the items.
pub fn draw_worklist(frame: &mut Frame, app: &App, screen: &WorklistScreen, chrome: &Chrome) {
    let lang = app.lang;
    let body = chrome.body;
    let width = body.width as usize;
    let Some(list) = app.dashboard.worklist.as_ref() else {
        chrome.draw_title(frame, app, &t::worklist_title(lang, None));
        widgets::lines(frame, body, vec![Line::from(t::loading(lang))]);
        return;
    };
    chrome.draw_title(frame, app, &t::worklist_title(lang, Some(list)));
    let mut head: Vec<Line> = Vec::new();
    for outlook in &list.outlook {
        let mut text = o::outlook_line(lang, &app.plan, outlook);
        if outlook.in_pool > 0 {
            text.push_str(&o::pool_could_add(lang, outlook.in_pool));
        }
        for line in widgets::wrap(&text, width - 1) {
            head.push(Line::from(format!(" {line}")));
        }
    }
    head.push(Line::from(""));
    let mut rows: Vec<Line> = Vec::new();
    let target = |kind| {
        list.outlook
            .iter()
            .find(|x| x.kind == kind)
            .map_or(0, |x| x.target)
    };
    for item in &list.lapses {
        let l = &item.lapse;
        rows.push(Line::from(format!(
            " {} {}  {}  {}",
            widgets::padded(&t::lapse_item(lang), 8),
            l.lapses_on,
            widgets::padded(&l.name, 30),
            t::count_then(lang, item.count_then, target(l.kind))
        )));
    }
    for n in &list.not_registered {
        rows.push(Line::from(format!(
            " {} {}  {}",
            widgets::padded(&t::not_registered_item(lang), 8),
            n.registered_on,
            widgets::padded(&n.name, 30),
        )));
    }
    for e in &list.pool_near {
        rows.push(Line::from(format!(
            " {} {}  {}  {}",
            widgets::padded(&t::pool_target_item(lang), 8),
            e.target_on,
            widgets::padded(&e.name, 30),
            crate::i18n::pool::stage_label(e.stage, lang)
        )));
    }
    if rows.is_empty() {
        rows.push(Line::from(format!(" {}", o::nothing_due(lang, list.until))));
    }
    let selected = screen.selected.min(rows.len().saturating_sub(1));
    let visible = (body.height as usize).saturating_sub(head.len()).max(1);
    if !list.is_empty()
        && let Some(row) = rows.get_mut(selected)
    {
        *row = row.clone().style(app.theme.selected());
    }
    let scroll = selected.saturating_sub(visible.saturating_sub(1));
    widgets::head_body_foot(frame, body, head, rows, Vec::new(), scroll);
}

/// One firm's page: its records in date order (the selected one opens), then the days each
/// entity counts and the awards.
pub fn draw_firm(frame: &mut Frame, app: &App, screen: &FirmScreen, chrome: &Chrome) {
    let lang = app.lang;
    let body = chrome.body;
    let path = &screen.page.path;
    chrome.draw_title(
        frame,
        app,
        &o::firm_heading(lang, &path.name, &path.credit_code),
    );
    let cols = o::firm_columns(lang);
    let head = vec![Line::from(Span::styled(
        format!(
            " {} {} {} {}",
            widgets::padded(&cols[0], 10),
            widgets::padded(&cols[1], 12),
            widgets::padded(&cols[2], 28),
            cols[3]
        ),
        app.theme.heading(),
    ))];
    let mut rows: Vec<Line> = Vec::new();
    for (i, step) in path.steps.iter().enumerate() {
        let mut name = step.record.name().to_owned();
        if app.city.is_some() {
            name = format!(
                "{} {name}",
                t::unit_short(lang, &app.plan, &step.record.unit)
            );
        }
        let line = Line::from(format!(
            " {} {} {} {}",
            step.key_date,
            widgets::padded(crate::i18n::labels::kind_label(step.record.kind, lang), 12),
            widgets::padded(&name, 28),
            o::step_counts(lang, &app.plan, step)
        ));
        rows.push(if i == screen.selected {
            line.style(app.theme.selected())
        } else {
            line
        });
    }
    let mut foot: Vec<Line> = Vec::new();
    if !path.entities.is_empty() {
        foot.push(Line::from(Span::styled(
            format!(" {}", o::firm_days_heading(lang)),
            app.theme.heading(),
        )));
        for entity in &path.entities {
            let runs: Vec<String> = entity.runs.iter().map(|r| o::run_text(lang, r)).collect();
            foot.push(widgets::text_line(
                &format!(
                    "  {} {}",
                    widgets::padded(crate::i18n::labels::kind_label(entity.kind, lang), 12),
                    runs.join("; ")
                ),
                body.width,
                Style::new(),
            ));
        }
    }
    if !screen.page.awards.is_empty() {
        foot.push(widgets::text_line(
            &format!(" {}", t::firm_awards_line(lang, &screen.page.awards)),
            body.width,
            Style::new(),
        ));
    }
    // The foot takes at most half the page; the records scroll above it.
    let foot_rows = foot.len().min((body.height as usize) / 2);
    foot.truncate(foot_rows);
    let visible = (body.height as usize)
        .saturating_sub(head.len() + foot.len())
        .max(1);
    let scroll = screen.selected.saturating_sub(visible.saturating_sub(1));
    widgets::head_body_foot(frame, body, head, rows, foot, scroll);
}

/// An indicator's path: a summary line, the chart (count, expected line, the months ahead),
/// and what each mark means.
pub fn draw_trend(frame: &mut Frame, app: &App, screen: &TrendScreen, chrome: &Chrome) {
    let lang = app.lang;
    let body = chrome.body;
    chrome.draw_title(
        frame,
        app,
        &t::trend_title(lang, &app.plan, screen.kind, &screen.unit),
    );
    let Some(trend) = screen.trend.as_ref().filter(|t| !t.points.is_empty()) else {
        widgets::lines(frame, body, vec![Line::from(t::loading(lang))]);
        return;
    };
    if body.height < 6 {
        return;
    }
    let summary = t::trend_summary(lang, trend, screen.until);
    widgets::lines(
        frame,
        Rect::new(body.x, body.y, body.width, 1),
        vec![widgets::text_line(
            &format!(" {summary}"),
            body.width,
            Style::new(),
        )],
    );
    let legend = t::trend_legend(lang);
    widgets::lines(
        frame,
        Rect::new(body.x, body.bottom() - 1, body.width, 1),
        vec![widgets::text_line(
            &format!(" {legend}"),
            body.width,
            app.theme.muted(),
        )],
    );
    let area = Rect::new(body.x, body.y + 1, body.width, body.height - 2);
    let data = ChartData::of(trend);
    frame.render_widget(chart(app, trend, &data), area);
}

/// The three lines of a chart: expected, measured, and the months ahead.
struct ChartData {
    expected: Vec<(f64, f64)>,
    actual: Vec<(f64, f64)>,
    ahead: Vec<(f64, f64)>,
}

impl ChartData {
    fn of(trend: &Trend) -> ChartData {
        let points: Vec<(f64, f64, f64, bool)> = trend
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| (i as f64, p.count as f64, f64::from(p.expected), p.ahead))
            .collect();
        let expected: Vec<(f64, f64)> = points.iter().map(|(x, _, e, _)| (*x, *e)).collect();
        let actual: Vec<(f64, f64)> = points
            .iter()
            .filter(|p| !p.3)
            .map(|(x, c, _, _)| (*x, *c))
            .collect();
        // The months ahead start from the last month measured, so the two lines join.
        let first_ahead = points.iter().position(|p| p.3).unwrap_or(points.len());
        let ahead: Vec<(f64, f64)> = points[first_ahead.saturating_sub(1)..]
            .iter()
            .filter(|_| first_ahead < points.len())
            .map(|(x, c, _, _)| (*x, *c))
            .collect();
        ChartData {
            expected,
            actual,
            ahead,
        }
    }
}

/// The chart of a trend: months along, counts up.
fn chart<'a>(app: &App, trend: &Trend, data: &'a ChartData) -> Chart<'a> {
    let datasets = vec![
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Line)
            .style(app.theme.muted())
            .data(&data.expected),
        Dataset::default()
            .marker(Marker::Bar)
            .graph_type(GraphType::Line)
            .style(app.theme.warning())
            .data(&data.ahead),
        Dataset::default()
            .marker(Marker::Block)
            .graph_type(GraphType::Line)
            .style(app.theme.good())
            .data(&data.actual),
    ];
    let peak = trend.peak().max(1);
    let top = peak + peak / 10 + 1;
    let last = trend.points.len().saturating_sub(1);
    let month = |i: usize| {
        trend
            .points
            .get(i)
            .map(|p| format!("{:04}-{:02}", p.month_end.year(), p.month_end.month()))
            .unwrap_or_default()
    };
    Chart::new(datasets)
        .x_axis(Axis::default().bounds([0.0, last.max(1) as f64]).labels([
            month(0),
            month(last / 2),
            month(last),
        ]))
        .y_axis(Axis::default().bounds([0.0, top as f64]).labels([
            "0".to_owned(),
            (top / 2).to_string(),
            top.to_string(),
        ]))
}
