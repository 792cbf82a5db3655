//! Keys and sequence lines at the city: weak or misplaced keys are never enrolled, a replaced
//! key starts a new line of sequences, an implausible jump needs the city to confirm, and a
//! unit's new ledger retires the records of its old one.

mod bundle_common;

use bundle_common::*;
use jiff::Timestamp;
use taizhang::bundle::format::{self, BundleInfo};
use taizhang::bundle::{self, BundleError, ImportOutcome, KeyFlaw, keys};
use taizhang::domain::{Record, RecordStatus};
use taizhang::i18n::{Lang, Localized};
use taizhang::store::{Ledger, ListQuery, MAX_SEQUENCE_JUMP, StoreError};

const A: &str = "230521";
const B: &str = "230522";
const OLD_KEY: u8 = 1;
const NEW_KEY: u8 = 3;

fn import_at(city: &mut Ledger, bytes: &[u8], confirm: bool) -> Result<ImportOutcome, BundleError> {
    let verified = bundle::inspect(city, bytes)?;
    bundle::import_confirmed(city, &verified, Timestamp::now(), confirm)
}

fn try_import(city: &mut Ledger, bytes: &[u8]) -> Result<ImportOutcome, BundleError> {
    import_at(city, bytes, false)
}

fn export_bytes(unit: &mut Ledger) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let done = bundle::export(unit, dir.path(), Timestamp::now()).unwrap();
    std::fs::read(done.path).unwrap()
}

/// A bundle of `unit` signed with `seed(key)` under any sequence, carrying `records`.
fn signed(unit: &str, key: u8, sequence: u64, records: &[Record]) -> Vec<u8> {
    let info = BundleInfo {
        unit: unit.into(),
        sequence,
        created_at: ts("2023-07-01T00:00:00Z"),
        plan_id: PLAN.into(),
    };
    format::encode_bundle(&seed(key), &info, records).unwrap()
}

fn retired_count(report: &ImportOutcome) -> u64 {
    match report {
        ImportOutcome::Imported { report } => report.retired,
        other => panic!("not imported: {other:?}"),
    }
}

fn active_names(city: &Ledger, unit: &str) -> Vec<String> {
    let mut names: Vec<String> = city
        .list(&ListQuery {
            unit: Some(unit.into()),
            ..ListQuery::default()
        })
        .unwrap()
        .records
        .iter()
        .map(|r| r.name().to_owned())
        .collect();
    names.sort();
    names
}

fn all_records(city: &Ledger, unit: &str) -> Vec<Record> {
    city.list(&ListQuery {
        unit: Some(unit.into()),
        include_voided: true,
        ..ListQuery::default()
    })
    .unwrap()
    .records
}

/// Encodings of the eight points of small order (the identity among them).
const SMALL_ORDER: [&str; 8] = [
    "0100000000000000000000000000000000000000000000000000000000000000",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
];

fn key_of(text: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    hex::decode_to_slice(text, &mut key).unwrap();
    key
}

/// A point of large order written with y + p instead of y: decodes, but not canonically.
fn non_canonical_key() -> [u8; 32] {
    (2u8..19)
        .find_map(|y| {
            let mut canonical = [0u8; 32];
            canonical[0] = y;
            let weak = ed25519_dalek::VerifyingKey::from_bytes(&canonical)
                .map(|k| k.is_weak())
                .unwrap_or(true);
            if weak {
                return None;
            }
            // p = 2^255 - 19, little-endian: ed ff … ff 7f; y + p for small y.
            let mut key = [0xffu8; 32];
            key[0] = 0xed + y;
            key[31] = 0x7f;
            Some(key)
        })
        .unwrap()
}

