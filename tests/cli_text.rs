//! The text policy at the command line's edges: limits checked where a text enters (void
//! reasons, the OS account), output that escapes what it does not print (JSON, CSV, tables,
//! paths in messages), and import refusing what is not a regular file.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use taizhang::domain::validate::validate_record;
use taizhang::domain::{FieldValues, RecordKind};
use taizhang::store::Ledger;

const HIGH_TECH: &[&str] = &[
    "name=双鸭山鑫达石墨新材料科技有限公司",
    "credit_code=91230521MA1B2C3D4B",
    "cert_no=GR202123000123",
    "certified_on=2021-03-15",
    "recognition=first",
    "size=above",
];

/// Characters a terminal would act on, hide, or break a line at, as an older ledger may hold.
const HIDDEN: [char; 6] = [
    '\u{2028}',
    '\u{2029}',
    '\u{202E}',
    '\u{E000}',
    '\u{E0041}',
    '\u{FDD0}',
];

struct Clerk {
    dir: tempfile::TempDir,
    db: PathBuf,
}

fn command(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_taizhang"));
    cmd.arg("--db")
        .arg(db)
        .env_remove("TAIZHANG_LANG")
        .env_remove("TAIZHANG_DB")
        .env("USER", "clerk-li");
    cmd
}

impl Clerk {
    fn new() -> Clerk {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger.sqlite");
        Clerk { dir, db }
    }

    fn with_unit() -> Clerk {
        let clerk = Clerk::new();
        clerk.ok(&["init", "--unit", "230521"]);
        clerk
    }

    fn run_with<I, S>(&self, args: I, env: &[(&str, &OsStr)]) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = command(&self.db);
        cmd.args(args);
        for (key, value) in env {
            cmd.env(key, value);
        }
        cmd.output().expect("run taizhang")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run_with(args, &[]);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run_with(args, &[]);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    fn add(&self, sets: &[&str]) -> String {
        let mut args = vec!["add", "high_tech"];
        for s in sets {
            args.extend(["--set", s]);
        }
        self.ok(&args).trim().to_string()
    }

    fn list_json(&self, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["list", "--format", "json"];
        args.extend(extra);
        let v: Value = serde_json::from_str(&self.ok(&args)).unwrap();
        v.as_array().unwrap().clone()
    }

    /// A record as an older version stored it, the name kept exactly as given (with
    /// characters the policy now refuses): what a ledger from before the policy holds.
    fn add_legacy(&self, name: &str, cert_no: &str) {
        let mut fields = FieldValues::new();
        for set in HIGH_TECH {
            let (key, value) = set.split_once('=').unwrap();
            fields.insert(key.into(), value.into());
        }
        fields.insert("cert_no".into(), cert_no.into());
        let mut valid = validate_record(RecordKind::HighTech, &fields).unwrap();
        valid.fields.insert("name".into(), name.into());
        valid.index.name = name.into();
        let mut ledger = Ledger::open(&self.db).unwrap();
        ledger.insert(&valid, "clerk-li").unwrap();
    }
}

/// The audit trail's length: how many changes were written.
fn history_len(clerk: &Clerk, id: &str) -> usize {
    let v: Value = serde_json::from_str(&clerk.ok(&["show", id, "--format", "json"])).unwrap();
    v["history"].as_array().unwrap().len()
}

#[test]
fn a_void_reason_over_the_limit_is_refused_at_void_naming_the_field() {
    let clerk = Clerk::with_unit();
    let id = clerk.add(HIGH_TECH);
    let too_long = "重".repeat(2001);
    let err = clerk.fails(2, &["void", &id, "--reason", &too_long]);
    assert!(err.contains("作废原因：内容太长，最多 2000 个字"), "{err}");
    assert!(err.contains("未做任何改动"), "{err}");
    let err = clerk.fails(2, &["--lang", "en", "void", &id, "--reason", &too_long]);
    assert!(
        err.contains("Void reason: is too long: at most 2000"),
        "{err}"
    );
    assert_eq!(clerk.list_json(&[])[0]["status"], "active", "not voided");

    // The longest reason allowed is kept, and the export the city reads still works.
    let longest = "重".repeat(2000);
    clerk.ok(&["void", &id, "--reason", &longest]);
    let record = &clerk.list_json(&["--include-voided"])[0];
    assert_eq!(record["void_reason"], longest.as_str());
    let usb = clerk.dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    clerk.ok(&["export", "--out", usb.to_str().unwrap()]);
}

