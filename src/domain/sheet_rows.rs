//! Reading a unit's own sheet as records of one kind: which row holds the headers, which
//! column is which field, which rows are blank, totals or notes, and how a cell becomes a
//! field value (Excel date serials, codes Excel turned into numbers). Pure: the cells come
//! from `crate::sheet::read`, the verdicts against the ledger from `crate::sheet::import`.

use jiff::ToSpan;
use jiff::civil::{Date, date};

use super::kind::{FieldSpec, FieldType, RecordKind};
use super::record::{FieldIssue, FieldValues, ValidRecord};
use super::sheet_headers::header_synonyms;
use super::validate::text::normalized_name;
use super::validate::{context_warnings, validate_record};
use crate::i18n::Lang;
use crate::i18n::labels::field_label;

/// How many rows from the top are searched for the header row.
pub const HEADER_SCAN_ROWS: usize = 20;
/// The fewest fields a header row must name.
const HEADER_MIN_FIELDS: usize = 2;
/// From this size on a number has lost digits in Excel (it keeps 15 significant ones).
const LOST_PRECISION: f64 = 1e15;
/// The first serial past 9999-12-31, Excel's last day.
const SERIAL_END: f64 = 2_958_466.0;

/// One cell of a sheet as read, before it means anything.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum SheetCell {
    #[default]
    Empty,
    Text(String),
    /// A number cell with no date format (perhaps a date serial all the same).
    Number(f64),
    /// A cell the spreadsheet marks as a date. Excel's fictitious 1900-02-29 can appear.
    Date {
        year: i16,
        month: i8,
        day: i8,
    },
    Bool(bool),
    /// An error value such as `#N/A` or `#REF!`.
    Error(String),
}

impl SheetCell {
    pub fn is_empty(&self) -> bool {
        match self {
            SheetCell::Empty => true,
            SheetCell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a header or a message shows it.
    pub fn text(&self) -> String {
        match self {
            SheetCell::Empty => String::new(),
            SheetCell::Text(t) => t.clone(),
            SheetCell::Number(n) => number_text(*n),
            SheetCell::Date { year, month, day } => format!("{year:04}-{month:02}-{day:02}"),
            SheetCell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            SheetCell::Error(e) => e.clone(),
        }
    }
}

/// A column letter as Excel shows it: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// `A` → 0, `ab` → 27; `None` unless one to three ASCII letters.
fn column_index(letters: &str) -> Option<usize> {
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let n = letters.bytes().fold(0usize, |n, b| {
        n * 26 + usize::from(b.to_ascii_uppercase() - b'A') + 1
    });
    Some(n - 1)
}

/// A header as compared: NFKC, no spaces, lower case, no `*` marks and no text in brackets
/// (`*企业名称（必填）` → `企业名称`), unless the brackets hold the whole header.
pub fn header_form(text: &str) -> String {
    let name = normalized_name(text);
    let mut out = String::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '[' | '【' | '〔' | '{' => depth += 1,
            ')' | ']' | '】' | '〕' | '}' => depth = depth.saturating_sub(1),
            '*' | '※' | ':' => {}
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    if out.is_empty() {
        // A header that is all bracket (`【证书编号】`) is its inside.
        out = name
            .chars()
            .filter(|c| !"()[]【】〔〕{}*※:".contains(*c))
            .collect();
    }
    out
}

/// The field of `kind` a column header names: the field's key, its Chinese or English label,
/// or a header units commonly use for it. A header in 万元 names no field (the ledger keeps
/// yuan).
pub fn field_for_header(kind: RecordKind, header: &str) -> Option<&'static str> {
    if header.contains("万元") {
        return None;
    }
    let form = header_form(header);
    if form.is_empty() {
        return None;
    }
    kind.fields()
        .iter()
        .find(|spec| {
            own_names(spec.key)
                .into_iter()
                .chain(header_synonyms(kind, spec.key).iter().copied())
                .any(|name| header_form(name) == form)
        })
        .map(|spec| spec.key)
}

/// A field's key and its Chinese and English labels.
fn own_names(key: &str) -> [&str; 3] {
    [key, field_label(key, Lang::Zh), field_label(key, Lang::En)]
}

/// The field of `kind` a `--map` names: its key, or its Chinese or English label.
fn field_named(kind: RecordKind, given: &str) -> Option<&'static str> {
    let form = header_form(given);
    kind.fields()
        .iter()
        .find(|spec| {
            own_names(spec.key)
                .iter()
                .any(|name| header_form(name) == form)
        })
        .map(|spec| spec.key)
}

