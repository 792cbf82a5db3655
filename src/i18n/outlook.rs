//! Words of the worklist (待办) and the firm page, on the command line and on screen.

use jiff::civil::Date;

use super::Lang;
use super::labels::kind_label;
use crate::domain::counting::CountedDays;
use crate::domain::firm::FirmStep;
use crate::domain::progress::AsOfSource;
use crate::outlook::{FirmMatch, IndicatorOutlook, Worklist};
use crate::plan::{CountingRule, Plan};
use crate::tr;

/// `集贤县待办（截至 2023-12-31，计划已结束；看到 2024-06-30）`.
pub fn due_heading(lang: Lang, unit_name: &str, w: &Worklist) -> String {
    let source = match (w.as_of_source, lang) {
        (AsOfSource::Given, _) => String::new(),
        (AsOfSource::Today, Lang::Zh) => "，今天".to_owned(),
        (AsOfSource::Today, Lang::En) => ", today".to_owned(),
        (AsOfSource::PlanEnd, Lang::Zh) => "，计划期末".to_owned(),
        (AsOfSource::PlanEnd, Lang::En) => ", the plan's end".to_owned(),
    };
    tr!(
        lang,
        "{unit_name} 待办（截至 {}{source}；看到 {}）",
        "{unit_name}: worklist on {}{source}, looking to {}",
        w.as_of,
        w.until
    )
}

/// What an indicator's items mean for its count, by the counting rules:
/// `高新企业：现有 6 家，目标 5 家；到 2024-06-30 若这 3 家不续期，降至 3 家`.
pub fn outlook_line(lang: Lang, plan: &Plan, o: &IndicatorOutlook) -> String {
    let kind = kind_label(o.kind, lang);
    let yearly = plan
        .indicator(o.kind)
        .is_some_and(|i| i.rule == CountingRule::RegisteredInYear);
    let (now, target, then, on) = (o.now, o.target, o.then, o.on);
    let year = on.year();
    match (yearly, o.due, o.if_renewed) {
        (true, Some(0), _) => tr!(
            lang,
            "{kind}：{year} 年已入库 {now} 家，目标 {target} 家；上年入库的企业今年都已登记",
            "{kind}: {now} registered in {year}, target {target}; every firm registered last year is registered again"
        ),
        (true, Some(due), Some(all)) => tr!(
            lang,
            "{kind}：{year} 年已入库 {now} 家，目标 {target} 家；上年入库的 {due} 家今年尚未登记，全部登记可达 {all} 家",
            "{kind}: {now} registered in {year}, target {target}; not yet registered again this year: {due} of last year's firms ({all} if all are)"
        ),
        (true, _, _) => tr!(
            lang,
            "{kind}：{year} 年已入库 {now} 家，目标 {target} 家",
            "{kind}: {now} registered in {year}, target {target}"
        ),
        (false, Some(0), _) => tr!(
            lang,
            "{kind}：现有 {now} 家，目标 {target} 家；到 {on} 没有证书到期，届时 {then} 家",
            "{kind}: {now} now, target {target}; no certificate runs out by {on} ({then} then)"
        ),
        (false, Some(due), _) => tr!(
            lang,
            "{kind}：现有 {now} 家，目标 {target} 家；到 {on} 若这 {due} 家不续期，降至 {then} 家",
            "{kind}: {now} now, target {target}; on {on} falls to {then} unless the {due} certificates running out are renewed"
        ),
        (false, None, _) => tr!(
            lang,
            "{kind}：现有 {now} 家，目标 {target} 家；到 {on} 若不续期、不新增，为 {then} 家",
            "{kind}: {now} now, target {target}; with no renewal or addition, {then} on {on}"
        ),
    }
}

/// `市级待办（截至 2023-12-31）`.
pub fn city_due_heading(lang: Lang, as_of: Date) -> String {
    tr!(lang, "市级待办（截至 {as_of}）", "City worklist on {as_of}")
}

/// The heading of the units the city has not heard from for a month.
pub fn silent_heading(lang: Lang, count: usize) -> String {
    let days = crate::report::SILENT_AFTER_DAYS;
    match count {
        0 => tr!(
            lang,
            "各单位近 {days} 天内都报送过同步包。",
            "Every unit sent a bundle made in the last {days} days."
        ),
        _ => tr!(
            lang,
            "{count} 个单位超过 {days} 天没有报送同步包：",
            "{count} units sent no bundle made in the last {days} days:"
        ),
    }
}

/// The heading of the bundles refused at the city that still need attention.
pub fn refused_heading(lang: Lang, count: usize) -> String {
    let days = crate::report::SILENT_AFTER_DAYS;
    match count {
        0 => tr!(
            lang,
            "近 {days} 天没有尚待处理的拒收同步包。",
            "No bundle refused in the last {days} days still needs attention."
        ),
        _ => tr!(
            lang,
            "近 {days} 天拒收、该单位此后尚未导入成功的同步包（{count} 个）：",
            "Bundles refused in the last {days} days, with no import from their unit since ({count}):"
        ),
    }
}

