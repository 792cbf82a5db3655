//! The unit's sync screen: writing the next bundle to a folder the clerk types (the USB
//! stick), reading the city's receipt back, and writing the printable ledger workbook
//! there. The folder a bundle or receipt went through is remembered in the ledger.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use tui_input::Input;

use super::{App, Bilingual, Note, View};
use crate::bundle::format::FileType;
use crate::bundle::import::files_of_type;
use crate::bundle::{export, receipt};
use crate::sheet::unit_report::{UnitReport, write_unit_report_into};
use crate::tui::keys::Action;
use crate::tui::progress::Bar;
use crate::tui::state::sync::{
    ReceiptRead, SYNC_FOLDER_META, SyncOutcome, SyncPrompt, SyncScreen, folder_of,
};

impl App {
    /// Opens the sync screen over the tabs.
    pub(crate) fn open_sync(&mut self) {
        let Some(ledger) = self.ledger.as_ref() else {
            return;
        };
        match SyncScreen::load(ledger) {
            Ok(mut screen) => {
                if let Some(folder) = &self.sync_folder {
                    screen.folder = folder.clone();
                }
                self.stack.push(View::Sync(Box::new(screen)));
            }
            Err(e) => self.note = Some(Note::Failed(Bilingual::of(&e))),
        }
    }

    pub(super) fn sync_action(&mut self, action: Action) {
        let Some(View::Sync(screen)) = self.stack.last_mut() else {
            return;
        };
        if let Some(prompt) = screen.prompt.take() {
            match action {
                Action::Yes => self.run_sync_prompt(prompt),
                Action::No => {}
                _ => screen.prompt = Some(prompt),
            }
            return;
        }
        match action {
            Action::Export => {
                screen.prompt = Some(SyncPrompt::ExportTo(Input::new(screen.folder.clone())));
            }
            Action::ImportReceipt => {
                screen.prompt = Some(SyncPrompt::ReceiptFrom(Input::new(screen.folder.clone())));
            }
            Action::WriteReport => {
                screen.prompt = Some(SyncPrompt::ReportTo(Input::new(screen.folder.clone())));
            }
            Action::ImportSheet => {
                let folder = screen.folder.clone();
                self.open_sheet_import(&folder);
            }
            Action::Back => {
                self.stack.pop();
            }
            _ => {}
        }
    }

    /// Exports or reads receipts from the path typed, and shows what came of it.
    fn run_sync_prompt(&mut self, prompt: SyncPrompt) {
        let (Some(View::Sync(screen)), Some(ledger)) =
            (self.stack.last_mut(), self.ledger.as_mut())
        else {
            return;
        };
        let typed = prompt.input().value().trim().to_string();
        if typed.is_empty() {
            screen.prompt = Some(prompt);
            self.note = Some(Note::PathRequired);
            return;
        }
        let path = PathBuf::from(&typed);
        let folder = match prompt {
            SyncPrompt::ExportTo(_) | SyncPrompt::ReportTo(_) => typed.clone(),
            SyncPrompt::ReceiptFrom(_) => folder_of(&path),
        };
        let mut bar = Bar::new(
            self.progress_out.as_mut(),
            self.lang,
            self.theme.gauge_glyphs(),
        );
        let worked = match prompt {
            SyncPrompt::ExportTo(_) => match export::export_with_progress(
                ledger,
                &path,
                Timestamp::now(),
                &mut crate::bundle::RealFs,
                &mut |p| bar.show(p),
            ) {
                Ok(done) => {
                    self.note = Some(Note::Exported {
                        sequence: done.sequence,
                    });
                    screen.outcome = Some(SyncOutcome::Exported(done));
                    true
                }
                Err(e) => {
                    self.note = Some(Note::ExportFailed);
                    screen.outcome = Some(SyncOutcome::ExportFailed(Bilingual::of(&e)));
                    false
                }
            },
            // The workbook changes nothing in the ledger: the folder is offered again in
            // this session, not remembered.
            SyncPrompt::ReportTo(_) => {
                let report = UnitReport {
                    as_of: self.dashboard.as_of,
                    source: self.dashboard.source,
                    include_voided: false,
                    lang: self.lang,
                    made_on: self.today,
                };
                match write_unit_report_into(ledger, &self.plan, &report, &path) {
                    Ok(written) => {
                        self.note = Some(Note::ReportWritten {
                            path: crate::display::path(&written),
                        });
                        screen.outcome = Some(SyncOutcome::ReportWritten(written));
                    }
                    Err(e) => {
                        self.note = Some(Note::ReportFailed);
                        screen.outcome = Some(SyncOutcome::ReportFailed(Bilingual::of(&e)));
                    }
                }
                false
            }
            SyncPrompt::ReceiptFrom(_) => {
                let city = self.plan.city.code.clone();
                match files_of_type(std::slice::from_ref(&path), FileType::Receipt) {
                    Ok(files) => {
                        let reads: Vec<ReceiptRead> = files
                            .iter()
                            .map(|file| ReceiptRead {
                                file: file_name(file),
                                result: receipt::import_receipt_file(ledger, file, &city)
                                    .map_err(|e| Bilingual::of(&e)),
                            })
                            .collect();
                        let worked = reads.iter().any(|r| r.result.is_ok());
                        self.note = Some(match ledger.last_receipt() {
                            Ok(Some(held)) if worked => Note::ReceiptRecorded {
                                sequence: held.sequence,
                            },
                            _ => Note::ReceiptRefused,
                        });
                        screen.outcome = Some(SyncOutcome::Receipts(reads));
                        worked
                    }
                    Err(e) => {
                        self.note = Some(Note::ReceiptRefused);
                        screen.outcome = Some(SyncOutcome::ReceiptFailed(Bilingual::of(&e)));
                        false
                    }
                }
            }
        };
        self.redraw_all |= self.progress_out.is_some();
        screen.folder = folder.clone();
        self.sync_folder = Some(folder.clone());
        if worked && let Err(e) = ledger.meta_set(SYNC_FOLDER_META, &folder) {
            self.note = Some(Note::Failed(Bilingual::of(&e)));
        }
        if let Err(e) = screen.refresh(ledger) {
            self.note = Some(Note::Failed(Bilingual::of(&e)));
        }
        self.seen_version = ledger.data_version().ok();
        self.mark_stale();
    }
}

/// A file's name without its folder, made printable.
pub(super) fn file_name(path: &Path) -> String {
    match path.file_name() {
        Some(name) => crate::display::path(Path::new(name)),
        None => crate::display::path(path),
    }
}
