//! Reading the ledger: lists paged by key, searches, progress counts on the partial index,
//! id prefixes, and a record's history.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use uuid::Uuid;

use super::records::{
    RECORD_COLUMNS, bad_column, fold_for_search, parse_kind, parse_timestamp, record_from_row,
};
use super::{KindCounts, ListCursor, ListPage, ListQuery, StoreError, counts, search};
use crate::domain::progress::CountWindow;
use crate::domain::{AuditAction, AuditEntry, Record, RecordKind};

/// The shortest id prefix (in hex digits) that is looked up.
pub const MIN_ID_PREFIX: usize = 6;

/// How a search is answered.
enum SearchPlan {
    /// No search.
    None,
    /// The few records the trigram index names, each checked for the whole folded search.
    Indexed { query: String, folded: String },
    /// Every record in list order, checked for the folded search (one too short for the
    /// index, or so common that a page is found sooner by walking the list).
    Scan { folded: String },
}

impl SearchPlan {
    fn of(conn: &Connection, search: Option<&str>) -> Result<SearchPlan, StoreError> {
        let Some(folded) = search
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(fold_for_search)
            .filter(|s| !s.is_empty())
        else {
            return Ok(SearchPlan::None);
        };
        if !search::is_built(conn)? {
            return Ok(SearchPlan::Scan { folded });
        }
        let query = match search::trigram_query(&folded) {
            Some(query) => Some(query),
            None => search::short_query(conn, &folded)?,
        };
        Ok(match query {
            Some(query)
                if search::candidates(conn, &query, search::FEW_MATCHES + 1)?
                    <= search::FEW_MATCHES =>
            {
                SearchPlan::Indexed { query, folded }
            }
            _ => SearchPlan::Scan { folded },
        })
    }

    /// The table access: by rowid from the index's few matches (no index of the table,
    /// then a sort of the few), or walking the kind's list index in order.
    fn from(&self, kind: Option<RecordKind>) -> &'static str {
        match (self, kind) {
            (SearchPlan::Indexed { .. }, _) => "records NOT INDEXED",
            (_, Some(_)) => "records INDEXED BY records_list_kind",
            (_, None) => "records",
        }
    }
}

/// `WHERE` conditions and their parameters shared by [`list`] and [`count_matching`], for
/// one kind or all.
fn filters(
    q: &ListQuery,
    kind: Option<RecordKind>,
    search: &SearchPlan,
) -> (Vec<&'static str>, Vec<Value>) {
    let mut conditions = Vec::new();
    let mut values = Vec::new();
    if let Some(kind) = kind {
        conditions.push("kind = ?");
        values.push(Value::Text(kind.key().to_owned()));
    }
    if let Some(unit) = &q.unit {
        conditions.push("unit = ?");
        values.push(Value::Text(unit.clone()));
    }
    if !q.include_voided {
        conditions.push("status = 'active'");
    }
    let folded = match search {
        SearchPlan::None => None,
        SearchPlan::Indexed { query, folded } => {
            conditions
                .push("rowid IN (SELECT rowid FROM records_search WHERE records_search MATCH ?)");
            values.push(Value::Text(query.clone()));
            Some(folded)
        }
        SearchPlan::Scan { folded } => Some(folded),
    };
    if let Some(folded) = folded {
        conditions.push("taizhang_found(name, credit_code, ?)");
        values.push(Value::Text(folded.clone()));
    }
    (conditions, values)
}

fn where_clause(conditions: &[&str]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    }
}

/// One page, newest key date first; `limit == 0` means every matching record. Without a
/// kind, each kind's page is read from its own list index and the pages are merged.
pub(crate) fn list(conn: &Connection, q: &ListQuery) -> Result<ListPage, StoreError> {
    let search = SearchPlan::of(conn, q.search.as_deref())?;
    let mut rows = match q.kind {
        Some(kind) => list_rows(conn, q, Some(kind), &search)?,
        None => {
            let mut all = Vec::new();
            for kind in RecordKind::ALL {
                all.extend(list_rows(conn, q, Some(kind), &search)?);
            }
            all.sort_by(|a, b| (&b.0, b.1.id).cmp(&(&a.0, a.1.id)));
            all
        }
    };
    let more = q.limit != 0 && rows.len() > q.limit;
    if more {
        rows.truncate(q.limit);
    }
    let next = match rows.last() {
        Some((key_date, last)) if more => Some(ListCursor {
            key_date: key_date.clone(),
            id: last.id.to_string(),
        }),
        _ => None,
    };
    Ok(ListPage {
        records: rows.into_iter().map(|(_, record)| record).collect(),
        next,
    })
}