pub fn refused_columns(lang: Lang) -> [String; 4] {
    match lang {
        Lang::Zh => [
            "拒收时间".into(),
            "文件".into(),
            "单位".into(),
            "原因".into(),
        ],
        Lang::En => [
            "Refused".into(),
            "File".into(),
            "Unit".into(),
            "Reason".into(),
        ],
    }
}

/// The unit of a refused file that could not be read.
pub fn unknown_unit(lang: Lang) -> &'static str {
    pick(lang, "不明", "unknown")
}

/// The CSV columns of `due --format csv` at the city.
pub fn city_due_csv_columns(lang: Lang) -> [String; 5] {
    let cols: [(&str, &str); 5] = [
        ("事项", "item"),
        ("单位", "unit"),
        ("时间", "when"),
        ("对象", "subject"),
        ("说明", "detail"),
    ];
    cols.map(|(zh, en)| pick(lang, zh, en).to_owned())
}

/// The item column of the city's `due --format csv`.
pub fn city_due_item(lang: Lang, item: CityDueItem) -> &'static str {
    match item {
        CityDueItem::Silent => pick(lang, "未报送", "silent"),
        CityDueItem::Refused => pick(lang, "拒收同步包", "refused bundle"),
        CityDueItem::Claim => pick(lang, "重复填报", "claimed twice"),
    }
}

/// The sorts of items of the city's worklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CityDueItem {
    Silent,
    Refused,
    Claim,
}

/// The subject of a silent unit's row: its last bundle, if any.
pub fn last_bundle(lang: Lang, sequence: Option<u64>) -> String {
    match sequence {
        Some(sequence) => tr!(lang, "第 {sequence} 号同步包", "bundle {sequence}"),
        None => pick(lang, "尚未收到同步包", "no bundle received yet").to_owned(),
    }
}

/// The detail of a claiming record's row: the entity, and whether this unit is credited.
pub fn claim_detail(lang: Lang, kind: &str, entity: &str, credited: bool) -> String {
    match credited {
        true => tr!(
            lang,
            "{kind} {entity}，计入本单位",
            "{kind} {entity}, credited to this unit"
        ),
        false => tr!(lang, "{kind} {entity}", "{kind} {entity}"),
    }
}

/// What the cultivation pool could add to an indicator, after its outlook.
pub fn pool_could_add(lang: Lang, in_pool: u64) -> String {
    tr!(
        lang,
        "；培育库中另有 {in_pool} 家后备",
        "; {in_pool} more in the cultivation pool"
    )
}

pub fn pool_near_heading(lang: Lang, count: usize) -> String {
    tr!(
        lang,
        "培育库中临近目标日期（{count} 家）：",
        "Cultivation pool entries near their target date ({count}):"
    )
}

pub fn pool_near_columns(lang: Lang) -> [String; 5] {
    match lang {
        Lang::Zh => [
            "目标日期".into(),
            "阶段".into(),
            "企业名称".into(),
            "统一社会信用代码".into(),
            "编号".into(),
        ],
        Lang::En => [
            "Target".into(),
            "Stage".into(),
            "Firm".into(),
            "Credit code".into(),
            "Entry".into(),
        ],
    }
}

pub fn lapses_heading(lang: Lang, count: usize) -> String {
    tr!(
        lang,
        "证书将到期（{count} 家）：",
        "Certificates running out ({count}):"
    )
}

pub fn lapse_columns(lang: Lang) -> [String; 6] {
    match lang {
        Lang::Zh => [
            "失效日".into(),
            "最后有效日".into(),
            "企业名称".into(),
            "统一社会信用代码".into(),
            "届时/目标".into(),
            "记录".into(),
        ],
        Lang::En => [
            "Lapses on".into(),
            "Last valid".into(),
            "Firm".into(),
            "Credit code".into(),
            "Then/target".into(),
            "Record".into(),
        ],
    }
}

pub fn not_registered_heading(lang: Lang, count: usize) -> String {
    tr!(
        lang,
        "上年入库、今年尚未登记（{count} 家）：",
        "Registered last year, not yet this year ({count}):"
    )
}

pub fn not_registered_columns(lang: Lang) -> [String; 4] {
    match lang {
        Lang::Zh => [
            "上年入库日".into(),
            "企业名称".into(),
            "统一社会信用代码".into(),
            "记录".into(),
        ],
        Lang::En => [
            "Registered".into(),
            "Firm".into(),
            "Credit code".into(),
            "Record".into(),
        ],
    }
}

pub fn nothing_due(lang: Lang, until: Date) -> String {
    tr!(
        lang,
        "到 {until} 没有待办事项：没有证书到期，上年入库的企业今年都已登记。",
        "Nothing due by {until}: no certificate runs out and every firm registered last year is registered again."
    )
}

