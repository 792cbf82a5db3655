//! Hand-worked cases of the plan's award rules, and the lines and totals built on them.

use jiff::civil::{Date, date};
use uuid::Uuid;

use super::*;
use crate::plan::Plan;

const UNIT: &str = "230502";

fn subject(n: u128, kind: RecordKind, key_date: Date, fields: &[(&str, &str)]) -> AwardSubject {
    let mut values = FieldValues::new();
    for (k, v) in fields {
        values.insert((*k).to_owned(), (*v).to_owned());
    }
    values
        .entry("name".into())
        .or_insert_with(|| format!("实体{n}"));
    values
        .entry(TAX_LEVEL.into())
        .or_insert_with(|| "county".into());
    AwardSubject {
        id: Uuid::from_u128(n),
        unit: UNIT.into(),
        kind,
        active: true,
        key_date,
        end_date: fields
            .iter()
            .find(|(k, _)| *k == "revoked_on")
            .and_then(|(_, v)| v.parse().ok()),
        fields: values,
    }
}

fn sme(n: u128, on: Date, code: &str) -> AwardSubject {
    subject(n, RecordKind::TechSme, on, &[("credit_code", code)])
}

fn plan_entitlements(subjects: &[AwardSubject]) -> Vec<Entitlement> {
    let plan = Plan::embedded();
    entitlements(&plan.awards, plan.start, plan.end, subjects)
}

