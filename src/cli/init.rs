//! `taizhang init --unit CODE | --city`: create a unit's ledger or the city ledger, each with
//! its own signing key for sync bundles and receipts.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::{CliError, Context, PlanSource};
use crate::bundle::keys;
use crate::i18n::messages;
use crate::store::{self, Ledger, LedgerRole};

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
    // Checked before the file is made: the ledger records this account on every change.
    let actor = crate::store::os_account()?;
    let (code, name, role) = match (&args.unit, args.city) {
        (Some(given), false) => {
            let city = &ctx.plan.city;
            if city.code.eq_ignore_ascii_case(given.trim()) || city.name_zh == given.trim() {
                return Err(CliError::CityIsNotAUnit {
                    given: given.trim().to_string(),
                });
            }
            let unit = resolve_unit(ctx, given)?;
            let name = ctx.plan.unit(&unit).map(|a| a.name_zh.clone());
            (unit, name, LedgerRole::Unit)
        }
        (None, true) => {
            let city = &ctx.plan.city;
            (
                city.code.clone(),
                Some(city.name_zh.clone()),
                LedgerRole::City,
            )
        }
        _ => return Err(CliError::UnitOrCity),
    };
    let replacing = store::is_unfinished_ledger(&ctx.db_path);
    let missing_folders = missing_folders(&ctx.db_path);
    // The plan file given goes into the new ledger before it appears, like its key.
    let ledger = keys::create_ledger(&ctx.db_path, &code, &ctx.plan.id, role, |ledger| {
        keep_given_plan(ctx, ledger, &actor)
    })?;
    if replacing {
        writeln!(
            out,
            "{}",
            messages::unfinished_ledger_replaced(ctx.lang, &ctx.db_path)
        )
        .map_err(CliError::output)?;
    }
    if !missing_folders.is_empty() {
        writeln!(
            out,
            "{}",
            messages::folders_created(ctx.lang, &missing_folders)
        )
        .map_err(CliError::output)?;
    }
    let name = name.unwrap_or_else(|| code.clone());
    writeln!(
        out,
        "{}",
        messages::ledger_created(ctx.lang, &name, &code, &ctx.db_path)
    )
    .map_err(CliError::output)?;
    print_key(ctx, &ledger, out)
}

/// A ledger made under `--plan FILE` keeps that file, so it follows that plan from then on
/// without `--plan` (as if adopted with `plan adopt`).
fn keep_given_plan(ctx: &Context, ledger: &mut Ledger, actor: &str) -> Result<(), CliError> {
    let PlanSource::Given(path) = &ctx.plan_source else {
        return Ok(());
    };
    let text = std::fs::read_to_string(path).map_err(|e| CliError::ReadInput {
        path: path.clone(),
        source: e,
    })?;
    let source = path.display().to_string();
    ledger.adopt_plan(&ctx.plan.id, &text, &source, actor, jiff::Timestamp::now())?;
    Ok(())
}

/// Prints the ledger's public key and its fingerprint (never the private key).
pub fn print_key(ctx: &Context, ledger: &Ledger, out: &mut dyn Write) -> Result<(), CliError> {
    let public = keys::ledger_public_key(ledger)?;
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

/// The folders above the ledger file that do not exist yet (and that making the ledger
/// creates), outermost first.
fn missing_folders(db_path: &Path) -> Vec<PathBuf> {
    let mut missing: Vec<PathBuf> = db_path
        .ancestors()
        .skip(1)
        .filter(|folder| !folder.as_os_str().is_empty())
        .take_while(|folder| std::fs::symlink_metadata(folder).is_err())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    missing
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
