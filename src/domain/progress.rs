//! Progress against the plan on a date: which records count, and how far each indicator is.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use crate::domain::RecordKind;
use crate::plan::{CountingRule, Indicator, Plan};

/// Which active records an indicator counts on a date; the store turns it into one indexed
/// `COUNT(DISTINCT count_key)` query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountWindow {
    /// `from <= key_date <= to` and (`end_date` is empty or `end_date > to`).
    KeyDateBetween { from: Date, to: Date },
    /// `key_date <= on` and (`end_date` is empty or `end_date > on`).
    ActiveOn { on: Date },
}

/// The records an indicator with this counting rule counts on `on`.
///
/// A window that can hold nothing (an achievement count before the plan starts) has
/// `from > to`.
pub fn count_window(rule: CountingRule, plan_start: Date, plan_end: Date, on: Date) -> CountWindow {
    match rule {
        CountingRule::RegisteredInYear => CountWindow::KeyDateBetween {
            from: on.first_of_year(),
            to: on,
        },
        CountingRule::ValidForYears { years } => CountWindow::KeyDateBetween {
            from: earliest_valid_certificate(on, years),
            to: on,
        },
        CountingRule::RecognisedNotRevoked => CountWindow::ActiveOn { on },
        CountingRule::TransferredInPeriod => CountWindow::KeyDateBetween {
            from: plan_start,
            to: on.min(plan_end),
        },
    }
}

/// The earliest certificate date still valid on `on` when certificates last `years`: a
/// three-year certificate dated 2021-03-15 counts through 2024-03-14.
fn earliest_valid_certificate(on: Date, years: u32) -> Date {
    jiff::Span::new()
        .try_years(i64::from(years))
        .ok()
        .and_then(|span| on.checked_sub(span).ok())
        .and_then(|date| date.checked_add(1.day()).ok())
        // Longer than the calendar reaches: every certificate is still valid.
        .unwrap_or(Date::MIN)
}

/// Where the date progress is measured on came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AsOfSource {
    /// The user named the date.
    Given,
    /// Today's date.
    Today,
    /// The plan's last day, because today is after it.
    PlanEnd,
}

/// The date to measure on when none is given: today, or the plan's last day once the plan
/// is over.
pub fn default_as_of(plan: &Plan, today: Date) -> (Date, AsOfSource) {
    if today > plan.end {
        (plan.end, AsOfSource::PlanEnd)
    } else {
        (today, AsOfSource::Today)
    }
}

/// How much of `quota` an area should have achieved by `on`, rounded down, when the
/// area's share of each city milestone is exactly `quota / city_total` of it (the city as a
/// whole, whose quota is the city total).
///
/// Before the plan starts nothing is expected, from its last day on the whole quota. In
/// between, an indicator counted per calendar year expects the share of `on`'s year that
/// has elapsed (the annual target applies each year); any other indicator follows the
/// city's milestones, in a straight line from nothing at the plan start through each
/// milestone's share of the city total to the whole at the plan end.
pub fn expected(plan: &Plan, indicator: &Indicator, quota: u32, on: Date) -> u32 {
    if on < plan.start {
        return 0;
    }
    if on >= plan.end {
        return quota;
    }
    let share = match indicator.rule {
        CountingRule::RegisteredInYear => Share {
            numerator: i128::from(on.day_of_year()),
            denominator: i128::from(on.days_in_year()),
        },
        _ => milestone_share(plan, indicator, on),
    };
    share.of(quota)
}

