//! The ledger's rules with no I/O: record kinds and fields, validation, identifiers, dates,
//! and progress against the plan.

pub mod awards;
pub mod city_targets;
pub mod claims;
pub mod counting;
pub mod credit_code;
pub mod dates;
pub mod firm;
pub mod kind;
pub mod pool;
pub mod progress;
pub mod ranking;
pub mod record;
pub mod refusal;
pub mod sheet_headers;
pub mod sheet_rows;
pub mod trend;
pub mod validate;
pub mod worklist;

pub use kind::{
    ChoiceSet, FieldSpec, FieldType, OVERRIDE_REASON, REVOKED_ON, RecordKind, RecordStatus,
    SUPERSEDES, TAX_LEVEL,
};
pub use record::{
    AuditAction, AuditEntry, FieldIssue, FieldValues, Problem, Record, RecordIndex, ValidRecord,
};
pub use validate::text::ForbiddenKind;
