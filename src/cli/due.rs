//! `taizhang due`: the unit's worklist (待办): high-tech certificates that run out within the
//! look-ahead and what the unit's count falls to without their renewal, and firms registered
//! in the tech-SME library last year that are not registered yet this year. At the city: units
//! silent too long, bundles refused that still need attention, and entities claimed twice.

use std::io::Write;

use clap::Args;

use super::list::short_id;
use super::output::{Format, Table, UTF8_BOM, csv_cell, json_text};
use super::progress::measuring_date;
use super::{CliError, Context};
use crate::clock;
use crate::domain::worklist::{default_horizon, horizon_after_months};
use crate::i18n::Lang;
use crate::i18n::outlook::{self as text, CityDueItem, DueItem};
use crate::outlook::{CityWorklist, RefusedBundle, Worklist, refused_bundles, worklist};
use crate::store::LedgerRole;

#[derive(Debug, Args)]
pub struct DueArgs {
    /// The date to look from (default: today, or the plan's end date once the plan is over).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// How many months to look ahead (default: to the end of next year's first half).
    #[arg(long, value_name = "N")]
    pub months: Option<u32>,
    /// table (default), json or csv (opens in Excel and WPS).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(ctx: &Context, args: DueArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let (as_of, source) = measuring_date(ctx, args.as_of.as_deref())?;
    let ledger = ctx.open_ledger()?;
    if ledger.role() == LedgerRole::City {
        let today = clock::today();
        let report = super::city::city_report(ctx, &ledger, as_of, source, today)?;
        let refused = refused_bundles(&ledger, ctx.lang, today)?;
        let list = CityWorklist::of(report, refused);
        return match args.format {
            Format::Json => writeln!(out, "{}", json_text(&list, true)?).map_err(CliError::output),
            Format::Csv => write_city_csv(ctx, &list, out),
            Format::Table => write_city(ctx, &list, out),
        };
    }
    let until = match args.months {
        Some(months) => horizon_after_months(as_of, months),
        None => default_horizon(as_of),
    };
    let list = worklist(&ctx.plan, &ledger, as_of, source, until)?;
    match args.format {
        Format::Json => writeln!(out, "{}", json_text(&list, true)?).map_err(CliError::output),
        Format::Csv => write_csv(ctx.lang, &list, out),
        Format::Table => write_table(ctx, &list, out),
    }
}

fn write_table(ctx: &Context, list: &Worklist, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ctx.lang;
    let w = |out: &mut dyn Write, line: &str| writeln!(out, "{line}").map_err(CliError::output);
    let unit_name = ctx
        .plan
        .unit(&list.unit)
        .map(|u| match lang {
            Lang::Zh => u.name_zh.clone(),
            Lang::En => u.name_en.clone(),
        })
        .unwrap_or_else(|| list.unit.clone());
    w(out, &text::due_heading(lang, &unit_name, list))?;
    for outlook in &list.outlook {
        let mut line = text::outlook_line(lang, &ctx.plan, outlook);
        if outlook.in_pool > 0 {
            line.push_str(&text::pool_could_add(lang, outlook.in_pool));
        }
        w(out, &format!("  {line}"))?;
    }
    if list.is_empty() {
        return w(out, &text::nothing_due(lang, list.until));
    }
    if !list.lapses.is_empty() {
        w(out, "")?;
        w(out, &text::lapses_heading(lang, list.lapses.len()))?;
        let table = Table::new(vec![10, 10, 30, 18, 9]);
        let head = text::lapse_columns(lang);
        table.row(out, &head.iter().map(String::as_str).collect::<Vec<_>>())?;
        for item in &list.lapses {
            let l = &item.lapse;
            let id = l.record.to_string();
            let target = list
                .outlook
                .iter()
                .find(|o| o.kind == l.kind)
                .map_or(0, |o| o.target);
            table.row(
                out,
                &[
                    &l.lapses_on.to_string(),
                    &l.last_counted.to_string(),
                    &l.name,
                    l.credit_code.as_deref().unwrap_or(""),
                    &format!("{}/{target}", item.count_then),
                    short_id(&id),
                ],
            )?;
        }
    }
    if !list.not_registered.is_empty() {
        w(out, "")?;
        w(
            out,
            &text::not_registered_heading(lang, list.not_registered.len()),
        )?;
        let table = Table::new(vec![10, 30, 18]);
        let head = text::not_registered_columns(lang);
        table.row(out, &head.iter().map(String::as_str).collect::<Vec<_>>())?;
        for n in &list.not_registered {
            let id = n.record.to_string();
            table.row(
                out,
                &[
                    &n.registered_on.to_string(),
                    &n.name,
                    n.credit_code.as_deref().unwrap_or(""),
                    short_id(&id),
                ],
            )?;
        }
    }
    if !list.pool_near.is_empty() {
        w(out, "")?;
        w(out, &text::pool_near_heading(lang, list.pool_near.len()))?;
        let table = Table::new(vec![10, 16, 30, 18]);
        let head = text::pool_near_columns(lang);
        table.row(out, &head.iter().map(String::as_str).collect::<Vec<_>>())?;
        for e in &list.pool_near {
            let id = e.id.to_string();
            table.row(
                out,
                &[
                    &e.target_on.to_string(),
                    crate::i18n::pool::stage_label(e.stage, lang),
                    &e.name,
                    &e.credit_code,
                    short_id(&id),
                ],
            )?;
        }
    }
    Ok(())
}

