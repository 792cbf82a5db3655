//! Importing units' bundles at the city: verify and check each file against the pinned keys
//! before anything reaches the ledger, show per record what an import would do, and apply it
//! in one transaction under the merge rule. Folders are read for their `*.tzb` files, applied
//! per unit in sequence order. Bundles are read in two passes and never held in memory: pass
//! 1 ([`inspect`]) checks the signature over the raw bytes, pass 2 ([`dry_run_each`],
//! [`import`]) reads the records one line at a time, then the unit's award events (formats 3
//! and 4) and cultivation pool entries (format 4), few and held in memory, which replace
//! those the city received from the unit before.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use uuid::Uuid;

use super::error::BundleError;
use super::format::{
    self, BundleManifest, FileType, HEADER_LEN, MAX_MANIFEST_LEN, RecordReader, Verified,
};
use super::keys;
use super::progress::{OnProgress, Progress, Stage, every_4096};
use crate::domain::pool::PoolTally;
use crate::domain::{Record, RecordIndex, RecordKind};
use crate::store::{
    ImportAction, ImportCounts, ImportEntry, ImportReport, ImportRun, Ledger, LedgerRole,
    PoolClash, StoreError,
};

/// The largest file [`read_file`] loads: a receipt (header, largest manifest, signature),
/// or anything that small.
pub const MAX_FILE_LEN: u64 = HEADER_LEN as u64 + MAX_MANIFEST_LEN + format::SIGNATURE_LEN as u64;

/// Where a bundle's bytes are read from (twice: once to verify, once to read the records).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Source {
    File(PathBuf),
    Memory(Arc<[u8]>),
}

/// A bundle whose signature verified (pass 1) against a key pinned at this city ledger, whose
/// manifest checked out and whose plan is the ledger's. Its records are read, and checked,
/// only by [`dry_run_each`] and [`import`]. Only [`inspect`] and [`inspect_file`] make one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedBundle {
    source: Source,
    verified: Verified,
    manifest: BundleManifest,
}

impl VerifiedBundle {
    pub fn unit(&self) -> &str {
        &self.manifest.unit
    }

    pub fn sequence(&self) -> u64 {
        self.manifest.sequence
    }

    /// When the unit wrote it.
    pub fn created_at(&self) -> Timestamp {
        self.manifest.created_at
    }

    pub fn plan_id(&self) -> &str {
        &self.manifest.plan_id
    }

    /// How many records it carries.
    pub fn record_count(&self) -> u64 {
        self.manifest.record_count
    }

    /// How many award approvals and payments it carries (0 before format 3).
    pub fn award_event_count(&self) -> u64 {
        self.manifest.award_event_count.unwrap_or(0)
    }

    /// How many cultivation pool entries it carries (0 before format 4).
    pub fn pool_entry_count(&self) -> u64 {
        self.manifest.pool_entry_count.unwrap_or(0)
    }

    /// Lower-case hex SHA-256 of the whole file.
    pub fn file_sha256(&self) -> &str {
        &self.verified.file_sha256
    }

    /// The fingerprint of the unit key that signed it.
    pub fn fingerprint(&self) -> String {
        keys::fingerprint(&self.verified.header.signer)
    }

    /// Pass 2: the records, read again from the start of the file.
    fn records(&self) -> Result<RecordReader<Box<dyn std::io::BufRead + '_>>, BundleError> {
        let (input, path): (Box<dyn std::io::BufRead>, &Path) = match &self.source {
            Source::File(path) => (
                Box::new(BufReader::with_capacity(1 << 16, open_file(path)?)),
                path,
            ),
            Source::Memory(bytes) => (Box::new(Cursor::new(&bytes[..])), Path::new("")),
        };
        RecordReader::open(input, path, &self.verified, &self.manifest)
    }
}

/// Verifies a bundle held in memory against the city ledger's pinned keys and plan: see
/// [`inspect_file`].
pub fn inspect(city: &Ledger, bytes: &[u8]) -> Result<VerifiedBundle, BundleError> {
    inspect_source(city, Source::Memory(Arc::from(bytes)), &mut |_| {})
}

/// Verifies a bundle file against the city ledger's pinned keys and plan, reading it once in
/// bounded memory. Nothing is written. Refusals: not a city ledger; every container check
/// of [`format::verify_stream`] (a key that is not pinned gives `UnknownKey`); every
/// manifest check of [`format::bundle_manifest`] (a pinned key of one unit with another
/// unit's manifest gives `WrongUnit`); another plan.
pub fn inspect_file(
    city: &Ledger,
    path: &Path,
    progress: OnProgress<'_>,
) -> Result<VerifiedBundle, BundleError> {
    inspect_source(city, Source::File(path.to_path_buf()), progress)
}

