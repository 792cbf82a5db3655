//! Strings of the awards page (奖补资金): its title and filters, the totals and list
//! columns, short rule and level names for 80 columns, the detail box, the approval and
//! payment prompts, and what the message line says about them.

use jiff::civil::Date;

use super::{unit_name, unit_short};
use crate::display::safe;
use crate::domain::awards::{self as rules, AwardAction, FiscalLevel};
use crate::i18n::Lang;
use crate::i18n::awards::rule_label;
use crate::plan::Plan;
use crate::tr;

/// The title row: whose awards, and where the page is.
pub fn awards_title(lang: Lang, plan: &Plan, ledger_unit: &str) -> String {
    let unit = unit_name(lang, plan, ledger_unit);
    tr!(lang, "奖补资金 · {unit}", "Awards · {unit}")
}

/// The year filter's label and its "every year" choice.
pub fn year_filter_label(lang: Lang) -> String {
    tr!(lang, "年度:", "Year:")
}

pub fn every_year(lang: Lang) -> String {
    tr!(lang, "全部", "all")
}

/// The city's unit filter: the unit chosen, or every unit.
pub fn unit_filter(lang: Lang, plan: &Plan, unit: Option<&str>) -> String {
    let unit = match unit {
        Some(code) => unit_short(lang, plan, code),
        None => tr!(lang, "全部单位", "all units"),
    };
    tr!(lang, "单位: {unit}（u 切换）", "Unit: {unit} (u)")
}

pub fn year_filter_hint(lang: Lang) -> String {
    tr!(lang, "（y 切换）", "(y)")
}

/// The heading of the totals block, in yuan.
pub fn totals_columns(lang: Lang) -> [String; 7] {
    let cols = match lang {
        Lang::Zh => [
            "年度",
            "级次",
            "应享",
            "已批准",
            "已拨付",
            "待拨付",
            "应追回",
        ],
        Lang::En => [
            "Year",
            "Level",
            "Entitled",
            "Approved",
            "Paid",
            "Outstanding",
            "To recover",
        ],
    };
    cols.map(str::to_string)
}

/// What the totals block says when there is nothing to sum.
pub fn no_totals(lang: Lang) -> String {
    tr!(
        lang,
        "没有应享的奖补（金额单位：元）。",
        "Nothing is owed (amounts in yuan)."
    )
}

/// The list's box title and its columns.
pub fn award_list_title(lang: Lang) -> String {
    tr!(lang, "奖补明细（元）", "Award lines (yuan)")
}

pub fn award_list_columns(lang: Lang) -> [String; 7] {
    let cols = match lang {
        Lang::Zh => [
            "年度",
            "单位",
            "受益企业",
            "奖补项目",
            "金额",
            "级次",
            "状态",
        ],
        Lang::En => ["Year", "Unit", "Firm", "Award", "Amount", "Level", "Status"],
    };
    cols.map(str::to_string)
}

/// The list is empty: why, and where awards come from.
pub fn no_award_lines(lang: Lang, year: Option<i16>) -> String {
    match year {
        Some(year) => tr!(
            lang,
            "{year} 年没有奖补项目。按 y 换年度。",
            "No awards for {year}. Press y for another year."
        ),
        None => tr!(
            lang,
            "还没有奖补项目：记录按计划的奖补规则产生应享金额。",
            "No awards yet: records earn them under the plan's rules."
        ),
    }
}

/// A fiscal level in four columns: `县级`, `市级`, `未填`.
pub fn level_short(lang: Lang, level: Option<FiscalLevel>) -> String {
    match level {
        Some(FiscalLevel::County) => tr!(lang, "县级", "county"),
        Some(FiscalLevel::City) => tr!(lang, "市级", "city"),
        None => tr!(lang, "未填", "-"),
    }
}

