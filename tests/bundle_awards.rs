//! Award approvals and payments travelling with bundles (unit → city) and receipts (city →
//! unit), format 3: both sides see the same list; a file without events is format 2 byte for
//! byte; the format 3 golden bundle is frozen; and every broken event line refuses the whole
//! file with nothing imported.

mod bundle_common;

use std::str::FromStr;

use bundle_common::*;
use jiff::civil::Date;
use taizhang::bundle::format::{
    self, BundleInfo, BundleManifest, EventLine, FORMAT_V3, FileType, ReceiptManifest,
};
use taizhang::bundle::{self, AwardEventFault, BundleError, ImportOutcome, keys, receipt};
use taizhang::domain::awards::{
    AwardAction, AwardEvent, AwardLine, AwardStatus, EntitlementKey, FiscalLevel,
};
use taizhang::domain::validate::validate_record;
use taizhang::domain::{Record, RecordKind, RecordStatus, ValidRecord};
use taizhang::i18n::{Lang, Localized, messages};
use taizhang::plan::Plan;
use taizhang::store::{AwardQuery, AwardRequest, Ledger};

const A: &str = "230521";
const B: &str = "230522";
const KEY_A: u8 = 1;
const KEY_B: u8 = 2;
const CITY_KEY: u8 = 200;

fn date(text: &str) -> Date {
    Date::from_str(text).unwrap()
}

/// A high-tech firm (first certification, below size) whose taxes are paid at `level`.
fn high_tech(n: u32, level: &str) -> ValidRecord {
    let mut values = typed(RecordKind::HighTech, n);
    values.insert("tax_level".into(), level.into());
    validate_record(RecordKind::HighTech, &values).unwrap()
}

/// The award line of `record` in `ledger`, under the embedded plan.
fn line_of(ledger: &Ledger, record: uuid::Uuid) -> AwardLine {
    let lines = ledger
        .award_lines(&Plan::embedded(), &AwardQuery::default())
        .unwrap();
    let mut mine: Vec<AwardLine> = lines
        .into_iter()
        .filter(|l| l.key.record == record)
        .collect();
    assert_eq!(mine.len(), 1, "one entitlement for {record}: {mine:?}");
    mine.remove(0)
}

/// Approves and pays the record's one entitlement at this ledger's level.
fn approve_and_pay(ledger: &mut Ledger, record: uuid::Uuid, voucher: &str) -> Vec<AwardEvent> {
    let plan = Plan::embedded();
    let key = line_of(ledger, record).key;
    let approve = AwardRequest {
        key: key.clone(),
        action: AwardAction::Approve,
        on: date("2022-03-01"),
        voucher: None,
    };
    let pay = AwardRequest {
        key,
        action: AwardAction::Pay,
        on: date("2022-04-01"),
        voucher: Some(voucher.into()),
    };
    vec![
        ledger.record_award(&plan, &approve, CLERK).unwrap(),
        ledger.record_award(&plan, &pay, CLERK).unwrap(),
    ]
}

fn export_bytes(unit: &mut Ledger, now: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let done = bundle::export(unit, dir.path(), ts(now)).unwrap();
    std::fs::read(done.path).unwrap()
}

fn version_of(bytes: &[u8]) -> u16 {
    u16::from_be_bytes([bytes[8], bytes[9]])
}

fn try_import(city: &mut Ledger, bytes: &[u8]) -> Result<ImportOutcome, BundleError> {
    let verified = bundle::inspect(city, bytes)?;
    bundle::import(city, &verified, ts("2023-07-02T01:00:00Z"))
}

/// A unit ledger that has pinned the city's key.
fn unit_with_city_key(unit: &str, key: u8) -> Ledger {
    let mut ledger = unit_ledger(unit, key);
    ledger
        .pin_city_key(&keys::public_key(&seed(CITY_KEY)), false, "admin")
        .unwrap();
    ledger
}

