use jiff::civil::date;

use super::*;
use crate::domain::pool::{PoolDraft, validate_draft};
use crate::domain::validate::validate_record;
use crate::domain::{FieldValues, RecordKind, ValidRecord};

const PLAN: &str = "shuangyashan-2021-2023";
const CLERK: &str = "zhangsan";
const CODE: &str = "91350100M000100Y43";

fn unit() -> Ledger {
    Ledger::create_in_memory("230521", PLAN).unwrap()
}

fn fields(code: &str, stage: &str) -> PoolFields {
    validate_draft(&PoolDraft {
        credit_code: code.into(),
        name: "双鸭山市华鑫科技有限公司".into(),
        stage: stage.into(),
        target_on: "2024-06-30".into(),
        ..PoolDraft::default()
    })
    .unwrap()
}

/// Another valid credit code for each `n`.
fn code(n: u32) -> String {
    let first = format!("91230500MA1B{n:05}");
    let check = crate::domain::credit_code::check_char(&first).unwrap();
    format!("{first}{check}")
}

fn record(kind: RecordKind, code: &str, on: &str) -> ValidRecord {
    // One certificate number per firm.
    let serial: u32 = code
        .bytes()
        .map(u32::from)
        .fold(0, |a, b| (a * 31 + b) % 1_000_000);
    let cert_no = format!("GR202323{serial:06}");
    let values: FieldValues = match kind {
        RecordKind::HighTech => vec![
            ("name", "双鸭山市华鑫科技有限公司"),
            ("credit_code", code),
            ("cert_no", cert_no.as_str()),
            ("certified_on", on),
            ("recognition", "first"),
            ("size", "below"),
        ],
        _ => vec![
            ("name", "双鸭山市华鑫科技有限公司"),
            ("credit_code", code),
            ("reg_no", "2023230521A8020396"),
            ("registered_on", on),
        ],
    }
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    validate_record(kind, &values).unwrap()
}

fn withdrawn(reason: &str) -> PoolClose {
    PoolClose::Withdrawn {
        on: date(2024, 1, 5),
        reason: reason.into(),
    }
}

#[test]
fn add_edit_close_reopen_each_leave_a_line_of_history() {
    let mut ledger = unit();
    let added = ledger.pool_add(&fields(CODE, "tech_sme"), CLERK).unwrap();
    assert_eq!(added.status, PoolStatus::Open);
    assert_eq!((added.revision, added.unit.as_str()), (1, "230521"));
    let edit = PoolEdit {
        stage: Some(PoolStage::HighTechCandidate),
        target_on: Some(date(2025, 3, 1)),
        notes: Some("重点培育".into()),
    };
    let edited = ledger.pool_edit(added.id, Some(1), &edit, "lisi").unwrap();
    assert_eq!(edited.stage, PoolStage::HighTechCandidate);
    assert_eq!(edited.target_on, date(2025, 3, 1));
    assert_eq!((edited.revision, edited.updated_by.as_str()), (2, "lisi"));
    // The same values again change nothing.
    let same = ledger.pool_edit(added.id, None, &edit, "lisi").unwrap();
    assert_eq!(same.revision, 2);
    let closed = ledger
        .pool_close(added.id, Some(2), &withdrawn("企业迁出本市"), CLERK)
        .unwrap();
    assert_eq!(closed.status, PoolStatus::Withdrawn);
    assert_eq!(closed.closed_on, Some(date(2024, 1, 5)));
    assert_eq!(closed.close_reason.as_deref(), Some("企业迁出本市"));
    let reopened = ledger.pool_reopen(added.id, Some(3), CLERK).unwrap();
    assert_eq!(reopened.status, PoolStatus::Open);
    assert_eq!((reopened.closed_on, reopened.close_reason), (None, None));
    assert_eq!(reopened.revision, 4);

    let history = ledger.pool_history(added.id).unwrap();
    let actions: Vec<(i64, PoolAction, &str)> = history
        .iter()
        .map(|c| (c.revision, c.action, c.actor.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            (1, PoolAction::Create, CLERK),
            (2, PoolAction::Edit, "lisi"),
            (3, PoolAction::Withdraw, CLERK),
            (4, PoolAction::Reopen, CLERK),
        ]
    );
    let edit_changes: Vec<(&str, Option<&str>, Option<&str>)> = history[1]
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref()))
        .collect();
    assert_eq!(
        edit_changes,
        [
            ("stage", Some("tech_sme"), Some("high_tech_candidate")),
            ("target_on", Some("2024-06-30"), Some("2025-03-01")),
            ("notes", None, Some("重点培育")),
        ]
    );
    let reopen_changes: Vec<(&str, Option<&str>, Option<&str>)> = history[3]
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref()))
        .collect();
    assert_eq!(
        reopen_changes,
        [
            ("status", Some("withdrawn"), Some("open")),
            ("closed_on", Some("2024-01-05"), None),
            ("close_reason", Some("企业迁出本市"), None),
        ]
    );
}

