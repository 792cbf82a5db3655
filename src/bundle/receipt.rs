//! Receipts: the city tells a unit, in a file signed with the city key, which bundle of the
//! unit it holds, and carries the city's award approvals and payments for the unit's records
//! (format 3); the unit checks it against the city key it pinned and keeps it.

use std::io::{BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::disk::{ExportFs, RealFs, Sink, read_back_verdict, write_verified};
use super::error::{BundleError, ReceiptMismatch};
use super::format::{self, FORMAT_VERSION, FileType, ReceiptManifest, Written};
use super::keys;
use crate::store::{Ledger, LedgerRole, ReceiptEntry};

/// A receipt written and verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptDone {
    pub path: PathBuf,
    pub unit: String,
    /// The sequence of the unit's bundle the city holds.
    pub sequence: u64,
    pub records: u64,
    /// The city's award approvals and payments for the unit the receipt carries.
    pub award_events: u64,
    /// Lower-case hex SHA-256 of the receipt file.
    pub sha256: String,
}

/// `taizhang-receipt-<unit>-<sequence, 6 digits>.tzr`.
pub fn receipt_file_name(unit: &str, sequence: u64) -> String {
    format!("taizhang-receipt-{unit}-{sequence:06}.tzr")
}

/// Writes a receipt for `unit` into `out_dir`: what the city last imported from it, and the
/// approvals and payments the city recorded for the unit's records (format 3 when there are
/// any, else format 2).
pub fn write_receipt(
    city: &Ledger,
    unit: &str,
    out_dir: &Path,
    now: Timestamp,
) -> Result<ReceiptDone, BundleError> {
    write_receipt_with(city, unit, out_dir, now, &mut RealFs)
}

/// [`write_receipt`] through `fs`, written as safely as a bundle.
pub fn write_receipt_with<F: ExportFs>(
    city: &Ledger,
    unit: &str,
    out_dir: &Path,
    now: Timestamp,
    fs: &mut F,
) -> Result<ReceiptDone, BundleError> {
    if city.role() != LedgerRole::City {
        return Err(BundleError::NotCity);
    }
    let seed = city.signing_key()?.ok_or(BundleError::NoSigningKey)?;
    let held = city
        .last_import(unit)?
        .ok_or_else(|| BundleError::NothingImported {
            unit: unit.to_owned(),
        })?;
    let manifest = ReceiptManifest {
        format: FORMAT_VERSION,
        file_type: FileType::Receipt.key().to_owned(),
        city: city.unit().to_owned(),
        unit: held.unit.clone(),
        sequence: held.sequence,
        bundle_sha256: held.bundle_sha256.clone(),
        record_count: held.records,
        award_event_count: None,
        imported_at: held.imported_at,
        created_at: now,
    };
    let events = format::sorted_events(&city.award_events_recorded_here(Some(unit))?);
    let bytes = format::encode_receipt_with_awards(&seed, &manifest, &events)?;
    let manifest = ReceiptManifest {
        format: if events.is_empty() {
            FORMAT_VERSION
        } else {
            format::FORMAT_V3
        },
        award_event_count: (!events.is_empty()).then_some(events.len() as u64),
        ..manifest
    };
    let sha256 = format::sha256_hex(&bytes);
    let public = keys::public_key(&seed);
    let dir = if out_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        out_dir
    };
    let reads_back = |back: &mut F::Reader, written: &Written| {
        let decoded = format::read_receipt(back, Path::new(""), |key| {
            (*key == public).then(String::new)
        });
        read_back_verdict(decoded.map(|decoded| {
            decoded.manifest == manifest
                && decoded.award_events == events
                && decoded.file_sha256 == written.sha256
        }))
    };
    let produce = |sink: Sink<'_>| {
        sink(&bytes)?;
        Ok(Written {
            sha256: sha256.clone(),
            len: bytes.len() as u64,
            records: 0,
        })
    };
    let name = receipt_file_name(&held.unit, held.sequence);
    let nothing_to_log = |_: &Written| Ok(());
    let (path, _) = write_verified(
        fs,
        FileType::Receipt,
        dir,
        &name,
        produce,
        nothing_to_log,
        reads_back,
    )
    .map_err(|failure| failure.error)?;
    Ok(ReceiptDone {
        path,
        unit: held.unit,
        sequence: held.sequence,
        records: held.records,
        award_events: events.len() as u64,
        sha256,
    })
}

