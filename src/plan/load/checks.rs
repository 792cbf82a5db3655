//! Turning the file as written into a [`Plan`], refusing anything inconsistent and naming
//! the line where the problem stands.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use toml::Value;

use super::raw::{
    RawArea, RawAward, RawDate, RawIndicator, RawMilestone, RawPlan, RawRanking, Text,
};
use super::{PlanError, PlanProblem, Source};
use crate::domain::RecordKind;
use crate::plan::{
    Area, AwardRule, CountingRule, Growth, Indicator, Milestone, Plan, RankingRule, RankingScore,
    RankingTie,
};

type Quotas = BTreeMap<String, BTreeMap<RecordKind, u32>>;

pub(super) fn build(raw: RawPlan, src: &Source) -> Result<Plan, PlanError> {
    let id = text(src, &raw.id, "id")?;
    let title_zh = text(src, &raw.title_zh, "title_zh")?;
    let title_en = text(src, &raw.title_en, "title_en")?;
    let start = date(src, &raw.start, "start")?;
    let end = date(src, &raw.end, "end")?;
    if start > end {
        return Err(src.at(raw.start.span(), PlanProblem::StartAfterEnd { start, end }));
    }
    let city = area(src, &raw.city)?;
    let units = units(src, &raw.units)?;
    let indicators = indicators(src, &raw.indicators, start, end)?;
    let quotas = quotas(src, &raw, &indicators)?;
    check_sums(src, &raw.indicators, &indicators, &quotas)?;
    let awards = awards(src, &raw.awards)?;
    let ranking = ranking(src, raw.ranking.get_ref())?;
    let city_targets = super::city_targets::city_targets(src, &raw.city_targets, start, end)?;
    Ok(Plan {
        id,
        title_zh,
        title_en,
        start,
        end,
        city,
        units,
        indicators,
        quotas,
        awards,
        ranking,
        city_targets,
    })
}

/// The ranking rule: a known score and known, distinct tie-breaks.
fn ranking(src: &Source, raw: &RawRanking) -> Result<RankingRule, PlanError> {
    let score_key = raw.score.get_ref().trim();
    let Some((_, score)) = RankingScore::KEYS.iter().find(|(k, _)| *k == score_key) else {
        let problem = PlanProblem::UnknownRankingScore {
            score: score_key.to_string(),
        };
        return Err(src.at(raw.score.span(), problem));
    };
    let mut ties = Vec::with_capacity(raw.ties.len());
    for tie in &raw.ties {
        let key = tie.get_ref().trim();
        let Some((_, criterion)) = RankingTie::KEYS.iter().find(|(k, _)| *k == key) else {
            let problem = PlanProblem::UnknownRankingTie {
                tie: key.to_string(),
            };
            return Err(src.at(tie.span(), problem));
        };
        if ties.contains(criterion) {
            let problem = PlanProblem::DuplicateRankingTie {
                tie: key.to_string(),
            };
            return Err(src.at(tie.span(), problem));
        }
        ties.push(*criterion);
    }
    Ok(RankingRule {
        score: *score,
        ties,
        title_zh: text(src, &raw.title_zh, "title_zh")?,
        title_en: text(src, &raw.title_en, "title_en")?,
    })
}

/// A text value with surrounding blanks removed; blank is refused.
pub(super) fn text(src: &Source, value: &Text, key: &str) -> Result<String, PlanError> {
    let trimmed = value.get_ref().trim();
    if trimmed.is_empty() {
        return Err(src.at(
            value.span(),
            PlanProblem::EmptyValue {
                key: key.to_string(),
            },
        ));
    }
    Ok(trimmed.to_string())
}

