//! The unit's sync screen: this unit's key fingerprint, last bundle and what the city holds,
//! the folder used; the outcome of the last export, receipt import or workbook written in
//! plain words; and the question asking which folder or file.

use std::path::Path;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Chrome, label_value};
use crate::i18n::{Lang, messages, tui as t};
use crate::tui::app::App;
use crate::tui::state::sync::{SyncOutcome, SyncPrompt, SyncScreen};
use crate::tui::widgets;

/// Columns for the labels of the unit box.
const LABEL_COLS: usize = 16;

pub fn draw(frame: &mut Frame, app: &App, screen: &SyncScreen, chrome: &Chrome) {
    let lang = app.lang;
    chrome.draw_title(frame, app, &t::sync_title(lang));
    let body = chrome.body;
    let unit_box = Rect::new(body.x, body.y, body.width, 7);
    let block = app.theme.block().title(Span::styled(
        format!(" {} ", t::sync_unit_box(lang)),
        app.theme.title(),
    ));
    let inner = block.inner(unit_box);
    frame.render_widget(block, unit_box);
    let w = inner.width;
    let row = |label: String, value: String, style: Style| {
        label_value(&format!(" {label}"), LABEL_COLS, &value, w, style)
    };
    let file = screen
        .last_export
        .as_ref()
        .map(|e| e.file_name.clone())
        .unwrap_or_default();
    let lines = vec![
        row(
            t::fingerprint_label(lang),
            t::fingerprint_value(lang, screen.fingerprint.as_deref()),
            app.theme.heading(),
        ),
        row(
            t::last_export_label(lang),
            t::last_export_value(lang, screen.last_export.as_ref()),
            Style::new(),
        ),
        row(String::new(), file, app.theme.muted()),
        row(
            t::city_holds_label(lang),
            t::city_holds_value(lang, screen.last_receipt.as_ref()),
            Style::new(),
        ),
        row(t::folder_label(lang), screen.folder.clone(), Style::new()),
    ];
    frame.render_widget(Paragraph::new(lines), inner);

    let outcome_box = Rect::new(
        body.x,
        body.y + unit_box.height,
        body.width,
        body.height.saturating_sub(unit_box.height),
    );
    let block = app.theme.block().title(Span::styled(
        format!(" {} ", t::sync_outcome_box(lang)),
        app.theme.title(),
    ));
    let inner = block.inner(outcome_box);
    frame.render_widget(block, outcome_box);
    let lines = outcome_lines(app, screen.outcome.as_ref(), inner.width as usize);
    frame.render_widget(
        Paragraph::new(
            lines
                .into_iter()
                .take(inner.height as usize)
                .collect::<Vec<_>>(),
        ),
        inner,
    );

    if let Some(prompt) = &screen.prompt {
        draw_prompt(frame, app, prompt, body);
    }
}

/// Wrapped lines of text in a style, each indented by one column.
fn wrapped(text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    widgets::wrap(&crate::display::safe(text), width.saturating_sub(2))
        .into_iter()
        .map(|l| Line::from(Span::styled(format!(" {l}"), style)))
        .collect()
}

fn outcome_lines(app: &App, outcome: Option<&SyncOutcome>, width: usize) -> Vec<Line<'static>> {
    let lang = app.lang;
    let w = width as u16;
    let row = |label: String, value: String| {
        label_value(&format!(" {label}"), LABEL_COLS, &value, w, Style::new())
    };
    match outcome {
        None => wrapped(&t::sync_explained(lang), width, app.theme.muted()),
        Some(SyncOutcome::Exported(done)) => {
            let mut lines = wrapped(&t::exported_heading(lang), width, app.theme.good());
            lines.extend(file_rows(lang, &done.path, width));
            lines.push(row(t::sequence_label(lang), done.sequence.to_string()));
            lines.push(row(t::record_count_label(lang), done.records.to_string()));
            lines.push(row(t::fingerprint_label(lang), done.fingerprint.clone()));
            lines
        }
        Some(SyncOutcome::ExportFailed(reason)) => {
            let mut lines = wrapped(&t::export_failed_heading(lang), width, app.theme.error());
            lines.extend(wrapped(reason.get(lang), width, Style::new()));
            lines
        }
        Some(SyncOutcome::ReportWritten(path)) => {
            let mut lines = wrapped(&t::report_written_heading(lang), width, app.theme.good());
            lines.extend(file_rows(lang, path, width));
            lines
        }
        Some(SyncOutcome::ReportFailed(reason)) => {
            let mut lines = wrapped(&t::report_failed_heading(lang), width, app.theme.error());
            lines.extend(wrapped(reason.get(lang), width, Style::new()));
            lines
        }
        Some(SyncOutcome::ReceiptFailed(reason)) => {
            let mut lines = wrapped(&t::receipt_failed_heading(lang), width, app.theme.error());
            lines.extend(wrapped(reason.get(lang), width, Style::new()));
            lines
        }
        Some(SyncOutcome::Receipts(reads)) => reads
            .iter()
            .flat_map(|read| match &read.result {
                Ok(entry) => wrapped(
                    &messages::receipt_imported(lang, entry),
                    width,
                    app.theme.good(),
                ),
                Err(reason) => wrapped(
                    &messages::import_refused(lang, &read.file, reason.get(lang)),
                    width,
                    app.theme.error(),
                ),
            })
            .collect(),
    }
}

/// The file written, labelled, its path wrapped beside the label.
fn file_rows(lang: Lang, path: &Path, width: usize) -> Vec<Line<'static>> {
    let path = crate::display::path(path);
    widgets::wrap(&path, width.saturating_sub(LABEL_COLS + 2))
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let label = if i == 0 {
                t::file_label(lang)
            } else {
                String::new()
            };
            label_value(
                &format!(" {label}"),
                LABEL_COLS,
                &part,
                width as u16,
                Style::new(),
            )
        })
        .collect()
}

/// The question asking which folder or file, over `body` (also the city view's question
/// where to write its workbook).
pub(crate) fn draw_prompt(frame: &mut Frame, app: &App, prompt: &SyncPrompt, body: Rect) {
    let lang: Lang = app.lang;
    let (title, question) = match prompt {
        SyncPrompt::ExportTo(_) => (t::export_prompt_title(lang), t::export_prompt(lang)),
        SyncPrompt::ReceiptFrom(_) => (t::receipt_prompt_title(lang), t::receipt_prompt(lang)),
        SyncPrompt::ReportTo(_) => (t::report_prompt_title(lang), t::report_prompt(lang)),
    };
    let hint = app.offered.then(|| t::offered_hint(app.lang));
    widgets::path_question(
        frame,
        &app.theme,
        body,
        &title,
        &question,
        prompt.input(),
        hint.as_deref(),
    );
}
