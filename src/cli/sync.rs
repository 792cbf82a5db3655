//! Sync between units and the city: `key`, `export`, `enroll`, `import` and `receipt`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use jiff::Timestamp;

use super::init::{print_key, resolve_unit};
use super::{CliError, Context};
use crate::bundle::format::FileType;
use crate::bundle::import::{
    FileOutcome, ImportOutcome, files_of_type, import_paths_confirmed, inspect, preview, read_file,
};
use crate::bundle::{export as bundle_export, keys, receipt};
use crate::display;
use crate::i18n::{Localized, messages};
use crate::store::{self, LedgerRole, PinOutcome};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Folder to write the bundle into (the USB stick); default: the current folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// The unit whose public key this is (at the city ledger).
    #[arg(
        long,
        value_name = "CODE",
        required_unless_present = "city",
        conflicts_with = "city"
    )]
    pub unit: Option<String>,
    /// The key is the city's (at a unit ledger, to check the city's receipts).
    #[arg(long)]
    pub city: bool,
    /// The public key, as `taizhang key` prints it.
    #[arg(long, value_name = "KEY")]
    pub key: String,
    /// Replace a key pinned before (recorded in the key history).
    #[arg(long)]
    pub replace: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Bundle files (.tzb) at the city, receipt files (.tzr) at a unit, or folders holding them.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Show what would change, per record, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Accept a bundle whose number jumps more than 1,000 past the last one held from its
    /// unit's key (check the number with the unit by phone first).
    #[arg(long)]
    pub confirm_jump: bool,
}

#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// The unit the receipt is for.
    #[arg(long, value_name = "CODE")]
    pub unit: String,
    /// Folder to write the receipt into (the unit's USB stick).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
}

pub fn key(ctx: &Context, out: &mut dyn Write) -> Result<(), CliError> {
    let ledger = ctx.open_ledger()?;
    print_key(ctx, &ledger, out)
}

pub fn export(ctx: &Context, args: ExportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut ledger = ctx.open_ledger()?;
    let done = bundle_export::export(&mut ledger, &args.out, Timestamp::now())?;
    writeln!(out, "{}", messages::export_done(ctx.lang, &done)).map_err(CliError::output)
}

pub fn enroll(ctx: &Context, args: EnrollArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let key = keys::parse_public_key(&args.key)?;
    let actor = store::os_account()?;
    let mut ledger = ctx.open_ledger()?;
    let (who, outcome) = match &args.unit {
        Some(given) => {
            let unit = resolve_unit(ctx, given)?;
            let outcome = keys::enroll_unit_key(&mut ledger, &unit, &key, args.replace, &actor)?;
            (unit, outcome)
        }
        None => {
            let outcome = keys::enroll_city_key(&mut ledger, &key, args.replace, &actor)?;
            (ctx.plan.city.code.clone(), outcome)
        }
    };
    let fingerprint = keys::fingerprint(&key);
    let replaced = match outcome {
        PinOutcome::Replaced { old } => Some(keys::fingerprint(&old)),
        _ => None,
    };
    let already = matches!(outcome, PinOutcome::AlreadyPinned);
    writeln!(
        out,
        "{}",
        messages::key_enrolled(ctx.lang, &who, &fingerprint, already, replaced.as_deref())
    )
    .map_err(CliError::output)
}

pub fn import(ctx: &Context, args: ImportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut ledger = ctx.open_ledger()?;
    match ledger.role() {
        LedgerRole::Unit if args.dry_run => Err(CliError::NeedsCity),
        LedgerRole::Unit => import_receipts(ctx, &mut ledger, &args, out),
        LedgerRole::City if args.dry_run => dry_run_bundles(ctx, &ledger, &args, out),
        LedgerRole::City => import_bundles(ctx, &mut ledger, &args, out),
    }
}

