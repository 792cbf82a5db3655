//! Drawing: a pure function of `&App`. The frame is a header, the tab bar (or the title of
//! the view on top), the body, a message line and a hint bar from the key table.

pub mod awards;
pub mod city;
pub mod dashboard;
pub mod detail;
pub mod dialogs;
pub mod form;
pub mod help;
pub mod import;
pub mod outlook;
pub mod pool;
pub mod records;
pub mod setup;
pub mod sheet_import;
pub mod sync;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Modal, Tab, View};
use super::keys::{self, Ctx};
use super::widgets;
use crate::display;
use crate::i18n::tui as t;

/// The smallest window the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// The regions every screen shares.
pub struct Chrome {
    pub header: Rect,
    pub title: Rect,
    pub body: Rect,
    pub note: Rect,
    pub hints: Rect,
}

impl Chrome {
    pub fn of(area: Rect) -> Chrome {
        let row = |y: u16| Rect::new(area.x, area.y + y, area.width, 1);
        Chrome {
            header: row(0),
            title: row(1),
            body: Rect::new(
                area.x,
                area.y + 2,
                area.width,
                area.height.saturating_sub(4),
            ),
            note: row(area.height.saturating_sub(2)),
            hints: row(area.height.saturating_sub(1)),
        }
    }

    /// Draws a screen's title on the line under the header.
    pub fn draw_title(&self, frame: &mut Frame, app: &App, title: &str) {
        frame.render_widget(
            Paragraph::new(widgets::text_line(
                &format!(" {title}"),
                self.title.width,
                app.theme.title(),
            )),
            self.title,
        );
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &App) {
    draw_screen(frame, app);
    if app.theme.ascii {
        widgets::ascii_only(frame.buffer_mut());
    }
}

fn draw_screen(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, app, area);
        return;
    }
    let chrome = Chrome::of(area);
    draw_header(frame, app, chrome.header);
    if app.setup.is_some() && app.stack.is_empty() {
        setup::draw(frame, app, &chrome);
    } else {
        match app.stack.last() {
            Some(View::Help(help)) => help::draw(frame, app, help, &chrome),
            Some(View::Form(form)) => form::draw(frame, app, form, &chrome),
            Some(View::Detail(detail)) => detail::draw(frame, app, detail, &chrome),
            Some(View::Sync(screen)) => sync::draw(frame, app, screen, &chrome),
            Some(View::UnitRecords(records)) => {
                city::draw_unit_records(frame, app, records, &chrome)
            }
            Some(View::Import(screen)) => import::draw(frame, app, screen, &chrome),
            Some(View::SheetImport(screen)) => sheet_import::draw(frame, app, screen, &chrome),
            Some(View::Awards(screen)) => awards::draw(frame, app, screen, &chrome),
            Some(View::Worklist(screen)) => outlook::draw_worklist(frame, app, screen, &chrome),
            Some(View::Firm(screen)) => outlook::draw_firm(frame, app, screen, &chrome),
            Some(View::Trend(screen)) => outlook::draw_trend(frame, app, screen, &chrome),
            Some(View::Pool(screen)) => pool::draw(frame, app, screen, &chrome),
            None if app.city.is_some() => {
                if let Some(view) = &app.city {
                    city::draw(frame, app, view, &chrome);
                }
            }
            None => {
                draw_tabs(frame, app, chrome.title);
                match app.tab {
                    Tab::Dashboard => dashboard::draw(frame, app, &chrome),
                    Tab::Kind(kind) => records::draw(frame, app, kind, &chrome),
                }
            }
        }
    }
    match &app.modal {
        Some(Modal::DraftOffer(draft)) => dialogs::draft_offer(frame, app, draft, area),
        Some(Modal::ConfirmDiscardDraft(_)) => dialogs::confirm_discard_draft(frame, app, area),
        Some(Modal::PickKind { selected }) => dialogs::pick_kind(frame, app, *selected, area),
        None => {}
    }
    draw_note(frame, app, chrome.note);
    draw_hints(frame, app, app.context(), chrome.hints);
}

