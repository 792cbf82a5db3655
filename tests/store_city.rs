//! The city ledger and the store side of syncing, as a city officer and a unit's clerk rely
//! on it: pinned keys with an audit, bundles that only move forward, imports that are all or
//! nothing and give the same ledger in any order, read-only records at the city, and firms
//! claimed by more than one unit.

use std::path::PathBuf;

use jiff::Timestamp;
use jiff::civil::date;
use taizhang::domain::credit_code::check_char;
use taizhang::domain::progress::CountWindow;
use taizhang::domain::validate::validate_record;
use taizhang::domain::{FieldValues, Record, RecordKind, RecordStatus, ValidRecord};
use taizhang::i18n::{Lang, Localized};
use taizhang::store::{
    ExportEntry, ExportState, ImportAction, ImportCounts, ImportEntry, ImportRefusal, Ledger,
    LedgerRole, ListQuery, PinOutcome, ReceiptEntry, StoreError,
};
use uuid::Uuid;

const CITY: &str = "230500";
const JIANSHAN: &str = "230503";
const BAOQING: &str = "230523";
const YOUYI: &str = "230522";
const PLAN: &str = "shuangyashan-2021-2023";
const CLERK: &str = "zhangsan";
const OFFICER: &str = "city-officer";

const KEY_A: [u8; 32] = [0xA1; 32];
const KEY_B: [u8; 32] = [0xB2; 32];
const KEY_C: [u8; 32] = [0xC3; 32];

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A valid credit code numbered `n`, with its check character.
fn credit_code(n: u32) -> String {
    let first17 = format!("91230500MA1B{n:05}");
    let check = check_char(&first17).unwrap();
    format!("{first17}{check}")
}

/// A technology SME numbered `n`, registered on `date`.
fn firm(n: u32, name: &str, date: &str) -> ValidRecord {
    let mut fields = FieldValues::new();
    fields.insert("name".into(), name.into());
    fields.insert("credit_code".into(), credit_code(n));
    fields.insert("reg_no".into(), format!("2023230503A{n:07}"));
    fields.insert("registered_on".into(), date.into());
    validate_record(RecordKind::TechSme, &fields).unwrap()
}

fn unit_ledger(unit: &str) -> Ledger {
    Ledger::create_in_memory(unit, PLAN).unwrap()
}

fn city() -> Ledger {
    Ledger::create_city_in_memory(CITY, PLAN).unwrap()
}

/// The unit's full snapshot, voided records as tombstones, by id: what a bundle carries.
fn snapshot(unit: &Ledger) -> Vec<Record> {
    let mut records = unit
        .list(&ListQuery {
            include_voided: true,
            ..ListQuery::default()
        })
        .unwrap()
        .records;
    records.sort_by_key(|r| r.id);
    records
}

/// A bundle's import entry; the file hash is made up from a tag so tests can vary it.
fn entry(unit: &str, sequence: u64, tag: &str, records: &[Record]) -> ImportEntry {
    ImportEntry {
        unit: unit.into(),
        sequence,
        bundle_sha256: format!("{tag:0>64}"),
        created_at: at("2023-05-01T08:00:00Z"),
        imported_at: at("2023-05-02T09:30:00Z"),
        records: records.len() as u64,
    }
}

/// A bundle as the city receives it: the entry and the records.
#[derive(Clone)]
struct Bundle {
    entry: ImportEntry,
    records: Vec<Record>,
}

fn bundle(unit: &Ledger, sequence: u64) -> Bundle {
    let records = snapshot(unit);
    Bundle {
        entry: entry(
            unit.unit(),
            sequence,
            &format!("{}{sequence}", unit.unit()),
            &records,
        ),
        records,
    }
}

fn import(city: &mut Ledger, b: &Bundle) -> Result<ImportCounts, StoreError> {
    city.apply_import(&b.entry, &b.records).map(|r| r.counts)
}

fn counts(new: u64, changed: u64, unchanged: u64, voided: u64) -> ImportCounts {
    ImportCounts {
        new,
        changed,
        unchanged,
        voided,
    }
}

/// A key event as compared: unit, old key, new key, actor.
type KeyEventLine = (Option<String>, Option<[u8; 32]>, [u8; 32], String);

