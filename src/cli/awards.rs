//! `awards`: what each firm is owed under the plan's award rules, by whom, and whether it
//! was paid; `awards approve` and `awards pay` record the paying level's decisions.

use std::io::Write;

use serde::Serialize;

use super::init::resolve_unit;
use super::list::short_id;
use super::output::{Format, Table, UTF8_BOM, csv_cell, json_text};
use super::{CliError, Context};
use crate::domain::awards::{
    AwardAction, AwardLine, AwardTotals, Entitlement, EntitlementKey, Fen, add_line, award_totals,
    award_totals_all_units, unapplied_rules,
};
use crate::domain::dates::parse_date;
use crate::i18n::awards::cli as text;
use crate::i18n::awards::{
    action_label, due_text, level_label, line_status, rule_label, status_label, working_text, yuan,
};
use crate::store::{self, AwardQuery, AwardRequest, Ledger, LedgerRole};
use crate::{clock, display};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AwardsArgs {
    #[command(subcommand)]
    pub action: Option<AwardsAction>,
    #[command(flatten)]
    pub list: ListArgs,
}

/// Which awards to list, and how.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only the entitlements for this year.
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i16>,
    /// Only this unit's (city ledger).
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
    /// table (default), json or csv (opens in Excel and WPS).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, clap::Subcommand)]
pub enum AwardsAction {
    /// Approve an entitlement this ledger's level pays.
    Approve(DecisionArgs),
    /// Record the payment of an approved entitlement.
    Pay(PayArgs),
}

/// Which entitlement, and when.
#[derive(Debug, clap::Args)]
pub struct DecisionArgs {
    /// The record that earned it (its id, or the first or last 8 characters).
    pub id: String,
    /// The rule (its key or name), when the record earned more than one.
    #[arg(long, value_name = "RULE")]
    pub rule: Option<String>,
    /// The year, when the record earned the rule in more than one year.
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i16>,
    /// The day of the decision (default: today).
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct PayArgs {
    #[command(flatten)]
    pub which: DecisionArgs,
    /// The payment voucher's number (凭证号).
    #[arg(long, value_name = "NUMBER")]
    pub voucher: String,
}

pub fn run(ctx: &Context, args: AwardsArgs, out: &mut dyn Write) -> Result<(), CliError> {
    match args.action {
        None => list(ctx, args.list, out),
        Some(AwardsAction::Approve(which)) => decide(ctx, AwardAction::Approve, which, None, out),
        Some(AwardsAction::Pay(pay)) => {
            decide(ctx, AwardAction::Pay, pay.which, Some(pay.voucher), out)
        }
    }
}

/// The lines, the totals per year × fiscal level × unit, and at the city the sums over the
/// units per year × fiscal level.
#[derive(Serialize)]
struct AwardsReport<'a> {
    lines: &'a [AwardLine],
    totals: Vec<AwardTotals>,
    city_totals: Option<Vec<AwardTotals>>,
}

fn list(ctx: &Context, args: ListArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let ledger = ctx.open_ledger()?;
    let unit = match (&args.unit, ledger.role()) {
        (Some(given), _) => Some(resolve_unit(ctx, given)?),
        (None, LedgerRole::Unit) => Some(ledger.unit().to_owned()),
        (None, LedgerRole::City) => None,
    };
    let query = AwardQuery {
        unit,
        year: args.year,
    };
    let lines = ledger.award_lines(&ctx.plan, &query)?;
    let totals = award_totals(&lines);
    let city_totals = (ledger.role() == LedgerRole::City).then(|| award_totals_all_units(&lines));
    let report = AwardsReport {
        lines: &lines,
        totals,
        city_totals,
    };
    match args.format {
        Format::Json => {
            let json = json_text(&report, true)?;
            writeln!(out, "{json}").map_err(CliError::output)
        }
        Format::Csv => write_csv(ctx, &lines, out),
        Format::Table => write_table(ctx, &ledger, &report, out),
    }
}

fn unit_name(ctx: &Context, code: &str) -> String {
    match ctx.plan.unit(code) {
        Some(unit) => match ctx.lang {
            crate::i18n::Lang::Zh => unit.name_zh.clone(),
            crate::i18n::Lang::En => unit.name_en.clone(),
        },
        None => code.to_owned(),
    }
}

