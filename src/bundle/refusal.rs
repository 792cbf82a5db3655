//! Noting, at the city, the bundle files an import refused: why, in the language-free form
//! the ledger keeps ([`RefusalReason`]), with what each file claimed to be (read again without
//! trusting it) and its SHA-256, so that the city's worklist can list the refusals still
//! needing attention. Failures of the disk or of the ledger file are not refusals and are
//! not noted.

use std::io::Read;
use std::path::Path;

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use super::error::{BundleError, FilePart, RecordFault as BundleRecordFault};
use super::format::{self, FileType, HEADER_LEN, MAX_MANIFEST_LEN};
use super::import::{FileOutcome, open_file};
use crate::domain::FieldIssue;
use crate::domain::refusal::{CarriedItems, RecordFault, RefusalReason};
use crate::store::{BundleRefusal, ImportRefusal, Ledger, StoreError};

/// The longest record name, file name and other text kept with a refusal (in characters):
/// a refused file may carry anything.
const TEXT_KEPT: usize = 200;

/// The most field keys kept for a record refused for its fields.
const FIELDS_KEPT: usize = 12;

/// What a refused file claimed to be, read without trusting it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileClaims {
    /// Lower-case hex SHA-256 of the whole file, when it could be read to the end.
    pub sha256: Option<String>,
    /// The unit its manifest names, when its header and manifest could be parsed.
    pub unit: Option<String>,
    /// The sequence its manifest gives, likewise.
    pub sequence: Option<u64>,
}

