//! `import-sheet` as a clerk uses it: the messy sheets units keep (titles above the header,
//! dates as serials, cells and Chinese text, codes Excel turned into numbers, totals at the
//! bottom), each row's verdict, what ends up in the ledger, the file of rows to fix, and
//! importing that file once fixed.

mod cli_common;

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};
use cli_common::{ok, run, stderr, stdout};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;
use taizhang::domain::credit_code::{check_char, org_code_mismatch};

/// A valid credit code of Jianshan district (230502) for firm number `n`: the organisation
/// code and the credit code both check out.
fn credit_code(n: u32) -> String {
    let body = format!("MA1C{n:04}");
    let org_check = org_code_mismatch(&format!("91230502{body}00")).unwrap_or('0');
    let first17 = format!("91230502{body}{org_check}");
    let check = check_char(&first17).unwrap();
    format!("{first17}{check}")
}

/// The same code with its check character made wrong.
fn bad_check(code: &str) -> String {
    let last = code.chars().last().unwrap();
    let wrong = if last == '1' { '2' } else { '1' };
    format!("{}{wrong}", &code[..17])
}

fn reg_no(n: u32) -> String {
    format!("2023230502A{n:07}")
}

fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            _ => c,
        })
        .collect()
}

struct Desk {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Desk {
    fn new() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger.sqlite");
        ok(&db, &["init", "--unit", "230502"]);
        Desk { dir, db }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn import(&self, file: &Path, extra: &[&str]) -> std::process::Output {
        let mut args = vec!["import-sheet", file.to_str().unwrap(), "--kind", "tech_sme"];
        args.extend_from_slice(extra);
        run(&self.db, &args)
    }

    fn import_ok(&self, file: &Path, extra: &[&str]) -> String {
        let out = self.import(file, extra);
        assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
        stdout(&out)
    }