#[test]
fn a_units_approval_and_payment_reach_the_city() {
    let mut unit = unit_ledger(A, KEY_A);
    let record = unit.insert(&high_tech(1, "county"), CLERK).unwrap();
    add_records(&mut unit, 2, 3);
    let events = approve_and_pay(&mut unit, record.id, "JX-2022-0001");
    assert_eq!(line_of(&unit, record.id).status, AwardStatus::Paid);

    let bytes = export_bytes(&mut unit, "2023-06-30T00:00:00Z");
    assert_eq!(version_of(&bytes), FORMAT_V3);
    let lookup = |key: &[u8; 32]| (*key == keys::public_key(&seed(KEY_A))).then(|| A.to_owned());
    let decoded = format::decode_bundle(&bytes, lookup).unwrap();
    assert_eq!(decoded.manifest.award_event_count, Some(2));
    assert_eq!(decoded.award_events, events);

    let mut city = city_ledger(&[(A, KEY_A)]);
    let verified = bundle::inspect(&city, &bytes).unwrap();
    assert_eq!(verified.award_event_count(), 2);
    let before = city.content_digest().unwrap();
    let preview = bundle::preview(&city, &verified, false).unwrap();
    assert_eq!(preview.award_events, 2);
    assert_eq!(
        city.content_digest().unwrap(),
        before,
        "a dry run writes nothing"
    );

    let report = match bundle::import(&mut city, &verified, ts("2023-07-01T01:00:00Z")).unwrap() {
        ImportOutcome::Imported { report } => report,
        other => panic!("{other:?}"),
    };
    assert_eq!(report.award_events, Some(2));
    let said = messages::import_done(Lang::Zh, "x.tzb", &report);
    assert!(said.contains("奖补批准和拨付记录 2 条"), "{said}");

    let line = line_of(&city, record.id);
    assert_eq!(line.status, AwardStatus::Paid);
    assert_eq!(line.level, Some(FiscalLevel::County));
    assert_eq!(line.payments.len(), 1);
    assert_eq!(line.payments[0].voucher.as_deref(), Some("JX-2022-0001"));
    assert_eq!(line.payments[0].recorded_by, A);
    assert_eq!(city.award_events_received_from(A).unwrap(), events);
    assert!(city.award_events_recorded_here(None).unwrap().is_empty());

    // The next bundle, of a unit with the same events, replaces them with the same ones.
    let again = export_bytes(&mut unit, "2023-07-30T00:00:00Z");
    try_import(&mut city, &again).unwrap();
    assert_eq!(city.award_events_received_from(A).unwrap(), events);

    // A bundle is the unit's whole snapshot: one without events (format 2) leaves none.
    let records = bundle::export::snapshot(&unit).unwrap();
    let info = BundleInfo {
        unit: A.into(),
        sequence: 10,
        created_at: ts("2023-08-01T00:00:00Z"),
        plan_id: PLAN.into(),
    };
    let v2 = format::encode_bundle(&seed(KEY_A), &info, &records).unwrap();
    assert_eq!(version_of(&v2), 2);
    match try_import(&mut city, &v2).unwrap() {
        ImportOutcome::Imported { report } => assert_eq!(report.award_events, Some(0)),
        other => panic!("{other:?}"),
    }
    assert!(city.award_events_received_from(A).unwrap().is_empty());
    assert_eq!(line_of(&city, record.id).status, AwardStatus::Entitled);
}

#[test]
fn the_citys_approval_and_payment_reach_the_unit_by_receipt() {
    let mut unit = unit_with_city_key(A, KEY_A);
    let record = unit.insert(&high_tech(2, "city"), CLERK).unwrap();
    let bytes = export_bytes(&mut unit, "2023-06-30T00:00:00Z");
    assert_eq!(version_of(&bytes), 2, "no events: format 2");
    let mut city = city_ledger(&[(A, KEY_A), (B, KEY_B)]);
    try_import(&mut city, &bytes).unwrap();

    // Before the city pays anything, its receipt is format 2, as before.
    let dir = tempfile::tempdir().unwrap();
    let plain = receipt::write_receipt(&city, A, dir.path(), ts("2023-07-01T02:00:00Z")).unwrap();
    assert_eq!(plain.award_events, 0);
    let plain_bytes = std::fs::read(&plain.path).unwrap();
    assert_eq!(version_of(&plain_bytes), 2);

    let events = approve_and_pay(&mut city, record.id, "SYS-2022-0009");
    assert_eq!(line_of(&city, record.id).status, AwardStatus::Paid);
    let done = receipt::write_receipt(&city, A, dir.path(), ts("2023-07-02T02:00:00Z")).unwrap();
    assert_eq!(done.award_events, 2);
    assert!(messages::receipt_written(Lang::Zh, &done).contains("奖补批准和拨付记录 2 条"));
    let receipt_bytes = std::fs::read(&done.path).unwrap();
    assert_eq!(version_of(&receipt_bytes), FORMAT_V3);
    let city_key = keys::public_key(&seed(CITY_KEY));
    let decoded =
        format::decode_receipt(&receipt_bytes, |k| (*k == city_key).then(String::new)).unwrap();
    assert_eq!(decoded.manifest.award_event_count, Some(2));
    assert_eq!(decoded.award_events, events);

    assert_eq!(line_of(&unit, record.id).status, AwardStatus::Entitled);
    bundle::import_receipt_file(&mut unit, &done.path, CITY).unwrap();
    let line = line_of(&unit, record.id);
    assert_eq!(line.status, AwardStatus::Paid);
    assert_eq!(line.level, Some(FiscalLevel::City));
    assert_eq!(line.payments[0].voucher.as_deref(), Some("SYS-2022-0009"));
    assert_eq!(unit.award_events_received_from(CITY).unwrap(), events);
    // Received events are not the unit's own: they do not travel back in its bundles.
    assert!(unit.award_events_recorded_here(None).unwrap().is_empty());
    assert_eq!(
        version_of(&export_bytes(&mut unit, "2023-07-03T00:00:00Z")),
        2
    );

    // A later receipt without events (the same bundle held) empties the received copy.
    let mut manifest = decoded.manifest.clone();
    manifest.format = 2;
    manifest.award_event_count = None;
    manifest.created_at = ts("2023-07-05T02:00:00Z");
    let later = format::encode_receipt(&seed(CITY_KEY), &manifest).unwrap();
    bundle::import_receipt(&mut unit, &later, CITY).unwrap();
    assert!(unit.award_events_received_from(CITY).unwrap().is_empty());
    assert_eq!(line_of(&unit, record.id).status, AwardStatus::Entitled);
}

