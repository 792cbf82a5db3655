//! The ledger file kept safe: backups taken while clerks work, `check`, restoring a backup
//! without a stale `-wal` poisoning it, read-only ledgers, and the messages for a damaged,
//! cut-off or foreign file.

mod cli_common;
use cli_common::*;

mod bundle_common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bundle_common::{CLERK, PLAN, valid};
use jiff::Timestamp;
use rusqlite::Connection;
use taizhang::domain::RecordKind;
use taizhang::store::{self, CheckDepth, Ledger, LedgerProblem, StoreError};

const UNIT: &str = "230521";

fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Records of every kind numbered `first..first + count`, saved in one transaction.
fn add(ledger: &mut Ledger, first: u32, count: u32) {
    let recs: Vec<_> = (first..first + count)
        .map(|n| valid(RecordKind::ALL[n as usize % RecordKind::ALL.len()], n))
        .collect();
    ledger.insert_many(&recs, CLERK).unwrap();
}

/// A unit ledger file with a signing key and `count` records, closed (no log beside it).
fn ledger_file(dir: &Path, count: u32) -> PathBuf {
    let path = dir.join("ledger.sqlite");
    let mut ledger = Ledger::create(&path, UNIT, PLAN).unwrap();
    ledger.set_signing_key(&bundle_common::seed(7)).unwrap();
    add(&mut ledger, 0, count);
    drop(ledger);
    assert!(!companion(&path, "-wal").exists());
    path
}

fn records_in(path: &Path) -> u64 {
    let conn =
        Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    conn.query_row("SELECT COUNT(*) FROM records", [], |r| r.get::<_, i64>(0))
        .unwrap() as u64
}

#[test]
fn backup_is_one_verified_file_named_for_the_unit_with_the_signing_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_file(dir.path(), 40);
    let out_dir = dir.path().join("usb");
    let printed = ok(&db, &["backup", "--out", out_dir.to_str().unwrap()]);
    let names = files_in(&out_dir);
    assert_eq!(names.len(), 1, "{names:?}");
    let name = &names[0];
    assert!(
        name.starts_with("taizhang-230521-") && name.ends_with(".sqlite"),
        "{name}"
    );
    assert!(
        printed.contains("已写入并核验备份") && printed.contains("40 条记录"),
        "{printed}"
    );
    assert!(
        printed.contains(name.as_str()) && printed.contains("KiB"),
        "{printed}"
    );
    // One self-contained file: a rollback-journal database that needs no -wal.
    let backup = out_dir.join(name);
    let header = std::fs::read(&backup).unwrap();
    assert_eq!(&header[18..20], &[1, 1], "write/read version: not WAL");
    assert_eq!(records_in(&backup), 40);
    assert_eq!(
        files_in(&out_dir).len(),
        1,
        "reading it made no -wal or -shm"
    );
    // The key is in it: the backup prints the same public key as the ledger.
    assert_eq!(ok(&backup, &["key"]), ok(&db, &["key"]));
    // English on request.
    let en = ok(
        &db,
        &["--lang", "en", "backup", "--out", out_dir.to_str().unwrap()],
    );
    assert!(
        en.contains("Backup written and verified") && en.contains("40 records"),
        "{en}"
    );
    assert_eq!(
        files_in(&out_dir).len(),
        2,
        "a second backup never replaces the first"
    );
}

#[test]
fn backup_while_a_clerk_keeps_adding_is_one_consistent_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_file(dir.path(), 200);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut ledger = Ledger::open(&db).unwrap();
            let mut n = 1000;
            while !stop.load(Ordering::Relaxed) && n < 9000 {
                add(&mut ledger, n, 5);
                n += 5;
            }
            n - 1000
        })
    };
    let source = Ledger::open(&db).unwrap();
    let out_dir = dir.path().join("backups");
    let mut seen = Vec::new();
    for _ in 0..4 {
        let before = source.record_count().unwrap();
        let done = source.backup_to(&out_dir, Timestamp::now()).unwrap();
        let after = source.record_count().unwrap();
        assert!(before <= done.records && done.records <= after);
        assert_eq!(records_in(&done.path), done.records);
        let report = store::check_ledger(&done.path, CheckDepth::Full).unwrap();
        assert!(report.is_clean(), "{:?}", report.problems);
        assert_eq!(report.records, done.records);
        seen.push(done.records);
    }
    stop.store(true, Ordering::Relaxed);
    let added = writer.join().unwrap();
    assert!(added > 0, "the clerk kept working during the backups");
    assert_eq!(files_in(&out_dir).len(), 4, "{:?}", files_in(&out_dir));
    assert!(
        files_in(&out_dir).iter().all(|n| !n.ends_with(".tmp")),
        "no temp file left"
    );
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
}

