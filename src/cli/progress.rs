//! `taizhang progress`: the unit's six indicators against its Annex 2 quota on a date.

use std::io::Write;

use jiff::civil::Date;

use clap::Args;

use super::output::{Table, ViewFormat};
use super::{CliError, Context};
use crate::clock;
use crate::domain::RecordKind;
use crate::domain::dates::parse_date;
use crate::domain::progress::{AsOfSource, UnitProgress, default_as_of};
use crate::i18n::{Lang, messages};
use crate::store::LedgerRole;

#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// The date to measure on (default: today, or the plan's end date once the plan is over).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// table (default) or json.
    #[arg(long, value_enum, default_value_t = ViewFormat::Table)]
    pub format: ViewFormat,
    /// At the city ledger: every unit, the city total, the ranking, firms claimed twice and
    /// each unit's latest bundle.
    #[arg(long)]
    pub by_unit: bool,
}

/// The date a view measures on: the one given with `--as-of`, or the default.
pub(crate) fn measuring_date(
    ctx: &Context,
    given: Option<&str>,
) -> Result<(Date, AsOfSource), CliError> {
    Ok(match given {
        Some(given) => {
            let date = parse_date(given).map_err(|_| CliError::BadDate {
                given: given.to_string(),
            })?;
            (date, AsOfSource::Given)
        }
        None => default_as_of(&ctx.plan, clock::today()),
    })
}

pub fn run(ctx: &Context, args: ProgressArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let (as_of, source) = measuring_date(ctx, args.as_of.as_deref())?;
    let ledger = ctx.open_ledger()?;
    // The city ledger holds no unit of its own: its progress is the city table.
    if args.by_unit || ledger.role() == LedgerRole::City {
        drop(ledger);
        let city = super::city::open_city(ctx)?;
        let report = super::city::city_report(ctx, &city, as_of, source, clock::today())?;
        return super::city::write_report(ctx, &report, args.format, out);
    }
    let progress = crate::report::unit_ledger_progress(&ctx.plan, &ledger, as_of, source)?;
    match args.format {
        ViewFormat::Json => {
            let json = super::output::json_text(&progress, true)?;
            writeln!(out, "{json}").map_err(CliError::output)
        }
        _ => write_table(ctx, &progress, out),
    }
}

fn write_table(ctx: &Context, p: &UnitProgress, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ctx.lang;
    let unit_name = ctx
        .plan
        .unit(&p.unit)
        .map(|u| match lang {
            Lang::Zh => u.name_zh.as_str(),
            Lang::En => u.name_en.as_str(),
        })
        .unwrap_or(&p.unit);
    writeln!(
        out,
        "{}",
        messages::progress_heading(lang, unit_name, &p.unit, p)
    )
    .map_err(CliError::output)?;
    let name_width = p
        .indicators
        .iter()
        .map(|i| crate::display::width(indicator_name(ctx, i.key)))
        .max()
        .unwrap_or(0)
        .max(12);
    let table = Table::new(vec![name_width, 6, 6, 8, 8, 8]);
    let head = messages::progress_columns(lang);
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    table.row(out, &head)?;
    for ind in &p.indicators {
        let name = indicator_name(ctx, ind.key);
        let cells = [
            name.to_string(),
            format!("{:>6}", ind.target),
            format!("{:>6}", ind.achieved),
            format!("{:>7.1}%", ind.percent),
            format!("{:>8}", ind.expected),
            messages::status_label(lang, ind.status).to_string(),
        ];
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        table.row(out, &cells)?;
    }
    let end = ctx.plan.end;
    for ind in &p.indicators {
        let name = indicator_name(ctx, ind.key);
        let lines = [
            messages::floor_and_growth_line(lang, name, end, ind),
            messages::yearly_line(lang, name, end, ind),
        ];
        for line in lines.into_iter().flatten() {
            writeln!(out, "{line}").map_err(CliError::output)?;
        }
    }
    Ok(())
}

/// The indicator's name from the plan, in the user's language.
fn indicator_name(ctx: &Context, kind: RecordKind) -> &str {
    ctx.plan
        .indicator(kind)
        .map(|i| match ctx.lang {
            Lang::Zh => i.name_zh.as_str(),
            Lang::En => i.name_en.as_str(),
        })
        .unwrap_or(kind.key())
}
