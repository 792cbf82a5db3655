//! `taizhang firm CODE|NAME`: one firm's whole path through the plan, every record that
//! names it in date order with the days each counts, and the awards its records earned.

use std::io::Write;

use clap::Args;

use super::list::short_id;
use super::output::{Table, ViewFormat, json_text};
use super::{CliError, Context};
use crate::display;
use crate::i18n::awards::{line_status, rule_label, yuan};
use crate::i18n::outlook as text;
use crate::outlook::{FirmLookup, FirmPage, find_firm, firm_page};

#[derive(Debug, Args)]
pub struct FirmArgs {
    /// The firm's unified social credit code, or (part of) its name.
    pub firm: String,
    /// table (default) or json.
    #[arg(long, value_enum, default_value_t = ViewFormat::Table)]
    pub format: ViewFormat,
}

pub fn run(ctx: &Context, args: FirmArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let ledger = ctx.open_ledger()?;
    let code = match find_firm(&ledger, &args.firm)? {
        FirmLookup::Found(code) => code,
        FirmLookup::Several(options) => {
            return Err(CliError::WhichFirm {
                given: args.firm,
                options,
            });
        }
        FirmLookup::NoCode { names } => {
            return Err(CliError::FirmWithoutCode {
                given: args.firm,
                names,
            });
        }
        FirmLookup::NotFound => return Err(CliError::NoFirm { given: args.firm }),
    };
    let page = firm_page(&ctx.plan, &ledger, &code)?;
    if page.path.steps.is_empty() {
        return Err(CliError::NoFirmRecords { code });
    }
    match args.format {
        ViewFormat::Json => writeln!(out, "{}", json_text(&page, true)?).map_err(CliError::output),
        ViewFormat::Table => write_page(ctx, &page, out),
    }
}

fn write_page(ctx: &Context, page: &FirmPage, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ctx.lang;
    let path = &page.path;
    let w = |out: &mut dyn Write, line: &str| writeln!(out, "{line}").map_err(CliError::output);
    w(
        out,
        &text::firm_heading(lang, &display::safe(&path.name), &path.credit_code),
    )?;
    let many_units = path
        .steps
        .iter()
        .any(|s| s.record.unit != path.steps[0].record.unit);
    let table = Table::new(vec![10, 12, 34, 24]);
    let head = text::firm_columns(lang);
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    table.row(out, &head)?;
    for step in &path.steps {
        let id = step.record.id.to_string();
        let kind = crate::i18n::labels::kind_label(step.record.kind, lang);
        let name = if many_units {
            format!("{} [{}]", step.record.name(), step.record.unit)
        } else {
            step.record.name().to_owned()
        };
        let counts = text::step_counts(lang, &ctx.plan, step);
        table.row(
            out,
            &[
                &step.key_date.to_string(),
                kind,
                &name,
                &counts,
                short_id(&id),
            ],
        )?;
    }
    if !path.entities.is_empty() {
        w(out, "")?;
        w(out, &text::firm_days_heading(lang))?;
        for entity in &path.entities {
            let runs: Vec<String> = entity
                .runs
                .iter()
                .map(|r| text::run_text(lang, r))
                .collect();
            w(
                out,
                &format!(
                    "  {}  {}  {}",
                    crate::i18n::labels::kind_label(entity.kind, lang),
                    display::safe(&entity.name),
                    runs.join("; ")
                ),
            )?;
        }
    }
    if !page.awards.is_empty() {
        w(out, "")?;
        w(out, &text::firm_awards_heading(lang))?;
        for line in &page.awards {
            let owed = line.owed_fen().map(yuan).unwrap_or_default();
            w(
                out,
                &format!(
                    "  {}  {}  {}  {}",
                    line.key.year,
                    rule_label(&line.key.rule, Some(&ctx.plan), lang),
                    owed,
                    line_status(line, lang)
                ),
            )?;
        }
    }
    Ok(())
}
