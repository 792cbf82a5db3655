//! The cultivation pool in the ledger: a unit's entries and their history (one row per
//! change), the link between a new high-tech record and the entry it achieves, and the
//! city's copy of each unit's pool, replaced by every bundle.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, TransactionBehavior, params};
use uuid::Uuid;

use super::queries::{IdMatch, IdTable, resolve_id_in};
use super::records::{bad_column, parse_timestamp, parse_uuid, row_u64};
use super::{Ledger, LedgerRole, StoreError, kept};
use crate::domain::pool::{
    self, CLOSE_REASON, NOTES, PoolAction, PoolChange, PoolClose, PoolCounts, PoolEdit, PoolEntry,
    PoolFieldChange, PoolFields, PoolRefusal, PoolStage, PoolStatus, PoolTally, STAGE, TARGET_ON,
};
use crate::domain::validate::{ACCOUNT_MAX, VOID_REASON_MAX};

/// The columns [`entry_from_row`] reads, in its order.
const ENTRY_COLUMNS: &str = "id, unit, credit_code, name, stage, target_on, notes, status, \
     achieved_by, closed_on, close_reason, revision, created_by, created_at, updated_by, \
     updated_at, override_reason";

/// Which entries a list shows. `limit == 0` means no limit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PoolQuery {
    /// Only this unit's entries (at the city, which holds every unit's); a unit ledger
    /// holds only its own.
    pub unit: Option<String>,
    /// Only entries of this status; `None` for every entry.
    pub status: Option<PoolStatus>,
    pub limit: usize,
}

impl PoolQuery {
    /// The open entries (of `unit`, if given).
    pub fn open(unit: Option<&str>) -> PoolQuery {
        PoolQuery {
            unit: unit.map(str::to_owned),
            status: Some(PoolStatus::Open),
            limit: 0,
        }
    }
}

impl Ledger {
    /// Puts a firm into this unit's pool (unit ledgers only). Refused while the unit has
    /// another open entry for the same credit code.
    pub fn pool_add(&mut self, fields: &PoolFields, actor: &str) -> Result<PoolEntry, StoreError> {
        self.ensure_pool_writable()?;
        let actor = &kept("actor", actor, ACCOUNT_MAX)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let at = Timestamp::now().to_string();
        let id = add(&tx, &self.unit, fields, actor, &at)?;
        let entry = get(&tx, id)?;
        tx.commit()?;
        Ok(entry)
    }

    /// Changes an open entry's stage, target date or notes. With `expect_revision`, refused
    /// if someone changed the entry since. Nothing changed leaves the entry as it was.
    pub fn pool_edit(
        &mut self,
        id: Uuid,
        expect_revision: Option<i64>,
        edit: &PoolEdit,
        actor: &str,
    ) -> Result<PoolEntry, StoreError> {
        self.pool_change(
            id,
            |tx, at, actor| edit_entry(tx, id, expect_revision, edit, actor, at),
            actor,
        )
    }

    /// Closes an open entry as achieved or withdrawn.
    pub fn pool_close(
        &mut self,
        id: Uuid,
        expect_revision: Option<i64>,
        close: &PoolClose,
        actor: &str,
    ) -> Result<PoolEntry, StoreError> {
        self.pool_change(
            id,
            |tx, at, actor| close_entry(tx, id, expect_revision, close, None, actor, at),
            actor,
        )
    }

    /// Opens a closed entry again (its closing day, reason and achieving record cleared).
    /// Refused while the unit has another open entry for the firm.
    pub fn pool_reopen(
        &mut self,
        id: Uuid,
        expect_revision: Option<i64>,
        actor: &str,
    ) -> Result<PoolEntry, StoreError> {
        self.pool_change(
            id,
            |tx, at, actor| reopen_entry(tx, id, expect_revision, actor, at),
            actor,
        )
    }

    fn pool_change(
        &mut self,
        id: Uuid,
        change: impl FnOnce(&Connection, &str, &str) -> Result<(), StoreError>,
        actor: &str,
    ) -> Result<PoolEntry, StoreError> {
        self.ensure_pool_writable()?;
        let actor = &kept("actor", actor, ACCOUNT_MAX)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let at = Timestamp::now().to_string();
        change(&tx, &at, actor)?;
        let entry = get(&tx, id)?;
        tx.commit()?;
        Ok(entry)
    }

