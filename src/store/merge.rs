//! The merge rule the city applies to a unit's snapshot: per record, the higher revision
//! wins; at equal revisions with different content, the version whose canonical JSON sorts
//! higher wins. The result does not depend on the order bundles arrive in.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use uuid::Uuid;

use super::records::{self, bad_column, fields_json, parse_uuid, search_text};
use super::{ImportAction, ImportCounts, ImportRefusal, StoreError};
use crate::domain::validate::validate_record;
use crate::domain::{Record, RecordIndex, RecordStatus};

/// What an import does to one record, with what writing it needs.
pub(crate) struct Verdict<'a> {
    pub(crate) record: &'a Record,
    pub(crate) action: ImportAction,
    /// The index columns, for a record that is written.
    index: Option<RecordIndex>,
    /// The city holds an active copy that this import replaces.
    held_active: bool,
}

impl Verdict<'_> {
    fn writes(&self) -> bool {
        self.index.is_some()
    }
}

/// Which version the merge rule keeps.
enum Winner {
    /// Both are the same record.
    Same,
    Incoming,
    Held,
}

fn canonical_json(record: &Record) -> Result<String, StoreError> {
    serde_json::to_string(record).map_err(|e| StoreError::Sqlite(bad_column(0, e.to_string())))
}

fn merge_winner(incoming: &Record, held: &Record) -> Result<Winner, StoreError> {
    if incoming == held {
        return Ok(Winner::Same);
    }
    Ok(match incoming.revision.cmp(&held.revision) {
        std::cmp::Ordering::Greater => Winner::Incoming,
        std::cmp::Ordering::Less => Winner::Held,
        std::cmp::Ordering::Equal => {
            let (incoming, held) = (canonical_json(incoming)?, canonical_json(held)?);
            match incoming.cmp(&held) {
                std::cmp::Ordering::Greater => Winner::Incoming,
                std::cmp::Ordering::Less => Winner::Held,
                std::cmp::Ordering::Equal => Winner::Same,
            }
        }
    })
}

/// Active without a void reason, or voided with a non-empty one.
fn status_consistent(record: &Record) -> bool {
    match record.status {
        RecordStatus::Active => record.void_reason.is_none(),
        RecordStatus::Voided => record
            .void_reason
            .as_deref()
            .is_some_and(|reason| !reason.trim().is_empty()),
    }
}

/// Judges one record on its own: its checks, then the merge rule against the city's copy.
fn judge<'a>(
    conn: &Connection,
    unit: &str,
    record: &'a Record,
    first_of_id: bool,
) -> Result<Verdict<'a>, StoreError> {
    let refused = |refusal| {
        Ok(Verdict {
            record,
            action: ImportAction::Refused(refusal),
            index: None,
            held_active: false,
        })
    };
    if !first_of_id {
        return refused(ImportRefusal::DuplicateId);
    }
    if record.unit != unit {
        return refused(ImportRefusal::WrongUnit {
            unit: record.unit.clone(),
        });
    }
    if record.revision < 1 {
        return refused(ImportRefusal::BadRevision {
            revision: record.revision,
        });
    }
    if !status_consistent(record) {
        return refused(ImportRefusal::StatusMismatch);
    }
    let valid = match validate_record(record.kind, &record.fields) {
        Ok(valid) => valid,
        Err(issues) => return refused(ImportRefusal::Invalid { issues }),
    };
    let held = records::find(conn, record.id)?;
    if let Some(held) = held.as_ref().filter(|held| held.unit != unit) {
        return refused(ImportRefusal::HeldByOtherUnit {
            unit: held.unit.clone(),
        });
    }
    let winner = match &held {
        None => Winner::Incoming,
        Some(held) => merge_winner(record, held)?,
    };
    let held_status = held.map(|held| held.status);
    let action = match (winner, held_status, record.status) {
        (Winner::Same | Winner::Held, _, _) => ImportAction::Unchanged,
        (Winner::Incoming, None, RecordStatus::Active) => ImportAction::New,
        (Winner::Incoming, None | Some(RecordStatus::Active), RecordStatus::Voided) => {
            ImportAction::Voided
        }
        (Winner::Incoming, Some(_), _) => ImportAction::Changed,
    };
    let writes = matches!(
        action,
        ImportAction::New | ImportAction::Changed | ImportAction::Voided
    );
    Ok(Verdict {
        record,
        action,
        index: writes.then_some(valid.index),
        held_active: writes && held_status == Some(RecordStatus::Active),
    })
}

/// Every record's verdict, in the order given, including the refusal of records that would
/// leave two active records of the unit with the same kind and duplicate key. With
/// `retiring_others`, the unit's active records the snapshot does not carry are taken as
/// retired first (the first bundle of a new sequence line, see `super::lines`).
pub(crate) fn classify<'a>(
    conn: &Connection,
    unit: &str,
    records: &'a [Record],
    retiring_others: bool,
) -> Result<Vec<Verdict<'a>>, StoreError> {
    let mut seen = HashSet::with_capacity(records.len());
    let mut verdicts = records
        .iter()
        .map(|record| judge(conn, unit, record, seen.insert(record.id)))
        .collect::<Result<Vec<_>, _>>()?;
    let keep = retiring_others.then_some(&seen);
    refuse_active_duplicates(conn, unit, &mut verdicts, keep)?;
    Ok(verdicts)
}

