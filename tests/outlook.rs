//! The worklist (`due`) and the firm page (`firm`) as a clerk meets them on the command line:
//! renewals due and what the unit's count falls to without them (the same figure `progress`
//! gives that day), firms not registered again, and one firm's path across four kinds.

mod cli_common;
use cli_common::*;

use std::path::Path;

use serde_json::Value;
use taizhang::domain::credit_code::{check_char, org_code_mismatch};

/// A valid credit code of Baoqing county (230523) for firm number `n`.
fn credit_code(n: u32) -> String {
    let body = format!("MA1D{n:04}");
    let org_check = org_code_mismatch(&format!("91230523{body}00")).unwrap_or('0');
    let first17 = format!("91230523{body}{org_check}");
    let check = check_char(&first17).unwrap();
    format!("{first17}{check}")
}

/// A Baoqing county (230523) ledger and the records these tests give it.
struct Unit(UnitLedger);

impl Unit {
    fn new() -> Unit {
        Unit(UnitLedger::new("230523"))
    }

    fn add(&self, kind: &str, sets: &[String]) -> String {
        self.0.add(kind, sets)
    }

    fn tech_sme(&self, n: u32, name: &str, on: &str) -> String {
        let year = &on[..4];
        self.add(
            "tech_sme",
            &[
                format!("name={name}"),
                format!("credit_code={}", credit_code(n)),
                format!("reg_no={year}230523A{:07}", n * 10 + on.len() as u32),
                format!("registered_on={on}"),
            ],
        )
    }

    fn high_tech(&self, n: u32, name: &str, on: &str, serial: u32) -> String {
        let year = &on[..4];
        self.add(
            "high_tech",
            &[
                format!("name={name}"),
                format!("credit_code={}", credit_code(n)),
                format!("cert_no=GR{year}23{serial:06}"),
                format!("certified_on={on}"),
                "recognition=first".to_owned(),
                "size=below".to_owned(),
            ],
        )
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        serde_json::from_str(&ok(self.db(), &all)).unwrap()
    }

    fn db(&self) -> &Path {
        self.0.db()
    }
}

/// The unit's high-tech count in `progress --as-of DAY`.
fn high_tech_on(unit: &Unit, day: &str) -> u64 {
    let progress = unit.json(&["progress", "--as-of", day]);
    progress["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "high_tech")
        .unwrap()["achieved"]
        .as_u64()
        .unwrap()
}

/// Three certificates: one running out in September, one renewed in time, one running out
/// next February; two tech SMEs of 2022, one registered again in 2023.
fn worklist_unit() -> Unit {
    let unit = Unit::new();
    unit.high_tech(1, "宝清甲科技有限公司", "2020-09-01", 1);
    unit.high_tech(2, "宝清乙科技有限公司", "2020-10-15", 2);
    unit.high_tech(2, "宝清乙科技有限公司", "2023-08-01", 3);
    unit.high_tech(3, "宝清丙科技有限公司", "2021-02-10", 4);
    unit.high_tech(4, "宝清丁科技有限公司", "2022-05-05", 5);
    unit.tech_sme(10, "宝清戊科技有限公司", "2022-04-01");
    unit.tech_sme(10, "宝清戊科技有限公司", "2023-03-01");
    unit.tech_sme(11, "宝清己科技有限公司", "2022-06-01");
    unit
}

#[test]
fn the_worklist_names_the_renewals_due_and_what_the_count_falls_to() {
    let unit = worklist_unit();
    let list = unit.json(&["due", "--as-of", "2023-06-30", "--months", "12"]);
    assert_eq!(list["until"], "2024-06-30");
    let lapses = list["lapses"].as_array().unwrap();
    let names: Vec<&str> = lapses.iter().map(|l| l["name"].as_str().unwrap()).collect();
    // 乙 was renewed in time; 丁 runs out in 2025.
    assert_eq!(names, ["宝清甲科技有限公司", "宝清丙科技有限公司"]);
    assert_eq!(lapses[0]["last_counted"], "2023-08-31");
    assert_eq!(lapses[0]["lapses_on"], "2023-09-01");
    // The figure the worklist gives is the one progress gives on that day.
    let lapses_on = lapses[0]["lapses_on"].as_str().unwrap();
    assert_eq!(lapses[0]["count_then"], high_tech_on(&unit, lapses_on));
    assert_eq!(lapses[0]["count_then"], 3);
    assert_eq!(high_tech_on(&unit, "2023-08-31"), 4);
    let outlook = list["outlook"].as_array().unwrap();
    let high_tech = outlook.iter().find(|o| o["kind"] == "high_tech").unwrap();
    assert_eq!(
        (
            &high_tech["now"],
            &high_tech["then"],
            &high_tech["due"],
            &high_tech["if_renewed"]
        ),
        (
            &Value::from(4),
            &Value::from(2),
            &Value::from(2),
            &Value::from(4)
        )
    );
    let not_registered = list["not_registered"].as_array().unwrap();
    assert_eq!(not_registered.len(), 1);
    assert_eq!(not_registered[0]["name"], "宝清己科技有限公司");
    assert_eq!(not_registered[0]["registered_on"], "2022-06-01");

    let table = ok(
        unit.db(),
        &["due", "--as-of", "2023-06-30", "--months", "12"],
    );
    assert!(
        table.contains("到 2024-06-30 若这 2 家不续期，降至 2 家"),
        "{table}"
    );
    assert!(
        table.contains("上年入库的 1 家今年尚未登记，全部登记可达 2 家"),
        "{table}"
    );
    assert!(
        table.contains("2023-09-01  2023-08-31  宝清甲科技有限公司"),
        "{table}"
    );
    let english = ok(
        unit.db(),
        &[
            "due",
            "--as-of",
            "2023-06-30",
            "--months",
            "12",
            "--lang",
            "en",
        ],
    );
    assert!(
        english
            .contains("on 2024-06-30 falls to 2 unless the 2 certificates running out are renewed"),
        "{english}"
    );
}

#[test]
fn the_default_look_ahead_ends_next_june_and_csv_opens_in_a_spreadsheet() {
    let unit = worklist_unit();
    let list = unit.json(&["due", "--as-of", "2023-12-31"]);
    assert_eq!(list["until"], "2024-06-30");
    let csv = ok(
        unit.db(),
        &["due", "--as-of", "2023-06-30", "--format", "csv"],
    );
    assert!(csv.starts_with('\u{feff}'), "{csv}");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].contains("事项,类别,企业名称,统一社会信用代码"),
        "{csv}"
    );
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(
        lines[1].starts_with("证书到期,高新企业,宝清甲科技有限公司"),
        "{csv}"
    );
    assert!(
        lines[3].starts_with("尚未登记,入库科企,宝清己科技有限公司"),
        "{csv}"
    );
}

