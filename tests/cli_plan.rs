//! Moving to the next plan from the command line: `plan adopt` at a unit and at the city,
//! old records still counting by their own dates, bundles carrying the plan they were made
//! under, and the refusals a clerk would meet.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use taizhang::store::Ledger;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plan-2024-2026.toml")
}

fn current_plan_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/plan-2021-2023.toml")
}

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TAIZHANG_LANG")
        .env_remove("TAIZHANG_DB")
        .env("USER", "clerk-li")
        .output()
        .expect("run taizhang")
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs a command that must fail with `code`; returns what it printed (an import prints
/// each file's refusal on stdout, the summary on stderr).
fn fails(db: &Path, code: i32, args: &[&str]) -> String {
    let out = run(db, args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}: stdout {} stderr {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut said = String::from_utf8(out.stdout).unwrap();
    said.push_str(&String::from_utf8(out.stderr).unwrap());
    said
}

fn json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(db, args)).unwrap()
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn records_digest(db: &Path) -> String {
    Ledger::open(db).unwrap().records_digest().unwrap()
}

/// `(target, achieved)` of one indicator in a `progress --format json` report.
fn indicator(progress: &Value, key: &str) -> (u64, u64) {
    let found = progress["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == key)
        .unwrap_or_else(|| panic!("{key} missing from {progress}"));
    (
        found["target"].as_u64().unwrap(),
        found["achieved"].as_u64().unwrap(),
    )
}

const PROGRESS_2024: &[&str] = &["progress", "--as-of", "2024-06-30", "--format", "json"];

/// A 集贤县 ledger under the 2021-2023 plan with a high-tech certificate of 2022 (valid three
/// years, so through 2025-03-14) and an R&D institution recognised in 2022.
fn jixian_ledger(dir: &Path) -> PathBuf {
    let db = dir.join("230521.sqlite");
    ok(&db, &["init", "--unit", "230521"]);
    for (kind, sets) in [
        (
            "high_tech",
            &[
                "name=双鸭山鑫达石墨新材料科技有限公司",
                "credit_code=91230521MA1B2C3D4B",
                "cert_no=GR202223000123",
                "certified_on=2022-03-15",
                "recognition=first",
                "size=above",
            ][..],
        ),
        (
            "rnd_institution",
            &[
                "name=集贤县大豆工程技术研究中心",
                "host=集贤县华兴农业科技有限公司",
                "level=city",
                "category=工程技术研究中心",
                "new_type=no",
                "recognized_on=2022-06-30",
            ][..],
        ),
    ] {
        let mut args = vec!["add", kind];
        for set in sets {
            args.extend(["--set", set]);
        }
        ok(&db, &args);
    }
    db
}

#[test]
fn adopting_the_next_plan_keeps_every_record_and_old_certificates_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let db = jixian_ledger(dir.path());
    let before = json(&db, PROGRESS_2024);
    assert_eq!(indicator(&before, "high_tech"), (5, 1));
    let digest = records_digest(&db);

    let said = ok(
        &db,
        &["--lang", "en", "plan", "adopt", path_str(&fixture())],
    );
    assert!(said.contains("now follows plan sys-2024-2026"), "{said}");
    assert!(said.contains("before, it followed sys-2021-2023"), "{said}");
    assert_eq!(records_digest(&db), digest, "adopting changed records");

    // From now on, without --plan: the new quotas; the 2022 certificate and the 2022
    // institution still count on 2024-06-30.
    let after = json(&db, PROGRESS_2024);
    assert_eq!(indicator(&after, "high_tech"), (7, 1));
    assert_eq!(indicator(&after, "rnd_institution"), (3, 1));
    assert_eq!(indicator(&after, "tech_sme").0, 12);
    let table = ok(&db, &["--lang", "en", "progress", "--as-of", "2024-06-30"]);
    assert!(!table.contains("the plan ended"), "{table}");

    // `plan` says which plan is in force, where it came from and who adopted it when.
    let shown = ok(&db, &["--lang", "en", "plan"]);
    assert!(shown.contains("Plan in force: sys-2024-2026"), "{shown}");
    assert!(shown.contains("10 units"), "{shown}");
    assert!(
        shown.contains("the plan file this ledger adopted"),
        "{shown}"
    );
    assert!(
        shown.contains("clerk-li: sys-2021-2023 -> sys-2024-2026"),
        "{shown}"
    );
    let events = Ledger::open(&db).unwrap().plan_events().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (
            events[0].old_plan_id.as_str(),
            events[0].new_plan_id.as_str()
        ),
        ("sys-2021-2023", "sys-2024-2026")
    );
    assert_eq!(events[0].actor, "clerk-li");

    // Adopting the same file again changes nothing; --plan still overrides for one run.
    let again = ok(
        &db,
        &["--lang", "en", "plan", "adopt", path_str(&fixture())],
    );
    assert!(again.contains("already in force"), "{again}");
    assert_eq!(Ledger::open(&db).unwrap().plan_events().unwrap().len(), 1);
    let old_view = json(
        &db,
        &[
            "--plan",
            path_str(&current_plan_file()),
            "progress",
            "--as-of",
            "2023-12-31",
            "--format",
            "json",
        ],
    );
    assert_eq!(indicator(&old_view, "high_tech"), (5, 1));
    assert_eq!(records_digest(&db), digest);
}

