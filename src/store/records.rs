//! Writing records: insert, edit, void and restore (each change but the creation with its row
//! in the record's history), and reading a record row back into a [`Record`].

use std::fmt;

use jiff::Timestamp;
use rusqlite::types::Type;
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, params};
use uuid::Uuid;

use super::{StoreError, counts, search};
use crate::domain::validate::text;
use crate::domain::{AuditAction, FieldValues, Record, RecordKind, RecordStatus, ValidRecord};

/// The columns [`record_from_row`] reads, in its order.
pub(crate) const RECORD_COLUMNS: &str = "id, unit, kind, status, revision, fields_json, \
     void_reason, created_by, created_at, updated_by, updated_at";

/// A stored value this build cannot read back (a damaged row, or one from a newer schema).
#[derive(Debug)]
pub(crate) struct BadColumn(pub(crate) String);

impl fmt::Display for BadColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unreadable stored value: {}", self.0)
    }
}

impl std::error::Error for BadColumn {}

pub(crate) fn bad_column(idx: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(BadColumn(what)))
}

pub(crate) fn parse_uuid(idx: usize, text: &str) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(text).map_err(|_| bad_column(idx, format!("id {text:?}")))
}

pub(crate) fn parse_kind(idx: usize, text: &str) -> rusqlite::Result<RecordKind> {
    RecordKind::from_key(text).ok_or_else(|| bad_column(idx, format!("kind {text:?}")))
}

pub(crate) fn parse_timestamp(idx: usize, text: &str) -> rusqlite::Result<Timestamp> {
    text.parse()
        .map_err(|_| bad_column(idx, format!("timestamp {text:?}")))
}

/// A count or sequence as SQLite stores it (a signed 64-bit integer).
pub(crate) fn sql_u64(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::NumberOutOfRange { value })
}

/// A stored count or sequence; a negative one is a damaged row.
pub(crate) fn row_u64(row: &Row<'_>, idx: usize) -> rusqlite::Result<u64> {
    let value: i64 = row.get(idx)?;
    u64::try_from(value).map_err(|_| bad_column(idx, format!("count {value}")))
}

/// Reads a row selected with [`RECORD_COLUMNS`].
pub(crate) fn record_from_row(row: &Row<'_>) -> rusqlite::Result<Record> {
    let id: String = row.get(0)?;
    let kind: String = row.get(2)?;
    let status: String = row.get(3)?;
    let fields_json: String = row.get(5)?;
    let created_at: String = row.get(8)?;
    let updated_at: String = row.get(10)?;
    let fields: FieldValues = serde_json::from_str(&fields_json)
        .map_err(|e| bad_column(5, format!("fields of {id}: {e}")))?;
    Ok(Record {
        id: parse_uuid(0, &id)?,
        unit: row.get(1)?,
        kind: parse_kind(2, &kind)?,
        status: RecordStatus::from_key(&status)
            .ok_or_else(|| bad_column(3, format!("status {status:?}")))?,
        revision: row.get(4)?,
        fields,
        void_reason: row.get(6)?,
        created_by: row.get(7)?,
        created_at: parse_timestamp(8, &created_at)?,
        updated_by: row.get(9)?,
        updated_at: parse_timestamp(10, &updated_at)?,
    })
}

/// The record with this id, if any.
pub(crate) fn find(conn: &Connection, id: Uuid) -> Result<Option<Record>, StoreError> {
    let sql = format!("SELECT {RECORD_COLUMNS} FROM records WHERE id = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    Ok(stmt
        .query_row([id.to_string()], record_from_row)
        .optional()?)
}

pub(crate) fn get(conn: &Connection, id: Uuid) -> Result<Record, StoreError> {
    find(conn, id)?.ok_or_else(|| StoreError::NotFound { id: id.to_string() })
}

/// NFKC, invisible characters dropped, lower-cased: the form both the search index and
/// searches take.
pub(crate) fn fold_for_search(text: &str) -> String {
    text::search_form(text)
}

/// The field keys in form order (the kind's fields, then any others), for an edit's history.
fn ordered_keys<'a>(kind: RecordKind, keys: impl Iterator<Item = &'a String>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = keys.map(String::as_str).collect();
    keys.sort_by_key(|k| {
        kind.fields()
            .iter()
            .position(|f| f.key == *k)
            .unwrap_or(usize::MAX)
    });
    keys.dedup();
    keys
}

pub(crate) fn fields_json(fields: &FieldValues) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(|e| StoreError::Sqlite(bad_column(0, e.to_string())))
}

/// One change of a record, as its history keeps it.
struct Change<'a> {
    id: Uuid,
    revision: i64,
    at: &'a str,
    actor: &'a str,
    action: AuditAction,
    /// An edit's `[field, old, new]` triples as JSON; a void's reason; a restore's lifted
    /// reason (empty if none).
    detail: &'a str,
}

fn append_change(conn: &Connection, change: &Change<'_>) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO record_changes (record_id, revision, at, actor, action, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    stmt.execute(params![
        change.id.to_string(),
        change.revision,
        change.at,
        change.actor,
        change.action.key(),
        change.detail
    ])?;
    Ok(())
}

