//! Boundary dates of the counting windows and of the expected-by-date curve.

use jiff::civil::{Date, date};

use super::*;
use crate::plan::Plan;

const JIXIAN: &str = "230521";
const JIANSHAN: &str = "230502";

fn plan() -> Plan {
    Plan::embedded()
}

/// Whether a record with this key date (and no end date) is counted in the window.
fn counts(window: CountWindow, key_date: Date) -> bool {
    match window {
        CountWindow::KeyDateBetween { from, to } => from <= key_date && key_date <= to,
        CountWindow::ActiveOn { on } => key_date <= on,
    }
}

fn window_on(kind: RecordKind, on: Date) -> CountWindow {
    let plan = plan();
    let rule = plan.indicator(kind).map(|i| i.rule);
    let rule = rule.unwrap_or(CountingRule::RecognisedNotRevoked);
    count_window(rule, plan.start, plan.end, on)
}

#[test]
fn a_certificate_counts_for_three_years_to_the_day() {
    let cases = [
        // (certified on, measured on, counted)
        (date(2021, 3, 15), date(2021, 3, 14), false),
        (date(2021, 3, 15), date(2021, 3, 15), true),
        (date(2021, 3, 15), date(2023, 12, 31), true),
        (date(2021, 3, 15), date(2024, 3, 14), true),
        (date(2021, 3, 15), date(2024, 3, 15), false),
        (date(2020, 2, 29), date(2023, 2, 28), true),
        (date(2020, 2, 29), date(2023, 3, 1), false),
        (date(2020, 12, 31), date(2023, 12, 30), true),
        (date(2020, 12, 31), date(2023, 12, 31), false),
    ];
    for (certified, on, expected) in cases {
        let window = window_on(RecordKind::HighTech, on);
        assert_eq!(
            counts(window, certified),
            expected,
            "certificate of {certified} on {on}: {window:?}"
        );
    }
}

#[test]
fn a_registration_counts_only_in_its_own_year() {
    let cases = [
        (date(2022, 12, 31), date(2023, 5, 1), false),
        (date(2023, 1, 1), date(2023, 5, 1), true),
        (date(2023, 5, 1), date(2023, 5, 1), true),
        (date(2023, 5, 2), date(2023, 5, 1), false),
        (date(2022, 12, 31), date(2022, 12, 31), true),
    ];
    for (registered, on, expected) in cases {
        let window = window_on(RecordKind::TechSme, on);
        assert_eq!(counts(window, registered), expected, "{registered} on {on}");
    }
    assert_eq!(
        window_on(RecordKind::TechSme, date(2023, 5, 1)),
        CountWindow::KeyDateBetween {
            from: date(2023, 1, 1),
            to: date(2023, 5, 1)
        }
    );
}

#[test]
fn achievements_count_inside_the_plan_period_only() {
    let cases = [
        (date(2022, 3, 1), date(2021, 1, 1), date(2022, 3, 1)),
        (date(2023, 12, 31), date(2021, 1, 1), date(2023, 12, 31)),
        (date(2024, 6, 1), date(2021, 1, 1), date(2023, 12, 31)),
    ];
    for (on, from, to) in cases {
        let window = window_on(RecordKind::Achievement, on);
        assert_eq!(window, CountWindow::KeyDateBetween { from, to }, "on {on}");
    }
    assert!(!counts(
        window_on(RecordKind::Achievement, date(2024, 6, 1)),
        date(2024, 1, 1)
    ));
    assert!(!counts(
        window_on(RecordKind::Achievement, date(2023, 6, 1)),
        date(2020, 12, 31)
    ));
    // Before the plan starts the window holds nothing at all.
    let before = window_on(RecordKind::Achievement, date(2020, 6, 1));
    for key_date in [date(2020, 1, 1), date(2020, 6, 1), date(2021, 1, 1)] {
        assert!(!counts(before, key_date), "{key_date} in {before:?}");
    }
}

#[test]
fn cumulative_indicators_count_what_is_active_on_the_date() {
    for kind in [
        RecordKind::RndInstitution,
        RecordKind::Incubator,
        RecordKind::Alliance,
    ] {
        let on = date(2022, 6, 30);
        assert_eq!(
            window_on(kind, on),
            CountWindow::ActiveOn { on },
            "{kind:?}"
        );
    }
}