#[test]
fn only_the_right_states_change_and_stale_revisions_are_refused() {
    let mut ledger = unit();
    let e = ledger.pool_add(&fields(CODE, "tech_sme"), CLERK).unwrap();
    let stale = ledger.pool_edit(e.id, Some(7), &PoolEdit::default(), CLERK);
    assert!(matches!(
        stale,
        Err(StoreError::Pool(PoolRefusal::Conflict {
            expected: 7,
            actual: 1,
            ..
        }))
    ));
    assert!(stale.unwrap_err().is_conflict());
    assert!(matches!(
        ledger.pool_reopen(e.id, None, CLERK),
        Err(StoreError::Pool(PoolRefusal::NotClosed { .. }))
    ));
    ledger
        .pool_close(e.id, None, &withdrawn("不再培育"), CLERK)
        .unwrap();
    for refused in [
        ledger.pool_close(e.id, None, &withdrawn("x"), CLERK),
        ledger.pool_edit(e.id, None, &PoolEdit::default(), CLERK),
    ] {
        assert!(matches!(
            refused,
            Err(StoreError::Pool(PoolRefusal::NotOpen {
                status: PoolStatus::Withdrawn,
                ..
            }))
        ));
    }
    let blank = ledger
        .pool_add(&fields(&code(2), "tech_sme"), CLERK)
        .unwrap();
    assert!(matches!(
        ledger.pool_close(blank.id, None, &withdrawn(" "), CLERK),
        Err(StoreError::EmptyReason)
    ));
    assert_eq!(ledger.pool_get(blank.id).unwrap().status, PoolStatus::Open);
    // A manual achievement keeps no record, and no blank reason.
    let done = ledger
        .pool_close(
            blank.id,
            None,
            &PoolClose::Achieved {
                on: date(2024, 2, 2),
                reason: Some(String::new()),
            },
            CLERK,
        )
        .unwrap();
    assert_eq!(
        (done.status, done.achieved_by, done.close_reason),
        (PoolStatus::Achieved, None, None)
    );
}

#[test]
fn a_firm_is_open_at_most_once_per_unit() {
    let mut ledger = unit();
    let first = ledger.pool_add(&fields(CODE, "tech_sme"), CLERK).unwrap();
    let twice = ledger.pool_add(&fields(CODE, "gazelle_candidate"), "lisi");
    match twice {
        Err(StoreError::Pool(PoolRefusal::AlreadyOpen { existing, name })) => {
            assert_eq!(existing, first.id);
            assert_eq!(name, "双鸭山市华鑫科技有限公司");
        }
        other => panic!("{other:?}"),
    }
    ledger
        .pool_close(first.id, None, &withdrawn("改为瞪羚后备"), CLERK)
        .unwrap();
    let second = ledger
        .pool_add(&fields(CODE, "gazelle_candidate"), CLERK)
        .unwrap();
    assert!(matches!(
        ledger.pool_reopen(first.id, None, CLERK),
        Err(StoreError::Pool(PoolRefusal::AlreadyOpen { existing, .. })) if existing == second.id
    ));
    assert_eq!(
        ledger.pool_get(first.id).unwrap().status,
        PoolStatus::Withdrawn
    );
    assert_eq!(ledger.pool_list(&PoolQuery::open(None)).unwrap().len(), 1);
}

