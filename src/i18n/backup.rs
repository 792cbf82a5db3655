//! Messages about the ledger file itself: backup, check and restore, damage, a cut-off
//! file, read-only ledgers, a full disk and other disk failures.

use std::path::Path;

use super::{Lang, Localized};
use crate::display::safe;
use crate::store::{
    BackupDone, CheckReport, IdentityProblem, LedgerProblem, RestoreDone, StoreError,
};
use crate::tr;

fn shown(path: &Path) -> String {
    safe(&path.display().to_string()).into_owned()
}

/// The message of the errors about the ledger file; `None` for the others.
pub(super) fn ledger_file_error(e: &StoreError, lang: Lang) -> Option<String> {
    Some(match e {
        StoreError::Truncated {
            path,
            size,
            expected: Some(expected),
        } => {
            let path = shown(path);
            tr!(
                lang,
                "台账文件 {path} 不完整：只有 {size} 字节，按其文件头应有 {expected} 字节，可能是复制时中断或磁盘已满。文件未被改动。请用 `taizhang restore-backup 备份文件` 从备份恢复。",
                "The ledger file {path} is incomplete: {size} bytes where its header says {expected}. A copy was probably interrupted or the disk was full. The file was not changed. Restore it from a backup with `taizhang restore-backup BACKUP`."
            )
        }
        StoreError::Truncated {
            path,
            size,
            expected: None,
        } => {
            let path = shown(path);
            tr!(
                lang,
                "台账文件 {path} 不完整：{size} 字节处被截断，可能是复制时中断或磁盘已满。文件未被改动。请用 `taizhang restore-backup 备份文件` 从备份恢复。",
                "The ledger file {path} is incomplete: it is cut off after {size} bytes. A copy was probably interrupted or the disk was full. The file was not changed. Restore it from a backup with `taizhang restore-backup BACKUP`."
            )
        }
        StoreError::Damaged { path, detail } => {
            let path = shown(path);
            let detail = safe(detail);
            tr!(
                lang,
                "台账文件 {path} 已损坏（{detail}），未做任何改动。请运行 `taizhang check` 查看问题，再用 `taizhang restore-backup 备份文件` 从备份恢复。注意：不要把备份文件直接复制到台账的位置，旁边残留的 -wal 文件会被读入备份而损坏台账。",
                "The ledger file {path} is damaged ({detail}); nothing was changed. Run `taizhang check` to see the problems, then restore it from a backup with `taizhang restore-backup BACKUP`. Do not copy a backup over the ledger by hand: a -wal file left beside it is read into the copy and damages it."
            )
        }
        StoreError::ReadOnlyLedger { path } => {
            let path = shown(path);
            tr!(
                lang,
                "台账为只读：{path} 或其所在文件夹不可写（或在只读介质上），只能查看，不能修改，未做任何改动。如需修改，请把台账复制到可写的位置，或请管理员开放写权限。",
                "The ledger is read-only: {path} or its folder cannot be written (or it is on read-only media). It can be looked at but not changed; nothing was changed. To change it, copy it somewhere writable or ask your administrator for write access."
            )
        }
        StoreError::ReadOnlyNeedsUpgrade {
            path,
            found,
            supported,
        } => {
            let path = shown(path);
            tr!(
                lang,
                "台账为只读：{path} 的数据格式（版本 {found}）需要升级到版本 {supported} 才能由本程序读取，而只读的台账无法升级。文件未被改动。请在可写的位置打开一次（会自动升级），或用建立它的 taizhang 版本查看。",
                "The ledger is read-only: {path} has schema version {found} and needs an upgrade to {supported} before this program can read it, which cannot be done to a read-only ledger. The file was not changed. Open it once where it can be written (it is upgraded then), or read it with the taizhang that made it."
            )
        }
        StoreError::InUse { path } => {
            let path = shown(path);
            tr!(
                lang,
                "台账 {path} 正在使用中（有人打开着台账界面或正在运行命令），现在不能替换，未做任何改动。请所有人退出 taizhang 后再试。",
                "The ledger {path} is in use (someone has the ledger screen open or a command running) and cannot be replaced now; nothing was changed. Ask everyone to leave taizhang, then try again."
            )
        }
        StoreError::OtherUnitsBackup {
            backup_unit,
            ledger_unit,
        } => {
            let backup_unit = safe(backup_unit);
            let ledger_unit = safe(ledger_unit);
            tr!(
                lang,
                "这是单位 {backup_unit} 的备份，而要替换的是单位 {ledger_unit} 的台账，未做任何改动。请核对备份文件，或用 --db 指定另一个位置。",
                "This is a backup of unit {backup_unit}, but the ledger it would replace is unit {ledger_unit}'s; nothing was changed. Check the backup file, or give another place with --db."
            )
        }
        StoreError::CopyMismatch { path, detail } => {
            let path = shown(path);
            let detail = safe(detail);
            tr!(
                lang,
                "{path} 写入后核对不符（{detail}），已放弃，没有留下不完整的文件。请检查磁盘后重试。",
                "{path} did not read back as written ({detail}); it was abandoned and no partial file was left. Check the disk and try again."
            )
        }
        StoreError::Io { path, source } if is_disk_full(source) => {
            let path = shown(path);
            tr!(
                lang,
                "磁盘已满，无法写入 {path}，未保存。请腾出空间后重试。",
                "The disk is full: {path} cannot be written and nothing was saved. Free some space and try again."
            )
        }
        _ => return None,
    })
}

