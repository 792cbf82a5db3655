//! Exporting to a USB stick as a clerk meets it: the file is there complete and verified, or
//! not there at all with a plain message, and no sequence number is ever used twice; receipts
//! come back the same way.

mod bundle_common;

use std::io;
use std::path::Path;

use bundle_common::*;
use taizhang::bundle::format::{self, FileType};
use taizhang::bundle::{
    self, BundleError, DiskProblem, ExportFs, ExportStep, Progress, RealFs, ReceiptMismatch, Stage,
    export, keys, receipt,
};
use taizhang::domain::RecordStatus;
use taizhang::i18n::{Lang, Localized};
use taizhang::store::ReceiptEntry;
use taizhang::store::{ExportState, Ledger, StoreError};

const UNIT: &str = "230521";
const NOW: &str = "2023-06-30T17:00:00Z";

/// What the faulty filesystem does wrong.
#[derive(Clone, Copy, Debug)]
enum Fault {
    Nothing,
    /// The step fails with this OS error.
    Fails(ExportStep, i32),
    /// The file reads back with one byte changed.
    ReadsBackAltered,
}

/// The real filesystem with one step made to fail. A failing write writes half first, as a
/// full stick does.
struct FaultyFs {
    fault: Fault,
    /// Runs just before the step (to let someone else act in between).
    hook: Option<(ExportStep, Box<dyn FnMut()>)>,
}

impl FaultyFs {
    fn new(fault: Fault) -> FaultyFs {
        FaultyFs { fault, hook: None }
    }

    fn check(&mut self, step: ExportStep) -> io::Result<()> {
        if let Some((at, hook)) = self.hook.as_mut()
            && *at == step
        {
            hook();
        }
        match self.fault {
            Fault::Fails(at, code) if at == step => Err(io::Error::from_raw_os_error(code)),
            _ => Ok(()),
        }
    }
}

impl ExportFs for FaultyFs {
    type File = std::fs::File;
    type Reader = io::Cursor<Vec<u8>>;

    fn create_new(&mut self, path: &Path) -> io::Result<std::fs::File> {
        self.check(ExportStep::Create)?;
        RealFs.create_new(path)
    }

    fn write_all(&mut self, file: &mut std::fs::File, bytes: &[u8]) -> io::Result<()> {
        if let Err(e) = self.check(ExportStep::Write) {
            RealFs.write_all(file, &bytes[..bytes.len() / 2])?;
            return Err(e);
        }
        RealFs.write_all(file, bytes)
    }

    fn sync_file(&mut self, file: &mut std::fs::File) -> io::Result<()> {
        self.check(ExportStep::SyncFile)?;
        RealFs.sync_file(file)
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        self.check(ExportStep::Rename)?;
        RealFs.rename(from, to)
    }

    fn sync_dir(&mut self, dir: &Path) -> io::Result<()> {
        self.check(ExportStep::SyncDir)?;
        RealFs.sync_dir(dir)
    }

    fn open_read(&mut self, path: &Path) -> io::Result<io::Cursor<Vec<u8>>> {
        self.check(ExportStep::ReadBack)?;
        let mut bytes = std::fs::read(path)?;
        if matches!(self.fault, Fault::ReadsBackAltered) {
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0x20;
        }
        Ok(io::Cursor::new(bytes))
    }

    fn remove(&mut self, path: &Path) -> io::Result<()> {
        RealFs.remove(path)
    }
}

const ENOSPC: i32 = 28;
const EROFS: i32 = 30;
const EACCES: i32 = 13;
const EIO: i32 = 5;
const ENOENT: i32 = 2;

fn unit_with_records() -> Ledger {
    let mut ledger = unit_ledger(UNIT, 1);
    let records = add_records(&mut ledger, 1, 7);
    ledger.void(records[0].id, "重复录入", None, CLERK).unwrap();
    ledger
}