/// (record number, rule, year, amount in yuan as written by hand; `None` when awaiting a
/// figure or out of range).
type Expected = (u128, &'static str, i16, Option<f64>);

fn worked(subjects: &[AwardSubject]) -> Vec<Expected> {
    plan_entitlements(subjects)
        .into_iter()
        .map(|e| {
            let rule: &'static str = KNOWN_RULES
                .iter()
                .find(|k| **k == e.key.rule)
                .copied()
                .unwrap_or("unknown");
            (
                e.key.record.as_u128(),
                rule,
                e.key.year,
                e.due.fen().map(|f| f as f64 / 100.0),
            )
        })
        .collect()
}

struct Case {
    name: &'static str,
    subjects: Vec<AwardSubject>,
    expected: Vec<Expected>,
}

fn cases() -> Vec<Case> {
    use RecordKind::*;
    let rnd = |n, on, level: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut fields = vec![("level", level), ("host", "宿主公司")];
        fields.extend_from_slice(extra);
        subject(n, RndInstitution, on, &fields)
    };
    let incubator =
        |n, on, ty: &'static str, level: &'static str, extra: &[(&'static str, &'static str)]| {
            let mut fields = vec![("type", ty), ("level", level), ("operator", "运营公司")];
            fields.extend_from_slice(extra);
            subject(n, Incubator, on, &fields)
        };
    let alliance = |n, level: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut fields = vec![("level", level), ("lead", "牵头公司")];
        fields.extend_from_slice(extra);
        subject(n, Alliance, date(2022, 4, 1), &fields)
    };
    let contract = |n, on, amount: &'static str, code: &'static str| {
        subject(
            n,
            Achievement,
            on,
            &[
                ("title", "成果"),
                ("recipient", "承接公司"),
                ("recipient_credit_code", code),
                ("contract_no", "2022230500000123"),
                ("amount_yuan", amount),
            ],
        )
    };
    let high_tech = |n, recognition: &'static str, size: &'static str| {
        subject(
            n,
            HighTech,
            date(2022, 11, 20),
            &[("recognition", recognition), ("size", size)],
        )
    };
    let code_a = "91230500MA1A2B3C4D";
    let code_b = "91230500MA1A2B3C5E";
    vec![
        Case {
            name: "tech SME registered in 2021: 1万元",
            subjects: vec![sme(1, date(2021, 5, 10), code_a)],
            expected: vec![(1, TECH_SME_SUBSIDY, 2021, Some(10_000.0))],
        },
        Case {
            name: "tech SME in the library three years running: 1万元 each year",
            subjects: vec![
                sme(1, date(2021, 5, 10), code_a),
                sme(2, date(2022, 4, 2), code_a),
                sme(3, date(2023, 6, 30), code_a),
            ],
            expected: vec![
                (1, TECH_SME_SUBSIDY, 2021, Some(10_000.0)),
                (2, TECH_SME_SUBSIDY, 2022, Some(10_000.0)),
                (3, TECH_SME_SUBSIDY, 2023, Some(10_000.0)),
            ],
        },
        Case {
            name: "tech SME withdrawn in its year earns nothing that year; the next year's registration does",
            subjects: vec![
                subject(
                    1,
                    TechSme,
                    date(2022, 3, 1),
                    &[("credit_code", code_a), ("revoked_on", "2022-08-01")],
                ),
                sme(2, date(2023, 3, 1), code_a),
            ],
            expected: vec![(2, TECH_SME_SUBSIDY, 2023, Some(10_000.0))],
        },
        Case {
            name: "tech SME withdrawn after its year ended keeps that year's subsidy",
            subjects: vec![subject(
                1,
                TechSme,
                date(2022, 3, 1),
                &[("credit_code", code_a), ("revoked_on", "2023-01-01")],
            )],
            expected: vec![(1, TECH_SME_SUBSIDY, 2022, Some(10_000.0))],
        },
        Case {
            name: "tech SME registered before or after the plan period: nothing under this plan",
            subjects: vec![
                sme(1, date(2020, 12, 31), code_a),
                sme(2, date(2024, 1, 1), code_b),
            ],
            expected: vec![],
        },
        Case {
            name: "the same firm entered twice in one year is paid once",
            subjects: vec![
                sme(1, date(2022, 3, 1), code_a),
                sme(2, date(2022, 9, 1), code_a),
            ],
            expected: vec![(1, TECH_SME_SUBSIDY, 2022, Some(10_000.0))],
        },
        Case {
            name: "new high-tech enterprise above designated size: 30万元",
            subjects: vec![high_tech(1, "first", "above")],
            expected: vec![(1, HIGH_TECH_FIRST_ABOVE, 2022, Some(300_000.0))],
        },
        Case {
            name: "new high-tech enterprise below designated size: 10万元",
            subjects: vec![high_tech(1, "first", "below")],
            expected: vec![(1, HIGH_TECH_FIRST_BELOW, 2022, Some(100_000.0))],
        },
        Case {
            name: "renewal above designated size: half, 15万元",
            subjects: vec![high_tech(1, "renewal", "above")],
            expected: vec![(1, HIGH_TECH_RENEWAL_ABOVE, 2022, Some(150_000.0))],
        },
        Case {
            name: "renewal below designated size: half, 5万元",
            subjects: vec![high_tech(1, "renewal", "below")],
            expected: vec![(1, HIGH_TECH_RENEWAL_BELOW, 2022, Some(50_000.0))],
        },
        Case {
            name: "a certificate cancelled on its own date earns nothing; one cancelled later keeps its award",
            subjects: vec![
                subject(
                    1,
                    HighTech,
                    date(2022, 11, 20),
                    &[
                        ("recognition", "first"),
                        ("size", "above"),
                        ("revoked_on", "2022-11-20"),
                    ],
                ),
                subject(
                    2,
                    HighTech,
                    date(2022, 11, 20),
                    &[
                        ("recognition", "first"),
                        ("size", "below"),
                        ("revoked_on", "2023-02-01"),
                    ],
                ),
            ],
            expected: vec![(2, HIGH_TECH_FIRST_BELOW, 2022, Some(100_000.0))],
        },
        Case {
            name: "R&D: new national base 100万元, provincial new-type 100万元, provincial 50万元, city 10万元",
            subjects: vec![
                rnd(1, date(2021, 3, 1), "national", &[]),
                rnd(2, date(2021, 4, 1), "provincial", &[("new_type", "true")]),
                rnd(3, date(2021, 5, 1), "provincial", &[("new_type", "false")]),
                rnd(4, date(2021, 6, 1), "city", &[]),
            ],
            expected: vec![
                (1, RND_NEW_NATIONAL, 2021, Some(1_000_000.0)),
                (2, RND_NEW_NATIONAL, 2021, Some(1_000_000.0)),
                (3, RND_NEW_PROVINCIAL, 2021, Some(500_000.0)),
                (4, RND_NEW_CITY, 2021, Some(100_000.0)),
            ],
        },
        Case {
            name: "R&D upgrade chain city → provincial → national: 10 + 40 + 50 = 100万元, top-ups only",
            subjects: vec![
                rnd(1, date(2021, 3, 1), "city", &[]),
                rnd(
                    2,
                    date(2022, 3, 1),
                    "provincial",
                    &[("supersedes", "00000000-0000-0000-0000-000000000001")],
                ),
                rnd(
                    3,
                    date(2023, 3, 1),
                    "national",
                    &[("supersedes", "00000000-0000-0000-0000-000000000002")],
                ),
            ],
            expected: vec![
                (1, RND_NEW_CITY, 2021, Some(100_000.0)),
                (2, RND_UP_TO_PROVINCIAL, 2022, Some(400_000.0)),
                (3, RND_UP_TO_NATIONAL, 2023, Some(500_000.0)),
            ],
        },
        Case {
            name: "R&D provincial → national recorded with upgraded_from only (the provincial base predates the ledger): +50万元",
            subjects: vec![rnd(
                1,
                date(2022, 7, 1),
                "national",
                &[("upgraded_from", "provincial")],
            )],
            expected: vec![(1, RND_UP_TO_NATIONAL, 2022, Some(500_000.0))],
        },
        Case {
            name: "R&D city → national in one step earns both top-ups: 40 + 50万元",
            subjects: vec![rnd(
                1,
                date(2022, 7, 1),
                "national",
                &[("upgraded_from", "city")],
            )],
            expected: vec![
                (1, RND_UP_TO_NATIONAL, 2022, Some(500_000.0)),
                (1, RND_UP_TO_PROVINCIAL, 2022, Some(400_000.0)),
            ],
        },
        Case {
            name: "R&D renamed at the same level earns nothing new",
            subjects: vec![
                rnd(1, date(2021, 3, 1), "provincial", &[]),
                rnd(
                    2,
                    date(2022, 3, 1),
                    "provincial",
                    &[("supersedes", "00000000-0000-0000-0000-000000000001")],
                ),
            ],
            expected: vec![(1, RND_NEW_PROVINCIAL, 2021, Some(500_000.0))],
        },
        Case {
            name: "new national incubator 100万元, national maker space 50万元, other carriers nothing",
            subjects: vec![
                incubator(1, date(2023, 1, 5), "incubator", "national", &[]),
                incubator(2, date(2023, 1, 6), "maker_space", "national", &[]),
                incubator(3, date(2023, 1, 7), "other", "national", &[]),
            ],
            expected: vec![
                (1, INCUBATOR_NATIONAL, 2023, Some(1_000_000.0)),
                (2, MAKER_SPACE_NATIONAL, 2023, Some(500_000.0)),
            ],
        },
        Case {
            name: "provincial post-subsidy matched 1:1 (30万元), and capped at 100万元 (150万元 given)",
            subjects: vec![
                incubator(
                    1,
                    date(2022, 5, 1),
                    "incubator",
                    "provincial",
                    &[("provincial_subsidy_yuan", "300000")],
                ),
                incubator(
                    2,
                    date(2022, 6, 1),
                    "maker_space",
                    "provincial",
                    &[("provincial_subsidy_yuan", "1500000")],
                ),
            ],
            expected: vec![
                (1, INCUBATOR_PROVINCIAL_MATCH, 2022, Some(300_000.0)),
                (2, INCUBATOR_PROVINCIAL_MATCH, 2022, Some(1_000_000.0)),
            ],
        },
        Case {
            name: "city-recognised: the city's choice within 20–50万元; missing or outside the range is not settled",
            subjects: vec![
                incubator(
                    1,
                    date(2022, 5, 1),
                    "maker_space",
                    "city",
                    &[("city_grant_yuan", "300000")],
                ),
                incubator(2, date(2022, 5, 2), "incubator", "city", &[]),
                incubator(
                    3,
                    date(2022, 5, 3),
                    "incubator",
                    "city",
                    &[("city_grant_yuan", "600000")],
                ),
                incubator(
                    4,
                    date(2022, 5, 4),
                    "incubator",
                    "city",
                    &[("city_grant_yuan", "199999.99")],
                ),
                incubator(
                    5,
                    date(2022, 5, 5),
                    "incubator",
                    "city",
                    &[("city_grant_yuan", "500000")],
                ),
            ],
            expected: vec![
                (1, INCUBATOR_CITY, 2022, Some(300_000.0)),
                (2, INCUBATOR_CITY, 2022, None),
                (3, INCUBATOR_CITY, 2022, None),
                (4, INCUBATOR_CITY, 2022, None),
                (5, INCUBATOR_CITY, 2022, Some(500_000.0)),
            ],
        },
        Case {
            name: "a city maker space (30万元) raised to national earns the top-up: 50 − 30 = 20万元",
            subjects: vec![
                incubator(
                    1,
                    date(2021, 5, 1),
                    "maker_space",
                    "city",
                    &[("city_grant_yuan", "300000")],
                ),
                incubator(
                    2,
                    date(2023, 5, 1),
                    "maker_space",
                    "national",
                    &[("supersedes", "00000000-0000-0000-0000-000000000001")],
                ),
            ],
            expected: vec![
                (1, INCUBATOR_CITY, 2021, Some(300_000.0)),
                (2, MAKER_SPACE_NATIONAL, 2023, Some(200_000.0)),
            ],
        },
        Case {
            name: "alliances: city founder 5万元, provincial founder 10万元",
            subjects: vec![alliance(1, "city", &[]), alliance(2, "provincial", &[])],
            expected: vec![
                (1, ALLIANCE_CITY, 2022, Some(50_000.0)),
                (2, ALLIANCE_PROVINCIAL, 2022, Some(100_000.0)),
            ],
        },
        Case {
            name: "national alliance lead: founder 10万元 plus the provincial amount matched (80万元), capped at 100万元 (120万元 given), awaiting when not given",
            subjects: vec![
                alliance(1, "national", &[("provincial_support_yuan", "800000")]),
                alliance(2, "national", &[("provincial_support_yuan", "1200000")]),
                alliance(3, "national", &[]),
            ],
            expected: vec![
                (1, ALLIANCE_NATIONAL_LEAD, 2022, Some(800_000.0)),
                (1, ALLIANCE_PROVINCIAL, 2022, Some(100_000.0)),
                (2, ALLIANCE_NATIONAL_LEAD, 2022, Some(1_000_000.0)),
                (2, ALLIANCE_PROVINCIAL, 2022, Some(100_000.0)),
                (3, ALLIANCE_NATIONAL_LEAD, 2022, None),
                (3, ALLIANCE_PROVINCIAL, 2022, Some(100_000.0)),
            ],
        },
        Case {
            name: "technology contract: 20% of 100万元 = 20万元",
            subjects: vec![contract(1, date(2022, 3, 1), "1000000", code_a)],
            expected: vec![(1, CONTRACT_SUBSIDY, 2022, Some(200_000.0))],
        },
        Case {
            name: "contract cap 50万元 per firm per year: 200万 then 100万 → 40万 + 10万; the next year starts afresh; another firm is not capped",
            subjects: vec![
                contract(1, date(2022, 3, 1), "2000000", code_a),
                contract(2, date(2022, 9, 1), "1000000", code_a),
                contract(3, date(2022, 10, 1), "1000000", code_b),
                contract(4, date(2023, 1, 10), "1000000", code_a),
            ],
            expected: vec![
                (1, CONTRACT_SUBSIDY, 2022, Some(400_000.0)),
                (2, CONTRACT_SUBSIDY, 2022, Some(100_000.0)),
                (3, CONTRACT_SUBSIDY, 2022, Some(200_000.0)),
                (4, CONTRACT_SUBSIDY, 2023, Some(200_000.0)),
            ],
        },
        Case {
            name: "contract shares to the fen, half up: 20% of 123.45 = 24.69; of 0.03 = 0.01",
            subjects: vec![
                contract(1, date(2022, 3, 1), "123.45", code_a),
                contract(2, date(2022, 3, 2), "0.03", code_b),
            ],
            expected: vec![
                (1, CONTRACT_SUBSIDY, 2022, Some(24.69)),
                (2, CONTRACT_SUBSIDY, 2022, Some(0.01)),
            ],
        },
        Case {
            name: "an achievement without a registered contract number earns no post-subsidy; one without an amount waits for it",
            subjects: vec![
                subject(
                    1,
                    Achievement,
                    date(2022, 3, 1),
                    &[
                        ("title", "成果"),
                        ("recipient", "公司"),
                        ("amount_yuan", "1000000"),
                    ],
                ),
                subject(
                    2,
                    Achievement,
                    date(2022, 3, 2),
                    &[
                        ("title", "成果"),
                        ("recipient", "公司"),
                        ("contract_no", "X1"),
                    ],
                ),
            ],
            expected: vec![(2, CONTRACT_SUBSIDY, 2022, None)],
        },
        Case {
            name: "a voided record earns nothing",
            subjects: vec![AwardSubject {
                active: false,
                ..high_tech(1, "first", "above")
            }],
            expected: vec![],
        },
    ]
}

