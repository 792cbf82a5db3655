//! A record form: one row per field (label, then the typed text or the options), the check's
//! message under the field, the text cursor in the focused field; and the questions a save
//! or a cancel asks.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Chrome;
use crate::domain::FieldType;
use crate::i18n::Localized as _;
use crate::i18n::labels::{choice_label, field_label, kind_label, yes_no};
use crate::i18n::{Lang, tui as t};
use crate::tui::app::App;
use crate::tui::state::form::{FieldState, Form, FormMode};
use crate::tui::widgets::{self, text_field};

mod dialogs;

/// Columns for the marker and the field label.
const LABEL_COLS: u16 = 22;
/// Most lines a field's message takes.
const MESSAGE_LINES: usize = 4;

/// One row of the form body.
enum Row {
    Field(usize),
    Message {
        field: usize,
        text: String,
        error: bool,
    },
}

pub fn draw(frame: &mut Frame, app: &App, form: &Form, chrome: &Chrome) {
    let lang = app.lang;
    let title = match form.mode {
        FormMode::New => t::new_record_title(lang, kind_label(form.kind, lang)),
        FormMode::Edit { base_revision, .. } => {
            let name = form
                .initial
                .get(form.kind.name_field())
                .map_or("", String::as_str);
            t::edit_record_title(lang, kind_label(form.kind, lang), name, base_revision)
        }
    };
    chrome.draw_title(frame, app, &title);
    let block = app.theme.block();
    let inner = block.inner(chrome.body);
    frame.render_widget(block, chrome.body);
    let mut top = inner.y;
    let mut height = inner.height;
    let banner = match (form.newer_revision, &form.record_problem) {
        (_, Some(problem)) => Some(problem.localize(lang)),
        (Some(rev), None) => Some(t::newer_revision_banner(lang, rev)),
        (None, None) => None,
    };
    if let Some(banner) = banner {
        frame.render_widget(
            Paragraph::new(widgets::text_line(
                &format!(" {banner}"),
                inner.width,
                app.theme.error(),
            )),
            Rect::new(inner.x, top, inner.width, 1),
        );
        top += 1;
        height = height.saturating_sub(1);
    }
    let value_x = inner.x + LABEL_COLS + 1;
    let value_w = inner.width.saturating_sub(LABEL_COLS + 2);
    let rows = rows(form, lang, value_w as usize);
    let offset = scroll_offset(&rows, form.focus, height as usize);
    let mut cursor = None;
    for (i, row) in rows.iter().skip(offset).take(height as usize).enumerate() {
        let y = top + i as u16;
        match row {
            Row::Field(index) => {
                let field = &form.fields[*index];
                let focused = *index == form.focus;
                draw_label(
                    frame,
                    app,
                    field,
                    focused,
                    Rect::new(inner.x, y, LABEL_COLS, 1),
                );
                let area = Rect::new(value_x, y, value_w, 1);
                let at = if field.is_choice() {
                    draw_choice(frame, app, field, focused, area)
                } else if focused {
                    text_field::render(&field.input, area, frame.buffer_mut(), app.theme.input())
                } else {
                    // Away from the focus a long value shows its start, marked as cut.
                    let shown =
                        widgets::start_of(field.input.value(), area.width as usize, &app.theme);
                    frame.buffer_mut().set_stringn(
                        area.x,
                        area.y,
                        &shown,
                        area.width as usize,
                        Style::new(),
                    );
                    Position::new(area.x, area.y)
                };
                if focused {
                    cursor = Some(at);
                }
            }
            Row::Message { text, error, .. } => {
                let style = if *error {
                    app.theme.error()
                } else {
                    app.theme.warning()
                };
                frame.render_widget(
                    Paragraph::new(Span::styled(text.clone(), style)),
                    Rect::new(value_x, y, value_w, 1),
                );
            }
        }
    }
    match &form.dialog {
        None => {
            if let Some(at) = cursor {
                frame.set_cursor_position(at);
            }
        }
        Some(dialog) => dialogs::draw(frame, app, form, dialog, chrome.body),
    }
}

