//! Writing a signed file to a USB stick so that it is either there complete and verified, or
//! not there at all: temp name in the same folder, write, fsync, rename, fsync the folder,
//! read back and compare. Every filesystem step goes through [`ExportFs`] so tests can make
//! any one of them fail.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::error::{BundleError, DiskProblem, ExportStep};
use super::format::FileType;

/// The filesystem operations a safe write needs.
pub trait ExportFs {
    type File;
    /// Creates `path`, which must not exist yet.
    fn create_new(&mut self, path: &Path) -> io::Result<Self::File>;
    fn write_all(&mut self, file: &mut Self::File, bytes: &[u8]) -> io::Result<()>;
    /// Flushes the file's data to the device.
    fn sync_file(&mut self, file: &mut Self::File) -> io::Result<()>;
    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()>;
    /// Flushes the folder's entries (the rename) to the device.
    fn sync_dir(&mut self, dir: &Path) -> io::Result<()>;
    /// Reads the whole file back, at most `limit` bytes.
    fn read(&mut self, path: &Path, limit: u64) -> io::Result<Vec<u8>>;
    fn remove(&mut self, path: &Path) -> io::Result<()>;
}

/// The real filesystem.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealFs;

impl ExportFs for RealFs {
    type File = File;

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

    fn read(&mut self, path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        File::open(path)?.take(limit).read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    fn remove(&mut self, path: &Path) -> io::Result<()> {
        std::fs::remove_file(path)
    }
}

/// Writes `bytes` to `dir/name` safely (see the module notes). `check` is run on the bytes
/// read back, in addition to comparing them with what was written. On any failure neither
/// the temp file nor the final file is left behind (as far as the stick still allows).
pub(crate) fn write_verified<F: ExportFs>(
    fs: &mut F,
    file_type: FileType,
    dir: &Path,
    name: &str,
    bytes: &[u8],
    check: impl FnOnce(&[u8]) -> bool,
) -> Result<PathBuf, BundleError> {
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
    let written = fs
        .write_all(&mut file, bytes)
        .map_err(|e| (ExportStep::Write, e))
        .and_then(|()| {
            fs.sync_file(&mut file)
                .map_err(|e| (ExportStep::SyncFile, e))
        });
    drop(file);
    if let Err((step, source)) = written {
        let _ = fs.remove(&temp);
        return Err(fail(step, &temp, source));
    }
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
    let limit = bytes.len() as u64 + 1;
    match fs.read(&target, limit) {
        Err(source) => {
            undo(fs);
            Err(fail(ExportStep::ReadBack, &target, source))
        }
        Ok(back) if back != bytes || !check(&back) => {
            undo(fs);
            Err(BundleError::ReadBackMismatch {
                file_type,
                path: target,
            })
        }
        Ok(_) => Ok(target),
    }
}

/// Removes a file that was written but must not stay (the ledger refused to log it).
pub(crate) fn withdraw<F: ExportFs>(fs: &mut F, path: &Path) {
    let _ = fs.remove(path);
    if let Some(dir) = path.parent() {
        let _ = fs.sync_dir(dir);
    }
}
