//! Kept counts: the days on which a record counts under its indicator's rule, the days an
//! entity counts (the union over its records), and the +1/−1 steps whose running sum is the
//! number of entities counted on any day. The store keeps these steps so that progress on a
//! date is a prefix sum instead of a recount. The technology contract turnover is kept the
//! same way, as steps (in fen) of the sum over achievements of each one's largest amount.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::Date;

use crate::domain::RecordKind;
use crate::domain::awards::{Fen, parse_fen};
use crate::domain::progress::{CountWindow, count_window};
use crate::plan::{CountingRule, Plan};

/// What the kept counts depend on: the plan period and each kind's counting rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountingBasis {
    pub start: Date,
    pub end: Date,
    /// One entry per kind the plan counts, in the plan's order.
    pub rules: Vec<(RecordKind, CountingRule)>,
}

/// Days `from <= day < until` (no `until`: for ever after).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct CountedDays {
    pub from: Date,
    pub until: Option<Date>,
}

/// A record as counting sees it: its key date and its end (revocation) date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountedRecord {
    pub key_date: Date,
    pub end_date: Option<Date>,
}

impl CountingBasis {
    /// The basis of a plan's indicators.
    pub fn of(plan: &Plan) -> CountingBasis {
        CountingBasis {
            start: plan.start,
            end: plan.end,
            rules: plan.indicators.iter().map(|i| (i.kind, i.rule)).collect(),
        }
    }

    /// The rule counting `kind`, if the plan counts it.
    pub fn rule(&self, kind: RecordKind) -> Option<CountingRule> {
        self.rules.iter().find(|(k, _)| *k == kind).map(|(_, r)| *r)
    }

    /// A stable text naming the basis, kept beside the counts so that counts built for
    /// another plan are never read as this one's.
    pub fn key(&self) -> String {
        // v2: the contract turnover is kept beside the counts.
        let mut key = format!("v2 {} {}", self.start, self.end);
        for (kind, rule) in &self.rules {
            let rule = match rule {
                CountingRule::RegisteredInYear => "registered_in_year".to_owned(),
                CountingRule::ValidForYears { years } => format!("valid_for_years:{years}"),
                CountingRule::RecognisedNotRevoked => "recognised_not_revoked".to_owned(),
                CountingRule::TransferredInPeriod => "transferred_in_period".to_owned(),
            };
            key.push_str(&format!(" {}={rule}", kind.key()));
        }
        key
    }

    /// The day whose kept count answers a count of `kind` over `window`: the day `d` for
    /// which the kind's rule gives exactly this window. `None` when the window is not one
    /// the rule gives (the count must then be made from the records).
    pub fn kept_day(&self, kind: RecordKind, window: CountWindow) -> Option<Date> {
        let rule = self.rule(kind)?;
        let day = match window {
            CountWindow::KeyDateBetween { to, .. } => to,
            CountWindow::ActiveOn { on } => on,
        };
        (count_window(rule, self.start, self.end, day) == window).then_some(day)
    }

    /// The days on which a record of `kind` counts: for every day `d` (up to the plan's end
    /// for a flow counted over the plan period, which stays at its end-of-plan value after),
    /// the record is in `count_window(rule, start, end, d)` exactly when `d` is in the
    /// returned days. `None` when it never counts.
    pub fn counted_days(&self, kind: RecordKind, record: CountedRecord) -> Option<CountedDays> {
        let k = record.key_date;
        let cap = match self.rule(kind)? {
            CountingRule::RegisteredInYear => next_new_year(k),
            CountingRule::ValidForYears { years } => valid_until(k, years),
            CountingRule::RecognisedNotRevoked => None,
            CountingRule::TransferredInPeriod => {
                if k < self.start || k > self.end {
                    return None;
                }
                None
            }
        };
        capped(record, cap)
    }
}

/// The first day of the year after `k`'s; `None` when the calendar ends first.
fn next_new_year(k: Date) -> Option<Date> {
    k.year()
        .checked_add(1)
        .and_then(|year| Date::new(year, 1, 1).ok())
}

/// The days from the record's key date until the earlier of `cap` and its end date.
fn capped(record: CountedRecord, cap: Option<Date>) -> Option<CountedDays> {
    let k = record.key_date;
    let until = match (cap, record.end_date) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    match until {
        Some(until) if until <= k => None,
        until => Some(CountedDays { from: k, until }),
    }
}

