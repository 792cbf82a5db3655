//! The cultivation pool (培育库) as clerks and the city office meet it: entries kept with
//! their history on the command line in both languages, one open entry per firm even with
//! two clerks on one file, a ledger of the previous schema taking the pool on, entries
//! travelling to the city in format 4 bundles that replace what the city held, and bundles
//! whose pool lines break the rules refused whole.

mod bundle_common;
mod cli_common;

use std::path::{Path, PathBuf};

use bundle_common::*;
use cli_common::*;
use jiff::Timestamp;
use jiff::civil::date;
use serde_json::Value;
use taizhang::bundle::format::{self, BundleManifest, FileType, PoolLine};
use taizhang::bundle::{self, BundleError, PoolLineFault, keys};
use taizhang::domain::pool::{
    PoolClose, PoolCounts, PoolDraft, PoolFields, PoolRefusal, PoolStatus, validate_draft,
};
use taizhang::domain::{Record, RecordKind};
use taizhang::store::{
    self, AchievedByFault, CheckDepth, Ledger, LedgerProblem, PoolQuery, StoreError,
};

const HT_CODE: &str = "91350100M000100Y43";

fn json(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(db, args)).unwrap()
}

fn new_unit(dir: &Path, unit: &str) -> PathBuf {
    let db = dir.join(format!("{unit}.sqlite"));
    ok(&db, &["init", "--unit", unit]);
    db
}

/// `pool add` of firm `code` called `name` at `stage`, due by `target`.
fn pool_add(db: &Path, code: &str, name: &str, stage: &str, target: &str) -> std::process::Output {
    run(
        db,
        &[
            "pool", "add", code, "--name", name, "--stage", stage, "--target", target,
        ],
    )
}

/// The entry id `pool add` prints at the end of its line.
fn added_id(printed: &str) -> String {
    printed.trim().rsplit(' ').next().unwrap().to_owned()
}

/// [`pool_add`], which must succeed; the new entry's id.
fn pool_added(db: &Path, code: &str, name: &str, stage: &str, target: &str) -> String {
    let out = pool_add(db, code, name, stage, target);
    assert!(out.status.success(), "{}", stderr(&out));
    added_id(&stdout(&out))
}

fn pool_fields(n: u32, stage: &str, target: &str) -> PoolFields {
    validate_draft(&PoolDraft {
        credit_code: credit_code(n),
        name: format!("双鸭山市第{n}科技有限公司"),
        stage: stage.into(),
        target_on: target.into(),
        ..PoolDraft::default()
    })
    .unwrap()
}