    /// The names of the active tech-SME records, sorted.
    fn names(&self) -> Vec<String> {
        let json = ok(&self.db, &["list", "tech_sme", "--format", "json"]);
        let records: Value = serde_json::from_str(&json).unwrap();
        let mut names: Vec<String> = records
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["fields"]["name"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    }
}

/// A cell of the fixture sheets.
enum C {
    T(String),
    N(f64),
    /// A number with a date format (what Excel stores when a clerk types a date).
    D(u16, u8, u8),
    E,
}

fn t(s: &str) -> C {
    C::T(s.to_string())
}

/// Writes `rows` under a merged title banner and a line of text, the header in row 3.
fn write_xlsx(path: &Path, header: &[&str], rows: &[Vec<C>]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let last = u16::try_from(header.len() - 1).unwrap();
    ws.merge_range(
        0,
        0,
        0,
        last,
        "尖山区2023年科技型中小企业入库名单",
        &Format::new(),
    )
    .unwrap();
    ws.write_string(1, 0, "填报单位：尖山区科技局").unwrap();
    for (col, h) in header.iter().enumerate() {
        ws.write_string(2, col as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = 3 + r as u32;
        for (col, cell) in row.iter().enumerate() {
            let col = col as u16;
            match cell {
                C::T(s) => {
                    ws.write_string(r, col, s).unwrap();
                }
                C::N(n) => {
                    ws.write_number(r, col, *n).unwrap();
                }
                C::D(y, m, d) => {
                    let day = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    ws.write_datetime_with_format(r, col, &day, &date).unwrap();
                }
                C::E => {}
            }
        }
    }
    wb.save(path).unwrap();
}

const HEADER: [&str; 7] = [
    "序号",
    "企业名称",
    "统一社会信用代码（必填）",
    "入库登记编号",
    "入库时间",
    "税收级次",
    "备注",
];

/// The messy tech-SME sheet: rows 4.. of the sheet, with the verdict each must get.
fn messy_rows(existing_code: &str) -> Vec<Vec<C>> {
    let row = |no: f64, name: &str, code: C, reg: String, day: C, tax: &str| {
        vec![C::N(no), t(name), code, C::T(reg), day, t(tax), C::E]
    };
    vec![
        // 4: new, a date cell
        row(
            1.0,
            "双鸭山市甲科技有限公司",
            t(&credit_code(1)),
            reg_no(1),
            C::D(2023, 5, 1),
            "县级",
        ),
        // 5: new, full-width code, a plain serial number
        row(
            2.0,
            "双鸭山市乙科技有限公司",
            t(&full_width(&credit_code(2))),
            reg_no(2),
            C::N(45047.0),
            "",
        ),
        // 6: blank
        vec![C::E, C::E, C::E],
        // 7: new, a Chinese text date
        row(
            3.0,
            "双鸭山市丙科技有限公司",
            t(&credit_code(3)),
            reg_no(3),
            t("2023年5月1日"),
            "市级",
        ),
        // 8: invalid: the code was stored as a number
        row(
            4.0,
            "双鸭山市丁科技有限公司",
            C::N(9.1230502e17),
            reg_no(4),
            t("2023/5/1"),
            "",
        ),
        // 9: invalid: wrong check character
        row(
            5.0,
            "双鸭山市戊科技有限公司",
            t(&bad_check(&credit_code(5))),
            reg_no(5),
            t("2023.5.1"),
            "",
        ),
        // 10: the same firm and year as row 4
        row(
            6.0,
            "双鸭山市甲科技有限公司",
            t(&credit_code(1)),
            reg_no(1),
            t("2023-06-01"),
            "",
        ),
        // 11: already in the ledger
        row(
            7.0,
            "双鸭山市己科技有限公司",
            t(existing_code),
            reg_no(7),
            t("2023-03-01"),
            "",
        ),
        // 12: new, a name that looks like a formula
        row(
            8.0,
            "=1+1",
            t(&credit_code(8)),
            reg_no(8),
            t("2023/5/1"),
            "",
        ),
        // 13: invalid (no registration date), a formula-looking name
        row(9.0, "=2+2", t(&credit_code(9)), reg_no(9), C::E, ""),
        // 14: total, 15: a note
        vec![t("合计"), t("共9户")],
        vec![t("填表人：张三")],
    ]
}

fn add_existing(desk: &Desk, code: &str) {
    ok(
        &desk.db,
        &[
            "add",
            "tech_sme",
            "--set",
            "name=双鸭山市己科技有限公司",
            "--set",
            &format!("credit_code={code}"),
            "--set",
            &format!("reg_no={}", reg_no(7)),
            "--set",
            "registered_on=2023-03-01",
        ],
    );
}

fn line_of<'a>(out: &'a str, start: &str) -> &'a str {
    out.lines()
        .map(str::trim)
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?} in\n{out}"))
}

#[test]
fn messy_sheet_dry_run_names_each_rows_verdict() {
    let desk = Desk::new();
    let existing = credit_code(7);
    add_existing(&desk, &existing);
    let sheet = desk.path("名单.xlsx");
    write_xlsx(&sheet, &HEADER, &messy_rows(&existing));
    let before = std::fs::read_dir(desk.dir.path()).unwrap().count();

    let out = desk.import_ok(&sheet, &["--dry-run"]);
    assert!(out.contains("表头在第 3 行"), "{out}");
    assert!(out.contains("B 企业名称 → 名称"), "{out}");
    assert!(
        out.contains("C 统一社会信用代码（必填） → 统一社会信用代码"),
        "{out}"
    );
    assert!(out.contains("E 入库时间 → 入库日期"), "{out}");
    assert!(out.contains("A 序号（不是入库科企的项目）"), "{out}");
    assert!(line_of(&out, "第 4 行").contains("新增：双鸭山市甲科技有限公司"));
    assert!(line_of(&out, "第 5 行").contains("新增：双鸭山市乙科技有限公司"));
    assert!(line_of(&out, "第 7 行").contains("新增：双鸭山市丙科技有限公司"));
    assert!(line_of(&out, "第 8 行").contains("无效：双鸭山市丁科技有限公司"));
    assert!(line_of(&out, "统一社会信用代码：单元格里是数字").contains("存成了数字"));
    assert!(line_of(&out, "第 9 行").contains("无效：双鸭山市戊科技有限公司"));
    assert!(line_of(&out, "第 10 行").contains("表内重复"));
    assert!(line_of(&out, "第 10 行").contains("与第 4 行是同一条"));
    assert!(line_of(&out, "第 11 行").contains("已在台账中"));
    assert!(line_of(&out, "第 11 行").contains("双鸭山市己科技有限公司"));
    assert!(line_of(&out, "第 12 行").contains("新增：=1+1"));
    assert!(line_of(&out, "第 13 行").contains("无效：=2+2"));
    assert!(line_of(&out, "入库日期：").contains("必须填写"));
    assert!(
        line_of(&out, "跳过的行：")
            .contains("第 6 行（空行）、第 14 行（合计行）、第 15 行（表下说明）"),
        "{out}"
    );
    assert!(
        out.contains("合计：4 新增，1 已在台账中，1 表内重复，3 无效，3 跳过"),
        "{out}"
    );
    assert!(out.contains("试运行"), "{out}");
    assert_eq!(desk.names(), ["双鸭山市己科技有限公司"]);
    assert_eq!(std::fs::read_dir(desk.dir.path()).unwrap().count(), before);

    let en = desk.import_ok(&sheet, &["--dry-run", "--lang", "en"]);
    assert!(en.contains("Row 11 already in the ledger"), "{en}");
    assert!(en.contains("Total: 4 new, 1 already in the ledger"), "{en}");
}

