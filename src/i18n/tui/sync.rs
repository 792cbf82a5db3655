//! Strings of the unit's sync screen and of importing bundles at the city.

use super::local_time;
use crate::display::safe;
use crate::i18n::{Lang, Localized};
use crate::store::{ExportEntry, ImportAction, ReceiptEntry};
use crate::tr;

pub fn sync_title(lang: Lang) -> String {
    tr!(
        lang,
        "U盘同步：导出同步包、导入回执、写报表、导入表格",
        "USB sync: bundles, receipts, workbooks and sheets"
    )
}

pub fn sync_unit_box(lang: Lang) -> String {
    tr!(lang, "本单位", "This unit")
}

pub fn sync_outcome_box(lang: Lang) -> String {
    tr!(lang, "结果", "Outcome")
}

pub fn fingerprint_label(lang: Lang) -> String {
    tr!(lang, "签名指纹", "Key fingerprint")
}

pub fn fingerprint_value(lang: Lang, fingerprint: Option<&str>) -> String {
    match fingerprint {
        Some(fp) => tr!(
            lang,
            "{fp}（市科技局登记公钥时电话核对）",
            "{fp} (read it out to the city)"
        ),
        None => tr!(
            lang,
            "本台账没有签名密钥，无法导出",
            "this ledger has no signing key and cannot export"
        ),
    }
}

pub fn last_export_label(lang: Lang) -> String {
    tr!(lang, "上次导出", "Last export")
}

pub fn last_export_value(lang: Lang, export: Option<&ExportEntry>) -> String {
    match export {
        Some(e) => {
            let (seq, records, at) = (e.sequence, e.records, local_time(e.at));
            tr!(
                lang,
                "第 {seq} 号，{records} 条记录，{at}",
                "no. {seq}, {records} records, {at}"
            )
        }
        None => tr!(lang, "尚未导出", "none yet"),
    }
}

pub fn city_holds_label(lang: Lang) -> String {
    tr!(lang, "市科技局已收到", "The city holds")
}

pub fn city_holds_value(lang: Lang, receipt: Option<&ReceiptEntry>) -> String {
    match receipt {
        Some(r) => {
            let (seq, records, at) = (r.sequence, r.records, local_time(r.imported_at));
            tr!(
                lang,
                "第 {seq} 号，{records} 条记录，{at} 导入",
                "no. {seq}, {records} records, imported {at}"
            )
        }
        None => tr!(
            lang,
            "尚无回执（按 r 导入市科技局的回执）",
            "no receipt yet (r imports the city's receipt)"
        ),
    }
}

pub fn folder_label(lang: Lang) -> String {
    tr!(lang, "U盘文件夹", "USB folder")
}

pub fn file_label(lang: Lang) -> String {
    tr!(lang, "文件", "File")
}

pub fn sequence_label(lang: Lang) -> String {
    tr!(lang, "序号", "Sequence")
}

pub fn record_count_label(lang: Lang) -> String {
    tr!(lang, "记录数", "Records")
}

pub fn sync_explained(lang: Lang) -> String {
    tr!(
        lang,
        "按 e 把本单位的同步包写到U盘，写完会读回核验；U盘写满、只读或中途拔出时不会留下本台账不认识的文件（失败时序号可能跳过一个，无妨）。市科技局导入后会给回执：按 r 导入回执，总览页会显示市科技局已收到第几号。按 w 把可打印的台账报表（xlsx）写到U盘；按 t 导入本单位已有的 Excel/WPS 表格（先试导入，确认后才写入）。",
        "e writes the unit's bundle to the USB stick and reads it back to verify it; a full, read-only or pulled-out stick never leaves a file this ledger does not know (a failed export may skip a number, which is harmless). After importing, the city sends a receipt: r imports it, and the dashboard shows which bundle the city holds. w writes the printable ledger workbook (xlsx) to the stick; t takes in a sheet the unit already keeps in Excel/WPS (a dry run first, written only once confirmed)."
    )
}

pub fn exported_heading(lang: Lang) -> String {
    tr!(
        lang,
        "同步包已写入并核验，可以拔下U盘了。",
        "The bundle was written and verified; the stick can be removed."
    )
}

pub fn export_failed_heading(lang: Lang) -> String {
    tr!(lang, "同步包没有导出：", "The bundle was not exported:")
}

pub fn receipt_failed_heading(lang: Lang) -> String {
    tr!(lang, "没有导入回执：", "No receipt was imported:")
}

pub fn export_prompt_title(lang: Lang) -> String {
    tr!(lang, "导出同步包", "Export the bundle")
}

pub fn export_prompt(lang: Lang) -> String {
    tr!(
        lang,
        "写到哪个文件夹（U盘）？按 Enter 导出，Esc 取消。",
        "Which folder (the USB stick)? Enter exports, Esc cancels."
    )
}