/// Up to `limit + 1` records of one kind (or all) after the cursor, newest first, with
/// their key dates.
fn list_rows(
    conn: &Connection,
    q: &ListQuery,
    kind: Option<RecordKind>,
    search: &SearchPlan,
) -> Result<Vec<(String, Record)>, StoreError> {
    let (mut conditions, mut values) = filters(q, kind, search);
    if let Some(after) = &q.after {
        conditions.push("(key_date, id) < (?, ?)");
        values.push(Value::Text(after.key_date.clone()));
        values.push(Value::Text(after.id.clone()));
    }
    let limit_clause = if q.limit == 0 {
        String::new()
    } else {
        values.push(Value::Integer(
            i64::try_from(q.limit).unwrap_or(i64::MAX - 1) + 1,
        ));
        "LIMIT ?".to_owned()
    };
    let sql = format!(
        "SELECT {RECORD_COLUMNS}, key_date FROM {} {} ORDER BY key_date DESC, id DESC {}",
        search.from(kind),
        where_clause(&conditions),
        limit_clause
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(values))?;
    let mut records = Vec::new();
    while let Some(row) = rows.next()? {
        records.push((row.get(11)?, record_from_row(row)?));
    }
    Ok(records)
}

/// How many records the query's filters match, over all pages: from the kept tallies when
/// there is no search.
pub(crate) fn count_matching(conn: &Connection, q: &ListQuery) -> Result<u64, StoreError> {
    let search = SearchPlan::of(conn, q.search.as_deref())?;
    if matches!(search, SearchPlan::None) && counts::tallies_kept(conn)? {
        return counts::tallied(conn, q.kind, q.unit.as_deref(), q.include_voided);
    }
    let (conditions, values) = filters(q, q.kind, &search);
    let sql = format!(
        "SELECT COUNT(*) FROM {} {}",
        search.from(q.kind),
        where_clause(&conditions)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let count: i64 = stmt.query_row(params_from_iter(values), |row| row.get(0))?;
    Ok(count.unsigned_abs())
}

/// The conditions (after `WHERE status = 'active' AND kind = ...`) that select the records
/// a counting window counts, with parameters numbered from `?first`, and their values. A
/// revocation stops the count from its day on and changes nothing before it.
pub(crate) fn window_condition(window: CountWindow, first: usize) -> (String, Vec<Value>) {
    let (from, to) = (first, first + 1);
    match window {
        CountWindow::KeyDateBetween {
            from: start,
            to: end,
        } => (
            format!(
                " AND key_date BETWEEN ?{from} AND ?{to} AND (end_date IS NULL OR end_date > ?{to})"
            ),
            vec![Value::Text(start.to_string()), Value::Text(end.to_string())],
        ),
        CountWindow::ActiveOn { on } => (
            format!(" AND key_date <= ?{from} AND (end_date IS NULL OR end_date > ?{from})"),
            vec![Value::Text(on.to_string())],
        ),
    }
}

/// The SQL and parameters of a progress count, shared with the query-plan test.
pub(crate) fn count_distinct_sql(
    unit: Option<&str>,
    kind: RecordKind,
    window: CountWindow,
) -> (String, Vec<Value>) {
    // Named so that the planner never trades the covering index for one that seeks on
    // key_date but has to visit every row.
    let mut sql = String::from(
        "SELECT COUNT(DISTINCT count_key) FROM records INDEXED BY records_entity
         WHERE status = 'active' AND kind = ?1",
    );
    let mut values = vec![Value::Text(kind.key().to_owned())];
    if let Some(unit) = unit {
        sql.push_str(" AND unit = ?2");
        values.push(Value::Text(unit.to_owned()));
    }
    let (condition, window_values) = window_condition(window, values.len() + 1);
    sql.push_str(&condition);
    values.extend(window_values);
    (sql, values)
}

/// Distinct entities (by count key) among active records of the kind in the window.
pub(crate) fn count_distinct(
    conn: &Connection,
    unit: Option<&str>,
    kind: RecordKind,
    window: CountWindow,
) -> Result<u64, StoreError> {
    let (sql, values) = count_distinct_sql(unit, kind, window);
    let mut stmt = conn.prepare_cached(&sql)?;
    let count: i64 = stmt.query_row(params_from_iter(values), |row| row.get(0))?;
    Ok(count.unsigned_abs())
}

/// Active and voided records of every kind, in [`RecordKind::ALL`] order, counted from the
/// records.
pub(crate) fn kind_counts(conn: &Connection) -> Result<Vec<KindCounts>, StoreError> {
    kind_counts_from(
        conn,
        "SELECT kind, status, COUNT(*) FROM records GROUP BY kind, status",
    )
}

/// Active and voided records of every kind, in [`RecordKind::ALL`] order, from `sql`'s rows
/// of kind, status and count.
pub(crate) fn kind_counts_from(
    conn: &Connection,
    sql: &str,
) -> Result<Vec<KindCounts>, StoreError> {
    let mut counts: Vec<KindCounts> = RecordKind::ALL
        .into_iter()
        .map(|kind| KindCounts {
            kind,
            active: 0,
            voided: 0,
        })
        .collect();
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let kind = parse_kind(0, &row.get::<_, String>(0)?)?;
        let status: String = row.get(1)?;
        let n = super::records::row_u64(row, 2)?;
        if let Some(entry) = counts.iter_mut().find(|c| c.kind == kind) {
            match status.as_str() {
                "active" => entry.active = n,
                _ => entry.voided = n,
            }
        }
    }
    Ok(counts)
}

