//! The city office's views: `progress --by-unit` (the Annex 2 table, the ranking, firms
//! claimed twice, freshness), `claims` and `imports`.

use std::io::Write;

use jiff::civil::Date;

use super::output::{Table, ViewFormat};
use super::{CliError, Context};
use crate::clock;
use crate::domain::RecordKind;
use crate::domain::progress::{AsOfSource, ProgressStatus, UnitProgress};
use crate::i18n::{Lang, figures, messages};
use crate::store::{Claim, Ledger, LedgerRole};

pub use crate::report::{CityReport, SILENT_AFTER_DAYS};

#[derive(Debug, clap::Args)]
pub struct ClaimsArgs {
    /// The date to measure on (default: today, or the plan's end date once the plan is over).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// table (default) or json.
    #[arg(long, value_enum, default_value_t = ViewFormat::Table)]
    pub format: ViewFormat,
}

/// The city ledger, or a clear refusal on a unit ledger.
pub fn open_city(ctx: &Context) -> Result<Ledger, CliError> {
    let ledger = ctx.open_ledger()?;
    if ledger.role() != LedgerRole::City {
        return Err(CliError::NeedsCity);
    }
    Ok(ledger)
}

/// Builds the city report on `as_of` (see [`crate::report::city_report`]).
pub fn city_report(
    ctx: &Context,
    city: &Ledger,
    as_of: Date,
    source: AsOfSource,
    today: Date,
) -> Result<CityReport, CliError> {
    Ok(crate::report::city_report(
        &ctx.plan, ctx.lang, city, as_of, source, today,
    )?)
}

pub fn write_report(
    ctx: &Context,
    report: &CityReport,
    format: ViewFormat,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    if format == ViewFormat::Json {
        let json = super::output::json_text(report, true)?;
        return writeln!(out, "{json}").map_err(CliError::output);
    }
    let lang = ctx.lang;
    let line =
        |out: &mut dyn Write, text: String| writeln!(out, "{text}").map_err(CliError::output);
    line(
        out,
        messages::city_heading(
            lang,
            report.as_of,
            report.as_of_source,
            report.total.measured_on,
        ),
    )?;
    write_annex_table(ctx, report, out)?;
    let city_name = messages::total_row(lang);
    for ind in &report.total.indicators {
        let name = format!("{city_name} {}", indicator_short(ctx, ind.key));
        let lines = [
            messages::floor_and_growth_line(lang, &name, ctx.plan.end, ind),
            messages::yearly_line(lang, &name, ctx.plan.end, ind),
        ];
        for text in lines.into_iter().flatten() {
            line(out, text)?;
        }
    }
    line(out, String::new())?;
    line(out, messages::ranking_heading(lang))?;
    line(out, report.ranking_rule.clone())?;
    let table = Table::new(vec![4, unit_column_width(ctx), 8, 10, 8]);
    let head = messages::ranking_columns(lang);
    table.row(out, &head.iter().map(String::as_str).collect::<Vec<_>>())?;
    for r in &report.ranking {
        table.row(
            out,
            &[
                &r.rank.to_string(),
                unit_name(ctx, &r.unit),
                &format!("{:.1}", r.score),
                &r.at_expected.to_string(),
                &r.achieved.to_string(),
            ],
        )?;
    }
    line(out, String::new())?;
    write_claims(ctx, &report.claims, out)?;
    line(out, String::new())?;
    if let Some(first) = report.city_targets.first() {
        line(out, figures::city_targets_heading(lang, first.year))?;
        for row in &report.city_targets {
            line(
                out,
                format!("  {}", figures::city_target_line(lang, &ctx.plan, row)),
            )?;
        }
        line(out, String::new())?;
    }
    line(out, messages::freshness_heading(lang, SILENT_AFTER_DAYS))?;
    for f in &report.freshness {
        let name = unit_name(ctx, &f.unit);
        let text = match (f.sequence, f.created_at) {
            (Some(seq), Some(made)) => {
                messages::freshness_line(lang, name, seq, &clock::minute(made), f.silent)
            }
            _ => messages::freshness_never(lang, name),
        };
        line(out, format!("  {text}"))?;
    }
    Ok(())
}

