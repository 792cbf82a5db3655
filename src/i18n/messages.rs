//! Command-line messages: what commands print on success, and their errors.

use std::path::Path;

use super::labels::{kind_label, status_label as record_status_label};
use super::{Lang, Localized};
use crate::cli::CliError;
use crate::domain::progress::{
    AsOfSource, FloorStatus, IndicatorProgress, ProgressStatus, UnitProgress,
};
use crate::domain::{AuditAction, AuditEntry, Record, RecordKind};
use crate::tr;
use jiff::civil::Date;

pub fn ledger_created(lang: Lang, unit_name: &str, code: &str, path: &Path) -> String {
    let path = crate::display::path(path);
    tr!(
        lang,
        "已创建{unit_name}（{code}）台账：{path}",
        "Created the ledger of {unit_name} ({code}): {path}"
    )
}

/// `init` made the folders the new ledger lives in.
pub fn folders_created(lang: Lang, folders: &[std::path::PathBuf]) -> String {
    let list: Vec<String> = folders
        .iter()
        .map(|f| crate::display::path(f).to_string())
        .collect();
    let list = list.join(tr!(lang, "、", ", ").as_str());
    tr!(lang, "已新建文件夹：{list}", "Created the folders: {list}")
}

/// `init` found an unfinished ledger (an interrupted `init` of an older version) and
/// replaced it.
pub fn unfinished_ledger_replaced(lang: Lang, path: &Path) -> String {
    let path = crate::display::safe(&path.display().to_string()).into_owned();
    tr!(
        lang,
        "{path} 处是上次没有建完的台账文件（没有单位信息和记录），已替换为新台账。",
        "{path} held an unfinished ledger (no unit and no records), left by an interrupted init; it was replaced by the new ledger."
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

/// Above the records of one entity over its upgrades and renamings.
pub fn level_history_heading(lang: Lang) -> String {
    tr!(
        lang,
        "级别沿革（升级、更名后仍是同一主体，只计一次）",
        "Level history (upgraded or renamed, still one entity, counted once)"
    )
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

/// One history line: time, who, what, and for a field change `label：old → new` (choices by
/// their labels).
pub fn audit_line(lang: Lang, kind: RecordKind, e: &AuditEntry) -> String {
    let at = crate::clock::minute(e.at);
    let action = action_label(lang, e.action);
    let rev = e.revision;
    let actor = &e.actor;
    let change = match (&e.field, e.action) {
        (Some(field), AuditAction::Edit) => format!(
            " {}",
            super::labels::field_change(lang, kind, field, e.old.as_deref(), e.new.as_deref())
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
    let why = as_of_reason(lang, p.as_of, p.as_of_source, p.measured_on);
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
    let path = crate::display::path(path);
    tr!(
        lang,
        "已在单位 {unit} 的台账中生成 {count} 条示例记录：{path}",
        "Added {count} synthetic records to the ledger of unit {unit}: {path}"
    )
}

/// What was typed wrong, one issue a line, each said by `say`.
fn invalid_text(
    lang: Lang,
    issues: &[crate::domain::FieldIssue],
    say: impl Fn(&crate::domain::FieldIssue) -> String,
) -> String {
    let head = tr!(
        lang,
        "未保存，请修改以下内容后重试：",
        "Not saved. Please fix the following and try again:"
    );
    let lines: Vec<String> = issues
        .iter()
        .map(|i| format!("  - {}", crate::display::safe(&say(i))))
        .collect();
    format!("{head}\n{}", lines.join("\n"))
}

impl Localized for CliError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            CliError::Invalid { issues } => invalid_text(lang, issues, |i| i.localize(lang)),
            CliError::PoolInvalid { issues } => {
                invalid_text(lang, issues, |i| super::pool::issue_text(i, lang))
            }
            CliError::Store(e) => e.localize(lang),
            CliError::Plan(e) => e.localize(lang),
            CliError::Account(e) => e.localize(lang),
            CliError::Bundle(e) => e.localize(lang),
            CliError::Sheet(e) => e.localize(lang),
            CliError::ImportIncomplete { files, refused } => tr!(
                lang,
                "{files} 个文件中有 {refused} 个未导入（原因见上）；其余已处理。",
                "{refused} of {files} files were not imported (reasons above); the others were handled."
            ),
            CliError::UnitOrCity => tr!(
                lang,
                "请在 --unit 单位代码 与 --city 之间选一个。",
                "Give either --unit CODE or --city."
            ),
            CliError::DemoFolderNotEmpty { path } => {
                let path = crate::display::path(path);
                tr!(
                    lang,
                    "文件夹 {path} 不是空的；演示需要一个新的空文件夹。",
                    "The folder {path} is not empty; the demonstration needs a new, empty folder."
                )
            }
            CliError::UnknownFigure { given, valid } => {
                let given = crate::display::safe(given);
                let list = valid.join("、");
                tr!(
                    lang,
                    "没有名为 “{given}” 的全市数据。可填报：{list}（见 taizhang figure list）。",
                    "There is no city figure `{given}`. The plan's figures are: {list} (see taizhang figure list)."
                )
            }
            CliError::FigureYearOutsidePlan { year, first, last } => tr!(
                lang,
                "{year} 年不在计划期内（{first}—{last} 年）。",
                "{year} is outside the plan ({first}-{last})."
            ),
            CliError::BadFigureValue { given } => {
                let given = crate::display::safe(given);
                tr!(
                    lang,
                    "“{given}”不是数值。请只写数字，可带万或亿，如 520亿、3,000万、0.45。",
                    "\"{given}\" is not a number. Write digits, optionally with 万 or 亿, such as 520亿, 3,000万 or 0.45."
                )
            }
            CliError::NeedsCity => tr!(
                lang,
                "此操作只能在市级台账上进行（taizhang init --city 建立）。",
                "This works on the city ledger only (made with taizhang init --city)."
            ),
            CliError::CityIsNotAUnit { given } => {
                let given = crate::display::safe(given);
                tr!(
                    lang,
                    "“{given}”是市本级，不是县区单位。市科技局的台账请用 `taizhang init --city` 创建。",
                    "\"{given}\" is the city itself, not a unit. Create the city office's ledger with `taizhang init --city`."
                )
            }
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
            CliError::NoFirm { given } => {
                super::outlook::no_firm_named(lang, &crate::display::safe(given))
            }
            CliError::WhichFirm { given, options } => {
                super::outlook::which_firm(lang, &crate::display::safe(given), options)
            }
            CliError::FirmWithoutCode { given, names } => super::outlook::firm_without_code(
                lang,
                &crate::display::safe(given),
                &names
                    .iter()
                    .map(|n| crate::display::safe(n).into_owned())
                    .collect::<Vec<_>>(),
            ),
            CliError::NoFirmRecords { code } => {
                super::outlook::no_firm_records(lang, &crate::display::safe(code))
            }
            CliError::NoAward { id, name } => {
                let name = crate::display::safe(name);
                tr!(
                    lang,
                    "记录 {id}（{name}）没有可批准或拨付的奖补：它不在计划期内，或不符合任何奖补条款。未记录。用 `taizhang awards` 查看应享的项目。",
                    "Record {id} ({name}) has no award to approve or pay: it is outside the plan period or meets no award rule. Nothing was recorded. Use `taizhang awards` to see what is owed."
                )
            }
            CliError::WhichAward { id, options } => {
                let list: Vec<String> = options
                    .iter()
                    .map(|(key, name, year)| format!("  --rule {key} --year {year}  {name}"))
                    .collect();
                let list = list.join("\n");
                tr!(
                    lang,
                    "记录 {id} 有多项奖补，请用 --rule 和 --year 指明哪一项，未记录：\n{list}",
                    "Record {id} has several awards; say which with --rule and --year. Nothing was recorded:\n{list}"
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
            CliError::PoolNothingToChange => super::pool::cli::nothing_to_change(lang),
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
            CliError::ReadInput { path, source } => {
                let path = crate::display::path(path);
                let reason = super::os_errors::io_cause(lang, source);
                tr!(
                    lang,
                    "无法读取 {path}：{reason}",
                    "Cannot read {path}: {reason}"
                )
            }
            CliError::NoDataDir => tr!(
                lang,
                "找不到本机的数据目录，请用 --db 或环境变量 TAIZHANG_DB 指定台账文件。",
                "No data directory found on this machine: give the ledger file with --db or TAIZHANG_DB."
            ),
            CliError::Tui(e) => e.localize(lang),
            CliError::PlanLacksUnit { .. } | CliError::PlanOfOtherCity { .. } => {
                super::plan_in_force::refusal(self, lang)
            }
            CliError::Output { reason } => tr!(
                lang,
                "无法输出结果：{reason}",
                "Cannot write the output: {reason}"
            ),
            CliError::WriteOutput(source) => {
                let reason = super::os_errors::io_cause(lang, source);
                tr!(
                    lang,
                    "无法输出结果：{reason}",
                    "Cannot write the output: {reason}"
                )
            }
            CliError::CheckFailed { problems } => tr!(
                lang,
                "台账检查未通过：发现 {problems} 处问题（见上）。",
                "The ledger check failed: {problems} problems (listed above)."
            ),
        }
    }
}

pub fn public_key(lang: Lang, hex: &str, fingerprint: &str) -> String {
    tr!(
        lang,
        "公钥：{hex}\n指纹：{fingerprint}（电话核对时念这一串）",
        "Public key: {hex}\nFingerprint: {fingerprint} (read this out to check over the phone)"
    )
}

pub fn export_done(lang: Lang, done: &crate::bundle::export::ExportDone) -> String {
    let path = crate::display::path(&done.path);
    let (seq, count, fp) = (done.sequence, done.records, &done.fingerprint);
    tr!(
        lang,
        "已写入并核验同步包：{path}\n序号 {seq}，{count} 条记录，签名指纹 {fp}。可以拔下U盘了。",
        "Bundle written and verified: {path}\nSequence {seq}, {count} records, signed by {fp}. The stick can be removed."
    )
}

pub fn key_enrolled(
    lang: Lang,
    who: &str,
    fingerprint: &str,
    already: bool,
    replaced: Option<&str>,
) -> String {
    match (already, replaced) {
        (true, _) => tr!(
            lang,
            "{who} 的公钥早已登记（指纹 {fingerprint}），未做改动。",
            "The key of {who} was already enrolled (fingerprint {fingerprint}); nothing changed."
        ),
        (false, Some(old)) => tr!(
            lang,
            "已将 {who} 的公钥由 {old} 更换为 {fingerprint}，已记入密钥记录。请与对方电话核对新指纹。",
            "Replaced the key of {who}: {old} -> {fingerprint} (recorded in the key history). Check the new fingerprint by phone."
        ),
        (false, None) => tr!(
            lang,
            "已登记 {who} 的公钥，指纹 {fingerprint}。请与对方电话核对这串指纹。",
            "Enrolled the key of {who}, fingerprint {fingerprint}. Check this fingerprint with them by phone."
        ),
    }
}

pub fn import_done(lang: Lang, file: &str, report: &crate::store::ImportReport) -> String {
    let e = &report.entry;
    let c = &report.counts;
    let (unit, seq) = (&e.unit, e.sequence);
    let (new, changed, unchanged, voided) = (c.new, c.changed, c.unchanged, c.voided);
    let done = tr!(
        lang,
        "已导入 {file}：单位 {unit} 第 {seq} 号同步包，新增 {new}，修改 {changed}，未变 {unchanged}，作废 {voided}。",
        "Imported {file}: unit {unit} bundle {seq}: {new} new, {changed} changed, {unchanged} unchanged, {voided} voided."
    );
    let done = match report.award_events {
        Some(n) if n > 0 => format!("{done} {}", award_events_imported(lang, unit, n)),
        _ => done,
    };
    let done = match report.pool_entries {
        Some(n) if n > 0 => format!("{done} {}", super::pool::entries_imported(lang, unit, n)),
        _ => done,
    };
    if report.retired == 0 {
        return done;
    }
    format!("{done} {}", retired_line(lang, unit, report.retired))
}

/// A bundle's award events taken at the city.
pub fn award_events_imported(lang: Lang, unit: &str, n: u64) -> String {
    let unit = crate::display::safe(unit);
    tr!(
        lang,
        "同步包带有单位 {unit} 的奖补批准和拨付记录 {n} 条，已替换此前收到的。",
        "The bundle carried {n} award approvals and payments of unit {unit}, which replaced those received before."
    )
}

/// What a dry run says of a bundle's award events.
pub fn dry_run_award_events(lang: Lang, unit: &str, n: u64) -> String {
    let unit = crate::display::safe(unit);
    tr!(
        lang,
        "另：同步包带有单位 {unit} 的奖补批准和拨付记录 {n} 条，导入时将替换市科技局此前收到的该单位记录。",
        "Also: the bundle carries {n} award approvals and payments of unit {unit}; importing it would replace those the city received from the unit before."
    )
}

/// The first bundle of a unit's new ledger (new key) retired the old ledger's records.
pub fn retired_line(lang: Lang, unit: &str, retired: u64) -> String {
    let unit = crate::display::safe(unit);
    tr!(
        lang,
        "这是单位 {unit} 新台账（新密钥）的第一个同步包：市科技局持有的该单位旧台账中、新台账没有的 {retired} 条记录已作废（原因：由本单位新台账取代），不再计数，仍保留在历史中。",
        "This is the first bundle of unit {unit}'s new ledger (new key): the {retired} records the city held from the unit's old ledger that the new one does not carry were voided (reason: superseded by the unit's new ledger); they no longer count and stay in the history."
    )
}

/// What a dry run of a new ledger's first bundle would retire.
pub fn dry_run_retiring(lang: Lang, unit: &str, retiring: u64) -> String {
    let unit = crate::display::safe(unit);
    tr!(
        lang,
        "另：这是单位 {unit} 新台账（新密钥）的第一个同步包，导入时将作废市科技局持有的该单位旧台账记录 {retiring} 条（新台账中没有的），这些记录不再计数，仍保留在历史中。",
        "Also: this is the first bundle of unit {unit}'s new ledger (new key); importing it would void {retiring} records the city holds from the unit's old ledger (those the new one does not carry); they would stop counting and stay in the history."
    )
}

pub fn import_already_held(lang: Lang, file: &str, unit: &str, sequence: u64) -> String {
    tr!(
        lang,
        "{file}：单位 {unit} 第 {sequence} 号同步包此前已导入，未做改动。",
        "{file}: bundle {sequence} of unit {unit} is already held; nothing changed."
    )
}

pub fn import_refused(lang: Lang, file: &str, reason: &str) -> String {
    tr!(
        lang,
        "未导入 {file}：{reason}",
        "Not imported {file}: {reason}"
    )
}

/// The bundles just refused could not be noted in the ledger's log of refusals: they were
/// still refused (each said why), but the city's worklist will not list them.
pub fn refusals_not_logged(lang: Lang, why: &dyn Localized) -> String {
    let why = why.localize(lang);
    tr!(
        lang,
        "警告：拒收情况未能记入台账（{why}），市级待办中不会列出上面拒收的同步包，请另行记下。",
        "Warning: the refusals could not be noted in the ledger ({why}); the city's worklist will not list the bundles refused above, so note them down."
    )
}

pub fn dry_run_heading(lang: Lang, file: &str, unit: &str, sequence: u64) -> String {
    tr!(
        lang,
        "{file}：单位 {unit} 第 {sequence} 号同步包（试导入，未写入任何内容）",
        "{file}: unit {unit} bundle {sequence} (dry run: nothing written)"
    )
}

fn import_action_label(lang: Lang, action: &crate::store::ImportAction) -> String {
    use crate::store::ImportAction;
    match action {
        ImportAction::New => tr!(lang, "新增", "new"),
        ImportAction::Changed => tr!(lang, "修改", "changed"),
        ImportAction::Unchanged => tr!(lang, "未变", "unchanged"),
        ImportAction::Voided => tr!(lang, "作废", "voided"),
        ImportAction::Refused(refusal) => {
            let why = refusal.localize(lang);
            tr!(lang, "拒收（{why}）", "refused ({why})")
        }
    }
}

pub fn dry_run_line(
    lang: Lang,
    id: &uuid::Uuid,
    name: &str,
    action: &crate::store::ImportAction,
) -> String {
    let label = import_action_label(lang, action);
    let name = crate::display::safe(name);
    format!("{label:<6} {id}  {name}")
}

pub fn dry_run_summary(lang: Lang, summary: &crate::bundle::DryRunSummary) -> String {
    let crate::store::ImportCounts {
        new,
        changed,
        unchanged,
        voided,
    } = summary.counts;
    let refused = summary.refused;
    tr!(
        lang,
        "合计：新增 {new}，修改 {changed}，未变 {unchanged}，作废 {voided}，拒收 {refused}",
        "Total: {new} new, {changed} changed, {unchanged} unchanged, {voided} voided, {refused} refused"
    )
}

/// What a long export or import is doing, for a progress line: the stage, the share done and
/// the count, and the file when there are several.
pub fn progress_line(lang: Lang, file: Option<&str>, progress: crate::bundle::Progress) -> String {
    use crate::bundle::Stage;
    let stage = match progress.stage {
        Stage::Checking => tr!(lang, "检查记录", "checking records"),
        Stage::Writing => tr!(lang, "写入U盘", "writing to the stick"),
        Stage::ReadingBack => tr!(lang, "读回核对", "reading back"),
        Stage::Verifying => tr!(lang, "核对签名", "checking the signature"),
        Stage::Importing => tr!(lang, "导入记录", "importing records"),
        Stage::TryingImport => tr!(lang, "试导入", "trying the import"),
    };
    let percent = (progress.ratio() * 100.0).floor() as u32;
    let (done, total) = (progress.done.min(progress.total), progress.total);
    let count = match progress.stage {
        Stage::Verifying => format!("{} / {} MiB", done >> 20, total >> 20),
        _ => format!("{done} / {total}"),
    };
    match file {
        Some(file) => format!("{file}  {stage} {percent:>3}%  {count}"),
        None => format!("{stage} {percent:>3}%  {count}"),
    }
}

pub fn receipt_written(lang: Lang, done: &crate::bundle::receipt::ReceiptDone) -> String {
    let path = crate::display::path(&done.path);
    let (unit, seq, count) = (&done.unit, done.sequence, done.records);
    let written = tr!(
        lang,
        "已写入回执：{path}\n告知单位 {unit}：市科技局已收到其第 {seq} 号同步包（{count} 条记录）。",
        "Receipt written: {path}\nIt tells unit {unit} the city holds its bundle {seq} ({count} records)."
    );
    if done.award_events == 0 {
        return written;
    }
    let n = done.award_events;
    let more = tr!(
        lang,
        "回执还带有市科技局对该单位记录的奖补批准和拨付记录 {n} 条。",
        "It also carries the city's {n} award approvals and payments for the unit's records."
    );
    format!("{written}\n{more}")
}

pub fn receipt_imported(lang: Lang, r: &crate::store::ReceiptEntry) -> String {
    let (seq, count, at) = (r.sequence, r.records, crate::clock::minute(r.imported_at));
    tr!(
        lang,
        "已记录回执：市科技局持有本单位第 {seq} 号同步包（{count} 条记录，{at} 导入）。",
        "Receipt recorded: the city holds this unit's bundle {seq} ({count} records, imported {at})."
    )
}

/// The ranking rule in words, written from the plan file's `[ranking]` table.
pub fn ranking_rule(lang: Lang, rule: &crate::plan::RankingRule) -> String {
    use crate::plan::{RankingScore, RankingTie};
    let title = match lang {
        Lang::Zh => crate::display::safe(&rule.title_zh).into_owned(),
        Lang::En => crate::display::safe(&rule.title_en).into_owned(),
    };
    let against = match rule.score {
        RankingScore::CompletionAgainstExpected => tr!(
            lang,
            "完成数 ÷ 截至统计日应完成数（应完成为 0 的按完成计）",
            "achieved / expected by the date (nothing expected counts as complete)"
        ),
        RankingScore::CompletionAgainstQuota => tr!(
            lang,
            "完成数 ÷ 附件2 任务数（任务为 0 的按完成计）",
            "achieved / the Annex 2 quota (no quota counts as complete)"
        ),
    };
    let ties: Vec<String> = rule
        .ties
        .iter()
        .map(|t| match t {
            RankingTie::IndicatorsAtExpected => tr!(
                lang,
                "达到应完成进度的指标数多者",
                "more indicators at or above expected"
            ),
            RankingTie::EntitiesAchieved => {
                tr!(lang, "完成总数多者", "more entities achieved in all")
            }
        })
        .collect();
    let ties = match lang {
        Lang::Zh => ties.join("、"),
        Lang::En => ties.join(", then "),
    };
    let ties = if rule.ties.is_empty() {
        tr!(
            lang,
            "得分相同时按附件2顺序。",
            "equal scores keep the Annex 2 order."
        )
    } else {
        tr!(
            lang,
            "得分相同时依次按{ties}在前，再按附件2顺序。",
            "equal scores go to {ties}, then the Annex 2 order."
        )
    };
    tr!(
        lang,
        "{title}规则：得分 = 各项指标完成率的平均值，完成率 = {against}，每项最高按 100% 计；{ties}",
        "{title} rule: score = mean of the indicators' completion, completion = {against}, each capped at 100%; {ties}"
    )
}

/// Why the figures are for this date; past the plan's end, that they are the final figures
/// as of its last day (`measured_on`).
pub fn as_of_reason(
    lang: Lang,
    as_of: jiff::civil::Date,
    source: AsOfSource,
    measured_on: jiff::civil::Date,
) -> String {
    match source {
        AsOfSource::Given if as_of > measured_on => tr!(
            lang,
            "（指定日期；计划已于 {measured_on} 结束，以下为截至该日的最终数字）",
            " (date given; the plan ended on {measured_on}: final figures as of that day)"
        ),
        AsOfSource::Given => tr!(lang, "（指定日期）", " (date given)"),
        AsOfSource::Today => tr!(lang, "（今天）", " (today)"),
        AsOfSource::PlanEnd => tr!(
            lang,
            "（计划已结束，以下为截至计划截止日的最终数字）",
            " (the plan is over: final figures as of its end date)"
        ),
    }
}

pub fn city_heading(
    lang: Lang,
    as_of: jiff::civil::Date,
    source: AsOfSource,
    measured_on: jiff::civil::Date,
) -> String {
    let why = as_of_reason(lang, as_of, source, measured_on);
    tr!(
        lang,
        "双鸭山市三年行动计划目标完成情况（附件2），截至 {as_of}{why}",
        "Shuangyashan three-year plan, Annex 2 targets, as of {as_of}{why}"
    )
}

pub fn unit_column(lang: Lang) -> String {
    tr!(lang, "单位", "Unit")
}

pub fn total_row(lang: Lang) -> String {
    tr!(lang, "全市合计", "City total")
}

pub fn annex_done_title(lang: Lang) -> String {
    tr!(
        lang,
        "完成/目标 完成率（全市合计中同一企业只计一次）",
        "Achieved/target and percent (the city total counts each firm once)"
    )
}

pub fn annex_expected_title(lang: Lang) -> String {
    tr!(lang, "应完成进度与状态", "Expected by the date, and status")
}

pub fn ranking_heading(lang: Lang) -> String {
    tr!(lang, "单位排名", "Ranking of the units")
}

pub fn ranking_columns(lang: Lang) -> Vec<String> {
    match lang {
        Lang::Zh => ["名次", "单位", "得分", "达进度项", "完成总数"],
        Lang::En => ["Rank", "Unit", "Score", "At pace", "Achieved"],
    }
    .iter()
    .map(|s| s.to_string())
    .collect()
}

pub fn claims_heading(lang: Lang, count: usize) -> String {
    tr!(
        lang,
        "同一日期被多个单位计入的主体（同一指标、同一主体）：{count} 个；全市合计只计一次",
        "Entities counted by more than one unit on the date (same indicator, same entity): {count}; the city total counts each once"
    )
}

/// How a claimed entity is credited to one unit; `*` marks the credited claim.
pub fn claim_rule(lang: Lang) -> String {
    tr!(
        lang,
        "计入规则：归信用代码第 3—8 位所示的单位，否则归日期较早的记录，同日按录入先后；* 为计入单位。",
        "Credited to the unit named by credit code positions 3-8, else to the earlier record, then the first entered; * = credited."
    )
}

pub fn freshness_heading(lang: Lang, days: i64) -> String {
    tr!(
        lang,
        "各单位最近一次同步（超过 {days} 天未报的标 ! ）",
        "Each unit's latest bundle (units silent for over {days} days are marked !)"
    )
}

pub fn freshness_line(lang: Lang, unit: &str, sequence: u64, made: &str, silent: bool) -> String {
    let mark = if silent { "! " } else { "  " };
    tr!(
        lang,
        "{mark}{unit}：第 {sequence} 号，{made} 导出",
        "{mark}{unit}: bundle {sequence}, exported {made}"
    )
}

pub fn freshness_never(lang: Lang, unit: &str) -> String {
    tr!(
        lang,
        "! {unit}：尚未收到同步包",
        "! {unit}: no bundle received yet"
    )
}

pub fn import_log_heading(lang: Lang, count: usize) -> String {
    tr!(
        lang,
        "导入记录（共 {count} 次，最新在前）",
        "Import log ({count}, newest first)"
    )
}

pub fn import_log_line(
    lang: Lang,
    unit: &str,
    sequence: u64,
    made: &str,
    imported: &str,
    c: &crate::store::ImportCounts,
    retired: u64,
) -> String {
    let (new, changed, unchanged, voided) = (c.new, c.changed, c.unchanged, c.voided);
    let line = tr!(
        lang,
        "{imported}  {unit} 第 {sequence} 号（{made} 导出）：新增 {new}，修改 {changed}，未变 {unchanged}，作废 {voided}",
        "{imported}  {unit} bundle {sequence} (exported {made}): {new} new, {changed} changed, {unchanged} unchanged, {voided} voided"
    );
    if retired == 0 {
        return line;
    }
    let more = tr!(
        lang,
        "；新台账取代旧台账，作废旧记录 {retired}",
        "; new ledger: {retired} old records retired"
    );
    format!("{line}{more}")
}

pub fn city_demo_done(lang: Lang, dir: &Path, city: &Path) -> String {
    let dir = crate::display::path(dir);
    let city = crate::display::path(city);
    tr!(
        lang,
        "演示已建好：{dir}\n  units/  九个单位的台账（已录入示例记录、已导出同步包、已收到回执）\n  usb/    “U盘”：各单位的同步包和市科技局的回执\n  city.sqlite  市级台账（已登记九个单位的公钥并导入全部同步包）\n查看全市情况：taizhang --db {city} progress --by-unit",
        "Demonstration ready: {dir}\n  units/  nine unit ledgers (sample records, bundles exported, receipts received)\n  usb/    the \"USB stick\": the units' bundles and the city's receipts\n  city.sqlite  the city ledger (the nine keys enrolled, every bundle imported)\nSee the city view: taizhang --db {city} progress --by-unit"
    )
}

pub fn floor_status_label(lang: Lang, status: FloorStatus) -> String {
    match status {
        FloorStatus::BelowFloor => tr!(lang, "未达确保数", "below floor"),
        FloorStatus::FloorMet => tr!(lang, "已达确保数", "floor met"),
        FloorStatus::TargetMet => tr!(lang, "已达力争目标", "target met"),
    }
}

/// The plan's own rules for an indicator with a floor or growth over a baseline (high-tech),
/// and where the area stands: one sentence under the progress table.
pub fn floor_and_growth_line(
    lang: Lang,
    name: &str,
    plan_end: Date,
    ind: &IndicatorProgress,
) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(g) = ind.growth {
        let (on, b, p, e1) = (
            g.baseline_on,
            g.baseline,
            g.first_year_percent,
            g.first_year_expected,
        );
        let year = g.first_year_end.year();
        parts.push(tr!(
            lang,
            "基数（{on} 台账中有效的）{b} 家；{year} 年末应有 {e1} 家（净增 {p}%，且不少于按直线进度），此后逐年增加",
            "baseline {b} (valid in the ledger on {on}); {e1} expected by the end of {year} (a net increase of {p}%, and no less than the straight-line share), rising every year after"
        ));
    }
    if let Some(f) = ind.floor {
        let (floor, target, achieved) = (f.floor, ind.target, ind.achieved);
        let year = plan_end.year();
        let status = floor_status_label(lang, f.status);
        parts.push(tr!(
            lang,
            "{year} 年末确保 {floor} 家、力争 {target} 家；现有 {achieved} 家，{status}",
            "by the end of {year} a floor of {floor} (确保) and a target of {target} (力争); now {achieved}: {status}"
        ));
    }
    if parts.is_empty() {
        return None;
    }
    let body = match lang {
        Lang::Zh => parts.join("；"),
        Lang::En => parts.join("; "),
    };
    Some(tr!(lang, "{name}：{body}。", "{name}: {body}."))
}

/// Each year's count of an indicator counted per year: `2021 年 2 家，2022 年 1 家`
/// (`measure_zh` after each Chinese count, none when empty) or `2021: 2, 2022: 1`.
pub fn yearly_counts(lang: Lang, ind: &IndicatorProgress, measure_zh: &str) -> String {
    let counts: Vec<String> = ind
        .yearly
        .iter()
        .map(|y| {
            let (yr, n) = (y.year, y.count);
            match lang {
                Lang::Zh if measure_zh.is_empty() => format!("{yr} 年 {n}"),
                Lang::Zh => format!("{yr} 年 {n} {measure_zh}"),
                Lang::En => format!("{yr}: {n}"),
            }
        })
        .collect();
    match lang {
        Lang::Zh => counts.join("，"),
        Lang::En => counts.join(", "),
    }
}

/// For an indicator counted per year (tech SMEs): that the plan sets only its last year's
/// figure, and each year's count.
pub fn yearly_line(
    lang: Lang,
    name: &str,
    plan_end: Date,
    ind: &IndicatorProgress,
) -> Option<String> {
    if ind.yearly.is_empty() {
        return None;
    }
    let (year, target) = (plan_end.year(), ind.target);
    let counts = yearly_counts(lang, ind, "家");
    Some(tr!(
        lang,
        "{name}：计划只规定 {year} 年的数量（{target} 家，入库每年重新登记）；各年入库：{counts}。",
        "{name}: the plan sets only the {year} figure ({target}; registrations are renewed each year); registered per year: {counts}."
    ))
}

/// Which fields of a record a bundle changes at the city: `改动：企业规模、备注`.
pub fn changed_fields(lang: Lang, keys: &[String]) -> String {
    let names: Vec<&str> = keys
        .iter()
        .map(|key| super::labels::field_label(key, lang))
        .collect();
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    let names = names.join(sep);
    tr!(lang, "改动：{names}", "changes: {names}")
}