#[test]
fn a_clerk_keeps_the_pool_on_the_command_line_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_unit(dir.path(), "230521");
    let added = ok(
        &db,
        &[
            "pool",
            "add",
            " ９１３５０１００Ｍ０００１００Ｙ４３ ",
            "--name",
            "双鸭山市华鑫科技有限公司",
            "--stage",
            "科技型中小企业培育",
            "--target",
            "2024年6月30日",
            "--notes",
            "重点培育",
        ],
    );
    assert!(added.starts_with("已加入培育库，编号 "), "{added}");
    let id = added_id(&added);
    let listed = ok(&db, &["pool"]);
    assert!(listed.contains("培育库（培育中）："), "{listed}");
    assert!(listed.contains("91350100M000100Y43"), "{listed}");
    assert!(listed.contains("科技型中小企业培育"), "{listed}");
    assert!(listed.contains("2024-06-30"), "{listed}");
    assert!(listed.contains("培育中"), "{listed}");
    assert!(listed.contains(&id[id.len() - 8..]), "{listed}");
    assert!(listed.contains("共 1 家。"), "{listed}");

    // The same firm twice is refused, naming the entry already there.
    let twice = pool_add(&db, HT_CODE, "华鑫", "tech_sme", "2024-07-01");
    assert_eq!(twice.status.code(), Some(2));
    let said = stderr(&twice);
    assert!(said.contains("已在本单位培育库中培育"), "{said}");
    assert!(said.contains(&id), "{said}");

    // What a clerk types wrong is named field by field; nothing is saved.
    let bad = pool_add(&db, "91350100M000100Y44", "某公司", "独角兽", "2024-02-30");
    assert_eq!(bad.status.code(), Some(2));
    let said = stderr(&bad);
    for part in ["统一社会信用代码", "培育阶段", "目标日期", "2024-02-30"] {
        assert!(said.contains(part), "{part}: {said}");
    }
    assert_eq!(
        json(&db, &["pool", "--all", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let short = &id[..8];
    let edited = ok(
        &db,
        &[
            "pool",
            "edit",
            short,
            "--stage",
            "高新技术企业后备",
            "--target",
            "2025/3/1",
        ],
    );
    assert!(
        edited.contains("已修改培育库企业") && edited.contains("版本 2"),
        "{edited}"
    );
    let nothing = run(&db, &["pool", "edit", short]);
    assert_eq!(nothing.status.code(), Some(2));
    assert!(
        stderr(&nothing).contains("没有要修改的内容"),
        "{}",
        stderr(&nothing)
    );

    // A withdrawal needs its reason.
    let no_reason = run(&db, &["pool", "close", short, "--withdrawn"]);
    assert_eq!(no_reason.status.code(), Some(2));
    let closed = ok(
        &db,
        &[
            "pool",
            "close",
            short,
            "--withdrawn",
            "--reason",
            "企业迁出本市",
            "--on",
            "2024.2.1",
        ],
    );
    assert!(closed.contains("已退出"), "{closed}");
    assert!(ok(&db, &["pool"]).contains("培育库中没有培育中的企业"));
    let all = ok(&db, &["pool", "--all"]);
    assert!(all.contains("已退出"), "{all}");
    let again = run(&db, &["pool", "close", short, "--achieved"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("只有培育中的企业才能修改或结束"),
        "{}",
        stderr(&again)
    );
    assert!(ok(&db, &["pool", "reopen", short]).contains("已重新培育"));

    let shown = ok(&db, &["pool", "show", &id[id.len() - 8..]]);
    for part in [
        "双鸭山市华鑫科技有限公司",
        "高新技术企业后备",
        "2025-03-01",
        "培育中",
        "重点培育",
        "修改记录：",
        "入库（版本 1）",
        "修改（版本 2）：培育阶段：科技型中小企业培育 → 高新技术企业后备；目标日期：2024-06-30 → 2025-03-01",
        "退出（版本 3）：状态：培育中 → 已退出；结束日期：（空） → 2024-02-01；结束原因：（空） → 企业迁出本市",
        "重新培育（版本 4）",
    ] {
        assert!(shown.contains(part), "{part}:\n{shown}");
    }
    let shown_json = json(&db, &["pool", "show", short, "--format", "json"]);
    assert_eq!(shown_json["entry"]["revision"], 4);
    assert_eq!(shown_json["history"].as_array().unwrap().len(), 4);

    let missing = run(&db, &["pool", "show", "abcdef12"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("培育库中没有编号为 abcdef12 的企业"));
}

#[test]
fn the_same_in_english_and_in_a_spreadsheet() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_unit(dir.path(), "230521");
    let added = ok(
        &db,
        &[
            "--lang",
            "en",
            "pool",
            "add",
            HT_CODE,
            "--name",
            "=HYPERLINK(1)",
            "--stage",
            "gazelle-candidate",
            "--target",
            "2024-09-30",
        ],
    );
    assert!(added.starts_with("Added to the pool, id "), "{added}");
    let listed = ok(&db, &["--lang", "en", "pool"]);
    for part in [
        "Cultivation pool (open entries):",
        "Gazelle candidate",
        "Open",
        "1 in all.",
    ] {
        assert!(listed.contains(part), "{part}: {listed}");
    }
    let csv = ok(&db, &["--lang", "en", "pool", "--format", "csv"]);
    assert!(csv.starts_with('\u{feff}'), "{csv:?}");
    assert!(csv.contains("'=HYPERLINK(1)"), "{csv}");
    assert!(csv.contains("Credit code"), "{csv}");
    let refused = run(
        &db,
        &[
            "--lang",
            "en",
            "pool",
            "add",
            HT_CODE,
            "--name",
            "x",
            "--stage",
            "unicorn",
            "--target",
            "2024-01-01",
        ],
    );
    let said = stderr(&refused);
    assert!(said.contains("Not saved"), "{said}");
    assert!(said.contains("Stage"), "{said}");
    let help = ok(&db, &["--lang", "en", "pool", "add", "--help"]);
    assert!(
        help.contains("tech_sme | high_tech_candidate | gazelle_candidate"),
        "{help}"
    );
    let help_zh = ok(&db, &["pool", "close", "--help"]);
    assert!(
        help_zh.contains("结束培育") && help_zh.contains("用法："),
        "{help_zh}"
    );
}

#[test]
fn a_certificate_saved_on_the_command_line_achieves_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_unit(dir.path(), "230521");
    let id = pool_added(
        &db,
        HT_CODE,
        "华鑫科技",
        "high_tech_candidate",
        "2024-06-30",
    );
    let record = ok(
        &db,
        &[
            "add",
            "high_tech",
            "--set",
            "name=华鑫科技",
            "--set",
            &format!("credit_code={HT_CODE}"),
            "--set",
            "cert_no=GR202323000123",
            "--set",
            "certified_on=2023-12-01",
            "--set",
            "recognition=first",
            "--set",
            "size=below",
        ],
    );
    let record_id = record.lines().next().unwrap().trim().to_owned();
    let shown = ok(&db, &["pool", "show", &id]);
    assert!(shown.contains("已达成"), "{shown}");
    assert!(
        shown.contains(&format!("由高新企业记录 {record_id} 达成")),
        "{shown}"
    );
    assert!(shown.contains("结束日期            2023-12-01"), "{shown}");
    ok(&db, &["void", &record_id, "--reason", "证书号录错"]);
    let shown = ok(&db, &["pool", "show", &id]);
    assert!(shown.contains("状态                培育中"), "{shown}");
    assert!(shown.contains("重新培育（版本 3）"), "{shown}");
}

#[test]
fn two_clerks_on_one_file_never_open_a_firm_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unit.sqlite");
    drop(Ledger::create(&path, "230521", PLAN).unwrap());
    let mut first = Ledger::open(&path).unwrap();
    let mut second = Ledger::open(&path).unwrap();
    let entry = first
        .pool_add(&pool_fields(1, "tech_sme", "2024-06-30"), "zhangsan")
        .unwrap();
    match second.pool_add(&pool_fields(1, "gazelle_candidate", "2024-06-30"), "lisi") {
        Err(StoreError::Pool(PoolRefusal::AlreadyOpen { existing, .. })) => {
            assert_eq!(existing, entry.id)
        }
        other => panic!("{other:?}"),
    }
    // The second clerk's change from revision 1 after the first's lands on revision 2.
    let edit = taizhang::domain::pool::validate_edit(None, None, Some("第一位")).unwrap();
    first
        .pool_edit(entry.id, Some(1), &edit, "zhangsan")
        .unwrap();
    let stale = second.pool_edit(entry.id, Some(1), &edit, "lisi");
    assert!(
        stale.as_ref().is_err_and(StoreError::is_conflict),
        "{stale:?}"
    );
    assert_eq!(second.pool_get(entry.id).unwrap().updated_by, "zhangsan");
}

#[test]
fn a_ledger_of_schema_12_takes_the_pool_on_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    let mut ledger = Ledger::create(&path, "230521", PLAN).unwrap();
    let records = add_records(&mut ledger, 1, 12);
    drop(ledger);
    let latest = {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert!(version >= 13, "{version}");
        conn.execute_batch(
            "DROP TABLE pool_changes; DROP TABLE pool_entries; PRAGMA user_version = 12;",
        )
        .unwrap();
        version
    };
    let mut ledger = Ledger::open(&path).unwrap();
    assert_eq!(ledger.info().unwrap().schema_version, latest);
    assert_eq!(ledger.record_count().unwrap(), records.len() as u64);
    assert!(ledger.pool_list(&PoolQuery::default()).unwrap().is_empty());
    let entry = ledger
        .pool_add(&pool_fields(900, "tech_sme", "2024-01-01"), CLERK)
        .unwrap();
    assert_eq!(ledger.pool_get(entry.id).unwrap(), entry);
    let twice = ledger.pool_add(&pool_fields(900, "tech_sme", "2024-01-01"), CLERK);
    assert!(matches!(
        twice,
        Err(StoreError::Pool(PoolRefusal::AlreadyOpen { .. }))
    ));
}

/// A unit ledger with a signing key, kept in a file so that `export` can write bundles.
fn unit_file(dir: &Path, unit: &str, key: u8) -> Ledger {
    let mut ledger = Ledger::create(&dir.join(format!("{unit}.sqlite")), unit, PLAN).unwrap();
    ledger.set_signing_key(&seed(key)).unwrap();
    ledger
}

fn export_to(ledger: &mut Ledger, usb: &Path, at: &str) -> PathBuf {
    bundle::export(ledger, usb, ts(at)).unwrap().path
}

