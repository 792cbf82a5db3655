//! The operating system's and SQLite's own error texts put in the user's words: in Chinese
//! the common causes (read-only, no permission, disk full, not found, busy) are said in
//! Chinese, with the raw English text only after a Chinese explanation when the cause is not
//! one of them; in English the raw text is kept as the detail.

use std::io::ErrorKind;

use rusqlite::ErrorCode;

use super::Lang;
use crate::display::safe;
use crate::tr;

/// errno values for causes whose `ErrorKind` is not stable on every supported toolchain.
const EIO: i32 = 5;
const EBUSY: i32 = 16;
const EROFS: i32 = 30;
const ENOSPC: i32 = 28;
const EDQUOT: i32 = 122;

/// Why a file operation failed, in the user's language: `权限不足`, `磁盘已满`….
pub fn io_cause(lang: Lang, e: &std::io::Error) -> String {
    let raw = safe(&e.to_string()).into_owned();
    let zh = match (e.kind(), e.raw_os_error()) {
        (ErrorKind::PermissionDenied, _) => "没有权限（文件或文件夹的权限不允许）",
        (ErrorKind::ReadOnlyFilesystem, _) | (_, Some(EROFS)) => "所在磁盘或U盘是只读的",
        (ErrorKind::StorageFull | ErrorKind::QuotaExceeded, _) | (_, Some(ENOSPC | EDQUOT)) => {
            "磁盘已满"
        }
        (ErrorKind::NotFound, _) => "文件或文件夹不存在",
        (ErrorKind::AlreadyExists, _) => "同名文件已存在",
        (ErrorKind::IsADirectory, _) => "这是一个文件夹，不是文件",
        (ErrorKind::NotADirectory, _) => "路径中有一段不是文件夹",
        (ErrorKind::ResourceBusy, _) | (_, Some(EBUSY)) => "文件正被占用",
        (_, Some(EIO)) => "磁盘读写出错（磁盘或U盘可能有故障或被拔出）",
        (ErrorKind::BrokenPipe, _) => "输出已被关闭",
        _ => return tr!(lang, "系统错误（{raw}）", "{raw}"),
    };
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => raw,
    }
}

/// Why SQLite refused, in the user's language (see [`io_cause`]).
pub fn sqlite_cause(lang: Lang, e: &rusqlite::Error) -> String {
    let raw = safe(&e.to_string()).into_owned();
    let zh = match e.sqlite_error_code() {
        Some(ErrorCode::ReadOnly) => "台账文件或其所在文件夹只读，不能写入",
        Some(ErrorCode::PermissionDenied) => "没有权限",
        Some(ErrorCode::CannotOpen) => "无法打开文件（文件夹不存在或没有权限）",
        Some(ErrorCode::DiskFull) => "磁盘已满",
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => "台账正被其他程序占用",
        Some(ErrorCode::SystemIoFailure) => "磁盘读写出错",
        Some(ErrorCode::DatabaseCorrupt) => "文件已损坏",
        Some(ErrorCode::NotADatabase) => "不是数据库文件",
        _ => return tr!(lang, "数据库错误（{raw}）", "{raw}"),
    };
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_latin_words(text: &str) -> bool {
        text.split(|c: char| !c.is_ascii_alphabetic())
            .any(|word| word.len() > 2)
    }

    #[test]
    fn common_file_causes_are_said_in_chinese_only() {
        for errno in [1, 2, 5, 13, 16, 28, 30] {
            let e = std::io::Error::from_raw_os_error(errno);
            let zh = io_cause(Lang::Zh, &e);
            assert!(!has_latin_words(&zh), "{errno}: {zh}");
            assert_eq!(io_cause(Lang::En, &e), e.to_string());
        }
        let permission = std::io::Error::from_raw_os_error(13);
        assert_eq!(
            io_cause(Lang::Zh, &permission),
            "没有权限（文件或文件夹的权限不允许）"
        );
    }

    #[test]
    fn common_sqlite_causes_are_said_in_chinese_only() {
        for code in [
            rusqlite::ffi::SQLITE_READONLY,
            rusqlite::ffi::SQLITE_CANTOPEN,
            rusqlite::ffi::SQLITE_FULL,
            rusqlite::ffi::SQLITE_BUSY,
            rusqlite::ffi::SQLITE_IOERR,
            rusqlite::ffi::SQLITE_PERM,
        ] {
            let e = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
            let zh = sqlite_cause(Lang::Zh, &e);
            assert!(!has_latin_words(&zh), "{code}: {zh}");
        }
    }

    #[test]
    fn other_causes_keep_the_raw_text_after_a_chinese_explanation() {
        let e = std::io::Error::other("strange failure");
        assert_eq!(io_cause(Lang::Zh, &e), "系统错误（strange failure）");
        assert_eq!(io_cause(Lang::En, &e), "strange failure");
    }
}