fn import_bundles(
    ctx: &Context,
    city: &mut store::Ledger,
    args: &ImportArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let outcomes = import_paths_confirmed(city, &args.paths, Timestamp::now(), args.confirm_jump)?;
    report_files(ctx, &outcomes, out)
}

fn report_files(
    ctx: &Context,
    outcomes: &[FileOutcome],
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut refused = 0;
    for outcome in outcomes {
        let file = display::path(&outcome.path);
        let line = match &outcome.result {
            Ok(ImportOutcome::Imported { report }) => {
                messages::import_done(ctx.lang, &file, report)
            }
            Ok(ImportOutcome::AlreadyHeld { unit, sequence }) => {
                messages::import_already_held(ctx.lang, &file, unit, *sequence)
            }
            Err(e) => {
                refused += 1;
                messages::import_refused(ctx.lang, &file, &e.localize(ctx.lang))
            }
        };
        writeln!(out, "{line}").map_err(CliError::output)?;
    }
    all_imported(outcomes.len(), refused)
}

fn dry_run_bundles(
    ctx: &Context,
    city: &store::Ledger,
    args: &ImportArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let files = crate::bundle::import::bundle_files(&args.paths)?;
    let mut refused = 0;
    for path in &files {
        let file = display::path(path);
        let planned = read_file(path)
            .and_then(|bytes| inspect(city, &bytes))
            .and_then(|bundle| preview(city, &bundle, args.confirm_jump).map(|run| (bundle, run)));
        match planned {
            Ok((bundle, run)) => {
                let head =
                    messages::dry_run_heading(ctx.lang, &file, bundle.unit(), bundle.sequence());
                writeln!(out, "{head}").map_err(CliError::output)?;
                for a in &run.actions {
                    let line = messages::dry_run_line(ctx.lang, &a.id, &a.name, &a.action);
                    writeln!(out, "  {line}").map_err(CliError::output)?;
                }
                let summary = messages::dry_run_summary(ctx.lang, &run.actions);
                writeln!(out, "  {summary}").map_err(CliError::output)?;
                if run.retiring > 0 {
                    let retiring =
                        messages::dry_run_retiring(ctx.lang, bundle.unit(), run.retiring);
                    writeln!(out, "  {retiring}").map_err(CliError::output)?;
                }
            }
            Err(e) => {
                refused += 1;
                let line = messages::import_refused(ctx.lang, &file, &e.localize(ctx.lang));
                writeln!(out, "{line}").map_err(CliError::output)?;
            }
        }
    }
    all_imported(files.len(), refused)
}

fn import_receipts(
    ctx: &Context,
    ledger: &mut store::Ledger,
    args: &ImportArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let files = files_of_type(&args.paths, FileType::Receipt)?;
    let mut refused = 0;
    for path in &files {
        let file = display::path(path);
        let city = &ctx.plan.city.code;
        let result =
            read_file(path).and_then(|bytes| receipt::import_receipt(ledger, &bytes, city));
        let line = match result {
            Ok(entry) => messages::receipt_imported(ctx.lang, &entry),
            Err(e) => {
                refused += 1;
                messages::import_refused(ctx.lang, &file, &e.localize(ctx.lang))
            }
        };
        writeln!(out, "{line}").map_err(CliError::output)?;
    }
    all_imported(files.len(), refused)
}

pub fn receipt(ctx: &Context, args: ReceiptArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let ledger = ctx.open_ledger()?;
    let unit = resolve_unit(ctx, &args.unit)?;
    let done = receipt::write_receipt(&ledger, &unit, &args.out, Timestamp::now())?;
    writeln!(out, "{}", messages::receipt_written(ctx.lang, &done)).map_err(CliError::output)
}

/// Fails the command (exit 2) when any of `files` was refused; each already said why.
fn all_imported(files: usize, refused: usize) -> Result<(), CliError> {
    if refused > 0 {
        return Err(CliError::ImportIncomplete { files, refused });
    }
    Ok(())
}
