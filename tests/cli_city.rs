//! The city side from the command line: a whole demonstration, the nine units' bundles
//! round-tripping into the city's figures, tampered files refused, keys pinned.

mod cli_common;
use cli_common::*;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

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

    // Each unit put firms into its pool, and the city sees them by stage; a unit's worklist
    // names the renewals it has due.
    let text = String::from_utf8(
        Command::new(env!("CARGO_BIN_EXE_taizhang"))
            .arg("--db")
            .arg(&city)
            .args(["pool"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let total_line = text.lines().find(|l| l.starts_with("合计")).unwrap_or("");
    let open: Vec<u64> = total_line
        .split_whitespace()
        .skip(1)
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(open.len() >= 4 && open[1] > 0 && open[3] > 0, "{text}");
    let due = json(
        &demo.join("units").join("230523.sqlite"),
        &["due", "--as-of", "2023-12-31", "--format", "json"],
    );
    assert!(!due["lapses"].as_array().unwrap().is_empty(), "{due}");

    // Every unit's own progress equals what the city holds for it, less the claimed
    // entities credited to another unit; so the units add up to the city total.
    let claims = report["claims"].as_array().unwrap();
    let lost = |code: &str, kind: &str| -> u64 {
        claims
            .iter()
            .filter(|c| c["kind"] == kind)
            .filter(|c| {
                let by = c["claims"].as_array().unwrap();
                by.iter().any(|b| b["unit"] == code)
                    && !by
                        .iter()
                        .any(|b| b["unit"] == code && b["credited"] == true)
            })
            .count() as u64
    };
    let mut sums = [0u64; 6];
    for unit in units {
        let code = unit["unit"].as_str().unwrap();
        let own = json(
            &demo.join("units").join(format!("{code}.sqlite")),
            &["progress", "--as-of", "2023-12-31", "--format", "json"],
        );
        let at_city: Vec<(String, u64)> = achieved(&own)
            .into_iter()
            .map(|(kind, n)| {
                let lost = lost(code, &kind);
                (kind, n - lost)
            })
            .collect();
        assert_eq!(at_city, achieved(unit), "unit {code}");
        for (sum, (_, n)) in sums.iter_mut().zip(achieved(unit)) {
            *sum += n;
        }
    }
    // The demo has one high-tech firm and one tech SME claimed by two units: the city total
    // counts each once, credited to one of them.
    assert_eq!(claims.len(), 2, "{claims:?}");
    for claim in claims {
        let by = claim["claims"].as_array().unwrap();
        assert_eq!(by.len(), 2);
        assert_eq!(by.iter().filter(|b| b["credited"] == true).count(), 1);
    }
    let totals = achieved(total);
    assert_eq!(
        totals.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        sums.to_vec(),
        "the units add up to the city total"
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
    for text in ["集贤县", "全市合计", "排名规则", "多个单位计入", "计入规则"]
    {
        assert!(table.contains(text), "{text} missing:\n{table}");
    }

    // A year-end assessment on 2021-12-31 scores each unit against what was expected of it
    // by then (its share of 2021's milestones), not against its quota for 2023.
    let year_end = json(
        &city,
        &[
            "progress",
            "--by-unit",
            "--as-of",
            "2021-12-31",
            "--format",
            "json",
        ],
    );
    let mut against_quota_differs = false;
    for rank in year_end["ranking"].as_array().unwrap() {
        let code = rank["unit"].as_str().unwrap();
        let unit = year_end["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit"] == code)
            .unwrap();
        let completion = |against: &str| {
            let inds = unit["indicators"].as_array().unwrap();
            let sum: f64 = inds
                .iter()
                .map(|i| {
                    let of = i[against].as_f64().unwrap();
                    let done = i["achieved"].as_f64().unwrap();
                    if of == 0.0 { 1.0 } else { (done / of).min(1.0) }
                })
                .sum();
            (sum / inds.len() as f64 * 1000.0).round() / 10.0
        };
        assert_eq!(
            rank["score"].as_f64().unwrap(),
            completion("expected"),
            "{code}"
        );
        against_quota_differs |= completion("expected") != completion("target");
        let at_pace = unit["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["status"] != "behind")
            .count();
        assert_eq!(
            rank["at_expected"].as_u64().unwrap(),
            at_pace as u64,
            "{code}"
        );
    }
    assert!(
        against_quota_differs,
        "the 2021 scores must not be the 2023 ones"
    );
    // The rule on screen is the plan file's.
    let table = ok(
        &city,
        &[
            "--lang",
            "en",
            "progress",
            "--by-unit",
            "--as-of",
            "2021-12-31",
        ],
    );
    assert!(
        table.contains("Annual assessment ranking rule: score = mean of the indicators' completion, completion = achieved / expected by the date"),
        "{table}"
    );
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

    let intact = tamper(&bundle);
    let out = run(&o.city, &["import", bundle.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("未导入"), "{said}");
    assert!(said.contains("签名"), "names the broken signature: {said}");
    assert_eq!(city_records(&o), 0, "nothing imported");

    // The intact file imports; the same file again is already held.
    std::fs::write(&bundle, &intact).unwrap();
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

/// The progress line is for a person watching a terminal: when stderr is a pipe or a file,
/// export and import write nothing to it.
#[test]
fn progress_is_not_written_when_stderr_is_not_a_terminal() {
    let o = office();
    ok(&o.unit, INCUBATOR);
    let exported = run(&o.unit, &["export", "--out", o.usb.to_str().unwrap()]);
    assert!(exported.status.success());
    assert!(exported.stderr.is_empty(), "{:?}", exported.stderr);
    ok(
        &o.city,
        &["enroll", "--unit", "230523", "--key", &public_key(&o.unit)],
    );
    let imported = run(&o.city, &["import", o.usb.to_str().unwrap()]);
    assert!(imported.status.success());
    assert!(imported.stderr.is_empty(), "{:?}", imported.stderr);
    assert_eq!(city_records(&o), 1);
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

/// Each indicator's expectations over the units, as `progress --by-unit` reports them.
fn expected_sums(report: &Value) -> Vec<(String, u64)> {
    let units = report["units"].as_array().unwrap();
    let kinds: Vec<String> = units[0]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap().to_string())
        .collect();
    kinds
        .iter()
        .enumerate()
        .map(|(n, kind)| {
            let sum = units
                .iter()
                .map(|u| u["indicators"][n]["expected"].as_u64().unwrap())
                .sum();
            (kind.clone(), sum)
        })
        .collect()
}

#[test]
fn unit_expectations_add_up_to_each_city_milestone() {
    let dir = tempfile::tempdir().unwrap();
    let city = dir.path().join("city.sqlite");
    ok(&city, &["init", "--city"]);
    let on = |date: &str| {
        json(
            &city,
            &["progress", "--by-unit", "--as-of", date, "--format", "json"],
        )
    };
    let sums = |date: &str| expected_sums(&on(date));
    let want = |pairs: &[(&str, u64)]| -> Vec<(String, u64)> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    };
    // End-2021: R&D 12, incubators 9, alliances 24, achievements 20 (tech SMEs: the
    // year's 80 each year; high-tech: no unit split yet before 2023).
    let end_2021 = sums("2021-12-31");
    for (kind, value) in want(&[
        ("tech_sme", 80),
        ("rnd_institution", 12),
        ("incubator", 9),
        ("alliance", 24),
        ("achievement", 20),
    ]) {
        assert!(
            end_2021.contains(&(kind.clone(), value)),
            "{kind}: {end_2021:?}"
        );
    }
    let end_2022 = sums("2022-12-31");
    for (kind, value) in want(&[
        ("rnd_institution", 18),
        ("incubator", 12),
        ("alliance", 27),
        ("achievement", 50),
    ]) {
        assert!(
            end_2022.contains(&(kind.clone(), value)),
            "{kind}: {end_2022:?}"
        );
    }
    assert_eq!(
        sums("2023-12-31"),
        want(&[
            ("tech_sme", 80),
            ("high_tech", 36),
            ("rnd_institution", 24),
            ("incubator", 15),
            ("alliance", 30),
            ("achievement", 80),
        ])
    );
    // The units' sums equal the city row's expectation on each milestone.
    let report = on("2021-12-31");
    let city_row: Vec<(String, u64)> = report["total"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["key"].as_str().unwrap().to_string(),
                i["expected"].as_u64().unwrap(),
            )
        })
        .collect();
    for pair in &end_2021 {
        if pair.0 != "high_tech" {
            assert!(city_row.contains(pair), "{pair:?} vs {city_row:?}");
        }
    }
    // The table a person reads has the expectations too.
    let text = ok(
        &city,
        &[
            "--lang",
            "en",
            "progress",
            "--by-unit",
            "--as-of",
            "2021-12-31",
        ],
    );
    assert!(text.contains("Expected by the date"), "{text}");
    // And the city's high-tech floor and target.
    assert!(
        text.contains("a floor of 30 (确保) and a target of 36 (力争); now 0: below floor"),
        "{text}"
    );
    let zh = ok(&city, &["progress", "--by-unit", "--as-of", "2021-12-31"]);
    assert!(zh.contains("确保 30 家、力争 36 家"), "{zh}");
}

#[test]
fn the_city_office_enters_yearly_figures_and_sees_the_city_wide_targets() {
    let dir = tempfile::tempdir().unwrap();
    let city = dir.path().join("city.sqlite");
    ok(&city, &["init", "--city"]);
    let fails = |args: &[&str]| {
        let out = run(&city, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8(out.stderr).unwrap()
    };

    assert!(ok(&city, &["figure", "set", "gdp_yuan", "2022", "520亿"]).contains("520.00 亿元"));
    ok(&city, &["figure", "set", "gdp_yuan", "2022", "530亿"]);
    ok(
        &city,
        &["figure", "set", "rnd_spending_yuan", "2022", "6.36亿"],
    );
    ok(
        &city,
        &["figure", "set", "tech_transfer_institutions", "2022", "5"],
    );

    let err = fails(&["figure", "set", "gdp", "2022", "1"]);
    assert!(
        err.contains("gdp_yuan") && err.contains("rnd_spending_yuan"),
        "{err}"
    );
    let err = fails(&["figure", "set", "gdp_yuan", "2020", "1"]);
    assert!(err.contains("2021") && err.contains("2023"), "{err}");
    let err = fails(&["figure", "set", "gdp_yuan", "2022", "五百亿"]);
    assert!(err.contains("不是数值"), "{err}");

    // Every change is kept, who and what.
    let list = ok(&city, &["figure", "list"]);
    assert!(list.contains("530.00 亿元"), "{list}");
    assert!(list.contains("520.00 亿元 → 530.00 亿元"), "{list}");

    let table = ok(&city, &["progress", "--by-unit", "--as-of", "2022-12-31"]);
    for text in [
        "全市指标（不分解到单位，2022 年）",
        "技术转移示范机构：目标 5（2022 年），实际 5，已达到",
        "技术合同成交额：目标 2.30 亿元（2022 年），实际 0.00 亿元，未达到",
        "技术合同成交额占GDP比重：目标 0.4%（2022 年），实际 0%，未达到",
        "全社会研发经费投入强度：目标 1.5%（2023 年），实际 1.2%，未达到",
        "above_size_firms_doing_rnd",
    ] {
        assert!(table.contains(text), "{text} missing:\n{table}");
    }

    // A unit's ledger has no city figures.
    let unit = dir.path().join("unit.sqlite");
    ok(&unit, &["init", "--unit", "230521"]);
    let out = run(&unit, &["figure", "set", "gdp_yuan", "2022", "1"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Bundles and receipts carry the ledger's records: like the ledger, nobody outside the
/// owner and the unit's group may read them, whatever the umask.
#[cfg(unix)]
#[test]
fn bundles_and_receipts_are_for_owner_and_group_only() {
    use std::os::unix::fs::PermissionsExt;
    let o = office();
    ok(&o.unit, INCUBATOR);
    let bundle = export(&o);
    ok(
        &o.city,
        &["enroll", "--unit", "230523", "--key", &public_key(&o.unit)],
    );
    ok(&o.city, &["import", bundle.to_str().unwrap()]);
    let receipts = o.usb.join("receipts");
    std::fs::create_dir_all(&receipts).unwrap();
    ok(
        &o.city,
        &[
            "receipt",
            "--unit",
            "230523",
            "--out",
            receipts.to_str().unwrap(),
        ],
    );
    let receipt = std::fs::read_dir(&receipts)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    for file in [&bundle, &receipt, &o.unit] {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o660, "{}: {mode:o}", file.display());
    }
}

/// With no USER, LOGNAME or USERNAME (a cron job, `env -i`), the change is recorded under
/// the real user's login name from the passwd entry, not "unknown".
#[cfg(unix)]
#[test]
fn without_account_variables_the_login_name_is_recorded() {
    let o = office();
    let login = Command::new("id").arg("-un").output().unwrap();
    let login = String::from_utf8(login.stdout).unwrap().trim().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(&o.unit)
        .args(INCUBATOR)
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env_remove("USERNAME")
        .env_remove("TAIZHANG_LANG")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let id = stdout(&out).trim().to_string();
    let shown = ok(&o.unit, &["show", &id, "--format", "json"]);
    let shown: Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["history"][0]["actor"], login.as_str(), "{shown}");
}

/// The city table writes percentages as the unit's progress table does: one decimal.
#[test]
fn percentages_have_one_format() {
    let o = office();
    let city = ok(&o.city, &["progress", "--by-unit", "--as-of", "2023-12-31"]);
    let unit = ok(&o.unit, &["progress", "--as-of", "2023-12-31"]);
    assert!(unit.contains("0.0%"), "{unit}");
    let cells: Vec<&str> = city
        .lines()
        .filter(|line| line.contains('/') && !line.contains("计"))
        .flat_map(str::split_whitespace)
        .filter(|w| w.ends_with('%') && w.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(!cells.is_empty(), "{city}");
    for cell in cells {
        let digits = cell.trim_end_matches('%');
        assert!(
            digits.split_once('.').is_some_and(|(_, d)| d.len() == 1),
            "{cell} in\n{city}"
        );
    }
}

/// Flips one byte of the bundle's last record, before the signature: a file altered on the
/// way. Returns the intact bytes.
fn tamper(bundle: &Path) -> Vec<u8> {
    let good = std::fs::read(bundle).unwrap();
    let mut bytes = good.clone();
    let at = bytes.len() - 70;
    bytes[at] ^= 0x20;
    std::fs::write(bundle, &bytes).unwrap();
    good
}

#[test]
fn a_refused_bundle_stays_on_the_city_worklist_until_the_unit_sends_a_good_one() {
    let o = office();
    ok(&o.unit, INCUBATOR);
    let bundle = export(&o);
    let path = bundle.to_str().unwrap();
    let name = bundle.file_name().unwrap().to_str().unwrap().to_owned();
    ok(
        &o.city,
        &["enroll", "--unit", "230523", "--key", &public_key(&o.unit)],
    );
    let good = tamper(&bundle);

    let dry = run(&o.city, &["import", "--dry-run", path]);
    assert_eq!(dry.status.code(), Some(2));
    let list = json(&o.city, &["due", "--format", "json"]);
    assert_eq!(
        list["refused"],
        serde_json::json!([]),
        "a dry run notes nothing"
    );

    let out = run(&o.city, &["import", path]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).contains("签名不符"), "{}", stdout(&out));
    assert!(!stderr(&out).contains("警告"), "{}", stderr(&out));

    let table = ok(&o.city, &["due"]);
    assert!(
        table.contains("近 30 天拒收、该单位此后尚未导入成功的同步包（1 个）："),
        "{table}"
    );
    let line = table.lines().find(|l| l.contains(&name)).expect(&table);
    assert!(
        line.contains("宝清县") && line.contains("文件已损坏或被改动（签名不符）"),
        "{line}"
    );
    let english = ok(&o.city, &["--lang", "en", "due"]);
    let line = english.lines().find(|l| l.contains(&name)).expect(&english);
    assert!(
        line.contains("Baoqing County") && line.contains("damaged or altered"),
        "{line}"
    );
    let list = json(&o.city, &["due", "--format", "json"]);
    let refused = &list["refused"][0];
    assert_eq!(refused["file"], name.as_str());
    assert_eq!(refused["unit"], "230523");
    assert_eq!(refused["sequence"], 1);
    assert_eq!(refused["reason"]["code"], "damaged");
    assert_eq!(
        refused["said"],
        "文件已损坏或被改动（签名不符）：请让单位重新导出"
    );
    let sha = refused["file_sha256"].as_str().unwrap();
    assert_eq!(sha.len(), 64);
    assert_ne!(
        sha,
        taizhang::bundle::format::sha256_hex(&good),
        "the altered file's"
    );
    let csv = ok(&o.city, &["due", "--format", "csv"]);
    assert!(
        csv.contains("拒收同步包,宝清县,") && csv.contains(&name),
        "{csv}"
    );
    ok(&o.city, &["check"]);

    // The unit's intact bundle is imported: the refusal needs no more attention.
    std::fs::write(&bundle, &good).unwrap();
    ok(&o.city, &["import", path]);
    let list = json(&o.city, &["due", "--format", "json"]);
    assert_eq!(list["refused"], serde_json::json!([]), "{list}");
    let table = ok(&o.city, &["due"]);
    assert!(
        table.contains("近 30 天没有尚待处理的拒收同步包。"),
        "{table}"
    );
}

#[test]
fn a_refusal_the_ledger_cannot_note_is_still_said_with_a_warning() {
    let o = office();
    ok(&o.unit, INCUBATOR);
    let bundle = export(&o);
    ok(
        &o.city,
        &["enroll", "--unit", "230523", "--key", &public_key(&o.unit)],
    );
    tamper(&bundle);
    // Writing to the log fails, as a full disk would make it.
    rusqlite::Connection::open(&o.city)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refusals_fail BEFORE INSERT ON refused_bundles
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    let out = run(&o.city, &["import", bundle.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let said = stdout(&out);
    assert!(
        said.contains("未导入") && said.contains("签名不符"),
        "{said}"
    );
    assert!(
        stderr(&out).contains("警告：拒收情况未能记入台账"),
        "{}",
        stderr(&out)
    );
    let list = json(&o.city, &["due", "--format", "json"]);
    assert_eq!(list["refused"], serde_json::json!([]));
}