#[test]
fn an_older_receipt_leaves_the_received_events_alone() {
    let mut unit = unit_with_city_key(A, KEY_A);
    let record = unit.insert(&high_tech(3, "city"), CLERK).unwrap();
    let first = export_bytes(&mut unit, "2023-06-01T00:00:00Z");
    let mut city = city_ledger(&[(A, KEY_A)]);
    try_import(&mut city, &first).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let old = receipt::write_receipt(&city, A, dir.path(), ts("2023-06-02T00:00:00Z")).unwrap();
    let old = std::fs::read(&old.path).unwrap();

    let second = export_bytes(&mut unit, "2023-06-30T00:00:00Z");
    try_import(&mut city, &second).unwrap();
    let events = approve_and_pay(&mut city, record.id, "SYS-1");
    let new = receipt::write_receipt(&city, A, dir.path(), ts("2023-07-02T00:00:00Z")).unwrap();
    bundle::import_receipt_file(&mut unit, &new.path, CITY).unwrap();
    bundle::import_receipt(&mut unit, &old, CITY).unwrap();
    assert_eq!(unit.award_events_received_from(CITY).unwrap(), events);
    assert_eq!(unit.last_receipt().unwrap().unwrap().sequence, 2);
}

// ---- The format 3 golden bundle ---------------------------------------------------------

/// The golden records of `tests/bundle_format.rs`: one active tech SME, one voided incubator.
fn golden_records() -> Vec<Record> {
    let mut voided = wire_record(A, RecordKind::Incubator, 2, id(2));
    voided.status = RecordStatus::Voided;
    voided.revision = 3;
    voided.void_reason = Some("重复录入".into());
    voided.updated_at = ts("2023-06-01T01:30:00.25Z");
    vec![wire_record(A, RecordKind::TechSme, 1, id(1)), voided]
}

fn golden_info() -> BundleInfo {
    BundleInfo {
        unit: A.into(),
        sequence: 7,
        created_at: ts("2023-06-30T08:00:00Z"),
        plan_id: PLAN.into(),
    }
}

/// The county's approval and payment of the tech SME's subsidy for 2023.
fn golden_events() -> Vec<AwardEvent> {
    let approve = AwardEvent {
        key: EntitlementKey {
            record: id(1),
            rule: "tech_sme_subsidy".into(),
            year: 2023,
        },
        unit: A.into(),
        level: FiscalLevel::County,
        action: AwardAction::Approve,
        fen: 2_000_000,
        on: date("2023-06-10"),
        voucher: None,
        recorded_by: A.into(),
        actor: CLERK.into(),
        at: ts("2023-06-10T01:00:00Z"),
    };
    let pay = AwardEvent {
        action: AwardAction::Pay,
        on: date("2023-06-20"),
        voucher: Some("集财-2023-017".into()),
        at: ts("2023-06-20T03:15:00.5Z"),
        ..approve.clone()
    };
    // Given out of order: the writer sorts them.
    vec![pay, approve]
}

fn golden_v3() -> Vec<u8> {
    format::encode_bundle_with_awards(
        &seed(KEY_A),
        &golden_info(),
        &golden_records(),
        &golden_events(),
    )
    .unwrap()
}

fn golden_lookup(key: &[u8; 32]) -> Option<String> {
    (*key == keys::public_key(&seed(KEY_A))).then(|| A.to_string())
}

