//! A record's history kept as one row per change: a creation writes none, an edit one row
//! naming every field it changed, and a ledger that kept one `audit` row per field is
//! converted when it is opened.

mod bundle_common;

use std::path::{Path, PathBuf};

use bundle_common::{CLERK, PLAN, seed, ts, valid};
use jiff::Timestamp;
use rusqlite::{Connection, params};
use taizhang::domain::validate::validate_record;
use taizhang::domain::{AuditAction, AuditEntry, RecordKind};
use taizhang::store::{CheckDepth, Ledger, check_ledger};
use uuid::Uuid;

const UNIT: &str = "230521";

/// The schema version before the history was kept one row per change.
const PER_FIELD_AUDIT_VERSION: i64 = 7;

fn ledger_file(dir: &Path) -> PathBuf {
    let path = dir.join("ledger.sqlite");
    let mut ledger = Ledger::create(&path, UNIT, PLAN).unwrap();
    ledger.set_signing_key(&seed(7)).unwrap();
    path
}

fn entry(
    revision: i64,
    at: Timestamp,
    actor: &str,
    action: AuditAction,
    field: Option<&str>,
    old: Option<&str>,
    new: Option<&str>,
) -> AuditEntry {
    AuditEntry {
        revision,
        at,
        actor: actor.into(),
        action,
        field: field.map(Into::into),
        old: old.map(Into::into),
        new: new.map(Into::into),
    }
}

/// Every row of `record_changes`, in order, without its sequence number.
fn change_rows(path: &Path) -> Vec<(String, i64, String, String, String, String)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT record_id, revision, at, actor, action, detail FROM record_changes
             ORDER BY seq",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The names of the tables and indexes in the file.
fn schema_names(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_schema ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// One row as the per-field `audit` table kept it.
struct OldRow<'a> {
    record: Uuid,
    revision: i64,
    at: &'a str,
    actor: &'a str,
    action: &'a str,
    field: Option<&'a str>,
    old: Option<&'a str>,
    new: Option<&'a str>,
}

/// Takes the file back to the layout an earlier taizhang wrote: no `record_changes`, the
/// history in `audit`, one row per field, with `rows` in it.
fn to_per_field_audit(path: &Path, rows: &[OldRow<'_>]) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "DROP TABLE record_changes;
         CREATE TABLE audit (
             seq       INTEGER PRIMARY KEY,
             record_id TEXT NOT NULL REFERENCES records (id),
             revision  INTEGER NOT NULL,
             at        TEXT NOT NULL,
             actor     TEXT NOT NULL,
             action    TEXT NOT NULL CHECK (action IN ('create', 'edit', 'void', 'restore')),
             field     TEXT,
             old       TEXT,
             new       TEXT
         );
         CREATE INDEX audit_record ON audit (record_id, seq);",
    )
    .unwrap();
    for row in rows {
        conn.execute(
            "INSERT INTO audit (record_id, revision, at, actor, action, field, old, new)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                row.record.to_string(),
                row.revision,
                row.at,
                row.actor,
                row.action,
                row.field,
                row.old,
                row.new
            ],
        )
        .unwrap();
    }
    conn.pragma_update(None, "user_version", PER_FIELD_AUDIT_VERSION)
        .unwrap();
}

#[test]
fn a_creation_writes_no_change_and_an_edit_of_three_fields_writes_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_file(dir.path());
    let mut ledger = Ledger::open(&path).unwrap();
    let original = valid(RecordKind::HighTech, 1);
    let added = ledger.insert(&original, CLERK).unwrap();
    assert_eq!(change_rows(&path), vec![]);
    assert_eq!(
        ledger.history(added.id).unwrap(),
        vec![entry(
            1,
            added.created_at,
            CLERK,
            AuditAction::Create,
            None,
            None,
            None
        )]
    );

    // Three fields whose form order (name, size, notes) is not their key order.
    let mut fields = original.fields.clone();
    fields.insert("notes".into(), "复审材料已交".into());
    fields.insert("size".into(), "above".into());
    fields.insert("name".into(), "宝清县新名称生物有限公司".into());
    let edited = validate_record(RecordKind::HighTech, &fields).unwrap();
    let saved = ledger.update(added.id, Some(1), &edited, "lisi").unwrap();
    assert_eq!(saved.revision, 2);

    let rows = change_rows(&path);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let (record, revision, at, actor, action, detail) = &rows[0];
    assert_eq!(
        (record, *revision, at, actor.as_str(), action.as_str()),
        (
            &added.id.to_string(),
            2,
            &saved.updated_at.to_string(),
            "lisi",
            "edit"
        )
    );
    let name = original.fields["name"].as_str();
    let triples: serde_json::Value = serde_json::from_str(detail).unwrap();
    assert_eq!(
        triples,
        serde_json::json!([
            ["name", name, "宝清县新名称生物有限公司"],
            ["size", "below", "above"],
            ["notes", null, "复审材料已交"],
        ])
    );

    let edit = |field, old, new| {
        entry(
            2,
            saved.updated_at,
            "lisi",
            AuditAction::Edit,
            Some(field),
            old,
            new,
        )
    };
    assert_eq!(
        ledger.history(added.id).unwrap()[1..],
        [
            edit("name", Some(name), Some("宝清县新名称生物有限公司")),
            edit("size", Some("below"), Some("above")),
            edit("notes", None, Some("复审材料已交")),
        ]
    );
}