/// A rule's name for the list's narrow column; the detail box gives the full description.
pub fn rule_short(lang: Lang, plan: &Plan, key: &str) -> String {
    let (zh, en) = match key {
        rules::TECH_SME_SUBSIDY => ("科企年度补助", "Tech SME"),
        rules::HIGH_TECH_FIRST_ABOVE => ("新认定高企规上", "New HT, above"),
        rules::HIGH_TECH_FIRST_BELOW => ("新认定高企规下", "New HT, below"),
        rules::HIGH_TECH_RENEWAL_ABOVE => ("复审高企规上", "Renewal, above"),
        rules::HIGH_TECH_RENEWAL_BELOW => ("复审高企规下", "Renewal, below"),
        rules::RND_NEW_NATIONAL => ("国家级基地等", "National base"),
        rules::RND_NEW_PROVINCIAL => ("省级基地等", "Provincial base"),
        rules::RND_NEW_CITY => ("市级研发机构", "City R&D"),
        rules::RND_UP_TO_NATIONAL => ("省升国家级追加", "Top-up to nat."),
        rules::RND_UP_TO_PROVINCIAL => ("市升省级追加", "Top-up to prov."),
        rules::INCUBATOR_NATIONAL => ("国家级孵化器", "Nat. incubator"),
        rules::MAKER_SPACE_NATIONAL => ("国家级众创空间", "Nat. makerspace"),
        rules::INCUBATOR_PROVINCIAL_MATCH => ("省后补助匹配", "Prov. match"),
        rules::INCUBATOR_CITY => ("市级孵化载体", "City carrier"),
        rules::ALLIANCE_PROVINCIAL => ("省级以上联盟", "Prov.+ alliance"),
        rules::ALLIANCE_CITY => ("市级联盟", "City alliance"),
        rules::ALLIANCE_NATIONAL_LEAD => ("国家级联盟牵头", "Nat. alliance"),
        rules::CONTRACT_SUBSIDY => ("技术合同后补助", "Contract"),
        _ => return rule_label(key, Some(plan), lang).to_string(),
    };
    tr!(lang, "{zh}", "{en}")
}

/// An amount the rule does not settle yet, in the list's amount column.
pub fn amount_unsettled(lang: Lang) -> String {
    tr!(lang, "待定", "pending")
}

/// The detail box's title and the labels of its lines.
pub fn award_detail_title(lang: Lang) -> String {
    tr!(lang, "奖补详情", "Award")
}

pub fn award_detail_labels(lang: Lang) -> AwardDetailLabels {
    let l = |zh: &str, en: &str| tr!(lang, "{zh}", "{en}");
    AwardDetailLabels {
        unit: l("单位", "Unit"),
        beneficiary: l("受益企业", "Firm"),
        entity: l("依据记录", "Record"),
        basis: l("依据日期", "Earned on"),
        rule: l("奖补项目", "Award"),
        description: l("政策规定", "Rule"),
        year: l("年度", "Year"),
        amount: l("金额（元）", "Amount"),
        working: l("计算方法", "Worked out"),
        level: l("财政级次", "Paid by"),
        status: l("状态", "Status"),
        approved: l("批准", "Approved"),
        paid: l("拨付", "Paid"),
        balance: l("差额", "Difference"),
    }
}

/// The labels of the detail box's lines.
pub struct AwardDetailLabels {
    pub unit: String,
    pub beneficiary: String,
    pub entity: String,
    pub basis: String,
    pub rule: String,
    pub description: String,
    pub year: String,
    pub amount: String,
    pub working: String,
    pub level: String,
    pub status: String,
    pub approved: String,
    pub paid: String,
    pub balance: String,
}

/// The record that earned the award: its kind and name.
pub fn award_record(lang: Lang, kind: &str, entity: &str) -> String {
    let entity = safe(entity);
    tr!(lang, "{kind}：{entity}", "{kind}: {entity}")
}

/// The line has no entitlement any more (only an approval or payment names it).
pub fn award_gone(lang: Lang) -> String {
    tr!(
        lang,
        "已不再应享（记录已作废或不再符合条件）",
        "no longer owed (the record was voided or no longer qualifies)"
    )
}

pub fn not_approved(lang: Lang) -> String {
    tr!(lang, "未批准", "not yet")
}

pub fn not_paid(lang: Lang) -> String {
    tr!(lang, "未拨付", "not yet")
}

/// An approval: when, and who recorded it.
pub fn approval_text(lang: Lang, on: Date, actor: &str, recorded_by: &str) -> String {
    let actor = safe(actor);
    let by = safe(recorded_by);
    tr!(
        lang,
        "{on}，经办 {actor}（{by} 台账）",
        "{on}, by {actor} ({by} ledger)"
    )
}

