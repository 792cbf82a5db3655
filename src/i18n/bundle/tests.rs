//! Every bundle message in both languages, safe for the terminal, saying what to do.

use std::path::PathBuf;

use uuid::Uuid;

use super::*;
use crate::bundle::PoolLineFault;
use crate::domain::{FieldIssue, Problem};
use crate::store::StoreError;

const HOSTILE: &str = "23\u{1b}[2J05\u{202E}21";

fn io_error(code: i32) -> std::io::Error {
    std::io::Error::from_raw_os_error(code)
}

/// One example of every variant; the match makes a new variant fail to compile here
/// until it has an example (and so a tested message).
fn examples() -> Vec<BundleError> {
    let id = Uuid::nil();
    let all = vec![
        BundleError::Truncated {
            actual: 10,
            expected: 20,
        },
        BundleError::ExtraBytes {
            actual: 21,
            expected: 20,
        },
        BundleError::NotABundle,
        BundleError::UnsupportedVersion { version: 2 },
        BundleError::UnknownFileType { code: 9 },
        BundleError::WrongFileType {
            expected: FileType::Bundle,
            found: FileType::Receipt,
        },
        BundleError::ManifestLength { len: 0 },
        BundleError::PayloadLength { len: u64::MAX },
        BundleError::UnknownKey {
            fingerprint: "3F2A-9C01-77BE-04D2".into(),
        },
        BundleError::BadSignature,
        BundleError::Malformed {
            part: FilePart::Line(3),
            detail: HOSTILE.into(),
        },
        BundleError::PayloadMismatch,
        BundleError::CountMismatch {
            declared: 2,
            found: 1,
        },
        BundleError::TooManyRecords { count: 5_000_000 },
        BundleError::LineTooLong {
            line: 1,
            len: 70_000,
        },
        BundleError::InvalidRecord {
            line: 4,
            id,
            name: HOSTILE.into(),
            fault: RecordFault::Fields(vec![FieldIssue::new(
                "name",
                Problem::TooLong { max: 200 },
            )]),
        },
        BundleError::WrongUnit {
            key_unit: "230521".into(),
            claimed_unit: HOSTILE.into(),
        },
        BundleError::DuplicateId { id },
        BundleError::DuplicateEntry {
            first: id,
            second: id,
        },
        BundleError::OutOfOrder { id },
        BundleError::PlanMismatch {
            bundle_plan: HOSTILE.into(),
            ledger_plan: "shuangyashan-2021-2023".into(),
        },
        BundleError::NotCity,
        BundleError::NotUnit,
        BundleError::NoSigningKey,
        BundleError::LookAlikesHeld {
            earlier: id,
            later: id,
        },
        BundleError::NoCityKey,
        BundleError::NotFromCity {
            fingerprint: "3F2A-9C01-77BE-04D2".into(),
        },
        BundleError::ReceiptForOtherUnit {
            receipt_unit: HOSTILE.into(),
            ledger_unit: "230521".into(),
        },
        BundleError::NothingImported {
            unit: "230521".into(),
        },
        BundleError::ReceiptMismatch {
            sequence: 3,
            mismatch: ReceiptMismatch::UnknownSequence,
        },
        BundleError::ReceiptMismatch {
            sequence: 3,
            mismatch: ReceiptMismatch::HashDiffers {
                logged: "ab".repeat(32),
                receipt: HOSTILE.into(),
            },
        },
        BundleError::ReceiptMismatch {
            sequence: 3,
            mismatch: ReceiptMismatch::CountDiffers {
                logged: 4,
                receipt: 5,
            },
        },
        BundleError::ReceiptMismatch {
            sequence: 3,
            mismatch: ReceiptMismatch::OtherCity {
                receipt: HOSTILE.into(),
                plan: "230500".into(),
            },
        },
        BundleError::WeakKey {
            flaw: KeyFlaw::NonCanonical,
        },
        BundleError::WeakKey {
            flaw: KeyFlaw::Identity,
        },
        BundleError::WeakKey {
            flaw: KeyFlaw::SmallOrder,
        },
        BundleError::OwnKey {
            role: crate::store::LedgerRole::City,
        },
        BundleError::OwnKey {
            role: crate::store::LedgerRole::Unit,
        },
        BundleError::FormerKey {
            unit: HOSTILE.into(),
            fingerprint: "3F2A-9C01-77BE-04D2".into(),
            replaced_at: jiff::Timestamp::UNIX_EPOCH,
        },
        BundleError::BadKey {
            text: HOSTILE.into(),
        },
        BundleError::NoRandom {
            reason: "ENOSYS".into(),
        },
        BundleError::Disk {
            file_type: FileType::Bundle,
            step: ExportStep::Write,
            problem: DiskProblem::Other,
            path: PathBuf::from(format!("/media/{HOSTILE}")),
            source: io_error(22),
        },
        BundleError::ReadBackMismatch {
            file_type: FileType::Receipt,
            path: PathBuf::from("/media/u"),
        },
        BundleError::Read {
            path: PathBuf::from("/media/u/x.tzb"),
            source: io_error(2),
        },
        BundleError::Unexportable {
            id: Uuid::nil(),
            name: HOSTILE.into(),
            fault: RecordFault::TextTooLong {
                field: "void_reason",
                max: 2000,
            },
        },
        BundleError::NotAFile {
            path: PathBuf::from(format!("/media/{HOSTILE}")),
        },
        BundleError::NoFiles {
            path: PathBuf::from("/media/u"),
            file_type: FileType::Bundle,
        },
        BundleError::NoFiles {
            path: PathBuf::from("/media/u"),
            file_type: FileType::Receipt,
        },
        BundleError::ChangedWhileReading,
        BundleError::InvalidAwardEvent {
            file_type: FileType::Bundle,
            line: 3,
            record: id,
            fault: AwardEventFault::OtherUnit {
                unit: HOSTILE.into(),
            },
        },
        BundleError::InvalidAwardEvent {
            file_type: FileType::Receipt,
            line: 1,
            record: id,
            fault: AwardEventFault::Level {
                level: HOSTILE.into(),
            },
        },
        BundleError::TooManyAwardEvents { count: 2_000_000 },
        BundleError::InvalidPoolEntry {
            line: 7,
            id,
            fault: PoolLineFault::OtherUnit {
                unit: HOSTILE.into(),
            },
        },
        BundleError::InvalidPoolEntry {
            line: 8,
            id,
            fault: PoolLineFault::Stage {
                stage: HOSTILE.into(),
            },
        },
        BundleError::InvalidPoolEntry {
            line: 9,
            id,
            fault: PoolLineFault::Text { field: "notes" },
        },
        BundleError::TooManyPoolEntries { count: 200_000 },
        BundleError::PoolEntryOfOtherUnit {
            id,
            unit: HOSTILE.into(),
            held_unit: "230522".into(),
        },
        BundleError::PoolAchievedByUnknownRecord {
            unit: HOSTILE.into(),
            entry: id,
            record: id,
        },
        BundleError::AwardForUnknownRecord {
            file_type: FileType::Bundle,
            record: id,
        },
        BundleError::AwardForUnknownRecord {
            file_type: FileType::Receipt,
            record: id,
        },
        BundleError::Store(StoreError::EmptyReason),
    ];
    for e in &all {
        match e {
            BundleError::Truncated { .. }
            | BundleError::ExtraBytes { .. }
            | BundleError::NotABundle
            | BundleError::UnsupportedVersion { .. }
            | BundleError::UnknownFileType { .. }
            | BundleError::WrongFileType { .. }
            | BundleError::ManifestLength { .. }
            | BundleError::PayloadLength { .. }
            | BundleError::UnknownKey { .. }
            | BundleError::BadSignature
            | BundleError::Malformed { .. }
            | BundleError::ChangedWhileReading
            | BundleError::PayloadMismatch
            | BundleError::CountMismatch { .. }
            | BundleError::TooManyRecords { .. }
            | BundleError::LineTooLong { .. }
            | BundleError::InvalidRecord { .. }
            | BundleError::Unexportable { .. }
            | BundleError::WrongUnit { .. }
            | BundleError::DuplicateId { .. }
            | BundleError::DuplicateEntry { .. }
            | BundleError::OutOfOrder { .. }
            | BundleError::PlanMismatch { .. }
            | BundleError::NotCity
            | BundleError::NotUnit
            | BundleError::NoSigningKey
            | BundleError::LookAlikesHeld { .. }
            | BundleError::NoCityKey
            | BundleError::NotFromCity { .. }
            | BundleError::ReceiptForOtherUnit { .. }
            | BundleError::NothingImported { .. }
            | BundleError::ReceiptMismatch { .. }
            | BundleError::WeakKey { .. }
            | BundleError::OwnKey { .. }
            | BundleError::FormerKey { .. }
            | BundleError::BadKey { .. }
            | BundleError::NoRandom { .. }
            | BundleError::Disk { .. }
            | BundleError::ReadBackMismatch { .. }
            | BundleError::Read { .. }
            | BundleError::NotAFile { .. }
            | BundleError::NoFiles { .. }
            | BundleError::InvalidAwardEvent { .. }
            | BundleError::TooManyAwardEvents { .. }
            | BundleError::InvalidPoolEntry { .. }
            | BundleError::TooManyPoolEntries { .. }
            | BundleError::PoolEntryOfOtherUnit { .. }
            | BundleError::PoolAchievedByUnknownRecord { .. }
            | BundleError::AwardForUnknownRecord { .. }
            | BundleError::Store(_) => {}
        }
    }
    all
}