/// Rows of units (and the total), columns of indicators: `achieved/target percent`, then a
/// second table of `expected status`.
fn write_annex_table(
    ctx: &Context,
    report: &CityReport,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let lang = ctx.lang;
    let kinds: Vec<RecordKind> = ctx.plan.indicators.iter().map(|i| i.kind).collect();
    let mut widths = vec![unit_column_width(ctx)];
    widths.extend(kinds.iter().map(|_| 14));
    let table = Table::new(widths);
    let mut head = vec![messages::unit_column(lang)];
    head.extend(kinds.iter().map(|k| indicator_short(ctx, *k)));
    let rows: Vec<&UnitProgress> = report.units.iter().chain([&report.total]).collect();
    for (title, cell) in [
        (
            messages::annex_done_title(lang),
            done_cell as fn(Lang, &crate::domain::progress::IndicatorProgress) -> String,
        ),
        (messages::annex_expected_title(lang), expected_cell),
    ] {
        writeln!(out, "\n{title}").map_err(CliError::output)?;
        table.row(out, &head.iter().map(String::as_str).collect::<Vec<_>>())?;
        for p in &rows {
            let name = if p.unit == ctx.plan.city.code {
                messages::total_row(lang)
            } else {
                unit_name(ctx, &p.unit).to_string()
            };
            let mut cells = vec![name];
            cells.extend(p.indicators.iter().map(|i| cell(lang, i)));
            table.row(out, &cells.iter().map(String::as_str).collect::<Vec<_>>())?;
        }
    }
    Ok(())
}

fn done_cell(_lang: Lang, i: &crate::domain::progress::IndicatorProgress) -> String {
    // The percentage as the unit's progress table writes it, one decimal.
    format!("{}/{} {:.1}%", i.achieved, i.target, i.percent)
}

fn expected_cell(lang: Lang, i: &crate::domain::progress::IndicatorProgress) -> String {
    let status: ProgressStatus = i.status;
    format!("{} {}", i.expected, messages::status_label(lang, status))
}

pub(super) fn write_claims(
    ctx: &Context,
    claims: &[Claim],
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let lang = ctx.lang;
    writeln!(out, "{}", messages::claims_heading(lang, claims.len())).map_err(CliError::output)?;
    writeln!(out, "{}", messages::claim_rule(lang)).map_err(CliError::output)?;
    for claim in claims {
        let kind = crate::i18n::labels::kind_label(claim.kind, lang);
        let entity = claim.credit_code.as_deref().unwrap_or(&claim.entity);
        writeln!(out, "  {kind}  {}", crate::display::safe(entity)).map_err(CliError::output)?;
        for by in &claim.claims {
            let id = by.id.to_string();
            writeln!(
                out,
                "    {} {}  {}  {}  {}",
                if by.credited { "*" } else { " " },
                unit_name(ctx, &by.unit),
                super::list::short_id(&id),
                by.key_date,
                crate::display::safe(&by.name)
            )
            .map_err(CliError::output)?;
        }
    }
    Ok(())
}

/// `taizhang claims`: entities more than one unit counts on the date, and who is credited.
pub fn claims(ctx: &Context, args: ClaimsArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let city = open_city(ctx)?;
    let (as_of, source) = super::progress::measuring_date(ctx, args.as_of.as_deref())?;
    let report = city_report(ctx, &city, as_of, source, clock::today())?;
    if args.format == ViewFormat::Json {
        let json = super::output::json_text(&report.claims, true)?;
        return writeln!(out, "{json}").map_err(CliError::output);
    }
    write_claims(ctx, &report.claims, out)
}

/// `taizhang imports`: the import log, newest first.
pub fn imports(ctx: &Context, out: &mut dyn Write) -> Result<(), CliError> {
    let city = open_city(ctx)?;
    let log = city.import_log()?;
    writeln!(out, "{}", messages::import_log_heading(ctx.lang, log.len()))
        .map_err(CliError::output)?;
    for report in &log {
        let e = &report.entry;
        let line = messages::import_log_line(
            ctx.lang,
            unit_name(ctx, &e.unit),
            e.sequence,
            &clock::minute(e.created_at),
            &clock::minute(e.imported_at),
            &report.counts,
            report.retired,
        );
        writeln!(out, "  {line}").map_err(CliError::output)?;
    }
    Ok(())
}

pub(super) fn unit_name<'a>(ctx: &'a Context, code: &'a str) -> &'a str {
    ctx.plan
        .unit(code)
        .map(|u| match ctx.lang {
            Lang::Zh => u.name_zh.as_str(),
            Lang::En => u.name_en.as_str(),
        })
        .unwrap_or(code)
}

/// Wide enough for every unit's name in the user's language (and the total row).
fn unit_column_width(ctx: &Context) -> usize {
    ctx.plan
        .units
        .iter()
        .map(|u| crate::display::width(unit_name(ctx, &u.code)))
        .chain([crate::display::width(&messages::total_row(ctx.lang))])
        .max()
        .unwrap_or(16)
}

fn indicator_short(ctx: &Context, kind: RecordKind) -> String {
    crate::i18n::labels::kind_label(kind, ctx.lang).to_string()
}