/// A full UUID, or a unique run of at least [`MIN_ID_PREFIX`] hex digits at the start of an
/// id (dashes optional) or, failing that, at its end.
pub(crate) fn resolve_id(conn: &Connection, text: &str) -> Result<Uuid, StoreError> {
    match resolve_id_in(conn, IdTable::Records, text)? {
        IdMatch::One(id) => Ok(id),
        IdMatch::None => Err(StoreError::NotFound {
            id: text.trim().to_owned(),
        }),
        IdMatch::Many(count) => Err(StoreError::AmbiguousId {
            prefix: text.trim().to_owned(),
            count,
        }),
    }
}

/// The tables whose ids a clerk may give in short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdTable {
    Records,
    PoolEntries,
}

/// What a short id matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdMatch {
    None,
    One(Uuid),
    Many(usize),
}

/// [`resolve_id`] over the ids of `table`.
pub(crate) fn resolve_id_in(
    conn: &Connection,
    table: IdTable,
    text: &str,
) -> Result<IdMatch, StoreError> {
    let (by_prefix, by_suffix) = match table {
        IdTable::Records => (
            "FROM records WHERE id >= ?1 AND id < ?1 || 'g'",
            "FROM records WHERE substr(id, -length(?1)) = ?1",
        ),
        IdTable::PoolEntries => (
            "FROM pool_entries WHERE id >= ?1 AND id < ?1 || 'g'",
            "FROM pool_entries WHERE substr(id, -length(?1)) = ?1",
        ),
    };
    let hex: String = text
        .trim()
        .chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if hex.len() < MIN_ID_PREFIX || hex.len() > 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(IdMatch::None);
    }
    let prefix = hyphenate(&hex);
    let mut matches = matching_ids(conn, by_prefix, &[&prefix])?;
    if matches.0.is_empty() && hex.len() < 32 {
        matches = matching_ids(conn, by_suffix, &[&hyphenate_tail(&hex)])?;
    }
    Ok(match matches {
        (ids, _) if ids.is_empty() => IdMatch::None,
        (ids, 1) => IdMatch::One(ids[0]),
        (_, count) => IdMatch::Many(count),
    })
}

