//! The city's log of refused bundles, as its worklist reads it: each file an import refuses
//! is noted with why, what it claimed to be and its hash; a later good bundle of the same
//! unit settles the unit's refusals; the worklist lists the month's unsettled ones, each
//! once; and a ledger made before the log takes it on when opened.

mod bundle_common;

use std::path::{Path, PathBuf};

use bundle_common::*;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use taizhang::bundle::refusal::{claims_of, reason_of};
use taizhang::bundle::{self, BundleError, FileOutcome, ImportOutcome, keys};
use taizhang::domain::refusal::{RecordFault, RefusalReason};
use taizhang::i18n::Lang;
use taizhang::outlook::refused_bundles;
use taizhang::store::{
    BundleRefusal, CheckDepth, ImportRefusal, Ledger, LedgerRole, LoggedRefusal, StoreError,
    check_ledger,
};

const JIXIAN: &str = "230521";
const YOUYI: &str = "230522";

fn export_to(unit: &mut Ledger, dir: &Path, at: &str) -> PathBuf {
    bundle::export(unit, dir, ts(at)).unwrap().path
}

/// Imports `paths` at `at` and notes the refusals, as `taizhang import` does.
fn import_and_note(city: &mut Ledger, paths: &[PathBuf], at: &str) -> Vec<FileOutcome> {
    let outcomes = bundle::import_paths(city, paths, ts(at)).unwrap();
    bundle::log_refusals(city, &outcomes, ts(at)).unwrap();
    outcomes
}