    /// The pool is kept by hand only in a unit's ledger; the city's comes from bundles.
    fn ensure_pool_writable(&self) -> Result<(), StoreError> {
        self.ensure_not_read_only()?;
        match self.role {
            LedgerRole::Unit => Ok(()),
            LedgerRole::City => Err(StoreError::Pool(PoolRefusal::CityReadOnly)),
        }
    }

    /// The entry with this id.
    pub fn pool_get(&self, id: Uuid) -> Result<PoolEntry, StoreError> {
        get(&self.conn, id)
    }

    /// The entry a clerk means: a full id, or at least [`super::MIN_ID_PREFIX`] hex digits
    /// that start exactly one entry's id, or else end exactly one.
    pub fn pool_resolve_id(&self, text: &str) -> Result<Uuid, StoreError> {
        let refused = |refusal| Err(StoreError::Pool(refusal));
        match resolve_id_in(&self.conn, IdTable::PoolEntries, text)? {
            IdMatch::One(id) => Ok(id),
            IdMatch::None => refused(PoolRefusal::NotFound {
                id: text.trim().to_owned(),
            }),
            IdMatch::Many(count) => refused(PoolRefusal::AmbiguousId {
                prefix: text.trim().to_owned(),
                count,
            }),
        }
    }

    /// Entries by unit, then open before achieved before withdrawn, then target date.
    pub fn pool_list(&self, q: &PoolQuery) -> Result<Vec<PoolEntry>, StoreError> {
        list(&self.conn, q)
    }

    /// The entry's history, oldest first: its creation, then every change.
    pub fn pool_history(&self, id: Uuid) -> Result<Vec<PoolChange>, StoreError> {
        history(&self.conn, id)
    }

    /// Open entries whose target date is at most `horizon_days` after `as_of`, overdue ones
    /// included (see [`pool::is_near_target`]), soonest first; of `unit` only, if given.
    pub fn pool_near_target(
        &self,
        as_of: Date,
        horizon_days: u16,
        unit: Option<&str>,
    ) -> Result<Vec<PoolEntry>, StoreError> {
        near_target(&self.conn, as_of, horizon_days, unit)
    }

    /// Each unit's pool in numbers (open entries by stage, closed ones by status), for the
    /// units that have entries, by unit code. [`pool::counts_by_unit`] puts them in the
    /// plan's order with totals.
    pub fn pool_counts(&self) -> Result<Vec<PoolCounts>, StoreError> {
        counts(&self.conn)
    }

    /// The entry a high-tech record achieved, if any (for the record's page).
    pub fn pool_entry_achieved_by(&self, record: Uuid) -> Result<Option<PoolEntry>, StoreError> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM pool_entries WHERE achieved_by = ?1
             ORDER BY id LIMIT 1"
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([record.to_string()], entry_from_row)
            .optional()?)
    }
}

/// Reads a row selected with [`ENTRY_COLUMNS`].
fn entry_from_row(row: &Row<'_>) -> rusqlite::Result<PoolEntry> {
    let text = |idx: usize| row.get::<_, String>(idx);
    let date = |idx: usize, value: &str| {
        value
            .parse::<Date>()
            .map_err(|_| bad_column(idx, format!("date {value:?}")))
    };
    let id = text(0)?;
    let stage = text(4)?;
    let status = text(7)?;
    let achieved_by: Option<String> = row.get(8)?;
    let closed_on: Option<String> = row.get(9)?;
    Ok(PoolEntry {
        id: parse_uuid(0, &id)?,
        unit: text(1)?,
        credit_code: text(2)?,
        name: text(3)?,
        stage: PoolStage::from_key(&stage)
            .ok_or_else(|| bad_column(4, format!("stage {stage:?}")))?,
        target_on: date(5, &text(5)?)?,
        notes: text(6)?,
        status: PoolStatus::from_key(&status)
            .ok_or_else(|| bad_column(7, format!("status {status:?}")))?,
        achieved_by: achieved_by.map(|t| parse_uuid(8, &t)).transpose()?,
        closed_on: closed_on.map(|t| date(9, &t)).transpose()?,
        close_reason: row.get(10)?,
        revision: row.get(11)?,
        created_by: text(12)?,
        created_at: parse_timestamp(13, &text(13)?)?,
        updated_by: text(14)?,
        updated_at: parse_timestamp(15, &text(15)?)?,
        override_reason: row.get(16)?,
    })
}

