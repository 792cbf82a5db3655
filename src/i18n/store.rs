//! Messages for what the ledger file refused or could not do, naming the record and the fix.

use rusqlite::ErrorCode;

use super::labels::kind_label;
use super::{Lang, Localized};
use crate::display::safe;
use crate::store::{MIN_ID_PREFIX, StoreError};
use crate::tr;

impl Localized for StoreError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            StoreError::NoLedger { path } => {
                let path = safe_path(path);
                tr!(
                    lang,
                    "找不到台账文件 {path}。请先运行 `taizhang init --unit 单位代码` 建立本单位台账，或用 --db 指定已有的台账文件。",
                    "No ledger at {path}. Run `taizhang init --unit CODE` to create your unit's ledger, or point --db at an existing ledger file."
                )
            }
            StoreError::AlreadyInitialized { path, unit } => {
                let path = safe_path(path);
                let unit = safe(unit);
                if unit.is_empty() {
                    tr!(
                        lang,
                        "{path} 处已有台账，未做任何改动。如需另建台账，请用 --db 指定其他文件。",
                        "A ledger already exists at {path}; nothing was changed. To make another ledger, give another file with --db."
                    )
                } else {
                    tr!(
                        lang,
                        "{path} 处已有单位 {unit} 的台账，未做任何改动。如需另建台账，请用 --db 指定其他文件。",
                        "A ledger for unit {unit} already exists at {path}; nothing was changed. To make another ledger, give another file with --db."
                    )
                }
            }
            StoreError::NewerSchema { found, supported } => tr!(
                lang,
                "这个台账由更新版本的 taizhang 建立或升级（数据格式版本 {found}，本程序只支持到 {supported}）。请使用更新版本的 taizhang 打开它。文件未被改动。",
                "This ledger was made or upgraded by a newer taizhang (schema version {found}; this program supports up to {supported}). Open it with a newer taizhang. The file was not changed."
            ),
            StoreError::NotALedger { path } => {
                let path = safe_path(path);
                tr!(
                    lang,
                    "{path} 不是 taizhang 台账文件，未做任何改动。请检查 --db 或 TAIZHANG_DB 指定的路径。",
                    "{path} is not a taizhang ledger; nothing was changed. Check the path given by --db or TAIZHANG_DB."
                )
            }
            StoreError::NotFound { id } => {
                let id = safe(id);
                tr!(
                    lang,
                    "找不到记录 {id}。请用 `taizhang list` 查看记录编号；编号可只写开头或结尾至少 {MIN_ID_PREFIX} 位。",
                    "No record {id}. Use `taizhang list` to see record ids; you may give the first or last {MIN_ID_PREFIX} or more characters of an id."
                )
            }
            StoreError::AmbiguousId { prefix, count } => {
                let prefix = safe(prefix);
                tr!(
                    lang,
                    "编号 {prefix} 对应 {count} 条记录。请多写几位编号。",
                    "The id {prefix} matches {count} records. Give more characters of the id."
                )
            }
            StoreError::Duplicate {
                existing_id,
                existing_name,
                kind,
            } => {
                let name = safe(existing_name);
                let kind = kind_label(*kind, lang);
                tr!(
                    lang,
                    "本单位已登记过这条{kind}：“{name}”（编号 {existing_id}），未保存。如需修改请运行 `taizhang show {existing_id}` 查看后用 edit 修改原记录。",
                    "This {kind} is already in the ledger: \"{name}\" (id {existing_id}); nothing was saved. Run `taizhang show {existing_id}` and edit that record instead."
                )
            }
            StoreError::Conflict {
                id,
                expected,
                actual,
            } => tr!(
                lang,
                "记录 {id} 已被他人修改（当前版本 {actual}，您基于版本 {expected}）。未保存。请重新查看（`taizhang show {id}`）后再修改。",
                "Record {id} was changed by someone else (it is now at revision {actual}; you started from revision {expected}). Nothing was saved. Look at it again (`taizhang show {id}`) and redo your change."
            ),
            StoreError::KindMismatch { id, kind, given } => {
                let kind = kind_label(*kind, lang);
                let given = kind_label(*given, lang);
                tr!(
                    lang,
                    "记录 {id} 是{kind}，不能按{given}修改。未保存。",
                    "Record {id} is a {kind} record and cannot be edited as a {given}. Nothing was saved."
                )
            }
            StoreError::AlreadyVoided { id } => tr!(
                lang,
                "记录 {id} 已经作废，无需再次作废。如需恢复请运行 `taizhang restore {id}`。",
                "Record {id} is already voided. To bring it back, run `taizhang restore {id}`."
            ),
            StoreError::NotVoided { id } => tr!(
                lang,
                "记录 {id} 未作废，无需恢复。",
                "Record {id} is not voided; there is nothing to restore."
            ),
            StoreError::VoidedNotEditable { id } => tr!(
                lang,
                "记录 {id} 已作废，不能修改。请先运行 `taizhang restore {id}` 恢复后再修改。",
                "Record {id} is voided and cannot be edited. Run `taizhang restore {id}` first, then edit it."
            ),
            StoreError::EmptyReason => tr!(
                lang,
                "作废记录必须填写原因，例如 --reason \"重复录入\"。",
                "Voiding a record needs a reason, e.g. --reason \"entered twice\"."
            ),
            StoreError::Io { path, source } => {
                let path = safe_path(path);
                let detail = safe(&source.to_string()).into_owned();
                tr!(
                    lang,
                    "无法读写 {path}：{detail}。请检查该位置是否存在、是否有权限、磁盘是否已满。",
                    "Cannot read or write {path}: {detail}. Check that the place exists, that you may write there, and that the disk is not full."
                )
            }
            StoreError::Sqlite(e) => sqlite_message(e, lang),
        }
    }
}