fn sha256_of(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

fn copy_as(from: &Path, name: &str, change: impl FnOnce(&mut Vec<u8>)) -> PathBuf {
    let mut bytes = std::fs::read(from).unwrap();
    change(&mut bytes);
    let to = from.with_file_name(name);
    std::fs::write(&to, bytes).unwrap();
    to
}

/// A noted refusal as these tests compare it: file name, unit, sequence, reason, superseded.
type Noted = (String, Option<String>, Option<u64>, RefusalReason, bool);

/// The log, by file name.
fn noted(city: &Ledger) -> Vec<Noted> {
    let mut rows: Vec<_> = city
        .refusals(None, 0)
        .unwrap()
        .into_iter()
        .map(|l| {
            let r = &l.refusal;
            (
                r.file_name.clone(),
                r.unit.clone(),
                r.sequence,
                RefusalReason::from_parts(&r.code, &r.detail),
                l.superseded_at.is_some(),
            )
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}

#[test]
fn each_refused_file_is_noted_with_what_it_claims_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let stick = dir.path();
    let mut city = city_ledger(&[(JIXIAN, 1)]);
    let mut jixian = unit_ledger(JIXIAN, 1);
    add_records(&mut jixian, 1, 3);
    let first = export_to(&mut jixian, stick, "2023-06-01T02:00:00Z");
    add_records(&mut jixian, 4, 1);
    let second = export_to(&mut jixian, stick, "2023-06-02T02:00:00Z");
    let mut youyi = unit_ledger(YOUYI, 2);
    add_records(&mut youyi, 10, 1);
    let stranger = export_to(&mut youyi, stick, "2023-06-02T02:00:00Z");

    import_and_note(
        &mut city,
        std::slice::from_ref(&second),
        "2023-06-03T00:00:00Z",
    );
    assert!(
        city.refusals(None, 0).unwrap().is_empty(),
        "nothing refused yet"
    );

    let len = std::fs::read(&second).unwrap().len();
    let tampered = copy_as(&second, "tampered.tzb", |b| b[len - 70] ^= 0x20);
    let cut = copy_as(&second, "cut.tzb", |b| b.truncate(len - 10));
    let torn = copy_as(&second, "torn.tzb", |b| b[60] ^= 0x20);
    let notes = copy_as(&second, "notes.tzb", |b| *b = b"meeting notes".to_vec());
    let files = vec![
        first.clone(),
        second.clone(),
        tampered.clone(),
        cut.clone(),
        torn.clone(),
        notes.clone(),
        stranger.clone(),
    ];
    let outcomes = import_and_note(&mut city, &files, "2023-06-05T00:00:00Z");
    let held = outcomes
        .iter()
        .filter(|o| matches!(o.result, Ok(ImportOutcome::AlreadyHeld { .. })))
        .count();
    assert_eq!(held, 1, "the bundle held already is no refusal");

    let name = |p: &Path| p.file_name().unwrap().to_string_lossy().into_owned();
    let claimed = Some(JIXIAN.to_owned());
    let fingerprint = keys::fingerprint(&keys::public_key(&seed(2)));
    assert_eq!(
        noted(&city),
        vec![
            (
                "cut.tzb".into(),
                claimed.clone(),
                Some(2),
                RefusalReason::Truncated {
                    actual: len as u64 - 10,
                    expected: len as u64
                },
                false
            ),
            (
                "notes.tzb".into(),
                None,
                None,
                RefusalReason::NotABundle,
                false
            ),
            (
                name(&first),
                claimed.clone(),
                Some(1),
                RefusalReason::OlderThanHeld {
                    sequence: 1,
                    held: 2
                },
                false
            ),
            (
                name(&stranger),
                Some(YOUYI.into()),
                Some(1),
                RefusalReason::UnknownKey { fingerprint },
                false
            ),
            (
                "tampered.tzb".into(),
                claimed.clone(),
                Some(2),
                RefusalReason::Damaged,
                false
            ),
            ("torn.tzb".into(), None, None, RefusalReason::Damaged, false),
        ]
    );
    for l in city.refusals(None, 0).unwrap() {
        assert_eq!(l.refusal.at, ts("2023-06-05T00:00:00Z"));
        let path = stick.join(&l.refusal.file_name);
        assert_eq!(l.refusal.file_sha256, Some(sha256_of(&path)), "{path:?}");
    }

    // The unit's next good bundle settles its refusals; the others still need attention.
    let later = stick.join("later");
    std::fs::create_dir(&later).unwrap();
    let third = export_to(&mut jixian, &later, "2023-06-08T02:00:00Z");
    import_and_note(&mut city, &[third], "2023-06-09T00:00:00Z");
    let settled: Vec<(String, bool)> = noted(&city)
        .into_iter()
        .map(|(file, _, _, _, superseded)| (file, superseded))
        .collect();
    assert_eq!(
        settled,
        vec![
            ("cut.tzb".into(), true),
            ("notes.tzb".into(), false),
            (name(&first), true),
            (name(&stranger), false),
            ("tampered.tzb".into(), true),
            ("torn.tzb".into(), false),
        ]
    );
    let superseded = city.refusals(None, 0).unwrap();
    assert!(
        superseded
            .iter()
            .filter(|l| !l.is_pending())
            .all(|l| l.superseded_at == Some(ts("2023-06-09T00:00:00Z")))
    );
}

#[cfg(unix)]
#[test]
fn a_pipe_is_noted_without_being_opened() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("stick.tzb");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    assert_eq!(claims_of(&fifo), Default::default());
    let mut city = city_ledger(&[(JIXIAN, 1)]);
    import_and_note(
        &mut city,
        std::slice::from_ref(&fifo),
        "2023-06-05T00:00:00Z",
    );
    assert_eq!(
        noted(&city),
        vec![(
            "stick.tzb".into(),
            None,
            None,
            RefusalReason::NotAFile,
            false
        )]
    );
    assert_eq!(city.refusals(None, 0).unwrap()[0].refusal.file_sha256, None);
}

fn refusal(at: &str, file: &str, unit: Option<&str>, reason: &RefusalReason) -> BundleRefusal {
    let (code, detail) = reason.to_parts();
    BundleRefusal {
        at: ts(at),
        file_name: file.into(),
        file_sha256: Some(hex::encode(Sha256::digest(file))),
        unit: unit.map(str::to_owned),
        sequence: unit.map(|_| 7),
        code,
        detail,
    }
}

fn files(logged: &[LoggedRefusal]) -> Vec<&str> {
    logged
        .iter()
        .map(|l| l.refusal.file_name.as_str())
        .collect()
}

#[test]
fn the_log_lists_newest_first_from_a_time_and_up_to_a_limit() {
    let mut city = city_ledger(&[]);
    let kept = BundleRefusal {
        at: ts("2023-06-01T00:00:00Z"),
        file_name: "taizhang-230521-000003-20230601.tzb".into(),
        file_sha256: Some("ab".repeat(32)),
        unit: Some(JIXIAN.into()),
        sequence: Some(3),
        code: "older_than_held".into(),
        detail: r#"{"held":5,"sequence":3}"#.into(),
    };
    city.log_refusal(&kept).unwrap();
    let bare = BundleRefusal {
        at: ts("2023-06-02T00:00:00.5Z"),
        file_name: "x.tzb".into(),
        file_sha256: None,
        unit: None,
        sequence: None,
        code: "not_a_file".into(),
        detail: "{}".into(),
    };
    city.log_refusal(&bare).unwrap();
    city.log_refusal(&refusal(
        "2023-06-03T00:00:00Z",
        "c.tzb",
        None,
        &RefusalReason::Damaged,
    ))
    .unwrap();

    let all = city.refusals(None, 0).unwrap();
    assert_eq!(files(&all), ["c.tzb", "x.tzb", kept.file_name.as_str()]);
    assert_eq!(all[1].refusal, bare, "kept as given");
    assert_eq!(all[2].refusal, kept, "kept as given");
    assert!(all.iter().all(LoggedRefusal::is_pending));
    assert_eq!(files(&city.refusals(None, 2).unwrap()), ["c.tzb", "x.tzb"]);
    assert_eq!(files(&city.refusals(None, usize::MAX).unwrap()).len(), 3);
    let since = |at: &str| files(&city.refusals(Some(ts(at)), 0).unwrap()).len();
    assert_eq!(
        since("2023-06-02T00:00:00.5Z"),
        2,
        "from the instant itself"
    );
    assert_eq!(since("2023-06-02T00:00:00.6Z"), 1);
    assert_eq!(since("2023-06-03T00:00:01Z"), 0);
    assert_eq!(since("2000-01-01T00:00:00Z"), 3);
}

#[test]
fn only_the_city_notes_refusals() {
    let mut unit = unit_ledger(JIXIAN, 1);
    let refused = unit.log_refusal(&refusal(
        "2023-06-01T00:00:00Z",
        "a.tzb",
        None,
        &RefusalReason::Damaged,
    ));
    assert!(matches!(
        refused,
        Err(StoreError::WrongRole {
            role: LedgerRole::Unit
        })
    ));
}

/// A bundle of `unit` made from `seed(key)`, held in memory, imported into `city` at `at`.
fn import_one(city: &mut Ledger, unit: &mut Ledger, made: &str, at: &str) {
    let mut fs = MemFs::default();
    let done = bundle::export_with(unit, Path::new("/stick"), ts(made), &mut fs).unwrap();
    let verified = bundle::inspect(city, &fs.files[&done.path]).unwrap();
    let outcome = bundle::import(city, &verified, ts(at)).unwrap();
    assert!(
        matches!(outcome, ImportOutcome::Imported { .. }),
        "{outcome:?}"
    );
}

#[test]
fn only_a_later_import_of_the_same_unit_supersedes_a_refusal() {
    let mut city = city_ledger(&[(JIXIAN, 1), (YOUYI, 2)]);
    let mut jixian = unit_ledger(JIXIAN, 1);
    let mut youyi = unit_ledger(YOUYI, 2);
    let at = "2023-06-10T00:00:00Z";
    for (file, unit) in [
        ("j.tzb", Some(JIXIAN)),
        ("y.tzb", Some(YOUYI)),
        ("n.tzb", None),
    ] {
        city.log_refusal(&refusal(at, file, unit, &RefusalReason::Damaged))
            .unwrap();
    }
    let pending = |city: &Ledger| {
        let mut names: Vec<String> = city
            .refusals(None, 0)
            .unwrap()
            .into_iter()
            .filter(LoggedRefusal::is_pending)
            .map(|l| l.refusal.file_name)
            .collect();
        names.sort();
        names
    };
    import_one(
        &mut city,
        &mut jixian,
        "2023-06-01T00:00:00Z",
        "2023-06-09T23:59:59Z",
    );
    assert_eq!(
        pending(&city),
        ["j.tzb", "n.tzb", "y.tzb"],
        "an earlier import"
    );
    import_one(&mut city, &mut jixian, "2023-06-02T00:00:00Z", at);
    assert_eq!(
        pending(&city),
        ["j.tzb", "n.tzb", "y.tzb"],
        "the same import"
    );
    import_one(
        &mut city,
        &mut youyi,
        "2023-06-03T00:00:00Z",
        "2023-06-11T00:00:00Z",
    );
    assert_eq!(pending(&city), ["j.tzb", "n.tzb"], "another unit's import");
    let settled = city.refusals(None, 0).unwrap();
    let youyi_refusal = settled.iter().find(|l| l.refusal.file_name == "y.tzb");
    assert_eq!(
        youyi_refusal.unwrap().superseded_at,
        Some(ts("2023-06-11T00:00:00Z"))
    );
    import_one(
        &mut city,
        &mut jixian,
        "2023-06-04T00:00:00Z",
        "2023-06-10T00:00:00.001Z",
    );
    assert_eq!(
        pending(&city),
        ["n.tzb"],
        "a refusal of no known unit stays"
    );
}

#[test]
fn the_worklist_lists_the_months_unsettled_refusals_each_once() {
    let mut city = city_ledger(&[(JIXIAN, 1)]);
    let today: jiff::civil::Date = "2023-07-31".parse().unwrap();
    let older = RefusalReason::OlderThanHeld {
        sequence: 1,
        held: 2,
    };
    // 2023-06-30 23:59:59 and 2023-07-01 00:00 in Shuangyashan: 31 and 30 days ago.
    for (at, file, reason) in [
        ("2023-06-30T15:59:59Z", "old.tzb", &RefusalReason::Damaged),
        ("2023-06-30T16:00:00Z", "b.tzb", &RefusalReason::Damaged),
        ("2023-07-05T00:00:00Z", "a.tzb", &older),
        ("2023-07-06T00:00:00Z", "a.tzb", &older),
        ("2023-07-07T00:00:00Z", "a.tzb", &RefusalReason::Damaged),
    ] {
        city.log_refusal(&refusal(at, file, Some(JIXIAN), reason))
            .unwrap();
    }
    let listed = refused_bundles(&city, Lang::En, today).unwrap();
    let seen: Vec<(&str, Timestamp)> = listed.iter().map(|r| (r.file.as_str(), r.at)).collect();
    assert_eq!(
        seen,
        [
            ("a.tzb", ts("2023-07-07T00:00:00Z")),
            ("a.tzb", ts("2023-07-06T00:00:00Z")),
            ("b.tzb", ts("2023-06-30T16:00:00Z")),
        ]
    );
    assert_eq!(listed[1].reason, older);
    assert_eq!(
        listed[1].said,
        "bundle 1 is older than bundle 2, already imported (an old file)"
    );
    assert_eq!(listed[1].unit.as_deref(), Some(JIXIAN));
    assert_eq!(listed[1].sequence, Some(7));
    let zh = refused_bundles(&city, Lang::Zh, today).unwrap();
    assert_eq!(zh[1].said, "第 1 号早于已导入的第 2 号（旧文件）");

    let mut jixian = unit_ledger(JIXIAN, 1);
    import_one(
        &mut city,
        &mut jixian,
        "2023-07-01T00:00:00Z",
        "2023-07-06T12:00:00Z",
    );
    let listed = refused_bundles(&city, Lang::En, today).unwrap();
    assert_eq!(
        listed.len(),
        1,
        "settled by the import after them: {listed:?}"
    );
    assert_eq!(listed[0].at, ts("2023-07-07T00:00:00Z"));
}

#[test]
fn a_ledger_of_schema_13_takes_the_refusal_log_on_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.sqlite");
    let mut city = Ledger::create_city(&path, CITY, PLAN).unwrap();
    city.set_signing_key(&seed(200)).unwrap();
    drop(city);
    let latest = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert!(version >= 14, "{version}");
        conn.execute_batch("DROP TABLE refused_bundles; PRAGMA user_version = 13;")
            .unwrap();
        version
    };
    let mut city = Ledger::open(&path).unwrap();
    assert_eq!(city.info().unwrap().schema_version, latest);
    assert!(city.refusals(None, 0).unwrap().is_empty());
    let noted = refusal(
        "2023-06-01T00:00:00Z",
        "a.tzb",
        Some(JIXIAN),
        &RefusalReason::Damaged,
    );
    city.log_refusal(&noted).unwrap();
    assert_eq!(city.refusals(None, 0).unwrap()[0].refusal, noted);
    drop(city);
    let report = check_ledger(&path, CheckDepth::Full).unwrap();
    assert!(report.is_clean(), "{report:?}");
    assert!(!report.older_schema);
}

