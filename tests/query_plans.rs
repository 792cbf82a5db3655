//! Every statement a unit clerk's and the city office's day runs, with SQLite's plan for it:
//! the snapshot shows each query's plan, and no query that answers a screen or a command
//! reads a whole large table (records, the change history, award events). Whole-ledger
//! statements (building the kept counts and the search index, the export's and the check's
//! full reads) are named and allowed.

mod bundle_common;

use std::path::Path;

use bundle_common::*;
use jiff::civil::Date;
use taizhang::bundle;
use taizhang::domain::RecordKind;
use taizhang::domain::pool::{PoolClose, PoolDraft, validate_draft, validate_edit};
use taizhang::domain::progress::{AsOfSource, count_window};
use taizhang::domain::validate::validate_record;
use taizhang::i18n::Lang;
use taizhang::plan::Plan;
use taizhang::store::{AwardQuery, BundleRefusal, Ledger, ListQuery, PoolQuery};
use taizhang::{outlook, report};

/// Tables that grow with the ledger: reading one whole is refused outside the allowed.
const LARGE: [&str; 3] = ["records", "record_changes", "records_search"];

/// Statements that read a whole large table on purpose, by a piece of their text.
const WHOLE_LEDGER: [(&str, &str); 7] = [
    (
        "SELECT rowid, name, credit_code FROM records",
        "builds the search index (first opening of an older ledger)",
    ),
    (
        "SELECT unit, kind, status, COUNT(*) FROM records GROUP BY",
        "counts the records again (first opening, check)",
    ),
    (
        "FROM records ORDER BY id",
        "the export reads every record, in id order",
    ),
    (
        "SELECT count(*) FROM records",
        "the export counts what it will carry",
    ),
    (
        "SELECT COUNT(*) FROM records WHERE status = 'active' AND taizhang_found(",
        "a search too short for the index, or matching over 2,000 records, is counted by \
         reading the records (a page of it stops early)",
    ),
    (
        "WHERE substr(id, -length(?1)) = ?1",
        "a short id no id starts with is matched against the ends of all ids",
    ),
    (
        "OR id IN (SELECT record_id FROM award_events)",
        "award lines weigh every record of the plan period",
    ),
];

fn whole_ledger_reason(sql: &str) -> Option<&'static str> {
    WHOLE_LEDGER
        .iter()
        .find(|(piece, _)| sql.contains(piece))
        .map(|(_, why)| *why)
}

/// Whether a plan line reads a whole large table: a `SCAN` of it (by its rows or an index)
/// that no condition narrows. A virtual table (the search index) is narrowed when its
/// index string names a constraint (`INDEX 0:M1` a match, `INDEX 0:=` a rowid).
fn scans_large(line: &str) -> Option<&'static str> {
    let line = line.trim();
    let rest = line.strip_prefix("SCAN ")?;
    let table = rest.split_whitespace().next()?;
    let narrowed_vtab = rest
        .split_once("VIRTUAL TABLE INDEX ")
        .and_then(|(_, index)| index.split_once(':'))
        .is_some_and(|(_, constraint)| !constraint.is_empty());
    if narrowed_vtab {
        return None;
    }
    LARGE.iter().find(|t| **t == table).copied()
}

fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A unit's day: records added one by one and in a batch, edited, voided, restored, listed,
/// searched, counted, looked up, exported.
fn unit_day(unit: &mut Ledger) -> Vec<u8> {
    // Firms in the cultivation pool, one of them certified below (record 1 is high-tech).
    let mut pool = Vec::new();
    for (n, stage) in [
        (1, "high_tech_candidate"),
        (8, "tech_sme"),
        (9, "gazelle_candidate"),
    ] {
        let fields = validate_draft(&PoolDraft {
            credit_code: credit_code(n),
            name: format!("第{n}科技有限公司"),
            stage: stage.into(),
            target_on: "2023-09-30".into(),
            ..PoolDraft::default()
        })
        .unwrap();
        pool.push(unit.pool_add(&fields, CLERK).unwrap().id);
    }
    let mut ids = Vec::new();
    for n in 0..12 {
        let kind = RecordKind::ALL[n as usize % RecordKind::ALL.len()];
        ids.push(unit.insert(&valid(kind, n), CLERK).unwrap().id);
    }
    let batch: Vec<_> = (12..30)
        .map(|n| valid(RecordKind::ALL[n as usize % 6], n))
        .collect();
    unit.insert_many(&batch, CLERK).unwrap();
    let first = unit.get(ids[0]).unwrap();
    let mut fields = first.fields.clone();
    fields.insert("notes".into(), "复核".into());
    unit.update(
        first.id,
        Some(first.revision),
        &validate_record(first.kind, &fields).unwrap(),
        CLERK,
    )
    .unwrap();
    unit.void(ids[1], "重复录入", None, CLERK).unwrap();
    unit.restore(ids[1], None, CLERK).unwrap();
    let edit = validate_edit(Some("tech_sme"), Some("2024-03-31"), Some("复核")).unwrap();
    unit.pool_edit(pool[1], Some(1), &edit, CLERK).unwrap();
    let withdrawn = PoolClose::Withdrawn {
        on: "2023-06-01".parse().unwrap(),
        reason: "迁出".into(),
    };
    unit.pool_close(pool[2], None, &withdrawn, CLERK).unwrap();
    unit.pool_reopen(pool[2], None, CLERK).unwrap();
    unit.pool_list(&PoolQuery::open(None)).unwrap();
    unit.pool_list(&PoolQuery::default()).unwrap();
    unit.pool_history(pool[1]).unwrap();
    unit.pool_near_target("2023-09-01".parse().unwrap(), 60, None)
        .unwrap();
    unit.pool_counts().unwrap();
    unit.pool_entry_achieved_by(ids[1]).unwrap();
    unit.pool_resolve_id(&pool[0].to_string()).unwrap();
    unit.pool_resolve_id(&pool[0].to_string()[28..]).unwrap();
    for search in [None, Some("第1"), Some("第11科技"), Some("不存在的名称")] {
        for kind in [None, Some(RecordKind::HighTech)] {
            let query = ListQuery {
                kind,
                search: search.map(str::to_owned),
                limit: 10,
                ..ListQuery::default()
            };
            let page = unit.list(&query).unwrap();
            if let Some(after) = page.next {
                unit.list(&ListQuery {
                    after: Some(after),
                    ..query.clone()
                })
                .unwrap();
            }
            unit.count_matching(&query).unwrap();
        }
    }
    unit.kind_counts().unwrap();
    unit.history(ids[0]).unwrap();
    unit.entity_history(ids[2]).unwrap();
    unit.resolve_id(&ids[3].to_string()[24..]).unwrap();
    unit.upgrade_candidates(RecordKind::Incubator, &credit_code(4), None, 3)
        .unwrap();
    let plan = Plan::embedded();
    let as_of: Date = "2023-06-30".parse().unwrap();
    report::unit_ledger_progress(&plan, unit, as_of, AsOfSource::Given).unwrap();
    unit.award_lines(&plan, &AwardQuery::default()).unwrap();
    let until: Date = "2024-06-30".parse().unwrap();
    outlook::worklist(&plan, unit, as_of, AsOfSource::Given, until).unwrap();
    outlook::firm_page(&plan, unit, &credit_code(4)).unwrap();
    outlook::find_firm(unit, "第1").unwrap();
    let mut fs = MemFs::default();
    let now = ts("2023-07-01T00:00:00Z");
    let done = bundle::export_with(unit, Path::new("/stick"), now, &mut fs).unwrap();
    fs.files[&done.path].clone()
}

