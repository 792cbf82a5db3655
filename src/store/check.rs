//! Checking a ledger file without changing it: SQLite's own integrity and foreign-key
//! checks, then what must hold between records, their audit trail, the sync logs and the
//! ledger's identity.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::backup::integrity_check;
use super::file;
use super::{LedgerRole, StoreError, read_meta, schema};
use crate::domain::validate::index_of_stored;
use crate::domain::{FieldValues, RecordKind, SUPERSEDES};

mod pool;

/// Problems listed at most; past this only the count goes on.
const MAX_LISTED: usize = 200;

/// One thing wrong with a ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LedgerProblem {
    /// A line of SQLite's `PRAGMA integrity_check`: the file's structure is damaged.
    Structure { detail: String },
    /// A row of `table` that refers to a missing row of `parent`.
    DanglingReference {
        table: String,
        rowid: Option<i64>,
        parent: String,
    },
    /// The ledger's unit, role or signing key is missing or unreadable.
    Identity { what: IdentityProblem },
    /// A record row that cannot be read back (kind, status, values).
    UnreadableRecord { id: String },
    /// A stored search or counting column that its values do not give.
    IndexMismatch { id: String, column: &'static str },
    /// Active with a void reason, or voided without one.
    VoidReasonMismatch { id: String },
    /// A record of a unit ledger changed since its creation with no change in its history.
    NoAudit { id: String },
    /// A record whose revision is not the last revision of its history.
    RevisionMismatch {
        id: String,
        revision: i64,
        audited: i64,
    },
    /// A record of another unit in a unit's ledger.
    ForeignUnit { id: String, unit: String },
    /// An export logged with more records than the ledger holds, or no proper hash.
    ExportLog { sequence: i64 },
    /// An import whose new, changed, unchanged and voided records do not add up.
    ImportCounts { unit: String, sequence: i64 },
    /// Records of a unit the city holds without that unit's key pinned.
    UnitWithoutKey { unit: String },
    /// Records of a unit the city holds without any import of that unit.
    UnitWithoutImport { unit: String },
    /// The city holds fewer records of a unit than the unit's newest bundle carried.
    FewerThanImported {
        unit: String,
        held: u64,
        imported: u64,
    },
    /// A part of the kept counts (`count_steps`, `amount_steps`, `record_tallies`,
    /// `shared_entities`, or `count_basis` / `count_changes`: built for another plan, or
    /// changes left unsettled) that differs from a count made from the records.
    KeptCounts { part: &'static str },
    /// More than one open cultivation pool entry of one firm in one unit.
    PoolOpenTwice {
        unit: String,
        credit_code: String,
        entries: u64,
    },
    /// A pool entry whose stage, status or target date is not one the pool knows, or whose
    /// closing day is not a day or does not fit its status (`column` says which).
    PoolBadValue {
        id: String,
        column: &'static str,
        value: String,
    },
    /// A pool entry naming as the record that achieved it one that is not a high-tech record
    /// of the entry's firm in its unit.
    PoolAchievedBy {
        id: String,
        record: String,
        fault: AchievedByFault,
    },
    /// A pool entry of a unit ledger whose history is not one change for each revision from
    /// 2 to its own: `changes` rows, the last at revision `last`.
    PoolHistory {
        id: String,
        revision: i64,
        changes: u64,
        last: Option<i64>,
    },
}

/// What is wrong with the record a pool entry names as having achieved it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AchievedByFault {
    /// The ledger holds no record of the entry's unit with that id.
    Missing,
    /// The record is of another kind than `high_tech`.
    NotHighTech { kind: String },
    /// The record's credit code is not the entry's (a clerk corrected the record's code after
    /// it achieved the entry, say).
    OtherFirm {
        entry_code: String,
        record_code: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityProblem {
    Role,
    SigningKey,
}

/// How deep SQLite's own check of the file goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CheckDepth {
    /// `PRAGMA integrity_check`: the structure, and every index against its table.
    #[default]
    Full,
    /// `PRAGMA quick_check`: the structure only (several times faster on a large ledger).
    Quick,
}

/// What `check` found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub unit: String,
    pub records: u64,
    /// The first problems found (at most 200).
    pub problems: Vec<LedgerProblem>,
    /// How many more were found than listed.
    pub unlisted: u64,
    /// The ledger's schema is older than this build's: the record checks ran, the checks of
    /// later tables did not (the next command that writes upgrades it).
    pub older_schema: bool,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty() && self.unlisted == 0
    }

    /// Whether every problem found is in the kept counts only, which a recount mends from
    /// the records.
    pub fn only_kept_counts(&self) -> bool {
        !self.is_clean()
            && self.unlisted == 0
            && self
                .problems
                .iter()
                .all(|p| matches!(p, LedgerProblem::KeptCounts { .. }))
    }

    /// Whether every problem found is a pool entry naming an achieving record whose credit
    /// code has changed since: the records are sound, and a clerk mends each entry.
    pub fn only_pool_links(&self) -> bool {
        !self.is_clean()
            && self.unlisted == 0
            && self.problems.iter().all(|p| {
                matches!(
                    p,
                    LedgerProblem::PoolAchievedBy {
                        fault: AchievedByFault::OtherFirm { .. },
                        ..
                    }
                )
            })
    }

    fn add(&mut self, problem: LedgerProblem) {
        if self.problems.len() < MAX_LISTED {
            self.problems.push(problem);
        } else {
            self.unlisted += 1;
        }
    }
}

