//! The worklist page, the firm page, the chart of an indicator's path, and the dashboard's
//! worklist lines.

use jiff::civil::Date;

use crate::domain::RecordKind;
use crate::domain::awards::AwardLine;
use crate::domain::trend::Trend;
use crate::i18n::Lang;
use crate::i18n::awards::yuan;
use crate::i18n::labels::kind_label;
use crate::outlook::Worklist;
use crate::plan::{CountingRule, Plan};
use crate::tr;

/// `待办 · 截至 2023-12-31，看到 2024-06-30`.
pub fn worklist_title(lang: Lang, list: Option<&Worklist>) -> String {
    match list {
        Some(w) => tr!(
            lang,
            "待办 · 截至 {}，看到 {}",
            "Worklist · on {}, looking to {}",
            w.as_of,
            w.until
        ),
        None => tr!(lang, "待办", "Worklist"),
    }
}

pub fn loading(lang: Lang) -> String {
    tr!(lang, "正在读取……", "Reading…")
}

pub fn lapse_item(lang: Lang) -> String {
    tr!(lang, "证书到期", "lapses")
}

pub fn pool_target_item(lang: Lang) -> String {
    tr!(lang, "培育目标", "pool")
}

pub fn not_registered_item(lang: Lang) -> String {
    tr!(lang, "尚未登记", "not reg.")
}

/// What the unit's count of the kind is on the day the item lapses, against the target.
pub fn count_then(lang: Lang, count: u64, target: u32) -> String {
    tr!(lang, "届时 {count}/{target}", "then {count}/{target}")
}

/// The dashboard's worklist lines: one per indicator with items, or one saying none. When
/// the items were not read (a very large ledger), the counts now and then.
pub fn dashboard_worklist(lang: Lang, plan: &Plan, list: &Worklist) -> Vec<String> {
    let mut lines = Vec::new();
    for o in &list.outlook {
        let kind = kind_label(o.kind, lang);
        let (then, on, target, now) = (o.then, o.on, o.target, o.now);
        let yearly = plan
            .indicator(o.kind)
            .is_some_and(|i| i.rule == CountingRule::RegisteredInYear);
        // What the pool could add, where the figure is falling.
        let pool = match o.in_pool {
            0 => String::new(),
            n => tr!(lang, "；培育库 {n} 家", "; {n} in pool"),
        };
        match o.due {
            Some(0) => {}
            Some(due) if yearly => lines.push(tr!(
                lang,
                "待办·{kind}：上年入库的 {due} 家今年尚未登记{pool}（w 查看）",
                "Due · {kind}: {due} registered last year, not yet this year{pool} (w)"
            )),
            Some(due) => lines.push(tr!(
                lang,
                "待办·{kind}：{due} 家到 {on} 到期，不续期降至 {then}/{target}{pool}（w 查看）",
                "Due · {kind}: {due} lapse by {on}, then {then}/{target}{pool} (w)"
            )),
            None if now > then => lines.push(tr!(
                lang,
                "待办·{kind}：到 {on} 不续期将由 {now} 降至 {then}/{target}{pool}（w 查看）",
                "Due · {kind}: unrenewed, {now} falls to {then}/{target} by {on}{pool} (w)"
            )),
            None => {}
        }
    }
    if !list.pool_near.is_empty() {
        let (count, until) = (list.pool_near.len(), list.until);
        lines.push(tr!(
            lang,
            "待办·培育库：{count} 家到 {until} 到达目标日期（w 查看）",
            "Due · pool: {count} firms reach their target date by {until} (w)"
        ));
    }
    if lines.is_empty() {
        lines.push(tr!(
            lang,
            "待办：到 {} 没有证书到期，上年入库的企业都已再登记",
            "Worklist: nothing runs out by {}; last year's firms are all registered again",
            list.until
        ));
    }
    lines
}

/// `进度曲线 · 高新企业 · 宝清县`.
pub fn trend_title(lang: Lang, plan: &Plan, kind: RecordKind, unit: &str) -> String {
    let unit = super::unit_short(lang, plan, unit);
    tr!(
        lang,
        "进度曲线 · {} · {unit}（←/→ 换指标）",
        "Chart · {} · {unit} (←/→ indicator)",
        kind_label(kind, lang)
    )
}

/// The count on the as-of date and at the end of the look-ahead, against the target.
pub fn trend_summary(lang: Lang, trend: &Trend, until: Date) -> String {
    let now = trend
        .points
        .iter()
        .rev()
        .find(|p| !p.ahead)
        .map_or(0, |p| p.count);
    let last = trend.points.last().map_or(0, |p| p.count);
    let target = trend.target;
    let as_of = trend.as_of;
    if trend.points.iter().any(|p| p.ahead) {
        tr!(
            lang,
            "{as_of}：{now}，目标 {target}；不续期、不新增时到 {until}：{last}",
            "{as_of}: {now}, target {target}; with no renewal or addition, {until}: {last}"
        )
    } else {
        tr!(
            lang,
            "{as_of}：{now}，目标 {target}",
            "{as_of}: {now}, target {target}"
        )
    }
}

pub fn trend_legend(lang: Lang) -> String {
    tr!(
        lang,
        "█ 每月末数字   • 应完成   ▄ 今后（已知到期，无续期）",
        "█ count at month end   • expected   ▄ ahead (known lapses, no renewals)"
    )
}

/// The firm page's awards line: what its records were owed and paid in all.
pub fn firm_awards_line(lang: Lang, lines: &[AwardLine]) -> String {
    let owed: u64 = lines.iter().filter_map(|l| l.owed_fen()).sum();
    let paid: u64 = lines.iter().map(|l| l.paid_fen()).sum();
    tr!(
        lang,
        "奖补：{} 项，应享 {} 元，已拨付 {} 元",
        "Awards: {} lines, owed {} yuan, paid {} yuan",
        lines.len(),
        yuan(owed),
        yuan(paid)
    )
}
