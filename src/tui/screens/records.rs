//! A records list: the search line, then a table of one page of records (name, credit code,
//! key date, status), aligned by display width so Chinese names line up.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Chrome;
use crate::domain::validate::record_warnings;
use crate::domain::{RecordKind, RecordStatus};
use crate::i18n::labels::{field_label, status_label};
use crate::i18n::tui as t;
use crate::tui::app::App;
use crate::tui::state::list::RecordList;
use crate::tui::widgets::{self, text_field};

/// Rows above and below the records: header, tabs, search line, table border and column
/// heading, table border, message line, hint bar.
const CHROME_ROWS: u16 = 8;

/// How many records a page shows in a window `height` rows high.
pub fn list_rows(height: u16) -> usize {
    height.saturating_sub(CHROME_ROWS).max(1) as usize
}

const CODE_COLS: usize = 18;
const DATE_COLS: usize = 10;
const STATUS_COLS: usize = 6;

pub fn draw(frame: &mut Frame, app: &App, kind: RecordKind, chrome: &Chrome) {
    draw_list(
        frame,
        app,
        app.list(kind),
        &t::kind_title(app.lang, kind),
        chrome,
    );
}

/// A list of records of one kind titled `title`: the search line, then the page.
pub fn draw_list(frame: &mut Frame, app: &App, list: &RecordList, title: &str, chrome: &Chrome) {
    let kind = list.kind;
    let body = chrome.body;
    draw_search(frame, app, list, Rect::new(body.x, body.y, body.width, 1));
    let table = Rect::new(
        body.x,
        body.y + 1,
        body.width,
        body.height.saturating_sub(1),
    );
    let range = t::list_range(app.lang, list.first_index(), list.page.len(), list.total);
    let block = app.theme.block().title(Span::styled(
        format!(
            " {} ",
            widgets::cell(title, body.width.saturating_sub(4) as usize)
        ),
        app.theme.title(),
    ));
    let block = block.title_bottom(Line::from(format!(" {range} ")).right_aligned());
    let inner = block.inner(table);
    frame.render_widget(block, table);
    let width = inner.width as usize;
    let name_cols = width.saturating_sub(2 + CODE_COLS + DATE_COLS + STATUS_COLS + 3);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "  {} {} {} {}",
            widgets::padded(field_label(kind.name_field(), app.lang), name_cols),
            widgets::padded(field_label(kind.credit_code_field(), app.lang), CODE_COLS),
            widgets::padded(&t::date_column(app.lang, kind), DATE_COLS),
            widgets::padded(field_label("status", app.lang), STATUS_COLS),
        ),
        app.theme.heading(),
    ))];
    if list.page.is_empty() {
        let empty = if !list.search.value().trim().is_empty() {
            t::no_match(app.lang, list.search.value())
        } else if list.unit.is_some() {
            t::unit_list_empty(app.lang, list.include_voided)
        } else {
            t::list_empty(app.lang, list.include_voided)
        };
        lines.push(Line::from(Span::styled(
            format!("  {}", widgets::cell(&empty, width.saturating_sub(2))),
            app.theme.muted(),
        )));
    }
    for (i, record) in list.page.iter().enumerate() {
        let selected = i == list.selected && !list.searching;
        let field = |key: &str| record.fields.get(key).map(String::as_str).unwrap_or("");
        let warned =
            record.status == RecordStatus::Active && !record_warnings(record, app.today).is_empty();
        let text = format!(
            "{}{}{} {} {} {}",
            if selected { ">" } else { " " },
            if warned { "!" } else { " " },
            widgets::padded(record.name(), name_cols),
            widgets::padded(field(kind.credit_code_field()), CODE_COLS),
            widgets::padded(field(kind.key_date_field()), DATE_COLS),
            widgets::padded(status_label(record.status, app.lang), STATUS_COLS),
        );
        let style = match (selected, record.status) {
            (true, _) => app.theme.selected(),
            (false, RecordStatus::Voided) => app.theme.muted(),
            (false, RecordStatus::Active) => ratatui::style::Style::new(),
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn draw_search(frame: &mut Frame, app: &App, list: &RecordList, area: Rect) {
    let label = t::search_label(app.lang);
    let label_w = crate::display::width(&label) as u16 + 2;
    let voided = t::voided_toggle(app.lang, list.include_voided);
    let voided_w = crate::display::width(&voided) as u16 + 1;
    let label_style = if list.searching {
        app.theme.heading()
    } else {
        ratatui::style::Style::new()
    };
    frame.render_widget(
        Paragraph::new(Span::styled(format!(" {label} "), label_style)),
        Rect::new(area.x, area.y, label_w, 1),
    );
    let field_w = area.width.saturating_sub(label_w + voided_w + 1);
    let field = Rect::new(area.x + label_w, area.y, field_w, 1);
    if list.search.value().is_empty() && !list.searching {
        frame.render_widget(
            Paragraph::new(Span::styled(
                widgets::cell(&t::search_placeholder(app.lang), field_w as usize),
                app.theme.muted(),
            )),
            field,
        );
    } else {
        let cursor = text_field::render(&list.search, field, frame.buffer_mut(), app.theme.input());
        if list.searching && app.modal.is_none() {
            frame.set_cursor_position(cursor);
        }
    }
    frame.render_widget(
        Paragraph::new(Span::raw(voided)),
        Rect::new(area.x + area.width - voided_w, area.y, voided_w, 1),
    );
}