#[test]
fn an_export_is_named_for_people_verified_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = unit_with_records();
    let done = export(&mut ledger, dir.path(), ts(NOW)).unwrap();

    // 17:00 UTC is already the next day in Shuangyashan.
    let name = "taizhang-230521-000001-20230701.tzb";
    assert_eq!(done.path, dir.path().join(name));
    assert_eq!(files_in(dir.path()), vec![name.to_string()]);
    assert_eq!(done.sequence, 1);
    assert_eq!(done.records, 7, "voided records travel as tombstones");
    assert_eq!(
        done.fingerprint,
        keys::fingerprint(&keys::public_key(&seed(1)))
    );
    let bytes = std::fs::read(&done.path).unwrap();
    assert_eq!(done.sha256, format::sha256_hex(&bytes));

    let decoded = format::decode_bundle(&bytes, |_| Some(UNIT.to_string())).unwrap();
    assert_eq!(decoded.records, bundle::export::snapshot(&ledger).unwrap());
    assert!(decoded.records.windows(2).all(|w| w[0].id < w[1].id));
    assert_eq!(
        decoded
            .records
            .iter()
            .filter(|r| r.status == RecordStatus::Voided)
            .count(),
        1
    );
    let logged = ledger.last_export().unwrap().unwrap();
    assert_eq!(
        (
            logged.sequence,
            logged.file_name.as_str(),
            logged.sha256.as_str(),
            logged.records
        ),
        (1, name, done.sha256.as_str(), 7)
    );

    let second = export(&mut ledger, dir.path(), ts(NOW)).unwrap();
    assert_eq!(second.sequence, 2);
    assert!(second.path.ends_with("taizhang-230521-000002-20230701.tzb"));
}

/// A long export tells how far it has got: checking every record, writing, reading back,
/// each stage counting up to the number of records.
#[test]
fn an_export_reports_its_progress_stage_by_stage() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = unit_ledger(UNIT, 1);
    add_records(&mut ledger, 1, 4100);
    let mut seen: Vec<Progress> = Vec::new();
    let done =
        bundle::export_with_progress(&mut ledger, dir.path(), ts(NOW), &mut RealFs, &mut |p| {
            seen.push(p)
        })
        .unwrap();
    assert_eq!(done.records, 4100);
    let stages: Vec<Stage> = seen.iter().map(|p| p.stage).fold(Vec::new(), |mut v, s| {
        if v.last() != Some(&s) {
            v.push(s);
        }
        v
    });
    assert_eq!(
        stages,
        vec![Stage::Checking, Stage::Writing, Stage::ReadingBack]
    );
    assert!(
        seen.iter().all(|p| p.done <= p.total && p.total == 4100),
        "{seen:?}"
    );
    assert!(seen.contains(&Progress {
        stage: Stage::Writing,
        done: 4100,
        total: 4100
    }));

    // The city's trial import and its import count the records up to the same number, each
    // under its own name (a trial keeps nothing).
    let mut city = city_ledger(&[(UNIT, 1)]);
    let verified = bundle::inspect_file(&city, &done.path, &mut |_| {}).unwrap();
    let mut tried = Vec::new();
    bundle::dry_run_each(&city, &verified, false, &mut |_| Ok(()), &mut |p| {
        tried.push(p)
    })
    .unwrap();
    assert_eq!(
        tried.last(),
        Some(&Progress {
            stage: Stage::TryingImport,
            done: 4100,
            total: 4100
        })
    );
    let mut applied = Vec::new();
    bundle::import_with_progress(&mut city, &verified, ts(NOW), false, &mut |p| {
        applied.push(p)
    })
    .unwrap();
    assert_eq!(
        applied.last(),
        Some(&Progress {
            stage: Stage::Importing,
            done: 4100,
            total: 4100
        })
    );
    // On the way it says how far it got, not only that it finished.
    assert!(
        applied.contains(&Progress {
            stage: Stage::Importing,
            done: 4096,
            total: 4100
        }),
        "{applied:?}"
    );
}

