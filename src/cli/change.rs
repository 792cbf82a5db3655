//! `taizhang edit | void | restore`: change an existing record, guarded by its revision.

use std::io::Write;

use clap::Args;

use super::add::{parse_sets, print_warnings};
use super::{CliError, Context};
use crate::clock;
use crate::domain::Record;
use crate::domain::validate::{context_warnings, merge_edit, validate_record};
use crate::i18n::messages;
use crate::store;

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The record's id (or a unique prefix of it, as `list` shows).
    pub id: String,
    /// A field value, `key=value` (the key or its label: `notes=…` or `备注=…`); an empty
    /// value clears the field. Repeat for each field.
    #[arg(long = "set", value_name = "KEY=VALUE", required = true)]
    pub sets: Vec<String>,
    /// Refuse the edit if the record is no longer at this revision (someone else changed it).
    #[arg(long, value_name = "N")]
    pub expect_revision: Option<i64>,
}

#[derive(Debug, Args)]
pub struct VoidArgs {
    /// The record's id (or a unique prefix of it, as `list` shows).
    pub id: String,
    /// Why the record is voided (kept in its history).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Refuse if the record is no longer at this revision (someone else changed it).
    #[arg(long, value_name = "N")]
    pub expect_revision: Option<i64>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The record's id (or a unique prefix of it, as `list` shows).
    pub id: String,
    /// Refuse if the record is no longer at this revision (someone else changed it).
    #[arg(long, value_name = "N")]
    pub expect_revision: Option<i64>,
}

pub fn edit(ctx: &Context, args: EditArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let changes = parse_sets(&args.sets)?;
    if changes.is_empty() {
        return Err(CliError::NothingToSet);
    }
    let actor = store::os_account()?;
    let mut ledger = ctx.open_ledger()?;
    let id = ledger.resolve_id(&args.id)?;
    let current = ledger.get(id)?;
    let changes = super::add::keys_from_labels(current.kind, changes);
    let mut merged = merge_edit(&current.fields, &changes);
    ledger.resolve_references(&mut merged)?;
    let valid =
        validate_record(current.kind, &merged).map_err(|issues| CliError::Invalid { issues })?;
    print_warnings(ctx.lang, &valid.warnings);
    print_warnings(
        ctx.lang,
        &context_warnings(current.kind, &valid.fields, ledger.unit(), clock::today()),
    );
    let record = ledger.update(id, args.expect_revision, &valid, &actor)?;
    report(ctx, &record, out)
}

pub fn void(ctx: &Context, args: VoidArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let actor = store::os_account()?;
    let mut ledger = ctx.open_ledger()?;
    let id = ledger.resolve_id(&args.id)?;
    let record = ledger.void(id, &args.reason, args.expect_revision, &actor)?;
    report(ctx, &record, out)
}

pub fn restore(ctx: &Context, args: RestoreArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let actor = store::os_account()?;
    let mut ledger = ctx.open_ledger()?;
    let id = ledger.resolve_id(&args.id)?;
    let record = ledger.restore(id, args.expect_revision, &actor)?;
    report(ctx, &record, out)
}

fn report(ctx: &Context, record: &Record, out: &mut dyn Write) -> Result<(), CliError> {
    writeln!(out, "{}", messages::record_changed(ctx.lang, record)).map_err(CliError::output)
}