const GOLDEN_V3_HEADER: &str = "545a42554e444c45000301af3d20264f9c26ef085b5ce537f417d424037a0963a6386ff6d050e5bf77371400000111000000000000052a";
const GOLDEN_V3_MANIFEST: &str = r#"{"format":3,"type":"bundle","unit":"230521","sequence":7,"created_at":"2023-06-30T08:00:00Z","plan_id":"shuangyashan-2021-2023","record_count":2,"award_event_count":2,"payload_sha256":"d64218deffbe84c0066da860b5f6b7a291ad3f139e7f01d5f65012fb0b9fb6e7","payload_length":1322}"#;
const GOLDEN_V3_EVENT_LINES: [&str; 2] = [
    r#"{"record":"01880000-0000-7000-8000-000000000001","rule":"tech_sme_subsidy","year":2023,"unit":"230521","level":"county","action":"approve","fen":2000000,"on":"2023-06-10","voucher":null,"recorded_by":"230521","actor":"zhangsan","at":"2023-06-10T01:00:00Z"}"#,
    r#"{"record":"01880000-0000-7000-8000-000000000001","rule":"tech_sme_subsidy","year":2023,"unit":"230521","level":"county","action":"pay","fen":2000000,"on":"2023-06-20","voucher":"集财-2023-017","recorded_by":"230521","actor":"zhangsan","at":"2023-06-20T03:15:00.5Z"}"#,
];
const GOLDEN_V3_SIGNATURE: &str = "f8bcb9ca0792b28effdf268a2d79d8093b926f4f3889fafbe8aa0aba2109d8512462603bda47c410a8b1db31b81e57cf8cb54ec28504a91e6eadf1e003e26a09";
const GOLDEN_V3_SHA256: &str = "27d356f296ece938c23dbf12b079e02ab303d9cbc64fbaf07aa7640603f5c272";
/// The two record lines of the golden bundle (as in `tests/bundle_format.rs`).
const GOLDEN_RECORD_LINES_SHA256: &str =
    "c6cef23ebfcd692ffd030b57df74dd397b7bbab9202fceedbbc7e3f728010f7c";

#[test]
fn golden_format_3_bundle_bytes_are_frozen() {
    let bytes = golden_v3();
    assert_eq!(hex::encode(&bytes[..55]), GOLDEN_V3_HEADER);
    let manifest_end = 55 + GOLDEN_V3_MANIFEST.len();
    assert_eq!(&bytes[55..manifest_end], GOLDEN_V3_MANIFEST.as_bytes());
    let payload = &bytes[manifest_end..bytes.len() - 64];
    let records: Vec<String> = golden_records()
        .iter()
        .map(|r| format!("{}\n", format::canonical_line(r).unwrap()))
        .collect();
    let records = records.concat();
    assert_eq!(
        format::sha256_hex(records.as_bytes()),
        GOLDEN_RECORD_LINES_SHA256
    );
    let events: String = GOLDEN_V3_EVENT_LINES
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(payload, format!("{records}{events}").as_bytes(), "payload");
    assert_eq!(hex::encode(&bytes[bytes.len() - 64..]), GOLDEN_V3_SIGNATURE);
    assert_eq!(format::sha256_hex(&bytes), GOLDEN_V3_SHA256);

    let decoded = format::decode_bundle(&bytes, golden_lookup).unwrap();
    assert_eq!(decoded.manifest.format, 3);
    assert_eq!(decoded.records.len(), 2);
    assert_eq!(
        decoded.award_events,
        format::sorted_events(&golden_events())
    );
}

/// The golden receipt of format 3: the city (test-only key `seed(2)`) answering the golden
/// bundle with its own approval and payment of the tech SME's subsidy.
fn golden_v3_receipt() -> Vec<u8> {
    let manifest = ReceiptManifest {
        format: 2,
        file_type: "receipt".into(),
        city: CITY.into(),
        unit: A.into(),
        sequence: 7,
        bundle_sha256: GOLDEN_V3_SHA256.into(),
        record_count: 2,
        award_event_count: None,
        imported_at: ts("2023-07-01T01:00:00Z"),
        created_at: ts("2023-07-01T02:00:00Z"),
    };
    let events: Vec<AwardEvent> = golden_events()
        .into_iter()
        .map(|e| AwardEvent {
            level: FiscalLevel::City,
            recorded_by: CITY.into(),
            voucher: e.voucher.as_ref().map(|_| "市财-2023-101".into()),
            ..e
        })
        .collect();
    format::encode_receipt_with_awards(&seed(2), &manifest, &events).unwrap()
}

const GOLDEN_V3_RECEIPT_HEADER: &str = "545a42554e444c45000302d1347773501b2378b98e8b0cf3792234c2b36544119b6b7c49a840c48572acd00000010d0000000000000209";
const GOLDEN_V3_RECEIPT_MANIFEST: &str = r#"{"format":3,"type":"receipt","city":"230500","unit":"230521","sequence":7,"bundle_sha256":"27d356f296ece938c23dbf12b079e02ab303d9cbc64fbaf07aa7640603f5c272","record_count":2,"award_event_count":2,"imported_at":"2023-07-01T01:00:00Z","created_at":"2023-07-01T02:00:00Z"}"#;
const GOLDEN_V3_RECEIPT_SHA256: &str =
    "26974244cf8a8100ddbd1b39f72c0e6e6d37cd1fb7c277105d280cc19e7486ba";

