//! The city office's report on a date: the Annex 2 table of every unit and the city total,
//! the ranking, the firms claimed by more than one unit and when each unit was last heard
//! from. Built from the city ledger through its methods only; shared by the command line
//! (`progress --by-unit`) and the city screen.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::clock;
use crate::domain::RecordKind;
use crate::domain::city_targets::{CityTargetProgress, city_target_progress};
use crate::domain::claims::lost_by;
use crate::domain::progress::{
    AsOfSource, CountWindow, UnitProgress, city_total_progress, count_window, unit_progress,
};
use crate::domain::ranking::{UnitRank, rank_units};
use crate::i18n::{Lang, messages};
use crate::plan::Plan;
use crate::store::{Claim, Ledger, StoreError};

/// Days without a bundle after which a unit is flagged as silent.
pub const SILENT_AFTER_DAYS: i64 = 30;

/// Everything the city views show for one date.
#[derive(Clone, Debug, Serialize)]
pub struct CityReport {
    pub as_of: Date,
    pub as_of_source: AsOfSource,
    pub plan_over: bool,
    /// One per unit, in the plan's order.
    pub units: Vec<UnitProgress>,
    /// The city as a whole: each entity counted once however many units claim it. The units'
    /// figures credit each claimed entity to one unit, so they add up to this.
    pub total: UnitProgress,
    pub ranking_rule: String,
    pub ranking: Vec<UnitRank>,
    /// Entities more than one unit counts on the date, with the unit credited.
    pub claims: Vec<Claim>,
    /// The city-wide targets no unit shares, in the measured year.
    pub city_targets: Vec<CityTargetProgress>,
    /// One per unit, in the plan's order.
    pub freshness: Vec<Freshness>,
}

/// When the city last heard from a unit.
#[derive(Clone, Debug, Serialize)]
pub struct Freshness {
    pub unit: String,
    pub sequence: Option<u64>,
    pub created_at: Option<Timestamp>,
    pub imported_at: Option<Timestamp>,
    /// No bundle, or none made in the last 30 days.
    pub silent: bool,
}

/// A unit ledger's progress on `as_of`: each indicator counted on the unit's own records.
/// Shared by `progress`, the dashboard and the unit's workbook.
pub fn unit_ledger_progress(
    plan: &Plan,
    ledger: &Ledger,
    as_of: Date,
    source: AsOfSource,
) -> Result<UnitProgress, StoreError> {
    let unit = ledger.unit();
    unit_progress(plan, unit, as_of, source, |kind, window| {
        ledger.count_distinct(Some(unit), kind, window)
    })
}

/// Builds the city report on `as_of` from the city ledger; `today` decides which units are
/// silent, `lang` the wording of the ranking rule.
pub fn city_report(
    plan: &Plan,
    lang: Lang,
    city: &Ledger,
    as_of: Date,
    source: AsOfSource,
    today: Date,
) -> Result<CityReport, StoreError> {
    let mut claimed = ClaimsByWindow::new(city);
    let mut units = Vec::with_capacity(plan.units.len());
    for unit in &plan.units {
        units.push(unit_progress(
            plan,
            &unit.code,
            as_of,
            source,
            |kind, window| {
                let own = city.count_distinct(Some(&unit.code), kind, window)?;
                Ok::<u64, StoreError>(
                    own.saturating_sub(lost_by(&unit.code, claimed.on(kind, window)?)),
                )
            },
        )?);
    }
    let total = city_total(plan, city, as_of, source)?;
    let ranking = rank_units(&plan.ranking, &units);
    let measured_on = as_of.min(plan.end);
    let mut claims = Vec::new();
    for indicator in &plan.indicators {
        let window = count_window(indicator.rule, plan.start, plan.end, measured_on);
        claims.extend_from_slice(claimed.on(indicator.kind, window)?);
    }
    let mut freshness = Vec::with_capacity(plan.units.len());
    for unit in &plan.units {
        let last = city.last_import(&unit.code)?;
        let silent = match &last {
            None => true,
            Some(entry) => {
                let made = clock::date_of(entry.created_at);
                made.until(today).map(|s| s.get_days()).unwrap_or(0) as i64 > SILENT_AFTER_DAYS
            }
        };
        freshness.push(Freshness {
            unit: unit.code.clone(),
            sequence: last.as_ref().map(|e| e.sequence),
            created_at: last.as_ref().map(|e| e.created_at),
            imported_at: last.as_ref().map(|e| e.imported_at),
            silent,
        });
    }
    Ok(CityReport {
        as_of,
        as_of_source: source,
        plan_over: total.plan_over,
        units,
        total,
        ranking_rule: messages::ranking_rule(lang, &plan.ranking),
        ranking,
        claims,
        city_targets: city_targets(plan, city, measured_on)?,
        freshness,
    })
}

/// The city as a whole on `as_of`, each entity counted once however many units claim it
/// (the total row of [`CityReport`]; the workbook's milestone charts ask for it at each
/// year end).
pub fn city_total(
    plan: &Plan,
    city: &Ledger,
    as_of: Date,
    source: AsOfSource,
) -> Result<UnitProgress, StoreError> {
    city_total_progress(plan, as_of, source, |kind, window| {
        city.count_distinct(None, kind, window)
    })
}

/// The entities claimed by more than one unit in each counting window asked about, each
/// window read from the ledger once.
struct ClaimsByWindow<'a> {
    city: &'a Ledger,
    read: Vec<(RecordKind, CountWindow, Vec<Claim>)>,
}

impl<'a> ClaimsByWindow<'a> {
    fn new(city: &'a Ledger) -> ClaimsByWindow<'a> {
        ClaimsByWindow {
            city,
            read: Vec::new(),
        }
    }

    fn on(&mut self, kind: RecordKind, window: CountWindow) -> Result<&[Claim], StoreError> {
        let at = match self
            .read
            .iter()
            .position(|(k, w, _)| *k == kind && *w == window)
        {
            Some(at) => at,
            None => {
                let claims = self.city.claims_in_window(kind, window)?;
                self.read.push((kind, window, claims));
                self.read.len() - 1
            }
        };
        Ok(&self.read[at].2)
    }
}

/// The city-wide targets in `measured_on`'s year: the ledger's contract turnover from the
/// year's first day to `measured_on`, the city office's entered figures for the rest.
fn city_targets(
    plan: &Plan,
    city: &Ledger,
    measured_on: Date,
) -> Result<Vec<CityTargetProgress>, StoreError> {
    let entered = city.city_figures()?;
    let year = measured_on.year();
    let turnover = city.contract_turnover(measured_on.first_of_year(), measured_on)?;
    Ok(city_target_progress(
        &plan.city_targets,
        year,
        |key, y| {
            entered
                .iter()
                .find(|f| f.key == key && f.year == y)
                .map(|f| f.value)
        },
        |_| turnover,
    ))
}