fn find(conn: &Connection, id: Uuid) -> Result<Option<PoolEntry>, StoreError> {
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM pool_entries WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id.to_string()], entry_from_row)
        .optional()?)
}

fn get(conn: &Connection, id: Uuid) -> Result<PoolEntry, StoreError> {
    find(conn, id)?.ok_or_else(|| StoreError::Pool(PoolRefusal::NotFound { id: id.to_string() }))
}

/// The unit's open entry for the firm, other than `except`.
fn open_entry_of(
    conn: &Connection,
    unit: &str,
    credit_code: &str,
    except: Option<Uuid>,
) -> Result<Option<PoolEntry>, StoreError> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM pool_entries
         WHERE unit = ?1 AND credit_code = ?2 AND status = 'open' AND id IS NOT ?3"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(
            params![unit, credit_code, except.map(|id| id.to_string())],
            entry_from_row,
        )
        .optional()?)
}

/// A unique-index failure on the open entry of a firm becomes
/// [`PoolRefusal::AlreadyOpen`] naming the entry already there.
fn map_open_twice(
    conn: &Connection,
    e: rusqlite::Error,
    unit: &str,
    credit_code: &str,
    except: Option<Uuid>,
) -> StoreError {
    if e.sqlite_error_code() != Some(ErrorCode::ConstraintViolation) {
        return StoreError::Sqlite(e);
    }
    match open_entry_of(conn, unit, credit_code, except) {
        Ok(Some(existing)) => StoreError::Pool(PoolRefusal::AlreadyOpen {
            existing: existing.id,
            name: existing.name,
        }),
        Ok(None) => StoreError::Sqlite(e),
        Err(other) => other,
    }
}

fn add(
    conn: &Connection,
    unit: &str,
    fields: &PoolFields,
    actor: &str,
    at: &str,
) -> Result<Uuid, StoreError> {
    let id = super::ids::new_id();
    conn.prepare_cached(
        "INSERT INTO pool_entries (id, unit, credit_code, name, stage, target_on, notes, status,
             achieved_by, closed_on, close_reason, revision, created_by, created_at, updated_by,
             updated_at, override_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', NULL, NULL, NULL, 1, ?8, ?9, ?8, ?9, ?10)",
    )?
    .execute(params![
        id.to_string(),
        unit,
        fields.credit_code,
        fields.name,
        fields.stage.key(),
        fields.target_on.to_string(),
        fields.notes,
        actor,
        at,
        fields.override_reason,
    ])
    .map_err(|e| map_open_twice(conn, e, unit, &fields.credit_code, None))?;
    Ok(id)
}

/// The entry as it stands, refused if it is missing, at another revision than expected, or
/// not in a state the change applies to.
fn current(
    conn: &Connection,
    id: Uuid,
    expect: Option<i64>,
    reopening: bool,
) -> Result<PoolEntry, StoreError> {
    let entry = get(conn, id)?;
    if let Some(expected) = expect
        && expected != entry.revision
    {
        return Err(StoreError::Pool(PoolRefusal::Conflict {
            id,
            expected,
            actual: entry.revision,
        }));
    }
    pool::check_change(id, entry.status, reopening).map_err(StoreError::Pool)?;
    Ok(entry)
}

fn change(field: &str, old: Option<String>, new: Option<String>) -> PoolFieldChange {
    PoolFieldChange {
        field: field.to_owned(),
        old,
        new,
    }
}

/// Appends one row to the entry's history.
fn append_change(
    conn: &Connection,
    id: Uuid,
    revision: i64,
    at: &str,
    actor: &str,
    action: PoolAction,
    changes: &[PoolFieldChange],
) -> Result<(), StoreError> {
    let triples: Vec<(&str, Option<&str>, Option<&str>)> = changes
        .iter()
        .map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref()))
        .collect();
    let detail = serde_json::to_string(&triples)
        .map_err(|e| StoreError::Sqlite(bad_column(0, e.to_string())))?;
    conn.prepare_cached(
        "INSERT INTO pool_changes (entry_id, revision, at, actor, action, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        id.to_string(),
        revision,
        at,
        actor,
        action.key(),
        detail
    ])?;
    Ok(())
}