#[test]
fn nothing_due_is_said_plainly() {
    let unit = Unit::new();
    unit.high_tech(1, "宝清甲科技有限公司", "2023-01-09", 1);
    let table = ok(unit.db(), &["due", "--as-of", "2023-06-30"]);
    assert!(table.contains("到 2024-06-30 没有待办事项"), "{table}");
}

#[test]
fn a_bad_date_is_refused_plainly() {
    let unit = Unit::new();
    let out = run(unit.db(), &["due", "--as-of", "2023-13-40"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("2023-13-40"), "{}", stderr(&out));
}

/// A firm that is a tech SME, then a high-tech enterprise renewed in time, hosts an R&D
/// centre and received an achievement.
fn firm_unit() -> (Unit, String) {
    let unit = Unit::new();
    let code = credit_code(7);
    unit.tech_sme(7, "宝清丰源科技有限公司", "2021-04-01");
    unit.tech_sme(7, "宝清丰源科技有限公司", "2022-03-15");
    unit.high_tech(7, "宝清丰源科技有限公司", "2021-11-20", 7);
    unit.add(
        "rnd_institution",
        &[
            "name=宝清县大豆工程技术研究中心".to_owned(),
            "host=宝清丰源科技有限公司".to_owned(),
            format!("host_credit_code={code}"),
            "level=city".to_owned(),
            "category=工程技术研究中心".to_owned(),
            "recognized_on=2022-09-01".to_owned(),
        ],
    );
    unit.add(
        "achievement",
        &[
            "title=大豆深加工工艺".to_owned(),
            "owner=东北农业大学".to_owned(),
            "recipient=宝清丰源科技有限公司".to_owned(),
            format!("recipient_credit_code={code}"),
            "mode=transfer".to_owned(),
            "transferred_on=2023-03-03".to_owned(),
        ],
    );
    // Another firm whose name shares a part.
    unit.tech_sme(8, "宝清丰源农业有限公司", "2022-05-01");
    (unit, code)
}

#[test]
fn the_firm_page_shows_one_firms_whole_path_across_four_kinds() {
    let (unit, code) = firm_unit();
    let page = unit.json(&["firm", &code]);
    assert_eq!(page["credit_code"], code.as_str());
    let kinds: Vec<&str> = page["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["record"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "tech_sme",
            "high_tech",
            "tech_sme",
            "rnd_institution",
            "achievement"
        ]
    );
    let table = ok(unit.db(), &["firm", &code]);
    assert!(
        table.contains(&format!("企业：宝清丰源科技有限公司（{code}）")),
        "{table}"
    );
    assert!(table.contains("2021 年度"), "{table}");
    assert!(table.contains("2021-11-20 至 2024-11-19"), "{table}");
    assert!(table.contains("宝清县大豆工程技术研究中心"), "{table}");
    assert!(table.contains("2022-09-01 起"), "{table}");
    assert!(table.contains("奖补："), "{table}");
    assert!(table.contains("新认定高企（规下）"), "{table}");
    // The whole name finds it; a part of it shared by two firms asks which.
    let by_name = ok(unit.db(), &["firm", "宝清丰源科技有限公司"]);
    assert_eq!(by_name, table);
    let out = run(unit.db(), &["firm", "丰源"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("有 2 家企业与“丰源”相符"), "{err}");
    assert!(err.contains(&code), "{err}");
    assert!(err.contains(&credit_code(8)), "{err}");
    let out = run(unit.db(), &["firm", "不存在的企业"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("台账中没有名称或统一社会信用代码含“不存在的企业”的企业"));
    let out = run(unit.db(), &["firm", &credit_code(99)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("没有统一社会信用代码为"),
        "{}",
        stderr(&out)
    );
    let english = ok(unit.db(), &["firm", &code, "--lang", "en"]);
    assert!(english.contains("2021-11-20 to 2024-11-19"), "{english}");
}

#[test]
fn at_the_city_the_worklist_names_silent_units_and_firms_claimed_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.sqlite");
    ok(&db, &["init", "--city"]);
    let text = ok(&db, &["due", "--as-of", "2023-06-30"]);
    assert!(text.contains("市级待办（截至 2023-06-30）"), "{text}");
    assert!(text.contains("9 个单位超过 30 天没有报送同步包"), "{text}");
    assert!(text.contains("宝清县"), "{text}");
    let json: Value = serde_json::from_str(&ok(&db, &["due", "--format", "json"])).unwrap();
    assert_eq!(json["silent"].as_array().unwrap().len(), 9);
    assert_eq!(json["claims"].as_array().unwrap().len(), 0);
    assert_eq!(json["refused"].as_array().unwrap().len(), 0);
    assert!(
        text.contains("近 30 天没有尚待处理的拒收同步包。"),
        "{text}"
    );
}

#[test]
fn a_glance_at_a_large_ledger_gives_the_same_counts_without_reading_the_items() {
    use taizhang::domain::progress::AsOfSource;
    use taizhang::outlook::{worklist, worklist_glance_within};
    use taizhang::plan::Plan;
    use taizhang::store::Ledger;

    let unit = worklist_unit();
    let ledger = Ledger::open(unit.db()).unwrap();
    let plan = Plan::embedded();
    let as_of: jiff::civil::Date = "2023-06-30".parse().unwrap();
    let until: jiff::civil::Date = "2024-06-30".parse().unwrap();
    let whole = worklist(&plan, &ledger, as_of, AsOfSource::Given, until).unwrap();
    // Six records could have to be read (certificates dated 2020-07 to 2021-06, last
    // year's registrations): within 8 the glance is the whole worklist, within 2 not.
    let within =
        worklist_glance_within(&plan, &ledger, as_of, AsOfSource::Given, until, 8).unwrap();
    assert_eq!(within, whole);
    let glance =
        worklist_glance_within(&plan, &ledger, as_of, AsOfSource::Given, until, 2).unwrap();
    assert!(!glance.items_read && glance.is_empty());
    assert!(whole.items_read && whole.len() == 3);
    for (g, w) in glance.outlook.iter().zip(&whole.outlook) {
        assert_eq!((g.kind, g.now, g.on, g.then), (w.kind, w.now, w.on, w.then));
        assert_eq!((g.due, g.if_renewed), (None, None));
    }
}

#[test]
fn pool_entries_near_their_target_join_the_worklist_and_show_what_the_pool_could_add() {
    let unit = worklist_unit();
    let code = credit_code(30);
    ok(
        unit.db(),
        &[
            "pool",
            "add",
            &code,
            "--name",
            "宝清庚科技有限公司",
            "--stage",
            "high_tech_candidate",
            "--target",
            "2023-11-30",
        ],
    );
    // Due after the look-ahead: in the pool, not on the worklist.
    ok(
        unit.db(),
        &[
            "pool",
            "add",
            &credit_code(31),
            "--name",
            "宝清辛科技有限公司",
            "--stage",
            "tech_sme",
            "--target",
            "2025-03-01",
        ],
    );
    let list = unit.json(&["due", "--as-of", "2023-06-30", "--months", "12"]);
    let near = list["pool_near"].as_array().unwrap();
    assert_eq!(near.len(), 1, "{list}");
    assert_eq!(near[0]["credit_code"], code.as_str());
    let outlook = list["outlook"].as_array().unwrap();
    let in_pool = |kind: &str| {
        outlook.iter().find(|o| o["kind"] == kind).unwrap()["in_pool"]
            .as_u64()
            .unwrap()
    };
    assert_eq!((in_pool("high_tech"), in_pool("tech_sme")), (1, 1));
    let table = ok(
        unit.db(),
        &["due", "--as-of", "2023-06-30", "--months", "12"],
    );
    assert!(table.contains("培育库中临近目标日期（1 家）"), "{table}");
    assert!(table.contains("2023-11-30  高新技术企业后备"), "{table}");
    assert!(table.contains("培育库中另有 1 家后备"), "{table}");
    // Certified: the entry closes as achieved and leaves the worklist.
    unit.high_tech(30, "宝清庚科技有限公司", "2023-09-01", 30);
    let list = unit.json(&["due", "--as-of", "2023-06-30", "--months", "12"]);
    assert!(list["pool_near"].as_array().unwrap().is_empty(), "{list}");
}
