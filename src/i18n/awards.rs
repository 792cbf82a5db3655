//! Words and messages of awards: rule names, statuses, fiscal levels, amounts in yuan, and
//! why an approval or payment was refused.

use super::labels::{choice_label, field_label, pick};
use super::{Lang, Localized};
use crate::domain::ChoiceSet;
use crate::domain::awards::{
    self as rules, AwardAction, AwardLine, AwardRefusal, AwardStatus, Due, Fen, FiscalLevel,
    Working,
};
use crate::plan::Plan;
use crate::store::AwardRefused;
use crate::tr;

/// A rule's short name for tables; a rule this program does not know is named by the plan's
/// description, else its key.
pub fn rule_label<'a>(key: &'a str, plan: Option<&'a Plan>, lang: Lang) -> &'a str {
    let (zh, en) = match key {
        rules::TECH_SME_SUBSIDY => ("科技型中小企业年度补助", "Tech SME yearly subsidy"),
        rules::HIGH_TECH_FIRST_ABOVE => ("新认定高企（规上）", "New high-tech, above size"),
        rules::HIGH_TECH_FIRST_BELOW => ("新认定高企（规下）", "New high-tech, below size"),
        rules::HIGH_TECH_RENEWAL_ABOVE => ("复审高企（规上）", "Renewed high-tech, above size"),
        rules::HIGH_TECH_RENEWAL_BELOW => ("复审高企（规下）", "Renewed high-tech, below size"),
        rules::RND_NEW_NATIONAL => (
            "新认定国家级基地或省级新型研发机构",
            "New national base or provincial new-type R&D",
        ),
        rules::RND_NEW_PROVINCIAL => (
            "新认定省级基地或企业技术中心",
            "New provincial base or technology centre",
        ),
        rules::RND_NEW_CITY => ("新认定市级研发机构", "New city R&D institution"),
        rules::RND_UP_TO_NATIONAL => ("省级升国家级追加", "Provincial to national top-up"),
        rules::RND_UP_TO_PROVINCIAL => ("市级升省级追加", "City to provincial top-up"),
        rules::INCUBATOR_NATIONAL => ("新认定国家级孵化器", "New national incubator"),
        rules::MAKER_SPACE_NATIONAL => ("新认定国家级众创空间", "New national maker space"),
        rules::INCUBATOR_PROVINCIAL_MATCH => ("省后补助1:1匹配", "Provincial subsidy matched 1:1"),
        rules::INCUBATOR_CITY => ("市级认定孵化载体补助", "City-recognised carrier grant"),
        rules::ALLIANCE_PROVINCIAL => ("省级以上联盟发起单位", "Provincial+ alliance founder"),
        rules::ALLIANCE_CITY => ("市级联盟发起单位", "City alliance founder"),
        rules::ALLIANCE_NATIONAL_LEAD => ("国家级联盟牵头单位匹配", "National alliance lead match"),
        rules::CONTRACT_SUBSIDY => ("技术合同后补助", "Technology contract post-subsidy"),
        _ => {
            let rule = plan.and_then(|p| p.awards.iter().find(|r| r.key == key));
            return match rule {
                Some(rule) => pick(lang, &rule.description_zh, &rule.description_en),
                None => key,
            };
        }
    };
    pick(lang, zh, en)
}

/// The fiscal level's name; `None` is a record that does not say.
pub fn level_label(level: Option<FiscalLevel>, lang: Lang) -> &'static str {
    match level {
        Some(level) => choice_label(ChoiceSet::FiscalLevel, level.key(), lang),
        None => pick(lang, "未填", "not given"),
    }
}

pub fn status_label(status: AwardStatus, lang: Lang) -> &'static str {
    let (zh, en) = match status {
        AwardStatus::AwaitingInput => ("待录入金额", "awaiting figure"),
        AwardStatus::OutOfRange => ("金额超出范围", "figure out of range"),
        AwardStatus::NoFiscalLevel => ("未填税收级次", "no fiscal level"),
        AwardStatus::Entitled => ("应享", "entitled"),
        AwardStatus::Approved => ("已批准", "approved"),
        AwardStatus::Paid => ("已拨付", "paid"),
        AwardStatus::PaidDiffers => ("已拨付，金额有变", "paid, amount changed"),
        AwardStatus::PaidTwice => ("重复拨付", "paid twice"),
        AwardStatus::Recover => ("应追回", "to recover"),
        AwardStatus::Lapsed => ("批准已失效", "approval lapsed"),
    };
    pick(lang, zh, en)
}

