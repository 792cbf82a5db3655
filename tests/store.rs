//! The ledger file as clerks rely on it: every change kept with its history, stale and
//! duplicate saves refused, files from elsewhere left untouched, counts and lists that stay
//! right at the edges.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

use jiff::civil::Date;
use taizhang::domain::progress::CountWindow;
use taizhang::domain::{
    AuditAction, FieldValues, RecordIndex, RecordKind, RecordStatus, ValidRecord,
};
use taizhang::i18n::{Lang, Localized};
use taizhang::store::{KindCounts, Ledger, ListQuery, StoreError};
use uuid::Uuid;

const UNIT: &str = "230502";
const PLAN: &str = "shuangyashan-2021-2023";
const CLERK: &str = "zhangsan";

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

/// A record of `kind` with every required field filled, as validation would hand it over.
/// `n` makes the entity distinct; `key_date` is the date its counting rule looks at.
fn record(kind: RecordKind, n: usize, key_date: &str) -> ValidRecord {
    let name = format!("双鸭山市第{n}科技有限公司");
    let code = format!("91230500MA1B{n:06}");
    let own: &[(&str, String)] = &match kind {
        RecordKind::TechSme => vec![
            ("credit_code", code.clone()),
            ("reg_no", format!("2023230502A{n:07}")),
        ],
        RecordKind::HighTech => vec![
            ("credit_code", code.clone()),
            ("cert_no", format!("GR2023230{n:05}")),
            ("recognition", "first".into()),
            ("size", "below".into()),
        ],
        RecordKind::RndInstitution => vec![
            ("host", "双鸭山市星火集团".into()),
            ("host_credit_code", code.clone()),
            ("level", "city".into()),
            ("category", "工程技术研究中心".into()),
        ],
        RecordKind::Incubator => vec![
            ("operator", "双鸭山市创业服务中心".into()),
            ("operator_credit_code", code.clone()),
            ("type", "maker_space".into()),
            ("level", "provincial".into()),
        ],
        RecordKind::Alliance => vec![
            ("lead", "黑龙江省煤化工研究院".into()),
            ("lead_credit_code", code.clone()),
            ("level", "city".into()),
        ],
        RecordKind::Achievement => vec![
            ("owner", "黑龙江科技大学".into()),
            ("recipient", "双鸭山市龙煤机械厂".into()),
            ("recipient_credit_code", code.clone()),
            ("mode", "license".into()),
        ],
    };
    let mut fields = FieldValues::new();
    fields.insert(kind.name_field().into(), name.clone());
    fields.insert(kind.key_date_field().into(), key_date.into());
    for (key, value) in own {
        fields.insert((*key).into(), value.clone());
    }
    ValidRecord {
        kind,
        fields,
        index: RecordIndex {
            name,
            credit_code: Some(code.clone()),
            key_date: date(key_date),
            end_date: None,
            dup_key: format!("dup-{n}"),
            count_key: format!("entity-{n}"),
        },
        warnings: Vec::new(),
    }
}

/// The same record with one field changed (and the indexed name, when it is the name).
fn with_field(mut rec: ValidRecord, key: &str, value: &str) -> ValidRecord {
    rec.fields.insert(key.into(), value.into());
    if key == rec.kind.name_field() {
        rec.index.name = value.into();
    }
    rec
}

fn memory() -> Ledger {
    Ledger::create_in_memory(UNIT, PLAN).unwrap()
}

