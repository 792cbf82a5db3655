//! Every string of the terminal interface, in Simplified Chinese and English: the frame,
//! lists and dashboard here; the record screens in [`record`], help, first run and drafts in
//! [`session`]; the names of actions for the hint bar and the help in [`keys`]; the sync
//! screen and importing in [`sync`]; taking in a unit's own sheet in [`sheet_import`]; the
//! city view in [`city`]; the awards page in [`awards`].

mod awards;
mod city;
mod keys;
mod outlook;
pub mod pool;
mod record;
mod session;
mod sheet_import;
mod sync;

pub use awards::*;
pub use city::*;
pub use keys::{action_long, action_short, context_title};
pub use outlook::*;
pub use record::*;
pub use session::*;
pub use sheet_import::*;
pub use sync::*;

use jiff::Timestamp;
use jiff::civil::Date;

use super::Lang;
use super::labels::{field_label, kind_label};
use crate::display::safe;
use crate::domain::RecordKind;
use crate::domain::progress::{AsOfSource, IndicatorProgress, ProgressStatus};
use crate::plan::{Area, Plan};
use crate::store::{ExportEntry, ReceiptEntry};
use crate::tr;
use crate::tui::app::{Note, Tab};

/// A time as clerks read it: Shuangyashan time, to the minute.
pub fn local_time(at: Timestamp) -> String {
    crate::clock::minute(at)
}

pub fn please_enlarge(lang: Lang, width: u16, height: u16) -> String {
    tr!(
        lang,
        "窗口太小（{width}x{height}）。请把终端窗口放大到至少 80 列 x 24 行；放大前按键不起作用，按 q 退出（未保存的表单留作草稿）。",
        "The window is too small ({width}x{height}). Please enlarge the terminal to at least 80 columns x 24 rows; until then keys do nothing, q quits (an unsaved form is kept as a draft)."
    )
}

pub fn area_name(lang: Lang, area: &Area) -> String {
    match lang {
        Lang::Zh => area.name_zh.clone(),
        Lang::En => area.name_en.clone(),
    }
}

/// A unit's name from its code (the code itself if the plan does not know it).
pub fn unit_name(lang: Lang, plan: &Plan, code: &str) -> String {
    let area = plan
        .unit(code)
        .or_else(|| (plan.city.code == code).then_some(&plan.city));
    let name = area.map_or_else(|| code.to_string(), |a| area_name(lang, a));
    tr!(lang, "{name}（{code}）", "{name} ({code})")
}

pub fn header(lang: Lang, unit: &str) -> String {
    if unit.is_empty() {
        tr!(lang, "台账 taizhang", "taizhang ledger")
    } else {
        tr!(lang, "台账 · {unit}", "Ledger · {unit}")
    }
}

/// The header's reminder of the help and language keys, as they work where the clerk is
/// (`None` where no key opens the help).
pub fn header_right(lang: Lang, help: Option<&str>, toggle: Option<&str>) -> String {
    let help = help.map(|keys| tr!(lang, "帮助 {keys}", "Help {keys}"));
    let toggle = toggle.map(|keys| tr!(lang, "English: {keys}", "中文: {keys}"));
    [help, toggle]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("  ")
}

pub fn tab_label(lang: Lang, tab: Tab) -> String {
    match tab {
        Tab::Dashboard => tr!(lang, "总览", "Home"),
        Tab::Kind(kind) => short_kind(lang, kind),
    }
}

/// A kind's name short enough for tabs and the progress table (all seven tabs fit in 80
/// columns).
pub fn short_kind(lang: Lang, kind: RecordKind) -> String {
    match kind {
        RecordKind::TechSme => tr!(lang, "入库科企", "Tech SME"),
        RecordKind::HighTech => tr!(lang, "高新企业", "High-tech"),
        RecordKind::RndInstitution => tr!(lang, "研发机构", "R&D"),
        RecordKind::Incubator => tr!(lang, "孵化载体", "Incubator"),
        RecordKind::Alliance => tr!(lang, "产业联盟", "Alliance"),
        RecordKind::Achievement => tr!(lang, "科技成果", "Transfer"),
    }
}

/// The heading of a list's date column.
pub fn date_column(lang: Lang, kind: RecordKind) -> String {
    match lang {
        Lang::Zh => field_label(kind.key_date_field(), lang).to_string(),
        Lang::En => "Date".to_string(),
    }
}

