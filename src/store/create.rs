//! Making a new ledger file whole or not at all: it is built under a temp name in the same
//! folder (schema, identity, signing key, anything else the caller adds), closed cleanly with
//! no `-wal` or `-shm` left, flushed, then put in place without ever replacing a file that
//! appeared meanwhile, and the folder flushed. A crash leaves either no ledger or a complete
//! one, plus at most a temp file that a later `init` in that folder removes.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{Ledger, LedgerRole, StoreError, create_file, schema};

/// How long an init temp file must have been left untouched before a later `init` in the same
/// folder takes it for the leftover of a crash. Building a ledger takes well under a second.
const STALE_INIT_TEMP_AGE: Duration = Duration::from_secs(15 * 60);

const INIT_TEMP_PREFIX: &str = ".taizhang-init-";
const INIT_TEMP_SUFFIX: &str = ".tmp";
/// The files SQLite keeps beside a database.
const SIDE_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// What is found where a new ledger is to be made.
enum Occupant {
    Nothing,
    /// A ledger whose making was interrupted by an older taizhang: nothing in it to keep.
    Unfinished,
    /// A ledger or another file, which is never replaced; the refusal to give.
    Taken(StoreError),
}

impl Ledger {
    /// Makes a new ledger of `role` at `path`, whole or not at all (see the module notes).
    /// `prepare` runs on the new ledger before it appears at `path` (the signing key, a plan
    /// file), so a ledger without them is never seen; the ledger it is given still lives under
    /// its temp name. Refuses a path that holds a ledger or
    /// any other file, except an unfinished ledger left by an interrupted `init` of an older
    /// taizhang (no identity, no records), which is replaced.
    pub fn create_whole<E: From<StoreError>>(
        path: &Path,
        code: &str,
        plan_id: &str,
        role: LedgerRole,
        prepare: impl FnOnce(&mut Ledger) -> Result<(), E>,
    ) -> Result<Ledger, E> {
        let dir = match path.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(parent) => {
                std::fs::create_dir_all(parent).map_err(|source| io_error(path, source))?;
                parent
            }
            None => Path::new("."),
        };
        remove_stale_init_temps(dir, STALE_INIT_TEMP_AGE);
        let replaces = match occupant(path)? {
            Occupant::Nothing => false,
            Occupant::Unfinished => true,
            Occupant::Taken(refusal) => return Err(refusal.into()),
        };
        let temp = dir.join(format!(
            "{INIT_TEMP_PREFIX}{:016x}{INIT_TEMP_SUFFIX}",
            fastrand::u64(..)
        ));
        let placed = build(&temp, code, plan_id, role, prepare)
            .and_then(|()| put_in_place(&temp, path, dir, replaces).map_err(E::from));
        if let Err(e) = placed {
            remove_with_side_files(&temp);
            return Err(e);
        }
        Ok(Ledger::open(path)?)
    }
}

/// Whether `path` holds an unfinished ledger: an SQLite file (or an empty one) with only
/// taizhang's tables, no identity and no rows, as an `init` interrupted by an older taizhang
/// left it. Such a file holds nothing to keep; `init` replaces it.
pub fn is_unfinished_ledger(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    if meta.len() == 0 && !side_file(path, "-wal").exists() {
        return true;
    }
    if meta.len() > 0 && !matches!(super::file::shape(path), Ok(super::file::FileShape::Sqlite)) {
        return false;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let Ok(conn) = Connection::open_with_flags(path, flags) else {
        return false;
    };
    holds_nothing(&conn).unwrap_or(false)
}

/// Only taizhang's tables, no identity, and no row anywhere but other `meta` facts (and the
/// search index's bookkeeping).
fn holds_nothing(conn: &Connection) -> Result<bool, StoreError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if version > schema::supported_version() {
        return Ok(false);
    }
    let ours = table_names(&schema::open_memory()?)?;
    for table in table_names(conn)? {
        if !ours.contains(&table) {
            return Ok(false);
        }
        // The search index and its own tables hold rows of their own from the start.
        if table.starts_with("records_search") {
            continue;
        }
        let sql = if table == "meta" {
            "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'unit')".to_owned()
        } else {
            format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")")
        };
        if conn.query_row(&sql, [], |row| row.get::<_, bool>(0))? {
            return Ok(false);
        }
    }
    Ok(true)
}

fn table_names(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let names = conn
        .prepare(
            "SELECT name FROM sqlite_schema
             WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        )?
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(names)
}

/// What is at `path`, and the refusal if it must not be replaced.
fn occupant(path: &Path) -> Result<Occupant, StoreError> {
    match std::fs::symlink_metadata(path) {
        Ok(_) if path.is_dir() => {
            return Ok(Occupant::Taken(StoreError::LedgerPathIsFolder {
                path: path.to_path_buf(),
            }));
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Occupant::Nothing),
        Err(source) => return Err(io_error(path, source)),
    }
    Ok(match Ledger::open(path) {
        Ok(existing) => Occupant::Taken(StoreError::AlreadyInitialized {
            path: path.to_path_buf(),
            unit: existing.unit,
        }),
        Err(StoreError::NewerSchema { .. }) => Occupant::Taken(StoreError::AlreadyInitialized {
            path: path.to_path_buf(),
            unit: String::new(),
        }),
        Err(StoreError::UnfinishedLedger { .. }) => Occupant::Unfinished,
        Err(_) => Occupant::Taken(StoreError::NotALedger {
            path: path.to_path_buf(),
        }),
    })
}