fn ledger_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("ledger.sqlite");
    Ledger::create(&path, UNIT, PLAN).unwrap();
    (dir, path)
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn every_kind_is_added_edited_voided_and_restored_with_its_history() {
    let mut ledger = memory();
    for (n, kind) in RecordKind::ALL.into_iter().enumerate() {
        let original = record(kind, n, "2022-05-10");
        let added = ledger.insert(&original, CLERK).unwrap();
        assert_eq!(added.revision, 1, "{kind:?}");
        assert_eq!(added.status, RecordStatus::Active);
        assert_eq!(added.unit, UNIT);
        assert_eq!(added.fields, original.fields);
        assert_eq!(added.created_by, CLERK);
        assert_eq!(added.id.get_version_num(), 7);
        assert_eq!(ledger.get(added.id).unwrap(), added);

        // The creation is one entry, read from the record itself.
        let created = ledger.history(added.id).unwrap();
        assert_eq!(created.len(), 1);
        assert_eq!(
            (
                created[0].action,
                created[0].revision,
                created[0].at,
                created[0].actor.as_str(),
                &created[0].field,
                &created[0].old,
                &created[0].new,
            ),
            (
                AuditAction::Create,
                1,
                added.created_at,
                CLERK,
                &None,
                &None,
                &None
            )
        );

        let renamed = with_field(
            original.clone(),
            kind.name_field(),
            "双鸭山市新名称有限公司",
        );
        let renamed = with_field(renamed, "notes", "更名");
        let edited = ledger.update(added.id, Some(1), &renamed, "lisi").unwrap();
        assert_eq!(edited.revision, 2);
        assert_eq!(edited.updated_by, "lisi");
        assert_eq!(edited.created_by, CLERK);
        assert_eq!(edited.name(), "双鸭山市新名称有限公司");
        let edits: Vec<_> = ledger.history(added.id).unwrap()[created.len()..].to_vec();
        let changes: Vec<_> = edits
            .iter()
            .map(|e| {
                (
                    e.action,
                    e.revision,
                    e.field.as_deref(),
                    e.old.as_deref(),
                    e.new.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            [
                (
                    AuditAction::Edit,
                    2,
                    Some(kind.name_field()),
                    Some(original.index.name.as_str()),
                    Some("双鸭山市新名称有限公司")
                ),
                (AuditAction::Edit, 2, Some("notes"), None, Some("更名")),
            ],
            "{kind:?}"
        );

        let voided = ledger
            .void(added.id, "  重复录入 ", Some(2), CLERK)
            .unwrap();
        assert_eq!(voided.status, RecordStatus::Voided);
        assert_eq!(voided.revision, 3);
        assert_eq!(voided.void_reason.as_deref(), Some("重复录入"));
        let restored = ledger.restore(added.id, Some(3), CLERK).unwrap();
        assert_eq!(restored.status, RecordStatus::Active);
        assert_eq!(restored.revision, 4);
        assert_eq!(restored.void_reason, None);

        let tail: Vec<_> = ledger.history(added.id).unwrap()[created.len() + 2..]
            .iter()
            .map(|e| (e.action, e.revision, e.old.clone(), e.new.clone()))
            .collect();
        assert_eq!(
            tail,
            [
                (AuditAction::Void, 3, None, Some("重复录入".to_owned())),
                (AuditAction::Restore, 4, Some("重复录入".to_owned()), None),
            ]
        );
    }
}

#[test]
fn an_edit_that_changes_nothing_keeps_the_revision_and_history() {
    let mut ledger = memory();
    let rec = record(RecordKind::HighTech, 1, "2023-02-01");
    let added = ledger.insert(&rec, CLERK).unwrap();
    let history = ledger.history(added.id).unwrap();
    let same = ledger.update(added.id, Some(1), &rec, "lisi").unwrap();
    assert_eq!(same, added);
    assert_eq!(ledger.history(added.id).unwrap(), history);
}

#[test]
fn a_change_based_on_a_stale_revision_is_refused_and_nothing_changes() {
    let mut ledger = memory();
    let rec = record(RecordKind::Incubator, 1, "2022-01-01");
    let id = ledger.insert(&rec, CLERK).unwrap().id;
    let current = ledger
        .update(
            id,
            Some(1),
            &with_field(rec.clone(), "notes", "第一次"),
            CLERK,
        )
        .unwrap();
    let history = ledger.history(id).unwrap();
    let edit = with_field(rec, "notes", "第二次");
    type Change = Box<dyn Fn(&mut Ledger) -> Result<taizhang::domain::Record, StoreError>>;
    let changes: Vec<(&str, Change)> = vec![
        (
            "edit",
            Box::new(move |l| l.update(id, Some(1), &edit, CLERK)),
        ),
        (
            "void",
            Box::new(move |l| l.void(id, "误录", Some(1), CLERK)),
        ),
        ("restore", Box::new(move |l| l.restore(id, Some(1), CLERK))),
    ];
    for (what, change) in changes {
        let error = change(&mut ledger).unwrap_err();
        assert!(error.is_conflict(), "{what}: {error:?}");
        assert!(error.is_user_error());
        assert!(
            matches!(error, StoreError::Conflict { expected: 1, actual: 2, id: ref e } if *e == id),
            "{what}: {error:?}"
        );
        assert_eq!(ledger.get(id).unwrap(), current, "{what}");
        assert_eq!(ledger.history(id).unwrap(), history, "{what}");
    }
}

#[test]
fn changes_that_do_not_fit_the_record_state_are_refused() {
    let mut ledger = memory();
    let rec = record(RecordKind::Alliance, 1, "2021-07-01");
    let id = ledger.insert(&rec, CLERK).unwrap().id;
    let other_kind = record(RecordKind::TechSme, 1, "2021-07-01");
    assert!(matches!(
        ledger.update(id, None, &other_kind, CLERK),
        Err(StoreError::KindMismatch {
            kind: RecordKind::Alliance,
            given: RecordKind::TechSme,
            ..
        })
    ));
    assert!(matches!(
        ledger.restore(id, None, CLERK),
        Err(StoreError::NotVoided { .. })
    ));
    assert!(matches!(
        ledger.void(id, "   ", None, CLERK),
        Err(StoreError::EmptyReason)
    ));
    ledger.void(id, "撤销", None, CLERK).unwrap();
    assert!(matches!(
        ledger.void(id, "再次", None, CLERK),
        Err(StoreError::AlreadyVoided { .. })
    ));
    let edit = with_field(rec, "notes", "x");
    assert!(matches!(
        ledger.update(id, None, &edit, CLERK),
        Err(StoreError::VoidedNotEditable { .. })
    ));
    assert_eq!(ledger.get(id).unwrap().revision, 2);
    let missing = Uuid::now_v7();
    assert!(matches!(
        ledger.get(missing),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        ledger.history(missing),
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        ledger.void(missing, "x", None, CLERK),
        Err(StoreError::NotFound { .. })
    ));
}

/// The texts the ledger keeps beside the fields are held to the limits a bundle reader
/// enforces, where they enter: a change that would make every export fail is refused.
#[test]
fn a_void_reason_or_account_over_its_limit_is_refused_and_nothing_changes() {
    use taizhang::domain::validate::{ACCOUNT_MAX, VOID_REASON_MAX};
    let mut ledger = memory();
    let rec = record(RecordKind::Alliance, 1, "2021-07-01");
    let too_long_account = "a".repeat(ACCOUNT_MAX + 1);
    fn refused<T: std::fmt::Debug>(result: Result<T, StoreError>, field: &str, max: usize) {
        match result {
            Err(StoreError::BadText { issue }) => {
                assert_eq!(issue.field, field);
                assert_eq!(issue.problem, taizhang::domain::Problem::TooLong { max });
            }
            other => panic!("{field}: {other:?}"),
        }
    }
    refused(ledger.insert(&rec, &too_long_account), "actor", ACCOUNT_MAX);
    refused(
        ledger.insert_many(std::slice::from_ref(&rec), &too_long_account),
        "actor",
        ACCOUNT_MAX,
    );
    let id = ledger.insert(&rec, &"a".repeat(ACCOUNT_MAX)).unwrap().id;
    let reason = "撤".repeat(VOID_REASON_MAX + 1);
    refused(
        ledger.void(id, &reason, None, CLERK),
        "void_reason",
        VOID_REASON_MAX,
    );
    refused(
        ledger.void(id, "撤销", None, &too_long_account),
        "actor",
        ACCOUNT_MAX,
    );
    refused(
        ledger.update(
            id,
            None,
            &with_field(rec.clone(), "notes", "x"),
            &too_long_account,
        ),
        "actor",
        ACCOUNT_MAX,
    );
    let kept = ledger.get(id).unwrap();
    assert_eq!((kept.revision, kept.status), (1, RecordStatus::Active));
    ledger
        .void(id, &reason[..reason.len() - "撤".len()], None, CLERK)
        .unwrap();
    refused(
        ledger.restore(id, None, &too_long_account),
        "actor",
        ACCOUNT_MAX,
    );
    assert_eq!(ledger.get(id).unwrap().status, RecordStatus::Voided);
}

#[test]
fn the_same_entity_cannot_be_active_twice_but_a_voided_one_does_not_block() {
    let mut ledger = memory();
    let first = ledger
        .insert(&record(RecordKind::TechSme, 1, "2023-03-01"), CLERK)
        .unwrap();
    let mut again = record(RecordKind::TechSme, 2, "2023-04-01");
    again.index.dup_key = "dup-1".into();
    match ledger.insert(&again, CLERK) {
        Err(StoreError::Duplicate {
            existing_id,
            existing_name,
            kind,
        }) => {
            assert_eq!(existing_id, first.id);
            assert_eq!(existing_name, first.name());
            assert_eq!(kind, RecordKind::TechSme);
        }
        other => panic!("expected a duplicate, got {other:?}"),
    }
    // Another kind may use the same key.
    let mut other_kind = record(RecordKind::HighTech, 2, "2023-04-01");
    other_kind.index.dup_key = "dup-1".into();
    ledger.insert(&other_kind, CLERK).unwrap();
    // Editing another record into the duplicate is refused too.
    let third = ledger
        .insert(&record(RecordKind::TechSme, 3, "2023-05-01"), CLERK)
        .unwrap();
    let mut clash = record(RecordKind::TechSme, 3, "2023-05-01");
    clash.index.dup_key = "dup-1".into();
    assert!(matches!(
        ledger.update(third.id, None, &with_field(clash, "notes", "改"), CLERK),
        Err(StoreError::Duplicate { existing_id, .. }) if existing_id == first.id
    ));
    assert_eq!(ledger.get(third.id).unwrap(), third);

    ledger.void(first.id, "录错了", None, CLERK).unwrap();
    let second = ledger.insert(&again, CLERK).unwrap();
    assert!(matches!(
        ledger.restore(first.id, None, CLERK),
        Err(StoreError::Duplicate { existing_id, .. }) if existing_id == second.id
    ));
    assert_eq!(ledger.get(first.id).unwrap().status, RecordStatus::Voided);
}

#[test]
fn two_clerks_saving_the_same_entity_at_once_cannot_both_win() {
    let (_dir, path) = ledger_file();
    let barrier = Arc::new(Barrier::new(2));
    let clerks: Vec<_> = (0..2)
        .map(|_| {
            let path = path.clone();
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                let mut ledger = Ledger::open(&path).unwrap();
                barrier.wait();
                ledger.insert(&record(RecordKind::HighTech, 7, "2022-09-09"), CLERK)
            })
        })
        .collect();
    let results: Vec<_> = clerks.into_iter().map(|c| c.join().unwrap()).collect();
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(StoreError::Duplicate { .. })))
    );
}

