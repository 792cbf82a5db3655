//! `taizhang report`: the unit's ledger workbook read back cell by cell — sheet names, titles,
//! headers, each record's values with their types (codes and a name starting with `=` as
//! text, dates as dates, yuan as numbers), voided records left out unless asked for, the
//! progress sheet equal to `progress --format json` — and a missing folder refused.

mod cli_common;

use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader, open_workbook_auto};
use cli_common::{ok, run, stderr, stdout};
use taizhang::domain::credit_code::check_char;

/// 尖山区.
const UNIT: &str = "230502";
const FILE: &str = "230502-尖山区-台账-2023-12-31.xlsx";

struct Unit {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Unit {
    fn new() -> Unit {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("unit.sqlite");
        ok(&db, &["init", "--unit", UNIT]);
        Unit { dir, db }
    }

    fn add(&self, kind: &str, sets: &[&str]) -> String {
        let mut args = vec!["add", kind];
        for s in sets {
            args.extend(["--set", s]);
        }
        ok(&self.db, &args).trim().to_owned()
    }

    /// A folder of its own to write into.
    fn folder(&self, name: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(&path).unwrap();
        path
    }
}

/// A credit code of the unit's region made of digits only (its check character a digit).
fn all_digit_code() -> String {
    (1..1000)
        .map(|n| format!("91230502{n:09}"))
        .find_map(|first| {
            check_char(&first)
                .filter(char::is_ascii_digit)
                .map(|c| format!("{first}{c}"))
        })
        .expect("some serial has a digit check character")
}

/// The unit with a high-tech firm named like a formula, an achievement with an amount, an
/// incubator with a subsidy, and a tech SME voided as a mistake.
fn filled_unit() -> (Unit, String) {
    let unit = Unit::new();
    let code = all_digit_code();
    unit.add(
        "high_tech",
        &[
            "name==SUM(A1)",
            &format!("credit_code={code}"),
            "cert_no=GR202323000123",
            "certified_on=2023-03-15",
            "recognition=first",
            "size=above",
        ],
    );
    unit.add(
        "achievement",
        &[
            "title=石墨烯导热膜制备技术",
            "owner=黑龙江省科学院",
            "recipient=尖山区石墨科技有限公司",
            "mode=license",
            "amount_yuan=1234567.5",
            "contract_no=0012345",
            "transferred_on=2022-06-01",
        ],
    );
    unit.add(
        "incubator",
        &[
            "name=尖山区科技企业孵化器",
            "operator=尖山区创业服务中心",
            "type=incubator",
            "level=provincial",
            "recognized_on=2022-09-30",
            "provincial_subsidy_yuan=300000",
        ],
    );
    let mistake = unit.add(
        "tech_sme",
        &[
            "name=录错的企业",
            "credit_code=91230502MA1B2C3D4T",
            "reg_no=2023230502A0000001",
            "registered_on=2023-04-01",
        ],
    );
    ok(&unit.db, &["void", &mistake, "--reason", "录入错误"]);
    (unit, code)
}

type Book = calamine::Sheets<std::io::BufReader<std::fs::File>>;

fn open(path: &Path) -> Book {
    open_workbook_auto(path).expect("the workbook opens")
}

fn sheet(book: &mut Book, name: &str) -> Range<Data> {
    book.worksheet_range(name).expect("the sheet is there")
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
        other => panic!("({row},{col}) is not a number: {other:?}"),
    }
}

fn date(range: &Range<Data>, row: u32, col: u32) -> String {
    match cell(range, row, col) {
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        other => panic!("({row},{col}) is not a date: {other:?}"),
    }
}

/// The header row (row 3 of the sheet).
fn headers(range: &Range<Data>) -> Vec<String> {
    (0..range.width() as u32)
        .map(|c| text(range, 2, c))
        .collect()
}

/// Writes the report into `dir` and returns the path it printed.
fn report(unit: &Unit, dir: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["report", "--out", dir.to_str().unwrap()];
    args.extend(extra);
    let printed = ok(&unit.db, &args);
    PathBuf::from(printed.trim())
}

