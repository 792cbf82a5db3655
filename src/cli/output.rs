//! Output formats shared by the commands: aligned text tables, JSON and spreadsheet-safe CSV.

use std::borrow::Cow;
use std::io::Write;

use clap::ValueEnum;

use super::CliError;
use crate::display;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
}

/// The UTF-8 byte-order mark that makes Excel and WPS read a CSV file as UTF-8.
pub const UTF8_BOM: &str = "\u{feff}";

/// A CSV cell that a spreadsheet will not run as a formula: cells starting with `= + - @`,
/// tab or CR get a leading apostrophe.
pub fn csv_cell(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

/// A text table whose columns are aligned by display width (CJK counts two columns).
pub struct Table {
    widths: Vec<usize>,
}

impl Table {
    /// A table with the given column widths (the last column is never padded).
    pub fn new(widths: Vec<usize>) -> Table {
        Table { widths }
    }

    pub fn row(&self, out: &mut dyn Write, cells: &[&str]) -> Result<(), CliError> {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let safe = display::safe(cell);
            match self.widths.get(i) {
                Some(&w) if i + 1 < cells.len() => {
                    line.push_str(&display::fit(&safe, w));
                    line.push_str("  ");
                }
                _ => line.push_str(&safe),
            }
        }
        writeln!(out, "{}", line.trim_end()).map_err(CliError::output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_cell(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(csv_cell("集贤县"), "集贤县");
        assert_eq!(csv_cell("91350100M000100Y43"), "91350100M000100Y43");
    }

    #[test]
    fn table_aligns_chinese_and_latin() {
        let t = Table::new(vec![6, 4]);
        let mut buf = Vec::new();
        t.row(&mut buf, &["双鸭山", "ab", "x"]).unwrap();
        t.row(&mut buf, &["abc", "集贤县", "y"]).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "双鸭山  ab    x");
        assert_eq!(lines[1], "abc     集~   y");
    }
}