#[test]
fn hand_worked_cases_match_the_rules_exactly() {
    let cases = cases();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    for case in cases {
        let mut got = worked(&case.subjects);
        let mut want = case.expected.clone();
        got.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        want.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        assert_eq!(got, want, "{}", case.name);
    }
}

#[test]
fn the_fiscal_level_is_the_records_and_missing_is_missing() {
    let mut city = sme(1, date(2022, 3, 1), "91230500MA1A2B3C4D");
    city.fields.insert(TAX_LEVEL.into(), "city".into());
    let county = sme(2, date(2022, 3, 1), "91230500MA1A2B3C5E");
    let mut unknown = sme(3, date(2022, 3, 1), "91230500MA1A2B3C6F");
    unknown.fields.remove(TAX_LEVEL);
    let got: Vec<_> = plan_entitlements(&[city, county, unknown])
        .into_iter()
        .map(|e| (e.key.record.as_u128(), e.level))
        .collect();
    assert_eq!(
        got,
        [
            (1, Some(FiscalLevel::City)),
            (2, Some(FiscalLevel::County)),
            (3, None)
        ]
    );
}

#[test]
fn amounts_come_from_the_plan_file_not_the_program() {
    let mut plan = Plan::embedded();
    for rule in &mut plan.awards {
        if rule.key == HIGH_TECH_FIRST_ABOVE {
            rule.amount_yuan = 250_000;
        }
        if rule.key == CONTRACT_SUBSIDY {
            rule.share_percent = Some(10);
            rule.cap_yuan = Some(30_000);
        }
    }
    plan.awards.retain(|r| r.key != TECH_SME_SUBSIDY);
    let subjects = [
        subject(
            1,
            RecordKind::HighTech,
            date(2022, 1, 1),
            &[("recognition", "first"), ("size", "above")],
        ),
        sme(2, date(2022, 1, 1), "91230500MA1A2B3C4D"),
        subject(
            3,
            RecordKind::Achievement,
            date(2022, 1, 1),
            &[
                ("title", "t"),
                ("recipient", "r"),
                ("contract_no", "c"),
                ("amount_yuan", "1000000"),
            ],
        ),
    ];
    let got: Vec<_> = entitlements(&plan.awards, plan.start, plan.end, &subjects)
        .into_iter()
        .map(|e| (e.key.rule, e.due.fen()))
        .collect();
    assert_eq!(
        got,
        [
            (HIGH_TECH_FIRST_ABOVE.to_owned(), Some(25_000_000)),
            (CONTRACT_SUBSIDY.to_owned(), Some(3_000_000)),
        ]
    );
}

