//! Reading a plan file and checking it is whole and consistent.

mod checks;
mod city_targets;
mod raw;

use std::io::ErrorKind;
use std::ops::Range;
use std::path::Path;

use jiff::civil::Date;

use super::Plan;
use crate::domain::RecordKind;

/// A plan file that cannot be used, with where and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {problem:?}")]
pub struct PlanError {
    pub file: String,
    /// 1-based line of the problem, 0 when it concerns the file as a whole.
    pub line: usize,
    pub problem: PlanProblem,
}

/// What is wrong with a plan file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanProblem {
    /// There is no file at the path.
    NotFound,
    /// The file is not UTF-8 text.
    NotText,
    /// The file could not be read.
    Unreadable {
        reason: String,
    },
    /// Not valid TOML, or a value of the wrong type.
    Syntax {
        message: String,
    },
    /// A key the plan format does not have (often a misspelling).
    UnknownKey {
        key: String,
    },
    /// A key the plan format requires is absent.
    MissingKey {
        key: String,
    },
    /// A text value that must say something is blank.
    EmptyValue {
        key: String,
    },
    /// A value that must be a plain date (e.g. `2024-01-01`) is a time or date-time.
    NotADate {
        key: String,
    },
    /// The plan starts after it ends.
    StartAfterEnd {
        start: Date,
        end: Date,
    },
    /// The plan lists no units.
    NoUnits,
    /// Two units share a code.
    DuplicateUnit {
        code: String,
    },
    /// An indicator (or award) key that is not one of the six record kinds.
    UnknownIndicator {
        key: String,
    },
    /// An indicator appears twice.
    DuplicateIndicator {
        kind: RecordKind,
    },
    /// One of the six indicators is absent.
    MissingIndicator {
        kind: RecordKind,
    },
    /// A counting rule the program does not know.
    UnknownRule {
        rule: String,
    },
    /// `valid_for_years` without `years`.
    MissingYears {
        kind: RecordKind,
    },
    /// `years = 0`: no certificate would ever count.
    ZeroYears {
        kind: RecordKind,
    },
    /// `years` given with a rule other than `valid_for_years`.
    YearsNotApplicable {
        kind: RecordKind,
    },
    /// A milestone dated before the plan starts or after it ends.
    MilestoneOutsidePeriod {
        kind: RecordKind,
        on: Date,
    },
    /// A milestone dated on or before the one listed before it.
    MilestoneOutOfOrder {
        kind: RecordKind,
        on: Date,
    },
    /// A cumulative milestone lower than the one before it.
    MilestoneDecreasing {
        kind: RecordKind,
        on: Date,
        value: u32,
        previous: u32,
    },
    /// The last milestone differs from the indicator's city total.
    LastMilestoneNotTotal {
        kind: RecordKind,
        value: u32,
        total: u32,
    },
    /// Quotas given for a unit code the plan does not list.
    UnknownUnit {
        code: String,
    },
    /// A unit with no quotas at all.
    NoQuotas {
        unit: String,
    },
    /// A unit's quotas lack one indicator.
    MissingQuota {
        unit: String,
        kind: RecordKind,
    },
    /// An indicator's unit quotas do not add up to its city total.
    QuotaSumMismatch {
        kind: RecordKind,
        sum: u64,
        total: u32,
    },
    /// Two award rules share a key.
    DuplicateAward {
        key: String,
    },
    /// An award's share is not 1–100 percent.
    AwardShare {
        key: String,
        percent: u32,
    },
    /// An award's cap is below its amount.
    AwardCapBelowAmount {
        key: String,
        amount: u64,
        cap: u64,
    },
    /// A floor (确保) above the indicator's city total (力争).
    FloorAboveTotal {
        kind: RecordKind,
        floor: u32,
        total: u32,
    },
    /// `baseline_on` without `first_year_growth_percent`, or the other way round.
    GrowthIncomplete {
        kind: RecordKind,
    },
    /// A baseline counted on or after the plan's first day.
    BaselineNotBeforeStart {
        kind: RecordKind,
        on: Date,
    },
    /// A ranking score the program does not know.
    UnknownRankingScore {
        score: String,
    },
    /// A ranking tie-break the program does not know.
    UnknownRankingTie {
        tie: String,
    },
    /// A ranking tie-break listed twice.
    DuplicateRankingTie {
        tie: String,
    },
    /// Two city-wide targets share a key.
    DuplicateCityTarget {
        key: String,
    },
    /// A city-wide target's measure or source the program does not know.
    UnknownTargetMeasure {
        measure: String,
    },
    UnknownTargetSource {
        source: String,
    },
    /// A city-wide target with no yearly values.
    NoYearlyTargets {
        key: String,
    },
    /// A yearly value for a year outside the plan, or not after the one before it.
    TargetYearOutOfPlace {
        key: String,
        year: i64,
    },
    /// A negative or non-finite target value.
    BadTargetValue {
        key: String,
    },
}

impl Plan {
    /// Parses and validates a plan; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Plan, PlanError> {
        let source = Source { text, file };
        let raw: raw::RawPlan = toml::from_str(text).map_err(|e| source.toml_error(&e))?;
        checks::build(raw, &source)
    }

    /// Reads, parses and validates a plan file.
    pub fn load(path: &Path) -> Result<Plan, PlanError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| PlanError {
            file: file.clone(),
            line: 0,
            problem: match e.kind() {
                ErrorKind::NotFound => PlanProblem::NotFound,
                ErrorKind::InvalidData => PlanProblem::NotText,
                _ => PlanProblem::Unreadable {
                    reason: e.to_string(),
                },
            },
        })?;
        Plan::parse(&text, &file)
    }
}

/// The text being parsed and the name it is reported under.
struct Source<'a> {
    text: &'a str,
    file: &'a str,
}

impl Source<'_> {
    /// The 1-based line holding the byte at `offset`.
    fn line_of(&self, offset: usize) -> usize {
        let before = self
            .text
            .as_bytes()
            .get(..offset)
            .unwrap_or(self.text.as_bytes());
        before.iter().filter(|&&b| b == b'\n').count() + 1
    }

    /// A problem located at a span of the text.
    fn at(&self, span: Range<usize>, problem: PlanProblem) -> PlanError {
        PlanError {
            file: self.file.to_string(),
            line: self.line_of(span.start),
            problem,
        }
    }

    /// A problem with the file as a whole.
    fn whole(&self, problem: PlanProblem) -> PlanError {
        PlanError {
            file: self.file.to_string(),
            line: 0,
            problem,
        }
    }

    fn toml_error(&self, error: &toml::de::Error) -> PlanError {
        let problem = syntax_problem(error.message());
        match error.span() {
            Some(span) => self.at(span, problem),
            None => self.whole(problem),
        }
    }
}

/// Names unknown and missing keys from serde's messages; anything else is reported as given.
fn syntax_problem(message: &str) -> PlanProblem {
    let quoted_after = |prefix: &str| {
        let rest = message.strip_prefix(prefix)?;
        let (key, _) = rest.split_once('`')?;
        Some(key.to_string())
    };
    if let Some(key) = quoted_after("unknown field `") {
        PlanProblem::UnknownKey { key }
    } else if let Some(key) = quoted_after("missing field `") {
        PlanProblem::MissingKey { key }
    } else {
        PlanProblem::Syntax {
            message: message.trim().to_string(),
        }
    }
}
