//! Exporting a unit's ledger: a signed snapshot of every record (voided ones as tombstones),
//! written safely to a USB stick. Its sequence number is consumed (logged with the file's
//! hash) before the file appears under its final name, so no number is ever used twice.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::disk::{ExportFs, RealFs, withdraw, write_verified};
use super::error::BundleError;
use super::format::{self, BundleInfo, FileType};
use super::keys;
use crate::domain::Record;
use crate::store::{ExportEntry, Ledger, LedgerRole, ListQuery};

/// A bundle written, verified and logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportDone {
    pub path: PathBuf,
    pub sequence: u64,
    pub records: u64,
    /// The fingerprint of the key that signed it, to compare with the one the city enrolled.
    pub fingerprint: String,
    /// Lower-case hex SHA-256 of the whole file.
    pub sha256: String,
}

/// `taizhang-<unit>-<sequence, 6 digits>-<YYYYMMDD>.tzb`, the date in China Standard Time.
pub fn bundle_file_name(unit: &str, sequence: u64, at: Timestamp) -> String {
    let date = crate::clock::date_of(at);
    format!(
        "taizhang-{unit}-{sequence:06}-{:04}{:02}{:02}.tzb",
        date.year(),
        date.month(),
        date.day()
    )
}

/// Every record of the unit, voided ones included, in id order.
pub fn snapshot(ledger: &Ledger) -> Result<Vec<Record>, BundleError> {
    let query = ListQuery {
        include_voided: true,
        ..ListQuery::default()
    };
    let mut records = ledger.list(&query)?.records;
    records.sort_by_key(|r| r.id);
    Ok(records)
}

/// Writes the unit's next bundle into `out_dir` and logs it. See [`export_with`].
pub fn export(
    ledger: &mut Ledger,
    out_dir: &Path,
    now: Timestamp,
) -> Result<ExportDone, BundleError> {
    export_with(ledger, out_dir, now, &mut RealFs)
}

/// Writes the unit's next bundle through `fs`: temp name in `out_dir`, write, fsync; then the
/// export is logged with the next sequence, the file's hash, name and record count (the
/// number is consumed from here on); then rename, fsync the folder, read back and verify
/// signature and hash, and the logged export is marked verified.
///
/// A failure before the logging removes the temp file and leaves the sequence unchanged; one
/// after it removes the file and marks the export withdrawn, so its number is skipped (bundles
/// are full snapshots and the city accepts a higher sequence). A crash at any moment leaves
/// either a skipped number or a bundle whose hash the log holds, never an unknown bundle.
pub fn export_with<F: ExportFs>(
    ledger: &mut Ledger,
    out_dir: &Path,
    now: Timestamp,
    fs: &mut F,
) -> Result<ExportDone, BundleError> {
    if ledger.role() != LedgerRole::Unit {
        return Err(BundleError::NotUnit);
    }
    let seed = ledger.signing_key()?.ok_or(BundleError::NoSigningKey)?;
    if let Some((earlier, later)) = ledger.look_alike_pairs()?.into_iter().next() {
        return Err(BundleError::LookAlikesHeld {
            earlier: earlier.id,
            later: later.id,
        });
    }
    let public = keys::public_key(&seed);
    let sequence = ledger.next_export_sequence()?;
    let records = snapshot(ledger)?;
    let unit = ledger.unit().to_owned();
    let info = BundleInfo {
        unit: unit.clone(),
        sequence,
        created_at: now,
        plan_id: ledger.info()?.plan_id,
    };
    let bytes = format::encode_bundle(&seed, &info, &records).map_err(unexportable)?;
    let sha256 = format::sha256_hex(&bytes);
    let file_name = bundle_file_name(&unit, sequence, now);
    let dir = if out_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        out_dir
    };
    let reads_back = |back: &[u8]| {
        format::decode_bundle(back, |key| (*key == public).then(|| unit.clone())).is_ok_and(
            |decoded| decoded.file_sha256 == sha256 && decoded.manifest.sequence == sequence,
        )
    };
    let entry = ExportEntry {
        sequence,
        file_name: file_name.clone(),
        sha256: sha256.clone(),
        records: records.len() as u64,
        at: now,
    };
    let log = || ledger.record_export(&entry).map_err(BundleError::from);
    let written = write_verified(
        fs,
        FileType::Bundle,
        dir,
        &file_name,
        &bytes,
        log,
        reads_back,
    );
    let path = match written {
        Ok(path) => path,
        Err(failure) => {
            if failure.after_logging {
                // The file is gone; its number stays consumed.
                let _ = ledger.withdraw_export(sequence);
            }
            return Err(failure.error);
        }
    };
    if let Err(e) = ledger.confirm_export(sequence) {
        withdraw(fs, &path);
        let _ = ledger.withdraw_export(sequence);
        return Err(e.into());
    }
    Ok(ExportDone {
        path,
        sequence,
        records: entry.records,
        fingerprint: keys::fingerprint(&public),
        sha256,
    })
}

/// A record the reader would refuse, said as the unit's problem: the clerk changes the
/// record, the city has nothing to do with it.
fn unexportable(e: BundleError) -> BundleError {
    match e {
        BundleError::InvalidRecord {
            id, name, fault, ..
        } => BundleError::Unexportable { id, name, fault },
        other => other,
    }
}
