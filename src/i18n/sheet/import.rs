//! Words of importing a unit's own sheet: why a sheet is refused, each row's verdict and
//! reasons, the columns read, the summary, and the file of rows to fix.

use std::path::Path;

use crate::display;
use crate::domain::sheet_rows::{
    CellProblem, ColumnUsage, ColumnsProblem, HEADER_SCAN_ROWS, RowProblem, SheetColumn,
    SkipReason, column_letter,
};
use crate::domain::{FieldIssue, RecordKind};
use crate::i18n::labels::{field_label, kind_label};
use crate::i18n::problems::shown;
use crate::i18n::{Lang, Localized};
use crate::sheet::SheetRefusal;
use crate::sheet::import::{RowVerdict, SheetImportCounts, SheetImportPreview, SheetRow};
use crate::tr;

/// Added to the sheet's name to name the file of rows to fix: `名单-待修改.xlsx`.
pub fn rejected_suffix(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "-待修改",
        Lang::En => "-to-fix",
    }
}

/// The worksheet of rows to fix.
pub fn rejected_sheet_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "待修改",
        Lang::En => "To fix",
    }
}

/// The header of the column saying why a row was not imported (ignored on re-import).
pub fn reason_header(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "原因",
        Lang::En => "Reason",
    }
}

/// Between two reasons in one cell.
pub fn reason_separator(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    }
}

fn list(items: impl Iterator<Item = String>, lang: Lang) -> String {
    items.collect::<Vec<_>>().join(match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    })
}

fn labels(fields: &[&str], lang: Lang) -> String {
    list(
        fields.iter().map(|f| field_label(f, lang).to_string()),
        lang,
    )
}

fn headers(headers: &[String], lang: Lang) -> String {
    if headers.is_empty() {
        return tr!(lang, "（无）", "(none)");
    }
    list(headers.iter().map(|h| format!("“{}”", shown(h))), lang)
}

impl Localized for CellProblem {
    fn localize(&self, lang: Lang) -> String {
        match self {
            CellProblem::CodeStoredAsNumber { shown: value } => {
                let value = shown(value);
                tr!(
                    lang,
                    "单元格里是数字 {value}：这个编号在 Excel 里被存成了数字，末尾几位已经丢失。请把该列设为“文本”格式，照证照重新输入完整编号。",
                    "the cell holds the number {value}: Excel stored this code as a number and lost its last digits. Format the column as Text and type the full code again from the licence."
                )
            }
            CellProblem::ErrorValue { shown: value } => {
                let value = shown(value);
                tr!(
                    lang,
                    "单元格是错误值 {value}（公式出错），请填入实际内容。",
                    "the cell holds the error value {value} (a broken formula); type the actual value."
                )
            }
        }
    }
}

impl Localized for RowProblem {
    fn localize(&self, lang: Lang) -> String {
        match self {
            RowProblem::Cell { field, problem } => {
                let label = field_label(field, lang);
                let problem = problem.localize(lang);
                tr!(lang, "{label}：{problem}", "{label}: {problem}")
            }
            RowProblem::Field(issue) => issue.localize(lang),
        }
    }
}

/// Why a row is in the file to fix, each reason on its own.
pub fn row_reasons(row: &SheetRow, lang: Lang) -> Vec<String> {
    match &row.verdict {
        RowVerdict::Invalid { problems, .. } => problems.iter().map(|p| p.localize(lang)).collect(),
        RowVerdict::RepeatsRow(first) => vec![repeat_reason(row.number, *first, lang)],
        RowVerdict::New(_) | RowVerdict::InLedger(_) => Vec::new(),
    }
}

fn repeat_reason(number: u32, first: u32, lang: Lang) -> String {
    tr!(
        lang,
        "原表第 {number} 行与第 {first} 行是同一条记录（表内重复），未导入；如确是另一条，请改正其编号或日期。",
        "row {number} of the sheet is the same entry as row {first} (repeated in the sheet) and was not imported; if it is another one, correct its code or date."
    )
}

