//! Kept counts: the number of entities each unit (and the ledger as a whole) counts on any
//! day, kept as +1/−1 steps by day beside the records, records tallied by kind and status,
//! and the entities more than one unit holds. Triggers log every change of a record's
//! counting columns in `count_changes`; [`settle`] turns the log into steps in the same
//! transaction, so a count on a date is a prefix sum over a few thousand rows.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, params};

use super::records::{bad_column, parse_kind};
use super::{KindCounts, StoreError};
use crate::domain::counting::{CountSteps, CountedRecord, CountingBasis, entity_steps};
use crate::domain::{RecordIndex, RecordKind};
use crate::plan::Plan;

/// The `meta` key naming the basis the kept steps were built for.
const META_COUNT_BASIS: &str = "count_basis";
/// The scope of the ledger as a whole (each entity once, whichever units hold it).
pub(crate) const WHOLE_LEDGER: &str = "*";

/// The counting basis of the plan the ledger follows: its adopted plan file, or the embedded
/// plan when it has adopted none (or the adopted text no longer reads).
pub(crate) fn ledger_basis(conn: &Connection) -> Result<CountingBasis, StoreError> {
    let text: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'plan_text'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    let adopted = text.and_then(|text| Plan::parse(&text, "plan_text").ok());
    Ok(CountingBasis::of(
        &adopted.unwrap_or_else(embedded_plan_clone),
    ))
}

fn embedded_plan_clone() -> Plan {
    static EMBEDDED: std::sync::OnceLock<Plan> = std::sync::OnceLock::new();
    EMBEDDED.get_or_init(Plan::embedded).clone()
}

/// Whether the kept counts can be read for `basis`: built for it, and nothing left unsettled.
pub(crate) fn kept_for(conn: &Connection, basis: &CountingBasis) -> Result<bool, StoreError> {
    Ok(built_for(conn)?.as_deref() == Some(basis.key().as_str()) && !pending(conn)?)
}

/// Whether the tallies and shared entities can be read (they do not depend on the basis).
pub(crate) fn tallies_kept(conn: &Connection) -> Result<bool, StoreError> {
    Ok(built_for(conn)?.is_some() && !pending(conn)?)
}

fn built_for(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([META_COUNT_BASIS], |row| row.get(0))
        .optional()?)
}

fn pending(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM count_changes)")?
        .query_row([], |row| row.get(0))?)
}

/// Brings the kept counts up to date inside the caller's transaction: settles the logged
/// changes, or builds everything again when the counts were built for another basis (or
/// never).
pub(crate) fn settle(conn: &Connection, basis: &CountingBasis) -> Result<(), StoreError> {
    if built_for(conn)?.as_deref() != Some(basis.key().as_str()) {
        return rebuild(conn, basis);
    }
    if !pending(conn)? {
        return Ok(());
    }
    // The log is read in entity order, one entity at a time, so that memory stays small
    // however many changes an import logged.
    let mut steps: HashMap<(String, RecordKind), CountSteps> = HashMap::new();
    let mut consistent = true;
    {
        let mut stmt = conn.prepare_cached(
            "SELECT kind, count_key, unit, key_date, end_date, sign FROM count_changes
             WHERE status = 'active' ORDER BY kind, count_key",
        )?;
        let mut rows = stmt.query([])?;
        let mut entity: Option<(String, String)> = None;
        // The net change of each of the entity's active records, by unit.
        let mut net: HashMap<(String, CountedRecord), i64> = HashMap::new();
        loop {
            let row = rows.next()?;
            let next = match row {
                Some(row) => Some((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
                None => None,
            };
            if entity.is_some() && next != entity {
                if let Some((kind, count_key)) = entity.take() {
                    let kind = parse_kind(0, &kind)?;
                    if !settle_entity(conn, basis, kind, &count_key, &mut net, &mut steps)? {
                        consistent = false;
                        break;
                    }
                }
                net.clear();
            }
            let Some(row) = row else { break };
            entity = next;
            let record = (row.get::<_, String>(2)?, counted_record(row, 3)?);
            *net.entry(record).or_default() += row.get::<_, i64>(5)?;
        }
    }
    if !consistent {
        // The log does not match the records: count everything again.
        return rebuild(conn, basis);
    }
    let tallies: Vec<(String, String, String, i64)> = conn
        .prepare_cached(
            "SELECT unit, kind, status, SUM(sign) FROM count_changes GROUP BY unit, kind, status",
        )?
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    write_steps(conn, &steps)?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO record_tallies (unit, kind, status, n) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (unit, kind, status) DO UPDATE SET n = n + excluded.n",
    )?;
    for (unit, kind, status, n) in tallies {
        if n != 0 {
            stmt.execute(params![unit, kind, status, n])?;
        }
    }
    conn.execute("DELETE FROM record_tallies WHERE n = 0", [])?;
    conn.execute("DELETE FROM count_changes", [])?;
    Ok(())
}

/// Logs a record inserted without the insert trigger (see [`super::records::insert`]).
pub(crate) fn log_added(
    conn: &Connection,
    unit: &str,
    kind: RecordKind,
    status: &str,
    index: &RecordIndex,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO count_changes (sign, unit, kind, status, count_key, key_date, end_date)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        unit,
        kind.key(),
        status,
        index.count_key,
        index.key_date.to_string(),
        index.end_date.map(|d| d.to_string()),
    ])?;
    Ok(())
}

