//! The cultivation pool page (培育库): its title and columns, the form and the questions
//! about an entry, what a change says in the message line, and the city's page of each
//! unit's pool by stage.

use jiff::civil::Date;

use crate::display::safe;
use crate::domain::pool::{PoolEntry, PoolStage, PoolStatus};
use crate::i18n::Lang;
use crate::i18n::pool::stage_label;
use crate::tr;
use crate::tui::app::Bilingual;

/// `培育库 · 宝清县 · 培育中 5 家`.
pub fn pool_title(lang: Lang, unit: &str, open: usize, show_closed: bool) -> String {
    let unit = safe(unit);
    let title = tr!(
        lang,
        "培育库 · {unit} · 培育中 {open} 家",
        "Cultivation pool · {unit} · {open} open"
    );
    if show_closed {
        tr!(lang, "{title}（含已结束）", "{title} (closed ones too)")
    } else {
        title
    }
}

/// `高新技术企业后备（3 家培育中）`.
pub fn stage_heading(lang: Lang, stage: PoolStage, open: usize) -> String {
    let stage = stage_label(stage, lang);
    tr!(lang, "{stage}（{open} 家培育中）", "{stage} ({open} open)")
}

/// The columns of an entry row: firm, credit code, target date, status or notes.
pub fn entry_columns(lang: Lang) -> [String; 4] {
    [
        tr!(lang, "企业名称", "Firm"),
        tr!(lang, "统一社会信用代码", "Credit code"),
        tr!(lang, "目标日期", "Target"),
        tr!(lang, "状态 · 备注", "Status · notes"),
    ]
}

/// What the last column of an entry says: overdue, or how it closed, then its notes.
pub fn entry_state(lang: Lang, entry: &PoolEntry, today: Date) -> String {
    let status = match entry.status {
        PoolStatus::Open if entry.target_on < today => tr!(lang, "已过目标日期", "overdue"),
        PoolStatus::Open => String::new(),
        closed => {
            let label = crate::i18n::pool::status_label(closed, lang);
            match entry.closed_on {
                Some(on) => format!("{label} {on}"),
                None => label.to_owned(),
            }
        }
    };
    let notes = safe(&entry.notes);
    match (status.is_empty(), notes.is_empty()) {
        (true, _) => notes.into_owned(),
        (false, true) => status,
        (false, false) => format!("{status} · {notes}"),
    }
}

pub fn empty_pool(lang: Lang, read_only: bool, show_closed: bool) -> String {
    match (read_only, show_closed) {
        (true, _) => tr!(
            lang,
            "该单位的同步包中没有培育库企业。",
            "The unit's bundles carry no pool entries."
        ),
        (false, false) => tr!(
            lang,
            "没有培育中的企业。按 n 把一家企业加入培育库，按 x 看已结束的。",
            "No firm is being cultivated. Press n to put one in, x to see closed entries."
        ),
        (false, true) => tr!(
            lang,
            "培育库中还没有企业。按 n 把一家企业加入培育库。",
            "The pool is empty. Press n to put a firm in."
        ),
    }
}

/// The line under the list at the city: where the entries come from.
pub fn city_pool_source(lang: Lang) -> String {
    tr!(
        lang,
        "培育库由各单位自行维护，随同步包报送；市科技局只读。",
        "Each unit keeps its own pool and sends it in its bundles; read-only here."
    )
}

pub fn new_entry_title(lang: Lang) -> String {
    tr!(lang, "加入培育库", "Put a firm into the pool")
}

pub fn edit_entry_title(lang: Lang, name: &str, revision: i64) -> String {
    let name = safe(name);
    tr!(
        lang,
        "修改培育库企业：{name}（第 {revision} 版）",
        "Change pool entry: {name} (revision {revision})"
    )
}

/// Under the stage field: how it is picked.
pub fn stage_hint(lang: Lang) -> String {
    tr!(
        lang,
        "←/→ 或空格切换，1-3 直接选",
        "Left/Right or Space to change, 1-3 to pick"
    )
}

/// Under a field an edit does not change.
pub fn kept_hint(lang: Lang) -> String {
    tr!(
        lang,
        "不能修改（换企业请退出后重新加入）",
        "not changed here (withdraw and add again for another firm)"
    )
}

