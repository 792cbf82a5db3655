//! `taizhang show ID`: one record, every field labelled, and its history.

use std::io::Write;

use clap::Args;

use super::output::{Table, ViewFormat};
use super::{CliError, Context};
use crate::clock;
use crate::display;
use crate::domain::validate::record_warnings;
use crate::domain::{AuditEntry, Record, RecordKind};
use crate::i18n::labels::shown_value;
use crate::i18n::{Lang, Localized, labels, messages};

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The record's id (or a unique prefix of it).
    pub id: String,
    /// table (default) or json.
    #[arg(long, value_enum, default_value_t = ViewFormat::Table)]
    pub format: ViewFormat,
}

pub fn run(ctx: &Context, args: ShowArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let ledger = ctx.open_ledger()?;
    let id = ledger.resolve_id(&args.id)?;
    let record = ledger.get(id)?;
    let history = ledger.history(id)?;
    if args.format == ViewFormat::Json {
        let json = serde_json::json!({ "record": record, "history": history });
        let json = super::output::json_text(&json, true)?;
        return writeln!(out, "{json}").map_err(CliError::output);
    }
    write_record(ctx.lang, &record, out)?;
    for warning in record_warnings(&record, clock::today()) {
        let text = warning.localize(ctx.lang);
        writeln!(
            out,
            "{}{}",
            messages::warning_prefix(ctx.lang),
            display::safe(&text)
        )
        .map_err(CliError::output)?;
    }
    let entity = ledger.entity_history(id)?;
    if entity.len() > 1 {
        write_level_history(ctx.lang, &entity, out)?;
    }
    write_history(ctx.lang, record.kind, &history, out)
}

fn write_record(lang: Lang, r: &Record, out: &mut dyn Write) -> Result<(), CliError> {
    writeln!(out, "{}", messages::record_heading(lang, r)).map_err(CliError::output)?;
    let table = Table::new(vec![18]);
    for field in r.kind.fields() {
        let value = shown_value(r, field.key, lang);
        if value.is_empty() && !field.required {
            continue;
        }
        table.row(out, &[labels::field_label(field.key, lang), value])?;
    }
    if let Some(reason) = &r.void_reason {
        table.row(out, &[&messages::void_reason_label(lang), reason])?;
    }
    Ok(())
}

/// The entity's recognitions in date order: date, level, name, short id.
fn write_level_history(lang: Lang, entity: &[Record], out: &mut dyn Write) -> Result<(), CliError> {
    writeln!(out, "\n{}", messages::level_history_heading(lang)).map_err(CliError::output)?;
    for r in entity {
        let id = r.id.to_string();
        let date = shown_value(r, r.kind.key_date_field(), lang);
        writeln!(
            out,
            "  {date}  {}  {}  {}",
            shown_value(r, "level", lang),
            display::safe(r.name()),
            super::list::short_id(&id)
        )
        .map_err(CliError::output)?;
    }
    Ok(())
}

/// The history, one line per entry: the creation, then each field changed, void and restore.
fn write_history(
    lang: Lang,
    kind: RecordKind,
    history: &[AuditEntry],
    out: &mut dyn Write,
) -> Result<(), CliError> {
    writeln!(out, "\n{}", messages::history_heading(lang)).map_err(CliError::output)?;
    for entry in history {
        let line = messages::audit_line(lang, kind, entry);
        writeln!(out, "  {}", display::safe(&line)).map_err(CliError::output)?;
    }
    Ok(())
}
