//! The help screen: the key table, printed from the same table that handles the keys,
//! starting with the screen it was opened from.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Chrome;
use crate::i18n::tui as t;
use crate::tui::app::{App, HelpView};
use crate::tui::keys::{self, Ctx};
use crate::tui::widgets;

/// The sections of the help at a unit's ledger, in order after the one the clerk came from.
const SECTIONS: [Ctx; 18] = [
    Ctx::Dashboard,
    Ctx::Worklist,
    Ctx::Firm,
    Ctx::Trend,
    Ctx::List,
    Ctx::Search,
    Ctx::Detail,
    Ctx::FormText,
    Ctx::FormChoice,
    Ctx::Conflict,
    Ctx::Duplicate,
    Ctx::DraftOffer,
    Ctx::Sync,
    Ctx::SheetPick,
    Ctx::ImportReview,
    Ctx::ImportDone,
    Ctx::Awards,
    Ctx::AwardDetail,
];

/// The sections of the help at the city ledger.
const CITY_SECTIONS: [Ctx; 10] = [
    Ctx::City,
    Ctx::Trend,
    Ctx::Firm,
    Ctx::UnitRecords,
    Ctx::Search,
    Ctx::CityDetail,
    Ctx::ImportReview,
    Ctx::ImportDone,
    Ctx::CityAwards,
    Ctx::AwardDetail,
];

/// Columns for the keys.
const KEY_COLS: usize = 22;

pub fn lines(app: &App, help: &HelpView, width: usize) -> Vec<Line<'static>> {
    let lang = app.lang;
    let sections: &[Ctx] = if app.city.is_some() {
        &CITY_SECTIONS
    } else {
        &SECTIONS
    };
    let mut order = vec![help.context];
    order.extend(sections.iter().copied().filter(|c| *c != help.context));
    let mut lines: Vec<Line> = widgets::wrap(&t::help_intro(lang), width.saturating_sub(2))
        .into_iter()
        .map(|l| Line::from(format!(" {l}")))
        .collect();
    for (i, ctx) in order.into_iter().enumerate() {
        // The keys that work everywhere come right after the screen the clerk came from,
        // where they are seen without scrolling.
        if i == 1 {
            general_keys(app, width, &mut lines);
        }
        let bindings: Vec<_> = keys::bindings_for(ctx)
            .into_iter()
            .filter(|b| !keys::is_general(b.action))
            .collect();
        if bindings.is_empty() {
            continue;
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!(" {}", t::context_title(lang, ctx)),
            app.theme.heading(),
        )));
        for b in bindings {
            lines.push(Line::from(format!(
                "   {} {}",
                widgets::padded(&keys::keys_label(b), KEY_COLS),
                widgets::cell(
                    &t::action_long(lang, b.action),
                    width.saturating_sub(KEY_COLS + 4)
                )
            )));
        }
    }
    lines
}

/// The keys every screen shares (language, help, repaint).
fn general_keys(app: &App, width: usize, lines: &mut Vec<Line<'static>>) {
    let lang = app.lang;
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(" {}", t::general_keys_title(lang)),
        app.theme.heading(),
    )));
    // One line for all of them, each action with all its keys (`L/Ctrl+T`: L where letters
    // are commands), so that they fit on the first page after the longest screen's keys.
    let mut actions: Vec<keys::Action> = Vec::new();
    for b in keys::BINDINGS.iter().filter(|b| keys::is_general(b.action)) {
        if !actions.contains(&b.action) {
            actions.push(b.action);
        }
    }
    let mut parts: Vec<String> = Vec::new();
    for action in actions {
        let mut names: Vec<String> = Vec::new();
        for b in keys::BINDINGS.iter().filter(|b| b.action == action) {
            for key in b.keys {
                let name = keys::key_name(key);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        parts.push(format!(
            "{} {}",
            names.join("/"),
            t::action_short(lang, action)
        ));
    }
    lines.push(Line::from(widgets::cell(
        &format!("   {}", parts.join("   ")),
        width,
    )));
}

pub fn draw(frame: &mut Frame, app: &App, help: &HelpView, chrome: &Chrome) {
    chrome.draw_title(frame, app, &t::help_title(app.lang));
    let block = app.theme.block();
    let inner = block.inner(chrome.body);
    frame.render_widget(block, chrome.body);
    let all = lines(app, help, inner.width as usize);
    let visible = inner.height as usize;
    let skip = (help.scroll as usize).min(all.len().saturating_sub(visible));
    frame.render_widget(
        Paragraph::new(all.into_iter().skip(skip).take(visible).collect::<Vec<_>>()),
        inner,
    );
}
