//! The payload: one record per line in canonical JSON, ordered by id, every record checked
//! against the ledger's own rules before a reader accepts it.

use std::collections::HashMap;

use uuid::Uuid;

use super::{BundleManifest, MAX_LINE_LEN, MAX_PAYLOAD_LEN, MAX_RECORDS, malformed};
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

/// The snapshot-wide rules: ids strictly ascending, every record of the bundle's unit, and no
/// two active records of the same entry.
struct Snapshot<'a> {
    unit: &'a str,
    last_id: Option<Uuid>,
    active: HashMap<(RecordKind, String), Uuid>,
}

impl<'a> Snapshot<'a> {
    fn new(unit: &'a str) -> Snapshot<'a> {
        Snapshot {
            unit,
            last_id: None,
            active: HashMap::new(),
        }
    }

    fn admit(&mut self, line: usize, record: &Record) -> Result<(), BundleError> {
        if record.unit != self.unit {
            return Err(BundleError::WrongUnit {
                key_unit: self.unit.to_owned(),
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
        let valid = check_record(record).map_err(|fault| BundleError::InvalidRecord {
            line,
            id: record.id,
            name: record.name().to_owned(),
            fault,
        })?;
        if record.status == RecordStatus::Active
            && let Some(first) = self
                .active
                .insert((record.kind, valid.index.dup_key), record.id)
        {
            return Err(BundleError::DuplicateEntry {
                first,
                second: record.id,
            });
        }
        Ok(())
    }
}

/// The payload for `records` (already in id order), refusing what a reader would refuse.
pub(super) fn encode(unit: &str, records: &[&Record]) -> Result<Vec<u8>, BundleError> {
    let count = records.len() as u64;
    if count > MAX_RECORDS {
        return Err(BundleError::TooManyRecords { count });
    }
    let mut snapshot = Snapshot::new(unit);
    let mut payload = Vec::new();
    for (index, record) in records.iter().enumerate() {
        let line_no = index + 1;
        snapshot.admit(line_no, record)?;
        let line = canonical_line(record)?;
        if line.len() > MAX_LINE_LEN {
            return Err(BundleError::LineTooLong {
                line: line_no,
                len: line.len(),
            });
        }
        payload.extend_from_slice(line.as_bytes());
        payload.push(b'\n');
        if payload.len() as u64 > MAX_PAYLOAD_LEN {
            return Err(BundleError::PayloadLength {
                len: payload.len() as u64,
            });
        }
    }
    Ok(payload)
}

/// Parses and checks the payload of a verified bundle whose manifest has been checked.
pub(super) fn decode(
    manifest: &BundleManifest,
    payload: &[u8],
) -> Result<Vec<Record>, BundleError> {
    let found = payload.iter().filter(|b| **b == b'\n').count() as u64;
    if payload.last().is_some_and(|b| *b != b'\n') {
        return Err(malformed(
            FilePart::Line(found as usize + 1),
            "line not terminated",
        ));
    }
    if found != manifest.record_count {
        return Err(BundleError::CountMismatch {
            declared: manifest.record_count,
            found,
        });
    }
    let mut snapshot = Snapshot::new(&manifest.unit);
    let mut records = Vec::with_capacity(found as usize);
    let lines = payload.split(|b| *b == b'\n').take(found as usize);
    for (index, line) in lines.enumerate() {
        let line_no = index + 1;
        if line.len() > MAX_LINE_LEN {
            return Err(BundleError::LineTooLong {
                line: line_no,
                len: line.len(),
            });
        }
        let record: Record =
            serde_json::from_slice(line).map_err(|e| malformed(FilePart::Line(line_no), e))?;
        if canonical_line(&record)?.as_bytes() != line {
            return Err(malformed(FilePart::Line(line_no), "not in canonical form"));
        }
        snapshot.admit(line_no, &record)?;
        records.push(record);
    }
    Ok(records)
}