/// A clerk's instruction: column (its header, or its letter) → field (key or label); an
/// empty field means the column is not to be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnMap {
    pub column: String,
    pub field: String,
}

/// How one column of the sheet is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetColumn {
    /// 0-based column index.
    pub index: usize,
    /// The header as written.
    pub header: String,
    pub usage: ColumnUsage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUsage {
    /// Read into this field, because of its header.
    Field(&'static str),
    /// Read into this field, because a `--map` said so.
    Mapped(&'static str),
    /// Not read: the header names no field of the kind.
    Unknown,
    /// Not read: an earlier column (its index) already gives this field.
    Repeats { field: &'static str, column: usize },
    /// Not read: a `--map` said so.
    Dropped,
}

impl ColumnUsage {
    /// The field the column is read into.
    pub fn field(self) -> Option<&'static str> {
        match self {
            ColumnUsage::Field(f) | ColumnUsage::Mapped(f) => Some(f),
            _ => None,
        }
    }
}

/// Where the headers are and what each column gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnPlan {
    /// 0-based index of the header row in the sheet.
    pub header_row: usize,
    /// Every column with a header or with data under it, in sheet order.
    pub columns: Vec<SheetColumn>,
}

impl ColumnPlan {
    /// `(column index, field)` of each column that is read.
    pub fn read_columns(&self) -> impl Iterator<Item = (usize, &'static str)> + '_ {
        self.columns
            .iter()
            .filter_map(|c| c.usage.field().map(|f| (c.index, f)))
    }
}

/// Why the columns of a sheet could not be worked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnsProblem {
    /// No row among the first ones names two fields of the kind.
    NoHeader { kind: RecordKind, scanned: usize },
    /// A `--map` names a column the header row does not have.
    UnknownMapColumn {
        column: String,
        headers: Vec<String>,
    },
    /// A `--map` names no field of the kind.
    UnknownMapField { field: String, kind: RecordKind },
    /// A `--map` is not `列名=field`.
    BadMap { given: String },
    /// Required fields no column gives; `ignored` are the headers not read.
    MissingRequired {
        kind: RecordKind,
        fields: Vec<&'static str>,
        ignored: Vec<String>,
    },
}

/// `列名=field` (split at the last `=`, so a header may contain one).
pub fn parse_column_map(given: &str) -> Result<ColumnMap, ColumnsProblem> {
    let bad = || ColumnsProblem::BadMap {
        given: given.to_string(),
    };
    let (column, field) = given.rsplit_once(['=', '＝']).ok_or_else(bad)?;
    if column.trim().is_empty() {
        return Err(bad());
    }
    Ok(ColumnMap {
        column: column.trim().to_string(),
        field: field.trim().to_string(),
    })
}

/// Finds the header row among the first [`HEADER_SCAN_ROWS`] rows (the one naming the most
/// fields of `kind`, titles and banners above it skipped) and decides what each column gives,
/// `maps` first.
pub fn plan_columns(
    kind: RecordKind,
    rows: &[Vec<SheetCell>],
    maps: &[ColumnMap],
) -> Result<ColumnPlan, ColumnsProblem> {
    let scanned = rows.len().min(HEADER_SCAN_ROWS);
    let map_forms: Vec<String> = maps.iter().map(|m| header_form(&m.column)).collect();
    let score = |row: &Vec<SheetCell>| {
        let mut fields: Vec<&str> = Vec::new();
        let mut mapped = 0;
        for cell in row {
            let text = cell.text();
            if map_forms.contains(&header_form(&text)) && !text.trim().is_empty() {
                mapped += 1;
            } else if let Some(field) = field_for_header(kind, &text)
                && !fields.contains(&field)
            {
                fields.push(field);
            }
        }
        fields.len() + mapped
    };
    let best = rows[..scanned]
        .iter()
        .enumerate()
        .map(|(i, row)| (score(row), i))
        .filter(|(score, _)| *score >= HEADER_MIN_FIELDS)
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let Some((_, header_row)) = best else {
        return Err(ColumnsProblem::NoHeader { kind, scanned });
    };
    let header = &rows[header_row];
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let has_data = |col: usize| {
        rows[header_row + 1..]
            .iter()
            .any(|r| r.get(col).is_some_and(|c| !c.is_empty()))
    };
    let mut columns: Vec<SheetColumn> = (0..width)
        .filter_map(|index| {
            let text = header.get(index).map(SheetCell::text).unwrap_or_default();
            let text = text.trim().to_string();
            if text.is_empty() && !has_data(index) {
                return None;
            }
            let usage = match field_for_header(kind, &text) {
                Some(field) => ColumnUsage::Field(field),
                None => ColumnUsage::Unknown,
            };
            Some(SheetColumn {
                index,
                header: text,
                usage,
            })
        })
        .collect();

    for map in maps {
        let form = header_form(&map.column);
        let position = columns
            .iter()
            .position(|c| !c.header.is_empty() && header_form(&c.header) == form)
            .or_else(|| {
                let index = column_index(map.column.trim())?;
                match columns.iter().position(|c| c.index == index) {
                    Some(p) => Some(p),
                    None if index < width => {
                        columns.push(SheetColumn {
                            index,
                            header: String::new(),
                            usage: ColumnUsage::Unknown,
                        });
                        columns.sort_by_key(|c| c.index);
                        columns.iter().position(|c| c.index == index)
                    }
                    None => None,
                }
            })
            .ok_or_else(|| ColumnsProblem::UnknownMapColumn {
                column: map.column.clone(),
                headers: columns
                    .iter()
                    .filter(|c| !c.header.is_empty())
                    .map(|c| c.header.clone())
                    .collect(),
            })?;
        columns[position].usage = if map.field.is_empty() {
            ColumnUsage::Dropped
        } else {
            let field =
                field_named(kind, &map.field).ok_or_else(|| ColumnsProblem::UnknownMapField {
                    field: map.field.clone(),
                    kind,
                })?;
            // The mapped column replaces whichever column the header gave the field to.
            for other in columns.iter_mut() {
                if other.usage == ColumnUsage::Field(field) {
                    other.usage = ColumnUsage::Unknown;
                }
            }
            ColumnUsage::Mapped(field)
        };
    }

    // A field given by two headers is read from the first (mapped columns win).
    let mut taken: Vec<(&'static str, usize)> = columns
        .iter()
        .filter_map(|c| match c.usage {
            ColumnUsage::Mapped(f) => Some((f, c.index)),
            _ => None,
        })
        .collect();
    for column in columns.iter_mut() {
        if let ColumnUsage::Field(field) = column.usage {
            match taken.iter().find(|(f, _)| *f == field) {
                Some(&(_, first)) => {
                    column.usage = ColumnUsage::Repeats {
                        field,
                        column: first,
                    }
                }
                None => taken.push((field, column.index)),
            }
        }
    }

    let missing: Vec<&'static str> = kind
        .fields()
        .iter()
        .filter(|spec| spec.required && !taken.iter().any(|(f, _)| *f == spec.key))
        .map(|spec| spec.key)
        .collect();
    if !missing.is_empty() {
        return Err(ColumnsProblem::MissingRequired {
            kind,
            fields: missing,
            ignored: columns
                .iter()
                .filter(|c| c.usage.field().is_none() && !c.header.is_empty())
                .map(|c| c.header.clone())
                .collect(),
        });
    }
    Ok(ColumnPlan {
        header_row,
        columns,
    })
}

/// Why a row below the header is not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SkipReason {
    /// Nothing in it.
    Blank,
    /// A total: its first cell says 合计, 总计, 小计 or 共 12 户.
    Total,
    /// A note under the table: 注：…, 填表人：…, 联系电话：….
    Note,
}

/// Words a note row under a table starts with.
const NOTE_STARTS: [&str; 12] = [
    "注",
    "说明",
    "备注",
    "填表人",
    "填报人",
    "审核人",
    "制表人",
    "负责人",
    "联系人",
    "联系电话",
    "填报日期",
    "填表日期",
];

/// Whether a row below the header is not a record, and why.
pub fn skip_reason(row: &[SheetCell]) -> Option<SkipReason> {
    let Some(first) = row.iter().find(|c| !c.is_empty()) else {
        return Some(SkipReason::Blank);
    };
    let SheetCell::Text(text) = first else {
        return None;
    };
    let form = header_form(text);
    if ["合计", "总计", "小计"].iter().any(|w| form.starts_with(w)) || is_count_line(&form) {
        return Some(SkipReason::Total);
    }
    // NFKC makes a full-width colon `：` a `:`.
    let written = normalized_name(text);
    let labelled = NOTE_STARTS.iter().any(|w| {
        written
            .strip_prefix(w)
            .is_some_and(|rest| rest.starts_with(':'))
    });
    labelled.then_some(SkipReason::Note)
}

/// `共12户`, `共 3 家`, `合计12项`: a count line.
fn is_count_line(form: &str) -> bool {
    let Some(rest) = form.strip_prefix('共') else {
        return false;
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    digits > 0
        && rest
            .chars()
            .nth(digits)
            .is_some_and(|c| "户家个项条人所".contains(c))
}

/// The day an Excel serial number stands for, in the 1900 date system: serial 1 is
/// 1900-01-01; Excel counts a 1900-02-29 that never was (serial 60), so from serial 61 on
/// the serial counts days from 1899-12-30. A time of day (the fraction) is dropped. `None`
/// for serial 60 and for numbers outside 1..=2958465.
pub fn excel_serial_date(serial: f64) -> Option<Date> {
    if !serial.is_finite() || !(1.0..SERIAL_END).contains(&serial) {
        return None;
    }
    // In range 1..2958466, exactly representable.
    let days = serial.floor() as i64;
    let epoch = match days {
        ..60 => date(1899, 12, 31),
        60 => return None,
        _ => date(1899, 12, 30),
    };
    epoch.checked_add(days.days()).ok()
}

/// A number as a clerk would type it: whole numbers without `.0`, amounts rounded to cents
/// when the float only misses them by its own error.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < LOST_PRECISION {
        // Whole and below 1e15: exactly an i64.
        return format!("{}", n as i64);
    }
    let cents = (n * 100.0).round() / 100.0;
    if (cents - n).abs() < 1e-6 {
        format!("{cents}")
    } else {
        format!("{n}")
    }
}