/// A payment: when, its voucher, how much, and who recorded it.
pub fn payment_text(
    lang: Lang,
    on: Date,
    voucher: Option<&str>,
    amount: &str,
    actor: &str,
    recorded_by: &str,
) -> String {
    let voucher = safe(voucher.unwrap_or("-"));
    let actor = safe(actor);
    let by = safe(recorded_by);
    tr!(
        lang,
        "{on}，凭证号 {voucher}，{amount} 元，经办 {actor}（{by} 台账）",
        "{on}, voucher {voucher}, {amount} yuan, by {actor} ({by} ledger)"
    )
}

/// What is still to pay (positive) or to recover (negative).
pub fn balance_text(lang: Lang, fen: i64, amount: &str) -> String {
    if fen >= 0 {
        tr!(lang, "尚待补拨 {amount} 元", "{amount} yuan still to pay")
    } else {
        tr!(lang, "应追回 {amount} 元", "{amount} yuan to recover")
    }
}

pub fn award_detail_hint(lang: Lang) -> String {
    tr!(
        lang,
        "a 批准  p 登记拨付  Esc 关闭",
        "a approve  p record payment  Esc close"
    )
}

/// The prompts' titles and questions.
pub fn approve_prompt_title(lang: Lang) -> String {
    tr!(lang, "批准奖补", "Approve the award")
}

pub fn pay_prompt_title(lang: Lang) -> String {
    tr!(lang, "登记拨付", "Record the payment")
}

pub fn approve_date_question(lang: Lang) -> String {
    tr!(lang, "批准日期：", "Approved on:")
}

pub fn pay_date_question(lang: Lang) -> String {
    tr!(lang, "拨付日期：", "Paid on:")
}

pub fn voucher_question(lang: Lang) -> String {
    tr!(lang, "凭证号：", "Voucher no.:")
}

pub fn prompt_enter_hint(lang: Lang) -> String {
    tr!(lang, "Enter 确定  Esc 取消", "Enter confirms, Esc cancels")
}

/// Whom the prompt is about: the firm, the award and its amount.
pub fn prompt_subject(lang: Lang, beneficiary: &str, rule: &str, amount: &str) -> String {
    let beneficiary = safe(beneficiary);
    tr!(
        lang,
        "{beneficiary} · {rule} · {amount} 元",
        "{beneficiary} · {rule} · {amount} yuan"
    )
}

/// `a` or `p` on a line this ledger does not pay: who does, or what the record lacks.
pub fn award_paid_elsewhere(
    lang: Lang,
    plan: &Plan,
    level: Option<FiscalLevel>,
    unit: &str,
) -> String {
    match level {
        Some(FiscalLevel::City) => tr!(
            lang,
            "这项奖补由市级财政负担，由市科技局在市级台账上批准和拨付。",
            "This award is paid from the city budget: the city office approves and pays it."
        ),
        Some(FiscalLevel::County) => {
            let unit = unit_name(lang, plan, unit);
            tr!(
                lang,
                "这项奖补由县（区）级财政负担，由{unit}在本单位台账上批准和拨付。",
                "This award is paid from the county budget: {unit} approves and pays it."
            )
        }
        None => tr!(
            lang,
            "记录没有填写税收入库级次，不知道由哪一级财政负担。请先修改记录。",
            "The record does not say where the firm pays its taxes: edit the record first."
        ),
    }
}

pub fn award_approve_first(lang: Lang) -> String {
    tr!(
        lang,
        "这项奖补还没有批准：请先按 a 批准，再登记拨付。",
        "This award is not approved yet: press a to approve it, then record the payment."
    )
}

pub fn voucher_required(lang: Lang) -> String {
    tr!(lang, "请填写凭证号。", "Please type the voucher number.")
}

/// An approval or payment was recorded.
pub fn award_recorded(
    lang: Lang,
    beneficiary: &str,
    action: AwardAction,
    on: Date,
    voucher: Option<&str>,
) -> String {
    let beneficiary = safe(beneficiary);
    match action {
        AwardAction::Approve => tr!(
            lang,
            "已批准：{beneficiary}，批准日期 {on}",
            "Approved: {beneficiary}, on {on}"
        ),
        AwardAction::Pay => {
            let voucher = safe(voucher.unwrap_or(""));
            tr!(
                lang,
                "已拨付：{beneficiary}，凭证号 {voucher}，{on}",
                "Paid: {beneficiary}, voucher {voucher}, on {on}"
            )
        }
    }
}