#[test]
fn an_unusable_account_is_refused_by_every_writing_command_before_it_writes() {
    let clerk = Clerk::with_unit();
    let id = clerk.add(HIGH_TECH);
    let voided = clerk.add(&[
        "name=双鸭山宝清科技有限公司",
        "credit_code=91230521MA1B2C3D4B",
        "cert_no=GR202123000456",
        "certified_on=2021-03-15",
        "recognition=first",
        "size=above",
    ]);
    clerk.ok(&["void", &voided, "--reason", "重复录入"]);
    let before = (history_len(&clerk, &id), history_len(&clerk, &voided));

    let long = "a".repeat(201);
    let long_user: [(&str, &OsStr); 1] = [("USER", OsStr::new(&long))];
    let other_db = clerk.dir.path().join("new.sqlite");
    let writes: Vec<Vec<&str>> = vec![
        [
            &["add", "high_tech"][..],
            &HIGH_TECH
                .iter()
                .flat_map(|s| ["--set", s])
                .collect::<Vec<_>>(),
        ]
        .concat(),
        vec!["edit", &id, "--set", "size=below"],
        vec!["void", &id, "--reason", "重复录入"],
        vec!["restore", &voided],
        vec!["demo", "--records", "1"],
    ];
    let mut runs: Vec<(String, Output)> = writes
        .iter()
        .map(|args| (format!("{args:?}"), clerk.run_with(args, &long_user)))
        .collect();
    let mut init = command(&other_db);
    init.args(["init", "--unit", "230522"]).env("USER", &long);
    runs.push(("init".into(), init.output().unwrap()));
    for (args, out) in &runs {
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("环境变量 USER 给出的账户名太长（最多 200 个字符）"),
            "{args:?}: {err}"
        );
        assert!(err.contains("export USER="), "says how to fix it: {err}");
    }
    assert!(!other_db.exists(), "init made no file");
    assert_eq!(
        clerk.list_json(&["--include-voided"]).len(),
        2,
        "nothing added"
    );
    assert_eq!(
        (history_len(&clerk, &id), history_len(&clerk, &voided)),
        before,
        "nothing changed"
    );

    // Reading keeps working under the same account.
    for args in [
        vec!["list"],
        vec!["show", id.as_str()],
        vec!["progress"],
        vec!["where"],
    ] {
        let out = clerk.run_with(&args, &long_user);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // The variable actually read is the one named, in English too.
    let mut cmd = command(&clerk.db);
    let out = cmd
        .env_remove("USER")
        .env("LOGNAME", "clerk\u{202E}li")
        .args(["--lang", "en", "void", &id, "--reason", "x"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("character 6, U+202E (a bidirectional control), of the account name in environment variable LOGNAME"),
        "{err}"
    );
    assert!(err.contains("export LOGNAME="), "{err}");
    assert!(!err.contains('\u{202E}'), "nothing raw: {err}");
    assert_eq!(clerk.list_json(&[]).len(), 1, "not voided");
}

#[cfg(unix)]
#[test]
fn an_account_that_is_not_text_is_refused() {
    use std::os::unix::ffi::OsStrExt;
    let clerk = Clerk::with_unit();
    let id = clerk.add(HIGH_TECH);
    let out = clerk.run_with(
        ["void", id.as_str(), "--reason", "重复"],
        &[("USER", OsStr::from_bytes(b"clerk\xff"))],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("环境变量 USER 的值不是有效的 UTF-8 文本"),
        "{err}"
    );
    assert_eq!(clerk.list_json(&[]).len(), 1, "not voided");
}

#[test]
fn json_escapes_hidden_characters_of_older_records_and_parses_back() {
    let clerk = Clerk::with_unit();
    let name: String = format!("旧台账{}记录\u{7f}", HIDDEN.iter().collect::<String>());
    clerk.add_legacy(&name, "GR202123000123");
    let id = clerk.list_json(&[])[0]["id"].as_str().unwrap().to_string();
    for args in [
        vec!["list", "--format", "json"],
        vec!["show", id.as_str(), "--format", "json"],
    ] {
        let text = clerk.ok(&args);
        for c in HIDDEN.iter().chain(&['\u{7f}']) {
            assert!(!text.contains(*c), "U+{:04X} raw in {args:?}", *c as u32);
        }
        assert!(
            text.contains(r"\u2028\u2029\u202e\ue000\udb40\udc41\ufdd0"),
            "{text}"
        );
        assert!(text.contains(r"\u007f"), "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        let stored = if args[0] == "list" {
            &v[0]["fields"]["name"]
        } else {
            &v["record"]["fields"]["name"]
        };
        assert_eq!(stored, name.as_str(), "parses back to the stored text");
    }
}

#[test]
fn tables_show_hidden_characters_of_older_records_visibly() {
    let clerk = Clerk::with_unit();
    clerk.add_legacy("旧\u{2028}台账\u{E000}记录\u{E0041}", "GR202123000123");
    clerk.add_legacy("第二\u{2029}条\u{FDD0}", "GR202123000456");
    let id = clerk.list_json(&[])[0]["id"].as_str().unwrap().to_string();
    for args in [vec!["list"], vec!["show", id.as_str()]] {
        let text = clerk.ok(&args);
        for c in HIDDEN {
            assert!(!text.contains(c), "U+{:04X} raw in {args:?}", c as u32);
        }
        assert!(
            text.contains("<U+2028>") || text.contains("<U+2029>"),
            "{args:?}: {text}"
        );
    }
    let list = clerk.ok(&["list"]);
    assert!(
        list.contains("旧<U+2028>台账<U+E000>记录<U+E0041>")
            || list.contains("旧<U+2028>台账<U+E000>"),
        "{list}"
    );
    assert_eq!(
        list.lines().count(),
        4,
        "a header, two records, a total: {list}"
    );
}

#[test]
fn csv_neutralises_full_width_and_space_led_formulas() {
    let clerk = Clerk::with_unit();
    clerk.add_legacy("＝HYPERLINK(\"http://x\")", "GR202123000123");
    clerk.add_legacy("  \t@SUM(A1)", "GR202123000456");
    clerk.add_legacy("＋86", "GR202123000789");
    let out = clerk.ok(&["list", "high_tech", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(out.trim_start_matches('\u{feff}').as_bytes());
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[5].to_string())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(
        names,
        ["'  \t@SUM(A1)", "'＋86", "'＝HYPERLINK(\"http://x\")"],
        "{out}"
    );
}

#[test]
fn paths_in_error_messages_are_escaped() {
    let clerk = Clerk::with_unit();
    let hostile = clerk.dir.path().join("u\n盘\u{1b}[2J\u{202E}.tzr");
    let out = clerk.run_with([OsStr::new("import"), hostile.as_os_str()], &[]);
    let err = both(&out);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("u<U+000A>盘<U+001B>[2J<U+202E>.tzr"), "{err}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202E}'),
        "{err}"
    );
}

/// What a multi-file command printed: per-file lines on stdout, the summary on stderr.
fn both(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs the command, failing the test (instead of hanging) if it has not ended in 20 s.
fn run_bounded(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn taizhang");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after 20 s: reading a FIFO blocks");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo {path:?}");
}

#[cfg(unix)]
#[test]
fn import_refuses_a_fifo_or_device_at_once() {
    let city = Clerk::new();
    city.ok(&["init", "--city"]);
    let fifo = city.dir.path().join("bundle.tzb");
    mkfifo(&fifo);
    for (path, lang, want) in [
        (
            fifo.as_path(),
            "zh",
            "不是普通文件（可能是管道、套接字或设备）",
        ),
        (fifo.as_path(), "en", "is not a regular file"),
        (Path::new("/dev/null"), "zh", "/dev/null 不是普通文件"),
    ] {
        for dry_run in [false, true] {
            let mut cmd = command(&city.db);
            cmd.args(["--lang", lang, "import"]).arg(path);
            if dry_run {
                cmd.arg("--dry-run");
            }
            let out = run_bounded(cmd);
            let err = both(&out);
            assert_eq!(out.status.code(), Some(2), "{path:?}: {err}");
            assert!(err.contains(want), "{path:?}: {err}");
        }
    }

    // A unit's receipt is read the same way.
    let unit = Clerk::with_unit();
    let receipt = unit.dir.path().join("receipt.tzr");
    mkfifo(&receipt);
    let mut cmd = command(&unit.db);
    cmd.arg("import").arg(&receipt);
    let out = run_bounded(cmd);
    let err = both(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("不是普通文件"), "{err}");
}

/// A ledger that took a too-long void reason or account before the limits were checked at
/// entry: export says, in the clerk's words, which record and how to fix it, and the fix
/// works without losing anything.
#[test]
fn a_record_saved_before_the_limits_is_named_at_export_with_the_fix() {
    let clerk = Clerk::with_unit();
    let id = clerk.add(HIGH_TECH);
    clerk.ok(&["void", &id, "--reason", "重复"]);
    let long_reason = "旧".repeat(2001);
    let conn = rusqlite::Connection::open(&clerk.db).unwrap();
    conn.execute(
        "UPDATE records SET void_reason = ?1 WHERE id = ?2",
        rusqlite::params![long_reason, id],
    )
    .unwrap();
    drop(conn);
    let usb = clerk.dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let usb = usb.to_str().unwrap();
    let err = clerk.fails(2, &["export", "--out", usb]);
    assert!(err.contains("不能导出：作废原因超过 2000 个字"), "{err}");
    assert!(err.contains(&format!("taizhang restore {id}")), "{err}");
    assert!(!err.contains("请让单位"), "not worded for the city: {err}");
    assert_eq!(std::fs::read_dir(usb).unwrap().count(), 0, "no bundle");

    clerk.ok(&["restore", &id]);
    clerk.ok(&["void", &id, "--reason", "重复录入"]);
    let v: Value = serde_json::from_str(&clerk.ok(&["show", &id, "--format", "json"])).unwrap();
    assert!(
        v["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["old"] == long_reason.as_str()),
        "the old reason is kept in the history"
    );

    // An account too long for a bundle, recorded as the last author: one edit fixes it.
    let active = clerk.add(&[
        "name=双鸭山宝清科技有限公司",
        "credit_code=91230521MA1B2C3D4B",
        "cert_no=GR202123000456",
        "certified_on=2021-03-15",
        "recognition=first",
        "size=above",
    ]);
    let conn = rusqlite::Connection::open(&clerk.db).unwrap();
    conn.execute(
        "UPDATE records SET updated_by = ?1 WHERE id = ?2",
        rusqlite::params!["u".repeat(201), active],
    )
    .unwrap();
    drop(conn);
    let err = clerk.fails(2, &["--lang", "en", "export", "--out", usb]);
    assert!(
        err.contains("cannot be exported: Updated by is longer than 200 characters"),
        "{err}"
    );
    clerk.ok(&["edit", &active, "--set", "size=below"]);
    clerk.ok(&["export", "--out", usb]);
}