pub fn kind_title(lang: Lang, kind: RecordKind) -> String {
    let label = kind_label(kind, lang);
    tr!(lang, "{label}台账", "{label} records")
}

pub fn note(lang: Lang, note: &Note) -> String {
    match note {
        Note::Saved {
            name,
            warnings,
            counts_in,
        } => {
            let name = safe(name);
            // Which year the record counts in goes first: the name may be cut at the edge.
            let saved = match counts_in {
                None => tr!(lang, "已保存：{name}", "Saved: {name}"),
                Some((year, measured)) => tr!(
                    lang,
                    "已保存，计入 {year} 年（总览看的是 {measured} 年）：{name}",
                    "Saved; counts in {year} (the dashboard shows {measured}): {name}"
                ),
            };
            match warnings {
                0 => saved,
                n => tr!(
                    lang,
                    "{saved}（有 {n} 条提示，请核对）",
                    "{saved} ({n} warnings: please check)"
                ),
            }
        }
        Note::Voided { name } => {
            let name = safe(name);
            tr!(
                lang,
                "已作废：{name}（不再计入进度，可恢复）",
                "Voided: {name} (no longer counted; can be restored)"
            )
        }
        Note::Restored { name } => {
            let name = safe(name);
            tr!(lang, "已恢复：{name}", "Restored: {name}")
        }
        Note::NotSaved { problems } => tr!(
            lang,
            "未保存：有 {problems} 处需要修改，见各栏下方的说明。",
            "Not saved: {problems} things to fix, explained under the fields."
        ),
        Note::ConfirmWarnings { warnings } => tr!(
            lang,
            "有 {warnings} 条提示，见各栏下方；核对无误请再按 Ctrl+S 保存。",
            "{warnings} warnings, shown under the fields; if all is right, press Ctrl+S again to save."
        ),
        Note::Cancelled => tr!(lang, "已放弃填写的内容。", "The form was discarded."),
        Note::NothingChanged => tr!(
            lang,
            "没有修改，已关闭表单。",
            "Nothing was changed; the form is closed."
        ),
        Note::DraftRestored => tr!(
            lang,
            "已恢复上次未保存的表单，请核对后按 Ctrl+S 保存。",
            "The unsaved form is back: check it and press Ctrl+S to save."
        ),
        Note::DraftDiscarded => tr!(lang, "草稿已丢弃。", "The draft was thrown away."),
        Note::DraftKept => tr!(
            lang,
            "草稿已保留，下次启动时会再次提示。新开表单会替换它。",
            "The draft is kept and offered again next time. A new form replaces it."
        ),
        Note::FormAlreadyOpen => tr!(
            lang,
            "已有一张表单正在填写，请先保存或取消它。",
            "A form is already open: save or cancel it first."
        ),
        Note::VoidedCannotEdit => tr!(
            lang,
            "已作废的记录不能修改，请先按 r 恢复。",
            "A voided record cannot be edited: restore it first with r."
        ),
        Note::AlreadyVoided => tr!(lang, "这条记录已经作废。", "This record is already voided."),
        Note::NotVoided => tr!(
            lang,
            "这条记录没有作废，无需恢复。",
            "This record is not voided."
        ),
        Note::ReasonRequired => tr!(lang, "请填写原因。", "Please give a reason."),
        Note::TooLong { max } => tr!(
            lang,
            "最多 {max} 个字，多出的字没有录入。",
            "At most {max} characters: the rest was not taken."
        ),
        Note::HowToLeaveForm => tr!(
            lang,
            "Ctrl+C 在表单中不起作用：按 Ctrl+S 保存，按 Esc 或 Ctrl+Q 放弃并离开表单。",
            "Ctrl+C does nothing in a form: Ctrl+S saves, Esc or Ctrl+Q leaves it."
        ),
        Note::BadDate { given } => {
            let given = safe(given);
            tr!(
                lang,
                "“{given}”不是有效日期。",
                "\"{given}\" is not a valid date."
            )
        }
        Note::ChangedElsewhere => tr!(
            lang,
            "这条记录刚被他人修改，已显示最新内容，请核对后重试。",
            "Someone else just changed this record; the latest is shown. Check it and try again."
        ),
        Note::LedgerCreated => tr!(
            lang,
            "台账已建立。按 n 新建记录，按 ? 查看全部按键。",
            "The ledger is ready. Press n to add a record, ? for all keys."
        ),
        Note::ReadOnlyAtCity => read_only_banner(lang),
        Note::NoCreditCode => tr!(
            lang,
            "这条记录没有统一社会信用代码，无法汇总成企业页。",
            "This record carries no credit code: there is no firm page to gather."
        ),
        Note::NoFirmRecords => tr!(
            lang,
            "台账中还没有这家企业的有效记录（培育库中的企业入库或认定后才有）。",
            "The ledger holds no active record of this firm yet (a pool firm has one once registered or certified)."
        ),
        Note::PickUnitForTrend => tr!(
            lang,
            "请先在附件2表中选一个单位，再按 g 看它的进度曲线。",
            "Select a unit in the Annex 2 table first, then press g for its chart."
        ),
        Note::PathRequired => tr!(
            lang,
            "请填写文件或文件夹的路径。",
            "Please type a file or folder path."
        ),
        Note::Exported { sequence } => tr!(
            lang,
            "第 {sequence} 号同步包已写入并核验，可以拔下U盘了。",
            "Bundle {sequence} was written and verified; the stick can be removed."
        ),
        Note::ExportFailed => tr!(
            lang,
            "同步包没有导出，原因见上方“结果”框。",
            "The bundle was not exported: the Outcome box above says why."
        ),
        Note::ReceiptRecorded { sequence } => tr!(
            lang,
            "已导入回执：市科技局已收到本单位第 {sequence} 号同步包。",
            "Receipt imported: the city holds this unit's bundle {sequence}."
        ),
        Note::ReceiptRefused => tr!(
            lang,
            "没有导入回执，原因见上方“结果”框。",
            "No receipt was imported: the Outcome box above says why."
        ),
        Note::ReportWritten { path } => {
            let path = safe(path);
            tr!(lang, "报表已写出：{path}", "Workbook written: {path}")
        }
        Note::ReportFailed => tr!(
            lang,
            "报表没有写出，原因见上方“结果”框。",
            "The workbook was not written: the Outcome box above says why."
        ),
        Note::ImportCancelled => tr!(
            lang,
            "已取消，没有导入任何内容。",
            "Cancelled: nothing was imported."
        ),
        Note::Imported { imported, refused } => tr!(
            lang,
            "导入完成：导入 {imported} 个同步包，拒收 {refused} 个。",
            "Import done. Bundles imported: {imported}; refused: {refused}."
        ),
        Note::RefusalsNotLogged {
            imported,
            refused,
            why,
        } => {
            let why = safe(why.get(lang));
            tr!(
                lang,
                "导入完成：导入 {imported} 个同步包，拒收 {refused} 个。警告：拒收情况未能记入台账（{why}），市级待办中不会列出，请另行记下。",
                "Import done. Bundles imported: {imported}; refused: {refused}. Warning: the refusals could not be noted in the ledger ({why}); the city's worklist will not list them, so note them down."
            )
        }
        Note::SheetImported { inserted, rejected } => {
            sheet_imported_note(lang, *inserted, *rejected)
        }
        Note::SheetRefused => sheet_refused_note(lang),
        Note::AwardRecorded(text)
        | Note::AwardNotHere(text)
        | Note::PoolChanged(text)
        | Note::PoolRefused(text) => text.get(lang).to_string(),
        Note::VoucherRequired => voucher_required(lang),
        Note::Failed(text) => safe(text.get(lang)).into_owned(),
    }
}

