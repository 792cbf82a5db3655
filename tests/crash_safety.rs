//! Exporting and making a ledger as a crashing machine meets them: a fault or a crash at every
//! step of an export, and the real program killed at random moments while exporting and while
//! making a ledger. Afterwards no bundle on the stick is unknown to the ledger, no half-made
//! ledger is left, the next export succeeds and the city takes every bundle on the stick.

mod bundle_common;

use std::collections::BTreeMap;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use bundle_common::*;
use taizhang::bundle::format;
use taizhang::bundle::{self, ExportFs, RealFs, export, keys};
use taizhang::store::{ExportState, Ledger};

const UNIT: &str = "230521";
const EIO: i32 = 5;

/// How the machine stops at the chosen step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// The step fails with an I/O error; the program goes on and cleans up.
    Fails,
    /// The program dies in the middle of the step: nothing after it runs, no cleanup.
    Crashes,
    /// The step fails, and the program dies in the middle of the next one (its cleanup).
    FailsThenCrashes,
}

/// What unwinds out of a crashed export (no panic message: it is expected).
struct Crashed;

/// The real filesystem, stopping at its operation number `at` (from 0). A write stopped
/// writes half the bytes first.
struct CrashFs {
    at: usize,
    stop: Stop,
    done: Vec<&'static str>,
    stopped_at: Option<&'static str>,
}

impl CrashFs {
    fn new(at: usize, stop: Stop) -> CrashFs {
        CrashFs {
            at,
            stop,
            done: Vec::new(),
            stopped_at: None,
        }
    }

    /// Whether this operation is where the machine stops (or dies after failing).
    fn stops_here(&mut self, op: &'static str) -> bool {
        let n = self.done.len();
        self.done.push(op);
        if n == self.at {
            self.stopped_at = Some(op);
            return true;
        }
        if n == self.at + 1 && self.stop == Stop::FailsThenCrashes {
            resume_unwind(Box::new(Crashed));
        }
        false
    }

    fn stop(&self) -> io::Error {
        if self.stop == Stop::Crashes {
            resume_unwind(Box::new(Crashed));
        }
        io::Error::from_raw_os_error(EIO)
    }
}

impl ExportFs for CrashFs {
    type File = std::fs::File;
    type Reader = <RealFs as ExportFs>::Reader;

    fn create_new(&mut self, path: &Path) -> io::Result<std::fs::File> {
        if self.stops_here("create") {
            return Err(self.stop());
        }
        RealFs.create_new(path)
    }

    fn write_all(&mut self, file: &mut std::fs::File, bytes: &[u8]) -> io::Result<()> {
        if self.stops_here("write") {
            RealFs.write_all(file, &bytes[..bytes.len() / 2])?;
            return Err(self.stop());
        }
        RealFs.write_all(file, bytes)
    }

    fn sync_file(&mut self, file: &mut std::fs::File) -> io::Result<()> {
        if self.stops_here("sync file") {
            return Err(self.stop());
        }
        RealFs.sync_file(file)
    }

    fn rename(&mut self, from: &Path, to: &Path) -> io::Result<()> {
        if self.stops_here("rename") {
            return Err(self.stop());
        }
        RealFs.rename(from, to)
    }

    fn sync_dir(&mut self, dir: &Path) -> io::Result<()> {
        if self.stops_here("sync folder") {
            return Err(self.stop());
        }
        RealFs.sync_dir(dir)
    }

    fn open_read(&mut self, path: &Path) -> io::Result<Self::Reader> {
        if self.stops_here("read back") {
            return Err(self.stop());
        }
        RealFs.open_read(path)
    }

    fn remove(&mut self, path: &Path) -> io::Result<()> {
        if self.stops_here("remove") {
            return Err(self.stop());
        }
        RealFs.remove(path)
    }
}

fn is_temp(name: &str) -> bool {
    name.starts_with(".taizhang-") && name.ends_with(".tmp")
}