fn event(
    subject: &AwardSubject,
    rule: &str,
    action: AwardAction,
    fen: Fen,
    on: Date,
) -> AwardEvent {
    AwardEvent {
        key: EntitlementKey {
            record: subject.id,
            rule: rule.into(),
            year: subject.key_date.year(),
        },
        unit: UNIT.into(),
        level: FiscalLevel::County,
        action,
        fen,
        on,
        voucher: (action == AwardAction::Pay).then(|| "记-0012".to_owned()),
        recorded_by: UNIT.into(),
        actor: "clerk".into(),
        at: jiff::Timestamp::UNIX_EPOCH,
    }
}

#[test]
fn lines_follow_the_records_after_payment() {
    let paid = subject(
        1,
        RecordKind::HighTech,
        date(2022, 5, 1),
        &[("recognition", "first"), ("size", "above")],
    );
    let approved = subject(
        2,
        RecordKind::HighTech,
        date(2022, 5, 2),
        &[("recognition", "first"), ("size", "below")],
    );
    let plain = sme(3, date(2022, 5, 3), "91230500MA1A2B3C4D");
    let voided_paid = AwardSubject {
        active: false,
        ..subject(
            4,
            RecordKind::HighTech,
            date(2022, 5, 4),
            &[("recognition", "renewal"), ("size", "below")],
        )
    };
    let changed = subject(
        5,
        RecordKind::Incubator,
        date(2022, 5, 5),
        &[
            ("type", "maker_space"),
            ("level", "city"),
            ("operator", "o"),
            ("city_grant_yuan", "400000"),
        ],
    );
    let subjects = vec![
        paid.clone(),
        approved.clone(),
        plain,
        voided_paid.clone(),
        changed.clone(),
    ];
    let events = vec![
        event(
            &paid,
            HIGH_TECH_FIRST_ABOVE,
            AwardAction::Approve,
            30_000_000,
            date(2022, 6, 1),
        ),
        event(
            &paid,
            HIGH_TECH_FIRST_ABOVE,
            AwardAction::Pay,
            30_000_000,
            date(2022, 7, 1),
        ),
        event(
            &approved,
            HIGH_TECH_FIRST_BELOW,
            AwardAction::Approve,
            10_000_000,
            date(2022, 6, 1),
        ),
        event(
            &voided_paid,
            HIGH_TECH_RENEWAL_BELOW,
            AwardAction::Approve,
            5_000_000,
            date(2022, 6, 1),
        ),
        event(
            &voided_paid,
            HIGH_TECH_RENEWAL_BELOW,
            AwardAction::Pay,
            5_000_000,
            date(2022, 6, 2),
        ),
        event(
            &changed,
            INCUBATOR_CITY,
            AwardAction::Approve,
            30_000_000,
            date(2022, 6, 1),
        ),
        event(
            &changed,
            INCUBATOR_CITY,
            AwardAction::Pay,
            30_000_000,
            date(2022, 6, 2),
        ),
    ];
    let lines = award_lines(plan_entitlements(&subjects), &events, &subjects);
    let got: Vec<_> = lines
        .iter()
        .map(|l| (l.key.record.as_u128(), l.status, l.balance_fen))
        .collect();
    assert_eq!(
        got,
        [
            (1, AwardStatus::Paid, 0),
            (2, AwardStatus::Approved, 0),
            (3, AwardStatus::Entitled, 0),
            (4, AwardStatus::Recover, -5_000_000),
            (5, AwardStatus::PaidDiffers, 10_000_000),
        ]
    );
    let recover = &lines[3];
    assert_eq!(recover.entity, "实体4");
    assert!(recover.entitlement.is_none());

    let totals = award_totals(&lines);
    assert_eq!(totals.len(), 1);
    let t = &totals[0];
    assert_eq!(
        (t.year, t.level, t.unit.as_str()),
        (2022, Some(FiscalLevel::County), UNIT)
    );
    // Owed: 30万 + 10万 + 1万 + 40万 = 81万; paid 30万 + 5万 + 30万 = 65万.
    assert_eq!(t.entitled, 4);
    assert_eq!(t.entitled_fen, 81_000_000);
    assert_eq!(t.approved_fen, 10_000_000);
    assert_eq!(t.paid_fen, 65_000_000);
    // Unpaid 10万 + 1万, plus the 10万 still owed on the changed grant.
    assert_eq!(t.outstanding_fen, 21_000_000);
    assert_eq!(t.to_recover_fen, 5_000_000);
}

