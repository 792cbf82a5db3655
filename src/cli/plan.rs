//! `taizhang plan [show]` prints the plan in force; `taizhang plan adopt FILE` checks a plan
//! file and makes it the plan this ledger follows from now on, records untouched.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use jiff::Timestamp;

use super::output::Table;
use super::{CliError, Context};
use crate::display;
use crate::i18n::{Lang, plan_in_force as msg};
use crate::plan::Plan;
use crate::store::{self, AdoptOutcome, Ledger, LedgerRole};

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(subcommand)]
    pub action: Option<PlanAction>,
}

#[derive(Debug, Subcommand)]
pub enum PlanAction {
    /// Print the plan in force: id, period, units and their quotas, and every adoption.
    Show,
    /// Check a plan file (e.g. the next three-year plan) and make it the plan this ledger
    /// follows from now on, without `--plan`. Records are not touched.
    Adopt {
        /// The plan file (TOML, like data/plan-2021-2023.toml).
        file: PathBuf,
    },
}

pub fn run(ctx: &Context, args: PlanArgs, out: &mut dyn Write) -> Result<(), CliError> {
    match args.action {
        None | Some(PlanAction::Show) => show(ctx, out),
        Some(PlanAction::Adopt { file }) => adopt(ctx, &file, out),
    }
}

fn adopt(ctx: &Context, file: &std::path::Path, out: &mut dyn Write) -> Result<(), CliError> {
    let text = std::fs::read_to_string(file).map_err(|e| CliError::ReadInput {
        path: file.to_path_buf(),
        source: e,
    })?;
    let source = file.display().to_string();
    let plan = Plan::parse(&text, &source)?;
    let mut ledger = ctx.open_ledger()?;
    check_plan_fits(ctx, &ledger, &plan)?;
    let outcome = ledger.adopt_plan(
        &plan.id,
        &text,
        &source,
        &store::os_account()?,
        Timestamp::now(),
    )?;
    let line = match outcome {
        AdoptOutcome::Adopted { old_plan_id } => {
            msg::adopted(ctx.lang, &plan, &old_plan_id, ledger.role())
        }
        AdoptOutcome::AlreadyInForce => msg::already_in_force(ctx.lang, &plan.id),
    };
    writeln!(out, "{line}").map_err(CliError::output)
}

/// A unit may follow only a plan that lists it; the city only a plan of its city.
fn check_plan_fits(ctx: &Context, ledger: &Ledger, plan: &Plan) -> Result<(), CliError> {
    let code = ledger.unit().to_string();
    match ledger.role() {
        LedgerRole::Unit if plan.unit(&code).is_none() => {
            let name = ctx
                .plan
                .unit(&code)
                .map(|u| match ctx.lang {
                    Lang::Zh => u.name_zh.clone(),
                    Lang::En => u.name_en.clone(),
                })
                .unwrap_or_else(|| code.clone());
            Err(CliError::PlanLacksUnit {
                plan_id: plan.id.clone(),
                unit: code,
                unit_name: name,
            })
        }
        LedgerRole::City if plan.city.code != code => Err(CliError::PlanOfOtherCity {
            plan_id: plan.id.clone(),
            plan_city: plan.city.code.clone(),
            ledger_city: code,
        }),
        _ => Ok(()),
    }
}

fn show(ctx: &Context, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ctx.lang;
    let plan = &ctx.plan;
    let w = |line: String, out: &mut dyn Write| writeln!(out, "{line}").map_err(CliError::output);
    w(msg::heading(lang, plan), out)?;
    w(msg::source(lang, &ctx.plan_source), out)?;
    // The ledger's own record of what it follows, when there is a ledger.
    let ledger = Ledger::open(&ctx.db_path).ok();
    if let Some(ledger) = &ledger {
        let followed = ledger.info()?.plan_id;
        if followed != plan.id {
            w(msg::ledger_follows_other(lang, &followed, &plan.id), out)?;
        }
    }
    w(String::new(), out)?;
    let mut header: Vec<String> = vec![msg::code_heading(lang), msg::unit_heading(lang)];
    header.extend(plan.indicators.iter().map(|i| match lang {
        Lang::Zh => i.name_zh.clone(),
        Lang::En => i.name_en.clone(),
    }));
    // Each indicator column as wide as its heading, up to 12 columns.
    let mut widths = vec![8, 16];
    widths.extend(
        header
            .iter()
            .skip(2)
            .map(|h| display::width(h).clamp(6, 12)),
    );
    let table = Table::new(widths);
    table.row(out, &cells(&header))?;
    for unit in &plan.units {
        let mut row = vec![
            unit.code.clone(),
            match lang {
                Lang::Zh => unit.name_zh.clone(),
                Lang::En => unit.name_en.clone(),
            },
        ];
        row.extend(
            plan.indicators
                .iter()
                .map(|i| plan.quota(&unit.code, i.kind).to_string()),
        );
        table.row(out, &cells(&row))?;
    }
    let mut total = vec![plan.city.code.clone(), msg::city_total(lang)];
    total.extend(plan.indicators.iter().map(|i| i.city_total.to_string()));
    table.row(out, &cells(&total))?;
    if let Some(ledger) = &ledger {
        let events = ledger.plan_events()?;
        if !events.is_empty() {
            w(String::new(), out)?;
            w(msg::history_heading(lang), out)?;
            for event in &events {
                w(msg::history_line(lang, event), out)?;
            }
        }
    }
    Ok(())
}

fn cells(row: &[String]) -> Vec<&str> {
    row.iter().map(String::as_str).collect()
}
