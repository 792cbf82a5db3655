//! Reading a sheet file into a plain grid of cells: xlsx, xls, ods (the first sheet, or the
//! one named) and CSV in UTF-8 (with or without a BOM) or GBK, as Chinese Windows Excel and
//! WPS save it. Only the file format lives here; what the cells mean is
//! `crate::domain::sheet_rows`.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};

use super::SheetRefusal;
use crate::domain::dates::parse_date;
use crate::domain::sheet_rows::SheetCell;

/// The cells of one sheet, indexed as the spreadsheet shows them: `rows[0]` is row 1 and
/// `rows[r][0]` is column A, whatever the first used cell is.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetGrid {
    /// The worksheet read; `None` for a CSV file.
    pub sheet_name: Option<String>,
    pub rows: Vec<Vec<SheetCell>>,
}

/// The formats read, by file name extension (lower case).
const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// Reads the sheet `sheet` (or the first one) of the workbook or CSV file at `path`.
pub fn read_sheet(path: &Path, sheet: Option<&str>) -> Result<SheetGrid, SheetRefusal> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if let Err(source) = std::fs::metadata(path) {
        return Err(SheetRefusal::Unreadable {
            path: path.to_path_buf(),
            reason: source.to_string(),
            missing: source.kind() == std::io::ErrorKind::NotFound,
        });
    }
    if extension == "csv" {
        let bytes = std::fs::read(path).map_err(|e| unreadable(path, e.to_string()))?;
        return Ok(SheetGrid {
            sheet_name: None,
            rows: csv_rows(&bytes).map_err(|e| unreadable(path, e.to_string()))?,
        });
    }
    if !WORKBOOK_EXTENSIONS.contains(&extension.as_str()) {
        return Err(SheetRefusal::UnknownFormat {
            path: path.to_path_buf(),
        });
    }
    read_workbook(path, sheet)
}

fn unreadable(path: &Path, reason: String) -> SheetRefusal {
    SheetRefusal::Unreadable {
        path: PathBuf::from(path),
        reason,
        missing: false,
    }
}

fn read_workbook(path: &Path, sheet: Option<&str>) -> Result<SheetGrid, SheetRefusal> {
    let mut book = open_workbook_auto(path).map_err(|e| unreadable(path, e.to_string()))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .or_else(|| names.iter().find(|n| n.trim() == wanted.trim()))
            .cloned()
            .ok_or_else(|| SheetRefusal::NoSuchSheet {
                path: path.to_path_buf(),
                name: wanted.to_string(),
                sheets: names.clone(),
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| SheetRefusal::NoSuchSheet {
                path: path.to_path_buf(),
                name: String::new(),
                sheets: Vec::new(),
            })?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| unreadable(path, e.to_string()))?;
    let mut rows = Vec::new();
    if let Some((first_row, first_col)) = range.start() {
        let pad_rows = usize::try_from(first_row).unwrap_or(0);
        let pad_cols = usize::try_from(first_col).unwrap_or(0);
        rows.resize(pad_rows, Vec::new());
        for row in range.rows() {
            let mut cells = vec![SheetCell::Empty; pad_cols];
            cells.extend(row.iter().map(cell_of));
            rows.push(cells);
        }
    }
    Ok(SheetGrid {
        sheet_name: Some(name),
        rows,
    })
}

/// A workbook cell as a grid cell.
fn cell_of(data: &Data) -> SheetCell {
    match data {
        Data::Empty => SheetCell::Empty,
        Data::String(s) => SheetCell::Text(s.clone()),
        // Cell values of a sheet are far below 2^53: exact.
        Data::Int(i) => SheetCell::Number(*i as f64),
        Data::Float(f) => SheetCell::Number(*f),
        Data::Bool(b) => SheetCell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, ..) = dt.to_ymd_hms_milli();
            match (i16::try_from(year), i8::try_from(month), i8::try_from(day)) {
                (Ok(year), Ok(month), Ok(day)) => SheetCell::Date { year, month, day },
                _ => SheetCell::Number(dt.as_f64()),
            }
        }
        Data::DateTime(dt) => SheetCell::Number(dt.as_f64()),
        Data::DateTimeIso(iso) => {
            let day = iso.split('T').next().unwrap_or(iso);
            match parse_date(day) {
                Ok(d) => SheetCell::Date {
                    year: d.year(),
                    month: d.month(),
                    day: d.day(),
                },
                Err(_) => SheetCell::Text(iso.clone()),
            }
        }
        Data::DurationIso(s) => SheetCell::Text(s.clone()),
        Data::Error(e) => SheetCell::Error(e.to_string()),
    }
}

/// The text of a CSV file: UTF-8 (a BOM dropped), else GBK/GB18030 as Chinese Windows saves.
pub fn csv_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => {
            let (text, _) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            text.into_owned()
        }
    }
}

/// The rows of a CSV file, separated by commas, or by tabs or semicolons when the first
/// line has more of those.
fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<SheetCell>>, csv::Error> {
    let text = csv_text(bytes);
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    let delimiter = [b'\t', b';']
        .into_iter()
        .find(|&d| count(char::from(d)) > count(','))
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push(
            record
                .iter()
                .map(|field| {
                    if field.trim().is_empty() {
                        SheetCell::Empty
                    } else {
                        SheetCell::Text(field.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_bom_and_gbk_reads_the_same() {
        let text = "企业名称,统一社会信用代码\n双鸭山市华鑫科技有限公司,\"9123 0502\"\n";
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let want = vec![
            vec![
                SheetCell::Text("企业名称".into()),
                SheetCell::Text("统一社会信用代码".into()),
            ],
            vec![
                SheetCell::Text("双鸭山市华鑫科技有限公司".into()),
                SheetCell::Text("9123 0502".into()),
            ],
        ];
        for bytes in [text.as_bytes(), &bom, &gbk] {
            assert_eq!(csv_rows(bytes).unwrap(), want);
        }
        let tabs = "企业名称\t统一社会信用代码\n甲\t\n";
        assert_eq!(
            csv_rows(tabs.as_bytes()).unwrap()[1],
            vec![SheetCell::Text("甲".into()), SheetCell::Empty]
        );
    }
}
