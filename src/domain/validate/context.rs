//! Warnings that need to know where and when a record is entered: a date after today, and a
//! credit code registered outside the unit keeping the ledger.

use jiff::civil::Date;

use crate::domain::dates::parse_date;
use crate::domain::kind::{FieldType, RecordKind};
use crate::domain::record::{FieldIssue, FieldValues, Problem, Record};
use crate::domain::validate::validate_record;

/// Every warning a stored record carries today: those of its values on their own, and those
/// of where and when (its unit, `today`). What lists mark and `show` explains.
pub fn record_warnings(record: &Record, today: Date) -> Vec<FieldIssue> {
    let mut warnings = match validate_record(record.kind, &record.fields) {
        Ok(valid) => valid.warnings,
        Err(_) => Vec::new(),
    };
    warnings.extend(context_warnings(
        record.kind,
        &record.fields,
        &record.unit,
        today,
    ));
    warnings
}

/// The city's own GB/T 2260 code: firms registered by the city's authority may sit in any
/// unit, so a code of this region is never outside a unit.
const CITY_REGION: &str = "230500";
/// The prefix every region of the city shares; the development zone (`jkq`) has no code of
/// its own, so any of them is inside it.
const CITY_PREFIX: &str = "2305";

/// The warnings of a validated record's values for `unit` on `today`, in field order.
pub fn context_warnings(
    kind: RecordKind,
    fields: &FieldValues,
    unit: &str,
    today: Date,
) -> Vec<FieldIssue> {
    let mut warnings = Vec::new();
    for spec in kind.fields() {
        let Some(value) = fields.get(spec.key) else {
            continue;
        };
        let problem = match spec.ty {
            FieldType::Date if parse_date(value).is_ok_and(|day| day > today) => {
                Some(Problem::DateInFuture {
                    value: value.clone(),
                })
            }
            FieldType::CreditCode => credit_code_region(value, unit),
            _ => None,
        };
        if let Some(problem) = problem {
            warnings.push(FieldIssue::new(spec.key, problem));
        }
    }
    warnings
}

/// The warning for a credit code registered outside `unit` (positions 3–8 neither the
/// unit's code nor the city's; for the development zone, any region of the city is inside).
pub fn credit_code_region(code: &str, unit: &str) -> Option<Problem> {
    region_outside(code, unit).map(|region| Problem::CreditCodeRegion {
        value: code.to_owned(),
        region,
    })
}

/// The region (positions 3–8) of an 18-character code when it lies outside `unit`.
fn region_outside(code: &str, unit: &str) -> Option<String> {
    if code.len() != 18 || !code.is_ascii() {
        return None;
    }
    let region = &code[2..8];
    let inside = region == unit
        || region == CITY_REGION
        || (!unit.bytes().all(|b| b.is_ascii_digit()) && region.starts_with(CITY_PREFIX));
    (!inside).then(|| region.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn fields(pairs: &[(&str, &str)]) -> FieldValues {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn problems(kind: RecordKind, pairs: &[(&str, &str)], unit: &str) -> Vec<Problem> {
        context_warnings(kind, &fields(pairs), unit, date(2023, 6, 30))
            .into_iter()
            .map(|w| w.problem)
            .collect()
    }

    #[test]
    fn a_date_after_today_warns_and_today_does_not() {
        let warned = problems(
            RecordKind::TechSme,
            &[("registered_on", "2023-07-01")],
            "230521",
        );
        assert_eq!(
            warned,
            [Problem::DateInFuture {
                value: "2023-07-01".into()
            }]
        );
        assert!(
            problems(
                RecordKind::TechSme,
                &[("registered_on", "2023-06-30")],
                "230521"
            )
            .is_empty()
        );
    }

    #[test]
    fn only_a_whole_code_has_a_region() {
        // One character short, or eighteen bytes that are not eighteen ASCII characters.
        assert_eq!(credit_code_region("91230523MA1B2C3D8", "230521"), None);
        assert_eq!(credit_code_region("91230523MA1B2C3Dé", "230521"), None);
        assert_eq!(credit_code_region("9123", "230521"), None);
    }

    #[test]
    fn a_stored_records_warnings_are_its_values_and_where_it_is_kept() {
        let at = jiff::Timestamp::UNIX_EPOCH;
        let first17 = "91230523MA1B2C3D8";
        let check = crate::domain::credit_code::check_char(first17).unwrap();
        let code = format!("{first17}{check}");
        let record = Record {
            id: uuid::Uuid::nil(),
            unit: "230521".into(),
            kind: RecordKind::TechSme,
            status: crate::domain::RecordStatus::Active,
            revision: 1,
            fields: fields(&[
                ("name", "宝清县某科技有限公司"),
                ("credit_code", &code),
                ("reg_no", "2023230521A000001"),
                ("registered_on", "2023-05-01"),
            ]),
            void_reason: None,
            created_by: "clerk".into(),
            created_at: at,
            updated_by: "clerk".into(),
            updated_at: at,
        };
        let found: Vec<Problem> = record_warnings(&record, date(2023, 6, 30))
            .into_iter()
            .map(|w| w.problem)
            .collect();
        assert!(
            matches!(
                found.as_slice(),
                [
                    Problem::RegNoPattern { .. },
                    Problem::CreditCodeRegion { region, .. }
                ] if region == "230523"
            ),
            "{found:?}"
        );
    }

    #[test]
    fn a_credit_code_of_another_region_warns() {
        let code = |region: &str| format!("91{region}MA1B2C3D8X");
        let outside = problems(
            RecordKind::HighTech,
            &[("credit_code", &code("230523"))],
            "230521",
        );
        assert_eq!(
            outside,
            [Problem::CreditCodeRegion {
                value: code("230523"),
                region: "230523".into()
            }]
        );
        for (region, unit) in [
            ("230521", "230521"),
            ("230500", "230521"),
            ("230502", "jkq"),
        ] {
            assert!(
                problems(
                    RecordKind::HighTech,
                    &[("credit_code", &code(region))],
                    unit
                )
                .is_empty(),
                "{region} in {unit}"
            );
        }
        assert!(
            !problems(
                RecordKind::HighTech,
                &[("credit_code", &code("110105"))],
                "jkq"
            )
            .is_empty()
        );
        // A host's code on an institution is checked too.
        assert!(
            !problems(
                RecordKind::RndInstitution,
                &[("host_credit_code", &code("110105"))],
                "230521"
            )
            .is_empty()
        );
    }
}