/// The rows of the first sheet of a workbook, as calamine reads them.
fn read_back(path: &Path) -> Vec<Vec<Data>> {
    let mut book = open_workbook_auto(path).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(cell: &Data) -> &str {
    match cell {
        Data::String(s) => s,
        other => panic!("not a string cell: {other:?}"),
    }
}

#[test]
fn import_saves_the_new_rows_and_the_fixed_rejects_come_in_later() {
    let desk = Desk::new();
    let existing = credit_code(7);
    add_existing(&desk, &existing);
    let sheet = desk.path("名单.xlsx");
    write_xlsx(&sheet, &HEADER, &messy_rows(&existing));

    let out = desk.import(&sheet, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(printed.contains("已导入 4 条新记录。"), "{printed}");
    let rejected = desk.path("名单-待修改.xlsx");
    assert!(printed.contains("有 4 行未导入"), "{printed}");
    assert!(stderr(&out).contains("名单-待修改.xlsx"));
    assert_eq!(
        desk.names(),
        [
            "=1+1",
            "双鸭山市丙科技有限公司",
            "双鸭山市乙科技有限公司",
            "双鸭山市己科技有限公司",
            "双鸭山市甲科技有限公司",
        ]
    );
    // What was stored: full-width code normalised, serial and text dates read as days.
    let json = ok(&desk.db, &["list", "tech_sme", "--format", "json"]);
    let records: Value = serde_json::from_str(&json).unwrap();
    let fields_of = |name: &str| {
        records
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["fields"]["name"] == name)
            .unwrap()["fields"]
            .clone()
    };
    let yi = fields_of("双鸭山市乙科技有限公司");
    assert_eq!(yi["credit_code"], credit_code(2));
    assert_eq!(yi["registered_on"], "2023-05-01");
    assert_eq!(
        fields_of("双鸭山市甲科技有限公司")["registered_on"],
        "2023-05-01"
    );
    assert_eq!(fields_of("双鸭山市甲科技有限公司")["tax_level"], "county");
    assert_eq!(
        fields_of("双鸭山市丙科技有限公司")["registered_on"],
        "2023-05-01"
    );

    // The rejected rows: the header, the cells as text, the reasons.
    let rows = read_back(&rejected);
    assert_eq!(rows.len(), 5);
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        [
            "序号",
            "企业名称",
            "统一社会信用代码（必填）",
            "入库登记编号",
            "入库时间",
            "税收级次",
            "备注",
            "原因"
        ]
    );
    assert_eq!(text(&rows[1][1]), "双鸭山市丁科技有限公司");
    assert!(text(&rows[1][7]).contains("存成了数字"));
    assert_eq!(text(&rows[2][1]), "双鸭山市戊科技有限公司");
    assert_eq!(text(&rows[2][2]), bad_check(&credit_code(5)));
    assert!(text(&rows[2][7]).contains("统一社会信用代码"));
    assert_eq!(text(&rows[2][3]), reg_no(5));
    assert_eq!(text(&rows[3][1]), "双鸭山市甲科技有限公司");
    assert!(text(&rows[3][7]).contains("原表第 10 行与第 4 行是同一条记录"));
    assert!(text(&rows[4][7]).contains("入库日期：必须填写"));
    assert_eq!(
        text(&rows[4][1]),
        "=2+2",
        "a formula-looking name stays text"
    );
    assert_eq!(text(&rows[4][2]), credit_code(9));

    // Re-importing the original changes nothing.
    let again = desk.import_ok(&sheet, &[]);
    assert!(
        again.contains("合计：0 新增，6 已在台账中，0 表内重复，3 无效"),
        "{again}"
    );
    assert!(
        again.contains("没有可导入的新记录，台账未改动。"),
        "{again}"
    );
    assert_eq!(desk.names().len(), 5);
    // The file being fixed is not overwritten by the second run.
    assert!(desk.path("名单-待修改(2).xlsx").exists());

    // The clerk fixes the rejected file in Excel and imports it.
    let fixed_rows = vec![
        vec![
            C::N(4.0),
            t("双鸭山市丁科技有限公司"),
            t(&credit_code(4)),
            C::T(reg_no(4)),
            t("2023/5/1"),
            C::E,
            C::E,
            t("原因……"),
        ],
        vec![
            C::N(5.0),
            t("双鸭山市戊科技有限公司"),
            t(&credit_code(5)),
            C::T(reg_no(5)),
            t("2023.5.1"),
            C::E,
            C::E,
            t("原因……"),
        ],
        vec![
            C::N(9.0),
            t("=2+2"),
            t(&credit_code(9)),
            C::T(reg_no(9)),
            C::D(2023, 7, 1),
            C::E,
            C::E,
            t("原因……"),
        ],
    ];
    let mut header = HEADER.to_vec();
    header.push("原因");
    write_xlsx(&rejected, &header, &fixed_rows);
    let out = desk.import_ok(&rejected, &[]);
    assert!(out.contains("H 原因（不是入库科企的项目）"), "{out}");
    assert!(out.contains("已导入 3 条新记录。"), "{out}");
    assert_eq!(desk.names().len(), 8);
    assert!(desk.names().contains(&"=2+2".to_string()));
}

