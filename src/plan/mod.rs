//! The plan as data: units, indicators, quotas, milestones and award rules, loaded from
//! TOML (the 2021-2023 plan is embedded) and validated before anyone relies on it.

pub mod city_targets;
mod load;

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::domain::RecordKind;

pub use city_targets::{
    CityTarget, GDP_YUAN, RND_SPENDING_YUAN, TargetMeasure, TargetSource, YearTarget,
};
pub use load::{PlanError, PlanProblem};

/// The embedded 2021-2023 plan.
pub const EMBEDDED_PLAN: &str = include_str!("../../data/plan-2021-2023.toml");
/// The name the embedded plan is reported under in messages.
pub const EMBEDDED_PLAN_NAME: &str = "data/plan-2021-2023.toml";

/// A validated plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    /// First day of the plan period.
    pub start: Date,
    /// Last day of the plan period.
    pub end: Date,
    pub city: Area,
    /// The reporting units, in the plan's order.
    pub units: Vec<Area>,
    /// One entry per record kind, in the plan's order.
    pub indicators: Vec<Indicator>,
    /// unit code → indicator → quota (target for the end of the plan).
    pub quotas: BTreeMap<String, BTreeMap<RecordKind, u32>>,
    pub awards: Vec<AwardRule>,
    /// How the city ranks the units (the plan's `[ranking]` table).
    pub ranking: RankingRule,
    /// City-wide targets no unit shares, shown in the city view.
    pub city_targets: Vec<CityTarget>,
}

/// How the units are ranked for the assessment (对标对表、排序通报), as the plan file says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RankingRule {
    /// What each indicator's completion is measured against.
    pub score: RankingScore,
    /// What decides between equal scores, in order; the plan's unit order comes last.
    pub ties: Vec<RankingTie>,
    /// The name of the assessment the rule serves, e.g. 年度考核排名.
    pub title_zh: String,
    pub title_en: String,
}

/// The score of a unit: the mean over the indicators of a completion capped at 100%.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RankingScore {
    /// `achieved / expected by the date`; nothing expected yet counts as complete.
    CompletionAgainstExpected,
    /// `achieved / the quota for the end of the plan`; no quota counts as complete.
    CompletionAgainstQuota,
}

/// A criterion between equal scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RankingTie {
    /// More indicators at or above what was expected by the date.
    IndicatorsAtExpected,
    /// More entities achieved, all indicators together.
    EntitiesAchieved,
}

impl RankingScore {
    pub const KEYS: [(&'static str, RankingScore); 2] = [
        (
            "completion_against_expected",
            RankingScore::CompletionAgainstExpected,
        ),
        (
            "completion_against_quota",
            RankingScore::CompletionAgainstQuota,
        ),
    ];
}

impl RankingTie {
    pub const KEYS: [(&'static str, RankingTie); 2] = [
        ("indicators_at_expected", RankingTie::IndicatorsAtExpected),
        ("entities_achieved", RankingTie::EntitiesAchieved),
    ];
}

/// A unit or the city: code and names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Area {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// One of the plan's six indicators.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Indicator {
    pub kind: RecordKind,
    pub name_zh: String,
    pub name_en: String,
    /// Unit of measure, e.g. 家 / firms.
    pub measure_zh: String,
    pub measure_en: String,
    pub rule: CountingRule,
    /// City-wide target at the end of the plan (equals the sum of the unit quotas).
    pub city_total: u32,
    /// City-wide cumulative values the plan sets by given dates, in date order.
    pub milestones: Vec<Milestone>,
    /// The least the city must reach by the end of the plan (确保), below `city_total`
    /// (力争), when the plan sets one.
    pub floor: Option<u32>,
    /// Growth over a count taken before the plan, when the plan sets it.
    pub growth: Option<Growth>,
}

/// Growth the plan sets over the count on a day before it starts: by the end of the plan's
/// first calendar year, a net increase of `first_year_percent` over that count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Growth {
    /// The day the baseline is counted on (with the indicator's own counting rule).
    pub baseline_on: Date,
    pub first_year_percent: u32,
}

/// How achieved entities are counted on a date (plan.md, "How each indicator counts").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum CountingRule {
    /// Distinct firms registered in the calendar year of the date, up to the date.
    RegisteredInYear,
    /// Distinct firms holding a certificate valid on the date; valid `years` from its date.
    ValidForYears { years: u32 },
    /// Recognised on or before the date and not revoked by it (cumulative).
    RecognisedNotRevoked,
    /// Transferred inside the plan period, up to the date (a flow).
    TransferredInPeriod,
}

/// A city-wide value the plan sets for a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Milestone {
    pub on: Date,
    pub city_value: u32,
}

/// One award or funding rule from the plan. Its key names the condition (see
/// [`crate::domain::awards`]); the amounts are the plan's to set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AwardRule {
    pub kind: RecordKind,
    pub key: String,
    pub description_zh: String,
    pub description_en: String,
    /// The fixed amount; with a cap and no share, the least of the range the city chooses in.
    pub amount_yuan: u64,
    /// The most paid: a share's ceiling, or the top of a range.
    pub cap_yuan: Option<u64>,
    /// The award is this share of an amount the record carries (20 for 20%, 100 for a 1:1
    /// match).
    pub share_percent: Option<u32>,
}

impl Plan {
    /// The embedded 2021-2023 plan.
    pub fn embedded() -> Plan {
        // The embedded file is checked by a test; a failure here is a build defect.
        Plan::parse(EMBEDDED_PLAN, EMBEDDED_PLAN_NAME).expect("embedded plan is valid")
    }

    pub fn unit(&self, code: &str) -> Option<&Area> {
        self.units.iter().find(|u| u.code == code)
    }

    pub fn indicator(&self, kind: RecordKind) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.kind == kind)
    }

    /// The figures the city office enters for the city-wide targets (GDP, R&D spending,
    /// institutions …), each once, in the order the targets first need them.
    pub fn city_figure_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::new();
        for target in &self.city_targets {
            for key in target.source.inputs(&target.key) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        keys
    }

    pub fn quota(&self, unit: &str, kind: RecordKind) -> u32 {
        self.quotas
            .get(unit)
            .and_then(|q| q.get(&kind))
            .copied()
            .unwrap_or(0)
    }
}
