//! `taizhang backup --out DIR`: a verified copy of the whole ledger, signing key included,
//! taken while clerks keep working.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use jiff::Timestamp;

use super::{CliError, Context};
use crate::i18n::backup as text;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Folder to write the backup into (a USB stick, a backup disk).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(ctx: &Context, args: BackupArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let ledger = ctx.open_ledger()?;
    let done = ledger.backup_to(&args.out, Timestamp::now())?;
    writeln!(out, "{}", text::backup_done(ctx.lang, &done)).map_err(CliError::output)
}
