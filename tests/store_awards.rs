//! Approvals and payments in the ledger file: kept for good, checked against the lines in the
//! same transaction, and recorded only by the level that pays.

mod bundle_common;

use bundle_common::{CLERK, city_ledger, ts, typed};
use jiff::civil::date;
use taizhang::bundle;
use taizhang::domain::awards::{AwardAction, AwardRefusal, AwardStatus, FiscalLevel};
use taizhang::domain::validate::validate_record;
use taizhang::domain::{Problem, RecordKind};
use taizhang::plan::Plan;
use taizhang::store::{AwardQuery, AwardRequest, Ledger, StoreError, VOUCHER_MAX};

const UNIT: &str = "230521";

fn high_tech(ledger: &mut Ledger, n: u32, level: &str) -> uuid::Uuid {
    let mut fields = typed(RecordKind::HighTech, n);
    fields.insert("tax_level".into(), level.into());
    let valid = validate_record(RecordKind::HighTech, &fields).unwrap();
    ledger.insert(&valid, CLERK).unwrap().id
}

fn request(ledger: &Ledger, plan: &Plan, id: uuid::Uuid, action: AwardAction) -> AwardRequest {
    let line = ledger
        .award_lines(plan, &AwardQuery::default())
        .unwrap()
        .into_iter()
        .find(|l| l.key.record == id)
        .expect("an entitlement");
    AwardRequest {
        key: line.key,
        action,
        on: date(2022, 3, 1),
        voucher: (action == AwardAction::Pay).then(|| "记-2022-001".to_owned()),
    }
}

fn refusal(err: StoreError) -> AwardRefusal {
    match err {
        StoreError::AwardRefused(refused) => refused.refusal,
        other => panic!("not an award refusal: {other:?}"),
    }
}

#[test]
fn what_a_ledger_recorded_is_never_changed_or_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unit.sqlite");
    let plan = Plan::embedded();
    let mut ledger = Ledger::create(&path, UNIT, &plan.id).unwrap();
    let id = high_tech(&mut ledger, 1, "county");
    let approve = request(&ledger, &plan, id, AwardAction::Approve);
    let event = ledger.record_award(&plan, &approve, CLERK).unwrap();
    assert_eq!(
        event.fen, 10_000_000,
        "first certification below size: 10万元"
    );
    assert_eq!(event.level, FiscalLevel::County);
    assert_eq!(event.recorded_by, UNIT);
    let pay = AwardRequest {
        action: AwardAction::Pay,
        voucher: Some("记-2022-001".into()),
        ..approve.clone()
    };
    ledger.record_award(&plan, &pay, CLERK).unwrap();
    drop(ledger);

    let conn = rusqlite::Connection::open(&path).unwrap();
    let deleted = conn.execute("DELETE FROM award_events", []);
    assert!(
        deleted.unwrap_err().to_string().contains("never deleted"),
        "a payment cannot be deleted"
    );
    let changed = conn.execute("UPDATE award_events SET fen = 1", []);
    assert!(changed.unwrap_err().to_string().contains("never changed"));
    drop(conn);

    let ledger = Ledger::open(&path).unwrap();
    let lines = ledger.award_lines(&plan, &AwardQuery::default()).unwrap();
    assert_eq!(lines[0].status, AwardStatus::Paid);
    assert_eq!(lines[0].payments[0].voucher.as_deref(), Some("记-2022-001"));
    assert_eq!(ledger.award_events_recorded_here(None).unwrap().len(), 2);
}

#[test]
fn a_payment_needs_a_clean_voucher_number() {
    let plan = Plan::embedded();
    let mut ledger = Ledger::create_in_memory(UNIT, &plan.id).unwrap();
    let id = high_tech(&mut ledger, 1, "county");
    let approve = request(&ledger, &plan, id, AwardAction::Approve);
    ledger.record_award(&plan, &approve, CLERK).unwrap();
    let pay = |voucher: Option<&str>| AwardRequest {
        action: AwardAction::Pay,
        voucher: voucher.map(str::to_owned),
        ..approve.clone()
    };
    let issue = |result: Result<_, StoreError>| match result {
        Err(StoreError::BadText { issue }) => (issue.field, issue.problem),
        other => panic!("not a text refusal: {other:?}"),
    };
    assert_eq!(
        issue(ledger.record_award(&plan, &pay(None), CLERK)),
        ("voucher".into(), Problem::Required)
    );
    assert_eq!(
        issue(ledger.record_award(&plan, &pay(Some("  ")), CLERK)),
        ("voucher".into(), Problem::Required)
    );
    let long = "9".repeat(VOUCHER_MAX + 1);
    assert_eq!(
        issue(ledger.record_award(&plan, &pay(Some(&long)), CLERK)),
        ("voucher".into(), Problem::TooLong { max: VOUCHER_MAX })
    );
    let (field, problem) = issue(ledger.record_award(&plan, &pay(Some("记\u{202e}1")), CLERK));
    assert_eq!(field, "voucher");
    assert!(matches!(problem, Problem::ForbiddenCharacter { .. }));
    let longest = "9".repeat(VOUCHER_MAX);
    ledger
        .record_award(&plan, &pay(Some(&longest)), CLERK)
        .unwrap();
    assert_eq!(
        refusal(
            ledger
                .record_award(&plan, &pay(Some("记-2")), CLERK)
                .unwrap_err()
        ),
        AwardRefusal::AlreadyPaid {
            on: date(2022, 3, 1),
            voucher: Some(longest)
        }
    );
}

