//! Words and messages of the cultivation pool (培育库): the stages and statuses, what a
//! refused change says, a pool line a bundle may not carry, and the `pool` command's output.

use super::{Lang, Localized};
use crate::display::safe;
use crate::domain::pool::{PoolAction, PoolRefusal, PoolStage, PoolStatus};
use crate::domain::{FieldIssue, Problem};
use crate::tr;

pub mod check;

/// A stage's names, Chinese then English (both accepted where a clerk types a stage).
pub fn stage_names(stage: PoolStage) -> [&'static str; 2] {
    match stage {
        PoolStage::TechSme => ["科技型中小企业培育", "Tech SME cultivation"],
        PoolStage::HighTechCandidate => ["高新技术企业后备", "High-tech candidate"],
        PoolStage::GazelleCandidate => ["瞪羚企业后备", "Gazelle candidate"],
    }
}

pub fn stage_label(stage: PoolStage, lang: Lang) -> &'static str {
    let [zh, en] = stage_names(stage);
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

pub fn status_label(status: PoolStatus, lang: Lang) -> &'static str {
    match (status, lang) {
        (PoolStatus::Open, Lang::Zh) => "培育中",
        (PoolStatus::Open, Lang::En) => "Open",
        (PoolStatus::Achieved, Lang::Zh) => "已达成",
        (PoolStatus::Achieved, Lang::En) => "Achieved",
        (PoolStatus::Withdrawn, Lang::Zh) => "已退出",
        (PoolStatus::Withdrawn, Lang::En) => "Withdrawn",
    }
}

pub fn action_label(action: PoolAction, lang: Lang) -> &'static str {
    match (action, lang) {
        (PoolAction::Create, Lang::Zh) => "入库",
        (PoolAction::Create, Lang::En) => "added",
        (PoolAction::Edit, Lang::Zh) => "修改",
        (PoolAction::Edit, Lang::En) => "edited",
        (PoolAction::Achieve, Lang::Zh) => "达成",
        (PoolAction::Achieve, Lang::En) => "achieved",
        (PoolAction::Withdraw, Lang::Zh) => "退出",
        (PoolAction::Withdraw, Lang::En) => "withdrawn",
        (PoolAction::Reopen, Lang::Zh) => "重新培育",
        (PoolAction::Reopen, Lang::En) => "reopened",
    }
}

