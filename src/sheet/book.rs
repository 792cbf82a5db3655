//! The look every printed workbook shares — A4 landscape, a title row, a frozen header
//! repeated on each printed page, 第 N 页 共 M 页, columns wide enough for their Chinese text —
//! and typed cells: text stays text (an 18-digit code never becomes 9.12E+17, a name starting
//! with `=` never becomes a formula), dates are dates, yuan and counts are numbers,
//! percentages are percentages. Also how a finished workbook reaches the disk.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use super::SheetError;
use crate::i18n::{Lang, sheet as words};
use crate::plan::Plan;
use crate::{clock, display};

/// Excel's paper size code for A4.
const PAPER_A4: u8 = 9;
/// Narrowest and widest column, in Excel's character units (one Chinese character is two).
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;
/// The height of a line of text, in points.
const LINE_HEIGHT: f64 = 15.0;

/// The cell formats of a workbook, made once and shared by its sheets.
pub struct Styles {
    /// The sheet's title above the header (bold, larger, centred over the table).
    pub title: Format,
    /// The line under the title: unit, plan, as-of date.
    pub subtitle: Format,
    /// Column headers: bold, wrapped, boxed, grey.
    pub header: Format,
    /// Any text: stored as text, left aligned, boxed.
    pub text: Format,
    /// Long text (a firm's name) wrapped within a column of limited width.
    pub wrapped: Format,
    /// A day, shown `yyyy-mm-dd`.
    pub date: Format,
    /// An instant in Shuangyashan time, shown `yyyy-mm-dd hh:mm`.
    pub datetime: Format,
    /// Yuan with thousands separators and two decimals.
    pub yuan: Format,
    /// A whole count.
    pub count: Format,
    /// A share, shown `85.0%` (the cell holds 0.85).
    pub percent: Format,
    /// The label of a totals row (bold).
    pub total_text: Format,
    /// A count in a totals row (bold).
    pub total_count: Format,
    /// Yuan in a totals row (bold).
    pub total_yuan: Format,
    /// A share in a totals row (bold).
    pub total_percent: Format,
    /// A paragraph of explanation (a rule, a note) wrapped over merged cells.
    pub note: Format,
    /// The heading of a block of rows inside a table (a year and fiscal level), bold.
    pub section: Format,
}

impl Default for Styles {
    fn default() -> Styles {
        Styles::new()
    }
}

impl Styles {
    pub fn new() -> Styles {
        let boxed = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let bold = |f: &Format| f.clone().set_bold();
        let text = boxed.clone().set_num_format("@");
        let date = boxed.clone().set_num_format("yyyy-mm-dd");
        let datetime = boxed.clone().set_num_format("yyyy-mm-dd hh:mm");
        let yuan = boxed.clone().set_num_format("#,##0.00");
        let count = boxed.clone().set_num_format("0");
        let percent = boxed.clone().set_num_format("0.0%");
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            header: bold(&boxed)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color("#D9D9D9"),
            total_text: bold(&text),
            total_count: bold(&count),
            total_yuan: bold(&yuan),
            total_percent: bold(&percent),
            note: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
            section: bold(&text).set_background_color("#F2F2F2"),
            wrapped: text.clone().set_text_wrap(),
            text,
            date,
            datetime,
            yuan,
            count,
            percent,
        }
    }

    /// `text`, or `wrapped` for text wider than the widest column.
    pub fn text_for(&self, value: &str) -> &Format {
        if display::width(value) + 2 > MAX_WIDTH {
            &self.wrapped
        } else {
            &self.text
        }
    }
}

/// Sets a sheet up for printing on A4 landscape: rows `0..=header_row` (title, subtitle,
/// header) repeat on every page and stay frozen on screen, columns fit one page wide, and the
/// footer numbers the pages (第 N 页 共 M 页).
pub fn print_setup(ws: &mut Worksheet, lang: Lang, header_row: u32) -> Result<(), SheetError> {
    ws.set_paper_size(PAPER_A4)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_footer(words::page_footer(lang));
    ws.set_repeat_rows(0, header_row)?;
    ws.set_freeze_panes(header_row + 1, 0)?;
    Ok(())
}