fn edit_entry(
    conn: &Connection,
    id: Uuid,
    expect: Option<i64>,
    edit: &PoolEdit,
    actor: &str,
    at: &str,
) -> Result<(), StoreError> {
    let old = current(conn, id, expect, false)?;
    let stage = edit.stage.unwrap_or(old.stage);
    let target_on = edit.target_on.unwrap_or(old.target_on);
    let notes = edit.notes.clone().unwrap_or_else(|| old.notes.clone());
    let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    let changes: Vec<PoolFieldChange> = [
        change(
            STAGE,
            Some(old.stage.key().to_owned()),
            Some(stage.key().to_owned()),
        ),
        change(
            TARGET_ON,
            Some(old.target_on.to_string()),
            Some(target_on.to_string()),
        ),
        change(NOTES, text(&old.notes), text(&notes)),
    ]
    .into_iter()
    .filter(|c| c.old != c.new)
    .collect();
    if changes.is_empty() {
        return Ok(());
    }
    let revision = old.revision + 1;
    conn.prepare_cached(
        "UPDATE pool_entries SET stage = ?2, target_on = ?3, notes = ?4, revision = ?5,
             updated_by = ?6, updated_at = ?7
         WHERE id = ?1",
    )?
    .execute(params![
        id.to_string(),
        stage.key(),
        target_on.to_string(),
        notes,
        revision,
        actor,
        at
    ])?;
    append_change(conn, id, revision, at, actor, PoolAction::Edit, &changes)
}

/// Closes an open entry; `achieved_by` names the record that achieved it, when a record did.
fn close_entry(
    conn: &Connection,
    id: Uuid,
    expect: Option<i64>,
    close: &PoolClose,
    achieved_by: Option<Uuid>,
    actor: &str,
    at: &str,
) -> Result<(), StoreError> {
    let old = current(conn, id, expect, false)?;
    let (action, on, reason) = match close {
        PoolClose::Achieved { on, reason } => (PoolAction::Achieve, *on, reason.as_deref()),
        PoolClose::Withdrawn { on, reason } => (PoolAction::Withdraw, *on, Some(reason.as_str())),
    };
    let reason = reason
        .map(|r| kept(CLOSE_REASON, r, VOID_REASON_MAX))
        .transpose()?
        .filter(|r| !r.is_empty());
    if action == PoolAction::Withdraw && reason.is_none() {
        return Err(StoreError::EmptyReason);
    }
    let status = close.status();
    let achieved_by = achieved_by.filter(|_| status == PoolStatus::Achieved);
    let revision = old.revision + 1;
    conn.prepare_cached(
        "UPDATE pool_entries SET status = ?2, achieved_by = ?3, closed_on = ?4,
             close_reason = ?5, revision = ?6, updated_by = ?7, updated_at = ?8
         WHERE id = ?1",
    )?
    .execute(params![
        id.to_string(),
        status.key(),
        achieved_by.map(|r| r.to_string()),
        on.to_string(),
        reason,
        revision,
        actor,
        at
    ])?;
    let mut changes = vec![
        change(
            "status",
            Some(old.status.key().to_owned()),
            Some(status.key().to_owned()),
        ),
        change("closed_on", None, Some(on.to_string())),
    ];
    if let Some(record) = achieved_by {
        changes.push(change("achieved_by", None, Some(record.to_string())));
    }
    if let Some(reason) = reason {
        changes.push(change(CLOSE_REASON, None, Some(reason)));
    }
    append_change(conn, id, revision, at, actor, action, &changes)
}

fn reopen_entry(
    conn: &Connection,
    id: Uuid,
    expect: Option<i64>,
    actor: &str,
    at: &str,
) -> Result<(), StoreError> {
    let old = current(conn, id, expect, true)?;
    let revision = old.revision + 1;
    conn.prepare_cached(
        "UPDATE pool_entries SET status = 'open', achieved_by = NULL, closed_on = NULL,
             close_reason = NULL, revision = ?2, updated_by = ?3, updated_at = ?4
         WHERE id = ?1",
    )?
    .execute(params![id.to_string(), revision, actor, at])
    .map_err(|e| map_open_twice(conn, e, &old.unit, &old.credit_code, Some(id)))?;
    let mut changes = vec![
        change(
            "status",
            Some(old.status.key().to_owned()),
            Some(PoolStatus::Open.key().to_owned()),
        ),
        change("closed_on", old.closed_on.map(|d| d.to_string()), None),
    ];
    if let Some(record) = old.achieved_by {
        changes.push(change("achieved_by", Some(record.to_string()), None));
    }
    if let Some(reason) = old.close_reason {
        changes.push(change(CLOSE_REASON, Some(reason), None));
    }
    append_change(conn, id, revision, at, actor, PoolAction::Reopen, &changes)
}