/// Up to two ids matched by `from_where`, and how many there are in all.
fn matching_ids(
    conn: &Connection,
    from_where: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<(Vec<Uuid>, usize), StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT id {from_where} ORDER BY id LIMIT 2"))?;
    let ids = collect_ids(stmt.query(args)?)?;
    if ids.len() < 2 {
        let count = ids.len();
        return Ok((ids, count));
    }
    let mut stmt = conn.prepare_cached(&format!("SELECT COUNT(*) {from_where}"))?;
    let count: i64 = stmt.query_row(args, |row| row.get(0))?;
    Ok((ids, usize::try_from(count).unwrap_or(usize::MAX)))
}

fn collect_ids(mut rows: rusqlite::Rows<'_>) -> Result<Vec<Uuid>, StoreError> {
    let mut ids = Vec::new();
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        ids.push(super::records::parse_uuid(0, &id)?);
    }
    Ok(ids)
}

/// Hex digits laid out as the start of a hyphenated UUID (`8-4-4-4-12`).
fn hyphenate(hex: &str) -> String {
    let mut out = String::with_capacity(hex.len() + 4);
    for (i, c) in hex.chars().enumerate() {
        if matches!(i, 8 | 12 | 16 | 20) {
            out.push('-');
        }
        out.push(c);
    }
    out
}

/// Hex digits laid out as the end of a hyphenated UUID.
fn hyphenate_tail(hex: &str) -> String {
    let start = 32 - hex.len().min(32);
    let mut out = String::with_capacity(hex.len() + 4);
    for (i, c) in hex.chars().enumerate() {
        if i > 0 && matches!(start + i, 8 | 12 | 16 | 20) {
            out.push('-');
        }
        out.push(c);
    }
    out
}

/// A record's history, oldest first: its creation (from the record's own columns), then
/// each change, an edit as one entry per field it changed.
pub(crate) fn history(conn: &Connection, id: Uuid) -> Result<Vec<AuditEntry>, StoreError> {
    let created = conn
        .query_row(
            "SELECT created_by, created_at FROM records WHERE id = ?1",
            [id.to_string()],
            |row| {
                let at: String = row.get(1)?;
                Ok(AuditEntry {
                    revision: 1,
                    at: parse_timestamp(1, &at)?,
                    actor: row.get(0)?,
                    action: AuditAction::Create,
                    field: None,
                    old: None,
                    new: None,
                })
            },
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound { id: id.to_string() })?;
    let mut entries = vec![created];
    let mut stmt = conn.prepare_cached(
        "SELECT revision, at, actor, action, detail FROM record_changes
         WHERE record_id = ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query([id.to_string()])?;
    while let Some(row) = rows.next()? {
        let revision: i64 = row.get(0)?;
        let at: String = row.get(1)?;
        let at = parse_timestamp(1, &at)?;
        let actor: String = row.get(2)?;
        let action: String = row.get(3)?;
        let detail: String = row.get(4)?;
        let entry = |action, field, old, new| AuditEntry {
            revision,
            at,
            actor: actor.clone(),
            action,
            field,
            old,
            new,
        };
        match AuditAction::from_key(&action) {
            Some(AuditAction::Edit) => {
                let fields: Vec<(String, Option<String>, Option<String>)> =
                    serde_json::from_str(&detail)
                        .map_err(|e| bad_column(4, format!("changed fields of {id}: {e}")))?;
                for (field, old, new) in fields {
                    entries.push(entry(AuditAction::Edit, Some(field), old, new));
                }
            }
            Some(AuditAction::Void) => {
                entries.push(entry(AuditAction::Void, None, None, Some(detail)));
            }
            Some(AuditAction::Restore) => {
                let lifted = Some(detail).filter(|reason| !reason.is_empty());
                entries.push(entry(AuditAction::Restore, None, lifted, None));
            }
            Some(AuditAction::Create) | None => {
                return Err(bad_column(3, format!("action {action:?}")).into());
            }
        }
    }
    Ok(entries)
}