#[test]
fn a_unit_key_is_pinned_replaced_only_on_request_and_every_change_is_audited() {
    let mut city = city();
    assert_eq!(city.role(), LedgerRole::City);
    assert_eq!(
        city.pin_unit_key(JIANSHAN, &KEY_A, false, OFFICER).unwrap(),
        PinOutcome::Pinned
    );
    assert_eq!(
        city.pin_unit_key(JIANSHAN, &KEY_A, false, OFFICER).unwrap(),
        PinOutcome::AlreadyPinned
    );
    let before = city.content_digest().unwrap();
    match city.pin_unit_key(JIANSHAN, &KEY_B, false, OFFICER) {
        Err(StoreError::KeyAlreadyPinned { unit }) => assert_eq!(unit.as_deref(), Some(JIANSHAN)),
        other => panic!("expected KeyAlreadyPinned, got {other:?}"),
    }
    assert_eq!(city.content_digest().unwrap(), before);
    assert_eq!(
        city.unit_for_key(&KEY_A).unwrap().as_deref(),
        Some(JIANSHAN)
    );

    assert_eq!(
        city.pin_unit_key(JIANSHAN, &KEY_B, true, "deputy").unwrap(),
        PinOutcome::Replaced { old: KEY_A }
    );
    assert_eq!(city.unit_for_key(&KEY_A).unwrap(), None);
    assert_eq!(
        city.unit_for_key(&KEY_B).unwrap().as_deref(),
        Some(JIANSHAN)
    );

    // One key is one unit's: the same key cannot be enrolled for a second unit.
    match city.pin_unit_key(BAOQING, &KEY_B, false, OFFICER) {
        Err(StoreError::KeyPinnedToOtherUnit { key_unit, unit }) => {
            assert_eq!((key_unit.as_str(), unit.as_str()), (JIANSHAN, BAOQING));
        }
        other => panic!("expected KeyPinnedToOtherUnit, got {other:?}"),
    }
    city.pin_unit_key(BAOQING, &KEY_C, false, OFFICER).unwrap();

    let pinned: Vec<(String, [u8; 32])> = city
        .pinned_keys()
        .unwrap()
        .into_iter()
        .map(|p| (p.unit, p.key))
        .collect();
    // By unit code.
    assert_eq!(
        pinned,
        vec![(JIANSHAN.to_owned(), KEY_B), (BAOQING.to_owned(), KEY_C)]
    );

    let events: Vec<KeyEventLine> = city
        .key_events()
        .unwrap()
        .into_iter()
        .map(|e| (e.unit, e.old, e.new, e.actor))
        .collect();
    assert_eq!(
        events,
        vec![
            (Some(JIANSHAN.into()), None, KEY_A, OFFICER.into()),
            (Some(JIANSHAN.into()), Some(KEY_A), KEY_B, "deputy".into()),
            (Some(BAOQING.into()), None, KEY_C, OFFICER.into()),
        ]
    );
}

#[test]
fn keys_and_role_survive_reopening_the_city_ledger_file() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("city").join("city.sqlite");
    {
        let mut city = Ledger::create_city(&path, CITY, PLAN).unwrap();
        city.set_signing_key(&[7; 32]).unwrap();
        city.pin_unit_key(YOUYI, &KEY_A, false, OFFICER).unwrap();
    }
    let city = Ledger::open(&path).unwrap();
    assert_eq!(city.role(), LedgerRole::City);
    assert_eq!(city.unit(), CITY);
    assert_eq!(city.signing_key().unwrap(), Some([7; 32]));
    assert_eq!(city.unit_for_key(&KEY_A).unwrap().as_deref(), Some(YOUYI));
    // A unit's ledger opens as one.
    let unit_path = dir.path().join("unit.sqlite");
    drop(Ledger::create(&unit_path, YOUYI, PLAN).unwrap());
    assert_eq!(Ledger::open(&unit_path).unwrap().role(), LedgerRole::Unit);
}

#[test]
fn the_signing_key_is_stored_once_and_never_overwritten() {
    let mut unit = unit_ledger(JIANSHAN);
    assert_eq!(unit.signing_key().unwrap(), None);
    unit.set_signing_key(&[1; 32]).unwrap();
    unit.set_signing_key(&[1; 32]).unwrap();
    assert!(matches!(
        unit.set_signing_key(&[2; 32]),
        Err(StoreError::SigningKeyExists)
    ));
    assert_eq!(unit.signing_key().unwrap(), Some([1; 32]));
}

