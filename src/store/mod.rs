//! The ledger file: SQLite connection, migrations, records, audit trail and queries.
//! The only module that speaks SQL.

mod account;
mod awards;
mod backup;
mod bulk_load;
mod check;
mod city;
mod counts;
mod create;
pub mod drafts;
mod entries;
mod error;
mod exports;
mod figures;
mod file;
mod firms;
mod ids;
mod import_run;
mod imports;
mod keys;
mod lineage;
mod lines;
mod merge;
mod plans;
mod pool;
mod queries;
mod query_plans;
mod records;
mod refusals;
mod reindex;
mod schema;
mod search;
mod snapshot;

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use crate::domain::counting::CountingBasis;
use crate::domain::progress::CountWindow;
use crate::domain::validate::{ACCOUNT_MAX, VOID_REASON_MAX, kept_text};
use crate::domain::{AuditEntry, FieldIssue, Record, RecordKind, ValidRecord};

pub use crate::domain::claims::{Claim, ClaimedBy};
pub use account::{
    ACCOUNT_VARS, AccountError, AccountProblem, UNKNOWN_ACCOUNT, account_from, draft_account,
    os_account,
};
pub use awards::{AwardQuery, AwardRefused, AwardRequest, VOUCHER_MAX};
pub use backup::{BackupDone, RestoreDone, backup_file_name, restore_backup};
pub use bulk_load::BulkLoad;
pub use check::{
    AchievedByFault, CheckDepth, CheckReport, IdentityProblem, LedgerProblem, check_ledger,
};
pub use city::LedgerRole;
pub use create::is_unfinished_ledger;
pub use entries::ExistingEntry;
pub use error::StoreError;
pub use exports::{ExportEntry, ExportState, ReceiptEntry};
pub use figures::{CityFigure, CityFigureChange};
pub use firms::FIRM_RECORDS_MAX;
pub use import_run::{ImportRun, LateRefusal, PoolClash};
pub use imports::{ImportAction, ImportCounts, ImportEntry, ImportRefusal, ImportReport};
pub use keys::{KeyEvent, PinOutcome, PinnedKey, key_fingerprint};
pub use lineage::SupersedeRefusal;
pub use lines::{MAX_SEQUENCE_JUMP, retirement_reason};
pub use plans::{AdoptOutcome, PlanEvent, StoredPlan, stored_plan_at};
pub use pool::PoolQuery;
pub use queries::MIN_ID_PREFIX;
pub use query_plans::StatementLog;
pub use refusals::{BundleRefusal, LoggedRefusal};
pub use snapshot::RecordsSnapshot;

/// One unit's ledger: an open SQLite connection with the pragmas set and migrations applied.
pub struct Ledger {
    conn: Connection,
    unit: String,
    role: LedgerRole,
    path: Option<PathBuf>,
    /// The counting rules of the plan the ledger follows, which its kept counts are for.
    basis: CountingBasis,
}

/// What the ledger says about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerInfo {
    pub unit: String,
    pub plan_id: String,
    pub created_at: Timestamp,
    pub schema_version: i64,
}

/// Which records a list shows, and which page. `limit == 0` means no limit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub kind: Option<RecordKind>,
    /// Only this unit's records (at the city ledger, which holds every unit's).
    pub unit: Option<String>,
    /// Case-insensitive substring of the name or credit code.
    pub search: Option<String>,
    pub include_voided: bool,
    pub limit: usize,
    /// Continue after this record (keyset paging).
    pub after: Option<ListCursor>,
}

/// Where a page ended: the last record's key date and id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListCursor {
    pub key_date: String,
    pub id: String,
}

/// One page of records, newest key date first, and where the next page starts.
#[derive(Clone, Debug, PartialEq)]
pub struct ListPage {
    pub records: Vec<Record>,
    pub next: Option<ListCursor>,
}

/// How many records of a kind are active and voided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindCounts {
    pub kind: RecordKind,
    pub active: u64,
    pub voided: u64,
}

/// The `meta` keys the ledger itself keeps.
const META_UNIT: &str = "unit";
const META_PLAN_ID: &str = "plan_id";
const META_CREATED_AT: &str = "created_at";
const META_ROLE: &str = "role";