#[test]
fn a_plan_that_does_not_list_the_unit_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    // The high-tech zone exists only in the next plan; its ledger is made under it.
    let db = dir.path().join("gxq.sqlite");
    ok(
        &db,
        &["--plan", path_str(&fixture()), "init", "--unit", "gxq"],
    );
    let shown = ok(&db, &["--lang", "en", "plan"]);
    assert!(shown.contains("Plan in force: sys-2024-2026"), "{shown}");
    let digest = records_digest(&db);

    let current = path_str(&current_plan_file()).to_string();
    let zh = fails(&db, 2, &["plan", "adopt", &current]);
    assert!(zh.contains("sys-2021-2023"), "{zh}");
    assert!(zh.contains("没有本单位"), "{zh}");
    assert!(zh.contains("gxq"), "{zh}");
    let en = fails(&db, 2, &["--lang", "en", "plan", "adopt", &current]);
    assert!(
        en.contains("Plan sys-2021-2023 does not list this unit"),
        "{en}"
    );
    assert!(en.contains("High-tech Zone Admin. Committee, gxq"), "{en}");

    let shown = ok(&db, &["--lang", "en", "plan"]);
    assert!(shown.contains("Plan in force: sys-2024-2026"), "{shown}");
    assert_eq!(records_digest(&db), digest);
    let progress = json(&db, PROGRESS_2024);
    assert_eq!(progress["unit"], "gxq");
    assert_eq!(indicator(&progress, "incubator").0, 2);
}

/// The public key line `taizhang key` prints.
fn public_key(db: &Path) -> String {
    ok(db, &["--lang", "en", "key"])
        .lines()
        .find_map(|l| l.strip_prefix("Public key: "))
        .unwrap()
        .to_string()
}

fn export(db: &Path, usb: &Path) -> PathBuf {
    let text = ok(db, &["--lang", "en", "export", "--out", path_str(usb)]);
    let path = text
        .lines()
        .find_map(|l| l.strip_prefix("Bundle written and verified: "))
        .unwrap();
    PathBuf::from(path)
}

