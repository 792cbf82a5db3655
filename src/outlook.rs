//! What lies ahead for a unit and its firms, built from the ledger through its methods: the
//! worklist (待办) with what each lapse costs the unit's figures, counted by the same rules
//! and kept counts as `progress`, and one firm's path with the awards its records earned;
//! and the city office's worklist, with the bundles it refused that still need attention.
//! Shared by `due`, `firm` and the clerk's screen.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::domain::awards::AwardLine;
use crate::domain::counting::CountingBasis;
use crate::domain::credit_code;
use crate::domain::firm::{FirmPath, firm_path};
use crate::domain::pool::{PoolEntry, PoolStage};
use crate::domain::progress::{AsOfSource, count_window, unit_expected};
use crate::domain::refusal::RefusalReason;
use crate::domain::trend::{Trend, TrendPoint, month_ends};
use crate::domain::worklist::{
    Lapse, NotRegistered, Renewal, kinds_with_rule, lapses, lapsing_key_dates, not_registered,
};
use crate::domain::{RecordKind, credit_code::normalize};
use crate::i18n::{Lang, Localized};
use crate::plan::Plan;
use crate::store::{
    AwardQuery, Ledger, LedgerRole, ListQuery, LoggedRefusal, PoolQuery, StoreError,
};

/// A certificate about to run out, with the unit's count of its kind on the day it lapses if
/// nothing is renewed (what `progress --as-of` that day says).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LapseItem {
    #[serde(flatten)]
    pub lapse: Lapse,
    pub count_then: u64,
}

/// One indicator's outlook: its count now, on the day the worklist looks to if nothing
/// changes, and with every item of the worklist renewed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IndicatorOutlook {
    pub kind: RecordKind,
    pub target: u32,
    pub now: u64,
    /// The end of the look-ahead for certificates; the end of the as-of year for yearly
    /// registrations.
    pub on: Date,
    pub then: u64,
    /// Items of the worklist for this indicator (none when the items were not read).
    pub due: Option<u64>,
    /// `then` with every one of them renewed or registered again.
    pub if_renewed: Option<u64>,
    /// Open entries of the cultivation pool at the stage that leads to this indicator: what
    /// the pool could add.
    pub in_pool: u64,
}

/// The unit's worklist on a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Worklist {
    pub unit: String,
    pub as_of: Date,
    pub as_of_source: AsOfSource,
    /// The last day looked at.
    pub until: Date,
    /// Certificates running out by `until`, earliest first.
    pub lapses: Vec<LapseItem>,
    /// Firms registered last year and not yet this year.
    pub not_registered: Vec<NotRegistered>,
    /// Open entries of the cultivation pool whose target date falls by `until` (overdue ones
    /// included), soonest first.
    pub pool_near: Vec<PoolEntry>,
    /// One per indicator with items that can lapse, in the plan's order.
    pub outlook: Vec<IndicatorOutlook>,
    /// The items were read (false: only the counts, the ledger holding too many candidates
    /// for a glance; [`worklist`] reads them).
    pub items_read: bool,
}

