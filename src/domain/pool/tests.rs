use jiff::civil::date;

use super::*;

fn draft(code: &str, name: &str, stage: &str, target: &str, notes: &str) -> PoolDraft {
    PoolDraft {
        credit_code: code.into(),
        name: name.into(),
        stage: stage.into(),
        target_on: target.into(),
        notes: notes.into(),
        override_reason: String::new(),
    }
}

fn entry(stage: PoolStage, status: PoolStatus, target_on: Date) -> PoolEntry {
    let at = Timestamp::UNIX_EPOCH;
    PoolEntry {
        id: Uuid::nil(),
        unit: "230521".into(),
        credit_code: "91350100M000100Y43".into(),
        name: "华鑫科技".into(),
        stage,
        target_on,
        notes: String::new(),
        status,
        achieved_by: None,
        closed_on: None,
        close_reason: None,
        override_reason: None,
        revision: 1,
        created_by: "clerk".into(),
        created_at: at,
        updated_by: "clerk".into(),
        updated_at: at,
    }
}

#[test]
fn stages_are_named_by_key_or_by_name_in_either_language() {
    for (text, want) in [
        ("tech_sme", PoolStage::TechSme),
        ("TECH-SME", PoolStage::TechSme),
        ("科技型中小企业培育", PoolStage::TechSme),
        (" high tech candidate ", PoolStage::HighTechCandidate),
        ("高新技术企业后备", PoolStage::HighTechCandidate),
        (
            "ｇａｚｅｌｌｅ＿ｃａｎｄｉｄａｔｅ",
            PoolStage::GazelleCandidate,
        ),
        ("瞪羚企业后备", PoolStage::GazelleCandidate),
        ("Gazelle candidate", PoolStage::GazelleCandidate),
    ] {
        assert_eq!(PoolStage::parse(text), Some(want), "{text:?}");
    }
    for text in ["", "gazelle", "高新企业", "tech_sme_x"] {
        assert_eq!(PoolStage::parse(text), None, "{text:?}");
    }
    for stage in PoolStage::ALL {
        assert_eq!(PoolStage::from_key(stage.key()), Some(stage));
    }
    for status in PoolStatus::ALL {
        assert_eq!(PoolStatus::from_key(status.key()), Some(status));
    }
    assert_eq!(PoolStage::from_key("open"), None);
    assert_eq!(PoolStatus::from_key("tech_sme"), None);
}

#[test]
fn a_high_tech_certificate_closes_the_first_two_stages_only() {
    assert!(PoolStage::TechSme.closed_by_high_tech());
    assert!(PoolStage::HighTechCandidate.closed_by_high_tech());
    assert!(!PoolStage::GazelleCandidate.closed_by_high_tech());
}

#[test]
fn a_draft_is_normalised_as_a_record_would_be() {
    let fields = validate_draft(&draft(
        " ９１３５０１００ｍ０００１００ｙ４３ ",
        "  双鸭山市华鑫科技\u{200B}有限公司 ",
        "高新技术企业后备",
        "2024年6月30日",
        "第一行\n第二行",
    ))
    .unwrap();
    assert_eq!(fields.credit_code, "91350100M000100Y43");
    assert_eq!(fields.name, "双鸭山市华鑫科技有限公司");
    assert_eq!(fields.stage, PoolStage::HighTechCandidate);
    assert_eq!(fields.target_on, date(2024, 6, 30));
    assert_eq!(fields.notes, "第一行 第二行");
    assert!(fields.warnings.is_empty(), "{:?}", fields.warnings);
}

#[test]
fn every_problem_of_a_draft_is_named() {
    let issues =
        validate_draft(&draft("91350100M000100Y44", "", "高新", "2024-13-01", "")).unwrap_err();
    let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(fields, ["credit_code", "name", "stage", "target_on"]);
    assert_eq!(
        issues[0].problem,
        Problem::CreditCodeCheck {
            value: "91350100M000100Y44".into(),
            expected: '3'
        }
    );
    assert_eq!(issues[1].problem, Problem::Required);
    assert!(
        matches!(&issues[2].problem, Problem::BadChoice { value, options }
        if value == "高新" && options.len() == 3)
    );
    assert_eq!(
        issues[3].problem,
        Problem::BadDate {
            value: "2024-13-01".into()
        }
    );
    let issues = validate_draft(&draft("", "名", " ", "", &"字".repeat(2001))).unwrap_err();
    let problems: Vec<(&str, &Problem)> = issues
        .iter()
        .map(|i| (i.field.as_str(), &i.problem))
        .collect();
    assert_eq!(
        problems,
        [
            ("credit_code", &Problem::Required),
            ("stage", &Problem::Required),
            ("target_on", &Problem::Required),
            ("notes", &Problem::TooLong { max: 2000 }),
        ]
    );
}

