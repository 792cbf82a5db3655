//! Command-line messages: what commands print on success, and their errors.

use std::path::Path;

use super::labels::{field_label, kind_label, status_label as record_status_label};
use super::{Lang, Localized};
use crate::cli::CliError;
use crate::domain::progress::{AsOfSource, ProgressStatus, UnitProgress};
use crate::domain::{AuditAction, AuditEntry, Record};
use crate::tr;

pub fn ledger_created(lang: Lang, unit_name: &str, code: &str, path: &Path) -> String {
    let path = path.display();
    tr!(
        lang,
        "已创建{unit_name}（{code}）台账：{path}",
        "Created the ledger of {unit_name} ({code}): {path}"
    )
}

pub fn record_changed(lang: Lang, r: &Record) -> String {
    let id = r.id;
    let rev = r.revision;
    let status = record_status_label(r.status, lang);
    tr!(
        lang,
        "{id} 版本 {rev}（{status}）",
        "{id} revision {rev} ({status})"
    )
}

pub fn record_heading(lang: Lang, r: &Record) -> String {
    let kind = kind_label(r.kind, lang);
    let id = r.id;
    let rev = r.revision;
    let status = record_status_label(r.status, lang);
    let unit = &r.unit;
    tr!(
        lang,
        "{kind}  {id}  单位 {unit}  {status}  版本 {rev}",
        "{kind}  {id}  unit {unit}  {status}  revision {rev}"
    )
}

pub fn void_reason_label(lang: Lang) -> String {
    tr!(lang, "作废原因", "Void reason")
}

pub fn history_heading(lang: Lang) -> String {
    tr!(lang, "修改记录", "History")
}

fn action_label(lang: Lang, action: AuditAction) -> String {
    match action {
        AuditAction::Create => tr!(lang, "新建", "created"),
        AuditAction::Edit => tr!(lang, "修改", "edited"),
        AuditAction::Void => tr!(lang, "作废", "voided"),
        AuditAction::Restore => tr!(lang, "恢复", "restored"),
    }
}

/// One history line: time, who, what, and for a field change `label: old → new`.
pub fn audit_line(lang: Lang, e: &AuditEntry) -> String {
    let at =
        e.at.to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(8)))
            .strftime("%Y-%m-%d %H:%M")
            .to_string();
    let action = action_label(lang, e.action);
    let rev = e.revision;
    let actor = &e.actor;
    let empty = tr!(lang, "（空）", "(empty)");
    let change = match (&e.field, e.action) {
        (Some(field), AuditAction::Edit) => format!(
            " {}: {} -> {}",
            field_label(field, lang),
            e.old.as_deref().unwrap_or(&empty),
            e.new.as_deref().unwrap_or(&empty)
        ),
        (None, AuditAction::Void) => format!(" {}", e.new.as_deref().unwrap_or("")),
        _ => String::new(),
    };
    tr!(
        lang,
        "{at}  {actor}  {action}（版本 {rev}）{change}",
        "{at}  {actor}  {action} (revision {rev}){change}"
    )
}

pub fn progress_heading(lang: Lang, unit_name: &str, code: &str, p: &UnitProgress) -> String {
    let as_of = p.as_of;
    let why = match p.as_of_source {
        AsOfSource::Given => tr!(lang, "（指定日期）", " (date given)"),
        AsOfSource::Today => tr!(lang, "（今天）", " (today)"),
        AsOfSource::PlanEnd => tr!(
            lang,
            "（计划已结束，按计划截止日统计）",
            " (the plan is over: counted on its end date)"
        ),
    };
    tr!(
        lang,
        "{unit_name}（{code}）任务进度，截至 {as_of}{why}",
        "Progress of {unit_name} ({code}) as of {as_of}{why}"
    )
}

pub fn progress_columns(lang: Lang) -> Vec<String> {
    match lang {
        Lang::Zh => ["指标", "目标", "完成", "完成率", "应完成", "状态"],
        Lang::En => [
            "Indicator",
            "Target",
            "Done",
            "Percent",
            "Expected",
            "Status",
        ],
    }
    .iter()
    .map(|s| s.to_string())
    .collect()
}

pub fn status_label(lang: Lang, status: ProgressStatus) -> &'static str {
    match (status, lang) {
        (ProgressStatus::Ahead, Lang::Zh) => "超前",
        (ProgressStatus::OnTrack, Lang::Zh) => "按期",
        (ProgressStatus::Behind, Lang::Zh) => "滞后",
        (ProgressStatus::Ahead, Lang::En) => "ahead",
        (ProgressStatus::OnTrack, Lang::En) => "on track",
        (ProgressStatus::Behind, Lang::En) => "behind",
    }
}