/// Opens a ledger file for reading only, whatever its folder allows, without migrating it:
/// for checking it and for copying it.
pub(crate) fn open_for_reading(path: &Path) -> Result<Connection, StoreError> {
    file::expect_file(path)?;
    let conn = file::open_read_only(path)?;
    file::configure_read_only(&conn)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|e| file::unreadable(path, e))?;
    if version > schema::supported_version() {
        return Err(StoreError::NewerSchema {
            found: version,
            supported: schema::supported_version(),
        });
    }
    let unit = read_meta(&conn, "unit").map_err(|e| match e {
        StoreError::Sqlite(e) => file::unreadable(path, e),
        other => other,
    });
    match unit {
        Ok(Some(unit)) if !unit.is_empty() && version >= 1 => Ok(conn),
        Err(e @ (StoreError::Damaged { .. } | StoreError::Truncated { .. })) => Err(e),
        _ => Err(file::no_ledger_in(path)),
    }
}

/// Checks the ledger at `path`, reading only. A structurally damaged file is reported with
/// SQLite's findings and its records are not checked further.
pub fn check_ledger(path: &Path, depth: CheckDepth) -> Result<CheckReport, StoreError> {
    let conn = open_for_reading(path)?;
    let damaged = |e: rusqlite::Error| file::unreadable(path, e);
    let mut report = CheckReport {
        unit: read_meta(&conn, "unit")?.unwrap_or_default(),
        ..CheckReport::default()
    };
    let structure = match depth {
        CheckDepth::Full => integrity_check(&conn, 100),
        CheckDepth::Quick => file::quick_check(&conn),
    };
    for detail in structure.map_err(damaged)? {
        report.add(LedgerProblem::Structure { detail });
    }
    if !report.is_clean() {
        return Ok(report);
    }
    check_foreign_keys(&conn, &mut report).map_err(damaged)?;
    let role = match read_meta(&conn, "role")?.as_deref() {
        None => Some(LedgerRole::Unit),
        Some(key) => LedgerRole::from_key(key),
    };
    if role.is_none() {
        report.add(LedgerProblem::Identity {
            what: IdentityProblem::Role,
        });
    }
    let key_ok = read_meta(&conn, "signing_key")?
        .is_some_and(|key| key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()));
    if !key_ok {
        report.add(LedgerProblem::Identity {
            what: IdentityProblem::SigningKey,
        });
    }
    report.records = check_records(&conn, &mut report).map_err(damaged)?;
    if role == Some(LedgerRole::Unit) {
        check_units_own(&conn, &report.unit.clone(), &mut report).map_err(damaged)?;
        check_audit(&conn, &mut report).map_err(damaged)?;
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version < schema::supported_version() {
        report.older_schema = true;
        return Ok(report);
    }
    check_award_events(&conn, &mut report).map_err(damaged)?;
    pool::check_pool(&conn, role, &mut report).map_err(damaged)?;
    let basis = super::counts::ledger_basis(&conn)?;
    for part in super::counts::differences(&conn, &basis)? {
        report.add(LedgerProblem::KeptCounts { part });
    }
    match role {
        Some(LedgerRole::Unit) => check_exports(&conn, report.records, &mut report),
        Some(LedgerRole::City) => check_city(&conn, &mut report),
        None => Ok(()),
    }
    .map_err(damaged)?;
    Ok(report)
}