/// The title of the box a message too long for the message line opens.
pub fn note_box_title(lang: Lang) -> String {
    tr!(lang, "消息", "Message")
}

pub fn search_label(lang: Lang) -> String {
    tr!(lang, "搜索:", "Search:")
}

pub fn search_placeholder(lang: Lang) -> String {
    tr!(
        lang,
        "按 / 输入名称或信用代码",
        "press / for name or credit code"
    )
}

pub fn voided_toggle(lang: Lang, shown: bool) -> String {
    match shown {
        true => tr!(lang, "x 含已作废:是", "x voided: shown"),
        false => tr!(lang, "x 含已作废:否", "x voided: hidden"),
    }
}

pub fn list_range(lang: Lang, first: usize, count: usize, total: u64) -> String {
    if count == 0 {
        return tr!(lang, "共 {total} 条", "{total} in all");
    }
    let from = first + 1;
    let to = first + count;
    tr!(
        lang,
        "第 {from}-{to} 条，共 {total} 条",
        "{from}-{to} of {total}"
    )
}

pub fn list_empty(lang: Lang, include_voided: bool) -> String {
    if include_voided {
        tr!(
            lang,
            "还没有记录。按 n 新建。",
            "No records yet. Press n to add one."
        )
    } else {
        tr!(
            lang,
            "没有有效记录。按 n 新建，按 x 显示已作废的记录。",
            "No active records. Press n to add one, x to show voided ones."
        )
    }
}