#[test]
fn totals_split_by_fiscal_level_and_year() {
    let mut a = sme(1, date(2021, 3, 1), "91230500MA1A2B3C4D");
    a.fields.insert(TAX_LEVEL.into(), "city".into());
    let b = sme(2, date(2021, 3, 1), "91230500MA1A2B3C5E");
    let c = sme(3, date(2022, 3, 1), "91230500MA1A2B3C5E");
    let subjects = vec![a, b, c];
    let lines = award_lines(plan_entitlements(&subjects), &[], &subjects);
    let got: Vec<_> = award_totals(&lines)
        .into_iter()
        .map(|t| (t.year, t.level, t.entitled_fen))
        .collect();
    assert_eq!(
        got,
        [
            (2021, Some(FiscalLevel::County), 1_000_000),
            (2021, Some(FiscalLevel::City), 1_000_000),
            (2022, Some(FiscalLevel::County), 1_000_000),
        ]
    );
}

#[test]
fn approvals_and_payments_are_checked() {
    let rec = subject(
        1,
        RecordKind::HighTech,
        date(2022, 5, 1),
        &[("recognition", "first"), ("size", "above")],
    );
    let subjects = vec![rec.clone()];
    let line = |events: &[AwardEvent]| {
        award_lines(plan_entitlements(&subjects), events, &subjects)
            .into_iter()
            .next()
            .expect("a line")
    };
    let on = date(2022, 6, 1);
    let fresh = line(&[]);
    assert_eq!(
        check_action(&fresh, AwardAction::Approve, FiscalLevel::County, on),
        Ok(30_000_000)
    );
    assert_eq!(
        check_action(&fresh, AwardAction::Approve, FiscalLevel::City, on),
        Err(AwardRefusal::OtherLevel {
            level: FiscalLevel::County
        })
    );
    assert_eq!(
        check_action(&fresh, AwardAction::Pay, FiscalLevel::County, on),
        Err(AwardRefusal::NotApproved)
    );
    let approval = event(
        &rec,
        HIGH_TECH_FIRST_ABOVE,
        AwardAction::Approve,
        30_000_000,
        on,
    );
    let approved = line(std::slice::from_ref(&approval));
    assert_eq!(
        check_action(&approved, AwardAction::Approve, FiscalLevel::County, on),
        Err(AwardRefusal::AlreadyApproved { on })
    );
    assert_eq!(
        check_action(
            &approved,
            AwardAction::Pay,
            FiscalLevel::County,
            date(2022, 5, 31)
        ),
        Err(AwardRefusal::PaidBeforeApproval { approved_on: on })
    );
    assert_eq!(
        check_action(&approved, AwardAction::Pay, FiscalLevel::County, on),
        Ok(30_000_000)
    );
    let payment = event(
        &rec,
        HIGH_TECH_FIRST_ABOVE,
        AwardAction::Pay,
        30_000_000,
        on,
    );
    let paid = line(&[approval, payment]);
    assert_eq!(
        check_action(&paid, AwardAction::Pay, FiscalLevel::County, on),
        Err(AwardRefusal::AlreadyPaid {
            on,
            voucher: Some("记-0012".into())
        })
    );

    let mut no_level = rec.clone();
    no_level.fields.remove(TAX_LEVEL);
    let unplaced = award_lines(
        plan_entitlements(std::slice::from_ref(&no_level)),
        &[],
        &[no_level],
    )
    .into_iter()
    .next()
    .expect("a line");
    assert_eq!(unplaced.status, AwardStatus::NoFiscalLevel);
    assert_eq!(
        check_action(&unplaced, AwardAction::Approve, FiscalLevel::County, on),
        Err(AwardRefusal::NoFiscalLevel)
    );
    let awaiting_subject = subject(
        2,
        RecordKind::Incubator,
        date(2022, 5, 5),
        &[
            ("type", "maker_space"),
            ("level", "city"),
            ("operator", "o"),
        ],
    );
    let awaiting = award_lines(
        plan_entitlements(std::slice::from_ref(&awaiting_subject)),
        &[],
        &[awaiting_subject],
    )
    .into_iter()
    .next()
    .expect("a line");
    assert_eq!(awaiting.status, AwardStatus::AwaitingInput);
    assert_eq!(
        check_action(&awaiting, AwardAction::Approve, FiscalLevel::County, on),
        Err(AwardRefusal::AmountNotSettled)
    );
}

