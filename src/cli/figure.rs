//! `taizhang figure`: the city office's yearly figures for the city-wide targets (GDP, R&D
//! spending, technology-transfer institutions …): list them, or enter one.

use std::io::Write;

use clap::{Args, Subcommand};

use super::{CliError, Context};
use crate::display::safe;
use crate::domain::city_targets::parse_figure;
use crate::i18n::figures as messages;
use crate::store;

#[derive(Debug, Args)]
pub struct FigureArgs {
    #[command(subcommand)]
    pub action: Option<FigureAction>,
}

#[derive(Debug, Subcommand)]
pub enum FigureAction {
    /// Every figure the plan's city-wide targets need, by year, and every change made.
    List,
    /// Enter or correct one figure: `figure set gdp_yuan 2022 520亿`.
    Set {
        /// The figure's key (see `taizhang figure list`).
        key: String,
        /// The year it is of.
        year: i16,
        /// The value: a number, with 万 or 亿 if you like; percentages without the % sign.
        value: String,
    },
}

pub fn run(ctx: &Context, args: FigureArgs, out: &mut dyn Write) -> Result<(), CliError> {
    match args.action {
        None | Some(FigureAction::List) => list(ctx, out),
        Some(FigureAction::Set { key, year, value }) => set(ctx, &key, year, &value, out),
    }
}

fn set(
    ctx: &Context,
    key: &str,
    year: i16,
    given: &str,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let known = ctx.plan.city_figure_keys();
    let key = key.trim();
    if !known.iter().any(|k| k == key) {
        return Err(CliError::UnknownFigure {
            given: key.to_string(),
            valid: known,
        });
    }
    let (first, last) = (ctx.plan.start.year(), ctx.plan.end.year());
    if year < first || year > last {
        return Err(CliError::FigureYearOutsidePlan { year, first, last });
    }
    let value = parse_figure(given).ok_or_else(|| CliError::BadFigureValue {
        given: given.to_string(),
    })?;
    let mut city = super::city::open_city(ctx)?;
    city.set_city_figure(key, year, value, &store::os_account()?)?;
    writeln!(
        out,
        "{}",
        messages::figure_saved(ctx.lang, &ctx.plan, key, year, value)
    )
    .map_err(CliError::output)
}

fn list(ctx: &Context, out: &mut dyn Write) -> Result<(), CliError> {
    let city = super::city::open_city(ctx)?;
    let figures = city.city_figures()?;
    let lang = ctx.lang;
    let line =
        |out: &mut dyn Write, text: String| writeln!(out, "{text}").map_err(CliError::output);
    line(out, messages::figures_heading(lang))?;
    for key in ctx.plan.city_figure_keys() {
        line(
            out,
            format!(
                "  {}  ({key})",
                messages::figure_label(lang, &ctx.plan, &key)
            ),
        )?;
        for year in ctx.plan.start.year()..=ctx.plan.end.year() {
            let value = figures
                .iter()
                .find(|f| f.key == key && f.year == year)
                .map(|f| messages::figure_value(lang, &ctx.plan, &key, f.value));
            let shown = value.unwrap_or_else(|| messages::figure_missing(lang));
            line(out, format!("    {year}  {}", safe(&shown)))?;
        }
    }
    let changes = city.city_figure_changes()?;
    if !changes.is_empty() {
        line(out, String::new())?;
        line(out, messages::figure_changes_heading(lang))?;
        for c in &changes {
            line(
                out,
                format!("  {}", safe(&messages::figure_change(lang, &ctx.plan, c))),
            )?;
        }
    }
    Ok(())
}
