//! Awards and subsidies (奖补资金): the plan's award rules applied to records — who is owed
//! what under which rule, charged to which fiscal level — and how each entitlement stands
//! against what was approved and paid.
//!
//! A rule's key names the condition checked here; its amounts come from the plan file. Only
//! what happened inside the plan period earns anything under the plan.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use super::kind::{RecordKind, SUPERSEDES, TAX_LEVEL};
use super::record::FieldValues;
use crate::plan::AwardRule;

/// Amounts are kept in fen (分, 1/100 yuan) so that shares and sums are exact.
pub type Fen = u64;

/// Fen in one yuan.
pub const FEN_PER_YUAN: u64 = 100;

/// The rule keys this program knows how to apply, by kind. A plan rule with another key is
/// listed by `awards` as not applied.
pub const TECH_SME_SUBSIDY: &str = "tech_sme_subsidy";
pub const HIGH_TECH_FIRST_ABOVE: &str = "high_tech_first_above_size";
pub const HIGH_TECH_FIRST_BELOW: &str = "high_tech_first_below_size";
pub const HIGH_TECH_RENEWAL_ABOVE: &str = "high_tech_renewal_above_size";
pub const HIGH_TECH_RENEWAL_BELOW: &str = "high_tech_renewal_below_size";
pub const RND_NEW_NATIONAL: &str = "rnd_new_national_or_provincial_new_type";
pub const RND_NEW_PROVINCIAL: &str = "rnd_new_provincial";
pub const RND_NEW_CITY: &str = "rnd_new_city";
pub const RND_UP_TO_NATIONAL: &str = "rnd_upgrade_provincial_to_national";
pub const RND_UP_TO_PROVINCIAL: &str = "rnd_upgrade_city_to_provincial";
pub const INCUBATOR_NATIONAL: &str = "incubator_new_national";
pub const MAKER_SPACE_NATIONAL: &str = "maker_space_new_national";
pub const INCUBATOR_PROVINCIAL_MATCH: &str = "incubator_provincial_match";
pub const INCUBATOR_CITY: &str = "incubator_city_recognised";
pub const ALLIANCE_PROVINCIAL: &str = "alliance_provincial_or_higher";
pub const ALLIANCE_CITY: &str = "alliance_city";
pub const ALLIANCE_NATIONAL_LEAD: &str = "alliance_national_lead";
pub const CONTRACT_SUBSIDY: &str = "technology_contract_post_subsidy";

pub const KNOWN_RULES: [&str; 18] = [
    TECH_SME_SUBSIDY,
    HIGH_TECH_FIRST_ABOVE,
    HIGH_TECH_FIRST_BELOW,
    HIGH_TECH_RENEWAL_ABOVE,
    HIGH_TECH_RENEWAL_BELOW,
    RND_NEW_NATIONAL,
    RND_NEW_PROVINCIAL,
    RND_NEW_CITY,
    RND_UP_TO_NATIONAL,
    RND_UP_TO_PROVINCIAL,
    INCUBATOR_NATIONAL,
    MAKER_SPACE_NATIONAL,
    INCUBATOR_PROVINCIAL_MATCH,
    INCUBATOR_CITY,
    ALLIANCE_PROVINCIAL,
    ALLIANCE_CITY,
    ALLIANCE_NATIONAL_LEAD,
    CONTRACT_SUBSIDY,
];

/// The plan's rules this program does not know how to apply (a next plan's new rule): they
/// earn nothing here and must be worked out by hand.
pub fn unapplied_rules(rules: &[AwardRule]) -> Vec<&AwardRule> {
    rules
        .iter()
        .filter(|r| !KNOWN_RULES.contains(&r.key.as_str()))
        .collect()
}

/// Which budget pays an award: the level at which the firm pays its taxes
/// (按企业税收入库级次的同级财政负担).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FiscalLevel {
    /// The county or district (the unit's own budget).
    County,
    /// The city.
    City,
}

impl FiscalLevel {
    pub fn key(self) -> &'static str {
        match self {
            FiscalLevel::County => "county",
            FiscalLevel::City => "city",
        }
    }

    pub fn from_key(key: &str) -> Option<FiscalLevel> {
        match key {
            "county" => Some(FiscalLevel::County),
            "city" => Some(FiscalLevel::City),
            _ => None,
        }
    }
}

