//! The six record kinds the plan counts, and the fields each one carries.

use serde::{Deserialize, Serialize};

/// One of the six kinds of entity the plan counts; its key doubles as the indicator key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    TechSme,
    HighTech,
    RndInstitution,
    Incubator,
    Alliance,
    Achievement,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::TechSme,
        RecordKind::HighTech,
        RecordKind::RndInstitution,
        RecordKind::Incubator,
        RecordKind::Alliance,
        RecordKind::Achievement,
    ];

    /// The stable key used on the command line, in JSON, in the plan file and in the DB.
    pub fn key(self) -> &'static str {
        match self {
            RecordKind::TechSme => "tech_sme",
            RecordKind::HighTech => "high_tech",
            RecordKind::RndInstitution => "rnd_institution",
            RecordKind::Incubator => "incubator",
            RecordKind::Alliance => "alliance",
            RecordKind::Achievement => "achievement",
        }
    }

    pub fn from_key(key: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Every field of this kind, in form order: the kind's own fields, then `notes` and
    /// `override_reason`, which every kind has.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            RecordKind::TechSme => TECH_SME_FIELDS,
            RecordKind::HighTech => HIGH_TECH_FIELDS,
            RecordKind::RndInstitution => RND_INSTITUTION_FIELDS,
            RecordKind::Incubator => INCUBATOR_FIELDS,
            RecordKind::Alliance => ALLIANCE_FIELDS,
            RecordKind::Achievement => ACHIEVEMENT_FIELDS,
        }
    }

    pub fn field(self, key: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.key == key)
    }

    /// The field that names the entity in lists and messages.
    pub fn name_field(self) -> &'static str {
        match self {
            RecordKind::Achievement => "title",
            _ => "name",
        }
    }

    /// The credit code that identifies the firm behind the record (the firm itself, its host,
    /// operator, lead unit or recipient), used for search and for cross-unit duplicate checks.
    pub fn credit_code_field(self) -> &'static str {
        match self {
            RecordKind::TechSme | RecordKind::HighTech => "credit_code",
            RecordKind::RndInstitution => "host_credit_code",
            RecordKind::Incubator => "operator_credit_code",
            RecordKind::Alliance => "lead_credit_code",
            RecordKind::Achievement => "recipient_credit_code",
        }
    }

    /// The field naming the firm behind the record: the firm itself, its host, operator,
    /// lead unit or recipient (beside [`RecordKind::credit_code_field`]).
    pub fn firm_name_field(self) -> &'static str {
        match self {
            RecordKind::TechSme | RecordKind::HighTech => "name",
            RecordKind::RndInstitution => "host",
            RecordKind::Incubator => "operator",
            RecordKind::Alliance => "lead",
            RecordKind::Achievement => "recipient",
        }
    }

    /// The date the counting rule looks at.
    pub fn key_date_field(self) -> &'static str {
        match self {
            RecordKind::TechSme => "registered_on",
            RecordKind::HighTech => "certified_on",
            RecordKind::RndInstitution | RecordKind::Incubator => "recognized_on",
            RecordKind::Alliance => "established_on",
            RecordKind::Achievement => "transferred_on",
        }
    }
}

const fn f(key: &'static str, ty: FieldType, required: bool) -> FieldSpec {
    FieldSpec { key, ty, required }
}
const NOTES: FieldSpec = f("notes", FieldType::Text, false);
const OVERRIDE: FieldSpec = f(OVERRIDE_REASON, FieldType::Text, false);
/// The day from which an entity stops counting: an institution revoked, a high-tech status
/// cancelled (取消资格), a tech-SME registration withdrawn, an alliance dissolved, a transfer
/// rescinded. Every kind has it; `void` is for entry mistakes only.
const REVOKED: FieldSpec = f(REVOKED_ON, FieldType::Date, false);

/// The earlier record of the same unit that this recognition upgrades or renames (a city
/// centre raised to provincial level, usually under a new name): the two are one entity.
const SUPERSEDES_FIELD: FieldSpec = f(SUPERSEDES, FieldType::RecordRef, false);

/// The field key linking an upgrade or renaming to the record it supersedes.
pub const SUPERSEDES: &str = "supersedes";

/// The field key of the revocation date every kind carries.
pub const REVOKED_ON: &str = "revoked_on";

/// The fiscal level at which the firm behind the record pays its taxes (税收入库级次): the
/// level whose budget pays the record's awards. Every kind has it.
const TAX_LEVEL_FIELD: FieldSpec = f(TAX_LEVEL, FieldType::Choice(ChoiceSet::FiscalLevel), false);

/// The field key of the fiscal level the firm pays its taxes at.
pub const TAX_LEVEL: &str = "tax_level";

const TECH_SME_FIELDS: &[FieldSpec] = &[
    f("name", FieldType::Text, true),
    f("credit_code", FieldType::CreditCode, true),
    f("reg_no", FieldType::RegNo, true),
    f("registered_on", FieldType::Date, true),
    TAX_LEVEL_FIELD,
    REVOKED,
    NOTES,
    OVERRIDE,
];

