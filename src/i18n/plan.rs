//! Messages for a plan file that cannot be used, naming the file, the line and the fix.

use super::labels::kind_label;
use super::{Lang, Localized};
use crate::display::safe;
use crate::plan::{PlanError, PlanProblem};
use crate::tr;

impl Localized for PlanError {
    fn localize(&self, lang: Lang) -> String {
        let file = crate::display::path(std::path::Path::new(&self.file));
        let what = problem(&self.problem, lang);
        match self.line {
            0 => tr!(lang, "计划文件 {file}：{what}", "Plan file {file}: {what}"),
            line => tr!(
                lang,
                "计划文件 {file} 第 {line} 行：{what}",
                "Plan file {file}, line {line}: {what}"
            ),
        }
    }
}

fn problem(problem: &PlanProblem, lang: Lang) -> String {
    use PlanProblem as P;
    let name = |kind| kind_label(kind, lang);
    match problem {
        P::NotFound => tr!(
            lang,
            "文件不存在，请检查 --plan 指定的路径。",
            "there is no such file; check the path given with --plan."
        ),
        P::NotText => tr!(
            lang,
            "不是 UTF-8 编码的文本文件，请用 UTF-8 编码保存后重试。",
            "not UTF-8 text; save it as UTF-8 and try again."
        ),
        P::Unreadable { reason } => {
            let reason = safe(reason);
            tr!(lang, "无法读取（{reason}）。", "cannot be read ({reason}).")
        }
        P::Syntax { message } => {
            let message = safe(message);
            tr!(
                lang,
                "格式错误（{message}）。",
                "not a valid plan ({message})."
            )
        }
        P::UnknownKey { key } => {
            let key = safe(key);
            tr!(
                lang,
                "不认识的键 “{key}”，请检查拼写。",
                "unknown key `{key}`; check its spelling."
            )
        }
        P::MissingKey { key } => {
            let key = safe(key);
            tr!(
                lang,
                "缺少必填的键 “{key}”。",
                "the required key `{key}` is missing."
            )
        }
        P::EmptyValue { key } => {
            let key = safe(key);
            tr!(lang, "“{key}” 不能为空。", "`{key}` must not be blank.")
        }
        P::NotADate { key } => {
            let key = safe(key);
            tr!(
                lang,
                "“{key}” 应为日期，如 2024-01-01（不带时间）。",
                "`{key}` must be a date such as 2024-01-01 (no time of day)."
            )
        }
        P::StartAfterEnd { start, end } => tr!(
            lang,
            "计划开始日期 {start} 晚于结束日期 {end}。",
            "the plan starts on {start}, after it ends on {end}."
        ),
        P::NoUnits => tr!(lang, "没有列出任何单位。", "it lists no units."),
        P::DuplicateUnit { code } => {
            let code = safe(code);
            tr!(
                lang,
                "单位代码 {code} 重复出现。",
                "the unit code {code} appears twice."
            )
        }
        P::UnknownIndicator { key } => {
            let key = safe(key);
            tr!(
                lang,
                "不认识的指标 “{key}”，应为 tech_sme、high_tech、rnd_institution、incubator、alliance、achievement 之一。",
                "unknown indicator `{key}`; it must be one of tech_sme, high_tech, rnd_institution, incubator, alliance, achievement."
            )
        }
        P::DuplicateIndicator { kind } => {
            let name = name(*kind);
            tr!(
                lang,
                "指标{name}重复出现。",
                "the indicator {name} appears twice."
            )
        }
        P::MissingIndicator { kind } => {
            let name = name(*kind);
            let key = kind.key();
            tr!(
                lang,
                "缺少指标{name}（{key}）。",
                "the indicator {name} ({key}) is missing."
            )
        }
        P::UnknownRule { rule } => {
            let rule = safe(rule);
            tr!(
                lang,
                "不认识的统计规则 “{rule}”，应为 registered_in_year、valid_for_years、recognised_not_revoked、transferred_in_period 之一。",
                "unknown counting rule `{rule}`; it must be one of registered_in_year, valid_for_years, recognised_not_revoked, transferred_in_period."
            )
        }
        P::MissingYears { kind } => {
            let name = name(*kind);
            tr!(
                lang,
                "{name}按有效期统计，但未给出有效年数 years。",
                "{name} is counted by validity, but `years` is not given."
            )
        }
        P::ZeroYears { kind } => {
            let name = name(*kind);
            tr!(
                lang,
                "{name}的有效年数 years 不能为 0。",
                "`years` of {name} must not be 0."
            )
        }
        P::YearsNotApplicable { kind } => {
            let name = name(*kind);
            tr!(
                lang,
                "{name}不按有效期统计，不应给出 years。",
                "{name} is not counted by validity; remove `years`."
            )
        }
        P::MilestoneOutsidePeriod { kind, on } => {
            let name = name(*kind);
            tr!(
                lang,
                "{name}的阶段目标日期 {on} 不在计划期内。",
                "the {name} milestone dated {on} lies outside the plan period."
            )
        }
        P::MilestoneOutOfOrder { kind, on } => {
            let name = name(*kind);
            tr!(
                lang,
                "{name}的阶段目标日期 {on} 不晚于前一个阶段目标，请按日期先后排列。",
                "the {name} milestone dated {on} is not later than the one before it; list milestones in date order."
            )
        }
        P::MilestoneDecreasing {
            kind,
            on,
            value,
            previous,
        } => {
            let name = name(*kind);
            tr!(
                lang,
                "{name}的阶段目标为累计数，{on} 的 {value} 小于前一个阶段目标 {previous}。",
                "{name} milestones are cumulative, but {value} on {on} is less than the {previous} before it."
            )
        }
        P::LastMilestoneNotTotal { kind, value, total } => {
            let name = name(*kind);
            tr!(
                lang,
                "{name}最后一个阶段目标 {value} 与全市目标 {total} 不符。",
                "the last {name} milestone, {value}, differs from the city target {total}."
            )
        }
        P::UnknownUnit { code } => {
            let code = safe(code);
            tr!(
                lang,
                "任务分配中的单位 {code} 不在单位列表中。",
                "quotas are given for unit {code}, which is not among the units."
            )
        }
        P::NoQuotas { unit } => {
            let unit = safe(unit);
            tr!(
                lang,
                "单位 {unit} 没有任务分配。",
                "unit {unit} has no quotas."
            )
        }
        P::MissingQuota { unit, kind } => {
            let unit = safe(unit);
            let name = name(*kind);
            let key = kind.key();
            tr!(
                lang,
                "单位 {unit} 缺少{name}（{key}）的任务数。",
                "unit {unit} has no quota for {name} ({key})."
            )
        }
        P::QuotaSumMismatch { kind, sum, total } => {
            let name = name(*kind);
            tr!(
                lang,
                "{name}各单位任务数合计 {sum}，与全市目标 {total} 不符。",
                "the unit quotas for {name} add up to {sum}, not the city target {total}."
            )
        }
        P::DuplicateAward { key } => {
            let key = safe(key);
            tr!(
                lang,
                "奖补规则 {key} 重复出现。",
                "the award rule {key} appears twice."
            )
        }
        P::AwardShare { key, percent } => {
            let key = safe(key);
            tr!(
                lang,
                "奖补规则 {key} 的比例 share_percent = {percent} 不在 1 到 100 之间。",
                "the award rule {key} has share_percent = {percent}, not between 1 and 100."
            )
        }
        P::AwardCapBelowAmount { key, amount, cap } => {
            let key = safe(key);
            tr!(
                lang,
                "奖补规则 {key} 的上限 cap_yuan = {cap} 低于金额 amount_yuan = {amount}。",
                "the award rule {key} has cap_yuan = {cap}, below its amount_yuan = {amount}."
            )
        }
        P::FloorAboveTotal { kind, floor, total } => {
            let name = name(*kind);
            tr!(
                lang,
                "{name}的确保数 floor = {floor} 高于全市目标 {total}。",
                "the floor of {name} ({floor}) is above its city target {total}."
            )
        }
        P::GrowthIncomplete { kind } => {
            let name = name(*kind);
            tr!(
                lang,
                "{name}的 baseline_on 与 first_year_growth_percent 须同时给出。",
                "{name} needs both baseline_on and first_year_growth_percent, or neither."
            )
        }
        P::BaselineNotBeforeStart { kind, on } => {
            let name = name(*kind);
            tr!(
                lang,
                "{name}的基数日期 {on} 应早于计划开始日期。",
                "the baseline date {on} of {name} must be before the plan starts."
            )
        }
        P::UnknownRankingScore { score } => {
            let score = safe(score);
            tr!(
                lang,
                "不认识的排名得分 “{score}”，应为 completion_against_expected 或 completion_against_quota。",
                "unknown ranking score `{score}`; it must be completion_against_expected or completion_against_quota."
            )
        }
        P::UnknownRankingTie { tie } => {
            let tie = safe(tie);
            tr!(
                lang,
                "不认识的并列排序依据 “{tie}”，应为 indicators_at_expected 或 entities_achieved。",
                "unknown ranking tie-break `{tie}`; it must be indicators_at_expected or entities_achieved."
            )
        }
        P::DuplicateRankingTie { tie } => {
            let tie = safe(tie);
            tr!(
                lang,
                "并列排序依据 “{tie}” 重复出现。",
                "the ranking tie-break `{tie}` appears twice."
            )
        }
        P::DuplicateCityTarget { key } => {
            let key = safe(key);
            tr!(
                lang,
                "全市指标 “{key}” 重复出现，每项只能写一次。",
                "the city-wide target `{key}` appears twice; write each once."
            )
        }
        P::UnknownTargetMeasure { measure } => {
            let measure = safe(measure);
            tr!(
                lang,
                "全市指标的计量 “{measure}” 无法识别，应为 count、yuan 或 percent。",
                "the city-wide target measure `{measure}` is unknown; use count, yuan or percent."
            )
        }
        P::UnknownTargetSource { source } => {
            let source = safe(source);
            tr!(
                lang,
                "全市指标的数据来源 “{source}” 无法识别，应为 entered、contract_turnover、contract_turnover_share_of_gdp 或 rnd_spending_share_of_gdp。",
                "the city-wide target source `{source}` is unknown; use entered, contract_turnover, contract_turnover_share_of_gdp or rnd_spending_share_of_gdp."
            )
        }
        P::NoYearlyTargets { key } => {
            let key = safe(key);
            tr!(
                lang,
                "全市指标 “{key}” 没有任何年度目标（yearly）。",
                "the city-wide target `{key}` has no yearly values."
            )
        }
        P::TargetYearOutOfPlace { key, year } => {
            let key = safe(key);
            tr!(
                lang,
                "全市指标 “{key}” 的年份 {year} 不在计划期内，或没有按年份先后排列。",
                "the city-wide target `{key}` has year {year}, outside the plan or out of order."
            )
        }
        P::BadTargetValue { key } => {
            let key = safe(key);
            tr!(
                lang,
                "全市指标 “{key}” 的目标值不能为负数。",
                "a value of the city-wide target `{key}` is negative or not a number."
            )
        }
    }
}