/// How much a unit should have achieved by `on` on one indicator, rounded down.
///
/// Each city milestone is apportioned over the units by their quotas (see [`apportion`]),
/// so that on every milestone date the units' expectations add up to the city's milestone
/// exactly. Between two of its points (nothing at the plan start, its share of each
/// milestone, its quota at the plan end) a unit's expectation runs in a straight line,
/// rounded down. An indicator counted per calendar year expects the elapsed share of the
/// year of the unit's quota, rounded down (whole at each year end).
///
/// With growth over a baseline (high-tech: 50% over end-2020), the line starts from the
/// unit's `baseline` (counted on the baseline day) at the plan start, reaches the baseline
/// plus the growth (rounded up) at the end of the plan's first calendar year, and rises
/// from there through the later milestones to the quota.
pub fn unit_expected(
    plan: &Plan,
    indicator: &Indicator,
    unit: &str,
    baseline: u64,
    on: Date,
) -> u32 {
    let quota = plan.quota(unit, indicator.kind);
    if on < plan.start {
        return 0;
    }
    if on >= plan.end {
        return quota;
    }
    if indicator.rule == CountingRule::RegisteredInYear {
        return expected(plan, indicator, quota, on);
    }
    let Some(position) = plan.units.iter().position(|u| u.code == unit) else {
        return expected(plan, indicator, quota, on);
    };
    let quotas = unit_quotas(plan, indicator.kind);
    let share = |value: u32| {
        apportion(value, &quotas)
            .get(position)
            .copied()
            .unwrap_or(0)
    };
    interpolate(planned_points(plan, indicator, quota, baseline, share), on)
}

/// What the city as a whole should have achieved by `on` on one indicator, rounded down:
/// its milestones, or with growth over a baseline the same line as a unit's from the
/// city's own `baseline`.
pub fn city_expected(plan: &Plan, indicator: &Indicator, baseline: u64, on: Date) -> u32 {
    if indicator.growth.is_none() || on < plan.start || on >= plan.end {
        return expected(plan, indicator, indicator.city_total, on);
    }
    let points = planned_points(plan, indicator, indicator.city_total, baseline, |v| v);
    interpolate(points, on)
}

/// Each unit's quota for `kind`, in the plan's order.
fn unit_quotas(plan: &Plan, kind: RecordKind) -> Vec<u32> {
    plan.units
        .iter()
        .map(|u| plan.quota(&u.code, kind))
        .collect()
}

/// The points an area's expectation runs through: the plan start, each milestone (the
/// area's `share` of it), the plan end at `target`. With growth: from `baseline` at the
/// start to baseline plus growth at the end of the first calendar year, milestones up to
/// that day left out.
fn planned_points(
    plan: &Plan,
    indicator: &Indicator,
    target: u32,
    baseline: u64,
    share: impl Fn(u32) -> u32,
) -> std::vec::IntoIter<(Date, u32)> {
    let mut points = Vec::with_capacity(indicator.milestones.len() + 3);
    let mut after = plan.start;
    match (indicator.growth, first_year_end(plan)) {
        (Some(growth), Some(year_end)) => {
            let start = u32::try_from(baseline).unwrap_or(u32::MAX);
            points.push((plan.start, start));
            let first = first_year_expected(plan, baseline, target, growth.first_year_percent);
            points.push((year_end, first));
            after = year_end;
        }
        _ => points.push((plan.start, 0)),
    }
    for m in indicator.milestones.iter().filter(|m| m.on > after) {
        points.push((m.on, share(m.city_value)));
    }
    points.push((plan.end, target));
    points.into_iter()
}

/// The last day of the plan's first calendar year, when the plan runs beyond it.
fn first_year_end(plan: &Plan) -> Option<Date> {
    let year_end = plan.start.last_of_year();
    (year_end < plan.end).then_some(year_end)
}

/// What an area with `baseline` before the plan and `target` at its end should hold at
/// the end of the plan's first calendar year: the baseline plus the plan's growth (rounded
/// up), and never less than the straight line from the baseline to the target would reach
/// by then (rounded down), so that a unit with nothing before the plan still has a first
/// year's share of its target.
pub fn first_year_expected(plan: &Plan, baseline: u64, target: u32, percent: u32) -> u32 {
    let grown = grown(baseline, percent);
    let Some(year_end) = first_year_end(plan) else {
        return grown;
    };
    let start = u32::try_from(baseline).unwrap_or(u32::MAX);
    let points = vec![(plan.start, start), (plan.end, target.max(start))];
    grown.max(interpolate(points.into_iter(), year_end))
}