/// The files in a folder.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_unit_workbook_keeps_every_value_and_its_type() {
    let (unit, code) = filled_unit();
    let out = unit.folder("usb");
    let path = report(&unit, &out, &["--as-of", "2023-12-31"]);
    assert_eq!(path, out.join(FILE));
    assert_eq!(files_in(&out), [FILE], "no temporary file is left");
    let mut book = open(&path);
    assert_eq!(
        book.sheet_names(),
        [
            "进度",
            "入库科企",
            "高新企业",
            "研发机构",
            "科技孵化载体",
            "产业联盟",
            "转化科技成果"
        ]
    );

    let high_tech = sheet(&mut book, "高新企业");
    assert_eq!(
        text(&high_tech, 0, 0),
        "尖山区高新企业台账（截至 2023-12-31）"
    );
    let subtitle = text(&high_tech, 1, 0);
    assert!(
        subtitle.contains("双鸭山市落实科技强市战略三年行动计划")
            && subtitle.contains("单位代码 230502")
            && subtitle.contains("共 1 条有效记录"),
        "{subtitle}"
    );
    assert_eq!(
        headers(&high_tech),
        [
            "序号",
            "名称",
            "统一社会信用代码",
            "证书编号",
            "认定日期",
            "认定类型",
            "企业规模"
        ]
    );
    assert_eq!(number(&high_tech, 3, 0), 1.0);
    assert_eq!(
        text(&high_tech, 3, 1),
        "=SUM(A1)",
        "a name is never a formula"
    );
    assert_eq!(text(&high_tech, 3, 2), code, "an all-digit code stays text");
    assert_eq!(text(&high_tech, 3, 3), "GR202323000123");
    assert_eq!(date(&high_tech, 3, 4), "2023-03-15");
    assert_eq!(
        text(&high_tech, 3, 5),
        "首次认定",
        "choices by their labels"
    );
    assert_eq!(text(&high_tech, 3, 6), "规上");
    assert_eq!(high_tech.height(), 4, "one record");

    let achievements = sheet(&mut book, "转化科技成果");
    let head = headers(&achievements);
    let col = |label: &str| head.iter().position(|h| h == label).unwrap() as u32;
    assert_eq!(
        text(&achievements, 3, col("成果名称")),
        "石墨烯导热膜制备技术"
    );
    assert_eq!(text(&achievements, 3, col("转化方式")), "许可");
    assert_eq!(number(&achievements, 3, col("金额（元）")), 1234567.5);
    assert_eq!(
        text(&achievements, 3, col("技术合同登记号")),
        "0012345",
        "leading zeros kept"
    );
    assert_eq!(date(&achievements, 3, col("转化日期")), "2022-06-01");

    let incubators = sheet(&mut book, "科技孵化载体");
    let head = headers(&incubators);
    let col = head
        .iter()
        .position(|h| h == "省级后补助金额（元）")
        .unwrap() as u32;
    assert_eq!(number(&incubators, 3, col), 300000.0);
    assert!(
        !head.contains(&"市级认定补助（元）".to_string()),
        "an optional field no record fills takes no column: {head:?}"
    );

    // The voided tech SME is left out.
    let smes = sheet(&mut book, "入库科企");
    assert_eq!(text(&smes, 3, 0), "（无记录）");
    assert!(text(&smes, 1, 0).contains("共 0 条有效记录"));
    assert!(!headers(&smes).contains(&"状态".to_string()));

    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name} holds a formula"
        );
    }
}

#[test]
fn voided_records_are_listed_with_their_reason_when_asked() {
    let (unit, _) = filled_unit();
    let out = unit.folder("usb");
    let path = report(&unit, &out, &["--as-of", "2023-12-31", "--include-voided"]);
    let mut book = open(&path);
    let smes = sheet(&mut book, "入库科企");
    let head = headers(&smes);
    assert_eq!(head[head.len() - 2..], ["状态", "作废原因"]);
    let last = head.len() as u32 - 1;
    assert_eq!(text(&smes, 3, 1), "录错的企业");
    assert_eq!(text(&smes, 3, last - 1), "已作废");
    assert_eq!(text(&smes, 3, last), "录入错误");
    assert!(
        text(&smes, 1, 0).contains("共 1 条记录，其中已作废 1 条"),
        "{}",
        text(&smes, 1, 0)
    );
    let high_tech = sheet(&mut book, "高新企业");
    let last = headers(&high_tech).len() as u32 - 1;
    assert_eq!(text(&high_tech, 3, last - 1), "有效");
}