fn inspect_source(
    city: &Ledger,
    source: Source,
    progress: OnProgress<'_>,
) -> Result<VerifiedBundle, BundleError> {
    if city.role() != LedgerRole::City {
        return Err(BundleError::NotCity);
    }
    let pinned: HashMap<[u8; 32], String> = city
        .pinned_keys()?
        .into_iter()
        .map(|pin| (pin.key, pin.unit))
        .collect();
    let unknown = std::cell::Cell::new(None);
    let lookup = |key: &[u8; 32]| {
        let unit = pinned.get(key).cloned();
        if unit.is_none() {
            unknown.set(Some(*key));
        }
        unit
    };
    let verified = match &source {
        Source::File(path) => {
            let mut input = BufReader::with_capacity(1 << 16, open_file(path)?);
            format::verify_stream(&mut input, path, FileType::Bundle, lookup, progress)
        }
        Source::Memory(bytes) => format::verify_stream(
            &mut Cursor::new(&bytes[..]),
            Path::new(""),
            FileType::Bundle,
            lookup,
            progress,
        ),
    }
    .map_err(|e| former_key(city, e, unknown.get()))?;
    let manifest = format::bundle_manifest(&verified)?;
    let ledger_plan = city.info()?.plan_id;
    if manifest.plan_id != ledger_plan {
        return Err(BundleError::PlanMismatch {
            bundle_plan: manifest.plan_id,
            ledger_plan,
        });
    }
    Ok(VerifiedBundle {
        source,
        verified,
        manifest,
    })
}

/// An unknown key that was a unit's key before it was replaced gets its own refusal.
fn former_key(city: &Ledger, e: BundleError, key: Option<[u8; 32]>) -> BundleError {
    let (BundleError::UnknownKey { .. }, Some(key)) = (&e, key) else {
        return e;
    };
    match city.former_key_unit(&key) {
        Ok(Some((unit, replaced_at))) => BundleError::FormerKey {
            unit,
            fingerprint: keys::fingerprint(&key),
            replaced_at,
        },
        Ok(None) => e,
        Err(store) => store.into(),
    }
}

/// What an import would do to one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedAction {
    pub id: Uuid,
    /// The record's kind (unknown for a clash found at the end whose record cannot be read).
    pub kind: Option<RecordKind>,
    /// The record's name as the unit typed it: show it through `display::safe`.
    pub name: String,
    pub action: ImportAction,
    /// For a changed record, the keys of the fields it changes in the city's copy.
    pub changed_fields: Vec<String>,
}

/// How many records of a dry run would be new, changed, unchanged and voided, and how many
/// are refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DryRunSummary {
    pub counts: ImportCounts,
    pub refused: u64,
    /// Records of the unit's previous ledger the import would retire (the first bundle of
    /// a new key's line).
    pub retiring: u64,
    /// The unit's award approvals and payments the bundle carries, which would replace
    /// those the city received from it before.
    pub award_events: u64,
    /// The unit's cultivation pool as the city holds it now.
    pub pool_now: PoolTally,
    /// The unit's cultivation pool as the import would leave it: the bundle's entries, which
    /// replace those the city holds.
    pub pool_after: PoolTally,
}

impl DryRunSummary {
    fn add(&mut self, action: &ImportAction) {
        match action {
            ImportAction::New => self.counts.new += 1,
            ImportAction::Changed => self.counts.changed += 1,
            ImportAction::Unchanged => self.counts.unchanged += 1,
            ImportAction::Voided => self.counts.voided += 1,
            ImportAction::Refused(_) => self.refused += 1,
        }
    }

    /// A record first counted as `was` turned out to be refused.
    fn refuse(&mut self, was: &ImportAction) {
        match was {
            ImportAction::New => self.counts.new = self.counts.new.saturating_sub(1),
            ImportAction::Changed => self.counts.changed = self.counts.changed.saturating_sub(1),
            _ => {}
        }
        self.refused += 1;
    }

    /// The summary of actions held in memory.
    pub fn of(actions: &[PlannedAction]) -> DryRunSummary {
        let mut summary = DryRunSummary::default();
        for planned in actions {
            summary.add(&planned.action);
        }
        summary
    }
}

