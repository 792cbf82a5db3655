//! Bundles an attacker or a damaged stick could bring to the city: each is refused with a
//! message a clerk understands, and the city ledger stays byte-for-byte as it was.

mod bundle_common;

use bundle_common::*;
use jiff::civil::date;
use taizhang::bundle::RecordFault;
use taizhang::bundle::format::{self, BundleInfo, BundleManifest, FileType};
use taizhang::bundle::{self, BundleError, ImportOutcome, keys};
use taizhang::domain::progress::CountWindow;
use taizhang::domain::{ForbiddenKind, Problem, Record, RecordKind, RecordStatus};
use taizhang::i18n::{Lang, Localized};
use taizhang::store::{Ledger, StoreError};

const A: &str = "230521";
const B: &str = "230522";
const KEY_A: u8 = 1;
const KEY_B: u8 = 2;

/// The way the CLI imports: verify and check, then apply.
fn try_import(city: &mut Ledger, bytes: &[u8]) -> Result<ImportOutcome, BundleError> {
    let verified = bundle::inspect(city, bytes)?;
    bundle::import(city, &verified, ts("2023-07-02T01:00:00Z"))
}

/// A small bundle of unit A, a city holding an earlier bundle of A, and the city's digest.
struct Scene {
    city: Ledger,
    unit: Ledger,
    small: Vec<u8>,
}

fn export_bytes(unit: &mut Ledger, now: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let done = bundle::export(unit, dir.path(), ts(now)).unwrap();
    std::fs::read(done.path).unwrap()
}

fn scene() -> Scene {
    let mut unit = unit_ledger(A, KEY_A);
    add_records(&mut unit, 1, 2);
    let mut city = city_ledger(&[(A, KEY_A), (B, KEY_B)]);
    let first = export_bytes(&mut unit, "2023-06-01T00:00:00Z");
    try_import(&mut city, &first).unwrap();
    add_records(&mut unit, 3, 1);
    let small = export_bytes(&mut unit, "2023-06-30T00:00:00Z");
    Scene { city, unit, small }
}

/// Refused as `expected` says, with a clerk's message, and nothing changed.
fn assert_refused(
    city: &mut Ledger,
    what: &str,
    bytes: &[u8],
    expected: impl Fn(&BundleError) -> bool,
) {
    let before = city.content_digest().unwrap();
    match try_import(city, bytes) {
        Ok(outcome) => panic!("{what}: accepted ({outcome:?})"),
        Err(e) => {
            assert!(expected(&e), "{what}: {e:?}");
            let zh = e.localize(Lang::Zh);
            assert!(zh.contains("未导入"), "{what}: {zh}");
            assert!(
                e.localize(Lang::En).contains("othing was imported"),
                "{what}"
            );
        }
    }
    assert_eq!(
        city.content_digest().unwrap(),
        before,
        "{what}: ledger changed"
    );
}

#[test]
fn every_truncation_of_a_small_bundle_is_refused() {
    let Scene {
        mut city, small, ..
    } = scene();
    assert!(small.len() < 4096, "a small bundle");
    for len in 0..small.len() {
        assert_refused(
            &mut city,
            &format!("first {len} bytes"),
            &small[..len],
            |e| matches!(e, BundleError::Truncated { .. }),
        );
    }
    // The whole file goes in.
    assert!(matches!(
        try_import(&mut city, &small),
        Ok(ImportOutcome::Imported { .. })
    ));
}