fn import_file(city: &mut Ledger, path: &Path) -> Result<bundle::ImportOutcome, BundleError> {
    let bytes = std::fs::read(path).unwrap();
    let verified = bundle::inspect(city, &bytes)?;
    bundle::import(city, &verified, Timestamp::now())
}

#[test]
fn the_city_holds_each_units_pool_as_its_latest_bundle_carries_it() {
    let dir = tempfile::tempdir().unwrap();
    let usb = dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let mut jixian = unit_file(dir.path(), "230521", 1);
    let mut youyi = unit_file(dir.path(), "230522", 2);
    let mut city = city_ledger(&[("230521", 1), ("230522", 2)]);

    // A unit without pool entries writes a format 2 bundle, as before.
    add_records(&mut youyi, 1, 3);
    let plain = export_to(&mut youyi, &usb, "2024-01-05T02:00:00Z");
    assert_eq!(&std::fs::read(&plain).unwrap()[8..10], &[0, 2]);

    add_records(&mut jixian, 10, 4);
    let a = jixian
        .pool_add(&pool_fields(1, "tech_sme", "2024-06-30"), CLERK)
        .unwrap();
    let b = jixian
        .pool_add(&pool_fields(2, "high_tech_candidate", "2024-12-31"), CLERK)
        .unwrap();
    let c = jixian
        .pool_add(&pool_fields(3, "gazelle_candidate", "2025-06-30"), CLERK)
        .unwrap();
    jixian
        .pool_close(
            c.id,
            None,
            &PoolClose::Achieved {
                on: date(2024, 1, 2),
                reason: None,
            },
            CLERK,
        )
        .unwrap();
    let first = export_to(&mut jixian, &usb, "2024-01-05T03:00:00Z");
    let bytes = std::fs::read(&first).unwrap();
    assert_eq!(
        &bytes[8..10],
        &[0, 4],
        "pool entries make a format 4 bundle"
    );
    let decoded = format::decode_bundle(&bytes, |k| {
        (*k == keys::public_key(&seed(1))).then(|| "230521".to_owned())
    })
    .unwrap();
    assert_eq!(decoded.manifest.pool_entry_count, Some(3));
    assert_eq!(decoded.manifest.award_event_count, Some(0));
    assert_eq!(decoded.pool_entries.len(), 3);

    match import_file(&mut city, &first).unwrap() {
        bundle::ImportOutcome::Imported { report } => assert_eq!(report.pool_entries, Some(3)),
        other => panic!("{other:?}"),
    }
    import_file(&mut city, &plain).unwrap();
    let held = city
        .pool_list(&PoolQuery {
            unit: Some("230521".into()),
            ..PoolQuery::default()
        })
        .unwrap();
    let ids: Vec<_> = held.iter().map(|e| e.id).collect();
    assert_eq!(ids, [a.id, b.id, c.id]);
    assert_eq!(
        held[0],
        jixian.pool_get(a.id).unwrap(),
        "the city holds the unit's entry as it is"
    );
    let counts = city.pool_counts().unwrap();
    assert_eq!(
        counts,
        [PoolCounts {
            unit: "230521".into(),
            tech_sme: 1,
            high_tech_candidate: 1,
            gazelle_candidate: 0,
            achieved: 1,
            withdrawn: 0,
        }]
    );
    // The city adds nothing itself.
    assert!(matches!(
        city.pool_add(&pool_fields(4, "tech_sme", "2024-06-30"), CLERK),
        Err(StoreError::Pool(PoolRefusal::CityReadOnly))
    ));

    // The next bundle, with one entry withdrawn, replaces what the city held.
    jixian
        .pool_close(
            b.id,
            None,
            &PoolClose::Withdrawn {
                on: date(2024, 3, 1),
                reason: "企业迁出本市".into(),
            },
            CLERK,
        )
        .unwrap();
    let second = export_to(&mut jixian, &usb, "2024-03-05T03:00:00Z");
    import_file(&mut city, &second).unwrap();
    let b_at_city = city.pool_get(b.id).unwrap();
    assert_eq!(b_at_city.status, PoolStatus::Withdrawn);
    assert_eq!(b_at_city.close_reason.as_deref(), Some("企业迁出本市"));
    let counts = city.pool_counts().unwrap();
    assert_eq!((counts[0].high_tech_candidate, counts[0].withdrawn), (0, 1));
    assert_eq!(city.pool_list(&PoolQuery::open(None)).unwrap().len(), 1);
}

#[test]
fn the_city_office_sees_counts_by_stage_for_the_nine_units() {
    let dir = tempfile::tempdir().unwrap();
    let usb = dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let unit = dir.path().join("unit.sqlite");
    let city = dir.path().join("city.sqlite");
    ok(&unit, &["init", "--unit", "230523"]);
    ok(&city, &["init", "--city"]);
    for (n, stage) in [(1, "tech_sme"), (2, "tech_sme"), (3, "瞪羚企业后备")] {
        pool_added(
            &unit,
            &credit_code(n),
            &format!("宝清县第{n}公司"),
            stage,
            "2024-06-30",
        );
    }
    let key = ok(&unit, &["--lang", "en", "key"]);
    let key = key
        .lines()
        .find_map(|l| l.strip_prefix("Public key: "))
        .unwrap();
    ok(&city, &["enroll", "--unit", "230523", "--key", key]);
    let exported = ok(
        &unit,
        &["--lang", "en", "export", "--out", usb.to_str().unwrap()],
    );
    let path = exported
        .lines()
        .find_map(|l| l.strip_prefix("Bundle written and verified: "))
        .unwrap();
    let imported = ok(&city, &["import", path]);
    assert!(imported.contains("培育库企业 3 家"), "{imported}");

    let counts = ok(&city, &["pool"]);
    assert!(counts.contains("各单位培育库"), "{counts}");
    let rows: Vec<&str> = counts.lines().skip(2).collect();
    let names: Vec<&str> = rows
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        names,
        [
            "集贤县",
            "友谊县",
            "宝清县",
            "饶河县",
            "尖山区",
            "岭东区",
            "四方台区",
            "宝山区",
            "市经开区管委会",
            "合计"
        ]
    );
    let baoqing: Vec<&str> = rows[2].split_whitespace().collect();
    assert_eq!(baoqing, ["宝清县", "2", "0", "1", "3", "0", "0"]);
    let total: Vec<&str> = rows[9].split_whitespace().collect();
    assert_eq!(total, ["合计", "2", "0", "1", "3", "0", "0"]);
    let en = ok(&city, &["--lang", "en", "pool"]);
    assert!(
        en.contains("Baoqing County") && en.contains("Total"),
        "{en}"
    );
    let counted = json(&city, &["pool", "--format", "json"]);
    assert_eq!(counted["units"].as_array().unwrap().len(), 9);
    assert_eq!(counted["total"]["tech_sme"], 2);

    let listed = ok(&city, &["pool", "--unit", "宝清县"]);
    assert!(
        listed.contains("宝清县第1公司") && listed.contains("共 3 家。"),
        "{listed}"
    );
    assert!(ok(&city, &["pool", "--unit", "230521"]).contains("培育库中没有培育中的企业"));
    let refused = pool_add(&city, &credit_code(9), "x", "tech_sme", "2024-01-01");
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("市级台账的培育库来自各单位的同步包"),
        "{}",
        stderr(&refused)
    );
    let refused_en = run(&city, &["--lang", "en", "pool", "reopen", "abcdef12"]);
    assert!(
        stderr(&refused_en).contains("comes from the units' bundles"),
        "{}",
        stderr(&refused_en)
    );
}

