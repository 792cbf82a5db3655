//! Why the city refused a unit's bundle, in a form that keeps: a stable code for each kind of
//! refusal and the few facts its message needs, in no language, so that the worklist can say
//! it again in Chinese or English long after the import.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Why a bundle was refused. Serialised as a JSON object whose `code` names the variant
/// (`unknown_key`, `older_than_held` …) beside the variant's fields; the codes are stored and
/// must never change meaning.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RefusalReason {
    /// Not a taizhang bundle: it does not start as one, or its file type is not one known.
    NotABundle,
    /// A receipt from the city where a unit's bundle was expected.
    Receipt,
    /// Not a regular file (a pipe, socket or device).
    NotAFile,
    /// Made by a newer taizhang, in a format version this one cannot read.
    NewerFormat { version: u16 },
    /// Shorter than its header says: cut off while copying.
    Truncated { actual: u64, expected: u64 },
    /// Its bytes do not match their signature, or its header's lengths are impossible:
    /// altered or damaged.
    Damaged,
    /// Signed by a key the city has not enrolled.
    UnknownKey { fingerprint: String },
    /// Signed by a unit's key that a newer one replaced.
    FormerKey {
        fingerprint: String,
        replaced_at: Timestamp,
    },
    /// One unit's key signed another unit's bundle or records.
    OtherUnitsKey {
        key_unit: String,
        claimed_unit: String,
    },
    /// Made under another plan than the city ledger's.
    OtherPlan {
        bundle_plan: String,
        ledger_plan: String,
    },
    /// Signed, but not in the format's shape: its manifest (no line) or a payload line.
    Malformed { line: Option<u64> },
    /// Signed, but its contents are not what its manifest declares.
    NotAsDeclared,
    /// The file changed while it was being read.
    ChangedWhileReading,
    /// More items of one sort than a bundle may carry.
    TooMany { items: CarriedItems, count: u64 },
    /// Older than a bundle already imported from the unit's key.
    OlderThanHeld { sequence: u64, held: u64 },
    /// Another file with the number of a bundle already imported.
    SequenceReused { sequence: u64 },
    /// A number too far past the last one held, not confirmed.
    SequenceJump { sequence: u64, held: u64 },
    /// A record the city cannot take (the whole bundle is refused). `name` is the record's
    /// name as the bundle carries it (empty when not known); `fields` the keys of the fields
    /// that broke the rules, for [`RecordFault::InvalidFields`].
    RecordRefused {
        id: Uuid,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<u64>,
        fault: RecordFault,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        fields: Vec<String>,
    },
    /// An award approval or payment the bundle carries that breaks the rules, or is for a
    /// record the bundle does not carry.
    AwardEventRefused {
        record: Uuid,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<u64>,
    },
    /// A cultivation pool entry that breaks the rules, or that the city holds for another
    /// unit.
    PoolEntryRefused {
        id: Uuid,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<u64>,
    },
    /// A refusal with no code of its own (none is expected at an import), or one logged
    /// under a code this build does not know: the program's own words for it.
    Other { error: String },
}

/// What a bundle carries, counted against its limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CarriedItems {
    Records,
    AwardEvents,
    PoolEntries,
}

/// Why one record of a bundle could not be taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordFault {
    /// Field values that break the ledger's rules.
    InvalidFields,
    /// Values not in the normalised form the ledger stores.
    NotNormalised,
    /// A revision below 1.
    BadRevision,
    /// Active with a void reason, or voided without one.
    StatusAndReason,
    /// A text the ledger keeps (an account, a void reason) too long.
    TextTooLong,
    /// The same record twice in the bundle.
    Twice,
    /// The same entry as another active record of the unit.
    SameEntry,
    /// A record id the city holds under another unit.
    HeldForOtherUnit,
}

