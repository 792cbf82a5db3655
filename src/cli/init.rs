//! `taizhang init --unit CODE`: create the unit's ledger.

use std::io::Write;

use clap::Args;

use super::{CliError, Context};
use crate::i18n::messages;
use crate::store::Ledger;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The unit's code (e.g. 230521 for 集贤县; `jkq` for the development zone).
    #[arg(long, value_name = "CODE")]
    pub unit: String,
}

pub fn run(ctx: &Context, args: InitArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let unit = resolve_unit(ctx, &args.unit)?;
    Ledger::create(&ctx.db_path, &unit, &ctx.plan.id)?;
    let area = ctx.plan.unit(&unit);
    let name = area.map(|a| a.name_zh.as_str()).unwrap_or(&unit);
    writeln!(
        out,
        "{}",
        messages::ledger_created(ctx.lang, name, &unit, &ctx.db_path)
    )
    .map_err(CliError::output)
}

/// The plan's code for a unit given by code or Chinese name; otherwise an error listing the
/// valid codes.
pub fn resolve_unit(ctx: &Context, given: &str) -> Result<String, CliError> {
    let given = given.trim();
    ctx.plan
        .units
        .iter()
        .find(|u| u.code.eq_ignore_ascii_case(given) || u.name_zh == given)
        .map(|u| u.code.clone())
        .ok_or_else(|| CliError::UnknownUnit {
            given: given.to_string(),
            valid: ctx
                .plan
                .units
                .iter()
                .map(|u| (u.code.clone(), u.name_zh.clone()))
                .collect(),
        })
}
