//! The merge rule the city applies to a unit's snapshot: per record, the higher revision
//! wins; at equal revisions with different content, the version whose canonical JSON sorts
//! higher wins. The result does not depend on the order bundles arrive in.

use rusqlite::{Connection, OptionalExtension, params};

use super::records::{self, bad_column, fields_json};
use super::{ImportAction, ImportRefusal, StoreError, counts, search};
use crate::domain::validate::validate_record;
use crate::domain::{Record, RecordIndex, RecordStatus};

/// What an import does to one record, with what writing it needs.
pub(crate) struct Verdict {
    pub(crate) action: ImportAction,
    /// The index columns, for a record that is written.
    pub(crate) index: Option<RecordIndex>,
    /// For a changed record, the keys of the fields whose values differ from the city's
    /// copy, in key order.
    pub(crate) changed_fields: Vec<String>,
}

/// The keys of the fields `incoming` gives other values than `held` (or adds, or clears).
fn changed_fields(held: &Record, incoming: &Record) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> =
        held.fields.keys().chain(incoming.fields.keys()).collect();
    keys.into_iter()
        .filter(|key| held.fields.get(*key) != incoming.fields.get(*key))
        .cloned()
        .collect()
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
/// `checked` is the record's index when its fields were already validated (by the bundle
/// reader), so that they are not validated twice.
pub(crate) fn judge(
    conn: &Connection,
    unit: &str,
    record: &Record,
    first_of_id: bool,
    checked: Option<RecordIndex>,
) -> Result<Verdict, StoreError> {
    let refused = |refusal| {
        Ok(Verdict {
            action: ImportAction::Refused(refusal),
            index: None,
            changed_fields: Vec::new(),
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
    let index = match checked {
        Some(index) => index,
        None => match validate_record(record.kind, &record.fields) {
            Ok(valid) => valid.index,
            Err(issues) => return refused(ImportRefusal::Invalid { issues }),
        },
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
    let held_status = held.as_ref().map(|held| held.status);
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
    let changed_fields = match (&action, &held) {
        (ImportAction::Changed, Some(held)) => changed_fields(held, record),
        _ => Vec::new(),
    };
    Ok(Verdict {
        action,
        index: writes.then_some(index),
        changed_fields,
    })
}

/// Stores the unit's version of a record as it is: id, revision, status, void reason,
/// people and times, with the index columns derived from its fields. `status` is the
/// record's own, or voided for an active record set aside until the end of the import.
pub(crate) fn upsert(
    conn: &Connection,
    record: &Record,
    index: &RecordIndex,
    status: RecordStatus,
) -> Result<(), StoreError> {
    let fields = fields_json(&record.fields)?;
    let values = params![
        record.id.to_string(),
        record.unit,
        record.kind.key(),
        status.key(),
        record.revision,
        index.name,
        index.credit_code,
        index.key_date.to_string(),
        index.end_date.map(|d| d.to_string()),
        index.dup_key,
        index.count_key,
        fields,
        record.void_reason,
        record.created_by,
        record.created_at.to_string(),
        record.updated_by,
        record.updated_at.to_string(),
    ];
    // An update is logged for the kept counts by the update trigger, an insert by itself.
    let updated: Option<i64> = conn
        .prepare_cached(
            "UPDATE records SET unit = ?2, kind = ?3, status = ?4, revision = ?5, name = ?6,
                 credit_code = ?7, key_date = ?8, end_date = ?9, dup_key = ?10,
                 count_key = ?11, search_text = '', fields_json = ?12, void_reason = ?13,
                 created_by = ?14, created_at = ?15, updated_by = ?16, updated_at = ?17
             WHERE id = ?1
             RETURNING rowid",
        )?
        .query_row(values, |row| row.get(0))
        .optional()?;
    let rowid = match updated {
        Some(rowid) => rowid,
        None => {
            conn.prepare_cached(
                "INSERT INTO records (id, unit, kind, status, revision, name, credit_code,
                     key_date, end_date, dup_key, count_key, search_text, fields_json,
                     void_reason, created_by, created_at, updated_by, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '', ?12, ?13, ?14,
                     ?15, ?16, ?17)",
            )?
            .execute(values)?;
            counts::log_added(
                conn,
                &record.unit,
                record.kind,
                status.key(),
                index,
                &record.fields,
            )?;
            conn.last_insert_rowid()
        }
    };
    search::index(conn, rowid, &index.name, index.credit_code.as_deref())
}
