//! Names of record kinds, fields, choices and statuses in both languages.

use super::Lang;
use crate::domain::{ChoiceSet, FieldType, Record, RecordKind, RecordStatus};

pub(crate) fn pick<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The kind's short name, as in Annex 2.
pub fn kind_label(kind: RecordKind, lang: Lang) -> &'static str {
    match kind {
        RecordKind::TechSme => pick(lang, "入库科企", "Tech SME"),
        RecordKind::HighTech => pick(lang, "高新企业", "High-tech enterprise"),
        RecordKind::RndInstitution => pick(lang, "研发机构", "R&D institution"),
        RecordKind::Incubator => pick(lang, "科技孵化载体", "Incubator"),
        RecordKind::Alliance => pick(lang, "产业联盟", "Industry alliance"),
        RecordKind::Achievement => pick(lang, "转化科技成果", "Transferred achievement"),
    }
}

/// A field's label on forms, in lists and in messages. Unknown keys are shown as given.
pub fn field_label(key: &str, lang: Lang) -> &str {
    let (zh, en) = match key {
        "name" => ("名称", "Name"),
        "credit_code" => ("统一社会信用代码", "Credit code"),
        "reg_no" => ("入库登记编号", "Registration no."),
        "registered_on" => ("入库日期", "Registered on"),
        "cert_no" => ("证书编号", "Certificate no."),
        "certified_on" => ("认定日期", "Certified on"),
        "recognition" => ("认定类型", "Recognition"),
        "size" => ("企业规模", "Size"),
        "host" => ("依托单位", "Host organisation"),
        "host_credit_code" => ("依托单位信用代码", "Host credit code"),
        "level" => ("级别", "Level"),
        "category" => ("类别", "Category"),
        "new_type" => ("新型研发机构", "New-type institution"),
        "recognized_on" => ("认定日期", "Recognised on"),
        "upgraded_from" => ("升级前级别", "Upgraded from"),
        "revoked_on" => ("撤销日期", "Revoked on"),
        "supersedes" => ("升级前记录", "Upgrades record"),
        "operator" => ("运营单位", "Operator"),
        "operator_credit_code" => ("运营单位信用代码", "Operator credit code"),
        "type" => ("载体类型", "Type"),
        "lead" => ("牵头单位", "Lead unit"),
        "lead_credit_code" => ("牵头单位信用代码", "Lead credit code"),
        "members" => ("成员单位", "Members"),
        "established_on" => ("成立日期", "Established on"),
        "title" => ("成果名称", "Title"),
        "owner" => ("成果持有方", "Owner"),
        "recipient" => ("承接方", "Recipient"),
        "recipient_credit_code" => ("承接方信用代码", "Recipient credit code"),
        "mode" => ("转化方式", "Mode"),
        "amount_yuan" => ("金额（元）", "Amount (yuan)"),
        "contract_no" => ("技术合同登记号", "Contract no."),
        "transferred_on" => ("转化日期", "Transferred on"),
        "tax_level" => ("税收入库级次", "Taxes paid at"),
        "provincial_subsidy_yuan" => ("省级后补助金额（元）", "Provincial post-subsidy (yuan)"),
        "city_grant_yuan" => ("市级认定补助（元）", "City recognition grant (yuan)"),
        "provincial_support_yuan" => ("省级支持金额（元）", "Provincial support (yuan)"),
        "notes" => ("备注", "Notes"),
        "stage" => ("培育阶段", "Stage"),
        "target_on" => ("目标日期", "Target date"),
        "close_reason" => ("结束原因", "Reason"),
        "override_reason" => ("校验未通过说明", "Check override reason"),
        "id" => ("编号", "ID"),
        "unit" => ("单位", "Unit"),
        "status" => ("状态", "Status"),
        "revision" => ("版本", "Revision"),
        "kind" => ("类别", "Kind"),
        "date" => ("日期", "Date"),
        "void_reason" => ("作废原因", "Void reason"),
        "actor" => ("操作人账户", "Account"),
        "created_by" => ("录入人", "Created by"),
        "updated_by" => ("修改人", "Updated by"),
        _ => return key,
    };
    pick(lang, zh, en)
}