#[test]
fn bit_flips_in_header_signature_and_body_are_refused() {
    let Scene {
        mut city, small, ..
    } = scene();
    let body = 55..small.len() - 64;
    let positions: Vec<usize> = (0..55)
        .chain(small.len() - 64..small.len())
        .chain(body.clone().step_by(7))
        .collect();
    for at in positions {
        for bit in [0x01u8, 0x80] {
            let mut flipped = small.clone();
            flipped[at] ^= bit;
            let what = format!("byte {at} ^ {bit:#04x}");
            assert_refused(&mut city, &what, &flipped, |e| match at {
                0..=7 => matches!(e, BundleError::NotABundle),
                // 2 ^ 1 is 3, a version that is read: the signature covers the header.
                8..=9 => matches!(
                    e,
                    BundleError::UnsupportedVersion { .. } | BundleError::BadSignature
                ),
                10 => matches!(
                    e,
                    BundleError::UnknownFileType { .. } | BundleError::WrongFileType { .. }
                ),
                11..=42 => matches!(
                    e,
                    BundleError::UnknownKey { .. } | BundleError::BadSignature
                ),
                43..=54 => matches!(
                    e,
                    BundleError::Truncated { .. }
                        | BundleError::ExtraBytes { .. }
                        | BundleError::ManifestLength { .. }
                        | BundleError::PayloadLength { .. }
                ),
                _ => matches!(e, BundleError::BadSignature),
            });
        }
    }
}

#[test]
fn an_altered_file_gets_the_message_a_clerk_understands() {
    let Scene {
        mut city, small, ..
    } = scene();
    let mut altered = small.clone();
    let at = small.len() - 100;
    altered[at] = if altered[at] == b'1' { b'2' } else { b'1' };
    let err = try_import(&mut city, &altered).unwrap_err();
    assert_eq!(
        err.localize(Lang::Zh),
        "文件已损坏或被改动（签名不符），未导入。请让单位重新导出。"
    );
}

#[test]
fn replayed_reused_and_repeated_bundles() {
    let Scene {
        mut city,
        mut unit,
        small,
    } = scene();
    // The city takes bundles 2 and 3; then bundle 2 is brought again.
    try_import(&mut city, &small).unwrap();
    let third = export_bytes(&mut unit, "2023-07-01T00:00:00Z");
    try_import(&mut city, &third).unwrap();
    let older = small;
    assert_refused(&mut city, "replayed older bundle", &older, |e| {
        matches!(
            e,
            BundleError::Store(StoreError::Rollback {
                sequence: 2,
                held: 3,
                ..
            })
        )
    });

    // The unit's key signs a different bundle under the held sequence 3.
    let records = bundle::export::snapshot(&unit).unwrap();
    let reused = format::encode_bundle(
        &seed(KEY_A),
        &BundleInfo {
            unit: A.into(),
            sequence: 3,
            created_at: ts("2023-07-05T00:00:00Z"),
            plan_id: PLAN.into(),
        },
        &records,
    )
    .unwrap();
    assert_refused(&mut city, "reused sequence", &reused, |e| {
        matches!(
            e,
            BundleError::Store(StoreError::SequenceReused { sequence: 3, .. })
        )
    });
    let dry = bundle::inspect(&city, &reused).unwrap();
    assert!(matches!(
        bundle::dry_run(&city, &dry),
        Err(BundleError::Store(StoreError::SequenceReused { .. }))
    ));

    // The bundle already held: nothing written, and said so.
    let held = export_bytes(&mut unit, "2023-07-06T00:00:00Z");
    try_import(&mut city, &held).unwrap();
    let before = city.content_digest().unwrap();
    assert!(matches!(
        try_import(&mut city, &held),
        Ok(ImportOutcome::AlreadyHeld { sequence: 4, .. })
    ));
    assert_eq!(city.content_digest().unwrap(), before);
}

