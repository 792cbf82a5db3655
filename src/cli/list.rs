//! `taizhang list`: records as a table, JSON or CSV, streamed page by page from the ledger.

use std::io::Write;

use clap::Args;

use super::add::parse_kind;
use super::init::resolve_unit;
use super::output::{Format, Table, UTF8_BOM, csv_cell, json_text};
use super::{CliError, Context};
use crate::domain::validate::record_warnings;
use crate::domain::{Record, RecordKind, RecordStatus};
use crate::i18n::labels::shown_value;
use crate::i18n::{Lang, labels};
use crate::store::{Ledger, ListQuery};

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this kind (key or label).
    pub kind: Option<String>,
    /// Only records whose name or credit code contains TEXT.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only this unit's records (at the city ledger).
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
    /// Include voided records.
    #[arg(long)]
    pub include_voided: bool,
    /// Only pairs of active records that are one entity under the text policy but were both
    /// saved before it (names differing by invisible or full-width characters): each pair
    /// counts once; void the one entered by mistake.
    #[arg(long, conflicts_with_all = ["search", "include_voided"])]
    pub look_alikes: bool,
    /// At most N records.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub limit: Option<usize>,
    /// table (default), json or csv (opens in Excel and WPS).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Records are read in pages of this many, so memory stays flat on a million-record ledger.
const PAGE: usize = 1000;

pub fn run(ctx: &Context, args: ListArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let kind = args.kind.as_deref().map(parse_kind).transpose()?;
    let unit = args
        .unit
        .as_deref()
        .map(|given| resolve_unit(ctx, given))
        .transpose()?;
    let ledger = ctx.open_ledger()?;
    let query = ListQuery {
        kind,
        unit,
        search: args.search.clone().filter(|s| !s.trim().is_empty()),
        include_voided: args.include_voided,
        limit: PAGE,
        after: None,
    };
    let mut sink: Box<dyn RecordSink> = match args.format {
        Format::Table => Box::new(TableSink::new(ctx.lang, kind, out)?),
        Format::Json => Box::new(JsonSink::new(out)?),
        Format::Csv => Box::new(CsvSink::new(ctx.lang, kind, out)?),
    };
    if args.look_alikes {
        let mut written = 0;
        for (earlier, later) in ledger.look_alike_pairs()? {
            let wanted = |r: &Record| {
                kind.is_none_or(|k| r.kind == k)
                    && query.unit.as_deref().is_none_or(|u| r.unit == u)
            };
            if wanted(&earlier) && written < args.limit.unwrap_or(usize::MAX) {
                sink.write(&earlier)?;
                sink.write(&later)?;
                written += 2;
            }
        }
        return sink.finish(written);
    }
    let written = each_record(&ledger, query, args.limit, |r| sink.write(r))?;
    sink.finish(written)
}

/// Calls `f` for every matching record, page by page, up to `limit`; returns how many.
fn each_record(
    ledger: &Ledger,
    mut query: ListQuery,
    limit: Option<usize>,
    mut f: impl FnMut(&Record) -> Result<(), CliError>,
) -> Result<usize, CliError> {
    let limit = limit.unwrap_or(usize::MAX);
    let mut written = 0;
    while written < limit {
        query.limit = PAGE.min(limit - written);
        let page = ledger.list(&query)?;
        for record in &page.records {
            f(record)?;
            written += 1;
        }
        match page.next {
            Some(next) if !page.records.is_empty() => query.after = Some(next),
            _ => break,
        }
    }
    Ok(written)
}

trait RecordSink {
    fn write(&mut self, record: &Record) -> Result<(), CliError>;
    fn finish(&mut self, count: usize) -> Result<(), CliError>;
}

struct TableSink<'a> {
    lang: Lang,
    with_kind: bool,
    table: Table,
    out: &'a mut dyn Write,
    /// Some record listed carries warnings: the footer explains the mark.
    warned: bool,
}

impl<'a> TableSink<'a> {
    fn new(lang: Lang, kind: Option<RecordKind>, out: &'a mut dyn Write) -> Result<Self, CliError> {
        let with_kind = kind.is_none();
        let mut widths = vec![8];
        if with_kind {
            widths.push(14);
        }
        widths.extend([30, 18, 10, 8, 4]);
        let sink = TableSink {
            lang,
            with_kind,
            table: Table::new(widths),
            out,
            warned: false,
        };
        let mut head = vec![labels::field_label("id", lang)];
        if with_kind {
            head.push(labels::field_label("kind", lang));
        }
        head.extend([
            labels::field_label("name", lang),
            labels::field_label("credit_code", lang),
            labels::field_label("date", lang),
            labels::field_label("status", lang),
            labels::field_label("revision", lang),
        ]);
        sink.table.row(sink.out, &head)?;
        Ok(sink)
    }
}

