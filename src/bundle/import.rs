//! Importing units' bundles at the city: verify and check each file against the pinned keys
//! before anything reaches the ledger, show per record what an import would do, and apply it
//! in one transaction under the merge rule. Folders are read for their `*.tzb` files, applied
//! per unit in sequence order.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use uuid::Uuid;

use super::error::BundleError;
use super::format::{self, DecodedBundle, FileType, HEADER_LEN, MAX_MANIFEST_LEN, MAX_PAYLOAD_LEN};
use super::keys;
use crate::domain::Record;
use crate::store::{ImportAction, ImportEntry, ImportReport, Ledger, LedgerRole, StoreError};

/// The largest file a reader will load: header, largest manifest and payload, signature.
pub const MAX_FILE_LEN: u64 =
    HEADER_LEN as u64 + MAX_MANIFEST_LEN + MAX_PAYLOAD_LEN + format::SIGNATURE_LEN as u64;

/// A bundle that verified against a key pinned at this city ledger and passed every check
/// of its contents. Only [`inspect`] makes one.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedBundle {
    decoded: DecodedBundle,
}

impl VerifiedBundle {
    pub fn unit(&self) -> &str {
        &self.decoded.manifest.unit
    }

    pub fn sequence(&self) -> u64 {
        self.decoded.manifest.sequence
    }

    /// When the unit wrote it.
    pub fn created_at(&self) -> Timestamp {
        self.decoded.manifest.created_at
    }

    pub fn plan_id(&self) -> &str {
        &self.decoded.manifest.plan_id
    }

    /// Every record, in id order. Text in them is as the unit typed it: show it through
    /// `display::safe`.
    pub fn records(&self) -> &[Record] {
        &self.decoded.records
    }

    /// Lower-case hex SHA-256 of the whole file.
    pub fn file_sha256(&self) -> &str {
        &self.decoded.file_sha256
    }

    /// The fingerprint of the unit key that signed it.
    pub fn fingerprint(&self) -> String {
        keys::fingerprint(&self.decoded.signer)
    }
}

/// Verifies and checks a bundle against the city ledger's pinned keys and plan. Nothing is
/// written. Refusals: not a city ledger; every container and content check of
/// [`format::decode_bundle`] (a key that is not pinned gives `UnknownKey`, a pinned key of
/// one unit with another unit's manifest or records gives `WrongUnit`); another plan.
pub fn inspect(city: &Ledger, bytes: &[u8]) -> Result<VerifiedBundle, BundleError> {
    if city.role() != LedgerRole::City {
        return Err(BundleError::NotCity);
    }
    let pinned: HashMap<[u8; 32], String> = city
        .pinned_keys()?
        .into_iter()
        .map(|pin| (pin.key, pin.unit))
        .collect();
    let unknown = std::cell::Cell::new(None);
    let decoded = format::decode_bundle(bytes, |key| {
        let unit = pinned.get(key).cloned();
        if unit.is_none() {
            unknown.set(Some(*key));
        }
        unit
    })
    .map_err(|e| former_key(city, e, unknown.get()))?;
    let ledger_plan = city.info()?.plan_id;
    if decoded.manifest.plan_id != ledger_plan {
        return Err(BundleError::PlanMismatch {
            bundle_plan: decoded.manifest.plan_id,
            ledger_plan,
        });
    }
    Ok(VerifiedBundle { decoded })
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
    /// The record's name as the unit typed it: show it through `display::safe`.
    pub name: String,
    pub action: ImportAction,
}

/// Per record, what importing the bundle would do: new, changed, unchanged, voided or
/// refused. Writes nothing. A bundle older than one held on its line, a different bundle
/// with a held sequence, or an unconfirmed jump is refused as the import itself would be; a
/// bundle already held shows every record unchanged.
pub fn dry_run(city: &Ledger, bundle: &VerifiedBundle) -> Result<Vec<PlannedAction>, BundleError> {
    Ok(preview(city, bundle, false)?.actions)
}

/// A dry run in full: every record's action, and how many records of the unit's previous
/// ledger the bundle would retire (the first bundle of a new key's line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DryRun {
    pub actions: Vec<PlannedAction>,
    pub retiring: u64,
}

