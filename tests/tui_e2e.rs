//! End to end in a real terminal: the `taizhang` binary in a detached 80x24 tmux session on a
//! temporary ledger. A clerk types a new high-tech record with a Chinese name through the
//! form, saves and quits, and the record is read back with `taizhang list --format json`; a
//! second session is killed mid-form and the next start offers the draft back.
//!
//! The test waits for the screen to show what it expects (polling `capture-pane`), never for
//! a fixed time. tmux is required: without it the test fails and says so.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Longest wait for a screen to appear.
const TIMEOUT: Duration = Duration::from_secs(20);
/// Pause between looks at the screen.
const POLL: Duration = Duration::from_millis(50);

/// The program under test (`TAIZHANG_E2E_BIN` may name another build of it).
fn binary() -> PathBuf {
    std::env::var_os("TAIZHANG_E2E_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_taizhang")))
}

/// A private tmux server (its own socket), so no other tmux session is touched.
struct Tmux {
    socket: PathBuf,
    session: &'static str,
}

impl Tmux {
    fn new(dir: &Path, session: &'static str) -> Tmux {
        let version = Command::new("tmux").arg("-V").output();
        match version {
            Ok(out) if out.status.success() => {}
            _ => panic!(
                "tmux is required for the end-to-end TUI test but was not found; \
                 install it (`apt-get install tmux`; .ci/run does this) and run the tests again"
            ),
        }
        Tmux {
            socket: dir.join("tmux.sock"),
            session,
        }
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-u")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .env("LANG", "C.UTF-8")
            .output()
            .expect("run tmux")
    }