/// An edit's changed fields, `[field, old, new]` each (old or new null when absent), as the
/// `detail` of its history row.
fn edit_detail(changes: &[(&str, Option<&str>, Option<&str>)]) -> Result<String, StoreError> {
    serde_json::to_string(changes).map_err(|e| StoreError::Sqlite(bad_column(0, e.to_string())))
}

/// A unique-index failure on the active duplicate key becomes [`StoreError::Duplicate`]
/// naming the record already there; anything else passes through.
fn map_duplicate(
    conn: &Connection,
    e: rusqlite::Error,
    unit: &str,
    kind: RecordKind,
    dup_key: &str,
    except: Option<Uuid>,
) -> StoreError {
    if e.sqlite_error_code() != Some(ErrorCode::ConstraintViolation) {
        return StoreError::Sqlite(e);
    }
    match find_active_duplicate(conn, unit, kind, dup_key, except) {
        Ok(Some(dup)) => dup,
        Ok(None) => StoreError::Sqlite(e),
        Err(other) => other,
    }
}

/// The later of two active records of one unit with the same kind and duplicate key, as
/// [`StoreError::Duplicate`] naming the earlier: what a unique index built over records
/// already written refused. Reads every active record.
pub(crate) fn first_active_duplicate(conn: &Connection) -> Result<Option<StoreError>, StoreError> {
    let later: Option<(String, String, String, String)> = conn
        .query_row(
            "SELECT unit, kind, dup_key, MAX(id) FROM records WHERE status = 'active'
             GROUP BY unit, kind, dup_key HAVING COUNT(*) > 1 LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    let Some((unit, kind, dup_key, later)) = later else {
        return Ok(None);
    };
    let kind = parse_kind(1, &kind)?;
    let later = parse_uuid(3, &later)?;
    find_active_duplicate(conn, &unit, kind, &dup_key, Some(later))
}

/// The active record of the unit with this kind and duplicate key, other than `except`.
fn find_active_duplicate(
    conn: &Connection,
    unit: &str,
    kind: RecordKind,
    dup_key: &str,
    except: Option<Uuid>,
) -> Result<Option<StoreError>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name FROM records
         WHERE unit = ?1 AND kind = ?2 AND dup_key = ?3 AND status = 'active' AND id IS NOT ?4",
    )?;
    let found = stmt
        .query_row(
            params![unit, kind.key(), dup_key, except.map(|u| u.to_string())],
            |row| {
                let id: String = row.get(0)?;
                Ok((parse_uuid(0, &id)?, row.get::<_, String>(1)?))
            },
        )
        .optional()?;
    Ok(
        found.map(|(existing_id, existing_name)| StoreError::Duplicate {
            existing_id,
            existing_name,
            kind,
        }),
    )
}

/// A record just inserted: its id, and its rowid (for the search index, which the caller
/// fills: one by one, or for a whole batch at its end).
pub(crate) struct Inserted {
    pub id: Uuid,
    pub rowid: i64,
}

/// Inserts a new record at revision 1, logged for the kept counts (no trigger does it: a
/// trigger would make every insert keep a statement journal). Its history needs no row: the
/// record's `created_by` and `created_at` say who created it and when.
pub(crate) fn insert(
    conn: &Connection,
    unit: &str,
    rec: &ValidRecord,
    actor: &str,
    at: &str,
) -> Result<Inserted, StoreError> {
    let inserted = insert_row(conn, unit, rec, actor, at)?;
    counts::log_added(conn, unit, rec.kind, "active", &rec.index, &rec.fields)?;
    Ok(inserted)
}

/// Inserts a new record at revision 1 without logging it for the kept counts: for a load
/// that counts everything at its end ([`super::bulk_load`]).
pub(crate) fn insert_row(
    conn: &Connection,
    unit: &str,
    rec: &ValidRecord,
    actor: &str,
    at: &str,
) -> Result<Inserted, StoreError> {
    let id = super::ids::new_id();
    let index = &rec.index;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO records (id, unit, kind, status, revision, name, credit_code, key_date,
             end_date, dup_key, count_key, search_text, fields_json, void_reason,
             created_by, created_at, updated_by, updated_at)
         VALUES (?1, ?2, ?3, 'active', 1, ?4, ?5, ?6, ?7, ?8, ?9, '', ?10, NULL,
             ?11, ?12, ?11, ?12)",
    )?;
    stmt.execute(params![
        id.to_string(),
        unit,
        rec.kind.key(),
        index.name,
        index.credit_code,
        index.key_date.to_string(),
        index.end_date.map(|d| d.to_string()),
        index.dup_key,
        index.count_key,
        fields_json(&rec.fields)?,
        actor,
        at,
    ])
    .map_err(|e| map_duplicate(conn, e, unit, rec.kind, &index.dup_key, None))?;
    let rowid = conn.last_insert_rowid();
    Ok(Inserted { id, rowid })
}

/// Refuses a change that was based on another revision than the record's current one.
fn check_revision(record: &Record, expect: Option<i64>) -> Result<(), StoreError> {
    match expect {
        Some(expected) if expected != record.revision => Err(StoreError::Conflict {
            id: record.id,
            expected,
            actual: record.revision,
        }),
        _ => Ok(()),
    }
}