/// A TOML date with no time or offset, or an ISO date in quotes.
fn date(src: &Source, value: &RawDate, key: &str) -> Result<Date, PlanError> {
    let not_a_date = || {
        src.at(
            value.span(),
            PlanProblem::NotADate {
                key: key.to_string(),
            },
        )
    };
    match value.get_ref() {
        Value::Datetime(datetime) => {
            let (Some(day), None, None) = (datetime.date, datetime.time, datetime.offset) else {
                return Err(not_a_date());
            };
            let year = i16::try_from(day.year).map_err(|_| not_a_date())?;
            let month = i8::try_from(day.month).map_err(|_| not_a_date())?;
            let day = i8::try_from(day.day).map_err(|_| not_a_date())?;
            Date::new(year, month, day).map_err(|_| not_a_date())
        }
        Value::String(text) => text.trim().parse::<Date>().map_err(|_| not_a_date()),
        _ => Err(not_a_date()),
    }
}

/// The record kind an indicator or award key names.
fn kind(src: &Source, key: &Text) -> Result<RecordKind, PlanError> {
    RecordKind::from_key(key.get_ref()).ok_or_else(|| {
        src.at(
            key.span(),
            PlanProblem::UnknownIndicator {
                key: key.get_ref().clone(),
            },
        )
    })
}

fn area(src: &Source, raw: &RawArea) -> Result<Area, PlanError> {
    Ok(Area {
        code: text(src, &raw.code, "code")?,
        name_zh: text(src, &raw.name_zh, "name_zh")?,
        name_en: text(src, &raw.name_en, "name_en")?,
    })
}

fn units(src: &Source, raw: &[RawArea]) -> Result<Vec<Area>, PlanError> {
    if raw.is_empty() {
        return Err(src.whole(PlanProblem::NoUnits));
    }
    let mut units: Vec<Area> = Vec::with_capacity(raw.len());
    for raw_unit in raw {
        let unit = area(src, raw_unit)?;
        if units.iter().any(|u| u.code == unit.code) {
            return Err(src.at(
                raw_unit.code.span(),
                PlanProblem::DuplicateUnit { code: unit.code },
            ));
        }
        units.push(unit);
    }
    Ok(units)
}

/// The indicators in file order, each of the six kinds exactly once.
fn indicators(
    src: &Source,
    raw: &[RawIndicator],
    start: Date,
    end: Date,
) -> Result<Vec<Indicator>, PlanError> {
    let mut indicators: Vec<Indicator> = Vec::with_capacity(raw.len());
    for raw_indicator in raw {
        let indicator = indicator(src, raw_indicator, start, end)?;
        if indicators.iter().any(|i| i.kind == indicator.kind) {
            return Err(src.at(
                raw_indicator.key.span(),
                PlanProblem::DuplicateIndicator {
                    kind: indicator.kind,
                },
            ));
        }
        indicators.push(indicator);
    }
    if let Some(kind) = RecordKind::ALL
        .into_iter()
        .find(|k| !indicators.iter().any(|i| i.kind == *k))
    {
        return Err(src.whole(PlanProblem::MissingIndicator { kind }));
    }
    Ok(indicators)
}

fn indicator(
    src: &Source,
    raw: &RawIndicator,
    start: Date,
    end: Date,
) -> Result<Indicator, PlanError> {
    let kind = kind(src, &raw.key)?;
    Ok(Indicator {
        kind,
        name_zh: text(src, &raw.name_zh, "name_zh")?,
        name_en: text(src, &raw.name_en, "name_en")?,
        measure_zh: text(src, &raw.measure_zh, "measure_zh")?,
        measure_en: text(src, &raw.measure_en, "measure_en")?,
        rule: rule(src, raw, kind)?,
        city_total: *raw.city_total.get_ref(),
        milestones: milestones(src, raw, kind, start, end)?,
        floor: floor(src, raw, kind)?,
        growth: growth(src, raw, kind, start)?,
    })
}

/// A floor no higher than the city total.
fn floor(src: &Source, raw: &RawIndicator, kind: RecordKind) -> Result<Option<u32>, PlanError> {
    let Some(floor) = &raw.floor else {
        return Ok(None);
    };
    let (value, total) = (*floor.get_ref(), *raw.city_total.get_ref());
    if value > total {
        let problem = PlanProblem::FloorAboveTotal {
            kind,
            floor: value,
            total,
        };
        return Err(src.at(floor.span(), problem));
    }
    Ok(Some(value))
}

