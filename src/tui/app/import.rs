//! Importing bundles at the city from the screen: the file or folder typed, a dry run that
//! shows per record what would happen and writes nothing, then the import on `y`.

use std::path::PathBuf;

use jiff::Timestamp;

use super::sync::file_name;
use super::{App, Bilingual, Note, View};
use crate::bundle::import::{
    ImportOutcome, bundle_files, dry_run_each, import_paths_with_progress, inspect_file,
};
use crate::bundle::log_refusals;
use crate::tui::keys::Action;
use crate::tui::progress::Bar;
use crate::tui::state::import::{
    ImportScreen, ImportStage, ImportedFile, ImportedResult, PlannedBundle, PlannedFile,
};
use crate::tui::state::sync::{SYNC_FOLDER_META, folder_of, remembered_folder};

impl App {
    /// Opens the import screen, offering the folder last used.
    pub(super) fn open_import(&mut self) {
        let Some(ledger) = self.ledger.as_ref() else {
            return;
        };
        let folder = self
            .sync_folder
            .clone()
            .unwrap_or_else(|| remembered_folder(ledger));
        self.stack
            .push(View::Import(Box::new(ImportScreen::new(&folder))));
    }

    pub(super) fn import_action(&mut self, action: Action) {
        let Some(View::Import(screen)) = self.stack.last_mut() else {
            return;
        };
        let most = screen.line_count();
        match (&screen.stage, action) {
            (ImportStage::Path(_), Action::Yes) => self.review_import(),
            (ImportStage::Review(_), Action::ConfirmImport) => self.run_import(),
            (ImportStage::Path(_) | ImportStage::Review(_), Action::No) => {
                self.stack.pop();
                self.note = Some(Note::ImportCancelled);
            }
            (ImportStage::Done(_), Action::Back) => {
                self.stack.pop();
            }
            (_, Action::Up) => screen.scroll = screen.scroll.saturating_sub(1),
            (_, Action::Down) => screen.scroll = (screen.scroll + 1).min(most),
            (_, Action::PageUp) => screen.scroll = screen.scroll.saturating_sub(10),
            (_, Action::PageDown) => screen.scroll = (screen.scroll + 10).min(most),
            _ => {}
        }
    }

    /// Reads and verifies every bundle under the path typed and shows, per record, what
    /// importing would do. Nothing is written to the ledger (not even the folder).
    fn review_import(&mut self) {
        let (Some(View::Import(screen)), Some(ledger)) =
            (self.stack.last_mut(), self.ledger.as_ref())
        else {
            return;
        };
        let ImportStage::Path(input) = &screen.stage else {
            return;
        };
        let typed = input.value().trim().to_string();
        if typed.is_empty() {
            self.note = Some(Note::PathRequired);
            return;
        }
        let path = PathBuf::from(&typed);
        let files = match bundle_files(std::slice::from_ref(&path)) {
            Ok(files) => files,
            Err(e) => {
                self.note = Some(Note::Failed(Bilingual::of(&e)));
                return;
            }
        };
        let mut bar = Bar::new(
            self.progress_out.as_mut(),
            self.lang,
            self.theme.gauge_glyphs(),
        );
        let planned = files
            .iter()
            .map(|file| PlannedFile {
                file: file_name(file),
                result: inspect_file(ledger, file, &mut |p| bar.show(p))
                    .and_then(|bundle| {
                        let mut planned = PlannedBundle {
                            unit: bundle.unit().to_string(),
                            sequence: bundle.sequence(),
                            actions: Vec::new(),
                            retiring: 0,
                            unlisted: 0,
                            summary: Default::default(),
                        };
                        planned.summary = dry_run_each(
                            ledger,
                            &bundle,
                            false,
                            &mut |action| {
                                planned.note(action);
                                Ok(())
                            },
                            &mut |p| bar.show(p),
                        )?;
                        planned.retiring = planned.summary.retiring;
                        Ok(planned)
                    })
                    .map_err(|e| Bilingual::of(&e)),
            })
            .collect();
        self.redraw_all |= self.progress_out.is_some();
        screen.files = files;
        screen.folder = folder_of(&path);
        self.sync_folder = Some(screen.folder.clone());
        screen.stage = ImportStage::Review(planned);
        screen.scroll = 0;
    }

    /// Imports the reviewed files: each is verified again and applied in its own
    /// transaction, or refused leaving the ledger as it was.
    fn run_import(&mut self) {
        let (Some(View::Import(screen)), Some(ledger)) =
            (self.stack.last_mut(), self.ledger.as_mut())
        else {
            return;
        };
        let mut bar = Bar::new(
            self.progress_out.as_mut(),
            self.lang,
            self.theme.gauge_glyphs(),
        );
        let now = Timestamp::now();
        let outcomes =
            import_paths_with_progress(ledger, &screen.files, now, false, &mut |_, p| bar.show(p));
        self.redraw_all |= self.progress_out.is_some();
        match outcomes {
            Ok(outcomes) => {
                // Noted for the city's worklist; each refusal is shown below whatever
                // becomes of noting it.
                let unlogged = log_refusals(ledger, &outcomes, now)
                    .err()
                    .map(|e| Bilingual::of(&e));
                let done: Vec<ImportedFile> = outcomes
                    .into_iter()
                    .map(|o| ImportedFile {
                        file: file_name(&o.path),
                        result: match o.result {
                            Ok(ImportOutcome::Imported { report }) => {
                                ImportedResult::Imported(report)
                            }
                            Ok(ImportOutcome::AlreadyHeld { unit, sequence }) => {
                                ImportedResult::AlreadyHeld { unit, sequence }
                            }
                            Err(e) => ImportedResult::Refused(Bilingual::of(&e)),
                        },
                    })
                    .collect();
                let refused = done
                    .iter()
                    .filter(|f| matches!(f.result, ImportedResult::Refused(_)))
                    .count();
                let imported = done
                    .iter()
                    .filter(|f| matches!(f.result, ImportedResult::Imported(_)))
                    .count();
                self.note = Some(match unlogged {
                    None => Note::Imported { imported, refused },
                    Some(why) => Note::RefusalsNotLogged {
                        imported,
                        refused,
                        why,
                    },
                });
                screen.stage = ImportStage::Done(done);
                screen.scroll = 0;
                // Only an import that took something in may also note the folder: a refused
                // one leaves the records as they were (only the refusal is noted).
                if imported > 0
                    && let Err(e) = ledger.meta_set(SYNC_FOLDER_META, &screen.folder)
                {
                    self.note = Some(Note::Failed(Bilingual::of(&e)));
                }
            }
            Err(e) => self.note = Some(Note::Failed(Bilingual::of(&e))),
        }
        self.seen_version = ledger.data_version().ok();
        self.mark_stale();
    }
}