/// ENOSPC or EDQUOT, however the platform names it.
pub(super) fn is_disk_full(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    matches!(e.kind(), K::StorageFull | K::QuotaExceeded)
        || matches!(e.raw_os_error(), Some(28 | 122))
}

/// SQLite's disk I/O error (as opposed to a full disk); `detail` is SQLite's text, shown in
/// English only.
pub(super) fn sqlite_io_error(detail: &str, lang: Lang) -> String {
    tr!(
        lang,
        "读写台账文件时发生磁盘读写错误，未保存。可能是磁盘或U盘故障或被拔出；请检查后重试，并运行 `taizhang check` 检查台账。",
        "A disk I/O error occurred reading or writing the ledger file ({detail}); nothing was saved. The disk or stick may be failing or was pulled out: check it, try again, and run `taizhang check` on the ledger."
    )
}

/// SQLite refused a write: the ledger is read-only. `detail` is SQLite's text, shown in
/// English only.
pub(super) fn sqlite_read_only(detail: &str, lang: Lang) -> String {
    tr!(
        lang,
        "台账为只读（台账文件或其所在文件夹不允许写入），不能修改，未做任何改动。请检查文件及其所在文件夹的权限，或它是否在只读介质上。",
        "The ledger is read-only ({detail}) and cannot be changed; nothing was changed. Check the permissions of the file and its folder, or whether it is on read-only media."
    )
}

pub fn backup_done(lang: Lang, done: &BackupDone) -> String {
    let path = shown(&done.path);
    let size = size_text(done.bytes);
    let records = done.records;
    tr!(
        lang,
        "已写入并核验备份：{path}\n大小 {size}，{records} 条记录，含本台账的签名密钥：请妥善保管。",
        "Backup written and verified: {path}\nSize {size}, {records} records, with this ledger's signing key: keep it safe."
    )
}

pub fn restore_done(lang: Lang, done: &RestoreDone, ledger: &Path) -> String {
    let ledger = shown(ledger);
    let unit = safe(&done.unit);
    let records = done.records;
    let first = tr!(
        lang,
        "已从备份恢复单位 {unit} 的台账：{ledger}，{records} 条记录，已核验。",
        "Restored the ledger of unit {unit} from the backup: {ledger}, {records} records, verified."
    );
    match &done.set_aside {
        Some(aside) => {
            let aside = shown(aside);
            let second = tr!(
                lang,
                "原台账（连同其 -wal、-shm 文件）已改名保留为：{aside}",
                "The ledger it replaced (with its -wal and -shm files) is kept as: {aside}"
            );
            format!("{first}\n{second}")
        }
        None => first,
    }
}