/// The invariants of a stick after anything: every `.tzb` on it is a bundle the ledger
/// logged under that name with that hash, and nothing else is there but our temp files.
/// Returns the bundles by sequence.
fn check_stick(ledger: &Ledger, stick: &Path) -> BTreeMap<u64, PathBuf> {
    let log: BTreeMap<String, (u64, String)> = ledger
        .export_log()
        .unwrap()
        .into_iter()
        .map(|(entry, _)| (entry.file_name, (entry.sequence, entry.sha256)))
        .collect();
    let mut bundles = BTreeMap::new();
    for name in files_in(stick) {
        if is_temp(&name) {
            assert!(!name.contains(".tzb"), "{name}");
            continue;
        }
        assert!(name.ends_with(".tzb"), "unexpected file {name}");
        let path = stick.join(&name);
        let sha = format::sha256_hex(&std::fs::read(&path).unwrap());
        let Some((sequence, logged)) = log.get(&name) else {
            panic!("{name} is on the stick but the ledger never logged it");
        };
        assert_eq!(&sha, logged, "{name} is not the bundle the ledger logged");
        bundles.insert(*sequence, path);
    }
    bundles
}

/// Makes every temp file in `dir` look an hour old, as a crash long ago would have left it.
fn age_temps(dir: &Path) {
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for name in files_in(dir).into_iter().filter(|n| is_temp(n)) {
        std::fs::File::options()
            .write(true)
            .open(dir.join(name))
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
    }
}

/// A city ledger for the unit's plan with the unit's key enrolled imports every bundle on the
/// stick, oldest first, and refuses none.
fn city_takes_every_bundle(unit: &Ledger, bundles: &BTreeMap<u64, PathBuf>) {
    let plan = unit.info().unwrap().plan_id;
    let mut city = Ledger::create_city_in_memory(CITY, &plan).unwrap();
    city.set_signing_key(&seed(200)).unwrap();
    let public = keys::ledger_public_key(unit).unwrap();
    city.pin_unit_key(UNIT, &public, false, "admin").unwrap();
    let mut now = ts("2024-01-01T00:00:00Z");
    for (sequence, path) in bundles {
        let verified = bundle::inspect(&city, &std::fs::read(path).unwrap())
            .unwrap_or_else(|e| panic!("bundle {sequence} refused: {e:?}"));
        bundle::import(&mut city, &verified, now)
            .unwrap_or_else(|e| panic!("bundle {sequence} refused: {e:?}"));
        now += jiff::SignedDuration::from_secs(60);
    }
}