/// Growth over a baseline counted before the plan: both keys or neither.
fn growth(
    src: &Source,
    raw: &RawIndicator,
    kind: RecordKind,
    start: Date,
) -> Result<Option<Growth>, PlanError> {
    match (&raw.baseline_on, &raw.first_year_growth_percent) {
        (None, None) => Ok(None),
        (Some(on), Some(percent)) => {
            let baseline_on = date(src, on, "baseline_on")?;
            if baseline_on >= start {
                let problem = PlanProblem::BaselineNotBeforeStart {
                    kind,
                    on: baseline_on,
                };
                return Err(src.at(on.span(), problem));
            }
            Ok(Some(Growth {
                baseline_on,
                first_year_percent: *percent.get_ref(),
            }))
        }
        (Some(on), None) => Err(src.at(on.span(), PlanProblem::GrowthIncomplete { kind })),
        (None, Some(percent)) => {
            Err(src.at(percent.span(), PlanProblem::GrowthIncomplete { kind }))
        }
    }
}

fn rule(src: &Source, raw: &RawIndicator, kind: RecordKind) -> Result<CountingRule, PlanError> {
    // `None` stands for `valid_for_years`, which needs its `years`.
    let fixed = match raw.rule.get_ref().as_str() {
        "registered_in_year" => Some(CountingRule::RegisteredInYear),
        "valid_for_years" => None,
        "recognised_not_revoked" => Some(CountingRule::RecognisedNotRevoked),
        "transferred_in_period" => Some(CountingRule::TransferredInPeriod),
        other => {
            return Err(src.at(
                raw.rule.span(),
                PlanProblem::UnknownRule {
                    rule: other.to_string(),
                },
            ));
        }
    };
    match (fixed, &raw.years) {
        (Some(rule), None) => Ok(rule),
        (Some(_), Some(years)) => {
            Err(src.at(years.span(), PlanProblem::YearsNotApplicable { kind }))
        }
        (None, None) => Err(src.at(raw.rule.span(), PlanProblem::MissingYears { kind })),
        (None, Some(years)) if *years.get_ref() == 0 => {
            Err(src.at(years.span(), PlanProblem::ZeroYears { kind }))
        }
        (None, Some(years)) => Ok(CountingRule::ValidForYears {
            years: *years.get_ref(),
        }),
    }
}

/// Milestones inside the period, strictly in date order, never decreasing, ending on the
/// city total.
fn milestones(
    src: &Source,
    raw: &RawIndicator,
    kind: RecordKind,
    start: Date,
    end: Date,
) -> Result<Vec<Milestone>, PlanError> {
    let mut milestones: Vec<Milestone> = Vec::with_capacity(raw.milestones.len());
    for RawMilestone { on, city_value } in &raw.milestones {
        let date = date(src, on, "on")?;
        let value = *city_value.get_ref();
        if date < start || date > end {
            let problem = PlanProblem::MilestoneOutsidePeriod { kind, on: date };
            return Err(src.at(on.span(), problem));
        }
        if let Some(previous) = milestones.last() {
            if date <= previous.on {
                let problem = PlanProblem::MilestoneOutOfOrder { kind, on: date };
                return Err(src.at(on.span(), problem));
            }
            if value < previous.city_value {
                let problem = PlanProblem::MilestoneDecreasing {
                    kind,
                    on: date,
                    value,
                    previous: previous.city_value,
                };
                return Err(src.at(city_value.span(), problem));
            }
        }
        milestones.push(Milestone {
            on: date,
            city_value: value,
        });
    }
    let total = *raw.city_total.get_ref();
    if let Some(last) = raw.milestones.last()
        && *last.city_value.get_ref() != total
    {
        let problem = PlanProblem::LastMilestoneNotTotal {
            kind,
            value: *last.city_value.get_ref(),
            total,
        };
        return Err(src.at(last.city_value.span(), problem));
    }
    Ok(milestones)
}