/// A line's status, with the balance when a payment no longer matches what is owed.
pub fn line_status(line: &AwardLine, lang: Lang) -> String {
    let status = status_label(line.status, lang);
    if line.balance_fen != 0 {
        format!("{status} {}", signed_yuan(line.balance_fen))
    } else {
        status.to_owned()
    }
}

pub fn action_label(action: AwardAction, lang: Lang) -> &'static str {
    match action {
        AwardAction::Approve => pick(lang, "批准", "approval"),
        AwardAction::Pay => pick(lang, "拨付", "payment"),
    }
}

/// `30000000` fen → `300,000.00`.
pub fn yuan(fen: Fen) -> String {
    let whole = (fen / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{:02}", fen % 100)
}

/// A signed amount in fen: `-5,000.00`.
pub fn signed_yuan(fen: i64) -> String {
    let text = yuan(fen.unsigned_abs());
    if fen < 0 { format!("-{text}") } else { text }
}

/// The amount column: the amount, or what it waits for.
pub fn due_text(due: &Due, lang: Lang) -> String {
    match due {
        Due::Amount { fen } => yuan(*fen),
        Due::AwaitingInput { field } => {
            let field = field_label(field, lang);
            tr!(lang, "待录入{field}", "needs {field}")
        }
        Due::OutOfRange {
            field,
            value,
            min_fen,
            max_fen,
        } => {
            let field = field_label(field, lang);
            let value = crate::display::safe(value);
            let (min, max) = (yuan(*min_fen), yuan(*max_fen));
            tr!(
                lang,
                "{field} {value} 不在 {min}—{max} 之间",
                "{field} {value} not within {min}–{max}"
            )
        }
    }
}

/// How an amount was worked out, for a finance officer checking it by hand.
pub fn working_text(working: &Working, lang: Lang) -> String {
    match working {
        Working::Share { base_fen, percent } => {
            let base = yuan(*base_fen);
            tr!(lang, "{base} × {percent}%", "{base} × {percent}%")
        }
        Working::Capped {
            base_fen,
            percent,
            uncapped_fen,
            cap_fen,
        } => {
            let (base, uncapped, cap) = (yuan(*base_fen), yuan(*uncapped_fen), yuan(*cap_fen));
            tr!(
                lang,
                "{base} × {percent}% = {uncapped}，受上限 {cap} 限制",
                "{base} × {percent}% = {uncapped}, limited by the cap of {cap}"
            )
        }
        Working::TopUp {
            full_fen,
            earlier_fen,
        } => {
            let (full, earlier) = (yuan(*full_fen), yuan(*earlier_fen));
            tr!(
                lang,
                "升级补差：{full} − 原已享 {earlier}",
                "upgrade top-up: {full} − {earlier} earned before"
            )
        }
        Working::Chosen => pick(
            lang,
            "市科技局在规定范围内确定的金额",
            "the amount the city chose within the range",
        )
        .to_owned(),
    }
}

impl Localized for AwardRefused {
    fn localize(&self, lang: Lang) -> String {
        let rule = rule_label(&self.key.rule, None, lang);
        let year = self.key.year;
        let id = self.key.record;
        match &self.refusal {
            AwardRefusal::NotEntitled => tr!(
                lang,
                "记录 {id} 在 {year} 年没有“{rule}”这项奖补，未记录。请用 `taizhang awards` 查看应享的项目。",
                "Record {id} has no “{rule}” award for {year}; nothing was recorded. Use `taizhang awards` to see what is owed."
            ),
            AwardRefusal::AmountNotSettled => tr!(
                lang,
                "“{rule}”的金额还没有确定（记录缺少所依据的金额，或金额超出规定范围），未记录。请先修改记录。",
                "The amount of “{rule}” is not settled (the record lacks the figure it follows, or the figure is out of range); nothing was recorded. Correct the record first."
            ),
            AwardRefusal::NoFiscalLevel => tr!(
                lang,
                "记录没有填写税收入库级次，不知道由哪一级财政负担，未记录。请先运行 `taizhang edit {id} --set tax_level=县级`（或 市级）。",
                "The record does not say at which level the firm pays its taxes, so no budget is charged; nothing was recorded. Run `taizhang edit {id} --set tax_level=county` (or city) first."
            ),
            AwardRefusal::OtherLevel { level } => match level {
                FiscalLevel::County => tr!(
                    lang,
                    "这项奖补由县（区）级财政负担，应在本单位的台账上批准和拨付，未记录。",
                    "This award is charged to the county or district budget: the unit's ledger approves and pays it. Nothing was recorded."
                ),
                FiscalLevel::City => tr!(
                    lang,
                    "这项奖补由市级财政负担，应在市科技局的市级台账上批准和拨付，未记录。拨付后随回执发回本单位。",
                    "This award is charged to the city budget: the city ledger approves and pays it, and the receipt brings the payment back. Nothing was recorded."
                ),
            },
            AwardRefusal::AlreadyApproved { on } => tr!(
                lang,
                "“{rule}”已于 {on} 批准，不能重复批准。",
                "“{rule}” was approved on {on}; it cannot be approved again."
            ),
            AwardRefusal::NotApproved => tr!(
                lang,
                "“{rule}”还没有批准，未记录拨付。请先运行 `taizhang awards approve {id}`。",
                "“{rule}” has not been approved; the payment was not recorded. Run `taizhang awards approve {id}` first."
            ),
            AwardRefusal::AlreadyPaid { on, voucher } => {
                let voucher = voucher
                    .as_deref()
                    .map(crate::display::safe)
                    .unwrap_or_default();
                tr!(
                    lang,
                    "“{rule}”已于 {on} 拨付（凭证号 {voucher}），同一项奖补只能拨付一次，未记录。",
                    "“{rule}” was paid on {on} (voucher {voucher}); an award is paid once. Nothing was recorded."
                )
            }
            AwardRefusal::PaidBeforeApproval { approved_on } => tr!(
                lang,
                "拨付日期早于批准日期 {approved_on}，未记录。请检查拨付日期。",
                "The payment date is before the approval on {approved_on}; nothing was recorded. Check the payment date."
            ),
        }
    }
}

/// The `awards` command's headings, columns and confirmations.
pub mod cli {
    use jiff::civil::Date;

    use super::yuan;
    use crate::domain::awards::{Fen, FiscalLevel};
    use crate::i18n::Lang;
    use crate::store::LedgerRole;
    use crate::tr;

    pub fn heading(lang: Lang, paying: FiscalLevel) -> String {
        match paying {
            FiscalLevel::County => tr!(
                lang,
                "奖补资金（按计划奖补条款计算；本台账批准和拨付县（区）级财政负担的项目）",
                "Awards and subsidies (by the plan's award rules; this ledger approves and pays what the county or district budget bears)"
            ),
            FiscalLevel::City => tr!(
                lang,
                "奖补资金（全市；本台账批准和拨付市级财政负担的项目）",
                "Awards and subsidies (all units; this ledger approves and pays what the city budget bears)"
            ),
        }
    }

    pub fn none(lang: Lang) -> String {
        tr!(
            lang,
            "没有应享的奖补：计划期内还没有符合奖补条款的记录。",
            "Nothing is owed: no record of the plan period meets an award rule yet."
        )
    }

    pub fn line_columns(lang: Lang) -> [&'static str; 9] {
        match lang {
            Lang::Zh => [
                "编号",
                "单位",
                "年度",
                "受益单位",
                "奖补项目",
                "依据日期",
                "金额（元）",
                "财政级次",
                "状态",
            ],
            Lang::En => [
                "ID",
                "Unit",
                "Year",
                "Beneficiary",
                "Award",
                "Basis date",
                "Amount (yuan)",
                "Paid by",
                "Status",
            ],
        }
    }

    pub fn totals_heading(lang: Lang) -> String {
        tr!(
            lang,
            "合计（按年度、财政级次、单位）",
            "Totals by year, fiscal level and unit"
        )
    }

    pub fn city_totals_heading(lang: Lang) -> String {
        tr!(
            lang,
            "全市合计（各单位相加，按年度、财政级次）",
            "City totals (all units added, by year and fiscal level)"
        )
    }

    pub fn all_units(lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => "全市",
            Lang::En => "All units",
        }
    }

    pub fn total_columns(lang: Lang) -> [&'static str; 10] {
        match lang {
            Lang::Zh => [
                "年度",
                "财政级次",
                "单位",
                "项数",
                "应享金额",
                "已批准未拨付",
                "已拨付",
                "未拨付",
                "应追回",
                "待定",
            ],
            Lang::En => [
                "Year",
                "Level",
                "Unit",
                "Items",
                "Owed",
                "Approved",
                "Paid",
                "Outstanding",
                "To recover",
                "Open",
            ],
        }
    }

    pub fn grand_total(lang: Lang, owed: Fen, paid: Fen, outstanding: Fen, recover: Fen) -> String {
        let (owed, paid, outstanding, recover) =
            (yuan(owed), yuan(paid), yuan(outstanding), yuan(recover));
        tr!(
            lang,
            "总计：应享 {owed} 元，已拨付 {paid} 元，未拨付 {outstanding} 元，应追回 {recover} 元。",
            "In all: owed {owed} yuan, paid {paid}, outstanding {outstanding}, to recover {recover}."
        )
    }

    pub fn unsettled_hint(lang: Lang, count: usize) -> String {
        tr!(
            lang,
            "{count} 项金额未定或未填税收入库级次，未计入应享金额（“待定”列）；请用 `taizhang edit 编号 --set 字段=值` 补填：",
            "{count} have no settled amount or no fiscal level and are not in the amounts owed (the Open column); complete the records with `taizhang edit ID --set FIELD=VALUE`:"
        )
    }

    /// A plan rule this program does not apply.
    pub fn unapplied_rule(lang: Lang, key: &str, description: &str) -> String {
        let key = crate::display::safe(key);
        let description = crate::display::safe(description);
        tr!(
            lang,
            "注意：计划文件中的奖补规则 {key}（{description}）本程序不会计算，不在下表中，请人工核算。",
            "Note: the plan's award rule {key} ({description}) is not applied by this program and is not in the list below; work it out by hand."
        )
    }

    pub fn csv_columns(lang: Lang) -> [&'static str; 16] {
        match lang {
            Lang::Zh => [
                "记录编号",
                "单位",
                "年度",
                "受益单位",
                "实体名称",
                "奖补项目",
                "依据日期",
                "金额（元）",
                "计算方法",
                "财政级次",
                "状态",
                "批准日期",
                "拨付日期",
                "凭证号",
                "已拨付（元）",
                "差额（元）",
            ],
            Lang::En => [
                "Record",
                "Unit",
                "Year",
                "Beneficiary",
                "Entity",
                "Award",
                "Basis date",
                "Amount (yuan)",
                "Working",
                "Paid by",
                "Status",
                "Approved on",
                "Paid on",
                "Voucher",
                "Paid (yuan)",
                "Balance (yuan)",
            ],
        }
    }

    /// What `awards approve` or `awards pay` recorded, and where it goes next.
    #[allow(clippy::too_many_arguments)]
    pub fn recorded(
        lang: Lang,
        action: &str,
        beneficiary: &str,
        rule: &str,
        year: i16,
        amount: &str,
        level: &str,
        on: Date,
        voucher: Option<&str>,
        role: LedgerRole,
    ) -> String {
        let beneficiary = crate::display::safe(beneficiary);
        let voucher = voucher
            .map(|v| match lang {
                Lang::Zh => format!("，凭证号 {}", crate::display::safe(v)),
                Lang::En => format!(", voucher {}", crate::display::safe(v)),
            })
            .unwrap_or_default();
        let next = match role {
            LedgerRole::Unit => tr!(
                lang,
                "下次导出的同步包会把它报送市科技局。",
                "The next sync bundle takes it to the city office."
            ),
            LedgerRole::City => tr!(
                lang,
                "下次给该单位写回执时会把它发回单位。",
                "The next receipt to the unit takes it back to the unit."
            ),
        };
        tr!(
            lang,
            "已记录{action}：{beneficiary} · {rule} · {year} 年 · {amount} 元 · {level}财政 · {on}{voucher}。{next}",
            "Recorded the {action}: {beneficiary} · {rule} · {year} · {amount} yuan · {level} budget · {on}{voucher}. {next}"
        )
    }
}