#[test]
fn a_fault_or_crash_at_any_step_of_an_export_leaves_no_unknown_bundle() {
    for stop in [Stop::Fails, Stop::Crashes, Stop::FailsThenCrashes] {
        let mut at = 0;
        loop {
            let dir = tempfile::tempdir().unwrap();
            let db = dir.path().join("ledger.sqlite");
            let stick = dir.path().join("stick");
            std::fs::create_dir_all(&stick).unwrap();
            {
                let mut ledger = Ledger::create(&db, UNIT, PLAN).unwrap();
                ledger.set_signing_key(&seed(1)).unwrap();
                add_records(&mut ledger, 1, 5);
                export(&mut ledger, &stick, ts("2023-06-01T02:00:00Z")).unwrap();
                add_records(&mut ledger, 6, 2);
            }

            let mut ledger = Ledger::open(&db).unwrap();
            let mut fs = CrashFs::new(at, stop);
            let result = catch_unwind(AssertUnwindSafe(|| {
                bundle::export_with(&mut ledger, &stick, ts("2023-06-02T02:00:00Z"), &mut fs)
            }));
            // The program is gone; the next one opens the ledger afresh.
            drop(ledger);
            let Some(op) = fs.stopped_at else {
                assert!(matches!(result, Ok(Ok(_))), "{stop:?}: {result:?}");
                break;
            };
            let case = format!("{stop:?} at {op} (operation {at} of {:?})", fs.done);
            match stop {
                Stop::Fails => assert!(matches!(result, Ok(Err(_))), "{case}"),
                Stop::Crashes => assert!(result.is_err(), "{case}"),
                // A failed create has nothing to clean up.
                Stop::FailsThenCrashes => assert!(!matches!(result, Ok(Ok(_))), "{case}"),
            }
            let crashed = result.is_err();

            let mut ledger = Ledger::open(&db).unwrap();
            let bundles = check_stick(&ledger, &stick);
            let log: Vec<(u64, ExportState)> = ledger
                .export_log()
                .unwrap()
                .into_iter()
                .map(|(entry, state)| (entry.sequence, state))
                .collect();
            let logged = matches!(op, "rename" | "sync folder" | "read back");
            let mut expected = vec![(1, ExportState::Verified)];
            if logged {
                // Interrupted before the outcome could be noted, the export stays written.
                let state = if crashed {
                    ExportState::Written
                } else {
                    ExportState::Withdrawn
                };
                expected.push((2, state));
            }
            assert_eq!(log, expected, "{case}");
            // Crashed after the rename (or while removing the renamed file): the bundle is
            // there, complete, and the ledger knows it.
            let in_place = crashed && matches!(op, "sync folder" | "read back");
            assert_eq!(bundles.contains_key(&2), in_place, "{case}");
            if !crashed {
                assert!(files_in(&stick).iter().all(|n| !is_temp(n)), "{case}");
            }

            age_temps(&stick);
            let next = export(&mut ledger, &stick, ts("2023-06-03T02:00:00Z")).unwrap();
            assert_eq!(next.sequence, if logged { 3 } else { 2 }, "{case}");
            assert!(
                files_in(&stick).iter().all(|n| !is_temp(n)),
                "{case}: the crash's temp file is cleaned up"
            );
            let bundles = check_stick(&ledger, &stick);
            assert_eq!(bundles.keys().last(), Some(&next.sequence), "{case}");
            city_takes_every_bundle(&ledger, &bundles);
            at += 1;
        }
        assert!(at >= 6, "{stop:?}: only {at} steps");
    }
}

#[test]
fn a_receipt_for_a_bundle_a_crash_left_unverified_marks_it_verified() {
    let dir = tempfile::tempdir().unwrap();
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    // Which filesystem operation reads the bundle back, from an export that goes through.
    let mut probe = Ledger::create(&dir.path().join("probe.sqlite"), UNIT, PLAN).unwrap();
    probe.set_signing_key(&seed(2)).unwrap();
    let mut counting = CrashFs::new(10_000, Stop::Crashes);
    let probe_stick = dir.path().join("probe-stick");
    std::fs::create_dir_all(&probe_stick).unwrap();
    bundle::export_with(
        &mut probe,
        &probe_stick,
        ts("2023-06-01T02:00:00Z"),
        &mut counting,
    )
    .unwrap();
    let read_back = counting
        .done
        .iter()
        .position(|op| *op == "read back")
        .unwrap();

    // The machine dies while reading the bundle back: it is on the stick and logged, never
    // verified, so the unit's screen does not show it as its last export.
    let mut ledger = Ledger::create(&dir.path().join("ledger.sqlite"), UNIT, PLAN).unwrap();
    ledger.set_signing_key(&seed(1)).unwrap();
    add_records(&mut ledger, 1, 3);
    let mut fs = CrashFs::new(read_back, Stop::Crashes);
    let crashed = catch_unwind(AssertUnwindSafe(|| {
        bundle::export_with(&mut ledger, &stick, ts("2023-06-01T02:00:00Z"), &mut fs)
    }));
    assert!(crashed.is_err());
    assert_eq!(ledger.export_log().unwrap()[0].1, ExportState::Written);
    assert_eq!(ledger.last_export().unwrap(), None);

    // The city imports it and answers; the receipt matches the log and settles the export.
    let bundles = check_stick(&ledger, &stick);
    let plan = ledger.info().unwrap().plan_id;
    let mut city = Ledger::create_city_in_memory(CITY, &plan).unwrap();
    city.set_signing_key(&seed(200)).unwrap();
    let public = keys::ledger_public_key(&ledger).unwrap();
    city.pin_unit_key(UNIT, &public, false, "admin").unwrap();
    let verified = bundle::inspect(&city, &std::fs::read(&bundles[&1]).unwrap()).unwrap();
    bundle::import(&mut city, &verified, ts("2023-06-02T02:00:00Z")).unwrap();
    let city_public = keys::ledger_public_key(&city).unwrap();
    ledger.pin_city_key(&city_public, false, "admin").unwrap();
    let answer = dir.path().join("answer");
    std::fs::create_dir_all(&answer).unwrap();
    let receipt = bundle::write_receipt(&city, UNIT, &answer, ts("2023-06-02T03:00:00Z")).unwrap();
    bundle::import_receipt_file(&mut ledger, &receipt.path, CITY).unwrap();
    assert_eq!(ledger.export_log().unwrap()[0].1, ExportState::Verified);
    assert_eq!(ledger.last_export().unwrap().map(|e| e.sequence), Some(1));
}