/// What the award rules read of one record.
#[derive(Clone, Debug, PartialEq)]
pub struct AwardSubject {
    pub id: Uuid,
    pub unit: String,
    pub kind: RecordKind,
    /// Voided records earn nothing; they are passed so that a payment made before the void
    /// can be named.
    pub active: bool,
    /// The date the record counts from (registration, certification, recognition …).
    pub key_date: Date,
    /// The first day it no longer counts (its revocation).
    pub end_date: Option<Date>,
    pub fields: FieldValues,
}

impl AwardSubject {
    fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The entity's name (the institution, the alliance, the achievement …).
    pub fn entity(&self) -> &str {
        self.field(self.kind.name_field()).unwrap_or("")
    }

    /// The firm or organisation the award goes to: the firm itself, the host of an R&D
    /// institution, an incubator's operator, an alliance's lead unit, an achievement's
    /// recipient.
    pub fn beneficiary(&self) -> &str {
        let field = match self.kind {
            RecordKind::TechSme | RecordKind::HighTech => "name",
            RecordKind::RndInstitution => "host",
            RecordKind::Incubator => "operator",
            RecordKind::Alliance => "lead",
            RecordKind::Achievement => "recipient",
        };
        self.field(field).unwrap_or("")
    }

    /// The beneficiary's credit code, when the record has it.
    pub fn credit_code(&self) -> Option<&str> {
        self.field(self.kind.credit_code_field())
    }

    /// One firm across records: its credit code, else its name.
    fn firm_key(&self) -> String {
        match self.credit_code() {
            Some(code) => format!("code:{code}"),
            None => format!("name:{}", self.beneficiary()),
        }
    }

    pub fn fiscal_level(&self) -> Option<FiscalLevel> {
        self.field(TAX_LEVEL).and_then(FiscalLevel::from_key)
    }

    /// Whether it counted on its own key date (a revocation on that very day means never).
    fn counted_at_start(&self) -> bool {
        self.end_date.is_none_or(|end| end > self.key_date)
    }

    fn amount_fen(&self, key: &str) -> Option<Result<Fen, String>> {
        let text = self.field(key)?;
        Some(parse_fen(text).ok_or_else(|| text.to_owned()))
    }
}

/// `1234.5` (a stored amount: digits, at most two decimals) → 123450 fen.
pub fn parse_fen(text: &str) -> Option<Fen> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if int.is_empty()
        || frac.len() > 2
        || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let int: u64 = int.parse().ok()?;
    let frac: u64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    int.checked_mul(FEN_PER_YUAN)?.checked_add(frac)
}

/// Which entitlement: the record that earned it, the rule, and the year it is for.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntitlementKey {
    pub record: Uuid,
    pub rule: String,
    pub year: i16,
}

/// How much an entitlement comes to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "due", rename_all = "snake_case")]
pub enum Due {
    /// A settled amount.
    Amount { fen: Fen },
    /// The rule takes its amount from a field the record does not have yet.
    AwaitingInput { field: &'static str },
    /// The field's amount is outside the range the plan allows (the city's choice within
    /// 20–50万元), or not an amount.
    OutOfRange {
        field: &'static str,
        value: String,
        min_fen: Fen,
        max_fen: Fen,
    },
}

impl Due {
    pub fn fen(&self) -> Option<Fen> {
        match self {
            Due::Amount { fen } => Some(*fen),
            _ => None,
        }
    }
}

/// How the amount was arrived at, when it is not simply the rule's fixed amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum Working {
    /// A share of an amount the record carries, before any cap.
    Share { base_fen: Fen, percent: u32 },
    /// A share cut to what is left of a cap (per firm and year for contracts).
    Capped {
        base_fen: Fen,
        percent: u32,
        uncapped_fen: Fen,
        cap_fen: Fen,
    },
    /// An upgrade paid the difference over what the earlier recognition earned.
    TopUp { full_fen: Fen, earlier_fen: Fen },
    /// The amount the city chose within the plan's range.
    Chosen,
}

