//! Filling an empty ledger in one load (what `demo` does): the ledger it leaves holds what
//! saving the same records in batches leaves (records, counts, search, indexes), and a load
//! that is refused or left unfinished leaves the ledger as it was.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use taizhang::bundle::keys::create_unit_ledger;
use taizhang::demo::DemoRecords;
use taizhang::domain::ValidRecord;
use taizhang::domain::progress::count_window;
use taizhang::domain::validate::validate_record;
use taizhang::plan::Plan;
use taizhang::store::{CheckDepth, Ledger, ListQuery, StoreError, check_ledger};

const UNIT: &str = "230502";
const PLAN: &str = "shuangyashan-2021-2023";
const CLERK: &str = "zhangsan";

/// `n` demo records of the unit, as validation hands them over.
fn demo_records(n: usize, seed: u64) -> Vec<ValidRecord> {
    let plan = Plan::embedded();
    let mut generator = DemoRecords::new(seed, plan.start, plan.end).in_unit(UNIT);
    (0..n)
        .map(|_| {
            let (kind, values) = generator.next_record();
            validate_record(kind, &values).unwrap()
        })
        .collect()
}

fn ledger_file(dir: &Path, name: &str) -> (PathBuf, Ledger) {
    let path = dir.join(name);
    let ledger = create_unit_ledger(&path, UNIT, PLAN).unwrap();
    (path, ledger)
}

/// Loads `records` in pieces of `piece`, as the demo hands them over.
fn load(ledger: &mut Ledger, records: &[ValidRecord], piece: usize) -> Result<u64, StoreError> {
    let mut load = ledger.bulk_load(CLERK)?;
    for chunk in records.chunks(piece) {
        load.add(chunk)?;
    }
    load.finish()
}

/// Every record as a clerk sees it, without the ids the ledger gave them, in list order
/// (newest key date first; records of one day by name).
fn records_seen(ledger: &Ledger, search: Option<&str>) -> Vec<String> {
    let page = ledger
        .list(&ListQuery {
            search: search.map(str::to_owned),
            include_voided: true,
            limit: 100_000,
            ..ListQuery::default()
        })
        .unwrap();
    let mut seen: Vec<(String, String)> = page
        .records
        .iter()
        .map(|r| {
            let day = r.fields[r.kind.key_date_field()].clone();
            let rest = format!(
                "{:?} {:?} {} {} {:?}",
                r.kind, r.status, r.revision, r.created_by, r.fields
            );
            (day, rest)
        })
        .collect();
    seen.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    seen.into_iter()
        .map(|(day, rest)| format!("{day} {rest}"))
        .collect()
}

/// Every figure progress shows, on days across the plan period and after it.
fn figures(ledger: &Ledger) -> Vec<String> {
    let plan = Plan::embedded();
    let mut figures = vec![format!("{:?}", ledger.kind_counts().unwrap())];
    for day in [
        "2021-06-30",
        "2021-12-31",
        "2022-12-31",
        "2023-07-15",
        "2023-12-31",
    ] {
        let on: Date = day.parse().unwrap();
        for indicator in &plan.indicators {
            let window = count_window(indicator.rule, plan.start, plan.end, on);
            let kept = ledger.count_distinct(Some(UNIT), indicator.kind, window);
            let recounted = ledger.count_distinct_from_records(Some(UNIT), indicator.kind, window);
            assert_eq!(kept.as_ref().unwrap(), recounted.as_ref().unwrap());
            figures.push(format!("{day} {:?} {}", indicator.kind, kept.unwrap()));
        }
        let from = on.first_of_year();
        figures.push(format!(
            "{day} turnover {:.2}",
            ledger.contract_turnover(from, on).unwrap()
        ));
    }
    figures
}