/// Why a cell cannot be a field's value whatever the field's rules say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellProblem {
    /// A code Excel keeps as a number has lost its last digits (`9.12305E+17`); `shown` is
    /// what the cell holds now.
    CodeStoredAsNumber { shown: String },
    /// The cell holds an error value (`#N/A`, `#REF!`).
    ErrorValue { shown: String },
}

/// Whether a field holds an identifying number that Excel must keep as text.
fn is_code_field(spec: &FieldSpec) -> bool {
    matches!(
        spec.ty,
        FieldType::CreditCode | FieldType::RegNo | FieldType::CertNo
    ) || (spec.ty == FieldType::Text && spec.key.ends_with("_no"))
}

/// Text as Excel writes a number in scientific form: `9.12305E+17`.
fn is_scientific(text: &str) -> bool {
    let t = text.trim();
    let Some((mantissa, exponent)) = t.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let mantissa_ok = mantissa.split_once('.').map_or_else(
        || mantissa.bytes().all(|b| b.is_ascii_digit()),
        |(i, f)| i.bytes().all(|b| b.is_ascii_digit()) && f.bytes().all(|b| b.is_ascii_digit()),
    );
    !mantissa.is_empty()
        && mantissa_ok
        && !exponent.is_empty()
        && exponent.bytes().all(|b| b.is_ascii_digit())
}