/// What a record is owed under one rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entitlement {
    pub key: EntitlementKey,
    pub unit: String,
    pub kind: RecordKind,
    /// The entity whose record earned it.
    pub entity: String,
    /// The firm the money goes to.
    pub beneficiary: String,
    pub credit_code: Option<String>,
    /// The date that earned it (the record's key date).
    pub basis_date: Date,
    pub due: Due,
    pub working: Option<Working>,
    /// `None` until the record says where the firm pays its taxes.
    pub level: Option<FiscalLevel>,
}

/// What a paying level did about an entitlement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardAction {
    Approve,
    Pay,
}

impl AwardAction {
    pub fn key(self) -> &'static str {
        match self {
            AwardAction::Approve => "approve",
            AwardAction::Pay => "pay",
        }
    }

    pub fn from_key(key: &str) -> Option<AwardAction> {
        match key {
            "approve" => Some(AwardAction::Approve),
            "pay" => Some(AwardAction::Pay),
            _ => None,
        }
    }
}

/// An approval or a payment, recorded by the ledger of the level that pays; never changed
/// or deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AwardEvent {
    pub key: EntitlementKey,
    /// The unit whose record earned it.
    pub unit: String,
    pub level: FiscalLevel,
    pub action: AwardAction,
    /// The amount approved or paid.
    pub fen: Fen,
    /// The day of the approval or the payment.
    pub on: Date,
    /// The payment voucher's number (payments only).
    pub voucher: Option<String>,
    /// The code of the ledger that recorded it (a unit's, or the city's).
    pub recorded_by: String,
    pub actor: String,
    pub at: Timestamp,
}

/// Where an entitlement stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardStatus {
    /// Its amount waits for a figure the record does not have.
    AwaitingInput,
    /// The record's figure is outside the rule's range.
    OutOfRange,
    /// The record does not say at which level the firm pays its taxes.
    NoFiscalLevel,
    /// Owed, not yet approved.
    Entitled,
    /// Approved, not yet paid.
    Approved,
    /// Paid the amount owed.
    Paid,
    /// Paid, but the amount owed has since changed (see the line's difference).
    PaidDiffers,
    /// Paid more than once (by two ledgers).
    PaidTwice,
    /// Paid, but no longer owed (the record was voided or no longer qualifies): to recover.
    Recover,
    /// Approved, then no longer owed before it was paid.
    Lapsed,
}

/// One line of the awards list: an entitlement, or an approval or payment left without one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AwardLine {
    pub key: EntitlementKey,
    pub unit: String,
    pub kind: Option<RecordKind>,
    pub entity: String,
    pub beneficiary: String,
    pub basis_date: Option<Date>,
    /// `None` for a payment or approval whose entitlement is gone.
    pub entitlement: Option<Entitlement>,
    /// The fiscal level: the entitlement's, else the payment's.
    pub level: Option<FiscalLevel>,
    pub approved: Option<AwardEvent>,
    pub payments: Vec<AwardEvent>,
    pub status: AwardStatus,
    /// Owed now minus paid, in fen: positive still to pay, negative to recover. Zero when
    /// nothing was paid.
    pub balance_fen: i64,
}

impl AwardLine {
    /// The amount owed now, when settled.
    pub fn owed_fen(&self) -> Option<Fen> {
        self.entitlement.as_ref().and_then(|e| e.due.fen())
    }

    pub fn paid_fen(&self) -> Fen {
        self.payments.iter().map(|p| p.fen).sum()
    }
}

/// The rules of a plan by key.
struct RuleBook<'a> {
    rules: HashMap<&'a str, &'a AwardRule>,
}

impl<'a> RuleBook<'a> {
    fn new(rules: &'a [AwardRule]) -> RuleBook<'a> {
        RuleBook {
            rules: rules.iter().map(|r| (r.key.as_str(), r)).collect(),
        }
    }

    fn get(&self, key: &str) -> Option<&'a AwardRule> {
        self.rules.get(key).copied()
    }
}

fn yuan(value: u64) -> Fen {
    value.saturating_mul(FEN_PER_YUAN)
}

/// `base × percent / 100`, rounded half up to the fen.
pub fn share_of(base: Fen, percent: u32) -> Fen {
    let product = u128::from(base) * u128::from(percent);
    u64::try_from((product + 50) / 100).unwrap_or(u64::MAX)
}