#[test]
fn a_batch_with_a_duplicate_saves_nothing() {
    let mut ledger = memory();
    let batch = vec![
        record(RecordKind::Achievement, 1, "2022-01-01"),
        record(RecordKind::Achievement, 2, "2022-01-02"),
        record(RecordKind::Achievement, 1, "2022-01-03"),
    ];
    assert!(matches!(
        ledger.insert_many(&batch, CLERK),
        Err(StoreError::Duplicate { .. })
    ));
    assert_eq!(ledger.count_matching(&ListQuery::default()).unwrap(), 0);
    assert_eq!(ledger.insert_many(&batch[..2], CLERK).unwrap(), 2);
    assert_eq!(ledger.count_matching(&ListQuery::default()).unwrap(), 2);
}

#[test]
fn a_new_ledger_file_is_private_to_owner_and_group_and_knows_its_unit() {
    let (_dir, path) = ledger_file();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o660);
    }
    let mut ledger = Ledger::open(&path).unwrap();
    ledger
        .insert(&record(RecordKind::TechSme, 1, "2023-01-01"), CLERK)
        .unwrap();
    #[cfg(unix)]
    for suffix in ["-wal", "-shm"] {
        use std::os::unix::fs::PermissionsExt;
        let mut side = path.clone().into_os_string();
        side.push(suffix);
        let mode = std::fs::metadata(&side).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o660, "{suffix}");
    }
    let info = ledger.info().unwrap();
    assert_eq!((info.unit.as_str(), info.plan_id.as_str()), (UNIT, PLAN));
    assert!(info.schema_version >= 1);
    assert_eq!(ledger.unit(), UNIT);
    assert_eq!(ledger.path(), Some(path.as_path()));
}

#[test]
fn a_second_create_is_refused_and_leaves_the_ledger_alone() {
    let (_dir, path) = ledger_file();
    let mut ledger = Ledger::open(&path).unwrap();
    ledger
        .insert(&record(RecordKind::TechSme, 1, "2021-06-01"), CLERK)
        .unwrap();
    drop(ledger);
    let before = bytes(&path);
    match Ledger::create(&path, "230521", PLAN) {
        Err(StoreError::AlreadyInitialized { unit, .. }) => assert_eq!(unit, UNIT),
        other => panic!("expected a refusal, got {:?}", other.err()),
    }
    assert_eq!(bytes(&path), before);
    assert_eq!(Ledger::open(&path).unwrap().unit(), UNIT);
}

fn schema_of(path: &Path) -> (i64, Vec<String>) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let version = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let mut stmt = conn
        .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
        .unwrap();
    let sql = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (version, sql)
}