/// The city's worklist: silent units, bundles refused that still need attention, then
/// entities claimed by more than one unit.
fn write_city(ctx: &Context, list: &CityWorklist, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ctx.lang;
    let w = |out: &mut dyn Write, line: &str| writeln!(out, "{line}").map_err(CliError::output);
    w(out, &text::city_due_heading(lang, list.as_of))?;
    w(out, &text::silent_heading(lang, list.silent.len()))?;
    for f in &list.silent {
        let name = super::city::unit_name(ctx, &f.unit);
        let line = match (f.sequence, f.created_at) {
            (Some(seq), Some(made)) => {
                crate::i18n::messages::freshness_line(lang, name, seq, &clock::minute(made), true)
            }
            _ => crate::i18n::messages::freshness_never(lang, name),
        };
        w(out, &format!("  {line}"))?;
    }
    w(out, "")?;
    w(out, &text::refused_heading(lang, list.refused.len()))?;
    if !list.refused.is_empty() {
        let unit_width = list
            .refused
            .iter()
            .map(|r| crate::display::width(&refused_unit(ctx, r)))
            .max()
            .unwrap_or(0);
        let table = Table::new(vec![16, 35, unit_width.max(4)]);
        let head = text::refused_columns(lang);
        table.row(out, &head.iter().map(String::as_str).collect::<Vec<_>>())?;
        for r in &list.refused {
            table.row(
                out,
                &[
                    &clock::minute(r.at),
                    &r.file,
                    &refused_unit(ctx, r),
                    &r.said,
                ],
            )?;
        }
    }
    w(out, "")?;
    super::city::write_claims(ctx, &list.claims, out)
}

/// The unit a refused file claimed, by name, or that it is not known.
fn refused_unit(ctx: &Context, refused: &RefusedBundle) -> String {
    match &refused.unit {
        Some(code) => super::city::unit_name(ctx, code).to_owned(),
        None => text::unknown_unit(ctx.lang).to_owned(),
    }
}

/// The city's worklist as a spreadsheet: one row per silent unit, refused bundle and
/// claiming record.
fn write_city_csv(ctx: &Context, list: &CityWorklist, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ctx.lang;
    write!(out, "{UTF8_BOM}").map_err(CliError::output)?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(text::city_due_csv_columns(lang))?;
    let item = |item| text::city_due_item(lang, item).to_owned();
    for f in &list.silent {
        writer.write_record([
            item(CityDueItem::Silent),
            super::city::unit_name(ctx, &f.unit).to_owned(),
            f.created_at.map(clock::minute).unwrap_or_default(),
            text::last_bundle(lang, f.sequence),
            String::new(),
        ])?;
    }
    for r in &list.refused {
        writer.write_record([
            item(CityDueItem::Refused),
            csv_cell(&refused_unit(ctx, r)).into_owned(),
            clock::minute(r.at),
            csv_cell(&crate::display::safe(&r.file)).into_owned(),
            csv_cell(&r.said).into_owned(),
        ])?;
    }
    for claim in &list.claims {
        let kind = crate::i18n::labels::kind_label(claim.kind, lang);
        let entity = claim.credit_code.as_deref().unwrap_or(&claim.entity);
        for by in &claim.claims {
            let detail = text::claim_detail(lang, kind, entity, by.credited);
            writer.write_record([
                item(CityDueItem::Claim),
                super::city::unit_name(ctx, &by.unit).to_owned(),
                by.key_date.to_string(),
                csv_cell(&by.name).into_owned(),
                csv_cell(&detail).into_owned(),
            ])?;
        }
    }
    writer.flush().map_err(CliError::output)
}

fn write_csv(lang: Lang, list: &Worklist, out: &mut dyn Write) -> Result<(), CliError> {
    write!(out, "{UTF8_BOM}").map_err(CliError::output)?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(text::due_csv_columns(lang))?;
    let target = |kind| {
        list.outlook
            .iter()
            .find(|o| o.kind == kind)
            .map_or(String::new(), |o| o.target.to_string())
    };
    for item in &list.lapses {
        let l = &item.lapse;
        writer.write_record([
            text::due_item(lang, DueItem::Lapse).to_owned(),
            crate::i18n::labels::kind_label(l.kind, lang).to_owned(),
            csv_cell(&l.name).into_owned(),
            csv_cell(l.credit_code.as_deref().unwrap_or("")).into_owned(),
            l.dated.to_string(),
            l.last_counted.to_string(),
            l.lapses_on.to_string(),
            item.count_then.to_string(),
            target(l.kind),
            l.record.to_string(),
        ])?;
    }
    for n in &list.not_registered {
        writer.write_record([
            text::due_item(lang, DueItem::NotRegistered).to_owned(),
            crate::i18n::labels::kind_label(n.kind, lang).to_owned(),
            csv_cell(&n.name).into_owned(),
            csv_cell(n.credit_code.as_deref().unwrap_or("")).into_owned(),
            n.registered_on.to_string(),
            String::new(),
            String::new(),
            String::new(),
            target(n.kind),
            n.record.to_string(),
        ])?;
    }
    for e in &list.pool_near {
        writer.write_record([
            text::due_item(lang, DueItem::PoolTarget).to_owned(),
            crate::i18n::pool::stage_label(e.stage, lang).to_owned(),
            csv_cell(&e.name).into_owned(),
            csv_cell(&e.credit_code).into_owned(),
            e.target_on.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            e.id.to_string(),
        ])?;
    }
    writer.flush().map_err(CliError::output)
}
