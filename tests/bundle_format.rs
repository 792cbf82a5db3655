//! The bundle container as a reader sees it: exact bytes frozen by golden bundles (format 2
//! as written today, format 1 as still read), every check done on the raw bytes before any
//! JSON is read, and every limit enforced.

mod bundle_common;

use bundle_common::*;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha512};
use taizhang::bundle::format::{
    self, BundleInfo, BundleManifest, FORMAT_VERSION, FileType, MAX_LINE_LEN, MAX_RECORDS,
    ReceiptManifest,
};
use taizhang::bundle::{BundleError, FilePart, RecordFault, keys};
use taizhang::domain::{ForbiddenKind, Problem, Record, RecordKind, RecordStatus};

const UNIT: &str = "230521";

/// The golden bundle: key from `seed(1)` (bytes 0x1f..=0x3e), sequence 7 of unit 230521,
/// written 2023-06-30T08:00:00Z, one active and one voided record.
fn golden_records() -> Vec<Record> {
    let mut voided = wire_record(UNIT, RecordKind::Incubator, 2, id(2));
    voided.status = RecordStatus::Voided;
    voided.revision = 3;
    voided.void_reason = Some("重复录入".into());
    voided.updated_at = ts("2023-06-01T01:30:00.25Z");
    // Given out of order: the encoder sorts by id.
    vec![voided, wire_record(UNIT, RecordKind::TechSme, 1, id(1))]
}

fn golden_info() -> BundleInfo {
    BundleInfo {
        unit: UNIT.into(),
        sequence: 7,
        created_at: ts("2023-06-30T08:00:00Z"),
        plan_id: PLAN.into(),
    }
}

/// The golden bundle as this program writes it (format 2).
fn golden() -> Vec<u8> {
    format::encode_bundle(&seed(1), &golden_info(), &golden_records()).unwrap()
}

