//! The bureau's worklist (待办) as the counting rules see it: entities whose certificate runs
//! out within the look-ahead unless renewed, and firms registered last year that are not
//! registered again this year. Pure: the store supplies the entities' records; what the unit's
//! figures fall to is read from the same kept counts `progress` reads.

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use crate::domain::RecordKind;
use crate::domain::counting::{CountedRecord, CountingBasis, union};
use crate::domain::progress::{CountWindow, count_window};
use crate::plan::CountingRule;

/// An active record as the worklist reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackedRecord {
    pub id: Uuid,
    pub kind: RecordKind,
    /// The entity the record counts as (records of one entity count once).
    pub count_key: String,
    pub name: String,
    pub credit_code: Option<String>,
    pub key_date: Date,
    pub end_date: Option<Date>,
}

impl TrackedRecord {
    fn counted(&self) -> CountedRecord {
        CountedRecord {
            key_date: self.key_date,
            end_date: self.end_date,
        }
    }
}

/// An entity that stops counting within the look-ahead because its certificate runs out
/// (not because it was revoked): it counts again only if renewed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lapse {
    pub kind: RecordKind,
    /// The record whose validity runs out (the certificate to renew).
    pub record: Uuid,
    pub name: String,
    pub credit_code: Option<String>,
    /// The record's key date (the certificate's date).
    pub dated: Date,
    /// The last day the entity counts.
    pub last_counted: Date,
    /// The first day it no longer counts.
    pub lapses_on: Date,
}

/// A firm registered last year (a registration that counted until the year ended) with no
/// registration dated this year. A registration or renewal already recorded counts as made
/// even when it is dated after the as-of date, as it does in the counts of later days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotRegistered {
    pub kind: RecordKind,
    /// Last year's registration.
    pub record: Uuid,
    pub name: String,
    pub credit_code: Option<String>,
    pub registered_on: Date,
}

/// The default end of the look-ahead from `as_of`: the end of the first half of next year.
pub fn default_horizon(as_of: Date) -> Date {
    as_of
        .year()
        .checked_add(1)
        .and_then(|year| Date::new(year, 6, 30).ok())
        .unwrap_or(Date::MAX)
}

/// The end of a look-ahead of `months` months from `as_of` (the calendar's end if it ends
/// first).
pub fn horizon_after_months(as_of: Date, months: u32) -> Date {
    as_of
        .checked_add(i64::from(months).months())
        .unwrap_or(Date::MAX)
}

/// The kinds whose certificates run out after some years, and those registered per year.
pub fn kinds_with_rule(basis: &CountingBasis, renewal: Renewal) -> Vec<RecordKind> {
    basis
        .rules
        .iter()
        .filter(|(_, rule)| match renewal {
            Renewal::Certificate => matches!(rule, CountingRule::ValidForYears { .. }),
            Renewal::YearlyRegistration => *rule == CountingRule::RegisteredInYear,
        })
        .map(|(kind, _)| *kind)
        .collect()
}

/// How an entity keeps counting: a certificate renewed before it runs out, or a
/// registration made again each year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Renewal {
    Certificate,
    YearlyRegistration,
}

/// The key dates `[from, to)` of the records of `kind` that count on `as_of` and no longer on
/// `until`: the certificates whose validity runs out in `(as_of, until]`. Their entities are
/// the ones [`lapses`] needs (with all their records, a renewal among them). `None` for a kind
/// whose records do not run out.
pub fn lapsing_key_dates(
    basis: &CountingBasis,
    kind: RecordKind,
    as_of: Date,
    until: Date,
) -> Option<(Date, Date)> {
    let rule = basis.rule(kind)?;
    if !matches!(rule, CountingRule::ValidForYears { .. }) {
        return None;
    }
    let earliest = |day| match count_window(rule, basis.start, basis.end, day) {
        CountWindow::KeyDateBetween { from, .. } => from,
        CountWindow::ActiveOn { on } => on,
    };
    Some((earliest(as_of), earliest(until)))
}