#[test]
fn a_per_field_audit_is_converted_to_one_row_per_change_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_file(dir.path());
    let original = valid(RecordKind::Incubator, 1);
    assert_eq!(original.fields.len(), 5);
    let name = original.fields["name"].clone();
    let (id, created_at) = {
        // The record as it stands after the changes the old rows below describe.
        let mut ledger = Ledger::open(&path).unwrap();
        let added = ledger.insert(&original, CLERK).unwrap();
        let mut fields = original.fields.clone();
        fields.insert("level".into(), "provincial".into());
        fields.insert("notes".into(), "复审".into());
        let edited = validate_record(RecordKind::Incubator, &fields).unwrap();
        ledger.update(added.id, Some(1), &edited, "lisi").unwrap();
        fields.insert("name".into(), "集贤县众创空间".into());
        let edited = validate_record(RecordKind::Incubator, &fields).unwrap();
        ledger.update(added.id, Some(2), &edited, "wangwu").unwrap();
        ledger.void(added.id, "重复录入", Some(3), CLERK).unwrap();
        assert_eq!(
            ledger.restore(added.id, Some(4), "lisi").unwrap().revision,
            5
        );
        (added.id, added.created_at)
    };
    let created = created_at.to_string();
    let row = |revision, at, actor, action, field, old, new| OldRow {
        record: id,
        revision,
        at,
        actor,
        action,
        field,
        old,
        new,
    };
    let mut rows = Vec::new();
    for key in ["name", "operator", "type", "level", "recognized_on"] {
        let value = Some(original.fields[key].as_str());
        rows.push(row(1, &created, CLERK, "create", Some(key), None, value));
    }
    let (t2, t3, t4, t5) = (
        "2024-03-01T08:00:00Z",
        "2024-03-02T09:30:00Z",
        "2024-03-03T10:00:00Z",
        "2024-03-04T11:15:00Z",
    );
    rows.extend([
        row(
            2,
            t2,
            "lisi",
            "edit",
            Some("level"),
            Some("city"),
            Some("provincial"),
        ),
        row(2, t2, "lisi", "edit", Some("notes"), None, Some("复审")),
        row(
            3,
            t3,
            "wangwu",
            "edit",
            Some("name"),
            Some(&name),
            Some("集贤县众创空间"),
        ),
        row(4, t4, CLERK, "void", None, None, Some("重复录入")),
        row(5, t5, "lisi", "restore", None, Some("重复录入"), None),
    ]);
    to_per_field_audit(&path, &rows);

    // Checked before it is upgraded, the file is sound: its history is the `audit` table.
    let report = check_ledger(&path, CheckDepth::Full).unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert!(report.older_schema);

    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(
        ledger.history(id).unwrap(),
        vec![
            entry(1, created_at, CLERK, AuditAction::Create, None, None, None),
            entry(
                2,
                ts(t2),
                "lisi",
                AuditAction::Edit,
                Some("level"),
                Some("city"),
                Some("provincial")
            ),
            entry(
                2,
                ts(t2),
                "lisi",
                AuditAction::Edit,
                Some("notes"),
                None,
                Some("复审")
            ),
            entry(
                3,
                ts(t3),
                "wangwu",
                AuditAction::Edit,
                Some("name"),
                Some(&name),
                Some("集贤县众创空间")
            ),
            entry(
                4,
                ts(t4),
                CLERK,
                AuditAction::Void,
                None,
                None,
                Some("重复录入")
            ),
            entry(
                5,
                ts(t5),
                "lisi",
                AuditAction::Restore,
                None,
                Some("重复录入"),
                None
            ),
        ]
    );
    drop(ledger);

    let names = schema_names(&path);
    assert!(!names.iter().any(|n| n.starts_with("audit")), "{names:?}");
    assert!(
        names.iter().any(|n| n == "record_changes_record"),
        "{names:?}"
    );
    let id = id.to_string();
    let s = |text: &str| text.to_owned();
    assert_eq!(
        change_rows(&path),
        vec![
            (
                id.clone(),
                2,
                s(t2),
                s("lisi"),
                s("edit"),
                s(r#"[["level","city","provincial"],["notes",null,"复审"]]"#)
            ),
            (
                id.clone(),
                3,
                s(t3),
                s("wangwu"),
                s("edit"),
                format!(r#"[["name","{name}","集贤县众创空间"]]"#)
            ),
            (id.clone(), 4, s(t4), s(CLERK), s("void"), s("重复录入")),
            (id.clone(), 5, s(t5), s("lisi"), s("restore"), s("重复录入")),
        ]
    );
    let report = check_ledger(&path, CheckDepth::Full).unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert!(!report.older_schema);
}

#[test]
fn edits_of_two_records_at_one_time_stay_apart_and_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_file(dir.path());
    let (a, b) = {
        let mut ledger = Ledger::open(&path).unwrap();
        let a = ledger
            .insert(&valid(RecordKind::Alliance, 1), CLERK)
            .unwrap();
        let b = ledger
            .insert(&valid(RecordKind::Alliance, 2), CLERK)
            .unwrap();
        (a.id, b.id)
    };
    let (t1, t2) = ("2024-05-01T08:00:00Z", "2024-05-02T08:00:00Z");
    let row = |record, revision, at, action, field, old, new| OldRow {
        record,
        revision,
        at,
        actor: CLERK,
        action,
        field,
        old,
        new,
    };
    to_per_field_audit(
        &path,
        &[
            row(a, 2, t1, "edit", Some("members"), None, Some("甲")),
            row(a, 2, t1, "edit", Some("notes"), None, Some("乙")),
            row(b, 2, t1, "edit", Some("notes"), None, Some("丙")),
            row(a, 3, t2, "edit", Some("notes"), Some("乙"), None),
            row(b, 3, t2, "void", None, None, None),
            row(b, 4, t2, "restore", None, None, None),
        ],
    );
    let ledger = Ledger::open(&path).unwrap();
    let rows: Vec<(String, i64, String)> = change_rows(&path)
        .into_iter()
        .map(|(record, revision, _, _, _, detail)| (record, revision, detail))
        .collect();
    let s = |text: &str| text.to_owned();
    assert_eq!(
        rows,
        vec![
            (
                a.to_string(),
                2,
                s(r#"[["members",null,"甲"],["notes",null,"乙"]]"#)
            ),
            (b.to_string(), 2, s(r#"[["notes",null,"丙"]]"#)),
            (a.to_string(), 3, s(r#"[["notes","乙",null]]"#)),
            (b.to_string(), 3, s("")),
            (b.to_string(), 4, s("")),
        ]
    );
    let tail: Vec<_> = ledger.history(b).unwrap()[2..]
        .iter()
        .map(|e| (e.action, e.old.clone(), e.new.clone()))
        .collect();
    assert_eq!(
        tail,
        [
            (AuditAction::Void, None, Some(String::new())),
            (AuditAction::Restore, None, None),
        ]
    );
}

#[test]
fn a_ledger_without_audit_rows_is_converted_to_an_empty_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_file(dir.path());
    to_per_field_audit(&path, &[]);
    let mut ledger = Ledger::open(&path).unwrap();
    assert!(!schema_names(&path).iter().any(|n| n == "audit"));
    assert_eq!(change_rows(&path), vec![]);
    let added = ledger
        .insert(&valid(RecordKind::TechSme, 1), CLERK)
        .unwrap();
    assert_eq!(ledger.history(added.id).unwrap().len(), 1);
    drop(ledger);

    // Applying the step once more (as if it had moved in the list) changes nothing.
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", PER_FIELD_AUDIT_VERSION)
        .unwrap();
    drop(conn);
    let ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.history(added.id).unwrap().len(), 1);
    drop(ledger);
    assert_eq!(change_rows(&path), vec![]);
    assert!(!schema_names(&path).iter().any(|n| n == "audit"));
}