fn level_rank(level: &str) -> Option<u8> {
    match level {
        "city" => Some(1),
        "provincial" => Some(2),
        "national" => Some(3),
        _ => None,
    }
}

/// Everything the records are owed under the plan's rules: only records active, counted on
/// their own date and dated inside `[start, end]` earn anything. Sorted by unit, year, date,
/// record and rule.
pub fn entitlements(
    rules: &[AwardRule],
    start: Date,
    end: Date,
    subjects: &[AwardSubject],
) -> Vec<Entitlement> {
    let book = RuleBook::new(rules);
    let by_id: HashMap<Uuid, &AwardSubject> = subjects.iter().map(|s| (s.id, s)).collect();
    let mut earning: Vec<&AwardSubject> = subjects
        .iter()
        .filter(|s| s.active && s.key_date >= start && s.key_date <= end)
        .collect();
    earning.sort_by(|a, b| (&a.unit, a.key_date, a.id).cmp(&(&b.unit, b.key_date, b.id)));

    let mut out = Vec::new();
    let mut sme_years: BTreeSet<(String, String, i16)> = BTreeSet::new();
    let mut contract_used: HashMap<(String, String, i16), Fen> = HashMap::new();
    for subject in earning {
        let mut earn = |rule: &AwardRule, due: Due, working: Option<Working>| {
            out.push(Entitlement {
                key: EntitlementKey {
                    record: subject.id,
                    rule: rule.key.clone(),
                    year: subject.key_date.year(),
                },
                unit: subject.unit.clone(),
                kind: subject.kind,
                entity: subject.entity().to_owned(),
                beneficiary: subject.beneficiary().to_owned(),
                credit_code: subject.credit_code().map(str::to_owned),
                basis_date: subject.key_date,
                due,
                working,
                level: subject.fiscal_level(),
            });
        };
        match subject.kind {
            RecordKind::TechSme => {
                // 1万元 for each year the firm is in the library: a registration that still
                // stands at the end of its year, once per firm and year.
                let year_end = subject.key_date.last_of_year();
                let stands = subject.end_date.is_none_or(|e| e > year_end);
                let firm_year = (
                    subject.unit.clone(),
                    subject.firm_key(),
                    subject.key_date.year(),
                );
                if let Some(rule) = book.get(TECH_SME_SUBSIDY)
                    && stands
                    && sme_years.insert(firm_year)
                {
                    earn(rule, fixed(rule), None);
                }
            }
            _ if !subject.counted_at_start() => {}
            RecordKind::HighTech => {
                let renewal = subject.field("recognition") == Some("renewal");
                let above = subject.field("size") == Some("above");
                let key = match (renewal, above) {
                    (false, true) => HIGH_TECH_FIRST_ABOVE,
                    (false, false) => HIGH_TECH_FIRST_BELOW,
                    (true, true) => HIGH_TECH_RENEWAL_ABOVE,
                    (true, false) => HIGH_TECH_RENEWAL_BELOW,
                };
                if let Some(rule) = book.get(key) {
                    earn(rule, fixed(rule), None);
                }
            }
            RecordKind::RndInstitution => {
                for (key, due, working) in rnd_awards(&book, subject, &by_id) {
                    if let Some(rule) = book.get(key) {
                        earn(rule, due, working);
                    }
                }
            }
            RecordKind::Incubator => {
                for (rule, due, working) in incubator_awards(&book, subject, &by_id, start, end) {
                    earn(rule, due, working);
                }
            }
            RecordKind::Alliance => {
                let level = subject.field("level").unwrap_or("");
                let founder = if level == "city" {
                    book.get(ALLIANCE_CITY)
                } else {
                    book.get(ALLIANCE_PROVINCIAL)
                };
                if let Some(rule) = founder {
                    earn(rule, fixed(rule), None);
                }
                if level == "national"
                    && let Some(rule) = book.get(ALLIANCE_NATIONAL_LEAD)
                {
                    let (due, working) = matched(rule, subject, "provincial_support_yuan");
                    earn(rule, due, working);
                }
            }
            RecordKind::Achievement => {
                let Some(rule) = book.get(CONTRACT_SUBSIDY) else {
                    continue;
                };
                if subject.field("contract_no").is_none() {
                    continue;
                }
                let (due, working) = match subject.amount_fen("amount_yuan") {
                    None => (
                        Due::AwaitingInput {
                            field: "amount_yuan",
                        },
                        None,
                    ),
                    Some(Err(value)) => (out_of_range(rule, "amount_yuan", value), None),
                    Some(Ok(base)) => {
                        let percent = rule.share_percent.unwrap_or(100);
                        let full = share_of(base, percent);
                        match rule.cap_yuan.map(yuan) {
                            None => (
                                Due::Amount { fen: full },
                                Some(Working::Share {
                                    base_fen: base,
                                    percent,
                                }),
                            ),
                            Some(cap) => {
                                let firm_year = (
                                    subject.unit.clone(),
                                    subject.firm_key(),
                                    subject.key_date.year(),
                                );
                                let used = contract_used.entry(firm_year).or_insert(0);
                                let left = cap.saturating_sub(*used);
                                let fen = full.min(left);
                                *used += fen;
                                let working = if fen < full {
                                    Working::Capped {
                                        base_fen: base,
                                        percent,
                                        uncapped_fen: full,
                                        cap_fen: cap,
                                    }
                                } else {
                                    Working::Share {
                                        base_fen: base,
                                        percent,
                                    }
                                };
                                (Due::Amount { fen }, Some(working))
                            }
                        }
                    }
                };
                earn(rule, due, working);
            }
        }
    }
    out.sort_by(|a, b| {
        (&a.unit, a.key.year, a.basis_date, a.key.record, &a.key.rule).cmp(&(
            &b.unit,
            b.key.year,
            b.basis_date,
            b.key.record,
            &b.key.rule,
        ))
    });
    out
}

