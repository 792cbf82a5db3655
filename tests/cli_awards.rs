//! `taizhang awards`: what a unit's records are owed, approvals and payments, refusals, and
//! the CSV and JSON a finance officer takes away.

mod cli_common;

use cli_common::{UnitLedger, ok, run, stderr, stdout};

const UNIT: &str = "230521";

/// The unit these tests keep awards for.
fn new_unit() -> UnitLedger {
    UnitLedger::new(UNIT)
}

fn high_tech(unit: &UnitLedger, level: &str) -> String {
    unit.add(
        "high_tech",
        &[
            "name=龙煤科技",
            "credit_code=91230500MA1A2B3C43",
            "cert_no=GR202223000123",
            "certified_on=2022-11-20",
            "recognition=首次",
            "size=规上",
            &format!("tax_level={level}"),
        ],
    )
}

fn tech_sme(unit: &UnitLedger, level: &str) -> String {
    unit.add(
        "tech_sme",
        &[
            "name=小巨人",
            "credit_code=91230521MA1B2C3D4B",
            "reg_no=2022230521A0000001",
            "registered_on=2022-03-01",
            &format!("tax_level={level}"),
        ],
    )
}

#[test]
fn a_unit_sees_what_is_owed_approves_and_pays_once() {
    let unit = new_unit();
    let firm = high_tech(&unit, "县级");
    let sme = tech_sme(&unit, "市级");
    unit.add(
        "incubator",
        &[
            "name=众创空间一号",
            "operator=运营公司",
            "type=众创空间",
            "level=市级",
            "recognized_on=2021-06-01",
            "tax_level=县级",
        ],
    );
    let list = ok(unit.db(), &["awards"]);
    assert!(list.contains("新认定高企（规上）"), "{list}");
    assert!(list.contains("300,000.00"), "{list}");
    assert!(list.contains("科技型中小企业年度补助"), "{list}");
    assert!(list.contains("10,000.00"), "{list}");
    assert!(list.contains("待录入市级认定"), "{list}");
    assert!(
        list.contains("总计：应享 310,000.00 元，已拨付 0.00 元，未拨付 310,000.00 元"),
        "{list}"
    );
    assert!(list.contains("1 项金额未定"), "{list}");
    assert!(
        list.contains("众创空间一号  待录入市级认定补助（元）"),
        "{list}"
    );

    let early = run(unit.db(), &["awards", "pay", &firm, "--voucher", "记-1"]);
    assert_eq!(early.status.code(), Some(2));
    assert!(stderr(&early).contains("还没有批准"), "{}", stderr(&early));

    let approved = ok(
        unit.db(),
        &["awards", "approve", &firm, "--on", "2023-01-10"],
    );
    assert!(approved.contains("已记录批准：龙煤科技"), "{approved}");
    let before = run(
        unit.db(),
        &[
            "awards",
            "pay",
            &firm,
            "--voucher",
            "记-1",
            "--on",
            "2023-01-09",
        ],
    );
    assert!(stderr(&before).contains("拨付日期早于批准日期 2023-01-10"));
    let paid = ok(
        unit.db(),
        &[
            "awards",
            "pay",
            &firm,
            "--voucher",
            "记-2023-007",
            "--on",
            "2023-02-01",
        ],
    );
    assert!(paid.contains("凭证号 记-2023-007"), "{paid}");
    assert!(paid.contains("同步包"), "{paid}");

    let twice = run(
        unit.db(),
        &["awards", "pay", &firm, "--voucher", "记-2023-008"],
    );
    assert_eq!(twice.status.code(), Some(2));
    assert!(
        stderr(&twice)
            .contains("已于 2023-02-01 拨付（凭证号 记-2023-007），同一项奖补只能拨付一次"),
        "{}",
        stderr(&twice)
    );
    let city_level = run(unit.db(), &["awards", "approve", &sme]);
    assert_eq!(city_level.status.code(), Some(2));
    assert!(
        stderr(&city_level).contains("由市级财政负担"),
        "{}",
        stderr(&city_level)
    );

    let list = ok(unit.db(), &["awards", "--year", "2022"]);
    assert!(list.contains("已拨付"), "{list}");
    assert!(!list.contains("2021-06-01"), "the year filter: {list}");
    assert!(
        list.contains("总计：应享 310,000.00 元，已拨付 300,000.00 元，未拨付 10,000.00 元"),
        "{list}"
    );
}

#[test]
fn a_paid_record_voided_afterwards_is_to_recover() {
    let unit = new_unit();
    let firm = high_tech(&unit, "county");
    ok(unit.db(), &["awards", "approve", &firm]);
    ok(unit.db(), &["awards", "pay", &firm, "--voucher", "记-9"]);
    ok(unit.db(), &["void", &firm, "--reason", "重复录入"]);
    let list = ok(unit.db(), &["awards"]);
    assert!(list.contains("应追回 -300,000.00"), "{list}");
    assert!(list.contains("应追回 300,000.00 元"), "{list}");
}

