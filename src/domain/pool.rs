//! The cultivation pool (培育库): firms a unit is growing toward the next stage of the
//! plan's path (tech SME → high-tech candidate → gazelle candidate), each with a target
//! date. What a clerk types for an entry, checked and normalised; the states an entry moves
//! through; and the pure rules (which entries are near their target, which stages a new
//! high-tech certificate closes, the counts by stage the city sees).

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::kind::RecordKind;
use super::record::{FieldIssue, Problem};
use super::validate::{VOID_REASON_MAX, check_field, credit_code_region, kept_text};

/// Where a firm stands on the plan's growth path while it is in the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolStage {
    /// 科技型中小企业培育: being prepared for the national tech SME library.
    TechSme,
    /// 高新技术企业后备: a candidate for high-tech certification.
    HighTechCandidate,
    /// 瞪羚企业后备: a candidate gazelle firm.
    GazelleCandidate,
}

impl PoolStage {
    pub const ALL: [PoolStage; 3] = [
        PoolStage::TechSme,
        PoolStage::HighTechCandidate,
        PoolStage::GazelleCandidate,
    ];

    /// The stable key used on the command line, in JSON, in bundles and in the DB.
    pub fn key(self) -> &'static str {
        match self {
            PoolStage::TechSme => "tech_sme",
            PoolStage::HighTechCandidate => "high_tech_candidate",
            PoolStage::GazelleCandidate => "gazelle_candidate",
        }
    }

    pub fn from_key(key: &str) -> Option<PoolStage> {
        PoolStage::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The stage a clerk names: its key (any case, `-` or a space for `_`) or its Chinese or
    /// English name.
    pub fn parse(text: &str) -> Option<PoolStage> {
        let half = super::validate::text::to_half_width(text);
        let given = half.trim();
        let as_key: String = given
            .chars()
            .map(|c| match c {
                '-' | ' ' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        PoolStage::ALL.into_iter().find(|stage| {
            stage.key() == as_key
                || crate::i18n::pool::stage_names(*stage)
                    .iter()
                    .any(|name| name.eq_ignore_ascii_case(given))
        })
    }

    /// Whether a new high-tech certificate of the firm achieves what the entry was for: a
    /// firm cultivated as a tech SME or as a high-tech candidate has arrived; a gazelle
    /// candidate is already past that step and stays in the pool.
    pub fn closed_by_high_tech(self) -> bool {
        matches!(self, PoolStage::TechSme | PoolStage::HighTechCandidate)
    }
}

/// Where an entry stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolStatus {
    /// 培育中: being cultivated.
    Open,
    /// 已达成: the firm reached what the entry aimed at.
    Achieved,
    /// 已退出: taken out of the pool, with a reason.
    Withdrawn,
}

impl PoolStatus {
    pub const ALL: [PoolStatus; 3] = [
        PoolStatus::Open,
        PoolStatus::Achieved,
        PoolStatus::Withdrawn,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PoolStatus::Open => "open",
            PoolStatus::Achieved => "achieved",
            PoolStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_key(key: &str) -> Option<PoolStatus> {
        PoolStatus::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// One firm in a unit's pool, as the ledger keeps it and as a bundle carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoolEntry {
    pub id: Uuid,
    pub unit: String,
    /// Normalised unified social credit code.
    pub credit_code: String,
    pub name: String,
    pub stage: PoolStage,
    /// The day by which the unit means the firm to reach the next stage.
    pub target_on: Date,
    /// Empty when there are none.
    pub notes: String,
    pub status: PoolStatus,
    /// The high-tech record whose saving achieved the entry.
    pub achieved_by: Option<Uuid>,
    /// The day the entry was achieved or withdrawn; `None` while open.
    pub closed_on: Option<Date>,
    /// Why it was closed (required for a withdrawal); `None` while open.
    pub close_reason: Option<String>,
    /// Why a credit code that fails its check digit is kept (an early pilot code).
    pub override_reason: Option<String>,
    pub revision: i64,
    pub created_by: String,
    pub created_at: Timestamp,
    pub updated_by: String,
    pub updated_at: Timestamp,
}

/// What a change did to an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolAction {
    Create,
    Edit,
    Achieve,
    Withdraw,
    Reopen,
}

impl PoolAction {
    pub const ALL: [PoolAction; 5] = [
        PoolAction::Create,
        PoolAction::Edit,
        PoolAction::Achieve,
        PoolAction::Withdraw,
        PoolAction::Reopen,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PoolAction::Create => "create",
            PoolAction::Edit => "edit",
            PoolAction::Achieve => "achieve",
            PoolAction::Withdraw => "withdraw",
            PoolAction::Reopen => "reopen",
        }
    }

    pub fn from_key(key: &str) -> Option<PoolAction> {
        PoolAction::ALL.into_iter().find(|a| a.key() == key)
    }
}

/// One field a change changed: its key, and its value before and after (`None` for none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolFieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One line of an entry's history: who did what, when, and which fields it changed (none
/// for the creation, which the entry's own columns record).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PoolChange {
    pub revision: i64,
    pub at: Timestamp,
    pub actor: String,
    pub action: PoolAction,
    pub changes: Vec<PoolFieldChange>,
}

