//! Drawing the cultivation pool page (培育库): a unit's entries under a heading per stage,
//! the form that puts a firm in or changes an entry, and the questions that close or reopen
//! one; and the city's table of each unit's pool by stage.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Chrome;
use crate::domain::pool::{PoolCounts, PoolStage};
use crate::i18n::Localized as _;
use crate::i18n::pool::{field_label, stage_label};
use crate::i18n::tui as t;
use crate::i18n::tui::pool as words;
use crate::tui::app::App;
use crate::tui::state::pool::{PoolField, PoolForm, PoolFormMode, PoolPrompt, PoolScreen};
use crate::tui::widgets::{self, text_field};

/// Columns of the firm's name in an entry row.
const NAME_COLS: usize = 28;
/// Columns of a field's label in the form.
const LABEL_COLS: u16 = 20;

pub fn draw(frame: &mut Frame, app: &App, screen: &PoolScreen, chrome: &Chrome) {
    let lang = app.lang;
    let unit = t::unit_short(lang, &app.plan, &screen.unit);
    let open: usize = PoolStage::ALL.iter().map(|s| screen.open_count(*s)).sum();
    chrome.draw_title(
        frame,
        app,
        &words::pool_title(lang, &unit, open, screen.show_closed),
    );
    if let Some(form) = &screen.form {
        draw_form(frame, app, form, chrome.body);
        return;
    }
    draw_entries(frame, app, screen, chrome.body);
    if let (Some(prompt), Some(entry)) = (&screen.prompt, screen.selected_entry()) {
        let (title, question, input) = match prompt {
            PoolPrompt::Close { achieved, reason } => (
                words::close_title(lang, *achieved),
                words::close_question(lang, *achieved, app.today),
                Some(reason),
            ),
            PoolPrompt::ConfirmReopen => (
                t::action_short(lang, crate::tui::keys::Action::ReopenPool),
                words::reopen_question(lang, &entry.name),
                None,
            ),
        };
        let height = if input.is_some() { 7 } else { 4 };
        let area = widgets::centered(chrome.body, 66, height);
        let inner = widgets::popup(frame, &app.theme, area, &title);
        let row = |y: u16| Rect::new(inner.x, inner.y + y, inner.width, 1);
        frame.render_widget(
            Paragraph::new(widgets::text_line(
                &entry.name,
                inner.width,
                app.theme.heading(),
            )),
            row(0),
        );
        frame.render_widget(
            Paragraph::new(widgets::text_line(&question, inner.width, Style::new())),
            row(1),
        );
        if let Some(input) = input {
            frame.render_widget(Paragraph::new(">"), row(3));
            let field = Rect::new(inner.x + 2, inner.y + 3, inner.width.saturating_sub(3), 1);
            let cursor = text_field::render(input, field, frame.buffer_mut(), app.theme.input());
            frame.set_cursor_position(cursor);
            frame.render_widget(
                Paragraph::new(widgets::text_line(
                    &words::prompt_keys(lang),
                    inner.width,
                    app.theme.muted(),
                )),
                row(4),
            );
        }
    }
}

