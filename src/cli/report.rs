//! `taizhang report`: the printable workbook of the ledger on a date — a unit's ledger
//! workbook at a unit ledger, the city workbook at the city ledger — written into a folder.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::progress::measuring_date;
use super::{CliError, Context};
use crate::clock;
use crate::sheet::book::city_report_path;
use crate::sheet::city_report::write_city_report;
use crate::sheet::unit_report::{UnitReport, write_unit_report_into};
use crate::store::LedgerRole;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Folder to write the workbook into (the USB stick); default: the current folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
    /// The date to report on (default: today, or the plan's end date once the plan is over).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// List voided records too, with their status and the reason (unit ledger).
    #[arg(long)]
    pub include_voided: bool,
}

pub fn run(ctx: &Context, args: ReportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let (as_of, source) = measuring_date(ctx, args.as_of.as_deref())?;
    let ledger = ctx.open_ledger()?;
    let path = match ledger.role() {
        LedgerRole::City => {
            let path = city_report_path(&ctx.plan, &args.out, as_of);
            write_city_report(&ledger, &ctx.plan, as_of, ctx.lang, &path)?;
            path
        }
        LedgerRole::Unit => {
            let report = UnitReport {
                as_of,
                source,
                include_voided: args.include_voided,
                lang: ctx.lang,
                made_on: clock::today(),
            };
            write_unit_report_into(&ledger, &ctx.plan, &report, &args.out)?
        }
    };
    writeln!(out, "{}", crate::display::path(&path)).map_err(CliError::output)
}