/// The label of a field of an entry (its history names them).
pub fn field_label(field: &str, lang: Lang) -> String {
    let (zh, en) = match field {
        "stage" => ("培育阶段", "Stage"),
        "target_on" => ("目标日期", "Target date"),
        "notes" => ("备注", "Notes"),
        "status" => ("状态", "Status"),
        "closed_on" => ("结束日期", "Closed on"),
        "close_reason" => ("结束原因", "Reason"),
        "achieved_by" => ("达成依据记录", "Achieving record"),
        "credit_code" => ("统一社会信用代码", "Credit code"),
        "name" => ("企业名称", "Firm"),
        "override_reason" => ("校验未通过说明", "Check override reason"),
        "created_by" => ("入库人", "Added by"),
        "updated_by" => ("修改人", "Updated by"),
        _ => return field.to_owned(),
    };
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// A value of a field as people read it: stages and statuses by name.
pub fn field_value(field: &str, value: &str, lang: Lang) -> String {
    let shown = match field {
        "stage" => PoolStage::from_key(value).map(|s| stage_label(s, lang)),
        "status" => PoolStatus::from_key(value).map(|s| status_label(s, lang)),
        _ => None,
    };
    shown.map_or_else(|| safe(value).into_owned(), str::to_owned)
}

impl Localized for PoolRefusal {
    fn localize(&self, lang: Lang) -> String {
        match self {
            PoolRefusal::NotFound { id } => {
                let id = safe(id);
                tr!(
                    lang,
                    "培育库中没有编号为 {id} 的企业。请用 `taizhang pool --all` 查看编号。",
                    "No pool entry {id}. `taizhang pool --all` lists the ids."
                )
            }
            PoolRefusal::AmbiguousId { prefix, count } => {
                let prefix = safe(prefix);
                tr!(
                    lang,
                    "编号 {prefix} 对应培育库中 {count} 家企业。请多写几位编号。",
                    "The id {prefix} matches {count} pool entries. Give more characters of the id."
                )
            }
            PoolRefusal::AlreadyOpen { existing, name } => {
                let name = safe(name);
                tr!(
                    lang,
                    "这家企业已在本单位培育库中培育（{name}，编号 {existing}），未保存。请修改那一条（`taizhang pool edit {existing}`），不要重复入库。",
                    "This firm is already being cultivated in the unit's pool ({name}, id {existing}); nothing was saved. Change that entry (`taizhang pool edit {existing}`) instead of adding it twice."
                )
            }
            PoolRefusal::NotOpen { id, status } => {
                let status = status_label(*status, lang);
                tr!(
                    lang,
                    "培育库企业 {id} 的状态是“{status}”，只有培育中的企业才能修改或结束，未保存。如需继续培育，请先 `taizhang pool reopen {id}`。",
                    "Pool entry {id} is {status}: only an open entry can be edited or closed; nothing was saved. To cultivate it again, run `taizhang pool reopen {id}` first."
                )
            }
            PoolRefusal::NotClosed { id } => tr!(
                lang,
                "培育库企业 {id} 仍在培育中，无需重新培育，未做任何改动。",
                "Pool entry {id} is still open; there is nothing to reopen. Nothing was changed."
            ),
            PoolRefusal::CityReadOnly => tr!(
                lang,
                "市级台账的培育库来自各单位的同步包，不能在市级台账上新增或修改。请由该单位修改后重新导出同步包。",
                "The city ledger's pool comes from the units' bundles and cannot be added to or changed here. The unit changes it and exports its next bundle."
            ),
            PoolRefusal::Conflict {
                id,
                expected,
                actual,
            } => tr!(
                lang,
                "培育库企业 {id} 已被他人修改（当前版本 {actual}，您基于版本 {expected}）。未保存。请重新查看（`taizhang pool show {id}`）后再修改。",
                "Pool entry {id} was changed by someone else (it is now at revision {actual}; you started from revision {expected}). Nothing was saved. Look at it again (`taizhang pool show {id}`) and redo your change."
            ),
        }
    }
}

/// What was typed wrong for a pool entry, as for a record, except that a credit code whose
/// check character fails names the `pool` command's own flag, `--override-reason` (a
/// record's form takes `--set override_reason=…`).
pub fn issue_text(issue: &FieldIssue, lang: Lang) -> String {
    match &issue.problem {
        Problem::CreditCodeCheck { expected, .. } => {
            let label = super::labels::field_label(&issue.field, lang);
            tr!(
                lang,
                "{label}：校验位应为 {expected}，请核对第 18 位；如确为早期试点代码，请用 --override-reason 写明校验未通过的原因。",
                "{label}: the check character should be {expected}; check the 18th character, or if this is a genuine early pilot code, give the reason with --override-reason \"...\"."
            )
        }
        _ => issue.localize(lang),
    }
}

/// The `pool` command's words.
pub mod cli {
    use super::super::Lang;
    use crate::tr;

    pub fn entry_columns(lang: Lang) -> [&'static str; 7] {
        match lang {
            Lang::Zh => [
                "编号",
                "统一社会信用代码",
                "企业名称",
                "培育阶段",
                "目标日期",
                "状态",
                "备注",
            ],
            Lang::En => [
                "ID",
                "Credit code",
                "Firm",
                "Stage",
                "Target date",
                "Status",
                "Notes",
            ],
        }
    }

    pub fn count_columns(lang: Lang) -> [&'static str; 7] {
        match lang {
            Lang::Zh => [
                "单位",
                "科技型中小企业培育",
                "高新技术企业后备",
                "瞪羚企业后备",
                "培育中合计",
                "已达成",
                "已退出",
            ],
            Lang::En => [
                "Unit",
                "Tech SME",
                "High-tech cand.",
                "Gazelle cand.",
                "Open in all",
                "Achieved",
                "Withdrawn",
            ],
        }
    }

    /// [`count_columns`] short enough for a table on an 80-column screen.
    pub fn count_columns_short(lang: Lang) -> [&'static str; 7] {
        match lang {
            Lang::Zh => [
                "单位",
                "科技型中小",
                "高新后备",
                "瞪羚后备",
                "培育中",
                "已达成",
                "已退出",
            ],
            Lang::En => count_columns(lang),
        }
    }

    /// One line of an entry's history: when, who, what, at which revision, and each field's
    /// change.
    pub fn history_line(lang: Lang, change: &crate::domain::pool::PoolChange) -> String {
        let at = crate::clock::minute(change.at);
        let action = super::action_label(change.action, lang);
        let empty = match lang {
            Lang::Zh => "（空）",
            Lang::En => "(empty)",
        };
        let fields: Vec<String> = change
            .changes
            .iter()
            .map(|c| {
                let shown = |v: &Option<String>| {
                    v.as_deref()
                        .map(|v| super::field_value(&c.field, v, lang))
                        .unwrap_or_else(|| empty.to_owned())
                };
                let label = super::field_label(&c.field, lang);
                let (old, new) = (shown(&c.old), shown(&c.new));
                tr!(lang, "{label}：{old} → {new}", "{label}: {old} → {new}")
            })
            .collect();
        let detail = match (fields.is_empty(), lang) {
            (true, _) => String::new(),
            (false, Lang::Zh) => format!("：{}", fields.join("；")),
            (false, Lang::En) => format!(": {}", fields.join("; ")),
        };
        let rev = change.revision;
        let actor = &change.actor;
        tr!(
            lang,
            "{at}  {actor}  {action}（版本 {rev}）{detail}",
            "{at}  {actor}  {action} (revision {rev}){detail}"
        )
    }

    pub fn total_label(lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => "合计",
            Lang::En => "Total",
        }
    }

    pub fn heading(lang: Lang, all: bool) -> String {
        if all {
            tr!(
                lang,
                "培育库（全部，含已结束）：",
                "Cultivation pool (all entries, closed ones included):"
            )
        } else {
            tr!(
                lang,
                "培育库（培育中）：",
                "Cultivation pool (open entries):"
            )
        }
    }

    pub fn counts_heading(lang: Lang) -> String {
        tr!(
            lang,
            "各单位培育库（培育中的企业按阶段计数；不是任务指标）：",
            "Each unit's cultivation pool (open entries by stage; not a quota):"
        )
    }

    pub fn none(lang: Lang, all: bool) -> String {
        if all {
            tr!(
                lang,
                "培育库中还没有企业。用 `taizhang pool add 信用代码 --name 名称 --stage 阶段 --target 日期` 入库。",
                "The pool is empty. Add a firm with `taizhang pool add CODE --name NAME --stage STAGE --target DATE`."
            )
        } else {
            tr!(
                lang,
                "培育库中没有培育中的企业（`--all` 也列出已结束的）。",
                "No open entries in the pool (`--all` lists closed ones too)."
            )
        }
    }

    pub fn count_line(lang: Lang, n: usize) -> String {
        tr!(lang, "共 {n} 家。", "{n} in all.")
    }

    pub fn added(lang: Lang, id: &str) -> String {
        tr!(
            lang,
            "已加入培育库，编号 {id}",
            "Added to the pool, id {id}"
        )
    }

    pub fn edited(lang: Lang, id: &str, revision: i64) -> String {
        tr!(
            lang,
            "已修改培育库企业 {id}（版本 {revision}）",
            "Pool entry {id} changed (revision {revision})"
        )
    }

    pub fn unchanged(lang: Lang, id: &str) -> String {
        tr!(
            lang,
            "培育库企业 {id} 没有变化，未做任何改动。",
            "Pool entry {id} is unchanged; nothing was written."
        )
    }

    pub fn closed(lang: Lang, id: &str, status: &str) -> String {
        tr!(
            lang,
            "培育库企业 {id} 已结束：{status}",
            "Pool entry {id} closed: {status}"
        )
    }

    pub fn reopened(lang: Lang, id: &str) -> String {
        tr!(
            lang,
            "培育库企业 {id} 已重新培育",
            "Pool entry {id} is open again"
        )
    }

    pub fn achieved_by(lang: Lang, record: &str) -> String {
        tr!(
            lang,
            "由高新企业记录 {record} 达成",
            "achieved by high-tech record {record}"
        )
    }

    pub fn history_heading(lang: Lang) -> String {
        tr!(lang, "修改记录：", "History:")
    }

    pub fn revision_label(lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => "版本",
            Lang::En => "Revision",
        }
    }

    pub fn created_label(lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => "入库人",
            Lang::En => "Added by",
        }
    }

    pub fn unit_label(lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => "单位",
            Lang::En => "Unit",
        }
    }

    pub fn nothing_to_change(lang: Lang) -> String {
        tr!(
            lang,
            "没有要修改的内容：请给出 --stage、--target 或 --notes。",
            "Nothing to change: give --stage, --target or --notes."
        )
    }
}

