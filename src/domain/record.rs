//! Records as the ledger keeps them: field values, the columns derived for indexing, the
//! problems validation reports, and the audit trail of every change.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::kind::{RecordKind, RecordStatus};
use super::validate::text::{ForbiddenChar, ForbiddenKind};

/// Field key → value. Values are trimmed strings; an absent key means the field is empty.
pub type FieldValues = BTreeMap<String, String>;

/// A record that passed validation: normalised values, the columns the store indexes, and
/// warnings that did not stop it (a certificate number of an unusual shape, say).
#[derive(Clone, Debug, PartialEq)]
pub struct ValidRecord {
    pub kind: RecordKind,
    pub fields: FieldValues,
    pub index: RecordIndex,
    pub warnings: Vec<FieldIssue>,
}

/// What the store keeps in columns of its own so that lists, searches, duplicate checks and
/// progress counts run on indexes instead of loading records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordIndex {
    /// The entity's display name (`name`, or `title` for achievements).
    pub name: String,
    /// The identifying credit code (see [`RecordKind::credit_code_field`]), normalised.
    pub credit_code: Option<String>,
    /// The date the counting rule looks at.
    pub key_date: Date,
    /// The first day on which the record no longer counts (its revocation); certificate
    /// validity is applied by the counting window instead.
    pub end_date: Option<Date>,
    /// Two active records of one unit with the same kind and `dup_key` are the same entry.
    pub dup_key: String,
    /// Records with the same `count_key` are one entity when counting progress.
    pub count_key: String,
}

/// One problem with one field. `field` is a field key, or `"*"` for the record as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldIssue {
    pub field: String,
    pub problem: Problem,
}

impl FieldIssue {
    pub fn new(field: impl Into<String>, problem: Problem) -> FieldIssue {
        FieldIssue {
            field: field.into(),
            problem,
        }
    }
}

/// What is wrong with a value. Errors refuse the record; the `*Pattern`/`*Region` ones warn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// A required field is empty.
    Required,
    /// The key is not a field of this kind.
    UnknownField { kind: RecordKind },
    /// Longer than the field allows (in characters).
    TooLong { max: usize },
    /// Not 18 characters from the credit-code alphabet.
    CreditCodeShape { value: String },
    /// Right shape, wrong check character; kept only with an override reason.
    CreditCodeCheck { value: String, expected: char },
    /// A check character no credit code can have (I, O, S, V, Z): refused even with a reason.
    CreditCodeImpossibleCheck { value: String, expected: char },
    /// Not a date in any accepted form, or not a real calendar day.
    BadDate { value: String },
    /// A date outside the years a ledger can sensibly hold (1949..=2100).
    DateOutOfRange { value: String },
    /// Not one of the options (English keys or Chinese labels).
    BadChoice { value: String, options: Vec<String> },
    /// Not a yes/no value.
    BadBool { value: String },
    /// Not a number.
    BadAmount { value: String },
    /// A negative amount.
    NegativeAmount { value: String },
    /// Not the full id of a record.
    BadRecordRef { value: String },
    /// A revocation before the recognition, say.
    DateBeforeStart { start_field: String },
    /// Warning: the certificate number does not look like `GR` + year + province + serial.
    CertNoPattern { value: String },
    /// Warning: the registration number does not look like year + region + letter + 7 digits.
    RegNoPattern { value: String },
    /// Warning: the registration number's region is not one of Shuangyashan's (2305xx).
    RegNoRegion { value: String, region: String },
    /// Warning: the registration number's year is not the year of the registration date.
    RegNoYear { value: String, year: i16 },
    /// Warning: a date before 2000, when none of the plan's entities is likely to start.
    DateBefore2000 { value: String },
    /// Warning: a date after today.
    DateInFuture { value: String },
    /// Warning: positions 1–2 of a credit code are no authority/type pair of GB 32100.
    CreditCodeAuthority { value: String, pair: String },
    /// Warning: positions 9–17 of a credit code fail the GB 11714 organisation-code check.
    OrgCodeCheck { value: String, expected: char },
    /// Warning: the credit code's region (positions 3–8) is outside the unit.
    CreditCodeRegion { value: String, region: String },
    /// A character that has no business in a record (a control, a bidi control, a tag …),
    /// at a 1-based character position of the text as typed.
    ForbiddenCharacter {
        position: usize,
        code_point: u32,
        kind: ForbiddenKind,
    },
}

impl From<ForbiddenChar> for Problem {
    fn from(found: ForbiddenChar) -> Problem {
        Problem::ForbiddenCharacter {
            position: found.position,
            code_point: found.code_point,
            kind: found.kind,
        }
    }
}

impl Problem {
    /// Warnings are shown but do not stop a save.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Problem::CertNoPattern { .. }
                | Problem::RegNoPattern { .. }
                | Problem::RegNoRegion { .. }
                | Problem::RegNoYear { .. }
                | Problem::DateBefore2000 { .. }
                | Problem::DateInFuture { .. }
                | Problem::CreditCodeAuthority { .. }
                | Problem::OrgCodeCheck { .. }
                | Problem::CreditCodeRegion { .. }
        )
    }
}

/// A record as stored, with the system-kept fields. Also the form a record travels in inside
/// a sync bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub id: Uuid,
    pub unit: String,
    pub kind: RecordKind,
    pub status: RecordStatus,
    pub revision: i64,
    pub fields: FieldValues,
    pub void_reason: Option<String>,
    pub created_by: String,
    pub created_at: Timestamp,
    pub updated_by: String,
    pub updated_at: Timestamp,
}

impl Record {
    /// The entity's display name.
    pub fn name(&self) -> &str {
        self.fields
            .get(self.kind.name_field())
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// What a change did to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Create,
    Edit,
    Void,
    Restore,
}

impl AuditAction {
    pub fn key(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Edit => "edit",
            AuditAction::Void => "void",
            AuditAction::Restore => "restore",
        }
    }

    pub fn from_key(key: &str) -> Option<AuditAction> {
        [
            AuditAction::Create,
            AuditAction::Edit,
            AuditAction::Void,
            AuditAction::Restore,
        ]
        .into_iter()
        .find(|a| a.key() == key)
    }
}

/// One line of a record's history: who changed which field, when, from what to what.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditEntry {
    pub revision: i64,
    pub at: Timestamp,
    pub actor: String,
    pub action: AuditAction,
    /// `None` for a whole-record action (create, void, restore) without a field change.
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}
