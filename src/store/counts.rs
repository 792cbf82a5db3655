//! Kept counts: the number of entities each unit (and the ledger as a whole) counts on any
//! day, kept as +1/−1 steps by day beside the records, records tallied by kind and status,
//! and the entities more than one unit holds; and the technology contract turnover of the
//! year to date, kept as steps in fen by day. Triggers log every change of a record's
//! counting columns (and of an achievement's amount) in `count_changes`; [`settle`] turns the
//! log into steps in the same transaction, so a count or the turnover on a date is a prefix
//! sum over a few thousand rows.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, params};

use super::records::{bad_column, parse_kind};
use super::{KindCounts, StoreError};
use crate::domain::awards::Fen;
use crate::domain::counting::{
    AmountRecord, AmountSteps, CountSteps, CountedRecord, CountingBasis, TURNOVER_AMOUNT_FIELD,
    TURNOVER_KIND, entity_amount_steps, entity_steps, turnover_fen,
};
use crate::domain::{FieldValues, RecordIndex, RecordKind};
use crate::plan::Plan;

/// The `meta` key naming the basis the kept steps were built for.
const META_COUNT_BASIS: &str = "count_basis";
/// The scope of the ledger as a whole (each entity once, whichever units hold it).
pub(crate) const WHOLE_LEDGER: &str = "*";
/// The `amount_steps` measure of the technology contract turnover of the year to date, in fen.
const TURNOVER_MEASURE: &str = "contract_turnover_fen";
/// The `meta` key present when the turnover is not kept because a step of it would not fit
/// in 64 bits of fen (only amounts far beyond any contract get there): it is then summed from
/// the records, and built again whenever an achievement changes.
const META_TURNOVER_UNKEPT: &str = "turnover_unkept";

/// One active record of an entity as the kept figures see it: its unit, its dates, and its
/// amount in fen (an achievement's; 0 for other kinds).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Held {
    unit: String,
    record: CountedRecord,
    fen: Fen,
}

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

/// Whether the turnover can be read from its kept steps for `basis` (see [`kept_for`]).
pub(crate) fn turnover_kept(conn: &Connection, basis: &CountingBasis) -> Result<bool, StoreError> {
    Ok(kept_for(conn, basis)? && !turnover_unkept(conn)?)
}