#[test]
fn text_policy_and_limits_apply_to_names_and_notes() {
    let issues = validate_draft(&draft(
        "91350100M000100Y43",
        "华鑫\u{202E}科技",
        "tech_sme",
        "2024-01-01",
        "备注\u{1b}",
    ))
    .unwrap_err();
    assert!(matches!(
        issues[0].problem,
        Problem::ForbiddenCharacter { position: 3, .. }
    ));
    assert_eq!(issues[0].field, "name");
    assert!(matches!(
        issues[1].problem,
        Problem::ForbiddenCharacter { position: 3, .. }
    ));
    assert_eq!(issues[1].field, "notes");
    let long = validate_draft(&draft(
        "91350100M000100Y43",
        &"字".repeat(201),
        "tech_sme",
        "2024-01-01",
        "",
    ))
    .unwrap_err();
    assert_eq!(long[0].problem, Problem::TooLong { max: 200 });
    assert!(
        validate_draft(&draft(
            "91350100M000100Y43",
            &"字".repeat(200),
            "tech_sme",
            "2101-01-01",
            ""
        ))
        .is_err()
    );
}

#[test]
fn a_credit_code_warning_does_not_stop_the_entry() {
    // Authority 9 registers types 1-3 only: 94… is an unknown pair (warning).
    let first17 = "94230521MA1B2C3D4";
    let check = crate::domain::credit_code::check_char(first17).unwrap();
    let code = format!("{first17}{check}");
    let fields = validate_draft(&draft(&code, "某公司", "tech_sme", "2024-01-01", "")).unwrap();
    assert_eq!(fields.warnings.len(), 1);
    assert_eq!(fields.warnings[0].field, "credit_code");
}

#[test]
fn an_entry_warns_of_its_code_as_a_record_does_where_it_is_kept() {
    let code = |first17: &str| {
        let check = crate::domain::credit_code::check_char(first17).unwrap();
        format!("{first17}{check}")
    };
    let kept = |credit_code: String, unit: &str| PoolEntry {
        credit_code,
        unit: unit.into(),
        ..entry(PoolStage::TechSme, PoolStatus::Open, date(2024, 6, 30))
    };
    let problems = |e: &PoolEntry| -> Vec<Problem> {
        entry_warnings(e).into_iter().map(|w| w.problem).collect()
    };
    let baoqing = code("91230523MA1B2C3D8");
    assert_eq!(
        problems(&kept(baoqing.clone(), "230521")),
        [Problem::CreditCodeRegion {
            value: baoqing.clone(),
            region: "230523".into()
        }]
    );
    assert!(
        entry_warnings(&kept(baoqing.clone(), "230521"))
            .iter()
            .all(|w| w.field == CREDIT_CODE)
    );
    assert!(problems(&kept(baoqing.clone(), "230523")).is_empty());
    assert!(problems(&kept(baoqing, "jkq")).is_empty());
    assert!(problems(&kept(code("91230500MA1B2C3D8"), "230521")).is_empty());
    // What the code says on its own comes first, then where it was registered.
    let odd = code("94110105MA1B2C3D8");
    let found = problems(&kept(odd.clone(), "230521"));
    assert!(
        matches!(
            found.as_slice(),
            [Problem::CreditCodeAuthority { .. }, Problem::CreditCodeRegion { region, .. }]
                if region == "110105"
        ),
        "{found:?}"
    );
    // A code kept with an override reason warns of its region only.
    let pilot = format!(
        "{}{}",
        &odd[..17],
        if odd.ends_with('3') { '4' } else { '3' }
    );
    assert!(matches!(
        problems(&kept(pilot, "230521")).as_slice(),
        [Problem::CreditCodeRegion { .. }]
    ));
}