impl Ledger {
    /// Makes a new ledger file for `unit`, creating parent directories, whole or not at all
    /// (see [`Ledger::create_whole`]). Refuses a path that already holds a ledger (or any other
    /// file).
    pub fn create(path: &Path, unit: &str, plan_id: &str) -> Result<Ledger, StoreError> {
        Ledger::create_with_role(path, unit, plan_id, LedgerRole::Unit)
    }

    fn create_with_role(
        path: &Path,
        unit: &str,
        plan_id: &str,
        role: LedgerRole,
    ) -> Result<Ledger, StoreError> {
        Ledger::create_whole(path, unit, plan_id, role, |_| Ok::<(), StoreError>(()))
    }

    /// Opens an existing ledger, applying any migrations it lacks.
    pub fn open(path: &Path) -> Result<Ledger, StoreError> {
        file::expect_file(path)?;
        let conn = match schema::open_existing(path) {
            Err(StoreError::NotALedger { .. }) if create::is_unfinished_ledger(path) => {
                return Err(StoreError::UnfinishedLedger {
                    path: path.to_path_buf(),
                });
            }
            opened => opened?,
        };
        let unit = read_meta(&conn, META_UNIT)?.ok_or_else(|| StoreError::NotALedger {
            path: path.to_path_buf(),
        })?;
        let role = match read_meta(&conn, META_ROLE)?.as_deref() {
            None => LedgerRole::Unit,
            Some(key) => LedgerRole::from_key(key).ok_or_else(|| StoreError::NotALedger {
                path: path.to_path_buf(),
            })?,
        };
        let mut ledger = Ledger {
            basis: counts::ledger_basis(&conn)?,
            conn,
            unit,
            role,
            path: Some(path.to_path_buf()),
        };
        ledger.keep_derived()?;
        Ok(ledger)
    }

    /// A ledger that lives in memory only, for tests and trying things out.
    pub fn create_in_memory(unit: &str, plan_id: &str) -> Result<Ledger, StoreError> {
        Ledger::in_memory_with_role(unit, plan_id, LedgerRole::Unit)
    }

    fn in_memory_with_role(
        unit: &str,
        plan_id: &str,
        role: LedgerRole,
    ) -> Result<Ledger, StoreError> {
        let conn = schema::open_memory()?;
        let mut ledger = Ledger {
            basis: counts::ledger_basis(&conn)?,
            conn,
            unit: unit.to_owned(),
            role,
            path: None,
        };
        ledger.write_identity(plan_id)?;
        ledger.keep_derived()?;
        Ok(ledger)
    }

