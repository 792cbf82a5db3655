//! One firm's path through the plan: every active record that names it (its own tech-SME
//! registrations and high-tech certificates, the R&D institutions it hosts, incubators it
//! operates, alliances it leads, achievements it received) in date order, the days each
//! counts toward its indicator, and the days each entity counts once its records are joined.

use jiff::civil::Date;
use serde::Serialize;

use crate::domain::counting::{CountedDays, CountedRecord, CountingBasis, union};
use crate::domain::{Record, RecordKind};

/// A record as the firm page reads it, with the columns counting looks at.
#[derive(Clone, Debug, PartialEq)]
pub struct FirmRecord {
    pub record: Record,
    pub count_key: String,
    pub key_date: Date,
    pub end_date: Option<Date>,
}

/// One record on the firm's path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FirmStep {
    pub record: Record,
    pub key_date: Date,
    pub end_date: Option<Date>,
    /// The days the record counts toward its kind's indicator (none: it never counts, as
    /// an achievement transferred outside the plan period).
    pub counted: Option<CountedDays>,
}

impl FirmStep {
    /// The last day the record counts, if it stops.
    pub fn last_counted(&self) -> Option<Date> {
        self.counted
            .and_then(|c| c.until)
            .and_then(|until| until.yesterday().ok())
    }
}

/// The days one entity behind the firm counts in one unit: its records' days joined, so
/// that a renewal before the old certificate runs out leaves no gap and counts once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntityDays {
    pub unit: String,
    pub kind: RecordKind,
    /// The entity's name on its latest record.
    pub name: String,
    pub runs: Vec<CountedDays>,
}

/// A firm's whole path.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FirmPath {
    pub credit_code: String,
    /// The firm's name on its latest record.
    pub name: String,
    /// Oldest first.
    pub steps: Vec<FirmStep>,
    /// In the order of the indicators, then unit and name.
    pub entities: Vec<EntityDays>,
}

/// The path of the firm with this credit code through `records` (its active records).
pub fn firm_path(basis: &CountingBasis, credit_code: &str, records: Vec<FirmRecord>) -> FirmPath {
    let mut records = records;
    records.sort_by(|a, b| {
        (a.key_date, a.record.kind, a.record.id).cmp(&(b.key_date, b.record.kind, b.record.id))
    });
    let name = records
        .iter()
        .rev()
        .find_map(|r| r.record.fields.get(r.record.kind.firm_name_field()))
        .cloned()
        .unwrap_or_default();
    let steps: Vec<FirmStep> = records
        .iter()
        .map(|r| FirmStep {
            record: r.record.clone(),
            key_date: r.key_date,
            end_date: r.end_date,
            counted: basis.counted_days(
                r.record.kind,
                CountedRecord {
                    key_date: r.key_date,
                    end_date: r.end_date,
                },
            ),
        })
        .collect();
    let mut keyed: Vec<(&FirmRecord, &FirmStep)> = records.iter().zip(&steps).collect();
    keyed.sort_by(|(a, _), (b, _)| {
        (a.record.kind, &a.record.unit, &a.count_key, a.key_date).cmp(&(
            b.record.kind,
            &b.record.unit,
            &b.count_key,
            b.key_date,
        ))
    });
    let mut entities: Vec<EntityDays> = Vec::new();
    let mut group: Vec<(&FirmRecord, &FirmStep)> = Vec::new();
    for pair in keyed {
        if let Some((first, _)) = group.first()
            && (first.record.kind, &first.record.unit, &first.count_key)
                != (pair.0.record.kind, &pair.0.record.unit, &pair.0.count_key)
        {
            entities.push(entity_days(&group));
            group.clear();
        }
        group.push(pair);
    }
    if !group.is_empty() {
        entities.push(entity_days(&group));
    }
    entities.retain(|e| !e.runs.is_empty());
    FirmPath {
        credit_code: credit_code.to_owned(),
        name,
        steps,
        entities,
    }
}