/// The city's day: a bundle imported, the city table, claims, awards, turnover.
fn city_day(city: &mut Ledger, bytes: &[u8]) {
    let verified = bundle::inspect(city, bytes).unwrap();
    bundle::import(city, &verified, ts("2023-07-02T00:00:00Z")).unwrap();
    let plan = Plan::embedded();
    let as_of: Date = "2023-06-30".parse().unwrap();
    report::city_report(&plan, Lang::Zh, city, as_of, AsOfSource::Given, as_of).unwrap();
    // A refused bundle noted, and the worklist's list of those still needing attention.
    city.log_refusal(&BundleRefusal {
        at: ts("2023-07-02T00:00:00Z"),
        file_name: "taizhang-230521-000002-20230701.tzb".into(),
        file_sha256: Some("0".repeat(64)),
        unit: Some("230521".into()),
        sequence: Some(2),
        code: "damaged".into(),
        detail: "{}".into(),
    })
    .unwrap();
    outlook::refused_bundles(city, Lang::Zh, as_of).unwrap();
    for indicator in &plan.indicators {
        let window = count_window(indicator.rule, plan.start, plan.end, as_of);
        city.claims_in_window(indicator.kind, window).unwrap();
    }
    city.award_lines(&plan, &AwardQuery::default()).unwrap();
    city.list(&ListQuery {
        unit: Some("230521".into()),
        limit: 10,
        ..ListQuery::default()
    })
    .unwrap();
    city.pool_counts().unwrap();
    city.pool_list(&PoolQuery::open(Some("230521"))).unwrap();
    city.pool_near_target(as_of, 30, Some("230521")).unwrap();
}

/// Each statement once, whitespace folded, with its plan; and the ones that read a whole
/// large table without being allowed to.
fn plans_of(ledger: &Ledger, statements: &[String]) -> (String, Vec<String>) {
    let mut shown = Vec::new();
    let mut refused = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for sql in statements {
        let sql = one_line(sql);
        let head = sql.split_whitespace().next().unwrap_or("").to_uppercase();
        if !matches!(
            head.as_str(),
            "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "WITH"
        ) || !seen.insert(sql.clone())
        {
            continue;
        }
        let plan = ledger.query_plan(&sql).unwrap();
        let allowed = whole_ledger_reason(&sql);
        for line in &plan {
            if let Some(table) = scans_large(line)
                && allowed.is_none()
            {
                refused.push(format!("{sql}\n    reads all of {table}: {line}"));
            }
        }
        let mut entry = format!("{sql}\n");
        if let Some(why) = allowed {
            entry.push_str(&format!("  (whole ledger: {why})\n"));
        }
        for line in plan {
            entry.push_str(&format!("  {line}\n"));
        }
        shown.push(entry);
    }
    shown.sort();
    (shown.join("\n"), refused)
}

#[test]
fn no_query_of_a_days_work_reads_a_whole_large_table() {
    let mut unit = unit_ledger("230521", 1);
    let unit_log = unit.record_statements().unwrap();
    let bytes = unit_day(&mut unit);
    let (unit_plans, unit_refused) = plans_of(&unit, &unit_log.statements());

    let mut city = city_ledger(&[("230521", 1)]);
    let city_log = city.record_statements().unwrap();
    city_day(&mut city, &bytes);
    // The import's temporary tables exist while an import runs: explain inside one.
    let run = city.begin_dry_run("230521").unwrap();
    let (city_plans, city_refused) = plans_of(&city, &city_log.statements());
    drop(run);

    assert!(
        unit_refused.is_empty() && city_refused.is_empty(),
        "statements reading a whole large table:\n{}",
        unit_refused
            .iter()
            .chain(&city_refused)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    insta::assert_snapshot!("unit_query_plans", unit_plans);
    insta::assert_snapshot!("city_query_plans", city_plans);
}

#[test]
fn a_scan_of_the_records_is_caught() {
    assert_eq!(scans_large("SCAN records"), Some("records"));
    assert_eq!(
        scans_large("  SCAN records USING INDEX records_list_kind"),
        Some("records")
    );
    assert_eq!(
        scans_large("SEARCH records USING INDEX records_list_kind (kind=?)"),
        None
    );
    assert_eq!(scans_large("SCAN count_steps"), None);
    assert_eq!(scans_large("SCAN record_changes"), Some("record_changes"));
    assert_eq!(
        scans_large("SCAN records_search VIRTUAL TABLE INDEX 0:M1"),
        None
    );
    assert_eq!(
        scans_large("SCAN records_search VIRTUAL TABLE INDEX 0:"),
        Some("records_search")
    );
}
