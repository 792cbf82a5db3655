//! Backing a ledger up and putting a backup back: SQLite's online backup of one consistent
//! snapshot into a single self-contained file (no log beside it), verified before it takes
//! its final name; and a restore that moves the ledger and its companions aside (kept,
//! never deleted) while nobody has it open, so no log left beside the path can be read
//! into the restored file.

use std::fs::File;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::file::{self, COMPANIONS, Probe, companion};
use super::{Ledger, StoreError, read_meta};

/// Pages copied per backup step.
const PAGES_PER_STEP: i32 = 4096;

/// A backup written, verified and under its final name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupDone {
    pub path: PathBuf,
    pub bytes: u64,
    /// Records in the ledger at the moment of the backup, all of them in the copy.
    pub records: u64,
}

/// A backup put in place of the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreDone {
    pub unit: String,
    pub records: u64,
    /// Where the ledger that was replaced now is (its `-wal` and `-shm` beside it, under
    /// the same name), if there was one.
    pub set_aside: Option<PathBuf>,
}

/// What a ledger file holds, read in one snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Snapshot {
    unit: String,
    records: u64,
    signing_key: Option<String>,
}

fn snapshot(conn: &Connection) -> rusqlite::Result<Snapshot> {
    let records: i64 = conn.query_row("SELECT COUNT(*) FROM records", [], |row| row.get(0))?;
    let meta = |key: &str| {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
            row.get::<_, String>(0)
        })
    };
    Ok(Snapshot {
        unit: meta("unit")?,
        records: u64::try_from(records).unwrap_or(0),
        signing_key: match meta("signing_key") {
            Ok(key) => Some(key),
            Err(rusqlite::Error::QueryReturnedNoRows) => None,
            Err(e) => return Err(e),
        },
    })
}

/// `taizhang-<unit>-<YYYYMMDD>-<HHMMSS>.sqlite`, the time in China Standard Time.
pub fn backup_file_name(unit: &str, at: Timestamp) -> String {
    format!("taizhang-{unit}-{}.sqlite", crate::clock::stamp(at))
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A name in `dir` for a file on its way, unlikely to meet anything else there.
fn temp_path(dir: &Path, what: &str) -> PathBuf {
    dir.join(format!(".taizhang-{what}-{:016x}.tmp", fastrand::u64(..)))
}

/// Removes a temp database and whatever companions SQLite made for it.
fn remove_with_companions(path: &Path) {
    let _ = std::fs::remove_file(path);
    for suffix in COMPANIONS {
        let _ = std::fs::remove_file(companion(path, suffix));
    }
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// `path`, or `path` with `-2`, `-3` … before its extension while that name (or a
/// companion of it) is taken.
fn free_name(path: PathBuf) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    let taken = |p: &Path| p.exists() || COMPANIONS.iter().any(|s| companion(p, s).exists());
    let mut candidate = path.clone();
    let mut n = 2;
    while taken(&candidate) {
        candidate = path.with_file_name(format!("{stem}-{n}.{ext}"));
        n += 1;
    }
    candidate
}

/// Copies every page of `from` (inside the read transaction the caller holds, so one
/// snapshot) into a new file at `to`, then makes the copy a rollback-journal database: a
/// single file that needs no log and can be opened on read-only media.
fn copy_pages(from: &Connection, to: &Path) -> Result<(), StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    {
        let mut dest = Connection::open_with_flags(to, flags)?;
        dest.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
        let backup = Backup::new(from, &mut dest)?;
        loop {
            match backup.step(PAGES_PER_STEP)? {
                StepResult::Done => break,
                // The source is held in one read transaction: nothing can restart the copy,
                // and a busy destination (a fresh private file) only needs another try.
                _ => continue,
            }
        }
    }
    let dest = Connection::open_with_flags(to, flags)?;
    let mode: String =
        dest.pragma_update_and_check(None, "journal_mode", "DELETE", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(StoreError::CopyMismatch {
            path: to.to_path_buf(),
            detail: format!("journal mode {mode}"),
        });
    }
    dest.pragma_update(None, "synchronous", "FULL")?;
    drop(dest);
    File::open(to).and_then(|f| f.sync_all()).map_err(io(to))?;
    Ok(())
}

/// Opens a copy read-only and checks it: `PRAGMA integrity_check` (`quick_check` when not
/// `full`), and the unit, record count and signing key against what the source held.
fn verify_copy(path: &Path, expected: &Snapshot, full: bool) -> Result<(), StoreError> {
    let mismatch = |detail: String| StoreError::CopyMismatch {
        path: path.to_path_buf(),
        detail,
    };
    if file::has_frames(&companion(path, "-wal")) {
        return Err(mismatch("a log beside the copy".into()));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    let problems = if full {
        integrity_check(&conn, 20)?
    } else {
        file::quick_check(&conn)?
    };
    if let Some(first) = problems.first() {
        return Err(mismatch(first.clone()));
    }
    let found = snapshot(&conn)?;
    if found != *expected {
        return Err(mismatch(format!(
            "unit {} / {} records / key {}, expected unit {} / {} records / key {}",
            found.unit,
            found.records,
            if found.signing_key == expected.signing_key {
                "same"
            } else {
                "different"
            },
            expected.unit,
            expected.records,
            if expected.signing_key.is_some() {
                "present"
            } else {
                "none"
            },
        )));
    }
    Ok(())
}

/// The lines of `PRAGMA integrity_check` other than "ok" (at most `limit`).
pub(crate) fn integrity_check(conn: &Connection, limit: u32) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA integrity_check({limit})"))?;
    let lines = stmt
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines.into_iter().filter(|line| line != "ok").collect())
}

