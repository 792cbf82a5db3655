//! `taizhang demo`: fill a fresh ledger with synthetic records (`--records N`), or build a
//! whole city demonstration (`--city DIR`): nine unit ledgers, their bundles on a "USB
//! stick" folder, and a city ledger that has enrolled their keys and imported them all.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use clap::Args;
use jiff::{Timestamp, ToSpan};

use super::init::resolve_unit;
use super::{CliError, Context};
use crate::bundle::keys::{create_city_ledger, create_unit_ledger, ledger_public_key};
use crate::bundle::{export, import, receipt};
use crate::demo::DemoRecords;
use crate::domain::awards::{AwardAction, AwardStatus};
use crate::domain::pool::{PoolDraft, PoolStage, validate_draft};
use crate::domain::validate::validate_record;
use crate::domain::{RecordKind, ValidRecord};
use crate::i18n::messages;
use crate::plan::Plan;
use crate::store::{self, AwardQuery, AwardRequest, Ledger, ListQuery, StoreError};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many records to make (per unit with --city; default there: four times the unit's
    /// quotas).
    #[arg(long, value_name = "N", required_unless_present = "city")]
    pub records: Option<u64>,
    /// Seed for the generator: the same seed gives the same records.
    #[arg(long, value_name = "S", default_value_t = 2021)]
    pub seed: u64,
    /// The unit, when the ledger does not exist yet (default: the plan's first unit).
    #[arg(long, value_name = "CODE", conflicts_with = "city")]
    pub unit: Option<String>,
    /// Build a complete city demonstration in this new folder.
    #[arg(long, value_name = "DIR")]
    pub city: Option<PathBuf>,
}

/// Generated records are handed to the load this many at a time. The load is one
/// transaction, so this only bounds the memory the records on their way take.
const BATCH: usize = 1_000;

pub fn run(ctx: &Context, args: DemoArgs, out: &mut dyn Write) -> Result<(), CliError> {
    // Checked before anything is made: every demo record names the account.
    let actor = store::os_account()?;
    if let Some(dir) = &args.city {
        return city_demo(ctx, &actor, dir, args.records, args.seed, out);
    }
    let mut ledger = match Ledger::open(&ctx.db_path) {
        Ok(ledger) => ledger,
        Err(StoreError::NoLedger { .. } | StoreError::UnfinishedLedger { .. }) => {
            let unit = match &args.unit {
                Some(given) => resolve_unit(ctx, given)?,
                None => ctx
                    .plan
                    .units
                    .first()
                    .map(|u| u.code.clone())
                    .unwrap_or_default(),
            };
            create_unit_ledger(&ctx.db_path, &unit, &ctx.plan.id)?
        }
        Err(e) => return Err(e.into()),
    };
    let mut generator =
        DemoRecords::new(args.seed, ctx.plan.start, ctx.plan.end).in_unit(ledger.unit());
    let written = fill(
        &mut ledger,
        &actor,
        &mut generator,
        args.records.unwrap_or(0),
    )?;
    writeln!(
        out,
        "{}",
        messages::demo_done(ctx.lang, written, ledger.unit(), &ctx.db_path)
    )
    .map_err(CliError::output)
}

/// Adds `count` generated records to the empty ledger in one load; returns how many were
/// written. The records are generated and checked on a second thread while the ledger
/// writes the ones before them.
fn fill(
    ledger: &mut Ledger,
    actor: &str,
    generator: &mut DemoRecords,
    count: u64,
) -> Result<u64, CliError> {
    let mut load = ledger.bulk_load(actor)?;
    std::thread::scope(|scope| {
        let (batches, received) = mpsc::sync_channel::<Result<Vec<ValidRecord>, CliError>>(2);
        // Written batches go back to be freed where they were made: freeing on another
        // thread than the one that allocated is slow with the system's allocator.
        let (spent, returned) = mpsc::channel::<Vec<ValidRecord>>();
        scope.spawn(move || {
            let mut generated = 0u64;
            while generated < count {
                returned.try_iter().for_each(drop);
                let take = (count - generated).min(BATCH as u64);
                let batch = (0..take)
                    .map(|_| {
                        let (kind, values) = generator.next_record();
                        validate_record(kind, &values)
                            .map_err(|issues| CliError::Invalid { issues })
                    })
                    .collect::<Result<Vec<_>, _>>();
                let refused = batch.is_err();
                // A closed channel means the load stopped: nothing more is wanted.
                if batches.send(batch).is_err() || refused {
                    return;
                }
                generated += take;
            }
            // The last batches come back once the writer has them all.
            drop(batches);
            returned.iter().for_each(drop);
        });
        for batch in received {
            let batch = batch?;
            load.add(&batch)?;
            // The generator may have stopped listening; then the batch is freed here.
            let _ = spent.send(batch);
        }
        drop(spent);
        Ok(load.finish()?)
    })
}