fn fixed(rule: &AwardRule) -> Due {
    Due::Amount {
        fen: yuan(rule.amount_yuan),
    }
}

fn out_of_range(rule: &AwardRule, field: &'static str, value: String) -> Due {
    Due::OutOfRange {
        field,
        value,
        min_fen: yuan(rule.amount_yuan),
        max_fen: yuan(rule.cap_yuan.unwrap_or(rule.amount_yuan)),
    }
}

/// A share (1:1 by default) of an amount the record carries, cut to the rule's cap.
fn matched(
    rule: &AwardRule,
    subject: &AwardSubject,
    field: &'static str,
) -> (Due, Option<Working>) {
    let base = match subject.amount_fen(field) {
        None => return (Due::AwaitingInput { field }, None),
        Some(Err(value)) => return (out_of_range(rule, field, value), None),
        Some(Ok(base)) => base,
    };
    let percent = rule.share_percent.unwrap_or(100);
    let full = share_of(base, percent);
    match rule.cap_yuan.map(yuan) {
        Some(cap) if full > cap => (
            Due::Amount { fen: cap },
            Some(Working::Capped {
                base_fen: base,
                percent,
                uncapped_fen: full,
                cap_fen: cap,
            }),
        ),
        _ => (
            Due::Amount { fen: full },
            Some(Working::Share {
                base_fen: base,
                percent,
            }),
        ),
    }
}

/// The level an upgrade started from: `upgraded_from`, else the level of the record it
/// supersedes.
fn upgraded_from<'a>(
    subject: &'a AwardSubject,
    by_id: &HashMap<Uuid, &'a AwardSubject>,
) -> Option<&'a str> {
    subject.field("upgraded_from").or_else(|| {
        let earlier = subject.field(SUPERSEDES)?.parse::<Uuid>().ok()?;
        by_id.get(&earlier)?.field("level")
    })
}

