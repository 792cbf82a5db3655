//! Words and number formats for the city-wide targets and the figures the city office
//! enters for them.

use super::Lang;
use crate::domain::city_targets::CityTargetProgress;
use crate::plan::{GDP_YUAN, Plan, RND_SPENDING_YUAN, TargetMeasure};
use crate::store::CityFigureChange;
use crate::tr;

/// What a figure is measured in: GDP and R&D spending in yuan, an entered target in the
/// target's own measure.
fn measure_of(plan: &Plan, key: &str) -> TargetMeasure {
    if key == GDP_YUAN || key == RND_SPENDING_YUAN {
        return TargetMeasure::Yuan;
    }
    plan.city_targets
        .iter()
        .find(|t| t.key == key)
        .map(|t| t.measure)
        .unwrap_or(TargetMeasure::Count)
}

/// `123456789` → `123,456,789`.
fn thousands(whole: u64) -> String {
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value as people read it: money in 亿元 (zh) or yuan (en), percentages with a %.
pub fn value(lang: Lang, measure: TargetMeasure, value: f64) -> String {
    match measure {
        TargetMeasure::Yuan => match lang {
            Lang::Zh => format!("{:.2} 亿元", value / 1e8),
            Lang::En => format!("{} yuan", thousands(value.round() as u64)),
        },
        TargetMeasure::Percent => {
            let text = format!("{value:.2}");
            let text = text.trim_end_matches('0').trim_end_matches('.');
            format!("{text}%")
        }
        TargetMeasure::Count => {
            if value.fract() == 0.0 {
                format!("{value:.0}")
            } else {
                format!("{value}")
            }
        }
    }
}

/// A figure's value in the figure's measure.
pub fn figure_value(lang: Lang, plan: &Plan, key: &str, amount: f64) -> String {
    value(lang, measure_of(plan, key), amount)
}

/// What a figure key stands for.
pub fn figure_label(lang: Lang, plan: &Plan, key: &str) -> String {
    match key {
        GDP_YUAN => tr!(lang, "地区生产总值（元）", "GDP (yuan)"),
        RND_SPENDING_YUAN => tr!(lang, "全社会研发经费支出（元）", "R&D spending (yuan)"),
        _ => plan
            .city_targets
            .iter()
            .find(|t| t.key == key)
            .map(|t| match lang {
                Lang::Zh => t.name_zh.clone(),
                Lang::En => t.name_en.clone(),
            })
            .unwrap_or_else(|| key.to_string()),
    }
}

pub fn figures_heading(lang: Lang) -> String {
    tr!(
        lang,
        "市科技局填报的年度数据（用于全市指标）：",
        "Yearly figures the city office enters (for the city-wide targets):"
    )
}

pub fn figure_missing(lang: Lang) -> String {
    tr!(lang, "未填", "not entered")
}

pub fn figure_changes_heading(lang: Lang) -> String {
    tr!(lang, "修改记录：", "Changes:")
}

pub fn figure_change(lang: Lang, plan: &Plan, c: &CityFigureChange) -> String {
    let at = crate::clock::minute(c.at);
    let label = figure_label(lang, plan, &c.key);
    let old = c
        .old
        .map(|v| figure_value(lang, plan, &c.key, v))
        .unwrap_or_else(|| figure_missing(lang));
    let new = figure_value(lang, plan, &c.key, c.new);
    let actor = &c.actor;
    let year = c.year;
    tr!(
        lang,
        "{at}  {actor}  {label} {year} 年：{old} → {new}",
        "{at}  {actor}  {label} {year}: {old} -> {new}"
    )
}

pub fn figure_saved(lang: Lang, plan: &Plan, key: &str, year: i16, amount: f64) -> String {
    let label = figure_label(lang, plan, key);
    let shown = figure_value(lang, plan, key, amount);
    tr!(
        lang,
        "已保存：{label} {year} 年 = {shown}",
        "Saved: {label} {year} = {shown}"
    )
}

pub fn city_targets_heading(lang: Lang, year: i16) -> String {
    tr!(
        lang,
        "全市指标（不分解到单位，{year} 年）：",
        "City-wide targets (not split over the units, {year}):"
    )
}

/// One target's line: name, target, figure and verdict, or which figures are missing.
pub fn city_target_line(lang: Lang, plan: &Plan, row: &CityTargetProgress) -> String {
    let Some(target) = plan.city_targets.iter().find(|t| t.key == row.key) else {
        return row.key.clone();
    };
    let name = match lang {
        Lang::Zh => target.name_zh.as_str(),
        Lang::En => target.name_en.as_str(),
    };
    let goal = value(lang, target.measure, row.target);
    let by = row.target_year;
    let actual = row.actual.map(|a| value(lang, target.measure, a));
    match (actual, row.met) {
        (Some(actual), Some(met)) => {
            let verdict = if met {
                tr!(lang, "已达到", "met")
            } else {
                tr!(lang, "未达到", "not met")
            };
            tr!(
                lang,
                "{name}：目标 {goal}（{by} 年），实际 {actual}，{verdict}",
                "{name}: target {goal} ({by}), actual {actual}, {verdict}"
            )
        }
        _ => {
            let missing: Vec<String> = row
                .missing
                .iter()
                .map(|k| format!("{} ({k})", figure_label(lang, plan, k)))
                .collect();
            let missing = missing.join(", ");
            let year = row.year;
            tr!(
                lang,
                "{name}：目标 {goal}（{by} 年），缺 {year} 年数据：{missing}，用 taizhang figure set 填报",
                "{name}: target {goal} ({by}), {year} figures missing: {missing}; enter them with taizhang figure set"
            )
        }
    }
}