#[test]
fn weak_non_canonical_and_own_keys_are_never_enrolled() {
    let mut city = city_ledger(&[(A, OLD_KEY)]);
    let before = city.content_digest().unwrap();
    for text in SMALL_ORDER {
        let key = key_of(text);
        let err = keys::enroll_unit_key(&mut city, B, &key, false, "admin").unwrap_err();
        let expected = if text.starts_with("01") {
            KeyFlaw::Identity
        } else {
            KeyFlaw::SmallOrder
        };
        assert!(
            matches!(err, BundleError::WeakKey { flaw } if flaw == expected),
            "{text}: {err:?}"
        );
        // Typed in by a person, the same key is refused at once.
        assert!(matches!(
            keys::parse_public_key(text),
            Err(BundleError::WeakKey { .. })
        ));
    }
    let non_canonical = non_canonical_key();
    assert!(matches!(
        keys::enroll_unit_key(&mut city, B, &non_canonical, false, "admin"),
        Err(BundleError::WeakKey {
            flaw: KeyFlaw::NonCanonical
        })
    ));
    // The identity written with its sign bit set (x = -0) is non-canonical too.
    let mut negative_zero = key_of(SMALL_ORDER[0]);
    negative_zero[31] |= 0x80;
    assert!(matches!(
        keys::enroll_unit_key(&mut city, B, &negative_zero, false, "admin"),
        Err(BundleError::WeakKey {
            flaw: KeyFlaw::NonCanonical
        })
    ));
    // The city's own key, and a key already pinned to another unit.
    let own = keys::ledger_public_key(&city).unwrap();
    let err = keys::enroll_unit_key(&mut city, B, &own, false, "admin").unwrap_err();
    assert!(matches!(err, BundleError::OwnKey { .. }), "{err:?}");
    assert!(err.localize(Lang::Zh).contains("本市级台账自己的公钥"));
    let a_key = keys::public_key(&seed(OLD_KEY));
    assert!(matches!(
        keys::enroll_unit_key(&mut city, B, &a_key, false, "admin"),
        Err(BundleError::Store(StoreError::KeyPinnedToOtherUnit { .. }))
    ));
    assert_eq!(city.content_digest().unwrap(), before, "nothing pinned");

    // At a unit: its own key, or a weak one, is not the city's key.
    let mut unit = unit_ledger(A, OLD_KEY);
    let err = keys::enroll_city_key(&mut unit, &a_key, false, "clerk").unwrap_err();
    assert!(matches!(err, BundleError::OwnKey { .. }), "{err:?}");
    assert!(err.localize(Lang::En).contains("own public key"));
    assert!(matches!(
        keys::enroll_city_key(&mut unit, &key_of(SMALL_ORDER[4]), false, "clerk"),
        Err(BundleError::WeakKey { .. })
    ));
    assert_eq!(unit.city_key().unwrap(), None);
    let city_key = keys::public_key(&seed(200));
    keys::enroll_city_key(&mut unit, &city_key, false, "clerk").unwrap();
    assert_eq!(unit.city_key().unwrap(), Some(city_key));
}

#[test]
fn a_jump_of_more_than_a_thousand_needs_the_city_to_confirm() {
    let mut unit = unit_ledger(A, OLD_KEY);
    let records = add_records(&mut unit, 1, 2);
    let mut snapshot = records.clone();
    snapshot.sort_by_key(|r| r.id);
    let mut city = city_ledger(&[(A, OLD_KEY), (B, NEW_KEY)]);
    try_import(&mut city, &signed(A, OLD_KEY, 1, &snapshot)).unwrap();

    // One past the limit is refused, naming the flag; the dry run says the same.
    let far = signed(A, OLD_KEY, 2 + MAX_SEQUENCE_JUMP, &snapshot);
    let before = city.content_digest().unwrap();
    let err = try_import(&mut city, &far).unwrap_err();
    assert!(
        matches!(
            err,
            BundleError::Store(StoreError::SequenceJump {
                sequence: 1002,
                held: 1,
                ..
            })
        ),
        "{err:?}"
    );
    assert!(err.localize(Lang::Zh).contains("--confirm-jump"));
    assert!(err.localize(Lang::En).contains("--confirm-jump"));
    let verified = bundle::inspect(&city, &far).unwrap();
    assert!(matches!(
        bundle::preview(&city, &verified, false),
        Err(BundleError::Store(StoreError::SequenceJump { .. }))
    ));
    assert!(bundle::preview(&city, &verified, true).is_ok());
    assert_eq!(city.content_digest().unwrap(), before);

    // Exactly the limit is plausible; past it, the city's confirmation lets it in.
    try_import(
        &mut city,
        &signed(A, OLD_KEY, 1 + MAX_SEQUENCE_JUMP, &snapshot),
    )
    .unwrap();
    let top = signed(A, OLD_KEY, i64::MAX as u64, &snapshot);
    assert!(try_import(&mut city, &top).is_err());
    import_at(&mut city, &top, true).unwrap();
    assert_eq!(
        city.last_import(A).unwrap().unwrap().sequence,
        i64::MAX as u64
    );

    // A line's first bundle starting above the limit is a jump too.
    let b_first = signed(B, NEW_KEY, MAX_SEQUENCE_JUMP + 1, &[]);
    assert!(matches!(
        try_import(&mut city, &b_first),
        Err(BundleError::Store(StoreError::SequenceJump { held: 0, .. }))
    ));
    try_import(&mut city, &signed(B, NEW_KEY, MAX_SEQUENCE_JUMP, &[])).unwrap();
}

