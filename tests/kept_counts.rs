//! Kept counts as the city ranks units on them: after any mix of adds, edits, voids,
//! restores, revocations, upgrades, amounts changed, and bundles merged at the city, every
//! count read from the kept steps equals the count made from the records, for each unit and
//! the city as a whole, on every date the plan is measured on; so do the record tallies, the
//! firms claimed twice, and the technology contract turnover of the year to date. An old
//! ledger gets its counts built when it is first opened.

mod bundle_common;

use std::path::Path;

use bundle_common::*;
use jiff::civil::Date;
use proptest::prelude::*;
use taizhang::bundle::{self, BundleError};
use taizhang::domain::progress::count_window;
use taizhang::domain::validate::validate_record;
use taizhang::domain::{RecordKind, RecordStatus};
use taizhang::plan::Plan;
use taizhang::store::{Ledger, StoreError};
use uuid::Uuid;

const UNITS: [&str; 3] = ["230521", "230522", "jkq"];

/// Amounts an achievement is recorded with (`None`: no amount).
const AMOUNTS: [Option<&str>; 6] = [
    None,
    Some("0"),
    Some("1200.5"),
    Some("99999999.99"),
    Some("3"),
    Some("0.07"),
];

/// What a clerk does. Firms are numbered alike at every unit, so units claim the same firms.
#[derive(Clone, Debug)]
enum Step {
    Add {
        kind: usize,
        firm: u32,
        day: u16,
        /// The achievement's amount, from [`AMOUNTS`] (other kinds have none).
        amount: usize,
    },
    Redate {
        pick: usize,
        day: u16,
    },
    Refirm {
        pick: usize,
        firm: u32,
    },
    Void(usize),
    Restore(usize),
    Revoke {
        pick: usize,
        day: u16,
    },
    Upgrade {
        pick: usize,
        from: usize,
    },
    /// An achievement's amount corrected, to one of [`AMOUNTS`].
    Reprice {
        pick: usize,
        amount: usize,
    },
    /// Export the unit's bundle and import it at the city.
    Sync,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (0..6usize, 0..5u32, 0..1600u16, 0..AMOUNTS.len())
            .prop_map(|(kind, firm, day, amount)| Step::Add { kind, firm, day, amount }),
        2 => (any::<usize>(), 0..1600u16).prop_map(|(pick, day)| Step::Redate { pick, day }),
        1 => (any::<usize>(), 0..5u32).prop_map(|(pick, firm)| Step::Refirm { pick, firm }),
        2 => any::<usize>().prop_map(Step::Void),
        1 => any::<usize>().prop_map(Step::Restore),
        2 => (any::<usize>(), 0..1600u16).prop_map(|(pick, day)| Step::Revoke { pick, day }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(pick, from)| Step::Upgrade { pick, from }),
        2 => (any::<usize>(), 0..AMOUNTS.len()).prop_map(|(pick, amount)| Step::Reprice { pick, amount }),
        2 => Just(Step::Sync),
    ]
}

/// A day from 2020-06-01 on: before, through and after the plan period.
fn day(offset: u16) -> String {
    let start: Date = "2020-06-01".parse().unwrap();
    start
        .checked_add(jiff::Span::new().days(i64::from(offset)))
        .unwrap()
        .to_string()
}

/// The days every count is compared on: year ends, the plan's edges, leap days, and the
/// days something happened.
fn measured_days(extra: &[String]) -> Vec<Date> {
    let mut days: Vec<Date> = [
        "2020-12-31",
        "2021-01-01",
        "2021-06-30",
        "2021-12-31",
        "2022-03-01",
        "2022-12-31",
        "2023-06-30",
        "2023-12-31",
        "2024-02-29",
        "2024-03-01",
        "2024-12-31",
        "2025-06-30",
        "2026-12-31",
    ]
    .iter()
    .map(|d| d.parse().unwrap())
    .collect();
    for d in extra {
        let d: Date = d.parse().unwrap();
        // The day itself, the day before, and a certificate's third anniversary.
        days.push(d);
        days.extend(d.yesterday().ok());
        days.extend(d.checked_add(jiff::Span::new().years(3)).ok());
    }
    days.sort();
    days.dedup();
    days
}

