//! One import (or dry run) of a unit's snapshot under way: records judged and written one at
//! a time inside one transaction, in memory that does not grow with the bundle. Two temporary
//! tables (kept on disk) stand in for what would otherwise be held in memory: the entries the
//! bundle's active records are, and the records set aside until the end because writing them
//! at once would trip the one-active-record-per-entry index; a third holds the ids a new
//! key line's first bundle carries, so the records of the unit's previous ledger it does not
//! carry can be retired at the end, and so that a bundle's award events can be checked to be
//! for its own records; a fourth the ids of its high-tech records, so that each achieved pool
//! entry can be checked to name one of them. The award events and the cultivation pool
//! entries replace, in the same transaction, those the city last received from the unit.

use rusqlite::{
    Connection, ErrorCode, OptionalExtension, Transaction, TransactionBehavior, params,
};
use uuid::Uuid;

use super::imports::{ImportCounts, ImportEntry, ImportReport, log_import};
use super::lines::{self, LineCheck};
use super::merge;
use super::records::{self, parse_uuid};
use super::schema;
use super::{ImportAction, ImportRefusal, Ledger, LedgerRole, StoreError};
use crate::domain::awards::AwardEvent;
use crate::domain::counting::CountingBasis;
use crate::domain::pool::{PoolEntry, PoolTally};
use crate::domain::{Record, RecordIndex, RecordKind, RecordStatus};

/// Page cache for the connection while an import runs, in KiB: as much as keeps the whole
/// import under 64 MiB of resident memory (a larger cache spills fewer index pages to the WAL
/// and re-reads fewer; see `docs/benchmarks.md`).
const IMPORT_CACHE_KIB: i64 = 36_864;

const TEMP_TABLES: &str = "
CREATE TEMP TABLE IF NOT EXISTS import_entries (
    kind    TEXT NOT NULL,
    dup_key TEXT NOT NULL,
    id      TEXT NOT NULL,
    PRIMARY KEY (kind, dup_key)
) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS import_pending (
    id      TEXT PRIMARY KEY NOT NULL,
    kind    TEXT NOT NULL,
    dup_key TEXT NOT NULL,
    changed INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS temp.import_pending_key ON import_pending (kind, dup_key);
CREATE TEMP TABLE IF NOT EXISTS import_ids (id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS import_high_tech (id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
DELETE FROM import_entries;
DELETE FROM import_pending;
DELETE FROM import_ids;
DELETE FROM import_high_tech;
";

/// A record whose write would leave two active records of one entry, found at the end of a
/// run: `other` is the active record it would clash with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LateRefusal {
    pub id: Uuid,
    pub other: Uuid,
    /// What the record had been judged before the clash showed (new or changed).
    pub was: ImportAction,
}

/// Why a bundle's cultivation pool entries cannot replace the unit's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PoolClash {
    /// The city holds an entry of this id under another unit.
    OtherUnit { id: Uuid, held_unit: String },
    /// An achieved entry names, as the record that achieved it, a record that is not one of
    /// the bundle's high-tech records.
    AchievedByUnknown { entry: Uuid, record: Uuid },
}

/// An import or dry run in progress. Dropping it without [`ImportRun::commit`] rolls every
/// write back: a dry run is a run that is never committed.
pub struct ImportRun<'l> {
    tx: Option<Transaction<'l>>,
    conn: &'l Connection,
    /// The counting rules the ledger's kept counts are for, settled before the commit.
    basis: &'l CountingBasis,
    unit: String,
    /// The bundle's key line, when its sequence was checked (not for a bare dry run).
    line: Option<LineCheck>,
    counts: ImportCounts,
    taken: u64,
    /// Records of the unit's previous ledger retired so far (see
    /// [`ImportRun::retire_previous_line`]).
    retired: Option<u64>,
    /// Whether every record's id is kept in `import_ids` (for the award events' check).
    keep_ids: bool,
    /// Whether the high-tech records' ids are kept in `import_high_tech` (for the pool
    /// entries' check).
    keep_high_tech: bool,
    /// The award events that replaced the unit's, once they did.
    award_events: Option<u64>,
    /// The pool entries that replaced the unit's, once they did.
    pool_entries: Option<u64>,
    /// The unit's pool as the ledger held it before the bundle's replaced it, and as the
    /// bundle leaves it, once it did.
    pool_tallies: Option<(PoolTally, PoolTally)>,
    /// The fields the record taken last changes in the city's copy (none unless changed).
    last_changed: Vec<String>,
}