/// [`import_receipt_from`] for a receipt held in memory.
pub fn import_receipt(
    unit_ledger: &mut Ledger,
    bytes: &[u8],
    city: &str,
) -> Result<ReceiptEntry, BundleError> {
    import_receipt_from(unit_ledger, &mut Cursor::new(bytes), Path::new(""), city)
}

/// [`import_receipt_from`] for a receipt file.
pub fn import_receipt_file(
    unit_ledger: &mut Ledger,
    path: &Path,
    city: &str,
) -> Result<ReceiptEntry, BundleError> {
    let mut input = BufReader::new(super::import::open_file(path)?);
    import_receipt_from(unit_ledger, &mut input, path, city)
}

/// Checks a receipt against the city key pinned at this unit ledger and against the unit's
/// own export log, and keeps it (an older receipt than one kept changes nothing), its award
/// events (format 3; none before) replacing those received from the city before, in the same
/// transaction. `city` is the code of the plan's city. Returns what the receipt says. The file is checked from its
/// header on, so a bundle given by mistake is refused as such without being read.
///
/// Refused with [`BundleError::ReceiptMismatch`], keeping nothing, when the receipt names
/// another city, a sequence this ledger never exported, or a bundle whose SHA-256 or record
/// count differs from what the ledger logged when it exported that sequence (the city holds
/// another bundle under this number: a substituted file); with
/// [`BundleError::AwardForUnknownRecord`] when an award event is for a record this ledger
/// does not hold.
pub fn import_receipt_from<R: Read + Seek>(
    unit_ledger: &mut Ledger,
    input: &mut R,
    path: &Path,
    city: &str,
) -> Result<ReceiptEntry, BundleError> {
    if unit_ledger.role() != LedgerRole::Unit {
        return Err(BundleError::NotUnit);
    }
    let city_key = unit_ledger.city_key()?.ok_or(BundleError::NoCityKey)?;
    let decoded = format::read_receipt(input, path, |key| (*key == city_key).then(String::new))
        .map_err(|e| match e {
            BundleError::UnknownKey { fingerprint } => BundleError::NotFromCity { fingerprint },
            other => other,
        })?;
    let manifest = decoded.manifest;
    if manifest.unit != unit_ledger.unit() {
        return Err(BundleError::ReceiptForOtherUnit {
            receipt_unit: manifest.unit,
            ledger_unit: unit_ledger.unit().to_owned(),
        });
    }
    check_against_log(unit_ledger, &manifest, city)?;
    for event in &decoded.award_events {
        let ours = match unit_ledger.get(event.key.record) {
            Ok(record) => record.unit == unit_ledger.unit(),
            Err(crate::store::StoreError::NotFound { .. }) => false,
            Err(e) => return Err(e.into()),
        };
        if !ours {
            return Err(BundleError::AwardForUnknownRecord {
                file_type: FileType::Receipt,
                record: event.key.record,
            });
        }
    }
    let entry = ReceiptEntry {
        city: manifest.city,
        sequence: manifest.sequence,
        bundle_sha256: manifest.bundle_sha256,
        records: manifest.record_count,
        imported_at: manifest.imported_at,
        created_at: manifest.created_at,
    };
    unit_ledger.record_receipt_with_awards(&entry, &decoded.award_events)?;
    // The city holds this very bundle: an export a crash left unverified (logged, on the
    // stick, never read back) is now known to be whole.
    unit_ledger.confirm_export(entry.sequence)?;
    Ok(entry)
}

/// What the receipt says against what this ledger logged when it exported the sequence.
fn check_against_log(
    unit_ledger: &Ledger,
    manifest: &ReceiptManifest,
    city: &str,
) -> Result<(), BundleError> {
    let refuse = |mismatch| {
        Err(BundleError::ReceiptMismatch {
            sequence: manifest.sequence,
            mismatch,
        })
    };
    if manifest.city != city {
        return refuse(ReceiptMismatch::OtherCity {
            receipt: manifest.city.clone(),
            plan: city.to_owned(),
        });
    }
    let Some(logged) = unit_ledger.export_of(manifest.sequence)? else {
        return refuse(ReceiptMismatch::UnknownSequence);
    };
    if !logged.sha256.eq_ignore_ascii_case(&manifest.bundle_sha256) {
        return refuse(ReceiptMismatch::HashDiffers {
            logged: logged.sha256,
            receipt: manifest.bundle_sha256.clone(),
        });
    }
    if logged.records != manifest.record_count {
        return refuse(ReceiptMismatch::CountDiffers {
            logged: logged.records,
            receipt: manifest.record_count,
        });
    }
    Ok(())
}