/// Writes `title` across columns `0..=last_col` of `row` (merged when wider than one column).
pub fn title_row(
    ws: &mut Worksheet,
    row: u32,
    last_col: u16,
    title: &str,
    format: &Format,
) -> Result<(), SheetError> {
    let title = display::safe(title);
    if last_col == 0 {
        ws.write_string_with_format(row, 0, title.as_ref(), format)?;
    } else {
        ws.merge_range(row, 0, row, last_col, title.as_ref(), format)?;
    }
    Ok(())
}

/// Writes the sheet's title (row 0) and the subtitle (row 1: plan, date) across columns
/// `0..=last_col`, the subtitle wrapped when the table is narrower than it. Call it once the
/// table's widths are noted.
pub fn heading(
    ws: &mut Worksheet,
    styles: &Styles,
    last_col: u16,
    title: &str,
    subtitle: &str,
    widths: &ColumnWidths,
) -> Result<(), SheetError> {
    title_row(ws, 0, last_col, title, &styles.title)?;
    ws.set_row_height(0, 28)?;
    paragraph(ws, 1, last_col, subtitle, &styles.subtitle, widths)
}

/// Writes column headers from column 0 along `row`, noting their widths.
pub fn header_row(
    ws: &mut Worksheet,
    row: u32,
    headers: &[&str],
    styles: &Styles,
    widths: &mut ColumnWidths,
) -> Result<(), SheetError> {
    for (col, head) in (0u16..).zip(headers) {
        text(ws, row, col, head, &styles.header)?;
        widths.note(col, head);
    }
    Ok(())
}

/// Where the unit's ledger workbook on `as_of` goes in `dir`.
pub fn unit_report_path(plan: &Plan, unit: &str, dir: &Path, as_of: Date) -> PathBuf {
    let name = plan.unit(unit).map_or(unit, |u| u.name_zh.as_str());
    dir.join(report_file_name(
        unit,
        name,
        words::report::UNIT_FILE_WORD,
        as_of,
    ))
}

/// Where the city's workbook on `as_of` goes in `dir`.
pub fn city_report_path(plan: &Plan, dir: &Path, as_of: Date) -> PathBuf {
    let city = &plan.city;
    dir.join(report_file_name(
        &city.code,
        &city.name_zh,
        words::report::CITY_FILE_WORD,
        as_of,
    ))
}

/// The file name of an area's report on a date, the area's code first so that the files
/// of the units sort in code order: `230502-尖山区-台账-2023-12-31.xlsx`. Characters no
/// file system takes are left out of the name.
fn report_file_name(code: &str, area_name: &str, what: &str, as_of: Date) -> String {
    let clean = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_control() && !r#"/\:*?"<>|"#.contains(*c))
            .map(|c| if c.is_whitespace() { '-' } else { c })
            .collect()
    };
    format!(
        "{}-{}-{}-{as_of}.xlsx",
        clean(code),
        clean(area_name),
        clean(what)
    )
}

/// Makes `row` tall enough for `lines` lines of wrapped text (spreadsheet programs do not
/// all grow a row for wrapped text when they open the file).
pub fn fit_lines(ws: &mut Worksheet, row: u32, lines: usize) -> Result<(), SheetError> {
    if lines > 1 {
        // A few lines, exactly representable.
        ws.set_row_height(row, LINE_HEIGHT * lines as f64)?;
    }
    Ok(())
}

/// Writes a paragraph wrapped over columns `0..=last_col` of `row`.
pub fn note_row(
    ws: &mut Worksheet,
    row: u32,
    last_col: u16,
    note: &str,
    styles: &Styles,
    widths: &ColumnWidths,
) -> Result<(), SheetError> {
    paragraph(ws, row, last_col, note, &styles.note, widths)
}

/// Text wrapped over columns `0..=last_col` of `row`, the row tall enough for the lines it
/// takes in that width (Excel and LibreOffice do not grow a merged row).
pub fn paragraph(
    ws: &mut Worksheet,
    row: u32,
    last_col: u16,
    text: &str,
    format: &Format,
    widths: &ColumnWidths,
) -> Result<(), SheetError> {
    title_row(ws, row, last_col, text, format)?;
    let across: usize = (0..=last_col).map(|c| widths.width(c)).sum();
    // A little slack: a line breaks at a character, not at the exact width.
    let fits = across.saturating_sub(2).max(1);
    let lines = text
        .lines()
        .map(|l| display::width(l).div_ceil(fits).max(1))
        .sum::<usize>()
        .max(1);
    // A few lines, exactly representable.
    ws.set_row_height(row, LINE_HEIGHT * lines as f64 + 3.0)?;
    Ok(())
}