impl RefusalReason {
    /// The stable code naming the kind of refusal, and the rest of its facts as a JSON
    /// object (`{}` when it has none): the two columns a refusal is stored in.
    pub fn to_parts(&self) -> (String, String) {
        let mut object = match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(object)) => object,
            // Every variant serialises to an object carrying its code.
            _ => serde_json::Map::new(),
        };
        let code = match object.remove("code") {
            Some(serde_json::Value::String(code)) => code,
            _ => "other".to_owned(),
        };
        (code, serde_json::Value::Object(object).to_string())
    }

    /// The reason stored as `code` and `detail` by [`RefusalReason::to_parts`]. A code this
    /// build does not know, or details that do not fit it, come back as [`Other`], naming
    /// them.
    ///
    /// [`Other`]: RefusalReason::Other
    pub fn from_parts(code: &str, detail: &str) -> RefusalReason {
        let unknown = || RefusalReason::Other {
            error: format!("{code} {detail}"),
        };
        let Ok(serde_json::Value::Object(mut object)) = serde_json::from_str(detail) else {
            return unknown();
        };
        object.insert(
            "code".to_owned(),
            serde_json::Value::String(code.to_owned()),
        );
        serde_json::from_value(serde_json::Value::Object(object)).unwrap_or_else(|_| unknown())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<RefusalReason> {
        let id = Uuid::from_u128(0x0188_0000_0000_7000_8000_0000_0000_0007);
        vec![
            RefusalReason::NotABundle,
            RefusalReason::Receipt,
            RefusalReason::NotAFile,
            RefusalReason::NewerFormat { version: 9 },
            RefusalReason::Truncated {
                actual: 10,
                expected: 400,
            },
            RefusalReason::Damaged,
            RefusalReason::UnknownKey {
                fingerprint: "9ECE-94C3-2E60-B68C".into(),
            },
            RefusalReason::FormerKey {
                fingerprint: "9ECE-94C3-2E60-B68C".into(),
                replaced_at: "2023-05-01T02:00:00Z".parse().unwrap(),
            },
            RefusalReason::OtherUnitsKey {
                key_unit: "230521".into(),
                claimed_unit: "230522".into(),
            },
            RefusalReason::OtherPlan {
                bundle_plan: "next-plan".into(),
                ledger_plan: "shuangyashan-2021-2023".into(),
            },
            RefusalReason::Malformed { line: None },
            RefusalReason::Malformed { line: Some(3) },
            RefusalReason::NotAsDeclared,
            RefusalReason::ChangedWhileReading,
            RefusalReason::TooMany {
                items: CarriedItems::PoolEntries,
                count: 70_000,
            },
            RefusalReason::OlderThanHeld {
                sequence: 2,
                held: 5,
            },
            RefusalReason::SequenceReused { sequence: 5 },
            RefusalReason::SequenceJump {
                sequence: 5000,
                held: 5,
            },
            RefusalReason::RecordRefused {
                id,
                name: "第1众创空间".into(),
                line: Some(1),
                fault: RecordFault::InvalidFields,
                fields: vec!["credit_code".into()],
            },
            RefusalReason::RecordRefused {
                id,
                name: String::new(),
                line: None,
                fault: RecordFault::HeldForOtherUnit,
                fields: Vec::new(),
            },
            RefusalReason::AwardEventRefused {
                record: id,
                line: Some(4),
            },
            RefusalReason::PoolEntryRefused { id, line: None },
            RefusalReason::Other {
                error: "bad".into(),
            },
        ]
    }

    #[test]
    fn every_reason_comes_back_from_its_stored_parts() {
        for reason in every_kind() {
            let (code, detail) = reason.to_parts();
            assert!(!detail.contains("\"code\""), "{detail}");
            assert_eq!(RefusalReason::from_parts(&code, &detail), reason, "{code}");
        }
    }

    #[test]
    fn the_stored_codes_do_not_change() {
        let codes: Vec<String> = every_kind().iter().map(|r| r.to_parts().0).collect();
        assert_eq!(
            codes,
            [
                "not_a_bundle",
                "receipt",
                "not_a_file",
                "newer_format",
                "truncated",
                "damaged",
                "unknown_key",
                "former_key",
                "other_units_key",
                "other_plan",
                "malformed",
                "malformed",
                "not_as_declared",
                "changed_while_reading",
                "too_many",
                "older_than_held",
                "sequence_reused",
                "sequence_jump",
                "record_refused",
                "record_refused",
                "award_event_refused",
                "pool_entry_refused",
                "other",
            ]
        );
        let (_, detail) = RefusalReason::OlderThanHeld {
            sequence: 2,
            held: 5,
        }
        .to_parts();
        assert_eq!(detail, r#"{"held":5,"sequence":2}"#);
    }

    #[test]
    fn an_unknown_code_or_broken_detail_is_kept_as_other() {
        assert_eq!(
            RefusalReason::from_parts("from_the_future", "{}"),
            RefusalReason::Other {
                error: "from_the_future {}".into()
            }
        );
        assert_eq!(
            RefusalReason::from_parts("older_than_held", "{\"sequence\":2}"),
            RefusalReason::Other {
                error: "older_than_held {\"sequence\":2}".into()
            }
        );
        assert_eq!(
            RefusalReason::from_parts("damaged", "not json"),
            RefusalReason::Other {
                error: "damaged not json".into()
            }
        );
        assert_eq!(
            RefusalReason::from_parts("damaged", "[1]"),
            RefusalReason::Other {
                error: "damaged [1]".into()
            }
        );
    }
}