/// What a clerk typed for a new entry, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PoolDraft {
    pub credit_code: String,
    pub name: String,
    pub stage: String,
    pub target_on: String,
    pub notes: String,
    /// Why a credit code that fails its check is kept; empty for none.
    pub override_reason: String,
}

/// A new entry's values, checked and in the form the ledger keeps, with the warnings that
/// did not stop it (an unknown authority pair in the credit code, say).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolFields {
    pub credit_code: String,
    pub name: String,
    pub stage: PoolStage,
    pub target_on: Date,
    pub notes: String,
    pub override_reason: Option<String>,
    pub warnings: Vec<FieldIssue>,
}

/// The fields an edit may change; `None` leaves a field as it is, an empty `notes` clears
/// the notes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PoolEdit {
    pub stage: Option<PoolStage>,
    pub target_on: Option<Date>,
    pub notes: Option<String>,
}

impl PoolEdit {
    pub fn is_empty(&self) -> bool {
        self.stage.is_none() && self.target_on.is_none() && self.notes.is_none()
    }
}

/// How an entry is closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PoolClose {
    /// The firm got there (a clerk says so; a high-tech certificate saved in the ledger
    /// closes the entry by itself). The reason is optional.
    Achieved { on: Date, reason: Option<String> },
    /// Taken out of the pool, for a reason.
    Withdrawn { on: Date, reason: String },
}

impl PoolClose {
    pub fn status(&self) -> PoolStatus {
        match self {
            PoolClose::Achieved { .. } => PoolStatus::Achieved,
            PoolClose::Withdrawn { .. } => PoolStatus::Withdrawn,
        }
    }
}

/// Field keys of an entry, as messages name them.
pub const CREDIT_CODE: &str = "credit_code";
pub const NAME: &str = "name";
pub const STAGE: &str = "stage";
pub const TARGET_ON: &str = "target_on";
pub const NOTES: &str = "notes";
pub const CLOSE_REASON: &str = "close_reason";
pub const OVERRIDE_REASON: &str = "override_reason";

/// Text fields are checked as the same fields of a record are (`TechSme` has them all).
const TEXT_RULES: RecordKind = RecordKind::TechSme;
/// The date rule of a record's date fields (accepted forms, years 1949–2100).
const DATE_RULE: &str = "registered_on";

/// Checks a new entry: the credit code with the ledger's validator and normalisation (a
/// failed check digit is kept only with an override reason, as in a record), the name and
/// the notes under the text policy and the fields' length limits, the stage by key or name,
/// the target date in any form a clerk writes. Every problem is named, not only the first.
pub fn validate_draft(draft: &PoolDraft) -> Result<PoolFields, Vec<FieldIssue>> {
    let mut issues = Vec::new();
    let mut warnings = Vec::new();
    let override_reason = text_field(OVERRIDE_REASON, &draft.override_reason, &mut issues)
        .filter(|reason| !reason.is_empty());
    let credit_code = match check_field(TEXT_RULES, CREDIT_CODE, &draft.credit_code) {
        Err(Problem::CreditCodeCheck { value, .. }) if override_reason.is_some() => Some(value),
        _ => required_field(CREDIT_CODE, &draft.credit_code, &mut issues, &mut warnings),
    };
    let name = required_field(NAME, &draft.name, &mut issues, &mut warnings);
    let stage = required_stage(&draft.stage, &mut issues);
    let target_on = required_date(&draft.target_on, &mut issues);
    let notes = text_field(NOTES, &draft.notes, &mut issues);
    match (credit_code, name, stage, target_on, notes) {
        (Some(credit_code), Some(name), Some(stage), Some(target_on), Some(notes))
            if issues.is_empty() =>
        {
            Ok(PoolFields {
                credit_code,
                name,
                stage,
                target_on,
                notes,
                override_reason,
                warnings,
            })
        }
        _ => Err(issues),
    }
}

/// Checks an edit: each field given is checked as for a new entry; an empty `notes` clears
/// them, an empty stage or target date is refused.
pub fn validate_edit(
    stage: Option<&str>,
    target_on: Option<&str>,
    notes: Option<&str>,
) -> Result<PoolEdit, Vec<FieldIssue>> {
    let mut issues = Vec::new();
    let edit = PoolEdit {
        stage: stage.and_then(|raw| required_stage(raw, &mut issues)),
        target_on: target_on.and_then(|raw| required_date(raw, &mut issues)),
        notes: notes.and_then(|raw| text_field(NOTES, raw, &mut issues)),
    };
    if issues.is_empty() {
        Ok(edit)
    } else {
        Err(issues)
    }
}