const HIGH_TECH_FIELDS: &[FieldSpec] = &[
    f("name", FieldType::Text, true),
    f("credit_code", FieldType::CreditCode, true),
    f("cert_no", FieldType::CertNo, true),
    f("certified_on", FieldType::Date, true),
    f(
        "recognition",
        FieldType::Choice(ChoiceSet::Recognition),
        true,
    ),
    f("size", FieldType::Choice(ChoiceSet::Size), true),
    TAX_LEVEL_FIELD,
    REVOKED,
    NOTES,
    OVERRIDE,
];

const RND_INSTITUTION_FIELDS: &[FieldSpec] = &[
    f("name", FieldType::Text, true),
    f("host", FieldType::Text, true),
    f("host_credit_code", FieldType::CreditCode, false),
    f("level", FieldType::Choice(ChoiceSet::Level), true),
    f("category", FieldType::Text, true),
    f("new_type", FieldType::Bool, false),
    f("recognized_on", FieldType::Date, true),
    f("upgraded_from", FieldType::Choice(ChoiceSet::Level), false),
    SUPERSEDES_FIELD,
    TAX_LEVEL_FIELD,
    REVOKED,
    NOTES,
    OVERRIDE,
];

const INCUBATOR_FIELDS: &[FieldSpec] = &[
    f("name", FieldType::Text, true),
    f("operator", FieldType::Text, true),
    f("operator_credit_code", FieldType::CreditCode, false),
    f("type", FieldType::Choice(ChoiceSet::IncubatorType), true),
    f("level", FieldType::Choice(ChoiceSet::Level), true),
    f("recognized_on", FieldType::Date, true),
    f("provincial_subsidy_yuan", FieldType::Amount, false),
    f("city_grant_yuan", FieldType::Amount, false),
    SUPERSEDES_FIELD,
    TAX_LEVEL_FIELD,
    REVOKED,
    NOTES,
    OVERRIDE,
];

const ALLIANCE_FIELDS: &[FieldSpec] = &[
    f("name", FieldType::Text, true),
    f("lead", FieldType::Text, true),
    f("lead_credit_code", FieldType::CreditCode, false),
    f("level", FieldType::Choice(ChoiceSet::Level), true),
    f("members", FieldType::Text, false),
    f("established_on", FieldType::Date, true),
    f("provincial_support_yuan", FieldType::Amount, false),
    TAX_LEVEL_FIELD,
    REVOKED,
    NOTES,
    OVERRIDE,
];

const ACHIEVEMENT_FIELDS: &[FieldSpec] = &[
    f("title", FieldType::Text, true),
    f("owner", FieldType::Text, true),
    f("recipient", FieldType::Text, true),
    f("recipient_credit_code", FieldType::CreditCode, false),
    f("mode", FieldType::Choice(ChoiceSet::TransferMode), true),
    f("amount_yuan", FieldType::Amount, false),
    f("contract_no", FieldType::Text, false),
    f("transferred_on", FieldType::Date, true),
    TAX_LEVEL_FIELD,
    REVOKED,
    NOTES,
    OVERRIDE,
];

/// The field key under which a clerk explains why a credit code that fails its check is kept.
pub const OVERRIDE_REASON: &str = "override_reason";

/// Describes one field of a record kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    pub key: &'static str,
    pub ty: FieldType,
    pub required: bool,
}

/// What a field holds, which decides how it is normalised and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Text,
    /// Unified social credit code (GB 32100), checked strictly (override with a reason).
    CreditCode,
    /// Tech SME registration number (入库登记编号), checked loosely (warns).
    RegNo,
    /// High-tech certificate number (高新技术企业证书编号), checked loosely (warns).
    CertNo,
    Date,
    Choice(ChoiceSet),
    Bool,
    /// Non-negative amount in yuan, stored with at most two decimals.
    Amount,
    /// The id of another record of the ledger (stored in full; the command line and the
    /// form accept a unique start or end of it and resolve it first).
    RecordRef,
}

/// The closed sets of values a choice field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChoiceSet {
    Recognition,
    Size,
    Level,
    IncubatorType,
    TransferMode,
    FiscalLevel,
}

impl ChoiceSet {
    pub const ALL: [ChoiceSet; 6] = [
        ChoiceSet::Recognition,
        ChoiceSet::Size,
        ChoiceSet::Level,
        ChoiceSet::IncubatorType,
        ChoiceSet::TransferMode,
        ChoiceSet::FiscalLevel,
    ];

    /// The stored English keys, in display order.
    pub fn options(self) -> &'static [&'static str] {
        match self {
            ChoiceSet::Recognition => &["first", "renewal"],
            ChoiceSet::Size => &["above", "below"],
            ChoiceSet::Level => &["national", "provincial", "city"],
            ChoiceSet::IncubatorType => &["incubator", "maker_space", "other"],
            ChoiceSet::TransferMode => &["transfer", "license", "equity", "self", "cooperation"],
            ChoiceSet::FiscalLevel => &["county", "city"],
        }
    }
}

/// Whether a record counts (`active`) or has been voided; records are never deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    Active,
    Voided,
}

impl RecordStatus {
    pub fn key(self) -> &'static str {
        match self {
            RecordStatus::Active => "active",
            RecordStatus::Voided => "voided",
        }
    }

    pub fn from_key(key: &str) -> Option<RecordStatus> {
        match key {
            "active" => Some(RecordStatus::Active),
            "voided" => Some(RecordStatus::Voided),
            _ => None,
        }
    }
}