#[test]
fn saving_a_high_tech_certificate_achieves_the_open_entry() {
    for stage in ["tech_sme", "high_tech_candidate"] {
        let mut ledger = unit();
        let entry = ledger.pool_add(&fields(CODE, stage), CLERK).unwrap();
        let saved = ledger
            .insert(&record(RecordKind::HighTech, CODE, "2023-11-20"), "wangwu")
            .unwrap();
        let after = ledger.pool_get(entry.id).unwrap();
        assert_eq!(after.status, PoolStatus::Achieved, "{stage}");
        assert_eq!(after.achieved_by, Some(saved.id));
        assert_eq!(after.closed_on, Some(date(2023, 11, 20)));
        assert_eq!(after.updated_by, "wangwu");
        let last = ledger.pool_history(entry.id).unwrap().pop().unwrap();
        assert_eq!(
            (last.action, last.actor.as_str()),
            (PoolAction::Achieve, "wangwu")
        );
        assert_eq!(
            ledger
                .pool_entry_achieved_by(saved.id)
                .unwrap()
                .map(|e| e.id),
            Some(entry.id)
        );
    }
}

#[test]
fn other_saves_leave_the_pool_alone() {
    let mut ledger = unit();
    let gazelle = ledger
        .pool_add(&fields(CODE, "gazelle_candidate"), CLERK)
        .unwrap();
    let sme = ledger
        .pool_add(&fields(&code(1), "tech_sme"), CLERK)
        .unwrap();
    ledger
        .insert(&record(RecordKind::HighTech, CODE, "2023-11-20"), CLERK)
        .unwrap();
    ledger
        .insert(&record(RecordKind::TechSme, &code(1), "2023-04-01"), CLERK)
        .unwrap();
    // Another firm's certificate touches no entry.
    ledger
        .insert(&record(RecordKind::HighTech, &code(9), "2023-11-20"), CLERK)
        .unwrap();
    for id in [gazelle.id, sme.id] {
        let e = ledger.pool_get(id).unwrap();
        assert_eq!((e.status, e.revision), (PoolStatus::Open, 1));
    }
}

#[test]
fn a_batch_of_records_links_as_single_saves_do() {
    let mut ledger = unit();
    let a = ledger
        .pool_add(&fields(&code(1), "tech_sme"), CLERK)
        .unwrap();
    let b = ledger
        .pool_add(&fields(&code(2), "gazelle_candidate"), CLERK)
        .unwrap();
    let mut second = record(RecordKind::HighTech, &code(2), "2023-01-01");
    second
        .fields
        .insert("cert_no".into(), "GR202323000124".into());
    let mut first = record(RecordKind::HighTech, &code(1), "2022-12-01");
    first
        .fields
        .insert("cert_no".into(), "GR202323000125".into());
    let first = validate_record(RecordKind::HighTech, &first.fields).unwrap();
    let second = validate_record(RecordKind::HighTech, &second.fields).unwrap();
    ledger.insert_many(&[first, second], "sheet").unwrap();
    let a = ledger.pool_get(a.id).unwrap();
    assert_eq!(
        (a.status, a.closed_on, a.updated_by.as_str()),
        (PoolStatus::Achieved, Some(date(2022, 12, 1)), "sheet")
    );
    assert!(a.achieved_by.is_some());
    assert_eq!(ledger.pool_get(b.id).unwrap().status, PoolStatus::Open);
}

#[test]
fn voiding_the_certificate_reopens_the_entry_and_restoring_does_not_close_it() {
    let mut ledger = unit();
    let entry = ledger
        .pool_add(&fields(CODE, "high_tech_candidate"), CLERK)
        .unwrap();
    let saved = ledger
        .insert(&record(RecordKind::HighTech, CODE, "2023-11-20"), CLERK)
        .unwrap();
    ledger.void(saved.id, "证书号录错", None, "lisi").unwrap();
    let reopened = ledger.pool_get(entry.id).unwrap();
    assert_eq!(reopened.status, PoolStatus::Open);
    assert_eq!((reopened.achieved_by, reopened.closed_on), (None, None));
    let last = ledger.pool_history(entry.id).unwrap().pop().unwrap();
    assert_eq!(
        (last.action, last.actor.as_str()),
        (PoolAction::Reopen, "lisi")
    );
    assert!(last.changes.iter().any(|c| c.field == "achieved_by"
        && c.old == Some(saved.id.to_string())
        && c.new.is_none()));
    ledger.restore(saved.id, None, CLERK).unwrap();
    assert_eq!(ledger.pool_get(entry.id).unwrap().status, PoolStatus::Open);
    // Voiding a record that achieved nothing changes no entry.
    let other = ledger
        .insert(&record(RecordKind::TechSme, CODE, "2023-04-01"), CLERK)
        .unwrap();
    ledger.void(other.id, "重复", None, CLERK).unwrap();
    assert_eq!(
        ledger.pool_get(entry.id).unwrap().revision,
        reopened.revision
    );
}

