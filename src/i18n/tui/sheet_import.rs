//! The sheet import screen: the question asking for a sheet or folder, the lists of files
//! and kinds, and the words around the row-by-row findings (which are worded by
//! [`crate::i18n::sheet::import`], as on the command line).

use std::path::Path;

use crate::display;
use crate::i18n::Lang;
use crate::tr;

pub fn sheet_import_title(lang: Lang) -> String {
    tr!(lang, "导入表格", "Import a sheet")
}

pub fn sheet_prompt(lang: Lang) -> String {
    tr!(
        lang,
        "本单位已有的表格文件（xlsx、xls、ods、csv），或存放表格的文件夹（U盘）？按 Enter 继续，先试导入，不会改动台账。",
        "A sheet (xlsx, xls, ods, csv), or the folder holding it? Enter gives a dry run first; nothing is written yet."
    )
}

/// Above the list of a folder's sheets.
pub fn pick_file_heading(lang: Lang, folder: &Path) -> String {
    let folder = display::path(folder);
    tr!(
        lang,
        "{folder} 中的表格：用上下方向键选一个，按 Enter。",
        "Sheets in {folder}: choose one with the arrows and press Enter."
    )
}

/// A folder without a sheet the import reads.
pub fn no_sheets_in(lang: Lang, folder: &Path) -> String {
    let folder = display::path(folder);
    tr!(
        lang,
        "{folder} 中没有表格文件（xlsx、xls、ods、csv）。请检查U盘或输入文件的完整路径。",
        "{folder} holds no sheet (xlsx, xls, ods, csv). Check the stick or type the file's full path."
    )
}

/// Above the list of kinds.
pub fn pick_kind_heading(lang: Lang, file: &Path) -> String {
    let file = display::path(file);
    tr!(
        lang,
        "{file} 的每一行是哪一类记录？用上下方向键或数字选，按 Enter 试导入。",
        "What are the rows of {file}? Choose with the arrows or a digit, then Enter for a dry run."
    )
}

/// Under the findings: what `y` will do.
pub fn confirm_import(lang: Lang, new: usize) -> String {
    tr!(
        lang,
        "按 y 导入以上 {new} 条新增记录（一次全部写入）；按 n 或 Esc 取消，台账不变。",
        "Press y to import the {new} new rows above (all in one go); n or Esc cancels and changes nothing."
    )
}

/// Under the findings when there is nothing to import.
pub fn nothing_to_import(lang: Lang) -> String {
    tr!(
        lang,
        "没有可导入的新行。按 n 或 Esc 返回。",
        "There is no new row to import. Press n or Esc to go back."
    )
}

/// After the import, where the rows that were not taken in went.
pub fn rejected_to_fix(lang: Lang, rows: usize, file: &Path) -> String {
    let file = display::path(file);
    tr!(
        lang,
        "注意：有 {rows} 行未导入，已连同原因写入 {file}。请在 Excel/WPS 中按“原因”列改好（“原因”列不用删），再按 t 导入该文件。",
        "Attention: {rows} rows were not imported; they are written with their reasons to {file}. Fix them in Excel/WPS as the Reason column says (leave that column in), then press t to import that file."
    )
}

/// Why a sheet was not taken in at all.
pub fn sheet_refused(lang: Lang, file: &Path, reason: &str) -> String {
    let file = display::path(file);
    let reason = display::safe(reason);
    tr!(
        lang,
        "未导入 {file}：{reason}",
        "{file} was not imported: {reason}"
    )
}

/// The message line after an import.
pub fn sheet_imported_note(lang: Lang, inserted: usize, rejected: usize) -> String {
    if rejected > 0 {
        tr!(
            lang,
            "已导入 {inserted} 条；{rejected} 行待修改，见上方。",
            "{inserted} imported; {rejected} rows to fix: see above."
        )
    } else {
        tr!(lang, "已导入 {inserted} 条。", "{inserted} imported.")
    }
}

/// The message line when a sheet could not be taken in.
pub fn sheet_refused_note(lang: Lang) -> String {
    tr!(
        lang,
        "表格没有导入，原因见上方。",
        "The sheet was not imported: see above."
    )
}

/// A path typed that names nothing.
pub fn sheet_not_found(lang: Lang, path: &Path) -> String {
    let path = display::path(path);
    tr!(
        lang,
        "找不到 {path}，请检查路径（U盘是否已插好？）。",
        "{path} does not exist: check the path (is the USB stick in?)."
    )
}