/// A bundle's pool entries taken at the city.
pub fn entries_imported(lang: Lang, unit: &str, n: u64) -> String {
    let unit = safe(unit);
    tr!(
        lang,
        "同步包带有单位 {unit} 的培育库企业 {n} 家，已替换此前收到的。",
        "The bundle carried {n} cultivation pool entries of unit {unit}, which replaced those received before."
    )
}

/// What a dry run says of a unit's cultivation pool: how many entries (and how many open)
/// the city would hold for the unit after the import, and how many it holds now.
pub fn dry_run_entries(
    lang: Lang,
    unit: &str,
    now: crate::domain::pool::PoolTally,
    after: crate::domain::pool::PoolTally,
) -> String {
    let unit = safe(unit);
    let (n, open) = (after.entries, after.open);
    let (held, held_open) = (now.entries, now.open);
    tr!(
        lang,
        "另：导入后市级台账中单位 {unit} 的培育库将有企业 {n} 家（培育中 {open} 家），现有 {held} 家（培育中 {held_open} 家）；同步包带来的培育库将替换现有的。",
        "Also: after the import the city would hold {n} cultivation pool entries of unit {unit} ({open} open); it holds {held} now ({held_open} open). The bundle's pool replaces the one held."
    )
}

/// Why a pool entry line of a bundle (format 4) is refused, in the reader's words.
pub fn line_fault_text(fault: &crate::bundle::error::PoolLineFault, lang: Lang) -> String {
    use crate::bundle::error::PoolLineFault as F;
    match fault {
        F::OtherUnit { unit } => {
            let unit = safe(unit);
            tr!(
                lang,
                "它属于另一个单位（{unit}）",
                "it belongs to another unit ({unit})"
            )
        }
        F::Stage { stage } => {
            let stage = safe(stage);
            tr!(
                lang,
                "培育阶段“{stage}”无效",
                "its stage \"{stage}\" is not one the pool knows"
            )
        }
        F::Status { status } => {
            let status = safe(status);
            tr!(
                lang,
                "状态“{status}”无效",
                "its status \"{status}\" is not one the pool knows"
            )
        }
        F::CreditCode => tr!(
            lang,
            "统一社会信用代码无效或未规范化",
            "its credit code is not valid or not normalised"
        ),
        F::Text { field } => {
            let field = super::pool::field_label(field, lang);
            tr!(
                lang,
                "{field}为空、过长、含不允许的字符或未规范化",
                "its {field} is empty, too long, holds characters not allowed or is not normalised"
            )
        }
        F::Dates => tr!(
            lang,
            "日期不在 1949–2100 年之间，或结束日期与状态不符",
            "a date is outside 1949–2100, or its closing day does not fit its status"
        ),
        F::Closing => tr!(
            lang,
            "达成依据记录、结束原因与状态不符（退出须有原因，只有已达成的才有依据记录）",
            "its achieving record or reason does not fit its status (a withdrawal needs a reason; only an achieved entry names a record)"
        ),
        F::Revision => tr!(lang, "版本号小于 1", "its revision is below 1"),
        F::OpenTwice => tr!(
            lang,
            "同一家企业有两条培育中的记录",
            "the same firm is open twice"
        ),
        F::Twice => tr!(lang, "同一编号出现了两次", "the same id appears twice"),
        F::OutOfOrder => tr!(lang, "没有按编号顺序排列", "it is not in id order"),
    }
}