/// `baseline` plus `percent` of it, rounded up: a net increase of 50% over 7 is 11.
pub fn grown(baseline: u64, percent: u32) -> u32 {
    let growth = (u128::from(baseline) * u128::from(percent)).div_ceil(100);
    u32::try_from(u128::from(baseline) + growth).unwrap_or(u32::MAX)
}

/// Splits `total` over areas in proportion to `quotas` by the largest-remainder method:
/// each area first gets the whole part of `total × quota / Σquota`; the units left over go
/// one each to the areas with the largest remainders; equal remainders go to the larger
/// quota first, then to the area listed first (Annex 2 order). The shares add up to
/// `total` exactly (to nothing when every quota is zero).
pub fn apportion(total: u32, quotas: &[u32]) -> Vec<u32> {
    let sum: u64 = quotas.iter().map(|&q| u64::from(q)).sum();
    if sum == 0 {
        return vec![0; quotas.len()];
    }
    let total64 = u64::from(total);
    let mut shares: Vec<u64> = quotas
        .iter()
        .map(|&q| total64 * u64::from(q) / sum)
        .collect();
    let given: u64 = shares.iter().sum();
    let mut order: Vec<usize> = (0..quotas.len()).collect();
    // Remainders share the denominator `sum`, so their numerators compare exactly.
    let remainder = |i: usize| (total64 * u64::from(quotas[i])) % sum;
    order.sort_by(|&a, &b| {
        remainder(b)
            .cmp(&remainder(a))
            .then(quotas[b].cmp(&quotas[a]))
            .then(a.cmp(&b))
    });
    for &i in order
        .iter()
        .take(usize::try_from(total64.saturating_sub(given)).unwrap_or(0))
    {
        shares[i] += 1;
    }
    shares
        .into_iter()
        .map(|s| u32::try_from(s).unwrap_or(u32::MAX))
        .collect()
}

/// The value on `on` of the straight lines through `points` (in date order), rounded down;
/// after the last point its value.
fn interpolate(points: impl Iterator<Item = (Date, u32)>, on: Date) -> u32 {
    let mut previous: Option<(Date, u32)> = None;
    for (date, value) in points {
        if on <= date {
            let Some((from, from_value)) = previous else {
                return value;
            };
            let length = days_between(from, date);
            if length <= 0 {
                return value;
            }
            let elapsed = days_between(from, on);
            let (a, b) = (i128::from(from_value), i128::from(value));
            let part = (a * length + (b - a) * elapsed).div_euclid(length);
            return u32::try_from(part.max(0)).unwrap_or(0);
        }
        previous = Some((date, value));
    }
    previous.map_or(0, |(_, value)| value)
}

/// A fraction kept exact, so that a milestone's share of a quota is never rounded down by
/// floating-point error (2 × 12/24 is 1, not 0.999…).
#[derive(Clone, Copy, Debug)]
struct Share {
    numerator: i128,
    denominator: i128,
}

impl Share {
    fn of(self, quota: u32) -> u32 {
        if self.denominator <= 0 {
            return 0;
        }
        let whole = i128::from(quota);
        let part = (whole * self.numerator).div_euclid(self.denominator);
        u32::try_from(part.clamp(0, whole)).unwrap_or(quota)
    }
}

/// The planned share of the city total on `on`, for `plan.start <= on < plan.end`.
fn milestone_share(plan: &Plan, indicator: &Indicator, on: Date) -> Share {
    let total = i128::from(indicator.city_total);
    if total == 0 {
        return Share {
            numerator: 0,
            denominator: 0,
        };
    }
    let points = std::iter::once((plan.start, 0))
        .chain(
            indicator
                .milestones
                .iter()
                .map(|m| (m.on, i128::from(m.city_value))),
        )
        .chain(std::iter::once((plan.end, total)));
    let mut previous = (plan.start, 0);
    for (date, value) in points {
        if on <= date {
            let (from, from_value) = previous;
            let length = days_between(from, date);
            if length <= 0 {
                return Share {
                    numerator: value,
                    denominator: total,
                };
            }
            let elapsed = days_between(from, on);
            return Share {
                numerator: from_value * length + (value - from_value) * elapsed,
                denominator: total * length,
            };
        }
        previous = (date, value);
    }
    Share {
        numerator: total,
        denominator: total,
    }
}

