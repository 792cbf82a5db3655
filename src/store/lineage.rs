//! Upgrades and renamings: a recognition that supersedes an earlier record of the same unit
//! (a city R&D centre raised to provincial level under a new name) is the same entity. It
//! takes the earlier record's counting key, so the two count once, and the entity's records
//! in date order are its level history.

use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

use super::StoreError;
use super::records::{RECORD_COLUMNS, get, record_from_row};
use crate::domain::{Record, RecordKind, SUPERSEDES};

/// Longest chain of upgrades followed; a hostile bundle's loop stops here.
const MAX_CHAIN: usize = 16;

/// Refuses a `supersedes` reference that is not another record of the same unit and kind,
/// or that would make a record supersede itself through a chain.
pub(crate) fn check_reference(
    conn: &Connection,
    unit: &str,
    kind: RecordKind,
    record: Option<Uuid>,
    fields: &crate::domain::FieldValues,
) -> Result<(), StoreError> {
    let Some(text) = fields.get(SUPERSEDES) else {
        return Ok(());
    };
    let refused = |reason: SupersedeRefusal| StoreError::BadSupersedes {
        reference: text.clone(),
        reason,
    };
    let target = Uuid::try_parse(text).map_err(|_| refused(SupersedeRefusal::NotFound))?;
    let earlier = super::records::find(conn, target)?.ok_or(refused(SupersedeRefusal::NotFound))?;
    if earlier.unit != unit {
        return Err(refused(SupersedeRefusal::OtherUnit));
    }
    if earlier.kind != kind {
        return Err(refused(SupersedeRefusal::OtherKind { kind: earlier.kind }));
    }
    // Follow the chain back from the earlier record: it must never reach this one.
    let mut step = Some(earlier);
    for _ in 0..MAX_CHAIN {
        let Some(current) = step else {
            return Ok(());
        };
        if Some(current.id) == record {
            return Err(refused(SupersedeRefusal::Loop));
        }
        step = match current.fields.get(SUPERSEDES).map(|t| Uuid::try_parse(t)) {
            Some(Ok(next)) => super::records::find(conn, next)?,
            _ => None,
        };
    }
    Err(refused(SupersedeRefusal::Loop))
}

/// Replaces a `supersedes` value given as a unique start or end of an id (as lists show it)
/// with the full id, before the record is validated. An empty value stays empty.
pub(crate) fn resolve_reference(
    conn: &Connection,
    values: &mut crate::domain::FieldValues,
) -> Result<(), StoreError> {
    let Some(given) = values.get(SUPERSEDES).map(|v| v.trim().to_owned()) else {
        return Ok(());
    };
    if given.is_empty() || Uuid::try_parse(&given).is_ok() {
        return Ok(());
    }
    let id = super::queries::resolve_id(conn, &given).map_err(|e| match e {
        StoreError::NotFound { .. } => StoreError::BadSupersedes {
            reference: given.clone(),
            reason: SupersedeRefusal::NotFound,
        },
        other => other,
    })?;
    values.insert(SUPERSEDES.to_owned(), id.to_string());
    Ok(())
}

/// The unit's active records of `kind` with this (host or operator) credit code, newest
/// first, at most `limit`, other than `except`: what an upgrade of that host may supersede.
/// Only institutions and incubators are upgraded; other kinds have none. The firm's few
/// records come from `records_firm_links` (whose kinds the query names so that it may), then
/// are sorted, rather than walking every record of the kind newest first.
pub(crate) fn upgrade_candidates(
    conn: &Connection,
    unit: &str,
    kind: RecordKind,
    credit_code: &str,
    except: Option<Uuid>,
    limit: usize,
) -> Result<Vec<Record>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RECORD_COLUMNS} FROM records INDEXED BY records_firm_links
         WHERE kind = ?1 AND credit_code = ?2 AND unit = ?3 AND status = 'active'
           AND kind IN ('rnd_institution', 'incubator', 'alliance', 'achievement')
           AND id IS NOT ?4
         ORDER BY key_date DESC, id DESC LIMIT ?5"
    ))?;
    let records = stmt
        .query_map(
            rusqlite::params![
                kind.key(),
                credit_code,
                unit,
                except.map(|id| id.to_string()),
                i64::try_from(limit).unwrap_or(i64::MAX)
            ],
            record_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(records)
}

/// Why a `supersedes` reference was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SupersedeRefusal {
    NotFound,
    OtherUnit,
    OtherKind { kind: RecordKind },
    Loop,
}

/// Gives every record of the unit that supersedes another the counting key at the start of
/// its chain. Run after every change that can touch a chain (a save, an edit, an import):
/// a record whose link was removed has already been given its own key back by the save.
/// Only the few records that supersede another are visited (`records_superseding`).
pub(crate) fn relink(conn: &Connection, unit: &str) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "UPDATE records
         SET count_key = (SELECT p.count_key FROM records AS p
                          WHERE p.id = json_extract(records.fields_json, '$.supersedes'))
         WHERE unit = ?1 AND kind IN ('rnd_institution', 'incubator') AND status = 'active'
           AND json_extract(fields_json, '$.supersedes') IS NOT NULL
           AND EXISTS (SELECT 1 FROM records AS p
                       WHERE p.id = json_extract(records.fields_json, '$.supersedes')
                         AND p.unit = records.unit AND p.kind = records.kind
                         AND p.count_key IS NOT records.count_key)",
    )?;
    for _ in 0..MAX_CHAIN {
        if stmt.execute([unit])? == 0 {
            break;
        }
    }
    Ok(())
}

/// The active records of the entity `id` belongs to (same unit, kind and counting key), by
/// date then entry: its recognitions and levels over time.
pub(crate) fn entity_history(conn: &Connection, id: Uuid) -> Result<Vec<Record>, StoreError> {
    let record = get(conn, id)?;
    let count_key: Option<String> = conn
        .query_row(
            "SELECT count_key FROM records WHERE id = ?1",
            [id.to_string()],
            |row| row.get(0),
        )
        .optional()?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RECORD_COLUMNS} FROM records
         WHERE status = 'active' AND unit = ?1 AND kind = ?2 AND count_key = ?3
         ORDER BY key_date, created_at, id"
    ))?;
    let records = stmt
        .query_map(
            rusqlite::params![record.unit, record.kind.key(), count_key],
            record_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(records)
}