/// Checks how an entry is to be closed: a withdrawal needs a reason; any reason follows the
/// text policy and the length of a void reason.
pub fn validate_close(
    achieved: bool,
    on: Date,
    reason: Option<&str>,
) -> Result<PoolClose, FieldIssue> {
    let reason = match reason {
        Some(raw) => kept_text(raw, VOID_REASON_MAX)
            .map_err(|problem| FieldIssue::new(CLOSE_REASON, problem))?,
        None => String::new(),
    };
    if achieved {
        let reason = (!reason.is_empty()).then_some(reason);
        return Ok(PoolClose::Achieved { on, reason });
    }
    if reason.is_empty() {
        return Err(FieldIssue::new(CLOSE_REASON, Problem::Required));
    }
    Ok(PoolClose::Withdrawn { on, reason })
}

/// The warnings an entry carries where it is kept, as a record's credit code warns: what
/// the code says on its own (an authority pair the standard does not know, an organisation
/// code that fails its check) and a code registered outside the entry's unit. A code kept
/// with an override reason has only the region's (its failed check was explained).
pub fn entry_warnings(entry: &PoolEntry) -> Vec<FieldIssue> {
    let own = check_field(TEXT_RULES, CREDIT_CODE, &entry.credit_code)
        .ok()
        .and_then(|check| check.warning);
    let region = credit_code_region(&entry.credit_code, &entry.unit);
    own.into_iter()
        .chain(region)
        .map(|problem| FieldIssue::new(CREDIT_CODE, problem))
        .collect()
}

fn required_field(
    key: &str,
    raw: &str,
    issues: &mut Vec<FieldIssue>,
    warnings: &mut Vec<FieldIssue>,
) -> Option<String> {
    match check_field(TEXT_RULES, key, raw) {
        Ok(check) if check.value.is_empty() => {
            issues.push(FieldIssue::new(key, Problem::Required));
            None
        }
        Ok(check) => {
            warnings.extend(check.warning.map(|w| FieldIssue::new(key, w)));
            Some(check.value)
        }
        Err(problem) => {
            issues.push(FieldIssue::new(key, problem));
            None
        }
    }
}

fn text_field(key: &str, raw: &str, issues: &mut Vec<FieldIssue>) -> Option<String> {
    match check_field(TEXT_RULES, key, raw) {
        Ok(check) => Some(check.value),
        Err(problem) => {
            issues.push(FieldIssue::new(key, problem));
            None
        }
    }
}

fn required_stage(raw: &str, issues: &mut Vec<FieldIssue>) -> Option<PoolStage> {
    if raw.trim().is_empty() {
        issues.push(FieldIssue::new(STAGE, Problem::Required));
        return None;
    }
    let stage = PoolStage::parse(raw);
    if stage.is_none() {
        issues.push(FieldIssue::new(
            STAGE,
            Problem::BadChoice {
                value: raw.trim().to_owned(),
                options: PoolStage::ALL.iter().map(|s| s.key().to_owned()).collect(),
            },
        ));
    }
    stage
}

fn required_date(raw: &str, issues: &mut Vec<FieldIssue>) -> Option<Date> {
    match check_field(TEXT_RULES, DATE_RULE, raw) {
        Ok(check) if check.value.is_empty() => {
            issues.push(FieldIssue::new(TARGET_ON, Problem::Required));
            None
        }
        Ok(check) => match check.value.parse::<Date>() {
            Ok(day) => Some(day),
            Err(_) => {
                issues.push(FieldIssue::new(
                    TARGET_ON,
                    Problem::BadDate {
                        value: raw.to_owned(),
                    },
                ));
                None
            }
        },
        Err(problem) => {
            issues.push(FieldIssue::new(TARGET_ON, problem));
            None
        }
    }
}

/// Why a change of the pool is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PoolRefusal {
    /// No entry has this id (or id start or end).
    NotFound { id: String },
    /// The id start or end matches more than one entry.
    AmbiguousId { prefix: String, count: usize },
    /// The unit already cultivates the firm in another open entry.
    AlreadyOpen { existing: Uuid, name: String },
    /// Only an open entry can be edited or closed.
    NotOpen { id: Uuid, status: PoolStatus },
    /// Only a closed entry can be reopened.
    NotClosed { id: Uuid },
    /// The city's pool comes from the units' bundles; it adds and changes none itself.
    CityReadOnly,
    /// The entry is at another revision than the one the change was based on.
    Conflict {
        id: Uuid,
        expected: i64,
        actual: i64,
    },
}

