//! Entities claimed by more than one unit on the same date, and the rule that credits each
//! to exactly one of them, so that the units' figures add up to the city total.
//!
//! An entity is claimed when two or more units count it (the same kind and counting key —
//! the firm's credit code, an institution's normalised name, an achievement's title and
//! recipient) on the same date. The city counts it once, and credits it to:
//! 1. the unit whose GB/T 2260 code the entity's credit code carries at positions 3–8 (the
//!    firm is registered there);
//! 2. failing that, the unit whose record of it starts earliest (recognition, certification,
//!    registration, establishment or transfer date), then the one entered first;
//! 3. then the unit code, so the rule never depends on the order bundles arrived in.
//!
//! The other claimants keep their records but do not count the entity on that date.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use super::RecordKind;

/// One unit's record of a claimed entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClaimedBy {
    pub unit: String,
    pub id: Uuid,
    pub name: String,
    pub credit_code: Option<String>,
    pub key_date: Date,
    pub created_at: Timestamp,
    /// The unit this record belongs to is the one credited with the entity.
    pub credited: bool,
}

/// An entity counted by more than one unit on the measuring date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Claim {
    pub kind: RecordKind,
    /// What makes the records one entity (the counting key).
    pub entity: String,
    /// The entity's credit code, when any record carries one.
    pub credit_code: Option<String>,
    /// Every claiming record, by unit then id.
    pub claims: Vec<ClaimedBy>,
}

impl Claim {
    /// Groups records of one entity (same kind and counting key, at least two units) and
    /// marks the credited unit's records.
    pub fn new(kind: RecordKind, entity: String, mut claims: Vec<ClaimedBy>) -> Claim {
        claims.sort_by(|a, b| a.unit.cmp(&b.unit).then(a.id.cmp(&b.id)));
        let credit_code = claims.iter().find_map(|c| c.credit_code.clone());
        let winner = credited_unit(credit_code.as_deref(), &claims).map(str::to_owned);
        for claim in &mut claims {
            claim.credited = winner.as_deref() == Some(claim.unit.as_str());
        }
        Claim {
            kind,
            entity,
            credit_code,
            claims,
        }
    }

    /// The unit credited with the entity.
    pub fn credited_unit(&self) -> Option<&str> {
        self.claims
            .iter()
            .find(|c| c.credited)
            .map(|c| c.unit.as_str())
    }

    /// Whether `unit` counts the entity in its own ledger but is not credited with it.
    pub fn is_lost_by(&self, unit: &str) -> bool {
        self.credited_unit() != Some(unit) && self.claims.iter().any(|c| c.unit == unit)
    }
}

/// The GB/T 2260 region a credit code carries (positions 3–8), if it has 18 characters.
fn region_of(credit_code: &str) -> Option<&str> {
    (credit_code.len() == 18 && credit_code.is_ascii()).then(|| &credit_code[2..8])
}

/// The unit credited with an entity, by the rule in this module's documentation.
fn credited_unit<'a>(credit_code: Option<&str>, claims: &'a [ClaimedBy]) -> Option<&'a str> {
    if let Some(region) = credit_code.and_then(region_of)
        && let Some(home) = claims.iter().find(|c| c.unit == region)
    {
        return Some(home.unit.as_str());
    }
    claims
        .iter()
        .min_by(|a, b| {
            a.key_date
                .cmp(&b.key_date)
                .then(a.created_at.cmp(&b.created_at))
                .then(a.unit.cmp(&b.unit))
        })
        .map(|c| c.unit.as_str())
}