#[test]
fn one_units_key_cannot_carry_another_units_records() {
    let Scene { mut city, .. } = scene();
    let b_record = wire_record(B, RecordKind::Alliance, 50, id(50));
    let info = |unit: &str| BundleInfo {
        unit: unit.into(),
        sequence: 9,
        created_at: ts("2023-07-05T00:00:00Z"),
        plan_id: PLAN.into(),
    };
    // A's key, B's manifest and records.
    let as_b =
        format::encode_bundle(&seed(KEY_A), &info(B), std::slice::from_ref(&b_record)).unwrap();
    assert_refused(&mut city, "A's key, B's manifest", &as_b, |e| {
        matches!(e, BundleError::WrongUnit { key_unit, claimed_unit }
            if key_unit == A && claimed_unit == B)
    });
    // A's key and manifest, B's records inside.
    let line = format!("{}\n", format::canonical_line(&b_record).unwrap());
    let manifest = BundleManifest {
        format: format::FORMAT_VERSION,
        file_type: "bundle".into(),
        unit: A.into(),
        sequence: 9,
        created_at: ts("2023-07-05T00:00:00Z"),
        plan_id: PLAN.into(),
        record_count: 1,
        award_event_count: None,
        pool_entry_count: None,
        payload_sha256: format::sha256_hex(line.as_bytes()),
        payload_length: line.len() as u64,
    };
    let smuggled = format::seal(
        &seed(KEY_A),
        FileType::Bundle,
        &serde_json::to_vec(&manifest).unwrap(),
        line.as_bytes(),
    )
    .unwrap();
    assert_refused(
        &mut city,
        "B's records under A's manifest",
        &smuggled,
        |e| matches!(e, BundleError::WrongUnit { claimed_unit, .. } if claimed_unit == B),
    );
}

#[test]
fn a_record_the_city_holds_for_another_unit_is_refused() {
    let Scene { mut city, unit, .. } = scene();
    let a_record = bundle::export::snapshot(&unit).unwrap().remove(0);
    let mut taken = a_record.clone();
    taken.unit = B.into();
    let bytes = format::encode_bundle(
        &seed(KEY_B),
        &BundleInfo {
            unit: B.into(),
            sequence: 1,
            created_at: ts("2023-07-05T00:00:00Z"),
            plan_id: PLAN.into(),
        },
        &[taken],
    )
    .unwrap();
    assert_refused(
        &mut city,
        "id held by A, sent by B",
        &bytes,
        |e| matches!(e, BundleError::Store(StoreError::ForeignRecord { held_unit, .. }) if held_unit == A),
    );
}

#[test]
fn unknown_keys_oversized_fields_and_huge_counts_are_refused() {
    let Scene { mut city, .. } = scene();
    let info = BundleInfo {
        unit: A.into(),
        sequence: 9,
        created_at: ts("2023-07-05T00:00:00Z"),
        plan_id: PLAN.into(),
    };
    let record = wire_record(A, RecordKind::Incubator, 60, id(60));

    let stranger = format::encode_bundle(&seed(77), &info, std::slice::from_ref(&record)).unwrap();
    let stranger_print = keys::fingerprint(&keys::public_key(&seed(77)));
    assert_refused(
        &mut city,
        "unknown key",
        &stranger,
        |e| matches!(e, BundleError::UnknownKey { fingerprint } if *fingerprint == stranger_print),
    );
    let message = bundle::inspect(&city, &stranger)
        .unwrap_err()
        .localize(Lang::Zh);
    assert!(message.contains(&stranger_print) && message.contains("taizhang enroll"));

    let mut oversized = record.clone();
    oversized.fields.insert("notes".into(), "备".repeat(2001));
    assert_refused(
        &mut city,
        "oversized field",
        &signed_as_a(&[oversized], None),
        |e| matches!(e, BundleError::InvalidRecord { .. }),
    );

    assert_refused(
        &mut city,
        "huge record count",
        &signed_as_a(std::slice::from_ref(&record), Some(20_000_000)),
        |e| matches!(e, BundleError::TooManyRecords { count: 20_000_000 }),
    );

    // A header announcing a payload over 64 GiB: refused from the 55 header bytes.
    let mut huge = signed_as_a(&[record], None);
    huge[47..55].copy_from_slice(&((1u64 << 36) + 1).to_be_bytes());
    assert_refused(&mut city, "huge payload", &huge, |e| {
        matches!(e, BundleError::PayloadLength { .. })
    });
}

