//! Writing a signed file to a USB stick so that it is either there complete and verified, or
//! not there at all: temp name in the same folder, write (a piece at a time, as the file is
//! made), fsync, (the caller logs the file), rename, fsync the folder, read back and check.
//! Every filesystem step goes through [`ExportFs`] so tests can make any one of them fail.
//! Temp files a crash left behind are removed by the next write into the same folder.

use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::error::{BundleError, DiskProblem, ExportStep};
use super::format::{FileType, Written};

/// The filesystem operations a safe write needs.
pub trait ExportFs {
    type File;
    /// What a file is read back through.
    type Reader: Read + Seek;
    /// Creates `path`, which must not exist yet.
    fn create_new(&mut self, path: &Path) -> io::Result<Self::File>;
    fn write_all(&mut self, file: &mut Self::File, bytes: &[u8]) -> io::Result<()>;
    /// Flushes the file's data to the device.
    fn sync_file(&mut self, file: &mut Self::File) -> io::Result<()>;
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
    /// Flushes the folder's entries (the rename) to the device.
    fn sync_dir(&mut self, dir: &Path) -> io::Result<()>;
    /// Opens the file to read it back.
    fn open_read(&mut self, path: &Path) -> io::Result<Self::Reader>;
    fn remove(&mut self, path: &Path) -> io::Result<()>;
}

/// The real filesystem.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealFs;

impl ExportFs for RealFs {
    type File = File;
    type Reader = BufReader<File>;

    /// On unix the file is readable and writable by owner and group only, as the ledger is
    /// (the unit's clerks share one group); file systems without modes (FAT sticks) keep
    /// their own.
    fn create_new(&mut self, path: &Path) -> io::Result<File> {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
            options.mode(0o660);
            let file = options.open(path)?;
            // The umask may have taken bits away; a stick's file system may refuse modes.
            let _ = file.set_permissions(std::fs::Permissions::from_mode(0o660));
            Ok(file)
        }
        #[cfg(not(unix))]
        {
            options.open(path)
        }
    }

    fn write_all(&mut self, file: &mut File, bytes: &[u8]) -> io::Result<()> {
        file.write_all(bytes)?;
        file.flush()
    }

    fn sync_file(&mut self, file: &mut File) -> io::Result<()> {
        file.sync_all()
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        std::fs::rename(from, to)
    }

    fn sync_dir(&mut self, dir: &Path) -> io::Result<()> {
        #[cfg(unix)]
        {
            File::open(dir)?.sync_all()
        }
        #[cfg(not(unix))]
        {
            // Folders cannot be opened for syncing elsewhere; the rename is flushed with
            // the file system's own metadata writes.
            let _ = dir;
            Ok(())
        }
    }

    fn open_read(&mut self, path: &Path) -> io::Result<BufReader<File>> {
        Ok(BufReader::with_capacity(1 << 16, File::open(path)?))
    }

    fn remove(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }
}

/// How long a temp file must have been left untouched before a later write into the same
/// folder takes it for the leftover of a crash and removes it. A write in progress touches its
/// temp file far more often than this, so another clerk's export is never disturbed.
pub const STALE_TEMP_AGE: Duration = Duration::from_secs(15 * 60);

const TEMP_PREFIX: &str = ".taizhang-";
const TEMP_SUFFIX: &str = ".tmp";

/// A fresh temp name: `.taizhang-<16 hex digits>.tmp`, hidden and never looking like a
/// bundle or receipt, so nobody copies or imports it by mistake.
fn temp_name() -> String {
    format!("{TEMP_PREFIX}{:016x}{TEMP_SUFFIX}", fastrand::u64(..))
}

