//! The command line: arguments, the context every subcommand shares, errors and exit codes.
//! One file per subcommand.

mod add;
mod awards;
mod backup;
mod change;
mod check;
mod city;
mod demo;
mod due;
mod error;
mod figure;
mod firm;
mod help;
mod import_sheet;
mod init;
mod list;
mod output;
mod plan;
mod pool;
mod progress;
mod report;
mod restore_backup;
mod show;
mod stderr_progress;
mod sync;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::i18n::{Lang, Localized};
use crate::plan::Plan;
use crate::store::{self, Ledger};

pub use error::CliError;

/// taizhang (台账): the ledger of Shuangyashan's 2021-2023 S&T plan. With no command it opens
/// the clerk's screen on the ledger.
#[derive(Debug, Parser)]
#[command(name = "taizhang", version, about, long_about = None)]
pub struct Cli {
    /// Ledger file (default: the data directory; see `taizhang where`).
    #[arg(long, global = true, env = "TAIZHANG_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Plan file to use for this run, instead of the plan the ledger follows (the one adopted
    /// with `plan adopt`, else the embedded 2021-2023 plan).
    #[arg(long, global = true, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Language of messages: zh (default) or en.
    #[arg(long, global = true, env = "TAIZHANG_LANG", value_name = "zh|en")]
    pub lang: Option<String>,
    /// Open the screen on a throw-away ledger filled with sample records.
    #[arg(long)]
    pub demo: bool,
    /// Draw borders, gauges and symbols such as · → “ ” … with ASCII only (for terminals that
    /// draw them two columns wide).
    #[arg(long)]
    pub ascii: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the unit's ledger.
    Init(init::InitArgs),
    /// Record a new entity.
    Add(add::AddArgs),
    /// Correct fields of a record.
    Edit(change::EditArgs),
    /// Void a record entered by mistake (it stops counting on every date; nothing is
    /// deleted). A status cancelled or withdrawn on a date is `edit ID --set revoked_on=DATE`.
    Void(change::VoidArgs),
    /// Restore a voided record.
    Restore(change::RestoreArgs),
    /// List records.
    List(list::ListArgs),
    /// Show one record and its history.
    Show(show::ShowArgs),
    /// The unit's progress against its Annex 2 quota.
    Progress(progress::ProgressArgs),
    /// The worklist (待办): high-tech certificates running out and what the unit's count
    /// falls to without their renewal; tech SMEs registered last year, not yet this year. At
    /// the city: units silent for 30 days and entities claimed twice.
    Due(due::DueArgs),
    /// One firm's whole path: every record that names it, the days each counts, its awards.
    Firm(firm::FirmArgs),
    /// Write the printable workbook (xlsx) on a date into a folder: at a unit ledger the
    /// unit's progress and one sheet per kind of record; at the city ledger the city's
    /// report.
    Report(report::ReportArgs),
    /// Fill a fresh ledger with synthetic records, or build a whole city demonstration.
    Demo(demo::DemoArgs),
    /// Print this ledger's public key and its fingerprint.
    Key,
    /// Write a signed sync bundle of the unit's records (onto the USB stick).
    Export(sync::ExportArgs),
    /// Pin a unit's public key at the city ledger (or the city's key at a unit ledger).
    Enroll(sync::EnrollArgs),
    /// Import bundles at the city ledger, or the city's receipts at a unit ledger.
    Import(sync::ImportArgs),
    /// Take in the records of a sheet the unit already keeps (xlsx, xls, ods, csv): each row
    /// is new, already in the ledger, repeated or invalid; the new ones are saved together and
    /// the rest written to `NAME-待修改.xlsx` with the reasons, to fix and import again.
    ImportSheet(import_sheet::ImportSheetArgs),
    /// Write a receipt, signed by the city, telling a unit what the city holds.
    Receipt(sync::ReceiptArgs),
    /// Firms claimed by more than one unit (city ledger).
    Claims(city::ClaimsArgs),
    /// The import log (city ledger).
    Imports,
    /// Awards and subsidies the plan's rules give: who is owed what, charged to which fiscal
    /// level, and what was paid; `awards approve ID` and `awards pay ID --voucher NO` record
    /// the paying level's decisions.
    Awards(awards::AwardsArgs),
    /// The city office's yearly figures for the city-wide targets (city ledger).
    Figure(figure::FigureArgs),
    /// The plan in force; `plan adopt FILE` moves the ledger to another plan (the next one).
    Plan(plan::PlanArgs),
    /// The cultivation pool: firms the unit is growing toward the next stage (tech SME,
    /// high-tech candidate, gazelle candidate), with target dates; at the city, each unit's
    /// pool counted by stage.
    Pool(pool::PoolArgs),
    /// Print where the ledger file is.
    Where,
    /// Write a verified backup of the whole ledger (signing key included) into a folder.
    Backup(backup::BackupArgs),
    /// Check the ledger file: integrity, records against their history and the sync logs.
    Check(check::CheckArgs),
    /// Put a backup in place of the ledger; the ledger replaced is kept under another name.
    RestoreBackup(restore_backup::RestoreBackupArgs),
}

/// What every subcommand needs: the language, the plan and where the ledger lives.
pub struct Context {
    pub lang: Lang,
    pub plan: Plan,
    /// Where the plan in force comes from.
    pub plan_source: PlanSource,
    pub db_path: PathBuf,
}