/// The first day a certificate dated `k` is no longer valid when certificates last `years`
/// (the day after the last day [`count_window`] still counts it); `None` if the calendar
/// ends first.
fn valid_until(k: Date, years: u32) -> Option<Date> {
    let earliest = |d: Date| match count_window(
        CountingRule::ValidForYears { years },
        Date::MIN,
        Date::MAX,
        d,
    ) {
        CountWindow::KeyDateBetween { from, .. } => from,
        CountWindow::ActiveOn { on } => on,
    };
    // Certificates still valid on `d` are those dated from `earliest(d)`, which never falls
    // as `d` grows; start near the anniversary and step to the exact first day past `k`.
    let mut day = k
        .checked_add(i64::from(years).years())
        .ok()
        .unwrap_or(Date::MAX);
    while earliest(day) <= k {
        day = day.checked_add(1.day()).ok()?;
    }
    while let Ok(before) = day.checked_sub(1.day()) {
        if before <= k || earliest(before) <= k {
            break;
        }
        day = before;
    }
    Some(day)
}

/// The days an entity counts: the union of its records' days, as disjoint runs in order
/// (runs that touch are joined).
pub fn union(mut days: Vec<CountedDays>) -> Vec<CountedDays> {
    days.sort();
    let mut runs: Vec<CountedDays> = Vec::with_capacity(days.len());
    for next in days {
        match runs.last_mut() {
            Some(last) if last.until.is_none_or(|until| next.from <= until) => {
                last.until = match (last.until, next.until) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            _ => runs.push(next),
        }
    }
    runs
}

/// Changes to the number of entities counted, by day: the running sum of the steps up to and
/// including a day is the count on that day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CountSteps(BTreeMap<Date, i64>);

impl CountSteps {
    /// Adds (`sign` 1) or takes away (`sign` −1) the steps of an entity counted on `runs`.
    pub fn add_runs(&mut self, runs: &[CountedDays], sign: i64) {
        for run in runs {
            *self.0.entry(run.from).or_default() += sign;
            if let Some(until) = run.until {
                *self.0.entry(until).or_default() -= sign;
            }
        }
    }

    /// The steps that are not zero, by day.
    pub fn nonzero(&self) -> impl Iterator<Item = (Date, i64)> + '_ {
        self.0
            .iter()
            .filter(|(_, delta)| **delta != 0)
            .map(|(day, delta)| (*day, *delta))
    }

    /// The count on `day`: the sum of the steps up to it.
    pub fn count_on(&self, day: Date) -> i64 {
        self.0.range(..=day).map(|(_, delta)| delta).sum()
    }
}

/// The steps by which an entity's count changes when its records go from `before` to
/// `after`: its runs after, less its runs before.
pub fn entity_steps(
    basis: &CountingBasis,
    kind: RecordKind,
    before: &[CountedRecord],
    after: &[CountedRecord],
    steps: &mut CountSteps,
) {
    let runs = |records: &[CountedRecord]| {
        union(
            records
                .iter()
                .filter_map(|r| basis.counted_days(kind, *r))
                .collect(),
        )
    };
    let (old, new) = (runs(before), runs(after));
    if old != new {
        steps.add_runs(&old, -1);
        steps.add_runs(&new, 1);
    }
}

/// The kind whose records make up the technology contract turnover.
pub const TURNOVER_KIND: RecordKind = RecordKind::Achievement;
/// The field holding an achievement's contract amount, in yuan.
pub const TURNOVER_AMOUNT_FIELD: &str = "amount_yuan";

/// An achievement's contract amount in fen, from the text its record holds: the form the
/// validator stores (digits, at most two decimals, no sign, no grouping, no exponent) read
/// exactly. Anything else (missing, empty, negative, three decimals, `1e3`, too large for
/// 64 bits) is no amount the ledger can have written and counts as 0, as a missing amount
/// does; nothing is rounded or guessed.
pub fn turnover_fen(text: Option<&str>) -> Fen {
    text.and_then(parse_fen).unwrap_or(0)
}

/// An achievement as the contract turnover sees it: its dates and its amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AmountRecord {
    pub record: CountedRecord,
    pub fen: Fen,
}

