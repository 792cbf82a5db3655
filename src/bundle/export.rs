//! Exporting a unit's ledger: a signed snapshot of every record (voided ones as tombstones),
//! of the award approvals and payments the unit recorded and of its cultivation pool,
//! written safely to a USB stick. Its sequence number is consumed (logged with the file's
//! hash) before the file appears under its final name, so no number is ever used twice.

use std::cell::RefCell;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::disk::{ExportFs, RealFs, read_back_verdict, withdraw, write_verified};
use super::error::BundleError;
use super::format::{self, BundleInfo, FileType, RecordReader, RecordSource, Written};
use super::keys;
use super::progress::{OnProgress, Progress, Stage, every_4096};
use crate::domain::Record;
use crate::store::{ExportEntry, Ledger, LedgerRole, RecordsSnapshot};

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

/// Every record of the unit, voided ones included, in id order, in memory (what a bundle
/// carries; for tests and small ledgers — an export streams them).
pub fn snapshot(ledger: &Ledger) -> Result<Vec<Record>, BundleError> {
    ledger.read_consistently(|snap| {
        let mut records = Vec::new();
        snap.for_each_record_in_id_order(|record| {
            records.push(record);
            Ok::<(), BundleError>(())
        })?;
        Ok(records)
    })
}

/// The ledger's records as a bundle's source: read twice inside one read transaction.
struct LedgerSource<'s, 'a> {
    snap: &'s RecordsSnapshot<'a>,
}

impl RecordSource for LedgerSource<'_, '_> {
    fn len_hint(&mut self) -> Result<u64, BundleError> {
        Ok(self.snap.record_count()?)
    }

    fn each_record(
        &mut self,
        each: &mut dyn FnMut(&Record) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        self.snap
            .for_each_record_in_id_order(|record| each(&record))
    }
}

/// Writes the unit's next bundle into `out_dir` and logs it. See [`export_with`].
pub fn export(
    ledger: &mut Ledger,
    out_dir: &Path,
    now: Timestamp,
) -> Result<ExportDone, BundleError> {
    export_with(ledger, out_dir, now, &mut RealFs)
}

/// [`export_with_progress`] with nobody watching.
pub fn export_with<F: ExportFs>(
    ledger: &mut Ledger,
    out_dir: &Path,
    now: Timestamp,
    fs: &mut F,
) -> Result<ExportDone, BundleError> {
    export_with_progress(ledger, out_dir, now, fs, &mut |_| {})
}

/// Writes the unit's next bundle through `fs`, streaming: the records (and the unit's own
/// award events, which make it a format 3 bundle, and its pool entries, which make it a
/// format 4 bundle) are read from the ledger inside one read
/// transaction, checked, and written to a temp name in `out_dir`, then
/// fsync; then the export is logged with the next sequence, the file's hash, name and record
/// count (the number is consumed from here on); then rename, fsync the folder, read back and
/// verify signature, hash and every record, and the logged export is marked verified. Memory
/// does not grow with the ledger.
///
/// A failure before the logging removes the temp file and leaves the sequence unchanged; one
/// after it removes the file and marks the export withdrawn, so its number is skipped (bundles
/// are full snapshots and the city accepts a higher sequence). A crash at any moment leaves
/// either a skipped number or a bundle whose hash the log holds, never an unknown bundle.
pub fn export_with_progress<F: ExportFs>(
    ledger: &mut Ledger,
    out_dir: &Path,
    now: Timestamp,
    fs: &mut F,
    progress: OnProgress<'_>,
) -> Result<ExportDone, BundleError> {
    if ledger.role() != LedgerRole::Unit {
        return Err(BundleError::NotUnit);
    }
    // An export logs its number: a ledger opened for reading only says so before anything
    // is written to the stick.
    ledger.ensure_not_read_only()?;
    let seed = ledger.signing_key()?.ok_or(BundleError::NoSigningKey)?;
    // Under the small page cache of a whole-ledger read: the check scans every record.
    let look_alikes = ledger.read_consistently(|_| ledger.look_alike_pairs())?;
    if let Some((earlier, later)) = look_alikes.into_iter().next() {
        return Err(BundleError::LookAlikesHeld {
            earlier: earlier.id,
            later: later.id,
        });
    }
    let public = keys::public_key(&seed);
    let sequence = ledger.next_export_sequence()?;
    let unit = ledger.unit().to_owned();
    let info = BundleInfo {
        unit: unit.clone(),
        sequence,
        created_at: now,
        plan_id: ledger.info()?.plan_id,
    };
    let file_name = bundle_file_name(&unit, sequence, now);
    let dir = if out_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        out_dir
    };
    let progress = RefCell::new(progress);
    let report = |p: Progress| (progress.borrow_mut())(p);
    // Read while the file is made, written to when it is logged: one step after the other.
    let shared = RefCell::new(&mut *ledger);
    let written = write_verified(
        fs,
        FileType::Bundle,
        dir,
        &file_name,
        |sink| {
            shared
                .borrow()
                .read_consistently(|snap| {
                    let events = snap.award_events_recorded_here()?;
                    let pool = snap.pool_entries()?;
                    format::write_bundle(
                        &seed,
                        &info,
                        &mut LedgerSource { snap },
                        &events,
                        &pool,
                        sink,
                        &mut |p| report(p),
                    )
                })
                .map_err(unexportable)
        },
        |written| {
            let entry = ExportEntry {
                sequence,
                file_name: file_name.clone(),
                sha256: written.sha256.clone(),
                records: written.records,
                at: now,
            };
            shared
                .borrow_mut()
                .record_export(&entry)
                .map_err(BundleError::from)
        },
        |reader, written| {
            read_back_verdict(reads_back(
                reader,
                written,
                &public,
                &unit,
                sequence,
                &mut |p| report(p),
            ))
        },
    );
    let (path, written) = match written {
        Ok(done) => done,
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
        records: written.records,
        fingerprint: keys::fingerprint(&public),
        sha256: written.sha256,
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

/// Reads a written bundle back as the city will: both passes, signed by this unit's key,
/// the very bytes written (same SHA-256), the sequence meant, every record readable.
fn reads_back<R: Read + Seek>(
    reader: &mut R,
    written: &Written,
    public: &[u8; 32],
    unit: &str,
    sequence: u64,
    progress: OnProgress<'_>,
) -> Result<bool, BundleError> {
    let path = Path::new("");
    let lookup = |key: &[u8; 32]| (key == public).then(|| unit.to_owned());
    let verified = format::verify_stream(reader, path, FileType::Bundle, lookup, &mut |_| {})?;
    if verified.file_sha256 != written.sha256 || verified.header.file_len() != written.len {
        return Ok(false);
    }
    let manifest = format::bundle_manifest(&verified)?;
    if manifest.sequence != sequence {
        return Ok(false);
    }
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|source| BundleError::Read {
            path: PathBuf::new(),
            source,
        })?;
    let mut records = RecordReader::open(BufReader::new(reader), path, &verified, &manifest)?;
    while records.next_record()?.is_some() {
        let done = records.lines_read();
        if every_4096(done) {
            progress(Progress {
                stage: Stage::ReadingBack,
                done,
                total: manifest.record_count,
            });
        }
    }
    records.finish()?;
    Ok(true)
}