/// The label of one option of a choice set; unknown keys are shown as given.
pub fn choice_label(set: ChoiceSet, key: &str, lang: Lang) -> &str {
    let (zh, en) = match (set, key) {
        (ChoiceSet::Recognition, "first") => ("首次认定", "First certification"),
        (ChoiceSet::Recognition, "renewal") => ("重新认定", "Re-certification"),
        (ChoiceSet::Size, "above") => ("规上", "Above designated size"),
        (ChoiceSet::Size, "below") => ("规下", "Below designated size"),
        (ChoiceSet::Level, "national") => ("国家级", "National"),
        (ChoiceSet::Level, "provincial") => ("省级", "Provincial"),
        (ChoiceSet::Level, "city") => ("市级", "City"),
        (ChoiceSet::IncubatorType, "incubator") => ("科技企业孵化器", "Incubator"),
        (ChoiceSet::IncubatorType, "maker_space") => ("众创空间", "Maker space"),
        (ChoiceSet::IncubatorType, "other") => ("其他孵化载体", "Other"),
        (ChoiceSet::TransferMode, "transfer") => ("转让", "Transfer"),
        (ChoiceSet::TransferMode, "license") => ("许可", "License"),
        (ChoiceSet::TransferMode, "equity") => ("作价投资", "Equity"),
        (ChoiceSet::TransferMode, "self") => ("自行实施", "Own use"),
        (ChoiceSet::TransferMode, "cooperation") => ("合作实施", "Cooperation"),
        (ChoiceSet::FiscalLevel, "county") => ("县（区）级", "County/district level"),
        (ChoiceSet::FiscalLevel, "city") => ("市级", "City level"),
        _ => return key,
    };
    pick(lang, zh, en)
}

/// Other Chinese spellings clerks use for a choice, accepted on input besides the label.
pub fn choice_aliases_zh(set: ChoiceSet, key: &str) -> &'static [&'static str] {
    match (set, key) {
        (ChoiceSet::Recognition, "first") => &["首次", "新认定"],
        (ChoiceSet::Recognition, "renewal") => &["复审", "重新"],
        (ChoiceSet::Size, "above") => &["规模以上"],
        (ChoiceSet::Size, "below") => &["规模以下"],
        (ChoiceSet::Level, "national") => &["国家"],
        (ChoiceSet::Level, "provincial") => &["省"],
        (ChoiceSet::Level, "city") => &["市"],
        (ChoiceSet::IncubatorType, "incubator") => &["孵化器"],
        (ChoiceSet::TransferMode, "equity") => &["入股"],
        (ChoiceSet::FiscalLevel, "county") => &["县(区)级", "县级", "区级", "县", "区", "县区级"],
        (ChoiceSet::FiscalLevel, "city") => &["市"],
        _ => &[],
    }
}

pub fn status_label(status: RecordStatus, lang: Lang) -> &'static str {
    match status {
        RecordStatus::Active => pick(lang, "有效", "active"),
        RecordStatus::Voided => pick(lang, "已作废", "voided"),
    }
}

/// Yes/no in the user's language (for boolean fields).
pub fn yes_no(value: bool, lang: Lang) -> &'static str {
    match (value, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

/// A field value as a person reads it: choices by their labels and yes/no in words, in the
/// user's language; anything else as stored.
pub fn shown_value<'a>(record: &'a Record, key: &str, lang: Lang) -> &'a str {
    let raw = record.fields.get(key).map(String::as_str).unwrap_or("");
    shown_field_value(record.kind, key, raw, lang)
}

/// A stored value of `key` in a record of `kind` as a person reads it (see [`shown_value`]).
pub fn shown_field_value<'a>(kind: RecordKind, key: &str, raw: &'a str, lang: Lang) -> &'a str {
    match kind.field(key).map(|f| f.ty) {
        Some(FieldType::Choice(set)) => choice_label(set, raw, lang),
        Some(FieldType::Bool) if !raw.is_empty() => yes_no(raw == "true", lang),
        _ => raw,
    }
}

/// One field's change in a history line, by labels: `企业规模：规下 → 规上`,
/// `Size: Below designated size → Above designated size`. A key the kind does not have is
/// shown as stored. Not made terminal-safe: the caller shows it through `display::safe`.
pub fn field_change(
    lang: Lang,
    kind: RecordKind,
    key: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> String {
    let empty = pick(lang, "（空）", "(empty)");
    let value = |v: Option<&str>| match v {
        Some(raw) if !raw.is_empty() => shown_field_value(kind, key, raw, lang).to_owned(),
        _ => empty.to_owned(),
    };
    let label = if kind.field(key).is_some() {
        field_label(key, lang)
    } else {
        key
    };
    let (old, new) = (value(old), value(new));
    crate::tr!(lang, "{label}：{old} → {new}", "{label}: {old} → {new}")
}

/// The key of the field of `kind` given by its key or by its label (Chinese, or English in
/// any case), as clerks write it on the command line: `名称` → `name`.
pub fn field_key_of(kind: RecordKind, given: &str) -> Option<&'static str> {
    let given = given.trim();
    kind.fields()
        .iter()
        .find(|f| {
            f.key == given
                || field_label(f.key, Lang::Zh) == given
                || field_label(f.key, Lang::En).eq_ignore_ascii_case(given)
        })
        .map(|f| f.key)
}