/// One entity's joined days; `group` holds its records, latest last.
fn entity_days(group: &[(&FirmRecord, &FirmStep)]) -> EntityDays {
    let latest = group.last().map(|(r, _)| r);
    EntityDays {
        unit: latest.map(|r| r.record.unit.clone()).unwrap_or_default(),
        kind: latest.map_or(RecordKind::TechSme, |r| r.record.kind),
        name: latest
            .map(|r| r.record.name().to_owned())
            .unwrap_or_default(),
        runs: union(group.iter().filter_map(|(_, s)| s.counted).collect()),
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use uuid::Uuid;

    use super::*;
    use crate::domain::{FieldValues, RecordStatus};
    use crate::plan::Plan;

    fn firm_record(n: u128, kind: RecordKind, fields: &[(&str, &str)], key: Date) -> FirmRecord {
        let fields: FieldValues = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let at = jiff::Timestamp::UNIX_EPOCH;
        let count_key = match kind {
            RecordKind::TechSme | RecordKind::HighTech => "CODE".to_owned(),
            _ => fields.get(kind.name_field()).cloned().unwrap_or_default(),
        };
        FirmRecord {
            record: Record {
                id: Uuid::from_u128(n),
                unit: "230521".to_owned(),
                kind,
                status: RecordStatus::Active,
                revision: 1,
                fields,
                void_reason: None,
                created_by: "clerk".to_owned(),
                created_at: at,
                updated_by: "clerk".to_owned(),
                updated_at: at,
            },
            count_key,
            key_date: key,
            end_date: None,
        }
    }

    #[test]
    fn a_firm_in_four_kinds_is_one_path_in_date_order_with_each_entitys_days() {
        let basis = CountingBasis::of(&Plan::embedded());
        let records = vec![
            firm_record(
                3,
                RecordKind::RndInstitution,
                &[
                    ("name", "宝清县大豆工程技术研究中心"),
                    ("host", "宝清丰源科技有限公司"),
                ],
                date(2022, 9, 1),
            ),
            firm_record(
                1,
                RecordKind::TechSme,
                &[("name", "宝清丰源科技有限公司")],
                date(2021, 4, 1),
            ),
            firm_record(
                2,
                RecordKind::HighTech,
                &[("name", "宝清丰源科技有限公司")],
                date(2021, 11, 20),
            ),
            firm_record(
                4,
                RecordKind::HighTech,
                &[("name", "宝清丰源科技股份有限公司")],
                date(2024, 10, 8),
            ),
            firm_record(
                5,
                RecordKind::Achievement,
                &[
                    ("title", "大豆深加工工艺"),
                    ("recipient", "宝清丰源科技股份有限公司"),
                ],
                date(2023, 3, 3),
            ),
        ];
        let path = firm_path(&basis, "CODE", records);
        let ids: Vec<u128> = path.steps.iter().map(|s| s.record.id.as_u128()).collect();
        assert_eq!(ids, [1, 2, 3, 5, 4]);
        // The name on its latest record.
        assert_eq!(path.name, "宝清丰源科技股份有限公司");
        // The first certificate counts three years to the day; the tech-SME registration to
        // the end of its year.
        assert_eq!(path.steps[1].last_counted(), Some(date(2024, 11, 19)));
        assert_eq!(path.steps[0].last_counted(), Some(date(2021, 12, 31)));
        assert_eq!(path.steps[2].last_counted(), None);
        // The renewal came before the first certificate ran out: one unbroken run.
        let high_tech = path
            .entities
            .iter()
            .find(|e| e.kind == RecordKind::HighTech)
            .unwrap();
        assert_eq!(
            high_tech.runs,
            [CountedDays {
                from: date(2021, 11, 20),
                until: Some(date(2027, 10, 8)),
            }]
        );
        let kinds: Vec<RecordKind> = path.entities.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                RecordKind::TechSme,
                RecordKind::HighTech,
                RecordKind::RndInstitution,
                RecordKind::Achievement
            ]
        );
    }

    #[test]
    fn a_gap_between_certificates_shows_as_two_runs() {
        let basis = CountingBasis::of(&Plan::embedded());
        let records = vec![
            firm_record(
                1,
                RecordKind::HighTech,
                &[("name", "甲")],
                date(2020, 1, 10),
            ),
            firm_record(2, RecordKind::HighTech, &[("name", "甲")], date(2023, 6, 1)),
        ];
        let path = firm_path(&basis, "CODE", records);
        assert_eq!(path.entities.len(), 1);
        assert_eq!(
            path.entities[0].runs,
            [
                CountedDays {
                    from: date(2020, 1, 10),
                    until: Some(date(2023, 1, 10)),
                },
                CountedDays {
                    from: date(2023, 6, 1),
                    until: Some(date(2026, 6, 1)),
                },
            ]
        );
    }
}
