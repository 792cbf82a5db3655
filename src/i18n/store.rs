//! Messages for what the ledger file refused or could not do, naming the record and the fix.

use rusqlite::ErrorCode;

use super::labels::kind_label;
use super::{Lang, Localized};
use crate::display::safe;
use crate::store::{ImportRefusal, LedgerRole, MIN_ID_PREFIX, StoreError, SupersedeRefusal};
use crate::tr;

impl Localized for StoreError {
    fn localize(&self, lang: Lang) -> String {
        if let Some(message) = super::backup::ledger_file_error(self, lang) {
            return message;
        }
        match self {
            StoreError::AwardRefused(refused) => refused.localize(lang),
            StoreError::Pool(refusal) => refusal.localize(lang),
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
            StoreError::UnfinishedLedger { path } => {
                let path = safe_path(path);
                tr!(
                    lang,
                    "{path} 是没有建完的台账文件（上次建立台账时被中断），其中没有任何记录，未做任何改动。请重新运行 `taizhang init --unit 单位代码`（市级台账为 `taizhang init --city`），它会替换这个文件。",
                    "{path} is an unfinished ledger (making it was interrupted); it holds no records and nothing was changed. Run `taizhang init --unit CODE` again (`taizhang init --city` for the city ledger): it replaces this file."
                )
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
            StoreError::LedgerPathIsFolder { path } => {
                let path = safe_path(path);
                tr!(
                    lang,
                    "{path} 是一个文件夹，不是台账文件，未做任何改动。--db（或 TAIZHANG_DB）要写台账文件本身，例如 {path}/台账.sqlite。",
                    "{path} is a folder, not a ledger file; nothing was changed. --db (or TAIZHANG_DB) names the ledger file itself, e.g. {path}/ledger.sqlite."
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
            StoreError::BadSupersedes { reference, reason } => {
                let reference = safe(reference);
                match reason {
                    SupersedeRefusal::NotFound => tr!(
                        lang,
                        "升级前记录：找不到记录 {reference}。未保存。请用 `taizhang list` 查看原记录编号。",
                        "Upgrades record: no record {reference}. Nothing was saved. Use `taizhang list` to find the earlier record's id."
                    ),
                    SupersedeRefusal::OtherUnit => tr!(
                        lang,
                        "升级前记录：记录 {reference} 属于其他单位，只能升级本单位的记录。未保存。",
                        "Upgrades record: record {reference} belongs to another unit; only your unit's records can be upgraded. Nothing was saved."
                    ),
                    SupersedeRefusal::OtherKind { kind } => {
                        let kind = kind_label(*kind, lang);
                        tr!(
                            lang,
                            "升级前记录：记录 {reference} 是{kind}，升级前后必须是同一类别。未保存。",
                            "Upgrades record: record {reference} is a {kind} record; an upgrade keeps the kind. Nothing was saved."
                        )
                    }
                    SupersedeRefusal::Loop => tr!(
                        lang,
                        "升级前记录：记录 {reference} 本身就是由这条记录升级而来，不能互相升级。未保存。",
                        "Upgrades record: record {reference} was itself upgraded from this one; records cannot upgrade each other. Nothing was saved."
                    ),
                }
            }
            StoreError::BadFigure { value } => tr!(
                lang,
                "数值 {value} 不能使用：全市指标的数值不能为负数。未保存。",
                "The value {value} cannot be used: a city figure is a number of at least 0. Nothing was saved."
            ),
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
            StoreError::NotEmpty { records } => tr!(
                lang,
                "台账中已有 {records} 条记录；示例数据只能填入空台账。请用 --db 指定一个新文件。",
                "The ledger already holds {records} records; demo only fills an empty ledger. Give a new file with --db."
            ),
            StoreError::SearchBuildStopped => tr!(
                lang,
                "建立检索索引时意外中止，未写入任何记录。请重试；如仍失败，请联系技术支持。",
                "Building the search index stopped unexpectedly; no record was written. Try again, and report it if it happens again."
            ),
            StoreError::EmptyReason => tr!(
                lang,
                "作废记录必须填写原因，例如 --reason \"重复录入\"。",
                "Voiding a record needs a reason, e.g. --reason \"entered twice\"."
            ),
            StoreError::BadText { issue } => {
                let problem = issue.localize(lang);
                tr!(
                    lang,
                    "{problem}未做任何改动。",
                    "{problem} Nothing was changed."
                )
            }
            StoreError::CityReadOnly => tr!(
                lang,
                "市级汇总台账中的记录来自各单位上报的同步包，不能在市科技局修改，未做任何改动。如需更正，请通知该单位在本单位台账中修改，再导出新的同步包交市科技局导入。",
                "Records in the city ledger come from the units' bundles and cannot be changed at the city; nothing was changed. To correct one, ask the unit to change it in its own ledger and send a new bundle."
            ),
            StoreError::WrongRole { role } => match role {
                LedgerRole::City => tr!(
                    lang,
                    "这是市级汇总台账，此操作只能在单位台账上进行，未做任何改动。",
                    "This is the city ledger; this can only be done in a unit's ledger. Nothing was changed."
                ),
                LedgerRole::Unit => tr!(
                    lang,
                    "这是单位台账，此操作只能在市级汇总台账上进行（市级台账用 `taizhang init --city` 建立），未做任何改动。",
                    "This is a unit's ledger; this can only be done in the city ledger (made with `taizhang init --city`). Nothing was changed."
                ),
            },
            StoreError::SigningKeyExists => tr!(
                lang,
                "本台账已有签名密钥，未做任何改动。原密钥不会被覆盖，以免对方已登记的公钥失效。",
                "This ledger already has a signing key; nothing was changed. It is never overwritten, so that the key others have enrolled stays valid."
            ),
            StoreError::KeyAlreadyPinned { unit: Some(unit) } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "单位 {unit} 已登记了另一个公钥，未做任何改动。请先与该单位电话核对公钥指纹；确认该单位确实更换了密钥后，再加 --replace 重新登记（更换会记入记录）。",
                    "Another key is already enrolled for unit {unit}; nothing was changed. Read the fingerprint back with the unit over the phone; once you are sure the unit changed its key, enroll again with --replace (the replacement is recorded)."
                )
            }
            StoreError::KeyAlreadyPinned { unit: None } => tr!(
                lang,
                "本台账已登记了市科技局的另一个公钥，未做任何改动。请先与市科技局电话核对公钥指纹；确认市科技局确实更换了密钥后，再加 --replace 重新登记（更换会记入记录）。",
                "Another city key is already enrolled in this ledger; nothing was changed. Read the fingerprint back with the city office over the phone; once you are sure the city changed its key, enroll again with --replace (the replacement is recorded)."
            ),
            StoreError::KeyPinnedToOtherUnit { key_unit, unit } => {
                let key_unit = safe(key_unit);
                let unit = safe(unit);
                tr!(
                    lang,
                    "这个公钥已登记给单位 {key_unit}，不能再登记给单位 {unit}，未做任何改动。每个单位有自己的密钥，请核对公钥是否抄错或发错。",
                    "This key is already enrolled for unit {key_unit} and cannot also be enrolled for unit {unit}; nothing was changed. Every unit has its own key: check that the key was not mistyped or sent by the wrong unit."
                )
            }
            StoreError::SequenceMismatch { expected, given } => tr!(
                lang,
                "导出序号不连续（应为第 {expected} 号，这次是第 {given} 号），本次导出未记入台账。请重新导出。",
                "The export number is out of turn (it should be no. {expected}, this one is no. {given}); this export was not recorded. Export again."
            ),
            StoreError::Rollback {
                unit,
                sequence,
                held,
            } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "这是单位 {unit} 的第 {sequence} 号同步包，比市科技局已导入的第 {held} 号旧，未导入，台账未改动。请让该单位导出最新的同步包。",
                    "This is bundle no. {sequence} of unit {unit}, older than no. {held} which the city already holds; nothing was imported and the ledger is unchanged. Ask the unit for its newest bundle."
                )
            }
            StoreError::SequenceJump {
                unit,
                sequence,
                held,
            } => {
                let unit = safe(unit);
                let most = crate::store::MAX_SEQUENCE_JUMP;
                let held_zh = if *held == 0 {
                    "这把密钥还没有导入过同步包，第一个同步包应从第 1 号起".to_owned()
                } else {
                    format!("市科技局持有的最新是第 {held} 号")
                };
                let held_en = if *held == 0 {
                    "no bundle signed by this key was imported yet; a first bundle starts at 1"
                        .to_owned()
                } else {
                    format!("the newest the city holds is no. {held}")
                };
                tr!(
                    lang,
                    "单位 {unit} 的这个同步包编号为第 {sequence} 号，而{held_zh}，跳过了 {most} 个以上的编号，未导入，台账未改动。密钥被盗用时可能出现这种情况（编号被推到极大，单位从此无法再提交）。请先与该单位电话核实最近导出的编号；确认无误后，用 `taizhang import --confirm-jump 文件` 导入。",
                    "This bundle of unit {unit} is numbered {sequence}, but {held_en}: it skips more than {most} numbers, so nothing was imported and the ledger is unchanged. A stolen key can do this (pushing the number so high that the unit is locked out). Check the unit's latest export number with them by phone; if it is right, import it with `taizhang import --confirm-jump FILE`."
                )
            }
            StoreError::KeyLineClosed { unit } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "这个公钥曾是单位 {unit} 的密钥，后来已被新密钥取代，且市科技局已导入新密钥签署的同步包，不能再登记，未做任何改动。如单位又换了台账，请登记新台账的公钥（`taizhang key` 可查看）。",
                    "This key was unit {unit}'s before it was replaced, and bundles signed by the newer key have been imported since; it cannot be enrolled again. Nothing was changed. If the unit changed ledgers again, enroll the new ledger's key (shown by `taizhang key`)."
                )
            }
            StoreError::AlreadyHeld { unit, sequence } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "单位 {unit} 的第 {sequence} 号同步包已经导入过，无需再导入，台账未改动。",
                    "Bundle no. {sequence} of unit {unit} is already held; there is nothing to import and the ledger is unchanged."
                )
            }
            StoreError::SequenceReused { unit, sequence } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "单位 {unit} 的这个同步包编号为第 {sequence} 号，但与市科技局已导入的第 {sequence} 号内容不同，未导入，台账未改动。该单位的台账可能从备份恢复过或被复制过，请与该单位联系核实。",
                    "This bundle of unit {unit} is numbered {sequence}, but differs from the bundle no. {sequence} the city already holds; nothing was imported and the ledger is unchanged. The unit's ledger may have been restored from a backup or copied: check with the unit."
                )
            }
            StoreError::ForeignRecord {
                id,
                unit,
                held_unit,
            } => {
                let unit = safe(unit);
                let held_unit = safe(held_unit);
                tr!(
                    lang,
                    "单位 {unit} 的同步包中有记录 {id}，而市级台账中这条记录属于单位 {held_unit}。整个同步包未导入，台账未改动。请联系两个单位核实。",
                    "The bundle of unit {unit} carries record {id}, which the city ledger holds for unit {held_unit}. Nothing was imported: the ledger is unchanged. Check with both units."
                )
            }
            StoreError::ImportRefused {
                unit,
                id,
                name,
                refusal,
            } => {
                let unit = safe(unit);
                let name = safe(name);
                let reason = refusal.localize(lang);
                tr!(
                    lang,
                    "单位 {unit} 的同步包中，记录“{name}”（编号 {id}）无法接收：{reason}。整个同步包未导入，台账未改动。请让该单位核对这条记录后重新导出。",
                    "In the bundle of unit {unit}, record \"{name}\" (id {id}) cannot be taken: {reason}. Nothing was imported: the ledger is unchanged. Ask the unit to check that record and export again."
                )
            }
            StoreError::ImportCountMismatch { declared, found } => tr!(
                lang,
                "同步包声明有 {declared} 条记录，实际有 {found} 条，未导入，台账未改动。请让该单位重新导出。",
                "The bundle says it carries {declared} records but carries {found}; nothing was imported and the ledger is unchanged. Ask the unit to export again."
            ),
            StoreError::NumberOutOfRange { value } => tr!(
                lang,
                "数字 {value} 超出台账能保存的范围，未做任何改动。文件可能已损坏。",
                "The number {value} is too large for the ledger to keep; nothing was changed. The file may be damaged."
            ),
            StoreError::Io { path, source } => {
                let path = safe_path(path);
                let detail = super::os_errors::io_cause(lang, source);
                tr!(
                    lang,
                    "无法读写 {path}：{detail}。请检查该位置是否存在、是否有权限、磁盘是否已满。",
                    "Cannot read or write {path}: {detail}. Check that the place exists, that you may write there, and that the disk is not full."
                )
            }
            StoreError::Sqlite(e) => sqlite_message(e, lang),
            // Worded in `backup`, above.
            StoreError::Truncated { .. }
            | StoreError::Damaged { .. }
            | StoreError::ReadOnlyLedger { .. }
            | StoreError::ReadOnlyNeedsUpgrade { .. }
            | StoreError::InUse { .. }
            | StoreError::OtherUnitsBackup { .. }
            | StoreError::CopyMismatch { .. } => String::new(),
        }
    }
}