impl Ledger {
    /// Starts importing a unit's bundle (city only): one immediate transaction, with the
    /// sequence checks of [`Ledger::apply_import`] made first on the line of the unit's
    /// pinned key; `confirm_jump` accepts a jump of more than
    /// [`super::lines::MAX_SEQUENCE_JUMP`].
    pub fn begin_import(
        &mut self,
        entry: &ImportEntry,
        confirm_jump: bool,
    ) -> Result<ImportRun<'_>, StoreError> {
        self.ensure_role(LedgerRole::City)?;
        let mut run = ImportRun::begin(&self.conn, &self.basis, &entry.unit)?;
        run.line = Some(lines::check_sequence(run.conn, entry, confirm_jump)?);
        Ok(run)
    }

    /// Starts the dry run of a bundle's import (city only): the sequence checked as the
    /// import checks it, except that a bundle already held is no error (its records all show
    /// unchanged); rolled back when the run is dropped.
    pub fn begin_preview(
        &self,
        entry: &ImportEntry,
        confirm_jump: bool,
    ) -> Result<ImportRun<'_>, StoreError> {
        self.ensure_role(LedgerRole::City)?;
        let mut run = ImportRun::begin(&self.conn, &self.basis, &entry.unit)?;
        run.line = match lines::check_sequence(run.conn, entry, confirm_jump) {
            Ok(line) => Some(line),
            Err(StoreError::AlreadyHeld { .. }) => None,
            Err(e) => return Err(e),
        };
        Ok(run)
    }

    /// Starts a dry run of a unit's records (city only) without any sequence: the same work
    /// as an import, rolled back when the run is dropped, so the ledger is left as it was.
    pub fn begin_dry_run(&self, unit: &str) -> Result<ImportRun<'_>, StoreError> {
        self.ensure_role(LedgerRole::City)?;
        ImportRun::begin(&self.conn, &self.basis, unit)
    }
}