/// The golden bundle of format 1, as bundles were written before format 2: put together from
/// its frozen parts, since this program no longer writes format 1.
fn golden_v1() -> Vec<u8> {
    let mut bytes = hex::decode(GOLDEN_HEADER).unwrap();
    bytes.extend_from_slice(GOLDEN_MANIFEST.as_bytes());
    for line in GOLDEN_LINES {
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(&hex::decode(GOLDEN_SIGNATURE).unwrap());
    bytes
}

const GOLDEN_PUBLIC_KEY: &str = "af3d20264f9c26ef085b5ce537f417d424037a0963a6386ff6d050e5bf773714";
const GOLDEN_FINGERPRINT: &str = "1800-AB57-707B-67B7";
const GOLDEN_HEADER: &str = "545a42554e444c45000101af3d20264f9c26ef085b5ce537f417d424037a0963a6386ff6d050e5bf773714000000fa000000000000031d";
const GOLDEN_MANIFEST: &str = r#"{"format":1,"type":"bundle","unit":"230521","sequence":7,"created_at":"2023-06-30T08:00:00Z","plan_id":"shuangyashan-2021-2023","record_count":2,"payload_sha256":"c6cef23ebfcd692ffd030b57df74dd397b7bbab9202fceedbbc7e3f728010f7c","payload_length":797}"#;
const GOLDEN_LINES: [&str; 2] = [
    r#"{"id":"01880000-0000-7000-8000-000000000001","unit":"230521","kind":"tech_sme","status":"active","revision":1,"fields":{"credit_code":"91230500MA1B000010","name":"双鸭山市第1科技有限公司","reg_no":"2023230521A0000001","registered_on":"2023-04-01"},"void_reason":null,"created_by":"zhangsan","created_at":"2023-05-01T02:00:00Z","updated_by":"zhangsan","updated_at":"2023-05-01T02:00:00Z"}"#,
    r#"{"id":"01880000-0000-7000-8000-000000000002","unit":"230521","kind":"incubator","status":"voided","revision":3,"fields":{"level":"city","name":"第2众创空间","operator":"集贤县科技局","recognized_on":"2022-03-15","type":"maker_space"},"void_reason":"重复录入","created_by":"zhangsan","created_at":"2023-05-01T02:00:00Z","updated_by":"zhangsan","updated_at":"2023-06-01T01:30:00.25Z"}"#,
];
const GOLDEN_SIGNATURE: &str = "5a87a095c7af023bf6e9405afc6d43b0fcc32fa29f9dcb00e71394bca01dc7093f35700f59f7a189db8f2d45a91ce634d711a92dcd137e2c6e196fd76373d30d";
const GOLDEN_SHA256: &str = "7cca7798b2d547b606aadcc9fbd99bd024a8ed70fc9fd41056ed897786da2557";

/// What the golden bundle's key is pinned to.
fn golden_lookup(key: &[u8; 32]) -> Option<String> {
    (*key == keys::public_key(&seed(1))).then(|| UNIT.to_string())
}

const GOLDEN_V2_HEADER: &str = "545a42554e444c45000201af3d20264f9c26ef085b5ce537f417d424037a0963a6386ff6d050e5bf773714000000fa000000000000031d";
const GOLDEN_V2_MANIFEST: &str = r#"{"format":2,"type":"bundle","unit":"230521","sequence":7,"created_at":"2023-06-30T08:00:00Z","plan_id":"shuangyashan-2021-2023","record_count":2,"payload_sha256":"c6cef23ebfcd692ffd030b57df74dd397b7bbab9202fceedbbc7e3f728010f7c","payload_length":797}"#;
const GOLDEN_V2_SIGNATURE: &str = "4aad74462f18a122cb6a5ca81c082b05f1af2a4bb4930e9edd5b11fda335f135cef91871187673be1a5b029a000651c2132b2ac27ffcbf0958a0fcaeeb96a704";
const GOLDEN_V2_SHA256: &str = "d86067bc33fe543a6c97ef445f779b24389908827dc59c697893edce266db777";

#[test]
fn golden_bundle_bytes_are_frozen() {
    let bytes = golden();
    let public = keys::public_key(&seed(1));
    assert_eq!(keys::key_hex(&public), GOLDEN_PUBLIC_KEY);
    assert_eq!(keys::fingerprint(&public), GOLDEN_FINGERPRINT);
    assert_eq!(hex::encode(&bytes[..55]), GOLDEN_V2_HEADER);
    let manifest_end = 55 + GOLDEN_V2_MANIFEST.len();
    assert_eq!(&bytes[55..manifest_end], GOLDEN_V2_MANIFEST.as_bytes());
    let payload: String = GOLDEN_LINES.iter().map(|l| format!("{l}\n")).collect();
    assert_eq!(
        &bytes[manifest_end..bytes.len() - 64],
        payload.as_bytes(),
        "payload"
    );
    assert_eq!(hex::encode(&bytes[bytes.len() - 64..]), GOLDEN_V2_SIGNATURE);
    assert_eq!(format::sha256_hex(&bytes), GOLDEN_V2_SHA256);
    assert_eq!(
        bytes.len(),
        55 + GOLDEN_V2_MANIFEST.len() + payload.len() + 64
    );
}

/// The format 2 signature checked by another route than the reader's: SHA-512 of every byte
/// before the signature, behind the 19-byte prefix, verified as plain Ed25519.
#[test]
fn golden_bundle_signature_is_ed25519_over_the_prefixed_sha512() {
    let bytes = golden();
    let (signed, signature) = bytes.split_at(bytes.len() - 64);
    let mut message = b"taizhang-v2-sha512:".to_vec();
    message.extend_from_slice(&Sha512::digest(signed));
    assert_eq!(message.len(), 83);
    let key = VerifyingKey::from_bytes(&keys::public_key(&seed(1))).unwrap();
    let signature = Signature::from_slice(signature).unwrap();
    key.verify_strict(&message, &signature).unwrap();
    // And it is not a signature over the bytes themselves (format 1's way).
    assert!(key.verify_strict(signed, &signature).is_err());
}

#[test]
fn golden_bundle_reads_back_as_written() {
    let decoded = format::decode_bundle(&golden(), golden_lookup).unwrap();
    let mut want = golden_records();
    want.sort_by_key(|r| r.id);
    assert_eq!(decoded.records, want);
    assert_eq!(decoded.manifest.format, 2);
    assert_eq!(decoded.manifest.unit, UNIT);
    assert_eq!(decoded.manifest.sequence, 7);
    assert_eq!(decoded.manifest.record_count, 2);
    assert_eq!(decoded.file_sha256, GOLDEN_V2_SHA256);
    assert_eq!(decoded.signer, keys::public_key(&seed(1)));
}

/// Bundles written before format 2 are still read, with the same contents.
#[test]
fn golden_format_1_bundle_is_still_read() {
    let bytes = golden_v1();
    assert_eq!(format::sha256_hex(&bytes), GOLDEN_SHA256);
    assert_eq!(bytes.len(), 1166);
    let decoded = format::decode_bundle(&bytes, golden_lookup).unwrap();
    let mut want = golden_records();
    want.sort_by_key(|r| r.id);
    assert_eq!(decoded.records, want);
    assert_eq!(decoded.manifest.format, 1);
    assert_eq!(decoded.manifest.sequence, 7);
    assert_eq!(decoded.file_sha256, GOLDEN_SHA256);
    // Format 1 signed the bytes themselves, and still has to verify.
    for at in [0x3a, 400, 1100, 1150] {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x04;
        assert!(
            matches!(
                format::decode_bundle(&flipped, golden_lookup),
                Err(BundleError::BadSignature)
            ),
            "byte {at}"
        );
    }
}

/// A manifest must say the format its header says: a format 1 manifest in a format 2 file
/// (or the other way round) is refused, though signed.
#[test]
fn the_manifest_format_must_match_the_header_version() {
    let payload = lines(&golden_records_sorted());
    let mut manifest = manifest_for(&payload, 2);
    manifest.format = 1;
    let bytes = sealed(&json(&manifest), &payload);
    assert!(matches!(
        format::decode_bundle(&bytes, golden_lookup),
        Err(BundleError::Malformed {
            part: FilePart::Manifest,
            ..
        })
    ));
}

/// Format 2 lifts format 1's caps (1,000,000 records, 256 MiB): a format 2 manifest may
/// declare more than a million records (this one then fails only its line count), while the
/// same declaration in a format 1 file is refused as too many.
#[test]
fn format_2_carries_more_records_than_format_1_could() {
    let payload = lines(&golden_records_sorted());
    let many = format::MAX_RECORDS_V1 + 1;
    let v2 = sealed(&json(&manifest_for(&payload, many)), &payload);
    assert!(matches!(
        format::decode_bundle(&v2, golden_lookup),
        Err(BundleError::CountMismatch { declared, found: 2 }) if declared == many
    ));

    let mut manifest = manifest_for(&payload, many);
    manifest.format = 1;
    let manifest = json(&manifest);
    let mut v1 = hex::decode(GOLDEN_HEADER).unwrap();
    v1[43..47].copy_from_slice(&(manifest.len() as u32).to_be_bytes());
    v1[47..55].copy_from_slice(&(payload.len() as u64).to_be_bytes());
    v1.extend_from_slice(&manifest);
    v1.extend_from_slice(&payload);
    let signature = SigningKey::from_bytes(&seed(1)).sign(&v1);
    v1.extend_from_slice(&signature.to_bytes());
    assert!(matches!(
        format::decode_bundle(&v1, golden_lookup),
        Err(BundleError::TooManyRecords { count }) if count == many
    ));
}

fn golden_records_sorted() -> Vec<Record> {
    let mut records = golden_records();
    records.sort_by_key(|r| r.id);
    records
}

/// Pass 2 re-reads the file: bytes that differ from the ones whose signature pass 1 checked
/// are refused, even when each record on its own is valid.
#[test]
fn bytes_changed_between_the_two_passes_are_refused() {
    let bytes = golden();
    let mut changed = bytes.clone();
    // A digit of the first record's name (第1 → 第3): still a valid record.
    let at = 55 + GOLDEN_V2_MANIFEST.len() + GOLDEN_LINES[0].find("第1").unwrap() + 3;
    assert_eq!(changed[at], b'1');
    changed[at] = b'3';
    let path = std::path::Path::new("");
    let verified = format::verify_stream(
        &mut std::io::Cursor::new(&bytes),
        path,
        FileType::Bundle,
        golden_lookup,
        &mut |_| {},
    )
    .unwrap();
    let manifest = format::bundle_manifest(&verified).unwrap();
    let mut reader =
        format::RecordReader::open(std::io::Cursor::new(&changed), path, &verified, &manifest)
            .unwrap();
    let first = reader.next_record().unwrap().unwrap().0;
    assert!(
        first.name().contains("第3"),
        "the changed record reads as valid"
    );
    while reader.next_record().unwrap().is_some() {}
    assert!(matches!(
        reader.finish(),
        Err(BundleError::ChangedWhileReading)
    ));
    // The same bytes both times finish cleanly.
    let mut same =
        format::RecordReader::open(std::io::Cursor::new(&bytes), path, &verified, &manifest)
            .unwrap();
    while same.next_record().unwrap().is_some() {}
    same.finish().unwrap();
}

/// Pass 2 of a file whose bytes became `changed` after pass 1 verified `bytes`: opened, every
/// record read, finished.
fn second_pass(bytes: &[u8], changed: &[u8]) -> Result<(), BundleError> {
    let path = std::path::Path::new("");
    let verified = format::verify_stream(
        &mut std::io::Cursor::new(bytes),
        path,
        FileType::Bundle,
        golden_lookup,
        &mut |_| {},
    )
    .unwrap();
    let manifest = format::bundle_manifest(&verified).unwrap();
    let mut reader =
        format::RecordReader::open(std::io::Cursor::new(changed), path, &verified, &manifest)?;
    while reader.next_record()?.is_some() {}
    reader.finish()
}

#[test]
fn each_part_changed_alone_between_the_passes_is_refused() {
    let bytes = golden();
    let manifest_at = 55;
    let signature_at = bytes.len() - 64;
    let flip = |at: usize| {
        let mut changed = bytes.clone();
        changed[at] ^= 0x01;
        changed
    };
    let cases = [
        ("the header (a key byte)", flip(20)),
        ("the manifest (its sequence digit)", {
            let mut changed = bytes.clone();
            let text = std::str::from_utf8(&changed[manifest_at..manifest_at + 120]).unwrap();
            let at = manifest_at + text.find("\"sequence\":7").unwrap() + 11;
            changed[at] = b'8';
            changed
        }),
        ("the signature alone", flip(signature_at + 10)),
        ("the signature cut short", bytes[..bytes.len() - 1].to_vec()),
        ("a byte added after the signature", {
            let mut longer = bytes.clone();
            longer.push(0);
            longer
        }),
    ];
    for (what, changed) in cases {
        let result = second_pass(&bytes, &changed);
        assert!(
            matches!(result, Err(BundleError::ChangedWhileReading)),
            "{what}: {result:?}"
        );
    }
    second_pass(&bytes, &bytes).unwrap();
}

#[test]
fn an_empty_unit_exports_an_empty_payload() {
    let bytes = format::encode_bundle(&seed(1), &golden_info(), &[]).unwrap();
    let decoded = format::decode_bundle(&bytes, golden_lookup).unwrap();
    assert!(decoded.records.is_empty());
    assert_eq!(decoded.manifest.payload_length, 0);
}

/// A bundle signed with the golden key from raw manifest and payload bytes.
fn sealed(manifest: &[u8], payload: &[u8]) -> Vec<u8> {
    format::seal(&seed(1), FileType::Bundle, manifest, payload).unwrap()
}

/// The manifest that correctly describes `payload`, for the golden unit.
fn manifest_for(payload: &[u8], count: u64) -> BundleManifest {
    BundleManifest {
        format: FORMAT_VERSION,
        file_type: "bundle".into(),
        unit: UNIT.into(),
        sequence: 7,
        created_at: ts("2023-06-30T08:00:00Z"),
        plan_id: PLAN.into(),
        record_count: count,
        award_event_count: None,
        pool_entry_count: None,
        payload_sha256: format::sha256_hex(payload),
        payload_length: payload.len() as u64,
    }
}

fn json(manifest: &BundleManifest) -> Vec<u8> {
    serde_json::to_vec(manifest).unwrap()
}

/// Payload bytes for records, one canonical line each, in the order given.
fn lines(records: &[Record]) -> Vec<u8> {
    records
        .iter()
        .flat_map(|r| format!("{}\n", format::canonical_line(r).unwrap()).into_bytes())
        .collect()
}

/// A correctly described and signed bundle of exactly these records, in this order.
fn bundle_of(records: &[Record]) -> Vec<u8> {
    let payload = lines(records);
    sealed(
        &json(&manifest_for(&payload, records.len() as u64)),
        &payload,
    )
}

#[test]
fn signature_and_key_are_checked_before_any_json_is_read() {
    let garbage = b"this is not json";
    let signed = sealed(garbage, b"");
    // Known key, good signature: only now is the manifest read, and refused.
    assert!(matches!(
        format::decode_bundle(&signed, golden_lookup),
        Err(BundleError::Malformed {
            part: FilePart::Manifest,
            ..
        })
    ));
    // Unknown key: refused as such, the JSON never looked at.
    let unknown = format::decode_bundle(&signed, |_| None);
    let Err(BundleError::UnknownKey { fingerprint }) = unknown else {
        panic!("{unknown:?}");
    };
    assert_eq!(fingerprint, GOLDEN_FINGERPRINT);
    // Altered byte: the signature fails before the JSON is read.
    let mut altered = signed.clone();
    altered[60] ^= 0x01;
    assert!(matches!(
        format::decode_bundle(&altered, golden_lookup),
        Err(BundleError::BadSignature)
    ));
}

/// The golden header with some bytes replaced, and a body of `body_len` zero bytes.
fn header_with(edit: impl FnOnce(&mut Vec<u8>), body_len: usize) -> Vec<u8> {
    let mut bytes = hex::decode(GOLDEN_HEADER).unwrap();
    edit(&mut bytes);
    bytes.resize(55 + body_len, 0);
    bytes
}

#[test]
fn header_fields_and_lengths_are_refused_before_the_body() {
    let total = 55 + GOLDEN_MANIFEST.len() + 797 + 64;
    type Check = fn(&BundleError) -> bool;
    let cases: Vec<(&str, Vec<u8>, Check)> = vec![
        ("magic", header_with(|b| b[0] = b'X', total - 55), |e| {
            matches!(e, BundleError::NotABundle)
        }),
        // Versions 3 (award events) and 4 (pool entries) are read; 5 is the first this
        // program does not know.
        ("version", header_with(|b| b[9] = 5, total - 55), |e| {
            matches!(e, BundleError::UnsupportedVersion { version: 5 })
        }),
        ("type", header_with(|b| b[10] = 9, total - 55), |e| {
            matches!(e, BundleError::UnknownFileType { code: 9 })
        }),
        (
            "manifest length 0",
            header_with(|b| b[43..47].copy_from_slice(&0u32.to_be_bytes()), 900),
            |e| matches!(e, BundleError::ManifestLength { len: 0 }),
        ),
        (
            "manifest length over 64 KiB",
            header_with(|b| b[43..47].copy_from_slice(&65_537u32.to_be_bytes()), 900),
            |e| matches!(e, BundleError::ManifestLength { len: 65_537 }),
        ),
        (
            "payload over 256 MiB",
            header_with(
                |b| b[47..55].copy_from_slice(&(268_435_457u64).to_be_bytes()),
                900,
            ),
            |e| matches!(e, BundleError::PayloadLength { .. }),
        ),
        (
            "payload length beyond the file",
            header_with(|b| b[47..55].copy_from_slice(&u64::MAX.to_be_bytes()), 900),
            |e| matches!(e, BundleError::PayloadLength { .. }),
        ),
        (
            "declares 256 MiB, carries none",
            header_with(
                |b| b[47..55].copy_from_slice(&(268_435_456u64).to_be_bytes()),
                900,
            ),
            |e| matches!(e, BundleError::Truncated { .. }),
        ),
        ("one byte extra", header_with(|_| {}, total - 55 + 1), |e| {
            matches!(e, BundleError::ExtraBytes { .. })
        }),
        (
            "format 2 payload over 64 GiB",
            header_with(
                |b| {
                    b[9] = 2;
                    b[47..55].copy_from_slice(&((1u64 << 36) + 1).to_be_bytes());
                },
                900,
            ),
            |e| matches!(e, BundleError::PayloadLength { .. }),
        ),
        (
            "format 2 declares 64 GiB, carries none",
            header_with(
                |b| {
                    b[9] = 2;
                    b[47..55].copy_from_slice(&(1u64 << 36).to_be_bytes());
                },
                900,
            ),
            |e| matches!(e, BundleError::Truncated { .. }),
        ),
    ];
    for (what, bytes, expected) in cases {
        let got = format::read_header(&bytes).and_then(|_| {
            format::decode_bundle(&bytes, golden_lookup).map(|_| unreachable!("{what}"))
        });
        match got {
            Err(e) => assert!(expected(&e), "{what}: {e:?}"),
            Ok(()) => panic!("{what} accepted"),
        }
    }
}

#[test]
fn receipts_and_bundles_are_not_taken_for_each_other() {
    let receipt =
        format::seal(&seed(1), FileType::Receipt, GOLDEN_MANIFEST.as_bytes(), b"").unwrap();
    assert!(matches!(
        format::decode_bundle(&receipt, golden_lookup),
        Err(BundleError::WrongFileType {
            expected: FileType::Bundle,
            found: FileType::Receipt
        })
    ));
    assert!(matches!(
        format::decode_receipt(&golden(), golden_lookup),
        Err(BundleError::WrongFileType { .. })
    ));
}

#[test]
fn receipt_round_trips_and_carries_no_payload() {
    let manifest = ReceiptManifest {
        format: FORMAT_VERSION,
        file_type: "receipt".into(),
        city: CITY.into(),
        unit: UNIT.into(),
        sequence: 7,
        bundle_sha256: GOLDEN_SHA256.into(),
        record_count: 2,
        award_event_count: None,
        imported_at: ts("2023-07-01T01:00:00Z"),
        created_at: ts("2023-07-01T02:00:00Z"),
    };
    let bytes = format::encode_receipt(&seed(1), &manifest).unwrap();
    let decoded = format::decode_receipt(&bytes, golden_lookup).unwrap();
    assert_eq!(decoded.manifest, manifest);
    assert_eq!(
        bytes.len(),
        55 + serde_json::to_vec(&manifest).unwrap().len() + 64
    );

    let with_payload = format::seal(
        &seed(1),
        FileType::Receipt,
        &serde_json::to_vec(&manifest).unwrap(),
        b"x",
    )
    .unwrap();
    assert!(matches!(
        format::decode_receipt(&with_payload, golden_lookup),
        Err(BundleError::PayloadMismatch)
    ));
}

fn record(n: u32, kind: RecordKind) -> Record {
    wire_record(UNIT, kind, n, id(u128::from(n)))
}

fn with(mut r: Record, edit: impl FnOnce(&mut Record)) -> Record {
    edit(&mut r);
    r
}

fn set_field(key: &'static str, value: &'static str) -> impl FnOnce(&mut Record) {
    move |r: &mut Record| {
        r.fields.insert(key.into(), value.into());
    }
}

#[test]
fn signed_contents_that_break_the_rules_are_refused() {
    let good = record(1, RecordKind::Incubator);
    let payload = lines(std::slice::from_ref(&good));
    let manifest = manifest_for(&payload, 1);
    let mut long_line = vec![b'x'; MAX_LINE_LEN + 1];
    long_line.push(b'\n');

    type Check = fn(&BundleError) -> bool;
    let cases: Vec<(&str, Vec<u8>, Check)> = vec![
        (
            "manifest with an unknown field",
            sealed(
                GOLDEN_MANIFEST
                    .replace("\"format\":1", "\"format\":1,\"extra\":0")
                    .as_bytes(),
                &payload,
            ),
            |e| {
                matches!(
                    e,
                    BundleError::Malformed {
                        part: FilePart::Manifest,
                        ..
                    }
                )
            },
        ),
        (
            "manifest not in canonical form",
            sealed(
                serde_json::to_string_pretty(&manifest).unwrap().as_bytes(),
                &payload,
            ),
            |e| {
                matches!(
                    e,
                    BundleError::Malformed {
                        part: FilePart::Manifest,
                        ..
                    }
                )
            },
        ),
        (
            "manifest type says receipt",
            sealed(
                &json(&BundleManifest {
                    file_type: "receipt".into(),
                    ..manifest.clone()
                }),
                &payload,
            ),
            |e| {
                matches!(
                    e,
                    BundleError::Malformed {
                        part: FilePart::Manifest,
                        ..
                    }
                )
            },
        ),
        (
            "sequence 0",
            sealed(
                &json(&BundleManifest {
                    sequence: 0,
                    ..manifest.clone()
                }),
                &payload,
            ),
            |e| {
                matches!(
                    e,
                    BundleError::Malformed {
                        part: FilePart::Manifest,
                        ..
                    }
                )
            },
        ),
        (
            "manifest names another unit",
            sealed(
                &json(&BundleManifest {
                    unit: "230522".into(),
                    ..manifest.clone()
                }),
                &payload,
            ),
            |e| matches!(e, BundleError::WrongUnit { .. }),
        ),
        (
            "payload hash differs",
            sealed(
                &json(&BundleManifest {
                    payload_sha256: format::sha256_hex(b"other"),
                    ..manifest.clone()
                }),
                &payload,
            ),
            |e| matches!(e, BundleError::PayloadMismatch),
        ),
        (
            "payload length differs",
            sealed(
                &json(&BundleManifest {
                    payload_length: 1,
                    ..manifest.clone()
                }),
                &payload,
            ),
            |e| matches!(e, BundleError::PayloadMismatch),
        ),
        (
            "record count beyond the limit",
            sealed(
                &json(&BundleManifest {
                    record_count: MAX_RECORDS + 1,
                    award_event_count: None,
                    pool_entry_count: None,
                    ..manifest.clone()
                }),
                &payload,
            ),
            |e| matches!(e, BundleError::TooManyRecords { .. }),
        ),
        (
            "record count differs from the lines",
            sealed(
                &json(&BundleManifest {
                    record_count: 2,
                    award_event_count: None,
                    pool_entry_count: None,
                    ..manifest.clone()
                }),
                &payload,
            ),
            |e| {
                matches!(
                    e,
                    BundleError::CountMismatch {
                        declared: 2,
                        found: 1
                    }
                )
            },
        ),
        (
            "line longer than 64 KiB",
            sealed(&json(&manifest_for(&long_line, 1)), &long_line),
            |e| matches!(e, BundleError::LineTooLong { line: 1, .. }),
        ),
        (
            "last line not terminated",
            {
                let cut = &payload[..payload.len() - 1];
                sealed(&json(&manifest_for(cut, 0)), cut)
            },
            |e| {
                matches!(
                    e,
                    BundleError::Malformed {
                        part: FilePart::Line(1),
                        ..
                    }
                )
            },
        ),
        (
            "record with an unknown field",
            {
                let line = format::canonical_line(&good)
                    .unwrap()
                    .replacen("{", "{\"extra\":1,", 1)
                    + "\n";
                sealed(&json(&manifest_for(line.as_bytes(), 1)), line.as_bytes())
            },
            |e| {
                matches!(
                    e,
                    BundleError::Malformed {
                        part: FilePart::Line(1),
                        ..
                    }
                )
            },
        ),
        (
            "record not in canonical form",
            {
                let line = format::canonical_line(&good)
                    .unwrap()
                    .replacen(":", ": ", 1)
                    + "\n";
                sealed(&json(&manifest_for(line.as_bytes(), 1)), line.as_bytes())
            },
            |e| {
                matches!(
                    e,
                    BundleError::Malformed {
                        part: FilePart::Line(1),
                        ..
                    }
                )
            },
        ),
        (
            "record of another unit",
            bundle_of(&[with(good.clone(), |r| r.unit = "230522".into())]),
            |e| matches!(e, BundleError::WrongUnit { .. }),
        ),
        (
            "name longer than the field allows",
            bundle_of(&[with(good.clone(), |r| {
                r.fields.insert("name".into(), "字".repeat(201));
            })]),
            |e| {
                matches!(e, BundleError::InvalidRecord { fault: RecordFault::Fields(issues), .. }
                    if issues.iter().any(|i| i.problem == Problem::TooLong { max: 200 }))
            },
        ),
        (
            "value not normalised",
            bundle_of(&[with(good.clone(), set_field("recognized_on", "2022/3/15"))]),
            |e| {
                matches!(
                    e,
                    BundleError::InvalidRecord {
                        fault: RecordFault::NotNormalised,
                        ..
                    }
                )
            },
        ),
        (
            "control characters in a value",
            bundle_of(&[with(good.clone(), set_field("name", "众创\u{1b}[2J空间"))]),
            |e| {
                matches!(
                    e,
                    BundleError::InvalidRecord {
                        fault: RecordFault::Fields(issues),
                        ..
                    } if issues[0].problem == Problem::ForbiddenCharacter {
                        position: 3,
                        code_point: 0x1B,
                        kind: ForbiddenKind::Control,
                    }
                )
            },
        ),
        (
            "revision 0",
            bundle_of(&[with(good.clone(), |r| r.revision = 0)]),
            |e| {
                matches!(
                    e,
                    BundleError::InvalidRecord {
                        fault: RecordFault::Revision(0),
                        ..
                    }
                )
            },
        ),
        (
            "voided without a reason",
            bundle_of(&[with(good.clone(), |r| r.status = RecordStatus::Voided)]),
            |e| {
                matches!(
                    e,
                    BundleError::InvalidRecord {
                        fault: RecordFault::StatusReason,
                        ..
                    }
                )
            },
        ),
        (
            "active with a void reason",
            bundle_of(&[with(good.clone(), |r| r.void_reason = Some("x".into()))]),
            |e| {
                matches!(
                    e,
                    BundleError::InvalidRecord {
                        fault: RecordFault::StatusReason,
                        ..
                    }
                )
            },
        ),
        (
            "oversized void reason",
            bundle_of(&[with(good.clone(), |r| {
                r.status = RecordStatus::Voided;
                r.void_reason = Some("因".repeat(2001));
            })]),
            |e| {
                matches!(
                    e,
                    BundleError::InvalidRecord {
                        fault: RecordFault::TextTooLong {
                            field: "void_reason",
                            ..
                        },
                        ..
                    }
                )
            },
        ),
        (
            "the same id twice",
            bundle_of(&[
                good.clone(),
                with(record(2, RecordKind::Alliance), |r| r.id = good.id),
            ]),
            |e| matches!(e, BundleError::DuplicateId { .. }),
        ),
        (
            "ids out of order",
            bundle_of(&[record(2, RecordKind::Alliance), good.clone()]),
            |e| matches!(e, BundleError::OutOfOrder { .. }),
        ),
        (
            "two active records of one entry",
            bundle_of(&[good.clone(), with(good.clone(), |r| r.id = id(9))]),
            |e| matches!(e, BundleError::DuplicateEntry { .. }),
        ),
    ];
    for (what, bytes, expected) in cases {
        match format::decode_bundle(&bytes, golden_lookup) {
            Err(e) => assert!(expected(&e), "{what}: {e:?}"),
            Ok(_) => panic!("{what} accepted"),
        }
    }
    // The same entry twice is fine when one of them is voided.
    let tombstone = with(good.clone(), |r| {
        r.id = id(9);
        r.status = RecordStatus::Voided;
        r.void_reason = Some("重复录入".into());
    });
    assert!(format::decode_bundle(&bundle_of(&[good, tombstone]), golden_lookup).is_ok());
}

#[test]
fn the_encoder_refuses_what_a_reader_would_refuse() {
    let other_unit = wire_record("230522", RecordKind::Alliance, 1, id(1));
    assert!(matches!(
        format::encode_bundle(&seed(1), &golden_info(), &[other_unit]),
        Err(BundleError::WrongUnit { .. })
    ));
    let bad = with(record(1, RecordKind::Alliance), |r| r.revision = 0);
    assert!(matches!(
        format::encode_bundle(&seed(1), &golden_info(), &[bad]),
        Err(BundleError::InvalidRecord { line: 1, .. })
    ));
}

#[test]
fn every_kind_travels_intact() {
    let records: Vec<Record> = RecordKind::ALL
        .into_iter()
        .zip(1..)
        .map(|(kind, n)| record(n, kind))
        .collect();
    let bytes = format::encode_bundle(&seed(1), &golden_info(), &records).unwrap();
    assert_eq!(
        format::decode_bundle(&bytes, golden_lookup)
            .unwrap()
            .records,
        records
    );
}

fn golden_receipt_manifest() -> ReceiptManifest {
    ReceiptManifest {
        format: FORMAT_VERSION,
        file_type: "receipt".into(),
        city: CITY.into(),
        unit: UNIT.into(),
        sequence: 7,
        bundle_sha256: GOLDEN_V2_SHA256.into(),
        record_count: 2,
        award_event_count: None,
        imported_at: ts("2023-07-01T01:00:00Z"),
        created_at: ts("2023-07-01T02:00:00Z"),
    }
}

const GOLDEN_RECEIPT_HEADER: &str = "545a42554e444c45000102d1347773501b2378b98e8b0cf3792234c2b36544119b6b7c49a840c48572acd0000000f70000000000000000";
const GOLDEN_RECEIPT_MANIFEST: &str = r#"{"format":1,"type":"receipt","city":"230500","unit":"230521","sequence":7,"bundle_sha256":"7cca7798b2d547b606aadcc9fbd99bd024a8ed70fc9fd41056ed897786da2557","record_count":2,"imported_at":"2023-07-01T01:00:00Z","created_at":"2023-07-01T02:00:00Z"}"#;
const GOLDEN_RECEIPT_SHA256: &str =
    "3f97dbae939fdcea0c407fc8c626e1fb741c885a83c013c780b93a37f2b8609c";
const GOLDEN_V2_RECEIPT_HEADER: &str = "545a42554e444c45000202d1347773501b2378b98e8b0cf3792234c2b36544119b6b7c49a840c48572acd0000000f70000000000000000";
const GOLDEN_V2_RECEIPT_SHA256: &str =
    "05772eb58f3682ed0b635d9515ca97cd75ed78ea3d5ec0d300e8706404c7f808";

/// The golden receipt (format 2): the city key from `seed(2)` answering for the golden bundle.
#[test]
fn golden_receipt_bytes_are_frozen() {
    let bytes = format::encode_receipt(&seed(2), &golden_receipt_manifest()).unwrap();
    assert_eq!(hex::encode(&bytes[..55]), GOLDEN_V2_RECEIPT_HEADER);
    assert_eq!(
        &bytes[55..bytes.len() - 64],
        serde_json::to_vec(&golden_receipt_manifest()).unwrap()
    );
    assert_eq!(format::sha256_hex(&bytes), GOLDEN_V2_RECEIPT_SHA256);
    let city_key = keys::public_key(&seed(2));
    let decoded =
        format::decode_receipt(&bytes, |key| (*key == city_key).then(String::new)).unwrap();
    assert_eq!(decoded.manifest, golden_receipt_manifest());
}

/// A format 1 receipt, signed (pure Ed25519 over all its bytes) by another route than this
/// program's writer, is the frozen one and is still read.
#[test]
fn golden_format_1_receipt_is_still_read() {
    let mut bytes = hex::decode(GOLDEN_RECEIPT_HEADER).unwrap();
    bytes.extend_from_slice(GOLDEN_RECEIPT_MANIFEST.as_bytes());
    let signature = SigningKey::from_bytes(&seed(2)).sign(&bytes);
    bytes.extend_from_slice(&signature.to_bytes());
    assert_eq!(format::sha256_hex(&bytes), GOLDEN_RECEIPT_SHA256);
    let city_key = keys::public_key(&seed(2));
    let decoded =
        format::decode_receipt(&bytes, |key| (*key == city_key).then(String::new)).unwrap();
    assert_eq!(decoded.manifest.format, 1);
    assert_eq!(decoded.manifest.bundle_sha256, GOLDEN_SHA256);
    assert_eq!(decoded.file_sha256, GOLDEN_RECEIPT_SHA256);
}