/// The days on which an achievement is in the turnover of the year to date: for every day
/// `d`, the record is transferred between `d`'s New Year's Day and `d` and not revoked by
/// `d` exactly when `d` is in the returned days (the days of the `RegisteredInYear` rule).
/// `None` when it never is.
pub fn turnover_days(record: CountedRecord) -> Option<CountedDays> {
    capped(record, next_new_year(record.key_date))
}

/// Changes to a sum of amounts (in fen), by day: the running sum of the steps up to and
/// including a day is the sum on that day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AmountSteps(BTreeMap<Date, i128>);

impl AmountSteps {
    /// The steps that are not zero, by day.
    pub fn nonzero(&self) -> impl Iterator<Item = (Date, i128)> + '_ {
        self.0
            .iter()
            .filter(|(_, delta)| **delta != 0)
            .map(|(day, delta)| (*day, *delta))
    }

    /// The sum on `day`: the steps up to it.
    pub fn sum_on(&self, day: Date) -> i128 {
        self.0.range(..=day).map(|(_, delta)| delta).sum()
    }

    /// Adds (`sign` 1) or takes away (`sign` −1) an entity's value changes.
    fn add_changes(&mut self, changes: &[(Date, i128)], sign: i128) {
        for (day, delta) in changes {
            *self.0.entry(*day).or_default() += sign * delta;
        }
    }
}

/// An entity's value in the turnover, as the change of value on each day it changes: on a
/// day, the largest amount among its records in the window that day (0 if none).
fn entity_amount_changes(records: &[AmountRecord]) -> Vec<(Date, i128)> {
    // +1 / −1 of an amount on the days a record enters and leaves the window.
    let mut events: Vec<(Date, Fen, i64)> = Vec::with_capacity(records.len() * 2);
    for r in records {
        if r.fen == 0 {
            continue;
        }
        if let Some(days) = turnover_days(r.record) {
            events.push((days.from, r.fen, 1));
            if let Some(until) = days.until {
                events.push((until, r.fen, -1));
            }
        }
    }
    events.sort_unstable();
    let mut held: BTreeMap<Fen, i64> = BTreeMap::new();
    let mut changes = Vec::new();
    let mut value: Fen = 0;
    let mut i = 0;
    while i < events.len() {
        let day = events[i].0;
        while i < events.len() && events[i].0 == day {
            let (_, fen, change) = events[i];
            let n = held.entry(fen).or_default();
            *n += change;
            if *n == 0 {
                held.remove(&fen);
            }
            i += 1;
        }
        let now = held.last_key_value().map_or(0, |(fen, _)| *fen);
        if now != value {
            changes.push((day, i128::from(now) - i128::from(value)));
            value = now;
        }
    }
    changes
}

