//! `taizhang pool`: the cultivation pool (培育库). At a unit: the firms being cultivated,
//! and `pool add|edit|close|reopen|show` to keep them. At the city: each unit's pool counted
//! by stage, and one unit's entries with `--unit`.

use std::io::Write;

use serde::Serialize;

use super::add::print_warnings;
use super::init::resolve_unit;
use super::list::short_id;
use super::output::{Format, Table, UTF8_BOM, ViewFormat, csv_cell, json_text};
use super::{CliError, Context};
use crate::domain::FieldIssue;
use crate::domain::pool::{
    PoolCounts, PoolDraft, PoolEntry, PoolStage, PoolStatus, counts_by_unit, entry_warnings,
    validate_close, validate_draft, validate_edit,
};
use crate::i18n::Lang;
use crate::i18n::pool::{cli as text, field_label, stage_label, status_label};
use crate::store::{self, Ledger, LedgerRole, PoolQuery};
use crate::{clock, display};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct PoolArgs {
    #[command(subcommand)]
    pub action: Option<PoolAction>,
    #[command(flatten)]
    pub list: ListArgs,
}

/// Which entries to list, and how.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Closed entries (achieved, withdrawn) too.
    #[arg(long)]
    pub all: bool,
    /// This unit's entries (city ledger; without it the city shows each unit's counts).
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
    /// table (default), json or csv (opens in Excel and WPS).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, clap::Subcommand)]
pub enum PoolAction {
    /// Put a firm into the unit's pool.
    Add(AddArgs),
    /// Change an open entry's stage, target date or notes.
    Edit(EditArgs),
    /// Close an open entry: the firm got there (--achieved), or it leaves the pool
    /// (--withdrawn --reason TEXT).
    Close(CloseArgs),
    /// Cultivate a closed entry again.
    Reopen(ReopenArgs),
    /// One entry and its history.
    Show(ShowArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The firm's unified social credit code.
    pub credit_code: String,
    /// The firm's name.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// tech_sme | high_tech_candidate | gazelle_candidate (or the Chinese name).
    #[arg(long, value_name = "STAGE")]
    pub stage: String,
    /// The day by which the firm is to reach the next stage.
    #[arg(long, value_name = "DATE")]
    pub target: String,
    /// Notes.
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,
    /// Why a credit code that fails its check digit is kept (an early pilot code).
    #[arg(long, value_name = "TEXT")]
    pub override_reason: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The entry's id (or its first or last 8 characters, as `pool` shows them).
    pub id: String,
    /// The new stage.
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,
    /// The new target date.
    #[arg(long, value_name = "DATE")]
    pub target: Option<String>,
    /// The new notes (empty clears them).
    #[arg(long, value_name = "TEXT")]
    pub notes: Option<String>,
    /// Refuse if the entry is no longer at this revision (someone else changed it).
    #[arg(long, value_name = "N")]
    pub expect_revision: Option<i64>,
}

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("outcome").required(true).args(["achieved", "withdrawn"]))]
pub struct CloseArgs {
    /// The entry's id (or its first or last 8 characters).
    pub id: String,
    /// The firm reached what the entry aimed at.
    #[arg(long)]
    pub achieved: bool,
    /// The firm leaves the pool (needs --reason).
    #[arg(long, requires = "reason")]
    pub withdrawn: bool,
    /// Why (required with --withdrawn).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The day it closed (default: today).
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// Refuse if the entry is no longer at this revision (someone else changed it).
    #[arg(long, value_name = "N")]
    pub expect_revision: Option<i64>,
}

#[derive(Debug, clap::Args)]
pub struct ReopenArgs {
    /// The entry's id (or its first or last 8 characters).
    pub id: String,
    /// Refuse if the entry is no longer at this revision (someone else changed it).
    #[arg(long, value_name = "N")]
    pub expect_revision: Option<i64>,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The entry's id (or its first or last 8 characters).
    pub id: String,
    /// table (default) or json.
    #[arg(long, value_enum, default_value_t = ViewFormat::Table)]
    pub format: ViewFormat,
}