impl RecordSink for TableSink<'_> {
    fn write(&mut self, r: &Record) -> Result<(), CliError> {
        let id = r.id.to_string();
        let rev = r.revision.to_string();
        let field = |k: &str| r.fields.get(k).map(String::as_str).unwrap_or("");
        let warned = r.status == RecordStatus::Active
            && !record_warnings(r, crate::clock::today()).is_empty();
        self.warned |= warned;
        let status = format!(
            "{}{}",
            labels::status_label(r.status, self.lang),
            if warned { "!" } else { "" }
        );
        let mut cells = vec![short_id(&id)];
        if self.with_kind {
            cells.push(labels::kind_label(r.kind, self.lang));
        }
        cells.extend([
            r.name(),
            field(r.kind.credit_code_field()),
            field(r.kind.key_date_field()),
            &status,
            &rev,
        ]);
        self.table.row(self.out, &cells)
    }

    fn finish(&mut self, count: usize) -> Result<(), CliError> {
        writeln!(
            self.out,
            "{}",
            crate::tr!(self.lang, "共 {count} 条", "{count} record(s)")
        )
        .map_err(CliError::output)?;
        if self.warned {
            writeln!(
                self.out,
                "{}",
                crate::tr!(
                    self.lang,
                    "! 表示记录有提示（如信用代码不属本单位、日期晚于今天），用 `taizhang show 编号` 查看",
                    "! marks a record with warnings (a credit code of another region, a date after today); `taizhang show ID` explains"
                )
            )
            .map_err(CliError::output)?;
        }
        Ok(())
    }
}

struct JsonSink<'a> {
    first: bool,
    out: &'a mut dyn Write,
}

impl<'a> JsonSink<'a> {
    fn new(out: &'a mut dyn Write) -> Result<Self, CliError> {
        write!(out, "[").map_err(CliError::output)?;
        Ok(JsonSink { first: true, out })
    }
}

impl RecordSink for JsonSink<'_> {
    fn write(&mut self, r: &Record) -> Result<(), CliError> {
        let sep = if self.first { "\n" } else { ",\n" };
        self.first = false;
        let json = json_text(r, false)?;
        write!(self.out, "{sep}{json}").map_err(CliError::output)
    }

    fn finish(&mut self, _count: usize) -> Result<(), CliError> {
        writeln!(self.out, "\n]").map_err(CliError::output)
    }
}

struct CsvSink<'a> {
    lang: Lang,
    columns: Vec<&'static str>,
    writer: csv::Writer<&'a mut dyn Write>,
}

impl<'a> CsvSink<'a> {
    fn new(lang: Lang, kind: Option<RecordKind>, out: &'a mut dyn Write) -> Result<Self, CliError> {
        write!(out, "{UTF8_BOM}").map_err(CliError::output)?;
        let kinds: Vec<RecordKind> = kind.map(|k| vec![k]).unwrap_or(RecordKind::ALL.to_vec());
        let mut columns: Vec<&'static str> = Vec::new();
        for k in kinds {
            for f in k.fields() {
                if !columns.contains(&f.key) {
                    columns.push(f.key);
                }
            }
        }
        let mut writer = csv::Writer::from_writer(out);
        let mut head: Vec<&str> = ["id", "unit", "kind", "status", "revision"]
            .iter()
            .map(|k| labels::field_label(k, lang))
            .collect();
        head.extend(columns.iter().map(|k| labels::field_label(k, lang)));
        writer.write_record(&head)?;
        Ok(CsvSink {
            lang,
            columns,
            writer,
        })
    }
}

impl RecordSink for CsvSink<'_> {
    fn write(&mut self, r: &Record) -> Result<(), CliError> {
        let mut row: Vec<String> = vec![
            r.id.to_string(),
            r.unit.clone(),
            labels::kind_label(r.kind, self.lang).to_string(),
            labels::status_label(r.status, self.lang).to_string(),
            r.revision.to_string(),
        ];
        for key in &self.columns {
            let shown = shown_value(r, key, self.lang);
            row.push(csv_cell(shown).into_owned());
        }
        Ok(self.writer.write_record(&row)?)
    }

    fn finish(&mut self, _count: usize) -> Result<(), CliError> {
        self.writer.flush().map_err(CliError::output)
    }
}

/// The id as lists show it: its last 8 characters, the random part of a UUIDv7 (records made
/// in the same millisecond share their first characters). Commands accept it as the id.
pub fn short_id(id: &str) -> &str {
    &id[id.len().saturating_sub(8)..]
}