fn safe_path(path: &std::path::Path) -> String {
    safe(&path.display().to_string()).into_owned()
}

/// The database errors a clerk can do something about get their own message.
fn sqlite_message(e: &rusqlite::Error, lang: Lang) -> String {
    let detail = safe(&e.to_string()).into_owned();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => tr!(
            lang,
            "台账正被其他人写入，等待超时，未保存。请稍后重试。",
            "Someone else is writing to the ledger and the wait timed out; nothing was saved. Try again in a moment."
        ),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => tr!(
            lang,
            "无法写入台账文件（{detail}）。请检查文件及其所在目录的权限。",
            "Cannot write the ledger file ({detail}). Check the permissions of the file and its folder."
        ),
        Some(ErrorCode::DiskFull) => tr!(
            lang,
            "磁盘已满，未保存。请腾出空间后重试。",
            "The disk is full; nothing was saved. Free some space and try again."
        ),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => tr!(
            lang,
            "台账文件已损坏（{detail}）。请停止使用并联系管理员从备份恢复。",
            "The ledger file is damaged ({detail}). Stop using it and ask your administrator to restore it from a backup."
        ),
        _ => tr!(
            lang,
            "台账数据库出错：{detail}",
            "Ledger database error: {detail}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use uuid::Uuid;

    use super::*;
    use crate::domain::RecordKind;

    #[test]
    fn every_refusal_reads_in_both_languages_and_names_what_to_do() {
        let id = Uuid::parse_str("0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b").unwrap();
        let cases: Vec<(StoreError, &str, &str)> = vec![
            (
                StoreError::NoLedger {
                    path: PathBuf::from("/tmp/x.sqlite"),
                },
                "taizhang init --unit",
                "taizhang init --unit",
            ),
            (
                StoreError::NewerSchema {
                    found: 9,
                    supported: 1,
                },
                "文件未被改动",
                "not changed",
            ),
            (
                StoreError::Conflict {
                    id,
                    expected: 2,
                    actual: 3,
                },
                "当前版本 3，您基于版本 2",
                "revision 3",
            ),
            (
                StoreError::Duplicate {
                    existing_id: id,
                    existing_name: "双鸭山市星火科技有限公司".into(),
                    kind: RecordKind::TechSme,
                },
                "taizhang show 0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b",
                "双鸭山市星火科技有限公司",
            ),
            (StoreError::EmptyReason, "原因", "reason"),
            (
                StoreError::VoidedNotEditable { id },
                "taizhang restore",
                "taizhang restore",
            ),
        ];
        for (error, zh, en) in cases {
            let zh_text = error.localize(Lang::Zh);
            let en_text = error.localize(Lang::En);
            assert!(zh_text.contains(zh), "{zh_text}");
            assert!(en_text.contains(en), "{en_text}");
            assert_ne!(zh_text, en_text);
        }
    }

    #[test]
    fn record_names_in_messages_are_made_safe_for_the_terminal() {
        let error = StoreError::Duplicate {
            existing_id: Uuid::nil(),
            existing_name: "恶意\u{1b}[2J公司".into(),
            kind: RecordKind::HighTech,
        };
        assert!(!error.localize(Lang::Zh).contains('\u{1b}'));
    }
}