/// A ledger file as it stood, plus the `-wal` it had at a later moment: what is left when
/// the program is killed (or a screen is still open) and a backup is then copied over the
/// ledger by hand. Returns (ledger path, hand copy of the backup, the stale log).
fn stale_log_beside_a_hand_copied_backup(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let db = ledger_file(dir, 300);
    let backup = dir.join("backup-by-hand.sqlite");
    std::fs::copy(&db, &backup).unwrap();
    let stale = dir.join("stale-wal");
    {
        let mut ledger = Ledger::open(&db).unwrap();
        add(&mut ledger, 1000, 2000);
        // Another connection copies the log into the file; the next changes start a new log.
        let other = Connection::open(&db).unwrap();
        other
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        drop(other);
        add(&mut ledger, 5000, 50);
        let page = ledger
            .list(&store::ListQuery {
                limit: 5,
                ..Default::default()
            })
            .unwrap();
        for r in &page.records {
            ledger.void(r.id, "重复录入", None, CLERK).unwrap();
        }
        assert!(std::fs::metadata(companion(&db, "-wal")).unwrap().len() > 32);
        std::fs::copy(companion(&db, "-wal"), &stale).unwrap();
    }
    // The clerk copies the backup over the ledger; the log of the earlier run is still there.
    std::fs::copy(&backup, &db).unwrap();
    std::fs::copy(&stale, companion(&db, "-wal")).unwrap();
    let _ = std::fs::remove_file(companion(&db, "-shm"));
    (db, backup, stale)
}