/// Builds the whole ledger in `temp` and closes it cleanly, flushed to the disk.
fn build<E: From<StoreError>>(
    temp: &Path,
    code: &str,
    plan_id: &str,
    role: LedgerRole,
    prepare: impl FnOnce(&mut Ledger) -> Result<(), E>,
) -> Result<(), E> {
    create_file(temp).map_err(|source| io_error(temp, source))?;
    let conn = schema::open_new(temp)?;
    let mut ledger = Ledger {
        basis: super::counts::ledger_basis(&conn)?,
        conn,
        unit: code.to_owned(),
        role,
        path: Some(temp.to_path_buf()),
    };
    ledger.write_identity(plan_id)?;
    prepare(&mut ledger)?;
    ledger.keep_derived()?;
    close_cleanly(ledger.conn, temp)?;
    File::open(temp)
        .and_then(|file| file.sync_all())
        .map_err(|source| io_error(temp, source))?;
    Ok(())
}

/// Leaves the database in its one file: out of WAL mode (which checkpoints and deletes the
/// `-wal`), then closed. The ledger's first opening turns WAL on again.
fn close_cleanly(conn: Connection, path: &Path) -> Result<(), StoreError> {
    let _mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "DELETE", |row| row.get(0))?;
    conn.close().map_err(|(_, e)| StoreError::Sqlite(e))?;
    let wal = side_file(path, "-wal");
    if wal.exists() {
        return Err(io_error(
            &wal,
            io::Error::other("the new ledger's write-ahead log was left behind"),
        ));
    }
    let _ = std::fs::remove_file(side_file(path, "-shm"));
    Ok(())
}

/// Puts the finished `temp` at `path`: a hard link, which fails rather than replace a file
/// that appeared meanwhile, then the temp name removed; where the file system has no links
/// (FAT sticks), a rename after checking that `path` is still free. Then the folder is
/// flushed. An unfinished ledger found at `path` before (`replaces`) is removed first, with
/// its side files.
fn put_in_place(temp: &Path, path: &Path, dir: &Path, replaces: bool) -> Result<(), StoreError> {
    let taken = || match occupant(path) {
        Ok(Occupant::Taken(refusal)) => refusal,
        _ => StoreError::AlreadyInitialized {
            path: path.to_path_buf(),
            unit: String::new(),
        },
    };
    if replaces {
        if !is_unfinished_ledger(path) && std::fs::symlink_metadata(path).is_ok() {
            return Err(taken());
        }
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(io_error(path, source)),
        }
    }
    if std::fs::symlink_metadata(path).is_err() {
        // SQLite would replay a `-wal` left without its database into the new ledger.
        for suffix in SIDE_SUFFIXES {
            let _ = std::fs::remove_file(side_file(path, suffix));
        }
    }
    match std::fs::hard_link(temp, path) {
        Ok(()) => {
            let _ = std::fs::remove_file(temp);
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(taken()),
        Err(_) => {
            if std::fs::symlink_metadata(path).is_ok() {
                return Err(taken());
            }
            std::fs::rename(temp, path).map_err(|source| io_error(path, source))?;
        }
    }
    sync_dir(dir).map_err(|source| io_error(dir, source))
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Whether `name` is an init temp file or one of its SQLite side files.
fn is_init_temp_name(name: &str) -> bool {
    let name = SIDE_SUFFIXES
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .unwrap_or(name);
    name.strip_prefix(INIT_TEMP_PREFIX)
        .and_then(|rest| rest.strip_suffix(INIT_TEMP_SUFFIX))
        .is_some_and(|hex| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Removes init temp files in `dir` (and their side files) that nobody has touched for at
/// least `older_than`: what a crash left behind. Best effort; returns the paths removed.
fn remove_stale_init_temps(dir: &Path, older_than: Duration) -> Vec<PathBuf> {
    crate::leftovers::remove_stale(dir, older_than, is_init_temp_name)
}

fn remove_with_side_files(path: &Path) {
    let _ = std::fs::remove_file(path);
    for suffix in SIDE_SUFFIXES {
        let _ = std::fs::remove_file(side_file(path, suffix));
    }
}

fn side_file(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn io_error(path: &Path, source: io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_temp_names_are_told_apart_from_everything_else() {
        for name in [
            ".taizhang-init-0123456789abcdef.tmp",
            ".taizhang-init-0123456789abcdef.tmp-wal",
            ".taizhang-init-0123456789abcdef.tmp-shm",
            ".taizhang-init-0123456789abcdef.tmp-journal",
        ] {
            assert!(is_init_temp_name(name), "{name}");
        }
        for name in [
            "ledger.sqlite",
            "ledger.sqlite-wal",
            ".taizhang-0123456789abcdef.tmp",
            ".taizhang-init-0123456789abcde.tmp",
            ".taizhang-init-0123456789abcdef.tmp-x",
        ] {
            assert!(!is_init_temp_name(name), "{name}");
        }
    }
}