#[test]
fn an_endless_validity_counts_every_certificate() {
    let rule = CountingRule::ValidForYears { years: u32::MAX };
    let window = count_window(rule, date(2021, 1, 1), date(2023, 12, 31), date(2022, 1, 1));
    assert_eq!(
        window,
        CountWindow::KeyDateBetween {
            from: Date::MIN,
            to: date(2022, 1, 1)
        }
    );
}

#[test]
fn the_default_date_stops_at_the_plan_end() {
    let plan = plan();
    let cases = [
        (date(2026, 11, 25), date(2023, 12, 31), AsOfSource::PlanEnd),
        (date(2024, 1, 1), date(2023, 12, 31), AsOfSource::PlanEnd),
        (date(2023, 12, 31), date(2023, 12, 31), AsOfSource::Today),
        (date(2022, 5, 1), date(2022, 5, 1), AsOfSource::Today),
        (date(2020, 1, 1), date(2020, 1, 1), AsOfSource::Today),
    ];
    for (today, as_of, source) in cases {
        assert_eq!(
            default_as_of(&plan, today),
            (as_of, source),
            "today {today}"
        );
    }
}

#[test]
fn expected_follows_the_milestones() {
    let plan = plan();
    let cases = [
        // (unit, indicator, date, expected)
        (JIXIAN, RecordKind::RndInstitution, date(2020, 12, 31), 0),
        (JIXIAN, RecordKind::RndInstitution, date(2021, 1, 1), 0),
        (JIXIAN, RecordKind::RndInstitution, date(2021, 12, 30), 0),
        (JIXIAN, RecordKind::RndInstitution, date(2021, 12, 31), 1),
        (JIXIAN, RecordKind::RndInstitution, date(2023, 12, 31), 2),
        (JIXIAN, RecordKind::RndInstitution, date(2026, 11, 25), 2),
        // 7 × 12/24 = 3.5; 7 × 18/24 = 5.25; halfway through 2022 ≈ 7 × 15/24 = 4.4.
        (JIANSHAN, RecordKind::RndInstitution, date(2021, 12, 31), 3),
        (JIANSHAN, RecordKind::RndInstitution, date(2022, 7, 2), 4),
        (JIANSHAN, RecordKind::RndInstitution, date(2022, 12, 31), 5),
        // Achievements 20 / 50 / 80: 14 × 20/80 = 3.5, 14 × 50/80 = 8.75.
        (JIANSHAN, RecordKind::Achievement, date(2021, 12, 31), 3),
        (JIANSHAN, RecordKind::Achievement, date(2022, 12, 31), 8),
        (JIANSHAN, RecordKind::Achievement, date(2023, 12, 31), 14),
        // Alliances 24 of 30 by the end of 2021: 4 × 24/30 = 3.2.
        (JIANSHAN, RecordKind::Alliance, date(2021, 12, 31), 3),
        // High-tech has only its end value: a straight line over the 1,094 days.
        (JIANSHAN, RecordKind::HighTech, date(2022, 7, 1), 4),
        (JIANSHAN, RecordKind::HighTech, date(2022, 7, 2), 5),
        (JIANSHAN, RecordKind::HighTech, date(2023, 12, 30), 9),
        (JIANSHAN, RecordKind::HighTech, date(2023, 12, 31), 10),
        // Tech SMEs: the share of the calendar year elapsed, every year anew.
        (JIANSHAN, RecordKind::TechSme, date(2021, 1, 1), 0),
        (JIANSHAN, RecordKind::TechSme, date(2022, 12, 31), 27),
        (JIANSHAN, RecordKind::TechSme, date(2023, 1, 14), 1),
        (JIANSHAN, RecordKind::TechSme, date(2023, 7, 2), 13),
        (JIANSHAN, RecordKind::TechSme, date(2020, 12, 31), 0),
    ];
    for (unit, kind, on, want) in cases {
        let Some(indicator) = plan.indicator(kind) else {
            panic!("{kind:?} missing from the plan");
        };
        let quota = plan.quota(unit, kind);
        assert_eq!(
            expected(&plan, indicator, quota, on),
            want,
            "{unit} {kind:?} quota {quota} on {on}"
        );
    }
}

#[test]
fn without_milestones_the_expectation_grows_evenly() {
    let mut plan = plan();
    for indicator in &mut plan.indicators {
        indicator.milestones.clear();
    }
    let Some(rnd) = plan.indicator(RecordKind::RndInstitution) else {
        panic!("no rnd_institution");
    };
    // 24 over 1,094 days: half on day 547.
    assert_eq!(expected(&plan, rnd, 24, date(2022, 7, 2)), 12);
    assert_eq!(expected(&plan, rnd, 24, date(2021, 12, 31)), 7);
    assert_eq!(expected(&plan, rnd, 24, date(2023, 12, 31)), 24);
}