#[test]
fn stored_amounts_parse_to_fen() {
    assert_eq!(parse_fen("1234"), Some(123_400));
    assert_eq!(parse_fen("1234.5"), Some(123_450));
    assert_eq!(parse_fen("0.05"), Some(5));
    assert_eq!(parse_fen("1.234"), None);
    assert_eq!(parse_fen("-1"), None);
    assert_eq!(parse_fen(""), None);
    assert_eq!(parse_fen(".5"), None);
    assert_eq!(share_of(12_345, 20), 2_469);
    assert_eq!(share_of(3, 20), 1);
    assert_eq!(share_of(2, 20), 0);
}

#[test]
fn keys_read_back_as_what_they_name() {
    for level in [FiscalLevel::County, FiscalLevel::City] {
        assert_eq!(FiscalLevel::from_key(level.key()), Some(level));
    }
    assert_eq!(FiscalLevel::County.key(), "county");
    assert_eq!(FiscalLevel::City.key(), "city");
    assert_eq!(FiscalLevel::from_key("province"), None);
    for action in [AwardAction::Approve, AwardAction::Pay] {
        assert_eq!(AwardAction::from_key(action.key()), Some(action));
    }
    assert_eq!(AwardAction::Approve.key(), "approve");
    assert_eq!(AwardAction::Pay.key(), "pay");
    assert_eq!(AwardAction::from_key("refund"), None);
}

