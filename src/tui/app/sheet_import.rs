//! Taking in a sheet the unit already keeps, from the sync screen (`t`): the file or folder
//! typed, the file picked from the folder, the kind its rows are, a dry run showing each
//! row's verdict (nothing written), then the import on `y` in one transaction; the rows not
//! taken in go to a workbook beside the sheet, to fix and import again.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::KeyEvent;

use super::{App, Bilingual, Note, Tab, View};
use crate::domain::RecordKind;
use crate::i18n::tui as t;
use crate::sheet::import::{apply, prepare};
use crate::tui::keys::{self, Action};
use crate::tui::state::sheet_import::{SheetImportScreen, SheetImportStage, is_sheet_file};
use crate::tui::state::sync::{SYNC_FOLDER_META, folder_of};

impl App {
    /// Opens the sheet import, offering `folder`.
    pub(super) fn open_sheet_import(&mut self, folder: &str) {
        self.stack
            .push(View::SheetImport(Box::new(SheetImportScreen::new(folder))));
    }

    pub(super) fn sheet_import_action(&mut self, action: Action, key: &KeyEvent) {
        let Some(View::SheetImport(screen)) = self.stack.last_mut() else {
            return;
        };
        let most = screen.line_count();
        match (&mut screen.stage, action) {
            (SheetImportStage::Path(_), Action::Yes) => self.sheet_path_answered(),
            (SheetImportStage::Review(_), Action::ConfirmImport) => self.run_sheet_import(),
            (SheetImportStage::Path(_) | SheetImportStage::Review(_), Action::No) => {
                self.stack.pop();
                self.note = Some(Note::ImportCancelled);
            }
            (SheetImportStage::PickFile { .. } | SheetImportStage::PickKind { .. }, Action::Up) => {
                screen.move_selection(-1)
            }
            (
                SheetImportStage::PickFile { .. } | SheetImportStage::PickKind { .. },
                Action::Down,
            ) => screen.move_selection(1),
            (SheetImportStage::PickFile { files, selected }, Action::Open) => {
                let file = files.get(*selected).cloned();
                self.sheet_file_chosen(file);
            }
            (SheetImportStage::PickFile { files, .. }, Action::PickOption) => {
                let file = keys::digit(key)
                    .and_then(|d| (d as usize).checked_sub(1))
                    .and_then(|i| files.get(i).cloned());
                self.sheet_file_chosen(file);
            }
            (SheetImportStage::PickKind { selected, .. }, Action::Open) => {
                let kind = RecordKind::ALL.get(*selected).copied();
                self.review_sheet(kind);
            }
            (SheetImportStage::PickKind { .. }, Action::PickOption) => {
                let kind = keys::digit(key)
                    .and_then(|d| (d as usize).checked_sub(1))
                    .and_then(|i| RecordKind::ALL.get(i).copied());
                self.review_sheet(kind);
            }
            (_, Action::Back) => {
                self.stack.pop();
            }
            (_, Action::Up) => screen.scroll = screen.scroll.saturating_sub(1),
            (_, Action::Down) => screen.scroll = (screen.scroll + 1).min(most),
            (_, Action::PageUp) => screen.scroll = screen.scroll.saturating_sub(10),
            (_, Action::PageDown) => screen.scroll = (screen.scroll + 10).min(most),
            _ => {}
        }
    }

    /// The kind of the records list the clerk came from, offered first for a sheet's rows.
    fn tab_kind(&self) -> Option<RecordKind> {
        match self.tab {
            Tab::Kind(kind) => Some(kind),
            Tab::Dashboard => None,
        }
    }

    fn sheet_screen(&mut self) -> Option<&mut SheetImportScreen> {
        match self.stack.last_mut() {
            Some(View::SheetImport(screen)) => Some(screen),
            _ => None,
        }
    }