/// The dry run of [`import_confirmed`] with the same `confirm_jump`. Writes nothing.
pub fn preview(
    city: &Ledger,
    bundle: &VerifiedBundle,
    confirm_jump: bool,
) -> Result<DryRun, BundleError> {
    let names: HashMap<Uuid, &str> = bundle.records().iter().map(|r| (r.id, r.name())).collect();
    let preview = city.preview_import(
        &entry_of(bundle, Timestamp::now()),
        bundle.records(),
        confirm_jump,
    )?;
    let actions = preview
        .actions
        .into_iter()
        .map(|(id, action)| PlannedAction {
            id,
            name: names.get(&id).copied().unwrap_or("").to_owned(),
            action,
        })
        .collect();
    Ok(DryRun {
        actions,
        retiring: preview.retiring,
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
        records: bundle.records().len() as u64,
    }
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    /// Applied in one transaction and logged.
    Imported { report: ImportReport },
    /// This very bundle was imported before; nothing was written.
    AlreadyHeld { unit: String, sequence: u64 },
}

/// [`import_confirmed`] refusing any implausible sequence jump.
pub fn import(
    city: &mut Ledger,
    bundle: &VerifiedBundle,
    now: Timestamp,
) -> Result<ImportOutcome, BundleError> {
    import_confirmed(city, bundle, now, false)
}

/// Applies the bundle to the city ledger in one transaction under the merge rule, logging it
/// as imported at `now`. All or nothing: on any refusal the ledger is as it was. A sequence
/// more than [`crate::store::MAX_SEQUENCE_JUMP`] past the last held on its key's line needs
/// `confirm_jump`; the first bundle of a new key's line retires the unit's records it does
/// not carry. A bundle whose key is no longer the unit's pinned key is refused.
pub fn import_confirmed(
    city: &mut Ledger,
    bundle: &VerifiedBundle,
    now: Timestamp,
    confirm_jump: bool,
) -> Result<ImportOutcome, BundleError> {
    if city.role() != LedgerRole::City {
        return Err(BundleError::NotCity);
    }
    let still_pinned = city
        .pinned_keys()?
        .iter()
        .any(|pin| pin.unit == bundle.unit() && pin.key == bundle.decoded.signer);
    if !still_pinned {
        return Err(former_key(
            city,
            BundleError::UnknownKey {
                fingerprint: bundle.fingerprint(),
            },
            Some(bundle.decoded.signer),
        ));
    }
    let entry = entry_of(bundle, now);
    match city.apply_import_confirmed(&entry, bundle.records(), confirm_jump) {
        Ok(report) => Ok(ImportOutcome::Imported { report }),
        Err(StoreError::AlreadyHeld { unit, sequence }) => {
            Ok(ImportOutcome::AlreadyHeld { unit, sequence })
        }
        Err(e) => Err(e.into()),
    }
}

/// Reads a bundle or receipt file, refusing to load more than any valid file can be.
pub fn read_file(path: &Path) -> Result<Vec<u8>, BundleError> {
    let read_err = |source| BundleError::Read {
        path: path.to_path_buf(),
        source,
    };
    // Only a regular file is read: opening a FIFO waits for a writer for ever, and a device
    // or socket is no bundle. Checked before opening, and again on what was opened.
    let not_a_file = || BundleError::NotAFile {
        path: path.to_path_buf(),
    };
    if !std::fs::metadata(path).map_err(read_err)?.is_file() {
        return Err(not_a_file());
    }
    let file = std::fs::File::open(path).map_err(read_err)?;
    if !file.metadata().map_err(read_err)?.is_file() {
        return Err(not_a_file());
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_LEN + 1)
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

/// Reads and inspects every file (folders expanded), then imports the ones that verified in
/// order of unit and sequence, each in its own transaction. A file that fails does not stop
/// the others; the outcomes come back in the order applied, refused files first.
pub fn import_paths(
    city: &mut Ledger,
    paths: &[PathBuf],
    now: Timestamp,
) -> Result<Vec<FileOutcome>, BundleError> {
    import_paths_confirmed(city, paths, now, false)
}

/// [`import_paths`], with `confirm_jump` passed to each import ([`import_confirmed`]).
pub fn import_paths_confirmed(
    city: &mut Ledger,
    paths: &[PathBuf],
    now: Timestamp,
    confirm_jump: bool,
) -> Result<Vec<FileOutcome>, BundleError> {
    let mut outcomes = Vec::new();
    let mut verified = Vec::new();
    for path in bundle_files(paths)? {
        match read_file(&path).and_then(|bytes| inspect(city, &bytes)) {
            Ok(bundle) => verified.push((path, bundle)),
            Err(e) => outcomes.push(FileOutcome {
                path,
                result: Err(e),
            }),
        }
    }
    sort_for_import(&mut verified);
    for (path, bundle) in verified {
        let result = import_confirmed(city, &bundle, now, confirm_jump);
        outcomes.push(FileOutcome { path, result });
    }
    Ok(outcomes)
}

/// Puts bundles in the order they must be applied: by unit, then sequence.
pub fn sort_for_import<T>(bundles: &mut [(T, VerifiedBundle)]) {
    bundles.sort_by(|(_, a), (_, b)| (a.unit(), a.sequence()).cmp(&(b.unit(), b.sequence())));
}