/// Per record, what importing the bundle would do: new, changed, unchanged, voided or
/// refused, handed to `each` as the records are read (a record found at the end to clash
/// with another active record of its entry is handed over a second time, refused). Writes
/// nothing: the import is run and rolled back. A bundle older than one held on its key's
/// line, a different bundle with a held sequence, or a jump not confirmed with
/// `confirm_jump` is refused as the import itself would be; a bundle already held shows every
/// record unchanged. A record that breaks the format's rules refuses the whole bundle, as in
/// an import. The summary says how many records of the unit's previous ledger the first
/// bundle of a new key's line would retire.
pub fn dry_run_each(
    city: &Ledger,
    bundle: &VerifiedBundle,
    confirm_jump: bool,
    each: &mut dyn FnMut(PlannedAction) -> Result<(), BundleError>,
    progress: OnProgress<'_>,
) -> Result<DryRunSummary, BundleError> {
    let mut run = city.begin_preview(&entry_of(bundle, Timestamp::now()), confirm_jump)?;
    let mut summary = DryRunSummary::default();
    summary.award_events = read_into(
        &mut run,
        bundle,
        Stage::TryingImport,
        progress,
        &mut |run, record, index| {
            let action = run.take_checked(record, index)?;
            summary.add(&action);
            each(PlannedAction {
                id: record.id,
                kind: Some(record.kind),
                name: record.name().to_owned(),
                action,
                changed_fields: run.last_changed_fields().to_vec(),
            })
        },
    )?;
    if let Some((now, after)) = run.pool_tallies() {
        summary.pool_now = now;
        summary.pool_after = after;
    }
    summary.retiring = run.retire_previous_line(Timestamp::now())?;
    let mut late = Vec::new();
    run.late_refusals(|refusal| {
        if late.len() < LATE_SHOWN {
            late.push(refusal.clone());
        }
        summary.refuse(&refusal.was);
    })?;
    for refusal in late {
        let (kind, name) = match city.get(refusal.id) {
            Ok(r) => (Some(r.kind), r.name().to_owned()),
            Err(_) => (None, String::new()),
        };
        each(PlannedAction {
            id: refusal.id,
            kind,
            name,
            changed_fields: Vec::new(),
            action: ImportAction::Refused(crate::store::ImportRefusal::DuplicateActive {
                other: refusal.other,
            }),
        })?;
    }
    Ok(summary)
}

/// Clashes found at the end of a dry run that are listed one by one (all are counted).
const LATE_SHOWN: usize = 1000;

/// [`dry_run_each`] collected into memory, for tests and small bundles.
pub fn dry_run(city: &Ledger, bundle: &VerifiedBundle) -> Result<Vec<PlannedAction>, BundleError> {
    Ok(preview(city, bundle, false)?.actions)
}

/// A dry run held in memory: every record's action, how many records of the unit's previous
/// ledger the bundle would retire (the first bundle of a new key's line), how many award
/// events it carries, and the unit's pool at the city now and after the import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DryRun {
    pub actions: Vec<PlannedAction>,
    pub retiring: u64,
    pub award_events: u64,
    pub pool_now: PoolTally,
    pub pool_after: PoolTally,
}

/// [`dry_run_each`] with the same `confirm_jump` as [`import_confirmed`], collected into
/// memory, for tests and small bundles. Writes nothing.
pub fn preview(
    city: &Ledger,
    bundle: &VerifiedBundle,
    confirm_jump: bool,
) -> Result<DryRun, BundleError> {
    let mut actions = Vec::new();
    let summary = dry_run_each(
        city,
        bundle,
        confirm_jump,
        &mut |planned| {
            actions.push(planned);
            Ok(())
        },
        &mut |_| {},
    )?;
    Ok(DryRun {
        actions,
        retiring: summary.retiring,
        award_events: summary.award_events,
        pool_now: summary.pool_now,
        pool_after: summary.pool_after,
    })
}

/// The import log entry of a bundle imported at `now`.
fn entry_of(bundle: &VerifiedBundle, now: Timestamp) -> ImportEntry {
    ImportEntry {
        unit: bundle.unit().to_owned(),
        sequence: bundle.sequence(),
        bundle_sha256: bundle.file_sha256().to_owned(),
        created_at: bundle.created_at(),
        imported_at: now,
        records: bundle.record_count(),
    }
}