#[test]
fn percent_has_one_decimal_and_survives_a_zero_target() {
    let cases = [
        (0, 0, 0.0),
        (1, 0, 100.0),
        (0, 3, 0.0),
        (1, 3, 33.3),
        (2, 3, 66.7),
        (27, 27, 100.0),
        (30, 27, 111.1),
    ];
    for (achieved, target, want) in cases {
        assert_eq!(percent(achieved, target), want, "{achieved}/{target}");
    }
}

#[test]
fn unit_progress_reports_every_indicator_in_plan_order() {
    let plan = plan();
    let on = date(2021, 12, 31);
    let mut windows = Vec::new();
    let achieved = |kind| match kind {
        RecordKind::TechSme => 12,
        RecordKind::RndInstitution => 1,
        _ => 0,
    };
    let progress = unit_progress(&plan, JIXIAN, on, AsOfSource::Given, |kind, window| {
        windows.push((kind, window));
        Ok::<u64, ()>(achieved(kind))
    });
    let Ok(progress) = progress else {
        panic!("counting cannot fail here");
    };
    assert_eq!(progress.unit, JIXIAN);
    assert!(!progress.plan_over);
    let keys: Vec<RecordKind> = progress.indicators.iter().map(|i| i.key).collect();
    assert_eq!(keys, RecordKind::ALL);
    let row = |kind| progress.indicators.iter().find(|i| i.key == kind);
    let tech_sme = row(RecordKind::TechSme).cloned();
    assert_eq!(
        tech_sme,
        Some(IndicatorProgress {
            key: RecordKind::TechSme,
            target: 10,
            achieved: 12,
            percent: 120.0,
            expected: 10,
            status: ProgressStatus::Ahead,
            floor: None,
            growth: None,
            yearly: vec![YearCount {
                year: 2021,
                count: 12
            }],
        })
    );
    let rnd = row(RecordKind::RndInstitution).map(|i| (i.expected, i.status));
    assert_eq!(rnd, Some((1, ProgressStatus::OnTrack)));
    let incubator = row(RecordKind::Incubator).map(|i| (i.target, i.expected, i.status));
    // 集贤's share of the city's 9 incubators by end-2021 is 2 (largest remainder of 1.8).
    assert_eq!(incubator, Some((3, 2, ProgressStatus::Behind)));
    // Each indicator was counted in its own window on the date.
    for kind in RecordKind::ALL {
        let want = (kind, window_on(kind, on));
        assert!(windows.contains(&want), "{kind:?} {windows:?}");
    }
}

#[test]
fn unit_progress_serializes_with_stable_keys() {
    let plan = plan();
    let (on, source) = default_as_of(&plan, date(2026, 11, 25));
    let progress = unit_progress(&plan, JIXIAN, on, source, |_, _| Ok::<u64, ()>(2));
    let Ok(progress) = progress else {
        panic!("counting cannot fail here");
    };
    assert!(progress.plan_over);
    let json = serde_json::to_value(&progress).unwrap_or_default();
    assert_eq!(json["as_of"], "2023-12-31");
    assert_eq!(json["as_of_source"], "plan_end");
    assert_eq!(json["plan_over"], true);
    assert_eq!(json["indicators"][0]["key"], "tech_sme");
    assert_eq!(json["indicators"][0]["status"], "behind");
    assert_eq!(json["indicators"][2]["key"], "rnd_institution");
    assert_eq!(json["indicators"][2]["status"], "on_track");
    assert_eq!(json["indicators"][2]["percent"], 100.0);
    assert_eq!(json["indicators"][3]["status"], "behind");
}

#[test]
fn a_failed_count_stops_the_report() {
    let plan = plan();
    let mut asked = Vec::new();
    let result = unit_progress(
        &plan,
        JIXIAN,
        date(2022, 1, 1),
        AsOfSource::Today,
        |kind, _| {
            asked.push(kind);
            if kind == RecordKind::RndInstitution {
                Err("ledger locked")
            } else {
                Ok(0)
            }
        },
    );
    assert_eq!(result, Err("ledger locked"));
    assert_eq!(
        asked,
        // Tech SMEs: on the date, then 2021's and 2022's counts; high-tech: on the date,
        // then its baseline.
        [
            RecordKind::TechSme,
            RecordKind::TechSme,
            RecordKind::TechSme,
            RecordKind::HighTech,
            RecordKind::HighTech,
            RecordKind::RndInstitution
        ]
    );
}

