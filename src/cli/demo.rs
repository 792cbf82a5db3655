//! `taizhang demo --records N [--seed S]`: fill a fresh ledger with synthetic records.

use std::io::Write;

use clap::Args;

use super::init::resolve_unit;
use super::{CliError, Context};
use crate::demo::DemoRecords;
use crate::domain::validate::validate_record;
use crate::i18n::messages;
use crate::store::{self, Ledger, StoreError};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many records to make.
    #[arg(long, value_name = "N")]
    pub records: u64,
    /// Seed for the generator: the same seed gives the same records.
    #[arg(long, value_name = "S", default_value_t = 2021)]
    pub seed: u64,
    /// The unit, when the ledger does not exist yet (default: the plan's first unit).
    #[arg(long, value_name = "CODE")]
    pub unit: Option<String>,
}

/// Records are written in transactions of this many.
const BATCH: usize = 10_000;

pub fn run(ctx: &Context, args: DemoArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut ledger = match Ledger::open(&ctx.db_path) {
        Ok(ledger) => ledger,
        Err(StoreError::NoLedger { .. }) => {
            let unit = match &args.unit {
                Some(given) => resolve_unit(ctx, given)?,
                None => ctx
                    .plan
                    .units
                    .first()
                    .map(|u| u.code.clone())
                    .unwrap_or_default(),
            };
            Ledger::create(&ctx.db_path, &unit, &ctx.plan.id)?
        }
        Err(e) => return Err(e.into()),
    };
    let existing: u64 = ledger
        .kind_counts()?
        .iter()
        .map(|c| c.active + c.voided)
        .sum();
    if existing > 0 {
        return Err(CliError::DemoNotEmpty { records: existing });
    }
    let mut generator = DemoRecords::new(args.seed, ctx.plan.start, ctx.plan.end);
    let actor = store::os_account();
    let mut batch = Vec::with_capacity(BATCH);
    let mut written = 0u64;
    while written < args.records {
        batch.clear();
        let take = (args.records - written).min(BATCH as u64);
        for _ in 0..take {
            let (kind, values) = generator.next_record();
            let valid =
                validate_record(kind, &values).map_err(|issues| CliError::Invalid { issues })?;
            batch.push(valid);
        }
        ledger.insert_many(&batch, &actor)?;
        written += take;
    }
    writeln!(
        out,
        "{}",
        messages::demo_done(ctx.lang, written, ledger.unit(), &ctx.db_path)
    )
    .map_err(CliError::output)
}