/// Works out the unit's active records after the import and refuses every written record
/// that would share its kind and duplicate key with another. With `keep`, only the held
/// active records among those ids stay active (the others are being retired).
fn refuse_active_duplicates(
    conn: &Connection,
    unit: &str,
    verdicts: &mut [Verdict<'_>],
    keep: Option<&HashSet<Uuid>>,
) -> Result<(), StoreError> {
    let mut active: HashMap<Uuid, (String, String)> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, dup_key FROM records WHERE unit = ?1 AND status = 'active'",
    )?;
    let mut rows = stmt.query([unit])?;
    while let Some(row) = rows.next()? {
        let id = parse_uuid(0, &row.get::<_, String>(0)?)?;
        if keep.is_none_or(|keep| keep.contains(&id)) {
            active.insert(id, (row.get(1)?, row.get(2)?));
        }
    }
    for verdict in verdicts.iter().filter(|v| v.writes()) {
        let record = verdict.record;
        active.remove(&record.id);
        if let (RecordStatus::Active, Some(index)) = (record.status, &verdict.index) {
            active.insert(
                record.id,
                (record.kind.key().to_owned(), index.dup_key.clone()),
            );
        }
    }
    let mut holders: HashMap<&(String, String), Vec<Uuid>> = HashMap::new();
    for (id, key) in &active {
        holders.entry(key).or_default().push(*id);
    }
    let clashes: HashMap<Uuid, Uuid> = holders
        .values()
        .filter(|ids| ids.len() > 1)
        .flat_map(|ids| {
            let mut ids = ids.clone();
            ids.sort();
            let first = ids[0];
            let second = ids[1];
            ids.into_iter()
                .map(move |id| (id, if id == first { second } else { first }))
        })
        .collect();
    if clashes.is_empty() {
        return Ok(());
    }
    for verdict in verdicts.iter_mut().filter(|v| v.writes()) {
        if let Some(other) = clashes.get(&verdict.record.id) {
            verdict.action =
                ImportAction::Refused(ImportRefusal::DuplicateActive { other: *other });
            verdict.index = None;
            verdict.held_active = false;
        }
    }
    Ok(())
}

/// How many records each action took.
pub(crate) fn count(verdicts: &[Verdict<'_>]) -> ImportCounts {
    let mut counts = ImportCounts::default();
    for verdict in verdicts {
        match verdict.action {
            ImportAction::New => counts.new += 1,
            ImportAction::Changed => counts.changed += 1,
            ImportAction::Unchanged => counts.unchanged += 1,
            ImportAction::Voided => counts.voided += 1,
            ImportAction::Refused(_) => {}
        }
    }
    counts
}

/// Writes the winning versions: first every replaced active copy steps aside, then the
/// tombstones, then the active records, so that a legitimate void-and-re-add or a swap of
/// duplicate keys never trips the unique index in between.
pub(crate) fn write(conn: &Connection, verdicts: &[Verdict<'_>]) -> Result<(), StoreError> {
    let mut step_aside =
        conn.prepare_cached("UPDATE records SET status = 'voided' WHERE id = ?1")?;
    for verdict in verdicts.iter().filter(|v| v.held_active) {
        step_aside.execute([verdict.record.id.to_string()])?;
    }
    for status in [RecordStatus::Voided, RecordStatus::Active] {
        for verdict in verdicts.iter().filter(|v| v.record.status == status) {
            if let Some(index) = &verdict.index {
                upsert(conn, verdict.record, index)?;
            }
        }
    }
    Ok(())
}

/// Stores the unit's version of a record as it is: id, revision, status, void reason,
/// people and times, with the index columns derived from its fields.
fn upsert(conn: &Connection, record: &Record, index: &RecordIndex) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO records (id, unit, kind, status, revision, name, credit_code, key_date,
             end_date, dup_key, count_key, search_text, fields_json, void_reason,
             created_by, created_at, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
         ON CONFLICT (id) DO UPDATE SET unit = excluded.unit, kind = excluded.kind,
             status = excluded.status, revision = excluded.revision, name = excluded.name,
             credit_code = excluded.credit_code, key_date = excluded.key_date,
             end_date = excluded.end_date, dup_key = excluded.dup_key,
             count_key = excluded.count_key, search_text = excluded.search_text,
             fields_json = excluded.fields_json, void_reason = excluded.void_reason,
             created_by = excluded.created_by, created_at = excluded.created_at,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )?;
    stmt.execute(params![
        record.id.to_string(),
        record.unit,
        record.kind.key(),
        record.status.key(),
        record.revision,
        index.name,
        index.credit_code,
        index.key_date.to_string(),
        index.end_date.map(|d| d.to_string()),
        index.dup_key,
        index.count_key,
        search_text(index),
        fields_json(&record.fields)?,
        record.void_reason,
        record.created_by,
        record.created_at.to_string(),
        record.updated_by,
        record.updated_at.to_string(),
    ])
    .map_err(|e| duplicate_refusal(conn, e, record, index))?;
    Ok(())
}

/// The unique active duplicate-key index tripped after all: the import is refused, naming
/// the record already there.
fn duplicate_refusal(
    conn: &Connection,
    e: rusqlite::Error,
    record: &Record,
    index: &RecordIndex,
) -> StoreError {
    if e.sqlite_error_code() != Some(ErrorCode::ConstraintViolation) {
        return StoreError::Sqlite(e);
    }
    let other = conn
        .query_row(
            "SELECT id FROM records WHERE unit = ?1 AND kind = ?2 AND dup_key = ?3
                 AND status = 'active' AND id <> ?4",
            params![
                record.unit,
                record.kind.key(),
                index.dup_key,
                record.id.to_string()
            ],
            |row| parse_uuid(0, &row.get::<_, String>(0)?),
        )
        .optional();
    match other {
        Ok(Some(other)) => StoreError::ImportRefused {
            unit: record.unit.clone(),
            id: record.id,
            name: record.name().to_owned(),
            refusal: ImportRefusal::DuplicateActive { other },
        },
        Ok(None) => StoreError::Sqlite(e),
        Err(other) => StoreError::Sqlite(other),
    }
}
