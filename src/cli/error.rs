//! Everything a command can fail with, and the exit code each failure gives.

use std::path::PathBuf;

use crate::bundle::error::BundleError;
use crate::domain::FieldIssue;
use crate::plan::PlanError;
use crate::sheet::SheetError;
use crate::store::StoreError;

/// A failed command. Exit codes: 2 invalid input or refused (nothing written), 3 revision
/// conflict, 1 anything else.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("invalid record")]
    Invalid { issues: Vec<FieldIssue> },
    /// What was typed for a cultivation pool entry (`pool add`, `pool edit`, `pool close`).
    #[error("invalid pool entry")]
    PoolInvalid { issues: Vec<FieldIssue> },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The OS account in the environment cannot be recorded; nothing was written.
    #[error(transparent)]
    Account(#[from] crate::store::AccountError),
    #[error(transparent)]
    Bundle(#[from] BundleError),
    #[error(transparent)]
    Sheet(#[from] SheetError),
    #[error("{refused} of {files} files refused")]
    ImportIncomplete { files: usize, refused: usize },
    #[error("--unit and --city together")]
    UnitOrCity,
    #[error("demo folder not empty")]
    DemoFolderNotEmpty { path: PathBuf },
    #[error("not a city ledger")]
    NeedsCity,
    #[error("unknown unit {given}")]
    UnknownUnit {
        given: String,
        valid: Vec<(String, String)>,
    },
    /// `init --unit` given the city's own code or name: the city ledger is `init --city`.
    #[error("{given} is the city, not a unit")]
    CityIsNotAUnit { given: String },
    #[error("unknown kind {given}")]
    UnknownKind { given: String },
    #[error("unknown language {given}")]
    UnknownLang { given: String },
    #[error("bad --set {arg}")]
    BadSet { arg: String },
    #[error("nothing to change")]
    NothingToSet,
    /// `pool edit` given no field to change.
    #[error("nothing to change in the pool entry")]
    PoolNothingToChange,
    #[error("bad JSON input")]
    BadJson { reason: String },
    #[error("bad date {given}")]
    BadDate { given: String },
    #[error("cannot read {path}")]
    ReadInput {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no data directory")]
    NoDataDir,
    #[error(transparent)]
    Tui(#[from] crate::tui::TuiError),
    #[error("unknown figure {given}")]
    UnknownFigure { given: String, valid: Vec<String> },
    #[error("year {year} is outside the plan")]
    FigureYearOutsidePlan { year: i16, first: i16, last: i16 },
    #[error("not a figure: {given}")]
    BadFigureValue { given: String },
    /// A unit ledger asked to follow a plan that does not list its unit.
    #[error("plan {plan_id} has no unit {unit}")]
    PlanLacksUnit {
        plan_id: String,
        unit: String,
        unit_name: String,
    },
    /// The city ledger asked to follow a plan of another city.
    #[error("plan {plan_id} is for city {plan_city}, not {ledger_city}")]
    PlanOfOtherCity {
        plan_id: String,
        plan_city: String,
        ledger_city: String,
    },
    /// The record earned nothing the command could approve or pay.
    #[error("record {id} has no award")]
    NoAward { id: String, name: String },
    /// The record earned several awards: `--rule` or `--year` must say which.
    #[error("record {id} has several awards")]
    WhichAward {
        id: String,
        /// (rule key, rule name, year)
        options: Vec<(String, String, i16)>,
    },
    /// `firm NAME`: no record's name or credit code holds it.
    #[error("no firm {given}")]
    NoFirm { given: String },
    /// `firm NAME`: several firms match; the credit code must say which.
    #[error("several firms match {given}")]
    WhichFirm {
        given: String,
        options: Vec<crate::outlook::FirmMatch>,
    },
    /// `firm NAME`: the records that match carry no credit code to gather them by.
    #[error("records matching {given} carry no credit code")]
    FirmWithoutCode { given: String, names: Vec<String> },
    /// `firm CODE`: no active record carries the code.
    #[error("no records of firm {code}")]
    NoFirmRecords { code: String },
    #[error("cannot write output")]
    Output { reason: String },
    /// Writing to stdout failed (a closed pipe, a full disk).
    #[error("cannot write output")]
    WriteOutput(#[source] std::io::Error),
    /// `check` found problems (it has printed them).
    #[error("the check found {problems} problems")]
    CheckFailed { problems: u64 },
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Store(e) if e.is_conflict() => 3,
            CliError::Store(e) if !e.is_user_error() => 1,
            CliError::Bundle(e) if !e.is_refusal() => 1,
            CliError::Sheet(SheetError::Build { .. } | SheetError::RejectedUnwritten { .. }) => 1,
            CliError::Sheet(SheetError::Store(e)) if e.is_conflict() => 3,
            CliError::Sheet(SheetError::Store(e)) if !e.is_user_error() => 1,
            CliError::Tui(e) if !matches!(e, crate::tui::TuiError::NotATerminal) => 1,
            CliError::NoDataDir
            | CliError::Output { .. }
            | CliError::WriteOutput(_)
            | CliError::CheckFailed { .. } => 1,
            _ => 2,
        }
    }

    /// Wraps a failure to write to stdout (a closed pipe, a full disk).
    pub fn output(err: std::io::Error) -> CliError {
        CliError::WriteOutput(err)
    }

    /// Whether the reader of the output went away (`taizhang list | head`): nothing to say.
    pub fn is_closed_output(&self) -> bool {
        matches!(self, CliError::WriteOutput(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl From<csv::Error> for CliError {
    fn from(err: csv::Error) -> CliError {
        CliError::Output {
            reason: err.to_string(),
        }
    }
}
