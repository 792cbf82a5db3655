//! Temporary files a crash left behind: found by name in a folder and removed once nobody has
//! touched them for a while, so a write still in progress is never disturbed.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Removes the regular files in `dir` whose names `ours` recognises and that nobody has
/// touched for at least `older_than`. Links are not followed. Best effort; returns the paths
/// removed.
pub(crate) fn remove_stale(
    dir: &Path,
    older_than: Duration,
    ours: impl Fn(&str) -> bool,
) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = SystemTime::now();
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        if !entry.file_name().to_str().is_some_and(&ours) {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let stale = meta.is_file()
            && meta
                .modified()
                .ok()
                .and_then(|at| now.duration_since(at).ok())
                .is_some_and(|age| age >= older_than);
        if stale && std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed
}