#[test]
fn the_city_key_is_pinned_at_a_unit_with_the_same_rules_and_audit() {
    let mut unit = unit_ledger(JIANSHAN);
    assert_eq!(unit.city_key().unwrap(), None);
    assert_eq!(
        unit.pin_city_key(&KEY_A, false, CLERK).unwrap(),
        PinOutcome::Pinned
    );
    assert_eq!(
        unit.pin_city_key(&KEY_A, true, CLERK).unwrap(),
        PinOutcome::AlreadyPinned
    );
    match unit.pin_city_key(&KEY_B, false, CLERK) {
        Err(StoreError::KeyAlreadyPinned { unit: None }) => {}
        other => panic!("expected KeyAlreadyPinned for the city, got {other:?}"),
    }
    assert_eq!(unit.city_key().unwrap(), Some(KEY_A));
    assert_eq!(
        unit.pin_city_key(&KEY_B, true, CLERK).unwrap(),
        PinOutcome::Replaced { old: KEY_A }
    );
    assert_eq!(unit.city_key().unwrap(), Some(KEY_B));
    let events = unit.key_events().unwrap();
    assert_eq!(events.len(), 2);
    assert!(events.iter().all(|e| e.unit.is_none() && e.actor == CLERK));
    assert_eq!((events[1].old, events[1].new), (Some(KEY_A), KEY_B));

    // Each side's own requests only.
    assert!(matches!(
        unit.pin_unit_key(BAOQING, &KEY_C, false, CLERK),
        Err(StoreError::WrongRole {
            role: LedgerRole::Unit
        })
    ));
    assert!(matches!(
        city().pin_city_key(&KEY_C, false, OFFICER),
        Err(StoreError::WrongRole {
            role: LedgerRole::City
        })
    ));
}

#[test]
fn the_export_sequence_only_goes_up_one_at_a_time() {
    let mut unit = unit_ledger(JIANSHAN);
    assert_eq!(unit.last_export().unwrap(), None);
    let export = |sequence: u64| ExportEntry {
        sequence,
        file_name: format!("taizhang-{JIANSHAN}-{sequence:06}-20230501.tzb"),
        sha256: format!("{sequence:0>64}"),
        records: 3,
        at: at("2023-05-01T08:00:00Z"),
    };
    unit.record_export(&export(1)).unwrap();
    for (given, expected) in [(1, 2), (3, 2), (0, 2)] {
        match unit.record_export(&export(given)) {
            Err(StoreError::SequenceMismatch {
                expected: e,
                given: g,
            }) => assert_eq!((e, g), (expected, given)),
            other => panic!("expected SequenceMismatch for {given}, got {other:?}"),
        }
    }
    // Logged before the file is in place: the number is taken, the export not yet shown.
    assert_eq!(unit.last_export().unwrap(), None);
    assert_eq!(unit.next_export_sequence().unwrap(), 2);
    unit.confirm_export(1).unwrap();
    assert_eq!(unit.last_export().unwrap(), Some(export(1)));
    // One that failed after logging keeps its number used; confirming it later changes nothing.
    unit.record_export(&export(2)).unwrap();
    unit.withdraw_export(2).unwrap();
    unit.confirm_export(2).unwrap();
    assert_eq!(unit.last_export().unwrap(), Some(export(1)));
    assert_eq!(unit.next_export_sequence().unwrap(), 3);
    // One interrupted by a crash stays written.
    unit.record_export(&export(3)).unwrap();
    let log: Vec<(u64, ExportState)> = unit
        .export_log()
        .unwrap()
        .into_iter()
        .map(|(entry, state)| (entry.sequence, state))
        .collect();
    assert_eq!(
        log,
        vec![
            (1, ExportState::Verified),
            (2, ExportState::Withdrawn),
            (3, ExportState::Written)
        ]
    );
    assert_eq!(unit.export_log().unwrap()[0].0, export(1));
    assert!(matches!(
        city().record_export(&export(1)),
        Err(StoreError::WrongRole { .. })
    ));
}

#[test]
fn the_unit_keeps_the_receipt_with_the_highest_sequence() {
    let mut unit = unit_ledger(JIANSHAN);
    assert_eq!(unit.last_receipt().unwrap(), None);
    let receipt = |sequence: u64| ReceiptEntry {
        city: CITY.into(),
        sequence,
        bundle_sha256: format!("{sequence:0>64}"),
        records: 10 + sequence,
        imported_at: at("2023-05-02T09:30:00Z"),
        created_at: at("2023-05-02T09:31:00Z"),
    };
    unit.record_receipt(&receipt(3)).unwrap();
    unit.record_receipt(&receipt(2)).unwrap();
    assert_eq!(unit.last_receipt().unwrap(), Some(receipt(3)));
    unit.record_receipt(&receipt(5)).unwrap();
    assert_eq!(unit.last_receipt().unwrap(), Some(receipt(5)));
    assert!(matches!(
        city().record_receipt(&receipt(1)),
        Err(StoreError::WrongRole { .. })
    ));
}