/// The entries under a heading per stage, the selected one highlighted and kept in view.
fn draw_entries(frame: &mut Frame, app: &App, screen: &PoolScreen, body: Rect) {
    let lang = app.lang;
    let cols = words::entry_columns(lang);
    let head = vec![Line::from(Span::styled(
        format!(
            " {} {} {} {}",
            widgets::padded(&cols[0], NAME_COLS),
            widgets::padded(&cols[1], 18),
            widgets::padded(&cols[2], 10),
            cols[3]
        ),
        app.theme.heading(),
    ))];
    let mut rows: Vec<Line> = Vec::new();
    let mut selected_row = 0;
    let mut stage = None;
    for (i, entry) in screen.entries.iter().enumerate() {
        if stage != Some(entry.stage) {
            stage = Some(entry.stage);
            rows.push(Line::from(Span::styled(
                format!(
                    " {}",
                    words::stage_heading(lang, entry.stage, screen.open_count(entry.stage))
                ),
                app.theme.title(),
            )));
        }
        let line = format!(
            " {} {} {} {}",
            widgets::padded(&entry.name, NAME_COLS),
            widgets::padded(&entry.credit_code, 18),
            entry.target_on,
            words::entry_state(lang, entry, app.today)
        );
        let line = widgets::text_line(&line, body.width, Style::new());
        if i == screen.selected {
            selected_row = rows.len();
            rows.push(line.style(app.theme.selected()));
        } else {
            rows.push(line);
        }
    }
    if rows.is_empty() {
        let text = words::empty_pool(lang, screen.read_only, screen.show_closed);
        for part in widgets::wrap(&text, body.width as usize - 1) {
            rows.push(Line::from(format!(" {part}")));
        }
    }
    let mut foot = Vec::new();
    if screen.read_only {
        foot.push(widgets::text_line(
            &format!(" {}", words::city_pool_source(lang)),
            body.width,
            app.theme.muted(),
        ));
    }
    let visible = (body.height as usize)
        .saturating_sub(head.len() + foot.len())
        .max(1);
    let scroll = selected_row.saturating_sub(visible.saturating_sub(1));
    widgets::head_body_foot(frame, body, head, rows, foot, scroll);
}

/// The form over the whole body: a row per shown field, its problem, warning or hint under
/// it, the cursor in the focused text field.
fn draw_form(frame: &mut Frame, app: &App, form: &PoolForm, body: Rect) {
    let lang = app.lang;
    let title = match form.mode {
        PoolFormMode::New => words::new_entry_title(lang),
        PoolFormMode::Edit { base_revision, .. } => {
            let name = form.input(PoolField::Name).value();
            words::edit_entry_title(lang, name, base_revision)
        }
    };
    let block = app
        .theme
        .block()
        .title(Span::styled(format!(" {title} "), app.theme.title()));
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let value_x = inner.x + LABEL_COLS + 1;
    let value_w = inner.width.saturating_sub(LABEL_COLS + 2);
    let mut y = inner.y;
    let bottom = inner.bottom();
    for issue in form.other_issues() {
        let text = issue.problem.localize(lang);
        frame.render_widget(
            Paragraph::new(widgets::text_line(
                &format!(" {text}"),
                inner.width,
                app.theme.error(),
            )),
            Rect::new(inner.x, y, inner.width, 1),
        );
        y += 1;
    }
    let mut cursor: Option<Position> = None;
    for field in PoolField::ALL {
        if !form.is_visible(field) || y >= bottom {
            continue;
        }
        let focused = form.focus == field;
        let required = !matches!(field, PoolField::Notes);
        let label = format!(
            "{} {}{}",
            if focused { ">" } else { " " },
            field_label(field.key(), lang),
            if required { "*" } else { "" }
        );
        let label_style = if focused {
            app.theme.heading()
        } else {
            Style::new()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                widgets::padded(&label, LABEL_COLS as usize),
                label_style,
            )),
            Rect::new(inner.x, y, LABEL_COLS, 1),
        );
        let area = Rect::new(value_x, y, value_w, 1);
        if field == PoolField::Stage {
            let shown = form.stage.map_or(String::new(), |s| {
                let n = PoolStage::ALL.iter().position(|x| *x == s).unwrap_or(0) + 1;
                format!(
                    "< {} > ({n}/{})",
                    stage_label(s, lang),
                    PoolStage::ALL.len()
                )
            });
            let style = if focused {
                app.theme.selected()
            } else {
                Style::new()
            };
            frame.render_widget(
                Paragraph::new(widgets::text_line(&shown, value_w, style)),
                area,
            );
            if focused {
                cursor = Some(Position::new(area.x, area.y));
            }
        } else if focused && form.is_editable(field) {
            cursor = Some(text_field::render(
                form.input(field),
                area,
                frame.buffer_mut(),
                app.theme.input(),
            ));
        } else {
            let shown = widgets::start_of(form.input(field).value(), value_w as usize, &app.theme);
            let style = if form.is_editable(field) {
                Style::new()
            } else {
                app.theme.muted()
            };
            frame.render_widget(
                Paragraph::new(widgets::text_line(&shown, value_w, style)),
                area,
            );
        }
        y += 1;
        let message = match form.message(field) {
            Some((problem, error)) => Some((
                problem.localize(lang),
                if error {
                    app.theme.error()
                } else {
                    app.theme.warning()
                },
            )),
            None if focused => field_hint(lang, form, field).map(|h| (h, app.theme.muted())),
            None => None,
        };
        if let Some((text, style)) = message {
            for part in widgets::wrap(&text, value_w as usize).into_iter().take(2) {
                if y >= bottom {
                    break;
                }
                frame.render_widget(
                    Paragraph::new(Span::styled(part, style)),
                    Rect::new(value_x, y, value_w, 1),
                );
                y += 1;
            }
        }
    }
    if let Some(at) = cursor {
        frame.set_cursor_position(at);
    }
}