#[test]
fn a_stale_wal_beside_a_hand_copied_backup_is_caught_and_restore_avoids_it() {
    let dir = tempfile::tempdir().unwrap();
    let (db, backup, stale) = stale_log_beside_a_hand_copied_backup(dir.path());

    // What SQLite itself does: it reads the log into the copied file, which is now damaged,
    // and still accepts a write (this is how `add` used to exit 0 on it).
    let probe = dir.path().join("probe");
    std::fs::create_dir(&probe).unwrap();
    let raw = probe.join("ledger.sqlite");
    std::fs::copy(&db, &raw).unwrap();
    std::fs::copy(&stale, companion(&raw, "-wal")).unwrap();
    {
        let conn = Connection::open(&raw).unwrap();
        let check: Vec<String> = conn
            .prepare("PRAGMA quick_check")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_ne!(
            check,
            vec!["ok".to_string()],
            "the stale log damaged the copy"
        );
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('written', 'despite the damage')",
            [],
        )
        .unwrap();
    }

    // Now: opening the ledger checks a log nobody else holds before taking it in.
    let before = (
        std::fs::read(&db).unwrap(),
        std::fs::read(companion(&db, "-wal")).unwrap(),
    );
    let code = format!("credit_code={}", bundle_common::credit_code(99_999));
    let add_args = [
        "add",
        "tech_sme",
        "--set",
        "name=双鸭山市新星科技有限公司",
        "--set",
        &code,
        "--set",
        "reg_no=2023230521A0000001",
        "--set",
        "registered_on=2023-04-01",
    ];
    let out = run(&db, &add_args);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let message = stderr(&out);
    assert!(
        message.contains("已损坏") && message.contains("restore-backup"),
        "{message}"
    );
    assert!(message.contains("-wal"), "{message}");
    let after = (
        std::fs::read(&db).unwrap(),
        std::fs::read(companion(&db, "-wal")).unwrap(),
    );
    assert!(before == after, "the refused open changed nothing");
    let listed = run(&db, &["list"]);
    assert_eq!(listed.status.code(), Some(1), "reading is refused too");

    // `check` reads the damage and names it.
    let checked = run(&db, &["check"]);
    assert_eq!(checked.status.code(), Some(1));
    let report = stdout(&checked);
    assert!(
        report.contains("文件结构损坏") && report.contains("检查发现"),
        "{report}"
    );
    assert!(
        stderr(&checked).contains("台账检查未通过"),
        "{}",
        stderr(&checked)
    );
    let quick = run(&db, &["check", "--quick"]);
    assert_eq!(quick.status.code(), Some(1), "{}", stdout(&quick));

    // `restore-backup` puts the backup in with no log beside it, keeping the damaged pair.
    let restored = ok(&db, &["restore-backup", backup.to_str().unwrap()]);
    assert!(
        restored.contains("300 条记录") && restored.contains("改名保留"),
        "{restored}"
    );
    let kept: Vec<String> = files_in(dir.path())
        .into_iter()
        .filter(|n| n.starts_with("ledger.sqlite.replaced-"))
        .collect();
    let aside = dir
        .path()
        .join(kept.iter().find(|n| n.ends_with(".sqlite")).unwrap());
    assert!(
        kept.iter().any(|n| n.ends_with(".sqlite-wal")),
        "file and log together: {kept:?}"
    );
    assert_eq!(std::fs::read(&aside).unwrap(), before.0);
    assert_eq!(std::fs::read(companion(&aside, "-wal")).unwrap(), before.1);
    assert!(ok(&db, &["check"]).contains("检查通过"));
    assert_eq!(records_in(&db), 300);
    ok(&db, &add_args);
    assert!(ok(&db, &["check"]).contains("301 条记录"));
}

#[test]
fn a_log_sqlite_cannot_verify_is_ignored_and_a_crash_log_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (db, backup, stale) = stale_log_beside_a_hand_copied_backup(dir.path());
    // A log whose header checksum does not match is skipped whole by SQLite: the file reads
    // as the backup it is.
    let mut garbled = std::fs::read(&stale).unwrap();
    garbled[24] ^= 0xFF;
    std::fs::write(companion(&db, "-wal"), &garbled).unwrap();
    assert!(ok(&db, &["check"]).contains("300 条记录"));
    assert_eq!(Ledger::open(&db).unwrap().record_count().unwrap(), 300);

    // A log left by a crash belongs to its file: checked, then taken in, nothing lost.
    let crash = dir.path().join("crash");
    std::fs::create_dir(&crash).unwrap();
    let live = crash.join("ledger.sqlite");
    std::fs::copy(&backup, &live).unwrap();
    let mut ledger = Ledger::open(&live).unwrap();
    add(&mut ledger, 7000, 20);
    let image = dir.path().join("image");
    std::fs::create_dir(&image).unwrap();
    let copy = image.join("ledger.sqlite");
    std::fs::copy(&live, &copy).unwrap();
    std::fs::copy(companion(&live, "-wal"), companion(&copy, "-wal")).unwrap();
    // While the clerk still has the ledger open, the log is theirs: others read as usual.
    let started = std::time::Instant::now();
    assert!(ok(&live, &["list", "--limit", "1"]).lines().count() >= 1);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "no waiting for the lock: {:?}",
        started.elapsed()
    );
    drop(ledger);
    assert_eq!(Ledger::open(&copy).unwrap().record_count().unwrap(), 320);
}