/// The record as it stands, refused if it is missing or its revision is not the expected one.
fn current(conn: &Connection, id: Uuid, expect: Option<i64>) -> Result<Record, StoreError> {
    let record = get(conn, id)?;
    check_revision(&record, expect)?;
    Ok(record)
}

/// Replaces the field values of an active record; one `edit` row in its history names every
/// changed field, in form order.
/// Returns `false` (nothing written) when no value changed.
pub(crate) fn update(
    conn: &Connection,
    id: Uuid,
    expect: Option<i64>,
    rec: &ValidRecord,
    actor: &str,
    at: &str,
) -> Result<bool, StoreError> {
    let old = get(conn, id)?;
    if old.kind != rec.kind {
        return Err(StoreError::KindMismatch {
            id,
            kind: old.kind,
            given: rec.kind,
        });
    }
    check_revision(&old, expect)?;
    if old.status == RecordStatus::Voided {
        return Err(StoreError::VoidedNotEditable { id });
    }
    if old.fields == rec.fields {
        return Ok(false);
    }
    let revision = old.revision + 1;
    let index = &rec.index;
    let mut stmt = conn.prepare_cached(
        "UPDATE records SET revision = ?2, name = ?3, credit_code = ?4, key_date = ?5,
             end_date = ?6, dup_key = ?7, count_key = ?8, fields_json = ?9,
             updated_by = ?10, updated_at = ?11
         WHERE id = ?1 AND revision = ?12
         RETURNING rowid",
    )?;
    let rowid: i64 = stmt
        .query_row(
            params![
                id.to_string(),
                revision,
                index.name,
                index.credit_code,
                index.key_date.to_string(),
                index.end_date.map(|d| d.to_string()),
                index.dup_key,
                index.count_key,
                fields_json(&rec.fields)?,
                actor,
                at,
                old.revision,
            ],
            |row| row.get(0),
        )
        .map_err(|e| map_duplicate(conn, e, &old.unit, rec.kind, &index.dup_key, Some(id)))?;
    search::index(conn, rowid, &index.name, index.credit_code.as_deref())?;
    let changes: Vec<(&str, Option<&str>, Option<&str>)> =
        ordered_keys(rec.kind, old.fields.keys().chain(rec.fields.keys()))
            .into_iter()
            .map(|key| {
                let before = old.fields.get(key).map(String::as_str);
                let after = rec.fields.get(key).map(String::as_str);
                (key, before, after)
            })
            .filter(|(_, before, after)| before != after)
            .collect();
    append_change(
        conn,
        &Change {
            id,
            revision,
            at,
            actor,
            action: AuditAction::Edit,
            detail: &edit_detail(&changes)?,
        },
    )?;
    Ok(true)
}

/// Marks an active record voided with a reason (already trimmed and non-empty).
pub(crate) fn void(
    conn: &Connection,
    id: Uuid,
    reason: &str,
    expect: Option<i64>,
    actor: &str,
    at: &str,
) -> Result<(), StoreError> {
    let old = current(conn, id, expect)?;
    if old.status == RecordStatus::Voided {
        return Err(StoreError::AlreadyVoided { id });
    }
    let revision = old.revision + 1;
    conn.prepare_cached(
        "UPDATE records SET status = 'voided', void_reason = ?2, revision = ?3,
             updated_by = ?4, updated_at = ?5
         WHERE id = ?1",
    )?
    .execute(params![id.to_string(), reason, revision, actor, at])?;
    append_change(
        conn,
        &Change {
            id,
            revision,
            at,
            actor,
            action: AuditAction::Void,
            detail: reason,
        },
    )
}

/// Makes a voided record active again, unless an active record now holds its duplicate key.
/// Its history row keeps the void reason that is lifted.
pub(crate) fn restore(
    conn: &Connection,
    id: Uuid,
    expect: Option<i64>,
    actor: &str,
    at: &str,
) -> Result<(), StoreError> {
    let old = current(conn, id, expect)?;
    if old.status == RecordStatus::Active {
        return Err(StoreError::NotVoided { id });
    }
    let dup_key: String = conn.query_row(
        "SELECT dup_key FROM records WHERE id = ?1",
        [id.to_string()],
        |row| row.get(0),
    )?;
    if let Some(dup) = find_active_duplicate(conn, &old.unit, old.kind, &dup_key, Some(id))? {
        return Err(dup);
    }
    let revision = old.revision + 1;
    conn.prepare_cached(
        "UPDATE records SET status = 'active', void_reason = NULL, revision = ?2,
             updated_by = ?3, updated_at = ?4
         WHERE id = ?1",
    )?
    .execute(params![id.to_string(), revision, actor, at])
    .map_err(|e| map_duplicate(conn, e, &old.unit, old.kind, &dup_key, Some(id)))?;
    append_change(
        conn,
        &Change {
            id,
            revision,
            at,
            actor,
            action: AuditAction::Restore,
            detail: old.void_reason.as_deref().unwrap_or(""),
        },
    )
}
