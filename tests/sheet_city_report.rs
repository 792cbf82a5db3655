//! The city office's workbook read back as a spreadsheet program reads it: every figure of
//! the Annex 2 table, the ranking, the claims, freshness and the awards statement equals the
//! city report's, text stays text, and the charts are in the file.

mod cli_common;
use cli_common::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Range, Reader, open_workbook_auto};
use jiff::civil::Date;
use taizhang::clock;
use taizhang::domain::awards::{AwardTotals, FiscalLevel, award_totals_all_units};
use taizhang::domain::progress::AsOfSource;
use taizhang::i18n::Lang;
use taizhang::plan::Plan;
use taizhang::report::{CityReport, city_report};
use taizhang::sheet::SheetError;
use taizhang::sheet::city_report::write_city_report;
use taizhang::store::{AwardQuery, Ledger};

/// A name a clerk might type that a spreadsheet would take for a formula.
const FORMULA_NAME: &str = "=SUM(1,2)孵化器";
const FORMULA_OPERATOR: &str = "=HYPERLINK(\"http://x\",\"点我\")";

/// The city demonstration, plus one record from 集贤县 whose name looks like a formula.
fn city_demo(dir: &Path) -> PathBuf {
    let demo = dir.join("demo");
    let out = Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .args(["demo", "--city"])
        .arg(&demo)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let unit = demo.join("units").join("230521.sqlite");
    ok(
        &unit,
        &[
            "add",
            "incubator",
            "--set",
            &format!("name={FORMULA_NAME}"),
            "--set",
            &format!("operator={FORMULA_OPERATOR}"),
            "--set",
            "type=incubator",
            "--set",
            "level=city",
            "--set",
            "recognized_on=2022-05-01",
            "--set",
            "city_grant_yuan=300000",
            "--set",
            "tax_level=city",
        ],
    );
    let usb = dir.join("usb2");
    std::fs::create_dir(&usb).unwrap();
    ok(&unit, &["export", "--out", usb.to_str().unwrap()]);
    let city = demo.join("city.sqlite");
    ok(&city, &["import", usb.to_str().unwrap()]);
    city
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut book = open_workbook_auto(path).unwrap();
    book.worksheet_range(name).unwrap()
}

fn cell(range: &Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match cell(range, row, col) {
        Data::String(s) => s,
        other => panic!("({row},{col}) is not text: {other:?}"),
    }
}

fn number(range: &Range<Data>, row: u32, col: u32) -> f64 {
    match cell(range, row, col) {
        Data::Float(f) => f,
        Data::Int(i) => i as f64,
        other => panic!("({row},{col}) is not a number: {other:?}"),
    }
}

fn fen(range: &Range<Data>, row: u32, col: u32) -> u64 {
    match cell(range, row, col) {
        Data::Empty => 0,
        _ => (number(range, row, col) * 100.0).round() as u64,
    }
}

fn unit_name(plan: &Plan, code: &str) -> String {
    plan.unit(code).unwrap().name_zh.clone()
}

#[test]
fn the_city_workbook_shows_the_city_report_figure_for_figure() {
    let dir = tempfile::tempdir().unwrap();
    let city_path = city_demo(dir.path());
    let ledger = Ledger::open(&city_path).unwrap();
    let plan = Plan::embedded();
    let as_of = Date::new(2023, 6, 30).unwrap();
    let xlsx = dir.path().join("全市报表.xlsx");
    write_city_report(&ledger, &plan, as_of, Lang::Zh, &xlsx).unwrap();
    let report = city_report(
        &plan,
        Lang::Zh,
        &ledger,
        as_of,
        AsOfSource::Given,
        clock::today(),
    )
    .unwrap();

    let book = open_workbook_auto(&xlsx).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "附件2",
            "排序通报",
            "重复填报",
            "数据时效",
            "奖补资金",
            "图表"
        ]
    );
    annex_matches(&xlsx, &plan, &report);
    ranking_matches(&xlsx, &plan, &report);
    claims_match(&xlsx, &plan, &report);
    freshness_matches(&xlsx, &plan, &report);
    awards_add_up(&xlsx, &plan, &ledger);
    charts_are_in_the_file(&xlsx, plan.indicators.len());

    // The same workbook in English.
    let english = dir.path().join("city.xlsx");
    write_city_report(&ledger, &plan, as_of, Lang::En, &english).unwrap();
    let book = open_workbook_auto(&english).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Annex 2",
            "Ranking",
            "Claims",
            "Freshness",
            "Awards",
            "Charts"
        ]
    );
    let annex = sheet(&english, "Annex 2");
    assert_eq!(text(&annex, 3, 2), "Target");
    assert_eq!(text(&annex, 4, 1), "Jixian County");
}