#[test]
fn migrations_build_a_fresh_file_and_reopening_changes_nothing() {
    let (_dir, path) = ledger_file();
    let (version, schema) = schema_of(&path);
    assert!(version >= 1);
    let tables = [
        "CREATE TABLE records",
        "CREATE TABLE record_changes",
        "CREATE TABLE meta",
    ];
    for table in tables {
        assert!(schema.iter().any(|s| s.starts_with(table)), "{table}");
    }
    assert!(
        !schema.iter().any(|s| s.starts_with("CREATE TABLE audit")),
        "the per-field audit is gone"
    );
    for _ in 0..2 {
        let ledger = Ledger::open(&path).unwrap();
        assert_eq!(ledger.info().unwrap().schema_version, version);
        drop(ledger);
        assert_eq!(schema_of(&path), (version, schema.clone()));
    }
}

#[test]
fn a_ledger_from_a_newer_taizhang_is_refused_byte_for_byte_untouched() {
    let (_dir, path) = ledger_file();
    let (version, _) = schema_of(&path);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", version + 1)
            .unwrap();
    }
    let before = bytes(&path);
    match Ledger::open(&path) {
        Err(StoreError::NewerSchema { found, supported }) => {
            assert_eq!((found, supported), (version + 1, version));
        }
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
    assert!(matches!(
        Ledger::create(&path, UNIT, PLAN),
        Err(StoreError::AlreadyInitialized { .. })
    ));
    assert_eq!(bytes(&path), before);
}

#[test]
fn files_that_are_not_ledgers_are_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "这不是台账\n".repeat(100)).unwrap();
    let foreign = dir.path().join("other-app.sqlite");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
        .unwrap();
    for path in [&text, &foreign] {
        let before = bytes(path);
        assert!(
            matches!(Ledger::open(path), Err(StoreError::NotALedger { .. })),
            "{path:?}"
        );
        assert!(
            matches!(
                Ledger::create(path, UNIT, PLAN),
                Err(StoreError::NotALedger { .. })
            ),
            "{path:?}"
        );
        assert_eq!(bytes(path), before, "{path:?}");
    }
    assert!(matches!(
        Ledger::open(dir.path()),
        Err(StoreError::LedgerPathIsFolder { .. })
    ));
    let missing = dir.path().join("missing.sqlite");
    assert!(matches!(
        Ledger::open(&missing),
        Err(StoreError::NoLedger { .. })
    ));
    assert!(!missing.exists());
}

/// Files beside `path` in its folder, sorted.
fn folder_of(path: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_new_ledger_appears_whole_with_nothing_left_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    // A `-wal` left without its database would be replayed into the new ledger.
    std::fs::write(dir.path().join("ledger.sqlite-wal"), vec![7u8; 4096]).unwrap();
    let ledger = Ledger::create(&path, UNIT, PLAN).unwrap();
    drop(ledger);
    assert_eq!(folder_of(&path), vec!["ledger.sqlite".to_string()]);
    let mut ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.unit(), UNIT);
    ledger
        .insert(&record(RecordKind::TechSme, 1, "2022-01-01"), CLERK)
        .unwrap();
}

#[test]
fn stale_init_temp_files_are_removed_and_fresh_ones_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(".taizhang-init-00000000deadbeef.tmp");
    let stale_wal = dir.path().join(".taizhang-init-00000000deadbeef.tmp-wal");
    let fresh = dir.path().join(".taizhang-init-00000000cafebabe.tmp");
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for path in [&stale, &stale_wal, &fresh] {
        std::fs::write(path, b"half a ledger").unwrap();
    }
    for path in [&stale, &stale_wal] {
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
    }
    Ledger::create(&dir.path().join("ledger.sqlite"), UNIT, PLAN).unwrap();
    assert!(!stale.exists() && !stale_wal.exists());
    assert!(fresh.exists(), "another init in progress is left alone");
}