/// Pass 2 reads the file again: bytes changed on the stick after the signature was checked
/// (each record still valid on its own) refuse the import, and what was already written in
/// its transaction is rolled back.
#[test]
fn a_file_changed_after_it_verified_is_refused_and_nothing_is_written() {
    let Scene {
        mut city, small, ..
    } = scene();
    let stick = tempfile::tempdir().unwrap();
    let path = stick.path().join("taizhang-230521-000002.tzb");
    std::fs::write(&path, &small).unwrap();
    let verified = bundle::inspect_file(&city, &path, &mut |_| {}).unwrap();

    // The digit of a record's name (第3 → 第7), far enough in that earlier records are
    // already written when the change is read.
    let at = small
        .windows(4)
        .rposition(|w| w == "第3".as_bytes())
        .unwrap()
        + 3;
    let mut changed = small.clone();
    changed[at] = b'7';
    std::fs::write(&path, &changed).unwrap();
    let before = city.content_digest().unwrap();
    let err = bundle::import(&mut city, &verified, ts("2023-07-02T01:00:00Z")).unwrap_err();
    assert!(matches!(err, BundleError::ChangedWhileReading), "{err:?}");
    assert!(err.localize(Lang::Zh).contains("未导入"));
    assert_eq!(city.content_digest().unwrap(), before, "rolled back");
    assert!(matches!(
        bundle::dry_run(&city, &verified),
        Err(BundleError::ChangedWhileReading)
    ));

    // The file as it was signed goes in.
    std::fs::write(&path, &small).unwrap();
    assert!(matches!(
        bundle::import(&mut city, &verified, ts("2023-07-02T01:00:00Z")),
        Ok(ImportOutcome::Imported { .. })
    ));
}

/// A bundle of unit A signed with A's key around exactly these records, optionally with a
/// false record count.
fn signed_as_a(records: &[Record], count: Option<u64>) -> Vec<u8> {
    signed_as(A, KEY_A, records, count)
}

/// A bundle of `unit` signed with `seed(key)` around exactly these records.
fn signed_as(unit: &str, key: u8, records: &[Record], count: Option<u64>) -> Vec<u8> {
    let payload: String = records
        .iter()
        .map(|r| format!("{}\n", format::canonical_line(r).unwrap()))
        .collect();
    let manifest = BundleManifest {
        format: format::FORMAT_VERSION,
        file_type: "bundle".into(),
        unit: unit.into(),
        sequence: 9,
        created_at: ts("2023-07-05T00:00:00Z"),
        plan_id: PLAN.into(),
        record_count: count.unwrap_or(records.len() as u64),
        award_event_count: None,
        pool_entry_count: None,
        payload_sha256: format::sha256_hex(payload.as_bytes()),
        payload_length: payload.len() as u64,
    };
    format::seal(
        &seed(key),
        FileType::Bundle,
        &serde_json::to_vec(&manifest).unwrap(),
        payload.as_bytes(),
    )
    .unwrap()
}

#[test]
fn text_from_a_bundle_never_reaches_the_terminal_raw() {
    let Scene { mut city, .. } = scene();
    // A name with a bidi override and an escape sequence, and too long to be valid.
    let mut hostile = wire_record(A, RecordKind::Incubator, 70, id(70));
    let name = format!("众创\u{202E}空间\u{1b}[2J{}", "长".repeat(200));
    hostile.fields.insert("name".into(), name);
    let err = try_import(&mut city, &signed_as_a(&[hostile.clone()], None)).unwrap_err();
    for lang in [Lang::Zh, Lang::En] {
        let text = err.localize(lang);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202E}'),
            "{text}"
        );
        assert!(text.contains("<U+202E>"), "{text}");
    }
    assert!(!err.to_string().contains('\u{1b}'));

    // A record claiming a unit code made of control characters.
    hostile.unit = "\u{1b}]0;owned\u{7}".into();
    let err = try_import(&mut city, &signed_as_a(&[hostile], None)).unwrap_err();
    assert!(matches!(err, BundleError::WrongUnit { .. }));
    for text in [
        err.localize(Lang::Zh),
        err.localize(Lang::En),
        err.to_string(),
    ] {
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }
}

/// `text` with `planted` put after its first character.
fn planted(text: &str, planted: &str) -> String {
    let mut chars = text.chars();
    let first = chars.next().unwrap();
    format!("{first}{planted}{}", chars.as_str())
}