impl Worklist {
    /// Items in all.
    pub fn len(&self) -> usize {
        self.lapses.len() + self.not_registered.len() + self.pool_near.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The most records a glance at the worklist (the dashboard's) reads; past it the dashboard
/// shows the counts alone and the worklist page reads the items.
pub const GLANCE_MAX_RECORDS: u64 = 20_000;

/// The worklist for the dashboard: whole when the ledger holds at most
/// [`GLANCE_MAX_RECORDS`] records it could have to read, else only each indicator's count now
/// and then (the kept counts), so that a ledger of a million records still opens at once.
pub fn worklist_glance(
    plan: &Plan,
    ledger: &Ledger,
    as_of: Date,
    source: AsOfSource,
    until: Date,
) -> Result<Worklist, StoreError> {
    worklist_glance_within(plan, ledger, as_of, source, until, GLANCE_MAX_RECORDS)
}

/// [`worklist_glance`] reading the items only when at most `max_records` records could have
/// to be read.
pub fn worklist_glance_within(
    plan: &Plan,
    ledger: &Ledger,
    as_of: Date,
    source: AsOfSource,
    until: Date,
    max_records: u64,
) -> Result<Worklist, StoreError> {
    let basis = CountingBasis::of(plan);
    let mut candidates = 0;
    for kind in kinds_with_rule(&basis, Renewal::Certificate) {
        if let Some((from, to)) = lapsing_key_dates(&basis, kind, as_of, until) {
            candidates += ledger.records_dated_between(kind, from, to)?;
        }
    }
    if let Some((from, to)) = last_year(as_of) {
        for kind in kinds_with_rule(&basis, Renewal::YearlyRegistration) {
            candidates += ledger.records_dated_between(kind, from, to)?;
        }
    }
    if candidates <= max_records {
        return worklist(plan, ledger, as_of, source, until);
    }
    let unit = ledger.unit().to_owned();
    let outlook = outlook(plan, ledger, &unit, as_of, until, None)?;
    let pool_near = pool_near(ledger, &unit, as_of, until)?;
    Ok(Worklist {
        unit,
        as_of,
        as_of_source: source,
        until,
        lapses: Vec::new(),
        not_registered: Vec::new(),
        pool_near,
        outlook,
        items_read: false,
    })
}

/// The first day of the year before `as_of`'s and of `as_of`'s year.
fn last_year(as_of: Date) -> Option<(Date, Date)> {
    let from = Date::new(as_of.year().checked_sub(1)?, 1, 1).ok()?;
    let to = Date::new(as_of.year(), 1, 1).ok()?;
    Some((from, to))
}

/// The unit's count of `kind` on `day` by the plan's rule (what `progress --as-of` reads).
fn count_on(
    plan: &Plan,
    ledger: &Ledger,
    unit: &str,
    kind: RecordKind,
    day: Date,
) -> Result<u64, StoreError> {
    match plan.indicator(kind) {
        Some(i) => ledger.count_distinct(
            Some(unit),
            kind,
            count_window(i.rule, plan.start, plan.end, day),
        ),
        None => Ok(0),
    }
}

/// Each indicator that can lapse: its count now and then, and with `due` items renewed
/// (items per kind; none when they were not read).
fn outlook(
    plan: &Plan,
    ledger: &Ledger,
    unit: &str,
    as_of: Date,
    until: Date,
    due: Option<&dyn Fn(RecordKind) -> u64>,
) -> Result<Vec<IndicatorOutlook>, StoreError> {
    let pool = ledger.pool_list(&PoolQuery::open(Some(unit)))?;
    let in_pool = |kind: RecordKind| {
        pool.iter()
            .filter(|e| pool_leads_to(e.stage) == Some(kind))
            .count() as u64
    };
    let mut outlook = Vec::new();
    for indicator in &plan.indicators {
        let kind = indicator.kind;
        let on = match indicator.rule {
            crate::plan::CountingRule::ValidForYears { .. } => until,
            crate::plan::CountingRule::RegisteredInYear => {
                Date::new(as_of.year(), 12, 31).unwrap_or(as_of)
            }
            _ => continue,
        };
        let then = count_on(plan, ledger, unit, kind, on)?;
        let due = due.map(|due| due(kind));
        outlook.push(IndicatorOutlook {
            kind,
            target: plan.quota(unit, kind),
            now: count_on(plan, ledger, unit, kind, as_of)?,
            on,
            then,
            due,
            if_renewed: due.map(|due| then + due),
            in_pool: in_pool(kind),
        });
    }
    Ok(outlook)
}

/// The indicator a firm at this stage of the pool is being brought to count under.
fn pool_leads_to(stage: PoolStage) -> Option<RecordKind> {
    match stage {
        PoolStage::TechSme => Some(RecordKind::TechSme),
        PoolStage::HighTechCandidate => Some(RecordKind::HighTech),
        PoolStage::GazelleCandidate => None,
    }
}

/// The unit's open pool entries due by `until`.
fn pool_near(
    ledger: &Ledger,
    unit: &str,
    as_of: Date,
    until: Date,
) -> Result<Vec<PoolEntry>, StoreError> {
    let days = as_of.until(until).map_or(0, |span| span.get_days().max(0));
    let days = u16::try_from(days).unwrap_or(u16::MAX);
    ledger.pool_near_target(as_of, days, Some(unit))
}

/// The worklist of the unit ledger's unit on `as_of`, looking to `until`.
pub fn worklist(
    plan: &Plan,
    ledger: &Ledger,
    as_of: Date,
    source: AsOfSource,
    until: Date,
) -> Result<Worklist, StoreError> {
    let unit = ledger.unit().to_owned();
    let basis = CountingBasis::of(plan);
    let mut found_lapses = Vec::new();
    for kind in kinds_with_rule(&basis, Renewal::Certificate) {
        let Some((from, to)) = lapsing_key_dates(&basis, kind, as_of, until) else {
            continue;
        };
        let to = to.min(as_of.tomorrow().unwrap_or(Date::MAX));
        let records = ledger.entity_records_dated(&unit, kind, from, to)?;
        found_lapses.extend(lapses(&basis, &records, as_of, until));
    }
    let mut lapse_items = Vec::with_capacity(found_lapses.len());
    let mut counts_by_day: Vec<((RecordKind, Date), u64)> = Vec::new();
    for lapse in found_lapses {
        let key = (lapse.kind, lapse.lapses_on);
        let count_then = match counts_by_day.iter().find(|(k, _)| *k == key) {
            Some((_, n)) => *n,
            None => {
                let n = count_on(plan, ledger, &unit, lapse.kind, lapse.lapses_on)?;
                counts_by_day.push((key, n));
                n
            }
        };
        lapse_items.push(LapseItem { lapse, count_then });
    }
    let mut unregistered = Vec::new();
    for kind in kinds_with_rule(&basis, Renewal::YearlyRegistration) {
        let records = ledger.not_registered_again(&unit, kind, as_of.year())?;
        unregistered.extend(not_registered(&basis, &records, as_of));
    }
    let due = |kind: RecordKind| {
        let lapsing = lapse_items.iter().filter(|l| l.lapse.kind == kind).count();
        let unrenewed = unregistered.iter().filter(|n| n.kind == kind).count();
        (lapsing + unrenewed) as u64
    };
    let outlook = outlook(plan, ledger, &unit, as_of, until, Some(&due))?;
    let pool_near = pool_near(ledger, &unit, as_of, until)?;
    Ok(Worklist {
        unit,
        as_of,
        as_of_source: source,
        until,
        lapses: lapse_items,
        not_registered: unregistered,
        pool_near,
        outlook,
        items_read: true,
    })
}

/// One indicator's path for `unit` month by month from the plan's start to the later of its
/// end and `until`: the count at each month's end (the kept counts `progress` reads), the
/// unit's expectation then, and the months after `as_of` marked as ahead. At the city an
/// entity claimed by several units counts for the one credited with it, as in Annex 2.
pub fn trend(
    plan: &Plan,
    ledger: &Ledger,
    unit: &str,
    kind: RecordKind,
    as_of: Date,
    until: Date,
) -> Result<Trend, StoreError> {
    let target = plan.quota(unit, kind);
    let Some(indicator) = plan.indicator(kind) else {
        return Ok(Trend {
            unit: unit.to_owned(),
            kind,
            target,
            as_of,
            points: Vec::new(),
        });
    };
    // At the city an entity several units claim counts only for the unit credited with it,
    // as in the Annex 2 table.
    let at_city = ledger.role() == LedgerRole::City;
    let count_on = |day: Date| -> Result<u64, StoreError> {
        let window = count_window(indicator.rule, plan.start, plan.end, day);
        let own = ledger.count_distinct(Some(unit), kind, window)?;
        if !at_city {
            return Ok(own);
        }
        let claims = ledger.claims_in_window(kind, window)?;
        Ok(own.saturating_sub(crate::domain::claims::lost_by(unit, &claims)))
    };
    let baseline = match &indicator.growth {
        Some(growth) => count_on(growth.baseline_on)?,
        None => 0,
    };
    let mut points = Vec::new();
    for month_end in month_ends(plan.start, plan.end.max(until)) {
        points.push(TrendPoint {
            month_end,
            count: count_on(month_end)?,
            expected: unit_expected(plan, indicator, unit, baseline, month_end),
            ahead: month_end > as_of,
        });
    }
    Ok(Trend {
        unit: unit.to_owned(),
        kind,
        target,
        as_of,
        points,
    })
}

/// The city office's worklist on a date: units silent too long, bundles refused that still
/// need attention, and entities more than one unit counts (to settle which unit is
/// credited).
#[derive(Clone, Debug, Serialize)]
pub struct CityWorklist {
    pub as_of: Date,
    pub as_of_source: AsOfSource,
    /// Units with no bundle made in the last [`crate::report::SILENT_AFTER_DAYS`] days.
    pub silent: Vec<crate::report::Freshness>,
    /// Bundles refused in the last [`crate::report::SILENT_AFTER_DAYS`] days whose unit has
    /// had no successful import since, newest first (see [`refused_bundles`]).
    pub refused: Vec<RefusedBundle>,
    pub claims: Vec<crate::store::Claim>,
}

impl CityWorklist {
    /// What the city report of the day says is to be done, with the refused bundles still
    /// needing attention ([`refused_bundles`]).
    pub fn of(report: crate::report::CityReport, refused: Vec<RefusedBundle>) -> CityWorklist {
        CityWorklist {
            as_of: report.as_of,
            as_of_source: report.as_of_source,
            silent: report.freshness.into_iter().filter(|f| f.silent).collect(),
            refused,
            claims: report.claims,
        }
    }
}

/// A bundle the city refused at import that still needs attention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefusedBundle {
    /// When the import that refused it ran.
    pub at: Timestamp,
    /// The file's name, without its folder.
    pub file: String,
    pub file_sha256: Option<String>,
    /// The unit the file claimed to be from (not verified); `None` when it could not be
    /// read.
    pub unit: Option<String>,
    pub sequence: Option<u64>,
    /// Why, as the ledger keeps it: a stable `code` and its facts.
    pub reason: RefusalReason,
    /// Why, in the language asked for.
    pub said: String,
}

/// The most refused bundles the worklist lists.
pub const REFUSED_LISTED: usize = 200;

/// The bundles refused at the city from the start of the day
/// [`crate::report::SILENT_AFTER_DAYS`] days before `today` on whose unit no import has
/// succeeded since, newest first, their reasons said in `lang`; the same file refused again
/// for the same reason is listed once, at its latest refusal. An older refusal drops off the
/// list, but its unit then shows as silent, having sent no bundle since; a refusal whose unit
/// is not known is listed for those days only.
pub fn refused_bundles(
    ledger: &Ledger,
    lang: Lang,
    today: Date,
) -> Result<Vec<RefusedBundle>, StoreError> {
    let days = i32::try_from(crate::report::SILENT_AFTER_DAYS).unwrap_or(i32::MAX);
    let from = today
        .checked_sub(jiff::Span::new().days(days))
        .unwrap_or(Date::MIN);
    let logged = ledger.refusals(Some(crate::clock::start_of(from)), REFUSED_LISTED)?;
    let mut seen = std::collections::HashSet::new();
    Ok(logged
        .into_iter()
        .filter(LoggedRefusal::is_pending)
        .filter(|logged| {
            let r = &logged.refusal;
            match &r.file_sha256 {
                Some(sha) => seen.insert((sha.clone(), r.code.clone(), r.detail.clone())),
                None => true,
            }
        })
        .map(|logged| {
            let r = logged.refusal;
            let reason = RefusalReason::from_parts(&r.code, &r.detail);
            RefusedBundle {
                at: r.at,
                file: r.file_name,
                file_sha256: r.file_sha256,
                unit: r.unit,
                sequence: r.sequence,
                said: reason.localize(lang),
                reason,
            }
        })
        .collect())
}

/// A firm's path with the award lines its records earned (as the awards page shows them).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FirmPage {
    #[serde(flatten)]
    pub path: FirmPath,
    pub awards: Vec<AwardLine>,
}

/// The firm with this credit code: its path and awards. Its records are read by the code
/// as given after normalising (trim, full-width to half-width, upper case).
pub fn firm_page(plan: &Plan, ledger: &Ledger, credit_code: &str) -> Result<FirmPage, StoreError> {
    let code = normalize(credit_code);
    let records = ledger.firm_records(&code)?;
    let path = firm_path(&CountingBasis::of(plan), &code, records);
    let awards = if path.steps.is_empty() {
        Vec::new()
    } else {
        let ids: std::collections::HashSet<uuid::Uuid> =
            path.steps.iter().map(|s| s.record.id).collect();
        ledger
            .award_lines(plan, &AwardQuery::default())?
            .into_iter()
            .filter(|line| ids.contains(&line.key.record))
            .collect()
    };
    Ok(FirmPage { path, awards })
}

/// A firm a name search found: its credit code and the name its latest record gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FirmMatch {
    pub credit_code: String,
    pub name: String,
}

