//! The unit's sync screen: the last bundle written and what the city says it holds, the
//! folder the clerk writes to (remembered in the ledger), the question being asked and the
//! outcome of the last export, receipt import or workbook written. No drawing.

use std::path::{Path, PathBuf};

use tui_input::Input;

use crate::bundle::export::ExportDone;
use crate::bundle::keys;
use crate::store::{ExportEntry, Ledger, ReceiptEntry, StoreError};
use crate::tui::app::Bilingual;

/// The ledger's `meta` key under which the folder last used for syncing is kept.
pub const SYNC_FOLDER_META: &str = "tui.sync_folder";

/// The folder last used for syncing at this ledger, else the current folder.
pub fn remembered_folder(ledger: &Ledger) -> String {
    if let Ok(Some(folder)) = ledger.meta_get(SYNC_FOLDER_META)
        && !folder.trim().is_empty()
    {
        return folder;
    }
    std::env::current_dir()
        .map(|d| d.display().to_string())
        .unwrap_or_else(|_| ".".to_string())
}

/// The folder a typed path names: itself, or the folder holding the file.
pub fn folder_of(path: &Path) -> String {
    if path.is_dir() {
        path.display().to_string()
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| path.display().to_string(), |p| p.display().to_string())
    }
}

/// The question the sync screen is asking.
#[derive(Clone, Debug)]
pub enum SyncPrompt {
    /// Which folder to write the bundle into.
    ExportTo(Input),
    /// Which receipt file, or folder of receipts, to read.
    ReceiptFrom(Input),
    /// Which folder to write the printable workbook into.
    ReportTo(Input),
}

impl SyncPrompt {
    pub fn input(&self) -> &Input {
        match self {
            SyncPrompt::ExportTo(input)
            | SyncPrompt::ReceiptFrom(input)
            | SyncPrompt::ReportTo(input) => input,
        }
    }

    pub fn input_mut(&mut self) -> &mut Input {
        match self {
            SyncPrompt::ExportTo(input)
            | SyncPrompt::ReceiptFrom(input)
            | SyncPrompt::ReportTo(input) => input,
        }
    }
}

/// One receipt file read, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptRead {
    /// The file's name (not its folder).
    pub file: String,
    pub result: Result<ReceiptEntry, Bilingual>,
}

/// What the last action came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncOutcome {
    Exported(ExportDone),
    /// The export failed: no bundle the ledger does not know was left behind.
    ExportFailed(Bilingual),
    Receipts(Vec<ReceiptRead>),
    /// The receipt file or folder could not be read at all.
    ReceiptFailed(Bilingual),
    /// The printable workbook was written to this file.
    ReportWritten(PathBuf),
    /// The workbook could not be written; no file was left.
    ReportFailed(Bilingual),
}

/// The sync screen.
#[derive(Clone, Debug)]
pub struct SyncScreen {
    /// The fingerprint of this ledger's signing key, to read out to the city.
    pub fingerprint: Option<String>,
    pub last_export: Option<ExportEntry>,
    pub last_receipt: Option<ReceiptEntry>,
    /// Where the next export goes, unless the clerk types another folder.
    pub folder: String,
    pub prompt: Option<SyncPrompt>,
    pub outcome: Option<SyncOutcome>,
}

impl SyncScreen {
    /// Reads what the screen shows from the ledger.
    pub fn load(ledger: &Ledger) -> Result<SyncScreen, StoreError> {
        let mut screen = SyncScreen {
            fingerprint: keys::ledger_public_key(ledger)
                .ok()
                .map(|k| keys::fingerprint(&k)),
            last_export: None,
            last_receipt: None,
            folder: remembered_folder(ledger),
            prompt: None,
            outcome: None,
        };
        screen.refresh(ledger)?;
        Ok(screen)
    }

    /// Reads the last export and receipt again (after an action here or elsewhere).
    pub fn refresh(&mut self, ledger: &Ledger) -> Result<(), StoreError> {
        self.last_export = ledger.last_export()?;
        self.last_receipt = ledger.last_receipt()?;
        Ok(())
    }
}