impl Ledger {
    /// Whether the ledger was opened for reading only (its file, folder or media cannot be
    /// written).
    pub fn is_read_only(&self) -> Result<bool, StoreError> {
        Ok(self.conn.is_readonly(rusqlite::MAIN_DB)?)
    }

    /// Refuses a change to a ledger opened for reading only, naming the file.
    pub fn ensure_not_read_only(&self) -> Result<(), StoreError> {
        if self.is_read_only()? {
            return Err(StoreError::ReadOnlyLedger {
                path: self.path.clone().unwrap_or_default(),
            });
        }
        Ok(())
    }

    /// How many records the ledger holds, voided ones included.
    pub fn record_count(&self) -> Result<u64, StoreError> {
        let count: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM records", [], |row| row.get(0))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Writes a backup of the whole ledger, signing key included, into `dir`, named after the
    /// unit and `at`. Clerks may keep working meanwhile: the copy is the snapshot the backup
    /// started from. It is written under a temp name, checked (integrity, unit, record count,
    /// signing key) and only then renamed; on any failure nothing is left under the final
    /// name.
    pub fn backup_to(&self, dir: &Path, at: Timestamp) -> Result<BackupDone, StoreError> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let temp = temp_path(dir, "backup");
        let written = self.write_backup(&temp);
        let expected = match written {
            Ok(expected) => expected,
            Err(e) => {
                remove_with_companions(&temp);
                return Err(e);
            }
        };
        let target = free_name(dir.join(backup_file_name(&expected.unit, at)));
        if let Err(source) = std::fs::rename(&temp, &target) {
            remove_with_companions(&temp);
            return Err(StoreError::Io {
                path: target,
                source,
            });
        }
        sync_dir(dir)?;
        let bytes = std::fs::metadata(&target).map_err(io(&target))?.len();
        Ok(BackupDone {
            path: target,
            bytes,
            records: expected.records,
        })
    }

    fn write_backup(&self, temp: &Path) -> Result<Snapshot, StoreError> {
        // One read transaction: the counts below and every page copied are one snapshot.
        let tx = self.conn.unchecked_transaction()?;
        let expected = snapshot(&tx)?;
        copy_pages(&tx, temp)?;
        tx.finish()?;
        verify_copy(temp, &expected, true)?;
        Ok(expected)
    }
}

/// Puts the backup at `from` in place of the ledger at `ledger`. Refused while anyone has
/// the ledger open, and when the ledger there belongs to another unit. The backup is
/// checked, copied page by page under a temp name beside the ledger, synced and checked
/// again; then the ledger there and its `-wal`, `-shm` and `-journal` are renamed to
/// `<ledger>.replaced-<time>` (and its companions), never deleted, and the copy takes the
/// ledger's name. No log is left at the ledger's path to be read into the restored file.
pub fn restore_backup(
    from: &Path,
    ledger: &Path,
    at: Timestamp,
) -> Result<RestoreDone, StoreError> {
    match std::fs::metadata(from) {
        Ok(meta) if meta.is_file() => {}
        Ok(_) => {
            return Err(StoreError::NotALedger {
                path: from.to_path_buf(),
            });
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::NoLedger {
                path: from.to_path_buf(),
            });
        }
        Err(source) => return Err(io(from)(source)),
    }
    let source = super::check::open_for_reading(from)?;
    let problems = integrity_check(&source, 20).map_err(|e| file::unreadable(from, e))?;
    if let Some(first) = problems.first() {
        return Err(StoreError::Damaged {
            path: from.to_path_buf(),
            detail: first.clone(),
        });
    }
    let dir = match ledger.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;

    // Hold the ledger exclusively from here until the copy has its name.
    let lock = lock_current(ledger, &source)?;
    let temp = temp_path(&dir, "restore");
    let expected = {
        let tx = source.unchecked_transaction()?;
        let expected = snapshot(&tx)?;
        let copied = copy_pages(&tx, &temp).and_then(|()| verify_copy(&temp, &expected, false));
        tx.finish()?;
        if let Err(e) = copied {
            remove_with_companions(&temp);
            return Err(e);
        }
        expected
    };
    drop(source);
    if let Ok(meta) = std::fs::metadata(ledger) {
        // The clerks' group keeps its access to the restored file (best effort).
        let _ = std::fs::set_permissions(&temp, meta.permissions());
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = std::os::unix::fs::chown(&temp, None, Some(meta.gid()));
        }
    }
    let set_aside = match set_aside(ledger, at) {
        Ok(aside) => aside,
        Err(e) => {
            remove_with_companions(&temp);
            return Err(e);
        }
    };
    if let Err(source) = std::fs::rename(&temp, ledger) {
        if let Some(aside) = &set_aside {
            put_back(aside, ledger);
        }
        remove_with_companions(&temp);
        return Err(StoreError::Io {
            path: ledger.to_path_buf(),
            source,
        });
    }
    sync_dir(&dir)?;
    drop(lock);

    let restored = Ledger::open(ledger)?;
    let records = restored.record_count()?;
    if restored.unit() != expected.unit || records != expected.records {
        return Err(StoreError::CopyMismatch {
            path: ledger.to_path_buf(),
            detail: format!(
                "unit {} with {records} records, expected unit {} with {}",
                restored.unit(),
                expected.unit,
                expected.records
            ),
        });
    }
    Ok(RestoreDone {
        unit: expected.unit,
        records,
        set_aside,
    })
}

