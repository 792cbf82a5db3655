//! `taizhang import-sheet FILE --kind KIND [--dry-run] [--map 列名=field …] [--sheet NAME]`:
//! take in the records of a sheet the unit already keeps (xlsx, xls, ods, csv).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::add::parse_kind;
use super::{CliError, Context};
use crate::clock;
use crate::domain::sheet_rows::{ColumnMap, parse_column_map};
use crate::i18n::sheet::import as words;
use crate::sheet::SheetRefusal;
use crate::sheet::import::{SheetImportPreview, apply, prepare};
use crate::store;

#[derive(Debug, Args)]
pub struct ImportSheetArgs {
    /// The sheet: .xlsx, .xls, .ods, or .csv (UTF-8 or GBK).
    pub file: PathBuf,
    /// What the rows are: tech_sme | high_tech | rnd_institution | incubator | alliance |
    /// achievement (or 入库科企 …).
    #[arg(long)]
    pub kind: String,
    /// Show what would be imported, row by row, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Read column HEADER (or column letter) as FIELD (key or Chinese label); `HEADER=`
    /// leaves the column out. Repeat for each column.
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub maps: Vec<String>,
    /// The worksheet to read (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

pub fn run(ctx: &Context, args: ImportSheetArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let kind = parse_kind(&args.kind)?;
    let maps = args
        .maps
        .iter()
        .map(|m| parse_column_map(m))
        .collect::<Result<Vec<ColumnMap>, _>>()
        .map_err(|p| crate::sheet::SheetError::from(SheetRefusal::Columns(p)))?;
    let actor = if args.dry_run {
        String::new()
    } else {
        store::os_account()?
    };
    let mut ledger = ctx.open_ledger()?;
    let preview = prepare(
        &ledger,
        &args.file,
        kind,
        &maps,
        args.sheet.as_deref(),
        clock::today(),
    )?;
    print_preview(ctx, &preview, out)?;
    let lang = ctx.lang;
    if args.dry_run {
        return writeln!(out, "{}", words::dry_run_done(lang)).map_err(CliError::output);
    }
    let done = apply(&mut ledger, &preview, &actor, lang)?;
    if done.inserted > 0 {
        writeln!(out, "{}", words::imported(done.inserted, lang)).map_err(CliError::output)?;
    } else {
        writeln!(out, "{}", words::nothing_new(&preview.counts, lang)).map_err(CliError::output)?;
    }
    if let Some(file) = &done.rejected_file {
        let line = words::rejected_written(done.rejected_rows, file, kind, lang);
        writeln!(out, "{line}").map_err(CliError::output)?;
        // Said on stderr too, where a script or a scrolled-off screen still shows it.
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }
    Ok(())
}

fn print_preview(
    ctx: &Context,
    preview: &SheetImportPreview,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let lang = ctx.lang;
    let mut lines = vec![
        words::reading(preview, lang),
        words::columns_read_title(lang),
    ];
    let (read, ignored): (Vec<_>, Vec<_>) = preview
        .columns
        .iter()
        .partition(|c| c.usage.field().is_some());
    for column in read {
        lines.push(format!(
            "  {}",
            words::column_line(column, preview.kind, lang)
        ));
    }
    if !ignored.is_empty() {
        lines.push(words::columns_ignored_title(lang));
        for column in ignored {
            lines.push(format!(
                "  {}",
                words::column_line(column, preview.kind, lang)
            ));
        }
    }
    lines.push(words::rows_title(lang));
    for row in &preview.rows {
        lines.push(format!("  {}", words::row_line(row, lang)));
        for detail in words::row_details(row, lang) {
            lines.push(format!("      {detail}"));
        }
    }
    lines.extend(words::skipped_line(preview, lang));
    lines.push(words::summary(&preview.counts, lang));
    for line in lines {
        writeln!(out, "{line}").map_err(CliError::output)?;
    }
    Ok(())
}