pub fn run(ctx: &Context, args: PoolArgs, out: &mut dyn Write) -> Result<(), CliError> {
    match args.action {
        None => list(ctx, args.list, out),
        Some(PoolAction::Add(add_args)) => add(ctx, add_args, out),
        Some(PoolAction::Edit(edit_args)) => edit(ctx, edit_args, out),
        Some(PoolAction::Close(close_args)) => close(ctx, close_args, out),
        Some(PoolAction::Reopen(reopen_args)) => reopen(ctx, reopen_args, out),
        Some(PoolAction::Show(show_args)) => show(ctx, show_args, out),
    }
}

fn line(out: &mut dyn Write, text: &str) -> Result<(), CliError> {
    writeln!(out, "{}", display::safe(text)).map_err(CliError::output)
}

fn invalid(issues: Vec<FieldIssue>) -> CliError {
    CliError::PoolInvalid { issues }
}

fn add(ctx: &Context, args: AddArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut ledger = ctx.open_ledger()?;
    let draft = PoolDraft {
        credit_code: args.credit_code,
        name: args.name,
        stage: args.stage,
        target_on: args.target,
        notes: args.notes.unwrap_or_default(),
        override_reason: args.override_reason.unwrap_or_default(),
    };
    // At the city the refusal says why before anything typed is judged.
    refuse_at_city(&ledger)?;
    let fields = validate_draft(&draft).map_err(invalid)?;
    let actor = store::os_account()?;
    let entry = ledger.pool_add(&fields, &actor)?;
    print_warnings(ctx.lang, &entry_warnings(&entry));
    line(out, &text::added(ctx.lang, &entry.id.to_string()))
}

fn refuse_at_city(ledger: &Ledger) -> Result<(), CliError> {
    match ledger.role() {
        LedgerRole::Unit => Ok(()),
        LedgerRole::City => Err(CliError::Store(store::StoreError::Pool(
            crate::domain::pool::PoolRefusal::CityReadOnly,
        ))),
    }
}

fn edit(ctx: &Context, args: EditArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut ledger = ctx.open_ledger()?;
    refuse_at_city(&ledger)?;
    let id = ledger.pool_resolve_id(&args.id)?;
    let edit = validate_edit(
        args.stage.as_deref(),
        args.target.as_deref(),
        args.notes.as_deref(),
    )
    .map_err(invalid)?;
    if edit.is_empty() {
        return Err(CliError::PoolNothingToChange);
    }
    let before = ledger.pool_get(id)?;
    let actor = store::os_account()?;
    let entry = ledger.pool_edit(id, args.expect_revision, &edit, &actor)?;
    print_warnings(ctx.lang, &entry_warnings(&entry));
    let id = entry.id.to_string();
    if entry.revision == before.revision {
        return line(out, &text::unchanged(ctx.lang, &id));
    }
    line(out, &text::edited(ctx.lang, &id, entry.revision))
}

fn close(ctx: &Context, args: CloseArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut ledger = ctx.open_ledger()?;
    refuse_at_city(&ledger)?;
    let id = ledger.pool_resolve_id(&args.id)?;
    let on = match &args.on {
        Some(given) => crate::domain::dates::parse_date(given).map_err(|_| CliError::BadDate {
            given: given.clone(),
        })?,
        None => clock::today(),
    };
    let close =
        validate_close(args.achieved, on, args.reason.as_deref()).map_err(|i| invalid(vec![i]))?;
    let actor = store::os_account()?;
    let entry = ledger.pool_close(id, args.expect_revision, &close, &actor)?;
    let status = status_label(entry.status, ctx.lang);
    line(out, &text::closed(ctx.lang, &entry.id.to_string(), status))
}