#[test]
fn a_record_without_a_fiscal_level_waits_for_one() {
    let unit = new_unit();
    let firm = unit.add(
        "high_tech",
        &[
            "name=龙煤科技",
            "credit_code=91230500MA1A2B3C43",
            "cert_no=GR202223000123",
            "certified_on=2022-11-20",
            "recognition=复审",
            "size=规下",
        ],
    );
    let list = ok(unit.db(), &["awards"]);
    assert!(list.contains("未填税收级次"), "{list}");
    assert!(list.contains("50,000.00"), "{list}");
    let refused = run(unit.db(), &["awards", "approve", &firm]);
    assert!(
        stderr(&refused).contains("没有填写税收入库级次"),
        "{}",
        stderr(&refused)
    );
    ok(unit.db(), &["edit", &firm, "--set", "tax_level=县级"]);
    ok(unit.db(), &["awards", "approve", &firm]);
}

#[test]
fn a_record_with_two_awards_asks_which() {
    let unit = new_unit();
    let centre = unit.add(
        "rnd_institution",
        &[
            "name=石墨工程中心",
            "host=石墨公司",
            "level=国家级",
            "upgraded_from=市级",
            "category=工程技术研究中心",
            "recognized_on=2023-05-01",
            "tax_level=county",
        ],
    );
    let list = ok(unit.db(), &["awards"]);
    assert!(list.contains("市级升省级追加"), "{list}");
    assert!(list.contains("400,000.00"), "{list}");
    assert!(list.contains("省级升国家级追加"), "{list}");
    assert!(list.contains("500,000.00"), "{list}");
    let which = run(unit.db(), &["awards", "approve", &centre]);
    assert_eq!(which.status.code(), Some(2));
    let err = stderr(&which);
    assert!(
        err.contains("--rule rnd_upgrade_city_to_provincial --year 2023"),
        "{err}"
    );
    assert!(
        err.contains("--rule rnd_upgrade_provincial_to_national --year 2023"),
        "{err}"
    );
    ok(
        unit.db(),
        &["awards", "approve", &centre, "--rule", "省级升国家级追加"],
    );
    let none = run(
        unit.db(),
        &["awards", "approve", &centre, "--rule", "rnd_new_city"],
    );
    assert!(
        stderr(&none).contains("没有可批准或拨付的奖补"),
        "{}",
        stderr(&none)
    );
}

#[test]
fn csv_keeps_amounts_as_numbers_and_json_has_the_totals() {
    let unit = new_unit();
    let firm = high_tech(&unit, "county");
    ok(unit.db(), &["awards", "approve", &firm]);
    ok(
        unit.db(),
        &["awards", "pay", &firm, "--voucher", "=HYPERLINK(1)"],
    );
    let csv = ok(unit.db(), &["awards", "--format", "csv"]);
    let mut lines = csv.lines();
    let head = lines.next().unwrap();
    assert!(
        head.starts_with("\u{feff}记录编号,单位,年度,受益单位"),
        "{head}"
    );
    let row = lines.next().unwrap();
    assert!(row.contains(",300000.00,"), "{row}");
    assert!(
        row.contains(",'=HYPERLINK(1),"),
        "a typed formula is neutralised: {row}"
    );
    assert!(row.ends_with(",0.00"), "{row}");

    let json = ok(unit.db(), &["awards", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["lines"][0]["status"], "paid");
    assert_eq!(value["totals"][0]["entitled_fen"], 30_000_000);
    assert_eq!(value["totals"][0]["level"], "county");
    assert!(value["city_totals"].is_null());
    let en = ok(unit.db(), &["--lang", "en", "awards"]);
    assert!(en.contains("New high-tech, above size"), "{en}");
}

#[test]
fn an_unknown_unit_is_named() {
    let unit = new_unit();
    let out = run(unit.db(), &["awards", "--unit", "999999"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("999999"), "{}", stderr(&out));
}

#[test]
fn a_plan_rule_the_program_does_not_apply_is_named() {
    let unit = new_unit();
    high_tech(&unit, "county");
    let plan = unit.db().with_file_name("plan-next.toml");
    let text = format!(
        "{}\n[[awards]]\nkind = \"high_tech\"\nkey = \"gazelle_firm_award\"\ndescription_zh = \"认定瞪羚企业奖励\"\ndescription_en = \"Gazelle firm award\"\namount_yuan = 200000\n",
        taizhang::plan::EMBEDDED_PLAN
    );
    std::fs::write(&plan, text).unwrap();
    let list = ok(unit.db(), &["--plan", plan.to_str().unwrap(), "awards"]);
    assert!(
        list.contains("奖补规则 gazelle_firm_award（认定瞪羚企业奖励）本程序不会计算"),
        "{list}"
    );
    assert!(list.contains("300,000.00"), "{list}");
    assert!(!ok(unit.db(), &["awards"]).contains("本程序不会计算"));
}