/// Where the plan in force for a run comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanSource {
    /// `--plan FILE`, for this run only.
    Given(PathBuf),
    /// The plan file the ledger adopted (`plan adopt`), by the name it was adopted from.
    Adopted(String),
    /// The plan built into the program (2021-2023).
    Embedded,
}

impl Context {
    /// Opens the existing ledger.
    pub fn open_ledger(&self) -> Result<Ledger, CliError> {
        Ok(Ledger::open(&self.db_path)?)
    }
}

/// Runs the command line and turns the outcome into an exit code and a message on stderr.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match help::parse(help::lang_of_this_run(&args), args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let lang = resolve_lang(cli.lang.as_deref());
    match run(cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.is_closed_output() => ExitCode::from(err.exit_code()),
        Err(err) => {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "{}", err.localize(lang));
            ExitCode::from(err.exit_code())
        }
    }
}

fn resolve_lang(flag: Option<&str>) -> Lang {
    flag.and_then(Lang::parse).unwrap_or_default()
}

fn run(cli: Cli, lang: Lang) -> Result<(), CliError> {
    if let Some(given) = cli.lang.as_deref()
        && Lang::parse(given).is_none()
    {
        return Err(CliError::UnknownLang {
            given: given.to_string(),
        });
    }
    let db_path = match cli.db {
        Some(path) => path,
        None => store::default_ledger_path().ok_or(CliError::NoDataDir)?,
    };
    let (plan, plan_source) = match &cli.plan {
        Some(path) => (Plan::load(path)?, PlanSource::Given(path.clone())),
        // These need no plan, and must not open (and so change) the ledger beforehand.
        None if cli.demo
            || matches!(
                cli.command,
                Some(
                    Command::Where
                        | Command::Backup(_)
                        | Command::Check(_)
                        | Command::RestoreBackup(_)
                )
            ) =>
        {
            (Plan::embedded(), PlanSource::Embedded)
        }
        None => plan_in_force(&db_path)?,
    };
    let ctx = Context {
        lang,
        plan,
        plan_source,
        db_path,
    };
    let mut out = std::io::stdout().lock();
    match cli.command {
        None => Ok(crate::tui::run(crate::tui::TuiLaunch {
            lang: ctx.lang,
            plan: ctx.plan,
            db_path: ctx.db_path,
            demo: cli.demo,
            ascii: cli.ascii,
        })?),
        Some(Command::Init(args)) => init::run(&ctx, args, &mut out),
        Some(Command::Add(args)) => add::run(&ctx, args, &mut out),
        Some(Command::Edit(args)) => change::edit(&ctx, args, &mut out),
        Some(Command::Void(args)) => change::void(&ctx, args, &mut out),
        Some(Command::Restore(args)) => change::restore(&ctx, args, &mut out),
        Some(Command::List(args)) => list::run(&ctx, args, &mut out),
        Some(Command::Show(args)) => show::run(&ctx, args, &mut out),
        Some(Command::Progress(args)) => progress::run(&ctx, args, &mut out),
        Some(Command::Due(args)) => due::run(&ctx, args, &mut out),
        Some(Command::Firm(args)) => firm::run(&ctx, args, &mut out),
        Some(Command::Report(args)) => report::run(&ctx, args, &mut out),
        Some(Command::Demo(args)) => demo::run(&ctx, args, &mut out),
        Some(Command::Key) => sync::key(&ctx, &mut out),
        Some(Command::Export(args)) => sync::export(&ctx, args, &mut out),
        Some(Command::Enroll(args)) => sync::enroll(&ctx, args, &mut out),
        Some(Command::Import(args)) => sync::import(&ctx, args, &mut out),
        Some(Command::ImportSheet(args)) => import_sheet::run(&ctx, args, &mut out),
        Some(Command::Receipt(args)) => sync::receipt(&ctx, args, &mut out),
        Some(Command::Claims(args)) => city::claims(&ctx, args, &mut out),
        Some(Command::Imports) => city::imports(&ctx, &mut out),
        Some(Command::Awards(args)) => awards::run(&ctx, args, &mut out),
        Some(Command::Figure(args)) => figure::run(&ctx, args, &mut out),
        Some(Command::Plan(args)) => plan::run(&ctx, args, &mut out),
        Some(Command::Pool(args)) => pool::run(&ctx, args, &mut out),
        Some(Command::Where) => print_where(&ctx.db_path, &mut out),
        Some(Command::Backup(args)) => backup::run(&ctx, args, &mut out),
        Some(Command::Check(args)) => check::run(&ctx, args, &mut out),
        Some(Command::RestoreBackup(args)) => restore_backup::run(&ctx, args, &mut out),
    }
}

/// The plan the ledger at `db_path` has adopted, or the embedded plan when it has adopted
/// none (or there is no ledger yet: the command itself then says what is wrong).
fn plan_in_force(db_path: &Path) -> Result<(Plan, PlanSource), CliError> {
    // Read without opening the ledger for work: the command opens it once, itself.
    let stored = store::stored_plan_at(db_path).unwrap_or(None);
    match stored {
        Some(stored) => {
            let name = format!("{} ({})", db_path.display(), stored.source);
            let plan = Plan::parse(&stored.text, &name)?;
            Ok((plan, PlanSource::Adopted(stored.source)))
        }
        None => Ok((Plan::embedded(), PlanSource::Embedded)),
    }
}

fn print_where(path: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    writeln!(out, "{}", path.display()).map_err(CliError::output)
}
