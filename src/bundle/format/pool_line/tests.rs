use jiff::civil::date;

use super::*;

const UNIT: &str = "230521";
const CODE: &str = "91350100M000100Y43";

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0188_0000_0000_7000_8000_0000_0000_0000 | n)
}

fn open_line(n: u128) -> PoolLine {
    let at: Timestamp = "2024-01-02T03:04:05Z".parse().unwrap();
    PoolLine {
        id: id(n),
        unit: UNIT.into(),
        credit_code: CODE.into(),
        name: "双鸭山市华鑫科技有限公司".into(),
        stage: "tech_sme".into(),
        target_on: date(2024, 6, 30),
        notes: String::new(),
        status: "open".into(),
        achieved_by: None,
        closed_on: None,
        close_reason: None,
        override_reason: None,
        revision: 1,
        created_by: "zhangsan".into(),
        created_at: at,
        updated_by: "zhangsan".into(),
        updated_at: at,
    }
}

fn achieved(n: u128) -> PoolLine {
    PoolLine {
        status: "achieved".into(),
        achieved_by: Some(id(900)),
        closed_on: Some(date(2023, 11, 20)),
        revision: 2,
        ..open_line(n)
    }
}

fn withdrawn(n: u128) -> PoolLine {
    PoolLine {
        status: "withdrawn".into(),
        closed_on: Some(date(2024, 2, 1)),
        close_reason: Some("迁出本市".into()),
        revision: 2,
        ..open_line(n)
    }
}

#[test]
fn the_line_layout_is_fixed() {
    let text = achieved(1).to_line().unwrap();
    assert_eq!(
        text,
        r#"{"id":"01880000-0000-7000-8000-000000000001","unit":"230521","credit_code":"91350100M000100Y43","name":"双鸭山市华鑫科技有限公司","stage":"tech_sme","target_on":"2024-06-30","notes":"","status":"achieved","achieved_by":"01880000-0000-7000-8000-000000000384","closed_on":"2023-11-20","close_reason":null,"override_reason":null,"revision":2,"created_by":"zhangsan","created_at":"2024-01-02T03:04:05Z","updated_by":"zhangsan","updated_at":"2024-01-02T03:04:05Z"}"#
    );
    let mut check = PoolCheck::new(UNIT);
    let entry = check.admit_bytes(5, text.as_bytes()).unwrap();
    assert_eq!(PoolLine::of(&entry), achieved(1));
}

#[test]
fn good_lines_of_every_status_pass() {
    for line in [open_line(1), achieved(1), withdrawn(1)] {
        let entry = check_pool_line(UNIT, &line).unwrap();
        assert_eq!(entry.status.key(), line.status);
    }
    let with_notes = PoolLine {
        notes: "重点培育".into(),
        stage: "gazelle_candidate".into(),
        ..open_line(1)
    };
    assert!(check_pool_line(UNIT, &with_notes).is_ok());
}