#[test]
fn an_edit_checks_only_what_it_changes() {
    assert_eq!(validate_edit(None, None, None), Ok(PoolEdit::default()));
    assert!(PoolEdit::default().is_empty());
    let edit = validate_edit(Some("瞪羚企业后备"), Some("2025/1/2"), Some("")).unwrap();
    assert_eq!(
        edit,
        PoolEdit {
            stage: Some(PoolStage::GazelleCandidate),
            target_on: Some(date(2025, 1, 2)),
            notes: Some(String::new()),
        }
    );
    assert!(!edit.is_empty());
    for partial in [
        PoolEdit {
            stage: Some(PoolStage::TechSme),
            ..PoolEdit::default()
        },
        PoolEdit {
            target_on: Some(date(2025, 1, 2)),
            ..PoolEdit::default()
        },
        PoolEdit {
            notes: Some(String::new()),
            ..PoolEdit::default()
        },
    ] {
        assert!(!partial.is_empty(), "{partial:?}");
    }
    let issues = validate_edit(Some(""), Some("明天"), Some("x\u{7f}")).unwrap_err();
    let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
    assert_eq!(fields, ["stage", "target_on", "notes"]);
}

#[test]
fn a_withdrawal_needs_a_reason_an_achievement_does_not() {
    let on = date(2024, 3, 1);
    assert_eq!(
        validate_close(true, on, None),
        Ok(PoolClose::Achieved { on, reason: None })
    );
    assert_eq!(
        validate_close(true, on, Some("  ")),
        Ok(PoolClose::Achieved { on, reason: None })
    );
    assert_eq!(
        validate_close(true, on, Some(" 已入库 ")),
        Ok(PoolClose::Achieved {
            on,
            reason: Some("已入库".into())
        })
    );
    assert_eq!(
        validate_close(false, on, Some("迁出本地\n")),
        Ok(PoolClose::Withdrawn {
            on,
            reason: "迁出本地".into()
        })
    );
    for reason in [None, Some(""), Some(" \u{3000}")] {
        assert_eq!(
            validate_close(false, on, reason),
            Err(FieldIssue::new("close_reason", Problem::Required)),
            "{reason:?}"
        );
    }
    assert_eq!(
        validate_close(false, on, Some(&"字".repeat(2001))),
        Err(FieldIssue::new(
            "close_reason",
            Problem::TooLong { max: 2000 }
        ))
    );
    assert!(validate_close(true, on, Some("x\u{202E}")).is_err());
    assert_eq!(
        PoolClose::Achieved { on, reason: None }.status(),
        PoolStatus::Achieved
    );
    assert_eq!(
        PoolClose::Withdrawn {
            on,
            reason: "x".into()
        }
        .status(),
        PoolStatus::Withdrawn
    );
}

#[test]
fn only_open_entries_change_and_only_closed_ones_reopen() {
    let id = Uuid::nil();
    assert_eq!(check_change(id, PoolStatus::Open, false), Ok(()));
    assert_eq!(
        check_change(id, PoolStatus::Open, true),
        Err(PoolRefusal::NotClosed { id })
    );
    for status in [PoolStatus::Achieved, PoolStatus::Withdrawn] {
        assert_eq!(
            check_change(id, status, false),
            Err(PoolRefusal::NotOpen { id, status })
        );
        assert_eq!(check_change(id, status, true), Ok(()));
    }
}

#[test]
fn near_target_means_open_and_due_within_the_horizon_or_overdue() {
    let as_of = date(2024, 6, 1);
    let open = |target| entry(PoolStage::TechSme, PoolStatus::Open, target);
    assert!(is_near_target(&open(date(2024, 6, 1)), as_of, 0));
    assert!(!is_near_target(&open(date(2024, 6, 2)), as_of, 0));
    assert!(is_near_target(&open(date(2024, 7, 1)), as_of, 30));
    assert!(!is_near_target(&open(date(2024, 7, 2)), as_of, 30));
    assert!(is_near_target(&open(date(2023, 1, 1)), as_of, 30));
    for status in [PoolStatus::Achieved, PoolStatus::Withdrawn] {
        let closed = entry(PoolStage::TechSme, status, date(2024, 6, 1));
        assert!(!is_near_target(&closed, as_of, 30));
        assert!(!is_overdue(&closed, as_of));
    }
    assert!(is_overdue(&open(date(2024, 5, 31)), as_of));
    assert!(!is_overdue(&open(date(2024, 6, 1)), as_of));
    assert_eq!(near_target_until(as_of, 30), Some(date(2024, 7, 1)));
    // Beyond the calendar: every open entry is near.
    let end = date(9999, 12, 1);
    assert_eq!(near_target_until(end, 60), None);
    assert!(is_near_target(&open(date(9999, 12, 31)), end, 60));
}