pub fn no_match(lang: Lang, search: &str) -> String {
    let search = safe(search.trim());
    tr!(
        lang,
        "没有名称或信用代码含“{search}”的记录。",
        "No record whose name or credit code contains \"{search}\"."
    )
}

/// `measured_on` is the day the figures are for: past the plan's end, its last day.
pub fn as_of_heading(lang: Lang, as_of: Date, source: AsOfSource, measured_on: Date) -> String {
    let why = match source {
        AsOfSource::Given if as_of > measured_on => tr!(
            lang,
            "（计划已于 {measured_on} 结束，为最终数字）",
            " (plan ended {measured_on}: final figures)"
        ),
        AsOfSource::Given => tr!(lang, "（指定日期）", " (date given)"),
        AsOfSource::Today => tr!(lang, "（今天）", " (today)"),
        AsOfSource::PlanEnd => tr!(
            lang,
            "（计划已结束，截止日最终数字）",
            " (plan over: final figures)"
        ),
    };
    tr!(
        lang,
        "任务进度，截至 {as_of}{why}",
        "Progress as of {as_of}{why}"
    )
}

pub fn progress_title(lang: Lang) -> String {
    tr!(lang, "附件2 任务完成情况", "Annex 2 quota")
}

pub fn progress_columns(lang: Lang) -> [String; 8] {
    let cols = match lang {
        Lang::Zh => [
            "指标",
            "目标",
            "完成",
            "完成率",
            "进度",
            "应完成",
            "状态",
            "记录数",
        ],
        Lang::En => [
            "Indicator",
            "Goal",
            "Done",
            "Pct",
            "Progress",
            "Due",
            "Status",
            "Records",
        ],
    };
    cols.map(str::to_string)
}

pub fn status(lang: Lang, status: ProgressStatus) -> String {
    match status {
        ProgressStatus::Ahead => tr!(lang, "超前", "ahead"),
        ProgressStatus::OnTrack => tr!(lang, "按期", "on track"),
        ProgressStatus::Behind => tr!(lang, "滞后", "behind"),
    }
}

pub fn plan_period(lang: Lang, start: Date, end: Date, over: bool) -> String {
    if over {
        tr!(
            lang,
            "计划期 {start} 至 {end}，计划已结束。",
            "Plan period {start} to {end}; the plan is over."
        )
    } else {
        tr!(
            lang,
            "计划期 {start} 至 {end}，计划进行中。",
            "Plan period {start} to {end}; the plan is running."
        )
    }
}

pub fn record_totals(lang: Lang, active: u64, voided: u64) -> String {
    tr!(
        lang,
        "台账记录：有效 {active} 条，已作废 {voided} 条。",
        "Records: {active} active, {voided} voided."
    )
}

/// The last sync bundle written.
pub fn last_export(lang: Lang, export: Option<&ExportEntry>) -> String {
    match export {
        Some(e) => {
            let (seq, records, at) = (e.sequence, e.records, local_time(e.at));
            tr!(
                lang,
                "上次导出同步包：第 {seq} 号，{records} 条记录，{at}",
                "Last sync bundle: no. {seq}, {records} records, {at}"
            )
        }
        None => tr!(
            lang,
            "上次导出同步包：尚未导出（按 u 导出）",
            "Last sync bundle: none exported yet (u exports)"
        ),
    }
}