#[test]
fn golden_format_3_receipt_bytes_are_frozen() {
    let bytes = golden_v3_receipt();
    assert_eq!(hex::encode(&bytes[..55]), GOLDEN_V3_RECEIPT_HEADER);
    let m = u32::from_be_bytes(bytes[43..47].try_into().unwrap()) as usize;
    assert_eq!(&bytes[55..55 + m], GOLDEN_V3_RECEIPT_MANIFEST.as_bytes());
    assert_eq!(format::sha256_hex(&bytes), GOLDEN_V3_RECEIPT_SHA256);
    let city_key = keys::public_key(&seed(2));
    let decoded = format::decode_receipt(&bytes, |k| (*k == city_key).then(String::new)).unwrap();
    assert_eq!(decoded.award_events.len(), 2);
    assert!(
        decoded
            .award_events
            .iter()
            .all(|e| e.level == FiscalLevel::City)
    );
}

/// The same records without events are the frozen format 2 golden bundle, byte for byte.
#[test]
fn without_events_the_writer_keeps_format_2() {
    let v2 =
        format::encode_bundle_with_awards(&seed(KEY_A), &golden_info(), &golden_records(), &[])
            .unwrap();
    assert_eq!(
        format::sha256_hex(&v2),
        "d86067bc33fe543a6c97ef445f779b24389908827dc59c697893edce266db777"
    );
    assert_eq!(
        v2,
        format::encode_bundle(&seed(KEY_A), &golden_info(), &golden_records()).unwrap()
    );
}

// ---- Refusals ------------------------------------------------------------------------

/// The writer refuses events a reader would refuse, naming the payload line (after the
/// records), and events for records it does not carry.
#[test]
fn the_writer_refuses_what_a_reader_would_refuse() {
    let write = |events: &[AwardEvent]| {
        format::encode_bundle_with_awards(&seed(KEY_A), &golden_info(), &golden_records(), events)
    };
    let mut events = format::sorted_events(&golden_events());
    events[1].unit = B.into();
    assert!(matches!(
        write(&events),
        Err(BundleError::InvalidAwardEvent {
            line: 4,
            fault: AwardEventFault::OtherUnit { .. },
            ..
        })
    ));
    for record in [id(0), id(3)] {
        let mut events = golden_events();
        events[0].key.record = record;
        events[1].key.record = record;
        assert!(
            matches!(
                write(&events),
                Err(BundleError::AwardForUnknownRecord { record: r, .. }) if r == record
            ),
            "{record}"
        );
    }
    // A line longer than a payload line may be is refused as such, even when it breaks
    // another rule too; one exactly as long as allowed is judged by the rules.
    let mut events = format::sorted_events(&golden_events());
    let base = EventLine::of(&events[1]).to_line().unwrap().len();
    let rule_len = format::MAX_LINE_LEN - base + events[1].key.rule.len();
    events[1].key.rule = "z".repeat(rule_len + 1);
    assert!(matches!(
        write(&events),
        Err(BundleError::LineTooLong { line: 4, len }) if len == format::MAX_LINE_LEN + 1
    ));
    events[1].key.rule = "z".repeat(rule_len);
    assert!(matches!(
        write(&events),
        Err(BundleError::InvalidAwardEvent {
            line: 4,
            fault: AwardEventFault::Rule,
            ..
        })
    ));
}

/// The golden event lines, as structures to tamper with, in order.
fn lines_of_golden() -> Vec<EventLine> {
    format::sorted_events(&golden_events())
        .iter()
        .map(EventLine::of)
        .collect()
}

/// A format 3 bundle of unit A, signed with A's key, of the golden records and these event
/// lines as given (not sorted, not checked), its manifest declaring `declared` events.
fn tampered_bundle(
    records: &[Record],
    events: &[EventLine],
    declared: u64,
    sequence: u64,
) -> Vec<u8> {
    let mut payload = Vec::new();
    for record in records {
        payload.extend_from_slice(format::canonical_line(record).unwrap().as_bytes());
        payload.push(b'\n');
    }
    for event in events {
        payload.extend_from_slice(serde_json::to_string(event).unwrap().as_bytes());
        payload.push(b'\n');
    }
    let manifest = BundleManifest {
        format: FORMAT_V3,
        file_type: "bundle".into(),
        unit: A.into(),
        sequence,
        created_at: ts("2023-06-30T08:00:00Z"),
        plan_id: PLAN.into(),
        record_count: records.len() as u64,
        award_event_count: Some(declared),
        pool_entry_count: None,
        payload_sha256: format::sha256_hex(&payload),
        payload_length: payload.len() as u64,
    };
    format::seal_version(
        &seed(KEY_A),
        FORMAT_V3,
        FileType::Bundle,
        &serde_json::to_vec(&manifest).unwrap(),
        &payload,
    )
    .unwrap()
}