/// Every kept figure of the ledger equals the one made from its records.
fn assert_kept_equals_recount(ledger: &Ledger, units: &[&str], extra: &[String]) {
    let plan = Plan::embedded();
    assert_eq!(
        ledger.kind_counts().unwrap(),
        ledger.kind_counts_from_records().unwrap()
    );
    for on in measured_days(extra) {
        for indicator in &plan.indicators {
            let window = count_window(indicator.rule, plan.start, plan.end, on);
            let scopes = units.iter().map(|u| Some(*u)).chain([None]);
            for unit in scopes {
                assert_eq!(
                    ledger.count_distinct(unit, indicator.kind, window).unwrap(),
                    ledger
                        .count_distinct_from_records(unit, indicator.kind, window)
                        .unwrap(),
                    "{:?} of {unit:?} on {on}",
                    indicator.kind
                );
            }
            assert_eq!(
                format!(
                    "{:?}",
                    ledger.claims_in_window(indicator.kind, window).unwrap()
                ),
                format!(
                    "{:?}",
                    ledger.claims_from_records(indicator.kind, window).unwrap()
                ),
                "claims of {:?} on {on}",
                indicator.kind
            );
        }
        // The turnover of the year to date, compared in fen.
        let fen = |yuan: f64| (yuan * 100.0).round() as i64;
        let from = on.first_of_year();
        assert_eq!(
            fen(ledger.contract_turnover(from, on).unwrap()),
            fen(ledger.contract_turnover_from_records(from, on).unwrap()),
            "contract turnover on {on}"
        );
    }
}

/// The field of an achievement's contract amount.
const AMOUNT: &str = "amount_yuan";

/// Changes one field of a record through validation, as the form would; a change the
/// ledger refuses (an invalid value, a duplicate, a bad upgrade) leaves it as it was.
fn change(ledger: &mut Ledger, id: Uuid, field: &str, value: String) {
    let record = ledger.get(id).unwrap();
    if record.status != RecordStatus::Active {
        return;
    }
    let mut fields = record.fields.clone();
    fields.insert(field.into(), value);
    if let Ok(valid) = validate_record(record.kind, &fields) {
        let _ = ledger.update(id, Some(record.revision), &valid, CLERK);
    }
}