#[test]
fn every_error_reads_in_both_languages_without_raw_control_text() {
    for e in examples() {
        let zh = e.localize(Lang::Zh);
        let en = e.localize(Lang::En);
        assert!(!zh.is_empty() && !en.is_empty(), "{e:?}");
        assert_ne!(zh, en, "{e:?}");
        for text in [&zh, &en, &e.to_string()] {
            assert!(
                !text.chars().any(|c| c.is_control() || c == '\u{202E}'),
                "{e:?}: {text:?}"
            );
        }
    }
}

#[test]
fn messages_say_what_happened_and_what_to_do() {
    let cases = [
        (
            BundleError::BadSignature,
            "文件已损坏或被改动（签名不符），未导入。请让单位重新导出。",
        ),
        (
            BundleError::Store(crate::store::StoreError::Rollback {
                unit: "230521".into(),
                sequence: 2,
                held: 3,
            }),
            "比市科技局已导入的第 3 号旧",
        ),
        (
            BundleError::WrongUnit {
                key_unit: "230521".into(),
                claimed_unit: "230522".into(),
            },
            "单位 230521 的密钥签署了单位 230522 的数据",
        ),
        (
            BundleError::UnknownKey {
                fingerprint: "3F2A-9C01-77BE-04D2".into(),
            },
            "指纹 3F2A-9C01-77BE-04D2",
        ),
        (
            BundleError::InvalidRecord {
                line: 4,
                id: Uuid::nil(),
                name: "众创\u{202E}空间".into(),
                fault: RecordFault::NotNormalised,
            },
            "“众创<U+202E>空间”",
        ),
    ];
    for (e, words) in cases {
        let zh = e.localize(Lang::Zh);
        assert!(zh.contains(words), "{zh}");
    }
    let substituted = BundleError::ReceiptMismatch {
        sequence: 7,
        mismatch: ReceiptMismatch::HashDiffers {
            logged: "ab".repeat(32),
            receipt: "cd".repeat(32),
        },
    };
    let en = substituted.localize(Lang::En);
    assert!(
        en.starts_with("WARNING")
            && en.contains("The city holds a different bundle numbered 7")
            && en.contains("a substituted bundle?"),
        "{en}"
    );
    let jump = BundleError::Store(crate::store::StoreError::SequenceJump {
        unit: "230521".into(),
        sequence: 5000,
        held: 3,
    });
    for lang in [Lang::Zh, Lang::En] {
        let text = jump.localize(lang);
        assert!(
            text.contains("--confirm-jump") && text.contains("5000"),
            "{text}"
        );
    }
    let disk = |code| BundleError::Disk {
        file_type: FileType::Bundle,
        step: ExportStep::Write,
        problem: DiskProblem::of(&io_error(code)),
        path: PathBuf::from("/media/u"),
        source: io_error(code),
    };
    for (code, words) in [
        (28, "U盘空间不足"),
        (30, "U盘只读或无写入权限"),
        (13, "U盘只读或无写入权限"),
        (2, "U盘被拔出或无法写入"),
        (5, "U盘被拔出或无法写入"),
    ] {
        let zh = disk(code).localize(Lang::Zh);
        assert!(
            zh.contains(words) && zh.contains("序号未变"),
            "{code}: {zh}"
        );
    }
}
