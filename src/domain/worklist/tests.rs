//! The worklist's boundaries: the last valid day, leap years, renewals, revocations and
//! registration by year.

use jiff::civil::{Date, date};
use proptest::prelude::*;

use super::*;
use crate::plan::Plan;

fn basis() -> CountingBasis {
    CountingBasis::of(&Plan::embedded())
}

fn record(n: u128, kind: RecordKind, entity: &str, key_date: Date) -> TrackedRecord {
    TrackedRecord {
        id: Uuid::from_u128(n),
        kind,
        count_key: entity.to_owned(),
        name: format!("企业{entity}"),
        credit_code: Some(format!("code-{entity}")),
        key_date,
        end_date: None,
    }
}

fn cert(n: u128, entity: &str, key_date: Date) -> TrackedRecord {
    record(n, RecordKind::HighTech, entity, key_date)
}

fn registration(n: u128, entity: &str, key_date: Date) -> TrackedRecord {
    record(n, RecordKind::TechSme, entity, key_date)
}

fn revoked(mut r: TrackedRecord, on: Date) -> TrackedRecord {
    r.end_date = Some(on);
    r
}

fn lapse_days(records: &[TrackedRecord], as_of: Date, until: Date) -> Vec<(String, Date, Date)> {
    lapses(&basis(), records, as_of, until)
        .into_iter()
        .map(|l| (l.name, l.last_counted, l.lapses_on))
        .collect()
}

#[test]
fn a_certificate_lapses_the_day_after_its_last_valid_day() {
    let records = [cert(1, "a", date(2021, 3, 15))];
    let lapse = ("企业a".to_owned(), date(2024, 3, 14), date(2024, 3, 15));
    // Looking as far as the last valid day: it still counts then.
    assert_eq!(
        lapse_days(&records, date(2023, 12, 31), date(2024, 3, 14)),
        []
    );
    // One day further: it no longer counts.
    assert_eq!(
        lapse_days(&records, date(2023, 12, 31), date(2024, 3, 15)),
        std::slice::from_ref(&lapse)
    );
    // On its last valid day it is still due; the day after it is gone from the list.
    assert_eq!(
        lapse_days(&records, date(2024, 3, 14), date(2024, 6, 30)),
        [lapse]
    );
    assert_eq!(
        lapse_days(&records, date(2024, 3, 15), date(2024, 6, 30)),
        []
    );
    // Before it was issued it does not count, so it is not due either.
    assert_eq!(
        lapse_days(&records, date(2021, 3, 14), date(2024, 6, 30)),
        []
    );
}

#[test]
fn leap_day_certificates_follow_the_counting_rule() {
    // 2020-02-29 + 3 years has no 29 February: the certificate counts through 2023-02-28.
    let records = [
        cert(1, "leap", date(2020, 2, 29)),
        cert(2, "feb28", date(2021, 2, 28)),
    ];
    let found = lapse_days(&records, date(2022, 12, 31), date(2024, 6, 30));
    assert_eq!(
        found,
        [
            ("企业leap".to_owned(), date(2023, 2, 28), date(2023, 3, 1)),
            ("企业feb28".to_owned(), date(2024, 2, 27), date(2024, 2, 28)),
        ]
    );
}

#[test]
fn a_renewed_certificate_is_not_due_and_the_renewal_is_what_runs_out_next() {
    let records = [
        cert(1, "a", date(2020, 5, 1)),
        cert(2, "a", date(2023, 4, 20)),
    ];
    // Renewed before the first ran out: nothing due by the end of 2024.
    assert_eq!(
        lapse_days(&records, date(2023, 1, 1), date(2024, 12, 31)),
        []
    );
    // Looking far enough ahead, the renewal is the one to renew.
    let found = lapses(&basis(), &records, date(2023, 1, 1), date(2026, 12, 31));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].record, Uuid::from_u128(2));
    assert_eq!(found[0].dated, date(2023, 4, 20));
    assert_eq!(found[0].lapses_on, date(2026, 4, 20));
}

#[test]
fn a_renewal_already_recorded_after_a_gap_leaves_nothing_to_do() {
    let records = [
        cert(1, "a", date(2021, 3, 15)),
        cert(2, "a", date(2024, 5, 1)),
    ];
    assert_eq!(
        lapse_days(&records, date(2023, 12, 31), date(2024, 6, 30)),
        []
    );
    // Looking only as far as the gap, it is due.
    assert_eq!(
        lapse_days(&records, date(2023, 12, 31), date(2024, 4, 30)),
        [("企业a".to_owned(), date(2024, 3, 14), date(2024, 3, 15))]
    );
}

#[test]
fn a_revoked_certificate_is_not_a_renewal_due_but_one_revoked_later_is() {
    let stopped = [revoked(cert(1, "a", date(2021, 3, 15)), date(2024, 1, 10))];
    assert_eq!(
        lapse_days(&stopped, date(2023, 12, 31), date(2024, 6, 30)),
        []
    );
    let later = [revoked(cert(1, "a", date(2021, 3, 15)), date(2024, 5, 1))];
    assert_eq!(
        lapse_days(&later, date(2023, 12, 31), date(2024, 6, 30)),
        [("企业a".to_owned(), date(2024, 3, 14), date(2024, 3, 15))]
    );
}

#[test]
fn only_certificate_kinds_lapse() {
    let records = [
        registration(1, "s", date(2023, 5, 1)),
        record(2, RecordKind::Incubator, "i", date(2021, 1, 5)),
    ];
    assert_eq!(
        lapse_days(&records, date(2023, 12, 31), date(2024, 6, 30)),
        []
    );
}