/// Adds one entity's change to `steps`: its records now, and before the logged `net`
/// changes. Returns `false` when the log does not match the records.
fn settle_entity(
    conn: &Connection,
    basis: &CountingBasis,
    kind: RecordKind,
    count_key: &str,
    net: &mut HashMap<(String, CountedRecord), i64>,
    steps: &mut HashMap<(String, RecordKind), CountSteps>,
) -> Result<bool, StoreError> {
    let after = entity_records(conn, kind, count_key)?;
    let mut before: HashMap<(String, CountedRecord), i64> = HashMap::new();
    for held in &after {
        *before.entry(held.clone()).or_default() += 1;
    }
    for (record, change) in net.drain() {
        *before.entry(record).or_default() -= change;
    }
    if before.values().any(|n| *n < 0) {
        return Ok(false);
    }
    let before: Vec<(String, CountedRecord)> = before
        .into_iter()
        .flat_map(|(record, n)| std::iter::repeat_n(record, n.unsigned_abs() as usize))
        .collect();
    add_entity(steps, basis, kind, &before, &after);
    mark_shared(conn, kind, count_key, &after)?;
    Ok(true)
}

/// The key date and end date at columns `at` and `at + 1`.
fn counted_record(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<CountedRecord> {
    let date = |idx: usize, text: &str| -> rusqlite::Result<Date> {
        text.parse()
            .map_err(|_| bad_column(idx, format!("date {text:?}")))
    };
    let key_date: String = row.get(at)?;
    let end_date: Option<String> = row.get(at + 1)?;
    Ok(CountedRecord {
        key_date: date(at, &key_date)?,
        end_date: end_date.map(|e| date(at + 1, &e)).transpose()?,
    })
}

/// The active records of one entity, with their units.
fn entity_records(
    conn: &Connection,
    kind: RecordKind,
    count_key: &str,
) -> Result<Vec<(String, CountedRecord)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT unit, key_date, end_date FROM records INDEXED BY records_entity
         WHERE status = 'active' AND kind = ?1 AND count_key = ?2",
    )?;
    let records = stmt
        .query_map(params![kind.key(), count_key], |row| {
            Ok((row.get::<_, String>(0)?, counted_record(row, 1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(records)
}

/// Adds an entity's change, from `before` to `after`, to the steps of the whole ledger and
/// of each unit holding it before or after.
fn add_entity(
    steps: &mut HashMap<(String, RecordKind), CountSteps>,
    basis: &CountingBasis,
    kind: RecordKind,
    before: &[(String, CountedRecord)],
    after: &[(String, CountedRecord)],
) {
    let of = |records: &[(String, CountedRecord)], unit: Option<&str>| -> Vec<CountedRecord> {
        records
            .iter()
            .filter(|(u, _)| unit.is_none_or(|unit| u == unit))
            .map(|(_, r)| *r)
            .collect()
    };
    entity_steps(
        basis,
        kind,
        &of(before, None),
        &of(after, None),
        steps.entry((WHOLE_LEDGER.to_owned(), kind)).or_default(),
    );
    let mut units: Vec<&str> = before
        .iter()
        .chain(after)
        .map(|(u, _)| u.as_str())
        .collect();
    units.sort_unstable();
    units.dedup();
    for unit in units {
        entity_steps(
            basis,
            kind,
            &of(before, Some(unit)),
            &of(after, Some(unit)),
            steps.entry((unit.to_owned(), kind)).or_default(),
        );
    }
}

/// Notes whether more than one unit holds the entity now.
fn mark_shared(
    conn: &Connection,
    kind: RecordKind,
    count_key: &str,
    after: &[(String, CountedRecord)],
) -> Result<(), StoreError> {
    let shared = after.iter().any(|(u, _)| *u != after[0].0);
    let sql = if shared {
        "INSERT OR IGNORE INTO shared_entities (kind, count_key) VALUES (?1, ?2)"
    } else {
        "DELETE FROM shared_entities WHERE kind = ?1 AND count_key = ?2"
    };
    conn.prepare_cached(sql)?
        .execute(params![kind.key(), count_key])?;
    Ok(())
}

fn write_steps(
    conn: &Connection,
    steps: &HashMap<(String, RecordKind), CountSteps>,
) -> Result<(), StoreError> {
    let mut add = conn.prepare_cached(
        "INSERT INTO count_steps (scope, kind, day, delta) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (scope, kind, day) DO UPDATE SET delta = delta + excluded.delta
         RETURNING delta",
    )?;
    let mut drop_zero =
        conn.prepare_cached("DELETE FROM count_steps WHERE scope = ?1 AND kind = ?2 AND day = ?3")?;
    for ((scope, kind), steps) in steps {
        for (day, delta) in steps.nonzero() {
            let day = day.to_string();
            let now: i64 =
                add.query_row(params![scope, kind.key(), day, delta], |row| row.get(0))?;
            if now == 0 {
                drop_zero.execute(params![scope, kind.key(), day])?;
            }
        }
    }
    Ok(())
}

/// Everything the kept counts hold, in key order: compared whole by `check`.
#[derive(Debug, Default, PartialEq, Eq)]
struct KeptState {
    /// (scope, kind, day) → delta, none zero.
    steps: BTreeMap<(String, String, String), i64>,
    /// (unit, kind, status) → records, none zero.
    tallies: BTreeMap<(String, String, String), i64>,
    /// (kind, count key) of the entities more than one unit holds.
    shared: std::collections::BTreeSet<(String, String)>,
}

/// The kept counts as the records give them for `basis`, reading only: the records in
/// counting-key order, one entity at a time.
fn fresh_state(conn: &Connection, basis: &CountingBasis) -> Result<KeptState, StoreError> {
    let mut state = KeptState::default();
    let mut stmt = conn
        .prepare("SELECT unit, kind, status, COUNT(*) FROM records GROUP BY unit, kind, status")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        state
            .tallies
            .insert((row.get(0)?, row.get(1)?, row.get(2)?), row.get(3)?);
    }
    let mut steps: HashMap<(String, RecordKind), CountSteps> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT kind, count_key, unit, key_date, end_date FROM records INDEXED BY records_entity
         WHERE status = 'active' ORDER BY kind, count_key",
    )?;
    let mut rows = stmt.query([])?;
    let mut entity: Option<(String, String)> = None;
    let mut records: Vec<(String, CountedRecord)> = Vec::new();
    let mut finish = |entity: Option<(String, String)>,
                      records: &mut Vec<(String, CountedRecord)>,
                      state: &mut KeptState|
     -> Result<(), StoreError> {
        if let Some((kind_key, count_key)) = entity {
            let kind = parse_kind(0, &kind_key)?;
            add_entity(&mut steps, basis, kind, &[], records);
            if records.iter().any(|(u, _)| *u != records[0].0) {
                state.shared.insert((kind_key, count_key));
            }
        }
        records.clear();
        Ok(())
    };
    while let Some(row) = rows.next()? {
        let kind: String = row.get(0)?;
        let count_key: String = row.get(1)?;
        let same = entity
            .as_ref()
            .is_some_and(|(k, c)| *k == kind && *c == count_key);
        if !same {
            finish(entity.take(), &mut records, &mut state)?;
            entity = Some((kind, count_key));
        }
        records.push((row.get(2)?, counted_record(row, 3)?));
    }
    finish(entity, &mut records, &mut state)?;
    for ((scope, kind), steps) in steps {
        for (day, delta) in steps.nonzero() {
            state.steps.insert(
                (scope.clone(), kind.key().to_owned(), day.to_string()),
                delta,
            );
        }
    }
    Ok(state)
}

/// The kept counts as stored.
fn stored_state(conn: &Connection) -> Result<KeptState, StoreError> {
    let mut state = KeptState::default();
    let mut stmt = conn.prepare("SELECT scope, kind, day, delta FROM count_steps")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        state
            .steps
            .insert((row.get(0)?, row.get(1)?, row.get(2)?), row.get(3)?);
    }
    let mut stmt = conn.prepare("SELECT unit, kind, status, n FROM record_tallies")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        state
            .tallies
            .insert((row.get(0)?, row.get(1)?, row.get(2)?), row.get(3)?);
    }
    let mut stmt = conn.prepare("SELECT kind, count_key FROM shared_entities")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        state.shared.insert((row.get(0)?, row.get(1)?));
    }
    Ok(state)
}