/// The prefix of a warning that did not stop the command.
pub fn warning_prefix(lang: Lang) -> String {
    tr!(lang, "提示：", "Warning: ")
}

pub fn demo_done(lang: Lang, count: u64, unit: &str, path: &Path) -> String {
    let path = path.display();
    tr!(
        lang,
        "已在单位 {unit} 的台账中生成 {count} 条示例记录：{path}",
        "Added {count} synthetic records to the ledger of unit {unit}: {path}"
    )
}

impl Localized for CliError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            CliError::Invalid { issues } => {
                let head = tr!(
                    lang,
                    "未保存，请修改以下内容后重试：",
                    "Not saved. Please fix the following and try again:"
                );
                let lines: Vec<String> = issues
                    .iter()
                    .map(|i| format!("  - {}", crate::display::safe(&i.localize(lang))))
                    .collect();
                format!("{head}\n{}", lines.join("\n"))
            }
            CliError::Store(e) => e.localize(lang),
            CliError::Plan(e) => e.localize(lang),
            CliError::UnknownUnit { given, valid } => {
                let list: Vec<String> = valid
                    .iter()
                    .map(|(code, name)| format!("  {code:<8}{name}"))
                    .collect();
                let list = list.join("\n");
                let given = crate::display::safe(given);
                tr!(
                    lang,
                    "没有代码为“{given}”的单位。可用的单位代码：\n{list}",
                    "There is no unit with code \"{given}\". Valid unit codes:\n{list}"
                )
            }
            CliError::UnknownKind { given } => {
                let given = crate::display::safe(given);
                let kinds: Vec<String> = crate::domain::RecordKind::ALL
                    .iter()
                    .map(|k| format!("  {}  {}", k.key(), kind_label(*k, lang)))
                    .collect();
                let kinds = kinds.join("\n");
                tr!(
                    lang,
                    "没有“{given}”这一类记录。可用的类别：\n{kinds}",
                    "There is no record kind \"{given}\". Kinds:\n{kinds}"
                )
            }
            CliError::UnknownLang { given } => {
                let given = crate::display::safe(given);
                tr!(
                    lang,
                    "不支持的语言“{given}”，请用 zh 或 en。",
                    "Unknown language \"{given}\": use zh or en."
                )
            }
            CliError::BadSet { arg } => {
                let arg = crate::display::safe(arg);
                tr!(
                    lang,
                    "“{arg}”格式不对：请写成 --set 字段=值，例如 --set name=某某科技有限公司。",
                    "\"{arg}\" is not key=value: write --set key=value, e.g. --set name=Acme."
                )
            }
            CliError::NothingToSet => tr!(
                lang,
                "没有要修改的内容：请用 --set 字段=值 指明修改。",
                "Nothing to change: give the changes with --set key=value."
            ),
            CliError::BadJson { reason } => {
                let reason = crate::display::safe(reason);
                tr!(
                    lang,
                    "JSON 内容无法读取（{reason}）。应为一个对象，如 {{\"name\": \"某某公司\"}}。",
                    "The JSON could not be read ({reason}). Expected one object, e.g. {{\"name\": \"Acme\"}}."
                )
            }
            CliError::BadDate { given } => {
                let given = crate::display::safe(given);
                tr!(
                    lang,
                    "“{given}”不是有效日期。可写成 2023-04-01、2023/4/1、2023.4.1 或 2023年4月1日。",
                    "\"{given}\" is not a valid date. Write 2023-04-01, 2023/4/1, 2023.4.1 or 2023年4月1日."
                )
            }
            CliError::ReadInput { path, reason } => {
                let path = path.display();
                tr!(
                    lang,
                    "无法读取 {path}：{reason}",
                    "Cannot read {path}: {reason}"
                )
            }
            CliError::DemoNotEmpty { records } => tr!(
                lang,
                "台账中已有 {records} 条记录；示例数据只能填入空台账。请用 --db 指定一个新文件。",
                "The ledger already holds {records} records; demo only fills an empty ledger. Give a new file with --db."
            ),
            CliError::NoDataDir => tr!(
                lang,
                "找不到本机的数据目录，请用 --db 或环境变量 TAIZHANG_DB 指定台账文件。",
                "No data directory found on this machine: give the ledger file with --db or TAIZHANG_DB."
            ),
            CliError::NoCommand => tr!(
                lang,
                "请给出命令，例如 taizhang progress；taizhang --help 列出全部命令。",
                "Give a command, e.g. taizhang progress; taizhang --help lists them all."
            ),
            CliError::Output { reason } => tr!(
                lang,
                "无法输出结果：{reason}",
                "Cannot write the output: {reason}"
            ),
        }
    }
}
