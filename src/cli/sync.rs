//! Sync between units and the city: `key`, `export`, `enroll`, `import` and `receipt`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use jiff::Timestamp;

use super::init::{print_key, resolve_unit};
use super::stderr_progress::StderrProgress;
use super::{CliError, Context};
use crate::bundle::format::FileType;
use crate::bundle::import::{
    FileOutcome, ImportOutcome, dry_run_each, files_of_type, import_paths_with_progress,
    inspect_file,
};
use crate::bundle::{BundleError, export as bundle_export, keys, log_refusals, receipt};
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
    let mut shown = StderrProgress::new(ctx.lang);
    let done = bundle_export::export_with_progress(
        &mut ledger,
        &args.out,
        Timestamp::now(),
        &mut crate::bundle::RealFs,
        &mut |p| shown.show(None, p),
    );
    shown.clear();
    writeln!(out, "{}", messages::export_done(ctx.lang, &done?)).map_err(CliError::output)
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
    let mut shown = StderrProgress::new(ctx.lang);
    let several = args.paths.len() > 1 || args.paths.iter().any(|p| p.is_dir());
    let now = Timestamp::now();
    let outcomes =
        import_paths_with_progress(city, &args.paths, now, args.confirm_jump, &mut |path, p| {
            let file = several.then(|| display::path(path));
            shown.show(file.as_deref(), p);
        });
    shown.clear();
    let outcomes = outcomes?;
    // Noted for the city's worklist; a failure to note them is only a warning, after the
    // refusals themselves are said.
    let logged = log_refusals(city, &outcomes, now);
    let reported = report_files(ctx, &outcomes, out);
    if let Err(e) = logged {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{}", messages::refusals_not_logged(ctx.lang, &e));
    }
    reported
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
    let mut shown = StderrProgress::new(ctx.lang);
    for path in &files {
        let file = display::path(path);
        let result = dry_run_file(ctx, city, path, &file, out, &mut shown, args.confirm_jump);
        shown.clear();
        match result {
            Ok(()) => {}
            Err(DryRunFailed::Output(e)) => return Err(e),
            Err(DryRunFailed::Refused(e)) => {
                refused += 1;
                let line = messages::import_refused(ctx.lang, &file, &e.localize(ctx.lang));
                writeln!(out, "{line}").map_err(CliError::output)?;
            }
        }
    }
    all_imported(files.len(), refused)
}

/// Why one file's dry run stopped: the file was refused, or the output could not be written.
enum DryRunFailed {
    Refused(BundleError),
    Output(CliError),
}

impl From<BundleError> for DryRunFailed {
    fn from(e: BundleError) -> DryRunFailed {
        DryRunFailed::Refused(e)
    }
}

/// One file's dry run, its lines written as the records are read (so a large bundle is
/// never held in memory), then its totals.
fn dry_run_file(
    ctx: &Context,
    city: &store::Ledger,
    path: &std::path::Path,
    file: &str,
    out: &mut dyn Write,
    shown: &mut StderrProgress,
    confirm_jump: bool,
) -> Result<(), DryRunFailed> {
    let bundle = inspect_file(city, path, &mut |p| shown.show(None, p))?;
    shown.clear();
    let head = messages::dry_run_heading(ctx.lang, file, bundle.unit(), bundle.sequence());
    writeln!(out, "{head}").map_err(|e| DryRunFailed::Output(CliError::output(e)))?;
    let shown = std::cell::RefCell::new(shown);
    let mut output_failed = None;
    let summary = dry_run_each(
        city,
        &bundle,
        confirm_jump,
        &mut |a| {
            shown.borrow_mut().clear();
            let mut line = messages::dry_run_line(ctx.lang, &a.id, &a.name, &a.action);
            if !a.changed_fields.is_empty() {
                let fields = messages::changed_fields(ctx.lang, &a.changed_fields);
                line.push_str(&format!(" ({fields})"));
            }
            writeln!(out, "  {line}").map_err(|e| {
                let kind = e.kind();
                output_failed = Some(CliError::output(e));
                BundleError::Read {
                    path: std::path::PathBuf::from("-"),
                    source: std::io::Error::from(kind),
                }
            })
        },
        &mut |p| shown.borrow_mut().show(None, p),
    );
    if let Some(e) = output_failed {
        return Err(DryRunFailed::Output(e));
    }
    shown.borrow_mut().clear();
    let summary = summary?;
    let line = messages::dry_run_summary(ctx.lang, &summary);
    writeln!(out, "  {line}").map_err(|e| DryRunFailed::Output(CliError::output(e)))?;
    if summary.retiring > 0 {
        let line = messages::dry_run_retiring(ctx.lang, bundle.unit(), summary.retiring);
        writeln!(out, "  {line}").map_err(|e| DryRunFailed::Output(CliError::output(e)))?;
    }
    if summary.award_events > 0 {
        let line = messages::dry_run_award_events(ctx.lang, bundle.unit(), summary.award_events);
        writeln!(out, "  {line}").map_err(|e| DryRunFailed::Output(CliError::output(e)))?;
    }
    if !summary.pool_now.is_empty() || !summary.pool_after.is_empty() {
        let line = crate::i18n::pool::dry_run_entries(
            ctx.lang,
            bundle.unit(),
            summary.pool_now,
            summary.pool_after,
        );
        writeln!(out, "  {line}").map_err(|e| DryRunFailed::Output(CliError::output(e)))?;
    }
    Ok(())
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
        let result = receipt::import_receipt_file(ledger, path, city);
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
