//! Strings of the city view: its pages, the Annex 2 table's legends, the freshness and
//! import-log columns, and one unit's records opened from it.

use super::{area_name, kind_title};
use jiff::civil::Date;

use crate::domain::RecordKind;
use crate::domain::progress::{AsOfSource, ProgressStatus};
use crate::i18n::Lang;
use crate::plan::Plan;
use crate::tr;
use crate::tui::state::city::{AnnexColumns, CityPage};

/// The line above the Annex 2 table: the date it is measured on, and why that date.
pub fn city_as_of_heading(
    lang: Lang,
    as_of: Date,
    source: AsOfSource,
    measured_on: Date,
) -> String {
    let heading = super::as_of_heading(lang, as_of, source, measured_on);
    tr!(lang, "全市{heading}", "City: {heading}")
}

/// A note on the city total, e.g. the high-tech floor and target.
pub fn city_note(lang: Lang, note: &str) -> String {
    tr!(lang, "全市{note}", "City {note}")
}

pub fn city_page_label(lang: Lang, page: CityPage) -> String {
    match page {
        CityPage::Annex => tr!(lang, "完成情况", "Annex 2"),
        CityPage::Ranking => tr!(lang, "排名", "Ranking"),
        CityPage::Claims => tr!(lang, "重复填报", "Claims"),
        CityPage::Freshness => tr!(lang, "报送情况", "Freshness"),
        CityPage::Imports => tr!(lang, "导入记录", "Imports"),
        CityPage::Targets => tr!(lang, "全市指标", "Targets"),
        CityPage::Pool => tr!(lang, "培育库", "Pools"),
    }
}

/// A unit's name short enough for a table column: `集贤县`, `Jixian`.
pub fn unit_short(lang: Lang, plan: &Plan, code: &str) -> String {
    let Some(area) = plan.unit(code) else {
        return code.to_string();
    };
    match lang {
        Lang::Zh => area.name_zh.clone(),
        Lang::En => {
            let name = area.name_en.as_str();
            name.strip_suffix(" County")
                .or_else(|| name.strip_suffix(" District"))
                .unwrap_or(name)
                .to_string()
        }
    }
}

pub fn city_total_short(lang: Lang) -> String {
    tr!(lang, "全市合计", "City total")
}

pub fn annex_box_title(lang: Lang, columns: AnnexColumns) -> String {
    match columns {
        AnnexColumns::Achieved => tr!(lang, "附件2 · 完成/目标", "Annex 2 · achieved/target"),
        AnnexColumns::Percent => tr!(lang, "附件2 · 完成率", "Annex 2 · percent done"),
        AnnexColumns::Expected => tr!(
            lang,
            "附件2 · 应完成与状态",
            "Annex 2 · expected by the date, status"
        ),
    }
}

pub fn annex_unit_column(lang: Lang) -> String {
    tr!(lang, "单位", "Unit")
}

/// A cell of the expected/status table: `4 滞后`, `4 behind`.
pub fn expected_cell(lang: Lang, expected: u32, status: ProgressStatus) -> String {
    match status {
        ProgressStatus::Ahead => tr!(lang, "{expected} 超前", "{expected} ahead"),
        ProgressStatus::OnTrack => tr!(lang, "{expected} 按期", "{expected} ok"),
        ProgressStatus::Behind => tr!(lang, "{expected} 滞后", "{expected} behind"),
    }
}

pub fn annex_columns_hint(lang: Lang) -> String {
    tr!(
        lang,
        "p 切换表中显示：完成/目标 → 完成率 → 应完成与状态（超前、按期、滞后）",
        "p cells: achieved/target, percent, or expected and status (ok = on track)"
    )
}

pub fn counted_once(lang: Lang, claimed: usize) -> String {
    tr!(
        lang,
        "全市合计中同一企业只计一次；有 {claimed} 家企业被多个单位填报（见 2 重复填报）。",
        "The city total counts each firm once; firms claimed by more than one unit: {claimed} (see 2)."
    )
}

pub fn silent_summary(lang: Lang, silent: usize, days: i64) -> String {
    if silent == 0 {
        tr!(
            lang,
            "各单位都在 {days} 天内报送过同步包。",
            "Every unit sent a bundle within {days} days."
        )
    } else {
        tr!(
            lang,
            "有 {silent} 个单位超过 {days} 天未报送同步包（见 3 报送情况）。",
            "{silent} units have sent no bundle for over {days} days (see 3)."
        )
    }
}

