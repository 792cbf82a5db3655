//! The ledger file on disk: what a file at the ledger's path is (a ledger, a cut-off copy of
//! one, something else), its `-wal` and `-shm` companions, whether it can be written, the
//! check of a write-ahead log left behind with nobody connected, and opening read-only.

use std::fs::OpenOptions;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::StoreError;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";
/// The database header's length: a file shorter than this cannot hold a ledger.
const DB_HEADER_LEN: usize = 100;
/// A write-ahead log no longer than its header holds no frames.
const WAL_HEADER_LEN: u64 = 32;

/// What the bytes of a file at the ledger's path say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileShape {
    /// A whole SQLite database, as far as its header tells.
    Sqlite,
    /// The start of an SQLite database, cut off: `expected` bytes when its header says.
    Truncated { size: u64, expected: Option<u64> },
    /// Empty, or not an SQLite database at all.
    Other,
}

/// `path` with `suffix` appended to its name: the `-wal`, `-shm` and `-journal` files.
pub(crate) fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The companions SQLite may keep beside a database file.
pub(crate) const COMPANIONS: [&str; 3] = ["-wal", "-shm", "-journal"];

fn io_error(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses a path that holds no file: nothing there, a folder, or one that cannot be looked
/// at.
pub(crate) fn expect_file(path: &Path) -> Result<(), StoreError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(meta) if meta.is_dir() => Err(StoreError::LedgerPathIsFolder {
            path: path.to_path_buf(),
        }),
        Ok(_) => Err(StoreError::NotALedger {
            path: path.to_path_buf(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::NoLedger {
            path: path.to_path_buf(),
        }),
        Err(source) => Err(StoreError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Reads the header of the file and compares its length with what the header promises.
pub(crate) fn shape(path: &Path) -> Result<FileShape, StoreError> {
    let mut file = OpenOptions::new()
        .read(true)
        .open(path)
        .map_err(|e| io_error(path, e))?;
    let size = file.metadata().map_err(|e| io_error(path, e))?.len();
    let mut header = [0u8; DB_HEADER_LEN];
    let mut read = 0;
    while read < header.len() {
        match file
            .read(&mut header[read..])
            .map_err(|e| io_error(path, e))?
        {
            0 => break,
            n => read += n,
        }
    }
    let prefix = read.min(SQLITE_HEADER.len());
    if read == 0 || header[..prefix] != SQLITE_HEADER[..prefix] {
        return Ok(FileShape::Other);
    }
    if read < DB_HEADER_LEN {
        return Ok(FileShape::Truncated {
            size,
            expected: None,
        });
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n if n >= 512 && n.is_power_of_two() => u64::from(n),
        _ => return Ok(FileShape::Other),
    };
    // A log beside the file may still hold pages a crash kept from being copied in: only a
    // file without one must be as long as its header says.
    if has_frames(&companion(path, "-wal")) {
        return Ok(FileShape::Sqlite);
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let pages = u64::from(be32(28));
    let expected = (pages > 0 && be32(24) == be32(92)).then_some(pages * page_size);
    match expected {
        Some(expected) if size < expected => Ok(FileShape::Truncated {
            size,
            expected: Some(expected),
        }),
        _ if size % page_size != 0 => Ok(FileShape::Truncated {
            size,
            expected: None,
        }),
        _ => Ok(FileShape::Sqlite),
    }
}

/// A file SQLite opened but that holds no ledger: cut off before its header ends (SQLite
/// reads such a file as an empty database), or not a ledger at all.
pub(crate) fn no_ledger_in(path: &Path) -> StoreError {
    match shape(path) {
        Ok(FileShape::Truncated { size, expected }) => StoreError::Truncated {
            path: path.to_path_buf(),
            size,
            expected,
        },
        _ => StoreError::NotALedger {
            path: path.to_path_buf(),
        },
    }
}

/// Whether a write-ahead log file exists and holds more than its header.
pub(crate) fn has_frames(wal: &Path) -> bool {
    std::fs::metadata(wal).is_ok_and(|m| m.is_file() && m.len() > WAL_HEADER_LEN)
}

/// Whether SQLite failed because it may not write the file or create its companions.
pub(crate) fn is_read_only_sqlite(e: &StoreError) -> bool {
    match e {
        StoreError::Sqlite(e) => matches!(
            e.sqlite_error_code(),
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied)
        ),
        _ => false,
    }
}

/// What an exclusive probe of a ledger found.
pub(crate) enum Probe {
    /// Another connection has the file open.
    InUse,
    /// This process may not write the file, so it cannot lock it either.
    ReadOnly,
    /// Nobody else has it open; this connection holds it exclusively until dropped and
    /// writes nothing, not even on closing.
    Exclusive(Connection),
}

/// Opens the ledger and takes SQLite's exclusive lock on it at once, without waiting. Every
/// connection in WAL mode holds a shared lock for as long as it is open, so this fails
/// exactly while someone (a clerk's screen left open, a running command) uses the ledger.
/// The log, if any, is read into private memory: neither the file nor its companions
/// change, and closing the probe does not copy the log into the file.
pub(crate) fn probe_exclusive(path: &Path) -> Result<Probe, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    // Never wait: a lock held by someone else is the answer.
    conn.busy_timeout(std::time::Duration::ZERO)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        return Ok(Probe::ReadOnly);
    }
    conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE")?;
    // Reads the header only (no schema): the lock is taken before anything can fail.
    let first_read = conn.query_row("PRAGMA schema_version", [], |row| row.get::<_, i64>(0));
    match first_read {
        Ok(_) => Ok(Probe::Exclusive(conn)),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
            ) =>
        {
            Ok(Probe::InUse)
        }
        Err(e) => Err(unreadable(path, e)),
    }
}

/// SQLite's "not a database" or "malformed": the file's own header then tells whether it is
/// a cut-off ledger, something else entirely, or a damaged database. (The file is opened
/// here only once SQLite has failed on it: closing a descriptor of a file drops every POSIX
/// lock this process holds on it, SQLite's included.)
pub(crate) fn unreadable(path: &Path, e: rusqlite::Error) -> StoreError {
    let code = e.sqlite_error_code();
    if !matches!(
        code,
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    ) {
        return StoreError::Sqlite(e);
    }
    match shape(path) {
        Ok(FileShape::Truncated { size, expected }) => StoreError::Truncated {
            path: path.to_path_buf(),
            size,
            expected,
        },
        Ok(FileShape::Other) => StoreError::NotALedger {
            path: path.to_path_buf(),
        },
        _ if code == Some(ErrorCode::NotADatabase) => StoreError::NotALedger {
            path: path.to_path_buf(),
        },
        _ => StoreError::Damaged {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
    }
}

/// SQLite applies any valid log it finds beside a database file, whichever file the log was
/// written for: a log left by a crash, or one left beside a file copied over the ledger by
/// hand, is read into the ledger at the next open. When a log with frames is there and
/// nobody has the ledger open (so this open is the one that will take it in), the ledger
/// with the log applied is checked first (`PRAGMA quick_check`), and refused as damaged if
/// the check fails. While others have the ledger open the log is theirs and live.
pub(crate) fn check_leftover_log(path: &Path) -> Result<(), StoreError> {
    if !has_frames(&companion(path, "-wal")) {
        return Ok(());
    }
    let conn = match probe_exclusive(path)? {
        Probe::InUse | Probe::ReadOnly => return Ok(()),
        Probe::Exclusive(conn) => conn,
    };
    let problems = quick_check(&conn).map_err(|e| unreadable(path, e))?;
    match problems.first() {
        None => Ok(()),
        Some(first) => Err(StoreError::Damaged {
            path: path.to_path_buf(),
            detail: first.clone(),
        }),
    }
}

/// The lines of `PRAGMA quick_check` other than "ok" (at most 20).
pub(crate) fn quick_check(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA quick_check(20)")?;
    let lines = stmt
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines.into_iter().filter(|line| line != "ok").collect())
}

/// A `file:` URI for the path, with the characters URIs reserve escaped.
fn file_uri(path: &Path, query: &str) -> Result<String, StoreError> {
    let absolute = std::path::absolute(path).map_err(|e| io_error(path, e))?;
    let text = absolute.to_str().ok_or_else(|| StoreError::NotALedger {
        path: path.to_path_buf(),
    })?;
    let mut uri = String::from("file:");
    for c in text.chars() {
        match c {
            '?' | '#' | '%' | ' ' => uri.push_str(&format!("%{:02X}", u32::from(c))),
            _ => uri.push(c),
        }
    }
    uri.push('?');
    uri.push_str(query);
    Ok(uri)
}

/// Opens a ledger that cannot be written (a read-only file or folder, read-only media)
/// for reading only. A log beside the file is read as SQLite reads it; with no log and no
/// way to make the companions SQLite wants, the file is opened as immutable: nothing can
/// change a file nobody may write.
pub(crate) fn open_read_only(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let plain = Connection::open_with_flags(path, flags - OpenFlags::SQLITE_OPEN_URI)
        .and_then(|conn| first_read(&conn).map(|()| conn));
    match plain {
        Ok(conn) => Ok(conn),
        Err(e) if has_frames(&companion(path, "-wal")) => Err(unreadable(path, e)),
        Err(_) => {
            let uri = file_uri(path, "immutable=1")?;
            let conn = Connection::open_with_flags(uri, flags)?;
            first_read(&conn).map_err(|e| unreadable(path, e))?;
            Ok(conn)
        }
    }
}

fn first_read(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("SELECT COUNT(*) FROM sqlite_schema", [], |row| {
        row.get::<_, i64>(0)
    })
    .map(|_| ())
}

/// The pragmas of a connection that only reads: nothing that would write the file.
pub(crate) fn configure_read_only(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(std::time::Duration::from_millis(5000))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -65536)?;
    super::search::register(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Ledger;

    fn ledger_bytes(dir: &Path) -> Vec<u8> {
        let path = dir.join("whole.sqlite");
        drop(Ledger::create(&path, "230521", "shuangyashan-2021-2023").unwrap());
        std::fs::read(&path).unwrap()
    }

    #[test]
    fn the_header_tells_a_cut_off_ledger_from_a_foreign_file() {
        let dir = tempfile::tempdir().unwrap();
        let whole = ledger_bytes(dir.path());
        assert!(whole.len() >= 3 * 4096, "{}", whole.len());
        let shape_of = |bytes: &[u8]| {
            let path = dir.path().join("probe.sqlite");
            std::fs::write(&path, bytes).unwrap();
            shape(&path).unwrap()
        };
        assert_eq!(shape_of(&whole), FileShape::Sqlite);
        assert_eq!(shape_of(b""), FileShape::Other);
        assert_eq!(shape_of("台账\n".repeat(50).as_bytes()), FileShape::Other);
        assert_eq!(
            shape_of(b"SQLite fo"),
            FileShape::Truncated {
                size: 9,
                expected: None
            }
        );
        let pages = whole.len() as u64 / 4096;
        assert_eq!(
            shape_of(&whole[..4096]),
            FileShape::Truncated {
                size: 4096,
                expected: Some(pages * 4096)
            }
        );
        assert_eq!(
            shape_of(&whole[..5000]),
            FileShape::Truncated {
                size: 5000,
                expected: Some(pages * 4096)
            }
        );
        // A log beside it may hold the rest (a crash while copying the log into the file).
        let path = dir.path().join("probe.sqlite");
        std::fs::write(&path, &whole[..4096]).unwrap();
        std::fs::write(companion(&path, "-wal"), vec![0u8; 4096 + 56]).unwrap();
        assert_eq!(shape(&path).unwrap(), FileShape::Sqlite);
    }

    #[test]
    fn a_uri_escapes_what_sqlite_would_read_as_query_or_fragment() {
        let uri = file_uri(Path::new("/tmp/台账 #1?.sqlite"), "immutable=1").unwrap();
        assert_eq!(uri, "file:/tmp/台账%20%231%3F.sqlite?immutable=1");
    }

    #[test]
    fn a_ledger_opened_read_only_reads_and_refuses_writes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("l.sqlite"), ledger_bytes(dir.path())).unwrap();
        let path = dir.path().join("l.sqlite");
        let conn = open_read_only(&path).unwrap();
        assert!(conn.is_readonly(rusqlite::MAIN_DB).unwrap());
        let unit: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'unit'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(unit, "230521");
        assert!(conn.execute("DELETE FROM meta", []).is_err());
    }
}