/// R&D institutions: a new recognition by level, or an upgrade's top-ups only (city →
/// provincial +40万, provincial → national +50万; city → national both).
fn rnd_awards(
    book: &RuleBook<'_>,
    subject: &AwardSubject,
    by_id: &HashMap<Uuid, &AwardSubject>,
) -> Vec<(&'static str, Due, Option<Working>)> {
    let level = subject.field("level").unwrap_or("");
    let Some(rank) = level_rank(level) else {
        return Vec::new();
    };
    let fixed_of = |key: &'static str| book.get(key).map(|rule| (key, fixed(rule), None));
    match upgraded_from(subject, by_id).and_then(level_rank) {
        Some(from) => {
            let mut steps = Vec::new();
            if from < 2 && rank >= 2 {
                steps.extend(fixed_of(RND_UP_TO_PROVINCIAL));
            }
            if from < 3 && rank >= 3 {
                steps.extend(fixed_of(RND_UP_TO_NATIONAL));
            }
            steps
        }
        None => {
            let new_type = subject.field("new_type") == Some("true");
            let key = match level {
                "national" => RND_NEW_NATIONAL,
                "provincial" if new_type => RND_NEW_NATIONAL,
                "provincial" => RND_NEW_PROVINCIAL,
                _ => RND_NEW_CITY,
            };
            fixed_of(key).into_iter().collect()
        }
    }
}

/// Incubators and maker spaces: the national one-off grants, the city's grant within its
/// range, the 1:1 match of a provincial post-subsidy. An upgrade (a record superseding an
/// earlier one) earns its one-off grant less what the earlier recognition earned in the
/// plan period.
fn incubator_awards<'a>(
    book: &RuleBook<'a>,
    subject: &AwardSubject,
    by_id: &HashMap<Uuid, &AwardSubject>,
    start: Date,
    end: Date,
) -> Vec<(&'a AwardRule, Due, Option<Working>)> {
    let mut out = Vec::new();
    if let Some((rule, due, working)) = incubator_one_off(book, subject) {
        let earlier = subject
            .field(SUPERSEDES)
            .and_then(|id| id.parse::<Uuid>().ok())
            .and_then(|id| by_id.get(&id))
            .filter(|e| e.key_date >= start && e.key_date <= end && e.counted_at_start())
            .and_then(|e| incubator_one_off(book, e))
            .and_then(|(_, due, _)| due.fen());
        match (due, earlier) {
            (Due::Amount { fen }, Some(earlier_fen)) => out.push((
                rule,
                Due::Amount {
                    fen: fen.saturating_sub(earlier_fen),
                },
                Some(Working::TopUp {
                    full_fen: fen,
                    earlier_fen,
                }),
            )),
            (due, _) => out.push((rule, due, working)),
        }
    }
    let carrier = matches!(subject.field("type"), Some("incubator" | "maker_space"));
    if carrier
        && subject.field("provincial_subsidy_yuan").is_some()
        && let Some(rule) = book.get(INCUBATOR_PROVINCIAL_MATCH)
    {
        let (due, working) = matched(rule, subject, "provincial_subsidy_yuan");
        out.push((rule, due, working));
    }
    out
}

/// The one-off grant an incubator's recognition earns, before any top-up.
fn incubator_one_off<'a>(
    book: &RuleBook<'a>,
    subject: &AwardSubject,
) -> Option<(&'a AwardRule, Due, Option<Working>)> {
    match (subject.field("type"), subject.field("level")) {
        (Some("incubator"), Some("national")) => {
            let rule = book.get(INCUBATOR_NATIONAL)?;
            Some((rule, fixed(rule), None))
        }
        (Some("maker_space"), Some("national")) => {
            let rule = book.get(MAKER_SPACE_NATIONAL)?;
            Some((rule, fixed(rule), None))
        }
        (Some("incubator" | "maker_space"), Some("city")) => {
            let rule = book.get(INCUBATOR_CITY)?;
            let field = "city_grant_yuan";
            let due = match subject.amount_fen(field) {
                None => Due::AwaitingInput { field },
                Some(Err(value)) => out_of_range(rule, field, value),
                Some(Ok(fen)) => {
                    let min = yuan(rule.amount_yuan);
                    let max = yuan(rule.cap_yuan.unwrap_or(rule.amount_yuan));
                    if fen < min || fen > max {
                        Due::OutOfRange {
                            field,
                            value: subject.field(field).unwrap_or("").to_owned(),
                            min_fen: min,
                            max_fen: max,
                        }
                    } else {
                        Due::Amount { fen }
                    }
                }
            };
            Some((rule, due, Some(Working::Chosen)))
        }
        _ => None,
    }
}

