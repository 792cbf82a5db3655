//! Words of the spreadsheets: page footers, sheet titles and headers of the printed
//! reports, and the messages of reading a unit's own sheets.

pub mod city;
pub mod report;

use std::io::ErrorKind;

pub mod import;

use super::{Lang, Localized};
use crate::display;
use crate::sheet::SheetError;
use crate::tr;

/// The printed footer: the page number and the page count, centred.
pub fn page_footer(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "&C第 &P 页 共 &N 页",
        Lang::En => "&CPage &P of &N",
    }
}

impl Localized for SheetError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            SheetError::Build { reason } => {
                let reason = display::safe(reason);
                tr!(
                    lang,
                    "无法生成表格文件：{reason}。未写入任何文件。",
                    "Cannot build the workbook: {reason}. No file was written."
                )
            }
            SheetError::Write { path, source } => {
                let path = display::path(path);
                match source.kind() {
                    ErrorKind::NotFound => tr!(
                        lang,
                        "文件夹 {path} 不存在（U盘是否已插好？路径是否写对？）。未写入任何文件。",
                        "The folder {path} does not exist (is the USB stick in? is the path right?). No file was written."
                    ),
                    ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => tr!(
                        lang,
                        "没有权限写入 {path}（U盘是否写保护？）。未写入任何文件。",
                        "No permission to write {path} (is the USB stick write-protected?). No file was written."
                    ),
                    ErrorKind::StorageFull | ErrorKind::QuotaExceeded => tr!(
                        lang,
                        "{path} 所在磁盘已满。未写入任何文件。",
                        "The disk holding {path} is full. No file was written."
                    ),
                    ErrorKind::AlreadyExists => tr!(
                        lang,
                        "{path} 旁有同名的临时文件，请删除后重试。",
                        "A temporary file of the same name is in the way beside {path}; remove it and try again."
                    ),
                    _ => {
                        let code = source
                            .raw_os_error()
                            .map(|c| format!(" (errno {c})"))
                            .unwrap_or_default();
                        tr!(
                            lang,
                            "写入 {path} 失败{code}。未写入任何文件。",
                            "Writing {path} failed{code}. No file was written."
                        )
                    }
                }
            }
            SheetError::Store(e) => e.localize(lang),
            SheetError::Refused(refusal) => refusal.localize(lang),
            SheetError::RejectedUnwritten { inserted, source } => {
                let why = source.localize(lang);
                tr!(
                    lang,
                    "已导入 {inserted} 条记录，但未导入的行没能写成待修改文件：{why} 再次导入同一文件即可重新生成（已导入的行会显示为“已在台账中”）。",
                    "{inserted} records were imported, but the rows not imported could not be written to a file to fix: {why} Import the same sheet again to write it (the imported rows then show as already in the ledger)."
                )
            }
        }
    }
}