#[test]
fn the_city_pays_what_the_city_budget_bears_and_nothing_else() {
    let plan = Plan::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut unit = bundle_common::unit_ledger(UNIT, 1);
    let city_firm = high_tech(&mut unit, 1, "city");
    let county_firm = high_tech(&mut unit, 2, "county");
    bundle::export::export(&mut unit, dir.path(), ts("2023-05-01T02:00:00Z")).unwrap();
    let mut city = city_ledger(&[(UNIT, 1)]);
    for outcome in bundle::import_paths(
        &mut city,
        &[dir.path().to_path_buf()],
        ts("2023-05-02T02:00:00Z"),
    )
    .unwrap()
    {
        outcome.result.unwrap();
    }
    assert_eq!(city.paying_level(), FiscalLevel::City);
    let approve = request(&city, &plan, city_firm, AwardAction::Approve);
    let event = city.record_award(&plan, &approve, "finance").unwrap();
    assert_eq!(
        (event.unit.as_str(), event.recorded_by.as_str()),
        (UNIT, "230500")
    );
    let county = request(&city, &plan, county_firm, AwardAction::Approve);
    assert_eq!(
        refusal(city.record_award(&plan, &county, "finance").unwrap_err()),
        AwardRefusal::OtherLevel {
            level: FiscalLevel::County
        }
    );
    // And the unit cannot pay what the city bears.
    let at_unit = request(&unit, &plan, city_firm, AwardAction::Approve);
    assert_eq!(
        refusal(unit.record_award(&plan, &at_unit, CLERK).unwrap_err()),
        AwardRefusal::OtherLevel {
            level: FiscalLevel::City
        }
    );
    let lines = city.award_lines(&plan, &AwardQuery::default()).unwrap();
    let statuses: Vec<_> = lines.iter().map(|l| (l.key.record, l.status)).collect();
    assert!(statuses.contains(&(city_firm, AwardStatus::Approved)));
    assert!(statuses.contains(&(county_firm, AwardStatus::Entitled)));
    let other_unit = AwardQuery {
        unit: Some("230522".into()),
        year: None,
    };
    assert!(city.award_lines(&plan, &other_unit).unwrap().is_empty());
}

#[test]
fn check_finds_a_payment_of_a_record_the_ledger_lacks() {
    use taizhang::store::{CheckDepth, LedgerProblem, check_ledger};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unit.sqlite");
    let plan = Plan::embedded();
    let mut ledger = Ledger::create(&path, UNIT, &plan.id).unwrap();
    ledger.set_signing_key(&bundle_common::seed(1)).unwrap();
    let id = high_tech(&mut ledger, 1, "county");
    let approve = request(&ledger, &plan, id, AwardAction::Approve);
    ledger.record_award(&plan, &approve, CLERK).unwrap();
    drop(ledger);
    assert!(check_ledger(&path, CheckDepth::Quick).unwrap().is_clean());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO award_events (recorded_by, received, record_id, rule, year, unit, level,
                                   action, fen, on_date, voucher, actor, at)
         VALUES ('230500', 1, 'no-such-record', 'tech_sme_subsidy', 2022, ?1, 'city',
                 'approve', 1000000, '2022-05-01', NULL, 'x', '2022-05-01T00:00:00Z')",
        [UNIT],
    )
    .unwrap();
    drop(conn);
    let report = check_ledger(&path, CheckDepth::Quick).unwrap();
    assert_eq!(
        report.problems,
        [LedgerProblem::DanglingReference {
            table: "award_events".into(),
            rowid: Some(2),
            parent: "records".into(),
        }]
    );
}