/// What a cell gives field `spec`: `Ok(None)` when empty.
pub fn cell_value(spec: &FieldSpec, cell: &SheetCell) -> Result<Option<String>, CellProblem> {
    let code = is_code_field(spec);
    let value = match cell {
        SheetCell::Empty => return Ok(None),
        SheetCell::Error(e) => return Err(CellProblem::ErrorValue { shown: e.clone() }),
        SheetCell::Text(t) if code && is_scientific(t) => {
            return Err(CellProblem::CodeStoredAsNumber {
                shown: t.trim().to_string(),
            });
        }
        SheetCell::Text(t) => t.clone(),
        SheetCell::Number(n) if code && (n.abs() >= LOST_PRECISION || !n.is_finite()) => {
            return Err(CellProblem::CodeStoredAsNumber {
                shown: format!("{n:E}"),
            });
        }
        SheetCell::Number(n) if spec.ty == FieldType::Date => match excel_serial_date(*n) {
            Some(day) => day.to_string(),
            // Excel's 1900-02-29, refused by the date check as the day that never was.
            None if n.floor() == 60.0 => "1900-02-29".to_string(),
            None => number_text(*n),
        },
        SheetCell::Number(n) => number_text(*n),
        SheetCell::Bool(b) if spec.ty == FieldType::Bool => b.to_string(),
        other => other.text(),
    };
    Ok((!value.trim().is_empty()).then_some(value))
}

