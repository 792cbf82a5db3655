//! Receipts: the city tells a unit, in a file signed with the city key, which bundle of the
//! unit it holds; the unit checks it against the city key it pinned and keeps it.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::disk::{ExportFs, RealFs, write_verified};
use super::error::{BundleError, ReceiptMismatch};
use super::format::{self, FORMAT_VERSION, FileType, ReceiptManifest};
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
    /// Lower-case hex SHA-256 of the receipt file.
    pub sha256: String,
}

/// `taizhang-receipt-<unit>-<sequence, 6 digits>.tzr`.
pub fn receipt_file_name(unit: &str, sequence: u64) -> String {
    format!("taizhang-receipt-{unit}-{sequence:06}.tzr")
}

/// Writes a receipt for `unit` into `out_dir`: what the city last imported from it.
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
        imported_at: held.imported_at,
        created_at: now,
    };
    let bytes = format::encode_receipt(&seed, &manifest)?;
    let sha256 = format::sha256_hex(&bytes);
    let public = keys::public_key(&seed);
    let dir = if out_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        out_dir
    };
    let reads_back = |back: &[u8]| {
        format::decode_receipt(back, |key| (*key == public).then(String::new))
            .is_ok_and(|decoded| decoded.manifest == manifest)
    };
    let name = receipt_file_name(&held.unit, held.sequence);
    let nothing_to_log = || Ok(());
    let path = write_verified(
        fs,
        FileType::Receipt,
        dir,
        &name,
        &bytes,
        nothing_to_log,
        reads_back,
    )
    .map_err(|failure| failure.error)?;
    Ok(ReceiptDone {
        path,
        unit: held.unit,
        sequence: held.sequence,
        records: held.records,
        sha256,
    })
}

/// Checks a receipt against the city key pinned at this unit ledger and against the unit's
/// own export log, and keeps it (an older receipt than one kept changes nothing). `city` is
/// the code of the plan's city. Returns what the receipt says.
///
/// Refused with [`BundleError::ReceiptMismatch`], keeping nothing, when the receipt names
/// another city, a sequence this ledger never exported, or a bundle whose SHA-256 or record
/// count differs from what the ledger logged when it exported that sequence (the city holds
/// another bundle under this number: a substituted file).
pub fn import_receipt(
    unit_ledger: &mut Ledger,
    bytes: &[u8],
    city: &str,
) -> Result<ReceiptEntry, BundleError> {
    if unit_ledger.role() != LedgerRole::Unit {
        return Err(BundleError::NotUnit);
    }
    let city_key = unit_ledger.city_key()?.ok_or(BundleError::NoCityKey)?;
    let decoded = format::decode_receipt(bytes, |key| (*key == city_key).then(String::new))
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
    let entry = ReceiptEntry {
        city: manifest.city,
        sequence: manifest.sequence,
        bundle_sha256: manifest.bundle_sha256,
        records: manifest.record_count,
        imported_at: manifest.imported_at,
        created_at: manifest.created_at,
    };
    unit_ledger.record_receipt(&entry)?;
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