/// Builds the city demonstration in `dir`, which must be new or empty.
fn city_demo(
    ctx: &Context,
    actor: &str,
    dir: &Path,
    records: Option<u64>,
    seed: u64,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let is_empty = |d: &Path| std::fs::read_dir(d).map(|mut e| e.next().is_none());
    if dir.exists() && !is_empty(dir).unwrap_or(false) {
        return Err(CliError::DemoFolderNotEmpty {
            path: dir.to_path_buf(),
        });
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |e: std::io::Error| CliError::ReadInput { path, source: e }
    };
    let units_dir = dir.join("units");
    let usb = dir.join("usb");
    std::fs::create_dir_all(&units_dir).map_err(io(&units_dir))?;
    std::fs::create_dir_all(&usb).map_err(io(&usb))?;
    let plan = &ctx.plan;
    let now = Timestamp::now();
    let mut units = Vec::new();
    // Units differ in how far along they are, so the ranking has something to rank.
    let mut pace = fastrand::Rng::with_seed(seed);
    for (i, area) in plan.units.iter().enumerate() {
        let path = units_dir.join(format!("{}.sqlite", area.code));
        let mut ledger = create_unit_ledger(&path, &area.code, &plan.id)?;
        let quotas: u64 = plan
            .indicators
            .iter()
            .map(|ind| u64::from(plan.quota(&area.code, ind.kind)))
            .sum();
        let factor = 1.0 + pace.f64() * 3.0;
        let count = records.unwrap_or((quotas as f64 * factor) as u64);
        let mut generator = DemoRecords::numbered_from(
            seed.wrapping_add(i as u64),
            plan.start,
            plan.end,
            (i as u64) * 10_000_000,
        )
        .in_unit(&area.code);
        fill(&mut ledger, actor, &mut generator, count)?;
        units.push((area.code.clone(), path, ledger));
    }
    claim_twice(&mut units, plan, actor, RecordKind::HighTech)?;
    claim_twice(&mut units, plan, actor, RecordKind::TechSme)?;
    for (_, _, ledger) in &mut units {
        decide_some_awards(plan, ledger, actor)?;
        seed_pool(plan, ledger, actor)?;
    }
    let city_path = dir.join("city.sqlite");
    let mut city = create_city_ledger(&city_path, &plan.city.code, &plan.id)?;
    let city_key = ledger_public_key(&city)?;
    for (code, _, ledger) in &mut units {
        export::export(ledger, &usb, now)?;
        city.pin_unit_key(code, &ledger_public_key(ledger)?, false, actor)?;
        ledger.pin_city_key(&city_key, false, actor)?;
    }
    for outcome in import::import_paths(&mut city, std::slice::from_ref(&usb), now)? {
        outcome.result?;
    }
    decide_some_awards(plan, &mut city, actor)?;
    for (code, _, ledger) in &mut units {
        let done = receipt::write_receipt(&city, code, &usb, now)?;
        receipt::import_receipt_file(ledger, &done.path, &plan.city.code)?;
    }
    writeln!(
        out,
        "{}",
        messages::city_demo_done(ctx.lang, dir, &city_path)
    )
    .map_err(CliError::output)
}