/// Reads the bundle's records (pass 2) into `take`, refusing the bundle for any record that
/// breaks the format's rules or is, within the bundle, a second active record of one entry;
/// then its award events, refusing the bundle for any that breaks the rules or is for a
/// record the bundle does not carry, then its cultivation pool entries, refusing the bundle
/// for an achieved entry naming a record that is not one of its high-tech records, and
/// checks the file was the one verified. The events and the pool entries replace, in the
/// run, those received from the unit before (a bundle without them leaves none: it is the
/// unit's whole snapshot). Returns how many events it carried.
fn read_into(
    run: &mut ImportRun<'_>,
    bundle: &VerifiedBundle,
    stage: Stage,
    progress: OnProgress<'_>,
    take: &mut dyn FnMut(&mut ImportRun<'_>, &Record, RecordIndex) -> Result<(), BundleError>,
) -> Result<u64, BundleError> {
    let total = bundle.record_count();
    if bundle.award_event_count() > 0 {
        run.keep_bundle_ids();
    }
    if bundle.pool_entry_count() > 0 {
        run.keep_high_tech_ids();
    }
    let mut records = bundle.records()?;
    while let Some((record, valid)) = records.next_record()? {
        if let Some(first) = run.claim_entry(&record, &valid.index.dup_key)? {
            return Err(BundleError::DuplicateEntry {
                first,
                second: record.id,
            });
        }
        take(run, &record, valid.index)?;
        let done = records.lines_read();
        if every_4096(done) {
            progress(Progress { stage, done, total });
        }
    }
    let (events, pool) = records.finish_with_extras()?;
    if let Some(record) = run.replace_award_events(&events)? {
        return Err(BundleError::AwardForUnknownRecord {
            file_type: FileType::Bundle,
            record,
        });
    }
    match run.replace_pool_entries(&pool)? {
        None => {}
        Some(PoolClash::OtherUnit { id, held_unit }) => {
            return Err(BundleError::PoolEntryOfOtherUnit {
                id,
                unit: bundle.unit().to_owned(),
                held_unit,
            });
        }
        Some(PoolClash::AchievedByUnknown { entry, record }) => {
            return Err(BundleError::PoolAchievedByUnknownRecord {
                unit: bundle.unit().to_owned(),
                entry,
                record,
            });
        }
    }
    progress(Progress {
        stage,
        done: total,
        total,
    });
    Ok(events.len() as u64)
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    /// Applied in one transaction and logged.
    Imported { report: ImportReport },
    /// This very bundle was imported before; nothing was written.
    AlreadyHeld { unit: String, sequence: u64 },
}

/// [`import_confirmed`] refusing any implausible sequence jump, with nobody watching.
pub fn import(
    city: &mut Ledger,
    bundle: &VerifiedBundle,
    now: Timestamp,
) -> Result<ImportOutcome, BundleError> {
    import_with_progress(city, bundle, now, false, &mut |_| {})
}

/// [`import_with_progress`] with nobody watching.
pub fn import_confirmed(
    city: &mut Ledger,
    bundle: &VerifiedBundle,
    now: Timestamp,
    confirm_jump: bool,
) -> Result<ImportOutcome, BundleError> {
    import_with_progress(city, bundle, now, confirm_jump, &mut |_| {})
}

/// Applies the bundle to the city ledger in one transaction under the merge rule, logging it
/// as imported at `now`, reading the records (pass 2) one at a time. All or nothing: on any
/// refusal — a record, or the file changed since it was verified — the ledger is as it was.
/// A sequence more than [`crate::store::MAX_SEQUENCE_JUMP`] past the last held on its key's
/// line needs `confirm_jump`; the first bundle of a new key's line retires the unit's records
/// it does not carry. A bundle whose key is no longer the unit's pinned key is refused.
pub fn import_with_progress(
    city: &mut Ledger,
    bundle: &VerifiedBundle,
    now: Timestamp,
    confirm_jump: bool,
    progress: OnProgress<'_>,
) -> Result<ImportOutcome, BundleError> {
    if city.role() != LedgerRole::City {
        return Err(BundleError::NotCity);
    }
    let signer = bundle.verified.header.signer;
    let still_pinned = city
        .pinned_keys()?
        .iter()
        .any(|pin| pin.unit == bundle.unit() && pin.key == signer);
    if !still_pinned {
        return Err(former_key(
            city,
            BundleError::UnknownKey {
                fingerprint: bundle.fingerprint(),
            },
            Some(signer),
        ));
    }
    let entry = entry_of(bundle, now);
    let mut run = match city.begin_import(&entry, confirm_jump) {
        Ok(run) => run,
        Err(StoreError::AlreadyHeld { unit, sequence }) => {
            return Ok(ImportOutcome::AlreadyHeld { unit, sequence });
        }
        Err(e) => return Err(e.into()),
    };
    read_into(
        &mut run,
        bundle,
        Stage::Importing,
        progress,
        &mut |run, record, index| match run.take_checked(record, index)? {
            ImportAction::Refused(refusal) => Err(run.refusal_error(record, refusal).into()),
            _ => Ok(()),
        },
    )?;
    let report = run.commit(&entry)?;
    Ok(ImportOutcome::Imported { report })
}

/// Opens a bundle or receipt file for reading. Only a regular file is opened: opening a FIFO
/// waits for a writer for ever, and a device or socket is no bundle. Checked before opening,
/// and again on what was opened.
pub fn open_file(path: &Path) -> Result<File, BundleError> {
    let read_err = |source| BundleError::Read {
        path: path.to_path_buf(),
        source,
    };
    let not_a_file = || BundleError::NotAFile {
        path: path.to_path_buf(),
    };
    if !std::fs::metadata(path).map_err(read_err)?.is_file() {
        return Err(not_a_file());
    }
    let file = File::open(path).map_err(read_err)?;
    if !file.metadata().map_err(read_err)?.is_file() {
        return Err(not_a_file());
    }
    Ok(file)
}

/// Reads a small signed file (a receipt) whole, refusing to load more than a receipt can be.
pub fn read_file(path: &Path) -> Result<Vec<u8>, BundleError> {
    let read_err = |source| BundleError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    open_file(path)?
        .take(MAX_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(BundleError::PayloadLength {
            len: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// The files named: folders give their `*.tzb` files (by name), files are taken as given.
pub fn bundle_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, BundleError> {
    files_of_type(paths, FileType::Bundle)
}

/// The files named: folders give their files of `file_type` (`*.tzb` or `*.tzr`, by name);
/// files are taken as given. A folder holding none is refused.
pub fn files_of_type(paths: &[PathBuf], file_type: FileType) -> Result<Vec<PathBuf>, BundleError> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let read_err = |source| BundleError::Read {
            path: path.clone(),
            source,
        };
        let mut found: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(read_err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(read_err)?
            .into_iter()
            .map(|entry| entry.path())
            .filter(|p| {
                p.is_file()
                    && p.extension()
                        .is_some_and(|ext| ext == file_type.extension())
            })
            .collect();
        if found.is_empty() {
            return Err(BundleError::NoFiles {
                path: path.clone(),
                file_type,
            });
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

/// One file of a multi-file import and what became of it.
#[derive(Debug)]
pub struct FileOutcome {
    pub path: PathBuf,
    pub result: Result<ImportOutcome, BundleError>,
}

/// [`import_paths_with_progress`] with nobody watching.
pub fn import_paths(
    city: &mut Ledger,
    paths: &[PathBuf],
    now: Timestamp,
) -> Result<Vec<FileOutcome>, BundleError> {
    import_paths_with_progress(city, paths, now, false, &mut |_, _| {})
}

/// Verifies every file (folders expanded), then imports the ones that verified in order of
/// unit and sequence, each in its own transaction. A file that fails does not stop the
/// others; the outcomes come back in the order applied, refused files first. `progress` is
/// told which file is being read or applied; `confirm_jump` is passed to each import.
pub fn import_paths_with_progress(
    city: &mut Ledger,
    paths: &[PathBuf],
    now: Timestamp,
    confirm_jump: bool,
    progress: &mut dyn FnMut(&Path, Progress),
) -> Result<Vec<FileOutcome>, BundleError> {
    let mut outcomes = Vec::new();
    let mut verified = Vec::new();
    for path in bundle_files(paths)? {
        match inspect_file(city, &path, &mut |p| progress(&path, p)) {
            Ok(bundle) => verified.push((path, bundle)),
            Err(e) => outcomes.push(FileOutcome {
                path,
                result: Err(e),
            }),
        }
    }
    sort_for_import(&mut verified);
    for (path, bundle) in verified {
        let result = import_with_progress(city, &bundle, now, confirm_jump, &mut |p| {
            progress(&path, p)
        });
        outcomes.push(FileOutcome { path, result });
    }
    Ok(outcomes)
}

/// Puts bundles in the order they must be applied: by unit, then sequence.
pub fn sort_for_import<T>(bundles: &mut [(T, VerifiedBundle)]) {
    bundles.sort_by(|(_, a), (_, b)| (a.unit(), a.sequence()).cmp(&(b.unit(), b.sequence())));
}