#[test]
fn a_stolen_key_at_the_top_of_the_numbers_no_longer_locks_the_unit_out() {
    let mut old = unit_ledger(A, OLD_KEY);
    add_records(&mut old, 1, 3);
    let mut city = city_ledger(&[(A, OLD_KEY)]);
    try_import(&mut city, &export_bytes(&mut old)).unwrap();
    // The thief's bundle, confirmed by mistake, takes the line to its end.
    let snapshot = bundle::export::snapshot(&old).unwrap();
    let top = signed(A, OLD_KEY, i64::MAX as u64, &snapshot);
    import_at(&mut city, &top, true).unwrap();

    // The unit's new ledger, its key enrolled with --replace, starts again at 1.
    let mut new = unit_ledger(A, NEW_KEY);
    add_records(&mut new, 10, 2);
    let new_key = keys::public_key(&seed(NEW_KEY));
    keys::enroll_unit_key(&mut city, A, &new_key, true, "admin").unwrap();
    let first = export_bytes(&mut new);
    let outcome = try_import(&mut city, &first).unwrap();
    assert_eq!(retired_count(&outcome), 3);
    assert_eq!(city.last_import(A).unwrap().unwrap().sequence, 1);
    add_records(&mut new, 20, 1);
    let second = try_import(&mut city, &export_bytes(&mut new)).unwrap();
    assert_eq!(
        retired_count(&second),
        0,
        "only a line's first bundle retires"
    );
    assert_eq!(active_names(&city, A).len(), 3);

    // The stolen key is no longer the unit's: refused, naming it as the former key.
    let again = signed(A, OLD_KEY, 5, &snapshot);
    let err = try_import(&mut city, &again).unwrap_err();
    assert!(
        matches!(&err, BundleError::FormerKey { unit, .. } if unit == A),
        "{err:?}"
    );
    assert!(err.localize(Lang::Zh).contains("旧密钥"));
    // And it cannot be enrolled back for the unit now that the new line holds bundles.
    let old_key = keys::public_key(&seed(OLD_KEY));
    assert!(matches!(
        keys::enroll_unit_key(&mut city, A, &old_key, true, "admin"),
        Err(BundleError::Store(StoreError::KeyLineClosed { .. }))
    ));
}

#[test]
fn a_new_ledger_retires_the_old_ones_records_and_counts_re_entered_firms_once() {
    let mut old = unit_ledger(A, OLD_KEY);
    let old_records = add_records(&mut old, 1, 4);
    let mut city = city_ledger(&[(A, OLD_KEY), (B, NEW_KEY + 1)]);
    try_import(&mut city, &export_bytes(&mut old)).unwrap();
    let mut other_unit = unit_ledger(B, NEW_KEY + 1);
    add_records(&mut other_unit, 50, 2);
    try_import(&mut city, &export_bytes(&mut other_unit)).unwrap();
    assert_eq!(active_names(&city, A).len(), 4);

    // The new ledger re-enters two of the old firms (new ids, same entities) and one more.
    let mut new = unit_ledger(A, NEW_KEY);
    add_records(&mut new, 1, 2);
    add_records(&mut new, 30, 1);
    keys::enroll_unit_key(
        &mut city,
        A,
        &keys::public_key(&seed(NEW_KEY)),
        true,
        "admin",
    )
    .unwrap();
    let first = export_bytes(&mut new);

    // The dry run shows the retirement and takes the re-entered firms as new, not as
    // duplicates of the records being retired; it writes nothing.
    let before = city.content_digest().unwrap();
    let verified = bundle::inspect(&city, &first).unwrap();
    let run = bundle::preview(&city, &verified, false).unwrap();
    assert_eq!(run.retiring, 4);
    assert!(
        run.actions
            .iter()
            .all(|a| a.action == taizhang::store::ImportAction::New),
        "{:?}",
        run.actions
    );
    assert_eq!(city.content_digest().unwrap(), before);

    let outcome = try_import(&mut city, &first).unwrap();
    assert_eq!(retired_count(&outcome), 4);
    let mut expected: Vec<String> = bundle::export::snapshot(&new)
        .unwrap()
        .iter()
        .map(|r| r.name().to_owned())
        .collect();
    expected.sort();
    assert_eq!(active_names(&city, A), expected, "each firm counted once");
    assert_eq!(active_names(&city, B).len(), 2, "other units untouched");

    // The old records stay, voided with the system reason, their revisions the unit's,
    // their history saying when and why.
    let fingerprint = keys::fingerprint(&keys::public_key(&seed(NEW_KEY)));
    for old_record in &old_records {
        let held = all_records(&city, A)
            .into_iter()
            .find(|r| r.id == old_record.id)
            .unwrap();
        assert_eq!(held.status, RecordStatus::Voided);
        assert_eq!(held.revision, old_record.revision);
        let reason = held.void_reason.unwrap();
        assert!(
            reason.contains("新台账") && reason.contains(&fingerprint),
            "{reason}"
        );
        let history = city.history(old_record.id).unwrap();
        assert!(
            history
                .last()
                .is_some_and(|e| e.new.as_deref() == Some(reason.as_str())),
            "{history:?}"
        );
    }
    let log = city.import_log().unwrap();
    assert_eq!(log.iter().map(|r| r.retired).sum::<u64>(), 4);

    // The new ledger's bundle, brought again, is already held; its receipt is for bundle 1.
    assert!(matches!(
        try_import(&mut city, &first),
        Ok(ImportOutcome::AlreadyHeld { sequence: 1, .. })
    ));
}