#[test]
fn each_rule_of_a_line_is_checked() {
    let cases: Vec<(PoolLine, PoolLineFault)> = vec![
        (
            PoolLine {
                unit: "230522".into(),
                ..open_line(1)
            },
            PoolLineFault::OtherUnit {
                unit: "230522".into(),
            },
        ),
        (
            PoolLine {
                stage: "gazelle".into(),
                ..open_line(1)
            },
            PoolLineFault::Stage {
                stage: "gazelle".into(),
            },
        ),
        (
            PoolLine {
                status: "closed".into(),
                ..open_line(1)
            },
            PoolLineFault::Status {
                status: "closed".into(),
            },
        ),
        (
            PoolLine {
                credit_code: "91350100M000100Y44".into(),
                ..open_line(1)
            },
            PoolLineFault::CreditCode,
        ),
        (
            PoolLine {
                credit_code: "91350100m000100y43".into(),
                ..open_line(1)
            },
            PoolLineFault::CreditCode,
        ),
        (
            PoolLine {
                name: String::new(),
                ..open_line(1)
            },
            PoolLineFault::Text { field: "name" },
        ),
        (
            PoolLine {
                name: " 华鑫".into(),
                ..open_line(1)
            },
            PoolLineFault::Text { field: "name" },
        ),
        (
            PoolLine {
                name: "字".repeat(201),
                ..open_line(1)
            },
            PoolLineFault::Text { field: "name" },
        ),
        (
            PoolLine {
                notes: "备注\u{1b}[2J".into(),
                ..open_line(1)
            },
            PoolLineFault::Text { field: "notes" },
        ),
        (
            PoolLine {
                notes: "字".repeat(2001),
                ..open_line(1)
            },
            PoolLineFault::Text { field: "notes" },
        ),
        (
            PoolLine {
                created_by: "a\u{202E}".into(),
                ..open_line(1)
            },
            PoolLineFault::Text {
                field: "created_by",
            },
        ),
        (
            PoolLine {
                updated_by: "a".repeat(201),
                ..open_line(1)
            },
            PoolLineFault::Text {
                field: "updated_by",
            },
        ),
        (
            PoolLine {
                close_reason: Some(String::new()),
                ..withdrawn(1)
            },
            PoolLineFault::Text {
                field: "close_reason",
            },
        ),
        (
            PoolLine {
                target_on: date(1900, 1, 1),
                ..open_line(1)
            },
            PoolLineFault::Dates,
        ),
        (
            PoolLine {
                target_on: date(2101, 1, 1),
                ..open_line(1)
            },
            PoolLineFault::Dates,
        ),
        (
            PoolLine {
                closed_on: Some(date(2101, 1, 1)),
                ..withdrawn(1)
            },
            PoolLineFault::Dates,
        ),
        (
            PoolLine {
                closed_on: Some(date(2024, 1, 1)),
                ..open_line(1)
            },
            PoolLineFault::Dates,
        ),
        (
            PoolLine {
                closed_on: None,
                ..achieved(1)
            },
            PoolLineFault::Dates,
        ),
        (
            PoolLine {
                achieved_by: Some(id(9)),
                ..withdrawn(1)
            },
            PoolLineFault::Closing,
        ),
        (
            PoolLine {
                close_reason: None,
                ..withdrawn(1)
            },
            PoolLineFault::Closing,
        ),
        (
            PoolLine {
                close_reason: Some("x".into()),
                ..open_line(1)
            },
            PoolLineFault::Closing,
        ),
        (
            PoolLine {
                revision: 0,
                ..open_line(1)
            },
            PoolLineFault::Revision,
        ),
    ];
    for (line, fault) in cases {
        assert_eq!(check_pool_line(UNIT, &line), Err(fault.clone()), "{line:?}");
    }
    // The edges that pass: 1949 and 2100, revision 1, an achievement without a record.
    for line in [
        PoolLine {
            target_on: date(1949, 1, 1),
            ..open_line(1)
        },
        PoolLine {
            target_on: date(2100, 12, 31),
            ..open_line(1)
        },
        PoolLine {
            closed_on: Some(date(1949, 1, 1)),
            ..withdrawn(1)
        },
        PoolLine {
            closed_on: Some(date(2100, 12, 31)),
            ..withdrawn(1)
        },
        PoolLine {
            achieved_by: None,
            ..achieved(1)
        },
        PoolLine {
            close_reason: Some("已认定".into()),
            ..achieved(1)
        },
        PoolLine {
            name: "字".repeat(200),
            ..open_line(1)
        },
        PoolLine {
            notes: "字".repeat(2000),
            ..open_line(1)
        },
    ] {
        assert!(check_pool_line(UNIT, &line).is_ok(), "{line:?}");
    }
}

#[test]
fn lines_come_in_id_order_each_once_and_a_firm_open_once() {
    let mut check = PoolCheck::new(UNIT);
    check.admit(1, open_line(1)).unwrap();
    check.admit(2, withdrawn(2)).unwrap();
    check.admit(3, achieved(3)).unwrap();
    let refused = |r: Result<PoolEntry, BundleError>| match r {
        Err(BundleError::InvalidPoolEntry { fault, .. }) => fault,
        other => panic!("{other:?}"),
    };
    assert_eq!(refused(check.admit(4, achieved(3))), PoolLineFault::Twice);
    assert_eq!(
        refused(check.admit(4, achieved(2))),
        PoolLineFault::OutOfOrder
    );
    assert_eq!(
        refused(check.admit(4, open_line(4))),
        PoolLineFault::OpenTwice
    );
    let other_firm = PoolLine {
        credit_code: "91230500MA1B000019".into(),
        ..open_line(5)
    };
    if crate::domain::credit_code::check(&other_firm.credit_code).is_ok() {
        check.admit(5, other_firm).unwrap();
    }
}