    /// Starts `command` in a detached 80x24 session.
    fn start(&self, command: &str) {
        let out = self.tmux(&[
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            "80",
            "-y",
            "24",
            "-e",
            "LANG=C.UTF-8",
            "-e",
            "USER=e2e-clerk",
            command,
        ]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn screen(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-t", self.session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn alive(&self) -> bool {
        self.tmux(&["has-session", "-t", self.session])
            .status
            .success()
    }

    /// Types text literally, as an input method commits it.
    fn type_text(&self, text: &str) {
        let out = self.tmux(&["send-keys", "-t", self.session, "-l", text]);
        assert!(out.status.success());
    }

    /// Presses named keys (`Tab`, `Enter`, `C-s`, …).
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.session];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success());
    }

    /// Waits until the screen shows every one of `texts` and has stopped changing.
    fn wait_for(&self, texts: &[&str]) -> String {
        let start = Instant::now();
        let mut last = String::new();
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) && screen == last {
                return screen;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "waited {TIMEOUT:?} for {texts:?}; the screen shows:\n{screen}"
            );
            last = screen;
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the program has ended and the session closed.
    fn wait_gone(&self) {
        let start = Instant::now();
        while self.alive() {
            assert!(
                start.elapsed() < TIMEOUT,
                "the program did not end:\n{}",
                self.screen()
            );
            std::thread::sleep(POLL);
        }
    }

    /// The process id of the program in the session.
    fn pane_pid(&self) -> u32 {
        let out = self.tmux(&["display-message", "-p", "-t", self.session, "#{pane_pid}"]);
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("tmux reports the pane's process id")
    }

    /// Closes the session the way a dropped connection does (the program gets SIGHUP), and
    /// waits until the program has ended.
    fn hang_up(&self) {
        let pid = self.pane_pid();
        self.tmux(&["kill-session", "-t", self.session]);
        let proc_dir = PathBuf::from(format!("/proc/{pid}"));
        let start = Instant::now();
        while proc_dir.exists() && !is_zombie(&proc_dir) {
            assert!(
                start.elapsed() < TIMEOUT,
                "the program did not end after the hang-up"
            );
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

/// A process that has ended but not been reaped yet.
fn is_zombie(proc_dir: &Path) -> bool {
    std::fs::read_to_string(proc_dir.join("stat"))
        .map(|stat| {
            stat.rsplit(')')
                .next()
                .is_some_and(|rest| rest.trim_start().starts_with('Z'))
        })
        .unwrap_or(true)
}

fn taizhang(db: &Path, args: &[&str]) -> Output {
    Command::new(binary())
        .arg("--db")
        .arg(db)
        .args(args)
        .env("USER", "e2e-clerk")
        .output()
        .expect("run taizhang")
}

fn tui_command(db: &Path) -> String {
    format!("{} --db {}", binary().display(), db.display())
}

#[test]
fn a_clerk_types_a_high_tech_record_in_chinese_saves_and_quits() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite");
    let init = taizhang(&db, &["init", "--unit", "230521"]);
    assert!(
        init.status.success(),
        "init: {}",
        String::from_utf8_lossy(&init.stderr)
    );

    let tmux = Tmux::new(dir.path(), "clerk");
    tmux.start(&tui_command(&db));
    tmux.wait_for(&["集贤县", "任务进度"]);
    tmux.keys(&["2"]);
    tmux.wait_for(&["高新企业台账"]);
    tmux.keys(&["n"]);
    tmux.wait_for(&["新建记录 · 高新企业"]);
    tmux.type_text("双鸭山鑫达石墨新材料科技有限公司");
    tmux.wait_for(&["双鸭山鑫达石墨新材料科技有限公司"]);
    tmux.keys(&["Tab"]);
    tmux.type_text("91230521ma1b2c3d8p");
    tmux.keys(&["Tab"]);
    tmux.type_text("GR202123000123");
    tmux.keys(&["Tab"]);
    tmux.type_text("2021年3月15日");
    tmux.keys(&["Tab", "1", "Tab", "2"]);
    tmux.wait_for(&["91230521MA1B2C3D8P", "2021-03-15", "[首次认定]", "[规下]"]);
    tmux.keys(&["C-s"]);
    tmux.wait_for(&["已保存：双鸭山鑫达石墨新材料科技有限公司"]);
    tmux.keys(&["q"]);
    tmux.wait_gone();

    let list = taizhang(&db, &["list", "high_tech", "--format", "json"]);
    assert!(
        list.status.success(),
        "list: {}",
        String::from_utf8_lossy(&list.stderr)
    );
    let records: serde_json::Value = serde_json::from_slice(&list.stdout).expect("JSON list");
    let records = records.as_array().expect("an array of records");
    assert_eq!(records.len(), 1, "{records:?}");
    let fields = &records[0]["fields"];
    assert_eq!(fields["name"], "双鸭山鑫达石墨新材料科技有限公司");
    assert_eq!(fields["credit_code"], "91230521MA1B2C3D8P");
    assert_eq!(fields["cert_no"], "GR202123000123");
    assert_eq!(fields["certified_on"], "2021-03-15");
    assert_eq!(fields["recognition"], "first");
    assert_eq!(fields["size"], "below");
    assert_eq!(records[0]["created_by"], "e2e-clerk");
}

#[test]
fn a_session_killed_mid_form_offers_the_draft_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite");
    let init = taizhang(&db, &["init", "--unit", "230521"]);
    assert!(
        init.status.success(),
        "init: {}",
        String::from_utf8_lossy(&init.stderr)
    );
    let draft = dir.path().join("ledger.sqlite.draft-e2e-clerk.json");

    let tmux = Tmux::new(dir.path(), "dropped");
    tmux.start(&tui_command(&db));
    tmux.wait_for(&["任务进度"]);
    tmux.keys(&["1", "n"]);
    tmux.wait_for(&["新建记录 · 入库科企"]);
    tmux.type_text("东方红拖拉机科技有限公司");
    tmux.keys(&["Tab"]);
    tmux.type_text("9135");
    tmux.wait_for(&["东方红拖拉机科技有限公司", "9135"]);
    // The connection drops: tmux hangs up on the program mid-form.
    tmux.hang_up();
    assert!(
        draft.exists(),
        "no draft was written at {}",
        draft.display()
    );

    tmux.start(&tui_command(&db));
    tmux.wait_for(&["有未保存的表单", "东方红拖拉机"]);
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for(&["新建记录 · 入库科企", "9135"]);
    assert!(screen.contains("东方红拖拉机科技有限公司"), "{screen}");
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["放弃填写？"]);
    tmux.keys(&["y"]);
    tmux.wait_for(&["入库科企台账"]);
    assert!(
        !draft.exists(),
        "a deliberately discarded form leaves no draft"
    );
    tmux.keys(&["q"]);
    tmux.wait_gone();
}

