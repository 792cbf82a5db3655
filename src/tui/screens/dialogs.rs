//! Questions over the whole screen: the draft found at start, whether to throw it away, and
//! which kind of record to add.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::domain::RecordKind;
use crate::i18n::labels::kind_label;
use crate::i18n::tui as t;
use crate::store::drafts::Draft;
use crate::tui::app::App;
use crate::tui::widgets;

pub fn draft_offer(frame: &mut Frame, app: &App, draft: &Draft, area: Rect) {
    let lang = app.lang;
    let name = draft
        .values
        .get(draft.kind.name_field())
        .map_or("", String::as_str);
    let text = t::draft_offer(
        lang,
        kind_label(draft.kind, lang),
        name,
        draft.saved_at,
        draft.record_id.is_some(),
    );
    let wrapped = widgets::wrap(&text, 60);
    let area = widgets::centered(area, 64, wrapped.len() as u16 + 2);
    let inner = widgets::popup(frame, &app.theme, area, &t::draft_offer_title(lang));
    widgets::lines(frame, inner, wrapped.into_iter().map(Line::from).collect());
}

pub fn confirm_discard_draft(frame: &mut Frame, app: &App, area: Rect) {
    let wrapped = widgets::wrap(&t::discard_draft_question(app.lang), 56);
    let area = widgets::centered(area, 60, wrapped.len() as u16 + 2);
    let inner = widgets::popup(frame, &app.theme, area, &t::discard_draft_title(app.lang));
    widgets::lines(frame, inner, wrapped.into_iter().map(Line::from).collect());
}

pub fn pick_kind(frame: &mut Frame, app: &App, selected: usize, area: Rect) {
    let lang = app.lang;
    let area = widgets::centered(area, 40, RecordKind::ALL.len() as u16 + 2);
    let inner = widgets::popup(frame, &app.theme, area, &t::pick_kind_title(lang));
    let lines = RecordKind::ALL
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let text = format!(" {} {}", i + 1, kind_label(*kind, lang));
            let style = if i == selected {
                app.theme.selected()
            } else {
                Style::new()
            };
            Line::from(Span::styled(
                widgets::padded(&text, inner.width as usize),
                style,
            ))
        })
        .collect();
    widgets::lines(frame, inner, lines);
}
