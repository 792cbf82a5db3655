//! The questions a form asks: throw away the typing, why keep a credit code that fails its
//! check, open the record this one duplicates, and which version to keep after someone
//! else saved first (both shown side by side).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::{FieldType, Record};
use crate::i18n::labels::{choice_label, field_label, kind_label, yes_no};
use crate::i18n::{Lang, tui as t};
use crate::tui::app::App;
use crate::tui::state::form::{Form, FormDialog};
use crate::tui::widgets::{self, text_field};

/// Most lines one value takes in the side-by-side comparison.
const VALUE_LINES: usize = 3;

pub fn draw(frame: &mut Frame, app: &App, form: &Form, dialog: &FormDialog, body: Rect) {
    let lang = app.lang;
    match dialog {
        FormDialog::ConfirmCancel => {
            message(
                frame,
                app,
                body,
                &t::cancel_title(lang),
                &t::cancel_question(lang),
            );
        }
        FormDialog::Duplicate { existing_name, .. } => {
            let text = t::duplicate_question(lang, kind_label(form.kind, lang), existing_name);
            message(frame, app, body, &t::duplicate_title(lang), &text);
        }
        FormDialog::OverrideReason {
            input,
            field,
            value,
            expected,
        } => {
            let area = widgets::centered(body, 70, 9);
            let inner = widgets::popup(frame, &app.theme, area, &t::override_title(lang));
            let text = t::override_question(lang, field_label(field, lang), value, *expected);
            let lines: Vec<Line> = widgets::wrap(&text, inner.width as usize)
                .into_iter()
                .take(4)
                .map(Line::from)
                .collect();
            widgets::lines(frame, Rect::new(inner.x, inner.y, inner.width, 4), lines);
            let row = inner.y + 5;
            frame.render_widget(Paragraph::new(">"), Rect::new(inner.x, row, 1, 1));
            let field = Rect::new(inner.x + 2, row, inner.width.saturating_sub(3), 1);
            let cursor = text_field::render(input, field, frame.buffer_mut(), app.theme.input());
            frame.set_cursor_position(cursor);
        }
        FormDialog::Conflict { theirs } => conflict(frame, app, form, theirs, body),
    }
}

/// A popup with a title and a wrapped message.
fn message(frame: &mut Frame, app: &App, body: Rect, title: &str, text: &str) {
    let lines = widgets::wrap(text, 56);
    let area = widgets::centered(body, 60, lines.len() as u16 + 2);
    let inner = widgets::popup(frame, &app.theme, area, title);
    widgets::lines(frame, inner, lines.into_iter().map(Line::from).collect());
}

/// A stored or typed value as shown: choices by label.
fn shown(form: &Form, key: &str, value: &str, lang: Lang) -> String {
    match form.kind.field(key).map(|s| s.ty) {
        Some(FieldType::Choice(set)) if !value.is_empty() => {
            choice_label(set, value, lang).to_string()
        }
        Some(FieldType::Bool) if !value.is_empty() => yes_no(value == "true", lang).to_string(),
        _ => value.to_string(),
    }
}

fn conflict(frame: &mut Frame, app: &App, form: &Form, theirs: &Record, body: Rect) {
    let lang = app.lang;
    let inner = widgets::popup(frame, &app.theme, body, &t::conflict_title(lang));
    let head = t::conflict_explained(lang, &theirs.updated_by, theirs.updated_at, theirs.revision);
    let mut lines = vec![widgets::text_line(&head, inner.width, Style::new())];
    let label_w = 16usize;
    let col_w = (inner.width as usize).saturating_sub(label_w + 4) / 2;
    lines.push(Line::from(Span::styled(
        format!(
            "  {} {} {}",
            widgets::padded("", label_w),
            widgets::padded(&t::conflict_mine(lang), col_w),
            widgets::padded(&t::conflict_theirs(lang), col_w)
        ),
        app.theme.heading(),
    )));
    let mine = form.values();
    for spec in form.kind.fields() {
        let a = mine.get(spec.key).map_or("", String::as_str);
        let b = theirs.fields.get(spec.key).map_or("", String::as_str);
        if a.is_empty() && b.is_empty() {
            continue;
        }
        let differs = a.trim() != b.trim();
        let style = if differs {
            app.theme.warning()
        } else {
            Style::new()
        };
        // Long values wrap inside their column, so a difference at the end still shows.
        let column = |v: &str| -> Vec<String> {
            let mut lines = widgets::wrap(
                &crate::display::safe(&shown(form, spec.key, v, lang)),
                col_w,
            );
            lines.truncate(VALUE_LINES);
            lines
        };
        let (a, b) = (column(a), column(b));
        for i in 0..a.len().max(b.len()) {
            let (mark, label) = match i {
                0 => (if differs { "*" } else { " " }, field_label(spec.key, lang)),
                _ => (" ", ""),
            };
            lines.push(Line::from(Span::styled(
                format!(
                    "{mark} {} {} {}",
                    widgets::padded(label, label_w),
                    widgets::padded(a.get(i).map_or("", String::as_str), col_w),
                    widgets::padded(b.get(i).map_or("", String::as_str), col_w)
                ),
                style,
            )));
        }
    }
    lines.push(Line::from(""));
    for choice in t::conflict_choices(lang) {
        lines.push(widgets::text_line(&choice, inner.width, Style::new()));
    }
    widgets::lines(frame, inner, lines);
}