#[test]
fn after_adopting_the_next_plan_the_dashboard_measures_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan-2024-2026.toml");
    for args in [
        &["init", "--unit", "230521"][..],
        &[
            "add",
            "high_tech",
            "--set",
            "name=双鸭山鑫达石墨新材料科技有限公司",
            "--set",
            "credit_code=91230521MA1B2C3D4B",
            "--set",
            "cert_no=GR202223000123",
            "--set",
            "certified_on=2022-03-15",
            "--set",
            "recognition=first",
            "--set",
            "size=above",
        ][..],
        &["plan", "adopt", fixture.to_str().unwrap()][..],
    ] {
        let out = taizhang(&db, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // Opened without --plan: the period, quotas and high-tech floor of the adopted plan.
    let tmux = Tmux::new(dir.path(), "next-plan");
    tmux.start(&tui_command(&db));
    tmux.wait_for(&[
        "集贤县",
        "计划期 2024-01-01 至 2026-12-31",
        "确保 6 家、力争 7 家",
    ]);
    // On 2024-06-30 the 2022 certificate (valid three years) still counts against 7.
    tmux.keys(&["d"]);
    tmux.wait_for(&["统计日期"]);
    tmux.keys(&["BSpace"; 10]);
    tmux.type_text("2024-06-30");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for(&["截至 2024-06-30"]);
    let row = screen
        .lines()
        .find(|l| l.contains("高新企业") && l.contains('%'))
        .unwrap_or_else(|| panic!("no high-tech row:\n{screen}"));
    let numbers: Vec<&str> = row.split_whitespace().collect();
    assert!(
        numbers.windows(3).any(|w| w == ["7", "1", "14.3%"]),
        "{row}"
    );
    tmux.keys(&["q"]);
    tmux.wait_gone();
}

#[test]
fn a_full_redraw_and_an_export_with_its_progress_bar_keep_the_program_running() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite");
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let out = taizhang(
        &db,
        &[
            "demo",
            "--records",
            "3000",
            "--unit",
            "230521",
            "--seed",
            "1",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let tmux = Tmux::new(dir.path(), "redraw");
    tmux.start(&tui_command(&db));
    tmux.wait_for(&["集贤县", "有效 3000 条"]);
    // Ctrl+L repaints the whole screen; it used to stop the program after two seconds while
    // asking the terminal for its cursor position.
    tmux.keys(&["C-l"]);
    std::thread::sleep(Duration::from_millis(2500));
    assert!(tmux.alive(), "the program stopped after Ctrl+L");
    tmux.wait_for(&["集贤县", "有效 3000 条"]);

    // The export draws a bar over the bottom row, then the whole screen comes back.
    tmux.keys(&["u"]);
    tmux.wait_for(&["U盘同步"]);
    tmux.keys(&["e"]);
    tmux.keys(&["C-u"]);
    tmux.type_text(stick.to_str().unwrap());
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["同步包已写入并核验", "记录数          3000"]);
    std::thread::sleep(Duration::from_millis(2500));
    assert!(tmux.alive(), "the program stopped after the export");
    let screen = tmux.wait_for(&["第 1 号同步包已写入并核验", "e 导出同步包"]);
    assert!(!screen.contains("读回核对"), "the bar is gone:\n{screen}");
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["任务进度"]);
    tmux.keys(&["q"]);
    tmux.wait_gone();
}