/// The Annex 2 page's line on refused bundles (nothing when none waits).
pub fn refused_summary(lang: Lang, refused: usize) -> String {
    match refused {
        0 => String::new(),
        n => tr!(
            lang,
            "有 {n} 个同步包被拒收，该单位此后尚未导入成功（见 4 导入记录）。",
            "{n} bundles were refused and their units have sent none good since (see 4)."
        ),
    }
}

/// More refused bundles than the import page shows: where the rest are.
pub fn more_refused(lang: Lang, more: usize) -> String {
    tr!(
        lang,
        "另有 {more} 个，taizhang due 列出全部。",
        "{more} more: taizhang due lists them all."
    )
}

pub fn city_open_hint(lang: Lang) -> String {
    tr!(
        lang,
        "Enter 查看所选单位的记录（只读）  d 改日期  t 回到今天  u 导入同步包",
        "Enter: the selected unit's records (read-only)  d date  t today  u import"
    )
}

pub fn ranking_as_of(lang: Lang, as_of: Date) -> String {
    tr!(
        lang,
        "单位排名，截至 {as_of}",
        "Ranking of the units as of {as_of}"
    )
}

pub fn no_claims(lang: Lang) -> String {
    tr!(
        lang,
        "没有被多个单位同时填报的企业。",
        "No firm is claimed by more than one unit."
    )
}

pub fn claims_open_hint(lang: Lang) -> String {
    tr!(
        lang,
        "Enter 打开所选的那条记录（只读）",
        "Enter opens the selected record (read-only)"
    )
}

pub fn freshness_columns(lang: Lang) -> [String; 5] {
    let cols = match lang {
        Lang::Zh => ["单位", "最近序号", "导出时间", "导入时间", "情况"],
        Lang::En => ["Unit", "Bundle", "Exported", "Imported", "State"],
    };
    cols.map(str::to_string)
}

pub fn freshness_state(lang: Lang, received: bool, silent: bool) -> String {
    match (received, silent) {
        (false, _) => tr!(lang, "! 尚未报送", "! none yet"),
        (true, true) => tr!(lang, "! 超期未报", "! silent"),
        (true, false) => tr!(lang, "正常", "ok"),
    }
}

pub fn import_log_columns(lang: Lang) -> [String; 8] {
    let cols = match lang {
        Lang::Zh => [
            "导入时间",
            "单位",
            "序号",
            "新增",
            "修改",
            "未变",
            "作废",
            "导出时间",
        ],
        Lang::En => [
            "Imported", "Unit", "No.", "New", "Chg", "Same", "Void", "Exported",
        ],
    };
    cols.map(str::to_string)
}

pub fn no_imports(lang: Lang) -> String {
    tr!(
        lang,
        "还没有导入过同步包。按 u 导入。",
        "No bundle imported yet. Press u to import."
    )
}

/// The box title of one unit's records at the city.
pub fn unit_records_title(lang: Lang, plan: &Plan, unit: &str, kind: RecordKind) -> String {
    let name = plan
        .unit(unit)
        .map_or_else(|| unit.to_string(), |a| area_name(lang, a));
    let kind = kind_title(lang, kind);
    tr!(
        lang,
        "{name} · {kind}（只读）",
        "{name} · {kind} (read-only)"
    )
}

pub fn unit_list_empty(lang: Lang, include_voided: bool) -> String {
    if include_voided {
        tr!(
            lang,
            "该单位没有这类记录。",
            "The unit has no records of this kind."
        )
    } else {
        tr!(
            lang,
            "该单位没有这类有效记录。按 x 显示已作废的记录。",
            "The unit has no active records of this kind. x shows voided ones."
        )
    }
}

pub fn unit_label(lang: Lang) -> String {
    tr!(lang, "填报单位", "Unit")
}

pub fn read_only_banner(lang: Lang) -> String {
    tr!(
        lang,
        "市级台账只读：更正须由单位在本单位台账中修改，再报送同步包。",
        "Read-only at the city: corrections come in the unit's next bundle."
    )
}

pub fn no_city_targets(lang: Lang) -> String {
    tr!(
        lang,
        "计划没有设定这一年的全市指标。",
        "The plan sets no city-wide target for this year."
    )
}

pub fn city_targets_hint(lang: Lang) -> String {
    tr!(
        lang,
        "技术合同成交额由台账中转化成果的金额汇总；其余数据由市科技局用 taizhang figure set 填报（taizhang figure list 查看及修改记录）。",
        "Contract turnover sums the ledger's achievement amounts; the office enters the other figures with taizhang figure set (taizhang figure list shows them and every change)."
    )
}