#[test]
fn lapses_come_earliest_first() {
    let records = [
        cert(1, "late", date(2021, 6, 1)),
        cert(2, "early", date(2021, 1, 20)),
    ];
    let names: Vec<String> = lapse_days(&records, date(2023, 12, 31), date(2024, 6, 30))
        .into_iter()
        .map(|(name, _, _)| name)
        .collect();
    assert_eq!(names, ["企业early", "企业late"]);
}

#[test]
fn the_key_dates_to_read_are_the_certificates_running_out_in_the_look_ahead() {
    let (from, to) = lapsing_key_dates(
        &basis(),
        RecordKind::HighTech,
        date(2023, 12, 31),
        date(2024, 6, 30),
    )
    .unwrap();
    // Valid on 2023-12-31: dated from 2021-01-01; no longer valid on 2024-06-30: before
    // 2021-07-01.
    assert_eq!((from, to), (date(2021, 1, 1), date(2021, 7, 1)));
    assert_eq!(
        lapsing_key_dates(
            &basis(),
            RecordKind::TechSme,
            date(2023, 12, 31),
            date(2024, 6, 30)
        ),
        None
    );
}

#[test]
fn default_look_ahead_is_the_end_of_next_years_first_half() {
    assert_eq!(default_horizon(date(2023, 12, 31)), date(2024, 6, 30));
    assert_eq!(default_horizon(date(2023, 1, 1)), date(2024, 6, 30));
    assert_eq!(
        horizon_after_months(date(2023, 12, 31), 6),
        date(2024, 6, 30)
    );
    assert_eq!(
        horizon_after_months(date(2023, 8, 31), 6),
        date(2024, 2, 29)
    );
}

#[test]
fn a_firm_registered_last_year_and_not_this_year_is_due() {
    let records = [
        // Registered in both years: fine.
        registration(1, "both", date(2022, 5, 1)),
        registration(2, "both", date(2023, 4, 1)),
        // Last year only: due.
        registration(3, "last", date(2022, 5, 1)),
        registration(4, "last", date(2022, 11, 30)),
        // Withdrawn last year: not a renewal due.
        revoked(
            registration(5, "withdrawn", date(2022, 3, 1)),
            date(2022, 10, 1),
        ),
        // Two years ago only: not due.
        registration(6, "old", date(2021, 6, 1)),
        // Registered this year on a later date than the as-of date: registered.
        registration(7, "dated", date(2022, 6, 1)),
        registration(8, "dated", date(2023, 9, 1)),
    ];
    let found = not_registered(&basis(), &records, date(2023, 6, 30));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].name, "企业last");
    assert_eq!(found[0].record, Uuid::from_u128(4));
    assert_eq!(found[0].registered_on, date(2022, 11, 30));
    // A registration already recorded counts as made even on a day before its date, as the
    // counts on later days do: on the first day of the year only "last" is due.
    let found = not_registered(&basis(), &records[..4], date(2023, 1, 1));
    let names: Vec<&str> = found.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["企业last"]);
    let found = not_registered(
        &basis(),
        &[records[0].clone(), records[2].clone()],
        date(2023, 1, 1),
    );
    let names: Vec<&str> = found.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["企业both", "企业last"]);
}

#[test]
fn a_registration_withdrawn_after_new_year_still_counted_to_the_end_of_last_year() {
    let records = [revoked(
        registration(1, "w", date(2022, 3, 1)),
        date(2023, 2, 1),
    )];
    let found = not_registered(&basis(), &records, date(2023, 6, 30));
    assert_eq!(found.len(), 1);
}

fn day() -> impl Strategy<Value = Date> {
    (0i64..2200).prop_map(|n| {
        date(2019, 1, 1)
            .checked_add(jiff::Span::new().days(n))
            .unwrap()
    })
}

proptest! {
    /// An entity is due exactly when it counts on the as-of date and not at the end of the
    /// look-ahead (no revocations here); it lapses on the first day after the as-of date
    /// that it does not count.
    #[test]
    fn due_exactly_when_counted_now_and_not_on_a_later_day(
        certs in prop::collection::vec((0u8..4, day()), 1..8),
        as_of in day(),
        ahead in 1i64..500,
    ) {
        let basis = basis();
        let until = as_of.checked_add(jiff::Span::new().days(ahead)).unwrap();
        let records: Vec<TrackedRecord> = certs
            .iter()
            .enumerate()
            .map(|(n, (entity, d))| cert(n as u128, &entity.to_string(), *d))
            .collect();
        let found = lapses(&basis, &records, as_of, until);
        let counts_on = |entity: &str, on: Date| {
            records.iter().filter(|r| r.count_key == entity).any(|r| {
                basis
                    .counted_days(r.kind, r.counted())
                    .is_some_and(|d| d.from <= on && d.until.is_none_or(|u| on < u))
            })
        };
        for entity in ["0", "1", "2", "3"] {
            if !records.iter().any(|r| r.count_key == entity) {
                continue;
            }
            let mut days = std::iter::successors(as_of.tomorrow().ok(), |d| d.tomorrow().ok())
                .take_while(|d| *d <= until);
            let first_gap = days.find(|d| !counts_on(entity, *d));
            let due = counts_on(entity, as_of) && !counts_on(entity, until);
            let listed: Vec<&Lapse> = found
                .iter()
                .filter(|l| l.credit_code.as_deref() == Some(&format!("code-{entity}")))
                .collect();
            prop_assert_eq!(listed.len(), usize::from(due), "entity {}", entity);
            if let (Some(lapse), Some(gap)) = (listed.first(), first_gap) {
                prop_assert_eq!(lapse.lapses_on, gap);
                prop_assert!(counts_on(entity, lapse.last_counted));
            }
        }
    }
}