/// How many of `claims` `unit` counts in its own ledger but is not credited with: what its
/// figure at the city loses so that the units add up to the city total.
pub fn lost_by(unit: &str, claims: &[Claim]) -> u64 {
    claims.iter().filter(|c| c.is_lost_by(unit)).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn by(unit: &str, code: Option<&str>, key_date: Date, created: i64) -> ClaimedBy {
        ClaimedBy {
            unit: unit.into(),
            id: Uuid::from_u128(created as u128),
            name: "某公司".into(),
            credit_code: code.map(str::to_owned),
            key_date,
            created_at: Timestamp::from_second(created).unwrap(),
            credited: false,
        }
    }

    #[test]
    fn the_unit_the_credit_code_names_is_credited_even_if_later() {
        let claim = Claim::new(
            RecordKind::HighTech,
            "91230523MA1B2C3D4B".into(),
            vec![
                by("230521", Some("91230523MA1B2C3D4B"), date(2021, 1, 1), 1),
                by("230523", Some("91230523MA1B2C3D4B"), date(2022, 1, 1), 2),
            ],
        );
        assert_eq!(claim.credited_unit(), Some("230523"));
        assert!(claim.is_lost_by("230521"));
        assert!(!claim.is_lost_by("230523"));
        assert!(!claim.is_lost_by("230502"), "not a claimant");
    }

    #[test]
    fn otherwise_the_earlier_record_then_the_first_entered_then_the_unit_code() {
        let earlier = Claim::new(
            RecordKind::Incubator,
            "孵化器".into(),
            vec![
                by("230502", None, date(2022, 5, 1), 1),
                by("230503", None, date(2022, 4, 30), 2),
            ],
        );
        assert_eq!(earlier.credited_unit(), Some("230503"));
        let entered_first = Claim::new(
            RecordKind::Incubator,
            "孵化器".into(),
            vec![
                by("230503", None, date(2022, 5, 1), 9),
                by("230502", None, date(2022, 5, 1), 3),
            ],
        );
        assert_eq!(entered_first.credited_unit(), Some("230502"));
        let by_code = Claim::new(
            RecordKind::Incubator,
            "孵化器".into(),
            vec![
                by("jkq", None, date(2022, 5, 1), 3),
                by("230506", None, date(2022, 5, 1), 3),
            ],
        );
        assert_eq!(by_code.credited_unit(), Some("230506"));
    }

    #[test]
    fn a_credit_code_of_no_claimant_region_falls_back_to_the_earlier_record() {
        let claim = Claim::new(
            RecordKind::TechSme,
            "91230500MA1B2C3D4B".into(),
            vec![
                by("230522", Some("91230500MA1B2C3D4B"), date(2023, 3, 1), 1),
                by("230521", Some("91230500MA1B2C3D4B"), date(2023, 2, 1), 2),
            ],
        );
        assert_eq!(claim.credited_unit(), Some("230521"));
        assert_eq!(lost_by("230522", std::slice::from_ref(&claim)), 1);
        assert_eq!(lost_by("230521", &[claim]), 0);
    }

    #[test]
    fn only_a_whole_credit_code_names_a_region() {
        // Eight characters carry a region only in appearance: the earlier record wins.
        let claim = Claim::new(
            RecordKind::Incubator,
            "孵化器".into(),
            vec![
                by("230521", Some("91230523"), date(2022, 1, 1), 1),
                by("230523", Some("91230523"), date(2022, 2, 1), 2),
            ],
        );
        assert_eq!(claim.credited_unit(), Some("230521"));
    }

    #[test]
    fn exactly_one_unit_is_credited() {
        let claim = Claim::new(
            RecordKind::Alliance,
            "联盟".into(),
            vec![
                by("230521", None, date(2021, 1, 1), 1),
                by("230521", None, date(2021, 2, 1), 2),
                by("230522", None, date(2021, 3, 1), 3),
                by("230523", None, date(2021, 4, 1), 4),
            ],
        );
        let credited: Vec<&str> = claim
            .claims
            .iter()
            .filter(|c| c.credited)
            .map(|c| c.unit.as_str())
            .collect();
        assert_eq!(credited, ["230521", "230521"]);
        assert_eq!(lost_by("230522", std::slice::from_ref(&claim)), 1);
        assert_eq!(lost_by("230523", &[claim]), 1);
    }
}