fn reopen(ctx: &Context, args: ReopenArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut ledger = ctx.open_ledger()?;
    refuse_at_city(&ledger)?;
    let id = ledger.pool_resolve_id(&args.id)?;
    let actor = store::os_account()?;
    let entry = ledger.pool_reopen(id, args.expect_revision, &actor)?;
    line(out, &text::reopened(ctx.lang, &entry.id.to_string()))
}

/// Each unit's counts by stage, in the plan's order, and their totals.
#[derive(Serialize)]
struct CountsReport {
    units: Vec<PoolCounts>,
    total: PoolCounts,
}

fn list(ctx: &Context, args: ListArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let ledger = ctx.open_ledger()?;
    let unit = args
        .unit
        .as_deref()
        .map(|given| resolve_unit(ctx, given))
        .transpose()?;
    if ledger.role() == LedgerRole::City && unit.is_none() {
        return write_counts(ctx, &ledger, args.format, out);
    }
    let query = PoolQuery {
        unit,
        status: (!args.all).then_some(PoolStatus::Open),
        limit: 0,
    };
    let entries = ledger.pool_list(&query)?;
    match args.format {
        Format::Json => {
            let json = json_text(&entries, true)?;
            writeln!(out, "{json}").map_err(CliError::output)
        }
        Format::Csv => write_entries_csv(ctx.lang, &entries, out),
        Format::Table => write_entries(ctx.lang, &entries, args.all, out),
    }
}

fn entry_cells(lang: Lang, e: &PoolEntry) -> Vec<String> {
    let id = e.id.to_string();
    vec![
        short_id(&id).to_owned(),
        e.credit_code.clone(),
        e.name.clone(),
        stage_label(e.stage, lang).to_owned(),
        e.target_on.to_string(),
        status_label(e.status, lang).to_owned(),
        e.notes.clone(),
    ]
}

fn write_entries(
    lang: Lang,
    entries: &[PoolEntry],
    all: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    if entries.is_empty() {
        return line(out, &text::none(lang, all));
    }
    line(out, &text::heading(lang, all))?;
    let table = Table::new(vec![8, 18, 24, 19, 11, 9]);
    table.row(out, &text::entry_columns(lang))?;
    for e in entries {
        let cells = entry_cells(lang, e);
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        table.row(out, &cells)?;
    }
    line(out, &text::count_line(lang, entries.len()))
}

fn write_entries_csv(
    lang: Lang,
    entries: &[PoolEntry],
    out: &mut dyn Write,
) -> Result<(), CliError> {
    out.write_all(UTF8_BOM.as_bytes())
        .map_err(CliError::output)?;
    let mut csv = csv::Writer::from_writer(out);
    let mut head: Vec<String> = text::entry_columns(lang)
        .iter()
        .map(|h| (*h).to_owned())
        .collect();
    head.extend([
        field_label("closed_on", lang),
        field_label("close_reason", lang),
        field_label("achieved_by", lang),
        text::unit_label(lang).to_owned(),
    ]);
    csv.write_record(&head)?;
    for e in entries {
        let mut cells = entry_cells(lang, e);
        cells[0] = e.id.to_string();
        cells.extend([
            e.closed_on.map(|d| d.to_string()).unwrap_or_default(),
            e.close_reason.clone().unwrap_or_default(),
            e.achieved_by.map(|r| r.to_string()).unwrap_or_default(),
            e.unit.clone(),
        ]);
        csv.write_record(cells.iter().map(|c| csv_cell(c).into_owned()))?;
    }
    csv.flush().map_err(CliError::output)
}

fn unit_name(ctx: &Context, code: &str) -> String {
    match ctx.plan.unit(code) {
        Some(unit) => match ctx.lang {
            Lang::Zh => unit.name_zh.clone(),
            Lang::En => unit.name_en.clone(),
        },
        None => code.to_owned(),
    }
}

