//! Running the real `taizhang` program on a ledger file, as the command-line tests do.
#![allow(dead_code)]

use std::path::Path;
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