/// Units down in the plan's order, target / done / rate under each indicator, the city total.
fn annex_matches(xlsx: &Path, plan: &Plan, report: &CityReport) {
    let annex = sheet(xlsx, "附件2");
    assert_eq!(text(&annex, 2, 0), "序号");
    assert_eq!(text(&annex, 2, 1), "县（区）");
    for (k, indicator) in plan.indicators.iter().enumerate() {
        let col = 2 + 3 * k as u32;
        assert_eq!(text(&annex, 2, col), indicator.name_zh);
        assert_eq!(text(&annex, 3, col), "目标");
        assert_eq!(text(&annex, 3, col + 1), "完成");
        assert_eq!(text(&annex, 3, col + 2), "完成率");
    }
    let rows = report.units.iter().chain([&report.total]);
    let mut summed = vec![0u64; plan.indicators.len()];
    for (i, area) in rows.enumerate() {
        let row = 4 + i as u32;
        if i < plan.units.len() {
            assert_eq!(area.unit, plan.units[i].code);
            assert_eq!(number(&annex, row, 0), (i + 1) as f64);
            assert_eq!(text(&annex, row, 1), unit_name(plan, &area.unit));
        } else {
            assert_eq!(text(&annex, row, 0), "合计（全市）");
        }
        for (k, indicator) in area.indicators.iter().enumerate() {
            let col = 2 + 3 * k as u32;
            assert_eq!(number(&annex, row, col), f64::from(indicator.target));
            assert_eq!(number(&annex, row, col + 1), indicator.achieved as f64);
            let rate = cell(&annex, row, col + 2);
            if indicator.target == 0 {
                assert_eq!(rate, Data::Empty);
            } else {
                assert_eq!(rate, Data::Float(indicator.percent / 100.0), "({row},{k})");
            }
            if i < plan.units.len() {
                summed[k] += indicator.achieved;
            }
        }
    }
    // The total is the city's, each entity once: the units' credited figures add up to it,
    // and the Annex 2 targets are the plan's.
    let total_row = 4 + plan.units.len() as u32;
    for (k, indicator) in plan.indicators.iter().enumerate() {
        let col = 2 + 3 * k as u32;
        assert_eq!(
            number(&annex, total_row, col),
            f64::from(indicator.city_total)
        );
        assert_eq!(number(&annex, total_row, col + 1), summed[k] as f64);
    }
}

fn ranking_matches(xlsx: &Path, plan: &Plan, report: &CityReport) {
    let ranking = sheet(xlsx, "排序通报");
    assert_eq!(text(&ranking, 2, 0), report.ranking_rule);
    assert_eq!(text(&ranking, 3, 0), "名次");
    assert_eq!(report.ranking.len(), plan.units.len());
    for (i, rank) in report.ranking.iter().enumerate() {
        let row = 4 + i as u32;
        assert_eq!(number(&ranking, row, 0), rank.rank as f64);
        assert_eq!(text(&ranking, row, 1), unit_name(plan, &rank.unit));
        assert_eq!(number(&ranking, row, 2), rank.score / 100.0);
        assert_eq!(number(&ranking, row, 3), rank.at_expected as f64);
        assert_eq!(number(&ranking, row, 4), rank.achieved as f64);
    }
    assert_eq!(
        cell(&ranking, 4 + report.ranking.len() as u32, 1),
        Data::Empty
    );
}

fn claims_match(xlsx: &Path, plan: &Plan, report: &CityReport) {
    let claims = sheet(xlsx, "重复填报");
    assert!(
        !report.claims.is_empty(),
        "the demonstration claims firms twice"
    );
    let mut row = 3;
    for (serial, claim) in report.claims.iter().enumerate() {
        for by in &claim.claims {
            assert_eq!(number(&claims, row, 0), (serial + 1) as f64);
            assert_eq!(text(&claims, row, 2), claim.entity);
            if let Some(code) = &by.credit_code {
                assert_eq!(text(&claims, row, 3), *code);
            }
            assert_eq!(text(&claims, row, 4), unit_name(plan, &by.unit));
            assert_eq!(text(&claims, row, 5), by.name);
            assert!(matches!(cell(&claims, row, 6), Data::DateTime(_)));
            let credited = if by.credited { "计入" } else { "不计入" };
            assert_eq!(text(&claims, row, 7), credited);
            row += 1;
        }
        assert_eq!(claim.claims.iter().filter(|c| c.credited).count(), 1);
    }
    assert!(!matches!(cell(&claims, row, 0), Data::Float(_)));
}

fn freshness_matches(xlsx: &Path, plan: &Plan, report: &CityReport) {
    let freshness = sheet(xlsx, "数据时效");
    assert_eq!(report.freshness.len(), plan.units.len());
    for (i, unit) in report.freshness.iter().enumerate() {
        let row = 3 + i as u32;
        assert_eq!(text(&freshness, row, 1), unit_name(plan, &unit.unit));
        assert_eq!(
            number(&freshness, row, 2),
            unit.sequence.unwrap() as f64,
            "{}",
            unit.unit
        );
        assert!(matches!(cell(&freshness, row, 3), Data::DateTime(_)));
        assert!(matches!(cell(&freshness, row, 4), Data::DateTime(_)));
        // Every bundle was made today.
        assert!(!unit.silent);
        assert_eq!(text(&freshness, row, 5), "正常");
    }
    // 集贤县 sent a second bundle.
    assert_eq!(number(&freshness, 3, 2), 2.0);
}