impl Localized for SheetRefusal {
    fn localize(&self, lang: Lang) -> String {
        match self {
            SheetRefusal::Unreadable {
                path,
                reason,
                missing,
            } => {
                let path = display::path(path);
                if *missing {
                    return tr!(
                        lang,
                        "找不到文件 {path}（U盘是否已插好？文件名是否写对？）。台账未改动。",
                        "There is no file {path} (is the USB stick in? is the name right?). The ledger was not changed."
                    );
                }
                let reason = shown(reason);
                tr!(
                    lang,
                    "无法读取 {path}：{reason}。文件可能已损坏、被加密或仍在 Excel/WPS 中打开未保存。台账未改动。",
                    "Cannot read {path}: {reason}. The file may be damaged, encrypted, or still open unsaved in Excel/WPS. The ledger was not changed."
                )
            }
            SheetRefusal::UnknownFormat { path } => {
                let path = display::path(path);
                tr!(
                    lang,
                    "{path} 不是能读取的表格：可导入 .xlsx、.xls、.ods 和 .csv 文件（WPS 的 .et 文件请先“另存为” .xlsx）。台账未改动。",
                    "{path} is not a sheet this program reads: it imports .xlsx, .xls, .ods and .csv files (save a WPS .et file as .xlsx first). The ledger was not changed."
                )
            }
            SheetRefusal::NoSuchSheet { path, name, sheets } => {
                let path = display::path(path);
                if sheets.is_empty() {
                    return tr!(
                        lang,
                        "{path} 里没有工作表。台账未改动。",
                        "{path} has no worksheet. The ledger was not changed."
                    );
                }
                let name = shown(name);
                let sheets = headers(sheets, lang);
                tr!(
                    lang,
                    "{path} 里没有名为“{name}”的工作表；有：{sheets}。台账未改动。",
                    "{path} has no worksheet named \"{name}\"; it has: {sheets}. The ledger was not changed."
                )
            }
            SheetRefusal::Columns(problem) => columns_problem(problem, lang),
            SheetRefusal::CityLedger => tr!(
                lang,
                "这是市级汇总台账：记录由各单位在本单位台账中录入或导入，再以同步包交市科技局导入，不能从表格导入到市级台账。台账未改动。",
                "This is the city ledger: records are entered or imported by each unit in its own ledger and reach the city in bundles; a sheet cannot be imported into the city ledger. The ledger was not changed."
            ),
        }
    }
}

fn columns_problem(problem: &ColumnsProblem, lang: Lang) -> String {
    match problem {
        ColumnsProblem::NoHeader { kind, scanned } => {
            let kind_name = kind_label(*kind, lang);
            let scanned = (*scanned).min(HEADER_SCAN_ROWS);
            let examples = example_headers(*kind, lang);
            tr!(
                lang,
                "前 {scanned} 行中找不到{kind_name}的表头行（至少要有两列的表头能认出，如 {examples}）。请确认 --kind 选对了、表格是第一个工作表（或用 --sheet 指定），或用 --map 列名=项目 指明各列。台账未改动。",
                "No {kind_name} header row in the first {scanned} rows (at least two column headers must be recognised, such as {examples}). Check --kind, that the table is on the first worksheet (or name it with --sheet), or say what the columns are with --map HEADER=field. The ledger was not changed."
            )
        }
        ColumnsProblem::UnknownMapColumn {
            column,
            headers: found,
        } => {
            let column = shown(column);
            let found = headers(found, lang);
            tr!(
                lang,
                "--map 中的列“{column}”在表头行里找不到。表头行的列有：{found}（也可以写列号，如 C）。台账未改动。",
                "The column \"{column}\" of --map is not in the header row. Its columns are: {found} (a column letter such as C works too). The ledger was not changed."
            )
        }
        ColumnsProblem::UnknownMapField { field, kind } => {
            let field = shown(field);
            let kind_name = kind_label(*kind, lang);
            let fields = list(
                kind.fields()
                    .iter()
                    .map(|f| format!("{}（{}）", f.key, field_label(f.key, Lang::Zh))),
                lang,
            );
            tr!(
                lang,
                "--map 中的“{field}”不是{kind_name}的项目。可用的项目有：{fields}。台账未改动。",
                "\"{field}\" in --map is not a field of a {kind_name} record. The fields are: {fields}. The ledger was not changed."
            )
        }
        ColumnsProblem::BadMap { given } => {
            let given = shown(given);
            tr!(
                lang,
                "--map “{given}” 应写成 列名=项目，例如 --map 企业全称=name。台账未改动。",
                "--map \"{given}\" must be HEADER=field, e.g. --map 企业全称=name. The ledger was not changed."
            )
        }
        ColumnsProblem::MissingRequired {
            kind,
            fields,
            ignored,
        } => {
            let kind_name = kind_label(*kind, lang);
            let missing = labels(fields, lang);
            let ignored = headers(ignored, lang);
            tr!(
                lang,
                "表中没有{kind_name}必填项目的列：{missing}。未认出的列有：{ignored}；如其中有对应的列，请用 --map 列名=项目 指明。台账未改动。",
                "The sheet has no column for these required {kind_name} fields: {missing}. Columns not recognised: {ignored}; if one of them holds such a field, say so with --map HEADER=field. The ledger was not changed."
            )
        }
    }
}