#[test]
fn the_money_goes_to_the_firm_each_kind_names() {
    use RecordKind::*;
    let cases = [
        (TechSme, "name", "小巨人科技"),
        (HighTech, "name", "龙煤科技"),
        (RndInstitution, "host", "石墨公司"),
        (Incubator, "operator", "运营公司"),
        (Alliance, "lead", "牵头公司"),
        (Achievement, "recipient", "承接公司"),
    ];
    for (kind, field, firm) in cases {
        let s = subject(
            1,
            kind,
            date(2022, 1, 1),
            &[(field, firm), ("title", "成果")],
        );
        assert_eq!(s.beneficiary(), firm, "{kind:?}");
    }
    let e = plan_entitlements(&[subject(
        7,
        RecordKind::Incubator,
        date(2022, 1, 1),
        &[
            ("name", "一号众创空间"),
            ("type", "maker_space"),
            ("level", "national"),
            ("operator", "运营公司"),
            ("operator_credit_code", "91230500MA1A2B3C43"),
        ],
    )]);
    assert_eq!(e[0].entity, "一号众创空间");
    assert_eq!(e[0].beneficiary, "运营公司");
    assert_eq!(e[0].credit_code.as_deref(), Some("91230500MA1A2B3C43"));
    assert_eq!(e[0].basis_date, date(2022, 1, 1));
}

#[test]
fn boundaries_of_years_caps_and_levels() {
    use RecordKind::*;
    // Withdrawn on the last day of its year: not in the library at the year's end.
    let last_day = subject(
        1,
        TechSme,
        date(2022, 3, 1),
        &[
            ("credit_code", "91230500MA1A2B3C4D"),
            ("revoked_on", "2022-12-31"),
        ],
    );
    assert!(plan_entitlements(&[last_day]).is_empty());

    // A national base renamed at national level earns nothing new.
    let national = |n, on, extra: &[(&'static str, &'static str)]| {
        let mut fields = vec![("level", "national"), ("host", "宿主")];
        fields.extend_from_slice(extra);
        subject(n, RndInstitution, on, &fields)
    };
    let renamed = plan_entitlements(&[
        national(1, date(2021, 3, 1), &[]),
        national(
            2,
            date(2022, 3, 1),
            &[("supersedes", "00000000-0000-0000-0000-000000000001")],
        ),
    ]);
    let rules: Vec<_> = renamed
        .iter()
        .map(|e| (e.key.record.as_u128(), e.key.rule.as_str()))
        .collect();
    assert_eq!(rules, [(1, RND_NEW_NATIONAL)]);

    // How each amount was worked out: a share under its cap, at its cap, and cut by it.
    let incubator = |n, amount: &'static str| {
        subject(
            n,
            Incubator,
            date(2022, 5, 1),
            &[
                ("type", "incubator"),
                ("level", "provincial"),
                ("operator", "o"),
                ("provincial_subsidy_yuan", amount),
            ],
        )
    };
    let contract = |n, amount: &'static str| {
        subject(
            n,
            Achievement,
            date(2022, 6, n as i8),
            &[
                ("title", "t"),
                ("recipient", "r"),
                ("contract_no", "c"),
                ("amount_yuan", amount),
            ],
        )
    };
    let got: Vec<_> = plan_entitlements(&[
        incubator(1, "999999.99"),
        incubator(2, "1000000"),
        incubator(3, "1000000.01"),
        contract(4, "2500000"),
        contract(5, "1"),
    ])
    .into_iter()
    .map(|e| (e.key.record.as_u128(), e.due.fen(), e.working))
    .collect();
    assert_eq!(
        got,
        [
            (
                1,
                Some(99_999_999),
                Some(Working::Share {
                    base_fen: 99_999_999,
                    percent: 100
                })
            ),
            (
                2,
                Some(100_000_000),
                Some(Working::Share {
                    base_fen: 100_000_000,
                    percent: 100
                })
            ),
            (
                3,
                Some(100_000_000),
                Some(Working::Capped {
                    base_fen: 100_000_001,
                    percent: 100,
                    uncapped_fen: 100_000_001,
                    cap_fen: 100_000_000
                })
            ),
            // 20% of 250万 is exactly the 50万 cap: a share, not cut.
            (
                4,
                Some(50_000_000),
                Some(Working::Share {
                    base_fen: 250_000_000,
                    percent: 20
                })
            ),
            // The firm's cap for 2022 is used up: nothing left of 0.20.
            (
                5,
                Some(0),
                Some(Working::Capped {
                    base_fen: 100,
                    percent: 20,
                    uncapped_fen: 20,
                    cap_fen: 50_000_000
                })
            ),
        ]
    );
}

