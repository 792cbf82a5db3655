//! Strings of the record screens: one record and its history, the form, and the
//! questions a save or a cancel asks.

use jiff::Timestamp;

use super::date_forms_hint;
use super::local_time;
use crate::display::safe;
use crate::domain::{AuditAction, AuditEntry, FieldType, RecordKind};
use crate::i18n::Lang;
use crate::i18n::labels::field_change;
use crate::tr;

pub fn status_and_revision(lang: Lang, status: &str, revision: i64) -> String {
    tr!(
        lang,
        "{status} · 版本 {revision}",
        "{status} · revision {revision}"
    )
}

pub fn void_reason_label(lang: Lang) -> String {
    tr!(lang, "作废原因", "Void reason")
}

pub fn created_label(lang: Lang) -> String {
    tr!(lang, "录入", "Created")
}

pub fn updated_label(lang: Lang) -> String {
    tr!(lang, "最后修改", "Last changed")
}

pub fn who_when(lang: Lang, actor: &str, at: Timestamp) -> String {
    let at = local_time(at);
    let actor = safe(actor);
    tr!(lang, "{actor}，{at}", "{actor}, {at}")
}

pub fn history_heading(lang: Lang) -> String {
    tr!(lang, "修改记录（最新在前）", "History (newest first)")
}

/// The widest of the history's action words.
fn action_cols(lang: Lang) -> usize {
    [
        AuditAction::Create,
        AuditAction::Edit,
        AuditAction::Void,
        AuditAction::Restore,
    ]
    .into_iter()
    .map(|a| crate::display::width(&action_label(lang, a)))
    .max()
    .unwrap_or(0)
}

fn action_label(lang: Lang, action: AuditAction) -> String {
    match action {
        AuditAction::Create => tr!(lang, "新建", "created"),
        AuditAction::Edit => tr!(lang, "修改", "edited"),
        AuditAction::Void => tr!(lang, "作废", "voided"),
        AuditAction::Restore => tr!(lang, "恢复", "restored"),
    }
}

/// One history line: when, who, what, and for a field change `label: old -> new`. The
/// account is cut and padded to `actor_cols` columns so that the lines' columns align.
pub fn audit_line(lang: Lang, kind: RecordKind, e: &AuditEntry, actor_cols: usize) -> String {
    let at = local_time(e.at);
    let actor = crate::display::fit(&safe(&e.actor), actor_cols);
    let action = crate::display::fit(&action_label(lang, e.action), action_cols(lang));
    let rev = e.revision;
    let empty = tr!(lang, "（空）", "(empty)");
    let value = |v: &Option<String>| v.as_deref().map_or(empty.clone(), |v| safe(v).into_owned());
    let change = match (&e.field, e.action) {
        (Some(field), AuditAction::Edit) => {
            let change = field_change(lang, kind, field, e.old.as_deref(), e.new.as_deref());
            format!(" {}", safe(&change))
        }
        (None, AuditAction::Void) => format!(" {}", value(&e.new)),
        _ => String::new(),
    };
    tr!(
        lang,
        "{at}  {actor}  {action}（版本 {rev}）{change}",
        "{at}  {actor}  {action} (revision {rev}){change}"
    )
}

pub fn void_title(lang: Lang) -> String {
    tr!(lang, "作废记录", "Void the record")
}

pub fn void_question(lang: Lang) -> String {
    tr!(
        lang,
        "作废后这条记录不再计入进度，但仍保留在台账中，可以恢复。请填写作废原因，按 Enter 确认：",
        "A voided record stops counting but stays in the ledger and can be restored. Give the reason and press Enter:"
    )
}

pub fn restore_title(lang: Lang) -> String {
    tr!(lang, "恢复记录", "Restore the record")
}

pub fn restore_question(lang: Lang) -> String {
    tr!(
        lang,
        "恢复这条记录，使它重新计入进度？按 y 或 Enter 恢复，按 n 或 Esc 取消。",
        "Restore this record so that it counts again? y or Enter restores, n or Esc cancels."
    )
}

pub fn new_record_title(lang: Lang, kind: &str) -> String {
    tr!(
        lang,
        "新建记录 · {kind}    带 * 的为必填项",
        "New record · {kind}    * = required"
    )
}

pub fn edit_record_title(lang: Lang, kind: &str, name: &str, revision: i64) -> String {
    let name = safe(name);
    tr!(
        lang,
        "修改记录 · {kind} · {name}（版本 {revision}）",
        "Edit · {kind} · {name} (revision {revision})"
    )
}

pub fn newer_revision_banner(lang: Lang, revision: i64) -> String {
    tr!(
        lang,
        "注意：他人已把这条记录保存为版本 {revision}。保存时会请你选择保留哪个版本。",
        "Note: someone else saved this record as revision {revision}. Saving will ask which version to keep."
    )
}

pub fn field_error(lang: Lang, text: &str) -> String {
    tr!(lang, "错误：{text}", "Error: {text}")
}

pub fn field_warning(lang: Lang, text: &str) -> String {
    tr!(lang, "提示：{text}", "Note: {text}")
}