/// `1.5 MiB`, `312 KiB`, `900 B`.
fn size_text(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KIB * KIB * KIB {
        format!("{:.1} GiB", b / (KIB * KIB * KIB))
    } else if b >= KIB * KIB {
        format!("{:.1} MiB", b / (KIB * KIB))
    } else if b >= KIB {
        format!("{:.0} KiB", b / KIB)
    } else {
        format!("{bytes} B")
    }
}

/// The lines `check` prints: one per problem, then the verdict.
/// What `check --recount` did before checking: which parts of the kept counts it mended.
pub fn recount_line(lang: Lang, mended: &[&str]) -> String {
    if mended.is_empty() {
        tr!(
            lang,
            "已按记录重新统计进度计数：与保存的一致。",
            "Counted the progress figures again from the records: they matched the kept counts."
        )
    } else {
        let parts = mended.join("、");
        tr!(
            lang,
            "已按记录重新统计进度计数，并更正了保存的 {parts}。",
            "Counted the progress figures again from the records and mended the kept {parts}."
        )
    }
}

pub fn check_lines(lang: Lang, path: &Path, report: &CheckReport, seconds: f64) -> Vec<String> {
    let mut lines: Vec<String> = report
        .problems
        .iter()
        .map(|p| format!("{}{}", problem_prefix(lang), p.localize(lang)))
        .collect();
    let path = shown(path);
    let unit = safe(&report.unit);
    let records = report.records;
    if report.unlisted > 0 {
        let more = report.unlisted;
        lines.push(tr!(
            lang,
            "……另有 {more} 处问题未列出。",
            "… and {more} more problems not listed."
        ));
    }
    if report.older_schema {
        lines.push(tr!(
            lang,
            "提示：台账的数据格式较旧，下次写入时会自动升级；同步记录部分未检查。",
            "Note: the ledger's schema is older and is upgraded at the next change; the sync logs were not checked."
        ));
    }
    let found = report.problems.len() as u64 + report.unlisted;
    lines.push(if report.only_pool_links() {
        super::pool::check::only_links(lang, found, &path)
    } else if report.only_kept_counts() {
        tr!(
            lang,
            "检查发现 {found} 处问题：{path}。记录本身没有问题，只是保存的进度计数与记录不一致：运行 `taizhang check --recount` 按记录重新统计。",
            "The check found {found} problems: {path}. The records are sound; only the kept progress counts disagree with them: run `taizhang check --recount` to count them again from the records."
        )
    } else if report.is_clean() {
        tr!(
            lang,
            "检查通过：{path}（单位 {unit}，{records} 条记录，用时 {seconds:.1} 秒）",
            "Check passed: {path} (unit {unit}, {records} records, {seconds:.1} s)"
        )
    } else {
        tr!(
            lang,
            "检查发现 {found} 处问题：{path}。请停止录入，用 `taizhang restore-backup 备份文件` 从最近的备份恢复，或联系管理员。",
            "The check found {found} problems: {path}. Stop entering records and restore the latest backup with `taizhang restore-backup BACKUP`, or ask your administrator."
        )
    });
    lines
}

fn problem_prefix(lang: Lang) -> String {
    tr!(lang, "问题：", "Problem: ")
}