/// A city that imported a first bundle of A carrying the golden events.
fn city_holding_events() -> Ledger {
    let mut city = city_ledger(&[(A, KEY_A), (B, KEY_B)]);
    try_import(&mut city, &golden_v3()).unwrap();
    assert_eq!(city.award_events_received_from(A).unwrap().len(), 2);
    city
}

fn assert_refused(
    city: &mut Ledger,
    what: &str,
    bytes: &[u8],
    expected: impl Fn(&BundleError) -> bool,
) {
    let before = city.content_digest().unwrap();
    let received = city.award_events_received_from(A).unwrap();
    // The dry run refuses it as the import does.
    if let Ok(verified) = bundle::inspect(city, bytes) {
        let dry = bundle::preview(city, &verified, false);
        assert!(
            matches!(&dry, Err(e) if expected(e)),
            "{what}: dry run {dry:?}"
        );
    }
    match try_import(city, bytes) {
        Ok(outcome) => panic!("{what}: accepted ({outcome:?})"),
        Err(e) => {
            assert!(expected(&e), "{what}: {e:?}");
            assert!(e.localize(Lang::Zh).contains("未导入"), "{what}");
            assert!(
                e.localize(Lang::En).contains("othing was imported"),
                "{what}: {}",
                e.localize(Lang::En)
            );
        }
    }
    assert_eq!(
        city.content_digest().unwrap(),
        before,
        "{what}: ledger changed"
    );
    assert_eq!(city.award_events_received_from(A).unwrap(), received);
}

/// What a refusal is expected to be.
type Expected = Box<dyn Fn(&BundleError) -> bool>;

fn fault_is(fault: AwardEventFault) -> impl Fn(&BundleError) -> bool {
    move |e| matches!(e, BundleError::InvalidAwardEvent { fault: f, .. } if *f == fault)
}

#[test]
fn broken_event_lines_refuse_the_whole_bundle() {
    let mut city = city_holding_events();
    let records = golden_records();
    let good = lines_of_golden();
    // The untampered file, re-sealed by the test's own route, is accepted by a fresh city:
    // the refusals below are the tampering's.
    let fresh = tampered_bundle(&records, &good, 2, 7);
    assert_eq!(fresh, golden_v3());

    let edit = |n: usize, change: &dyn Fn(&mut EventLine)| {
        let mut lines = good.clone();
        change(&mut lines[n]);
        lines
    };
    let cases: Vec<(&str, Vec<EventLine>, u64, Expected)> = vec![
        (
            "another unit",
            edit(0, &|l| l.unit = B.into()),
            2,
            Box::new(fault_is(AwardEventFault::OtherUnit { unit: B.into() })),
        ),
        (
            "recorded by another ledger",
            edit(1, &|l| l.recorded_by = CITY.into()),
            2,
            Box::new(fault_is(AwardEventFault::OtherRecorder {
                recorded_by: CITY.into(),
            })),
        ),
        (
            "city level in a bundle",
            edit(0, &|l| l.level = "city".into()),
            2,
            Box::new(fault_is(AwardEventFault::Level {
                level: "city".into(),
            })),
        ),
        (
            "a record the bundle does not carry",
            vec![
                EventLine {
                    record: id(9),
                    ..good[0].clone()
                },
                EventLine {
                    record: id(9),
                    ..good[1].clone()
                },
            ],
            2,
            Box::new(
                |e: &BundleError| matches!(e, BundleError::AwardForUnknownRecord { file_type: FileType::Bundle, record } if *record == id(9)),
            ),
        ),
        (
            "the same line twice",
            vec![good[0].clone(), good[0].clone()],
            2,
            Box::new(fault_is(AwardEventFault::Twice)),
        ),
        (
            "out of order",
            vec![good[1].clone(), good[0].clone()],
            2,
            Box::new(fault_is(AwardEventFault::OutOfOrder)),
        ),
        (
            "fewer events declared than lines",
            good.clone(),
            1,
            Box::new(|e: &BundleError| {
                matches!(
                    e,
                    BundleError::CountMismatch {
                        declared: 3,
                        found: 4
                    }
                )
            }),
        ),
        (
            "more events declared than lines",
            good.clone(),
            3,
            Box::new(|e: &BundleError| {
                matches!(
                    e,
                    BundleError::CountMismatch {
                        declared: 5,
                        found: 4
                    }
                )
            }),
        ),
        (
            "a payment without voucher",
            edit(1, &|l| l.voucher = None),
            2,
            Box::new(fault_is(AwardEventFault::Voucher)),
        ),
        (
            "an approval with a voucher",
            edit(0, &|l| l.voucher = Some("X".into())),
            2,
            Box::new(fault_is(AwardEventFault::Voucher)),
        ),
        (
            "a voucher too long",
            edit(1, &|l| l.voucher = Some("9".repeat(65))),
            2,
            Box::new(fault_is(AwardEventFault::Voucher)),
        ),
        (
            "a voucher with a control character",
            edit(1, &|l| l.voucher = Some("A\u{202E}B".into())),
            2,
            Box::new(fault_is(AwardEventFault::Voucher)),
        ),
        (
            "an unknown action",
            edit(1, &|l| l.action = "refund".into()),
            2,
            Box::new(fault_is(AwardEventFault::Action {
                action: "refund".into(),
            })),
        ),
        (
            "a year out of range",
            good.iter()
                .map(|l| EventLine {
                    year: 2101,
                    ..l.clone()
                })
                .collect(),
            2,
            Box::new(fault_is(AwardEventFault::Year { year: 2101 })),
        ),
        (
            "a day out of range",
            edit(1, &|l| l.on = date("1948-12-31")),
            2,
            Box::new(fault_is(AwardEventFault::Year { year: 2023 })),
        ),
        (
            "a rule key with capitals",
            edit(0, &|l| l.rule = "Tech_sme_subsidy".into()),
            2,
            Box::new(|e: &BundleError| matches!(e, BundleError::InvalidAwardEvent { .. })),
        ),
        (
            "an actor too long",
            edit(0, &|l| l.actor = "a".repeat(201)),
            2,
            Box::new(fault_is(AwardEventFault::Actor)),
        ),
    ];
    for (what, lines, declared, expected) in cases {
        let bytes = tampered_bundle(&records, &lines, declared, 8);
        assert_refused(&mut city, what, &bytes, &*expected);
        // A reader holding the whole file refuses it too.
        assert!(
            format::decode_bundle(&bytes, golden_lookup).is_err(),
            "{what}"
        );
    }
}