    fn write_identity(&mut self, plan_id: &str) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = Timestamp::now().to_string();
        for (key, value) in [
            (META_UNIT, self.unit.as_str()),
            (META_PLAN_ID, plan_id),
            (META_CREATED_AT, now.as_str()),
            (META_ROLE, self.role.key()),
        ] {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                params![key, value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The unit, plan, creation time and schema version of the ledger.
    pub fn info(&self) -> Result<LedgerInfo, StoreError> {
        let plan_id = self.meta_get(META_PLAN_ID)?.unwrap_or_default();
        let created_at = match self.meta_get(META_CREATED_AT)? {
            Some(text) => records::parse_timestamp(0, &text)?,
            None => Timestamp::UNIX_EPOCH,
        };
        let schema_version = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?;
        Ok(LedgerInfo {
            unit: self.unit.clone(),
            plan_id,
            created_at,
            schema_version,
        })
    }

    /// The code of the unit this ledger belongs to.
    pub fn unit(&self) -> &str {
        &self.unit
    }

    /// The ledger's file; `None` for an in-memory ledger.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Saves a new record of this ledger's unit at revision 1.
    pub fn insert(&mut self, rec: &ValidRecord, actor: &str) -> Result<Record, StoreError> {
        self.ensure_records_writable()?;
        let actor = &kept("actor", actor, ACCOUNT_MAX)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let at = Timestamp::now().to_string();
        lineage::check_reference(&tx, &self.unit, rec.kind, None, &rec.fields)?;
        let inserted = records::insert(&tx, &self.unit, rec, actor, &at)?;
        search::index(
            &tx,
            inserted.rowid,
            &rec.index.name,
            rec.index.credit_code.as_deref(),
        )?;
        link_pool(&tx, &self.unit, rec, inserted.id, actor, &at)?;
        lineage::relink(&tx, &self.unit)?;
        let record = records::get(&tx, inserted.id)?;
        counts::settle(&tx, &self.basis)?;
        tx.commit()?;
        Ok(record)
    }

    /// Saves many new records in one transaction: all of them, or none if one is refused.
    pub fn insert_many(&mut self, recs: &[ValidRecord], actor: &str) -> Result<usize, StoreError> {
        self.ensure_records_writable()?;
        let actor = &kept("actor", actor, ACCOUNT_MAX)?;
        schema::bulk_write_settings(&self.conn)?;
        let written = self.insert_all(recs, actor);
        schema::normal_settings(&self.conn)?;
        written
    }

    fn insert_all(&mut self, recs: &[ValidRecord], actor: &str) -> Result<usize, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let at = Timestamp::now().to_string();
        let mut rowids = Vec::with_capacity(recs.len());
        for rec in recs {
            lineage::check_reference(&tx, &self.unit, rec.kind, None, &rec.fields)?;
            let inserted = records::insert(&tx, &self.unit, rec, actor, &at)?;
            link_pool(&tx, &self.unit, rec, inserted.id, actor, &at)?;
            rowids.push(inserted.rowid);
        }
        // Indexed for search after the whole batch: the search index keeps the batch in
        // memory until the commit, which writes it in one piece.
        for (rec, rowid) in recs.iter().zip(rowids) {
            search::index_new(
                &tx,
                rowid,
                &rec.index.name,
                rec.index.credit_code.as_deref(),
            )?;
        }
        lineage::relink(&tx, &self.unit)?;
        counts::settle(&tx, &self.basis)?;
        tx.commit()?;
        Ok(recs.len())
    }

    /// Replaces an active record's values. With `expect_revision`, refuses if someone changed
    /// the record since that revision. Unchanged values leave the record as it was.
    pub fn update(
        &mut self,
        id: Uuid,
        expect_revision: Option<i64>,
        rec: &ValidRecord,
        actor: &str,
    ) -> Result<Record, StoreError> {
        self.ensure_records_writable()?;
        let actor = &kept("actor", actor, ACCOUNT_MAX)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let at = Timestamp::now().to_string();
        lineage::check_reference(&tx, &self.unit, rec.kind, Some(id), &rec.fields)?;
        records::update(&tx, id, expect_revision, rec, actor, &at)?;
        lineage::relink(&tx, &self.unit)?;
        let record = records::get(&tx, id)?;
        counts::settle(&tx, &self.basis)?;
        tx.commit()?;
        Ok(record)
    }

    /// Voids an active record with a reason; it stops counting but stays in the ledger.
    pub fn void(
        &mut self,
        id: Uuid,
        reason: &str,
        expect_revision: Option<i64>,
        actor: &str,
    ) -> Result<Record, StoreError> {
        self.ensure_records_writable()?;
        let reason = &kept("void_reason", reason, VOID_REASON_MAX)?;
        if reason.is_empty() {
            return Err(StoreError::EmptyReason);
        }
        let actor = &kept("actor", actor, ACCOUNT_MAX)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let at = Timestamp::now().to_string();
        records::void(&tx, id, reason, expect_revision, actor, &at)?;
        let record = records::get(&tx, id)?;
        if record.kind == RecordKind::HighTech {
            pool::reopen_achieved_by(&tx, id, actor, &at)?;
        }
        counts::settle(&tx, &self.basis)?;
        tx.commit()?;
        Ok(record)
    }

    /// Makes a voided record active again, unless that would duplicate an active one. A
    /// high-tech record's pool entry, reopened when the record was voided, stays open: the
    /// clerk closes it again if the firm's pool has not moved on.
    pub fn restore(
        &mut self,
        id: Uuid,
        expect_revision: Option<i64>,
        actor: &str,
    ) -> Result<Record, StoreError> {
        self.ensure_records_writable()?;
        let actor = &kept("actor", actor, ACCOUNT_MAX)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let at = Timestamp::now().to_string();
        records::restore(&tx, id, expect_revision, actor, &at)?;
        lineage::relink(&tx, &self.unit)?;
        let record = records::get(&tx, id)?;
        counts::settle(&tx, &self.basis)?;
        tx.commit()?;
        Ok(record)
    }

    /// Pairs of active records of one unit that are the same entity under the current text
    /// policy but were both stored before it (names differing only by invisible or
    /// compatibility characters): (earlier, later). Each pair counts once; the clerk voids
    /// the one entered by mistake.
    pub fn look_alike_pairs(&self) -> Result<Vec<(Record, Record)>, StoreError> {
        reindex::look_alike_pairs(&self.conn)?
            .into_iter()
            .map(|(earlier, later)| {
                let parse = |id: &str| {
                    Uuid::parse_str(id).map_err(|_| StoreError::NotFound { id: id.to_owned() })
                };
                Ok((
                    records::get(&self.conn, parse(&earlier)?)?,
                    records::get(&self.conn, parse(&later)?)?,
                ))
            })
            .collect()
    }

    /// Records are kept by hand only in a unit's ledger; the city's come from bundles.
    fn ensure_records_writable(&self) -> Result<(), StoreError> {
        self.ensure_not_read_only()?;
        match self.role {
            LedgerRole::Unit => Ok(()),
            LedgerRole::City => Err(StoreError::CityReadOnly),
        }
    }

    pub fn get(&self, id: Uuid) -> Result<Record, StoreError> {
        records::get(&self.conn, id)
    }

    /// The id a clerk means: a full UUID, or at least [`MIN_ID_PREFIX`] hex digits (dashes
    /// optional) that start exactly one id, or else end exactly one id.
    pub fn resolve_id(&self, text: &str) -> Result<Uuid, StoreError> {
        queries::resolve_id(&self.conn, text)
    }

    /// Turns a `supersedes` value given as a short id into the full id, before validation.
    pub fn resolve_references(
        &self,
        values: &mut crate::domain::FieldValues,
    ) -> Result<(), StoreError> {
        lineage::resolve_reference(&self.conn, values)
    }

    /// What a recognition of `kind` for the host with `credit_code` may supersede: this
    /// unit's active records of that kind and host, newest first, at most `limit`.
    pub fn upgrade_candidates(
        &self,
        kind: RecordKind,
        credit_code: &str,
        except: Option<Uuid>,
        limit: usize,
    ) -> Result<Vec<Record>, StoreError> {
        if !matches!(kind, RecordKind::RndInstitution | RecordKind::Incubator) {
            return Ok(Vec::new());
        }
        lineage::upgrade_candidates(&self.conn, &self.unit, kind, credit_code, except, limit)
    }

    /// The active records of the entity this record belongs to (its upgrades and renamings
    /// included), oldest first: its level history.
    pub fn entity_history(&self, id: Uuid) -> Result<Vec<Record>, StoreError> {
        lineage::entity_history(&self.conn, id)
    }

    /// The record's audit trail, oldest first.
    pub fn history(&self, id: Uuid) -> Result<Vec<AuditEntry>, StoreError> {
        queries::history(&self.conn, id)
    }

    /// One page of records, newest key date first.
    pub fn list(&self, q: &ListQuery) -> Result<ListPage, StoreError> {
        queries::list(&self.conn, q)
    }

    /// How many records match the query's filters (`limit` and `after` are ignored).
    pub fn count_matching(&self, q: &ListQuery) -> Result<u64, StoreError> {
        queries::count_matching(&self.conn, q)
    }

    /// Distinct entities among active records of the kind (and unit, if given) in the window.
    /// Read from the kept counts when the window is the one the plan's rule gives for a day,
    /// counted from the records otherwise.
    pub fn count_distinct(
        &self,
        unit: Option<&str>,
        kind: RecordKind,
        window: CountWindow,
    ) -> Result<u64, StoreError> {
        if let Some(day) = self.basis.kept_day(kind, window)
            && counts::kept_for(&self.conn, &self.basis)?
        {
            return counts::kept_count(&self.conn, unit.unwrap_or(counts::WHOLE_LEDGER), kind, day);
        }
        queries::count_distinct(&self.conn, unit, kind, window)
    }

    /// [`Ledger::count_distinct`] counted from the records, never read from the kept counts:
    /// what `check` and the tests compare the kept counts with.
    pub fn count_distinct_from_records(
        &self,
        unit: Option<&str>,
        kind: RecordKind,
        window: CountWindow,
    ) -> Result<u64, StoreError> {
        queries::count_distinct(&self.conn, unit, kind, window)
    }

    /// [`Ledger::kind_counts`] counted from the records, never read from the kept tallies.
    pub fn kind_counts_from_records(&self) -> Result<Vec<KindCounts>, StoreError> {
        queries::kind_counts(&self.conn)
    }

    /// Active and voided records of each of the six kinds, in [`RecordKind::ALL`] order.
    pub fn kind_counts(&self) -> Result<Vec<KindCounts>, StoreError> {
        if counts::tallies_kept(&self.conn)? {
            return counts::kind_tallies(&self.conn);
        }
        queries::kind_counts(&self.conn)
    }

    /// Brings what the ledger keeps beside its records up to date: the kept counts for the
    /// plan it follows (settling what is logged, or counting everything again for a new
    /// plan) and the search index (built on first opening). A ledger opened for reading
    /// only is left as it is: its counts are then made from the records, its searches scan.
    pub(crate) fn keep_derived(&mut self) -> Result<(), StoreError> {
        if self.conn.is_readonly(rusqlite::MAIN_DB)? {
            return Ok(());
        }
        let counts_kept = counts::kept_for(&self.conn, &self.basis)?;
        let search_built = search::is_built(&self.conn)?;
        if counts_kept && search_built {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if !counts_kept {
            counts::settle(&tx, &self.basis)?;
        }
        if !search_built {
            search::rebuild(&tx)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Counts everything again from the records and keeps the result, as `check --recount`
    /// does; returns the parts of the kept counts that had differed (none when they were
    /// right).
    pub fn recount(&mut self) -> Result<Vec<&'static str>, StoreError> {
        counts::recount(&mut self.conn, &self.basis)
    }

    /// Changes whenever another connection commits to the file: a cheap "reload?" check.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |row| row.get(0))?)
    }

    /// A value from the ledger's key/value table.
    pub fn meta_get(&self, key: &str) -> Result<Option<String>, StoreError> {
        read_meta(&self.conn, key)
    }

    /// Sets a value in the ledger's key/value table.
    pub fn meta_set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The `EXPLAIN QUERY PLAN` lines of the progress count, for checking index use.
    pub fn count_distinct_plan(
        &self,
        unit: Option<&str>,
        kind: RecordKind,
        window: CountWindow,
    ) -> Result<Vec<String>, StoreError> {
        let (sql, values) = queries::count_distinct_sql(unit, kind, window);
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let lines = stmt
            .query_map(rusqlite::params_from_iter(values), |row| {
                row.get::<_, String>(3)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(lines)
    }
}

/// A new high-tech record saved at a unit achieves the unit's open pool entry for the firm
/// (see [`pool::link_high_tech`]); other kinds touch no entry.
fn link_pool(
    conn: &Connection,
    unit: &str,
    rec: &ValidRecord,
    id: Uuid,
    actor: &str,
    at: &str,
) -> Result<(), StoreError> {
    match (rec.kind, rec.index.credit_code.as_deref()) {
        (RecordKind::HighTech, Some(credit_code)) => {
            pool::link_high_tech(conn, unit, id, credit_code, rec.index.key_date, actor, at)
        }
        _ => Ok(()),
    }
}

fn read_meta(conn: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
            row.get(0)
        })
        .optional()?)
}

/// Creates the empty database file, failing if anything exists at `path`. On unix it is made
/// readable and writable by owner and group only (the unit's clerks share one group), none for
/// others; SQLite gives its `-wal` and `-shm` files the same mode.
fn create_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o660);
        let file = options.open(path)?;
        // The umask may have taken bits away; set exactly owner and group read/write.
        file.set_permissions(std::fs::Permissions::from_mode(0o660))?;
        file.sync_all()?;
    }
    #[cfg(not(unix))]
    {
        options.open(path)?;
    }
    Ok(())
}

/// A void reason or account as the ledger keeps it (text policy, length limit), or the
/// refusal naming `field`.
pub(crate) fn kept(field: &str, raw: &str, max: usize) -> Result<String, StoreError> {
    kept_text(raw, max).map_err(|problem| StoreError::BadText {
        issue: FieldIssue::new(field, problem),
    })
}

/// The default ledger file in the user's data directory, if the system has one
/// (`~/.local/share/taizhang/ledger.sqlite` on Linux).
pub fn default_ledger_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "taizhang")
        .map(|dirs| dirs.data_dir().join("ledger.sqlite"))
}