#[test]
fn a_top_up_counts_only_what_this_plan_paid_before() {
    let maker = |n, on, level: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut fields = vec![("type", "maker_space"), ("level", level), ("operator", "o")];
        fields.extend_from_slice(extra);
        subject(n, RecordKind::Incubator, on, &fields)
    };
    let grant = [("city_grant_yuan", "200000")];
    let after = [("supersedes", "00000000-0000-0000-0000-000000000001")];
    let national = |earlier: AwardSubject| {
        plan_entitlements(&[earlier, maker(2, date(2023, 5, 1), "national", &after)])
            .into_iter()
            .filter(|e| e.key.record.as_u128() == 2)
            .map(|e| e.due.fen())
            .collect::<Vec<_>>()
    };
    // Recognised by the city before the plan: the national grant in full.
    assert_eq!(
        national(maker(1, date(2020, 5, 1), "city", &grant)),
        [Some(50_000_000)]
    );
    // In the plan, at the bottom of the range: 50 − 20 = 30万元.
    assert_eq!(
        national(maker(1, date(2021, 5, 1), "city", &grant)),
        [Some(30_000_000)]
    );
    // Revoked on the day it was recognised, it earned nothing: the grant in full.
    let revoked = [("city_grant_yuan", "200000"), ("revoked_on", "2021-05-01")];
    assert_eq!(
        national(maker(1, date(2021, 5, 1), "city", &revoked)),
        [Some(50_000_000)]
    );
}

#[test]
fn lines_say_what_is_wrong_before_anything_is_paid() {
    let out_of_range = subject(
        1,
        RecordKind::Incubator,
        date(2022, 5, 1),
        &[
            ("type", "incubator"),
            ("level", "city"),
            ("operator", "o"),
            ("city_grant_yuan", "700000"),
        ],
    );
    let twice = subject(
        2,
        RecordKind::HighTech,
        date(2022, 5, 2),
        &[("recognition", "first"), ("size", "above")],
    );
    let subjects = vec![out_of_range, twice.clone()];
    let county = event(
        &twice,
        HIGH_TECH_FIRST_ABOVE,
        AwardAction::Pay,
        30_000_000,
        date(2022, 7, 1),
    );
    let city = AwardEvent {
        level: FiscalLevel::City,
        recorded_by: "230500".into(),
        ..county.clone()
    };
    let lines = award_lines(plan_entitlements(&subjects), &[county, city], &subjects);
    let got: Vec<_> = lines.iter().map(|l| (l.status, l.balance_fen)).collect();
    assert_eq!(
        got,
        [
            (AwardStatus::OutOfRange, 0),
            (AwardStatus::PaidTwice, -30_000_000)
        ]
    );
    let totals = award_totals(&lines);
    assert_eq!(totals[0].awaiting, 1);
    assert_eq!(totals[0].entitled_fen, 30_000_000);
    assert_eq!(totals[0].paid_fen, 60_000_000);
    assert_eq!(totals[0].to_recover_fen, 30_000_000);
}

#[test]
fn a_rule_the_program_does_not_know_is_named_not_applied() {
    let mut plan = Plan::embedded();
    assert!(unapplied_rules(&plan.awards).is_empty());
    let mut new_rule = plan.awards[0].clone();
    new_rule.key = "gazelle_firm_award".into();
    plan.awards.push(new_rule);
    let keys: Vec<_> = unapplied_rules(&plan.awards)
        .iter()
        .map(|r| r.key.as_str())
        .collect();
    assert_eq!(keys, ["gazelle_firm_award"]);
}