fn days_between(from: Date, to: Date) -> i128 {
    from.until(to)
        .map(|span| i128::from(span.get_days()))
        .unwrap_or(0)
}

/// How an indicator stands against what was expected by the date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressStatus {
    Ahead,
    OnTrack,
    Behind,
}

impl ProgressStatus {
    fn of(achieved: u64, expected: u32) -> ProgressStatus {
        match achieved.cmp(&u64::from(expected)) {
            std::cmp::Ordering::Greater => ProgressStatus::Ahead,
            std::cmp::Ordering::Equal => ProgressStatus::OnTrack,
            std::cmp::Ordering::Less => ProgressStatus::Behind,
        }
    }
}

/// One indicator of a unit on a date.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndicatorProgress {
    pub key: RecordKind,
    /// The unit's quota for the end of the plan.
    pub target: u32,
    /// What the ledger counts on the date.
    pub achieved: u64,
    /// `achieved / target` in percent, one decimal.
    pub percent: f64,
    /// What the plan expects by the date.
    pub expected: u32,
    pub status: ProgressStatus,
    /// Where the plan sets a floor (确保) under the target (力争): the area's floor and how
    /// the count stands against floor and target.
    pub floor: Option<FloorProgress>,
    /// Where the plan asks for growth over a count before it: that count and the first
    /// year's expectation.
    pub growth: Option<GrowthProgress>,
    /// For an indicator counted per calendar year: the count of each year of the plan up
    /// to the date (each year's count as of its last day, or of the date in its year).
    pub yearly: Vec<YearCount>,
}

/// The count against the floor and the target of the end of the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FloorProgress {
    /// The area's share of the city floor (the city floor for the city).
    pub floor: u32,
    pub status: FloorStatus,
}

/// Below the floor (确保), at or above it, or at or above the target (力争).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FloorStatus {
    BelowFloor,
    FloorMet,
    TargetMet,
}

impl FloorStatus {
    pub fn of(achieved: u64, floor: u32, target: u32) -> FloorStatus {
        if achieved >= u64::from(target) {
            FloorStatus::TargetMet
        } else if achieved >= u64::from(floor) {
            FloorStatus::FloorMet
        } else {
            FloorStatus::BelowFloor
        }
    }
}

/// The baseline counted before the plan and what the first year should reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct GrowthProgress {
    pub baseline_on: Date,
    pub baseline: u64,
    pub first_year_percent: u32,
    /// The last day of the plan's first calendar year.
    pub first_year_end: Date,
    /// What the area should hold on `first_year_end` (its baseline plus the growth).
    pub first_year_expected: u32,
}

/// One calendar year's count of an indicator counted per year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct YearCount {
    pub year: i16,
    pub count: u64,
}

/// A unit's six indicators on a date, in plan order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitProgress {
    pub unit: String,
    pub as_of: Date,
    pub as_of_source: AsOfSource,
    /// The day the figures are measured on: `as_of`, or the plan's last day when `as_of`
    /// lies after it (the final figures do not move once the plan is over).
    pub measured_on: Date,
    /// The date lies after the plan period, or today does: these are final figures.
    pub plan_over: bool,
    pub indicators: Vec<IndicatorProgress>,
}

/// `achieved / target` as a percentage rounded to one decimal; with no target, 100 once
/// anything is achieved.
fn percent(achieved: u64, target: u32) -> f64 {
    if target == 0 {
        return if achieved > 0 { 100.0 } else { 0.0 };
    }
    (achieved as f64 / f64::from(target) * 1000.0).round() / 10.0
}

/// The unit's progress on `as_of`, counting each indicator's window with `count`.
pub fn unit_progress<E>(
    plan: &Plan,
    unit: &str,
    as_of: Date,
    source: AsOfSource,
    count: impl FnMut(RecordKind, CountWindow) -> Result<u64, E>,
) -> Result<UnitProgress, E> {
    area_progress(plan, Scope::Unit(unit), as_of, source, count)
}