/// Whether `name` is one of our temp names (and nothing else that merely looks similar).
pub(crate) fn is_temp_name(name: &str) -> bool {
    name.strip_prefix(TEMP_PREFIX)
        .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
        .is_some_and(|hex| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Removes our temp files in `dir` that nobody has touched for at least `older_than`: what a
/// crash or a pulled stick left behind. Best effort; returns the paths removed.
pub(crate) fn remove_stale_temps(dir: &Path, older_than: Duration) -> Vec<PathBuf> {
    crate::leftovers::remove_stale(dir, older_than, is_temp_name)
}

/// Where a signed file's bytes go as they are made; a write that fails has already become
/// the [`BundleError::Disk`] to report.
pub type Sink<'a> = &'a mut dyn FnMut(&[u8]) -> Result<(), BundleError>;

/// Why [`write_verified`] failed, and whether the caller's `before_rename` step had already
/// succeeded (so that what it did must be undone or marked as failed).
pub(crate) struct WriteFailure {
    pub error: BundleError,
    pub after_logging: bool,
}

/// Writes a file to `dir/name` safely (see the module notes).
///
/// `produce` hands the file's bytes to the sink it is given, a piece at a time, and says what
/// it wrote. `before_rename` runs once the file is complete and flushed under its temp name
/// and before it appears under `name`, with what was written (the unit logs its export
/// there); if it fails, the temp file is removed and nothing else is done. `check` reads the
/// file back and says whether it is that file (an I/O error reading it is a failed
/// read-back). On any failure neither the temp file nor the final file is left behind (as
/// far as the stick still allows).
pub(crate) fn write_verified<F: ExportFs>(
    fs: &mut F,
    file_type: FileType,
    dir: &Path,
    name: &str,
    produce: impl FnOnce(Sink<'_>) -> Result<Written, BundleError>,
    before_rename: impl FnOnce(&Written) -> Result<(), BundleError>,
    check: impl FnOnce(&mut F::Reader, &Written) -> io::Result<bool>,
) -> Result<(PathBuf, Written), WriteFailure> {
    remove_stale_temps(dir, STALE_TEMP_AGE);
    let temp = dir.join(temp_name());
    let target = dir.join(name);
    let fail = |step: ExportStep, path: &Path, source: io::Error| BundleError::Disk {
        file_type,
        step,
        problem: DiskProblem::of(&source),
        path: path.to_path_buf(),
        source,
    };
    let before = |error| WriteFailure {
        error,
        after_logging: false,
    };
    let after = |error| WriteFailure {
        error,
        after_logging: true,
    };

    let mut file = fs
        .create_new(&temp)
        .map_err(|e| before(fail(ExportStep::Create, &temp, e)))?;
    let produced = produce(&mut |bytes: &[u8]| {
        fs.write_all(&mut file, bytes)
            .map_err(|e| fail(ExportStep::Write, &temp, e))
    });
    let written = produced.and_then(|written| {
        fs.sync_file(&mut file)
            .map_err(|e| fail(ExportStep::SyncFile, &temp, e))?;
        Ok(written)
    });
    drop(file);
    let written = match written {
        Ok(written) => written,
        Err(error) => {
            let _ = fs.remove(&temp);
            return Err(before(error));
        }
    };
    if let Err(error) = before_rename(&written) {
        let _ = fs.remove(&temp);
        return Err(before(error));
    }
    if let Err(source) = fs.rename(&temp, &target) {
        let _ = fs.remove(&temp);
        return Err(after(fail(ExportStep::Rename, &target, source)));
    }
    let undo = |fs: &mut F| {
        let _ = fs.remove(&target);
        let _ = fs.remove(&temp);
        let _ = fs.sync_dir(dir);
    };
    if let Err(source) = fs.sync_dir(dir) {
        undo(fs);
        return Err(after(fail(ExportStep::SyncDir, &target, source)));
    }
    let checked = fs
        .open_read(&target)
        .and_then(|mut reader| check(&mut reader, &written));
    match checked {
        Err(source) => {
            undo(fs);
            Err(after(fail(ExportStep::ReadBack, &target, source)))
        }
        Ok(false) => {
            undo(fs);
            Err(after(BundleError::ReadBackMismatch {
                file_type,
                path: target,
            }))
        }
        Ok(true) => Ok((target, written)),
    }
}

/// What a read-back check makes of a reader's verdict: an I/O error is a failed read, any
/// other refusal means the file is not the one written.
pub(crate) fn read_back_verdict(result: Result<bool, BundleError>) -> io::Result<bool> {
    match result {
        Ok(good) => Ok(good),
        Err(BundleError::Read { source, .. }) => Err(source),
        Err(_) => Ok(false),
    }
}

/// Removes a file that was written but must not stay (the ledger could not confirm it).
pub(crate) fn withdraw<F: ExportFs>(fs: &mut F, path: &Path) {
    let _ = fs.remove(path);
    if let Some(dir) = path.parent() {
        let _ = fs.sync_dir(dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_recognised_and_never_look_like_bundles() {
        for _ in 0..100 {
            let name = temp_name();
            assert!(is_temp_name(&name), "{name}");
            assert!(!name.ends_with(".tzb") && !name.ends_with(".tzr"), "{name}");
        }
        for other in [
            ".taizhang-0123456789abcdef.tzb",
            ".taizhang-0123456789abcde.tmp",
            ".taizhang-0123456789abcdefg.tmp",
            "taizhang-0123456789abcdef.tmp",
            ".taizhang-init-0123456789abcdef.tmp",
            "taizhang-230521-000001-20230701.tzb",
        ] {
            assert!(!is_temp_name(other), "{other}");
        }
    }
}