/// A unit saved a new high-tech record of the firm `credit_code`, certified on `on`: the
/// unit's open entry for the firm, if it is at a stage a certificate achieves
/// ([`PoolStage::closed_by_high_tech`]), closes as achieved on that day, naming the record,
/// in the caller's transaction and audited with the record's actor.
pub(crate) fn link_high_tech(
    conn: &Connection,
    unit: &str,
    record: Uuid,
    credit_code: &str,
    on: Date,
    actor: &str,
    at: &str,
) -> Result<(), StoreError> {
    let Some(entry) = open_entry_of(conn, unit, credit_code, None)? else {
        return Ok(());
    };
    if !entry.stage.closed_by_high_tech() {
        return Ok(());
    }
    let close = PoolClose::Achieved { on, reason: None };
    close_entry(conn, entry.id, None, &close, Some(record), actor, at)
}

/// A high-tech record was voided: the entry it achieved opens again, audited with the
/// actor of the void. Restoring the record later does not close the entry again by itself:
/// the clerk closes it (`pool close ID --achieved`), since the firm's pool may have moved on
/// meanwhile. An entry whose firm has since got another open entry stays as it is (the
/// newer entry carries the firm).
pub(crate) fn reopen_achieved_by(
    conn: &Connection,
    record: Uuid,
    actor: &str,
    at: &str,
) -> Result<(), StoreError> {
    let ids: Vec<String> = conn
        .prepare_cached(
            "SELECT id FROM pool_entries WHERE achieved_by = ?1 AND status = 'achieved'
             ORDER BY id",
        )?
        .query_map([record.to_string()], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        let id = parse_uuid(0, &id)?;
        let entry = get(conn, id)?;
        if open_entry_of(conn, &entry.unit, &entry.credit_code, Some(id))?.is_some() {
            continue;
        }
        reopen_entry(conn, id, None, actor, at)?;
    }
    Ok(())
}

fn list(conn: &Connection, q: &PoolQuery) -> Result<Vec<PoolEntry>, StoreError> {
    let limit = if q.limit == 0 {
        i64::MAX
    } else {
        i64::try_from(q.limit).unwrap_or(i64::MAX)
    };
    // One unit's entries are a seek on `pool_entries_list`; all units' (the city's whole
    // pool, a few hundred entries) are read in full.
    let unit = if q.unit.is_some() {
        "unit = ?1"
    } else {
        "?1 IS NULL"
    };
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM pool_entries
         WHERE {unit} AND (?2 IS NULL OR status = ?2)
         ORDER BY unit, CASE status WHEN 'open' THEN 0 WHEN 'achieved' THEN 1 ELSE 2 END,
             target_on, id
         LIMIT ?3"
    );
    let entries = conn
        .prepare_cached(&sql)?
        .query_map(
            params![q.unit, q.status.map(PoolStatus::key), limit],
            entry_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(entries)
}

fn near_target(
    conn: &Connection,
    as_of: Date,
    horizon_days: u16,
    unit: Option<&str>,
) -> Result<Vec<PoolEntry>, StoreError> {
    let last = pool::near_target_until(as_of, horizon_days).unwrap_or(Date::MAX);
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM pool_entries
         WHERE status = 'open' AND target_on <= ?1 AND (?2 IS NULL OR unit = ?2)
         ORDER BY target_on, unit, id"
    );
    let entries = conn
        .prepare_cached(&sql)?
        .query_map(params![last.to_string(), unit], entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(entries)
}

fn counts(conn: &Connection) -> Result<Vec<PoolCounts>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT unit, status, stage, count(*) FROM pool_entries
         GROUP BY unit, status, stage ORDER BY unit, status, stage",
    )?;
    let mut rows = stmt.query([])?;
    let mut out: Vec<PoolCounts> = Vec::new();
    while let Some(row) = rows.next()? {
        let unit: String = row.get(0)?;
        let status: String = row.get(1)?;
        let stage: String = row.get(2)?;
        let status = PoolStatus::from_key(&status)
            .ok_or_else(|| bad_column(1, format!("status {status:?}")))?;
        let stage =
            PoolStage::from_key(&stage).ok_or_else(|| bad_column(2, format!("stage {stage:?}")))?;
        let n = row_u64(row, 3)?;
        if out.last().is_none_or(|last| last.unit != unit) {
            out.push(PoolCounts::empty(&unit));
        }
        if let Some(last) = out.last_mut() {
            last.add(stage, status, n);
        }
    }
    Ok(out)
}