impl Localized for ImportRefusal {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ImportRefusal::Invalid { issues } => {
                let separator = tr!(lang, "；", "; ");
                let details = issues
                    .iter()
                    .map(|issue| safe(&issue.localize(lang)).into_owned())
                    .collect::<Vec<_>>()
                    .join(&separator);
                tr!(
                    lang,
                    "内容不符合填写规则（{details}）",
                    "its values break the ledger's rules ({details})"
                )
            }
            ImportRefusal::WrongUnit { unit } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "记录标明属于单位 {unit}，与同步包所属单位不符",
                    "the record says it belongs to unit {unit}, not to the bundle's unit"
                )
            }
            ImportRefusal::HeldByOtherUnit { unit } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "市科技局已有同一编号的记录，属于单位 {unit}",
                    "the city holds a record with the same id for unit {unit}"
                )
            }
            ImportRefusal::BadRevision { revision } => tr!(
                lang,
                "版本号 {revision} 无效（应从 1 起）",
                "its revision {revision} is not valid (revisions start at 1)"
            ),
            ImportRefusal::StatusMismatch => tr!(
                lang,
                "作废状态与作废原因不一致（有效记录带有作废原因，或作废记录没有原因）",
                "its status and void reason disagree (an active record with a void reason, or a voided one without)"
            ),
            ImportRefusal::DuplicateId => tr!(
                lang,
                "同一编号在同步包中出现了不止一次",
                "the same id appears more than once in the bundle"
            ),
            ImportRefusal::DuplicateActive { other } => tr!(
                lang,
                "与该单位另一条有效记录（编号 {other}）是同一登记",
                "it is the same entry as another active record of the unit (id {other})"
            ),
        }
    }
}