#[test]
fn restore_is_refused_while_the_ledger_is_open_and_for_another_units_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_file(dir.path(), 10);
    let usb = dir.path().join("usb");
    ok(&db, &["backup", "--out", usb.to_str().unwrap()]);
    let backup = usb.join(&files_in(&usb)[0]);

    let clerk = Ledger::open(&db).unwrap();
    let out = run(&db, &["restore-backup", backup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("正在使用中"), "{}", stderr(&out));
    assert_eq!(
        files_in(dir.path()),
        vec![
            "ledger.sqlite",
            "ledger.sqlite-shm",
            "ledger.sqlite-wal",
            "usb"
        ]
    );
    drop(clerk);

    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    let other_db = other.join("ledger.sqlite");
    Ledger::create(&other_db, "230502", PLAN).unwrap();
    let out = run(&other_db, &["restore-backup", backup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("单位 230521 的备份"),
        "{}",
        stderr(&out)
    );
    assert_eq!(files_in(&other), vec!["ledger.sqlite"]);

    // Where no ledger is yet (a new machine), the backup simply becomes the ledger.
    let fresh = dir.path().join("fresh").join("ledger.sqlite");
    let printed = ok(&fresh, &["restore-backup", backup.to_str().unwrap()]);
    assert!(!printed.contains("改名保留"), "{printed}");
    assert_eq!(ok(&fresh, &["key"]), ok(&db, &["key"]));
}

#[test]
fn check_passes_a_sound_ledger_and_names_each_broken_invariant() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_file(dir.path(), 30);
    let printed = ok(&db, &["check"]);
    assert!(
        printed.contains("检查通过") && printed.contains("30 条记录"),
        "{printed}"
    );

    let conn = Connection::open(&db).unwrap();
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM records ORDER BY rowid LIMIT 5")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // The first two records are edited (revision 2, one change in their history each); the
    // first then loses its history, the second's revision runs past it.
    {
        let mut ledger = Ledger::open(&db).unwrap();
        for (n, id) in ids.iter().take(2).enumerate() {
            let kind = RecordKind::ALL[n % RecordKind::ALL.len()];
            let mut edited = valid(kind, n as u32);
            edited.fields.insert("notes".into(), "复核".into());
            let id = id.parse().unwrap();
            assert_eq!(
                ledger.update(id, Some(1), &edited, CLERK).unwrap().revision,
                2
            );
        }
    }
    conn.execute("DELETE FROM record_changes WHERE record_id = ?1", [&ids[0]])
        .unwrap();
    conn.execute("UPDATE records SET revision = 4 WHERE id = ?1", [&ids[1]])
        .unwrap();
    conn.execute(
        "UPDATE records SET count_key = 'x' WHERE id = ?1",
        [&ids[2]],
    )
    .unwrap();
    conn.execute(
        "UPDATE records SET void_reason = 'x' WHERE id = ?1",
        [&ids[3]],
    )
    .unwrap();
    conn.execute("UPDATE records SET name = 'x' WHERE id = ?1", [&ids[4]])
        .unwrap();
    conn.execute(
        "INSERT INTO exports VALUES (1, 'b.tzb', 'zz', 999, '2023-01-01T00:00:00Z')",
        [],
    )
    .unwrap();
    drop(conn);

    let report = store::check_ledger(&db, CheckDepth::Full).unwrap();
    let expected = vec![
        LedgerProblem::IndexMismatch {
            id: ids[2].clone(),
            column: "count_key",
        },
        LedgerProblem::VoidReasonMismatch { id: ids[3].clone() },
        LedgerProblem::IndexMismatch {
            id: ids[4].clone(),
            column: "name",
        },
        LedgerProblem::NoAudit { id: ids[0].clone() },
        LedgerProblem::RevisionMismatch {
            id: ids[1].clone(),
            revision: 4,
            audited: 2,
        },
        LedgerProblem::ExportLog { sequence: 1 },
        // The changes made behind the program's back were never settled into the counts.
        LedgerProblem::KeptCounts {
            part: "count_changes",
        },
    ];
    for problem in &expected {
        assert!(
            report.problems.contains(problem),
            "{problem:?} in {:?}",
            report.problems
        );
    }
    assert_eq!(
        report.problems.len(),
        expected.len(),
        "{:?}",
        report.problems
    );

    let out = run(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for needle in [
        "没有任何修改记录",
        "为版本 4，而修改记录的最后版本是 2",
        "count_key",
        "作废状态与作废原因不一致",
        "导出记录第 1 号",
        "检查发现 7 处问题",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    let en = stdout(&run(&db, &["--lang", "en", "check"]));
    assert!(
        en.contains("has no history at all") && en.contains("found 7 problems"),
        "{en}"
    );
}

#[test]
fn check_reads_a_city_ledger_and_its_import_log() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    ok(
        &dir.path().join("unused.sqlite"),
        &["demo", "--city", demo.to_str().unwrap(), "--records", "20"],
    );
    let city = demo.join("city.sqlite");
    assert!(ok(&city, &["check"]).contains("检查通过"));

    // The city views read a read-only copy (a stick handed to the mayor's office).
    let stick = dir.path().join("stick");
    std::fs::create_dir(&stick).unwrap();
    let copy = stick.join("city.sqlite");
    std::fs::copy(&city, &copy).unwrap();
    if let Some(_guard) = Unwritable::make(&[copy.as_path(), stick.as_path()]) {
        let writable_views = ["progress", "--by-unit"];
        assert_eq!(ok(&copy, &writable_views), ok(&city, &writable_views));
        assert_eq!(ok(&copy, &["imports"]), ok(&city, &["imports"]));
        ok(&copy, &["claims"]);
        let out = run(&copy, &["figure", "set", "gdp_yuan", "2022", "1"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("台账为只读"), "{}", stderr(&out));
        assert_eq!(files_in(&stick), vec!["city.sqlite"]);
    }
    let conn = Connection::open(&city).unwrap();
    let unit: String = conn
        .query_row(
            "SELECT unit FROM unit_keys ORDER BY unit LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute("DELETE FROM unit_keys WHERE unit = ?1", [&unit])
        .unwrap();
    conn.execute("UPDATE imports SET new = new + 1 WHERE unit = ?1", [&unit])
        .unwrap();
    drop(conn);
    let report = store::check_ledger(&city, CheckDepth::Quick).unwrap();
    assert!(
        report
            .problems
            .contains(&LedgerProblem::UnitWithoutKey { unit: unit.clone() })
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| matches!(p, LedgerProblem::ImportCounts { unit: u, .. } if *u == unit)),
        "{:?}",
        report.problems
    );
}

#[test]
fn a_cut_off_ledger_and_a_file_that_is_no_ledger_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger_file(dir.path(), 50);
    let bytes = std::fs::read(&db).unwrap();
    let cut = dir.path().join("cut.sqlite");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    for args in [&["list"][..], &["check"], &["show", "abcdef"]] {
        let out = run(&cut, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&out).contains("不完整"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    assert!(matches!(
        Ledger::open(&cut),
        Err(StoreError::Truncated { .. })
    ));
    let head = dir.path().join("head.sqlite");
    std::fs::write(&head, &bytes[..60]).unwrap();
    assert!(matches!(
        Ledger::open(&head),
        Err(StoreError::Truncated { .. })
    ));
    assert!(matches!(
        store::check_ledger(&head, CheckDepth::Full),
        Err(StoreError::Truncated { .. })
    ));

    let text = dir.path().join("notes.sqlite");
    std::fs::write(&text, "这不是台账，是一份会议记录。\n".repeat(100)).unwrap();
    let out = run(&text, &["list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("不是 taizhang 台账文件"),
        "{}",
        stderr(&out)
    );
    let en = run(&cut, &["--lang", "en", "list"]);
    assert!(stderr(&en).contains("is incomplete"), "{}", stderr(&en));
    assert_eq!(
        std::fs::read(&cut).unwrap(),
        bytes[..bytes.len() / 2],
        "left as it was"
    );

    // A cut-off file is no backup to restore from; a whole backup repairs the cut-off ledger.
    let out = run(&db, &["restore-backup", cut.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("不完整"), "{}", stderr(&out));
    let printed = ok(&cut, &["restore-backup", db.to_str().unwrap()]);
    assert!(
        printed.contains("50 条记录") && printed.contains("改名保留"),
        "{printed}"
    );
    assert!(ok(&cut, &["check"]).contains("检查通过"));
}

/// Makes `path` unwritable for this process: permission bits, or (as root, whom they do not
/// stop) the immutable attribute. `None` when neither works here.
struct Unwritable(Vec<PathBuf>);

impl Unwritable {
    fn make(paths: &[&Path]) -> Option<Unwritable> {
        use std::os::unix::fs::PermissionsExt;
        let mut guard = Unwritable(Vec::new());
        for path in paths {
            let mode = if path.is_dir() { 0o555 } else { 0o444 };
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
            guard.0.push(path.to_path_buf());
        }
        if paths.iter().all(|p| !writable(p)) {
            return Some(guard);
        }
        for path in paths {
            let _ = Command::new("chattr").arg("+i").arg(path).output();
        }
        paths.iter().all(|p| !writable(p)).then_some(guard)
    }
}

fn writable(path: &Path) -> bool {
    if path.is_dir() {
        let probe = path.join(".probe");
        let made = std::fs::write(&probe, b"x").is_ok();
        let _ = std::fs::remove_file(&probe);
        made
    } else {
        std::fs::OpenOptions::new().append(true).open(path).is_ok()
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        for path in &self.0 {
            let _ = Command::new("chattr").arg("-i").arg(path).output();
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
        }
    }
}

#[test]
fn a_read_only_ledger_is_read_but_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("stick");
    std::fs::create_dir(&folder).unwrap();
    let db = ledger_file(&folder, 25);
    let id = ok(&db, &["list", "--format", "json", "--limit", "1"]);
    let listed: serde_json::Value = serde_json::from_str(&id).unwrap();
    let id = listed[0]["id"].as_str().unwrap().to_string();
    let before = std::fs::read(&db).unwrap();

    for (case, paths) in [
        ("file and folder", vec![db.as_path(), folder.as_path()]),
        ("folder only", vec![folder.as_path()]),
    ] {
        // Permission bits do not stop root; the immutable attribute does. A machine where
        // neither works cannot run this test, and says so rather than passing unchecked.
        let Some(guard) = Unwritable::make(&paths) else {
            panic!("{case}: cannot make files unwritable here (chattr +i refused as root)");
        };
        assert!(ok(&db, &["list"]).contains("第0"), "{case}");
        assert!(!ok(&db, &["progress"]).is_empty(), "{case}");
        assert!(ok(&db, &["show", &id]).contains(&id), "{case}");
        assert!(ok(&db, &["check"]).contains("25 条记录"), "{case}");
        assert!(Ledger::open(&db).unwrap().is_read_only().unwrap(), "{case}");
        let copies = dir.path().join(format!("copies of {case}"));
        assert!(ok(&db, &["backup", "--out", copies.to_str().unwrap()]).contains("25 条记录"));
        let out = run(&db, &["void", &id, "--reason", "重复录入"]);
        assert_eq!(out.status.code(), Some(1), "{case}");
        assert!(
            stderr(&out).contains("台账为只读"),
            "{case}: {}",
            stderr(&out)
        );
        // An export would log its number: refused before anything reaches the stick.
        let usb = dir.path().join(format!("usb of {case}"));
        std::fs::create_dir(&usb).unwrap();
        let out = run(&db, &["export", "--out", usb.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{case}");
        assert!(
            stderr(&out).contains("台账为只读"),
            "{case}: {}",
            stderr(&out)
        );
        assert!(files_in(&usb).is_empty(), "{case}: {:?}", files_in(&usb));
        drop(guard);
        assert_eq!(
            files_in(&folder),
            vec!["ledger.sqlite"],
            "{case}: nothing made beside it"
        );
        assert_eq!(std::fs::read(&db).unwrap(), before, "{case}");
    }

    // A read-only ledger that needs an upgrade says so instead of failing in SQL.
    let conn = Connection::open(&db).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    conn.pragma_update(None, "user_version", version - 1)
        .unwrap();
    drop(conn);
    let Some(_guard) = Unwritable::make(&[db.as_path(), folder.as_path()]) else {
        panic!("cannot make files unwritable here (chattr +i refused as root)");
    };
    let out = run(&db, &["list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("需要升级"), "{}", stderr(&out));
}