/// What the focused field takes, for clerks filling it for the first time.
pub fn field_hint(lang: Lang, ty: FieldType, key: &str) -> Option<String> {
    let hint = match ty {
        FieldType::Date => date_forms_hint(lang),
        FieldType::CreditCode => tr!(
            lang,
            "18 位，见营业执照；小写和全角字符会自动转换",
            "18 characters, as on the business licence; case and full-width are fixed for you"
        ),
        FieldType::RegNo => tr!(
            lang,
            "18 位，如 2023230521A8020396",
            "18 characters, e.g. 2023230521A8020396"
        ),
        FieldType::CertNo => tr!(lang, "如 GR202123000123", "e.g. GR202123000123"),
        FieldType::Choice(_) | FieldType::Bool => tr!(
            lang,
            "空格或左右键选择，数字键直接选第几项",
            "Space or Left/Right to choose, or the option's number"
        ),
        FieldType::Amount => tr!(
            lang,
            "单位：元，如 120000 或 1,200.50",
            "In yuan, e.g. 120000 or 1,200.50"
        ),
        FieldType::RecordRef => tr!(
            lang,
            "升级或更名时填原记录编号末 8 位，按同一主体只计一次",
            "If upgraded or renamed: the earlier record's last 8 id characters"
        ),
        FieldType::Text if key == crate::domain::OVERRIDE_REASON => tr!(
            lang,
            "信用代码校验未通过但确认无误时，写明原因",
            "Why a credit code that fails its check is right after all"
        ),
        FieldType::Text => return None,
    };
    Some(hint)
}

/// One earlier record of the same host offered while filling `supersedes`: its short id
/// (what to type), name and level.
pub fn upgrade_candidate(lang: Lang, record: &crate::domain::Record) -> String {
    let id = record.id.to_string();
    let short = &id[id.len().saturating_sub(8)..];
    let level = record
        .fields
        .get("level")
        .map(|l| crate::i18n::labels::choice_label(crate::domain::ChoiceSet::Level, l, lang))
        .unwrap_or("");
    let name = crate::display::safe(record.name());
    tr!(
        lang,
        "可填 {short}：{name}（{level}）",
        "{short}: {name} ({level})"
    )
}

pub fn cancel_title(lang: Lang) -> String {
    tr!(lang, "放弃填写？", "Discard the form?")
}

pub fn cancel_question(lang: Lang) -> String {
    tr!(
        lang,
        "填写的内容还没有保存，放弃后无法找回。按 y 放弃；按 n 或 Esc 继续填写。",
        "What you typed is not saved and cannot be recovered once discarded. y discards; n or Esc goes back to the form."
    )
}

pub fn duplicate_title(lang: Lang) -> String {
    tr!(lang, "台账中已有这条记录", "Already in the ledger")
}

pub fn duplicate_question(lang: Lang, kind: &str, existing: &str) -> String {
    let existing = safe(existing);
    tr!(
        lang,
        "台账中已有这条{kind}：“{existing}”，不能重复录入。按 o 或 Enter 打开已有记录（表单会保留），按 Esc 返回修改。",
        "The ledger already holds this {kind}: \"{existing}\"; it cannot be entered twice. o or Enter opens the existing record (this form is kept); Esc goes back to the form."
    )
}

pub fn override_title(lang: Lang) -> String {
    tr!(lang, "信用代码校验未通过", "Credit code fails its check")
}

pub fn override_question(lang: Lang, label: &str, value: &str, expected: char) -> String {
    let value = safe(value);
    tr!(
        lang,
        "{label}“{value}”的最后一位按国家标准应为 {expected}。请先核对营业执照；如确认无误（例如早期试点代码），请写明原因后按 Enter 保存，按 Esc 返回修改。",
        "By the national standard the last character of {label} \"{value}\" should be {expected}. Check the business licence; if the code is right (an early pilot code, say), give the reason and press Enter to save, or Esc to go back."
    )
}

pub fn conflict_title(lang: Lang) -> String {
    tr!(
        lang,
        "他人已修改这条记录",
        "Someone else changed this record"
    )
}

pub fn conflict_explained(lang: Lang, actor: &str, at: Timestamp, revision: i64) -> String {
    let at = local_time(at);
    let actor = safe(actor);
    tr!(
        lang,
        "{actor} 于 {at} 保存了版本 {revision}。不同之处标有 *：",
        "{actor} saved revision {revision} at {at}. Differences are marked *:"
    )
}

pub fn conflict_mine(lang: Lang) -> String {
    tr!(lang, "我的填写", "Mine")
}

pub fn conflict_theirs(lang: Lang) -> String {
    tr!(lang, "已保存的版本", "Saved version")
}

pub fn conflict_choices(lang: Lang) -> Vec<String> {
    vec![
        tr!(
            lang,
            " m  用我的填写覆盖已保存的版本",
            " m  save mine over the saved version"
        ),
        tr!(
            lang,
            " t  采用已保存的版本，放弃我的填写",
            " t  take the saved version, discard mine"
        ),
        tr!(
            lang,
            " e  回到表单，在新版本上继续修改",
            " e  back to the form, editing on top of the saved version"
        ),
        tr!(lang, " Esc 回到表单", " Esc back to the form"),
    ]
}
