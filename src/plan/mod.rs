//! The plan as data: units, indicators, quotas, milestones and award rules, loaded from
//! TOML (the 2021-2023 plan is embedded) and validated before anyone relies on it.

mod load;

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::domain::RecordKind;

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

/// One award or funding rule from the plan, kept as data for reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AwardRule {
    pub kind: RecordKind,
    pub key: String,
    pub description_zh: String,
    pub description_en: String,
    pub amount_yuan: u64,
    pub cap_yuan: Option<u64>,
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

    pub fn quota(&self, unit: &str, kind: RecordKind) -> u32 {
        self.quotas
            .get(unit)
            .and_then(|q| q.get(&kind))
            .copied()
            .unwrap_or(0)
    }
}
