//! Checking the plan file's `[[city_targets]]`: known measures and sources, unique keys,
//! yearly values inside the plan period, in order, never negative.

use std::collections::BTreeSet;

use jiff::civil::Date;

use super::checks::text;
use super::raw::RawCityTarget;
use super::{PlanError, PlanProblem, Source};
use crate::plan::{CityTarget, TargetMeasure, TargetSource, YearTarget};

pub(super) fn city_targets(
    src: &Source,
    raw: &[RawCityTarget],
    start: Date,
    end: Date,
) -> Result<Vec<CityTarget>, PlanError> {
    let mut keys = BTreeSet::new();
    let mut targets = Vec::with_capacity(raw.len());
    for target in raw {
        let key = text(src, &target.key, "key")?;
        if !keys.insert(key.clone()) {
            return Err(src.at(target.key.span(), PlanProblem::DuplicateCityTarget { key }));
        }
        let measure_key = target.measure.get_ref().trim();
        let Some((_, measure)) = TargetMeasure::KEYS.iter().find(|(k, _)| *k == measure_key) else {
            let problem = PlanProblem::UnknownTargetMeasure {
                measure: measure_key.to_string(),
            };
            return Err(src.at(target.measure.span(), problem));
        };
        let source_key = target.source.get_ref().trim();
        let Some((_, source)) = TargetSource::KEYS.iter().find(|(k, _)| *k == source_key) else {
            let problem = PlanProblem::UnknownTargetSource {
                source: source_key.to_string(),
            };
            return Err(src.at(target.source.span(), problem));
        };
        let yearly = yearly(src, target, &key, start, end)?;
        targets.push(CityTarget {
            name_zh: text(src, &target.name_zh, "name_zh")?,
            name_en: text(src, &target.name_en, "name_en")?,
            key,
            measure: *measure,
            source: *source,
            yearly,
        });
    }
    Ok(targets)
}

fn yearly(
    src: &Source,
    target: &RawCityTarget,
    key: &str,
    start: Date,
    end: Date,
) -> Result<Vec<YearTarget>, PlanError> {
    if target.yearly.is_empty() {
        let problem = PlanProblem::NoYearlyTargets {
            key: key.to_string(),
        };
        return Err(src.at(target.key.span(), problem));
    }
    let mut out: Vec<YearTarget> = Vec::with_capacity(target.yearly.len());
    for value in &target.yearly {
        let year = *value.year.get_ref();
        let in_plan = year >= i64::from(start.year()) && year <= i64::from(end.year());
        let after_previous = out.last().is_none_or(|p| i64::from(p.year) < year);
        let (Ok(year_i16), true, true) = (i16::try_from(year), in_plan, after_previous) else {
            let problem = PlanProblem::TargetYearOutOfPlace {
                key: key.to_string(),
                year,
            };
            return Err(src.at(value.year.span(), problem));
        };
        let amount = *value.value.get_ref();
        if !amount.is_finite() || amount < 0.0 {
            let problem = PlanProblem::BadTargetValue {
                key: key.to_string(),
            };
            return Err(src.at(value.value.span(), problem));
        }
        out.push(YearTarget {
            year: year_i16,
            value: amount,
        });
    }
    Ok(out)
}