/// A format 4 bundle of unit 230521 (key 1) carrying `records` and the pool `lines` as
/// given, with the manifest's pool count `declared`: what a hostile or broken writer makes.
fn hostile_bundle(records: &[Record], lines: &[String], declared: u64) -> Vec<u8> {
    let mut payload = Vec::new();
    for record in records {
        payload.extend_from_slice(format::canonical_line(record).unwrap().as_bytes());
        payload.push(b'\n');
    }
    for line in lines {
        payload.extend_from_slice(line.as_bytes());
        payload.push(b'\n');
    }
    let manifest = BundleManifest {
        format: 4,
        file_type: "bundle".into(),
        unit: "230521".into(),
        sequence: 1,
        created_at: ts("2024-01-05T03:00:00Z"),
        plan_id: PLAN.into(),
        record_count: records.len() as u64,
        award_event_count: Some(0),
        pool_entry_count: Some(declared),
        payload_sha256: format::sha256_hex(&payload),
        payload_length: payload.len() as u64,
    };
    let manifest = serde_json::to_vec(&manifest).unwrap();
    format::seal_version(&seed(1), 4, FileType::Bundle, &manifest, &payload).unwrap()
}

fn line_of(n: u128, unit: &str) -> PoolLine {
    PoolLine {
        id: id(1000 + n),
        unit: unit.into(),
        credit_code: credit_code(n as u32),
        name: format!("第{n}科技有限公司"),
        stage: "tech_sme".into(),
        target_on: date(2024, 6, 30),
        notes: String::new(),
        status: "open".into(),
        achieved_by: None,
        closed_on: None,
        close_reason: None,
        override_reason: None,
        revision: 1,
        created_by: CLERK.into(),
        created_at: ts("2024-01-02T03:04:05Z"),
        updated_by: CLERK.into(),
        updated_at: ts("2024-01-02T03:04:05Z"),
    }
}

fn text(line: &PoolLine) -> String {
    serde_json::to_string(line).unwrap()
}

/// What a refused bundle's error must be.
type Expected = Box<dyn Fn(&BundleError) -> bool>;