fn refused_at(
    e: &BundleError,
    field: &str,
    position: usize,
    code_point: u32,
    kind: ForbiddenKind,
) -> bool {
    matches!(
        e,
        BundleError::InvalidRecord { fault: RecordFault::Fields(issues), .. }
            if issues[0].field == field
                && issues[0].problem == Problem::ForbiddenCharacter { position, code_point, kind }
    )
}

/// A hostile unit's look-alike names: refused when they carry characters with no business in
/// a record, refused as one entry twice within a bundle, and counted once across units.
#[test]
fn look_alike_names_from_a_hostile_unit_are_refused_or_counted_once() {
    let Scene { mut city, .. } = scene();
    let held = wire_record(A, RecordKind::Incubator, 80, id(80));
    let name = held.fields["name"].clone();

    let mut twin = held.clone();
    twin.id = id(81);
    twin.fields.insert("name".into(), planted(&name, "\u{AD}"));
    assert_refused(
        &mut city,
        "a soft-hyphen twin in one bundle",
        &signed_as_a(&[held.clone(), twin], None),
        |e| matches!(e, BundleError::DuplicateEntry { .. }),
    );

    for (char, kind) in [
        ('\u{202E}', ForbiddenKind::Bidi),
        ('\u{2066}', ForbiddenKind::Bidi),
        ('\u{E0041}', ForbiddenKind::Tag),
        ('\u{E000}', ForbiddenKind::PrivateUse),
        ('\u{F0000}', ForbiddenKind::PrivateUse),
        ('\u{FDD0}', ForbiddenKind::Noncharacter),
        ('\u{2028}', ForbiddenKind::LineSeparator),
        ('\u{1b}', ForbiddenKind::Control),
    ] {
        let mut hostile = held.clone();
        hostile
            .fields
            .insert("name".into(), planted(&name, &char.to_string()));
        assert_refused(
            &mut city,
            &format!("U+{:04X} in a name", char as u32),
            &signed_as_a(&[hostile], None),
            |e| refused_at(e, "name", 2, char as u32, kind),
        );
    }

    let mut by = held.clone();
    by.created_by = "zhang\u{1b}[2J".into();
    assert_refused(
        &mut city,
        "an escape in created_by",
        &signed_as_a(&[by], None),
        |e| refused_at(e, "created_by", 6, 0x1B, ForbiddenKind::Control),
    );
    let mut by = held.clone();
    by.updated_by = "\u{E0041}".into();
    assert_refused(
        &mut city,
        "a tag in updated_by",
        &signed_as_a(&[by], None),
        |e| refused_at(e, "updated_by", 1, 0xE0041, ForbiddenKind::Tag),
    );
    let mut voided = held.clone();
    voided.status = RecordStatus::Voided;
    voided.void_reason = Some("重复\u{202E}录入".into());
    assert_refused(
        &mut city,
        "a bidi void reason",
        &signed_as_a(&[voided], None),
        |e| refused_at(e, "void_reason", 3, 0x202E, ForbiddenKind::Bidi),
    );

    // The same incubator from unit B with a soft hyphen and a Hangul filler in its name, as an
    // older version may have stored it: accepted, and counted once in the city total.
    let on = CountWindow::ActiveOn {
        on: date(2023, 12, 31),
    };
    let before = city
        .count_distinct(None, RecordKind::Incubator, on)
        .unwrap();
    try_import(&mut city, &signed_as_a(std::slice::from_ref(&held), None)).unwrap();
    assert_eq!(
        city.count_distinct(None, RecordKind::Incubator, on)
            .unwrap(),
        before + 1
    );
    let mut look_alike = wire_record(B, RecordKind::Incubator, 80, id(90));
    look_alike
        .fields
        .insert("name".into(), planted(&name, "\u{AD}\u{3164}"));
    try_import(&mut city, &signed_as(B, KEY_B, &[look_alike], None)).unwrap();
    assert_eq!(
        city.count_distinct(Some(B), RecordKind::Incubator, on)
            .unwrap(),
        1
    );
    assert_eq!(
        city.count_distinct(None, RecordKind::Incubator, on)
            .unwrap(),
        before + 1,
        "one incubator, however its name is spelt"
    );
}