fn play(unit: &str, ledger: &mut Ledger, ids: &mut Vec<Uuid>, step: &Step, days: &mut Vec<String>) {
    let pick = |i: &usize| (!ids.is_empty()).then(|| ids[i % ids.len()]);
    match step {
        Step::Add {
            kind,
            firm,
            day: d,
            amount,
        } => {
            let kind = RecordKind::ALL[*kind];
            let mut fields = typed(kind, *firm);
            fields.insert(kind.key_date_field().into(), day(*d));
            if kind == RecordKind::Achievement {
                match AMOUNTS[*amount] {
                    Some(amount) => fields.insert(AMOUNT.into(), amount.into()),
                    None => fields.remove(AMOUNT),
                };
            }
            days.push(day(*d));
            let valid = validate_record(kind, &fields).unwrap();
            match ledger.insert(&valid, CLERK) {
                Ok(record) => ids.push(record.id),
                Err(StoreError::Duplicate { .. }) => {}
                Err(e) => panic!("{unit}: {e:?}"),
            }
        }
        Step::Redate { pick: i, day: d } => {
            let Some(id) = pick(i) else { return };
            let kind = ledger.get(id).unwrap().kind;
            days.push(day(*d));
            change(ledger, id, kind.key_date_field(), day(*d));
        }
        Step::Refirm { pick: i, firm } => {
            let Some(id) = pick(i) else { return };
            let kind = ledger.get(id).unwrap().kind;
            let name = typed(kind, *firm)[kind.name_field()].clone();
            change(ledger, id, kind.name_field(), name);
            if let Some(code) = typed(kind, *firm).get("credit_code") {
                change(ledger, id, "credit_code", code.clone());
            }
        }
        Step::Void(i) => {
            let Some(id) = pick(i) else { return };
            if ledger.get(id).unwrap().status == RecordStatus::Active {
                ledger.void(id, "重复录入", None, CLERK).unwrap();
            }
        }
        Step::Restore(i) => {
            let Some(id) = pick(i) else { return };
            if ledger.get(id).unwrap().status == RecordStatus::Voided {
                // Refused when an active record now holds the same entity.
                let _ = ledger.restore(id, None, CLERK);
            }
        }
        Step::Revoke { pick: i, day: d } => {
            let Some(id) = pick(i) else { return };
            days.push(day(*d));
            change(ledger, id, "revoked_on", day(*d));
        }
        Step::Upgrade { pick: i, from } => {
            let (Some(id), Some(earlier)) = (pick(i), pick(from)) else {
                return;
            };
            change(ledger, id, "supersedes", earlier.to_string());
        }
        Step::Reprice { pick: i, amount } => {
            let Some(id) = pick(i) else { return };
            if ledger.get(id).unwrap().kind == RecordKind::Achievement {
                // An emptied field is a removed amount.
                let amount = AMOUNTS[*amount].unwrap_or_default();
                change(ledger, id, AMOUNT, amount.to_owned());
            }
        }
        Step::Sync => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn kept_counts_always_equal_a_recount_from_the_records(
        histories in prop::collection::vec(prop::collection::vec(step(), 1..18), 2..=3),
    ) {
        let pins: Vec<(&str, u8)> = UNITS.iter().take(histories.len()).copied().zip(1..).collect();
        let mut city = city_ledger(&pins);
        let mut fs = MemFs::default();
        let mut days = Vec::new();
        let mut clock = 0;
        for (steps, (unit, key)) in histories.iter().zip(pins.iter()) {
            let mut ledger = unit_ledger(unit, *key);
            let mut ids = Vec::new();
            for step in steps.iter().chain([&Step::Sync]) {
                play(unit, &mut ledger, &mut ids, step, &mut days);
                assert_kept_equals_recount(&ledger, &[unit], &days);
                if let Step::Sync = step {
                    clock += 1;
                    let now = ts("2024-01-01T00:00:00Z") + jiff::SignedDuration::from_hours(clock);
                    let done = bundle::export_with(&mut ledger, Path::new("/stick"), now, &mut fs).unwrap();
                    let verified = bundle::inspect(&city, &fs.files[&done.path]).unwrap();
                    match bundle::import(&mut city, &verified, now) {
                        Ok(_) | Err(BundleError::Store(StoreError::Rollback { .. })) => {}
                        Err(e) => panic!("import of {unit}: {e:?}"),
                    }
                    let units: Vec<&str> = pins.iter().map(|(u, _)| *u).collect();
                    assert_kept_equals_recount(&city, &units, &days);
                }
            }
        }
    }
}

#[test]
fn a_ledger_from_before_kept_counts_gets_them_on_first_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    let mut ledger = Ledger::create(&path, "230521", PLAN).unwrap();
    for n in 0..30 {
        let kind = RecordKind::ALL[n as usize % RecordKind::ALL.len()];
        ledger.insert(&valid(kind, n % 7), CLERK).ok();
    }
    let before: Vec<u64> = figures(&ledger);
    drop(ledger);
    {
        // Back to schema 8 (before kept counts and the search index), as an earlier taizhang
        // left the file.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TRIGGER IF EXISTS records_counted_insert; DROP TRIGGER records_counted_update;
             DROP TRIGGER records_counted_delete;
             DROP TABLE count_changes; DROP TABLE count_steps; DROP TABLE record_tallies;
             DROP TABLE shared_entities; DROP TABLE amount_steps; DROP INDEX records_entity; DROP TABLE records_search;
             DROP INDEX records_list_kind;
             DELETE FROM meta WHERE key IN ('count_basis', 'search_index');
             UPDATE records SET search_text = lower(name);
             CREATE INDEX records_active_count ON records (kind, unit, count_key, key_date, end_date)
                 WHERE status = 'active';
             CREATE INDEX records_active_claims ON records (kind, credit_code, unit)
                 WHERE status = 'active' AND credit_code IS NOT NULL;
             CREATE INDEX records_list_kind ON records (kind, key_date DESC, id DESC, status, search_text);
             CREATE INDEX records_list ON records (key_date DESC, id DESC, status, search_text);
             PRAGMA user_version = 8;",
        )
        .unwrap();
    }
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(figures(&ledger), before);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let steps: i64 = conn
        .query_row("SELECT COUNT(*) FROM count_steps", [], |r| r.get(0))
        .unwrap();
    assert!(steps > 0, "the counts are kept after the first opening");
    assert_kept_equals_recount(&ledger, &["230521"], &[]);
    // The search index is built too: a name is found by three characters of it.
    let found = ledger
        .list(&taizhang::store::ListQuery {
            search: Some("第3科技".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.records.len(), 1, "{:?}", found.records);
}

/// Every progress figure of the ledger over the plan's year ends.
fn figures(ledger: &Ledger) -> Vec<u64> {
    let plan = Plan::embedded();
    let mut all = Vec::new();
    for on in measured_days(&[]) {
        for indicator in &plan.indicators {
            let window = count_window(indicator.rule, plan.start, plan.end, on);
            all.push(
                ledger
                    .count_distinct(Some("230521"), indicator.kind, window)
                    .unwrap(),
            );
        }
    }
    all
}

fn taizhang(db: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("TAIZHANG_LANG")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn check_finds_kept_counts_that_disagree_and_recount_mends_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite");
    let mut ledger = Ledger::create(&db, "230521", PLAN).unwrap();
    ledger.set_signing_key(&seed(1)).unwrap();
    for n in 0..12 {
        let kind = RecordKind::ALL[n as usize % RecordKind::ALL.len()];
        ledger.insert(&valid(kind, n), CLERK).unwrap();
    }
    let figures_before = figures(&ledger);
    drop(ledger);
    let (code, text) = taizhang(&db, &["check", "--quick"]);
    assert_eq!(code, Some(0), "{text}");

    // A step and a tally altered behind the program's back.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "UPDATE count_steps SET delta = delta + 1 WHERE (scope, kind, day) =
             (SELECT scope, kind, day FROM count_steps WHERE scope = '230521'
              ORDER BY kind, day LIMIT 1);
         UPDATE record_tallies SET n = n + 5 WHERE (unit, kind, status) =
             (SELECT unit, kind, status FROM record_tallies ORDER BY unit, kind, status LIMIT 1);",
    )
    .unwrap();
    drop(conn);
    assert_ne!(figures(&Ledger::open(&db).unwrap()), figures_before);

    let (code, text) = taizhang(&db, &["check", "--quick"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("保存的进度计数（count_steps）与按记录重新统计的结果不一致"),
        "{text}"
    );
    assert!(text.contains("保存的进度计数（record_tallies）"), "{text}");
    assert!(
        text.contains("记录本身没有问题") && text.contains("taizhang check --recount"),
        "{text}"
    );

    let (code, text) = taizhang(&db, &["check", "--quick", "--recount"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("已按记录重新统计进度计数，并更正了保存的 count_steps、record_tallies。"),
        "{text}"
    );
    assert!(text.contains("检查通过"), "{text}");
    assert_eq!(figures(&Ledger::open(&db).unwrap()), figures_before);

    let (code, text) = taizhang(&db, &["check", "--quick", "--recount"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("与保存的一致"), "{text}");
}

#[test]
fn check_finds_a_kept_turnover_that_disagrees_and_recount_mends_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite");
    let mut ledger = Ledger::create(&db, "230521", PLAN).unwrap();
    ledger.set_signing_key(&seed(1)).unwrap();
    for n in 0..4 {
        ledger
            .insert(&valid(RecordKind::Achievement, n), CLERK)
            .unwrap();
    }
    let on: Date = "2023-12-31".parse().unwrap();
    let turnover = |ledger: &Ledger| ledger.contract_turnover(on.first_of_year(), on).unwrap();
    assert_eq!(turnover(&ledger), 4.0 * 1200.5);
    drop(ledger);
    let (code, text) = taizhang(&db, &["check", "--quick"]);
    assert_eq!(code, Some(0), "{text}");

    // A step of the turnover altered behind the program's back.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let altered = conn
        .execute("UPDATE amount_steps SET delta = delta + 100", [])
        .unwrap();
    assert!(altered > 0);
    drop(conn);
    assert_ne!(turnover(&Ledger::open(&db).unwrap()), 4.0 * 1200.5);

    let (code, text) = taizhang(&db, &["check", "--quick"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("保存的进度计数（amount_steps）与按记录重新统计的结果不一致"),
        "{text}"
    );
    assert!(!text.contains("（count_steps）"), "{text}");

    let (code, text) = taizhang(&db, &["check", "--quick", "--recount"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("已按记录重新统计进度计数，并更正了保存的 amount_steps。"),
        "{text}"
    );
    let ledger = Ledger::open(&db).unwrap();
    assert_eq!(turnover(&ledger), 4.0 * 1200.5);
    assert_kept_equals_recount(&ledger, &["230521"], &["2023-09-09".into()]);
}

#[test]
fn counts_kept_before_the_turnover_are_built_again_on_opening() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.sqlite");
    let mut ledger = Ledger::create(&db, "230521", PLAN).unwrap();
    for n in 0..3 {
        ledger
            .insert(&valid(RecordKind::Achievement, n), CLERK)
            .unwrap();
    }
    drop(ledger);
    {
        // As a build that kept counts but no turnover left the file.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DELETE FROM amount_steps;
             UPDATE meta SET value = 'v1 ' || substr(value, 4) WHERE key = 'count_basis';",
        )
        .unwrap();
    }
    let ledger = Ledger::open(&db).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (steps, basis): (i64, String) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM amount_steps),
                    (SELECT value FROM meta WHERE key = 'count_basis')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(steps > 0 && basis.starts_with("v2 "), "{steps} {basis}");
    let on: Date = "2023-12-31".parse().unwrap();
    assert_eq!(
        ledger.contract_turnover(on.first_of_year(), on).unwrap(),
        3.0 * 1200.5
    );
    assert_kept_equals_recount(&ledger, &["230521"], &[]);
}