#[test]
fn a_clerk_approves_and_pays_a_high_tech_award_and_the_city_pays_its_own() {
    use taizhang::domain::RecordKind;
    use taizhang::domain::awards::AwardStatus;
    use taizhang::domain::validate::validate_record;
    use taizhang::plan::Plan;
    use taizhang::store::{AwardQuery, Ledger};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite");
    let plan = Plan::embedded();
    let mut ledger = Ledger::create(&db, "230521", &plan.id).expect("create ledger");
    for (name, code, cert_no, certified_on, tax_level) in [
        (
            "双鸭山鑫达石墨新材料科技有限公司",
            "91230521MA1B2C3D8P",
            "GR202223000123",
            "2022-03-15",
            "county",
        ),
        (
            "集贤县龙源科技有限公司",
            "91230521MA1B2C3D9T",
            "GR202123000124",
            "2021-10-15",
            "city",
        ),
    ] {
        let fields = [
            ("name", name),
            ("credit_code", code),
            ("cert_no", cert_no),
            ("certified_on", certified_on),
            ("recognition", "first"),
            ("size", "above"),
            ("tax_level", tax_level),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let valid = validate_record(RecordKind::HighTech, &fields).expect("valid record");
        ledger.insert(&valid, "e2e-clerk").expect("insert");
    }
    drop(ledger);

    let tmux = Tmux::new(dir.path(), "awards");
    tmux.start(&tui_command(&db));
    tmux.wait_for(&["集贤县", "任务进度", "f 奖补"]);
    tmux.keys(&["f"]);
    tmux.wait_for(&["奖补资金", "双鸭山鑫达", "集贤县龙源科技", "应享"]);
    // The newest line is selected: the 2022 county award.
    tmux.keys(&["a"]);
    tmux.wait_for(&["批准奖补", "批准日期"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["已批准：双鸭山鑫达石墨新材料科技有限公司"]);
    tmux.keys(&["p"]);
    tmux.wait_for(&["登记拨付", "拨付日期"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["凭证号："]);
    tmux.type_text("JX-2023-0158");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for(&["已拨付：双鸭山鑫达石墨新材料科技有限公司，凭证号 JX-2023-0158"]);
    let row = screen
        .lines()
        .find(|l| l.contains("新认定高企规上") && l.contains("2022"))
        .unwrap_or_else(|| panic!("no 2022 line:\n{screen}"));
    assert!(row.contains("已拨付"), "{row}");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["奖补详情", "凭证号 JX-2023-0158", "300,000.00 元"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["奖补明细"]);

    // The 2021 award is the city's to pay.
    tmux.keys(&["Down"]);
    tmux.keys(&["p"]);
    tmux.wait_for(&["这项奖补由市级财政负担"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["任务进度"]);
    tmux.keys(&["q"]);
    tmux.wait_gone();

    let ledger = Ledger::open(&db).expect("open ledger");
    let lines = ledger
        .award_lines(&plan, &AwardQuery::default())
        .expect("award lines");
    let paid = lines
        .iter()
        .find(|l| l.key.year == 2022)
        .expect("the 2022 line");
    assert_eq!(paid.status, AwardStatus::Paid);
    assert_eq!(paid.payments[0].voucher.as_deref(), Some("JX-2023-0158"));
    assert_eq!(paid.payments[0].actor, "e2e-clerk");
    let city = lines
        .iter()
        .find(|l| l.key.year == 2021)
        .expect("the 2021 line");
    assert_eq!(
        city.status,
        AwardStatus::Entitled,
        "nothing recorded for it"
    );
}

#[test]
fn a_locale_that_is_not_utf8_is_named_with_how_to_set_the_ssh_client() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite");
    let init = taizhang(&db, &["init", "--unit", "230521"]);
    assert!(init.status.success());

    let tmux = Tmux::new(dir.path(), "gbk");
    tmux.start(&format!("env LC_ALL=zh_CN.GBK {}", tui_command(&db)));
    let screen = tmux.wait_for(&["集贤县", "任务进度", "不是 UTF-8"]);
    assert!(screen.contains("LANG=zh_CN.UTF-8"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_gone();

    // A UTF-8 locale in a UTF-8 terminal: no warning, and the probe left nothing on screen.
    let tmux = Tmux::new(dir.path(), "utf8");
    tmux.start(&tui_command(&db));
    let screen = tmux.wait_for(&["集贤县", "任务进度"]);
    assert!(!screen.contains("UTF-8"), "{screen}");
    assert!(screen.starts_with(" 台账"), "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_gone();
}