/// A problem with one cell or one field of a row, as the row's verdict lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    Cell {
        field: &'static str,
        problem: CellProblem,
    },
    Field(FieldIssue),
}

/// A data row read as a record of the kind.
#[derive(Clone, Debug, PartialEq)]
pub enum RowCheck {
    /// Valid; `warnings` are those of its values and of where and when it is entered.
    Valid(ValidRecord),
    /// Not a valid record, for these reasons (in column order), with the warnings found too.
    Invalid {
        problems: Vec<RowProblem>,
        warnings: Vec<FieldIssue>,
    },
}

/// The field values of a data row, and the cells that give none.
pub fn row_values(
    kind: RecordKind,
    plan: &ColumnPlan,
    row: &[SheetCell],
) -> (FieldValues, Vec<RowProblem>) {
    let mut values = FieldValues::new();
    let mut problems = Vec::new();
    for (index, field) in plan.read_columns() {
        let Some(spec) = kind.field(field) else {
            continue;
        };
        let cell = row.get(index).unwrap_or(&SheetCell::Empty);
        match cell_value(spec, cell) {
            Ok(Some(value)) => {
                values.insert(field.to_string(), value);
            }
            Ok(None) => {}
            Err(problem) => problems.push(RowProblem::Cell { field, problem }),
        }
    }
    (values, problems)
}