/// The CSV columns of `due --format csv`.
pub fn due_csv_columns(lang: Lang) -> [String; 10] {
    let cols: [(&str, &str); 10] = [
        ("事项", "item"),
        ("类别", "kind"),
        ("企业名称", "firm"),
        ("统一社会信用代码", "credit_code"),
        ("日期", "date"),
        ("最后有效日", "last_valid"),
        ("失效日", "lapses_on"),
        ("届时计数", "count_then"),
        ("目标", "target"),
        ("记录", "record"),
    ];
    cols.map(|(zh, en)| pick(lang, zh, en).to_owned())
}

/// The item column of `due --format csv`: a certificate lapsing, a firm not registered
/// again, or a pool entry near its target date.
pub fn due_item(lang: Lang, item: DueItem) -> &'static str {
    match item {
        DueItem::Lapse => pick(lang, "证书到期", "certificate lapses"),
        DueItem::NotRegistered => pick(lang, "尚未登记", "not registered"),
        DueItem::PoolTarget => pick(lang, "培育目标", "pool target"),
    }
}

/// The sorts of items of the worklist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueItem {
    Lapse,
    NotRegistered,
    PoolTarget,
}

/// `企业：宝清丰源科技有限公司（91230523MA1B2C3D4E）`.
pub fn firm_heading(lang: Lang, name: &str, code: &str) -> String {
    tr!(lang, "企业：{name}（{code}）", "Firm: {name} ({code})")
}

pub fn firm_columns(lang: Lang) -> [String; 5] {
    match lang {
        Lang::Zh => [
            "日期".into(),
            "类别".into(),
            "名称".into(),
            "计入".into(),
            "记录".into(),
        ],
        Lang::En => [
            "Date".into(),
            "Kind".into(),
            "Name".into(),
            "Counts".into(),
            "Record".into(),
        ],
    }
}

/// The days a record counts: `2021-11-20 至 2024-11-19`, `2021 年度`, `2022-09-01 起`, or
/// that it does not count.
pub fn step_counts(lang: Lang, plan: &Plan, step: &FirmStep) -> String {
    let yearly = plan
        .indicator(step.record.kind)
        .is_some_and(|i| i.rule == CountingRule::RegisteredInYear);
    match (step.counted, step.last_counted()) {
        (None, _) => pick(lang, "不计入", "does not count").to_owned(),
        (Some(c), Some(_))
            if yearly && c.until.map(|u| u.year()) == c.from.year().checked_add(1) =>
        {
            tr!(lang, "{} 年度", "year {}", c.from.year())
        }
        (Some(c), last) => days_text(lang, c, last),
    }
}

/// A run of days: `2021-11-20 至 2027-10-07`, or `2022-09-01 起` when it has no end.
pub fn run_text(lang: Lang, run: &CountedDays) -> String {
    days_text(lang, *run, run.until.and_then(|u| u.yesterday().ok()))
}

fn days_text(lang: Lang, c: CountedDays, last: Option<Date>) -> String {
    match last {
        Some(last) => tr!(lang, "{} 至 {last}", "{} to {last}", c.from),
        None => tr!(lang, "{} 起", "from {}", c.from),
    }
}

pub fn firm_days_heading(lang: Lang) -> String {
    pick(
        lang,
        "计数期间（同一主体的记录合并计一次）：",
        "Days counted (one entity's records count once):",
    )
    .to_owned()
}

pub fn firm_awards_heading(lang: Lang) -> String {
    pick(lang, "奖补：", "Awards:").to_owned()
}

pub fn no_firm_records(lang: Lang, code: &str) -> String {
    tr!(
        lang,
        "台账中没有统一社会信用代码为 {code} 的有效记录。",
        "The ledger holds no active record with credit code {code}."
    )
}

/// Several firms match a name: the user must give a credit code.
pub fn which_firm(lang: Lang, given: &str, options: &[FirmMatch]) -> String {
    let mut text = tr!(
        lang,
        "有 {} 家企业与“{given}”相符，请用统一社会信用代码指定：",
        "{} firms match \"{given}\"; give the credit code of one:",
        options.len()
    );
    for option in options {
        text.push_str(&format!(
            "\n  {}  {}",
            crate::display::safe(&option.credit_code),
            crate::display::safe(&option.name)
        ));
    }
    text
}

pub fn no_firm_named(lang: Lang, given: &str) -> String {
    tr!(
        lang,
        "台账中没有名称或统一社会信用代码含“{given}”的企业。",
        "No firm in the ledger has \"{given}\" in its name or credit code."
    )
}

pub fn firm_without_code(lang: Lang, given: &str, names: &[String]) -> String {
    tr!(
        lang,
        "与“{given}”相符的记录都没有填统一社会信用代码（{}），企业页按统一社会信用代码汇总。",
        "The records matching \"{given}\" carry no credit code ({}); the firm page gathers records by credit code.",
        names.join("、")
    )
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
