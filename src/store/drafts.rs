//! Unsaved forms kept next to the ledger file, one per OS account, so that a dropped SSH
//! connection or a closed terminal loses nothing: the form is offered back at the next start.
//! Each write goes to a temporary file that is synced and then renamed over the draft.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{FieldValues, RecordKind};

/// Draft files larger than this are not read (a draft is one form of a few fields).
const MAX_DRAFT_BYTES: u64 = 1024 * 1024;

/// The version of the draft file's layout.
const DRAFT_FORMAT: u32 = 1;

/// An unsaved form: what kind, which record it edits (if any), and what was typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub format: u32,
    /// The unit of the ledger the form belongs to.
    pub unit: String,
    pub kind: RecordKind,
    /// The record being edited and the revision the edit started from; `None` for a new one.
    pub record_id: Option<Uuid>,
    pub base_revision: Option<i64>,
    /// Field values exactly as typed (not normalised).
    pub values: FieldValues,
    /// The field that had the focus.
    pub focus: Option<String>,
    pub saved_at: Timestamp,
}

impl Draft {
    pub fn new(
        unit: &str,
        kind: RecordKind,
        record: Option<(Uuid, i64)>,
        values: FieldValues,
        focus: Option<String>,
    ) -> Draft {
        Draft {
            format: DRAFT_FORMAT,
            unit: unit.to_owned(),
            kind,
            record_id: record.map(|(id, _)| id),
            base_revision: record.map(|(_, rev)| rev),
            values,
            focus,
            saved_at: Timestamp::now(),
        }
    }
}

/// A draft that could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file exists but does not hold a draft this version can read.
    #[error("{path}: not a readable draft ({reason})")]
    Unreadable { path: PathBuf, reason: String },
}

/// Where one account's draft for one ledger lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftStore {
    path: PathBuf,
}

impl DraftStore {
    /// The draft of `account` for the ledger at `ledger_path`: a file beside it named
    /// `<ledger file>.draft-<account>.json`.
    pub fn beside(ledger_path: &Path, account: &str) -> DraftStore {
        let mut name = ledger_path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "ledger".into());
        name.push(format!(".draft-{}.json", file_safe(account)));
        DraftStore {
            path: ledger_path.with_file_name(name),
        }
    }

    /// The draft file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the draft atomically: a reader sees the old draft or the new one, never a mix.
    pub fn save(&self, draft: &Draft) -> Result<(), DraftError> {
        let io = |source| DraftError::Io {
            path: self.path.clone(),
            source,
        };
        let bytes = serde_json::to_vec_pretty(draft).map_err(|e| DraftError::Unreadable {
            path: self.path.clone(),
            reason: e.to_string(),
        })?;
        let mut tmp_name = self.path.as_os_str().to_owned();
        tmp_name.push(format!(".tmp{}", std::process::id()));
        let tmp = PathBuf::from(tmp_name);
        let written = write_synced(&tmp, &bytes).and_then(|()| std::fs::rename(&tmp, &self.path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e));
        }
        sync_dir(&self.path).map_err(io)
    }

    /// The draft, if there is one.
    pub fn load(&self) -> Result<Option<Draft>, DraftError> {
        let unreadable = |reason: String| DraftError::Unreadable {
            path: self.path.clone(),
            reason,
        };
        let meta = match std::fs::metadata(&self.path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(DraftError::Io {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        if meta.len() > MAX_DRAFT_BYTES {
            return Err(unreadable(format!("{} bytes", meta.len())));
        }
        let bytes = std::fs::read(&self.path).map_err(|source| DraftError::Io {
            path: self.path.clone(),
            source,
        })?;
        let draft: Draft = serde_json::from_slice(&bytes).map_err(|e| unreadable(e.to_string()))?;
        if draft.format != DRAFT_FORMAT {
            return Err(unreadable(format!("format {}", draft.format)));
        }
        Ok(Some(draft))
    }

    /// Removes the draft (after the form was saved or deliberately thrown away).
    pub fn discard(&self) -> Result<(), DraftError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => sync_dir(&self.path).map_err(|source| DraftError::Io {
                path: self.path.clone(),
                source,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(DraftError::Io {
                path: self.path.clone(),
                source,
            }),
        }
    }
}

/// An account name as a file-name part: ASCII letters, digits, `-`, `_` and `.` kept, every
/// other byte written as `%XX`.
fn file_safe(account: &str) -> String {
    let mut out = String::with_capacity(account.len());
    for b in account.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Creates `path` readable by its owner only, writes `bytes` and syncs them to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Syncs the directory holding `path`, so that a rename or removal survives a power cut.
fn sync_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Draft {
        let mut values = FieldValues::new();
        values.insert("name".into(), "双鸭山鑫达石墨新材料科技有限公司".into());
        values.insert("credit_code".into(), "91230521ma1b".into());
        Draft::new(
            "230521",
            RecordKind::HighTech,
            None,
            values,
            Some("credit_code".into()),
        )
    }

    #[test]
    fn a_saved_draft_comes_back_and_discard_removes_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::beside(&dir.path().join("ledger.sqlite"), "clerk");
        assert_eq!(store.load().unwrap(), None);
        let draft = sample();
        store.save(&draft).unwrap();
        assert_eq!(store.load().unwrap(), Some(draft.clone()));
        // A second save replaces the first and leaves no temporary file behind.
        let mut second = draft;
        second.values.insert("notes".into(), "第二次".into());
        store.save(&second).unwrap();
        assert_eq!(store.load().unwrap(), Some(second));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["ledger.sqlite.draft-clerk.json".to_string()]);
        store.discard().unwrap();
        assert_eq!(store.load().unwrap(), None);
        store.discard().unwrap();
    }

    #[test]
    fn each_account_has_its_own_draft() {
        let ledger = Path::new("/data/ledger.sqlite");
        let a = DraftStore::beside(ledger, "wang");
        let b = DraftStore::beside(ledger, "li/../x");
        assert_ne!(a.path(), b.path());
        assert_eq!(b.path().parent(), Some(Path::new("/data")));
        assert!(
            b.path()
                .to_string_lossy()
                .ends_with("draft-li%2F..%2Fx.json")
        );
    }

    #[test]
    fn a_damaged_draft_is_reported_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::beside(&dir.path().join("l.sqlite"), "clerk");
        std::fs::write(store.path(), b"{\"format\":1,\"kind\":").unwrap();
        assert!(matches!(store.load(), Err(DraftError::Unreadable { .. })));
    }

    #[cfg(unix)]
    #[test]
    fn only_the_owner_can_read_a_draft() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::beside(&dir.path().join("l.sqlite"), "clerk");
        store.save(&sample()).unwrap();
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0);
    }
}