pub fn report_prompt_title(lang: Lang) -> String {
    tr!(lang, "写出报表", "Write the workbook")
}

pub fn report_prompt(lang: Lang) -> String {
    tr!(
        lang,
        "写到哪个文件夹（U盘）？按 Enter 写出可打印的报表（xlsx），Esc 取消。",
        "Which folder (the USB stick)? Enter writes the printable workbook (xlsx), Esc cancels."
    )
}

pub fn report_written_heading(lang: Lang) -> String {
    tr!(
        lang,
        "报表已写出，可以打开打印：",
        "The workbook was written; open it to print:"
    )
}

pub fn report_failed_heading(lang: Lang) -> String {
    tr!(lang, "报表没有写出：", "The workbook was not written:")
}

pub fn receipt_prompt_title(lang: Lang) -> String {
    tr!(lang, "导入回执", "Import a receipt")
}

pub fn receipt_prompt(lang: Lang) -> String {
    tr!(
        lang,
        "回执文件（.tzr），或存放回执的文件夹？按 Enter 导入，Esc 取消。",
        "The receipt file (.tzr), or a folder holding receipts? Enter imports, Esc cancels."
    )
}

pub fn import_title(lang: Lang) -> String {
    tr!(lang, "导入各单位的同步包", "Import the units' bundles")
}

pub fn import_explained(lang: Lang) -> String {
    tr!(
        lang,
        "每个同步包先核验签名和内容，再逐条列出导入后会怎样（新增、修改、未变、作废、拒收），此时不写入任何内容；按 y 才正式导入。有问题的同步包整包拒收，台账保持原样。",
        "Each bundle's signature and contents are verified first; then every record is listed with what importing would do (new, changed, unchanged, voided, refused), writing nothing. Only y imports. A bundle with a problem is refused whole and the ledger stays as it was."
    )
}

pub fn import_prompt_title(lang: Lang) -> String {
    tr!(lang, "从哪里导入", "Import from")
}

pub fn import_prompt(lang: Lang) -> String {
    tr!(
        lang,
        "同步包文件（.tzb），或存放同步包的文件夹（U盘）？按 Enter 试导入。",
        "A bundle file (.tzb), or a folder holding bundles (the USB stick)? Enter shows what would change."
    )
}

/// The line above the dry run's findings.
pub fn review_summary(lang: Lang, files: usize, good: usize) -> String {
    let refused = files - good;
    tr!(
        lang,
        "试导入（尚未写入）：{files} 个文件，可导入 {good} 个，拒收 {refused} 个。按 y 导入，Esc 取消。",
        "Dry run, nothing written. Files: {files}; can be imported: {good}; refused: {refused}. y imports, Esc cancels."
    )
}

/// Under a dry run's records when only the first ones are listed.
pub fn more_records(lang: Lang, count: u64) -> String {
    tr!(
        lang,
        "……另有 {count} 条记录未逐条列出（见上方合计）",
        "... and {count} more records not listed one by one (see the totals above)"
    )
}

/// Under a bundle's changes: the records it leaves as the city holds them, not listed.
pub fn unchanged_folded(lang: Lang, count: u64) -> String {
    tr!(
        lang,
        "另有 {count} 条记录与市科技局所存相同，不逐条列出。",
        "{count} more records are as the city already holds them and are not listed."
    )
}

pub fn review_file(lang: Lang, file: &str, unit: &str, sequence: u64) -> String {
    let file = safe(file);
    tr!(
        lang,
        "{file}：{unit} 第 {sequence} 号同步包",
        "{file}: {unit}, bundle {sequence}"
    )
}

pub fn review_refused_file(lang: Lang, file: &str, reason: &str) -> String {
    let (file, reason) = (safe(file), safe(reason));
    tr!(
        lang,
        "{file}：整包拒收。{reason}",
        "{file}: refused whole. {reason}"
    )
}

/// A record's fate in a dry run, short enough for a column.
pub fn import_action(lang: Lang, action: &ImportAction) -> String {
    match action {
        ImportAction::New => tr!(lang, "新增", "new"),
        ImportAction::Changed => tr!(lang, "修改", "changed"),
        ImportAction::Unchanged => tr!(lang, "未变", "same"),
        ImportAction::Voided => tr!(lang, "作废", "voided"),
        ImportAction::Refused(_) => tr!(lang, "拒收", "refused"),
    }
}

/// Why a record would be refused.
pub fn import_refusal(lang: Lang, action: &ImportAction) -> Option<String> {
    match action {
        ImportAction::Refused(refusal) => Some(safe(&refusal.localize(lang)).into_owned()),
        _ => None,
    }
}

pub fn done_title(lang: Lang) -> String {
    tr!(
        lang,
        "导入结果（Esc 返回全市总览）",
        "What the import did (Esc goes back to the city view)"
    )
}