/// The entities among `records` (every active record of each entity, any kind) that count on
/// `as_of` under a certificate rule and not on `until` because the certificate runs out,
/// earliest first: renewing each of them is what keeps the count on `until`. An entity
/// renewed already (a later certificate that carries it to `until`, even after a gap) is not
/// among them, nor one revoked.
pub fn lapses(
    basis: &CountingBasis,
    records: &[TrackedRecord],
    as_of: Date,
    until: Date,
) -> Vec<Lapse> {
    let mut found = Vec::new();
    for entity in entities(records) {
        let kind = entity[0].kind;
        if !matches!(basis.rule(kind), Some(CountingRule::ValidForYears { .. })) {
            continue;
        }
        let days: Vec<_> = entity
            .iter()
            .filter_map(|r| basis.counted_days(kind, r.counted()))
            .collect();
        let runs = union(days);
        let on = |day: Date| {
            runs.iter()
                .find(|run| run.from <= day && run.until.is_none_or(|u| day < u))
        };
        // Counted now, and not at the end of the look-ahead (a renewal already recorded
        // after a gap leaves nothing to do).
        let Some(run) = on(as_of) else {
            continue;
        };
        if on(until).is_some() {
            continue;
        }
        let Some(lapses_on) = run.until else {
            continue;
        };
        // The certificate that runs out that day, unless a revocation ends it then.
        let ending = entity
            .iter()
            .filter(|r| {
                basis
                    .counted_days(kind, r.counted())
                    .is_some_and(|d| d.until == Some(lapses_on))
            })
            .max_by_key(|r| r.key_date);
        let Some(ending) = ending.filter(|r| r.end_date.is_none_or(|end| end > lapses_on)) else {
            continue;
        };
        let Ok(last_counted) = lapses_on.checked_sub(1.day()) else {
            continue;
        };
        found.push(Lapse {
            kind,
            record: ending.id,
            name: ending.name.clone(),
            credit_code: ending.credit_code.clone(),
            dated: ending.key_date,
            last_counted,
            lapses_on,
        });
    }
    found.sort_by(|a, b| {
        (a.lapses_on, a.kind, &a.name, a.record).cmp(&(b.lapses_on, b.kind, &b.name, b.record))
    });
    found
}

/// The entities among `records` (every active record of each entity) of a kind registered per
/// year that were registered in the year before `as_of`'s, stayed registered to its end, and
/// have no registration dated in `as_of`'s year.
pub fn not_registered(
    basis: &CountingBasis,
    records: &[TrackedRecord],
    as_of: Date,
) -> Vec<NotRegistered> {
    let year = as_of.year();
    let Ok(new_year) = Date::new(year, 1, 1) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entity in entities(records) {
        let kind = entity[0].kind;
        if basis.rule(kind) != Some(CountingRule::RegisteredInYear) {
            continue;
        }
        if entity.iter().any(|r| r.key_date.year() == year) {
            continue;
        }
        let last_year = entity
            .iter()
            .filter(|r| {
                r.key_date.year().checked_add(1) == Some(year)
                    && basis
                        .counted_days(kind, r.counted())
                        .is_some_and(|d| d.until == Some(new_year))
            })
            .max_by_key(|r| r.key_date);
        if let Some(r) = last_year {
            found.push(NotRegistered {
                kind,
                record: r.id,
                name: r.name.clone(),
                credit_code: r.credit_code.clone(),
                registered_on: r.key_date,
            });
        }
    }
    found.sort_by(|a, b| (a.kind, &a.name, a.record).cmp(&(b.kind, &b.name, b.record)));
    found
}

/// The records grouped by entity (kind and counting key), each group non-empty.
fn entities(records: &[TrackedRecord]) -> Vec<Vec<&TrackedRecord>> {
    let mut sorted: Vec<&TrackedRecord> = records.iter().collect();
    sorted.sort_by(|a, b| (a.kind, &a.count_key).cmp(&(b.kind, &b.count_key)));
    let mut groups: Vec<Vec<&TrackedRecord>> = Vec::new();
    for r in sorted {
        match groups.last_mut() {
            Some(group) if group[0].kind == r.kind && group[0].count_key == r.count_key => {
                group.push(r)
            }
            _ => groups.push(vec![r]),
        }
    }
    groups
}

#[cfg(test)]
mod tests;