/// The labels of a kind's first required fields, as examples of headers.
fn example_headers(kind: RecordKind, lang: Lang) -> String {
    let fields: Vec<&str> = kind
        .fields()
        .iter()
        .filter(|f| f.required)
        .take(3)
        .map(|f| f.key)
        .collect();
    list(
        fields
            .iter()
            .map(|f| format!("“{}”", field_label(f, Lang::Zh))),
        lang,
    )
}

/// `读取 名单.xlsx 的工作表“Sheet1”，表头在第 3 行，按“入库科企”导入。`
pub fn reading(preview: &SheetImportPreview, lang: Lang) -> String {
    let path = display::path(&preview.path);
    let row = preview.header_row;
    let kind = kind_label(preview.kind, lang);
    match &preview.sheet_name {
        Some(sheet) => {
            let sheet = shown(sheet);
            tr!(
                lang,
                "读取 {path} 的工作表“{sheet}”，表头在第 {row} 行，按“{kind}”导入。",
                "Reading worksheet \"{sheet}\" of {path}, header in row {row}, as {kind} records."
            )
        }
        None => tr!(
            lang,
            "读取 {path}，表头在第 {row} 行，按“{kind}”导入。",
            "Reading {path}, header in row {row}, as {kind} records."
        ),
    }
}

pub fn columns_read_title(lang: Lang) -> String {
    tr!(lang, "读取的列：", "Columns read:")
}

pub fn columns_ignored_title(lang: Lang) -> String {
    tr!(lang, "未读取的列：", "Columns not read:")
}

/// `B 企业名称 → 名称`, `A 序号（不是入库科企的项目）`.
pub fn column_line(column: &SheetColumn, kind: RecordKind, lang: Lang) -> String {
    let letter = column_letter(column.index);
    let header = if column.header.is_empty() {
        tr!(lang, "（无表头）", "(no header)")
    } else {
        shown(&column.header)
    };
    match column.usage {
        ColumnUsage::Field(field) => {
            let label = field_label(field, lang);
            format!("{letter} {header} → {label}")
        }
        ColumnUsage::Mapped(field) => {
            let label = field_label(field, lang);
            tr!(
                lang,
                "{letter} {header} → {label}（按 --map）",
                "{letter} {header} → {label} (by --map)"
            )
        }
        ColumnUsage::Unknown => {
            let kind = kind_label(kind, lang);
            tr!(
                lang,
                "{letter} {header}（不是{kind}的项目）",
                "{letter} {header} (not a {kind} field)"
            )
        }
        ColumnUsage::Repeats { field, column } => {
            let label = field_label(field, lang);
            let first = column_letter(column);
            tr!(
                lang,
                "{letter} {header}（{label}已从 {first} 列读取）",
                "{letter} {header} ({label} is read from column {first})"
            )
        }
        ColumnUsage::Dropped => tr!(
            lang,
            "{letter} {header}（按 --map 不读取）",
            "{letter} {header} (left out by --map)"
        ),
    }
}

pub fn rows_title(lang: Lang) -> String {
    tr!(lang, "逐行结果：", "Row by row:")
}

/// The verdict line of a row: `第 4 行 新增：名称`.
pub fn row_line(row: &SheetRow, lang: Lang) -> String {
    let number = row.number;
    let name = if row.name.is_empty() {
        tr!(lang, "（无名称）", "(no name)")
    } else {
        shown(&row.name)
    };
    match &row.verdict {
        RowVerdict::New(_) => tr!(
            lang,
            "第 {number} 行 新增：{name}",
            "Row {number} new: {name}"
        ),
        RowVerdict::InLedger(entry) => {
            let existing = shown(&entry.name);
            let id = entry.id.simple().to_string();
            let id = &id[..8];
            tr!(
                lang,
                "第 {number} 行 已在台账中：{name}（台账记录 {id}“{existing}”）",
                "Row {number} already in the ledger: {name} (record {id} \"{existing}\")"
            )
        }
        RowVerdict::RepeatsRow(first) => tr!(
            lang,
            "第 {number} 行 表内重复：{name}，与第 {first} 行是同一条",
            "Row {number} repeated in the sheet: {name}, the same entry as row {first}"
        ),
        RowVerdict::Invalid { .. } => tr!(
            lang,
            "第 {number} 行 无效：{name}",
            "Row {number} invalid: {name}"
        ),
    }
}

/// The lines under a row's verdict: its reasons, then its warnings.
pub fn row_details(row: &SheetRow, lang: Lang) -> Vec<String> {
    let warnings: &[FieldIssue] = match &row.verdict {
        RowVerdict::New(valid) => &valid.warnings,
        RowVerdict::Invalid { warnings, .. } => warnings,
        _ => &[],
    };
    let mut lines = match &row.verdict {
        RowVerdict::Invalid { problems, .. } => problems.iter().map(|p| p.localize(lang)).collect(),
        _ => Vec::new(),
    };
    lines.extend(warnings.iter().map(|w| {
        let warning = w.localize(lang);
        tr!(lang, "提示：{warning}", "Note: {warning}")
    }));
    lines
}