/// The real program on the ledger `db`, messages in Chinese, output captured.
fn taizhang(db: &Path) -> std::process::Command {
    use std::process::Stdio;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_taizhang"));
    command
        .env_remove("TAIZHANG_DB")
        .env("TAIZHANG_LANG", "zh")
        .arg("--db")
        .arg(db)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[test]
fn init_replaces_an_unfinished_ledger_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("unit.sqlite");
    // What an `init` of an older taizhang left when interrupted: the schema, no identity.
    drop(Ledger::create(&db, UNIT, PLAN).unwrap());
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("DELETE FROM meta;")
        .unwrap();

    let list = taizhang(&db).arg("list").output().unwrap();
    assert_eq!(list.status.code(), Some(2));
    let said = String::from_utf8_lossy(&list.stderr);
    assert!(
        said.contains("没有建完") && said.contains("taizhang init"),
        "{said}"
    );

    let init = taizhang(&db)
        .args(["init", "--unit", UNIT])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&init.stdout);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    assert!(said.contains("已替换为新台账"), "{said}");
    let ledger = Ledger::open(&db).unwrap();
    assert_eq!(ledger.unit(), UNIT);
    keys::ledger_public_key(&ledger).unwrap();
    assert!(taizhang(&db).arg("list").output().unwrap().status.success());

    // A whole ledger is never replaced.
    let again = taizhang(&db)
        .args(["init", "--unit", UNIT])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        keys::ledger_public_key(&Ledger::open(&db).unwrap()).unwrap(),
        keys::ledger_public_key(&ledger).unwrap()
    );
}