/// Takes the ledger at `path` exclusively (refused while anyone has it open) and refuses a
/// ledger of another unit than the backup's. A file there that cannot be read as a ledger
/// (the damage being repaired) does not stop the restore.
fn lock_current(path: &Path, backup: &Connection) -> Result<Option<Connection>, StoreError> {
    if !path.exists() {
        return Ok(None);
    }
    let wal = companion(path, "-wal");
    let had_wal = wal.exists();
    let conn = match file::probe_exclusive(path) {
        Ok(Probe::InUse) => {
            return Err(StoreError::InUse {
                path: path.to_path_buf(),
            });
        }
        Ok(Probe::Exclusive(conn)) => conn,
        Ok(Probe::ReadOnly) | Err(_) => return Ok(None),
    };
    let backup_unit = read_meta(backup, "unit")?.unwrap_or_default();
    if let Ok(Some(unit)) = read_meta(&conn, "unit")
        && unit != backup_unit
    {
        drop(conn);
        // The probe made an empty log where there was none: leave the folder as it was.
        if !had_wal && std::fs::metadata(&wal).is_ok_and(|m| m.len() == 0) {
            let _ = std::fs::remove_file(&wal);
        }
        return Err(StoreError::OtherUnitsBackup {
            backup_unit,
            ledger_unit: unit,
        });
    }
    Ok(Some(conn))
}

/// Renames the ledger and its companions to `<ledger>.replaced-<time>…`; the name keeps the
/// set-aside file and its log together, so it can still be opened as it was.
fn set_aside(ledger: &Path, at: Timestamp) -> Result<Option<PathBuf>, StoreError> {
    let present: Vec<&str> = std::iter::once("")
        .chain(COMPANIONS)
        .filter(|suffix| companion(ledger, suffix).exists())
        .collect();
    if present.is_empty() {
        return Ok(None);
    }
    let name = ledger
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ledger".into());
    let aside = free_name(ledger.with_file_name(format!(
        "{name}.replaced-{}.sqlite",
        crate::clock::stamp(at)
    )));
    // The file first: a ledger path never shows a file without the log it needs.
    for suffix in present {
        let from = companion(ledger, suffix);
        let to = companion(&aside, suffix);
        if let Err(source) = std::fs::rename(&from, &to) {
            put_back(&aside, ledger);
            return Err(StoreError::Io { path: from, source });
        }
    }
    Ok(Some(aside))
}

/// Undoes [`set_aside`] as far as it went.
fn put_back(aside: &Path, ledger: &Path) {
    for suffix in std::iter::once("").chain(COMPANIONS) {
        let from = companion(aside, suffix);
        if from.exists() {
            let _ = std::fs::rename(&from, companion(ledger, suffix));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_checked_against_the_snapshot_it_was_taken_from() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::create(&dir.path().join("l.sqlite"), "230521", "p").unwrap();
        ledger.set_signing_key(&[7; 32]).unwrap();
        let at: Timestamp = "2024-01-05T09:30:00Z".parse().unwrap();
        let done = ledger.backup_to(&dir.path().join("out"), at).unwrap();
        assert_eq!(
            done.path.file_name().unwrap(),
            "taizhang-230521-20240105-173000.sqlite"
        );
        let conn =
            Connection::open_with_flags(&done.path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let taken = snapshot(&conn).unwrap();
        drop(conn);
        assert_eq!(
            taken.signing_key.as_deref(),
            Some(hex::encode([7u8; 32]).as_str())
        );
        verify_copy(&done.path, &taken, true).unwrap();
        for wrong in [
            Snapshot {
                records: 1,
                ..taken.clone()
            },
            Snapshot {
                signing_key: None,
                ..taken.clone()
            },
            Snapshot {
                unit: "230502".into(),
                ..taken.clone()
            },
        ] {
            let refused = verify_copy(&done.path, &wrong, false);
            assert!(
                matches!(refused, Err(StoreError::CopyMismatch { .. })),
                "{wrong:?}: {refused:?}"
            );
        }
        // A second backup in the same second gets its own name.
        let again = ledger.backup_to(&dir.path().join("out"), at).unwrap();
        assert_eq!(
            again.path.file_name().unwrap(),
            "taizhang-230521-20240105-173000-2.sqlite"
        );
    }
}