fn skip_reason_name(reason: SkipReason, lang: Lang) -> String {
    match reason {
        SkipReason::Blank => tr!(lang, "空行", "blank"),
        SkipReason::Total => tr!(lang, "合计行", "total"),
        SkipReason::Note => tr!(lang, "表下说明", "note under the table"),
    }
}

/// `跳过的行：第 9 行（空行）、第 20 行（合计行）`, or `None` when none was skipped.
pub fn skipped_line(preview: &SheetImportPreview, lang: Lang) -> Option<String> {
    if preview.skipped.is_empty() {
        return None;
    }
    let rows = list(
        preview.skipped.iter().map(|s| {
            let number = s.number;
            let why = skip_reason_name(s.reason, lang);
            tr!(lang, "第 {number} 行（{why}）", "row {number} ({why})")
        }),
        lang,
    );
    Some(tr!(lang, "跳过的行：{rows}", "Rows skipped: {rows}"))
}

/// `合计：3 新增，1 已在台账中，1 表内重复，1 无效，2 跳过`.
pub fn summary(counts: &SheetImportCounts, lang: Lang) -> String {
    let SheetImportCounts {
        new,
        in_ledger,
        repeated,
        invalid,
        skipped,
    } = *counts;
    tr!(
        lang,
        "合计：{new} 新增，{in_ledger} 已在台账中，{repeated} 表内重复，{invalid} 无效，{skipped} 跳过",
        "Total: {new} new, {in_ledger} already in the ledger, {repeated} repeated in the sheet, {invalid} invalid, {skipped} skipped"
    )
}

pub fn dry_run_done(lang: Lang) -> String {
    tr!(
        lang,
        "试运行：台账未改动，也未写任何文件。去掉 --dry-run 即导入新增的行。",
        "Dry run: the ledger was not changed and no file was written. Run again without --dry-run to import the new rows."
    )
}

pub fn imported(inserted: usize, lang: Lang) -> String {
    tr!(
        lang,
        "已导入 {inserted} 条新记录。",
        "{inserted} new records imported."
    )
}

pub fn nothing_new(counts: &SheetImportCounts, lang: Lang) -> String {
    if counts.in_ledger > 0 && counts.rejected() == 0 {
        tr!(
            lang,
            "没有新记录：表中各行都已在台账中，台账未改动。",
            "No new records: every row of the sheet is already in the ledger; the ledger was not changed."
        )
    } else {
        tr!(
            lang,
            "没有可导入的新记录，台账未改动。",
            "No new records to import; the ledger was not changed."
        )
    }
}

/// The loud line about the rows not imported, with the command to import them once fixed.
pub fn rejected_written(rows: usize, file: &Path, kind: RecordKind, lang: Lang) -> String {
    let path = display::path(file);
    let kind = kind.key();
    tr!(
        lang,
        "注意：有 {rows} 行未导入，已连同原因写入 {path}。请在表中按“原因”列改好（“原因”列不用删），再导入该文件：taizhang import-sheet {path} --kind {kind}",
        "Attention: {rows} rows were not imported; they are written with their reasons to {path}. Fix them there as the Reason column says (leave that column in), then import that file: taizhang import-sheet {path} --kind {kind}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_says_nothing_changed() {
        let refusals = [
            SheetRefusal::UnknownFormat {
                path: "a.et".into(),
            },
            SheetRefusal::CityLedger,
            SheetRefusal::Columns(ColumnsProblem::NoHeader {
                kind: RecordKind::HighTech,
                scanned: 20,
            }),
            SheetRefusal::Columns(ColumnsProblem::MissingRequired {
                kind: RecordKind::TechSme,
                fields: vec!["reg_no"],
                ignored: vec!["登记证号".into()],
            }),
        ];
        for refusal in refusals {
            assert!(
                refusal.localize(Lang::Zh).contains("台账未改动"),
                "{refusal:?}"
            );
            assert!(
                refusal.localize(Lang::En).contains("not changed"),
                "{refusal:?}"
            );
        }
    }

    #[test]
    fn a_code_stored_as_a_number_says_to_retype_it_as_text() {
        let problem = RowProblem::Cell {
            field: "credit_code",
            problem: CellProblem::CodeStoredAsNumber {
                shown: "9.1230502E17".into(),
            },
        };
        let zh = problem.localize(Lang::Zh);
        assert!(zh.starts_with("统一社会信用代码："), "{zh}");
        assert!(zh.contains("存成了数字") && zh.contains("文本"), "{zh}");
        assert!(
            problem
                .localize(Lang::En)
                .contains("Format the column as Text")
        );
    }
}
