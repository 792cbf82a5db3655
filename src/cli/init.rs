//! `taizhang init --unit CODE | --city`: create a unit's ledger or the city ledger, each with
//! its own signing key for sync bundles and receipts.

use std::io::Write;
use std::path::Path;

use clap::Args;

use super::{CliError, Context};
use crate::bundle::keys;
use crate::i18n::messages;
use crate::store::Ledger;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The unit's code (e.g. 230521 for 集贤县; `jkq` for the development zone).
    #[arg(
        long,
        value_name = "CODE",
        required_unless_present = "city",
        conflicts_with = "city"
    )]
    pub unit: Option<String>,
    /// Make the city office's ledger, which imports the units' bundles.
    #[arg(long)]
    pub city: bool,
}

pub fn run(ctx: &Context, args: InitArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let (ledger, code, name) = match (&args.unit, args.city) {
        (Some(given), false) => {
            let unit = resolve_unit(ctx, given)?;
            let name = ctx.plan.unit(&unit).map(|a| a.name_zh.clone());
            (create_unit(ctx, &unit)?, unit, name)
        }
        (None, true) => {
            let city = &ctx.plan.city;
            let ledger = create_city_at(&ctx.db_path, &city.code, &ctx.plan.id)?;
            (ledger, city.code.clone(), Some(city.name_zh.clone()))
        }
        _ => return Err(CliError::UnitOrCity),
    };
    let name = name.unwrap_or_else(|| code.clone());
    writeln!(
        out,
        "{}",
        messages::ledger_created(ctx.lang, &name, &code, &ctx.db_path)
    )
    .map_err(CliError::output)?;
    print_key(ctx, &ledger, out)
}

/// A new unit ledger at the context's path, with its signing key.
pub fn create_unit(ctx: &Context, unit: &str) -> Result<Ledger, CliError> {
    create_unit_at(&ctx.db_path, unit, &ctx.plan.id)
}

/// A new unit ledger at `path`, with its signing key.
pub fn create_unit_at(path: &Path, unit: &str, plan_id: &str) -> Result<Ledger, CliError> {
    let seed = keys::generate_seed()?;
    let mut ledger = Ledger::create(path, unit, plan_id)?;
    ledger.set_signing_key(&seed)?;
    Ok(ledger)
}

/// A new city ledger at `path`, with its signing key.
pub fn create_city_at(path: &Path, city: &str, plan_id: &str) -> Result<Ledger, CliError> {
    let seed = keys::generate_seed()?;
    let mut ledger = Ledger::create_city(path, city, plan_id)?;
    ledger.set_signing_key(&seed)?;
    Ok(ledger)
}

/// The ledger's public key.
pub fn public_key_of(ledger: &Ledger) -> Result<[u8; 32], CliError> {
    let seed = ledger
        .signing_key()?
        .ok_or(crate::bundle::error::BundleError::NoSigningKey)?;
    Ok(keys::public_key(&seed))
}

/// Prints the ledger's public key and its fingerprint (never the private key).
pub fn print_key(ctx: &Context, ledger: &Ledger, out: &mut dyn Write) -> Result<(), CliError> {
    let public = public_key_of(ledger)?;
    writeln!(
        out,
        "{}",
        messages::public_key(
            ctx.lang,
            &keys::key_hex(&public),
            &keys::fingerprint(&public)
        )
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
