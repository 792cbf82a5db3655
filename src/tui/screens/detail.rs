//! One record: every field (choices by their labels), status, who made and changed it, and
//! its full history, newest first; plus the void-reason and restore questions.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Chrome;
use crate::domain::RecordStatus;
use crate::i18n::labels::{field_label, kind_label, shown_value, status_label};
use crate::i18n::tui as t;
use crate::tui::app::App;
use crate::tui::state::detail::{Detail, DetailPrompt};
use crate::tui::widgets::{self, text_field};

/// Columns for field labels.
const LABEL_COLS: usize = 18;
/// The widest account name the history shows in full (longer ones are cut).
const HISTORY_ACTOR_COLS: usize = 16;

pub fn draw(frame: &mut Frame, app: &App, detail: &Detail, chrome: &Chrome) {
    let lang = app.lang;
    let r = &detail.record;
    let title = format!(
        " {} · {}",
        kind_label(r.kind, lang),
        crate::display::safe(r.name())
    );
    let right = t::status_and_revision(lang, status_label(r.status, lang), r.revision);
    let right_w = crate::display::width(&right) + 1;
    let title_style = if r.status == RecordStatus::Voided {
        app.theme.muted()
    } else {
        app.theme.title()
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                widgets::padded(
                    &title,
                    (chrome.title.width as usize).saturating_sub(right_w),
                ),
                title_style,
            ),
            Span::styled(right, app.theme.heading()),
        ])),
        chrome.title,
    );
    let block = app.theme.block();
    let inner = block.inner(chrome.body);
    frame.render_widget(block, chrome.body);
    let lines = body_lines(app, detail, inner.width as usize);
    let visible = inner.height as usize;
    let skip = (detail.scroll as usize).min(lines.len().saturating_sub(visible));
    frame.render_widget(
        Paragraph::new(
            lines
                .into_iter()
                .skip(skip)
                .take(visible)
                .collect::<Vec<_>>(),
        ),
        inner,
    );
    match &detail.prompt {
        Some(DetailPrompt::VoidReason(input)) => draw_void_prompt(frame, app, input, chrome.body),
        Some(DetailPrompt::ConfirmRestore) => {
            let area = widgets::centered(chrome.body, 60, 5);
            let inner = widgets::popup(frame, &app.theme, area, &t::restore_title(lang));
            let lines = widgets::wrap(&t::restore_question(lang), inner.width as usize)
                .into_iter()
                .map(Line::from)
                .collect();
            widgets::lines(frame, inner, lines);
        }
        None => {}
    }
}

fn body_lines(app: &App, detail: &Detail, width: usize) -> Vec<Line<'static>> {
    let lang = app.lang;
    let r = &detail.record;
    let value_cols = width.saturating_sub(LABEL_COLS + 2);
    let mut lines = Vec::new();
    let mut push_value = |label: &str, value: &str, style: Style| {
        let shown = if value.is_empty() {
            "-".to_string()
        } else {
            crate::display::safe(value).into_owned()
        };
        for (i, part) in widgets::wrap(&shown, value_cols).into_iter().enumerate() {
            let label = if i == 0 { label } else { "" };
            lines.push(Line::from(vec![
                Span::raw(format!(" {} ", widgets::padded(label, LABEL_COLS))),
                Span::styled(part, style),
            ]));
        }
    };
    if app.city.is_some() {
        push_value(
            &t::unit_label(lang),
            &t::unit_name(lang, &app.plan, &r.unit),
            app.theme.heading(),
        );
    }
    for spec in r.kind.fields() {
        let value = shown_value(r, spec.key, lang);
        if spec.key == crate::domain::OVERRIDE_REASON && value.is_empty() {
            continue;
        }
        push_value(field_label(spec.key, lang), value, Style::new());
    }
    if let Some(reason) = &r.void_reason
        && r.status == RecordStatus::Voided
    {
        push_value(&t::void_reason_label(lang), reason, app.theme.error());
    }
    push_value(
        &t::created_label(lang),
        &t::who_when(lang, &r.created_by, r.created_at),
        app.theme.muted(),
    );
    push_value(
        &t::updated_label(lang),
        &t::who_when(lang, &r.updated_by, r.updated_at),
        app.theme.muted(),
    );
    push_value(
        field_label("id", lang),
        &r.id.to_string(),
        app.theme.muted(),
    );
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(" {}", t::history_heading(lang)),
        app.theme.heading(),
    )));
    // The accounts' column is as wide as the widest of them, up to a limit.
    let actor_cols = detail
        .history
        .iter()
        .map(|e| crate::display::width(&crate::display::safe(&e.actor)))
        .max()
        .unwrap_or(0)
        .min(HISTORY_ACTOR_COLS);
    for entry in detail.history.iter().rev() {
        for part in widgets::wrap(
            &t::audit_line(lang, r.kind, entry, actor_cols),
            width.saturating_sub(2),
        ) {
            lines.push(Line::from(format!("  {part}")));
        }
    }
    lines
}

fn draw_void_prompt(frame: &mut Frame, app: &App, input: &tui_input::Input, body: Rect) {
    let area = widgets::centered(body, 64, 7);
    let inner = widgets::popup(frame, &app.theme, area, &t::void_title(app.lang));
    let text: Vec<Line> = widgets::wrap(&t::void_question(app.lang), inner.width as usize)
        .into_iter()
        .take(2)
        .map(Line::from)
        .collect();
    widgets::lines(frame, Rect::new(inner.x, inner.y, inner.width, 2), text);
    frame.render_widget(Paragraph::new(">"), Rect::new(inner.x, inner.y + 3, 1, 1));
    let field = Rect::new(inner.x + 2, inner.y + 3, inner.width.saturating_sub(3), 1);
    let cursor = text_field::render(input, field, frame.buffer_mut(), app.theme.input());
    frame.set_cursor_position(cursor);
}