#[test]
fn a_replaced_key_may_come_back_until_its_successor_has_sent_a_bundle() {
    let mut unit = unit_ledger(A, OLD_KEY);
    add_records(&mut unit, 1, 2);
    let mut city = city_ledger(&[(A, OLD_KEY)]);
    try_import(&mut city, &export_bytes(&mut unit)).unwrap();
    let old_key = keys::public_key(&seed(OLD_KEY));
    let wrong_key = keys::public_key(&seed(NEW_KEY));
    // Replaced by mistake, then put back before any bundle of the other key came in.
    keys::enroll_unit_key(&mut city, A, &wrong_key, true, "admin").unwrap();
    keys::enroll_unit_key(&mut city, A, &old_key, true, "admin").unwrap();
    let outcome = try_import(&mut city, &export_bytes(&mut unit)).unwrap();
    assert_eq!(retired_count(&outcome), 0, "the same line continues");
    assert_eq!(city.last_import(A).unwrap().unwrap().sequence, 2);
}

#[test]
fn an_older_city_ledger_moves_its_imports_onto_the_key_lines_they_came_by() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.sqlite");
    let mut city = keys::create_city_ledger(&path, CITY, PLAN).unwrap();
    city.pin_unit_key(A, &keys::public_key(&seed(OLD_KEY)), false, "admin")
        .unwrap();
    let mut old = unit_ledger(A, OLD_KEY);
    add_records(&mut old, 1, 3);
    try_import(&mut city, &export_bytes(&mut old)).unwrap();
    try_import(&mut city, &export_bytes(&mut old)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    // The key was replaced before the upgrade; the new ledger's bundle 1 was refused then.
    city.pin_unit_key(A, &keys::public_key(&seed(NEW_KEY)), true, "admin")
        .unwrap();
    drop(city);
    {
        // Back to the imports table an earlier taizhang kept: one sequence per unit.
        let conn = rusqlite::Connection::open(&path).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert!(version >= 5);
        conn.execute_batch(
            "CREATE TABLE imports_v4 (
                 unit TEXT NOT NULL, sequence INTEGER NOT NULL CHECK (sequence >= 1),
                 bundle_sha256 TEXT NOT NULL, created_at TEXT NOT NULL,
                 imported_at TEXT NOT NULL, records INTEGER NOT NULL CHECK (records >= 0),
                 new INTEGER NOT NULL, changed INTEGER NOT NULL, unchanged INTEGER NOT NULL,
                 voided INTEGER NOT NULL, PRIMARY KEY (unit, sequence)) WITHOUT ROWID;
             INSERT INTO imports_v4 SELECT unit, sequence, bundle_sha256, created_at,
                 imported_at, records, new, changed, unchanged, voided FROM imports;
             DROP TABLE imports;
             ALTER TABLE imports_v4 RENAME TO imports;
             PRAGMA user_version = 4;",
        )
        .unwrap();
    }
    let mut city = Ledger::open(&path).unwrap();
    assert!(city.info().unwrap().schema_version >= 5);
    let log = city.import_log().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(city.last_import(A).unwrap().unwrap().sequence, 2);

    // The new ledger's first bundle now starts the new key's line.
    let mut new = unit_ledger(A, NEW_KEY);
    add_records(&mut new, 40, 1);
    let outcome = try_import(&mut city, &export_bytes(&mut new)).unwrap();
    assert_eq!(retired_count(&outcome), 3);
    assert_eq!(active_names(&city, A).len(), 1);
}
