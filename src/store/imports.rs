//! The city side of syncing: classifying a unit's snapshot against what the city holds, and
//! applying it under the merge rule in one transaction, with the import log.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::lines::LineCheck;
use super::records::{parse_timestamp, row_u64, sql_u64};
use super::{Ledger, LedgerRole, StoreError};
use crate::domain::{FieldIssue, Record};

/// One bundle as the city imports it (and as the import log keeps it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportEntry {
    pub unit: String,
    pub sequence: u64,
    /// SHA-256 (hex) of the whole bundle file.
    pub bundle_sha256: String,
    /// When the unit wrote the bundle.
    pub created_at: Timestamp,
    /// When the city imported it.
    pub imported_at: Timestamp,
    /// How many records the bundle carries.
    pub records: u64,
}

/// What an import does, or would do, to one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportAction {
    /// The city did not hold the record; it now does.
    New,
    /// The city held an older version; it is replaced (a restore counts here too).
    Changed,
    /// The city already holds this version, or a newer one; nothing is written.
    Unchanged,
    /// The record arrives voided: the city's active copy is voided, or a tombstone is kept.
    Voided,
    /// The record cannot be taken; the whole import is refused.
    Refused(ImportRefusal),
}

/// Why one record of a bundle cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportRefusal {
    /// The field values break the ledger's rules.
    Invalid { issues: Vec<FieldIssue> },
    /// The record names another unit than the bundle's.
    WrongUnit { unit: String },
    /// The city holds a record with this id under another unit.
    HeldByOtherUnit { unit: String },
    /// A revision below 1.
    BadRevision { revision: i64 },
    /// Active with a void reason, or voided without one.
    StatusMismatch,
    /// The same id twice in one bundle.
    DuplicateId,
    /// Another active record of the unit is the same entry (same kind and duplicate key).
    DuplicateActive { other: Uuid },
}

/// How many records of an import were new, changed, unchanged and voided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub voided: u64,
}

/// One applied import: the bundle and what it did. The import log is a list of these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    pub entry: ImportEntry,
    pub counts: ImportCounts,
    /// Records of the unit's previous ledger retired by this import: it was the first bundle
    /// of a new key's line (see [`super::lines`]).
    pub retired: u64,
    /// The unit's award approvals and payments the bundle carried, which replaced those
    /// received before; `None` where not known (the import log does not keep it, and a
    /// records-only import leaves the received events as they were).
    pub award_events: Option<u64>,
    /// The unit's cultivation pool entries the bundle carried, which replaced those held
    /// before; `None` where not known (as for `award_events`).
    pub pool_entries: Option<u64>,
}

fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<ImportEntry> {
    Ok(ImportEntry {
        unit: row.get(0)?,
        sequence: row_u64(row, 1)?,
        bundle_sha256: row.get(2)?,
        created_at: parse_timestamp(3, &row.get::<_, String>(3)?)?,
        imported_at: parse_timestamp(4, &row.get::<_, String>(4)?)?,
        records: row_u64(row, 5)?,
    })
}

const ENTRY_COLUMNS: &str = "unit, sequence, bundle_sha256, created_at, imported_at, records";

fn last_import(conn: &Connection, unit: &str) -> Result<Option<ImportEntry>, StoreError> {
    let sql =
        format!("SELECT {ENTRY_COLUMNS} FROM imports WHERE unit = ?1 ORDER BY n DESC LIMIT 1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([unit], entry_from_row)
        .optional()?)
}

/// Adds an applied import to the log, on its key's line, with how many records of the
/// unit's previous ledger it retired.
pub(super) fn log_import(
    conn: &Connection,
    entry: &ImportEntry,
    counts: &ImportCounts,
    line: &LineCheck,
    retired: u64,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO imports (unit, key, sequence, bundle_sha256, created_at, imported_at,
             records, new, changed, unchanged, voided, retired)
         VALUES (?1, ?11, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?12)",
        params![
            entry.unit,
            sql_u64(entry.sequence)?,
            entry.bundle_sha256,
            entry.created_at.to_string(),
            entry.imported_at.to_string(),
            sql_u64(entry.records)?,
            sql_u64(counts.new)?,
            sql_u64(counts.changed)?,
            sql_u64(counts.unchanged)?,
            sql_u64(counts.voided)?,
            line.key,
            sql_u64(retired)?,
        ],
    )?;
    Ok(())
}

