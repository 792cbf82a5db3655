//! The first-run screen: which of the plan's units this ledger belongs to, then a question
//! before the ledger file is made.

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Chrome;
use crate::i18n::tui as t;
use crate::tui::app::App;
use crate::tui::widgets;

pub fn draw(frame: &mut Frame, app: &App, chrome: &Chrome) {
    let lang = app.lang;
    let Some(setup) = app.setup else {
        return;
    };
    chrome.draw_title(frame, app, &t::setup_title(lang));
    let block = app.theme.block();
    let inner = block.inner(chrome.body);
    frame.render_widget(block, chrome.body);
    let mut lines: Vec<Line> = widgets::wrap(&t::setup_intro(lang), inner.width as usize - 2)
        .into_iter()
        .map(|l| Line::from(format!(" {l}")))
        .collect();
    lines.push(Line::from(""));
    for (i, unit) in app.plan.units.iter().enumerate() {
        let chosen = i == setup.selected;
        let name = t::area_name(lang, unit);
        let text = format!(
            "{} {} {}",
            if chosen { ">" } else { " " },
            widgets::padded(&unit.code, 8),
            widgets::cell(&name, inner.width as usize - 16)
        );
        let style = if chosen {
            app.theme.selected()
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(format!("  {text}"), style)));
    }
    lines.push(Line::from(""));
    if let Some(path) = &app.db_path {
        let path = t::setup_path(lang, &crate::display::path(path));
        for l in widgets::wrap(&path, inner.width as usize - 2) {
            lines.push(Line::from(Span::styled(format!(" {l}"), app.theme.muted())));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if setup.confirming
        && let Some(unit) = app.plan.units.get(setup.selected)
    {
        let text = t::setup_confirm(lang, &t::area_name(lang, unit), &unit.code);
        let wrapped = widgets::wrap(&text, 56);
        let area = widgets::centered(chrome.body, 60, wrapped.len() as u16 + 2);
        let inner = widgets::popup(frame, &app.theme, area, &t::setup_confirm_title(lang));
        widgets::lines(frame, inner, wrapped.into_iter().map(Line::from).collect());
    }
}
