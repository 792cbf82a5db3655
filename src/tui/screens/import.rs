//! Importing bundles at the city: the question asking for a file or folder, then what the
//! import would do per record (a dry run), then what it did, refusals in plain words.

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Chrome;
use crate::bundle::import::PlannedAction;
use crate::i18n::{messages, tui as t};
use crate::store::ImportAction;
use crate::tui::app::App;
use crate::tui::state::import::{
    ImportScreen, ImportStage, ImportedResult, PlannedBundle, PlannedFile,
};
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

/// Per file: its unit and sequence and what importing it would come to (the totals, the
/// records retired, the award events), then each record it adds, changes, voids or refuses
/// (with the fields a change touches); records it leaves as they are only counted. Or why
/// the whole file is refused.
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
                lines.extend(outcome_lines(app, bundle, width));
                for a in &bundle.actions {
                    lines.extend(action_lines(app, a, width));
                }
                let unchanged = bundle.summary.counts.unchanged;
                if unchanged > 0 {
                    lines.extend(wrapped(
                        &format!("   {}", t::unchanged_folded(lang, unchanged)),
                        width,
                        app.theme.muted(),
                    ));
                }
                if bundle.unlisted > 0 {
                    lines.extend(wrapped(
                        &format!("   {}", t::more_records(lang, bundle.unlisted)),
                        width,
                        app.theme.muted(),
                    ));
                }
            }
        }
        lines.push(Line::from(""));
    }
    lines
}

/// What importing one bundle comes to: its totals, the records it retires and the award
/// events it carries.
fn outcome_lines(app: &App, bundle: &PlannedBundle, width: usize) -> Vec<Line<'static>> {
    let lang = app.lang;
    let mut lines = wrapped(
        &format!("  {}", messages::dry_run_summary(lang, &bundle.summary)),
        width,
        Style::new(),
    );
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
    let (now, after) = (bundle.summary.pool_now, bundle.summary.pool_after);
    if !now.is_empty() || !after.is_empty() {
        lines.extend(wrapped(
            &format!(
                "  {}",
                crate::i18n::pool::dry_run_entries(lang, &bundle.unit, now, after)
            ),
            width,
            Style::new(),
        ));
    }
    lines
}

/// One record's fate, and under it the fields a change touches or why it is refused.
fn action_lines(app: &App, a: &PlannedAction, width: usize) -> Vec<Line<'static>> {
    let lang = app.lang;
    let style = match a.action {
        ImportAction::New | ImportAction::Changed => app.theme.good(),
        ImportAction::Unchanged => app.theme.muted(),
        ImportAction::Voided => app.theme.warning(),
        ImportAction::Refused(_) => app.theme.error(),
    };
    let label = widgets::padded(&t::import_action(lang, &a.action), ACTION_COLS);
    let name_cols = width.saturating_sub(ACTION_COLS + 4);
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("   {label}"), style),
        Span::raw(format!(" {}", widgets::cell(&a.name, name_cols))),
    ])];
    let (under, under_style) = if let Some(why) = t::import_refusal(lang, &a.action) {
        (why, app.theme.error())
    } else if !a.changed_fields.is_empty() {
        (
            messages::changed_fields(lang, &a.changed_fields),
            app.theme.muted(),
        )
    } else {
        return lines;
    };
    for part in widgets::wrap(&under, width.saturating_sub(ACTION_COLS + 5)) {
        lines.push(Line::from(Span::styled(
            format!("   {} {part}", " ".repeat(ACTION_COLS)),
            under_style,
        )));
    }
    lines
}
