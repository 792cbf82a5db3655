//! Words of the unit's ledger workbook: sheet names, titles, the line under them, the
//! columns that are not record fields, and the words in report file names.

use jiff::civil::Date;

use crate::domain::progress::AsOfSource;
use crate::i18n::{Lang, messages};
use crate::tr;

/// The name of the first sheet, the unit's progress.
pub fn progress_sheet(lang: Lang) -> String {
    tr!(lang, "进度", "Progress")
}

/// The title of the progress sheet.
pub fn progress_title(lang: Lang, unit_name: &str, as_of: Date) -> String {
    tr!(
        lang,
        "{unit_name}任务进度（截至 {as_of}）",
        "{unit_name}: progress as of {as_of}"
    )
}

/// The title of one kind's sheet.
pub fn kind_title(lang: Lang, unit_name: &str, kind_label: &str, as_of: Date) -> String {
    tr!(
        lang,
        "{unit_name}{kind_label}台账（截至 {as_of}）",
        "{unit_name}: {kind_label} ledger as of {as_of}"
    )
}

/// The line under a title: the plan, the unit's code, why this date, when it was made.
pub fn subtitle(
    lang: Lang,
    plan_title: &str,
    code: &str,
    as_of: Date,
    source: AsOfSource,
    measured_on: Date,
    made_on: Date,
) -> String {
    let why = messages::as_of_reason(lang, as_of, source, measured_on);
    let why = why.trim();
    tr!(
        lang,
        "{plan_title}　单位代码 {code}　统计日期 {as_of}{why}　制表日期 {made_on}",
        "{plan_title}. Unit code {code}. Figures as of {as_of} {why}. Made on {made_on}."
    )
}

/// The subtitle followed by what the sheet lists.
pub fn subtitle_and(lang: Lang, subtitle: &str, listed: &str) -> String {
    tr!(lang, "{subtitle}　{listed}", "{subtitle} {listed}")
}

/// What a kind's sheet lists, after the subtitle.
pub fn records_listed(lang: Lang, count: u64, voided: u64, include_voided: bool) -> String {
    if include_voided {
        tr!(
            lang,
            "共 {count} 条记录，其中已作废 {voided} 条（不计入进度）",
            "{count} records, of which {voided} voided (not counted)."
        )
    } else {
        tr!(
            lang,
            "共 {count} 条有效记录（已作废的记录未列入）",
            "{count} records in force (voided records are left out)."
        )
    }
}

/// The heading of the row-number column.
pub fn serial_column(lang: Lang) -> String {
    tr!(lang, "序号", "No.")
}

/// Shown under the header of a kind with no record.
pub fn no_records(lang: Lang) -> String {
    tr!(lang, "（无记录）", "(no records)")
}

/// The word naming a unit's ledger workbook in its file name (the same in both languages,
/// so the city office files them under one name).
pub const UNIT_FILE_WORD: &str = "台账";

/// The word naming the city's workbook in its file name.
pub const CITY_FILE_WORD: &str = "报表";
