//! The city side from the command line: a whole demonstration, the nine units' bundles
//! round-tripping into the city's figures, tampered files refused, keys pinned.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TAIZHANG_LANG")
        .env_remove("TAIZHANG_DB")
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

fn json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(db, args)).unwrap()
}

fn achieved(progress: &Value) -> Vec<(String, u64)> {
    progress["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["key"].as_str().unwrap().to_string(),
                i["achieved"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The public key line `taizhang key` prints.
fn public_key(db: &Path) -> String {
    let text = ok(db, &["--lang", "en", "key"]);
    text.lines()
        .find_map(|l| l.strip_prefix("Public key: "))
        .unwrap()
        .to_string()
}

#[test]
fn nine_units_round_trip_into_the_city_figures() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    let out = Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .args(["demo", "--city"])
        .arg(&demo)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let city = demo.join("city.sqlite");
    let report = json(
        &city,
        &[
            "progress",
            "--by-unit",
            "--as-of",
            "2023-12-31",
            "--format",
            "json",
        ],
    );

    // Quotas sum to the Annex 2 totals, and the city total row has them.
    let total = &report["total"];
    let targets: Vec<u64> = total["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["target"].as_u64().unwrap())
        .collect();
    assert_eq!(targets, vec![80, 36, 24, 15, 30, 80]);
    let units = report["units"].as_array().unwrap();
    assert_eq!(units.len(), 9);

    // Every unit's own progress equals what the city holds for it.
    let mut sums = [0u64; 6];
    for unit in units {
        let code = unit["unit"].as_str().unwrap();
        let own = json(
            &demo.join("units").join(format!("{code}.sqlite")),
            &["progress", "--as-of", "2023-12-31", "--format", "json"],
        );
        assert_eq!(achieved(&own), achieved(unit), "unit {code}");
        for (sum, (_, n)) in sums.iter_mut().zip(achieved(unit)) {
            *sum += n;
        }
    }
    // The demo has one high-tech firm and one tech SME claimed by two units: the city total
    // counts each once.
    let claims = report["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 2, "{claims:?}");
    assert!(
        claims
            .iter()
            .all(|c| c["claims"].as_array().unwrap().len() == 2)
    );
    let totals = achieved(total);
    assert_eq!(
        totals[1].1,
        sums[1] - 1,
        "high_tech claimed twice counts once"
    );
    assert_eq!(
        totals[2].1, sums[2],
        "no double claims among R&D institutions"
    );

    // The ranking lists every unit once, best first.
    let ranking = report["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 9);
    let scores: Vec<f64> = ranking
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // Every unit has sent a bundle and holds the city's receipt.
    assert!(
        report["freshness"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["silent"] == false)
    );

    // The table in Chinese names the units, the ranking rule and the claims.
    let table = ok(&city, &["progress", "--by-unit", "--as-of", "2023-12-31"]);
    for text in ["集贤县", "全市合计", "排名规则", "多个单位同时填报"] {
        assert!(table.contains(text), "{text} missing:\n{table}");
    }
}

struct Office {
    _dir: tempfile::TempDir,
    unit: PathBuf,
    city: PathBuf,
    usb: PathBuf,
}

fn office() -> Office {
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("unit.sqlite");
    let city = dir.path().join("city.sqlite");
    let usb = dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    ok(&unit, &["init", "--unit", "230523"]);
    ok(&city, &["init", "--city"]);
    Office {
        _dir: dir,
        unit,
        city,
        usb,
    }
}

const INCUBATOR: &[&str] = &[
    "add",
    "incubator",
    "--set",
    "name=宝清县科技企业孵化器",
    "--set",
    "operator=宝清县科技局",
    "--set",
    "type=incubator",
    "--set",
    "level=provincial",
    "--set",
    "recognized_on=2022-05-01",
];

fn export(o: &Office) -> PathBuf {
    let text = ok(
        &o.unit,
        &["--lang", "en", "export", "--out", o.usb.to_str().unwrap()],
    );
    let path = text
        .lines()
        .find_map(|l| l.strip_prefix("Bundle written and verified: "))
        .unwrap();
    PathBuf::from(path)
}

fn city_records(o: &Office) -> usize {
    json(&o.city, &["list", "--include-voided", "--format", "json"])
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn a_tampered_bundle_is_refused_with_a_plain_message() {
    let o = office();
    ok(&o.unit, INCUBATOR);
    let bundle = export(&o);
    ok(
        &o.city,
        &["enroll", "--unit", "230523", "--key", &public_key(&o.unit)],
    );

    let mut bytes = std::fs::read(&bundle).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&bundle, &bytes).unwrap();
    let out = run(&o.city, &["import", bundle.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("未导入"), "{said}");
    assert!(said.contains("签名"), "names the broken signature: {said}");
    assert_eq!(city_records(&o), 0, "nothing imported");

    // The intact file imports; the same file again is already held.
    bytes[middle] ^= 0x20;
    std::fs::write(&bundle, &bytes).unwrap();
    ok(&o.city, &["import", bundle.to_str().unwrap()]);
    assert_eq!(city_records(&o), 1);
    let again = ok(&o.city, &["import", bundle.to_str().unwrap()]);
    assert!(again.contains("此前已导入"), "{again}");
}

#[test]
fn unknown_keys_and_replaced_keys_need_an_explicit_step() {
    let o = office();
    ok(&o.unit, INCUBATOR);
    let bundle = export(&o);
    let out = run(&o.city, &["import", bundle.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("taizhang enroll"), "{said}");

    let key = public_key(&o.unit);
    let enrolled = ok(&o.city, &["enroll", "--unit", "宝清县", "--key", &key]);
    assert!(enrolled.contains("指纹"), "{enrolled}");
    let other = tempfile::tempdir().unwrap();
    let stranger = other.path().join("x.sqlite");
    ok(&stranger, &["init", "--unit", "230523"]);
    let new_key = public_key(&stranger);
    let refused = run(&o.city, &["enroll", "--unit", "230523", "--key", &new_key]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--replace"));
    ok(
        &o.city,
        &["enroll", "--unit", "230523", "--key", &new_key, "--replace"],
    );
    // The old unit key no longer opens the door.
    assert_eq!(
        run(&o.city, &["import", bundle.to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn dry_run_shows_each_record_and_writes_nothing() {
    let o = office();
    ok(&o.unit, INCUBATOR);
    let bundle = export(&o);
    ok(
        &o.city,
        &["enroll", "--unit", "230523", "--key", &public_key(&o.unit)],
    );
    let text = ok(&o.city, &["import", "--dry-run", bundle.to_str().unwrap()]);
    assert!(
        text.contains("新增") && text.contains("宝清县科技企业孵化器"),
        "{text}"
    );
    assert_eq!(city_records(&o), 0);
}

#[test]
fn the_city_ledger_is_read_only_and_the_unit_sees_its_receipt() {
    let o = office();
    ok(&o.unit, INCUBATOR);
    let bundle = export(&o);
    ok(
        &o.city,
        &["enroll", "--unit", "230523", "--key", &public_key(&o.unit)],
    );
    ok(&o.city, &["import", bundle.to_str().unwrap()]);

    let out = run(&o.city, INCUBATOR);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("单位"),
        "says corrections come from the unit"
    );

    ok(
        &o.city,
        &[
            "receipt",
            "--unit",
            "230523",
            "--out",
            o.usb.to_str().unwrap(),
        ],
    );
    ok(
        &o.unit,
        &["enroll", "--city", "--key", &public_key(&o.city)],
    );
    let said = ok(&o.unit, &["import", o.usb.to_str().unwrap()]);
    assert!(said.contains("第 1 号"), "{said}");
}

#[test]
fn text_from_an_imported_record_never_reaches_the_terminal_raw() {
    let o = office();
    // A bidi override and an escape are refused at the unit, naming where they are.
    let out = run(
        &o.unit,
        &[
            "add",
            "incubator",
            "--set",
            "name=恶意\u{202E}名称\u{200B}孵化器",
            "--set",
            "operator=x\u{1b}[31m红",
            "--set",
            "type=incubator",
            "--set",
            "level=city",
            "--set",
            "recognized_on=2022-05-01",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("第 3 个字符 U+202E（双向控制符）不能出现在名称中"),
        "{err}"
    );
    assert!(err.contains("第 2 个字符 U+001B（控制字符）"), "{err}");
    ok(
        &o.unit,
        &[
            "add",
            "incubator",
            "--set",
            "name=恶意\u{AD}名称\u{200B}孵化器",
            "--set",
            "operator=x\u{FEFF}[31m红",
            "--set",
            "type=incubator",
            "--set",
            "level=city",
            "--set",
            "recognized_on=2022-05-01",
        ],
    );
    let bundle = export(&o);
    ok(
        &o.city,
        &["enroll", "--unit", "230523", "--key", &public_key(&o.unit)],
    );
    ok(&o.city, &["import", bundle.to_str().unwrap()]);
    for args in [
        vec!["list"],
        vec!["list", "--format", "csv"],
        vec!["list", "--format", "json"],
        vec!["progress", "--by-unit"],
        vec!["import", "--dry-run", bundle.to_str().unwrap()],
    ] {
        let text = ok(&o.city, &args);
        assert!(!text.contains('\u{1b}'), "{args:?}: raw escape");
        assert!(!text.contains('\u{202E}'), "{args:?}: raw bidi override");
    }
    // Hidden characters never reached the ledger in the first place.
    let records = json(&o.city, &["list", "--format", "json"]);
    assert_eq!(records[0]["fields"]["name"], "恶意名称孵化器");
}
