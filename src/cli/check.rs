//! `taizhang check`: the ledger file's integrity and what must hold between its records,
//! their history and the sync logs, reading only. Exits 1 on any problem.

use std::io::Write;
use std::time::Instant;

use clap::Args;

use super::{CliError, Context};
use crate::i18n::backup as text;
use crate::store::{self, CheckDepth};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check the file's structure with SQLite's quick check instead of the full integrity
    /// check (which also compares every index with its table): several times faster.
    #[arg(long)]
    pub quick: bool,
    /// Count the progress figures again from the records and keep the result (mends kept
    /// counts the check finds wrong), then check.
    #[arg(long)]
    pub recount: bool,
}

pub fn run(ctx: &Context, args: CheckArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let started = Instant::now();
    let depth = if args.quick {
        CheckDepth::Quick
    } else {
        CheckDepth::Full
    };
    if args.recount {
        let mended = store::Ledger::open(&ctx.db_path)?.recount()?;
        writeln!(out, "{}", text::recount_line(ctx.lang, &mended)).map_err(CliError::output)?;
    }
    let report = store::check_ledger(&ctx.db_path, depth)?;
    let seconds = started.elapsed().as_secs_f64();
    for line in text::check_lines(ctx.lang, &ctx.db_path, &report, seconds) {
        writeln!(out, "{line}").map_err(CliError::output)?;
    }
    if report.is_clean() {
        Ok(())
    } else {
        Err(CliError::CheckFailed {
            problems: report.problems.len() as u64 + report.unlisted,
        })
    }
}