#[test]
fn records_at_the_city_are_read_only() {
    let mut unit = unit_ledger(JIANSHAN);
    unit.insert(&firm(1, "建山石墨科技有限公司", "2022-03-01"), CLERK)
        .unwrap();
    let mut city = city();
    import(&mut city, &bundle(&unit, 1)).unwrap();
    let id = snapshot(&unit)[0].id;
    let before = city.content_digest().unwrap();

    let refusals = [
        city.insert(&firm(2, "另一家公司", "2022-03-01"), OFFICER)
            .err(),
        city.insert_many(&[firm(3, "第三家公司", "2022-03-01")], OFFICER)
            .err(),
        city.update(id, None, &firm(1, "改名公司", "2022-03-01"), OFFICER)
            .err(),
        city.void(id, "重复", None, OFFICER).err(),
        city.restore(id, None, OFFICER).err(),
    ];
    for refusal in refusals {
        assert!(
            matches!(refusal, Some(StoreError::CityReadOnly)),
            "{refusal:?}"
        );
    }
    assert_eq!(city.content_digest().unwrap(), before);
    let message = StoreError::CityReadOnly.localize(Lang::Zh);
    assert!(message.contains("不能在市科技局修改"), "{message}");
    assert!(message.contains("通知该单位"), "{message}");
}

#[test]
fn an_older_bundle_is_refused_the_same_one_is_already_held_and_a_reused_number_refused() {
    let mut unit = unit_ledger(JIANSHAN);
    unit.insert(&firm(1, "建山石墨科技有限公司", "2022-03-01"), CLERK)
        .unwrap();
    let first = bundle(&unit, 1);
    unit.insert(&firm(2, "建山煤化工有限公司", "2022-04-01"), CLERK)
        .unwrap();
    let second = bundle(&unit, 2);

    let mut city = city();
    assert_eq!(city.last_import(JIANSHAN).unwrap(), None);
    assert_eq!(import(&mut city, &second).unwrap(), counts(2, 0, 0, 0));
    let before = city.content_digest().unwrap();

    match import(&mut city, &first) {
        Err(StoreError::Rollback {
            unit,
            sequence,
            held,
        }) => assert_eq!((unit.as_str(), sequence, held), (JIANSHAN, 1, 2)),
        other => panic!("expected Rollback, got {other:?}"),
    }
    match import(&mut city, &second) {
        Err(StoreError::AlreadyHeld { unit, sequence }) => {
            assert_eq!((unit.as_str(), sequence), (JIANSHAN, 2));
        }
        other => panic!("expected AlreadyHeld, got {other:?}"),
    }
    let mut reused = second.clone();
    reused.entry.bundle_sha256 = format!("{:f>64}", "");
    match import(&mut city, &reused) {
        Err(StoreError::SequenceReused { unit, sequence }) => {
            assert_eq!((unit.as_str(), sequence), (JIANSHAN, 2));
        }
        other => panic!("expected SequenceReused, got {other:?}"),
    }
    assert_eq!(city.content_digest().unwrap(), before);
    assert_eq!(
        city.last_import(JIANSHAN).unwrap(),
        Some(second.entry.clone())
    );

    // The next bundle is taken, and the log lists both units' imports newest first.
    let mut third = bundle(&unit, 3);
    third.entry.imported_at = at("2023-06-01T10:00:00Z");
    assert_eq!(import(&mut city, &third).unwrap(), counts(0, 0, 2, 0));
    let log = city.import_log().unwrap();
    let sequences: Vec<u64> = log.iter().map(|r| r.entry.sequence).collect();
    assert_eq!(sequences, vec![3, 2]);
    assert_eq!(log[1].counts, counts(2, 0, 0, 0));
}

/// Applies the bundles in order; refusals (older, already held) are expected along the way.
fn apply_all(bundles: &[&Bundle]) -> Ledger {
    let mut city = city();
    for b in bundles {
        match import(&mut city, b) {
            Ok(_) | Err(StoreError::Rollback { .. } | StoreError::AlreadyHeld { .. }) => {}
            Err(other) => panic!("unexpected refusal: {other:?}"),
        }
    }
    city
}

#[test]
fn the_same_bundles_in_any_order_give_the_same_ledger() {
    // Jianshan: adds two firms, then renames one, voids the other and adds a third.
    let mut jianshan = unit_ledger(JIANSHAN);
    let a = jianshan
        .insert(&firm(1, "建山石墨科技有限公司", "2022-03-01"), CLERK)
        .unwrap();
    let b = jianshan
        .insert(&firm(2, "建山煤化工有限公司", "2022-04-01"), CLERK)
        .unwrap();
    let j1 = bundle(&jianshan, 1);
    jianshan
        .update(
            a.id,
            None,
            &firm(1, "建山石墨新材料有限公司", "2022-03-01"),
            CLERK,
        )
        .unwrap();
    jianshan.void(b.id, "重复录入", None, CLERK).unwrap();
    jianshan
        .insert(&firm(3, "建山农机有限公司", "2022-05-01"), CLERK)
        .unwrap();
    let j2 = bundle(&jianshan, 2);
    // Baoqing: one firm, then a second; it claims Jianshan's first firm too.
    let mut baoqing = unit_ledger(BAOQING);
    baoqing
        .insert(&firm(1, "建山石墨科技有限公司", "2022-03-01"), CLERK)
        .unwrap();
    let b1 = bundle(&baoqing, 1);
    baoqing
        .insert(&firm(4, "宝清大豆科技有限公司", "2022-06-01"), CLERK)
        .unwrap();
    let b2 = bundle(&baoqing, 2);

    let orders: [&[&Bundle]; 5] = [
        &[&j1, &b1, &j2, &b2],
        &[&b2, &j2],
        &[&j2, &b1, &b2, &j1],
        &[&b1, &b2, &b2, &j1, &j1, &j2],
        &[&j1, &j2, &j1, &b2, &b1, &b1],
    ];
    let digests: Vec<String> = orders
        .iter()
        .map(|order| apply_all(order).records_digest().unwrap())
        .collect();
    assert!(digests.iter().all(|d| *d == digests[0]), "{digests:?}");

    // And the merged ledger is what the units hold.
    let city = apply_all(orders[0]);
    let held = snapshot(&city);
    let mut expected = [snapshot(&jianshan), snapshot(&baoqing)].concat();
    expected.sort_by_key(|r| r.id);
    assert_eq!(held, expected);
}