#[test]
fn a_failure_at_any_step_leaves_no_file_and_never_reuses_a_number() {
    let steps = [
        ExportStep::Create,
        ExportStep::Write,
        ExportStep::SyncFile,
        ExportStep::Rename,
        ExportStep::SyncDir,
        ExportStep::ReadBack,
    ];
    let errors = [
        (ENOSPC, DiskProblem::Full, "U盘空间不足"),
        (EROFS, DiskProblem::ReadOnly, "U盘只读或无写入权限"),
        (EACCES, DiskProblem::ReadOnly, "U盘只读或无写入权限"),
        (EIO, DiskProblem::Gone, "U盘被拔出或无法写入"),
        (ENOENT, DiskProblem::Gone, "U盘被拔出或无法写入"),
    ];
    for step in steps {
        // From the rename on, the number was logged with the file's hash: it stays used.
        let logged = matches!(
            step,
            ExportStep::Rename | ExportStep::SyncDir | ExportStep::ReadBack
        );
        for (code, problem, words) in errors {
            let dir = tempfile::tempdir().unwrap();
            let mut ledger = unit_with_records();
            export(&mut ledger, dir.path(), ts(NOW)).unwrap();
            let before = files_in(dir.path());

            let mut fs = FaultyFs::new(Fault::Fails(step, code));
            let err = bundle::export_with(&mut ledger, dir.path(), ts(NOW), &mut fs)
                .expect_err("the export must fail");
            let BundleError::Disk {
                step: failed,
                problem: found,
                file_type: FileType::Bundle,
                ..
            } = &err
            else {
                panic!("{step:?}/{code}: {err:?}");
            };
            assert_eq!((*failed, *found), (step, problem), "{step:?}/{code}");
            let message = err.localize(Lang::Zh);
            // No temp file could be made in the folder: the folder is not there.
            let words = if step == ExportStep::Create && code == ENOENT {
                "不存在"
            } else {
                words
            };
            assert!(message.contains(words), "{step:?}/{code}: {message}");
            let outcome = if logged {
                "序号已用掉"
            } else {
                "序号未变"
            };
            assert!(message.contains(outcome), "{step:?}/{code}: {message}");
            assert!(!err.localize(Lang::En).is_empty());

            assert_eq!(files_in(dir.path()), before, "{step:?}/{code}: files left");
            assert_eq!(ledger.last_export().unwrap().unwrap().sequence, 1);
            let states: Vec<(u64, ExportState)> = ledger
                .export_log()
                .unwrap()
                .into_iter()
                .map(|(entry, state)| (entry.sequence, state))
                .collect();
            let mut expected = vec![(1, ExportState::Verified)];
            if logged {
                expected.push((2, ExportState::Withdrawn));
            }
            assert_eq!(states, expected, "{step:?}/{code}");

            let next = export(&mut ledger, dir.path(), ts(NOW)).unwrap();
            assert_eq!(next.sequence, if logged { 3 } else { 2 }, "{step:?}/{code}");
            assert!(next.path.exists());
        }
    }
}

#[test]
fn a_file_that_reads_back_differently_is_removed_and_its_number_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = unit_with_records();
    let mut fs = FaultyFs::new(Fault::ReadsBackAltered);
    let err = bundle::export_with(&mut ledger, dir.path(), ts(NOW), &mut fs).unwrap_err();
    assert!(
        matches!(err, BundleError::ReadBackMismatch { .. }),
        "{err:?}"
    );
    assert!(err.localize(Lang::Zh).contains("读回校验不符"));
    assert!(err.localize(Lang::Zh).contains("序号已用掉"));
    assert!(files_in(dir.path()).is_empty());
    assert!(ledger.last_export().unwrap().is_none());
    let log = ledger.export_log().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].0.sequence, log[0].1), (1, ExportState::Withdrawn));
    assert_eq!(
        export(&mut ledger, dir.path(), ts(NOW)).unwrap().sequence,
        2
    );
}

#[test]
fn a_missing_folder_is_a_stick_that_is_not_there() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = unit_with_records();
    let err = export(&mut ledger, &dir.path().join("gone"), ts(NOW)).unwrap_err();
    assert!(matches!(
        err,
        BundleError::Disk {
            step: ExportStep::Create,
            problem: DiskProblem::Gone,
            ..
        }
    ));
    assert!(ledger.last_export().unwrap().is_none());
    assert!(ledger.export_log().unwrap().is_empty());
}

/// A unit ledger file with three records and the signing key of `seed(1)`.
fn shared_ledger(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("ledger.sqlite");
    let mut ledger = Ledger::create(&db, UNIT, PLAN).unwrap();
    ledger.set_signing_key(&seed(1)).unwrap();
    add_records(&mut ledger, 1, 3);
    db
}

