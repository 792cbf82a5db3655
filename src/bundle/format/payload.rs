//! The payload: one record per line in canonical JSON, ordered by id, every record checked
//! against the ledger's own rules before a reader accepts it.

use std::collections::HashMap;

use uuid::Uuid;

use super::malformed;
use crate::bundle::error::{BundleError, FilePart, RecordFault};
use crate::domain::validate::text::stored_text;
use crate::domain::validate::{ACCOUNT_MAX, VOID_REASON_MAX, validate_record};
use crate::domain::{
    FieldIssue, FieldValues, Problem, Record, RecordKind, RecordStatus, ValidRecord,
};

/// The record as one line of JSON, exactly as a bundle carries it (no trailing newline):
/// compact, keys in `Record`'s field order, `fields` sorted by key.
pub fn canonical_line(record: &Record) -> Result<String, BundleError> {
    serde_json::to_string(record).map_err(|e| malformed(FilePart::Manifest, e))
}

/// Checks one record against the ledger's rules: revision at least 1, a void reason exactly
/// when voided, system texts within their limits, and field values that pass validation and
/// are already in normalised form. Returns the validated record (for its index keys).
pub fn check_record(record: &Record) -> Result<ValidRecord, RecordFault> {
    if record.revision < 1 {
        return Err(RecordFault::Revision(record.revision));
    }
    let reason_ok = match (record.status, &record.void_reason) {
        (RecordStatus::Active, None) => true,
        (RecordStatus::Voided, Some(reason)) => !reason.trim().is_empty(),
        _ => false,
    };
    if !reason_ok {
        return Err(RecordFault::StatusReason);
    }
    let texts = [
        ("created_by", record.created_by.as_str(), ACCOUNT_MAX),
        ("updated_by", record.updated_by.as_str(), ACCOUNT_MAX),
        (
            "void_reason",
            record.void_reason.as_deref().unwrap_or(""),
            VOID_REASON_MAX,
        ),
    ];
    for (field, text, max) in texts {
        if text.chars().count() > max {
            return Err(RecordFault::TextTooLong { field, max });
        }
        if let Err(found) = stored_text(text) {
            return Err(RecordFault::Fields(vec![FieldIssue::new(
                field,
                Problem::from(found),
            )]));
        }
    }
    let valid = validate_record(record.kind, &record.fields).map_err(RecordFault::Fields)?;
    if !normalised_or_legacy(&record.fields, &valid.fields) {
        return Err(RecordFault::NotNormalised);
    }
    Ok(valid)
}

/// Whether each value a bundle carries is the one the ledger stores, or differs from it only
/// by what the text policy does (NFKC, removed invisible characters): a ledger made before
/// the policy keeps its older stored values until they are edited, and its bundles are
/// accepted — their index keys come from the normalised values, so look-alikes count once.
fn normalised_or_legacy(carried: &FieldValues, normal: &FieldValues) -> bool {
    carried.len() == normal.len()
        && carried.iter().all(|(key, value)| {
            normal.get(key).is_some_and(|want| {
                value == want || stored_text(value).is_ok_and(|policy| &policy == want)
            })
        })
}

/// The rules between neighbouring lines, kept in constant memory: every record of the
/// bundle's unit, ids strictly ascending (so no id twice), and each record valid.
pub(super) struct LineCheck {
    unit: String,
    last_id: Option<Uuid>,
}

impl LineCheck {
    pub(super) fn new(unit: &str) -> LineCheck {
        LineCheck {
            unit: unit.to_owned(),
            last_id: None,
        }
    }

    /// Checks the record on line `line` and returns it validated (for its index keys).
    pub(super) fn admit(
        &mut self,
        line: usize,
        record: &Record,
    ) -> Result<ValidRecord, BundleError> {
        if record.unit != self.unit {
            return Err(BundleError::WrongUnit {
                key_unit: self.unit.clone(),
                claimed_unit: record.unit.clone(),
            });
        }
        match self.last_id {
            Some(last) if last == record.id => {
                return Err(BundleError::DuplicateId { id: record.id });
            }
            Some(last) if last > record.id => {
                return Err(BundleError::OutOfOrder { id: record.id });
            }
            _ => {}
        }
        self.last_id = Some(record.id);
        check_record(record).map_err(|fault| BundleError::InvalidRecord {
            line,
            id: record.id,
            name: record.name().to_owned(),
            fault,
        })
    }
}

/// No two active records of one entry, for a bundle read whole into memory. The city's
/// import makes the same check in the ledger, in bounded memory.
#[derive(Default)]
pub(super) struct Entries {
    active: HashMap<(RecordKind, String), Uuid>,
}

impl Entries {
    pub(super) fn admit(
        &mut self,
        record: &Record,
        valid: &ValidRecord,
    ) -> Result<(), BundleError> {
        if record.status == RecordStatus::Active
            && let Some(first) = self
                .active
                .insert((record.kind, valid.index.dup_key.clone()), record.id)
        {
            return Err(BundleError::DuplicateEntry {
                first,
                second: record.id,
            });
        }
        Ok(())
    }
}