/// What the city's last receipt says it holds of the unit, and since when.
pub fn city_receipt(lang: Lang, receipt: Option<&ReceiptEntry>) -> String {
    match receipt {
        Some(r) => {
            let (seq, records, at) = (r.sequence, r.records, local_time(r.imported_at));
            tr!(
                lang,
                "市科技局回执：已收到第 {seq} 号同步包（{records} 条记录），{at} 导入",
                "City receipt: it holds no. {seq} ({records} records), imported {at}"
            )
        }
        None => tr!(
            lang,
            "市科技局回执：尚未收到",
            "City receipt: none received yet"
        ),
    }
}

pub fn dashboard_help(lang: Lang) -> String {
    tr!(
        lang,
        "d 改日期  t 今天  1-6 各类记录  n 新建  u U盘同步  w 待办  g 曲线  p 培育库",
        "d date  t today  1-6 records  n new  u USB sync  w worklist  g chart  p pool"
    )
}

/// The message line while the terminal or the locale is not UTF-8 (typed Chinese is lost):
/// how to set the SSH client. It fits one line at 80 columns; the README has the menus.
pub fn not_utf8(lang: Lang, found: &crate::tui::encoding::NotUtf8) -> String {
    use crate::tui::encoding::NotUtf8;
    match found {
        NotUtf8::Terminal(_) => tr!(
            lang,
            "终端编码不是 UTF-8，中文会丢失。请在 PuTTY/Xshell/SecureCRT 中把编码设为 UTF-8",
            "The terminal is not UTF-8: Chinese is lost. Set PuTTY/Xshell/SecureCRT to UTF-8."
        ),
        NotUtf8::Locale(_) => tr!(
            lang,
            "语言环境不是 UTF-8：终端编码设为 UTF-8，并 export LANG=zh_CN.UTF-8",
            "The locale is not UTF-8: set the terminal to UTF-8 and export LANG=zh_CN.UTF-8."
        ),
    }
}

/// Under a prompt that offers a text (a date, a folder), while it is still as offered.
pub fn offered_hint(lang: Lang) -> String {
    tr!(
        lang,
        "直接输入即替换；先按方向键、Home、End 或退格则可修改。",
        "Typing replaces it; arrows, Home, End or Backspace edit it."
    )
}

pub fn as_of_prompt_title(lang: Lang) -> String {
    tr!(lang, "统计日期", "Measure progress on")
}

pub fn date_forms_hint(lang: Lang) -> String {
    tr!(
        lang,
        "可写 2023-04-01、2023/4/1、2023.4.1 或 2023年4月1日",
        "Write 2023-04-01, 2023/4/1, 2023.4.1 or 2023年4月1日"
    )
}

/// The dashboard's line on an indicator with a floor or growth (high-tech), short enough
/// for 80 columns.
pub fn floor_and_growth_short(lang: Lang, ind: &IndicatorProgress) -> Option<String> {
    let name = short_kind(lang, ind.key);
    let mut parts = Vec::new();
    if let Some(g) = ind.growth {
        let (b, e1, year) = (g.baseline, g.first_year_expected, g.first_year_end.year());
        parts.push(tr!(
            lang,
            "基数 {b} 家，{year} 年末应 {e1} 家",
            "base {b}, {e1} due end-{year}"
        ));
    }
    if let Some(f) = ind.floor {
        let (floor, target) = (f.floor, ind.target);
        let status = crate::i18n::messages::floor_status_label(lang, f.status);
        parts.push(tr!(
            lang,
            "确保 {floor} 家、力争 {target} 家：{status}",
            "floor {floor}, target {target}: {status}"
        ));
    }
    if parts.is_empty() {
        return None;
    }
    let body = match lang {
        Lang::Zh => parts.join("；"),
        Lang::En => parts.join("; "),
    };
    Some(tr!(lang, "{name}：{body}", "{name}: {body}"))
}

/// The dashboard's line on an indicator counted per year (tech SMEs): the plan sets only
/// its last year, and each year's count.
pub fn yearly_short(lang: Lang, plan_end: Date, ind: &IndicatorProgress) -> Option<String> {
    if ind.yearly.is_empty() {
        return None;
    }
    let name = short_kind(lang, ind.key);
    let (year, target) = (plan_end.year(), ind.target);
    let counts = super::messages::yearly_counts(lang, ind, "");
    Some(tr!(
        lang,
        "{name}：计划只定 {year} 年（{target} 家）；各年：{counts}",
        "{name}: plan sets {year} only ({target}); per year: {counts}"
    ))
}