/// The entitlements set against the approvals and payments recorded for them: one line per
/// entitlement, plus one for each approval or payment whose entitlement is gone.
pub fn award_lines(
    entitlements: Vec<Entitlement>,
    events: &[AwardEvent],
    subjects: &[AwardSubject],
) -> Vec<AwardLine> {
    let mut by_key: BTreeMap<EntitlementKey, (Option<AwardEvent>, Vec<AwardEvent>)> =
        BTreeMap::new();
    for event in events {
        let slot = by_key.entry(event.key.clone()).or_default();
        match event.action {
            AwardAction::Approve => {
                if slot.0.is_none() {
                    slot.0 = Some(event.clone());
                }
            }
            AwardAction::Pay => slot.1.push(event.clone()),
        }
    }
    let mut lines = Vec::with_capacity(entitlements.len());
    for entitlement in entitlements {
        let (approved, payments) = by_key.remove(&entitlement.key).unwrap_or_default();
        let owed = entitlement.due.fen();
        let paid: Fen = payments.iter().map(|p| p.fen).sum();
        let status = match (&entitlement.due, approved.is_some(), payments.len()) {
            (_, _, n) if n > 1 => AwardStatus::PaidTwice,
            (_, _, 1) if owed == Some(paid) => AwardStatus::Paid,
            (_, _, 1) => AwardStatus::PaidDiffers,
            (Due::AwaitingInput { .. }, _, _) => AwardStatus::AwaitingInput,
            (Due::OutOfRange { .. }, _, _) => AwardStatus::OutOfRange,
            _ if entitlement.level.is_none() => AwardStatus::NoFiscalLevel,
            (_, true, _) => AwardStatus::Approved,
            (_, false, _) => AwardStatus::Entitled,
        };
        let balance_fen = if payments.is_empty() {
            0
        } else {
            signed(owed.unwrap_or(0)) - signed(paid)
        };
        lines.push(AwardLine {
            key: entitlement.key.clone(),
            unit: entitlement.unit.clone(),
            kind: Some(entitlement.kind),
            entity: entitlement.entity.clone(),
            beneficiary: entitlement.beneficiary.clone(),
            basis_date: Some(entitlement.basis_date),
            level: entitlement
                .level
                .or_else(|| payments.first().map(|p| p.level)),
            entitlement: Some(entitlement),
            approved,
            payments,
            status,
            balance_fen,
        });
    }
    let named: HashMap<Uuid, &AwardSubject> = subjects.iter().map(|s| (s.id, s)).collect();
    for (key, (approved, payments)) in by_key {
        let Some(first) = payments.first().or(approved.as_ref()) else {
            continue;
        };
        let subject = named.get(&key.record);
        let paid: Fen = payments.iter().map(|p| p.fen).sum();
        lines.push(AwardLine {
            unit: first.unit.clone(),
            kind: subject.map(|s| s.kind),
            entity: subject.map(|s| s.entity().to_owned()).unwrap_or_default(),
            beneficiary: subject
                .map(|s| s.beneficiary().to_owned())
                .unwrap_or_default(),
            basis_date: subject.map(|s| s.key_date),
            entitlement: None,
            level: Some(first.level),
            status: if payments.is_empty() {
                AwardStatus::Lapsed
            } else {
                AwardStatus::Recover
            },
            balance_fen: -signed(paid),
            approved,
            payments,
            key,
        });
    }
    lines.sort_by(|a, b| {
        (&a.unit, a.key.year, a.basis_date, a.key.record, &a.key.rule).cmp(&(
            &b.unit,
            b.key.year,
            b.basis_date,
            b.key.record,
            &b.key.rule,
        ))
    });
    lines
}

fn signed(fen: Fen) -> i64 {
    i64::try_from(fen).unwrap_or(i64::MAX)
}

/// The sums for one year, fiscal level and unit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AwardTotals {
    pub year: i16,
    /// `None`: entitlements whose record does not say where the firm pays its taxes.
    pub level: Option<FiscalLevel>,
    pub unit: String,
    /// Entitlements with a settled amount, and what they come to.
    pub entitled: u32,
    pub entitled_fen: Fen,
    /// Of those, approved and not yet paid.
    pub approved_fen: Fen,
    /// Everything paid (including what is to be recovered).
    pub paid_fen: Fen,
    /// Owed and not yet paid: the sum of positive balances and of unpaid amounts.
    pub outstanding_fen: Fen,
    /// Paid beyond what is owed: the sum of negative balances.
    pub to_recover_fen: Fen,
    /// Entitlements still waiting for a figure (or with one out of range).
    pub awaiting: u32,
}