#[test]
fn a_void_leaves_the_entry_closed_when_the_firm_is_open_again_elsewhere() {
    let mut ledger = unit();
    let entry = ledger.pool_add(&fields(CODE, "tech_sme"), CLERK).unwrap();
    let saved = ledger
        .insert(&record(RecordKind::HighTech, CODE, "2023-11-20"), CLERK)
        .unwrap();
    let newer = ledger
        .pool_add(&fields(CODE, "gazelle_candidate"), CLERK)
        .unwrap();
    ledger.void(saved.id, "录错", None, CLERK).unwrap();
    assert_eq!(
        ledger.pool_get(entry.id).unwrap().status,
        PoolStatus::Achieved
    );
    assert_eq!(ledger.pool_get(newer.id).unwrap().status, PoolStatus::Open);
}

#[test]
fn the_city_adds_nothing_to_a_pool() {
    let mut city = Ledger::create_city_in_memory("230500", PLAN).unwrap();
    assert!(matches!(
        city.pool_add(&fields(CODE, "tech_sme"), CLERK),
        Err(StoreError::Pool(PoolRefusal::CityReadOnly))
    ));
}

#[test]
fn lists_near_targets_counts_and_short_ids() {
    let mut ledger = unit();
    let mut ids = Vec::new();
    for (n, (stage, target)) in [
        ("tech_sme", "2024-01-10"),
        ("tech_sme", "2024-03-01"),
        ("high_tech_candidate", "2023-12-01"),
        ("gazelle_candidate", "2025-01-01"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut f = fields(&code(n as u32), stage);
        f.target_on = target.parse().unwrap();
        ids.push(ledger.pool_add(&f, CLERK).unwrap().id);
    }
    ledger
        .pool_close(ids[1], None, &withdrawn("放弃"), CLERK)
        .unwrap();
    let open = ledger.pool_list(&PoolQuery::open(None)).unwrap();
    let targets: Vec<String> = open.iter().map(|e| e.target_on.to_string()).collect();
    assert_eq!(targets, ["2023-12-01", "2024-01-10", "2025-01-01"]);
    let all = ledger.pool_list(&PoolQuery::default()).unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[3].id, ids[1], "closed entries come after the open ones");
    let limited = PoolQuery {
        limit: 2,
        ..PoolQuery::default()
    };
    assert_eq!(ledger.pool_list(&limited).unwrap().len(), 2);
    let other_unit = PoolQuery::open(Some("230522"));
    assert!(ledger.pool_list(&other_unit).unwrap().is_empty());

    let near: Vec<Uuid> = ledger
        .pool_near_target(date(2024, 1, 1), 30, None)
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(
        near,
        [ids[2], ids[0]],
        "overdue first, then due within 30 days"
    );
    assert!(
        ledger
            .pool_near_target(date(2023, 1, 1), 30, Some("230521"))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        ledger
            .pool_near_target(date(2024, 1, 1), 30, Some("230522"))
            .unwrap(),
        []
    );

    let counts = ledger.pool_counts().unwrap();
    assert_eq!(
        counts,
        [PoolCounts {
            unit: "230521".into(),
            tech_sme: 1,
            high_tech_candidate: 1,
            gazelle_candidate: 1,
            achieved: 0,
            withdrawn: 1,
        }]
    );

    let full = ids[2].to_string();
    assert_eq!(ledger.pool_resolve_id(&full).unwrap(), ids[2]);
    assert_eq!(
        ledger.pool_resolve_id(&full[full.len() - 8..]).unwrap(),
        ids[2]
    );
    assert!(matches!(
        ledger.pool_resolve_id("zzzzzzzz"),
        Err(StoreError::Pool(PoolRefusal::NotFound { .. }))
    ));
    // Every id of one millisecond starts alike: a short start matches them all.
    let shared = &full[..6];
    if ids.iter().all(|id| id.to_string().starts_with(shared)) {
        assert!(matches!(
            ledger.pool_resolve_id(shared),
            Err(StoreError::Pool(PoolRefusal::AmbiguousId { count: 4, .. }))
        ));
    }
    // A record's id is no pool entry's.
    let rec = ledger
        .insert(&record(RecordKind::TechSme, CODE, "2023-04-01"), CLERK)
        .unwrap();
    assert!(ledger.pool_resolve_id(&rec.id.to_string()).is_err());
}