/// Turns a complete ledger file into one an interrupted `init` of an older taizhang left.
fn unfinish(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn an_unfinished_ledger_is_named_as_such_and_init_replaces_it() {
    let cases = [
        ("an empty file", None),
        ("schema without identity", Some("DELETE FROM meta;")),
        (
            "the first migration only",
            Some(
                "DELETE FROM meta; DROP TABLE exports; DROP TABLE receipts;
                 DROP TABLE unit_keys; DROP TABLE key_events; DROP TABLE imports;
                 DROP TABLE city_figures; DROP TABLE city_figure_events;
                 DROP TABLE plan_events; PRAGMA user_version = 1;",
            ),
        ),
    ];
    for (what, sql) in cases {
        let (_dir, path) = ledger_file();
        match sql {
            Some(sql) => unfinish(&path, sql),
            None => std::fs::write(&path, b"").unwrap(),
        }
        let err = Ledger::open(&path).err();
        assert!(
            matches!(err, Some(StoreError::UnfinishedLedger { .. })),
            "{what}: {err:?}"
        );
        let message = err.map(|e| e.localize(Lang::Zh)).unwrap_or_default();
        assert!(
            message.contains("没有建完") && message.contains("taizhang init"),
            "{what}: {message}"
        );
        assert!(taizhang::store::is_unfinished_ledger(&path), "{what}");

        let ledger = Ledger::create(&path, "230503", PLAN).unwrap();
        assert_eq!(ledger.unit(), "230503", "{what}");
        drop(ledger);
        assert_eq!(Ledger::open(&path).unwrap().unit(), "230503", "{what}");
        assert_eq!(
            folder_of(&path),
            vec!["ledger.sqlite".to_string()],
            "{what}"
        );
    }
}

#[test]
fn a_ledger_without_identity_but_with_records_is_never_replaced() {
    let (_dir, path) = ledger_file();
    Ledger::open(&path)
        .unwrap()
        .insert(&record(RecordKind::TechSme, 1, "2022-01-01"), CLERK)
        .unwrap();
    unfinish(&path, "DELETE FROM meta WHERE key = 'unit';");
    let before = bytes(&path);
    assert!(!taizhang::store::is_unfinished_ledger(&path));
    assert!(matches!(
        Ledger::open(&path),
        Err(StoreError::NotALedger { .. })
    ));
    assert!(matches!(
        Ledger::create(&path, UNIT, PLAN),
        Err(StoreError::NotALedger { .. })
    ));
    assert_eq!(bytes(&path), before);
}

#[test]
fn counts_honour_the_window_edges_distinct_entities_units_and_voids() {
    let mut ledger = memory();
    let sme = |n: usize, on: &str| record(RecordKind::TechSme, n, on);
    let mut same_entity = sme(5, "2023-06-01");
    same_entity.index.count_key = "entity-4".into();
    let voided = ledger.insert(&sme(6, "2023-07-01"), CLERK).unwrap();
    ledger.void(voided.id, "误录", None, CLERK).unwrap();
    for rec in [
        sme(1, "2022-12-31"),
        sme(2, "2023-01-01"),
        sme(3, "2023-12-31"),
        sme(4, "2023-06-01"),
        same_entity,
        sme(7, "2024-01-01"),
    ] {
        ledger.insert(&rec, CLERK).unwrap();
    }
    let mut cert = record(RecordKind::HighTech, 8, "2021-03-01");
    cert.index.end_date = Some(date("2024-03-01"));
    ledger.insert(&cert, CLERK).unwrap();
    ledger
        .insert(&record(RecordKind::HighTech, 9, "2022-01-01"), CLERK)
        .unwrap();

    let year = |from: &str, to: &str| CountWindow::KeyDateBetween {
        from: date(from),
        to: date(to),
    };
    let on = |d: &str| CountWindow::ActiveOn { on: date(d) };
    let cases = [
        (
            RecordKind::TechSme,
            Some(UNIT),
            year("2023-01-01", "2023-12-31"),
            3,
        ),
        (
            RecordKind::TechSme,
            None,
            year("2023-01-01", "2023-12-31"),
            3,
        ),
        (
            RecordKind::TechSme,
            Some("230521"),
            year("2023-01-01", "2023-12-31"),
            0,
        ),
        (
            RecordKind::TechSme,
            Some(UNIT),
            year("2022-01-01", "2022-12-31"),
            1,
        ),
        (
            RecordKind::TechSme,
            Some(UNIT),
            year("2023-01-02", "2023-12-30"),
            1,
        ),
        (
            RecordKind::TechSme,
            Some(UNIT),
            year("2021-01-01", "2023-12-31"),
            4,
        ),
        (RecordKind::HighTech, Some(UNIT), on("2021-02-28"), 0),
        (RecordKind::HighTech, Some(UNIT), on("2021-03-01"), 1),
        (RecordKind::HighTech, Some(UNIT), on("2024-02-29"), 2),
        (RecordKind::HighTech, Some(UNIT), on("2024-03-01"), 1),
        (RecordKind::Alliance, Some(UNIT), on("2024-03-01"), 0),
    ];
    for (kind, unit, window, expected) in cases {
        assert_eq!(
            ledger.count_distinct(unit, kind, window).unwrap(),
            expected,
            "{kind:?} {unit:?} {window:?}"
        );
    }
}

#[test]
fn a_recount_reads_only_the_entity_index() {
    let ledger = memory();
    let windows = [
        CountWindow::KeyDateBetween {
            from: date("2023-01-01"),
            to: date("2023-12-31"),
        },
        CountWindow::ActiveOn {
            on: date("2023-06-30"),
        },
    ];
    for window in windows {
        for unit in [Some(UNIT), None] {
            let plan = ledger
                .count_distinct_plan(unit, RecordKind::HighTech, window)
                .unwrap()
                .join("\n");
            assert!(
                plan.contains("USING COVERING INDEX records_entity"),
                "{unit:?} {window:?}: {plan}"
            );
        }
    }
}

#[test]
fn paging_through_a_list_shows_every_active_record_exactly_once_newest_first() {
    let mut ledger = memory();
    let mut batch = Vec::new();
    for n in 0..95 {
        let kind = RecordKind::ALL[n % 6];
        // Few distinct dates, so many records share a key date across page breaks.
        batch.push(record(kind, n, &format!("2022-0{}-1{}", 1 + n % 3, n % 2)));
    }
    ledger.insert_many(&batch, CLERK).unwrap();
    let first_page = ledger
        .list(&ListQuery {
            limit: 10,
            ..ListQuery::default()
        })
        .unwrap();
    for rec in first_page.records.iter().step_by(3) {
        ledger.void(rec.id, "测试作废", None, CLERK).unwrap();
    }
    let voided = first_page.records.iter().step_by(3).count();
    let voided_alliances = first_page
        .records
        .iter()
        .step_by(3)
        .filter(|r| r.kind == RecordKind::Alliance)
        .count();

    let cases = [
        (None, false, 95 - voided),
        (None, true, 95),
        (Some(RecordKind::Alliance), false, 16 - voided_alliances),
        (Some(RecordKind::Alliance), true, 16),
    ];
    for (kind, include_voided, expected) in cases {
        let mut query = ListQuery {
            kind,
            include_voided,
            limit: 7,
            ..ListQuery::default()
        };
        let mut seen = Vec::new();
        loop {
            let page = ledger.list(&query).unwrap();
            assert!(page.records.len() <= 7);
            seen.extend(page.records);
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        let label = format!("{kind:?} voided={include_voided}");
        assert_eq!(seen.len(), expected, "{label}");
        let mut ids: Vec<_> = seen.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), expected, "{label}: a record shown twice");
        assert!(
            seen.iter().all(|r| kind.is_none_or(|k| r.kind == k)),
            "{label}"
        );
        assert!(
            seen.iter()
                .all(|r| include_voided || r.status == RecordStatus::Active),
            "{label}"
        );
        let order: Vec<_> = seen
            .iter()
            .map(|r| (r.fields[r.kind.key_date_field()].clone(), r.id))
            .collect();
        let mut sorted = order.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(order, sorted, "{label}: not newest first");
        query.after = None;
        assert_eq!(
            ledger.count_matching(&query).unwrap(),
            expected as u64,
            "{label}"
        );
    }
}