/// Every listed unit has a quota for every indicator, and no other unit has quotas.
fn quotas(src: &Source, raw: &RawPlan, indicators: &[Indicator]) -> Result<Quotas, PlanError> {
    // In file order, so the problem reported is the first one a reader meets.
    let mut rows: Vec<_> = raw.quotas.iter().collect();
    rows.sort_by_key(|(code, _)| code.span().start);
    let mut quotas = Quotas::new();
    for (code, row) in rows {
        if !raw
            .units
            .iter()
            .any(|u| u.code.get_ref().trim() == code.get_ref())
        {
            let problem = PlanProblem::UnknownUnit {
                code: code.get_ref().clone(),
            };
            return Err(src.at(code.span(), problem));
        }
        let mut cells: Vec<_> = row.get_ref().iter().collect();
        cells.sort_by_key(|(key, _)| key.span().start);
        let mut by_kind = BTreeMap::new();
        for (key, quota) in cells {
            by_kind.insert(kind(src, key)?, *quota.get_ref());
        }
        if let Some(missing) = indicators.iter().find(|i| !by_kind.contains_key(&i.kind)) {
            let problem = PlanProblem::MissingQuota {
                unit: code.get_ref().clone(),
                kind: missing.kind,
            };
            return Err(src.at(code.span(), problem));
        }
        quotas.insert(code.get_ref().clone(), by_kind);
    }
    if let Some(unit) = raw
        .units
        .iter()
        .find(|u| !quotas.contains_key(u.code.get_ref().trim()))
    {
        let problem = PlanProblem::NoQuotas {
            unit: unit.code.get_ref().trim().to_string(),
        };
        return Err(src.at(unit.code.span(), problem));
    }
    Ok(quotas)
}

/// Each indicator's unit quotas add up to its city total.
fn check_sums(
    src: &Source,
    raw: &[RawIndicator],
    indicators: &[Indicator],
    quotas: &Quotas,
) -> Result<(), PlanError> {
    for (raw_indicator, indicator) in raw.iter().zip(indicators) {
        let sum: u64 = quotas
            .values()
            .filter_map(|q| q.get(&indicator.kind))
            .map(|&q| u64::from(q))
            .sum();
        if sum != u64::from(indicator.city_total) {
            let problem = PlanProblem::QuotaSumMismatch {
                kind: indicator.kind,
                sum,
                total: indicator.city_total,
            };
            return Err(src.at(raw_indicator.city_total.span(), problem));
        }
    }
    Ok(())
}

fn awards(src: &Source, raw: &[RawAward]) -> Result<Vec<AwardRule>, PlanError> {
    let mut keys = BTreeSet::new();
    let mut awards = Vec::with_capacity(raw.len());
    for award in raw {
        let key = text(src, &award.key, "key")?;
        if !keys.insert(key.clone()) {
            return Err(src.at(award.key.span(), PlanProblem::DuplicateAward { key }));
        }
        if let Some(percent) = award.share_percent
            && !(1..=100).contains(&percent)
        {
            return Err(src.at(award.key.span(), PlanProblem::AwardShare { key, percent }));
        }
        if let Some(cap) = award.cap_yuan
            && cap < award.amount_yuan
        {
            let amount = award.amount_yuan;
            return Err(src.at(
                award.key.span(),
                PlanProblem::AwardCapBelowAmount { key, amount, cap },
            ));
        }
        awards.push(AwardRule {
            kind: kind(src, &award.kind)?,
            key,
            description_zh: text(src, &award.description_zh, "description_zh")?,
            description_en: text(src, &award.description_en, "description_en")?,
            amount_yuan: award.amount_yuan,
            cap_yuan: award.cap_yuan,
            share_percent: award.share_percent,
        });
    }
    Ok(awards)
}
