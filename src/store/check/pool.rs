//! What must hold in the cultivation pool's tables: stages, statuses and dates the pool
//! knows, one open entry per firm and unit, an achieving record that is a high-tech record of
//! the entry's firm in its unit, and (at a unit, which keeps it) a history that leads to each
//! entry's revision.

use jiff::civil::Date;
use rusqlite::Connection;

use super::{AchievedByFault, CheckReport, LedgerProblem};
use crate::domain::RecordKind;
use crate::domain::pool::{PoolStage, PoolStatus};
use crate::store::LedgerRole;

/// Checks the pool's tables; the history only at a unit ledger (the city keeps each unit's
/// entries as its bundle carries them, without their history).
pub(super) fn check_pool(
    conn: &Connection,
    role: Option<LedgerRole>,
    report: &mut CheckReport,
) -> rusqlite::Result<()> {
    check_values(conn, report)?;
    check_open_once(conn, report)?;
    check_achieved_by(conn, report)?;
    if role == Some(LedgerRole::Unit) {
        check_history(conn, report)?;
    }
    check_orphan_changes(conn, report)
}

/// Each entry's stage and status are the pool's, its dates real days, and its closing day
/// there exactly when it is closed.
fn check_values(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut stmt = conn
        .prepare("SELECT id, stage, status, target_on, closed_on FROM pool_entries ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let stage: String = row.get(1)?;
        let status: String = row.get(2)?;
        let target_on: String = row.get(3)?;
        let closed_on: Option<String> = row.get(4)?;
        let mut bad = |column: &'static str, value: &str| {
            report.add(LedgerProblem::PoolBadValue {
                id: id.clone(),
                column,
                value: value.to_owned(),
            })
        };
        if PoolStage::from_key(&stage).is_none() {
            bad("stage", &stage);
        }
        if target_on.parse::<Date>().is_err() {
            bad("target_on", &target_on);
        }
        let Some(status_known) = PoolStatus::from_key(&status) else {
            bad("status", &status);
            continue;
        };
        let closing_fits = match (&closed_on, status_known) {
            (None, PoolStatus::Open) => true,
            (Some(day), PoolStatus::Achieved | PoolStatus::Withdrawn) => {
                day.parse::<Date>().is_ok()
            }
            _ => false,
        };
        if !closing_fits {
            bad("closed_on", closed_on.as_deref().unwrap_or_default());
        }
    }
    Ok(())
}

/// At most one open entry per unit and firm (the unique index keeps it so while it is there).
fn check_open_once(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT unit, credit_code, count(*) FROM pool_entries WHERE status = 'open'
         GROUP BY unit, credit_code HAVING count(*) > 1 ORDER BY unit, credit_code",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(LedgerProblem::PoolOpenTwice {
            unit: row.get(0)?,
            credit_code: row.get(1)?,
            entries: crate::store::records::row_u64(row, 2)?,
        })
    })?;
    for problem in rows {
        report.add(problem?);
    }
    Ok(())
}

/// The record an entry names as having achieved it is a high-tech record of the entry's unit
/// and firm (voided or not: voiding it reopens the entry unless the firm has another).
fn check_achieved_by(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.achieved_by, p.credit_code, r.kind, r.credit_code
         FROM pool_entries AS p
         LEFT JOIN records AS r ON r.id = p.achieved_by AND r.unit = p.unit
         WHERE p.achieved_by IS NOT NULL ORDER BY p.id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let kind: Option<String> = row.get(3)?;
        let entry_code: String = row.get(2)?;
        let record_code: Option<String> = row.get(4)?;
        let fault = match kind {
            None => AchievedByFault::Missing,
            Some(kind) if RecordKind::from_key(&kind) != Some(RecordKind::HighTech) => {
                AchievedByFault::NotHighTech { kind }
            }
            Some(_) if record_code.as_deref() != Some(entry_code.as_str()) => {
                AchievedByFault::OtherFirm {
                    entry_code,
                    record_code,
                }
            }
            Some(_) => continue,
        };
        report.add(LedgerProblem::PoolAchievedBy {
            id: row.get(0)?,
            record: row.get(1)?,
            fault,
        });
    }
    Ok(())
}

/// At a unit every change of an entry is a row of its history, numbered from revision 2 up
/// to the entry's revision, one each (its creation is its own columns).
fn check_history(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.revision, count(c.seq), max(c.revision)
         FROM pool_entries AS e LEFT JOIN pool_changes AS c ON c.entry_id = e.id
         GROUP BY e.id
         HAVING count(c.seq) <> e.revision - 1
             OR count(DISTINCT c.revision) <> count(c.seq)
             OR (count(c.seq) > 0 AND (min(c.revision) <> 2 OR max(c.revision) <> e.revision))
         ORDER BY e.id",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(LedgerProblem::PoolHistory {
            id: row.get(0)?,
            revision: row.get(1)?,
            changes: crate::store::records::row_u64(row, 2)?,
            last: row.get(3)?,
        })
    })?;
    for problem in rows {
        report.add(problem?);
    }
    Ok(())
}

/// Entries are never deleted at a unit, and the city drops an entry's history with it: no
/// history row names an entry the ledger does not hold.
fn check_orphan_changes(conn: &Connection, report: &mut CheckReport) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "SELECT seq FROM pool_changes
         WHERE entry_id NOT IN (SELECT id FROM pool_entries) ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |row| row.get::<_, i64>(0))?;
    for seq in rows {
        report.add(LedgerProblem::DanglingReference {
            table: "pool_changes".into(),
            rowid: Some(seq?),
            parent: "pool_entries".into(),
        });
    }
    Ok(())
}
