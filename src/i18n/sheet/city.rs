//! Words of the city office's workbook: sheet names, titles, column headers, notes and the
//! chart titles and axes.

use jiff::civil::Date;

use crate::domain::awards::FiscalLevel;
use crate::i18n::Lang;
use crate::i18n::awards::level_label;
use crate::i18n::labels::pick;
use crate::tr;

/// The names of the workbook's sheets (tabs), in their order.
pub fn sheet_names(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::Zh => [
            "附件2",
            "排序通报",
            "重复填报",
            "数据时效",
            "奖补资金",
            "图表",
        ],
        Lang::En => [
            "Annex 2",
            "Ranking",
            "Claims",
            "Freshness",
            "Awards",
            "Charts",
        ],
    }
}

/// The line under every sheet's title: the plan, the date measured on, the day it was made.
pub fn subtitle(lang: Lang, plan_title: &str, as_of: Date, made_on: Date) -> String {
    tr!(
        lang,
        "{plan_title}　统计截至：{as_of}　制表日期：{made_on}",
        "{plan_title} — as of {as_of}, made on {made_on}"
    )
}

pub fn annex_title(lang: Lang) -> String {
    tr!(
        lang,
        "三年行动计划目标分配表完成情况（附件2）",
        "Progress against the plan's targets by unit (Annex 2)"
    )
}

/// The two left columns of the Annex 2 table.
pub fn annex_columns(lang: Lang) -> [&'static str; 2] {
    match lang {
        Lang::Zh => ["序号", "县（区）"],
        Lang::En => ["No.", "Unit"],
    }
}

/// The three columns under each indicator.
pub fn annex_sub_columns(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::Zh => ["目标", "完成", "完成率"],
        Lang::En => ["Target", "Done", "Rate"],
    }
}

/// The label of the totals row.
pub fn annex_total(lang: Lang) -> &'static str {
    pick(lang, "合计（全市）", "Total (city)")
}

pub fn annex_note(lang: Lang) -> String {
    tr!(
        lang,
        "单位：家（转化科技成果为项）。完成率＝完成÷目标，目标为 0 的不计算。合计为全市数：同一主体被几个单位同时计入时只计一次，并只计入其中一个单位（见“重复填报”），所以各单位完成数相加等于合计。",
        "Firms (achievements: items). Rate = done ÷ target, left empty where the target is 0. The total is the city's: an entity counted by several units is counted once and credited to one unit (see Claims), so the units add up to the total."
    )
}

pub fn ranking_title(lang: Lang) -> String {
    tr!(lang, "各单位完成情况排序通报", "Ranking of the units")
}

/// The ranking table's columns: rank, unit, score, indicators at pace, entities achieved.
pub fn ranking_columns(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::Zh => [
            "名次",
            "县（区）",
            "得分（平均完成率）",
            "达到进度的指标数",
            "完成总数",
        ],
        Lang::En => [
            "Rank",
            "Unit",
            "Score (mean completion)",
            "Indicators at pace",
            "Entities achieved",
        ],
    }
}

pub fn claims_title(lang: Lang) -> String {
    tr!(
        lang,
        "被多个单位同时计入的主体",
        "Entities counted by more than one unit"
    )
}

pub fn claims_columns(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Zh => [
            "序号",
            "指标",
            "主体",
            "统一社会信用代码",
            "认领单位",
            "记录名称",
            "日期",
            "是否计入",
        ],
        Lang::En => [
            "No.",
            "Indicator",
            "Entity",
            "Credit code",
            "Claimed by",
            "Record name",
            "Date",
            "Credited",
        ],
    }
}

/// Whether a unit's claim is the one credited.
pub fn credited(lang: Lang, credited: bool) -> &'static str {
    match credited {
        true => pick(lang, "计入", "credited"),
        false => pick(lang, "不计入", "not credited"),
    }
}

/// How a claimed entity is credited to one unit.
pub fn claims_rule(lang: Lang) -> String {
    tr!(
        lang,
        "同一指标、同一主体被几个单位同时计入的，全市合计只计一次，并计入一个单位：归统一社会信用代码第 3—8 位所示的单位，否则归日期较早的记录，同日按录入先后。",
        "An entity counted by several units on one indicator counts once in the city total and is credited to one unit: the unit named by credit code positions 3-8, else the earlier record, then the first entered."
    )
}

pub fn claims_none(lang: Lang) -> String {
    tr!(
        lang,
        "统计日没有被多个单位同时计入的主体。",
        "No entity is counted by more than one unit on the date."
    )
}

pub fn freshness_title(lang: Lang) -> String {
    tr!(
        lang,
        "各单位数据报送时效",
        "When each unit last sent its data"
    )
}

pub fn freshness_columns(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::Zh => [
            "序号",
            "县（区）",
            "最近同步包编号",
            "导出时间",
            "导入时间",
            "报送情况",
        ],
        Lang::En => [
            "No.",
            "Unit",
            "Latest bundle",
            "Exported",
            "Imported",
            "Status",
        ],
    }
}

/// A unit's reporting status: never sent, silent for over `days` days, or up to date.
pub fn freshness_status(lang: Lang, sent: bool, silent: bool, days: i64) -> String {
    match (sent, silent) {
        (false, _) => tr!(lang, "未报送", "never sent"),
        (true, true) => tr!(lang, "超过{days}天未报送", "nothing for over {days} days"),
        (true, false) => tr!(lang, "正常", "up to date"),
    }
}