#[test]
fn bundles_with_bad_pool_lines_are_refused_whole() {
    let records = vec![wire_record("230521", RecordKind::TechSme, 1, id(1))];
    let good = [text(&line_of(1, "230521")), text(&line_of(2, "230521"))];
    // The good bundle goes in, so the refusals below are the lines' doing.
    let city = city_ledger(&[("230521", 1)]);
    let fine = hostile_bundle(&records, &good, 2);
    let verified = bundle::inspect(&city, &fine).unwrap();
    bundle::dry_run(&city, &verified).unwrap();
    assert!(
        city.pool_list(&PoolQuery::default()).unwrap().is_empty(),
        "a dry run writes nothing"
    );

    let unknown_field = good[0].replacen('{', r#"{"quota":5,"#, 1);
    let bad_stage = text(&PoolLine {
        stage: "unicorn".into(),
        ..line_of(1, "230521")
    });
    let cases: Vec<(&str, Vec<String>, u64, Expected)> = vec![
        (
            "another unit's entry",
            vec![text(&line_of(1, "230522")), good[1].clone()],
            2,
            Box::new(|e| {
                matches!(
                    e,
                    BundleError::InvalidPoolEntry {
                        line: 2,
                        fault: PoolLineFault::OtherUnit { .. },
                        ..
                    }
                )
            }),
        ),
        (
            "an unknown field",
            vec![unknown_field, good[1].clone()],
            2,
            Box::new(|e| matches!(e, BundleError::Malformed { .. })),
        ),
        (
            "a stage the pool does not know",
            vec![bad_stage, good[1].clone()],
            2,
            Box::new(|e| {
                matches!(
                    e,
                    BundleError::InvalidPoolEntry {
                        fault: PoolLineFault::Stage { .. },
                        ..
                    }
                )
            }),
        ),
        (
            "out of id order",
            vec![good[1].clone(), good[0].clone()],
            2,
            Box::new(|e| {
                matches!(
                    e,
                    BundleError::InvalidPoolEntry {
                        line: 3,
                        fault: PoolLineFault::OutOfOrder,
                        ..
                    }
                )
            }),
        ),
        (
            "more lines than declared",
            good.to_vec(),
            1,
            Box::new(|e| {
                matches!(
                    e,
                    BundleError::CountMismatch {
                        declared: 2,
                        found: 3
                    }
                )
            }),
        ),
        (
            "fewer lines than declared",
            vec![good[0].clone()],
            2,
            Box::new(|e| {
                matches!(
                    e,
                    BundleError::CountMismatch {
                        declared: 3,
                        found: 2
                    }
                )
            }),
        ),
    ];
    for (what, lines, declared, expected) in cases {
        let mut city = city_ledger(&[("230521", 1)]);
        let bytes = hostile_bundle(&records, &lines, declared);
        let outcome = bundle::inspect(&city, &bytes)
            .and_then(|verified| bundle::import(&mut city, &verified, Timestamp::now()));
        match outcome {
            Err(e) => {
                assert!(expected(&e), "{what}: {e:?}");
                use taizhang::i18n::{Lang, Localized};
                assert!(
                    e.localize(Lang::Zh).contains("未导入"),
                    "{what}: {}",
                    e.localize(Lang::Zh)
                );
            }
            Ok(outcome) => panic!("{what} accepted: {outcome:?}"),
        }
        assert!(
            city.pool_list(&PoolQuery::default()).unwrap().is_empty(),
            "{what}"
        );
        assert_eq!(city.record_count().unwrap(), 0, "{what}: nothing imported");
        assert!(city.import_log().unwrap().is_empty(), "{what}");
    }
    let mut city = city_ledger(&[("230521", 1)]);
    let verified = bundle::inspect(&city, &fine).unwrap();
    bundle::import(&mut city, &verified, Timestamp::now()).unwrap();
    assert_eq!(city.pool_list(&PoolQuery::default()).unwrap().len(), 2);
}

#[test]
fn an_entry_id_held_for_another_unit_refuses_the_bundle() {
    let mut city = city_ledger(&[("230521", 1), ("230522", 2)]);
    // Unit 230522 sends an entry first …
    let theirs = PoolLine {
        ..line_of(1, "230522")
    };
    let mut payload = Vec::new();
    payload.extend_from_slice(text(&theirs).as_bytes());
    payload.push(b'\n');
    let manifest = BundleManifest {
        format: 4,
        file_type: "bundle".into(),
        unit: "230522".into(),
        sequence: 1,
        created_at: ts("2024-01-05T03:00:00Z"),
        plan_id: PLAN.into(),
        record_count: 0,
        award_event_count: Some(0),
        pool_entry_count: Some(1),
        payload_sha256: format::sha256_hex(&payload),
        payload_length: payload.len() as u64,
    };
    let bytes = format::seal_version(
        &seed(2),
        4,
        FileType::Bundle,
        &serde_json::to_vec(&manifest).unwrap(),
        &payload,
    )
    .unwrap();
    let verified = bundle::inspect(&city, &bytes).unwrap();
    bundle::import(&mut city, &verified, Timestamp::now()).unwrap();
    // … then 230521 claims the same id.
    let bytes = hostile_bundle(&[], &[text(&line_of(1, "230521"))], 1);
    let verified = bundle::inspect(&city, &bytes).unwrap();
    let refused = bundle::import(&mut city, &verified, Timestamp::now());
    assert!(
        matches!(&refused, Err(BundleError::PoolEntryOfOtherUnit { held_unit, .. }) if held_unit == "230522"),
        "{refused:?}"
    );
    assert_eq!(city.pool_get(id(1001)).unwrap().unit, "230522");
    assert_eq!(city.pool_counts().unwrap().len(), 1);
}

#[test]
fn closing_or_reopening_from_a_stale_revision_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_unit(dir.path(), "230521");
    let id = pool_added(&db, HT_CODE, "华鑫科技", "tech_sme", "2024-06-30");
    let revision = |db: &Path| {
        json(db, &["pool", "show", &id, "--format", "json"])["entry"]["revision"].clone()
    };
    // A first clerk looked at revision 1; a second changed the notes meanwhile (revision 2).
    ok(&db, &["pool", "edit", &id, "--notes", "已走访"]);
    let stale_close = run(
        &db,
        &[
            "pool",
            "close",
            &id,
            "--withdrawn",
            "--reason",
            "企业迁出本市",
            "--expect-revision",
            "1",
        ],
    );
    assert_eq!(stale_close.status.code(), Some(3));
    let said = stderr(&stale_close);
    assert!(
        said.contains("已被他人修改（当前版本 2，您基于版本 1）") && said.contains("未保存"),
        "{said}"
    );
    let entry = json(&db, &["pool", "show", &id, "--format", "json"]);
    assert_eq!(
        (&entry["entry"]["status"], &entry["entry"]["revision"]),
        (&Value::from("open"), &Value::from(2))
    );
    assert_eq!(entry["history"].as_array().unwrap().len(), 2);

    let closed = ok(
        &db,
        &[
            "pool",
            "close",
            &id,
            "--withdrawn",
            "--reason",
            "企业迁出本市",
            "--expect-revision",
            "2",
        ],
    );
    assert!(closed.contains("已退出"), "{closed}");
    assert_eq!(revision(&db), 3);

    let stale_reopen = run(
        &db,
        &[
            "--lang",
            "en",
            "pool",
            "reopen",
            &id,
            "--expect-revision",
            "2",
        ],
    );
    assert_eq!(stale_reopen.status.code(), Some(3));
    let said = stderr(&stale_reopen);
    assert!(
        said.contains("it is now at revision 3; you started from revision 2")
            && said.contains("Nothing was saved"),
        "{said}"
    );
    let entry = json(&db, &["pool", "show", &id, "--format", "json"]);
    assert_eq!(entry["entry"]["status"], "withdrawn");
    assert_eq!(revision(&db), 3);

    assert!(ok(&db, &["pool", "reopen", &id, "--expect-revision", "3"]).contains("已重新培育"));
    assert_eq!(revision(&db), 4);
    let help = ok(&db, &["pool", "reopen", "--help"]);
    assert!(help.contains("--expect-revision"), "{help}");
}

/// A valid credit code registered in `region`, distinct for each `n`.
fn code_in(region: &str, n: u32) -> String {
    let first = format!("91{region}MA1B{n:05}");
    let check = taizhang::domain::credit_code::check_char(&first).unwrap();
    format!("{first}{check}")
}

#[test]
fn a_failed_check_character_names_the_pool_commands_own_flag() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_unit(dir.path(), "230521");
    let good = code_in("230521", 7);
    let expected = good.chars().last().unwrap();
    let wrong = if expected == '3' { '4' } else { '3' };
    let pilot = format!("{}{wrong}", &good[..17]);
    let add = |lang: &str, extra: &[&str]| {
        let mut args = vec![
            "--lang",
            lang,
            "pool",
            "add",
            &pilot,
            "--name",
            "早期试点企业",
            "--stage",
            "tech_sme",
            "--target",
            "2024-06-30",
        ];
        args.extend_from_slice(extra);
        run(&db, &args)
    };
    for (lang, wanted) in [
        ("en", "give the reason with --override-reason"),
        ("zh", "请用 --override-reason 写明校验未通过的原因"),
    ] {
        let refused = add(lang, &[]);
        assert_eq!(refused.status.code(), Some(2), "{lang}");
        let said = stderr(&refused);
        assert!(said.contains(wanted), "{lang}: {said}");
        assert!(
            said.contains(&format!("{expected}")) && !said.contains("--set override_reason"),
            "{lang}: {said}"
        );
    }
    assert!(ok(&db, &["pool", "--all"]).contains("培育库中还没有企业"));
    // The flag the message names keeps the code.
    let kept = add("zh", &["--override-reason", "早期试点代码，与营业执照一致"]);
    assert!(kept.status.success(), "{}", stderr(&kept));
    // The record form's message still names the record form's way.
    let record = run(
        &db,
        &[
            "--lang",
            "en",
            "add",
            "tech_sme",
            "--set",
            "name=早期试点企业",
            "--set",
            &format!("credit_code={pilot}"),
            "--set",
            "reg_no=2023230521A0000001",
            "--set",
            "registered_on=2023-05-01",
        ],
    );
    assert!(
        stderr(&record).contains("--set override_reason="),
        "{}",
        stderr(&record)
    );
}