#[test]
fn search_finds_chinese_names_and_credit_codes_case_insensitively() {
    let mut ledger = memory();
    let names = [
        "双鸭山市星火科技有限公司",
        "宝清县绿源农业发展有限公司",
        "饶河县100%绿色食品厂",
        "ABC新材料有限公司",
    ];
    for (n, name) in names.iter().enumerate() {
        let rec = with_field(record(RecordKind::TechSme, n, "2023-01-01"), "name", name);
        ledger.insert(&rec, CLERK).unwrap();
    }
    let cases: [(&str, &[&str]); 8] = [
        ("星火", &["双鸭山市星火科技有限公司"]),
        ("有限公司", &[names[0], names[1], names[3]]),
        ("abc", &["ABC新材料有限公司"]),
        ("ＡＢＣ", &["ABC新材料有限公司"]),
        ("91230500ma1b000001", &["宝清县绿源农业发展有限公司"]),
        ("%", &["饶河县100%绿色食品厂"]),
        ("_", &[]),
        ("黑河", &[]),
    ];
    for (search, expected) in cases {
        let query = ListQuery {
            search: Some(search.into()),
            limit: 50,
            ..ListQuery::default()
        };
        let mut found: Vec<_> = ledger
            .list(&query)
            .unwrap()
            .records
            .iter()
            .map(|r| r.name().to_owned())
            .collect();
        found.sort();
        let mut expected: Vec<_> = expected.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(found, expected, "search {search:?}");
        assert_eq!(
            ledger.count_matching(&query).unwrap(),
            expected.len() as u64
        );
    }
}

#[test]
fn ids_resolve_from_full_text_prefixes_and_suffixes() {
    let mut ledger = memory();
    let batch: Vec<_> = (0..5)
        .map(|n| record(RecordKind::Incubator, n, "2022-02-02"))
        .collect();
    ledger.insert_many(&batch, CLERK).unwrap();
    let all = ledger
        .list(&ListQuery {
            limit: 10,
            ..ListQuery::default()
        })
        .unwrap()
        .records;
    let id = all[0].id;
    let full = id.to_string();
    let simple = id.simple().to_string();
    let accepted = [
        full.clone(),
        full.to_uppercase(),
        format!("  {full} "),
        simple.clone(),
        simple[..24].to_owned(),
        full[..28].to_owned(),
        simple[20..].to_owned(),
        simple[14..].to_owned(),
        full[20..].to_owned(),
    ];
    for text in accepted {
        assert_eq!(ledger.resolve_id(&text).unwrap(), id, "{text:?}");
    }
    let refused = [
        "",
        "abc",
        "zzzzzzzz",
        &Uuid::now_v7().to_string(),
        "ffffffff",
    ];
    for text in refused {
        assert!(
            matches!(ledger.resolve_id(text), Err(StoreError::NotFound { .. })),
            "{text:?}"
        );
    }
    // Ids made close together in time share their first digits.
    match ledger.resolve_id(&simple[..6]) {
        Err(StoreError::AmbiguousId { count, .. }) => assert_eq!(count, 5),
        other => panic!("expected an ambiguous id, got {other:?}"),
    }
}

#[test]
fn kind_counts_cover_all_six_kinds_in_order() {
    let mut ledger = memory();
    for n in 0..4 {
        ledger
            .insert(&record(RecordKind::Alliance, n, "2022-03-03"), CLERK)
            .unwrap();
    }
    let high_tech = ledger
        .insert(&record(RecordKind::HighTech, 9, "2022-03-03"), CLERK)
        .unwrap();
    ledger.void(high_tech.id, "证书撤销", None, CLERK).unwrap();
    let counts = ledger.kind_counts().unwrap();
    let expected: Vec<_> = RecordKind::ALL
        .into_iter()
        .map(|kind| KindCounts {
            kind,
            active: if kind == RecordKind::Alliance { 4 } else { 0 },
            voided: u64::from(kind == RecordKind::HighTech),
        })
        .collect();
    assert_eq!(counts, expected);
}

#[test]
fn another_clerks_save_is_visible_through_data_version() {
    let (_dir, path) = ledger_file();
    let watcher = Ledger::open(&path).unwrap();
    let mut writer = Ledger::open(&path).unwrap();
    let before = watcher.data_version().unwrap();
    assert_eq!(watcher.data_version().unwrap(), before);
    let rec = writer
        .insert(&record(RecordKind::TechSme, 1, "2023-01-05"), CLERK)
        .unwrap();
    assert_ne!(watcher.data_version().unwrap(), before);
    assert_eq!(watcher.get(rec.id).unwrap(), rec);
}

#[test]
fn meta_values_are_kept_across_reopening() {
    let (_dir, path) = ledger_file();
    let mut ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.meta_get("export_seq").unwrap(), None);
    ledger.meta_set("export_seq", "1").unwrap();
    ledger.meta_set("export_seq", "2").unwrap();
    drop(ledger);
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.meta_get("export_seq").unwrap().as_deref(), Some("2"));
    assert_eq!(ledger.meta_get("unit").unwrap().as_deref(), Some(UNIT));
}

#[test]
fn refusals_are_user_errors_and_only_conflicts_are_conflicts() {
    let id = Uuid::nil();
    let cases = [
        (StoreError::EmptyReason, true, false),
        (StoreError::NotVoided { id }, true, false),
        (
            StoreError::Conflict {
                id,
                expected: 1,
                actual: 2,
            },
            true,
            true,
        ),
        (
            StoreError::Io {
                path: PathBuf::from("/x"),
                source: std::io::Error::other("disk"),
            },
            false,
            false,
        ),
        (
            StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows),
            false,
            false,
        ),
    ];
    for (error, user, conflict) in cases {
        assert_eq!(error.is_user_error(), user, "{error:?}");
        assert_eq!(error.is_conflict(), conflict, "{error:?}");
    }
}

/// An incubator as an earlier version stored it: its keys made by the old rule, which kept
/// soft hyphens, Hangul fillers and tag characters in the name.
fn stored_before_the_text_policy(n: usize, name: &str) -> ValidRecord {
    let mut rec = with_field(record(RecordKind::Incubator, n, "2022-05-01"), "name", name);
    let old_key: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    rec.index.dup_key = format!("{old_key}|provincial");
    rec.index.count_key = old_key;
    rec
}

