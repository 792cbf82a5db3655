//! `taizhang restore-backup FILE`: puts a backup in place of the ledger, keeping the ledger
//! it replaces (and its `-wal` and `-shm` files) under another name.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use jiff::Timestamp;

use super::{CliError, Context};
use crate::i18n::backup as text;
use crate::store;

#[derive(Debug, Args)]
pub struct RestoreBackupArgs {
    /// The backup file (as `taizhang backup` writes it).
    #[arg(value_name = "FILE")]
    pub from: PathBuf,
}

pub fn run(ctx: &Context, args: RestoreBackupArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let done = store::restore_backup(&args.from, &ctx.db_path, Timestamp::now())?;
    writeln!(out, "{}", text::restore_done(ctx.lang, &done, &ctx.db_path)).map_err(CliError::output)
}