/// The lines summed by year, fiscal level and unit, in that order.
pub fn award_totals(lines: &[AwardLine]) -> Vec<AwardTotals> {
    sum_lines(lines, true)
}

/// The lines summed by year and fiscal level over every unit (the city's sums); `unit` is
/// empty.
pub fn award_totals_all_units(lines: &[AwardLine]) -> Vec<AwardTotals> {
    sum_lines(lines, false)
}

fn sum_lines(lines: &[AwardLine], by_unit: bool) -> Vec<AwardTotals> {
    let mut sums: BTreeMap<(i16, Option<FiscalLevel>, String), AwardTotals> = BTreeMap::new();
    for line in lines {
        let unit = if by_unit {
            line.unit.clone()
        } else {
            String::new()
        };
        let slot = sums
            .entry((line.key.year, line.level, unit.clone()))
            .or_insert_with(|| AwardTotals {
                year: line.key.year,
                level: line.level,
                unit,
                ..AwardTotals::default()
            });
        add_line(slot, line);
    }
    sums.into_values().collect()
}

/// Adds one line into a total.
pub fn add_line(total: &mut AwardTotals, line: &AwardLine) {
    if let Some(owed) = line.owed_fen() {
        total.entitled += 1;
        total.entitled_fen += owed;
        if line.status == AwardStatus::Approved {
            total.approved_fen += owed;
        }
        if line.payments.is_empty() {
            total.outstanding_fen += owed;
        }
    } else if line.entitlement.is_some() {
        total.awaiting += 1;
    }
    total.paid_fen += line.paid_fen();
    if line.balance_fen > 0 {
        total.outstanding_fen += line.balance_fen.unsigned_abs();
    } else {
        total.to_recover_fen += line.balance_fen.unsigned_abs();
    }
}

/// Why an approval or a payment is refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum AwardRefusal {
    /// No such entitlement (the record earns nothing under that rule, for that year).
    NotEntitled,
    /// The amount waits for a figure, or the figure is out of range.
    AmountNotSettled,
    /// The record does not say where the firm pays its taxes.
    NoFiscalLevel,
    /// Another level pays this one.
    OtherLevel {
        level: FiscalLevel,
    },
    AlreadyApproved {
        on: Date,
    },
    /// Payment before approval.
    NotApproved,
    AlreadyPaid {
        on: Date,
        voucher: Option<String>,
    },
    /// A payment dated before its approval.
    PaidBeforeApproval {
        approved_on: Date,
    },
}

/// Whether `level`'s ledger may record `action` on `line` now.
pub fn check_action(
    line: &AwardLine,
    action: AwardAction,
    level: FiscalLevel,
    on: Date,
) -> Result<Fen, AwardRefusal> {
    let Some(entitlement) = &line.entitlement else {
        return Err(AwardRefusal::NotEntitled);
    };
    if let Some(paid) = line.payments.first() {
        return Err(AwardRefusal::AlreadyPaid {
            on: paid.on,
            voucher: paid.voucher.clone(),
        });
    }
    let Some(fen) = entitlement.due.fen() else {
        return Err(AwardRefusal::AmountNotSettled);
    };
    let Some(payer) = entitlement.level else {
        return Err(AwardRefusal::NoFiscalLevel);
    };
    if payer != level {
        return Err(AwardRefusal::OtherLevel { level: payer });
    }
    match (action, &line.approved) {
        (AwardAction::Approve, Some(approved)) => {
            Err(AwardRefusal::AlreadyApproved { on: approved.on })
        }
        (AwardAction::Approve, None) => Ok(fen),
        (AwardAction::Pay, None) => Err(AwardRefusal::NotApproved),
        (AwardAction::Pay, Some(approved)) if on < approved.on => {
            Err(AwardRefusal::PaidBeforeApproval {
                approved_on: approved.on,
            })
        }
        (AwardAction::Pay, Some(_)) => Ok(fen),
    }
}

#[cfg(test)]
mod tests;
