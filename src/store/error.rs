//! What can go wrong when opening a ledger or changing its records.

use std::path::PathBuf;

use uuid::Uuid;

use super::{ImportRefusal, LedgerRole};
use crate::domain::{FieldIssue, RecordKind};

/// A refused request or a failure of the ledger file. Refusals leave the ledger unchanged.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `open()` on a path where no ledger file exists.
    #[error("no ledger at {path}")]
    NoLedger { path: PathBuf },
    /// `create()` on a path that already holds a ledger.
    #[error("a ledger for unit {unit} already exists at {path}")]
    AlreadyInitialized { path: PathBuf, unit: String },
    /// A ledger whose making was interrupted (by an older taizhang): no identity and no
    /// records. `init` replaces it.
    #[error("{path} is an unfinished ledger")]
    UnfinishedLedger { path: PathBuf },
    /// The ledger was made by a newer taizhang; it was not touched.
    #[error("ledger schema version {found} is newer than the supported {supported}")]
    NewerSchema { found: i64, supported: i64 },
    /// The file is not a taizhang ledger (not SQLite, or no ledger metadata).
    #[error("{path} is not a taizhang ledger")]
    NotALedger { path: PathBuf },
    /// The ledger path names a folder, not a file.
    #[error("{path} is a folder, not a ledger file")]
    LedgerPathIsFolder { path: PathBuf },
    /// No record has this id (or id prefix).
    #[error("no record {id}")]
    NotFound { id: String },
    /// An id prefix that matches more than one record.
    #[error("id prefix {prefix} matches {count} records")]
    AmbiguousId { prefix: String, count: usize },
    /// An active record of the same kind and duplicate key already exists in the unit.
    #[error("duplicate of {kind:?} record {existing_id} ({existing_name})")]
    Duplicate {
        existing_id: Uuid,
        existing_name: String,
        kind: RecordKind,
    },
    /// The change named a revision that is no longer the current one.
    #[error("record {id} is at revision {actual}, not {expected}")]
    Conflict {
        id: Uuid,
        expected: i64,
        actual: i64,
    },
    /// An edit tried to turn a record into another kind.
    #[error("record {id} is a {kind:?}, not a {given:?}")]
    KindMismatch {
        id: Uuid,
        kind: RecordKind,
        given: RecordKind,
    },
    /// A `supersedes` reference that names no record this one can upgrade.
    #[error("record {reference} cannot be superseded: {reason:?}")]
    BadSupersedes {
        reference: String,
        reason: super::lineage::SupersedeRefusal,
    },
    /// An approval or payment of an award the lines do not allow.
    #[error("award {:?} refused: {:?}", .0.key, .0.refusal)]
    AwardRefused(Box<super::AwardRefused>),
    /// A change of the cultivation pool that is not allowed.
    #[error("pool: {0:?}")]
    Pool(crate::domain::pool::PoolRefusal),
    /// A city figure that is negative or not a number.
    #[error("a city figure must be a number of at least 0, not {value}")]
    BadFigure { value: f64 },
    #[error("record {id} is already voided")]
    AlreadyVoided { id: Uuid },
    #[error("record {id} is not voided")]
    NotVoided { id: Uuid },
    #[error("record {id} is voided and cannot be edited")]
    VoidedNotEditable { id: Uuid },
    /// A load that fills an empty ledger, on a ledger that holds records.
    #[error("the ledger already holds {records} records")]
    NotEmpty { records: u64 },
    /// The search index a load was building beside it stopped without saying why.
    #[error("the search index of the load stopped")]
    SearchBuildStopped,
    /// Voiding needs a reason.
    #[error("a reason is required")]
    EmptyReason,
    /// A void reason or the recorded account is too long or holds a character the text
    /// policy refuses.
    #[error("{}: {:?}", issue.field, issue.problem)]
    BadText { issue: FieldIssue },
    /// Records at the city come from the units' bundles and cannot be changed there.
    #[error("records of the city ledger are read-only")]
    CityReadOnly,
    /// A unit-only request on the city ledger, or a city-only one on a unit ledger.
    #[error("not possible on a {role:?} ledger")]
    WrongRole { role: LedgerRole },
    /// The ledger already has another signing key.
    #[error("the ledger already has a signing key")]
    SigningKeyExists,
    /// Another key is pinned (for `unit`, or the city's key when `None`) and replacing it
    /// was not asked for.
    #[error("another key is already pinned for {unit:?}")]
    KeyAlreadyPinned { unit: Option<String> },
    /// The key is already pinned for another unit.
    #[error("the key is pinned for unit {key_unit}, not {unit}")]
    KeyPinnedToOtherUnit { key_unit: String, unit: String },
    /// The key was the unit's before, and bundles of a later key have since replaced its
    /// line: a key once superseded is never pinned for the unit again.
    #[error("the key's line for unit {unit} was closed by a newer key")]
    KeyLineClosed { unit: String },
    /// An export logged out of turn: its sequence is not the last one plus one.
    #[error("export sequence {given}, expected {expected}")]
    SequenceMismatch { expected: u64, given: u64 },
    /// A bundle older than one already imported from the unit.
    #[error("bundle {sequence} of unit {unit} is older than the held {held}")]
    Rollback {
        unit: String,
        sequence: u64,
        held: u64,
    },
    /// A sequence more than [`super::MAX_SEQUENCE_JUMP`] past the last held on its line
    /// (`held` 0: the line's first bundle), not confirmed by the city.
    #[error("bundle {sequence} of unit {unit} jumps past the held {held}")]
    SequenceJump {
        unit: String,
        sequence: u64,
        held: u64,
    },
    /// This very bundle was imported before; nothing was written.
    #[error("bundle {sequence} of unit {unit} is already held")]
    AlreadyHeld { unit: String, sequence: u64 },
    /// A different bundle with the sequence of one already imported.
    #[error("unit {unit} sent a different bundle with the held sequence {sequence}")]
    SequenceReused { unit: String, sequence: u64 },
    /// A record id the city holds under another unit.
    #[error("record {id} of unit {unit} is held under unit {held_unit}")]
    ForeignRecord {
        id: Uuid,
        unit: String,
        held_unit: String,
    },
    /// A record of a bundle the city cannot take; the whole import was refused.
    #[error("record {id} of unit {unit} refused: {refusal:?}")]
    ImportRefused {
        unit: String,
        id: Uuid,
        name: String,
        refusal: ImportRefusal,
    },
    /// The import said it carries another number of records than it does.
    #[error("import declares {declared} records but carries {found}")]
    ImportCountMismatch { declared: u64, found: u64 },
    /// A sequence or count too large to keep.
    #[error("{value} is out of range")]
    NumberOutOfRange { value: u64 },
    /// The file starts like a ledger but is cut off (an interrupted copy, a full disk).
    #[error("{path} is truncated: {size} bytes, expected {expected:?}")]
    Truncated {
        path: PathBuf,
        size: u64,
        expected: Option<u64>,
    },
    /// SQLite finds the ledger malformed, or a check of it failed.
    #[error("{path} is damaged: {detail}")]
    Damaged { path: PathBuf, detail: String },
    /// A change asked of a ledger that is open for reading only.
    #[error("{path} is read-only")]
    ReadOnlyLedger { path: PathBuf },
    /// A read-only ledger that needs a migration this build would apply, which it cannot.
    #[error("{path} is read-only and needs an upgrade from schema version {found} to {supported}")]
    ReadOnlyNeedsUpgrade {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// Someone has the ledger open; it cannot be replaced now.
    #[error("{path} is in use")]
    InUse { path: PathBuf },
    /// A backup of another unit than the ledger it would replace.
    #[error("backup of unit {backup_unit}, ledger of unit {ledger_unit}")]
    OtherUnitsBackup {
        backup_unit: String,
        ledger_unit: String,
    },
    /// A backup or restored copy that does not read back as what was copied.
    #[error("copy at {path} failed verification: {detail}")]
    CopyMismatch { path: PathBuf, detail: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// A revision conflict: someone else changed the record first.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            StoreError::Conflict { .. }
                | StoreError::Pool(crate::domain::pool::PoolRefusal::Conflict { .. })
        )
    }

    /// A refused request (bad input or state), as opposed to a failure of the file or disk.
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            StoreError::Sqlite(_)
                | StoreError::Io { .. }
                | StoreError::Truncated { .. }
                | StoreError::Damaged { .. }
                | StoreError::ReadOnlyLedger { .. }
                | StoreError::ReadOnlyNeedsUpgrade { .. }
                | StoreError::CopyMismatch { .. }
        )
    }
}