/// Column widths that fit the widest text written to each column (Chinese characters
/// count two), within 6–60 characters.
#[derive(Clone, Debug, Default)]
pub struct ColumnWidths {
    widths: Vec<usize>,
    /// Columns kept narrower, their text wrapped (names, long headers).
    limits: Vec<(u16, usize)>,
}

impl ColumnWidths {
    pub fn new() -> ColumnWidths {
        ColumnWidths::default()
    }

    /// Notes that `text` is shown in column `col`.
    pub fn note(&mut self, col: u16, text: &str) {
        self.note_width(col, display::width(text));
    }

    /// Notes that something `width` characters wide is shown in column `col` (a number
    /// with its thousands separators, a header that wraps onto two lines).
    pub fn note_width(&mut self, col: u16, width: usize) {
        let col = usize::from(col);
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 0);
        }
        if width > self.widths[col] {
            self.widths[col] = width;
        }
    }

    /// Keeps column `col` at most `max` characters wide, whatever is noted for it; its
    /// cells should wrap.
    pub fn limit(&mut self, col: u16, max: usize) {
        self.limits.retain(|(c, _)| *c != col);
        self.limits.push((col, max));
    }

    /// How many lines `text` takes in column `col`: more than one only in a limited column
    /// narrower than the text.
    pub fn lines(&self, col: u16, text: &str) -> usize {
        let Some((_, max)) = self.limits.iter().find(|(c, _)| *c == col) else {
            return 1;
        };
        let room = max.clamp(&MIN_WIDTH, &MAX_WIDTH).saturating_sub(2).max(1);
        display::width(text).div_ceil(room).max(1)
    }

    /// The width column `col` gets, in Excel's character units.
    pub fn width(&self, col: u16) -> usize {
        let noted = self.widths.get(usize::from(col)).copied().unwrap_or(0);
        let max = self
            .limits
            .iter()
            .find(|(c, _)| *c == col)
            .map_or(MAX_WIDTH, |(_, max)| (*max).clamp(MIN_WIDTH, MAX_WIDTH));
        (noted + 2).clamp(MIN_WIDTH, max)
    }

    /// Sets every noted column's width on the sheet.
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), SheetError> {
        for col in 0..self.widths.len() {
            let col = u16::try_from(col).map_err(|_| SheetError::Build {
                reason: "too many columns".to_string(),
            })?;
            // Widths are at most 60, exactly representable.
            ws.set_column_width(col, self.width(col) as f64)?;
        }
        Ok(())
    }
}

/// Writes text as text, whatever it looks like (`=SUM(…)`, `0012`, an 18-digit code):
/// control characters dropped, invisible ones shown as `<U+XXXX>`.
pub fn text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    format: &Format,
) -> Result<(), SheetError> {
    ws.write_string_with_format(row, col, display::safe(value).as_ref(), format)?;
    Ok(())
}

/// Writes a day as a real date cell.
pub fn date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    day: Date,
    format: &Format,
) -> Result<(), SheetError> {
    let (Ok(year), Ok(month), Ok(dom)) = (
        u16::try_from(day.year()),
        u8::try_from(day.month()),
        u8::try_from(day.day()),
    ) else {
        return Err(SheetError::Build {
            reason: format!("date {day} out of range"),
        });
    };
    let cell = ExcelDateTime::from_ymd(year, month, dom)?;
    ws.write_datetime_with_format(row, col, &cell, format)?;
    Ok(())
}

/// Writes an instant as a date-and-time cell in Shuangyashan time, to the minute.
pub fn datetime(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    at: Timestamp,
    format: &Format,
) -> Result<(), SheetError> {
    let local = clock::civil(at);
    let (Ok(year), Ok(month), Ok(dom), Ok(hour), Ok(minute)) = (
        u16::try_from(local.year()),
        u8::try_from(local.month()),
        u8::try_from(local.day()),
        u16::try_from(local.hour()),
        u8::try_from(local.minute()),
    ) else {
        return Err(SheetError::Build {
            reason: format!("time {at} out of range"),
        });
    };
    let cell = ExcelDateTime::from_ymd(year, month, dom)?.and_hms(hour, minute, 0)?;
    ws.write_datetime_with_format(row, col, &cell, format)?;
    Ok(())
}