/// What the focused field takes, when it has nothing else to say.
fn field_hint(lang: crate::i18n::Lang, form: &PoolForm, field: PoolField) -> Option<String> {
    match field {
        PoolField::Stage => Some(words::stage_hint(lang)),
        PoolField::TargetOn => Some(words::date_hint(lang)),
        PoolField::CreditCode | PoolField::Name if !form.is_editable(field) => {
            Some(words::kept_hint(lang))
        }
        _ => None,
    }
}

/// The city's pool page: a row per unit (open entries by stage, closed ones), and the total.
pub fn draw_city_pool(
    frame: &mut Frame,
    app: &App,
    rows: &[PoolCounts],
    total: &PoolCounts,
    selected: usize,
    body: Rect,
) {
    let lang = app.lang;
    let cols = words::city_pool_columns(lang);
    let cell = |n: u64| widgets::right(&n.to_string(), 10);
    let header = format!(
        " {}{}{}{}{}{}",
        widgets::padded(&cols[0], 18),
        widgets::right(&cols[1], 10),
        widgets::right(&cols[2], 10),
        widgets::right(&cols[3], 10),
        widgets::right(&cols[4], 10),
        widgets::right(&cols[5], 10),
    );
    let head = vec![
        widgets::text_line(
            &format!(" {}", words::city_pool_title(lang)),
            body.width,
            app.theme.title(),
        ),
        Line::from(Span::styled(header, app.theme.heading())),
    ];
    let line = |c: &PoolCounts, name: &str| {
        format!(
            " {}{}{}{}{}{}",
            widgets::padded(name, 18),
            cell(c.tech_sme),
            cell(c.high_tech_candidate),
            cell(c.gazelle_candidate),
            cell(c.achieved),
            cell(c.withdrawn),
        )
    };
    let mut lines: Vec<Line> = Vec::new();
    for (i, c) in rows.iter().enumerate() {
        let text = line(c, &t::unit_short(lang, &app.plan, &c.unit));
        lines.push(if i == selected {
            Line::from(text).style(app.theme.selected())
        } else {
            Line::from(text)
        });
    }
    lines.push(Line::from(Span::styled(
        line(total, &t::city_total_short(lang)),
        app.theme.heading(),
    )));
    let foot = vec![widgets::text_line(
        &format!(" {}", words::city_pool_open_hint(lang)),
        body.width,
        app.theme.muted(),
    )];
    let visible = (body.height as usize).saturating_sub(head.len() + foot.len() + 1);
    let scroll = selected.saturating_sub(visible.saturating_sub(1));
    widgets::head_body_foot(frame, body, head, lines, foot, scroll);
}