fn safe_path(path: &std::path::Path) -> String {
    crate::display::path(path)
}

/// The database errors a clerk can do something about get their own message.
fn sqlite_message(e: &rusqlite::Error, lang: Lang) -> String {
    let detail = safe(&e.to_string()).into_owned();
    let cause = super::os_errors::sqlite_cause(lang, e);
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => tr!(
            lang,
            "台账正被其他人写入，等待超时，未保存。请稍后重试。",
            "Someone else is writing to the ledger and the wait timed out; nothing was saved. Try again in a moment."
        ),
        Some(ErrorCode::ReadOnly) => super::backup::sqlite_read_only(&detail, lang),
        Some(ErrorCode::SystemIoFailure) => super::backup::sqlite_io_error(&detail, lang),
        Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => tr!(
            lang,
            "无法写入台账文件（{cause}）。请检查文件及其所在目录的权限。",
            "Cannot write the ledger file ({detail}). Check the permissions of the file and its folder."
        ),
        Some(ErrorCode::DiskFull) => tr!(
            lang,
            "磁盘已满，未保存。请腾出空间后重试。",
            "The disk is full; nothing was saved. Free some space and try again."
        ),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => tr!(
            lang,
            "台账文件已损坏（{cause}）。请停止使用并联系管理员从备份恢复。",
            "The ledger file is damaged ({detail}). Stop using it and ask your administrator to restore it from a backup."
        ),
        _ => tr!(
            lang,
            "台账数据库出错：{cause}",
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
            (StoreError::NotEmpty { records: 7 }, "已有 7 条记录", "--db"),
            (
                StoreError::SearchBuildStopped,
                "未写入任何记录",
                "no record was written",
            ),
            (
                StoreError::BadText {
                    issue: crate::domain::FieldIssue::new(
                        "void_reason",
                        crate::domain::Problem::ForbiddenCharacter {
                            position: 3,
                            code_point: 0x1B,
                            kind: crate::domain::ForbiddenKind::Control,
                        },
                    ),
                },
                "作废原因：第 3 个字符 U+001B（控制字符）",
                "Void reason: character 3, U+001B",
            ),
            (
                StoreError::VoidedNotEditable { id },
                "taizhang restore",
                "taizhang restore",
            ),
            (
                StoreError::SequenceJump {
                    unit: "230521".into(),
                    sequence: 1002,
                    held: 0,
                },
                "第一个同步包应从第 1 号起",
                "--confirm-jump",
            ),
            (
                StoreError::KeyLineClosed {
                    unit: "230521".into(),
                },
                "不能再登记",
                "cannot be enrolled again",
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