/// Leaves a cell empty but boxed like its neighbours (a share with nothing to divide by).
pub fn blank(ws: &mut Worksheet, row: u32, col: u16, format: &Format) -> Result<(), SheetError> {
    ws.write_blank(row, col, format)?;
    Ok(())
}

/// Writes a number (a count, yuan, a share) as a number.
pub fn number(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    value: f64,
    format: &Format,
) -> Result<(), SheetError> {
    ws.write_number_with_format(row, col, value, format)?;
    Ok(())
}

/// Puts the finished workbook at `path`: written under a temporary name beside it, flushed to
/// the disk, then renamed, so a crash or a pulled stick never leaves half a workbook under the
/// real name.
pub fn save(workbook: &mut Workbook, path: &Path) -> Result<(), SheetError> {
    let bytes = workbook.save_to_buffer()?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp = temp_path(path);
    let write = |at: &Path| -> std::io::Result<()> {
        let mut file = File::create_new(at)?;
        file.write_all(&bytes)?;
        file.sync_all()
    };
    let fail = |path: &Path, source| SheetError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Err(source) = write(&temp) {
        let _ = std::fs::remove_file(&temp);
        return Err(fail(dir, source));
    }
    if let Err(source) = std::fs::rename(&temp, path) {
        let _ = std::fs::remove_file(&temp);
        return Err(fail(path, source));
    }
    // A directory that cannot be opened for syncing (some USB file systems) keeps the file.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// `.NAME.PID.tmp` beside `path`.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fit_chinese_text_within_bounds() {
        let mut widths = ColumnWidths::new();
        widths.note(0, "统一社会信用代码");
        widths.note(0, "甲");
        widths.note(2, "x");
        widths.note(3, &"长".repeat(100));
        assert_eq!(widths.width(0), 18);
        assert_eq!(widths.width(1), MIN_WIDTH);
        assert_eq!(widths.width(2), MIN_WIDTH);
        assert_eq!(widths.width(3), MAX_WIDTH);
        widths.limit(3, 20);
        assert_eq!(widths.width(3), 20);
        // Limited to 20, a column holds 9 Chinese characters a line.
        assert_eq!(widths.lines(3, &"长".repeat(9)), 1);
        assert_eq!(widths.lines(3, &"长".repeat(10)), 2);
        assert_eq!(widths.lines(2, &"长".repeat(100)), 1);
        // A limit wider than the text leaves the column as it is.
        widths.limit(0, 30);
        assert_eq!(widths.width(0), 18);
    }

    #[test]
    fn report_files_are_named_code_first_without_characters_file_systems_refuse() {
        let day = jiff::civil::date(2023, 12, 31);
        assert_eq!(
            report_file_name("230502", "尖山区", "台账", day),
            "230502-尖山区-台账-2023-12-31.xlsx"
        );
        assert_eq!(
            report_file_name("jkq", "经开区/管委会: \"新\" 区\u{7}", "台账", day),
            "jkq-经开区管委会-新-区-台账-2023-12-31.xlsx"
        );
        let plan = Plan::embedded();
        let dir = Path::new("/media/usb");
        assert_eq!(
            city_report_path(&plan, dir, day),
            dir.join("230500-双鸭山市-报表-2023-12-31.xlsx")
        );
        assert_eq!(
            unit_report_path(&plan, "230521", dir, day),
            dir.join("230521-集贤县-台账-2023-12-31.xlsx")
        );
    }

    #[test]
    fn save_replaces_atomically_and_names_a_missing_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("报表.xlsx");
        let mut wb = Workbook::new();
        wb.add_worksheet();
        save(&mut wb, &path).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() > 0);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());

        let missing = dir.path().join("无此文件夹").join("报表.xlsx");
        let err = save(&mut wb, &missing).unwrap_err();
        assert!(
            matches!(&err, SheetError::Write { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
        );
    }
}