/// Under the target date: the forms it takes.
pub fn date_hint(lang: Lang) -> String {
    tr!(
        lang,
        "如 2024-06-30、2024年6月30日、20240630",
        "e.g. 2024-06-30, 2024/6/30, 20240630"
    )
}

pub fn close_title(lang: Lang, achieved: bool) -> String {
    if achieved {
        tr!(lang, "已达成培育目标", "Target reached")
    } else {
        tr!(lang, "退出培育库", "Take out of the pool")
    }
}

pub fn close_question(lang: Lang, achieved: bool, today: Date) -> String {
    if achieved {
        tr!(
            lang,
            "记为 {today} 达成。说明（可不填）：",
            "Recorded as reached on {today}. A note (optional):"
        )
    } else {
        tr!(
            lang,
            "记为 {today} 退出。退出原因（必填）：",
            "Recorded as withdrawn on {today}. Why (required):"
        )
    }
}

pub fn reopen_question(lang: Lang, name: &str) -> String {
    let name = safe(name);
    tr!(
        lang,
        "让“{name}”重新培育？（y 确定，n 取消）",
        "Cultivate \"{name}\" again? (y yes, n no)"
    )
}

pub fn prompt_keys(lang: Lang) -> String {
    tr!(lang, "Enter 确定  Esc 取消", "Enter confirm  Esc cancel")
}

pub fn added_note(entry: &PoolEntry) -> Bilingual {
    let name = safe(&entry.name);
    let on = entry.target_on;
    Bilingual::from_fn(|lang| {
        let stage = stage_label(entry.stage, lang);
        tr!(
            lang,
            "已加入培育库：{name}（{stage}，目标 {on}）",
            "Added to the pool: {name} ({stage}, target {on})"
        )
    })
}

pub fn edited_note(entry: &PoolEntry) -> Bilingual {
    let name = safe(&entry.name);
    Bilingual::from_fn(|lang| {
        tr!(
            lang,
            "已修改培育库企业：{name}",
            "Pool entry changed: {name}"
        )
    })
}

pub fn closed_note(entry: &PoolEntry) -> Bilingual {
    let name = safe(&entry.name);
    match entry.status {
        PoolStatus::Achieved => {
            Bilingual::from_fn(|lang| tr!(lang, "已记为达成：{name}", "Marked reached: {name}"))
        }
        _ => Bilingual::from_fn(|lang| {
            tr!(
                lang,
                "已退出培育库：{name}（按 x 可看到，按 r 可重新培育）",
                "Taken out of the pool: {name} (x shows it, r cultivates it again)"
            )
        }),
    }
}

pub fn reopened_note(entry: &PoolEntry) -> Bilingual {
    let name = safe(&entry.name);
    Bilingual::from_fn(|lang| tr!(lang, "已重新培育：{name}", "Cultivated again: {name}"))
}

pub fn not_open_note() -> Bilingual {
    Bilingual::from_fn(|lang| {
        tr!(
            lang,
            "这家企业已结束培育，不能修改或结束；如需继续培育请按 r。",
            "This entry is closed: it cannot be changed or closed. Press r to cultivate it again."
        )
    })
}

pub fn already_open_note() -> Bilingual {
    Bilingual::from_fn(|lang| {
        tr!(
            lang,
            "这家企业正在培育中，无需重新培育。",
            "This firm is being cultivated already."
        )
    })
}

/// The city's pool page: its heading and the columns of the table by unit.
pub fn city_pool_title(lang: Lang) -> String {
    tr!(
        lang,
        "各单位培育库（培育中按阶段；不是任务指标）",
        "Each unit's pool (open entries by stage; not a quota)"
    )
}

pub fn city_pool_columns(lang: Lang) -> [String; 6] {
    [
        tr!(lang, "单位", "Unit"),
        tr!(lang, "科企培育", "Tech SME"),
        tr!(lang, "高新后备", "High-tech"),
        tr!(lang, "瞪羚后备", "Gazelle"),
        tr!(lang, "已达成", "Reached"),
        tr!(lang, "已退出", "Withdrawn"),
    ]
}

pub fn city_pool_open_hint(lang: Lang) -> String {
    tr!(
        lang,
        "Enter 查看所选单位培育库中的企业（只读）",
        "Enter lists the selected unit's pool entries (read-only)"
    )
}