#[test]
fn a_firm_registered_outside_the_unit_is_warned_of_as_for_a_record() {
    let dir = tempfile::tempdir().unwrap();
    let db = new_unit(dir.path(), "230521");
    let baoqing = code_in("230523", 1);
    let added = pool_add(
        &db,
        &baoqing,
        "宝清县某科技有限公司",
        "tech_sme",
        "2024-06-30",
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let warned = stderr(&added);
    assert!(
        warned.contains("提示：")
            && warned.contains(&format!(
                "“{baoqing}”的登记地区 230523（第 3—8 位）不在本单位"
            )),
        "{warned}"
    );
    // The warning stops nothing, and the id stays alone on stdout for scripts.
    let printed = stdout(&added);
    assert!(
        printed.starts_with("已加入培育库，编号 ") && printed.lines().count() == 1,
        "{printed}"
    );
    let id = added_id(&printed);

    // A record of the same firm warns the same way.
    let record = run(
        &db,
        &[
            "add",
            "tech_sme",
            "--set",
            "name=宝清县某科技有限公司",
            "--set",
            &format!("credit_code={baoqing}"),
            "--set",
            "reg_no=2023230521A0000002",
            "--set",
            "registered_on=2023-05-01",
        ],
    );
    assert!(
        stderr(&record).contains("登记地区 230523"),
        "{}",
        stderr(&record)
    );

    let edited = run(
        &db,
        &["--lang", "en", "pool", "edit", &id, "--notes", "核对中"],
    );
    assert!(edited.status.success(), "{}", stderr(&edited));
    assert!(
        stderr(&edited).contains("registered in region 230523 (positions 3-8), outside this unit"),
        "{}",
        stderr(&edited)
    );

    // A firm of the unit, or one the city's authority registered, is not warned of.
    for (n, region) in [(2, "230521"), (3, "230500")] {
        let inside = run(
            &db,
            &[
                "pool",
                "add",
                &code_in(region, n),
                "--name",
                &format!("集贤县第{n}公司"),
                "--stage",
                "tech_sme",
                "--target",
                "2024-06-30",
            ],
        );
        assert!(inside.status.success(), "{}", stderr(&inside));
        assert!(!stderr(&inside).contains("登记地区"), "{}", stderr(&inside));
    }
}

/// Enrolls the unit ledger's key at the city ledger (both files).
fn enroll(unit: &Path, city: &Path, code: &str) {
    let key = ok(unit, &["--lang", "en", "key"]);
    let key = key
        .lines()
        .find_map(|l| l.strip_prefix("Public key: "))
        .unwrap();
    ok(city, &["enroll", "--unit", code, "--key", key]);
}

/// Exports the unit ledger's next bundle into `usb`; its path.
fn export_cli(unit: &Path, usb: &Path) -> String {
    let exported = ok(
        unit,
        &["--lang", "en", "export", "--out", usb.to_str().unwrap()],
    );
    exported
        .lines()
        .find_map(|l| l.strip_prefix("Bundle written and verified: "))
        .unwrap()
        .to_owned()
}

#[test]
fn a_dry_run_says_how_many_pool_entries_the_unit_would_have_and_has_now() {
    let dir = tempfile::tempdir().unwrap();
    let usb = dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let unit = new_unit(dir.path(), "230523");
    let plain = new_unit(dir.path(), "230521");
    let city = dir.path().join("city.sqlite");
    ok(&city, &["init", "--city"]);
    enroll(&unit, &city, "230523");
    enroll(&plain, &city, "230521");
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(pool_added(
            &unit,
            &credit_code(n),
            &format!("宝清县第{n}公司"),
            "high_tech_candidate",
            "2024-06-30",
        ));
    }
    let first = export_cli(&unit, &usb);
    let dry = ok(&city, &["import", "--dry-run", &first]);
    assert!(
        dry.contains(
            "另：导入后市级台账中单位 230523 的培育库将有企业 3 家（培育中 3 家），现有 0 家（培育中 0 家）"
        ),
        "{dry}"
    );
    assert!(
        ok(&city, &["pool", "--unit", "230523"]).contains("培育库中没有培育中的企业"),
        "a dry run writes nothing"
    );
    ok(&city, &["import", &first]);

    // The next bundle: one entry withdrawn, one achieved, one more added.
    ok(
        &unit,
        &[
            "pool",
            "close",
            &ids[0],
            "--withdrawn",
            "--reason",
            "企业迁出本市",
        ],
    );
    ok(&unit, &["pool", "close", &ids[1], "--achieved"]);
    pool_added(
        &unit,
        &credit_code(4),
        "宝清县第4公司",
        "tech_sme",
        "2024-12-31",
    );
    let second = export_cli(&unit, &usb);
    let dry = ok(&city, &["--lang", "en", "import", "--dry-run", &second]);
    assert!(
        dry.contains(
            "Also: after the import the city would hold 4 cultivation pool entries of unit 230523 (2 open); it holds 3 now (3 open)."
        ),
        "{dry}"
    );
    let held = json(
        &city,
        &["pool", "--unit", "230523", "--all", "--format", "json"],
    );
    assert_eq!(held.as_array().unwrap().len(), 3, "{held}");
    // Taken, entries changed since their creation pass the city's check: the city holds
    // them without their history.
    ok(&city, &["import", &second]);
    assert!(ok(&city, &["check"]).contains("检查通过"));
    assert!(ok(&unit, &["check"]).contains("检查通过"));

    // A unit that keeps no pool, and never sent one, gets no pool line.
    add_plain_record(&plain);
    let none = export_cli(&plain, &usb);
    let dry = ok(&city, &["import", "--dry-run", &none]);
    assert!(!dry.contains("培育库"), "{dry}");
}

fn add_plain_record(db: &Path) {
    ok(
        db,
        &[
            "add",
            "tech_sme",
            "--set",
            "name=集贤县某科技有限公司",
            "--set",
            &format!("credit_code={}", credit_code(77)),
            "--set",
            "reg_no=2023230521A0000077",
            "--set",
            "registered_on=2023-05-01",
        ],
    );
}