impl<'l> ImportRun<'l> {
    fn begin(
        conn: &'l Connection,
        basis: &'l CountingBasis,
        unit: &str,
    ) -> Result<ImportRun<'l>, StoreError> {
        schema::bulk_settings(conn, IMPORT_CACHE_KIB)?;
        let tx = match Transaction::new_unchecked(conn, TransactionBehavior::Immediate) {
            Ok(tx) => tx,
            Err(e) => {
                let _ = schema::normal_settings(conn);
                return Err(e.into());
            }
        };
        let run = ImportRun {
            tx: Some(tx),
            conn,
            basis,
            unit: unit.to_owned(),
            line: None,
            counts: ImportCounts::default(),
            taken: 0,
            retired: None,
            keep_ids: false,
            keep_high_tech: false,
            award_events: None,
            pool_entries: None,
            pool_tallies: None,
            last_changed: Vec::new(),
        };
        run.conn.execute_batch(TEMP_TABLES)?;
        Ok(run)
    }

    /// For an active record of the bundle: the earlier active record of this bundle that is
    /// the same entry (same kind and duplicate key), if any. Voided records claim nothing.
    pub fn claim_entry(
        &mut self,
        record: &Record,
        dup_key: &str,
    ) -> Result<Option<Uuid>, StoreError> {
        if record.status != RecordStatus::Active {
            return Ok(None);
        }
        let kind = record.kind.key();
        let added = self
            .conn
            .prepare_cached(
                "INSERT INTO temp.import_entries (kind, dup_key, id) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![kind, dup_key, record.id.to_string()])?;
        if added == 1 {
            return Ok(None);
        }
        let first: String = self
            .conn
            .prepare_cached("SELECT id FROM temp.import_entries WHERE kind = ?1 AND dup_key = ?2")?
            .query_row(params![kind, dup_key], |row| row.get(0))?;
        Ok(Some(parse_uuid(0, &first)?))
    }

    /// Judges one record under the merge rule and writes the winning version. A refused
    /// record is not written and comes back as [`ImportAction::Refused`]; `first_of_id` is
    /// false for an id the bundle carried before. An active record whose entry is, for now,
    /// still another active record's is set aside and made active at the end.
    pub fn take(&mut self, record: &Record, first_of_id: bool) -> Result<ImportAction, StoreError> {
        self.take_indexed(record, first_of_id, None)
    }

    /// [`ImportRun::take`] for a record whose fields were validated already (a bundle's
    /// reader checks every record), with the index that validation gave.
    pub fn take_checked(
        &mut self,
        record: &Record,
        index: RecordIndex,
    ) -> Result<ImportAction, StoreError> {
        self.take_indexed(record, true, Some(index))
    }

    fn take_indexed(
        &mut self,
        record: &Record,
        first_of_id: bool,
        checked: Option<RecordIndex>,
    ) -> Result<ImportAction, StoreError> {
        self.taken += 1;
        if self.keep_ids || self.starts_new_line() {
            self.conn
                .prepare_cached(
                    "INSERT INTO temp.import_ids (id) VALUES (?1) ON CONFLICT DO NOTHING",
                )?
                .execute([record.id.to_string()])?;
        }
        if self.keep_high_tech && record.kind == RecordKind::HighTech {
            self.conn
                .prepare_cached(
                    "INSERT INTO temp.import_high_tech (id) VALUES (?1) ON CONFLICT DO NOTHING",
                )?
                .execute([record.id.to_string()])?;
        }
        let verdict = merge::judge(self.conn, &self.unit, record, first_of_id, checked)?;
        self.last_changed = verdict.changed_fields;
        if let Some(index) = &verdict.index {
            let written = merge::upsert(self.conn, record, index, record.status);
            match written {
                Ok(()) => {}
                Err(StoreError::Sqlite(e))
                    if record.status == RecordStatus::Active
                        && e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) =>
                {
                    merge::upsert(self.conn, record, index, RecordStatus::Voided)?;
                    self.conn
                        .prepare_cached(
                            "INSERT INTO temp.import_pending (id, kind, dup_key, changed)
                             VALUES (?1, ?2, ?3, ?4)",
                        )?
                        .execute(params![
                            record.id.to_string(),
                            record.kind.key(),
                            index.dup_key,
                            verdict.action == ImportAction::Changed,
                        ])?;
                }
                Err(e) => return Err(e),
            }
        }
        match verdict.action {
            ImportAction::New => self.counts.new += 1,
            ImportAction::Changed => self.counts.changed += 1,
            ImportAction::Unchanged => self.counts.unchanged += 1,
            ImportAction::Voided => self.counts.voided += 1,
            ImportAction::Refused(_) => {}
        }
        Ok(verdict.action)
    }

    /// The keys of the fields the record taken last changes in the city's copy, in key
    /// order: empty unless it was [`ImportAction::Changed`].
    pub fn last_changed_fields(&self) -> &[String] {
        &self.last_changed
    }

    /// Keeps the id of every record taken from now on, so that
    /// [`ImportRun::replace_award_events`] can check each event is for one of them. Called
    /// before the first record, for a bundle that carries award events.
    pub fn keep_bundle_ids(&mut self) {
        self.keep_ids = true;
    }

    /// Keeps the id of every high-tech record taken from now on, so that
    /// [`ImportRun::replace_pool_entries`] can check each achieved entry names one of them.
    /// Called before the first record, for a bundle that carries pool entries.
    pub fn keep_high_tech_ids(&mut self) {
        self.keep_high_tech = true;
    }

    /// Once every record is taken: checks that each event is for a record the run took (its
    /// ids kept, see [`ImportRun::keep_bundle_ids`]) and, if so, replaces the unit's award
    /// events the ledger received before with these. Returns the first event's record that
    /// is not among them (nothing is replaced then).
    pub fn replace_award_events(
        &mut self,
        events: &[AwardEvent],
    ) -> Result<Option<Uuid>, StoreError> {
        let ids_kept = self.keep_ids || self.starts_new_line();
        if let Some(first) = events.first()
            && !ids_kept
        {
            return Ok(Some(first.key.record));
        }
        for event in events {
            let taken: Option<i64> = self
                .conn
                .prepare_cached("SELECT 1 FROM temp.import_ids WHERE id = ?1")?
                .query_row([event.key.record.to_string()], |row| row.get(0))
                .optional()?;
            if taken.is_none() {
                return Ok(Some(event.key.record));
            }
        }
        super::awards::replace_received(self.conn, &self.unit, events)?;
        self.award_events = Some(events.len() as u64);
        Ok(None)
    }

    /// Once every record is taken: checks that each achieved entry that names the record
    /// that achieved it names one of the bundle's high-tech records (their ids kept, see
    /// [`ImportRun::keep_high_tech_ids`]) and, if so, replaces the unit's cultivation pool
    /// entries the city held with the bundle's (all of the unit's: a bundle is a full
    /// snapshot, so one without entries leaves none). Returns the first entry that cannot be
    /// taken, and why (nothing is replaced then).
    pub fn replace_pool_entries(
        &mut self,
        entries: &[PoolEntry],
    ) -> Result<Option<PoolClash>, StoreError> {
        for entry in entries {
            let Some(record) = entry.achieved_by else {
                continue;
            };
            let carried = self.keep_high_tech
                && self
                    .conn
                    .prepare_cached("SELECT 1 FROM temp.import_high_tech WHERE id = ?1")?
                    .query_row([record.to_string()], |row| row.get::<_, i64>(0))
                    .optional()?
                    .is_some();
            if !carried {
                return Ok(Some(PoolClash::AchievedByUnknown {
                    entry: entry.id,
                    record,
                }));
            }
        }
        let held = super::pool::unit_tally(self.conn, &self.unit)?;
        let clash = super::pool::replace_unit_entries(self.conn, &self.unit, entries)?;
        if let Some((id, held_unit)) = clash {
            return Ok(Some(PoolClash::OtherUnit { id, held_unit }));
        }
        self.pool_entries = Some(entries.len() as u64);
        self.pool_tallies = Some((held, PoolTally::of(entries)));
        Ok(None)
    }

    /// Once the pool entries replaced the unit's: how many entries the ledger held for the
    /// unit before (and how many were open), and how many the bundle leaves it with.
    pub fn pool_tallies(&self) -> Option<(PoolTally, PoolTally)> {
        self.pool_tallies
    }

    /// Whether the bundle is the first of a new key line: the unit's records it does not
    /// carry are retired at the end.
    fn starts_new_line(&self) -> bool {
        self.line.as_ref().is_some_and(|line| line.new_line)
    }

    /// Once every record is taken: for the first bundle of a new key line, retires the
    /// unit's active records the bundle does not carry (the previous ledger's, see
    /// [`lines::retire_previous_line`]) and returns how many; 0 otherwise. Done once; the
    /// records set aside are judged after it, so a firm re-entered in the new ledger takes
    /// the place of the old ledger's record.
    pub fn retire_previous_line(&mut self, at: jiff::Timestamp) -> Result<u64, StoreError> {
        if let Some(retired) = self.retired {
            return Ok(retired);
        }
        let retired = match &self.line {
            Some(line) if line.new_line => {
                // The city's own system action: an account it cannot record reads as
                // "unknown" rather than refusing the import.
                let actor = super::draft_account();
                let at = at.to_string();
                lines::retire_previous_line(self.conn, &self.unit, &line.key, &actor, &at)?
            }
            _ => 0,
        };
        self.retired = Some(retired);
        Ok(retired)
    }

    /// The error that refuses the whole import for one refused record.
    pub fn refusal_error(&self, record: &Record, refusal: ImportRefusal) -> StoreError {
        match refusal {
            ImportRefusal::HeldByOtherUnit { unit: held_unit } => StoreError::ForeignRecord {
                id: record.id,
                unit: self.unit.clone(),
                held_unit,
            },
            refusal => StoreError::ImportRefused {
                unit: self.unit.clone(),
                id: record.id,
                name: record.name().to_owned(),
                refusal,
            },
        }
    }

    /// How many records were new, changed, unchanged and voided so far (records found in
    /// [`ImportRun::late_refusals`] still counted as what they were judged).
    pub fn counts(&self) -> ImportCounts {
        self.counts
    }

    /// Every record set aside that would, at the end, be active beside another active
    /// record of the same entry, in the order taken. Calls `each` for each one.
    pub fn late_refusals(&self, mut each: impl FnMut(LateRefusal)) -> Result<(), StoreError> {
        self.scan_late(&mut |late| {
            each(late);
            true
        })
    }

    /// Goes through the records set aside that clash, while `each` returns true.
    fn scan_late(&self, each: &mut dyn FnMut(LateRefusal) -> bool) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.changed,
                (SELECT min(r.id) FROM records AS r
                  WHERE r.unit = ?1 AND r.kind = p.kind AND r.dup_key = p.dup_key
                    AND r.status = 'active'),
                (SELECT min(q.id) FROM temp.import_pending AS q
                  WHERE q.kind = p.kind AND q.dup_key = p.dup_key AND q.id <> p.id)
             FROM temp.import_pending AS p ORDER BY p.rowid",
        )?;
        let mut rows = stmt.query([&self.unit])?;
        while let Some(row) = rows.next()? {
            let held: Option<String> = row.get(2)?;
            let twin: Option<String> = row.get(3)?;
            let other = match (held, twin) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let Some(other) = other else {
                continue;
            };
            let id: String = row.get(0)?;
            let changed: bool = row.get(1)?;
            let late = LateRefusal {
                id: parse_uuid(0, &id)?,
                other: parse_uuid(2, &other)?,
                was: if changed {
                    ImportAction::Changed
                } else {
                    ImportAction::New
                },
            };
            if !each(late) {
                break;
            }
        }
        Ok(())
    }

    /// Ends the import: refuses it if a record set aside clashes with another active record
    /// of its entry, makes the ones set aside active, links upgrades, logs the import and
    /// commits. All or nothing.
    pub fn commit(mut self, entry: &ImportEntry) -> Result<ImportReport, StoreError> {
        if self.taken != entry.records {
            return Err(StoreError::ImportCountMismatch {
                declared: entry.records,
                found: self.taken,
            });
        }
        let retired = self.retire_previous_line(entry.imported_at)?;
        let mut clash = None;
        self.scan_late(&mut |late| {
            clash = Some(late);
            false
        })?;
        if let Some(late) = clash {
            let record = records::get(self.conn, late.id)?;
            return Err(self.refusal_error(
                &record,
                ImportRefusal::DuplicateActive { other: late.other },
            ));
        }
        self.conn.execute(
            "UPDATE records SET status = 'active'
             WHERE id IN (SELECT id FROM temp.import_pending)",
            [],
        )?;
        super::lineage::relink(self.conn, &entry.unit)?;
        // A run begun for an import has its line; any other is checked as an import now.
        let line = match self.line.take() {
            Some(line) => line,
            None => lines::check_sequence(self.conn, entry, false)?,
        };
        log_import(self.conn, entry, &self.counts, &line, retired)?;
        self.conn.execute_batch(
            "DROP TABLE temp.import_entries; DROP TABLE temp.import_pending;
             DROP TABLE temp.import_ids; DROP TABLE temp.import_high_tech;",
        )?;
        super::counts::settle(self.conn, self.basis)?;
        if let Some(tx) = self.tx.take() {
            tx.commit()?;
        }
        Ok(ImportReport {
            entry: entry.clone(),
            counts: self.counts,
            retired,
            award_events: self.award_events,
            pool_entries: self.pool_entries,
        })
    }
}

impl Drop for ImportRun<'_> {
    fn drop(&mut self) {
        // Roll back first (a dry run, or an import refused half way), then give the
        // connection its usual settings back.
        drop(self.tx.take());
        let _ = schema::normal_settings(self.conn);
    }
}