#[test]
fn the_progress_sheet_shows_the_figures_progress_prints() {
    let (unit, _) = filled_unit();
    let out = unit.folder("usb");
    let path = report(&unit, &out, &["--as-of", "2023-06-30"]);
    assert!(path.ends_with("230502-尖山区-台账-2023-06-30.xlsx"));
    let json: serde_json::Value = serde_json::from_str(&ok(
        &unit.db,
        &["progress", "--as-of", "2023-06-30", "--format", "json"],
    ))
    .unwrap();
    let mut book = open(&path);
    let progress = sheet(&mut book, "进度");
    assert_eq!(text(&progress, 0, 0), "尖山区任务进度（截至 2023-06-30）");
    assert_eq!(
        headers(&progress),
        ["指标", "目标", "完成", "完成率", "应完成", "状态"]
    );
    let indicators = json["indicators"].as_array().unwrap();
    assert_eq!(indicators.len(), 6);
    let names = [
        "入库科企",
        "高新企业",
        "研发机构",
        "科技孵化载体",
        "产业联盟",
    ];
    for (i, ind) in indicators.iter().enumerate() {
        let row = 3 + i as u32;
        if let Some(name) = names.get(i) {
            assert_eq!(&text(&progress, row, 0), name);
        }
        assert_eq!(number(&progress, row, 1), ind["target"].as_f64().unwrap());
        assert_eq!(number(&progress, row, 2), ind["achieved"].as_f64().unwrap());
        let percent = number(&progress, row, 3);
        assert!(
            (percent - ind["percent"].as_f64().unwrap() / 100.0).abs() < 1e-9,
            "row {row}: {percent}"
        );
        assert_eq!(number(&progress, row, 4), ind["expected"].as_f64().unwrap());
    }
    // The high-tech firm and the achievement count.
    assert_eq!(number(&progress, 4, 2), 1.0);
    assert_eq!(number(&progress, 8, 2), 1.0);
}

#[test]
fn english_sheets_and_headers_with_lang_en() {
    let (unit, _) = filled_unit();
    let out = unit.folder("usb");
    let path = report(&unit, &out, &["--as-of", "2023-12-31", "--lang", "en"]);
    assert_eq!(path, out.join(FILE), "the file name is the same in English");
    let mut book = open(&path);
    assert_eq!(
        book.sheet_names(),
        [
            "Progress",
            "Tech SME",
            "High-tech enterprise",
            "R&D institution",
            "Incubator",
            "Industry alliance",
            "Transferred achievement"
        ]
    );
    let high_tech = sheet(&mut book, "High-tech enterprise");
    assert_eq!(
        text(&high_tech, 0, 0),
        "Jianshan District: High-tech enterprise ledger as of 2023-12-31"
    );
    assert_eq!(headers(&high_tech)[..3], ["No.", "Name", "Credit code"]);
    assert_eq!(text(&high_tech, 3, 5), "First certification");
}

#[test]
fn the_date_defaults_to_the_plan_end_once_the_plan_is_over() {
    let unit = Unit::new();
    let out = unit.folder("usb");
    let path = report(&unit, &out, &[]);
    assert_eq!(path, out.join(FILE), "today is after 2023-12-31");
    let bad = run(&unit.db, &["report", "--as-of", "2023-02-30"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

#[test]
fn a_missing_folder_is_refused_and_nothing_is_written() {
    let unit = Unit::new();
    let usb = unit.folder("usb");
    let missing = usb.join("拔掉的U盘");
    let out = run(
        &unit.db,
        &[
            "report",
            "--out",
            missing.to_str().unwrap(),
            "--as-of",
            "2023-12-31",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let message = stderr(&out);
    assert!(
        message.contains("不存在") && message.contains("未写入任何文件"),
        "{message}"
    );
    assert!(!missing.exists());
    assert!(files_in(&usb).is_empty(), "{:?}", files_in(&usb));
}

/// The city ledger writes the city workbook, under the city's code and name; until that
/// workbook is built the command says so and writes nothing (never the unit's workbook).
#[test]
fn the_city_ledger_writes_the_city_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("city.sqlite");
    ok(&db, &["init", "--city"]);
    let out = dir.path().join("usb");
    std::fs::create_dir_all(&out).unwrap();
    let done = run(
        &db,
        &[
            "report",
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            "2023-12-31",
        ],
    );
    let want = out.join("230500-双鸭山市-报表-2023-12-31.xlsx");
    if done.status.success() {
        assert_eq!(PathBuf::from(stdout(&done).trim()), want);
        assert_eq!(files_in(&out), ["230500-双鸭山市-报表-2023-12-31.xlsx"]);
    } else {
        assert_eq!(done.status.code(), Some(1));
        assert!(
            stderr(&done).contains("无法生成表格文件"),
            "{}",
            stderr(&done)
        );
        assert!(files_in(&out).is_empty(), "{:?}", files_in(&out));
    }
}
