//! An indicator's path over the plan, month by month: the count at each month's end by the
//! counting rules, what was expected by then, and which months lie ahead of the as-of date
//! (their counts are what the records already known give: coming lapses, no renewals).

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use crate::domain::RecordKind;

/// One month's end on an indicator's path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TrendPoint {
    pub month_end: Date,
    pub count: u64,
    pub expected: u32,
    /// After the as-of date: the count if nothing new is recorded.
    pub ahead: bool,
}

/// An indicator's path for one unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trend {
    pub unit: String,
    pub kind: RecordKind,
    pub target: u32,
    pub as_of: Date,
    /// Oldest first, one per month.
    pub points: Vec<TrendPoint>,
}

impl Trend {
    /// The largest value drawn (count, expectation or target), for the chart's scale.
    pub fn peak(&self) -> u64 {
        self.points
            .iter()
            .map(|p| p.count.max(u64::from(p.expected)))
            .chain([u64::from(self.target)])
            .max()
            .unwrap_or(0)
    }
}

/// The last day of every month from `from`'s month to `to`'s month, oldest first (at most
/// 600 months).
pub fn month_ends(from: Date, to: Date) -> Vec<Date> {
    let mut ends = Vec::new();
    let mut first = from.first_of_month();
    while first <= to && ends.len() < 600 {
        ends.push(first.last_of_month());
        match first.checked_add(1.month()) {
            Ok(next) => first = next,
            Err(_) => break,
        }
    }
    ends
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn month_ends_run_from_the_first_month_to_the_last_including_leap_februaries() {
        let ends = month_ends(date(2023, 11, 15), date(2024, 3, 1));
        assert_eq!(
            ends,
            [
                date(2023, 11, 30),
                date(2023, 12, 31),
                date(2024, 1, 31),
                date(2024, 2, 29),
                date(2024, 3, 31)
            ]
        );
        assert_eq!(month_ends(date(2021, 1, 1), date(2023, 12, 31)).len(), 36);
        assert!(month_ends(date(2024, 1, 1), date(2023, 12, 31)).is_empty());
        // A span of centuries stops at 600 months (fifty years).
        let long = month_ends(date(1900, 1, 1), date(2100, 1, 1));
        assert_eq!(long.len(), 600);
        assert_eq!(long.last(), Some(&date(1949, 12, 31)));
    }

    #[test]
    fn the_peak_covers_counts_expectations_and_the_target() {
        let point = |count, expected| TrendPoint {
            month_end: date(2023, 1, 31),
            count,
            expected,
            ahead: false,
        };
        let mut trend = Trend {
            unit: "230521".into(),
            kind: RecordKind::HighTech,
            target: 5,
            as_of: date(2023, 1, 31),
            points: vec![point(3, 2), point(4, 7)],
        };
        assert_eq!(trend.peak(), 7);
        trend.points[0].count = 9;
        assert_eq!(trend.peak(), 9);
        trend.target = 12;
        assert_eq!(trend.peak(), 12);
    }
}