fn write_counts(
    ctx: &Context,
    ledger: &Ledger,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let lang = ctx.lang;
    let units: Vec<&str> = ctx.plan.units.iter().map(|u| u.code.as_str()).collect();
    let (rows, total) = counts_by_unit(&units, &ledger.pool_counts()?, text::total_label(lang));
    let cells = |name: String, c: &PoolCounts| -> Vec<String> {
        let mut cells = vec![name];
        cells.extend(PoolStage::ALL.iter().map(|s| c.open_at(*s).to_string()));
        cells.extend([c.open(), c.achieved, c.withdrawn].map(|n| n.to_string()));
        cells
    };
    match format {
        Format::Json => {
            let report = CountsReport { units: rows, total };
            let json = json_text(&report, true)?;
            writeln!(out, "{json}").map_err(CliError::output)
        }
        Format::Csv => {
            out.write_all(UTF8_BOM.as_bytes())
                .map_err(CliError::output)?;
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(text::count_columns(lang))?;
            for row in &rows {
                let named = format!("{} {}", row.unit, unit_name(ctx, &row.unit));
                csv.write_record(cells(named, row).iter().map(|c| csv_cell(c).into_owned()))?;
            }
            csv.write_record(cells(total.unit.clone(), &total))?;
            csv.flush().map_err(CliError::output)
        }
        Format::Table => {
            line(out, &text::counts_heading(lang))?;
            let table = Table::new(vec![16, 10, 10, 10, 10, 8, 8]);
            table.row(out, &text::count_columns_short(lang))?;
            for row in rows.iter().chain(std::iter::once(&total)) {
                let name = if row.unit == total.unit {
                    total.unit.clone()
                } else {
                    unit_name(ctx, &row.unit)
                };
                let row_cells = cells(name, row);
                let row_cells: Vec<&str> = row_cells.iter().map(String::as_str).collect();
                table.row(out, &row_cells)?;
            }
            Ok(())
        }
    }
}

fn show(ctx: &Context, args: ShowArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let ledger = ctx.open_ledger()?;
    let id = ledger.pool_resolve_id(&args.id)?;
    let entry = ledger.pool_get(id)?;
    let history = ledger.pool_history(id)?;
    if args.format == ViewFormat::Json {
        let json = serde_json::json!({ "entry": entry, "history": history });
        let json = json_text(&json, true)?;
        return writeln!(out, "{json}").map_err(CliError::output);
    }
    let lang = ctx.lang;
    let table = Table::new(vec![18]);
    let mut rows: Vec<(String, String)> = vec![
        (
            text::unit_label(lang).to_owned(),
            unit_name(ctx, &entry.unit),
        ),
        (field_label("credit_code", lang), entry.credit_code.clone()),
        (field_label("name", lang), entry.name.clone()),
        (
            field_label("stage", lang),
            stage_label(entry.stage, lang).to_owned(),
        ),
        (field_label("target_on", lang), entry.target_on.to_string()),
        (
            field_label("status", lang),
            status_label(entry.status, lang).to_owned(),
        ),
    ];
    if !entry.notes.is_empty() {
        rows.push((field_label("notes", lang), entry.notes.clone()));
    }
    if let Some(reason) = &entry.override_reason {
        rows.push((field_label("override_reason", lang), reason.clone()));
    }
    if let Some(on) = entry.closed_on {
        rows.push((field_label("closed_on", lang), on.to_string()));
    }
    if let Some(reason) = &entry.close_reason {
        rows.push((field_label("close_reason", lang), reason.clone()));
    }
    if let Some(record) = entry.achieved_by {
        rows.push((
            field_label("achieved_by", lang),
            text::achieved_by(lang, &record.to_string()),
        ));
    }
    rows.push((
        text::revision_label(lang).to_owned(),
        entry.revision.to_string(),
    ));
    line(out, &entry.id.to_string())?;
    for (label, value) in &rows {
        table.row(out, &[label, value])?;
    }
    line(out, "")?;
    line(out, &text::history_heading(lang))?;
    for change in &history {
        line(out, &format!("  {}", text::history_line(lang, change)))?;
    }
    Ok(())
}
