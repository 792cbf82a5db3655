//! Messages about the plan a ledger follows: `plan show`, `plan adopt` and its refusals.

use super::Lang;
use crate::cli::{CliError, PlanSource};
use crate::display::safe;
use crate::plan::Plan;
use crate::store::{LedgerRole, PlanEvent};
use crate::tr;

/// `sys-2024-2026 双鸭山市…（2024—2026年）, 2024-01-01 – 2026-12-31, 10 units`.
pub fn heading(lang: Lang, plan: &Plan) -> String {
    let id = safe(&plan.id);
    let title = safe(match lang {
        Lang::Zh => &plan.title_zh,
        Lang::En => &plan.title_en,
    });
    let (start, end, units) = (plan.start, plan.end, plan.units.len());
    tr!(
        lang,
        "现行计划：{id} {title}\n计划期：{start} 至 {end}，{units} 个单位",
        "Plan in force: {id} {title}\nPeriod: {start} to {end}, {units} units"
    )
}

pub fn source(lang: Lang, source: &PlanSource) -> String {
    match source {
        PlanSource::Given(path) => {
            let path = crate::display::path(path);
            tr!(
                lang,
                "来源：本次运行用 --plan 指定的文件 {path}（只对本次有效；长期改用请 `taizhang plan adopt {path}`）",
                "From: the file given with --plan, {path} (this run only; to follow it from now on, `taizhang plan adopt {path}`)"
            )
        }
        PlanSource::Adopted(name) => {
            let name = safe(name);
            tr!(
                lang,
                "来源：本台账已采用的计划文件 {name}（保存在台账中）",
                "From: the plan file this ledger adopted, {name} (kept in the ledger)"
            )
        }
        PlanSource::Embedded => tr!(
            lang,
            "来源：程序内置的 2021—2023 年计划",
            "From: the 2021-2023 plan built into the program"
        ),
    }
}

/// The ledger names another plan than the one this run uses.
pub fn ledger_follows_other(lang: Lang, followed: &str, running: &str) -> String {
    let followed = safe(followed);
    let running = safe(running);
    tr!(
        lang,
        "注意：本台账登记执行的是计划 {followed}，本次按计划 {running} 计算；导出的同步包仍标注计划 {followed}。",
        "Note: this ledger follows plan {followed}; this run computes under plan {running}. Bundles it exports still say plan {followed}."
    )
}

pub fn code_heading(lang: Lang) -> String {
    tr!(lang, "代码", "Code")
}

pub fn unit_heading(lang: Lang) -> String {
    tr!(lang, "单位（目标）", "Unit (quota)")
}

pub fn city_total(lang: Lang) -> String {
    tr!(lang, "全市合计", "City total")
}

pub fn history_heading(lang: Lang) -> String {
    tr!(lang, "采用计划的记录：", "Plans adopted:")
}

pub fn history_line(lang: Lang, event: &PlanEvent) -> String {
    let at = crate::clock::date_of(event.at);
    let actor = safe(&event.actor);
    let old = safe(&event.old_plan_id);
    let new = safe(&event.new_plan_id);
    let source = crate::display::path(std::path::Path::new(&event.source));
    let sha = event.sha256.get(..12).unwrap_or(&event.sha256);
    tr!(
        lang,
        "{at} {actor}：{old} → {new}（{source}，SHA-256 {sha}...）",
        "{at} {actor}: {old} -> {new} ({source}, SHA-256 {sha}...)"
    )
}

pub fn adopted(lang: Lang, plan: &Plan, old_plan_id: &str, role: LedgerRole) -> String {
    let new = safe(&plan.id);
    let old = safe(old_plan_id);
    let (start, end) = (plan.start, plan.end);
    let units = plan.units.len();
    let first = if old_plan_id == plan.id {
        tr!(
            lang,
            "本台账执行的计划 {new}（{start} 至 {end}，{units} 个单位）已按所给文件保存在台账中。记录均未改动；以后打开本台账即按此文件，无需 --plan。",
            "The file of plan {new} ({start} to {end}, {units} units), which this ledger follows, is now kept in the ledger. No record was changed; the ledger uses this file from now on, without --plan."
        )
    } else {
        tr!(
            lang,
            "本台账已改为执行计划 {new}（{start} 至 {end}，{units} 个单位），原计划 {old}。记录均未改动，仍按各自日期计数；以后打开本台账即按此计划，无需 --plan。",
            "This ledger now follows plan {new} ({start} to {end}, {units} units); before, it followed {old}. No record was changed and each still counts by its own dates; the ledger uses this plan from now on, without --plan."
        )
    };
    let next = match role {
        LedgerRole::Unit => tr!(
            lang,
            "此后导出的同步包标注计划 {new}；市科技局也须采用该计划才能导入。",
            "Bundles exported from now on say plan {new}; the city must adopt it too to import them."
        ),
        LedgerRole::City => tr!(
            lang,
            "此后只接收按计划 {new} 导出的同步包；请各单位也采用该计划（`taizhang plan adopt 文件`）后重新导出。",
            "From now on only bundles made under plan {new} are imported: each unit adopts it too (`taizhang plan adopt FILE`) and exports again."
        ),
    };
    format!("{first}\n{next}")
}

pub fn already_in_force(lang: Lang, plan_id: &str) -> String {
    let id = safe(plan_id);
    tr!(
        lang,
        "计划 {id} 已在本台账执行，未作改动。",
        "Plan {id} is already in force in this ledger; nothing changed."
    )
}

/// The refusals of `plan adopt`.
pub fn refusal(err: &CliError, lang: Lang) -> String {
    match err {
        CliError::PlanLacksUnit {
            plan_id,
            unit,
            unit_name,
        } => {
            let (plan_id, unit, name) = (safe(plan_id), safe(unit), safe(unit_name));
            tr!(
                lang,
                "计划 {plan_id} 的单位名单中没有本单位（{name}，{unit}），未采用。请核对是否拿错了计划文件，或向市科技局确认本单位在新计划中的代码。",
                "Plan {plan_id} does not list this unit ({name}, {unit}); it was not adopted. Check that this is the right plan file, or ask the city office for this unit's code in the new plan."
            )
        }
        CliError::PlanOfOtherCity {
            plan_id,
            plan_city,
            ledger_city,
        } => {
            let (plan_id, plan_city, ledger_city) =
                (safe(plan_id), safe(plan_city), safe(ledger_city));
            tr!(
                lang,
                "计划 {plan_id} 属于城市 {plan_city}，而本市级台账是 {ledger_city} 的，未采用。请核对计划文件。",
                "Plan {plan_id} is for city {plan_city}, but this city ledger is {ledger_city}'s; it was not adopted. Check the plan file."
            )
        }
        _ => err.to_string(),
    }
}