fn write_table(
    ctx: &Context,
    ledger: &Ledger,
    report: &AwardsReport<'_>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let lang = ctx.lang;
    let line = |out: &mut dyn Write, s: String| writeln!(out, "{s}").map_err(CliError::output);
    line(out, text::heading(lang, ledger.paying_level()))?;
    for rule in unapplied_rules(&ctx.plan.awards) {
        let description = match lang {
            crate::i18n::Lang::Zh => &rule.description_zh,
            crate::i18n::Lang::En => &rule.description_en,
        };
        line(out, text::unapplied_rule(lang, &rule.key, description))?;
    }
    if report.lines.is_empty() {
        return line(out, text::none(lang));
    }
    let head: Vec<String> = text::line_columns(lang)
        .iter()
        .map(|h| (*h).to_owned())
        .collect();
    let rows: Vec<Vec<String>> = report
        .lines
        .iter()
        .map(|l| {
            let amount = match l.entitlement.as_ref().map(|e| e.due.fen()) {
                Some(Some(fen)) => yuan(fen),
                Some(None) => "-".to_owned(),
                None => yuan(0),
            };
            let id = l.key.record.to_string();
            vec![
                short_id(&id).to_owned(),
                unit_name(ctx, &l.unit),
                l.key.year.to_string(),
                l.beneficiary.clone(),
                rule_label(&l.key.rule, Some(&ctx.plan), lang).to_owned(),
                l.basis_date.map(|d| d.to_string()).unwrap_or_default(),
                amount,
                level_label(l.level, lang).to_owned(),
                line_status(l, lang),
            ]
        })
        .collect();
    let table = fitted_table(&head, &rows);
    table.row(out, &cells(&head))?;
    for row in &rows {
        table.row(out, &cells(row))?;
    }
    line(out, String::new())?;
    line(out, text::totals_heading(lang))?;
    let total_head: Vec<String> = text::total_columns(lang)
        .iter()
        .map(|h| (*h).to_owned())
        .collect();
    let unit_rows: Vec<Vec<String>> = report
        .totals
        .iter()
        .map(|t| total_row(ctx, t, &unit_name(ctx, &t.unit)))
        .collect();
    let city_rows: Vec<Vec<String>> = report
        .city_totals
        .iter()
        .flatten()
        .map(|t| total_row(ctx, t, text::all_units(lang)))
        .collect();
    let all_rows: Vec<Vec<String>> = unit_rows.iter().chain(&city_rows).cloned().collect();
    let totals = fitted_table(&total_head, &all_rows);
    totals.row(out, &cells(&total_head))?;
    for row in &unit_rows {
        totals.row(out, &cells(row))?;
    }
    if report.city_totals.is_some() {
        line(out, String::new())?;
        line(out, text::city_totals_heading(lang))?;
        totals.row(out, &cells(&total_head))?;
        for row in &city_rows {
            totals.row(out, &cells(row))?;
        }
    }
    let mut grand = AwardTotals::default();
    for l in report.lines {
        add_line(&mut grand, l);
    }
    line(
        out,
        text::grand_total(
            lang,
            grand.entitled_fen,
            grand.paid_fen,
            grand.outstanding_fen,
            grand.to_recover_fen,
        ),
    )?;
    let unsettled: Vec<(&AwardLine, &Entitlement)> = report
        .lines
        .iter()
        .filter_map(|l| l.entitlement.as_ref().map(|e| (l, e)))
        .filter(|(_, e)| e.due.fen().is_none() || e.level.is_none())
        .collect();
    if !unsettled.is_empty() {
        line(out, text::unsettled_hint(lang, unsettled.len()))?;
        for (l, e) in unsettled {
            let id = l.key.record.to_string();
            let what = match e.due.fen() {
                None => due_text(&e.due, lang),
                Some(_) => status_label(l.status, lang).to_owned(),
            };
            line(
                out,
                format!("  {}  {}  {what}", short_id(&id), display::safe(&l.entity)),
            )?;
        }
    }
    Ok(())
}

/// A table whose columns are as wide as their widest cell, up to 30 columns.
fn fitted_table(head: &[String], rows: &[Vec<String>]) -> Table {
    let widths = (0..head.len())
        .map(|i| {
            std::iter::once(&head[i])
                .chain(rows.iter().filter_map(|r| r.get(i)))
                .map(|c| display::width(c))
                .max()
                .unwrap_or(0)
                .min(30)
        })
        .collect();
    Table::new(widths)
}

fn cells(row: &[String]) -> Vec<&str> {
    row.iter().map(String::as_str).collect()
}

fn total_row(ctx: &Context, t: &AwardTotals, unit: &str) -> Vec<String> {
    vec![
        t.year.to_string(),
        level_label(t.level, ctx.lang).to_owned(),
        unit.to_owned(),
        t.entitled.to_string(),
        yuan(t.entitled_fen),
        yuan(t.approved_fen),
        yuan(t.paid_fen),
        yuan(t.outstanding_fen),
        yuan(t.to_recover_fen),
        t.awaiting.to_string(),
    ]
}