#[test]
fn a_reader_takes_only_canonical_lines() {
    let mut check = PoolCheck::new(UNIT);
    let text = open_line(1).to_line().unwrap();
    let spaced = text.replacen(':', ": ", 1);
    assert!(matches!(
        check.admit_bytes(3, spaced.as_bytes()),
        Err(BundleError::Malformed {
            part: FilePart::Line(3),
            ..
        })
    ));
    let extra = text.replacen('{', r#"{"extra":1,"#, 1);
    assert!(matches!(
        check.admit_bytes(3, extra.as_bytes()),
        Err(BundleError::Malformed { .. })
    ));
    assert!(check.admit_bytes(3, text.as_bytes()).is_ok());
}

#[test]
fn a_writer_sorts_checks_and_numbers_its_lines() {
    let entries: Vec<PoolEntry> = [withdrawn(2), open_line(1)]
        .iter()
        .map(|l| check_pool_line(UNIT, l).unwrap())
        .collect();
    let lines = pool_lines(UNIT, &entries, 10).unwrap();
    assert_eq!(lines[0], open_line(1).to_line().unwrap());
    assert_eq!(lines[1], withdrawn(2).to_line().unwrap());
    match pool_lines("230522", &entries, 10) {
        Err(BundleError::InvalidPoolEntry {
            line: 10, fault, ..
        }) => {
            assert_eq!(fault, PoolLineFault::OtherUnit { unit: UNIT.into() })
        }
        other => panic!("{other:?}"),
    }
    let mut long = entries[0].clone();
    long.notes = "字".repeat(30_000);
    assert!(matches!(
        pool_lines(UNIT, &[long], 4),
        Err(BundleError::LineTooLong { line: 4, .. })
    ));
    assert!(pool_lines(UNIT, &[], 1).unwrap().is_empty());
}

#[test]
fn a_failed_check_digit_travels_only_with_its_reason() {
    let failing = PoolLine {
        credit_code: "91350100M000100Y44".into(),
        override_reason: Some("早期试点代码".into()),
        ..open_line(1)
    };
    assert!(check_pool_line(UNIT, &failing).is_ok());
    for line in [
        PoolLine {
            override_reason: None,
            ..failing.clone()
        },
        PoolLine {
            credit_code: "91350100M000100Y4Z".into(),
            ..failing.clone()
        },
        PoolLine {
            credit_code: "91350100M00010".into(),
            ..failing.clone()
        },
    ] {
        assert_eq!(
            check_pool_line(UNIT, &line),
            Err(PoolLineFault::CreditCode),
            "{line:?}"
        );
    }
    let blank = PoolLine {
        override_reason: Some(String::new()),
        ..failing
    };
    assert_eq!(
        check_pool_line(UNIT, &blank),
        Err(PoolLineFault::Text {
            field: "override_reason"
        })
    );
}

#[test]
fn a_writer_names_the_line_of_the_entry_it_refuses() {
    let good = check_pool_line(UNIT, &open_line(1)).unwrap();
    let mut bad = check_pool_line(UNIT, &withdrawn(2)).unwrap();
    bad.revision = 0;
    match pool_lines(UNIT, &[bad, good], 10) {
        Err(BundleError::InvalidPoolEntry { line, fault, .. }) => {
            assert_eq!((line, fault), (11, PoolLineFault::Revision))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_writer_refuses_a_line_only_past_the_line_limit() {
    let mut entry = check_pool_line(UNIT, &open_line(1)).unwrap();
    let base = PoolLine::of(&entry).to_line().unwrap().len();
    entry.notes = "a".repeat(super::super::MAX_LINE_LEN - base);
    assert_eq!(
        PoolLine::of(&entry).to_line().unwrap().len(),
        super::super::MAX_LINE_LEN
    );
    // Exactly at the limit the line is judged on its notes (too long for an entry) …
    assert!(matches!(
        pool_lines(UNIT, std::slice::from_ref(&entry), 1),
        Err(BundleError::InvalidPoolEntry {
            fault: PoolLineFault::Text { field: "notes" },
            ..
        })
    ));
    // … one byte more and it is too long for any line.
    entry.notes.push('a');
    assert!(matches!(
        pool_lines(UNIT, &[entry], 1),
        Err(BundleError::LineTooLong { line: 1, .. })
    ));
}

#[test]
fn a_writer_takes_up_to_the_most_entries_a_bundle_may_carry() {
    let entry = check_pool_line(UNIT, &withdrawn(0)).unwrap();
    let mut entries: Vec<PoolEntry> = (0..MAX_POOL_ENTRIES as u128)
        .map(|n| PoolEntry {
            id: id(n),
            ..entry.clone()
        })
        .collect();
    assert_eq!(
        pool_lines(UNIT, &entries, 1).unwrap().len() as u64,
        MAX_POOL_ENTRIES
    );
    entries.push(PoolEntry {
        id: id(MAX_POOL_ENTRIES as u128),
        ..entry
    });
    assert!(matches!(
        pool_lines(UNIT, &entries, 1),
        Err(BundleError::TooManyPoolEntries { count }) if count == MAX_POOL_ENTRIES + 1
    ));
}