pub fn freshness_note(lang: Lang, days: i64) -> String {
    tr!(
        lang,
        "时间为北京时间。同步包导出已超过 {days} 天（按今天计算）或从未报送的单位，请督促报送。",
        "Times are Beijing time. Units whose latest bundle was made over {days} days ago (counted from today), or who never sent one, are flagged."
    )
}

pub fn awards_title(lang: Lang) -> String {
    tr!(
        lang,
        "奖补资金明细（按年度、财政级次）",
        "Awards and subsidies by year and fiscal level"
    )
}

pub fn awards_columns(lang: Lang) -> [&'static str; 12] {
    match lang {
        Lang::Zh => [
            "序号",
            "县（区）",
            "受益单位",
            "名称",
            "奖补项目",
            "依据日期",
            "应享金额（元）",
            "已批准未拨付（元）",
            "已拨付（元）",
            "未拨付（元）",
            "应追回（元）",
            "状态",
        ],
        Lang::En => [
            "No.",
            "Unit",
            "Beneficiary",
            "Name",
            "Award",
            "Basis date",
            "Owed (yuan)",
            "Approved, unpaid (yuan)",
            "Paid (yuan)",
            "Outstanding (yuan)",
            "To recover (yuan)",
            "Status",
        ],
    }
}

/// The heading of one year's lines at one fiscal level.
pub fn awards_block(lang: Lang, year: i16, level: Option<FiscalLevel>) -> String {
    match level {
        Some(_) => {
            let level = level_label(level, lang);
            tr!(lang, "{year}年　{level}财政负担", "{year} — {level} budget")
        }
        None => tr!(
            lang,
            "{year}年　未填税收级次（财政级次待定）",
            "{year} — fiscal level not given"
        ),
    }
}

/// The first cell of a unit's subtotal row.
pub fn awards_subtotal(lang: Lang) -> &'static str {
    pick(lang, "小计", "Subtotal")
}

/// The first cell of a year and level's total row.
pub fn awards_total(lang: Lang) -> &'static str {
    pick(lang, "合计", "Total")
}

/// The label beside a year and level's total.
pub fn awards_total_label(lang: Lang, year: i16, level: Option<FiscalLevel>) -> String {
    let level = level_label(level, lang);
    tr!(lang, "{year}年{level}", "{year} {level}")
}

pub fn awards_note(lang: Lang) -> String {
    tr!(
        lang,
        "金额单位：元。按企业税收入库级次由同级财政负担。“已批准未拨付”只含已批准尚未拨付的项目；“未拨付”含未批准的；“应追回”为多拨部分。每个单位的小计和每个年度、级次的合计都等于其上各行之和；金额待录入的项目不计入金额。",
        "Amounts in yuan, borne by the budget of the level where the firm pays its taxes. \"Approved, unpaid\" counts approved items not yet paid; \"Outstanding\" also counts those not approved; \"To recover\" is what was paid beyond what is owed. Each unit's subtotal and each year and level's total is the sum of the lines above it; items waiting for a figure add nothing."
    )
}

pub fn awards_none(lang: Lang) -> String {
    tr!(
        lang,
        "没有应享的奖补：计划期内还没有符合奖补条款的记录。",
        "Nothing is owed: no record of the plan period meets an award rule yet."
    )
}

pub fn charts_title(lang: Lang) -> String {
    tr!(lang, "图表", "Charts")
}

/// Chart (a): each unit's completion of one indicator against what was expected.
pub fn rate_chart_title(lang: Lang, indicator: &str, as_of: Date) -> String {
    tr!(
        lang,
        "{indicator}：各单位完成率与应完成进度（截至 {as_of}）",
        "{indicator}: each unit's completion against the expected pace (as of {as_of})"
    )
}

pub fn unit_axis(lang: Lang) -> &'static str {
    pick(lang, "县（区）", "Unit")
}

pub fn rate_axis(lang: Lang) -> &'static str {
    pick(lang, "完成率", "Completion")
}

pub fn rate_series(lang: Lang) -> &'static str {
    pick(lang, "完成率", "Completion")
}

pub fn expected_series(lang: Lang) -> &'static str {
    pick(lang, "应完成进度", "Expected by the date")
}

/// Chart (b): the city against its yearly milestones on one indicator.
pub fn milestone_chart_title(lang: Lang, indicator: &str) -> String {
    tr!(
        lang,
        "全市{indicator}：各年计划目标与完成",
        "City {indicator}: each year's milestone and what was achieved"
    )
}

pub fn year_axis(lang: Lang) -> &'static str {
    pick(lang, "年度", "Year")
}

pub fn count_axis(lang: Lang, measure: &str) -> String {
    tr!(lang, "数量（{measure}）", "Count ({measure})")
}

/// A year on the milestone charts' axis.
pub fn year_label(lang: Lang, year: i16) -> String {
    tr!(lang, "{year}年", "{year}")
}

pub fn milestone_series(lang: Lang) -> &'static str {
    pick(lang, "计划目标（年末）", "Milestone (year end)")
}

pub fn achieved_series(lang: Lang, as_of: Date) -> String {
    tr!(
        lang,
        "完成（年末，当年截至 {as_of}）",
        "Achieved (year end; this year to {as_of})"
    )
}

/// The header of the hidden columns holding the charts' figures.
pub fn chart_data_heading(lang: Lang) -> &'static str {
    pick(lang, "图表数据", "Chart data")
}
