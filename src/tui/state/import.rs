//! Importing units' bundles from the city screen: the path typed, then what the import would
//! do per record (a dry run that writes nothing), then what it did. No drawing, no I/O.

use std::path::PathBuf;

use tui_input::Input;

use crate::bundle::import::{DryRunSummary, PlannedAction};
use crate::store::{ImportAction, ImportReport};
use crate::tui::app::Bilingual;

/// One bundle file as the dry run saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedFile {
    /// The file's name (not its folder).
    pub file: String,
    pub result: Result<PlannedBundle, Bilingual>,
}

/// The most records of one bundle the review lists one by one; the rest are counted.
pub const LISTED_MAX: usize = 2_000;

/// A bundle that verified, and what importing it would do to its records: the first
/// [`LISTED_MAX`] listed (refused ones always among them, up to the limit), all counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedBundle {
    pub unit: String,
    pub sequence: u64,
    pub actions: Vec<PlannedAction>,
    /// Records of the unit's old ledger the import would retire (a new ledger's first
    /// bundle).
    pub retiring: u64,
    /// Records not listed.
    pub unlisted: u64,
    pub summary: DryRunSummary,
}

impl PlannedBundle {
    /// Keeps a record's action for the list if there is room (a refusal takes the place of
    /// an unremarkable record once the list is full). Unchanged records are not listed:
    /// the summary counts them.
    pub fn note(&mut self, planned: PlannedAction) {
        if planned.action == ImportAction::Unchanged {
            return;
        }
        if self.actions.len() < LISTED_MAX {
            self.actions.push(planned);
            return;
        }
        self.unlisted += 1;
        if matches!(planned.action, ImportAction::Refused(_))
            && let Some(at) = self
                .actions
                .iter()
                .rposition(|a| !matches!(a.action, ImportAction::Refused(_)))
        {
            self.actions.remove(at);
            self.actions.push(planned);
        }
    }

    /// Whether a record of the bundle is refused (which refuses the whole bundle).
    pub fn refused(&self) -> bool {
        self.summary.refused > 0
    }
}

/// What the import did with one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportedResult {
    Imported(ImportReport),
    AlreadyHeld { unit: String, sequence: u64 },
    Refused(Bilingual),
}

/// One file of the import and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedFile {
    pub file: String,
    pub result: ImportedResult,
}

/// Where the import stands.
#[derive(Clone, Debug)]
pub enum ImportStage {
    /// Typing the file or folder.
    Path(Input),
    /// The dry run's findings, waiting for a yes.
    Review(Vec<PlannedFile>),
    /// What the import did.
    Done(Vec<ImportedFile>),
}

/// The import screen.
#[derive(Clone, Debug)]
pub struct ImportScreen {
    pub stage: ImportStage,
    /// The bundle files found under the path typed.
    pub files: Vec<PathBuf>,
    /// The folder they are in, remembered once an import from it went through.
    pub folder: String,
    /// First line shown of the scrollable findings.
    pub scroll: usize,
}

impl ImportScreen {
    /// Starts by asking for the path, offering `folder`.
    pub fn new(folder: &str) -> ImportScreen {
        ImportScreen {
            stage: ImportStage::Path(Input::new(folder.to_string())),
            files: Vec::new(),
            folder: folder.to_string(),
            scroll: 0,
        }
    }

    /// About how many lines the findings take: the bound for scrolling.
    pub fn line_count(&self) -> usize {
        match &self.stage {
            ImportStage::Path(_) => 0,
            ImportStage::Review(files) => files
                .iter()
                .map(|f| 6 + f.result.as_ref().map_or(2, |b| b.actions.len() * 2))
                .sum(),
            ImportStage::Done(files) => files.len() * 3,
        }
    }
}