#[test]
fn a_ledger_from_before_the_text_policy_is_reindexed_keeping_every_record() {
    let (_dir, path) = ledger_file();
    let mut ledger = Ledger::open(&path).unwrap();
    let names = [
        "双鸭山市众创空间",
        "双鸭山市\u{AD}众创空间",
        "宝清县\u{3164}孵化器",
        "宝清县孵化器",
        "集贤县星创天地",
    ];
    let ids: Vec<Uuid> = names
        .iter()
        .enumerate()
        .map(|(n, name)| {
            ledger
                .insert(&stored_before_the_text_policy(n, name), CLERK)
                .unwrap()
                .id
        })
        .collect();
    let voided = ledger
        .insert(
            &stored_before_the_text_policy(9, "宝清县孵化器\u{E0041}"),
            CLERK,
        )
        .unwrap();
    ledger.void(voided.id, "重复录入", Some(1), CLERK).unwrap();
    let on = CountWindow::ActiveOn {
        on: date("2023-12-31"),
    };
    assert_eq!(
        ledger
            .count_distinct(Some(UNIT), RecordKind::Incubator, on)
            .unwrap(),
        5,
        "the old keys count look-alikes apart"
    );
    ledger.meta_set("text_policy", "0").unwrap();
    drop(ledger);

    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(
        ledger.meta_get("text_policy").unwrap().as_deref(),
        Some("1")
    );
    assert_eq!(
        ledger
            .count_distinct(Some(UNIT), RecordKind::Incubator, on)
            .unwrap(),
        3,
        "each look-alike pair counts once"
    );
    let active = ledger
        .list(&ListQuery {
            limit: 100,
            ..ListQuery::default()
        })
        .unwrap()
        .records;
    assert_eq!(active.len(), 5, "nothing voided or lost");
    let pairs: Vec<(Uuid, Uuid)> = ledger
        .look_alike_pairs()
        .unwrap()
        .iter()
        .map(|(earlier, later)| (earlier.id, later.id))
        .collect();
    assert_eq!(pairs, vec![(ids[0], ids[1]), (ids[2], ids[3])]);
    let found = ledger
        .list(&ListQuery {
            search: Some("宝清县孵化器".into()),
            include_voided: true,
            limit: 100,
            ..ListQuery::default()
        })
        .unwrap()
        .records;
    assert_eq!(found.len(), 3, "search ignores the invisible characters");
    drop(ledger);

    // Opening again changes nothing.
    let mut ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.look_alike_pairs().unwrap().len(), 2);
    // Saving the later one again is refused as a duplicate: the clerk voids one of them.
    let later = ledger.get(ids[1]).unwrap();
    let mut fields = later.fields.clone();
    fields.remove("operator_credit_code");
    let valid = taizhang::domain::validate::validate_record(later.kind, &fields).unwrap();
    assert!(matches!(
        ledger.update(later.id, Some(later.revision), &valid, CLERK),
        Err(StoreError::Duplicate { existing_id, .. }) if existing_id == ids[0]
    ));
    ledger.void(ids[1], "与前一条重复", None, CLERK).unwrap();
    let left: Vec<(Uuid, Uuid)> = ledger
        .look_alike_pairs()
        .unwrap()
        .iter()
        .map(|(earlier, later)| (earlier.id, later.id))
        .collect();
    assert_eq!(left, vec![(ids[2], ids[3])]);
    assert_eq!(
        ledger
            .count_distinct(Some(UNIT), RecordKind::Incubator, on)
            .unwrap(),
        3
    );
}

#[test]
fn adopting_a_plan_changes_no_record_and_is_recorded_once() {
    use taizhang::store::{AdoptOutcome, StoredPlan};
    let mut ledger = Ledger::create_in_memory(UNIT, PLAN).unwrap();
    ledger
        .insert(&record(RecordKind::HighTech, 1, "2022-03-15"), CLERK)
        .unwrap();
    let digest = ledger.records_digest().unwrap();
    assert_eq!(ledger.stored_plan().unwrap(), None);
    let at = jiff::Timestamp::from_second(1_767_225_600).unwrap();
    let text = "id = \"sys-2024-2026\"\n";
    assert_eq!(
        ledger
            .adopt_plan("sys-2024-2026", text, "next.toml", CLERK, at)
            .unwrap(),
        AdoptOutcome::Adopted {
            old_plan_id: PLAN.into()
        }
    );
    assert_eq!(ledger.info().unwrap().plan_id, "sys-2024-2026");
    assert_eq!(
        ledger.stored_plan().unwrap(),
        Some(StoredPlan {
            plan_id: "sys-2024-2026".into(),
            text: text.into(),
            source: "next.toml".into(),
        })
    );
    assert_eq!(
        ledger
            .adopt_plan("sys-2024-2026", text, "again.toml", CLERK, at)
            .unwrap(),
        AdoptOutcome::AlreadyInForce
    );
    let events = ledger.plan_events().unwrap();
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(
        (
            event.old_plan_id.as_str(),
            event.new_plan_id.as_str(),
            event.actor.as_str(),
            event.at
        ),
        (PLAN, "sys-2024-2026", CLERK, at)
    );
    assert_eq!(event.sha256.len(), 64);
    assert_eq!(ledger.records_digest().unwrap(), digest);
}