/// Whether a change from `status` is allowed: edits and closings need an open entry, a
/// reopening a closed one.
pub fn check_change(id: Uuid, status: PoolStatus, reopening: bool) -> Result<(), PoolRefusal> {
    match (status, reopening) {
        (PoolStatus::Open, false) => Ok(()),
        (PoolStatus::Open, true) => Err(PoolRefusal::NotClosed { id }),
        (_, false) => Err(PoolRefusal::NotOpen { id, status }),
        (_, true) => Ok(()),
    }
}

/// The last day an open entry's target may fall on to be near it, seen on `as_of` with a
/// horizon of `horizon_days`; `None` when that day is beyond the calendar.
pub fn near_target_until(as_of: Date, horizon_days: u16) -> Option<Date> {
    as_of
        .checked_add(jiff::Span::new().days(i64::from(horizon_days)))
        .ok()
}

/// Whether an entry needs attention on `as_of`: it is open and its target date is at most
/// `horizon_days` away, or already past (an overdue entry is nearest of all).
pub fn is_near_target(entry: &PoolEntry, as_of: Date, horizon_days: u16) -> bool {
    entry.status == PoolStatus::Open
        && near_target_until(as_of, horizon_days).is_none_or(|last| entry.target_on <= last)
}

/// Whether an open entry's target date has passed on `as_of`.
pub fn is_overdue(entry: &PoolEntry, as_of: Date) -> bool {
    entry.status == PoolStatus::Open && entry.target_on < as_of
}

/// A unit's pool in numbers: its open entries by stage, and its closed ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PoolCounts {
    pub unit: String,
    pub tech_sme: u64,
    pub high_tech_candidate: u64,
    pub gazelle_candidate: u64,
    pub achieved: u64,
    pub withdrawn: u64,
}

impl PoolCounts {
    pub fn empty(unit: &str) -> PoolCounts {
        PoolCounts {
            unit: unit.to_owned(),
            ..PoolCounts::default()
        }
    }

    /// Open entries of the stage.
    pub fn open_at(&self, stage: PoolStage) -> u64 {
        match stage {
            PoolStage::TechSme => self.tech_sme,
            PoolStage::HighTechCandidate => self.high_tech_candidate,
            PoolStage::GazelleCandidate => self.gazelle_candidate,
        }
    }

    /// Every open entry, whatever its stage.
    pub fn open(&self) -> u64 {
        PoolStage::ALL.iter().map(|s| self.open_at(*s)).sum()
    }

    /// Adds `n` entries of `stage` and `status` (the stage matters only while open).
    pub fn add(&mut self, stage: PoolStage, status: PoolStatus, n: u64) {
        let slot = match (status, stage) {
            (PoolStatus::Open, PoolStage::TechSme) => &mut self.tech_sme,
            (PoolStatus::Open, PoolStage::HighTechCandidate) => &mut self.high_tech_candidate,
            (PoolStatus::Open, PoolStage::GazelleCandidate) => &mut self.gazelle_candidate,
            (PoolStatus::Achieved, _) => &mut self.achieved,
            (PoolStatus::Withdrawn, _) => &mut self.withdrawn,
        };
        *slot += n;
    }

    fn absorb(&mut self, other: &PoolCounts) {
        self.tech_sme += other.tech_sme;
        self.high_tech_candidate += other.high_tech_candidate;
        self.gazelle_candidate += other.gazelle_candidate;
        self.achieved += other.achieved;
        self.withdrawn += other.withdrawn;
    }
}

/// How many entries a unit's pool holds, and how many of them are open: what the city
/// holds and what a bundle would leave it with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PoolTally {
    pub entries: u64,
    pub open: u64,
}

impl PoolTally {
    /// The tally of `entries`.
    pub fn of(entries: &[PoolEntry]) -> PoolTally {
        entries
            .iter()
            .fold(PoolTally::default(), |tally, e| PoolTally {
                entries: tally.entries + 1,
                open: tally.open + u64::from(e.status == PoolStatus::Open),
            })
    }

    pub fn is_empty(self) -> bool {
        self.entries == 0
    }
}

/// One row per unit of `units` in that order (a unit with no entries shows zeros), then any
/// other unit the counts name (a unit the plan no longer lists), and the totals of all of
/// them under `total_label`.
pub fn counts_by_unit(
    units: &[&str],
    counts: &[PoolCounts],
    total_label: &str,
) -> (Vec<PoolCounts>, PoolCounts) {
    let mut rows: Vec<PoolCounts> = units.iter().map(|u| PoolCounts::empty(u)).collect();
    for c in counts {
        match rows.iter_mut().find(|row| row.unit == c.unit) {
            Some(row) => row.absorb(c),
            None => rows.push(c.clone()),
        }
    }
    let mut total = PoolCounts::empty(total_label);
    for row in &rows {
        total.absorb(row);
    }
    (rows, total)
}

#[cfg(test)]
mod tests;
