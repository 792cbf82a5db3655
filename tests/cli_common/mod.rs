//! Running the real `taizhang` program on a ledger file, as the command-line tests do.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The program on the ledger `db` with `args`, messages in its default language, whatever
/// the environment of the test run says.
pub fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TAIZHANG_LANG")
        .env_remove("TAIZHANG_DB")
        .output()
        .expect("run taizhang")
}

/// What the program printed, having checked that it succeeded.
pub fn ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A unit's ledger made with `init` in a folder of its own, removed with it.
pub struct UnitLedger {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

impl UnitLedger {
    pub fn new(unit: &str) -> UnitLedger {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("ledger.sqlite");
        ok(&db, &["init", "--unit", unit]);
        UnitLedger { _dir: dir, db }
    }

    /// `add KIND --set FIELD=VALUE ...`, which must succeed; the new record's id.
    pub fn add(&self, kind: &str, sets: &[impl AsRef<str>]) -> String {
        let mut args = vec!["add", kind];
        for s in sets {
            args.push("--set");
            args.push(s.as_ref());
        }
        ok(&self.db, &args).trim().to_owned()
    }

    pub fn db(&self) -> &Path {
        &self.db
    }
}