/// Counts everything again from the records: the steps for `basis`, the tallies and the
/// shared entities, replacing what was kept.
pub(crate) fn rebuild(conn: &Connection, basis: &CountingBasis) -> Result<(), StoreError> {
    let state = fresh_state(conn, basis)?;
    conn.execute_batch(
        "DELETE FROM count_changes; DELETE FROM count_steps; DELETE FROM record_tallies;
         DELETE FROM shared_entities;",
    )?;
    let mut stmt =
        conn.prepare("INSERT INTO count_steps (scope, kind, day, delta) VALUES (?1, ?2, ?3, ?4)")?;
    for ((scope, kind, day), delta) in &state.steps {
        stmt.execute(params![scope, kind, day, delta])?;
    }
    let mut stmt =
        conn.prepare("INSERT INTO record_tallies (unit, kind, status, n) VALUES (?1, ?2, ?3, ?4)")?;
    for ((unit, kind, status), n) in &state.tallies {
        stmt.execute(params![unit, kind, status, n])?;
    }
    let mut stmt = conn.prepare("INSERT INTO shared_entities (kind, count_key) VALUES (?1, ?2)")?;
    for (kind, count_key) in &state.shared {
        stmt.execute(params![kind, count_key])?;
    }
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![META_COUNT_BASIS, basis.key()],
    )?;
    Ok(())
}