#[test]
fn two_clerks_exporting_at_once_do_not_both_claim_a_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let db = shared_ledger(dir.path());
    let stick_a = dir.path().join("a");
    let stick_b = dir.path().join("b");
    std::fs::create_dir_all(&stick_a).unwrap();
    std::fs::create_dir_all(&stick_b).unwrap();
    let stick_b_seen = stick_b.clone();
    let mut first = Ledger::open(&db).unwrap();
    let mut second = Some(Ledger::open(&db).unwrap());
    // The second clerk takes number 1 while the first one's file is being flushed, before
    // the first could log it.
    let mut fs = FaultyFs {
        fault: Fault::Nothing,
        hook: Some((
            ExportStep::SyncFile,
            Box::new(move || {
                if let Some(mut ledger) = second.take() {
                    assert_eq!(export(&mut ledger, &stick_b, ts(NOW)).unwrap().sequence, 1);
                }
            }),
        )),
    };
    let err = bundle::export_with(&mut first, &stick_a, ts(NOW), &mut fs).unwrap_err();
    assert!(
        matches!(err, BundleError::Store(StoreError::SequenceMismatch { .. })),
        "{err:?}"
    );
    assert!(
        files_in(&stick_a).is_empty(),
        "the losing bundle never appears"
    );
    assert_eq!(files_in(&stick_b_seen).len(), 1);
    assert_eq!(first.last_export().unwrap().unwrap().sequence, 1);
    assert_eq!(first.export_log().unwrap().len(), 1);
}

#[test]
fn a_clerk_exporting_after_another_logged_takes_the_next_number() {
    let dir = tempfile::tempdir().unwrap();
    let db = shared_ledger(dir.path());
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let stick_seen = stick.clone();
    let mut first = Ledger::open(&db).unwrap();
    let mut second = Some(Ledger::open(&db).unwrap());
    // The second clerk exports into the same folder while the first one's bundle, already
    // logged, is being read back.
    let mut fs = FaultyFs {
        fault: Fault::Nothing,
        hook: Some((
            ExportStep::ReadBack,
            Box::new(move || {
                if let Some(mut ledger) = second.take() {
                    assert_eq!(
                        export(&mut ledger, &stick_seen, ts(NOW)).unwrap().sequence,
                        2
                    );
                }
            }),
        )),
    };
    let done = bundle::export_with(&mut first, &stick, ts(NOW), &mut fs).unwrap();
    assert_eq!(done.sequence, 1);
    assert_eq!(
        files_in(&stick),
        vec![
            "taizhang-230521-000001-20230701.tzb".to_string(),
            "taizhang-230521-000002-20230701.tzb".to_string()
        ]
    );
    let states: Vec<_> = first
        .export_log()
        .unwrap()
        .into_iter()
        .map(|(entry, state)| (entry.sequence, state))
        .collect();
    assert_eq!(
        states,
        vec![(1, ExportState::Verified), (2, ExportState::Verified)]
    );
}

#[test]
fn stale_temp_files_are_cleaned_up_and_fresh_ones_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = unit_with_records();
    let stale = dir.path().join(".taizhang-00000000deadbeef.tmp");
    let fresh = dir.path().join(".taizhang-00000000cafebabe.tmp");
    let not_ours = dir.path().join(".taizhang-notes.tmp");
    for path in [&stale, &fresh, &not_ours] {
        std::fs::write(path, b"half a bundle").unwrap();
    }
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for path in [&stale, &not_ours] {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
    }
    export(&mut ledger, dir.path(), ts(NOW)).unwrap();
    assert!(!stale.exists(), "a crash's leftover is removed");
    assert!(
        fresh.exists(),
        "another clerk's export in progress is left alone"
    );
    assert!(not_ours.exists(), "only our own temp names are touched");
    assert!(
        bundle::disk::STALE_TEMP_AGE >= std::time::Duration::from_secs(5 * 60),
        "a slow export must not lose its temp file"
    );
}

/// A city that imported the unit's first bundle, the unit, and the folder (the stick).
fn city_holding_one_bundle() -> (Ledger, Ledger, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut unit = unit_with_records();
    let done = export(&mut unit, dir.path(), ts(NOW)).unwrap();
    let mut city = city_ledger(&[(UNIT, 1)]);
    let verified = bundle::inspect(&city, &std::fs::read(&done.path).unwrap()).unwrap();
    bundle::import(&mut city, &verified, ts("2023-07-02T01:00:00Z")).unwrap();
    unit.pin_city_key(&keys::public_key(&seed(200)), false, "admin")
        .unwrap();
    (city, unit, dir)
}