/// The whole city's progress on `as_of` against the city totals. `count` must count each
/// entity once however many units claim it, so the total is not the sum of the units.
pub fn city_total_progress<E>(
    plan: &Plan,
    as_of: Date,
    source: AsOfSource,
    count: impl FnMut(RecordKind, CountWindow) -> Result<u64, E>,
) -> Result<UnitProgress, E> {
    area_progress(plan, Scope::City, as_of, source, count)
}

/// A unit, or the city as a whole.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Unit(&'a str),
    City,
}

impl Scope<'_> {
    fn code<'p>(&'p self, plan: &'p Plan) -> &'p str {
        match self {
            Scope::Unit(code) => code,
            Scope::City => &plan.city.code,
        }
    }

    fn target(&self, plan: &Plan, indicator: &Indicator) -> u32 {
        match self {
            Scope::Unit(code) => plan.quota(code, indicator.kind),
            Scope::City => indicator.city_total,
        }
    }

    fn expected(&self, plan: &Plan, indicator: &Indicator, baseline: u64, on: Date) -> u32 {
        match self {
            Scope::Unit(code) => unit_expected(plan, indicator, code, baseline, on),
            Scope::City => city_expected(plan, indicator, baseline, on),
        }
    }

    /// The area's floor: for a unit, its share of the city floor by quota (largest
    /// remainder, like the milestones).
    fn floor(&self, plan: &Plan, indicator: &Indicator) -> Option<u32> {
        let floor = indicator.floor?;
        match self {
            Scope::City => Some(floor),
            Scope::Unit(code) => {
                let position = plan.units.iter().position(|u| u.code == *code)?;
                let quotas = unit_quotas(plan, indicator.kind);
                apportion(floor, &quotas).get(position).copied()
            }
        }
    }
}

fn area_progress<E>(
    plan: &Plan,
    scope: Scope,
    as_of: Date,
    source: AsOfSource,
    mut count: impl FnMut(RecordKind, CountWindow) -> Result<u64, E>,
) -> Result<UnitProgress, E> {
    let measured_on = as_of.min(plan.end);
    let window_on = |rule, on| count_window(rule, plan.start, plan.end, on);
    let mut indicators = Vec::with_capacity(plan.indicators.len());
    for indicator in &plan.indicators {
        let kind = indicator.kind;
        let target = scope.target(plan, indicator);
        let achieved = count(kind, window_on(indicator.rule, measured_on))?;
        let growth = match (indicator.growth, first_year_end(plan)) {
            (Some(growth), Some(first_year_end)) => {
                let on = growth.baseline_on;
                let baseline = count(kind, window_on(indicator.rule, on))?;
                Some(GrowthProgress {
                    baseline_on: on,
                    baseline,
                    first_year_percent: growth.first_year_percent,
                    first_year_end,
                    first_year_expected: first_year_expected(
                        plan,
                        baseline,
                        target,
                        growth.first_year_percent,
                    ),
                })
            }
            _ => None,
        };
        let baseline = growth.map_or(0, |g| g.baseline);
        let expected = scope.expected(plan, indicator, baseline, measured_on);
        let floor = scope.floor(plan, indicator).map(|floor| FloorProgress {
            floor,
            status: FloorStatus::of(achieved, floor, target),
        });
        let mut yearly = Vec::new();
        if indicator.rule == CountingRule::RegisteredInYear && measured_on >= plan.start {
            for year in plan.start.year()..=measured_on.year() {
                let on = Date::new(year, 12, 31).map_or(measured_on, |d| d.min(measured_on));
                yearly.push(YearCount {
                    year,
                    count: count(kind, window_on(indicator.rule, on))?,
                });
            }
        }
        indicators.push(IndicatorProgress {
            key: kind,
            target,
            achieved,
            percent: percent(achieved, target),
            expected,
            status: ProgressStatus::of(achieved, expected),
            floor,
            growth,
            yearly,
        });
    }
    Ok(UnitProgress {
        unit: scope.code(plan).to_string(),
        as_of,
        as_of_source: source,
        measured_on,
        plan_over: source == AsOfSource::PlanEnd || as_of > plan.end,
        indicators,
    })
}

#[cfg(test)]
mod tests;