#[test]
fn csv_in_utf8_bom_and_gbk_all_import() {
    let code = credit_code(11);
    let text = format!(
        "企业名称,统一社会信用代码,入库编号,入库日期,备注\n\
         双鸭山市庚科技有限公司,{code},{},2023/5/1,\n\
         双鸭山市辛科技有限公司,9.12305E+17,{},2023/5/1,\n\
         合计,,,,\n",
        reg_no(11),
        reg_no(12)
    );
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    for (name, bytes) in [
        ("utf8.csv", text.as_bytes().to_vec()),
        ("bom.csv", bom),
        ("gbk.csv", gbk.into_owned()),
    ] {
        let desk = Desk::new();
        let path = desk.path(name);
        std::fs::write(&path, bytes).unwrap();
        let out = desk.import_ok(&path, &[]);
        assert!(
            out.contains("第 2 行 新增：双鸭山市庚科技有限公司"),
            "{name}: {out}"
        );
        assert!(
            out.contains("第 3 行 无效：双鸭山市辛科技有限公司"),
            "{name}: {out}"
        );
        assert!(out.contains("存成了数字"), "{name}: {out}");
        assert!(out.contains("第 4 行（合计行）"), "{name}: {out}");
        assert_eq!(desk.names(), ["双鸭山市庚科技有限公司"], "{name}");
        let stem = name.trim_end_matches(".csv");
        let rows = read_back(&desk.path(&format!("{stem}-待修改.xlsx")));
        assert_eq!(text_of(&rows[1][1]), "9.12305E+17", "{name}");
    }
}

fn text_of(cell: &Data) -> String {
    text(cell).to_string()
}