fn history(conn: &Connection, id: Uuid) -> Result<Vec<PoolChange>, StoreError> {
    let entry = get(conn, id)?;
    let mut out = vec![PoolChange {
        revision: 1,
        at: entry.created_at,
        actor: entry.created_by,
        action: PoolAction::Create,
        changes: Vec::new(),
    }];
    let mut stmt = conn.prepare_cached(
        "SELECT revision, at, actor, action, detail FROM pool_changes
         WHERE entry_id = ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query([id.to_string()])?;
    while let Some(row) = rows.next()? {
        let at: String = row.get(1)?;
        let action: String = row.get(3)?;
        let detail: String = row.get(4)?;
        let triples: Vec<(String, Option<String>, Option<String>)> = serde_json::from_str(&detail)
            .map_err(|e| bad_column(4, format!("changes of pool entry {id}: {e}")))?;
        out.push(PoolChange {
            revision: row.get(0)?,
            at: parse_timestamp(1, &at)?,
            actor: row.get(2)?,
            action: PoolAction::from_key(&action)
                .ok_or_else(|| bad_column(3, format!("action {action:?}")))?,
            changes: triples
                .into_iter()
                .map(|(field, old, new)| PoolFieldChange { field, old, new })
                .collect(),
        });
    }
    Ok(out)
}

/// Every entry of the ledger, in id order (what a unit's bundle carries).
pub(crate) fn all_in_id_order(conn: &Connection) -> Result<Vec<PoolEntry>, StoreError> {
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM pool_entries ORDER BY id");
    let entries = conn
        .prepare_cached(&sql)?
        .query_map([], entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(entries)
}

/// How many entries the ledger holds for `unit`, and how many of them are open.
pub(crate) fn unit_tally(conn: &Connection, unit: &str) -> Result<PoolTally, StoreError> {
    let (entries, open) = conn
        .prepare_cached(
            "SELECT count(*), coalesce(sum(status = 'open'), 0) FROM pool_entries
             WHERE unit = ?1",
        )?
        .query_row([unit], |row| Ok((row_u64(row, 0)?, row_u64(row, 1)?)))?;
    Ok(PoolTally { entries, open })
}

/// At the city, inside an import: the unit's entries become `entries` (its bundle's, all
/// of the unit's), history and all of what was held before dropped. Returns the first entry
/// whose id the city holds under another unit (nothing is replaced then).
pub(crate) fn replace_unit_entries(
    conn: &Connection,
    unit: &str,
    entries: &[PoolEntry],
) -> Result<Option<(Uuid, String)>, StoreError> {
    for entry in entries {
        let held: Option<String> = conn
            .prepare_cached("SELECT unit FROM pool_entries WHERE id = ?1 AND unit <> ?2")?
            .query_row(params![entry.id.to_string(), unit], |row| row.get(0))
            .optional()?;
        if let Some(held) = held {
            return Ok(Some((entry.id, held)));
        }
    }
    conn.prepare_cached(
        "DELETE FROM pool_changes
         WHERE entry_id IN (SELECT id FROM pool_entries WHERE unit = ?1)",
    )?
    .execute([unit])?;
    conn.prepare_cached("DELETE FROM pool_entries WHERE unit = ?1")?
        .execute([unit])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO pool_entries (id, unit, credit_code, name, stage, target_on, notes, status,
             achieved_by, closed_on, close_reason, revision, created_by, created_at, updated_by,
             updated_at, override_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?;
    for e in entries {
        insert.execute(params![
            e.id.to_string(),
            e.unit,
            e.credit_code,
            e.name,
            e.stage.key(),
            e.target_on.to_string(),
            e.notes,
            e.status.key(),
            e.achieved_by.map(|r| r.to_string()),
            e.closed_on.map(|d| d.to_string()),
            e.close_reason,
            e.revision,
            e.created_by,
            e.created_at.to_string(),
            e.updated_by,
            e.updated_at.to_string(),
            e.override_reason,
        ])?;
    }
    Ok(None)
}

#[cfg(test)]
mod tests;