/// Reads the file at `path` once: its SHA-256, and the unit and sequence its manifest
/// claims. Only a regular file is opened; whatever cannot be read or parsed is left out.
pub fn claims_of(path: &Path) -> FileClaims {
    let Ok(mut file) = open_file(path) else {
        return FileClaims::default();
    };
    let head_max = HEADER_LEN + MAX_MANIFEST_LEN as usize;
    let mut head = Vec::new();
    let mut hash = Sha256::new();
    let mut chunk = vec![0u8; 1 << 16];
    let whole = loop {
        match file.read(&mut chunk) {
            Ok(0) => break true,
            Ok(n) => {
                let part = &chunk[..n];
                hash.update(part);
                let room = head_max.saturating_sub(head.len());
                head.extend_from_slice(&part[..n.min(room)]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break false,
        }
    };
    let manifest = format::claimed_manifest(&head);
    FileClaims {
        sha256: whole.then(|| hex::encode(hash.finalize())),
        unit: manifest.as_ref().map(|m| m.unit.clone()),
        sequence: manifest.map(|m| m.sequence),
    }
}

/// Why a bundle was refused, as the ledger keeps it; `None` for what is no refusal of the
/// file (a disk or ledger failure, a file that could not be read).
pub fn reason_of(e: &BundleError) -> Option<RefusalReason> {
    if !e.is_refusal() {
        return None;
    }
    use BundleError as E;
    Some(match e {
        E::NotABundle | E::UnknownFileType { .. } => RefusalReason::NotABundle,
        E::WrongFileType {
            found: FileType::Receipt,
            ..
        } => RefusalReason::Receipt,
        E::NotAFile { .. } => RefusalReason::NotAFile,
        E::UnsupportedVersion { version } => RefusalReason::NewerFormat { version: *version },
        E::Truncated { actual, expected } => RefusalReason::Truncated {
            actual: *actual,
            expected: *expected,
        },
        E::ExtraBytes { .. }
        | E::BadSignature
        | E::ManifestLength { .. }
        | E::PayloadLength { .. } => RefusalReason::Damaged,
        E::UnknownKey { fingerprint } => RefusalReason::UnknownKey {
            fingerprint: kept(fingerprint),
        },
        E::FormerKey {
            fingerprint,
            replaced_at,
            ..
        } => RefusalReason::FormerKey {
            fingerprint: kept(fingerprint),
            replaced_at: *replaced_at,
        },
        E::WrongUnit {
            key_unit,
            claimed_unit,
        } => RefusalReason::OtherUnitsKey {
            key_unit: kept(key_unit),
            claimed_unit: kept(claimed_unit),
        },
        E::PlanMismatch {
            bundle_plan,
            ledger_plan,
        } => RefusalReason::OtherPlan {
            bundle_plan: kept(bundle_plan),
            ledger_plan: kept(ledger_plan),
        },
        E::Malformed { part, .. } => RefusalReason::Malformed {
            line: match part {
                FilePart::Manifest => None,
                FilePart::Line(line) => Some(*line as u64),
            },
        },
        E::PayloadMismatch
        | E::CountMismatch { .. }
        | E::OutOfOrder { .. }
        | E::LineTooLong { .. } => RefusalReason::NotAsDeclared,
        E::ChangedWhileReading => RefusalReason::ChangedWhileReading,
        E::TooManyRecords { count } => too_many(CarriedItems::Records, *count),
        E::TooManyAwardEvents { count } => too_many(CarriedItems::AwardEvents, *count),
        E::TooManyPoolEntries { count } => too_many(CarriedItems::PoolEntries, *count),
        E::InvalidRecord {
            line,
            id,
            name,
            fault,
        } => {
            let (fault, fields) = match fault {
                BundleRecordFault::Fields(issues) => (RecordFault::InvalidFields, keys(issues)),
                BundleRecordFault::NotNormalised => (RecordFault::NotNormalised, Vec::new()),
                BundleRecordFault::Revision(_) => (RecordFault::BadRevision, Vec::new()),
                BundleRecordFault::StatusReason => (RecordFault::StatusAndReason, Vec::new()),
                BundleRecordFault::TextTooLong { .. } => (RecordFault::TextTooLong, Vec::new()),
            };
            RefusalReason::RecordRefused {
                id: *id,
                name: kept(name),
                line: Some(*line as u64),
                fault,
                fields,
            }
        }
        E::DuplicateId { id } => record_refused(*id, "", RecordFault::Twice),
        E::DuplicateEntry { second, .. } => record_refused(*second, "", RecordFault::SameEntry),
        E::InvalidAwardEvent { line, record, .. } => RefusalReason::AwardEventRefused {
            record: *record,
            line: Some(*line as u64),
        },
        E::AwardForUnknownRecord { record, .. } => RefusalReason::AwardEventRefused {
            record: *record,
            line: None,
        },
        E::InvalidPoolEntry { line, id, .. } => RefusalReason::PoolEntryRefused {
            id: *id,
            line: Some(*line as u64),
        },
        E::PoolEntryOfOtherUnit { id, .. } => RefusalReason::PoolEntryRefused {
            id: *id,
            line: None,
        },
        E::Store(store) => store_reason(store),
        other => RefusalReason::Other {
            error: kept(&other.to_string()),
        },
    })
}

/// The refusals the ledger itself makes at an import: the bundle's number, or a record.
fn store_reason(e: &StoreError) -> RefusalReason {
    match e {
        StoreError::Rollback { sequence, held, .. } => RefusalReason::OlderThanHeld {
            sequence: *sequence,
            held: *held,
        },
        StoreError::SequenceReused { sequence, .. } => RefusalReason::SequenceReused {
            sequence: *sequence,
        },
        StoreError::SequenceJump { sequence, held, .. } => RefusalReason::SequenceJump {
            sequence: *sequence,
            held: *held,
        },
        StoreError::ForeignRecord { id, .. } => {
            record_refused(*id, "", RecordFault::HeldForOtherUnit)
        }
        StoreError::ImportRefused {
            unit,
            id,
            name,
            refusal,
        } => match refusal {
            ImportRefusal::Invalid { issues } => RefusalReason::RecordRefused {
                id: *id,
                name: kept(name),
                line: None,
                fault: RecordFault::InvalidFields,
                fields: keys(issues),
            },
            ImportRefusal::WrongUnit { unit: other } => RefusalReason::OtherUnitsKey {
                key_unit: kept(unit),
                claimed_unit: kept(other),
            },
            ImportRefusal::HeldByOtherUnit { .. } => {
                record_refused(*id, name, RecordFault::HeldForOtherUnit)
            }
            ImportRefusal::BadRevision { .. } => {
                record_refused(*id, name, RecordFault::BadRevision)
            }
            ImportRefusal::StatusMismatch => {
                record_refused(*id, name, RecordFault::StatusAndReason)
            }
            ImportRefusal::DuplicateId => record_refused(*id, name, RecordFault::Twice),
            ImportRefusal::DuplicateActive { .. } => {
                record_refused(*id, name, RecordFault::SameEntry)
            }
        },
        other => RefusalReason::Other {
            error: kept(&other.to_string()),
        },
    }
}

fn record_refused(id: uuid::Uuid, name: &str, fault: RecordFault) -> RefusalReason {
    RefusalReason::RecordRefused {
        id,
        name: kept(name),
        line: None,
        fault,
        fields: Vec::new(),
    }
}

fn too_many(items: CarriedItems, count: u64) -> RefusalReason {
    RefusalReason::TooMany { items, count }
}

/// The keys of the fields at fault, each once, as many as are kept.
fn keys(issues: &[FieldIssue]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for issue in issues {
        let key = kept(&issue.field);
        if keys.len() < FIELDS_KEPT && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// Text taken from a refused file, cut to what is kept.
fn kept(text: &str) -> String {
    text.chars().take(TEXT_KEPT).collect()
}

/// The name a refused file is logged under: its own name, without the folder it was in
/// (the stick's mount point says nothing about the bundle; its name carries the unit,
/// sequence and date).
pub fn logged_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map_or_else(|| path.to_string_lossy(), |name| name.to_string_lossy());
    kept(&name)
}

/// Notes every refused file of an import at the city ledger, at `at` (the import's time),
/// in the log its worklist reads. Outcomes that are no refusal of the file are passed over.
/// All are tried; returns how many were noted, or the first failure to note one (the
/// refusals themselves are still in `outcomes`, for the caller to show).
pub fn log_refusals(
    city: &mut Ledger,
    outcomes: &[FileOutcome],
    at: Timestamp,
) -> Result<usize, StoreError> {
    let mut noted = 0;
    let mut failed = None;
    for outcome in outcomes {
        let Err(e) = &outcome.result else {
            continue;
        };
        let Some(reason) = reason_of(e) else {
            continue;
        };
        match log_one(city, &outcome.path, &reason, at) {
            Ok(()) => noted += 1,
            Err(e) => {
                failed.get_or_insert(e);
            }
        }
    }
    match failed {
        Some(e) => Err(e),
        None => Ok(noted),
    }
}

fn log_one(
    city: &mut Ledger,
    path: &Path,
    reason: &RefusalReason,
    at: Timestamp,
) -> Result<(), StoreError> {
    let claims = claims_of(path);
    let (code, detail) = reason.to_parts();
    city.log_refusal(&BundleRefusal {
        at,
        file_name: logged_name(path),
        file_sha256: claims.sha256,
        unit: claims.unit,
        sequence: claims.sequence,
        code,
        detail,
    })
}
