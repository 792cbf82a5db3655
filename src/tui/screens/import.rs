//! Importing bundles at the city: the question asking for a file or folder, then what the
//! import would do per record (a dry run), then what it did, refusals in plain words.

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Chrome;
use crate::i18n::{messages, tui as t};
use crate::store::ImportAction;
use crate::tui::app::App;
use crate::tui::state::import::{ImportScreen, ImportStage, ImportedResult, PlannedFile};
use crate::tui::widgets;

/// Columns for a record's fate in the dry run.
const ACTION_COLS: usize = 8;

pub fn draw(frame: &mut Frame, app: &App, screen: &ImportScreen, chrome: &Chrome) {
    let lang = app.lang;
    let title = match screen.stage {
        ImportStage::Done(_) => t::done_title(lang),
        _ => t::import_title(lang),
    };
    chrome.draw_title(frame, app, &title);
    let block = app.theme.block();
    let inner = block.inner(chrome.body);
    frame.render_widget(block, chrome.body);
    let width = inner.width as usize;
    let (head, lines) = match &screen.stage {
        ImportStage::Path(_) => (
            Vec::new(),
            wrapped(&t::import_explained(lang), width, Style::new()),
        ),
        ImportStage::Review(files) => {
            let good = files
                .iter()
                .filter(|f| f.result.as_ref().is_ok_and(|b| !b.refused()))
                .count();
            (
                wrapped(
                    &t::review_summary(lang, files.len(), good),
                    width,
                    app.theme.heading(),
                ),
                review_lines(app, files, width),
            )
        }
        ImportStage::Done(files) => (
            Vec::new(),
            files
                .iter()
                .flat_map(|f| {
                    let (text, style) = match &f.result {
                        ImportedResult::Imported(report) => (
                            messages::import_done(lang, &f.file, report),
                            app.theme.good(),
                        ),
                        ImportedResult::AlreadyHeld { unit, sequence } => (
                            messages::import_already_held(lang, &f.file, unit, *sequence),
                            Style::new(),
                        ),
                        ImportedResult::Refused(reason) => (
                            messages::import_refused(lang, &f.file, reason.get(lang)),
                            app.theme.error(),
                        ),
                    };
                    wrapped(&text, width, style)
                })
                .collect(),
        ),
    };
    widgets::head_body_foot(frame, inner, head, lines, Vec::new(), screen.scroll);
    if let ImportStage::Path(input) = &screen.stage {
        widgets::path_question(
            frame,
            &app.theme,
            chrome.body,
            &t::import_prompt_title(lang),
            &t::import_prompt(lang),
            input,
            app.offered.then(|| t::offered_hint(app.lang)).as_deref(),
        );
    }
}

/// Wrapped lines of text in a style, each indented by one column; text from files is made
/// harmless first.
pub(super) fn wrapped(text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    widgets::wrap(&crate::display::safe(text), width.saturating_sub(2))
        .into_iter()
        .map(|l| Line::from(Span::styled(format!(" {l}"), style)))
        .collect()
}

/// Per file: its unit and sequence, then every record with what importing would do to it,
/// then the totals; or why the whole file is refused.
fn review_lines(app: &App, files: &[PlannedFile], width: usize) -> Vec<Line<'static>> {
    let lang = app.lang;
    let mut lines = Vec::new();
    for f in files {
        match &f.result {
            Err(reason) => lines.extend(wrapped(
                &t::review_refused_file(lang, &f.file, reason.get(lang)),
                width,
                app.theme.error(),
            )),
            Ok(bundle) => {
                let unit = t::unit_name(lang, &app.plan, &bundle.unit);
                lines.extend(wrapped(
                    &t::review_file(lang, &f.file, &unit, bundle.sequence),
                    width,
                    app.theme.heading(),
                ));
                for a in &bundle.actions {
                    let style = match a.action {
                        ImportAction::New | ImportAction::Changed => app.theme.good(),
                        ImportAction::Unchanged => app.theme.muted(),
                        ImportAction::Voided => app.theme.warning(),
                        ImportAction::Refused(_) => app.theme.error(),
                    };
                    let label = widgets::padded(&t::import_action(lang, &a.action), ACTION_COLS);
                    let name_cols = width.saturating_sub(ACTION_COLS + 4);
                    lines.push(Line::from(vec![
                        Span::styled(format!("   {label}"), style),
                        Span::raw(format!(" {}", widgets::cell(&a.name, name_cols))),
                    ]));
                    if let Some(why) = t::import_refusal(lang, &a.action) {
                        for part in widgets::wrap(&why, width.saturating_sub(ACTION_COLS + 5)) {
                            lines.push(Line::from(Span::styled(
                                format!("   {} {part}", " ".repeat(ACTION_COLS)),
                                app.theme.error(),
                            )));
                        }
                    }
                }
                if bundle.unlisted > 0 {
                    lines.extend(wrapped(
                        &format!("   {}", t::more_records(lang, bundle.unlisted)),
                        width,
                        app.theme.muted(),
                    ));
                }
                lines.extend(wrapped(
                    &format!("  {}", messages::dry_run_summary(lang, &bundle.summary)),
                    width,
                    Style::new(),
                ));
                if bundle.retiring > 0 {
                    lines.extend(wrapped(
                        &format!(
                            "  {}",
                            messages::dry_run_retiring(lang, &bundle.unit, bundle.retiring)
                        ),
                        width,
                        app.theme.warning(),
                    ));
                }
                if bundle.summary.award_events > 0 {
                    let n = bundle.summary.award_events;
                    lines.extend(wrapped(
                        &format!(
                            "  {}",
                            messages::dry_run_award_events(lang, &bundle.unit, n)
                        ),
                        width,
                        Style::new(),
                    ));
                }
            }
        }
        lines.push(Line::from(""));
    }
    lines
}