/// A pool line of entry `n` achieved by `record`.
fn achieved_line(n: u128, record: uuid::Uuid) -> String {
    text(&PoolLine {
        stage: "high_tech_candidate".into(),
        status: "achieved".into(),
        achieved_by: Some(record),
        closed_on: Some(date(2023, 12, 1)),
        revision: 2,
        ..line_of(n, "230521")
    })
}

#[test]
fn an_entry_achieved_by_a_record_the_bundle_does_not_carry_refuses_the_bundle() {
    // Record 1 is a high-tech record, record 2 a tech SME; record 9 is in no bundle.
    let records = vec![
        wire_record("230521", RecordKind::HighTech, 1, id(1)),
        wire_record("230521", RecordKind::TechSme, 2, id(2)),
    ];
    let lookup = |k: &[u8; 32]| (*k == keys::public_key(&seed(1))).then(|| "230521".to_owned());
    for (what, record) in [
        ("a record the bundle does not carry", id(9)),
        ("a record of the bundle that is no high-tech record", id(2)),
    ] {
        let bytes = hostile_bundle(&records, &[achieved_line(1, record)], 1);
        let mut city = city_ledger(&[("230521", 1)]);
        let verified = bundle::inspect(&city, &bytes).unwrap();
        let refused = |e: &BundleError| {
            matches!(
                e,
                BundleError::PoolAchievedByUnknownRecord { entry, record: r, .. }
                    if *entry == id(1001) && *r == record
            )
        };
        let dry = bundle::dry_run(&city, &verified);
        assert!(dry.as_ref().is_err_and(refused), "{what}: {dry:?}");
        let imported = bundle::import(&mut city, &verified, Timestamp::now());
        let Err(e) = imported else {
            panic!("{what} accepted: {imported:?}");
        };
        assert!(refused(&e), "{what}: {e:?}");
        use taizhang::i18n::{Lang, Localized};
        let zh = e.localize(Lang::Zh);
        assert!(
            zh.contains("整个同步包未导入") && zh.contains(&record.to_string()),
            "{what}: {zh}"
        );
        let en = e.localize(Lang::En);
        assert!(
            en.contains("not a high-tech record the bundle carries"),
            "{what}: {en}"
        );
        assert_eq!(city.record_count().unwrap(), 0, "{what}: nothing imported");
        assert!(city.pool_list(&PoolQuery::default()).unwrap().is_empty());
        assert!(city.import_log().unwrap().is_empty(), "{what}");
        let decoded = format::decode_bundle(&bytes, lookup);
        assert!(decoded.as_ref().is_err_and(refused), "{what}: {decoded:?}");
    }

    // Naming the bundle's high-tech record is what a unit's ledger writes: taken.
    let bytes = hostile_bundle(&records, &[achieved_line(1, id(1))], 1);
    let mut city = city_ledger(&[("230521", 1)]);
    let verified = bundle::inspect(&city, &bytes).unwrap();
    bundle::import(&mut city, &verified, Timestamp::now()).unwrap();
    assert_eq!(city.pool_get(id(1001)).unwrap().achieved_by, Some(id(1)));
    assert!(format::decode_bundle(&bytes, lookup).is_ok());
}

#[test]
fn a_certified_firms_entry_travels_to_the_city_with_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let usb = dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let mut unit = unit_file(dir.path(), "230521", 1);
    let entry = unit
        .pool_add(&pool_fields(1, "high_tech_candidate", "2024-06-30"), CLERK)
        .unwrap();
    let record = unit.insert(&valid(RecordKind::HighTech, 1), CLERK).unwrap();
    assert_eq!(
        unit.pool_get(entry.id).unwrap().achieved_by,
        Some(record.id)
    );
    let path = export_to(&mut unit, &usb, "2024-01-05T03:00:00Z");
    let mut city = city_ledger(&[("230521", 1)]);
    import_file(&mut city, &path).unwrap();
    assert_eq!(
        city.pool_get(entry.id).unwrap().achieved_by,
        Some(record.id)
    );
}

/// Runs SQL on the ledger file behind the program's back, as a damaged file or a hand edit
/// would leave it.
fn tamper(db: &Path, sql: &str, params: &[&str]) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch("PRAGMA ignore_check_constraints = ON;")
        .unwrap();
    conn.execute(sql, rusqlite::params_from_iter(params))
        .unwrap();
}