#[test]
fn largest_remainders_get_the_units_left_over() {
    // Incubators at the end of 2021: 9 over the quotas 3,1,2,1,3,1,1,1,2 (15). Whole parts
    // 1,0,1,0,1,0,0,0,1 = 4; remainders .8 (集贤, 尖山), then .6 for the five one-quota units,
    // of which the first three in Annex 2 order get the last three.
    assert_eq!(
        apportion(9, &[3, 1, 2, 1, 3, 1, 1, 1, 2]),
        vec![2, 1, 1, 1, 2, 1, 0, 0, 1]
    );
    // Equal remainders go to the larger quota before the earlier unit.
    assert_eq!(apportion(1, &[1, 3]), vec![0, 1]);
    assert_eq!(apportion(1, &[2, 2]), vec![1, 0]);
    assert_eq!(apportion(5, &[0, 0]), vec![0, 0]);
    assert_eq!(apportion(0, &[4, 2]), vec![0, 0]);
}

#[test]
fn unit_expectations_add_up_to_every_city_milestone() {
    let plan = plan();
    for indicator in &plan.indicators {
        for milestone in &indicator.milestones {
            for on in [milestone.on, plan.end, date(2030, 1, 1)] {
                let sum: u32 = plan
                    .units
                    .iter()
                    .map(|u| unit_expected(&plan, indicator, &u.code, 0, on))
                    .sum();
                let want = if on == milestone.on {
                    milestone.city_value
                } else {
                    indicator.city_total
                };
                assert_eq!(sum, want, "{:?} on {on}", indicator.kind);
            }
        }
    }
    // The two sums that fell short before: incubators end-2021, alliances end-2022.
    let sum_on = |kind, on| {
        let Some(indicator) = plan.indicator(kind) else {
            panic!("{kind:?} missing");
        };
        plan.units
            .iter()
            .map(|u| unit_expected(&plan, indicator, &u.code, 0, on))
            .sum::<u32>()
    };
    assert_eq!(sum_on(RecordKind::Incubator, date(2021, 12, 31)), 9);
    assert_eq!(sum_on(RecordKind::Alliance, date(2022, 12, 31)), 27);
}

#[test]
fn a_unit_expectation_runs_straight_between_its_own_shares() {
    let plan = plan();
    let cases = [
        (JIXIAN, RecordKind::RndInstitution, date(2020, 12, 31), 0),
        (JIXIAN, RecordKind::RndInstitution, date(2021, 12, 30), 0),
        (JIXIAN, RecordKind::RndInstitution, date(2021, 12, 31), 1),
        (JIXIAN, RecordKind::Incubator, date(2021, 12, 31), 2),
        // R&D 12 of 24 at end-2021: 尖山 (quota 7) has the remainder .5 with the largest
        // quota, so 4; 18 at end-2022: 5; halfway between, still 4 (rounded down).
        (JIANSHAN, RecordKind::RndInstitution, date(2021, 12, 31), 4),
        (JIANSHAN, RecordKind::RndInstitution, date(2022, 7, 2), 4),
        (JIANSHAN, RecordKind::RndInstitution, date(2022, 12, 31), 5),
        (JIANSHAN, RecordKind::RndInstitution, date(2023, 12, 31), 7),
        // Achievements 20 / 50: 尖山 4 and 9.
        (JIANSHAN, RecordKind::Achievement, date(2021, 12, 31), 4),
        (JIANSHAN, RecordKind::Achievement, date(2022, 12, 31), 9),
        (JIANSHAN, RecordKind::TechSme, date(2023, 7, 2), 13),
        (JIANSHAN, RecordKind::HighTech, date(2026, 1, 1), 10),
    ];
    for (unit, kind, on, want) in cases {
        let Some(indicator) = plan.indicator(kind) else {
            panic!("{kind:?} missing from the plan");
        };
        assert_eq!(
            unit_expected(&plan, indicator, unit, 0, on),
            want,
            "{unit} {kind:?} on {on}"
        );
    }
}