#[test]
fn a_receipt_tells_the_unit_what_the_city_holds() {
    let (city, mut unit, dir) = city_holding_one_bundle();
    let exported = unit.last_export().unwrap().unwrap();
    let done = receipt::write_receipt(&city, UNIT, dir.path(), ts("2023-07-02T02:00:00Z")).unwrap();
    assert_eq!(
        done.path,
        dir.path().join("taizhang-receipt-230521-000001.tzr")
    );
    assert_eq!((done.sequence, done.records), (1, 7));

    let kept =
        bundle::import_receipt(&mut unit, &std::fs::read(&done.path).unwrap(), CITY).unwrap();
    let want = ReceiptEntry {
        city: CITY.into(),
        sequence: 1,
        bundle_sha256: exported.sha256.clone(),
        records: 7,
        imported_at: ts("2023-07-02T01:00:00Z"),
        created_at: ts("2023-07-02T02:00:00Z"),
    };
    assert_eq!(kept, want);
    assert_eq!(unit.last_receipt().unwrap(), Some(want));
}

#[test]
fn receipts_from_elsewhere_are_refused_and_change_nothing() {
    let (city, mut unit, dir) = city_holding_one_bundle();
    let now = ts("2023-07-02T02:00:00Z");
    let good = std::fs::read(
        receipt::write_receipt(&city, UNIT, dir.path(), now)
            .unwrap()
            .path,
    )
    .unwrap();

    // Another city key signs a receipt for this unit.
    let mut impostor = Ledger::create_city_in_memory(CITY, PLAN).unwrap();
    impostor.set_signing_key(&seed(99)).unwrap();
    let manifest = format::decode_receipt(&good, |_| Some(String::new()))
        .unwrap()
        .manifest;
    let forged = format::encode_receipt(&seed(99), &manifest).unwrap();
    // The real city's receipt, addressed to another unit.
    let other_unit = format::encode_receipt(
        &seed(200),
        &format::ReceiptManifest {
            unit: "230522".into(),
            ..manifest.clone()
        },
    )
    .unwrap();
    let mut truncated = good.clone();
    truncated.pop();

    let before = unit.content_digest().unwrap();
    type Check = fn(&BundleError) -> bool;
    let cases: Vec<(&str, Vec<u8>, Check)> = vec![
        ("forged", forged, |e| {
            matches!(e, BundleError::NotFromCity { .. })
        }),
        ("other unit", other_unit, |e| {
            matches!(e, BundleError::ReceiptForOtherUnit { .. })
        }),
        ("truncated", truncated, |e| {
            matches!(e, BundleError::Truncated { .. })
        }),
        (
            "a bundle",
            std::fs::read(dir.path().join("taizhang-230521-000001-20230701.tzb")).unwrap(),
            |e| matches!(e, BundleError::WrongFileType { .. }),
        ),
    ];
    for (what, bytes, expected) in cases {
        let err = bundle::import_receipt(&mut unit, &bytes, CITY).unwrap_err();
        assert!(expected(&err), "{what}: {err:?}");
        assert!(err.localize(Lang::Zh).contains("未导入"), "{what}");
        assert_eq!(unit.content_digest().unwrap(), before, "{what}");
    }

    let mut no_city_key = unit_ledger(UNIT, 1);
    assert!(matches!(
        bundle::import_receipt(&mut no_city_key, &good, CITY),
        Err(BundleError::NoCityKey)
    ));
}