#[test]
fn refusals_of_the_ledger_itself_keep_their_facts() {
    let id = id(5);
    let cases = [
        (
            StoreError::SequenceJump {
                unit: JIXIAN.into(),
                sequence: 5000,
                held: 3,
            },
            RefusalReason::SequenceJump {
                sequence: 5000,
                held: 3,
            },
        ),
        (
            StoreError::SequenceReused {
                unit: JIXIAN.into(),
                sequence: 3,
            },
            RefusalReason::SequenceReused { sequence: 3 },
        ),
        (
            StoreError::ForeignRecord {
                id,
                unit: JIXIAN.into(),
                held_unit: YOUYI.into(),
            },
            RefusalReason::RecordRefused {
                id,
                name: String::new(),
                line: None,
                fault: RecordFault::HeldForOtherUnit,
                fields: Vec::new(),
            },
        ),
        (
            StoreError::ImportRefused {
                unit: JIXIAN.into(),
                id,
                name: "第5众创空间".into(),
                refusal: ImportRefusal::DuplicateActive { other: id },
            },
            RefusalReason::RecordRefused {
                id,
                name: "第5众创空间".into(),
                line: None,
                fault: RecordFault::SameEntry,
                fields: Vec::new(),
            },
        ),
        (
            StoreError::ImportRefused {
                unit: JIXIAN.into(),
                id,
                name: "x".into(),
                refusal: ImportRefusal::WrongUnit { unit: YOUYI.into() },
            },
            RefusalReason::OtherUnitsKey {
                key_unit: JIXIAN.into(),
                claimed_unit: YOUYI.into(),
            },
        ),
    ];
    for (store, reason) in cases {
        assert_eq!(reason_of(&BundleError::Store(store)), Some(reason));
    }
    let failure = BundleError::Store(StoreError::Sqlite(rusqlite::Error::InvalidQuery));
    assert_eq!(
        reason_of(&failure),
        None,
        "a failure of the ledger is no refusal"
    );
    let unread = BundleError::Read {
        path: "x.tzb".into(),
        source: std::io::ErrorKind::Other.into(),
    };
    assert_eq!(
        reason_of(&unread),
        None,
        "nor a file that could not be read"
    );
}
