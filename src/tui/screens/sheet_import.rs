//! Taking in a sheet the unit already keeps: the question asking for a file or folder, the
//! folder's sheets and the kinds to pick from, each row's verdict in the dry run (worded as
//! on the command line), then what the import did and where the rows to fix went.

use std::path::Path;

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Chrome;
use super::import::wrapped;
use crate::domain::RecordKind;
use crate::i18n::labels::kind_label;
use crate::i18n::sheet::import as words;
use crate::i18n::tui as t;
use crate::sheet::import::{RowVerdict, SheetImportPreview, SheetRow};
use crate::tui::app::App;
use crate::tui::state::sheet_import::{SheetImportScreen, SheetImportStage};
use crate::tui::widgets;

pub fn draw(frame: &mut Frame, app: &App, screen: &SheetImportScreen, chrome: &Chrome) {
    let lang = app.lang;
    chrome.draw_title(frame, app, &t::sheet_import_title(lang));
    let block = app.theme.block();
    let inner = block.inner(chrome.body);
    frame.render_widget(block, chrome.body);
    let width = inner.width as usize;
    let (head, lines, foot) = match &screen.stage {
        SheetImportStage::Path(_) => (
            Vec::new(),
            wrapped(&t::sheet_prompt(lang), width, Style::new()),
            Vec::new(),
        ),
        SheetImportStage::PickFile { files, selected } => {
            let folder = files
                .first()
                .and_then(|f| f.parent())
                .unwrap_or(Path::new("."));
            let names = files.iter().map(|f| {
                f.file_name()
                    .map_or_else(|| f.display().to_string(), |n| n.to_string_lossy().into())
            });
            (
                wrapped(
                    &t::pick_file_heading(lang, folder),
                    width,
                    app.theme.heading(),
                ),
                choices(app, names, *selected, width),
                Vec::new(),
            )
        }
        SheetImportStage::PickKind { file, selected } => {
            let kinds = RecordKind::ALL
                .iter()
                .map(|k| kind_label(*k, lang).to_string());
            (
                wrapped(
                    &t::pick_kind_heading(lang, file),
                    width,
                    app.theme.heading(),
                ),
                choices(app, kinds, *selected, width),
                Vec::new(),
            )
        }
        SheetImportStage::Review(preview) => {
            let new = preview.counts.new;
            let foot = if new > 0 {
                t::confirm_import(lang, new)
            } else {
                t::nothing_to_import(lang)
            };
            (
                summary_head(app, preview, width),
                findings(app, preview, width, false),
                wrapped(&foot, width, app.theme.heading()),
            )
        }
        SheetImportStage::Done { preview, done } => {
            let mut head = if done.inserted > 0 {
                wrapped(
                    &words::imported(done.inserted, lang),
                    width,
                    app.theme.good(),
                )
            } else {
                wrapped(
                    &words::nothing_new(&preview.counts, lang),
                    width,
                    Style::new(),
                )
            };
            if let Some(file) = &done.rejected_file {
                head.extend(wrapped(
                    &t::rejected_to_fix(lang, done.rejected_rows, file),
                    width,
                    app.theme.warning(),
                ));
            }
            (head, findings(app, preview, width, true), Vec::new())
        }
        SheetImportStage::Refused { file, reason } => (
            wrapped(
                &t::sheet_refused(lang, file, reason.get(lang)),
                width,
                app.theme.error(),
            ),
            Vec::new(),
            Vec::new(),
        ),
    };
    widgets::head_body_foot(frame, inner, head, lines, foot, screen.scroll);
    if let SheetImportStage::Path(input) = &screen.stage {
        widgets::path_question(
            frame,
            &app.theme,
            chrome.body,
            &t::sheet_import_title(lang),
            &t::sheet_prompt(lang),
            input,
            app.offered.then(|| t::offered_hint(app.lang)).as_deref(),
        );
    }
}

/// A numbered list of choices, the selected one highlighted.
fn choices(
    app: &App,
    items: impl Iterator<Item = String>,
    selected: usize,
    width: usize,
) -> Vec<Line<'static>> {
    items
        .enumerate()
        .map(|(i, item)| {
            let text = format!("  {} {}", i + 1, crate::display::safe(&item));
            let style = if i == selected {
                app.theme.selected()
            } else {
                Style::new()
            };
            Line::from(Span::styled(widgets::padded(&text, width), style))
        })
        .collect()
}

/// What is read and how it came out: the sheet, header row and kind, then the counts.
fn summary_head(app: &App, preview: &SheetImportPreview, width: usize) -> Vec<Line<'static>> {
    let lang = app.lang;
    let mut head = wrapped(&words::reading(preview, lang), width, Style::new());
    head.extend(wrapped(
        &words::summary(&preview.counts, lang),
        width,
        app.theme.heading(),
    ));
    head
}

/// The rows to fix first (each with its reasons), then the columns read and not read, then
/// the other rows' verdicts and the rows skipped; after the import only the rows to fix.
fn findings(
    app: &App,
    preview: &SheetImportPreview,
    width: usize,
    rejected_only: bool,
) -> Vec<Line<'static>> {
    let lang = app.lang;
    let mut lines = Vec::new();
    let (rejected, taken): (Vec<_>, Vec<_>) =
        preview.rows.iter().partition(|r| r.verdict.is_rejected());
    for row in rejected {
        lines.extend(row_lines(app, row, width));
    }
    if rejected_only {
        return lines;
    }
    let (read, ignored): (Vec<_>, Vec<_>) = preview
        .columns
        .iter()
        .partition(|c| c.usage.field().is_some());
    lines.extend(wrapped(
        &words::columns_read_title(lang),
        width,
        app.theme.heading(),
    ));
    for column in read {
        let line = words::column_line(column, preview.kind, lang);
        lines.extend(indented(&line, 2, width, Style::new()));
    }
    if !ignored.is_empty() {
        let title = words::columns_ignored_title(lang);
        lines.extend(wrapped(&title, width, app.theme.heading()));
        for column in ignored {
            let line = words::column_line(column, preview.kind, lang);
            lines.extend(indented(&line, 2, width, app.theme.muted()));
        }
    }
    lines.extend(wrapped(
        &words::rows_title(lang),
        width,
        app.theme.heading(),
    ));
    for row in taken {
        lines.extend(row_lines(app, row, width));
    }
    if let Some(skipped) = words::skipped_line(preview, lang) {
        lines.extend(wrapped(&skipped, width, app.theme.muted()));
    }
    lines
}

/// A row's verdict in its colour, its reasons and notes indented under it.
fn row_lines(app: &App, row: &SheetRow, width: usize) -> Vec<Line<'static>> {
    let style = match row.verdict {
        RowVerdict::New(_) => app.theme.good(),
        RowVerdict::InLedger(_) => app.theme.muted(),
        RowVerdict::RepeatsRow(_) => app.theme.warning(),
        RowVerdict::Invalid { .. } => app.theme.error(),
    };
    let mut lines = indented(&words::row_line(row, app.lang), 2, width, style);
    for detail in words::row_details(row, app.lang) {
        lines.extend(indented(&detail, 6, width, Style::new()));
    }
    lines
}

/// Text wrapped in the width left after `indent` columns, every line indented.
fn indented(text: &str, indent: usize, width: usize, style: Style) -> Vec<Line<'static>> {
    let pad = " ".repeat(indent);
    widgets::wrap(
        &crate::display::safe(text),
        width.saturating_sub(indent + 1),
    )
    .into_iter()
    .map(|l| Line::from(Span::styled(format!("{pad}{l}"), style)))
    .collect()
}