/// Approves about two in three of the entitlements this ledger's level pays and records the
/// payment of half of them, a month and two months after what earned them, so the awards
/// page shows every status.
fn decide_some_awards(plan: &Plan, ledger: &mut Ledger, actor: &str) -> Result<(), CliError> {
    let lines = ledger.award_lines(plan, &AwardQuery::default())?;
    let level = ledger.paying_level();
    let mut voucher = 0u32;
    for (i, line) in lines.iter().enumerate() {
        let (Some(entitlement), AwardStatus::Entitled) = (&line.entitlement, line.status) else {
            continue;
        };
        if entitlement.level != Some(level) || i % 3 == 2 {
            continue;
        }
        let basis = entitlement.basis_date;
        let approve = AwardRequest {
            key: line.key.clone(),
            action: AwardAction::Approve,
            on: basis.saturating_add(30.days()),
            voucher: None,
        };
        ledger.record_award(plan, &approve, actor)?;
        if i % 2 == 0 {
            voucher += 1;
            let pay = AwardRequest {
                action: AwardAction::Pay,
                on: basis.saturating_add(60.days()),
                voucher: Some(format!("记-{}-{voucher:04}", basis.year())),
                ..approve
            };
            ledger.record_award(plan, &pay, actor)?;
        }
    }
    Ok(())
}

/// Puts a few of the unit's firms into its cultivation pool: its latest tech SMEs that are not
/// high-tech enterprises as high-tech candidates (targets a few months after the plan), and
/// its latest high-tech enterprises as gazelle candidates (a year after).
fn seed_pool(plan: &Plan, ledger: &mut Ledger, actor: &str) -> Result<(), CliError> {
    let firms = |ledger: &Ledger, kind| -> Result<Vec<(String, String)>, CliError> {
        let query = ListQuery {
            kind: Some(kind),
            ..ListQuery::default()
        };
        Ok(ledger
            .list(&query)?
            .records
            .into_iter()
            .filter_map(|r| Some((r.fields.get("credit_code")?.clone(), r.name().to_owned())))
            .collect())
    };
    let certified = firms(ledger, RecordKind::HighTech)?;
    let candidates = firms(ledger, RecordKind::TechSme)?
        .into_iter()
        .filter(|(code, _)| !certified.iter().any(|(c, _)| c == code));
    let mut chosen: Vec<(String, String, PoolStage, jiff::civil::Date)> = Vec::new();
    for (i, (code, name)) in candidates.enumerate() {
        if chosen.len() >= 3 {
            break;
        }
        if !chosen.iter().any(|(c, ..)| *c == code) {
            let target = plan.end.saturating_add((3 + 2 * i as i64).months());
            chosen.push((code, name, PoolStage::HighTechCandidate, target));
        }
    }
    for (code, name) in certified.into_iter().take(2) {
        if !chosen.iter().any(|(c, ..)| *c == code) {
            let target = plan.end.saturating_add(12.months());
            chosen.push((code, name, PoolStage::GazelleCandidate, target));
        }
    }
    for (code, name, stage, target) in chosen {
        let draft = PoolDraft {
            credit_code: code,
            name,
            stage: stage.key().to_owned(),
            target_on: target.to_string(),
            notes: String::new(),
            override_reason: String::new(),
        };
        let fields = validate_draft(&draft).map_err(|issues| CliError::Invalid { issues })?;
        ledger.pool_add(&fields, actor)?;
    }
    Ok(())
}

/// Makes one of the first unit's records of `kind` claimed by the second unit too (same
/// firm, same credit code), so the city view has a firm claimed twice to show: the earliest
/// dated in the plan's last year, which counts through that year's end whatever the rule.
fn claim_twice(
    units: &mut [(String, PathBuf, Ledger)],
    plan: &Plan,
    actor: &str,
    kind: RecordKind,
) -> Result<(), CliError> {
    let [(_, _, first), (_, _, second), ..] = units else {
        return Ok(());
    };
    let query = ListQuery {
        kind: Some(kind),
        ..ListQuery::default()
    };
    let last_year = plan.end.first_of_year();
    let Some(record) = first.list(&query)?.records.into_iter().rfind(|r| {
        r.fields
            .get(kind.key_date_field())
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
            .is_some_and(|d| d >= last_year)
    }) else {
        return Ok(());
    };
    let valid: ValidRecord =
        validate_record(kind, &record.fields).map_err(|issues| CliError::Invalid { issues })?;
    second.insert(&valid, actor)?;
    Ok(())
}