/// The real program, killed at seeded random moments.
#[cfg(unix)]
mod killed {
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, ExitStatus, Stdio};
    use std::time::Instant;

    use super::*;

    /// Runs the command to its end, failing the test on an error.
    fn run(mut command: Command) -> Duration {
        let start = Instant::now();
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        start.elapsed()
    }

    /// Starts the command, SIGKILLs it after `after` unless it ended first, and says whether
    /// it was killed. A run that ended by itself must have succeeded.
    fn kill_after(mut command: Command, after: Duration) -> bool {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + after;
        let status: ExitStatus = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            let now = Instant::now();
            if now >= deadline {
                let _ = child.kill();
                break child.wait().unwrap();
            }
            std::thread::sleep((deadline - now).min(Duration::from_millis(2)));
        };
        if status.signal() == Some(9) {
            return true;
        }
        assert!(status.success(), "ended by itself with {status:?}");
        false
    }

    /// A moment to kill at: half the trials anywhere in the run, half in its last part,
    /// where the file is written, logged, renamed and read back.
    fn moment(rng: &mut fastrand::Rng, trial: u32, run: Duration) -> Duration {
        let share = if trial.is_multiple_of(2) {
            rng.f64() * 1.1
        } else {
            0.6 + rng.f64() * 0.5
        };
        run.mul_f64(share)
    }

    #[test]
    fn export_killed_at_random_moments_leaves_no_unknown_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("unit.sqlite");
        let stick = dir.path().join("stick");
        std::fs::create_dir_all(&stick).unwrap();
        let mut demo = taizhang(&db);
        demo.args(["demo", "--unit", UNIT, "--records", "500", "--seed", "8"]);
        run(demo);
        let export_cmd = || {
            let mut command = taizhang(&db);
            command.arg("export").arg("--out").arg(&stick);
            command
        };
        // How long an export takes, from the latest run that was not killed (the machine's
        // speed varies with its load).
        let mut full_run = run(export_cmd());

        let mut rng = fastrand::Rng::with_seed(0x7a69_6e67);
        let mut killed = 0;
        for trial in 0..24 {
            let started = Instant::now();
            if kill_after(export_cmd(), moment(&mut rng, trial, full_run)) {
                killed += 1;
            } else {
                full_run = started.elapsed();
            }
            let ledger = Ledger::open(&db).unwrap();
            check_stick(&ledger, &stick);
        }
        assert!(killed >= 12, "only {killed} of 24 runs were killed");

        age_temps(&stick);
        run(export_cmd());
        assert!(
            files_in(&stick).iter().all(|n| !is_temp(n)),
            "temp files of killed runs are cleaned up"
        );
        let ledger = Ledger::open(&db).unwrap();
        let bundles = check_stick(&ledger, &stick);
        let newest = ledger.last_export().unwrap().unwrap().sequence;
        assert_eq!(bundles.keys().last(), Some(&newest));
        city_takes_every_bundle(&ledger, &bundles);
    }

    #[test]
    fn init_killed_at_random_moments_leaves_no_half_made_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let init = |db: &Path| {
            let mut command = taizhang(db);
            command.args(["init", "--unit", UNIT]);
            command
        };
        let mut full_run = run(init(&dir.path().join("calibration").join("unit.sqlite")));

        let mut rng = fastrand::Rng::with_seed(0x6c65_6467);
        let (mut killed, mut left_whole) = (0, 0);
        for trial in 0..24 {
            let folder = dir.path().join(format!("trial-{trial}"));
            let db = folder.join("unit.sqlite");
            let started = Instant::now();
            if kill_after(init(&db), run_share(&mut rng, full_run)) {
                killed += 1;
            } else {
                full_run = started.elapsed();
            }
            let existed = db.exists();
            if existed {
                // Whole: it opens, names its unit and has its key.
                let ledger = Ledger::open(&db).unwrap();
                assert_eq!(ledger.unit(), UNIT, "trial {trial}");
                keys::ledger_public_key(&ledger).unwrap();
                left_whole += 1;
            }
            // `init` again: refused over a whole ledger, else it makes one.
            let output = init(&db).output().unwrap();
            assert_eq!(
                output.status.code(),
                Some(if existed { 2 } else { 0 }),
                "trial {trial}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let ledger = Ledger::open(&db).unwrap();
            keys::ledger_public_key(&ledger).unwrap();
            drop(ledger);
            // What a killed init leaves besides the ledger is only its own temp files.
            for name in files_in(&folder) {
                assert!(
                    name.starts_with("unit.sqlite") || name.starts_with(".taizhang-init-"),
                    "trial {trial}: {name}"
                );
            }
        }
        assert!(killed >= 8, "only {killed} of 24 runs were killed");
        assert!(left_whole >= 1, "no run got far enough to leave a ledger");
    }

    /// A moment anywhere in an `init` run (which is short: mostly starting the program).
    fn run_share(rng: &mut fastrand::Rng, run: Duration) -> Duration {
        run.mul_f64(rng.f64() * 1.2)
    }
}