fn turnover_unkept(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM meta WHERE key = ?1)")?
        .query_row([META_TURNOVER_UNKEPT], |row| row.get(0))?)
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
    let mut amounts = AmountSteps::default();
    let mut turnover_changed = false;
    let mut consistent = true;
    {
        let mut stmt = conn.prepare_cached(
            "SELECT kind, count_key, unit, key_date, end_date, sign, amount FROM count_changes
             WHERE status = 'active' ORDER BY kind, count_key",
        )?;
        let mut rows = stmt.query([])?;
        let mut entity: Option<(String, String)> = None;
        // The net change of each of the entity's active records.
        let mut net: HashMap<Held, i64> = HashMap::new();
        loop {
            let row = rows.next()?;
            let next = match row {
                Some(row) => Some((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
                None => None,
            };
            if entity.is_some() && next != entity {
                if let Some((kind, count_key)) = entity.take() {
                    let kind = parse_kind(0, &kind)?;
                    turnover_changed |= kind == TURNOVER_KIND;
                    let entity = (kind, count_key.as_str());
                    if !settle_entity(conn, basis, entity, &mut net, &mut steps, &mut amounts)? {
                        consistent = false;
                        break;
                    }
                }
                net.clear();
            }
            let Some(row) = row else { break };
            let fen = match &next {
                Some((kind, _)) if kind == TURNOVER_KIND.key() => {
                    turnover_fen(row.get::<_, Option<String>>(6)?.as_deref())
                }
                _ => 0,
            };
            entity = next;
            let record = Held {
                unit: row.get(2)?,
                record: counted_record(row, 3)?,
                fen,
            };
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
    if turnover_unkept(conn)? {
        if turnover_changed {
            rebuild_turnover(conn)?;
        }
    } else if !write_amount_steps(conn, &amounts)? {
        rebuild_turnover(conn)?;
    }
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

/// Logs a record inserted without the insert trigger (see [`super::records::insert`]), with
/// its amount as its `fields_json` holds it when it is an achievement.
pub(crate) fn log_added(
    conn: &Connection,
    unit: &str,
    kind: RecordKind,
    status: &str,
    index: &RecordIndex,
    fields: &FieldValues,
) -> Result<(), StoreError> {
    let amount = (kind == TURNOVER_KIND)
        .then(|| fields.get(TURNOVER_AMOUNT_FIELD))
        .flatten();
    conn.prepare_cached(
        "INSERT INTO count_changes
             (sign, unit, kind, status, count_key, key_date, end_date, amount)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        unit,
        kind.key(),
        status,
        index.count_key,
        index.key_date.to_string(),
        index.end_date.map(|d| d.to_string()),
        amount,
    ])?;
    Ok(())
}

/// Adds one entity's change to `steps` (and, for an achievement, to the turnover's
/// `amounts`): its records now, and before the logged `net` changes. Returns `false` when
/// the log does not match the records.
fn settle_entity(
    conn: &Connection,
    basis: &CountingBasis,
    (kind, count_key): (RecordKind, &str),
    net: &mut HashMap<Held, i64>,
    steps: &mut HashMap<(String, RecordKind), CountSteps>,
    amounts: &mut AmountSteps,
) -> Result<bool, StoreError> {
    let after = entity_records(conn, kind, count_key)?;
    let mut before: HashMap<Held, i64> = HashMap::new();
    for held in &after {
        *before.entry(held.clone()).or_default() += 1;
    }
    for (record, change) in net.drain() {
        *before.entry(record).or_default() -= change;
    }
    if before.values().any(|n| *n < 0) {
        return Ok(false);
    }
    let before: Vec<Held> = before
        .into_iter()
        .flat_map(|(record, n)| std::iter::repeat_n(record, n.unsigned_abs() as usize))
        .collect();
    add_entity(steps, basis, kind, &before, &after);
    if kind == TURNOVER_KIND {
        entity_amount_steps(&amount_records(&before), &amount_records(&after), amounts);
    }
    mark_shared(conn, kind, count_key, &after)?;
    Ok(true)
}

fn amount_records(records: &[Held]) -> Vec<AmountRecord> {
    records
        .iter()
        .map(|held| AmountRecord {
            record: held.record,
            fen: held.fen,
        })
        .collect()
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

/// The active records of one entity, with their units and, for an achievement, amounts
/// (read from the records themselves: the counting index holds no amount).
fn entity_records(
    conn: &Connection,
    kind: RecordKind,
    count_key: &str,
) -> Result<Vec<Held>, StoreError> {
    let mut stmt = conn.prepare_cached(if kind == TURNOVER_KIND {
        "SELECT unit, key_date, end_date, json_extract(fields_json, '$.amount_yuan')
         FROM records INDEXED BY records_entity
         WHERE status = 'active' AND kind = ?1 AND count_key = ?2"
    } else {
        "SELECT unit, key_date, end_date, NULL FROM records INDEXED BY records_entity
         WHERE status = 'active' AND kind = ?1 AND count_key = ?2"
    })?;
    let records = stmt
        .query_map(params![kind.key(), count_key], |row| {
            Ok(Held {
                unit: row.get(0)?,
                record: counted_record(row, 1)?,
                fen: turnover_fen(row.get::<_, Option<String>>(3)?.as_deref()),
            })
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
    before: &[Held],
    after: &[Held],
) {
    let of = |records: &[Held], unit: Option<&str>| -> Vec<CountedRecord> {
        records
            .iter()
            .filter(|held| unit.is_none_or(|unit| held.unit == unit))
            .map(|held| held.record)
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
        .map(|held| held.unit.as_str())
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
    after: &[Held],
) -> Result<(), StoreError> {
    let shared = after.iter().any(|held| held.unit != after[0].unit);
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

/// Adds the turnover's steps to those kept. Returns `false`, having written only part of
/// them, when a kept step would no longer fit in 64 bits.
fn write_amount_steps(conn: &Connection, amounts: &AmountSteps) -> Result<bool, StoreError> {
    let mut read = conn.prepare_cached(
        "SELECT delta FROM amount_steps WHERE scope = ?1 AND measure = ?2 AND day = ?3",
    )?;
    let mut put = conn.prepare_cached(
        "INSERT INTO amount_steps (scope, measure, day, delta) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (scope, measure, day) DO UPDATE SET delta = excluded.delta",
    )?;
    let mut drop_zero = conn.prepare_cached(
        "DELETE FROM amount_steps WHERE scope = ?1 AND measure = ?2 AND day = ?3",
    )?;
    for (day, delta) in amounts.nonzero() {
        let day = day.to_string();
        let key = params![WHOLE_LEDGER, TURNOVER_MEASURE, day];
        let kept: i64 = read
            .query_row(key, |row| row.get(0))
            .optional()?
            .unwrap_or(0);
        let Ok(now) = i64::try_from(i128::from(kept) + delta) else {
            return Ok(false);
        };
        if now == 0 {
            drop_zero.execute(key)?;
        } else {
            put.execute(params![WHOLE_LEDGER, TURNOVER_MEASURE, day, now])?;
        }
    }
    Ok(true)
}

/// The turnover's steps as the records give them, reading only: (scope, measure, day) →
/// delta, none zero; `None` when a step would not fit in 64 bits.
fn fresh_turnover(conn: &Connection) -> Result<Option<StepRows>, StoreError> {
    let mut amounts = AmountSteps::default();
    let mut stmt = conn.prepare(
        "SELECT count_key, key_date, end_date, json_extract(fields_json, '$.amount_yuan')
         FROM records INDEXED BY records_entity
         WHERE status = 'active' AND kind = ?1 ORDER BY count_key",
    )?;
    let mut rows = stmt.query([TURNOVER_KIND.key()])?;
    let mut entity: Option<String> = None;
    let mut records: Vec<AmountRecord> = Vec::new();
    while let Some(row) = rows.next()? {
        let count_key: String = row.get(0)?;
        if entity.as_ref() != Some(&count_key) {
            entity_amount_steps(&[], &records, &mut amounts);
            records.clear();
            entity = Some(count_key);
        }
        records.push(AmountRecord {
            record: counted_record(row, 1)?,
            fen: turnover_fen(row.get::<_, Option<String>>(3)?.as_deref()),
        });
    }
    entity_amount_steps(&[], &records, &mut amounts);
    let mut steps = BTreeMap::new();
    for (day, delta) in amounts.nonzero() {
        let Ok(delta) = i64::try_from(delta) else {
            return Ok(None);
        };
        let key = (
            WHOLE_LEDGER.to_owned(),
            TURNOVER_MEASURE.to_owned(),
            day.to_string(),
        );
        steps.insert(key, delta);
    }
    Ok(Some(steps))
}

/// Builds the turnover's steps again from the records, replacing those kept; when they
/// would not fit, keeps none and notes that the turnover is not kept.
fn rebuild_turnover(conn: &Connection) -> Result<(), StoreError> {
    let fresh = fresh_turnover(conn)?;
    keep_turnover(conn, fresh.as_ref())
}

/// Replaces the turnover's kept steps with `fresh`; `None` keeps none and notes that the
/// turnover is not kept.
fn keep_turnover(conn: &Connection, fresh: Option<&StepRows>) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM amount_steps WHERE measure = ?1",
        [TURNOVER_MEASURE],
    )?;
    match fresh {
        Some(steps) => {
            let mut stmt = conn.prepare(
                "INSERT INTO amount_steps (scope, measure, day, delta) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for ((scope, measure, day), delta) in steps {
                stmt.execute(params![scope, measure, day, delta])?;
            }
            conn.execute("DELETE FROM meta WHERE key = ?1", [META_TURNOVER_UNKEPT])?;
        }
        None => {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?1, 'overflow')
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [META_TURNOVER_UNKEPT],
            )?;
        }
    }
    Ok(())
}

/// The kept turnover of the year to `day`, in yuan.
pub(crate) fn kept_turnover(conn: &Connection, day: Date) -> Result<f64, StoreError> {
    // TOTAL, unlike SUM, cannot overflow; it is exact while the sum stays below 2^53 fen.
    let fen: f64 = conn
        .prepare_cached(
            "SELECT TOTAL(delta) FROM amount_steps
             WHERE scope = ?1 AND measure = ?2 AND day <= ?3",
        )?
        .query_row(
            params![WHOLE_LEDGER, TURNOVER_MEASURE, day.to_string()],
            |row| row.get(0),
        )?;
    Ok(fen / 100.0)
}

/// Kept steps by key (scope, kind or measure, day) → delta, none zero.
type StepRows = BTreeMap<(String, String, String), i64>;

/// Everything the kept counts hold, in key order: compared whole by `check`.
#[derive(Debug, Default, PartialEq, Eq)]
struct KeptState {
    /// (scope, kind, day) → delta, none zero.
    steps: StepRows,
    /// (scope, measure, day) → delta of the turnover in fen, none zero.
    amounts: StepRows,
    /// Whether the turnover is not kept (its steps would not fit).
    amounts_unkept: bool,
    /// (unit, kind, status) → records, none zero.
    tallies: StepRows,
    /// (kind, count key) of the entities more than one unit holds.
    shared: std::collections::BTreeSet<(String, String)>,
}

/// The kept counts as the records give them for `basis`, reading only: the records in
/// counting-key order, one entity at a time.
/// `tallies`, when given, are the records per (unit, kind, status) as the caller counted
/// them, which saves reading every record.
fn fresh_state(
    conn: &Connection,
    basis: &CountingBasis,
    tallies: Option<StepRows>,
) -> Result<KeptState, StoreError> {
    let tallies = match tallies {
        Some(tallies) => tallies,
        None => keyed_rows(
            conn,
            "SELECT unit, kind, status, COUNT(*) FROM records GROUP BY unit, kind, status",
        )?,
    };
    let mut state = KeptState {
        tallies,
        ..KeptState::default()
    };
    let mut steps: HashMap<(String, RecordKind), CountSteps> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT kind, count_key, unit, key_date, end_date FROM records INDEXED BY records_entity
         WHERE status = 'active' ORDER BY kind, count_key",
    )?;
    let mut rows = stmt.query([])?;
    let mut entity: Option<(String, String)> = None;
    // Amounts are left at 0 here: the turnover is read by `fresh_turnover`.
    let mut records: Vec<Held> = Vec::new();
    let mut finish = |entity: Option<(String, String)>,
                      records: &mut Vec<Held>,
                      state: &mut KeptState|
     -> Result<(), StoreError> {
        if let Some((kind_key, count_key)) = entity {
            let kind = parse_kind(0, &kind_key)?;
            add_entity(&mut steps, basis, kind, &[], records);
            if records.iter().any(|held| held.unit != records[0].unit) {
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
        records.push(Held {
            unit: row.get(2)?,
            record: counted_record(row, 3)?,
            fen: 0,
        });
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
    match fresh_turnover(conn)? {
        Some(amounts) => state.amounts = amounts,
        None => state.amounts_unkept = true,
    }
    Ok(state)
}

/// The kept counts as stored.
fn stored_state(conn: &Connection) -> Result<KeptState, StoreError> {
    let mut state = KeptState {
        steps: keyed_rows(conn, "SELECT scope, kind, day, delta FROM count_steps")?,
        tallies: keyed_rows(conn, "SELECT unit, kind, status, n FROM record_tallies")?,
        amounts: keyed_rows(conn, "SELECT scope, measure, day, delta FROM amount_steps")?,
        ..KeptState::default()
    };
    let mut stmt = conn.prepare("SELECT kind, count_key FROM shared_entities")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        state.shared.insert((row.get(0)?, row.get(1)?));
    }
    state.amounts_unkept = turnover_unkept(conn)?;
    Ok(state)
}

/// Rows of three text keys and a number, by key.
fn keyed_rows(conn: &Connection, sql: &str) -> Result<StepRows, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt
        .query_map([], |row| {
            Ok(((row.get(0)?, row.get(1)?, row.get(2)?), row.get(3)?))
        })?
        .collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
    Ok(rows)
}

/// Counts everything again from the records: the steps for `basis`, the turnover, the
/// tallies and the shared entities, replacing what was kept.
pub(crate) fn rebuild(conn: &Connection, basis: &CountingBasis) -> Result<(), StoreError> {
    keep(conn, basis, fresh_state(conn, basis, None)?)
}

/// Like [`rebuild`], for a ledger whose records were all just loaded, active and of `unit`:
/// `loaded` of each kind.
pub(crate) fn rebuild_loaded(
    conn: &Connection,
    basis: &CountingBasis,
    unit: &str,
    loaded: &BTreeMap<RecordKind, u64>,
) -> Result<(), StoreError> {
    let tallies = loaded
        .iter()
        .map(|(kind, n)| {
            let key = (unit.to_owned(), kind.key().to_owned(), "active".to_owned());
            (key, i64::try_from(*n).unwrap_or(i64::MAX))
        })
        .collect();
    keep(conn, basis, fresh_state(conn, basis, Some(tallies))?)
}

/// Replaces the kept counts with `state`.
fn keep(conn: &Connection, basis: &CountingBasis, state: KeptState) -> Result<(), StoreError> {
    keep_turnover(conn, (!state.amounts_unkept).then_some(&state.amounts))?;
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
/// unsettled), `count_steps`, `amount_steps` (the turnover), `record_tallies`,
/// `shared_entities`.
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
    let (fresh, stored) = (fresh_state(conn, basis, None)?, stored_state(conn)?);
    if fresh.steps != stored.steps {
        differ.push("count_steps");
    }
    if (fresh.amounts, fresh.amounts_unkept) != (stored.amounts, stored.amounts_unkept) {
        differ.push("amount_steps");
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
    super::queries::kind_counts_from(
        conn,
        "SELECT kind, status, SUM(n) FROM record_tallies GROUP BY kind, status",
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::validate_record;
    use crate::store::Ledger;

    fn achievement(title: &str, amount: &str, on: &str) -> crate::domain::ValidRecord {
        let fields: FieldValues = [
            ("title", title),
            ("owner", "东北农业大学"),
            ("recipient", "饶河县金峰农业有限公司"),
            ("mode", "license"),
            (TURNOVER_AMOUNT_FIELD, amount),
            ("transferred_on", on),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .into();
        validate_record(TURNOVER_KIND, &fields).unwrap()
    }

    fn logged(conn: &Connection) -> Vec<(i64, Option<String>)> {
        conn.prepare("SELECT sign, amount FROM count_changes ORDER BY seq")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    /// The log itself carries each achievement's amount as its record holds it: an insert
    /// logs it, and so do the triggers on an amount changed alone and on a deletion. (A
    /// wrong amount would still be mended, by a rebuild, so the counts alone cannot show
    /// this.)
    #[test]
    fn every_change_of_an_achievement_logs_its_amount() {
        let mut ledger = Ledger::create_in_memory("230521", "shuangyashan-2021-2023").unwrap();
        let basis = ledger.basis.clone();
        let tx = ledger.conn.transaction().unwrap();
        let rec = achievement("寒地水稻栽培技术", "1200.5", "2022-09-09");
        super::super::records::insert(&tx, "230521", &rec, "clerk", "2024-01-01T00:00:00Z")
            .unwrap();
        assert_eq!(logged(&tx), vec![(1, Some("1200.5".into()))]);
        settle(&tx, &basis).unwrap();
        assert_eq!(
            kept_turnover(&tx, "2022-12-31".parse().unwrap()).unwrap(),
            1200.5
        );

        tx.execute(
            "UPDATE records SET fields_json = json_set(fields_json, '$.amount_yuan', '3')",
            [],
        )
        .unwrap();
        assert_eq!(
            logged(&tx),
            vec![(-1, Some("1200.5".into())), (1, Some("3".into()))]
        );
        // Other fields changing alone log nothing.
        tx.execute(
            "UPDATE records SET fields_json = json_set(fields_json, '$.owner', '东北林业大学')",
            [],
        )
        .unwrap();
        assert_eq!(logged(&tx).len(), 2);
        settle(&tx, &basis).unwrap();
        assert_eq!(
            kept_turnover(&tx, "2022-12-31".parse().unwrap()).unwrap(),
            3.0
        );

        tx.execute("DELETE FROM records", []).unwrap();
        assert_eq!(logged(&tx), vec![(-1, Some("3".into()))]);
        settle(&tx, &basis).unwrap();
        assert_eq!(
            kept_turnover(&tx, "2022-12-31".parse().unwrap()).unwrap(),
            0.0
        );
        assert!(differences(&tx, &basis).unwrap().is_empty());
    }

    /// Steps past 64 bits of fen are not kept: the turnover is then summed from the records
    /// until the amounts fit again.
    #[test]
    fn a_turnover_too_large_to_keep_is_summed_from_the_records() {
        let mut ledger = Ledger::create_in_memory("230521", "shuangyashan-2021-2023").unwrap();
        let largest = "999999999999999.99";
        let recs: Vec<_> = (0..100)
            .map(|n| achievement(&format!("第{n}项技术"), largest, "2022-09-09"))
            .collect();
        ledger.insert_many(&recs, "clerk").unwrap();
        assert!(!turnover_kept(&ledger.conn, &ledger.basis).unwrap());
        assert!(kept_for(&ledger.conn, &ledger.basis).unwrap());
        assert!(differences(&ledger.conn, &ledger.basis).unwrap().is_empty());
        let day: Date = "2022-12-31".parse().unwrap();
        let first = day.first_of_year();
        let expected = ledger.contract_turnover_from_records(first, day).unwrap();
        assert_eq!(ledger.contract_turnover(first, day).unwrap(), expected);
        assert!(expected > 9e16, "{expected}");

        // Void all but one: the turnover fits, and is kept again.
        let ids: Vec<uuid::Uuid> = ledger
            .list(&crate::store::ListQuery {
                limit: 200,
                ..Default::default()
            })
            .unwrap()
            .records
            .iter()
            .map(|r| r.id)
            .collect();
        for id in &ids[1..] {
            ledger.void(*id, "重复录入", None, "clerk").unwrap();
        }
        assert!(turnover_kept(&ledger.conn, &ledger.basis).unwrap());
        assert!(differences(&ledger.conn, &ledger.basis).unwrap().is_empty());
        assert_eq!(
            ledger.contract_turnover(first, day).unwrap(),
            ledger.contract_turnover_from_records(first, day).unwrap()
        );
    }
}
