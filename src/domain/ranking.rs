//! Ranking the units for the annual assessment (对标对表、排序通报) by a published rule.
//!
//! 1. Score: the mean, over the plan's indicators, of each indicator's completion
//!    `achieved / target` capped at 100% (an indicator with no target counts as complete), so
//!    over-achieving one indicator cannot hide another left behind.
//! 2. Ties: more indicators at or above what was expected by the date.
//! 3. Then: more entities achieved in all.
//! 4. Then: the plan's (Annex 2) order.

use serde::Serialize;

use super::progress::{ProgressStatus, UnitProgress};

/// One unit's place in the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitRank {
    /// 1 for the first; units equal on every criterion share a rank.
    pub rank: usize,
    pub unit: String,
    /// Mean capped completion in percent, one decimal.
    pub score: f64,
    /// Indicators at or above what was expected by the date.
    pub on_track: usize,
    /// Entities achieved in all indicators.
    pub achieved: u64,
}

/// The mean capped completion of a unit, in percent (unrounded).
fn score(p: &UnitProgress) -> f64 {
    if p.indicators.is_empty() {
        return 0.0;
    }
    let sum: f64 = p
        .indicators
        .iter()
        .map(|i| {
            if i.target == 0 {
                1.0
            } else {
                (i.achieved as f64 / f64::from(i.target)).min(1.0)
            }
        })
        .sum();
    sum / p.indicators.len() as f64 * 100.0
}

/// Ranks units given in the plan's order by the rule in this module's documentation.
pub fn rank_units(units: &[UnitProgress]) -> Vec<UnitRank> {
    let mut rows: Vec<(usize, UnitRank)> = units
        .iter()
        .enumerate()
        .map(|(order, p)| {
            let rank = UnitRank {
                rank: 0,
                unit: p.unit.clone(),
                score: (score(p) * 10.0).round() / 10.0,
                on_track: p
                    .indicators
                    .iter()
                    .filter(|i| i.status != ProgressStatus::Behind)
                    .count(),
                achieved: p.indicators.iter().map(|i| i.achieved).sum(),
            };
            (order, rank)
        })
        .collect();
    let key = |r: &UnitRank| (r.score, r.on_track, r.achieved);
    rows.sort_by(|(oa, a), (ob, b)| {
        b.score
            .total_cmp(&a.score)
            .then(b.on_track.cmp(&a.on_track))
            .then(b.achieved.cmp(&a.achieved))
            .then(oa.cmp(ob))
    });
    let mut ranked: Vec<UnitRank> = Vec::with_capacity(rows.len());
    for (i, (_, mut row)) in rows.into_iter().enumerate() {
        row.rank = match ranked.last() {
            Some(prev) if key(prev) == key(&row) => prev.rank,
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
        let ranked = rank_units(&[a, b, c]);
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
        let ranked = rank_units(&[
            unit("X", &[(1, 0, 0)]),
            unit("Y", &[(1, 0, 0)]),
            unit("Z", &[(1, 1, 0)]),
        ]);
        let order: Vec<(&str, usize)> = ranked.iter().map(|r| (r.unit.as_str(), r.rank)).collect();
        assert_eq!(order, vec![("Z", 1), ("X", 2), ("Y", 2)]);
    }

    #[test]
    fn no_target_counts_as_complete() {
        let ranked = rank_units(&[unit("X", &[(0, 0, 0), (4, 2, 1)])]);
        assert_eq!(ranked[0].score, 75.0);
    }
}
