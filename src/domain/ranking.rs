//! Ranking the units for the assessment (对标对表、排序通报) by the rule the plan file states
//! in its `[ranking]` table.
//!
//! 1. Score: the mean, over the plan's indicators, of each indicator's completion capped at
//!    100% (so over-achieving one indicator cannot hide another left behind). Completion is
//!    `achieved / expected by the date` (a year-end assessment is against that year's
//!    milestones) or `achieved / quota`, as the plan says; nothing to measure against
//!    counts as complete.
//! 2. Ties: the plan's tie-breaks in order (more indicators at or above what was expected
//!    by the date; more entities achieved in all).
//! 3. Then: the plan's (Annex 2) order; units equal on the score and every tie-break share
//!    a rank.

use serde::Serialize;

use super::progress::{IndicatorProgress, ProgressStatus, UnitProgress};
use crate::plan::{RankingRule, RankingScore, RankingTie};

/// One unit's place in the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitRank {
    /// 1 for the first; units equal on every criterion share a rank.
    pub rank: usize,
    pub unit: String,
    /// Mean capped completion in percent, one decimal.
    pub score: f64,
    /// Indicators at or above what was expected by the date.
    pub at_expected: usize,
    /// Entities achieved in all indicators.
    pub achieved: u64,
}

/// One indicator's completion, 0 to 1.
fn completion(score: RankingScore, i: &IndicatorProgress) -> f64 {
    let against = match score {
        RankingScore::CompletionAgainstExpected => i.expected,
        RankingScore::CompletionAgainstQuota => i.target,
    };
    if against == 0 {
        1.0
    } else {
        (i.achieved as f64 / f64::from(against)).min(1.0)
    }
}

/// The mean capped completion of a unit, in percent (unrounded).
fn score(rule: &RankingRule, p: &UnitProgress) -> f64 {
    if p.indicators.is_empty() {
        return 0.0;
    }
    let sum: f64 = p.indicators.iter().map(|i| completion(rule.score, i)).sum();
    sum / p.indicators.len() as f64 * 100.0
}

/// The value of a tie-break for a unit; larger ranks first.
fn tie_value(tie: RankingTie, r: &UnitRank) -> u64 {
    match tie {
        RankingTie::IndicatorsAtExpected => r.at_expected as u64,
        RankingTie::EntitiesAchieved => r.achieved,
    }
}