impl Ledger {
    /// The bundle of the unit with the highest sequence the city imported, if any.
    pub fn last_import(&self, unit: &str) -> Result<Option<ImportEntry>, StoreError> {
        last_import(&self.conn, unit)
    }

    /// What importing this snapshot of the unit's records would do to each record, in the
    /// order given. Writes nothing (the dry run). Holds every answer in memory: a bundle's
    /// dry run streams through [`Ledger::begin_preview`] instead.
    pub fn classify_import(
        &self,
        unit: &str,
        records: &[Record],
    ) -> Result<Vec<(Uuid, ImportAction)>, StoreError> {
        let mut run = self.begin_dry_run(unit)?;
        let mut seen = HashSet::with_capacity(records.len());
        let mut actions = Vec::with_capacity(records.len());
        for record in records {
            let action = run.take(record, seen.insert(record.id))?;
            actions.push((record.id, action));
        }
        let at: HashMap<Uuid, usize> = actions
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, i))
            .collect();
        run.late_refusals(|late| {
            if let Some(i) = at.get(&late.id) {
                actions[*i].1 =
                    ImportAction::Refused(ImportRefusal::DuplicateActive { other: late.other });
            }
        })?;
        Ok(actions)
    }

    /// Applies a unit's snapshot under the merge rule and logs it, in one transaction: all
    /// or nothing. Refused, with nothing written, when the bundle is older than one held
    /// ([`StoreError::Rollback`]), is the one held ([`StoreError::AlreadyHeld`]) or reuses a
    /// held sequence ([`StoreError::SequenceReused`]), carries a record the city holds for
    /// another unit ([`StoreError::ForeignRecord`]) or any record it cannot take
    /// ([`StoreError::ImportRefused`]). Sequences are checked on the line of the unit's
    /// pinned key, and a jump of more than [`super::lines::MAX_SEQUENCE_JUMP`] is refused
    /// ([`StoreError::SequenceJump`]); the first bundle of a new line retires the unit's
    /// records it does not carry. Takes a slice; a bundle's import streams through
    /// [`Ledger::begin_import`].
    pub fn apply_import(
        &mut self,
        entry: &ImportEntry,
        records: &[Record],
    ) -> Result<ImportReport, StoreError> {
        self.ensure_role(LedgerRole::City)?;
        let found = records.len() as u64;
        if entry.records != found {
            return Err(StoreError::ImportCountMismatch {
                declared: entry.records,
                found,
            });
        }
        let mut run = self.begin_import(entry, false)?;
        let mut seen = HashSet::with_capacity(records.len());
        for record in records {
            if let ImportAction::Refused(refusal) = run.take(record, seen.insert(record.id))? {
                return Err(run.refusal_error(record, refusal));
            }
        }
        run.commit(entry)
    }

    /// Every applied import, newest first (then by unit and sequence).
    pub fn import_log(&self) -> Result<Vec<ImportReport>, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS}, new, changed, unchanged, voided, retired FROM imports"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut log = stmt
            .query_map([], |row| {
                Ok(ImportReport {
                    entry: entry_from_row(row)?,
                    counts: ImportCounts {
                        new: row_u64(row, 6)?,
                        changed: row_u64(row, 7)?,
                        unchanged: row_u64(row, 8)?,
                        voided: row_u64(row, 9)?,
                    },
                    retired: row_u64(row, 10)?,
                    award_events: None,
                    pool_entries: None,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        log.sort_by(|a, b| {
            b.entry
                .imported_at
                .cmp(&a.entry.imported_at)
                .then_with(|| a.entry.unit.cmp(&b.entry.unit))
                .then_with(|| b.entry.sequence.cmp(&a.entry.sequence))
        });
        Ok(log)
    }
}