#[test]
fn a_receipt_that_disagrees_with_the_export_log_is_refused_loudly() {
    let (city, mut unit, dir) = city_holding_one_bundle();
    let good = std::fs::read(
        receipt::write_receipt(&city, UNIT, dir.path(), ts("2023-07-02T02:00:00Z"))
            .unwrap()
            .path,
    )
    .unwrap();
    let manifest = format::decode_receipt(&good, |_| Some(String::new()))
        .unwrap()
        .manifest;
    let logged = unit.last_export().unwrap().unwrap();
    // Each receipt is signed by the real city key: only the export log can tell.
    let signed = |m: format::ReceiptManifest| format::encode_receipt(&seed(200), &m).unwrap();
    let other_hash = "ab".repeat(32);
    type Check = fn(&ReceiptMismatch) -> bool;
    let cases: Vec<(&str, Vec<u8>, Check)> = vec![
        (
            "never exported",
            signed(format::ReceiptManifest {
                sequence: 2,
                ..manifest.clone()
            }),
            |m| matches!(m, ReceiptMismatch::UnknownSequence),
        ),
        (
            "substituted bundle",
            signed(format::ReceiptManifest {
                bundle_sha256: other_hash.clone(),
                ..manifest.clone()
            }),
            |m| matches!(m, ReceiptMismatch::HashDiffers { receipt, .. } if *receipt == "ab".repeat(32)),
        ),
        (
            "other count",
            signed(format::ReceiptManifest {
                record_count: manifest.record_count + 1,
                award_event_count: None,
                ..manifest.clone()
            }),
            |m| {
                matches!(
                    m,
                    ReceiptMismatch::CountDiffers {
                        logged: 7,
                        receipt: 8
                    }
                )
            },
        ),
        (
            "other city",
            signed(format::ReceiptManifest {
                city: "230600".into(),
                ..manifest.clone()
            }),
            |m| matches!(m, ReceiptMismatch::OtherCity { receipt, plan } if receipt == "230600" && plan == CITY),
        ),
    ];
    let before = unit.content_digest().unwrap();
    for (what, bytes, expected) in cases {
        match bundle::import_receipt(&mut unit, &bytes, CITY) {
            Err(BundleError::ReceiptMismatch { sequence, mismatch }) => {
                assert!(expected(&mismatch), "{what}: {mismatch:?}");
                assert_eq!(sequence, if what == "never exported" { 2 } else { 1 });
            }
            other => panic!("{what}: {other:?}"),
        }
        assert_eq!(unit.content_digest().unwrap(), before, "{what}");
        assert_eq!(unit.last_receipt().unwrap(), None, "{what}: nothing kept");
    }
    // The receipt that matches is kept, and names the logged bundle.
    let kept = bundle::import_receipt(&mut unit, &good, CITY).unwrap();
    assert_eq!(kept.bundle_sha256, logged.sha256);
    // The plan's city decides: the same receipt read under another city's plan is refused.
    assert!(matches!(
        bundle::import_receipt(&mut unit, &good, "230600"),
        Err(BundleError::ReceiptMismatch {
            mismatch: ReceiptMismatch::OtherCity { .. },
            ..
        })
    ));
}

#[test]
fn a_receipt_needs_an_imported_bundle_and_is_written_safely() {
    let (city, _unit, dir) = city_holding_one_bundle();
    let now = ts("2023-07-02T02:00:00Z");
    assert!(matches!(
        receipt::write_receipt(&city, "230522", dir.path(), now),
        Err(BundleError::NothingImported { .. })
    ));
    let before = files_in(dir.path());
    for step in [
        ExportStep::Create,
        ExportStep::Write,
        ExportStep::SyncFile,
        ExportStep::Rename,
        ExportStep::SyncDir,
        ExportStep::ReadBack,
    ] {
        let mut fs = FaultyFs::new(Fault::Fails(step, ENOSPC));
        let err = receipt::write_receipt_with(&city, UNIT, dir.path(), now, &mut fs).unwrap_err();
        assert!(
            matches!(
                err,
                BundleError::Disk {
                    file_type: FileType::Receipt,
                    problem: DiskProblem::Full,
                    ..
                }
            ),
            "{step:?}: {err:?}"
        );
        assert!(err.localize(Lang::Zh).contains("回执未写成"), "{step:?}");
        assert_eq!(files_in(dir.path()), before, "{step:?}");
    }
}

#[test]
fn only_a_unit_exports_and_only_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut city = city_ledger(&[]);
    assert!(matches!(
        export(&mut city, dir.path(), ts(NOW)),
        Err(BundleError::NotUnit)
    ));
    let mut keyless = Ledger::create_in_memory(UNIT, PLAN).unwrap();
    assert!(matches!(
        export(&mut keyless, dir.path(), ts(NOW)),
        Err(BundleError::NoSigningKey)
    ));
    assert!(files_in(dir.path()).is_empty());
}