fn write_csv(ctx: &Context, lines: &[AwardLine], out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ctx.lang;
    write!(out, "{UTF8_BOM}").map_err(CliError::output)?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(text::csv_columns(lang))?;
    for l in lines {
        let (amount, working) = match &l.entitlement {
            Some(e) => (
                e.due
                    .fen()
                    .map(plain_yuan)
                    .unwrap_or_else(|| due_text(&e.due, lang)),
                e.working
                    .as_ref()
                    .map(|w| working_text(w, lang))
                    .unwrap_or_default(),
            ),
            None => (plain_yuan(0), String::new()),
        };
        let approved = l
            .approved
            .as_ref()
            .map(|a| a.on.to_string())
            .unwrap_or_default();
        let paid_on = l
            .payments
            .first()
            .map(|p| p.on.to_string())
            .unwrap_or_default();
        let voucher = l
            .payments
            .first()
            .and_then(|p| p.voucher.clone())
            .unwrap_or_default();
        let paid = if l.payments.is_empty() {
            String::new()
        } else {
            plain_yuan(l.paid_fen())
        };
        let row = [
            l.key.record.to_string(),
            unit_name(ctx, &l.unit),
            l.key.year.to_string(),
            csv_cell(&l.beneficiary).into_owned(),
            csv_cell(&l.entity).into_owned(),
            rule_label(&l.key.rule, Some(&ctx.plan), lang).to_owned(),
            l.basis_date.map(|d| d.to_string()).unwrap_or_default(),
            amount,
            working,
            level_label(l.level, lang).to_owned(),
            status_label(l.status, lang).to_owned(),
            approved,
            paid_on,
            csv_cell(&voucher).into_owned(),
            paid,
            if l.payments.is_empty() {
                String::new()
            } else {
                plain_signed(l.balance_fen)
            },
        ];
        // Only what a clerk typed can start like a formula; amounts are written as numbers.
        writer.write_record(&row)?;
    }
    writer.flush().map_err(CliError::output)
}

/// An amount as a spreadsheet reads a number: `300000.00`.
fn plain_yuan(fen: Fen) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

fn plain_signed(fen: i64) -> String {
    let text = plain_yuan(fen.unsigned_abs());
    if fen < 0 { format!("-{text}") } else { text }
}

fn decide(
    ctx: &Context,
    action: AwardAction,
    which: DecisionArgs,
    voucher: Option<String>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let on = match &which.on {
        Some(given) => parse_date(given).map_err(|_| CliError::BadDate {
            given: given.clone(),
        })?,
        None => clock::today(),
    };
    let mut ledger = ctx.open_ledger()?;
    let actor = store::os_account()?;
    let id = ledger.resolve_id(&which.id)?;
    let record = ledger.get(id)?;
    let lines = ledger.award_lines(
        &ctx.plan,
        &AwardQuery {
            unit: Some(record.unit.clone()),
            year: which.year,
        },
    )?;
    let lang = ctx.lang;
    let candidates: Vec<&AwardLine> = lines
        .iter()
        .filter(|l| l.key.record == id && l.entitlement.is_some())
        .filter(|l| {
            which.rule.as_deref().is_none_or(|r| {
                r == l.key.rule || r == rule_label(&l.key.rule, Some(&ctx.plan), lang)
            })
        })
        .collect();
    let key: EntitlementKey = match candidates.as_slice() {
        [only] => only.key.clone(),
        [] => {
            return Err(CliError::NoAward {
                id: id.to_string(),
                name: record.name().to_owned(),
            });
        }
        many => {
            return Err(CliError::WhichAward {
                id: id.to_string(),
                options: many
                    .iter()
                    .map(|l| {
                        (
                            l.key.rule.clone(),
                            rule_label(&l.key.rule, Some(&ctx.plan), lang).to_owned(),
                            l.key.year,
                        )
                    })
                    .collect(),
            });
        }
    };
    let request = AwardRequest {
        key,
        action,
        on,
        voucher,
    };
    let event = ledger.record_award(&ctx.plan, &request, &actor)?;
    let line = lines
        .iter()
        .find(|l| l.key == event.key)
        .map(|l| l.beneficiary.as_str())
        .unwrap_or("");
    writeln!(
        out,
        "{}",
        text::recorded(
            lang,
            action_label(action, lang),
            line,
            rule_label(&event.key.rule, Some(&ctx.plan), lang),
            event.key.year,
            &yuan(event.fen),
            level_label(Some(event.level), lang),
            event.on,
            event.voucher.as_deref(),
            ledger.role(),
        )
    )
    .map_err(CliError::output)?;
    Ok(())
}
