//! Taking in a sheet the unit already keeps, from the sync screen: the spreadsheet files of
//! the folder typed to pick one, the kind its rows are, what importing would do row by row
//! (nothing written yet), then what it did. No drawing, no I/O.

use std::path::{Path, PathBuf};

use tui_input::Input;

use crate::domain::RecordKind;
use crate::sheet::import::{SheetImportDone, SheetImportPreview};
use crate::tui::app::Bilingual;

/// The file endings of the sheets the import reads.
pub const SHEET_ENDINGS: [&str; 4] = ["xlsx", "xls", "ods", "csv"];

/// Whether `path` names a sheet the import reads (by its ending), not a lock or hidden file
/// a spreadsheet program leaves beside it (`~$名单.xlsx`, `.~lock.名单.xlsx#`).
pub fn is_sheet_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with('.') || name.starts_with("~$") {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SHEET_ENDINGS.iter().any(|s| e.eq_ignore_ascii_case(s)))
}

/// Where taking in a sheet stands.
#[derive(Clone, Debug)]
pub enum SheetImportStage {
    /// Typing the sheet's file or folder.
    Path(Input),
    /// The sheets of the folder typed, one to pick.
    PickFile {
        files: Vec<PathBuf>,
        selected: usize,
    },
    /// The kind the rows of `file` are.
    PickKind { file: PathBuf, selected: usize },
    /// What importing would do, row by row, waiting for a yes.
    Review(Box<SheetImportPreview>),
    /// What the import did.
    Done {
        preview: Box<SheetImportPreview>,
        done: SheetImportDone,
    },
    /// The sheet could not be read or taken in; nothing was written.
    Refused { file: PathBuf, reason: Bilingual },
}

/// The sheet import screen.
#[derive(Clone, Debug)]
pub struct SheetImportScreen {
    pub stage: SheetImportStage,
    /// First line shown of the scrollable findings.
    pub scroll: usize,
}

impl SheetImportScreen {
    /// Starts by asking for the sheet, offering `folder`.
    pub fn new(folder: &str) -> SheetImportScreen {
        SheetImportScreen {
            stage: SheetImportStage::Path(Input::new(folder.to_string())),
            scroll: 0,
        }
    }

    /// Asks the kind of the rows of `file`, `kind` offered first.
    pub fn pick_kind(&mut self, file: PathBuf, kind: Option<RecordKind>) {
        let selected = kind
            .and_then(|k| RecordKind::ALL.iter().position(|x| *x == k))
            .unwrap_or(0);
        self.stage = SheetImportStage::PickKind { file, selected };
    }

    /// How many lines the findings take at most: the bound for scrolling.
    pub fn line_count(&self) -> usize {
        match &self.stage {
            SheetImportStage::Review(preview) | SheetImportStage::Done { preview, .. } => {
                preview.columns.len() + preview.rows.len() * 3 + 8
            }
            _ => 0,
        }
    }

    /// Moves the selection of a list of choices by `step`, within its bounds.
    pub fn move_selection(&mut self, step: isize) {
        let (selected, len) = match &mut self.stage {
            SheetImportStage::PickFile { files, selected } => (selected, files.len()),
            SheetImportStage::PickKind { selected, .. } => (selected, RecordKind::ALL.len()),
            _ => return,
        };
        let last = len.saturating_sub(1);
        *selected = selected.saturating_add_signed(step).min(last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheets_are_known_by_their_ending_and_lock_files_are_not() {
        for name in ["名单.xlsx", "a.XLS", "b.ods", "c.csv"] {
            assert!(is_sheet_file(Path::new(name)), "{name}");
        }
        for name in [
            "~$名单.xlsx",
            ".~lock.名单.xlsx#",
            "a.tzb",
            "a.xlsx.tmp",
            "xlsx",
        ] {
            assert!(!is_sheet_file(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn the_selection_stays_within_the_list() {
        let mut screen = SheetImportScreen::new(".");
        screen.pick_kind(PathBuf::from("a.xlsx"), None);
        screen.move_selection(-1);
        assert!(matches!(
            screen.stage,
            SheetImportStage::PickKind { selected: 0, .. }
        ));
        screen.move_selection(100);
        assert!(matches!(
            screen.stage,
            SheetImportStage::PickKind { selected: 5, .. }
        ));
        screen.pick_kind(PathBuf::from("a.xlsx"), Some(RecordKind::HighTech));
        assert!(matches!(
            screen.stage,
            SheetImportStage::PickKind { selected: 1, .. }
        ));
    }
}