/// Ranks units given in the plan's order by `rule` (see this module's documentation).
pub fn rank_units(rule: &RankingRule, units: &[UnitProgress]) -> Vec<UnitRank> {
    let mut rows: Vec<(usize, UnitRank)> = units
        .iter()
        .enumerate()
        .map(|(order, p)| {
            let rank = UnitRank {
                rank: 0,
                unit: p.unit.clone(),
                score: (score(rule, p) * 10.0).round() / 10.0,
                at_expected: p
                    .indicators
                    .iter()
                    .filter(|i| i.status != ProgressStatus::Behind)
                    .count(),
                achieved: p.indicators.iter().map(|i| i.achieved).sum(),
            };
            (order, rank)
        })
        .collect();
    let ties = |r: &UnitRank| -> Vec<u64> { rule.ties.iter().map(|t| tie_value(*t, r)).collect() };
    rows.sort_by(|(oa, a), (ob, b)| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| ties(b).cmp(&ties(a)))
            .then(oa.cmp(ob))
    });
    let mut ranked: Vec<UnitRank> = Vec::with_capacity(rows.len());
    for (i, (_, mut row)) in rows.into_iter().enumerate() {
        row.rank = match ranked.last() {
            Some(prev) if prev.score == row.score && ties(prev) == ties(&row) => prev.rank,
            _ => i + 1,
        };
        ranked.push(row);
    }
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RecordKind;
    use crate::domain::progress::{AsOfSource, IndicatorProgress};
    use jiff::civil::date;

    fn rule(score: RankingScore) -> RankingRule {
        RankingRule {
            score,
            ties: vec![
                RankingTie::IndicatorsAtExpected,
                RankingTie::EntitiesAchieved,
            ],
            title_zh: "排名".into(),
            title_en: "Ranking".into(),
        }
    }

    fn rank_by_quota(units: &[UnitProgress]) -> Vec<UnitRank> {
        rank_units(&rule(RankingScore::CompletionAgainstQuota), units)
    }

    fn unit(code: &str, rows: &[(u32, u64, u32)]) -> UnitProgress {
        let kinds = RecordKind::ALL;
        UnitProgress {
            unit: code.into(),
            as_of: date(2023, 12, 31),
            as_of_source: AsOfSource::Given,
            measured_on: date(2023, 12, 31),
            plan_over: false,
            indicators: rows
                .iter()
                .zip(kinds)
                .map(|(&(target, achieved, expected), key)| IndicatorProgress {
                    key,
                    target,
                    achieved,
                    percent: 0.0,
                    expected,
                    status: if achieved > u64::from(expected) {
                        ProgressStatus::Ahead
                    } else if achieved == u64::from(expected) {
                        ProgressStatus::OnTrack
                    } else {
                        ProgressStatus::Behind
                    },
                    floor: None,
                    growth: None,
                    yearly: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn over_achieving_one_indicator_does_not_hide_another() {
        // A: 300% of one indicator, nothing of the other → 50. B: half of both → 50.
        // C: all of both → 100.
        let a = unit("A", &[(2, 6, 2), (2, 0, 2)]);
        let b = unit("B", &[(2, 1, 2), (2, 1, 2)]);
        let c = unit("C", &[(2, 2, 2), (2, 2, 2)]);
        let ranked = rank_by_quota(&[a, b, c]);
        assert_eq!(ranked[0].unit, "C");
        assert_eq!(ranked[0].score, 100.0);
        // A and B both score 50; A has one indicator on track, B none.
        assert_eq!(ranked[1].unit, "A");
        assert_eq!(ranked[1].score, 50.0);
        assert_eq!(ranked[2].unit, "B");
        assert_eq!((ranked[1].rank, ranked[2].rank), (2, 3));
    }

    #[test]
    fn equal_units_share_a_rank_and_keep_plan_order() {
        let ranked = rank_by_quota(&[
            unit("X", &[(1, 0, 0)]),
            unit("Y", &[(1, 0, 0)]),
            unit("Z", &[(1, 1, 0)]),
        ]);
        let order: Vec<(&str, usize)> = ranked.iter().map(|r| (r.unit.as_str(), r.rank)).collect();
        assert_eq!(order, vec![("Z", 1), ("X", 2), ("Y", 2)]);
    }

    #[test]
    fn no_target_counts_as_complete() {
        let ranked = rank_by_quota(&[unit("X", &[(0, 0, 0), (4, 2, 1)])]);
        assert_eq!(ranked[0].score, 75.0);
    }

    #[test]
    fn a_year_end_assessment_is_against_what_was_expected_by_then() {
        // On 2021-12-31 A has done all that was expected (1 of 1) of a quota of 3; B has
        // done 2 of the 3 expected of a quota of 6. Against the quota both look alike
        // (33.3%); against the year's milestones A is complete and B is not.
        let a = unit("A", &[(3, 1, 1)]);
        let b = unit("B", &[(6, 2, 3)]);
        let ranked = rank_units(&rule(RankingScore::CompletionAgainstExpected), &[b, a]);
        assert_eq!(ranked[0].unit, "A");
        assert_eq!(ranked[0].score, 100.0);
        assert_eq!(ranked[1].score, 66.7);
        // Nothing expected yet counts as complete.
        let early = rank_units(
            &rule(RankingScore::CompletionAgainstExpected),
            &[unit("C", &[(3, 0, 0)])],
        );
        assert_eq!(early[0].score, 100.0);
    }

    #[test]
    fn tie_breaks_follow_the_plans_order() {
        // Equal scores; X has more entities, Y more indicators at the expected pace.
        let x = unit("X", &[(2, 5, 0), (2, 0, 2)]);
        let y = unit("Y", &[(2, 2, 2), (2, 0, 0)]);
        let mut by_entities = rule(RankingScore::CompletionAgainstQuota);
        by_entities.ties = vec![RankingTie::EntitiesAchieved];
        let order = |r: Vec<UnitRank>| r.into_iter().map(|r| r.unit).collect::<Vec<_>>();
        assert_eq!(
            order(rank_units(&by_entities, &[y.clone(), x.clone()])),
            ["X", "Y"]
        );
        assert_eq!(order(rank_by_quota(&[x, y])), ["Y", "X"]);
    }
}