/// What a credit code or a name given for a firm names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FirmLookup {
    /// One firm: its credit code.
    Found(String),
    /// Several firms match the name: the user must say which.
    Several(Vec<FirmMatch>),
    /// Records match the name, but none carries a credit code.
    NoCode { names: Vec<String> },
    /// Nothing matches.
    NotFound,
}

/// How many records a name search reads to find the firms it names.
const NAME_SEARCH_LIMIT: usize = 500;

/// Finds the firm `given` names: a credit code (18 characters of the code's alphabet, after
/// normalising) is taken as it is; anything else is searched for in the records' names and
/// codes, and names one firm when one firm's name is exactly it or only one firm matches.
pub fn find_firm(ledger: &Ledger, given: &str) -> Result<FirmLookup, StoreError> {
    let code = normalize(given);
    if looks_like_credit_code(&code) {
        return Ok(FirmLookup::Found(code));
    }
    let page = ledger.list(&ListQuery {
        search: Some(given.to_owned()),
        limit: NAME_SEARCH_LIMIT,
        ..ListQuery::default()
    })?;
    let mut firms: Vec<FirmMatch> = Vec::new();
    let mut without_code: Vec<String> = Vec::new();
    for record in &page.records {
        let name = record
            .fields
            .get(record.kind.firm_name_field())
            .cloned()
            .unwrap_or_default();
        match record.fields.get(record.kind.credit_code_field()) {
            Some(code) if !code.is_empty() => {
                if !firms.iter().any(|f| f.credit_code == *code) {
                    firms.push(FirmMatch {
                        credit_code: code.clone(),
                        name,
                    });
                }
            }
            _ => {
                if !without_code.contains(&name) {
                    without_code.push(name);
                }
            }
        }
    }
    let wanted = given.trim();
    let exact: Vec<&FirmMatch> = firms.iter().filter(|f| f.name == wanted).collect();
    Ok(match (exact.as_slice(), firms.len()) {
        ([one], _) => FirmLookup::Found(one.credit_code.clone()),
        (_, 1) => FirmLookup::Found(firms[0].credit_code.clone()),
        (_, 0) if without_code.is_empty() => FirmLookup::NotFound,
        (_, 0) => FirmLookup::NoCode {
            names: without_code,
        },
        _ => {
            firms.sort_by(|a, b| (&a.name, &a.credit_code).cmp(&(&b.name, &b.credit_code)));
            FirmLookup::Several(firms)
        }
    })
}

/// Eighteen characters of the credit code's alphabet: a code, whether or not its check
/// character is right.
fn looks_like_credit_code(text: &str) -> bool {
    text.chars().count() == 18 && text.chars().all(|c| credit_code::ALPHABET.contains(c))
}