/// The declarations of the ledger file's tables, indexes and triggers.
fn schema(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY type, name")
        .unwrap();
    stmt.query_map([], |row| {
        Ok(format!(
            "{} {} {}",
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, Option<String>>(2)?.unwrap_or_default()
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// What the ledger file notes of its derived data: for which build its search index and
/// for which plan its kept counts were made (absent: made again at the next opening).
fn derived_notes(path: &Path) -> Vec<Option<String>> {
    let conn = rusqlite::Connection::open(path).unwrap();
    ["search_index", "count_basis"]
        .iter()
        .map(|key| {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .ok()
        })
        .collect()
}

const SEARCHES: [&str; 8] = [
    "鑫达",
    "尖山华",
    "912305",
    "煤化工科技有限公司",
    "绿色食品7号",
    "孵化器",
    "鑫",
    "不存在的名称",
];

#[test]
fn a_load_leaves_what_saving_the_records_in_batches_leaves() {
    let dir = tempfile::tempdir().unwrap();
    let records = demo_records(3000, 7);
    let (saved_path, mut saved) = ledger_file(dir.path(), "saved.sqlite");
    for batch in records.chunks(700) {
        saved.insert_many(batch, CLERK).unwrap();
    }
    let (loaded_path, mut loaded) = ledger_file(dir.path(), "loaded.sqlite");
    assert_eq!(load(&mut loaded, &records, 700).unwrap(), 3000);

    assert_eq!(records_seen(&loaded, None), records_seen(&saved, None));
    assert_eq!(figures(&loaded), figures(&saved));
    for search in SEARCHES {
        let found = records_seen(&loaded, Some(search));
        assert_eq!(found, records_seen(&saved, Some(search)), "{search}");
        let counted = loaded
            .count_matching(&ListQuery {
                search: Some(search.into()),
                ..ListQuery::default()
            })
            .unwrap();
        assert_eq!(counted, found.len() as u64, "{search}");
    }
    assert!(records_seen(&loaded, Some("鑫达")).len() > 1);
    drop((saved, loaded));
    // The same tables, indexes and triggers, and nothing for `check` to find.
    assert_eq!(schema(&loaded_path), schema(&saved_path));
    let notes = derived_notes(&loaded_path);
    assert!(notes.iter().all(Option::is_some), "{notes:?}");
    assert_eq!(notes, derived_notes(&saved_path));
    let report = check_ledger(&loaded_path, CheckDepth::Full).unwrap();
    assert_eq!(report.records, 3000);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn a_loaded_ledger_takes_new_records_refuses_duplicates_and_finds_them() {
    let dir = tempfile::tempdir().unwrap();
    let records = demo_records(500, 8);
    let (_, mut ledger) = ledger_file(dir.path(), "loaded.sqlite");
    load(&mut ledger, &records, 200).unwrap();
    // The unique index is back: a second record of a loaded entry is refused.
    match ledger.insert(&records[42], CLERK) {
        Err(StoreError::Duplicate { existing_name, .. }) => {
            assert_eq!(existing_name, records[42].index.name);
        }
        other => panic!("expected a duplicate, got {other:?}"),
    }
    // A new record is counted and found, by a piece of its name and of its code.
    let before = ledger.kind_counts().unwrap();
    let plan = Plan::embedded();
    let (kind, mut values) = DemoRecords::numbered_from(8, plan.start, plan.end, 1_000_000)
        .in_unit(UNIT)
        .next_record();
    values.insert(kind.name_field().into(), "尖山独一无二测试有限公司".into());
    let new = validate_record(kind, &values).unwrap();
    let saved = ledger.insert(&new, CLERK).unwrap();
    let after = ledger.kind_counts().unwrap();
    let active = |counts: &[taizhang::store::KindCounts]| {
        counts.iter().find(|c| c.kind == kind).map(|c| c.active)
    };
    assert_eq!(active(&after), active(&before).map(|n| n + 1));
    let found = ledger
        .list(&ListQuery {
            search: Some("独一无二测".into()),
            limit: 10,
            ..ListQuery::default()
        })
        .unwrap();
    assert_eq!(
        found.records.iter().map(|r| r.id).collect::<Vec<_>>(),
        [saved.id]
    );
    // The index still holds the loaded records after the new one went in.
    assert_eq!(
        records_seen(&ledger, Some("不存在的名称")),
        Vec::<String>::new()
    );
    // A piece of a loaded record's name (past its two-character place) finds it.
    let piece: String = records[100].index.name.chars().skip(2).take(4).collect();
    let seen = records_seen(&ledger, Some(&piece));
    assert!(
        seen.iter()
            .any(|line| line.contains(&records[100].index.name)),
        "{piece}: {seen:?}"
    );
}

#[test]
fn a_load_with_two_records_of_one_entry_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut records = demo_records(300, 9);
    records.push(records[17].clone());
    let (path, mut ledger) = ledger_file(dir.path(), "loaded.sqlite");
    let fresh = schema(&path);
    match load(&mut ledger, &records, 100) {
        Err(StoreError::Duplicate {
            existing_name,
            kind,
            ..
        }) => {
            assert_eq!(existing_name, records[17].index.name);
            assert_eq!(kind, records[17].kind);
        }
        other => panic!("expected a duplicate, got {other:?}"),
    }
    assert!(ledger.kind_counts().unwrap().iter().all(|c| c.active == 0));
    assert_eq!(records_seen(&ledger, None), Vec::<String>::new());
    // Nothing half-done stays behind: the ledger takes the records without the duplicate.
    records.pop();
    assert_eq!(load(&mut ledger, &records, 100).unwrap(), 300);
    drop(ledger);
    assert_eq!(schema(&path), fresh);
}

#[test]
fn a_load_into_a_ledger_that_holds_records_is_refused() {
    let mut ledger = Ledger::create_in_memory(UNIT, PLAN).unwrap();
    let records = demo_records(3, 10);
    ledger.insert_many(&records[..2], CLERK).unwrap();
    match ledger.bulk_load(CLERK) {
        Err(StoreError::NotEmpty { records }) => assert_eq!(records, 2),
        Err(other) => panic!("expected a refusal, got {other:?}"),
        Ok(_) => panic!("a ledger with records was loaded"),
    }
    assert_eq!(records_seen(&ledger, None).len(), 2);
}

#[test]
fn a_load_left_unfinished_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let records = demo_records(400, 11);
    let (path, mut ledger) = ledger_file(dir.path(), "loaded.sqlite");
    let fresh = schema(&path);
    {
        let mut load = ledger.bulk_load(CLERK).unwrap();
        load.add(&records[..200]).unwrap();
    }
    assert_eq!(records_seen(&ledger, None), Vec::<String>::new());
    assert!(ledger.kind_counts().unwrap().iter().all(|c| c.active == 0));
    ledger.insert_many(&records[200..], CLERK).unwrap();
    let names = |search: Option<&str>| -> Vec<String> {
        let page = ledger
            .list(&ListQuery {
                search: search.map(str::to_owned),
                limit: 1000,
                ..ListQuery::default()
            })
            .unwrap();
        let mut names: Vec<String> = page
            .records
            .iter()
            .map(|r| r.fields[r.kind.name_field()].clone())
            .collect();
        names.sort();
        names
    };
    let by_eye: Vec<String> = names(None)
        .into_iter()
        .filter(|n| n.contains('鑫'))
        .collect();
    assert!(!by_eye.is_empty());
    assert_eq!(names(Some("鑫")), by_eye);
    drop(ledger);
    assert_eq!(schema(&path), fresh);
}
