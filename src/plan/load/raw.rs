//! The plan file as written: TOML tables, with the position of each value kept so that a
//! problem found later can name its line.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use toml::Value;

/// A text value and where it stands.
pub(super) type Text = Spanned<String>;

/// A date as written: a TOML date (`2024-01-01`) or, just as well, the same in quotes.
pub(super) type RawDate = Spanned<Value>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlan {
    pub id: Text,
    pub title_zh: Text,
    pub title_en: Text,
    pub start: RawDate,
    pub end: RawDate,
    pub city: RawArea,
    pub units: Vec<RawArea>,
    pub indicators: Vec<RawIndicator>,
    /// unit code → indicator key → quota.
    pub quotas: BTreeMap<Text, Spanned<BTreeMap<Text, Spanned<u32>>>>,
    #[serde(default)]
    pub awards: Vec<RawAward>,
    pub ranking: Spanned<RawRanking>,
    #[serde(default)]
    pub city_targets: Vec<RawCityTarget>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCityTarget {
    pub key: Text,
    pub name_zh: Text,
    pub name_en: Text,
    pub measure: Text,
    pub source: Text,
    pub yearly: Vec<RawYearTarget>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawYearTarget {
    pub year: Spanned<i64>,
    pub value: Spanned<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRanking {
    pub score: Text,
    pub ties: Vec<Text>,
    pub title_zh: Text,
    pub title_en: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawArea {
    pub code: Text,
    pub name_zh: Text,
    pub name_en: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndicator {
    pub key: Text,
    pub name_zh: Text,
    pub name_en: Text,
    pub measure_zh: Text,
    pub measure_en: Text,
    pub rule: Text,
    /// Only with `rule = "valid_for_years"`.
    pub years: Option<Spanned<u32>>,
    pub city_total: Spanned<u32>,
    #[serde(default)]
    pub milestones: Vec<RawMilestone>,
    /// The least the city must reach (确保), at most `city_total`.
    pub floor: Option<Spanned<u32>>,
    /// With `first_year_growth_percent`: the day the baseline is counted on.
    pub baseline_on: Option<RawDate>,
    pub first_year_growth_percent: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMilestone {
    pub on: RawDate,
    pub city_value: Spanned<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAward {
    pub kind: Text,
    pub key: Text,
    pub description_zh: Text,
    pub description_en: Text,
    pub amount_yuan: u64,
    pub cap_yuan: Option<u64>,
    pub share_percent: Option<u32>,
}