/// What a finance officer checks by hand: each unit's subtotal and each year and level's
/// total is the sum of the lines above it, and the totals are the awards command's.
fn awards_add_up(xlsx: &Path, plan: &Plan, ledger: &Ledger) {
    let awards = sheet(xlsx, "奖补资金");
    let lines = ledger.award_lines(plan, &AwardQuery::default()).unwrap();
    let expected: Vec<AwardTotals> = award_totals_all_units(&lines);
    assert!(
        expected
            .iter()
            .any(|t| t.level == Some(FiscalLevel::County))
            && expected.iter().any(|t| t.level == Some(FiscalLevel::City))
    );
    assert!(
        expected
            .iter()
            .any(|t| t.paid_fen > 0 && t.approved_fen > 0)
    );
    let amounts =
        |row: u32| -> [u64; 5] { std::array::from_fn(|i| fen(&awards, row, 6 + i as u32)) };
    let add = |sum: &mut [u64; 5], row: [u64; 5]| {
        for (s, v) in sum.iter_mut().zip(row) {
            *s += v;
        }
    };
    let mut unit_sum = [0u64; 5];
    let mut level_sum = [0u64; 5];
    let mut line_count = 0;
    let mut totals = Vec::new();
    let mut formula_rows = 0;
    let (first, last) = (awards.start().unwrap().0, awards.end().unwrap().0);
    for row in first..=last {
        match cell(&awards, row, 0) {
            Data::Float(_) => {
                line_count += 1;
                add(&mut unit_sum, amounts(row));
                add(&mut level_sum, amounts(row));
                if cell(&awards, row, 3) == Data::String(FORMULA_NAME.into()) {
                    assert_eq!(text(&awards, row, 2), FORMULA_OPERATOR);
                    assert_eq!(text(&awards, row, 1), "集贤县");
                    assert_eq!(fen(&awards, row, 6), 30_000_000);
                    formula_rows += 1;
                }
            }
            Data::String(s) if s == "小计" => {
                assert_eq!(amounts(row), unit_sum, "subtotal at row {row}");
                unit_sum = [0; 5];
            }
            Data::String(s) if s == "合计" => {
                assert_eq!(
                    unit_sum, [0; 5],
                    "a unit without its subtotal before row {row}"
                );
                assert_eq!(amounts(row), level_sum, "total at row {row}");
                totals.push((text(&awards, row, 1), amounts(row)));
                level_sum = [0; 5];
            }
            _ => {}
        }
    }
    assert_eq!(line_count, lines.len());
    assert_eq!(formula_rows, 1);
    let want: Vec<(String, [u64; 5])> = expected
        .iter()
        .map(|t| {
            let level = match t.level {
                Some(FiscalLevel::County) => "县（区）级",
                Some(FiscalLevel::City) => "市级",
                None => "未填",
            };
            (
                format!("{}年{level}", t.year),
                [
                    t.entitled_fen,
                    t.approved_fen,
                    t.paid_fen,
                    t.outstanding_fen,
                    t.to_recover_fen,
                ],
            )
        })
        .collect();
    assert_eq!(totals, want);
}

/// calamine does not read charts: the chart parts are looked for in the zip's directory.
fn charts_are_in_the_file(xlsx: &Path, indicators: usize) {
    let bytes = std::fs::read(xlsx).unwrap();
    let has = |name: &str| bytes.windows(name.len()).any(|w| w == name.as_bytes());
    let mut charts = BTreeMap::new();
    for n in 1..=2 * indicators + 1 {
        charts.insert(n, has(&format!("xl/charts/chart{n}.xml")));
    }
    let present: Vec<usize> = charts
        .iter()
        .filter(|(_, v)| **v)
        .map(|(k, _)| *k)
        .collect();
    assert_eq!(present, (1..=2 * indicators).collect::<Vec<_>>());
    assert!(has("xl/drawings/drawing1.xml"));
}

#[test]
fn a_missing_folder_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let city = dir.path().join("city.sqlite");
    ok(&city, &["init", "--city"]);
    let ledger = Ledger::open(&city).unwrap();
    let plan = Plan::embedded();
    let path = dir.path().join("无此文件夹").join("报表.xlsx");
    let err = write_city_report(&ledger, &plan, plan.end, Lang::Zh, &path).unwrap_err();
    assert!(matches!(&err, SheetError::Write { .. }), "{err:?}");
    assert!(!path.exists());

    // An empty city ledger still gives a whole workbook: targets, nothing achieved.
    let path = dir.path().join("报表.xlsx");
    write_city_report(&ledger, &plan, plan.end, Lang::Zh, &path).unwrap();
    let annex = sheet(&path, "附件2");
    assert_eq!(number(&annex, 4, 2), 10.0);
    assert_eq!(number(&annex, 4, 3), 0.0);
    assert_eq!(cell(&annex, 4, 4), Data::Float(0.0));
    let awards = sheet(&path, "奖补资金");
    assert!((0..20).any(|r| cell(&awards, r, 0)
        == Data::String("没有应享的奖补：计划期内还没有符合奖补条款的记录。".into())));
}