fn draw_too_small(frame: &mut Frame, app: &App, area: Rect) {
    let text = t::please_enlarge(app.lang, area.width, area.height);
    let lines: Vec<Line> = widgets::wrap(&text, area.width.max(1) as usize)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, app.theme.heading())))
        .collect();
    let height = (lines.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(height) / 2;
    frame.render_widget(
        Paragraph::new(lines),
        Rect::new(area.x, y, area.width, height),
    );
}

fn draw_header(frame: &mut Frame, app: &App, area: Rect) {
    let unit = app
        .ledger
        .as_ref()
        .map(|l| t::unit_name(app.lang, &app.plan, l.unit()))
        .unwrap_or_default();
    let left = t::header(app.lang, &unit);
    let ctx = app.context();
    let right = t::header_right(
        app.lang,
        keys::keys_for(ctx, keys::Action::Help).as_deref(),
        keys::keys_for(ctx, keys::Action::ToggleLang).as_deref(),
    );
    let width = area.width as usize;
    let right_w = display::width(&right);
    let left = widgets::padded(&format!(" {left}"), width.saturating_sub(right_w + 1));
    let line = format!("{left}{right} ");
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(line, app.theme.selected()))),
        area,
    );
}

fn draw_tabs(frame: &mut Frame, app: &App, area: Rect) {
    let mut spans = Vec::new();
    for (i, tab) in Tab::all().into_iter().enumerate() {
        let label = format!("{i} {}", t::tab_label(app.lang, tab));
        if tab == app.tab {
            spans.push(Span::styled(format!("[{label}]"), app.theme.selected()));
        } else {
            spans.push(Span::raw(format!(" {label} ")));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_note(frame: &mut Frame, app: &App, area: Rect) {
    let Some(note) = &app.note else {
        if let Some(found) = &app.not_utf8 {
            let text = t::not_utf8(app.lang, found);
            frame.render_widget(
                Paragraph::new(widgets::text_line(
                    &format!(" {text}"),
                    area.width,
                    app.theme.error(),
                )),
                area,
            );
        }
        return;
    };
    let style = if note.is_problem() {
        app.theme.error()
    } else {
        app.theme.good()
    };
    let text = t::note(app.lang, note);
    if display::width(&text) < area.width as usize || area.y < 3 {
        frame.render_widget(
            Paragraph::new(widgets::text_line(&format!(" {text}"), area.width, style)),
            area,
        );
        return;
    }
    // Too long for the line: a box over the bottom of the screen holds all of it, its
    // lower border on the message line, until the next key.
    let lines = widgets::wrap(&crate::display::safe(&text), area.width as usize - 4);
    let height = (lines.len() as u16 + 2).min(NOTE_BOX_MAX).min(area.y + 1);
    let rect = Rect::new(area.x, area.y + 1 - height, area.width, height);
    let inner = widgets::popup(frame, &app.theme, rect, &t::note_box_title(app.lang));
    let shown = lines
        .into_iter()
        .map(|l| Line::from(Span::styled(format!(" {l}"), style)))
        .collect();
    widgets::lines(frame, inner, shown);
}

/// The tallest box a long message opens, borders included.
const NOTE_BOX_MAX: u16 = 8;

/// The hint bar: the key table's hinted bindings for the context, as many as fit.
fn draw_hints(frame: &mut Frame, app: &App, ctx: Ctx, area: Rect) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    let width = area.width as usize;
    for b in keys::bindings_for(ctx).into_iter().filter(|b| b.hint) {
        let key = keys::first_key_label(b);
        let label = t::action_short(app.lang, b.action);
        let piece_w = display::width(&key) + 1 + display::width(&label) + 2;
        if used + piece_w > width {
            break;
        }
        used += piece_w;
        spans.push(Span::styled(format!(" {key}"), app.theme.heading()));
        spans.push(Span::raw(format!(" {label} ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A body line: a label column and a value.
pub fn label_value(
    label: &str,
    label_cols: usize,
    value: &str,
    width: u16,
    style: Style,
) -> Line<'static> {
    let label = widgets::padded(label, label_cols);
    let value = widgets::cell(value, (width as usize).saturating_sub(label_cols + 1));
    Line::from(vec![
        Span::styled(label, Style::new()),
        Span::raw(" "),
        Span::styled(value, style),
    ])
}
