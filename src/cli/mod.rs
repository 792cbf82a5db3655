//! The command line: arguments, the context every subcommand shares, errors and exit codes.
//! One file per subcommand.

mod add;
mod change;
mod city;
mod demo;
mod error;
mod figure;
mod init;
mod list;
mod output;
mod progress;
mod show;
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
    /// Plan file to use instead of the embedded 2021-2023 plan.
    #[arg(long, global = true, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Language of messages: zh (default) or en.
    #[arg(long, global = true, env = "TAIZHANG_LANG", value_name = "zh|en")]
    pub lang: Option<String>,
    /// Open the screen on a throw-away ledger filled with sample records.
    #[arg(long)]
    pub demo: bool,
    /// Draw borders and gauges with ASCII only (for terminals that draw box characters double).
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
    /// Write a receipt, signed by the city, telling a unit what the city holds.
    Receipt(sync::ReceiptArgs),
    /// Firms claimed by more than one unit (city ledger).
    Claims(city::ClaimsArgs),
    /// The import log (city ledger).
    Imports,
    /// The city office's yearly figures for the city-wide targets (city ledger).
    Figure(figure::FigureArgs),
    /// Print where the ledger file is.
    Where,
}

/// What every subcommand needs: the language, the plan and where the ledger lives.
pub struct Context {
    pub lang: Lang,
    pub plan: Plan,
    pub db_path: PathBuf,
}

impl Context {
    /// Opens the existing ledger.
    pub fn open_ledger(&self) -> Result<Ledger, CliError> {
        Ok(Ledger::open(&self.db_path)?)
    }
}

/// Runs the command line and turns the outcome into an exit code and a message on stderr.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = resolve_lang(cli.lang.as_deref());
    match run(cli, lang) {
        Ok(()) => ExitCode::SUCCESS,
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
    let plan = match &cli.plan {
        Some(path) => Plan::load(path)?,
        None => Plan::embedded(),
    };
    let db_path = match cli.db {
        Some(path) => path,
        None => store::default_ledger_path().ok_or(CliError::NoDataDir)?,
    };
    let ctx = Context {
        lang,
        plan,
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
        Some(Command::Demo(args)) => demo::run(&ctx, args, &mut out),
        Some(Command::Key) => sync::key(&ctx, &mut out),
        Some(Command::Export(args)) => sync::export(&ctx, args, &mut out),
        Some(Command::Enroll(args)) => sync::enroll(&ctx, args, &mut out),
        Some(Command::Import(args)) => sync::import(&ctx, args, &mut out),
        Some(Command::Receipt(args)) => sync::receipt(&ctx, args, &mut out),
        Some(Command::Claims(args)) => city::claims(&ctx, args, &mut out),
        Some(Command::Imports) => city::imports(&ctx, &mut out),
        Some(Command::Figure(args)) => figure::run(&ctx, args, &mut out),
        Some(Command::Where) => print_where(&ctx.db_path, &mut out),
    }
}

fn print_where(path: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    writeln!(out, "{}", path.display()).map_err(CliError::output)
}