/// Which parts of the kept counts differ from a count made from the records, reading only:
/// `count_basis` (built for another plan, or never), `count_changes` (changes left
/// unsettled), `count_steps`, `record_tallies`, `shared_entities`.
pub(crate) fn differences(
    conn: &Connection,
    basis: &CountingBasis,
) -> Result<Vec<&'static str>, StoreError> {
    let mut differ = Vec::new();
    if built_for(conn)?.as_deref() != Some(basis.key().as_str()) {
        differ.push("count_basis");
    }
    if pending(conn)? {
        differ.push("count_changes");
    }
    let (fresh, stored) = (fresh_state(conn, basis)?, stored_state(conn)?);
    if fresh.steps != stored.steps {
        differ.push("count_steps");
    }
    if fresh.tallies != stored.tallies {
        differ.push("record_tallies");
    }
    if fresh.shared != stored.shared {
        differ.push("shared_entities");
    }
    Ok(differ)
}

/// The kept count of `scope` (a unit, or [`WHOLE_LEDGER`]) for `kind` on `day`.
pub(crate) fn kept_count(
    conn: &Connection,
    scope: &str,
    kind: RecordKind,
    day: Date,
) -> Result<u64, StoreError> {
    let count: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(delta), 0) FROM count_steps
             WHERE scope = ?1 AND kind = ?2 AND day <= ?3",
        )?
        .query_row(params![scope, kind.key(), day.to_string()], |row| {
            row.get(0)
        })?;
    Ok(count.unsigned_abs())
}

/// Active and voided records of each kind, in [`RecordKind::ALL`] order, from the tallies.
pub(crate) fn kind_tallies(conn: &Connection) -> Result<Vec<KindCounts>, StoreError> {
    let mut counts: Vec<KindCounts> = RecordKind::ALL
        .into_iter()
        .map(|kind| KindCounts {
            kind,
            active: 0,
            voided: 0,
        })
        .collect();
    let mut stmt = conn
        .prepare_cached("SELECT kind, status, SUM(n) FROM record_tallies GROUP BY kind, status")?;
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

/// Counts everything again and keeps the result: returns which parts of the kept counts
/// had differed from it (see [`differences`]).
pub(crate) fn recount(
    conn: &mut Connection,
    basis: &CountingBasis,
) -> Result<Vec<&'static str>, StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let differ = differences(&tx, basis)?;
    rebuild(&tx, basis)?;
    tx.commit()?;
    Ok(differ)
}

/// Records of a kind (or all kinds) and unit (or all units), active or also voided, from
/// the tallies.
pub(crate) fn tallied(
    conn: &Connection,
    kind: Option<RecordKind>,
    unit: Option<&str>,
    include_voided: bool,
) -> Result<u64, StoreError> {
    let n: i64 = conn
        .prepare_cached(
            "SELECT COALESCE(SUM(n), 0) FROM record_tallies
             WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR unit = ?2)
               AND (?3 OR status = 'active')",
        )?
        .query_row(
            params![kind.map(RecordKind::key), unit, include_voided],
            |row| row.get(0),
        )?;
    Ok(n.unsigned_abs())
}