/// The steps by which the turnover changes when an entity's records go from `before` to
/// `after`: its value after, less its value before.
pub fn entity_amount_steps(
    before: &[AmountRecord],
    after: &[AmountRecord],
    steps: &mut AmountSteps,
) {
    let (old, new) = (entity_amount_changes(before), entity_amount_changes(after));
    if old != new {
        steps.add_changes(&old, -1);
        steps.add_changes(&new, 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn basis() -> CountingBasis {
        CountingBasis::of(&Plan::embedded())
    }

    fn rec(key: Date, end: Option<Date>) -> CountedRecord {
        CountedRecord {
            key_date: key,
            end_date: end,
        }
    }

    /// Whether the record is in the window the rule gives for `d`, as the recount reads it.
    fn in_window(basis: &CountingBasis, kind: RecordKind, r: CountedRecord, d: Date) -> bool {
        let rule = basis.rule(kind).unwrap();
        let ends_after = |to: Date| r.end_date.is_none_or(|e| e > to);
        match count_window(rule, basis.start, basis.end, d) {
            CountWindow::KeyDateBetween { from, to } => {
                from <= r.key_date && r.key_date <= to && ends_after(to)
            }
            CountWindow::ActiveOn { on } => r.key_date <= on && ends_after(on),
        }
    }

    /// Every day from `first` to `last`, both included, or to the calendar's end.
    fn each_day(first: Date, last: Date) -> impl Iterator<Item = Date> {
        std::iter::successors(Some(first), |d| d.tomorrow().ok()).take_while(move |d| *d <= last)
    }

    fn in_days(days: Option<CountedDays>, d: Date) -> bool {
        days.is_some_and(|c| c.from <= d && c.until.is_none_or(|u| d < u))
    }

    #[test]
    fn a_records_days_are_exactly_the_days_its_window_holds_it() {
        let basis = basis();
        let keys = [
            date(2020, 2, 29),
            date(2020, 12, 31),
            date(2021, 1, 1),
            date(2021, 2, 28),
            date(2021, 3, 1),
            date(2021, 6, 15),
            date(2023, 12, 31),
            date(2024, 1, 1),
        ];
        let ends = [
            None,
            Some(date(2021, 1, 1)),
            Some(date(2021, 6, 15)),
            Some(date(2022, 3, 1)),
            Some(date(2024, 2, 29)),
        ];
        for kind in RecordKind::ALL {
            for key in keys {
                for end in ends {
                    let r = rec(key, end);
                    let days = basis.counted_days(kind, r);
                    // Up to the plan's end every rule is exact; a flow stays at its end value.
                    let last = if basis.rule(kind) == Some(CountingRule::TransferredInPeriod) {
                        basis.end
                    } else {
                        date(2027, 3, 1)
                    };
                    for d in each_day(date(2019, 12, 1), last) {
                        assert_eq!(
                            in_days(days, d),
                            in_window(&basis, kind, r, d),
                            "{kind:?} {key} {end:?} on {d}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_three_year_certificate_lapses_on_its_third_anniversary() {
        assert_eq!(valid_until(date(2021, 3, 15), 3), Some(date(2024, 3, 15)));
        // Dated on a leap day: still valid on 2024-02-28, not on 2024-02-29.
        assert_eq!(valid_until(date(2020, 2, 29), 3), Some(date(2023, 3, 1)));
        assert_eq!(valid_until(date(2021, 2, 28), 3), Some(date(2024, 2, 28)));
        assert_eq!(valid_until(Date::MAX, 3), None);
    }

    #[test]
    fn touching_and_overlapping_runs_join_and_gaps_stay() {
        let d = |m, day| date(2022, m, day);
        let runs = union(vec![
            CountedDays {
                from: d(3, 1),
                until: Some(d(4, 1)),
            },
            CountedDays {
                from: d(1, 1),
                until: Some(d(3, 1)),
            },
            CountedDays {
                from: d(5, 1),
                until: Some(d(6, 1)),
            },
            CountedDays {
                from: d(5, 15),
                until: None,
            },
        ]);
        assert_eq!(
            runs,
            vec![
                CountedDays {
                    from: d(1, 1),
                    until: Some(d(4, 1))
                },
                CountedDays {
                    from: d(5, 1),
                    until: None
                },
            ]
        );
    }

    #[test]
    fn an_entity_counts_once_however_many_of_its_records_cover_a_day() {
        let basis = basis();
        let mut steps = CountSteps::default();
        let two_certificates = [rec(date(2021, 3, 15), None), rec(date(2024, 1, 10), None)];
        entity_steps(
            &basis,
            RecordKind::HighTech,
            &[],
            &two_certificates,
            &mut steps,
        );
        assert_eq!(steps.count_on(date(2021, 3, 14)), 0);
        assert_eq!(steps.count_on(date(2021, 3, 15)), 1);
        assert_eq!(steps.count_on(date(2024, 2, 1)), 1);
        assert_eq!(steps.count_on(date(2027, 1, 9)), 1);
        assert_eq!(steps.count_on(date(2027, 1, 10)), 0);
        // Taking the later certificate away leaves the first one's three years.
        entity_steps(
            &basis,
            RecordKind::HighTech,
            &two_certificates,
            &two_certificates[..1],
            &mut steps,
        );
        assert_eq!(steps.count_on(date(2024, 3, 14)), 1);
        assert_eq!(steps.count_on(date(2024, 3, 15)), 0);
        assert_eq!(steps.nonzero().count(), 2);
    }

    #[test]
    fn a_window_is_kept_only_when_the_rule_gives_it() {
        let basis = basis();
        let on = date(2022, 6, 30);
        for (kind, rule) in &basis.rules {
            let window = count_window(*rule, basis.start, basis.end, on);
            assert_eq!(basis.kept_day(*kind, window), Some(on), "{kind:?}");
        }
        let odd = CountWindow::KeyDateBetween {
            from: date(2022, 2, 1),
            to: on,
        };
        assert_eq!(basis.kept_day(RecordKind::TechSme, odd), None);
        assert_eq!(
            basis.kept_day(RecordKind::TechSme, CountWindow::ActiveOn { on }),
            None
        );
        // After the plan a flow is read on its last day.
        let after = count_window(
            CountingRule::TransferredInPeriod,
            basis.start,
            basis.end,
            date(2025, 1, 1),
        );
        assert_eq!(
            basis.kept_day(RecordKind::Achievement, after),
            Some(basis.end)
        );
    }

    /// Whether the achievement is in the turnover of `d`'s year to date, as the recount
    /// reads it.
    fn in_turnover_window(r: CountedRecord, d: Date) -> bool {
        d.first_of_year() <= r.key_date && r.key_date <= d && r.end_date.is_none_or(|e| e > d)
    }

    #[test]
    fn an_achievements_turnover_days_are_exactly_the_days_its_window_holds_it() {
        let keys = [
            date(2020, 2, 29),
            date(2020, 12, 31),
            date(2021, 1, 1),
            date(2021, 6, 15),
            date(2023, 12, 31),
            date(9999, 6, 1),
        ];
        let ends = [
            None,
            Some(date(2020, 2, 29)),
            Some(date(2021, 1, 1)),
            Some(date(2021, 6, 15)),
            Some(date(2021, 6, 16)),
            Some(date(2022, 3, 1)),
            Some(date(2024, 1, 1)),
            Some(date(9999, 7, 1)),
        ];
        for key in keys {
            for end in ends {
                let r = rec(key, end);
                let days = turnover_days(r);
                let spans = [
                    (date(2019, 12, 1), date(2025, 3, 1)),
                    (date(9998, 12, 1), date(9999, 12, 31)),
                ];
                for d in spans
                    .into_iter()
                    .flat_map(|(first, last)| each_day(first, last))
                {
                    assert_eq!(
                        in_days(days, d),
                        in_turnover_window(r, d),
                        "{key} {end:?} on {d}"
                    );
                }
            }
        }
    }

    #[test]
    fn amounts_are_read_exactly_as_the_validator_stores_them() {
        let cases = [
            (Some("1200.5"), 120_050),
            (Some("1200.05"), 120_005),
            (Some("0"), 0),
            (Some("3"), 300),
            (Some("0.01"), 1),
            (Some("99999999.99"), 9_999_999_999),
            // The largest amount the validator takes (15 digits) is exact in fen.
            (Some("999999999999999.99"), 99_999_999_999_999_999),
            (None, 0),
            (Some(""), 0),
            // The validator refuses these, so no record holds them: they count as nothing
            // rather than as a guess (an exponent, a sign, a third decimal, grouping,
            // spaces, a currency sign, a value past 64 bits of fen).
            (Some("1e3"), 0),
            (Some("-5"), 0),
            (Some("12.345"), 0),
            (Some("1,200"), 0),
            (Some(" 12"), 0),
            (Some("¥12"), 0),
            (Some(".5"), 0),
            (Some("99999999999999999999"), 0),
        ];
        for (text, fen) in cases {
            assert_eq!(turnover_fen(text), fen, "{text:?}");
        }
        // Whatever the validator stores reads back as the amount it was given.
        for (typed, fen) in [
            ("1,200.50元", 120_050),
            ("¥ 12.30", 1_230),
            ("-0", 0),
            ("007.10", 710),
        ] {
            let fields = [
                ("title", "寒地水稻栽培技术"),
                ("owner", "东北农业大学"),
                ("recipient", "饶河县金峰农业有限公司"),
                ("mode", "license"),
                ("transferred_on", "2022-09-09"),
                (TURNOVER_AMOUNT_FIELD, typed),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into();
            let valid = crate::domain::validate::validate_record(TURNOVER_KIND, &fields).unwrap();
            let stored = &valid.fields[TURNOVER_AMOUNT_FIELD];
            assert_eq!(turnover_fen(Some(stored)), fen, "{typed} → {stored}");
        }
    }

    fn amount(key: Date, end: Option<Date>, fen: Fen) -> AmountRecord {
        AmountRecord {
            record: rec(key, end),
            fen,
        }
    }

    /// The entity's value on `d` by the window's definition: its largest amount in it.
    fn value_on(records: &[AmountRecord], d: Date) -> i128 {
        records
            .iter()
            .filter(|r| in_turnover_window(r.record, d))
            .map(|r| i128::from(r.fen))
            .max()
            .unwrap_or(0)
    }

    fn assert_values(steps: &AmountSteps, records: &[AmountRecord]) {
        for d in each_day(date(2020, 12, 1), date(2024, 3, 1)) {
            assert_eq!(steps.sum_on(d), value_on(records, d), "on {d}");
        }
    }

    #[test]
    fn an_entity_adds_its_largest_amount_in_the_window_each_day() {
        let d = |y, m, day| date(y, m, day);
        // Two units record the same contract at different amounts and dates; a third
        // record is next year's, and a fourth is revoked before the larger one starts.
        let records = [
            amount(d(2022, 3, 1), None, 50_000),
            amount(d(2022, 6, 1), None, 120_050),
            amount(d(2022, 2, 1), Some(d(2022, 4, 1)), 80_000),
            amount(d(2023, 2, 1), None, 300),
        ];
        let mut steps = AmountSteps::default();
        entity_amount_steps(&[], &records, &mut steps);
        assert_values(&steps, &records);
        assert_eq!(steps.sum_on(d(2022, 1, 31)), 0);
        assert_eq!(steps.sum_on(d(2022, 2, 1)), 80_000);
        assert_eq!(steps.sum_on(d(2022, 3, 31)), 80_000);
        assert_eq!(steps.sum_on(d(2022, 4, 1)), 50_000);
        assert_eq!(steps.sum_on(d(2022, 6, 1)), 120_050);
        assert_eq!(steps.sum_on(d(2022, 12, 31)), 120_050);
        // New Year's Day: last year's contracts leave the year to date.
        assert_eq!(steps.sum_on(d(2023, 1, 1)), 0);
        assert_eq!(steps.sum_on(d(2023, 2, 1)), 300);
        assert_eq!(steps.sum_on(d(2024, 1, 1)), 0);

        // The larger record is revoked in September: the smaller one counts again.
        let mut revoked = records;
        revoked[1] = amount(d(2022, 6, 1), Some(d(2022, 9, 1)), 120_050);
        entity_amount_steps(&records, &revoked, &mut steps);
        assert_values(&steps, &revoked);
        assert_eq!(steps.sum_on(d(2022, 9, 1)), 50_000);

        // Taking every record away leaves nothing, and no step that is not zero.
        entity_amount_steps(&revoked, &[], &mut steps);
        assert_eq!(steps.nonzero().count(), 0);
    }

    #[test]
    fn equal_amounts_and_zero_amounts_change_nothing() {
        let d = |m, day| date(2022, m, day);
        let one = [amount(d(3, 1), None, 700)];
        // The same amount again, from another unit and a later date, changes nothing.
        let two = [one[0], amount(d(5, 1), None, 700), amount(d(4, 1), None, 0)];
        let mut steps = AmountSteps::default();
        entity_amount_steps(&one, &two, &mut steps);
        assert_eq!(steps.nonzero().count(), 0);
        // Back to back records of one amount join.
        let seam = [
            amount(d(3, 1), Some(d(6, 1)), 700),
            amount(d(6, 1), None, 700),
        ];
        entity_amount_steps(&[], &seam, &mut steps);
        assert_eq!(
            steps.nonzero().collect::<Vec<_>>(),
            vec![(d(3, 1), 700), (date(2023, 1, 1), -700)]
        );
        assert_values(&steps, &seam);
    }

    #[test]
    fn the_basis_key_names_period_and_rules() {
        let key = basis().key();
        assert!(key.starts_with("v2 2021-01-01 2023-12-31"), "{key}");
        assert!(key.contains("high_tech=valid_for_years:3"), "{key}");
        let mut other = basis();
        other.rules[1].1 = CountingRule::ValidForYears { years: 2 };
        assert_ne!(other.key(), key);
    }
}