#[test]
fn equal_revisions_with_different_content_settle_on_the_same_version_in_either_order() {
    let mut unit = unit_ledger(JIANSHAN);
    unit.insert(&firm(1, "建山石墨科技有限公司", "2022-03-01"), CLERK)
        .unwrap();
    let mine = snapshot(&unit);
    // The same record at the same revision, as a restored copy of the ledger might have it.
    let mut theirs = mine.clone();
    theirs[0]
        .fields
        .insert("notes".into(), "从备份恢复后补录".into());
    let first = |records: &[Record], tag: &str, sequence: u64| Bundle {
        entry: entry(JIANSHAN, sequence, tag, records),
        records: records.to_vec(),
    };
    let one = apply_all(&[&first(&mine, "m1", 1), &first(&theirs, "t2", 2)]);
    let other = apply_all(&[&first(&theirs, "t1", 1), &first(&mine, "m2", 2)]);
    assert_eq!(
        one.records_digest().unwrap(),
        other.records_digest().unwrap()
    );
    let kept = one.get(mine[0].id).unwrap();
    let json = |r: &Record| serde_json::to_string(r).unwrap();
    let higher = std::cmp::max(json(&mine[0]), json(&theirs[0]));
    assert_eq!(json(&kept), higher);
}

#[test]
fn a_dry_run_names_each_records_action_and_writes_nothing() {
    let mut unit = unit_ledger(JIANSHAN);
    let kept = unit
        .insert(&firm(1, "建山石墨科技有限公司", "2022-03-01"), CLERK)
        .unwrap();
    let edited = unit
        .insert(&firm(2, "建山煤化工有限公司", "2022-04-01"), CLERK)
        .unwrap();
    let voided = unit
        .insert(&firm(3, "建山农机有限公司", "2022-05-01"), CLERK)
        .unwrap();
    let mut city = city();
    import(&mut city, &bundle(&unit, 1)).unwrap();
    // Another unit's record the city already holds.
    let mut baoqing = unit_ledger(BAOQING);
    let theirs = baoqing
        .insert(&firm(9, "宝清大豆科技有限公司", "2022-06-01"), CLERK)
        .unwrap();
    import(&mut city, &bundle(&baoqing, 1)).unwrap();

    unit.update(
        edited.id,
        None,
        &firm(2, "建山煤化工集团", "2022-04-01"),
        CLERK,
    )
    .unwrap();
    unit.void(voided.id, "企业注销", None, CLERK).unwrap();
    let added = unit
        .insert(&firm(4, "建山米业有限公司", "2022-07-01"), CLERK)
        .unwrap();
    let current = |id: Uuid| unit.get(id).unwrap();

    // A record of the unit not seen before, for the refusals below.
    let stray = |n: u32| Record {
        id: Uuid::now_v7(),
        fields: firm(n, &format!("建山第{n}公司"), "2022-08-01").fields,
        ..current(added.id)
    };
    let mut foreign = stray(10);
    foreign.unit = BAOQING.into();
    let mut invalid = stray(11);
    invalid
        .fields
        .insert("registered_on".into(), "2022-13-40".into());
    let mut bad_revision = stray(12);
    bad_revision.revision = 0;
    let mut mismatched = stray(13);
    mismatched.void_reason = Some("作废原因".into());
    // Same kind, credit code and year as an active record: the same entry twice.
    let duplicate = Record {
        id: Uuid::now_v7(),
        ..current(kept.id)
    };
    let held_elsewhere = Record {
        unit: JIANSHAN.into(),
        ..theirs.clone()
    };

    let cases: Vec<(Record, ImportAction)> = vec![
        (current(kept.id), ImportAction::Unchanged),
        (current(edited.id), ImportAction::Changed),
        (current(voided.id), ImportAction::Voided),
        (current(added.id), ImportAction::New),
        (
            foreign,
            ImportAction::Refused(ImportRefusal::WrongUnit {
                unit: BAOQING.into(),
            }),
        ),
        (
            bad_revision,
            ImportAction::Refused(ImportRefusal::BadRevision { revision: 0 }),
        ),
        (
            mismatched,
            ImportAction::Refused(ImportRefusal::StatusMismatch),
        ),
        (
            held_elsewhere,
            ImportAction::Refused(ImportRefusal::HeldByOtherUnit {
                unit: BAOQING.into(),
            }),
        ),
        (
            current(kept.id),
            ImportAction::Refused(ImportRefusal::DuplicateId),
        ),
        (
            duplicate.clone(),
            ImportAction::Refused(ImportRefusal::DuplicateActive { other: kept.id }),
        ),
    ];
    let records: Vec<Record> = cases
        .iter()
        .map(|(r, _)| r.clone())
        .chain([invalid.clone()])
        .collect();
    let before = city.content_digest().unwrap();
    let actions = city.classify_import(JIANSHAN, &records).unwrap();
    assert_eq!(city.content_digest().unwrap(), before);
    assert_eq!(actions.len(), records.len());
    for ((record, expected), (id, action)) in cases.iter().zip(&actions) {
        assert_eq!(*id, record.id);
        assert_eq!(action, expected, "{}", record.name());
    }
    match &actions.last().unwrap().1 {
        ImportAction::Refused(ImportRefusal::Invalid { issues }) => {
            assert!(
                issues.iter().any(|i| i.field == "registered_on"),
                "{issues:?}"
            );
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(matches!(
        unit.classify_import(JIANSHAN, &records),
        Err(StoreError::WrongRole { .. })
    ));

    // Without the refused ones, the import does what the dry run said.
    let good: Vec<Record> = records[..4].to_vec();
    let report = city
        .apply_import(&entry(JIANSHAN, 2, "j2", &good), &good)
        .unwrap();
    assert_eq!(report.counts, counts(1, 1, 1, 1));
    assert_eq!(city.get(voided.id).unwrap().status, RecordStatus::Voided);
    assert_eq!(city.get(edited.id).unwrap().name(), "建山煤化工集团");
    assert_eq!(city.get(edited.id).unwrap(), current(edited.id));
    // The version the city held before is now older than its copy, and changes nothing.
    assert_eq!(edited.revision, 1);
    assert_eq!(
        city.classify_import(JIANSHAN, std::slice::from_ref(&edited))
            .unwrap(),
        vec![(edited.id, ImportAction::Unchanged)]
    );
}

/// Whether an error is the one a case expects.
type ExpectedError = fn(&StoreError) -> bool;

#[test]
fn a_refused_import_leaves_the_city_ledger_exactly_as_it_was() {
    let mut jianshan = unit_ledger(JIANSHAN);
    jianshan
        .insert(&firm(1, "建山石墨科技有限公司", "2022-03-01"), CLERK)
        .unwrap();
    let mut baoqing = unit_ledger(BAOQING);
    let theirs = baoqing
        .insert(&firm(9, "宝清大豆科技有限公司", "2022-06-01"), CLERK)
        .unwrap();
    let mut city = city();
    import(&mut city, &bundle(&jianshan, 1)).unwrap();
    import(&mut city, &bundle(&baoqing, 1)).unwrap();

    jianshan
        .insert(&firm(2, "建山煤化工有限公司", "2022-04-01"), CLERK)
        .unwrap();
    let good = bundle(&jianshan, 2);
    let with = |extra: Record| {
        let mut b = good.clone();
        b.records.push(extra);
        b.entry.records += 1;
        b
    };
    let mut invalid = good.records[1].clone();
    invalid.id = Uuid::now_v7();
    invalid
        .fields
        .insert("credit_code".into(), "不是信用代码".into());
    let mut miscounted = good.clone();
    miscounted.entry.records = 1_000_000;
    let cases: Vec<(Bundle, ExpectedError)> = vec![
        (
            with(Record {
                unit: JIANSHAN.into(),
                ..theirs.clone()
            }),
            |e| matches!(e, StoreError::ForeignRecord { held_unit, .. } if held_unit == BAOQING),
        ),
        (with(invalid), |e| {
            matches!(
                e,
                StoreError::ImportRefused {
                    refusal: ImportRefusal::Invalid { .. },
                    ..
                }
            )
        }),
        // A second active record of an entry the city holds: the clash shows only once
        // every record is written, and refuses the whole import.
        (
            with(Record {
                id: Uuid::now_v7(),
                ..good.records[0].clone()
            }),
            |e| {
                matches!(
                    e,
                    StoreError::ImportRefused {
                        refusal: ImportRefusal::DuplicateActive { .. },
                        ..
                    }
                )
            },
        ),
        (miscounted, |e| {
            matches!(
                e,
                StoreError::ImportCountMismatch {
                    declared: 1_000_000,
                    found: 2
                }
            )
        }),
        (bundle(&jianshan, 1), |e| {
            matches!(e, StoreError::AlreadyHeld { .. })
        }),
    ];
    let before = city.content_digest().unwrap();
    for (b, expected) in cases {
        let error = import(&mut city, &b).unwrap_err();
        assert!(expected(&error), "{error:?}");
        assert_eq!(city.content_digest().unwrap(), before, "{error:?}");
        for lang in [Lang::Zh, Lang::En] {
            let message = error.localize(lang);
            assert!(
                message.contains("未导入")
                    || message.contains("not imported")
                    || message.contains("othing was imported")
                    || message.contains("已经导入过")
                    || message.contains("already held"),
                "{message}"
            );
        }
    }
    // The digest does notice a change.
    import(&mut city, &good).unwrap();
    assert_ne!(city.content_digest().unwrap(), before);
}

#[test]
fn a_void_and_re_add_and_a_swap_of_keys_import_without_tripping_the_duplicate_check() {
    let mut unit = unit_ledger(JIANSHAN);
    let first = unit
        .insert(&firm(1, "建山石墨科技有限公司", "2022-03-01"), CLERK)
        .unwrap();
    let a = unit
        .insert(&firm(2, "甲公司", "2022-04-01"), CLERK)
        .unwrap();
    let b = unit
        .insert(&firm(3, "乙公司", "2022-05-01"), CLERK)
        .unwrap();
    let mut city = city();
    import(&mut city, &bundle(&unit, 1)).unwrap();

    // The clerk voids a record and enters the same firm again; and swaps two firms' codes.
    unit.void(first.id, "信息有误，重新录入", None, CLERK)
        .unwrap();
    let again = unit
        .insert(&firm(1, "建山石墨科技有限公司", "2022-03-01"), CLERK)
        .unwrap();
    unit.update(a.id, None, &firm(4, "甲公司", "2022-04-01"), CLERK)
        .unwrap();
    unit.update(b.id, None, &firm(2, "乙公司", "2022-05-01"), CLERK)
        .unwrap();
    unit.update(a.id, None, &firm(3, "甲公司", "2022-04-01"), CLERK)
        .unwrap();
    // Ids sort the new record after the voided one; the city must cope in any order.
    let mut records = snapshot(&unit);
    records.reverse();
    let report = city
        .apply_import(&entry(JIANSHAN, 2, "j2", &records), &records)
        .unwrap();
    assert_eq!(report.counts, counts(1, 2, 0, 1));
    assert_eq!(city.get(again.id).unwrap().status, RecordStatus::Active);
    assert_eq!(city.records_digest().unwrap(), {
        let mut fresh = self::city();
        import(&mut fresh, &bundle(&unit, 1)).unwrap();
        fresh.records_digest().unwrap()
    });
}

#[test]
fn firms_claimed_by_more_than_one_unit_are_listed_with_every_claim() {
    let mut city = city();
    let shared = "双鸭山石墨科技有限公司";
    let mut jianshan = unit_ledger(JIANSHAN);
    jianshan
        .insert(&firm(1, shared, "2022-03-01"), CLERK)
        .unwrap();
    jianshan
        .insert(&firm(2, "建山煤化工有限公司", "2022-04-01"), CLERK)
        .unwrap();
    let mut baoqing = unit_ledger(BAOQING);
    baoqing
        .insert(&firm(1, shared, "2022-09-01"), CLERK)
        .unwrap();
    let dropped = baoqing
        .insert(&firm(2, "宝清煤化工", "2022-04-01"), CLERK)
        .unwrap();
    baoqing.void(dropped.id, "应属建山区", None, CLERK).unwrap();
    let mut youyi = unit_ledger(YOUYI);
    youyi
        .insert(&firm(5, "友谊农机有限公司", "2022-04-01"), CLERK)
        .unwrap();
    for (unit, ledger) in [(JIANSHAN, &jianshan), (BAOQING, &baoqing), (YOUYI, &youyi)] {
        assert_eq!(ledger.unit(), unit);
        import(&mut city, &bundle(ledger, 1)).unwrap();
    }

    let in_2022 = CountWindow::KeyDateBetween {
        from: date(2022, 1, 1),
        to: date(2022, 12, 31),
    };
    let claims = city.claims_in_window(RecordKind::TechSme, in_2022).unwrap();
    assert_eq!(claims.len(), 1, "{claims:?}");
    let claim = &claims[0];
    assert_eq!(
        (claim.kind, claim.credit_code.as_deref()),
        (RecordKind::TechSme, Some(credit_code(1).as_str()))
    );
    let by: Vec<(&str, &str, String, bool)> = claim
        .claims
        .iter()
        .map(|c| {
            (
                c.unit.as_str(),
                c.name.as_str(),
                c.key_date.to_string(),
                c.credited,
            )
        })
        .collect();
    // The code names no claimant's region (230500): the earlier registration is credited.
    assert_eq!(
        by,
        vec![
            (JIANSHAN, shared, "2022-03-01".to_owned(), true),
            (BAOQING, shared, "2022-09-01".to_owned(), false),
        ]
    );
    let before_baoqing = CountWindow::KeyDateBetween {
        from: date(2022, 1, 1),
        to: date(2022, 8, 31),
    };
    assert!(
        city.claims_in_window(RecordKind::TechSme, before_baoqing)
            .unwrap()
            .is_empty(),
        "a claim needs both units to count the firm on the date"
    );
    assert!(
        city.claims_in_window(RecordKind::HighTech, in_2022)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn an_old_unit_ledger_gains_the_sync_tables_and_opens_as_a_unit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    drop(Ledger::create(&path, JIANSHAN, PLAN).unwrap());
    let version: i64 = {
        // Take the file back to the first schema, as an earlier taizhang left it.
        let conn = rusqlite::Connection::open(&path).unwrap();
        let version = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        conn.execute_batch(
            "DROP TABLE exports; DROP TABLE receipts; DROP TABLE unit_keys;
             DROP TABLE key_events; DROP TABLE imports;
             DROP TABLE city_figures; DROP TABLE city_figure_events;
             DROP TABLE count_changes; DROP TABLE count_steps; DROP TABLE record_tallies;
             DROP TABLE shared_entities; DROP TABLE amount_steps; DROP INDEX records_entity;
             DROP TRIGGER IF EXISTS records_counted_insert; DROP TRIGGER records_counted_update;
             DROP TRIGGER records_counted_delete;
             DELETE FROM meta WHERE key = 'count_basis';
             CREATE INDEX records_active_count ON records (kind, unit, count_key, key_date, end_date)
                 WHERE status = 'active';
             DELETE FROM meta WHERE key = 'role'; PRAGMA user_version = 1;",
        )
        .unwrap();
        version
    };
    let mut unit = Ledger::open(&path).unwrap();
    assert_eq!(unit.info().unwrap().schema_version, version);
    assert_eq!(unit.role(), LedgerRole::Unit);
    unit.record_export(&ExportEntry {
        sequence: 1,
        file_name: "taizhang-230503-000001-20230501.tzb".into(),
        sha256: "0".repeat(64),
        records: 0,
        at: at("2023-05-01T08:00:00Z"),
    })
    .unwrap();
    unit.confirm_export(1).unwrap();
    assert_eq!(unit.last_export().unwrap().map(|e| e.sequence), Some(1));
}

#[test]
fn sync_refusals_read_in_both_languages_and_say_what_to_do() {
    let cases: Vec<(StoreError, &str, &str)> = vec![
        (
            StoreError::Rollback {
                unit: JIANSHAN.into(),
                sequence: 3,
                held: 5,
            },
            "第 3 号同步包，比市科技局已导入的第 5 号旧",
            "older than no. 5",
        ),
        (
            StoreError::AlreadyHeld {
                unit: JIANSHAN.into(),
                sequence: 5,
            },
            "已经导入过",
            "already held",
        ),
        (
            StoreError::SequenceReused {
                unit: JIANSHAN.into(),
                sequence: 5,
            },
            "请与该单位联系",
            "check with the unit",
        ),
        (
            StoreError::KeyAlreadyPinned {
                unit: Some(JIANSHAN.into()),
            },
            "--replace",
            "--replace",
        ),
        (
            StoreError::ImportRefused {
                unit: JIANSHAN.into(),
                id: Uuid::nil(),
                name: "恶意\u{1b}[2J\u{202E}公司".into(),
                refusal: ImportRefusal::DuplicateId,
            },
            "整个同步包未导入",
            "Nothing was imported",
        ),
        (
            StoreError::WrongRole {
                role: LedgerRole::Unit,
            },
            "taizhang init --city",
            "taizhang init --city",
        ),
    ];
    for (error, zh, en) in cases {
        let zh_text = error.localize(Lang::Zh);
        let en_text = error.localize(Lang::En);
        assert!(zh_text.contains(zh), "{zh_text}");
        assert!(en_text.contains(en), "{en_text}");
        for text in [&zh_text, &en_text] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{202E}'),
                "{text}"
            );
        }
    }
}