    /// A file goes on to its kind; a folder lists its sheets (straight to the kind when it
    /// holds just one). A path that does not exist is said at once, the question kept.
    fn sheet_path_answered(&mut self) {
        let default_kind = self.tab_kind();
        let Some(screen) = self.sheet_screen() else {
            return;
        };
        let SheetImportStage::Path(input) = &screen.stage else {
            return;
        };
        let typed = input.value().trim().to_string();
        if typed.is_empty() {
            self.note = Some(Note::PathRequired);
            return;
        }
        let path = PathBuf::from(&typed);
        if !path.exists() {
            self.note = Some(Note::Failed(Bilingual::from_fn(|lang| {
                t::sheet_not_found(lang, &path)
            })));
            return;
        }
        let folder = folder_of(&path);
        if path.is_dir() {
            let mut files = sheets_in(&path);
            if files.len() == 1 {
                screen.pick_kind(files.remove(0), default_kind);
            } else if files.is_empty() {
                screen.stage = SheetImportStage::Refused {
                    reason: Bilingual::from_fn(|lang| t::no_sheets_in(lang, &path)),
                    file: path,
                };
                self.note = Some(Note::SheetRefused);
            } else {
                screen.stage = SheetImportStage::PickFile { files, selected: 0 };
            }
        } else {
            screen.pick_kind(path, default_kind);
        }
        self.sync_folder = Some(folder);
    }

    fn sheet_file_chosen(&mut self, file: Option<PathBuf>) {
        let default_kind = self.tab_kind();
        if let (Some(file), Some(screen)) = (file, self.sheet_screen()) {
            screen.pick_kind(file, default_kind);
        }
    }

    /// Reads the sheet as records of `kind` and shows each row's verdict. Writes nothing.
    fn review_sheet(&mut self, kind: Option<RecordKind>) {
        let (Some(kind), Some(View::SheetImport(screen)), Some(ledger)) =
            (kind, self.stack.last_mut(), self.ledger.as_ref())
        else {
            return;
        };
        let SheetImportStage::PickKind { file, .. } = &screen.stage else {
            return;
        };
        let file = file.clone();
        screen.scroll = 0;
        match prepare(ledger, &file, kind, &[], None, self.today) {
            Ok(preview) => screen.stage = SheetImportStage::Review(Box::new(preview)),
            Err(e) => {
                screen.stage = SheetImportStage::Refused {
                    file,
                    reason: Bilingual::of(&e),
                };
                self.note = Some(Note::SheetRefused);
            }
        }
    }

    /// Imports the reviewed sheet's new rows in one transaction and writes the rows not
    /// taken in beside it.
    fn run_sheet_import(&mut self) {
        let actor = match &self.actor {
            Ok(actor) => actor.clone(),
            Err(e) => {
                self.note = Some(Note::Failed(Bilingual::of(e)));
                return;
            }
        };
        let (Some(View::SheetImport(screen)), Some(ledger)) =
            (self.stack.last_mut(), self.ledger.as_mut())
        else {
            return;
        };
        let stage = std::mem::replace(
            &mut screen.stage,
            SheetImportStage::Path(Default::default()),
        );
        let SheetImportStage::Review(preview) = stage else {
            screen.stage = stage;
            return;
        };
        screen.scroll = 0;
        match apply(ledger, &preview, &actor, self.lang) {
            Ok(done) => {
                self.note = Some(Note::SheetImported {
                    inserted: done.inserted,
                    rejected: done.rejected_rows,
                });
                // Only an import that wrote something notes the folder in the ledger.
                if done.inserted > 0
                    && let Err(e) = ledger.meta_set(SYNC_FOLDER_META, &folder_of(&preview.path))
                {
                    self.note = Some(Note::Failed(Bilingual::of(&e)));
                }
                screen.stage = SheetImportStage::Done { preview, done };
            }
            Err(e) => {
                self.note = Some(Note::SheetRefused);
                screen.stage = SheetImportStage::Refused {
                    file: preview.path.clone(),
                    reason: Bilingual::of(&e),
                };
            }
        }
        self.seen_version = ledger.data_version().ok();
        self.mark_stale();
    }
}

/// The sheets of a folder the import reads, by name.
fn sheets_in(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file() && is_sheet_file(p))
        .collect();
    files.sort();
    files
}