#[test]
fn counts_follow_the_plans_unit_order_with_totals() {
    let mut a = PoolCounts::empty("230522");
    a.add(PoolStage::TechSme, PoolStatus::Open, 2);
    a.add(PoolStage::GazelleCandidate, PoolStatus::Open, 1);
    a.add(PoolStage::TechSme, PoolStatus::Achieved, 3);
    let mut b = PoolCounts::empty("999999");
    b.add(PoolStage::HighTechCandidate, PoolStatus::Open, 4);
    b.add(PoolStage::HighTechCandidate, PoolStatus::Withdrawn, 1);
    assert_eq!(a.open(), 3);
    assert_eq!(a.open_at(PoolStage::HighTechCandidate), 0);
    assert_eq!(b.open_at(PoolStage::HighTechCandidate), 4);
    let (rows, total) = counts_by_unit(&["230521", "230522"], &[b.clone(), a.clone()], "合计");
    let units: Vec<&str> = rows.iter().map(|r| r.unit.as_str()).collect();
    assert_eq!(units, ["230521", "230522", "999999"]);
    assert_eq!(rows[0], PoolCounts::empty("230521"));
    assert_eq!(rows[1], a);
    assert_eq!(
        total,
        PoolCounts {
            unit: "合计".into(),
            tech_sme: 2,
            high_tech_candidate: 4,
            gazelle_candidate: 1,
            achieved: 3,
            withdrawn: 1,
        }
    );
}

#[test]
fn a_tally_counts_every_entry_and_the_open_ones() {
    let open = entry(PoolStage::TechSme, PoolStatus::Open, date(2024, 6, 30));
    let achieved = entry(PoolStage::TechSme, PoolStatus::Achieved, date(2024, 6, 30));
    let withdrawn = entry(
        PoolStage::GazelleCandidate,
        PoolStatus::Withdrawn,
        date(2024, 6, 30),
    );
    let none = PoolTally::of(&[]);
    assert_eq!(none, PoolTally::default());
    assert!(none.is_empty());
    let tally = PoolTally::of(&[open.clone(), achieved, open, withdrawn]);
    assert_eq!(
        tally,
        PoolTally {
            entries: 4,
            open: 2
        }
    );
    assert!(!tally.is_empty());
    assert!(
        !PoolTally {
            entries: 1,
            open: 0
        }
        .is_empty()
    );
}

#[test]
fn a_failed_check_digit_is_kept_only_with_a_reason() {
    let failing = PoolDraft {
        override_reason: " 早期试点代码 ".into(),
        ..draft("91350100M000100Y44", "某公司", "tech_sme", "2024-01-01", "")
    };
    let fields = validate_draft(&failing).unwrap();
    assert_eq!(fields.credit_code, "91350100M000100Y44");
    assert_eq!(fields.override_reason.as_deref(), Some("早期试点代码"));
    for reason in ["", "  "] {
        let bare = PoolDraft {
            override_reason: reason.into(),
            ..failing.clone()
        };
        let issues = validate_draft(&bare).unwrap_err();
        assert!(matches!(issues[0].problem, Problem::CreditCodeCheck { .. }));
    }
    // A reason does not keep a code of the wrong shape or an impossible check letter.
    for code in ["91350100M00010", "91350100M000100Y4Z"] {
        let wrong = PoolDraft {
            credit_code: code.into(),
            ..failing.clone()
        };
        assert_eq!(
            validate_draft(&wrong).unwrap_err()[0].field,
            "credit_code",
            "{code}"
        );
    }
    let good = validate_draft(&draft(
        "91350100M000100Y43",
        "某公司",
        "tech_sme",
        "2024-01-01",
        "",
    ))
    .unwrap();
    assert_eq!(good.override_reason, None);
}

#[test]
fn a_bad_override_reason_refuses_an_otherwise_good_entry() {
    let bad = PoolDraft {
        override_reason: "试点\u{202E}".into(),
        ..draft("91350100M000100Y43", "某公司", "tech_sme", "2024-01-01", "")
    };
    let issues = validate_draft(&bad).unwrap_err();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].field, "override_reason");
    assert!(matches!(
        issues[0].problem,
        Problem::ForbiddenCharacter { position: 3, .. }
    ));
}
