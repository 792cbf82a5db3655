//! Keys, receipts and lost ledgers from the command line: a unit that loses its ledger
//! carries on with a new one, a receipt that disagrees with the export log is a loud refusal,
//! weak or misplaced keys are never enrolled, and an implausible jump needs confirming.

mod cli_common;
use cli_common::*;

mod bundle_common;

use std::path::{Path, PathBuf};

use serde_json::Value;

const UNIT: &str = "230523";

/// Runs a command that must fail with exit code 2; returns stdout and stderr together.
fn refused(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn public_key(db: &Path) -> String {
    ok(db, &["--lang", "en", "key"])
        .lines()
        .find_map(|l| l.strip_prefix("Public key: "))
        .unwrap()
        .to_string()
}

fn fingerprint(db: &Path) -> String {
    ok(db, &["--lang", "en", "key"])
        .lines()
        .find_map(|l| l.strip_prefix("Fingerprint: "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .to_string()
}

fn export(db: &Path, usb: &Path) -> PathBuf {
    let text = ok(
        db,
        &["--lang", "en", "export", "--out", usb.to_str().unwrap()],
    );
    let path = text
        .lines()
        .find_map(|l| l.strip_prefix("Bundle written and verified: "))
        .unwrap();
    PathBuf::from(path)
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
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

fn tech_sme(name: &str, code: &str, reg_no: &str) -> Vec<String> {
    [
        "add".to_string(),
        "tech_sme".into(),
        "--set".into(),
        format!("name={name}"),
        "--set".into(),
        format!("credit_code={code}"),
        "--set".into(),
        format!("reg_no={reg_no}"),
        "--set".into(),
        "registered_on=2023-04-01".into(),
    ]
    .to_vec()
}

fn add(db: &Path, args: &[String]) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(db, &args);
}

fn firm_one() -> Vec<String> {
    tech_sme(
        "集贤县华兴农业科技有限公司",
        "91230521MA1B2C3D5E",
        "2023230521A0000001",
    )
}

fn firm_two() -> Vec<String> {
    tech_sme(
        "双鸭山鑫达石墨新材料科技有限公司",
        "91230521MA1B2C3D4B",
        "2023230521A0000002",
    )
}

fn firm_three() -> Vec<String> {
    tech_sme(
        "宝清县金田农业科技有限公司",
        "91230521MA1B2C3D6H",
        "2023230521A0000003",
    )
}

/// The city's active records of the unit: (kind, name), sorted.
fn city_active(city: &Path) -> Vec<(String, String)> {
    let list: Value = serde_json::from_str(&ok(city, &["list", "--format", "json"])).unwrap();
    let mut held: Vec<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["unit"] == UNIT)
        .map(|r| {
            (
                r["kind"].as_str().unwrap().to_string(),
                r["fields"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    held.sort();
    held
}

/// What the city counts for the unit, per indicator.
fn city_achieved(city: &Path, kind: &str) -> u64 {
    let report: Value = serde_json::from_str(&ok(
        city,
        &[
            "progress",
            "--by-unit",
            "--as-of",
            "2023-12-31",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    let unit = report["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == UNIT)
        .unwrap();
    unit["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == kind)
        .unwrap()["achieved"]
        .as_u64()
        .unwrap()
}

struct Office {
    dir: tempfile::TempDir,
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
    ok(&unit, &["init", "--unit", UNIT]);
    ok(&city, &["init", "--city"]);
    ok(
        &city,
        &["enroll", "--unit", UNIT, "--key", &public_key(&unit)],
    );
    ok(&unit, &["enroll", "--city", "--key", &public_key(&city)]);
    Office {
        dir,
        unit,
        city,
        usb,
    }
}

#[test]
fn a_unit_that_lost_its_ledger_carries_on_with_a_new_one() {
    let o = office();
    ok(&o.unit, INCUBATOR);
    add(&o.unit, &firm_one());
    add(&o.unit, &firm_two());
    let old_first = export(&o.unit, &o.usb);
    ok(&o.city, &["import", path_str(&old_first)]);
    assert_eq!(city_achieved(&o.city, "tech_sme"), 2);
    // A bundle of the old ledger the city never got (still on an old stick).
    let stale = o.dir.path().join("stale");
    std::fs::create_dir(&stale).unwrap();
    let old_second = export(&o.unit, &stale);

    // The ledger is lost. A new one is made; the clerks re-enter two of the three entities
    // and one new firm.
    let new_unit = o.dir.path().join("new-unit.sqlite");
    ok(&new_unit, &["init", "--unit", UNIT]);
    ok(&new_unit, INCUBATOR);
    add(&new_unit, &firm_one());
    add(&new_unit, &firm_three());
    let usb2 = o.dir.path().join("usb2");
    std::fs::create_dir(&usb2).unwrap();
    let new_first = export(&new_unit, &usb2);

    // Before the new key is enrolled the new ledger's bundle is refused as unknown.
    refused(&o.city, &["import", path_str(&new_first)]);
    ok(
        &o.city,
        &[
            "enroll",
            "--unit",
            UNIT,
            "--key",
            &public_key(&new_unit),
            "--replace",
        ],
    );

    // The dry run says what the new ledger's first bundle retires, and changes nothing.
    let dry = ok(
        &o.city,
        &["--lang", "en", "import", "--dry-run", path_str(&new_first)],
    );
    assert!(
        dry.contains("would void 3 records") && dry.contains("3 new") && !dry.contains("refused ("),
        "{dry}"
    );
    assert_eq!(city_achieved(&o.city, "tech_sme"), 2);

    // Bundle 1 of the new ledger is imported; the old ledger's records are retired.
    let said = ok(&o.city, &["--lang", "en", "import", path_str(&new_first)]);
    assert!(said.contains("bundle 1: 3 new"), "{said}");
    assert!(
        said.contains("the 3 records the city held from the unit's old ledger"),
        "{said}"
    );
    assert_eq!(
        city_active(&o.city),
        vec![
            ("incubator".into(), "宝清县科技企业孵化器".into()),
            ("tech_sme".into(), "宝清县金田农业科技有限公司".into()),
            ("tech_sme".into(), "集贤县华兴农业科技有限公司".into()),
        ],
        "each entity once"
    );
    assert_eq!(city_achieved(&o.city, "tech_sme"), 2);
    assert_eq!(city_achieved(&o.city, "incubator"), 1);

    // The old records stay in the city ledger, voided with the reason naming the new key.
    let all: Value = serde_json::from_str(&ok(
        &o.city,
        &["list", "--include-voided", "--format", "json"],
    ))
    .unwrap();
    let new_print = fingerprint(&new_unit);
    let retired: Vec<&Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "voided")
        .collect();
    assert_eq!(retired.len(), 3);
    for r in retired {
        let reason = r["void_reason"].as_str().unwrap();
        assert!(reason.contains(&new_print), "{reason}");
    }
    let log = ok(&o.city, &["--lang", "en", "imports"]);
    assert!(log.contains("3 old records retired"), "{log}");

    // The old key's bundle is now refused, naming it as the unit's former key.
    let said = refused(&o.city, &["import", path_str(&old_second)]);
    assert!(said.contains("旧密钥"), "{said}");
    assert_eq!(city_achieved(&o.city, "tech_sme"), 2);

    // The new ledger carries on: bundle 2 adds a firm, nothing more is retired.
    add(&new_unit, &firm_two());
    let new_second = export(&new_unit, &usb2);
    let said = ok(&o.city, &["--lang", "en", "import", path_str(&new_second)]);
    assert!(
        said.contains("bundle 2: 1 new") && !said.contains("old ledger"),
        "{said}"
    );
    assert_eq!(city_achieved(&o.city, "tech_sme"), 3);

    // Its receipt matches the new ledger's own export log.
    ok(
        &new_unit,
        &["enroll", "--city", "--key", &public_key(&o.city)],
    );
    ok(
        &o.city,
        &["receipt", "--unit", UNIT, "--out", path_str(&usb2)],
    );
    let said = ok(&new_unit, &["import", path_str(&usb2)]);
    assert!(said.contains("第 2 号"), "{said}");
}

#[test]
fn a_receipt_for_a_substituted_bundle_is_a_loud_refusal() {
    let o = office();
    ok(&o.unit, INCUBATOR);
    // A copy of the unit's ledger (same key, same numbering) writes another bundle 1.
    let copy = o.dir.path().join("copy.sqlite");
    std::fs::copy(&o.unit, &copy).unwrap();
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", o.unit.display()));
        if side.exists() {
            std::fs::copy(&side, format!("{}{suffix}", copy.display())).unwrap();
        }
    }
    let genuine = export(&o.unit, &o.usb);
    add(&copy, &firm_one());
    let elsewhere = o.dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let substitute = export(&copy, &elsewhere);
    assert_ne!(
        std::fs::read(&genuine).unwrap(),
        std::fs::read(&substitute).unwrap()
    );
    // The city is given the substitute.
    ok(&o.city, &["import", path_str(&substitute)]);
    let receipts = o.dir.path().join("receipts");
    std::fs::create_dir(&receipts).unwrap();
    ok(
        &o.city,
        &["receipt", "--unit", UNIT, "--out", path_str(&receipts)],
    );

    let said = refused(&o.unit, &["--lang", "en", "import", path_str(&receipts)]);
    assert!(
        said.contains("WARNING")
            && said.contains("The city holds a different bundle numbered 1")
            && said.contains("a substituted bundle?"),
        "{said}"
    );
    let said = refused(&o.unit, &["import", path_str(&receipts)]);
    assert!(said.contains("警告") && said.contains("调换"), "{said}");

    // The genuine bundle, brought to the city afterwards, is refused as a different bundle
    // under the number it holds: the two sides now know they disagree.
    let said = refused(&o.city, &["import", path_str(&genuine)]);
    assert!(said.contains("内容不同"), "{said}");
}

#[test]
fn enroll_refuses_weak_misplaced_and_borrowed_keys() {
    let o = office();
    let small_order = "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a";
    let identity = "0100000000000000000000000000000000000000000000000000000000000000";
    for key in [small_order, identity] {
        let said = refused(
            &o.city,
            &["--lang", "en", "enroll", "--unit", "230521", "--key", key],
        );
        assert!(said.contains("cannot be enrolled"), "{said}");
        let said = refused(&o.unit, &["enroll", "--city", "--replace", "--key", key]);
        assert!(said.contains("不能登记"), "{said}");
    }
    // The city's own key is not a unit's, nor the unit's own key the city's.
    let said = refused(
        &o.city,
        &["enroll", "--unit", "230521", "--key", &public_key(&o.city)],
    );
    assert!(said.contains("本市级台账自己的公钥"), "{said}");
    let said = refused(
        &o.unit,
        &[
            "enroll",
            "--city",
            "--replace",
            "--key",
            &public_key(&o.unit),
        ],
    );
    assert!(said.contains("本单位台账自己的公钥"), "{said}");
    // One unit's key is not another's.
    let said = refused(
        &o.city,
        &["enroll", "--unit", "230521", "--key", &public_key(&o.unit)],
    );
    assert!(said.contains("已登记给单位 230523"), "{said}");
}

#[test]
fn a_jump_in_numbering_is_imported_only_when_the_city_confirms() {
    use bundle_common::{seed, ts};
    use taizhang::bundle::format::{BundleInfo, encode_bundle};
    use taizhang::bundle::keys;

    let dir = tempfile::tempdir().unwrap();
    let city = dir.path().join("city.sqlite");
    ok(&city, &["init", "--city"]);
    let key = keys::key_hex(&keys::public_key(&seed(9)));
    ok(&city, &["enroll", "--unit", UNIT, "--key", &key]);
    let plan_id = "sys-2021-2023";
    let bundle = encode_bundle(
        &seed(9),
        &BundleInfo {
            unit: UNIT.into(),
            sequence: 1_001,
            created_at: ts("2023-07-01T00:00:00Z"),
            plan_id: plan_id.into(),
        },
        &[],
    )
    .unwrap();
    let file = dir.path().join("taizhang-230523-001001-20230701.tzb");
    std::fs::write(&file, bundle).unwrap();

    let said = refused(&city, &["import", path_str(&file)]);
    assert!(
        said.contains("--confirm-jump") && said.contains("1001"),
        "{said}"
    );
    let said = refused(&city, &["import", "--dry-run", path_str(&file)]);
    assert!(said.contains("--confirm-jump"), "{said}");
    ok(
        &city,
        &["import", "--dry-run", "--confirm-jump", path_str(&file)],
    );
    let said = ok(
        &city,
        &["--lang", "en", "import", "--confirm-jump", path_str(&file)],
    );
    assert!(said.contains("bundle 1001"), "{said}");
}