fn draw_label(frame: &mut Frame, app: &App, field: &FieldState, focused: bool, area: Rect) {
    let marker = if focused { ">" } else { " " };
    let required = if field.spec.required { "*" } else { "" };
    let label = format!(
        "{marker} {}{required}",
        field_label(field.spec.key, app.lang)
    );
    let style = if focused {
        app.theme.heading()
    } else {
        Style::new()
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            widgets::padded(&label, area.width as usize),
            style,
        )),
        area,
    );
}

/// The options in a row, the chosen one in brackets and reversed; returns where the cursor
/// goes (on the chosen option, or the first).
fn draw_choice(
    frame: &mut Frame,
    app: &App,
    field: &FieldState,
    focused: bool,
    area: Rect,
) -> Position {
    let mut spans = Vec::new();
    let mut cursor_col = 0u16;
    let mut col = 0u16;
    for (i, key) in field.options().iter().enumerate() {
        let label = option_label(field, key, app.lang);
        let chosen = field.choice == Some(i);
        let text = if chosen {
            format!("[{label}]")
        } else {
            format!(" {label} ")
        };
        if chosen {
            cursor_col = col + 1;
        }
        col += crate::display::width(&text) as u16 + 1;
        let style = if chosen {
            app.theme.selected()
        } else {
            Style::new()
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw(" "));
    }
    if field.choice.is_none() && focused {
        cursor_col = 1;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    Position::new(
        area.x + cursor_col.min(area.width.saturating_sub(1)),
        area.y,
    )
}

/// How an option of a choice or yes/no field is written.
pub fn option_label(field: &FieldState, key: &str, lang: Lang) -> String {
    match field.spec.ty {
        FieldType::Choice(set) => choice_label(set, key, lang).to_string(),
        FieldType::Bool => yes_no(key == "true", lang).to_string(),
        _ => key.to_string(),
    }
}

/// Every visible field's row, each followed by its message (or, when focused and clean,
/// a hint on what it takes).
fn rows(form: &Form, lang: Lang, width: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    for index in form.visible() {
        let field = &form.fields[index];
        rows.push(Row::Field(index));
        // The message's paragraphs, whether it is an error, and how many lines it may take.
        let message = match (&field.error, &field.warning) {
            (Some(problem), _) => Some((vec![t::field_error(lang, &problem.localize(lang))], true)),
            (None, Some(problem)) => {
                Some((vec![t::field_warning(lang, &problem.localize(lang))], false))
            }
            (None, None) if index == form.focus => {
                t::field_hint(lang, field.spec.ty, field.spec.key).map(|hint| {
                    let mut paragraphs = vec![hint];
                    paragraphs.extend(
                        form.upgrade_candidates
                            .iter()
                            .map(|r| t::upgrade_candidate(lang, r)),
                    );
                    (paragraphs, false)
                })
            }
            (None, None) => None,
        };
        if let Some((paragraphs, error)) = message {
            let most = MESSAGE_LINES + paragraphs.len() - 1;
            let mut lines: Vec<String> = paragraphs
                .iter()
                .flat_map(|p| widgets::wrap(p, width))
                .collect();
            if lines.len() > most {
                lines.truncate(most);
                if let Some(last) = lines.last_mut() {
                    *last = crate::display::truncate(&format!("{last}~~"), width).into_owned();
                }
            }
            for text in lines {
                rows.push(Row::Message {
                    field: index,
                    text,
                    error,
                });
            }
        }
    }
    rows
}

/// The first row shown: from the top unless the focused field and its message would fall
/// below the window, then just enough to show them.
fn scroll_offset(rows: &[Row], focus: usize, height: usize) -> usize {
    let last = rows
        .iter()
        .rposition(|r| match r {
            Row::Field(i) => *i == focus,
            Row::Message { field, .. } => *field == focus,
        })
        .unwrap_or(0);
    (last + 1).saturating_sub(height.max(1))
}