/// Checks a data row as a record of `kind` for `unit` on `today`.
pub fn check_row(
    kind: RecordKind,
    plan: &ColumnPlan,
    row: &[SheetCell],
    unit: &str,
    today: Date,
) -> RowCheck {
    let (values, cell_problems) = row_values(kind, plan, row);
    let bad_cells: Vec<&str> = cell_problems
        .iter()
        .filter_map(|p| match p {
            RowProblem::Cell { field, .. } => Some(*field),
            RowProblem::Field(_) => None,
        })
        .collect();
    match validate_record(kind, &values) {
        Ok(mut valid) if cell_problems.is_empty() => {
            valid
                .warnings
                .extend(context_warnings(kind, &valid.fields, unit, today));
            RowCheck::Valid(valid)
        }
        Ok(valid) => {
            let mut warnings = valid.warnings;
            warnings.extend(context_warnings(kind, &valid.fields, unit, today));
            RowCheck::Invalid {
                problems: cell_problems,
                warnings,
            }
        }
        Err(issues) => {
            // A cell refused above is not also "required".
            let mut problems = cell_problems;
            problems.extend(
                issues
                    .into_iter()
                    .filter(|i| !bad_cells.contains(&i.field.as_str()))
                    .map(RowProblem::Field),
            );
            let position = |p: &RowProblem| {
                let field = match p {
                    RowProblem::Cell { field, .. } => field,
                    RowProblem::Field(issue) => issue.field.as_str(),
                };
                kind.fields()
                    .iter()
                    .position(|f| f.key == field)
                    .unwrap_or(usize::MAX)
            };
            problems.sort_by_key(position);
            RowCheck::Invalid {
                problems,
                warnings: Vec::new(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RecordKind::*;

    fn text(s: &str) -> SheetCell {
        SheetCell::Text(s.to_string())
    }

    #[test]
    fn serials_follow_excel_1900_system() {
        assert_eq!(excel_serial_date(1.0), Some(date(1900, 1, 1)));
        assert_eq!(excel_serial_date(59.0), Some(date(1900, 2, 28)));
        assert_eq!(excel_serial_date(60.0), None);
        assert_eq!(excel_serial_date(61.0), Some(date(1900, 3, 1)));
        assert_eq!(excel_serial_date(45047.0), Some(date(2023, 5, 1)));
        assert_eq!(excel_serial_date(45047.75), Some(date(2023, 5, 1)));
        assert_eq!(excel_serial_date(2_958_465.0), Some(date(9999, 12, 31)));
        for bad in [0.0, -3.0, 0.5, 2_958_466.0, f64::NAN, f64::INFINITY] {
            assert_eq!(excel_serial_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_header_row_of_names_only_maps_know_is_found_by_them() {
        let rows: Vec<Vec<SheetCell>> = [
            vec!["某某表", "", "", "", ""],
            vec!["甲列", "乙列", "丙列", "丁列", "戊列"],
            vec![
                "双鸭山甲公司",
                "91230521MA1B2C3D8P",
                "x",
                "2023230521A0000001",
                "2023-05-01",
            ],
        ]
        .iter()
        .map(|r| r.iter().map(|c| text(c)).collect())
        .collect();
        let maps = [
            parse_column_map("甲列=name").unwrap(),
            parse_column_map("乙列=统一社会信用代码").unwrap(),
            parse_column_map("丁列=reg_no").unwrap(),
            parse_column_map("戊列=registered_on").unwrap(),
        ];
        let plan = plan_columns(TechSme, &rows, &maps).unwrap();
        assert_eq!(plan.header_row, 1);
        let read: Vec<(usize, &str)> = plan.read_columns().collect();
        assert_eq!(
            read,
            vec![
                (0, "name"),
                (1, "credit_code"),
                (3, "reg_no"),
                (4, "registered_on")
            ]
        );
    }

    #[test]
    fn a_column_without_header_is_kept_only_if_data_lies_under_it() {
        let rows: Vec<Vec<SheetCell>> = [
            vec![
                "企业名称",
                "统一社会信用代码",
                "",
                "入库登记编号",
                "入库时间",
                "",
            ],
            vec![
                "甲公司",
                "91230521MA1B2C3D8P",
                "备注文字",
                "2023230521A0000001",
                "2023-05-01",
                "",
            ],
        ]
        .iter()
        .map(|r| r.iter().map(|c| text(c)).collect())
        .collect();
        let plan = plan_columns(TechSme, &rows, &[]).unwrap();
        let indexes: Vec<usize> = plan.columns.iter().map(|c| c.index).collect();
        assert_eq!(
            indexes,
            vec![0, 1, 2, 3, 4],
            "F has neither header nor data"
        );
        assert_eq!(plan.columns[2].usage, ColumnUsage::Unknown);
        // A letter may name the headerless column with data, and an empty one within the
        // sheet; a letter past the sheet's last column names nothing.
        let by_letter = |letter: &str| {
            let maps = [parse_column_map(&format!("{letter}=notes")).unwrap()];
            plan_columns(TechSme, &rows, &maps)
        };
        let notes = |plan: ColumnPlan| plan.read_columns().find(|(_, f)| *f == "notes");
        assert_eq!(notes(by_letter("C").unwrap()), Some((2, "notes")));
        assert_eq!(notes(by_letter("F").unwrap()), Some((5, "notes")));
        assert!(matches!(
            by_letter("H"),
            Err(ColumnsProblem::UnknownMapColumn { .. })
        ));
    }

    #[test]
    fn only_columns_read_give_a_field() {
        assert_eq!(ColumnUsage::Field("name").field(), Some("name"));
        assert_eq!(ColumnUsage::Mapped("notes").field(), Some("notes"));
        for unread in [
            ColumnUsage::Unknown,
            ColumnUsage::Dropped,
            ColumnUsage::Repeats {
                field: "name",
                column: 1,
            },
        ] {
            assert_eq!(unread.field(), None, "{unread:?}");
        }
    }

    #[test]
    fn headers_match_whatever_the_marks_and_widths() {
        let cases = [
            (TechSme, "企业名称", Some("name")),
            (TechSme, " *单位 名称（必填） ", Some("name")),
            (TechSme, "（必填）企业名称", Some("name")),
            (TechSme, "[必填]入库时间", Some("registered_on")),
            (TechSme, "统一社会信用代码(18位)", Some("credit_code")),
            (TechSme, "ｃｒｅｄｉｔ＿ｃｏｄｅ", Some("credit_code")),
            (TechSme, "Credit code", Some("credit_code")),
            (TechSme, "入库登记编号", Some("reg_no")),
            (TechSme, "入库时间", Some("registered_on")),
            (TechSme, "税收入库级次", Some("tax_level")),
            (HighTech, "发证时间", Some("certified_on")),
            (HighTech, "认定类型", Some("recognition")),
            (HighTech, "规模", Some("size")),
            (HighTech, "【证书编号】", Some("cert_no")),
            (RndInstitution, "统一社会信用代码", Some("host_credit_code")),
            (RndInstitution, "认定时间", Some("recognized_on")),
            (Achievement, "受让方", Some("recipient")),
            (Achievement, "金额（元）", Some("amount_yuan")),
            (Achievement, "金额（万元）", None),
            (TechSme, "序号", None),
            (TechSme, "证书编号", None),
            (TechSme, "", None),
            (TechSme, "原因", None),
        ];
        for (kind, header, want) in cases {
            assert_eq!(field_for_header(kind, header), want, "{kind:?} {header:?}");
        }
    }

    #[test]
    fn every_field_is_found_by_its_own_labels_and_key() {
        for kind in RecordKind::ALL {
            for spec in kind.fields() {
                for header in own_names(spec.key) {
                    assert_eq!(
                        field_for_header(kind, header),
                        Some(spec.key),
                        "{kind:?} {header:?}"
                    );
                }
            }
        }
    }

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<SheetCell>> {
        rows.iter()
            .map(|r| {
                r.iter()
                    .map(|c| {
                        if c.is_empty() {
                            SheetCell::Empty
                        } else {
                            text(c)
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn header_row_is_found_below_titles_and_maps_override() {
        let rows = sheet(&[
            &["2023年科技型中小企业入库名单", "", "", "", ""],
            &["填报单位：尖山区科技局", "", "", "", ""],
            &[
                "序号",
                "企业名称",
                "统一社会信用代码",
                "入库编号",
                "入库时间",
            ],
            &["1", "甲公司", "x", "y", "2023-05-01"],
        ]);
        let plan = plan_columns(TechSme, &rows, &[]).unwrap();
        assert_eq!(plan.header_row, 2);
        let usages: Vec<_> = plan.columns.iter().map(|c| c.usage).collect();
        assert_eq!(
            usages,
            [
                ColumnUsage::Unknown,
                ColumnUsage::Field("name"),
                ColumnUsage::Field("credit_code"),
                ColumnUsage::Field("reg_no"),
                ColumnUsage::Field("registered_on"),
            ]
        );

        let maps = [
            parse_column_map("序号=notes").unwrap(),
            parse_column_map("E=入库日期").unwrap(),
        ];
        let plan = plan_columns(TechSme, &rows, &maps).unwrap();
        assert_eq!(plan.columns[0].usage, ColumnUsage::Mapped("notes"));
        assert_eq!(plan.columns[4].usage, ColumnUsage::Mapped("registered_on"));

        let unknown = plan_columns(TechSme, &rows, &[parse_column_map("联系人=notes").unwrap()]);
        assert!(matches!(
            unknown,
            Err(ColumnsProblem::UnknownMapColumn { column, .. }) if column == "联系人"
        ));
        let unknown = plan_columns(TechSme, &rows, &[parse_column_map("序号=电话").unwrap()]);
        assert!(matches!(
            unknown,
            Err(ColumnsProblem::UnknownMapField { field, .. }) if field == "电话"
        ));
        assert!(matches!(
            parse_column_map("序号"),
            Err(ColumnsProblem::BadMap { .. })
        ));
    }

    #[test]
    fn missing_required_columns_and_missing_headers_are_named() {
        let rows = sheet(&[&["企业名称", "统一社会信用代码"], &["甲", "x"]]);
        assert_eq!(
            plan_columns(TechSme, &rows, &[]),
            Err(ColumnsProblem::MissingRequired {
                kind: TechSme,
                fields: vec!["reg_no", "registered_on"],
                ignored: vec![],
            })
        );
        let rows = sheet(&[&["甲", "乙"], &["企业名称", "x"]]);
        assert!(matches!(
            plan_columns(TechSme, &rows, &[]),
            Err(ColumnsProblem::NoHeader { scanned: 2, .. })
        ));
    }

    #[test]
    fn totals_blanks_and_notes_are_skipped() {
        let cases: [(&[&str], Option<SkipReason>); 9] = [
            (&["", " ", ""], Some(SkipReason::Blank)),
            (&["合计", "", "12"], Some(SkipReason::Total)),
            (&["", "总 计：", "12"], Some(SkipReason::Total)),
            (&["小计"], Some(SkipReason::Total)),
            (&["共12户"], Some(SkipReason::Total)),
            (
                &["填表人：张三", "", "联系电话：0469-1234567"],
                Some(SkipReason::Note),
            ),
            (&["注：日期以证书为准"], Some(SkipReason::Note)),
            (&["1", "共青团路科技有限公司"], None),
            (&["共青科技有限公司", "x"], None),
        ];
        for (row, want) in cases {
            let row: Vec<SheetCell> = row.iter().map(|c| text(c)).collect();
            assert_eq!(skip_reason(&row), want, "{row:?}");
        }
        // A row of cells a spreadsheet left empty (not empty text) is blank too.
        let empty = [SheetCell::Empty, SheetCell::Empty];
        assert_eq!(skip_reason(&empty), Some(SkipReason::Blank));
        let zero = [SheetCell::Empty, SheetCell::Number(0.0)];
        assert_eq!(skip_reason(&zero), None);
    }

    #[test]
    fn cells_become_values_as_a_clerk_typed_them() {
        let spec = |kind: RecordKind, key| *kind.field(key).unwrap();
        let code = spec(TechSme, "credit_code");
        let day = spec(TechSme, "registered_on");
        let name = spec(TechSme, "name");
        assert_eq!(
            cell_value(&code, &SheetCell::Number(9.1230502e17)),
            Err(CellProblem::CodeStoredAsNumber {
                shown: "9.1230502E17".into()
            })
        );
        assert!(matches!(
            cell_value(&code, &text("9.12305E+17")),
            Err(CellProblem::CodeStoredAsNumber { .. })
        ));
        assert!(matches!(
            cell_value(
                &spec(Achievement, "contract_no"),
                &SheetCell::Number(2.0232305e15)
            ),
            Err(CellProblem::CodeStoredAsNumber { .. })
        ));
        assert_eq!(
            cell_value(&day, &SheetCell::Number(45047.0)),
            Ok(Some("2023-05-01".into()))
        );
        assert_eq!(
            cell_value(&day, &SheetCell::Number(60.0)),
            Ok(Some("1900-02-29".into()))
        );
        assert_eq!(
            cell_value(&day, &SheetCell::Number(20230501.0)),
            Ok(Some("20230501".into()))
        );
        assert_eq!(
            cell_value(
                &day,
                &SheetCell::Date {
                    year: 2023,
                    month: 5,
                    day: 1
                }
            ),
            Ok(Some("2023-05-01".into()))
        );
        assert_eq!(
            cell_value(&name, &SheetCell::Number(12345.0)),
            Ok(Some("12345".into()))
        );
        assert_eq!(
            cell_value(
                &spec(Achievement, "amount_yuan"),
                &SheetCell::Number(0.1 + 0.2)
            ),
            Ok(Some("0.3".into()))
        );
        assert_eq!(
            cell_value(&spec(RndInstitution, "new_type"), &SheetCell::Bool(true)),
            Ok(Some("true".into()))
        );
        assert_eq!(
            cell_value(&name, &SheetCell::Error("#N/A".into())),
            Err(CellProblem::ErrorValue {
                shown: "#N/A".into()
            })
        );
        assert_eq!(cell_value(&name, &text("  ")), Ok(None));
        assert_eq!(cell_value(&name, &text("=1+1")), Ok(Some("=1+1".into())));
    }

    #[test]
    fn column_letters_round_trip() {
        for (i, letters) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_letter(i), letters);
            assert_eq!(column_index(letters), Some(i));
            assert_eq!(column_index(&letters.to_lowercase()), Some(i));
        }
        assert_eq!(column_index("A1"), None);
        assert_eq!(column_index(""), None);
    }
}