#[test]
fn manifests_name_award_events_in_format_3_only() {
    let mut city = city_holding_events();
    let records = golden_records();
    let good = lines_of_golden();
    let reseal = |edit: &dyn Fn(&mut BundleManifest), version: u16, lines: &[EventLine]| {
        let bytes = tampered_bundle(&records, lines, lines.len() as u64, 8);
        let m = u32::from_be_bytes(bytes[43..47].try_into().unwrap()) as usize;
        let mut manifest: BundleManifest = serde_json::from_slice(&bytes[55..55 + m]).unwrap();
        edit(&mut manifest);
        let payload = &bytes[55 + m..bytes.len() - 64];
        format::seal_version(
            &seed(KEY_A),
            version,
            FileType::Bundle,
            &serde_json::to_vec(&manifest).unwrap(),
            payload,
        )
        .unwrap()
    };
    let malformed = |e: &BundleError| matches!(e, BundleError::Malformed { .. });
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "format 2 with an event count",
            reseal(&|m| m.format = 2, 2, &good),
        ),
        (
            "format 3 without an event count",
            reseal(&|m| m.award_event_count = None, FORMAT_V3, &good),
        ),
        ("format 3 with no events", reseal(&|_| {}, FORMAT_V3, &[])),
    ];
    for (what, bytes) in cases {
        assert_refused(&mut city, what, &bytes, malformed);
    }
    // More events than a file may carry, declared: refused before any line is read.
    let too_many = reseal(&|m| m.award_event_count = Some(1_000_001), FORMAT_V3, &good);
    assert_refused(&mut city, "too many", &too_many, |e| {
        matches!(e, BundleError::TooManyAwardEvents { .. })
    });
}

/// A line whose bytes are not the canonical form of its contents is refused.
#[test]
fn event_lines_must_be_canonical() {
    let mut city = city_holding_events();
    let records = golden_records();
    let mut payload = Vec::new();
    for record in &records {
        payload.extend_from_slice(format::canonical_line(record).unwrap().as_bytes());
        payload.push(b'\n');
    }
    let good = lines_of_golden();
    let first = serde_json::to_string(&good[0])
        .unwrap()
        .replacen(",", ", ", 1);
    let unknown = serde_json::to_string(&good[1])
        .unwrap()
        .replacen("}", ",\"extra\":1}", 1);
    for (what, lines) in [
        (
            "spaces",
            [first.clone(), serde_json::to_string(&good[1]).unwrap()],
        ),
        (
            "an unknown key",
            [serde_json::to_string(&good[0]).unwrap(), unknown],
        ),
    ] {
        let mut payload = payload.clone();
        for line in lines {
            payload.extend_from_slice(line.as_bytes());
            payload.push(b'\n');
        }
        let manifest = BundleManifest {
            format: FORMAT_V3,
            file_type: "bundle".into(),
            unit: A.into(),
            sequence: 8,
            created_at: ts("2023-06-30T08:00:00Z"),
            plan_id: PLAN.into(),
            record_count: 2,
            award_event_count: Some(2),
            pool_entry_count: None,
            payload_sha256: format::sha256_hex(&payload),
            payload_length: payload.len() as u64,
        };
        let bytes = format::seal_version(
            &seed(KEY_A),
            FORMAT_V3,
            FileType::Bundle,
            &serde_json::to_vec(&manifest).unwrap(),
            &payload,
        )
        .unwrap();
        assert_refused(&mut city, what, &bytes, |e| {
            matches!(e, BundleError::Malformed { .. })
        });
    }
}