#[test]
fn after_the_plan_the_figures_are_those_of_its_last_day() {
    let plan = plan();
    let asked = date(2024, 6, 30);
    let mut windows = Vec::new();
    let progress = unit_progress(&plan, JIXIAN, asked, AsOfSource::Given, |kind, window| {
        windows.push((kind, window));
        Ok::<u64, ()>(3)
    });
    let Ok(progress) = progress else {
        panic!("counting cannot fail here");
    };
    assert_eq!(progress.as_of, asked);
    assert_eq!(progress.measured_on, plan.end);
    assert!(progress.plan_over);
    // Tech SMEs are counted in 2023's window, not 2024's empty one; nothing is counted
    // on a day after the plan.
    for kind in RecordKind::ALL {
        let want = (kind, window_on(kind, plan.end));
        assert!(windows.contains(&want), "{kind:?} {windows:?}");
    }
    assert!(
        !windows.contains(&(RecordKind::TechSme, window_on(RecordKind::TechSme, asked))),
        "{windows:?}"
    );
}

#[test]
fn high_tech_grows_from_its_baseline_to_its_floor_and_target() {
    let plan = plan();
    let Some(high_tech) = plan.indicator(RecordKind::HighTech) else {
        panic!("no high_tech");
    };
    // 尖山区 held 6 valid certificates on 2020-12-31: 2021 asks 6 + 3 = 9, rising to 10.
    let cases = [
        (date(2021, 1, 1), 6),
        (date(2021, 12, 31), 9),
        (date(2022, 12, 31), 9),
        (date(2023, 12, 30), 9),
        (date(2023, 12, 31), 10),
    ];
    for (on, want) in cases {
        assert_eq!(
            unit_expected(&plan, high_tech, JIANSHAN, 6, on),
            want,
            "{on}"
        );
    }
    // 集贤县 with 2 before the plan: 3 by the end of 2021, 4 at the end of 2022.
    assert_eq!(
        unit_expected(&plan, high_tech, JIXIAN, 2, date(2021, 12, 31)),
        3
    );
    assert_eq!(
        unit_expected(&plan, high_tech, JIXIAN, 2, date(2022, 12, 31)),
        4
    );
    // The city with 20: 30 by the end of 2021.
    assert_eq!(city_expected(&plan, high_tech, 20, date(2021, 12, 31)), 30);
    assert_eq!(grown(7, 50), 11);
    // Nothing before the plan: the straight line's share of the target, 10 × 364/1094.
    assert_eq!(
        unit_expected(&plan, high_tech, JIANSHAN, 0, date(2021, 12, 31)),
        3
    );
    assert_eq!(grown(0, 50), 0);

    // The floor of 30 over the quotas 5,2,4,2,10,6,1,1,5 adds up to 30.
    let floors: Vec<u32> = plan
        .units
        .iter()
        .map(|u| {
            let progress = unit_progress(&plan, &u.code, plan.end, AsOfSource::Given, |_, _| {
                Ok::<u64, ()>(0)
            });
            progress
                .ok()
                .and_then(|p| p.indicators.iter().find_map(|i| i.floor))
                .map_or(0, |f| f.floor)
        })
        .collect();
    assert_eq!(floors.iter().sum::<u32>(), 30, "{floors:?}");
    // Below floor / floor met / target met for 尖山区 (floor 8 of 30, target 10).
    let jianshan_floor = floors[4];
    assert_eq!(jianshan_floor, 8);
    for (held, want) in [
        (7, FloorStatus::BelowFloor),
        (8, FloorStatus::FloorMet),
        (9, FloorStatus::FloorMet),
        (10, FloorStatus::TargetMet),
    ] {
        let progress = unit_progress(
            &plan,
            JIANSHAN,
            date(2023, 12, 31),
            AsOfSource::Given,
            |kind, window| {
                Ok::<u64, ()>(match (kind, window) {
                    (RecordKind::HighTech, CountWindow::KeyDateBetween { to, .. })
                        if to == plan.end =>
                    {
                        held
                    }
                    _ => 6,
                })
            },
        );
        let Ok(progress) = progress else {
            panic!("counting cannot fail here");
        };
        let Some(row) = progress
            .indicators
            .iter()
            .find(|i| i.key == RecordKind::HighTech)
        else {
            panic!("no high-tech row");
        };
        assert_eq!(row.floor.map(|f| f.status), Some(want), "{held}");
        assert_eq!(
            row.growth.map(|g| (g.baseline, g.first_year_expected)),
            Some((6, 9))
        );
    }
}