impl Localized for LedgerProblem {
    fn localize(&self, lang: Lang) -> String {
        match self {
            LedgerProblem::Structure { detail } => {
                let detail = safe(detail);
                tr!(
                    lang,
                    "文件结构损坏（SQLite 完整性检查：{detail}）",
                    "the file's structure is damaged (SQLite integrity check: {detail})"
                )
            }
            LedgerProblem::DanglingReference {
                table,
                rowid,
                parent,
            } => {
                let table = safe(table);
                let parent = safe(parent);
                let row = rowid.map(|r| r.to_string()).unwrap_or_default();
                tr!(
                    lang,
                    "表 {table} 第 {row} 行指向 {parent} 中不存在的行",
                    "row {row} of {table} refers to a row of {parent} that does not exist"
                )
            }
            LedgerProblem::Identity {
                what: IdentityProblem::Role,
            } => tr!(
                lang,
                "台账的角色（单位或市级）无法识别",
                "the ledger's role (unit or city) is not one this program knows"
            ),
            LedgerProblem::Identity {
                what: IdentityProblem::SigningKey,
            } => tr!(
                lang,
                "台账的签名密钥缺失或无法读取，无法导出签名的同步包",
                "the ledger's signing key is missing or unreadable: no signed bundle can be written"
            ),
            LedgerProblem::UnreadableRecord { id } => {
                let id = safe(id);
                tr!(
                    lang,
                    "记录 {id} 无法读取（类别、状态或填写内容已损坏）",
                    "record {id} cannot be read (its kind, status or values are damaged)"
                )
            }
            LedgerProblem::IndexMismatch { id, column } => {
                let id = safe(id);
                tr!(
                    lang,
                    "记录 {id} 的检索列 {column} 与其填写内容不符（统计或查重会出错）",
                    "record {id}: the stored column {column} does not match its values (counts or duplicate checks would be wrong)"
                )
            }
            LedgerProblem::VoidReasonMismatch { id } => {
                let id = safe(id);
                tr!(
                    lang,
                    "记录 {id} 的作废状态与作废原因不一致",
                    "record {id}: its status and void reason disagree"
                )
            }
            LedgerProblem::KeptCounts { part } => tr!(
                lang,
                "保存的进度计数（{part}）与按记录重新统计的结果不一致",
                "the kept progress counts ({part}) differ from a count made from the records"
            ),
            LedgerProblem::NoAudit { id } => {
                let id = safe(id);
                tr!(
                    lang,
                    "记录 {id} 没有任何修改记录",
                    "record {id} has no history at all"
                )
            }
            LedgerProblem::RevisionMismatch {
                id,
                revision,
                audited,
            } => {
                let id = safe(id);
                tr!(
                    lang,
                    "记录 {id} 为版本 {revision}，而修改记录的最后版本是 {audited}",
                    "record {id} is at revision {revision} but its history ends at revision {audited}"
                )
            }
            LedgerProblem::ForeignUnit { id, unit } => {
                let id = safe(id);
                let unit = safe(unit);
                tr!(
                    lang,
                    "本单位台账中有属于单位 {unit} 的记录 {id}",
                    "this unit's ledger holds record {id} of unit {unit}"
                )
            }
            LedgerProblem::ExportLog { sequence } => tr!(
                lang,
                "导出记录第 {sequence} 号有误（记录数多于台账现有记录，或缺少校验值）",
                "export no. {sequence} is logged wrongly (more records than the ledger holds, or no proper hash)"
            ),
            LedgerProblem::ImportCounts { unit, sequence } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "单位 {unit} 第 {sequence} 号同步包的导入记录中，各项条数之和与记录总数不符",
                    "the import log of bundle no. {sequence} of unit {unit}: its counts do not add up to its records"
                )
            }
            LedgerProblem::UnitWithoutKey { unit } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "市级台账中有单位 {unit} 的记录，但没有登记该单位的公钥",
                    "the city ledger holds records of unit {unit} but no key is enrolled for it"
                )
            }
            LedgerProblem::UnitWithoutImport { unit } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "市级台账中有单位 {unit} 的记录，但没有该单位的导入记录",
                    "the city ledger holds records of unit {unit} but no import of that unit is logged"
                )
            }
            LedgerProblem::PoolOpenTwice {
                unit,
                credit_code,
                entries,
            } => super::pool::check::open_twice(lang, unit, credit_code, *entries),
            LedgerProblem::PoolBadValue { id, column, value } => {
                super::pool::check::bad_value(lang, id, column, value)
            }
            LedgerProblem::PoolAchievedBy { id, record, fault } => {
                super::pool::check::achieved_by(lang, id, record, fault)
            }
            LedgerProblem::PoolHistory {
                id,
                revision,
                changes,
                last,
            } => super::pool::check::history(lang, id, *revision, *changes, *last),
            LedgerProblem::FewerThanImported {
                unit,
                held,
                imported,
            } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "市级台账只有单位 {unit} 的 {held} 条记录，少于其最新同步包的 {imported} 条",
                    "the city ledger holds {held} records of unit {unit}, fewer than the {imported} its newest bundle carried"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use rusqlite::ffi;

    use super::*;

    fn sqlite(code: i32) -> StoreError {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None))
    }

    fn io(raw: i32) -> StoreError {
        StoreError::Io {
            path: PathBuf::from("/media/usb/ledger.sqlite"),
            source: std::io::Error::from_raw_os_error(raw),
        }
    }

    #[test]
    fn a_full_disk_and_an_io_error_are_told_apart() {
        let full = sqlite(ffi::SQLITE_FULL).localize(Lang::Zh);
        let ioerr = sqlite(ffi::SQLITE_IOERR).localize(Lang::Zh);
        let ioerr_write = sqlite(ffi::SQLITE_IOERR_WRITE).localize(Lang::Zh);
        assert!(
            full.contains("磁盘已满") && !full.contains("读写错误"),
            "{full}"
        );
        assert!(
            ioerr.contains("磁盘读写错误") && !ioerr.contains("磁盘已满"),
            "{ioerr}"
        );
        assert!(ioerr_write.contains("磁盘读写错误"), "{ioerr_write}");
        assert!(!ioerr_write.contains("disk I/O error"), "{ioerr_write}");
        let en = sqlite(ffi::SQLITE_FULL).localize(Lang::En);
        assert!(en.contains("disk is full"), "{en}");

        // The same split for errors of the file system itself (ENOSPC, EDQUOT vs EIO).
        for raw in [28, 122] {
            let text = io(raw).localize(Lang::Zh);
            assert!(text.contains("磁盘已满"), "{raw}: {text}");
        }
        let eio = io(5).localize(Lang::Zh);
        assert!(
            !eio.contains("磁盘已满") && eio.contains("无法读写"),
            "{eio}"
        );
    }

    #[test]
    fn a_read_only_ledger_says_so_instead_of_a_raw_sqlite_error() {
        let text = sqlite(ffi::SQLITE_READONLY).localize(Lang::Zh);
        assert!(text.contains("台账为只读"), "{text}");
        let named = StoreError::ReadOnlyLedger {
            path: PathBuf::from("/media/cdrom/ledger.sqlite"),
        };
        assert!(named.localize(Lang::Zh).contains("台账为只读"));
        assert!(named.localize(Lang::En).contains("read-only"));
    }

    #[test]
    fn a_cut_off_file_and_a_damaged_one_read_differently_from_a_foreign_file() {
        let path = PathBuf::from("/tmp/ledger.sqlite");
        let cut = StoreError::Truncated {
            path: path.clone(),
            size: 4096,
            expected: Some(8192),
        }
        .localize(Lang::Zh);
        let damaged = StoreError::Damaged {
            path: path.clone(),
            detail: "database disk image is malformed".into(),
        }
        .localize(Lang::Zh);
        let foreign = StoreError::NotALedger { path }.localize(Lang::Zh);
        assert!(cut.contains("不完整") && cut.contains("8192"), "{cut}");
        assert!(
            damaged.contains("已损坏") && damaged.contains("-wal"),
            "{damaged}"
        );
        assert!(foreign.contains("不是 taizhang 台账文件"), "{foreign}");
        assert!(
            !foreign.contains("不完整") && !cut.contains("不是"),
            "{foreign} / {cut}"
        );
    }

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(size_text(900), "900 B");
        assert_eq!(size_text(774_144), "756 KiB");
        assert_eq!(size_text(3 * 1024 * 1024 / 2), "1.5 MiB");
        assert_eq!(size_text(2_469_606_195), "2.3 GiB");
    }
}