#[test]
fn a_ledger_of_schema_2_gains_the_plan_history_when_opened() {
    let (_dir, path) = ledger_file();
    {
        let mut ledger = Ledger::open(&path).unwrap();
        ledger
            .insert(&record(RecordKind::Incubator, 1, "2022-05-01"), CLERK)
            .unwrap();
    }
    let digest = Ledger::open(&path).unwrap().records_digest().unwrap();
    {
        // Back to the file a taizhang of schema 2 wrote.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TABLE plan_events; DROP TABLE city_figures; DROP TABLE city_figure_events;
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let mut ledger = Ledger::open(&path).unwrap();
    assert!(ledger.info().unwrap().schema_version >= 4);
    assert_eq!(ledger.plan_events().unwrap(), vec![]);
    assert_eq!(ledger.records_digest().unwrap(), digest);
    let at = jiff::Timestamp::from_second(1_767_225_600).unwrap();
    ledger
        .adopt_plan("sys-2024-2026", "text", "next.toml", CLERK, at)
        .unwrap();
    assert_eq!(ledger.plan_events().unwrap().len(), 1);
}

/// Every record whose folded name or code holds the folded search, newest first, as a clerk
/// would pick them out by eye.
fn found_by_eye(all: &[(String, String, Option<String>, Uuid)], search: &str) -> Vec<Uuid> {
    let fold = |t: &str| t.to_lowercase();
    let mut hits: Vec<&(String, String, Option<String>, Uuid)> = all
        .iter()
        .filter(|(_, name, code, _)| {
            fold(name).contains(&fold(search))
                || code
                    .as_deref()
                    .is_some_and(|c| fold(c).contains(&fold(search)))
        })
        .collect();
    hits.sort_by(|a, b| (&b.0, b.3).cmp(&(&a.0, a.3)));
    hits.into_iter().map(|h| h.3).collect()
}

#[test]
fn searches_find_exactly_the_records_holding_the_text_rare_or_common_short_or_long() {
    let mut ledger = memory();
    let mut batch = Vec::new();
    for n in 0..2300 {
        let kind = RecordKind::ALL[n % 6];
        let day = format!("2022-{:02}-{:02}", 1 + n % 12, 1 + n % 28);
        let mut rec = record(kind, n, &day);
        // A few names hold every three-character piece of 有限公司科技 but not the whole.
        let name = match n % 500 {
            7 => format!("双鸭山公司科技园第{n}有限公司"),
            11 => format!("宝清县有限公第{n}限公司科技部"),
            _ => rec.index.name.clone(),
        };
        rec = with_field(rec, kind.name_field(), &name);
        batch.push(rec);
    }
    ledger.insert_many(&batch, CLERK).unwrap();
    let all: Vec<(String, String, Option<String>, Uuid)> = ledger
        .list(&ListQuery::default())
        .unwrap()
        .records
        .iter()
        .map(|r| {
            let name = r.fields[r.kind.name_field()].clone();
            let day = r.fields[r.kind.key_date_field()].clone();
            let code = batch
                .iter()
                .find(|v| v.index.name == name)
                .and_then(|v| v.index.credit_code.clone());
            (day, name, code, r.id)
        })
        .collect();
    for search in [
        "有限公司科技", // pieces everywhere, the whole in a few: checked, not trusted
        "第1234科技",   // one record, through the index
        "科技有限公司", // most records: walks the list instead
        "第12",         // three characters, common
        "宝清",         // two characters, rare: the pieces that begin with them
        "丙丁",         // two characters, nowhere
        "园",           // one character, rare
        "77",           // two characters in many codes: walks the list
        "MA1B000777",   // part of a credit code, any case
        "不存在的名称", // nothing
    ] {
        let want = found_by_eye(&all, search);
        let mut got = Vec::new();
        let mut after = None;
        loop {
            let page = ledger
                .list(&ListQuery {
                    search: Some(search.into()),
                    limit: 40,
                    after: after.clone(),
                    ..ListQuery::default()
                })
                .unwrap();
            got.extend(page.records.iter().map(|r| r.id));
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(got, want, "{search}");
        let counted = ledger
            .count_matching(&ListQuery {
                search: Some(search.into()),
                ..ListQuery::default()
            })
            .unwrap();
        assert_eq!(counted, want.len() as u64, "{search}");
    }
    assert_eq!(found_by_eye(&all, "有限公司科技").len(), 0);
    assert_eq!(found_by_eye(&all, "第1234科技").len(), 1);
}

#[test]
fn a_ledger_of_schema_14_gets_the_slim_firm_index_and_its_firm_pages_read_the_same() {
    let (_dir, path) = ledger_file();
    let mut ledger = Ledger::open(&path).unwrap();
    for (n, kind) in [
        (7, RecordKind::RndInstitution),
        (8, RecordKind::Incubator),
        (9, RecordKind::Alliance),
    ] {
        ledger
            .insert(&record(kind, n, "2022-05-01"), CLERK)
            .unwrap();
    }
    // The same firm hosts an institution, runs an incubator and receives an achievement.
    let code = "91230500MA1B000007";
    for (n, kind) in [(10, RecordKind::Incubator), (11, RecordKind::Achievement)] {
        let linked = record(kind, n, "2022-06-01");
        let field = match kind {
            RecordKind::Incubator => "operator_credit_code",
            _ => "recipient_credit_code",
        };
        let mut linked = with_field(linked, field, code);
        linked.index.credit_code = Some(code.into());
        ledger.insert(&linked, CLERK).unwrap();
    }
    let names = |ledger: &Ledger| {
        let mut names: Vec<String> = ledger
            .firm_records(code)
            .unwrap()
            .into_iter()
            .map(|r| r.record.name().to_owned())
            .collect();
        names.sort();
        names
    };
    let before = names(&ledger);
    assert_eq!(before.len(), 3, "{before:?}");
    let upgradable = ledger
        .upgrade_candidates(RecordKind::Incubator, code, None, 5)
        .unwrap();
    assert_eq!(upgradable.len(), 1);
    drop(ledger);
    let (latest, _) = schema_of(&path);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP INDEX records_firm_links;
             CREATE INDEX records_firm_links ON records (credit_code, kind, unit)
                 WHERE status = 'active' AND credit_code IS NOT NULL
                   AND kind IN ('rnd_institution', 'incubator', 'alliance', 'achievement');
             PRAGMA user_version = 14;",
        )
        .unwrap();
    }
    let ledger = Ledger::open(&path).unwrap();
    let (version, schema) = schema_of(&path);
    assert_eq!(version, latest);
    let index = schema
        .iter()
        .find(|sql| sql.contains("INDEX records_firm_links"))
        .unwrap();
    assert!(index.contains("ON records (credit_code)"), "{index}");
    assert_eq!(names(&ledger), before);
    let again = ledger
        .upgrade_candidates(RecordKind::Incubator, code, None, 5)
        .unwrap();
    assert_eq!(again, upgradable);
}