#[test]
fn the_city_takes_bundles_of_the_plan_it_follows_and_names_both_plans_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let unit = jixian_ledger(dir.path());
    let city = dir.path().join("city.sqlite");
    ok(&city, &["init", "--city"]);
    ok(
        &city,
        &["enroll", "--unit", "230521", "--key", &public_key(&unit)],
    );

    // The unit moves first: its bundle says the new plan, and the city, still on the old
    // one, refuses it saying both plans and what to do.
    ok(&unit, &["plan", "adopt", path_str(&fixture())]);
    let usb = dir.path().join("usb-1");
    std::fs::create_dir(&usb).unwrap();
    let bundle = export(&unit, &usb);
    let city_digest = records_digest(&city);
    let en = fails(&city, 2, &["--lang", "en", "import", path_str(&bundle)]);
    assert!(en.contains("made under plan sys-2024-2026"), "{en}");
    assert!(en.contains("follows plan sys-2021-2023"), "{en}");
    assert!(en.contains("taizhang plan adopt"), "{en}");
    let zh = fails(&city, 2, &["import", path_str(&bundle)]);
    assert!(
        zh.contains("sys-2024-2026") && zh.contains("sys-2021-2023"),
        "{zh}"
    );
    assert_eq!(records_digest(&city), city_digest);

    // The city adopts the plan too: the same bundle is taken, and the city view has ten
    // units, the new one without a bundle, the 2022 certificate still counting in 2024.
    let said = ok(
        &city,
        &["--lang", "en", "plan", "adopt", path_str(&fixture())],
    );
    assert!(
        said.contains("only bundles made under plan sys-2024-2026"),
        "{said}"
    );
    ok(&city, &["import", path_str(&bundle)]);
    let report = json(
        &city,
        &[
            "progress",
            "--by-unit",
            "--as-of",
            "2024-06-30",
            "--format",
            "json",
        ],
    );
    let units = report["units"].as_array().unwrap();
    let codes: Vec<&str> = units.iter().map(|u| u["unit"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 10, "{codes:?}");
    assert_eq!(codes.last(), Some(&"gxq"));
    assert_eq!(indicator(&units[0], "high_tech"), (7, 1));
    assert_eq!(indicator(&report["total"], "high_tech"), (50, 1));
    let table = ok(
        &city,
        &[
            "--lang",
            "en",
            "progress",
            "--by-unit",
            "--as-of",
            "2024-06-30",
        ],
    );
    assert!(
        table.contains("High-tech Zone Admin. Committee: no bundle received yet"),
        "{table}"
    );

    // A unit still on the old plan is now the one refused, again with both names.
    let raohe = dir.path().join("230524.sqlite");
    ok(&raohe, &["init", "--unit", "230524"]);
    ok(
        &city,
        &["enroll", "--unit", "230524", "--key", &public_key(&raohe)],
    );
    let usb = dir.path().join("usb-2");
    std::fs::create_dir(&usb).unwrap();
    let old = export(&raohe, &usb);
    let en = fails(&city, 2, &["--lang", "en", "import", path_str(&old)]);
    assert!(en.contains("made under plan sys-2021-2023"), "{en}");
    assert!(en.contains("follows plan sys-2024-2026"), "{en}");
    assert!(
        en.contains("ask the unit to adopt plan sys-2024-2026"),
        "{en}"
    );
}

#[test]
fn a_broken_plan_file_is_refused_with_its_line_and_the_old_plan_stays() {
    let dir = tempfile::tempdir().unwrap();
    let db = jixian_ledger(dir.path());
    let broken = dir.path().join("plan-2024-2026.toml");
    let text = std::fs::read_to_string(fixture()).unwrap();
    std::fs::write(
        &broken,
        text.replacen("city_total = 100", "city_total = 99", 1),
    )
    .unwrap();
    let en = fails(
        &db,
        2,
        &["--lang", "en", "plan", "adopt", path_str(&broken)],
    );
    assert!(en.contains("plan-2024-2026.toml, line"), "{en}");
    let shown = ok(&db, &["--lang", "en", "plan"]);
    assert!(shown.contains("Plan in force: sys-2021-2023"), "{shown}");
    assert!(shown.contains("built into the program"), "{shown}");
    assert_eq!(Ledger::open(&db).unwrap().plan_events().unwrap(), vec![]);
}