fn check_foreign_keys(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |row| {
        Ok(LedgerProblem::DanglingReference {
            table: row.get(0)?,
            rowid: row.get(1)?,
            parent: row.get(2)?,
        })
    })?;
    for problem in rows {
        report.add(problem?);
    }
    Ok(())
}

/// Every approval and payment names a record the ledger holds.
fn check_award_events(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT seq FROM award_events
         WHERE record_id NOT IN (SELECT id FROM records) ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |row| row.get::<_, i64>(0))?;
    for seq in rows {
        report.add(LedgerProblem::DanglingReference {
            table: "award_events".into(),
            rowid: Some(seq?),
            parent: "records".into(),
        });
    }
    Ok(())
}

/// Every record readable, its void reason matching its status, and its stored index columns
/// what its values give under this build's rules. Returns how many records there are.
fn check_records(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<u64> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, status, name, credit_code, key_date, end_date, dup_key, count_key,
             search_text, fields_json, void_reason IS NOT NULL
         FROM records",
    )?;
    let mut parent = conn.prepare(
        "SELECT count_key FROM records WHERE id = ?1 AND unit = (SELECT unit FROM records
             WHERE id = ?2) AND kind = ?3",
    )?;
    let mut rows = stmt.query([])?;
    let mut count = 0u64;
    while let Some(row) = rows.next()? {
        count += 1;
        let id: String = row.get(0)?;
        let kind = RecordKind::from_key(&row.get::<_, String>(1)?);
        let status: String = row.get(2)?;
        let fields = serde_json::from_str::<FieldValues>(&row.get::<_, String>(10)?).ok();
        let (Some(kind), Some(fields), true) =
            (kind, fields, matches!(status.as_str(), "active" | "voided"))
        else {
            report.add(LedgerProblem::UnreadableRecord { id });
            continue;
        };
        let active = status == "active";
        if active == row.get::<_, bool>(11)? {
            report.add(LedgerProblem::VoidReasonMismatch { id: id.clone() });
        }
        let Ok(index) = index_of_stored(kind, &fields) else {
            report.add(LedgerProblem::UnreadableRecord { id });
            continue;
        };
        let dup_key: String = row.get(7)?;
        let look_alike = format!("{}{}{id}", index.dup_key, super::reindex::LOOK_ALIKE_MARK);
        let stored = [
            ("name", row.get::<_, String>(3)? == index.name),
            (
                "credit_code",
                row.get::<_, Option<String>>(4)? == index.credit_code,
            ),
            (
                "key_date",
                row.get::<_, String>(5)? == index.key_date.to_string(),
            ),
            (
                "end_date",
                row.get::<_, Option<String>>(6)? == index.end_date.map(|d| d.to_string()),
            ),
            ("dup_key", dup_key == index.dup_key || dup_key == look_alike),
        ];
        for (column, same) in stored {
            if !same {
                report.add(LedgerProblem::IndexMismatch {
                    id: id.clone(),
                    column,
                });
            }
        }
        // An upgrade counts under the key of the record it supersedes (see `lineage`).
        let count_key: String = row.get(8)?;
        let chained = match fields.get(SUPERSEDES) {
            Some(earlier) if matches!(kind, RecordKind::RndInstitution | RecordKind::Incubator) => {
                parent
                    .query_row(params![earlier, id, kind.key()], |r| r.get::<_, String>(0))
                    .optional()?
            }
            _ => None,
        };
        let count_ok = match (&chained, active) {
            (Some(chain), true) => count_key == *chain,
            (Some(chain), false) => count_key == *chain || count_key == index.count_key,
            (None, _) => count_key == index.count_key,
        };
        if !count_ok {
            report.add(LedgerProblem::IndexMismatch {
                id,
                column: "count_key",
            });
        }
    }
    Ok(count)
}