#[test]
fn check_names_what_is_wrong_in_the_pool_tables() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("230521.sqlite");
    let mut ledger = unit_file(dir.path(), "230521", 1);
    let entries: Vec<String> = (1..=8)
        .map(|n| {
            ledger
                .pool_add(&pool_fields(n, "high_tech_candidate", "2024-06-30"), CLERK)
                .unwrap()
                .id
                .to_string()
        })
        .collect();
    // Firms 2 and 6 are certified: their entries are achieved by their records.
    ledger
        .insert(&valid(RecordKind::HighTech, 2), CLERK)
        .unwrap();
    ledger
        .insert(&valid(RecordKind::HighTech, 6), CLERK)
        .unwrap();
    let registered = ledger
        .insert(&valid(RecordKind::TechSme, 9), CLERK)
        .unwrap();
    let edit = taizhang::domain::pool::validate_edit(None, None, Some("已走访")).unwrap();
    for edited in [&entries[2], &entries[6]] {
        ledger
            .pool_edit(edited.parse().unwrap(), Some(1), &edit, CLERK)
            .unwrap();
    }
    drop(ledger);
    let sound = ok(&db, &["check"]);
    assert!(sound.contains("检查通过"), "{sound}");

    // Firm 1 opened twice (the index that prevents it gone), an unknown stage and status, a
    // withdrawal without its day, an achieving record that does not exist and one that is no
    // certificate, a history row lost, a revision its history does not reach, and a history
    // row of no entry.
    tamper(&db, "DROP INDEX pool_entries_open_firm", &[]);
    let twin = "0188aaaa-0000-7000-8000-000000000001";
    tamper(
        &db,
        "INSERT INTO pool_entries (id, unit, credit_code, name, stage, target_on, notes, status,
             revision, created_by, created_at, updated_by, updated_at)
         SELECT ?1, unit, credit_code, name, stage, target_on, notes, status, revision,
             created_by, created_at, updated_by, updated_at
         FROM pool_entries WHERE id = ?2",
        &[twin, &entries[0]],
    );
    tamper(
        &db,
        "UPDATE pool_entries SET stage = 'unicorn' WHERE id = ?1",
        &[&entries[3]],
    );
    tamper(
        &db,
        "UPDATE pool_entries SET status = 'paused' WHERE id = ?1",
        &[&entries[4]],
    );
    tamper(
        &db,
        "UPDATE pool_entries SET status = 'withdrawn' WHERE id = ?1",
        &[&entries[7]],
    );
    tamper(
        &db,
        "UPDATE pool_entries SET revision = 4 WHERE id = ?1",
        &[&entries[6]],
    );
    let nowhere = "0188bbbb-0000-7000-8000-000000000002";
    tamper(
        &db,
        "UPDATE pool_entries SET achieved_by = ?1 WHERE id = ?2",
        &[nowhere, &entries[1]],
    );
    let registered = registered.id.to_string();
    tamper(
        &db,
        "UPDATE pool_entries SET achieved_by = ?1 WHERE id = ?2",
        &[&registered, &entries[5]],
    );
    tamper(
        &db,
        "DELETE FROM pool_changes WHERE entry_id = ?1",
        &[&entries[2]],
    );
    tamper(
        &db,
        "INSERT INTO pool_changes (seq, entry_id, revision, at, actor, action, detail)
         VALUES (900, 'gone', 2, '2024-01-01T00:00:00Z', 'x', 'edit', '[]')",
        &[],
    );

    let report = store::check_ledger(&db, CheckDepth::Full).unwrap();
    let expected = [
        LedgerProblem::PoolBadValue {
            id: entries[3].clone(),
            column: "stage",
            value: "unicorn".into(),
        },
        LedgerProblem::PoolBadValue {
            id: entries[4].clone(),
            column: "status",
            value: "paused".into(),
        },
        LedgerProblem::PoolBadValue {
            id: entries[7].clone(),
            column: "closed_on",
            value: String::new(),
        },
        LedgerProblem::PoolOpenTwice {
            unit: "230521".into(),
            credit_code: credit_code(1),
            entries: 2,
        },
        LedgerProblem::PoolAchievedBy {
            id: entries[1].clone(),
            record: nowhere.into(),
            fault: AchievedByFault::Missing,
        },
        LedgerProblem::PoolAchievedBy {
            id: entries[5].clone(),
            record: registered.clone(),
            fault: AchievedByFault::NotHighTech {
                kind: "tech_sme".into(),
            },
        },
        LedgerProblem::PoolHistory {
            id: entries[2].clone(),
            revision: 2,
            changes: 0,
            last: None,
        },
        LedgerProblem::PoolHistory {
            id: entries[6].clone(),
            revision: 4,
            changes: 1,
            last: Some(2),
        },
        LedgerProblem::DanglingReference {
            table: "pool_changes".into(),
            rowid: Some(900),
            parent: "pool_entries".into(),
        },
    ];
    assert_eq!(report.problems, expected, "{:#?}", report.problems);
    assert!(!report.only_pool_links());

    let out = run(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stdout(&out);
    for part in [
        format!(
            "问题：培育库中单位 230521 的企业 {} 有 2 条培育中的记录（每家企业只能有一条）",
            credit_code(1)
        ),
        format!("培育库企业 {} 的培育阶段“unicorn”无效", entries[3]),
        format!("培育库企业 {} 的状态“paused”无效", entries[4]),
        format!(
            "培育库企业 {} 写明由记录 {nowhere} 达成，但台账中没有该单位的这条记录",
            entries[1]
        ),
        format!(
            "培育库企业 {} 写明由记录 {registered} 达成，但这条记录是“入库科企”，不是高新企业记录",
            entries[5]
        ),
        format!(
            "培育库企业 {} 为版本 2，但没有任何修改记录（应有 1 条）",
            entries[2]
        ),
        format!(
            "培育库企业 {} 的结束日期与其状态不符（已结束的须有结束日期，培育中的不能有）",
            entries[7]
        ),
        format!(
            "培育库企业 {} 为版本 4，而修改记录有 1 条、最后版本是 2（应为版本 2 至 4 各一条）",
            entries[6]
        ),
        "表 pool_changes 第 900 行指向 pool_entries 中不存在的行".to_owned(),
        "检查发现 9 处问题".to_owned(),
        "从最近的备份恢复".to_owned(),
    ] {
        assert!(said.contains(&part), "{part}:\n{said}");
    }
    let en = stdout(&run(&db, &["--lang", "en", "check"]));
    for part in [
        "open entries of firm",
        "its stage \"unicorn\" is not one the pool knows",
        "its status \"paused\" is not one the pool knows",
        "the ledger holds no such record of its unit",
        "not a high-tech one",
        "is at revision 2 but has no history at all",
        "its closing day does not fit its status (a closed entry has one, an open entry none)",
        "is at revision 4 but its history does not lead there (history rows: 1, the last at revision 2;",
        "found 9 problems",
    ] {
        assert!(en.contains(part), "{part}:\n{en}");
    }
}

#[test]
fn check_tells_a_certificate_whose_code_was_corrected_from_damage() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("230521.sqlite");
    let mut ledger = unit_file(dir.path(), "230521", 1);
    let entry = ledger
        .pool_add(&pool_fields(7, "high_tech_candidate", "2024-06-30"), CLERK)
        .unwrap();
    let record = ledger
        .insert(&valid(RecordKind::HighTech, 7), CLERK)
        .unwrap();
    drop(ledger);
    // A clerk corrects the certificate's credit code: the entry still names the record.
    ok(
        &db,
        &[
            "edit",
            &record.id.to_string(),
            "--set",
            &format!("credit_code={}", credit_code(97)),
        ],
    );
    let id = entry.id.to_string();
    let report = store::check_ledger(&db, CheckDepth::Quick).unwrap();
    assert_eq!(
        report.problems,
        [LedgerProblem::PoolAchievedBy {
            id: id.clone(),
            record: record.id.to_string(),
            fault: AchievedByFault::OtherFirm {
                entry_code: credit_code(7),
                record_code: Some(credit_code(97)),
            },
        }]
    );
    assert!(report.only_pool_links());
    let out = run(&db, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stdout(&out);
    for part in [
        format!(
            "培育库企业 {id}（{}）写明由高新企业记录 {} 达成，但这条记录的统一社会信用代码现在是 {}",
            credit_code(7),
            record.id,
            credit_code(97)
        ),
        format!("`taizhang pool reopen {id}`"),
        "记录本身没有问题".to_owned(),
    ] {
        assert!(said.contains(&part), "{part}:\n{said}");
    }
    assert!(!said.contains("备份"), "{said}");
    // Mended as the line says, the ledger passes.
    ok(&db, &["pool", "reopen", &id]);
    assert!(ok(&db, &["check"]).contains("检查通过"));
}
