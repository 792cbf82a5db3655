//! Output formats shared by the commands: aligned text tables, terminal-safe JSON and
//! spreadsheet-safe CSV.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::Write;

use clap::ValueEnum;
use serde::Serialize;

use super::CliError;
use crate::display;

/// The formats of commands that write rows of records: `list`, `awards`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
}

/// The formats of commands that write a report rather than rows (`show`, `progress`,
/// `claims`): a table for people, JSON for programs; no CSV.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ViewFormat {
    #[default]
    Table,
    Json,
}

/// The UTF-8 byte-order mark that makes Excel and WPS read a CSV file as UTF-8.
pub const UTF8_BOM: &str = "\u{feff}";

/// The characters a spreadsheet (Excel, WPS) starts a formula with, ASCII and full-width.
const FORMULA_START: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];

/// Blanks a spreadsheet skips before it looks for a formula's first character.
const LEADING_BLANKS: [char; 6] = [' ', '\t', '\r', '\n', '\u{3000}', '\u{A0}'];

/// A CSV cell that a spreadsheet will not run as a formula: a cell starting with tab or CR,
/// or whose first character after any leading blanks is one of `= + - @` or their
/// full-width forms `＝ ＋ － ＠`, gets a leading apostrophe.
pub fn csv_cell(value: &str) -> Cow<'_, str> {
    let control_first = value.starts_with(['\t', '\r']);
    let formula = value
        .trim_start_matches(LEADING_BLANKS)
        .starts_with(FORMULA_START);
    if control_first || formula {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// `value` as JSON (indented when `pretty`), with every character a terminal would act on
/// or hide written as a `\uXXXX` escape: DEL, C1 controls, bidi controls, U+2028/2029 and
/// the other characters [`display::shown_as_code`] names. The text parses back to the same
/// value.
pub fn json_text(value: &impl Serialize, pretty: bool) -> Result<String, CliError> {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    }
    .map_err(|e| CliError::Output {
        reason: e.to_string(),
    })?;
    Ok(escape_invisible(text))
}

/// Whether JSON output writes `c` as an escape although serde_json writes it raw.
fn escaped_in_json(c: char) -> bool {
    c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) || display::shown_as_code(c)
}

/// Rewrites serde_json's output with [`escaped_in_json`] characters as `\uXXXX` (a UTF-16
/// surrogate pair above U+FFFF). Safe on any JSON serde_json writes: outside strings it
/// writes only ASCII, and C0 controls (which it already escapes, and whose newlines indent
/// pretty output) are left alone, so every character replaced sits raw inside a string,
/// where its escape means the same character.
fn escape_invisible(json: String) -> String {
    if !json.chars().any(escaped_in_json) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escaped_in_json(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
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
        for bad in [
            "=1+1",
            "+86",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "＝1+1",
            "＋86",
            "－2",
            "＠SUM(A1)",
            " =1+1",
            "  \t=HYPERLINK(\"x\")",
            "\u{3000}＝1",
            " \u{A0}@x",
            "\t",
        ] {
            assert_eq!(csv_cell(bad), format!("'{bad}"), "{bad:?}");
        }
        for fine in [
            "集贤县",
            "91350100M000100Y43",
            " 集贤县",
            "a=b",
            "双鸭山－宝清",
            "",
            "   ",
        ] {
            assert_eq!(csv_cell(fine), fine, "{fine:?}");
        }
    }

    #[test]
    fn json_escapes_what_a_terminal_would_act_on_and_parses_back() {
        let value = serde_json::json!({
            "name": "恶意\u{202E}名称\u{2028}\u{2029}\u{7f}\u{85}\u{9b}\u{1b}[2J\u{E0041}\u{E000}",
            "list": ["\u{2066}x\u{2069}", "平常 text \"quoted\" \\ 😀"],
        });
        for pretty in [false, true] {
            let text = json_text(&value, pretty).unwrap();
            for raw in [
                '\u{202E}',
                '\u{2028}',
                '\u{2029}',
                '\u{7f}',
                '\u{85}',
                '\u{9b}',
                '\u{1b}',
                '\u{E0041}',
                '\u{E000}',
                '\u{2066}',
            ] {
                assert!(!text.contains(raw), "U+{:04X} raw in {text}", raw as u32);
            }
            assert!(text.contains("\\u202e"), "{text}");
            assert!(
                text.contains("\\u2028\\u2029\\u007f\\u0085\\u009b"),
                "{text}"
            );
            assert!(
                text.contains("\\udb40\\udc41"),
                "a tag character as a surrogate pair: {text}"
            );
            assert!(text.contains("😀"), "ordinary characters stay: {text}");
            let back: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(back, value);
        }
    }

    proptest::proptest! {
        #[test]
        fn json_text_always_parses_back_to_the_same_strings(
            texts in proptest::collection::vec(proptest::collection::vec(proptest::char::any(), 0..12), 0..6)
        ) {
            let texts: Vec<String> = texts.into_iter().map(|t| t.into_iter().collect()).collect();
            for pretty in [false, true] {
                let text = json_text(&texts, pretty).unwrap();
                proptest::prop_assert!(!text.chars().any(escaped_in_json));
                let back: Vec<String> = serde_json::from_str(&text).unwrap();
                proptest::prop_assert_eq!(&back, &texts);
            }
        }
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
