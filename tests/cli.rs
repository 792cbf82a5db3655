//! The command line as a clerk uses it: the real binary on a temporary ledger, checking what
//! it prints, the exit codes, and what ends up in the ledger.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

struct Clerk {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

fn run_at(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TAIZHANG_LANG")
        .env_remove("TAIZHANG_DB")
        .output()
        .expect("run taizhang")
}

impl Clerk {
    fn new() -> Clerk {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger.sqlite");
        Clerk { _dir: dir, db }
    }

    fn with_unit(unit: &str) -> Clerk {
        let clerk = Clerk::new();
        clerk.ok(&["init", "--unit", unit]);
        clerk
    }

    fn run(&self, args: &[&str]) -> Output {
        run_at(&self.db, args)
    }

    /// Runs a command that must succeed; returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail with `code`; returns its stderr.
    fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    fn add(&self, kind: &str, sets: &[&str]) -> String {
        let mut args = vec!["add", kind];
        for s in sets {
            args.push("--set");
            args.push(s);
        }
        self.ok(&args).trim().to_string()
    }

    fn list_json(&self, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["list", "--format", "json"];
        args.extend(extra);
        let text = self.ok(&args);
        serde_json::from_str::<Value>(&text)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    fn achieved(&self, as_of: &str, kind: &str) -> u64 {
        let text = self.ok(&["progress", "--as-of", as_of, "--format", "json"]);
        let v: Value = serde_json::from_str(&text).unwrap();
        v["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == kind)
            .unwrap()["achieved"]
            .as_u64()
            .unwrap()
    }
}

const HIGH_TECH: &[&str] = &[
    "name=双鸭山鑫达石墨新材料科技有限公司",
    "credit_code=91230521MA1B2C3D4B",
    "cert_no=GR202123000123",
    "certified_on=2021-03-15",
    "recognition=first",
    "size=above",
];

#[test]
fn init_refuses_unknown_unit_and_lists_the_valid_codes() {
    let clerk = Clerk::new();
    let err = clerk.fails(2, &["init", "--unit", "230504"]);
    assert!(err.contains("230504"), "{err}");
    assert!(err.contains("230521") && err.contains("集贤县"), "{err}");
    assert!(err.contains("jkq"), "{err}");
    assert!(!clerk.db.exists(), "nothing written for an unknown unit");
}

#[test]
fn init_twice_is_refused_and_keeps_the_ledger() {
    let clerk = Clerk::with_unit("230521");
    clerk.add("high_tech", HIGH_TECH);
    let err = clerk.fails(2, &["init", "--unit", "230522"]);
    assert!(err.contains("230521"), "names the existing unit: {err}");
    assert_eq!(clerk.list_json(&[]).len(), 1);
}

#[test]
fn commands_before_init_say_how_to_start() {
    let clerk = Clerk::new();
    let err = clerk.fails(2, &["list"]);
    assert!(err.contains("taizhang init --unit"), "{err}");
}

#[test]
fn every_kind_can_be_added_and_listed() {
    let clerk = Clerk::with_unit("230521");
    clerk.add(
        "tech_sme",
        &[
            "name=集贤县华兴农业科技有限公司",
            "credit_code=91230521MA1B2C3D5E",
            "reg_no=2023230521A0000001",
            "registered_on=2023年4月1日",
        ],
    );
    clerk.add("high_tech", HIGH_TECH);
    clerk.add(
        "rnd_institution",
        &[
            "name=集贤县大豆工程技术研究中心",
            "host=集贤县华兴农业科技有限公司",
            "level=市级",
            "category=工程技术研究中心",
            "new_type=否",
            "recognized_on=2022/6/30",
        ],
    );
    clerk.add(
        "incubator",
        &[
            "name=集贤县众创空间",
            "operator=集贤县创业服务中心",
            "type=众创空间",
            "level=city",
            "recognized_on=2021.9.1",
        ],
    );
    clerk.add(
        "alliance",
        &[
            "name=双鸭山大豆产业技术创新战略联盟",
            "lead=集贤县华兴农业科技有限公司",
            "level=provincial",
            "established_on=2022-01-10",
        ],
    );
    clerk.add(
        "achievement",
        &[
            "title=寒地水稻节水栽培技术",
            "owner=东北农业大学",
            "recipient=集贤县华兴农业科技有限公司",
            "mode=许可",
            "amount_yuan=1,200,000",
            "transferred_on=20230815",
        ],
    );
    let records = clerk.list_json(&[]);
    assert_eq!(records.len(), 6);
    let kinds: Vec<&str> = records
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "tech_sme",
        "high_tech",
        "rnd_institution",
        "incubator",
        "alliance",
        "achievement",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    let sme = records.iter().find(|r| r["kind"] == "tech_sme").unwrap();
    assert_eq!(
        sme["fields"]["registered_on"], "2023-04-01",
        "Chinese date stored as ISO"
    );
    assert_eq!(sme["unit"], "230521");
    assert_eq!(sme["status"], "active");
    assert_eq!(sme["revision"], 1);
    let rnd = records
        .iter()
        .find(|r| r["kind"] == "rnd_institution")
        .unwrap();
    assert_eq!(
        rnd["fields"]["level"], "city",
        "Chinese label stored as its key"
    );
    let ach = records.iter().find(|r| r["kind"] == "achievement").unwrap();
    assert_eq!(ach["fields"]["amount_yuan"], "1200000");
    assert_eq!(ach["fields"]["transferred_on"], "2023-08-15");
}

#[test]
fn add_from_json_on_stdin() {
    use std::io::Write;
    let clerk = Clerk::with_unit("230523");
    let mut child = Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(&clerk.db)
        .args(["add", "incubator", "--json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            r#"{"name":"宝清县科技企业孵化器","operator":"宝清县科技局","type":"incubator","level":"provincial","recognized_on":"2022-05-01"}"#
                .as_bytes(),
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let id = String::from_utf8(out.stdout).unwrap();
    let records = clerk.list_json(&[]);
    assert_eq!(records[0]["id"], id.trim());
}

#[test]
fn a_mistyped_credit_code_is_refused_naming_the_field_and_the_fix() {
    let clerk = Clerk::with_unit("230521");
    let mut bad = HIGH_TECH.to_vec();
    bad[1] = "credit_code=91230521MA1B2C3D4C";
    let mut args = vec!["add", "high_tech"];
    for s in &bad {
        args.extend(["--set", s]);
    }
    let err = clerk.fails(2, &args);
    assert!(err.contains("统一社会信用代码"), "{err}");
    assert!(
        err.contains("校验位应为 B"),
        "names the expected check character: {err}"
    );
    assert!(clerk.list_json(&[]).is_empty(), "nothing saved");

    // The same in English.
    let mut en = vec!["--lang", "en"];
    en.extend(&args);
    let err = clerk.fails(2, &en);
    assert!(err.contains("Credit code"), "{err}");

    // An explicit reason keeps a genuine early pilot code, and the reason is stored.
    args.extend(["--set", "override_reason=早期试点代码，经市场监管局核实"]);
    clerk.ok(&args);
    let records = clerk.list_json(&[]);
    assert_eq!(records[0]["fields"]["credit_code"], "91230521MA1B2C3D4C");
    // Stored NFKC-normalised, as every text: the full-width comma becomes ASCII.
    assert_eq!(
        records[0]["fields"]["override_reason"],
        "早期试点代码,经市场监管局核实"
    );
}

#[test]
fn full_width_and_lower_case_credit_codes_are_normalised() {
    let clerk = Clerk::with_unit("230521");
    let mut sets = HIGH_TECH.to_vec();
    sets[1] = "credit_code= ９１２３０５２１ma1b2c3d4b ";
    clerk.add("high_tech", &sets);
    assert_eq!(
        clerk.list_json(&[])[0]["fields"]["credit_code"],
        "91230521MA1B2C3D4B"
    );
}

#[test]
fn missing_and_malformed_fields_are_all_reported_together() {
    let clerk = Clerk::with_unit("230521");
    let err = clerk.fails(
        2,
        &[
            "add",
            "achievement",
            "--set",
            "title=某成果",
            "--set",
            "mode=sell",
            "--set",
            "amount_yuan=-5",
            "--set",
            "transferred_on=2023-02-30",
            "--set",
            "colour=red",
        ],
    );
    for label in [
        "成果持有方",
        "承接方",
        "转化方式",
        "金额",
        "转化日期",
        "colour",
    ] {
        assert!(err.contains(label), "{label} not named in {err}");
    }
}

#[test]
fn the_same_entity_twice_is_refused_naming_the_existing_record() {
    let clerk = Clerk::with_unit("230521");
    let id = clerk.add("high_tech", HIGH_TECH);
    let mut again = vec!["add", "high_tech"];
    for s in HIGH_TECH {
        again.extend(["--set", s]);
    }
    let err = clerk.fails(2, &again);
    assert!(err.contains("双鸭山鑫达石墨新材料科技有限公司"), "{err}");
    assert!(err.contains(&id[..8]), "names the existing id: {err}");
    assert_eq!(clerk.list_json(&[]).len(), 1);
}

#[test]
fn edit_void_restore_with_history_and_stale_revisions() {
    let clerk = Clerk::with_unit("230521");
    let id = clerk.add("high_tech", HIGH_TECH);
    clerk.ok(&["edit", &id, "--set", "size=规下", "--expect-revision", "1"]);
    let rec = &clerk.list_json(&[])[0];
    assert_eq!(rec["revision"], 2);
    assert_eq!(rec["fields"]["size"], "below");

    // Someone still looking at revision 1 is refused with exit code 3, nothing changed.
    let err = clerk.fails(
        3,
        &["edit", &id, "--set", "size=above", "--expect-revision", "1"],
    );
    assert!(err.contains('2'), "{err}");
    assert_eq!(clerk.list_json(&[])[0]["fields"]["size"], "below");

    clerk.ok(&["void", &id[id.len() - 8..], "--reason", "重复录入"]);
    assert!(clerk.list_json(&[]).is_empty(), "voided records are hidden");
    let all = clerk.list_json(&["--include-voided"]);
    assert_eq!(all[0]["status"], "voided");
    assert_eq!(
        clerk.achieved("2022-01-01", "high_tech"),
        0,
        "voided never counts"
    );

    clerk.ok(&["restore", &id]);
    assert_eq!(clerk.list_json(&[])[0]["revision"], 4);
    assert_eq!(clerk.achieved("2022-01-01", "high_tech"), 1);

    let show = clerk.ok(&["show", &id]);
    assert!(show.contains("企业规模"), "{show}");
    assert!(show.contains("企业规模：规上 → 规下"), "{show}");
    assert!(show.contains("重复录入"), "{show}");
}

#[test]
fn counting_rules_on_boundary_dates() {
    let clerk = Clerk::with_unit("230521");
    clerk.add("high_tech", HIGH_TECH); // certified 2021-03-15, valid three years
    assert_eq!(clerk.achieved("2021-03-14", "high_tech"), 0);
    assert_eq!(clerk.achieved("2021-03-15", "high_tech"), 1);
    // A certificate of 2020-12-31 lasts through 2023-12-30 (within the plan, so the
    // last valid day and the day after are both measured as asked).
    clerk.add(
        "high_tech",
        &[
            "name=集贤县宏达新能源科技有限公司",
            "credit_code=91230521MA1B2C3D6H",
            "cert_no=GR202023000456",
            "certified_on=2020-12-31",
            "recognition=first",
            "size=below",
        ],
    );
    assert_eq!(
        clerk.achieved("2023-12-30", "high_tech"),
        2,
        "last valid day"
    );
    assert_eq!(
        clerk.achieved("2023-12-31", "high_tech"),
        1,
        "the day after"
    );
    // After the plan, the figure is the final one of 2023-12-31, whatever date is asked.
    assert_eq!(clerk.achieved("2024-03-15", "high_tech"), 1, "final figure");

    clerk.add(
        "tech_sme",
        &[
            "name=集贤县华兴农业科技有限公司",
            "credit_code=91230521MA1B2C3D5E",
            "reg_no=2022230521A0000001",
            "registered_on=2022-12-31",
        ],
    );
    assert_eq!(clerk.achieved("2022-12-31", "tech_sme"), 1);

    assert_eq!(
        clerk.achieved("2023-06-30", "tech_sme"),
        0,
        "a 2022 registration not in 2023"
    );
    clerk.add(
        "tech_sme",
        &[
            "name=集贤县丰源农业科技有限公司",
            "credit_code=91230521MA1B2C3D4B",
            "reg_no=2023230521A0000002",
            "registered_on=2023-03-01",
        ],
    );
    assert_eq!(
        clerk.achieved("2024-06-30", "tech_sme"),
        1,
        "after the plan, 2023's registrations are the final figure"
    );

    clerk.add(
        "rnd_institution",
        &[
            "name=集贤县大豆工程技术研究中心",
            "host=集贤县华兴农业科技有限公司",
            "level=city",
            "category=工程技术研究中心",
            "recognized_on=2021-05-01",
            "revoked_on=2023-05-01",
        ],
    );
    assert_eq!(clerk.achieved("2023-04-30", "rnd_institution"), 1);
    assert_eq!(
        clerk.achieved("2023-05-01", "rnd_institution"),
        0,
        "revoked"
    );

    clerk.add(
        "achievement",
        &[
            "title=寒地水稻节水栽培技术",
            "owner=东北农业大学",
            "recipient=集贤县华兴农业科技有限公司",
            "mode=transfer",
            "transferred_on=2020-12-31",
        ],
    );
    assert_eq!(
        clerk.achieved("2023-12-31", "achievement"),
        0,
        "before the plan period"
    );
}

#[test]
fn revocation_of_every_kind_stops_the_count_from_its_day_only() {
    let clerk = Clerk::with_unit("230521");
    let high_tech = clerk.add("high_tech", HIGH_TECH);
    let tech_sme = clerk.add(
        "tech_sme",
        &[
            "name=集贤县华兴农业科技有限公司",
            "credit_code=91230521MA1B2C3D4B",
            "reg_no=2023230521A0000001",
            "registered_on=2023-02-01",
        ],
    );
    let alliance = clerk.add(
        "alliance",
        &[
            "name=双鸭山市大豆产业技术创新战略联盟",
            "lead=集贤县华兴农业科技有限公司",
            "level=city",
            "established_on=2021-06-01",
        ],
    );
    // Status cancelled (取消资格), registration withdrawn, alliance dissolved.
    clerk.ok(&["edit", &high_tech, "--set", "revoked_on=2022-06-01"]);
    clerk.ok(&["edit", &tech_sme, "--set", "revoked_on=2023-08-01"]);
    clerk.ok(&["edit", &alliance, "--set", "revoked_on=2022-01-01"]);

    assert_eq!(
        clerk.achieved("2021-12-31", "high_tech"),
        1,
        "before: unchanged"
    );
    assert_eq!(clerk.achieved("2022-05-31", "high_tech"), 1);
    assert_eq!(
        clerk.achieved("2022-06-01", "high_tech"),
        0,
        "cancelled that day"
    );
    assert_eq!(clerk.achieved("2023-07-31", "tech_sme"), 1);
    assert_eq!(clerk.achieved("2023-08-01", "tech_sme"), 0, "withdrawn");
    assert_eq!(clerk.achieved("2021-12-31", "alliance"), 1);
    assert_eq!(clerk.achieved("2022-01-01", "alliance"), 0, "dissolved");

    // A revocation before the entity began is refused, naming both dates.
    let err = clerk.fails(2, &["edit", &alliance, "--set", "revoked_on=2021-05-01"]);
    assert!(
        err.contains("撤销日期") && err.contains("成立日期"),
        "{err}"
    );
    assert_eq!(clerk.achieved("2021-12-31", "alliance"), 1, "nothing saved");
}

#[test]
fn an_upgraded_and_renamed_institution_counts_once_with_its_level_history() {
    let clerk = Clerk::with_unit("230521");
    let city_level = clerk.add(
        "rnd_institution",
        &[
            "name=双鸭山市石墨新材料工程技术研究中心",
            "host=集贤县华兴农业科技有限公司",
            "level=city",
            "category=工程技术研究中心",
            "recognized_on=2021-05-01",
        ],
    );
    let short = &city_level[city_level.len() - 8..];
    let provincial = clerk.add(
        "rnd_institution",
        &[
            "name=黑龙江省石墨新材料工程技术研究中心",
            "host=集贤县华兴农业科技有限公司",
            "level=provincial",
            "category=工程技术研究中心",
            "recognized_on=2022-06-30",
            "upgraded_from=city",
            &format!("supersedes={short}"),
        ],
    );
    assert_eq!(clerk.achieved("2021-12-31", "rnd_institution"), 1);
    assert_eq!(
        clerk.achieved("2022-12-31", "rnd_institution"),
        1,
        "one entity, counted once"
    );
    let shown = clerk.ok(&["show", &provincial]);
    for text in [
        "级别沿革",
        "双鸭山市石墨新材料工程技术研究中心",
        "黑龙江省石墨新材料工程技术研究中心",
        "市级",
        "省级",
    ] {
        assert!(shown.contains(text), "{text} missing:\n{shown}");
    }

    // What an upgrade cannot point at.
    let firm = clerk.add("high_tech", HIGH_TECH);
    let mut other_kind = vec![
        "name=某中心",
        "host=某公司",
        "level=provincial",
        "category=工程技术研究中心",
        "recognized_on=2022-06-30",
    ];
    let firm_ref = format!("supersedes={firm}");
    other_kind.push(&firm_ref);
    let mut args = vec!["add", "rnd_institution"];
    for s in &other_kind {
        args.extend(["--set", s]);
    }
    let err = clerk.fails(2, &args);
    assert!(err.contains("同一类别"), "{err}");
    let err = clerk.fails(
        2,
        &[
            "edit",
            &city_level,
            "--set",
            &format!("supersedes={provincial}"),
        ],
    );
    assert!(err.contains("不能互相升级"), "{err}");
    let err = clerk.fails(
        2,
        &["edit", &provincial, "--set", "supersedes=0123456789ab"],
    );
    assert!(err.contains("找不到记录"), "{err}");
    assert_eq!(
        clerk.achieved("2022-12-31", "rnd_institution"),
        1,
        "nothing saved"
    );

    // Unlinked again, they are two institutions.
    clerk.ok(&["edit", &provincial, "--set", "supersedes="]);
    assert_eq!(clerk.achieved("2022-12-31", "rnd_institution"), 2);
}

#[test]
fn identifier_warnings_are_shown_and_impossible_check_letters_refused() {
    let clerk = Clerk::with_unit("230521");
    let add = |sets: &[&str]| {
        let mut args = vec!["add", "tech_sme"];
        for s in sets {
            args.extend(["--set", s]);
        }
        clerk.run(&args)
    };
    // A Fujian firm, a 2022 number on a 2023 registration, dated after today.
    let out = add(&[
        "name=福州某科技有限公司",
        "credit_code=91350100M000100Y43",
        "reg_no=2022230521A0000001",
        "registered_on=2099-01-01",
    ]);
    assert!(out.status.success(), "warnings do not stop a save");
    let err = String::from_utf8_lossy(&out.stderr);
    for text in ["350100", "年份与入库日期", "晚于今天"] {
        assert!(err.contains(text), "{text} missing: {err}");
    }
    // A check letter no code can have is refused, even with a reason.
    let out = add(&[
        "name=某公司",
        "credit_code=91230521MA1B2C3D8Z",
        "reg_no=2023230521A0000002",
        "registered_on=2023-03-01",
        "override_reason=早期试点代码",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("不可能是字母") && err.contains("应为 P"),
        "{err}"
    );
    assert_eq!(clerk.list_json(&[]).len(), 1, "nothing more saved");
}

#[test]
fn progress_json_has_every_indicator_with_quota() {
    let clerk = Clerk::with_unit("230502");
    let text = clerk.ok(&["progress", "--as-of", "2022-12-31", "--format", "json"]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["unit"], "230502");
    assert_eq!(v["as_of"], "2022-12-31");
    let inds = v["indicators"].as_array().unwrap();
    assert_eq!(inds.len(), 6);
    let tech = inds.iter().find(|i| i["key"] == "tech_sme").unwrap();
    assert_eq!(tech["target"], 27, "尖山区's Annex 2 quota");
    let rnd = inds.iter().find(|i| i["key"] == "rnd_institution").unwrap();
    assert_eq!(rnd["target"], 7);
    assert_eq!(
        rnd["expected"], 5,
        "尖山区's share of the 18 of the 2022 milestone (largest remainder of 5.25)"
    );
    assert_eq!(rnd["status"], "behind");
    for i in inds {
        for key in ["key", "target", "achieved", "percent", "expected", "status"] {
            assert!(i.get(key).is_some(), "{key} missing in {i}");
        }
    }
}

#[test]
fn progress_after_the_plan_says_it_uses_the_end_date() {
    let clerk = Clerk::with_unit("230521");
    let text = clerk.ok(&["progress"]);
    assert!(text.contains("2023-12-31"), "{text}");
    assert!(text.contains("计划已结束"), "{text}");
    assert!(text.contains("最终数字"), "{text}");
    assert!(text.contains("入库科企"), "{text}");
    let text = clerk.ok(&["--lang", "en", "progress", "--as-of", "2024-06-30"]);
    assert!(
        text.contains("the plan ended on 2023-12-31: final figures as of that day"),
        "{text}"
    );
}

#[test]
fn csv_opens_in_excel_and_neutralises_formulas() {
    let clerk = Clerk::with_unit("230521");
    let mut sets = HIGH_TECH.to_vec();
    sets[0] = "name==HYPERLINK(\"http://x\")";
    clerk.add("high_tech", &sets);
    let out = clerk.run(&["list", "--format", "csv"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM");
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(text.contains("统一社会信用代码"), "{text}");
}

#[test]
fn a_broken_plan_file_names_file_and_line() {
    let clerk = Clerk::with_unit("230521");
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("next-plan.toml");
    std::fs::write(&plan, "id = \"x\"\ntitle_zh = [\n").unwrap();
    let err = clerk.fails(2, &["--plan", plan.to_str().unwrap(), "progress"]);
    assert!(err.contains("next-plan.toml"), "{err}");
    assert!(err.contains('2'), "names a line: {err}");
}

#[test]
fn where_follows_db_flag_and_environment() {
    let out = Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("where")
        .env("TAIZHANG_DB", "/tmp/some/ledger.sqlite")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "/tmp/some/ledger.sqlite"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("where")
        .env_remove("TAIZHANG_DB")
        .env("HOME", "/home/clerk")
        .env_remove("XDG_DATA_HOME")
        .output()
        .unwrap();
    let path = String::from_utf8(out.stdout).unwrap();
    assert!(path.starts_with("/home/clerk/"), "{path}");
    assert!(path.trim().ends_with(".sqlite"), "{path}");
}

#[test]
fn demo_fills_a_fresh_ledger_with_valid_records() {
    let clerk = Clerk::new();
    clerk.ok(&[
        "demo",
        "--records",
        "300",
        "--seed",
        "7",
        "--unit",
        "230523",
    ]);
    let records = clerk.list_json(&[]);
    assert_eq!(records.len(), 300);
    assert!(records.iter().all(|r| r["unit"] == "230523"));
    let text = clerk.ok(&["progress", "--as-of", "2023-12-31", "--format", "json"]);
    let v: Value = serde_json::from_str(&text).unwrap();
    let total: u64 = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["achieved"].as_u64().unwrap())
        .sum();
    assert!(total > 50, "demo records count toward progress: {total}");
    // A second demo into a filled ledger is refused.
    clerk.fails(2, &["demo", "--records", "10"]);
}

#[test]
fn list_search_finds_chinese_names_and_credit_codes() {
    let clerk = Clerk::with_unit("230521");
    clerk.add("high_tech", HIGH_TECH);
    assert_eq!(clerk.list_json(&["--search", "鑫达"]).len(), 1);
    assert_eq!(clerk.list_json(&["--search", "ma1b2c"]).len(), 1);
    assert_eq!(clerk.list_json(&["--search", "宝清"]).len(), 0);
    let table = clerk.ok(&["list", "high_tech"]);
    assert!(table.contains("双鸭山鑫达"), "{table}");
}

fn indicator(v: &Value, kind: &str) -> Value {
    v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == kind)
        .unwrap()
        .clone()
}

#[test]
fn the_high_tech_row_shows_baseline_floor_and_target() {
    let clerk = Clerk::with_unit("230521");
    // A certificate of 2019 still valid at the end of 2020: the baseline is 1.
    clerk.add(
        "high_tech",
        &[
            "name=双鸭山鑫达石墨新材料科技有限公司",
            "credit_code=91230521MA1B2C3D4B",
            "cert_no=GR201923000123",
            "certified_on=2019-06-01",
            "recognition=first",
            "size=above",
        ],
    );
    let on = |date: &str| {
        let text = clerk.ok(&["progress", "--as-of", date, "--format", "json"]);
        indicator(&serde_json::from_str(&text).unwrap(), "high_tech")
    };
    // The expectation starts from the baseline, not from zero.
    let start = on("2021-01-01");
    assert_eq!(start["expected"], 1, "{start}");
    assert_eq!(start["status"], "on_track", "{start}");
    let year_end = on("2021-12-31");
    assert_eq!(year_end["growth"]["baseline"], 1, "{year_end}");
    // 1 + 50% rounded up is 2; the straight line from 1 to the quota 5 gives 2.33.
    assert_eq!(year_end["growth"]["first_year_expected"], 2, "{year_end}");
    assert_eq!(year_end["expected"], 2, "{year_end}");
    // 集贤县's share of the floor of 30 is 4 (largest remainder); the target is its quota.
    assert_eq!(year_end["floor"]["floor"], 4, "{year_end}");
    assert_eq!(year_end["floor"]["status"], "below_floor", "{year_end}");
    assert_eq!(year_end["target"], 5);

    let zh = clerk.ok(&["progress", "--as-of", "2021-12-31"]);
    assert!(
        zh.contains("2023 年末确保 4 家、力争 5 家；现有 1 家，未达确保数"),
        "{zh}"
    );
    assert!(
        zh.contains("基数（2020-12-31 台账中有效的）1 家；2021 年末应有 2 家"),
        "{zh}"
    );
    let en = clerk.ok(&["--lang", "en", "progress", "--as-of", "2021-12-31"]);
    assert!(
        en.contains("a floor of 4 (确保) and a target of 5 (力争); now 1: below floor"),
        "{en}"
    );
}

#[test]
fn tech_smes_show_that_the_plan_sets_only_2023_and_each_years_count() {
    let clerk = Clerk::with_unit("230521");
    for (code, reg_no, on) in [
        ("91230521MA1B2C3D4B", "2021230521A0000001", "2021-04-01"),
        ("91230521MA1B2C3D6H", "2021230521A0000002", "2021-05-01"),
        ("91230521MA1B2C3D4B", "2022230521A0000003", "2022-04-01"),
    ] {
        clerk.add(
            "tech_sme",
            &[
                "name=集贤县丰源农业科技有限公司",
                &format!("credit_code={code}"),
                &format!("reg_no={reg_no}"),
                &format!("registered_on={on}"),
            ],
        );
    }
    let text = clerk.ok(&["progress", "--as-of", "2023-06-30", "--format", "json"]);
    let tech = indicator(&serde_json::from_str(&text).unwrap(), "tech_sme");
    let yearly: Vec<(u64, u64)> = tech["yearly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| (y["year"].as_u64().unwrap(), y["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(yearly, vec![(2021, 2), (2022, 1), (2023, 0)]);
    let zh = clerk.ok(&["progress", "--as-of", "2023-06-30"]);
    assert!(
        zh.contains("入库科企：计划只规定 2023 年的数量（10 家，入库每年重新登记）；各年入库：2021 年 2 家，2022 年 1 家，2023 年 0 家。"),
        "{zh}"
    );
    let en = clerk.ok(&["--lang", "en", "progress", "--as-of", "2023-06-30"]);
    assert!(
        en.contains("the plan sets only the 2023 figure (10; registrations are renewed each year); registered per year: 2021: 2, 2022: 1, 2023: 0."),
        "{en}"
    );
}

fn incubator(name: &str) -> Vec<String> {
    [
        format!("name={name}"),
        "operator=宝清县科技局".into(),
        "type=maker_space".into(),
        "level=city".into(),
        "recognized_on=2022-05-01".into(),
    ]
    .into()
}

fn add_args(kind: &str, sets: &[String]) -> Vec<String> {
    let mut args = vec!["add".to_string(), kind.to_string()];
    for s in sets {
        args.extend(["--set".to_string(), s.clone()]);
    }
    args
}

/// A unit tried to add the same incubator six more times with invisible or compatibility
/// characters planted in its name; each is refused and the count stays at four.
#[test]
fn look_alike_incubators_are_refused_and_the_count_stays() {
    let clerk = Clerk::with_unit("230521");
    for name in [
        "双鸭山市众创空间",
        "宝清县科技企业孵化器",
        "集贤县星创天地",
        "友谊县大学生创业园",
    ] {
        let sets = incubator(name);
        clerk.add(
            "incubator",
            &sets.iter().map(String::as_str).collect::<Vec<_>>(),
        );
    }
    assert_eq!(clerk.achieved("2023-12-31", "incubator"), 4);
    let look_alikes = [
        // Removed as invisible: the name is the one already held, a duplicate.
        ("双鸭山市\u{AD}众创空间", "已登记过"),
        ("双鸭山市\u{3164}众创空间", "已登记过"),
        ("双鸭山市\u{180E}众创空间", "已登记过"),
        ("双鸭山市众创空间\u{FE0F}\u{E0100}", "已登记过"),
        // Refused where they are.
        (
            "双鸭山市众创空间\u{E0073}\u{E007F}",
            "第 9 个字符 U+E0073（标签字符）",
        ),
        (
            "双鸭山\u{E000}市众创空间",
            "第 4 个字符 U+E000（私用区字符）",
        ),
        (
            "双鸭山市众创\u{FDD0}空间",
            "第 7 个字符 U+FDD0（Unicode 非字符）",
        ),
        (
            "双鸭山市\u{202E}众创空间",
            "第 5 个字符 U+202E（双向控制符）",
        ),
    ];
    for (name, says) in look_alikes {
        let args = add_args("incubator", &incubator(name));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = clerk.fails(2, &args);
        assert!(err.contains(says), "{name:?}: {err}");
        if says == "已登记过" {
            assert!(err.contains("双鸭山市众创空间"), "{err}");
        } else {
            assert!(err.contains("名称："), "names the field: {err}");
        }
    }
    assert_eq!(clerk.achieved("2023-12-31", "incubator"), 4);
    assert_eq!(clerk.list_json(&[]).len(), 4);

    // Full-width letters are stored as ASCII, so the same name typed either way is one.
    let sets = incubator("ＳＳＹ众创空间");
    clerk.add(
        "incubator",
        &sets.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let args = add_args("incubator", &incubator("SSY众创空间"));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    clerk.fails(2, &args);
    let names: Vec<String> = clerk
        .list_json(&[])
        .iter()
        .map(|r| r["fields"]["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.contains(&"SSY众创空间".to_string()), "{names:?}");
    assert_eq!(clerk.achieved("2023-12-31", "incubator"), 5);
}

#[test]
fn a_void_reason_follows_the_text_policy() {
    let clerk = Clerk::with_unit("230521");
    let id = clerk.add("high_tech", HIGH_TECH);
    let err = clerk.fails(2, &["void", &id, "--reason", "重复\u{1b}[2J录入"]);
    assert!(
        err.contains("作废原因：第 3 个字符 U+001B（控制字符）"),
        "{err}"
    );
    assert_eq!(clerk.list_json(&[])[0]["status"], "active", "not voided");
    let err = clerk.fails(2, &["--lang", "en", "void", &id, "--reason", "\u{202E}x"]);
    assert!(
        err.contains("Void reason: character 1, U+202E (a bidirectional control)"),
        "{err}"
    );
    clerk.ok(&["void", &id, "--reason", "重复\u{AD}录入\n第二行"]);
    let record = &clerk.list_json(&["--include-voided"])[0];
    assert_eq!(record["void_reason"], "重复录入 第二行");
}

#[test]
fn an_account_with_control_characters_is_refused() {
    let clerk = Clerk::with_unit("230521");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_taizhang"));
    cmd.arg("--db").arg(&clerk.db).args(["add", "high_tech"]);
    for s in HIGH_TECH {
        cmd.args(["--set", s]);
    }
    let out = cmd
        .env_remove("TAIZHANG_LANG")
        .env("USER", "clerk\u{1b}[31m")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("第 6 个字符 U+001B"), "{err}");
    assert!(clerk.list_json(&[]).is_empty());
}

/// A ledger written by an earlier version holding the same incubator twice, once with a soft
/// hyphen in its name: after the upgrade both records are kept, they count once, and
/// `list --look-alikes` shows the pair so the clerk can void one.
#[test]
fn an_upgraded_ledger_keeps_look_alikes_counts_them_once_and_lists_them() {
    use taizhang::domain::{RecordKind, validate::validate_record};
    let clerk = Clerk::with_unit("230521");
    let mut ledger = taizhang::store::Ledger::open(&clerk.db).unwrap();
    for name in ["双鸭山市众创空间", "双鸭山市\u{AD}众创空间"] {
        let mut fields = taizhang::domain::FieldValues::new();
        for set in incubator("x") {
            let (key, value) = set.split_once('=').unwrap();
            fields.insert(key.into(), value.into());
        }
        let mut valid = validate_record(RecordKind::Incubator, &fields).unwrap();
        // As the earlier version stored it: the name as typed, keys that kept the hyphen.
        valid.fields.insert("name".into(), name.into());
        valid.index.name = name.into();
        valid.index.count_key = name.into();
        valid.index.dup_key = format!("{name}|city");
        ledger.insert(&valid, "zhangsan").unwrap();
    }
    ledger.meta_set("text_policy", "0").unwrap();
    drop(ledger);

    assert_eq!(clerk.achieved("2023-12-31", "incubator"), 1);
    assert_eq!(clerk.list_json(&[]).len(), 2, "both kept, none voided");
    let pairs = clerk.list_json(&["--look-alikes"]);
    assert_eq!(pairs.len(), 2);
    assert_eq!(pairs[0]["fields"]["name"], "双鸭山市众创空间");
    assert_eq!(pairs[1]["fields"]["name"], "双鸭山市\u{AD}众创空间");
    let table = clerk.ok(&["list", "--look-alikes"]);
    assert!(
        table.contains("<U+00AD>"),
        "the hidden hyphen is shown: {table}"
    );

    let later = pairs[1]["id"].as_str().unwrap();
    // The city would refuse a bundle with both: the export says which and what to do.
    let err = clerk.fails(2, &["export", "--out", clerk._dir.path().to_str().unwrap()]);
    assert!(err.contains("taizhang list --look-alikes"), "{err}");
    assert!(err.contains(later), "{err}");
    clerk.ok(&["void", later, "--reason", "与前一条重复"]);
    assert!(clerk.list_json(&["--look-alikes"]).is_empty());
    assert_eq!(clerk.achieved("2023-12-31", "incubator"), 1);
    clerk.ok(&["export", "--out", clerk._dir.path().to_str().unwrap()]);
}

#[test]
fn export_to_a_folder_that_does_not_exist_says_so_and_exits_2() {
    let clerk = Clerk::with_unit("230521");
    let missing = clerk.db.with_file_name("无此U盘");
    let err = clerk.fails(2, &["export", "--out", missing.to_str().unwrap()]);
    assert!(
        err.contains(&format!("文件夹 {} 不存在", missing.display())),
        "{err}"
    );
    assert!(
        !err.contains(".taizhang-") && !err.contains("拔出"),
        "{err}"
    );
    assert!(!missing.exists());
}

#[test]
fn init_with_the_city_code_as_a_unit_points_to_init_city() {
    let clerk = Clerk::new();
    let err = clerk.fails(2, &["init", "--unit", "230500"]);
    assert!(err.contains("taizhang init --city"), "{err}");
    assert!(!err.contains("可用的单位代码"), "{err}");
    assert!(!clerk.db.exists());
}

#[test]
fn a_folder_given_as_the_ledger_is_called_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["init", "--unit", "230521"][..], &["list"][..]] {
        let out = run_at(dir.path(), args);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("是一个文件夹"), "{args:?}: {err}");
        assert!(!err.contains("不是 taizhang 台账文件"), "{args:?}: {err}");
    }
}

#[test]
fn init_names_the_folders_it_created() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("台账").join("2023").join("ledger.sqlite");
    let out = run_at(&db, &["init", "--unit", "230521"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("已新建文件夹："))
        .unwrap_or_else(|| panic!("no folders line:\n{text}"));
    assert!(line.contains("台账") && line.contains("2023"), "{line}");
    // A second ledger in the same folders makes none.
    let again = run_at(
        &db.with_file_name("b.sqlite"),
        &["init", "--unit", "230522"],
    );
    assert!(!String::from_utf8_lossy(&again.stdout).contains("已新建文件夹"));
}

#[test]
fn progress_at_the_city_ledger_is_the_city_table() {
    let clerk = Clerk::new();
    clerk.ok(&["init", "--city"]);
    let table = clerk.ok(&["progress", "--as-of", "2023-12-31"]);
    assert!(
        table.contains("集贤县") && table.contains("全市合计"),
        "{table}"
    );
    assert!(!table.contains("230500（230500）"), "{table}");
}

#[test]
fn dates_written_with_hao_are_taken_and_future_dates_warn_but_save() {
    let clerk = Clerk::with_unit("230521");
    let mut sets: Vec<&str> = HIGH_TECH.to_vec();
    sets[3] = "certified_on=2023年5月1号";
    let id = clerk.add("high_tech", &sets);
    let record = clerk.list_json(&[]);
    assert_eq!(
        record[0]["fields"]["certified_on"], "2023-05-01",
        "{record:?}"
    );

    let out = clerk.run(&["edit", &id, "--set", "certified_on=2099年1月1号"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("晚于今天"), "a warning, not an error: {err}");
    let record = clerk.list_json(&[]);
    assert_eq!(record[0]["fields"]["certified_on"], "2099-01-01");
}

#[test]
fn show_tells_the_history_by_labels_and_the_creation_once() {
    let clerk = Clerk::with_unit("230521");
    let id = clerk.add("high_tech", HIGH_TECH);
    clerk.ok(&["edit", &id, "--set", "size=below"]);
    let shown = clerk.ok(&["show", &id]);
    assert!(shown.contains("企业规模：规上 → 规下"), "{shown}");
    assert!(!shown.contains("above"), "{shown}");
    assert_eq!(shown.matches("新建（版本 1）").count(), 1, "{shown}");
    let en = clerk.ok(&["--lang", "en", "show", &id]);
    assert!(
        en.contains("Size: Above designated size → Below designated size"),
        "{en}"
    );
}

#[test]
fn fields_may_be_named_by_their_chinese_labels_and_a_misspelt_key_is_said_alone() {
    let clerk = Clerk::with_unit("230521");
    let by_label: Vec<String> = [
        "名称=双鸭山鑫达石墨新材料科技有限公司",
        "统一社会信用代码=91230521MA1B2C3D4B",
        "证书编号=GR202123000123",
        "认定日期=2021-03-15",
        "认定类型=首次认定",
        "企业规模=规上",
    ]
    .map(String::from)
    .to_vec();
    let by_label: Vec<&str> = by_label.iter().map(String::as_str).collect();
    let id = clerk.add("高新企业", &by_label);
    clerk.ok(&["edit", &id, "--set", "备注=复审材料已交"]);
    let record = clerk.list_json(&[]);
    assert_eq!(
        record[0]["fields"]["name"],
        "双鸭山鑫达石墨新材料科技有限公司"
    );
    assert_eq!(record[0]["fields"]["notes"], "复审材料已交");

    let err = clerk.fails(2, &["add", "high_tech", "--set", "nmae=甲"]);
    assert!(err.contains("nmae"), "{err}");
    assert!(!err.contains("必须填写"), "the misspelt key alone: {err}");
}

/// The operating system's English error text never shows inside a Chinese message; in
/// English it is kept as the detail.
#[test]
fn os_errors_are_said_in_chinese() {
    let clerk = Clerk::with_unit("230521");
    let missing = clerk.db.with_file_name("没有这个文件.json");
    let missing = missing.to_str().unwrap();
    let err = clerk.fails(2, &["add", "high_tech", "--json", missing]);
    assert!(err.contains("文件或文件夹不存在"), "{err}");
    assert!(
        !err.contains("os error") && !err.contains("No such"),
        "{err}"
    );
    let en = clerk.fails(2, &["--lang", "en", "add", "high_tech", "--json", missing]);
    assert!(en.contains("No such file or directory"), "{en}");

    let file = clerk.db.with_file_name("a-file");
    std::fs::write(&file, "x").unwrap();
    let out = run_at(&file.join("ledger.sqlite"), &["init", "--unit", "230522"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("同名文件已存在"), "{err}");
    assert!(
        !err.contains("os error") && !err.contains("File exists"),
        "{err}"
    );
}

/// `taizhang list | head -1`: the reader leaving early is not an error to report.
#[test]
fn a_closed_output_pipe_is_not_reported() {
    let clerk = Clerk::with_unit("230521");
    for i in 0..3 {
        let mut sets = HIGH_TECH.to_vec();
        let cert = format!("cert_no=GR20212300012{i}");
        let name = format!("name=双鸭山鑫达石墨新材料科技有限公司{i}");
        sets[0] = &name;
        sets[2] = &cert;
        clerk.add("high_tech", &sets);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(&clerk.db)
        .args(["list"])
        .env_remove("TAIZHANG_LANG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the program writes.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("Broken pipe"), "{err}");
    assert!(!err.contains("os error"), "{err}");
}