#[test]
fn high_tech_choices_take_their_chinese_labels() {
    let desk = Desk::new();
    let path = desk.path("高企.csv");
    let sheet = format!(
        "*企业名称,统一社会信用代码,高新技术企业证书编号,发证日期,认定类型,企业规模\n\
         双鸭山市壬科技有限公司,{},GR202323000123,2023年12月8日,首次认定,规上\n\
         双鸭山市癸科技有限公司,{},GR202323000124,2023-12-08,重新,规模以下\n\
         双鸭山市子科技有限公司,{},GR202323000125,2023-12-08,第三次,规上\n",
        credit_code(21),
        credit_code(22),
        credit_code(23)
    );
    std::fs::write(&path, sheet).unwrap();
    let out = ok(
        &desk.db,
        &["import-sheet", path.to_str().unwrap(), "--kind", "高新企业"],
    );
    assert!(
        out.contains("合计：2 新增，0 已在台账中，0 表内重复，1 无效"),
        "{out}"
    );
    assert!(out.contains("认定类型："), "{out}");
    let json = ok(&desk.db, &["list", "high_tech", "--format", "json"]);
    let records: Value = serde_json::from_str(&json).unwrap();
    let mut got: Vec<(String, String)> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["fields"]["recognition"].as_str().unwrap().to_string(),
                r["fields"]["size"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("first".to_string(), "above".to_string()),
            ("renewal".to_string(), "below".to_string())
        ]
    );
}

#[test]
fn refusals_write_nothing_and_exit_2() {
    let desk = Desk::new();
    let missing = desk.path("没有这个文件.xlsx");
    let out = desk.import(&missing, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("找不到文件"), "{}", stderr(&out));

    let garbage = desk.path("坏的.xlsx");
    std::fs::write(&garbage, b"not a workbook").unwrap();
    let out = desk.import(&garbage, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("无法读取"), "{}", stderr(&out));

    let et = desk.path("名单.et");
    std::fs::write(&et, b"x").unwrap();
    let out = desk.import(&et, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(".et"), "{}", stderr(&out));

    let sheet = desk.path("名单.xlsx");
    write_xlsx(&sheet, &HEADER, &messy_rows(&credit_code(7)));
    let out = desk.import(&sheet, &["--map", "联系电话=notes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("“联系电话”"), "{}", stderr(&out));
    let out = desk.import(&sheet, &["--map", "备注=电话号码"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("“电话号码”不是入库科企的项目"),
        "{}",
        stderr(&out)
    );
    let out = desk.import(&sheet, &["--sheet", "第二页"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("“第二页”"), "{}", stderr(&out));

    // A sheet of another kind: no header row for high-tech firms.
    let out = run(
        &desk.db,
        &[
            "import-sheet",
            sheet.to_str().unwrap(),
            "--kind",
            "high_tech",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("必填项目的列"), "{}", stderr(&out));

    // A required column missing, then given by --map.
    let header = ["企业名称", "信用代码", "编号", "入库时间"];
    let rows = vec![vec![
        t("双鸭山市丑科技有限公司"),
        t(&credit_code(31)),
        C::T(reg_no(31)),
        t("2023-05-01"),
    ]];
    let partial = desk.path("缺列.xlsx");
    write_xlsx(&partial, &header, &rows);
    let out = desk.import(&partial, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("入库登记编号"), "{}", stderr(&out));
    assert!(stderr(&out).contains("“编号”"), "{}", stderr(&out));
    assert_eq!(desk.names(), Vec::<String>::new());
    let names: Vec<_> = std::fs::read_dir(desk.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("待修改")), "{names:?}");

    let out = desk.import_ok(&partial, &["--map", "编号=入库登记编号"]);
    assert!(out.contains("C 编号 → 入库登记编号（按 --map）"), "{out}");
    assert_eq!(desk.names(), ["双鸭山市丑科技有限公司"]);

    // The city ledger keeps no records of its own.
    let city = desk.path("city.sqlite");
    ok(&city, &["init", "--city"]);
    let out = run(
        &city,
        &[
            "import-sheet",
            partial.to_str().unwrap(),
            "--kind",
            "tech_sme",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("市级汇总台账"), "{}", stderr(&out));
}
