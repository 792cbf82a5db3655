//! Writing a signed file to a USB stick so that it is either there complete and verified, or
//! not there at all: temp name in the same folder, write, fsync, rename, fsync the folder,
//! read back and compare. Every filesystem step goes through [`ExportFs`] so tests can make
//! any one of them fail.

use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, Write};
use std::path::{Path, PathBuf};

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

    fn create_new(&mut self, path: &Path) -> io::Result<File> {
        OpenOptions::new().write(true).create_new(true).open(path)
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

/// Where a signed file's bytes go as they are made; a write that fails has already become
/// the [`BundleError::Disk`] to report.
pub type Sink<'a> = &'a mut dyn FnMut(&[u8]) -> Result<(), BundleError>;

/// Writes a file to `dir/name` safely (see the module notes): `produce` hands its bytes to the
/// sink it is given, a piece at a time, and says what it wrote; `check` reads the file back
/// and says whether it is that file (an I/O error reading it is a failed read-back). On any
/// failure neither the temp file nor the final file is left behind (as far as the stick
/// still allows).
pub(crate) fn write_verified<F: ExportFs>(
    fs: &mut F,
    file_type: FileType,
    dir: &Path,
    name: &str,
    produce: impl FnOnce(Sink<'_>) -> Result<Written, BundleError>,
    check: impl FnOnce(&mut F::Reader, &Written) -> io::Result<bool>,
) -> Result<(PathBuf, Written), BundleError> {
    let temp = dir.join(format!(".taizhang-{:016x}.tmp", fastrand::u64(..)));
    let target = dir.join(name);
    let fail = |step: ExportStep, path: &Path, source: io::Error| BundleError::Disk {
        file_type,
        step,
        problem: DiskProblem::of(&source),
        path: path.to_path_buf(),
        source,
    };

    let mut file = fs
        .create_new(&temp)
        .map_err(|e| fail(ExportStep::Create, &temp, e))?;
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
        Err(e) => {
            let _ = fs.remove(&temp);
            return Err(e);
        }
    };
    if let Err(source) = fs.rename(&temp, &target) {
        let _ = fs.remove(&temp);
        return Err(fail(ExportStep::Rename, &target, source));
    }
    let undo = |fs: &mut F| {
        let _ = fs.remove(&target);
        let _ = fs.remove(&temp);
        let _ = fs.sync_dir(dir);
    };
    if let Err(source) = fs.sync_dir(dir) {
        undo(fs);
        return Err(fail(ExportStep::SyncDir, &target, source));
    }
    let checked = fs
        .open_read(&target)
        .and_then(|mut reader| check(&mut reader, &written));
    match checked {
        Err(source) => {
            undo(fs);
            Err(fail(ExportStep::ReadBack, &target, source))
        }
        Ok(false) => {
            undo(fs);
            Err(BundleError::ReadBackMismatch {
                file_type,
                path: target,
            })
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

/// Removes a file that was written but must not stay (the ledger refused to log it).
pub(crate) fn withdraw<F: ExportFs>(fs: &mut F, path: &Path) {
    let _ = fs.remove(path);
    if let Some(dir) = path.parent() {
        let _ = fs.sync_dir(dir);
    }
}