/// A unit ledger holds only its own unit's records.
fn check_units_own(
    conn: &Connection,
    unit: &str,
    report: &mut CheckReport,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT id, unit FROM records WHERE unit <> ?1 LIMIT 1000")?;
    let rows = stmt.query_map([unit], |row| {
        Ok(LedgerProblem::ForeignUnit {
            id: row.get(0)?,
            unit: row.get(1)?,
        })
    })?;
    for problem in rows {
        report.add(problem?);
    }
    Ok(())
}

/// At a unit every change is kept in the record's history: a record past revision 1 has
/// change rows, the last of them at the record's revision (a record at revision 1 needs none:
/// its creation is its own columns). A file not yet upgraded keeps its history in `audit`,
/// where the creation has rows too, so every record needs rows there.
fn check_audit(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let upgraded: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema
                        WHERE type = 'table' AND name = 'record_changes')",
        [],
        |row| row.get(0),
    )?;
    let sql = if upgraded {
        "SELECT r.id, r.revision, c.revision
         FROM records AS r
         LEFT JOIN (SELECT record_id, MAX(revision) AS revision FROM record_changes
                    GROUP BY record_id) AS c ON c.record_id = r.id
         WHERE c.revision IS NOT r.revision AND (r.revision > 1 OR c.revision IS NOT NULL)"
    } else {
        "SELECT r.id, r.revision, a.revision
         FROM records AS r
         LEFT JOIN (SELECT record_id, MAX(revision) AS revision FROM audit GROUP BY record_id)
             AS a ON a.record_id = r.id
         WHERE a.revision IS NOT r.revision"
    };
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |row| {
        let id: String = row.get(0)?;
        Ok(match row.get::<_, Option<i64>>(2)? {
            None => LedgerProblem::NoAudit { id },
            Some(audited) => LedgerProblem::RevisionMismatch {
                id,
                revision: row.get(1)?,
                audited,
            },
        })
    })?;
    for problem in rows {
        report.add(problem?);
    }
    Ok(())
}

/// Records are never deleted, so no bundle written can have carried more than the ledger
/// holds now; each logged bundle has a SHA-256.
fn check_exports(
    conn: &Connection,
    records: u64,
    report: &mut CheckReport,
) -> rusqlite::Result<()> {
    let mut stmt =
        conn.prepare("SELECT sequence, records, sha256 FROM exports ORDER BY sequence")?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (sequence, carried, sha256) = row?;
        let hash_ok = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
        if u64::try_from(carried).map_or(true, |c| c > records) || !hash_ok {
            report.add(LedgerProblem::ExportLog { sequence });
        }
    }
    Ok(())
}

/// At the city: every import's counts add up; every unit whose records the city holds has
/// its key pinned and bundles imported, and the city holds at least as many of its records
/// as its newest bundle carried (bundles are whole snapshots; records are never deleted).
fn check_city(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT unit, sequence FROM imports WHERE records <> new + changed + unchanged + voided",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(LedgerProblem::ImportCounts {
            unit: row.get(0)?,
            sequence: row.get(1)?,
        })
    })?;
    for problem in rows {
        report.add(problem?);
    }
    let mut stmt = conn.prepare(
        "SELECT r.unit, r.held,
             EXISTS (SELECT 1 FROM unit_keys AS k WHERE k.unit = r.unit),
             (SELECT i.records FROM imports AS i WHERE i.unit = r.unit
              ORDER BY i.imported_at DESC, i.sequence DESC LIMIT 1)
         FROM (SELECT unit, COUNT(*) AS held FROM records GROUP BY unit) AS r
         ORDER BY r.unit",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, bool>(2)?,
            row.get::<_, Option<i64>>(3)?,
        ))
    })?;
    for row in rows {
        let (unit, held, keyed, newest) = row?;
        if !keyed {
            report.add(LedgerProblem::UnitWithoutKey { unit: unit.clone() });
        }
        match newest {
            None => report.add(LedgerProblem::UnitWithoutImport { unit }),
            Some(imported) if imported > held => report.add(LedgerProblem::FewerThanImported {
                unit,
                held: u64::try_from(held).unwrap_or(0),
                imported: u64::try_from(imported).unwrap_or(0),
            }),
            Some(_) => {}
        }
    }
    Ok(())
}