/// A receipt's event lines are checked as a bundle's are, for the city at city level; one
/// for a record the unit does not hold refuses the receipt, keeping nothing.
#[test]
fn broken_receipt_events_are_refused_keeping_nothing() {
    let mut unit = unit_with_city_key(A, KEY_A);
    let record = unit.insert(&high_tech(4, "city"), CLERK).unwrap();
    let bytes = export_bytes(&mut unit, "2023-06-30T00:00:00Z");
    let mut city = city_ledger(&[(A, KEY_A)]);
    try_import(&mut city, &bytes).unwrap();
    let events = approve_and_pay(&mut city, record.id, "SYS-7");
    let dir = tempfile::tempdir().unwrap();
    let done = receipt::write_receipt(&city, A, dir.path(), ts("2023-07-02T02:00:00Z")).unwrap();
    let good = std::fs::read(&done.path).unwrap();
    let city_key = keys::public_key(&seed(CITY_KEY));
    let manifest: ReceiptManifest =
        format::decode_receipt(&good, |k| (*k == city_key).then(String::new))
            .unwrap()
            .manifest;
    let lines: Vec<EventLine> = events.iter().map(EventLine::of).collect();
    let sealed = |lines: &[EventLine]| {
        let mut payload = Vec::new();
        for line in lines {
            payload.extend_from_slice(serde_json::to_string(line).unwrap().as_bytes());
            payload.push(b'\n');
        }
        let manifest = ReceiptManifest {
            award_event_count: Some(lines.len() as u64),
            ..manifest.clone()
        };
        format::seal_version(
            &seed(CITY_KEY),
            FORMAT_V3,
            FileType::Receipt,
            &serde_json::to_vec(&manifest).unwrap(),
            &payload,
        )
        .unwrap()
    };
    assert_eq!(sealed(&lines), good, "the test seals as the city does");
    let edit = |n: usize, change: &dyn Fn(&mut EventLine)| {
        let mut l = lines.clone();
        change(&mut l[n]);
        l
    };
    let cases: Vec<(&str, Vec<u8>, Expected)> = vec![
        (
            "county level in a receipt",
            sealed(&edit(0, &|l| l.level = "county".into())),
            Box::new(fault_is(AwardEventFault::Level {
                level: "county".into(),
            })),
        ),
        (
            "recorded by the unit",
            sealed(&edit(0, &|l| l.recorded_by = A.into())),
            Box::new(fault_is(AwardEventFault::OtherRecorder {
                recorded_by: A.into(),
            })),
        ),
        (
            "another unit's event",
            sealed(&edit(1, &|l| l.unit = B.into())),
            Box::new(fault_is(AwardEventFault::OtherUnit { unit: B.into() })),
        ),
        (
            "twice",
            sealed(&[lines[0].clone(), lines[0].clone()]),
            Box::new(fault_is(AwardEventFault::Twice)),
        ),
        (
            "a record this unit does not hold",
            sealed(&[
                EventLine {
                    record: id(77),
                    ..lines[0].clone()
                },
                EventLine {
                    record: id(77),
                    ..lines[1].clone()
                },
            ]),
            Box::new(
                |e: &BundleError| matches!(e, BundleError::AwardForUnknownRecord { file_type: FileType::Receipt, record } if *record == id(77)),
            ),
        ),
        (
            "a count that does not match",
            {
                let mut payload = Vec::new();
                for line in &lines {
                    payload.extend_from_slice(serde_json::to_string(line).unwrap().as_bytes());
                    payload.push(b'\n');
                }
                let manifest = ReceiptManifest {
                    award_event_count: Some(1),
                    ..manifest.clone()
                };
                format::seal_version(
                    &seed(CITY_KEY),
                    FORMAT_V3,
                    FileType::Receipt,
                    &serde_json::to_vec(&manifest).unwrap(),
                    &payload,
                )
                .unwrap()
            },
            Box::new(|e: &BundleError| matches!(e, BundleError::CountMismatch { .. })),
        ),
    ];
    for (what, bytes, expected) in cases {
        let before = unit.content_digest().unwrap();
        let err = bundle::import_receipt(&mut unit, &bytes, CITY).unwrap_err();
        assert!(expected(&err), "{what}: {err:?}");
        assert!(err.localize(Lang::Zh).contains("未导入"), "{what}");
        assert_eq!(
            unit.content_digest().unwrap(),
            before,
            "{what}: ledger changed"
        );
        assert!(unit.last_receipt().unwrap().is_none(), "{what}");
    }
    bundle::import_receipt(&mut unit, &good, CITY).unwrap();
    assert_eq!(unit.award_events_received_from(CITY).unwrap(), events);
}
