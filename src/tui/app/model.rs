//! The pieces of the app's state that screens name: tabs, views over them, modal
//! questions, the first-run choice and the message line.

use crate::domain::RecordKind;
use crate::i18n::{Lang, Localized};
use crate::store::drafts::Draft;
use crate::tui::keys::Ctx;
use crate::tui::state::awards::AwardsScreen;
use crate::tui::state::city::UnitRecords;
use crate::tui::state::detail::Detail;
use crate::tui::state::form::Form;
use crate::tui::state::import::ImportScreen;
use crate::tui::state::outlook::{FirmScreen, TrendScreen, WorklistScreen};
use crate::tui::state::pool::PoolScreen;
use crate::tui::state::sheet_import::SheetImportScreen;
use crate::tui::state::sync::SyncScreen;

/// The top-level tabs: the dashboard and one records list per kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Dashboard,
    Kind(RecordKind),
}

impl Tab {
    /// All tabs in order: `0` is the dashboard, `1`-`6` the kinds.
    pub fn all() -> [Tab; 7] {
        let k = RecordKind::ALL;
        [
            Tab::Dashboard,
            Tab::Kind(k[0]),
            Tab::Kind(k[1]),
            Tab::Kind(k[2]),
            Tab::Kind(k[3]),
            Tab::Kind(k[4]),
            Tab::Kind(k[5]),
        ]
    }

    pub fn index(self) -> usize {
        Tab::all().iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// A screen over the tabs.
#[derive(Clone, Debug)]
pub enum View {
    Detail(Box<Detail>),
    Form(Box<Form>),
    Help(HelpView),
    /// The unit's sync screen.
    Sync(Box<SyncScreen>),
    /// One unit's records at the city, read-only.
    UnitRecords(Box<UnitRecords>),
    /// Importing bundles at the city.
    Import(Box<ImportScreen>),
    /// Taking in a sheet the unit already keeps.
    SheetImport(Box<SheetImportScreen>),
    /// The awards page (奖补资金), at a unit or at the city.
    Awards(Box<AwardsScreen>),
    /// The worklist (待办) of the dashboard's date.
    Worklist(Box<WorklistScreen>),
    /// One firm's page.
    Firm(Box<FirmScreen>),
    /// An indicator's path month by month, for a unit.
    Trend(Box<TrendScreen>),
    /// A unit's cultivation pool (培育库); read-only at the city.
    Pool(Box<PoolScreen>),
}

/// The help screen, listing the key table starting with the context it was opened from.
#[derive(Clone, Copy, Debug)]
pub struct HelpView {
    pub context: Ctx,
    pub scroll: u16,
}

/// A question over everything else.
#[derive(Clone, Debug)]
pub enum Modal {
    /// An unsaved form from an earlier session.
    DraftOffer(Box<Draft>),
    /// Really throw that draft away?
    ConfirmDiscardDraft(Box<Draft>),
    /// Which kind of record to add (from the dashboard).
    PickKind { selected: usize },
}

/// The first-run screen: which unit this ledger belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setup {
    pub selected: usize,
    pub confirming: bool,
}

/// Text in both languages, for messages made from errors that localise themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn of(thing: &dyn Localized) -> Bilingual {
        Bilingual {
            zh: thing.localize(Lang::Zh),
            en: thing.localize(Lang::En),
        }
    }

    /// Text the catalogue words for each language.
    pub fn from_fn(text: impl Fn(Lang) -> String) -> Bilingual {
        Bilingual {
            zh: text(Lang::Zh),
            en: text(Lang::En),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The message line: what just happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    Saved {
        name: String,
        warnings: usize,
        /// The year the record counts in, when its indicator counts each year's
        /// registrations and that is not the year the dashboard measures.
        counts_in: Option<(i16, i16)>,
    },
    Voided {
        name: String,
    },
    Restored {
        name: String,
    },
    NotSaved {
        problems: usize,
    },
    /// The record is fine but has warnings the clerk has not seen yet: saving again keeps it.
    ConfirmWarnings {
        warnings: usize,
    },
    Cancelled,
    NothingChanged,
    DraftRestored,
    DraftDiscarded,
    DraftKept,
    /// A form is already open; finish it first.
    FormAlreadyOpen,
    VoidedCannotEdit,
    AlreadyVoided,
    NotVoided,
    ReasonRequired,
    /// The text typed would be longer than the ledger keeps; the rest was not taken.
    TooLong {
        max: usize,
    },
    /// Ctrl+C in a form: how to leave it.
    HowToLeaveForm,
    BadDate {
        given: String,
    },
    /// The record changed in another session; the latest is shown.
    ChangedElsewhere,
    LedgerCreated,
    /// An editing key at the city: records there are read-only.
    ReadOnlyAtCity,
    /// A path must be typed.
    PathRequired,
    Exported {
        sequence: u64,
    },
    /// The export failed; the reason is on the sync screen.
    ExportFailed,
    /// The city's receipt was read: it holds this bundle of the unit.
    ReceiptRecorded {
        sequence: u64,
    },
    /// No receipt could be taken; the reasons are on the sync screen.
    ReceiptRefused,
    /// The printable workbook was written to this file.
    ReportWritten {
        path: String,
    },
    /// The workbook was not written; the reason is on the sync screen.
    ReportFailed,
    /// The import was called off before anything was written.
    ImportCancelled,
    /// Bundles were imported (some may have been refused).
    Imported {
        imported: usize,
        refused: usize,
    },
    /// Bundles were imported and refused, but the refusals could not be noted for the
    /// city's worklist (`why`); the refusals themselves are on the import screen.
    RefusalsNotLogged {
        imported: usize,
        refused: usize,
        why: Bilingual,
    },
    /// Rows of a sheet were taken in; `rejected` rows went to the file to fix.
    SheetImported {
        inserted: usize,
        rejected: usize,
    },
    /// The sheet could not be taken in; the reason is on the screen.
    SheetRefused,
    /// An approval or a payment was recorded.
    AwardRecorded(Bilingual),
    /// An approval or payment this ledger does not record: who does, or what is missing.
    AwardNotHere(Bilingual),
    /// A payment needs the voucher's number.
    VoucherRequired,
    /// The record names no firm by credit code: there is no firm page to open.
    NoCreditCode,
    /// The firm (a pool entry's) has no active record in the ledger yet.
    NoFirmRecords,
    /// `g` at the city with no unit selected.
    PickUnitForTrend,
    /// A change to the cultivation pool was saved.
    PoolChanged(Bilingual),
    /// Why a key does nothing on the selected pool entry.
    PoolRefused(Bilingual),
    Failed(Bilingual),
}

impl Note {
    /// Errors and refusals are shown in the error style.
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            Note::NotSaved { .. }
                | Note::FormAlreadyOpen
                | Note::VoidedCannotEdit
                | Note::AlreadyVoided
                | Note::NotVoided
                | Note::ReasonRequired
                | Note::TooLong { .. }
                | Note::BadDate { .. }
                | Note::ChangedElsewhere
                | Note::ReadOnlyAtCity
                | Note::NoCreditCode
                | Note::NoFirmRecords
                | Note::PickUnitForTrend
                | Note::PathRequired
                | Note::ExportFailed
                | Note::ReceiptRefused
                | Note::ReportFailed
                | Note::SheetRefused
                | Note::Imported { refused: 1.., .. }
                | Note::RefusalsNotLogged { .. }
                | Note::AwardNotHere(_)
                | Note::PoolRefused(_)
                | Note::VoucherRequired
                | Note::Failed(_)
        )
    }
}
