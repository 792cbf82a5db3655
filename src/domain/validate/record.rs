//! Whole-record validation: every field, required ones, the credit-code override, cross-field
//! rules, and the index columns (duplicate and counting keys) the store keeps.

use jiff::civil::Date;

use super::check_field;
use super::text::{legacy_text, normalized_name, stored_text};
use crate::domain::dates::parse_date;
use crate::domain::kind::{ChoiceSet, OVERRIDE_REASON, REVOKED_ON, RecordKind};
use crate::domain::record::{FieldIssue, FieldValues, Problem, RecordIndex, ValidRecord};

/// Validates a whole record: every field checked, required ones present, cross-field rules,
/// and the index columns derived. All errors are returned together, in field order.
///
/// A credit code that fails only its check character is kept (normalised) when the record
/// carries a non-empty `override_reason`; a code of the wrong shape is always refused.
pub fn validate_record(
    kind: RecordKind,
    values: &FieldValues,
) -> Result<ValidRecord, Vec<FieldIssue>> {
    let overridden = values
        .get(OVERRIDE_REASON)
        .and_then(|reason| stored_text(reason).ok())
        .is_some_and(|reason| !reason.is_empty());
    // A key the kind does not have is most likely a misspelt one: said first and alone, since
    // the "required" errors beside it would only repeat the same mistake.
    let unknown: Vec<FieldIssue> = values
        .keys()
        .filter(|key| kind.field(key).is_none())
        .map(|key| FieldIssue::new(key.as_str(), Problem::UnknownField { kind }))
        .collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    let mut fields = FieldValues::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();

    for spec in kind.fields() {
        let raw = values.get(spec.key).map(String::as_str).unwrap_or("");
        match check_field(kind, spec.key, raw) {
            Ok(check) => {
                if let Some(warning) = check.warning {
                    warnings.push(FieldIssue::new(spec.key, warning));
                }
                if !check.value.is_empty() {
                    fields.insert(spec.key.to_string(), check.value);
                } else if spec.required {
                    errors.push(FieldIssue::new(spec.key, Problem::Required));
                }
            }
            Err(Problem::CreditCodeCheck { value, .. }) if overridden => {
                fields.insert(spec.key.to_string(), value);
            }
            Err(problem) => errors.push(FieldIssue::new(spec.key, problem)),
        }
    }
    errors.extend(revoked_before_key_date(kind, &fields));
    warnings.extend(reg_no_of_another_year(kind, &fields));
    errors.extend(upgrade_not_lower(values, &fields));

    if !errors.is_empty() {
        let position = |issue: &FieldIssue| {
            kind.fields()
                .iter()
                .position(|f| f.key == issue.field)
                .unwrap_or(usize::MAX)
        };
        errors.sort_by_key(position);
        return Err(errors);
    }
    let index = record_index(kind, &fields).map_err(|issue| vec![issue])?;
    Ok(ValidRecord {
        kind,
        fields,
        index,
        warnings,
    })
}

/// `revoked_on` earlier than the date the kind counts from (recognition, certification,
/// registration, establishment, transfer).
fn revoked_before_key_date(kind: RecordKind, fields: &FieldValues) -> Option<FieldIssue> {
    let start_field = kind.key_date_field();
    let start = date_of(fields, start_field)?;
    let revoked = date_of(fields, REVOKED_ON)?;
    (revoked < start).then(|| {
        FieldIssue::new(
            REVOKED_ON,
            Problem::DateBeforeStart {
                start_field: start_field.to_string(),
            },
        )
    })
}

/// A tech-SME registration number is issued for one year: its first four digits should be
/// the year of the registration date.
fn reg_no_of_another_year(kind: RecordKind, fields: &FieldValues) -> Option<FieldIssue> {
    if kind != RecordKind::TechSme {
        return None;
    }
    let reg_no = fields.get("reg_no")?;
    let registered = date_of(fields, kind.key_date_field())?;
    let year: i16 = reg_no.get(..4)?.parse().ok()?;
    (year != registered.year()).then(|| {
        FieldIssue::new(
            "reg_no",
            Problem::RegNoYear {
                value: reg_no.clone(),
                year: registered.year(),
            },
        )
    })
}

/// `upgraded_from` must be a lower level than `level`; the problem lists the lower ones.
fn upgrade_not_lower(values: &FieldValues, fields: &FieldValues) -> Option<FieldIssue> {
    let levels = ChoiceSet::Level.options();
    let rank = |key: &str| levels.iter().position(|l| *l == key);
    let level = rank(fields.get("level")?)?;
    let from = rank(fields.get("upgraded_from")?)?;
    if from > level {
        return None;
    }
    let typed = values.get("upgraded_from").map(|v| legacy_text(v));
    Some(FieldIssue::new(
        "upgraded_from",
        Problem::BadChoice {
            value: typed.unwrap_or_default(),
            options: levels[level + 1..].iter().map(|l| l.to_string()).collect(),
        },
    ))
}

fn date_of(fields: &FieldValues, key: &str) -> Option<Date> {
    fields.get(key).and_then(|v| parse_date(v).ok())
}

/// A required value of a record that passed its field checks.
fn required<'a>(fields: &'a FieldValues, key: &str) -> Result<&'a str, FieldIssue> {
    fields
        .get(key)
        .map(String::as_str)
        .ok_or_else(|| FieldIssue::new(key, Problem::Required))
}

/// The index columns of a record's values as stored: for re-indexing values saved under an
/// earlier text policy (the keys ignore what the current policy removes or refuses).
pub fn index_of_stored(kind: RecordKind, fields: &FieldValues) -> Result<RecordIndex, FieldIssue> {
    record_index(kind, fields)
}

fn record_index(kind: RecordKind, fields: &FieldValues) -> Result<RecordIndex, FieldIssue> {
    let name = required(fields, kind.name_field())?.to_string();
    let credit_code = fields.get(kind.credit_code_field()).cloned();
    let key_field = kind.key_date_field();
    let key_date = parse_date(required(fields, key_field)?).map_err(|_| {
        FieldIssue::new(
            key_field,
            Problem::BadDate {
                value: fields.get(key_field).cloned().unwrap_or_default(),
            },
        )
    })?;
    let end_date = date_of(fields, REVOKED_ON);
    let (dup_key, count_key) = match kind {
        RecordKind::TechSme => {
            let code = required(fields, "credit_code")?;
            (format!("{code}|{}", key_date.year()), code.to_string())
        }
        RecordKind::HighTech => (
            required(fields, "cert_no")?.to_string(),
            required(fields, "credit_code")?.to_string(),
        ),
        RecordKind::RndInstitution | RecordKind::Incubator | RecordKind::Alliance => {
            let entity = normalized_name(&name);
            let level = required(fields, "level")?;
            (format!("{entity}|{level}"), entity)
        }
        RecordKind::Achievement => {
            let recipient = normalized_name(required(fields, "recipient")?);
            let key = format!("{}|{recipient}", normalized_name(&name));
            (key.clone(), key)
        }
    };
    Ok(RecordIndex {
        name,
        credit_code,
        key_date,
        end_date,
        dup_key,
        count_key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use RecordKind::*;
    use jiff::civil::date;

    fn values(pairs: &[(&str, &str)]) -> FieldValues {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const CODE: &str = "91350100M000100Y43";
    const BAD_CHECK: &str = "91350100M000100Y44";

    /// A complete, valid record of each kind, as a clerk might type it.
    fn typed(kind: RecordKind) -> FieldValues {
        match kind {
            TechSme => values(&[
                ("name", "双鸭山市华鑫科技有限公司"),
                ("credit_code", "９１３５０１００ｍ０００１００ｙ４３"),
                ("reg_no", "2023230521A8020396"),
                ("registered_on", "2023年4月1日"),
            ]),
            HighTech => values(&[
                ("name", "宝清县恒泰生物有限公司"),
                ("credit_code", CODE),
                ("cert_no", "gr202123000123"),
                ("certified_on", "2021/12/1"),
                ("recognition", "首次认定"),
                ("size", "规下"),
            ]),
            RndInstitution => values(&[
                ("name", "双鸭山市石墨新材料工程技术研究中心（市级）"),
                ("host", "双鸭山市华鑫科技有限公司"),
                ("host_credit_code", CODE),
                ("level", "省级"),
                ("category", "工程技术研究中心"),
                ("new_type", "否"),
                ("recognized_on", "2022.6.30"),
                ("upgraded_from", "市级"),
            ]),
            Incubator => values(&[
                ("name", "集贤县众创空间"),
                ("operator", "集贤县科技局"),
                ("type", "maker_space"),
                ("level", "city"),
                ("recognized_on", "2022-03-15"),
                ("revoked_on", "2023-03-15"),
            ]),
            Alliance => values(&[
                ("name", "双鸭山市大豆产业技术创新战略联盟"),
                ("lead", "友谊县丰源农业科技有限公司"),
                ("level", "市级"),
                ("members", "甲公司\n乙公司"),
                ("established_on", "20220801"),
            ]),
            Achievement => values(&[
                ("title", "寒地水稻节水栽培技术"),
                ("owner", "东北农业大学"),
                ("recipient", "饶河县金峰农业有限公司"),
                ("recipient_credit_code", CODE),
                ("mode", "许可"),
                ("amount_yuan", "1,200.50元"),
                ("transferred_on", "2023-09-09"),
            ]),
        }
    }

    fn valid(kind: RecordKind, v: &FieldValues) -> ValidRecord {
        match validate_record(kind, v) {
            Ok(r) => r,
            Err(issues) => panic!("{kind:?} should be valid: {issues:?}"),
        }
    }

    fn issues(kind: RecordKind, v: &FieldValues) -> Vec<FieldIssue> {
        match validate_record(kind, v) {
            Ok(r) => panic!("{kind:?} should be refused: {r:?}"),
            Err(issues) => issues,
        }
    }

    fn issue(field: &str, problem: Problem) -> FieldIssue {
        FieldIssue::new(field, problem)
    }

    #[test]
    fn every_kind_validates_and_derives_its_index() {
        struct Case {
            kind: RecordKind,
            name: &'static str,
            credit_code: Option<&'static str>,
            key_date: Date,
            end_date: Option<Date>,
            dup_key: &'static str,
            count_key: &'static str,
        }
        let cases = [
            Case {
                kind: TechSme,
                name: "双鸭山市华鑫科技有限公司",
                credit_code: Some(CODE),
                key_date: date(2023, 4, 1),
                end_date: None,
                dup_key: "91350100M000100Y43|2023",
                count_key: CODE,
            },
            Case {
                kind: HighTech,
                name: "宝清县恒泰生物有限公司",
                credit_code: Some(CODE),
                key_date: date(2021, 12, 1),
                end_date: None,
                dup_key: "GR202123000123",
                count_key: CODE,
            },
            Case {
                kind: RndInstitution,
                name: "双鸭山市石墨新材料工程技术研究中心(市级)",
                credit_code: Some(CODE),
                key_date: date(2022, 6, 30),
                end_date: None,
                dup_key: "双鸭山市石墨新材料工程技术研究中心(市级)|provincial",
                count_key: "双鸭山市石墨新材料工程技术研究中心(市级)",
            },
            Case {
                kind: Incubator,
                name: "集贤县众创空间",
                credit_code: None,
                key_date: date(2022, 3, 15),
                end_date: Some(date(2023, 3, 15)),
                dup_key: "集贤县众创空间|city",
                count_key: "集贤县众创空间",
            },
            Case {
                kind: Alliance,
                name: "双鸭山市大豆产业技术创新战略联盟",
                credit_code: None,
                key_date: date(2022, 8, 1),
                end_date: None,
                dup_key: "双鸭山市大豆产业技术创新战略联盟|city",
                count_key: "双鸭山市大豆产业技术创新战略联盟",
            },
            Case {
                kind: Achievement,
                name: "寒地水稻节水栽培技术",
                credit_code: Some(CODE),
                key_date: date(2023, 9, 9),
                end_date: None,
                dup_key: "寒地水稻节水栽培技术|饶河县金峰农业有限公司",
                count_key: "寒地水稻节水栽培技术|饶河县金峰农业有限公司",
            },
        ];
        for case in cases {
            let record = valid(case.kind, &typed(case.kind));
            let want = RecordIndex {
                name: case.name.to_string(),
                credit_code: case.credit_code.map(String::from),
                key_date: case.key_date,
                end_date: case.end_date,
                dup_key: case.dup_key.to_string(),
                count_key: case.count_key.to_string(),
            };
            assert_eq!(record.index, want, "{:?}", case.kind);
            assert!(record.warnings.is_empty(), "{:?}", record.warnings);
        }
    }

    #[test]
    fn stored_values_are_normalised_and_empty_ones_dropped() {
        let mut v = typed(Achievement);
        v.insert("contract_no".into(), "   ".into());
        let record = valid(Achievement, &v);
        let want = values(&[
            ("title", "寒地水稻节水栽培技术"),
            ("owner", "东北农业大学"),
            ("recipient", "饶河县金峰农业有限公司"),
            ("recipient_credit_code", CODE),
            ("mode", "license"),
            ("amount_yuan", "1200.5"),
            ("transferred_on", "2023-09-09"),
        ]);
        assert_eq!(record.fields, want);
        assert_eq!(valid(TechSme, &typed(TechSme)).fields["credit_code"], CODE);
        assert_eq!(
            valid(Alliance, &typed(Alliance)).fields["members"],
            "甲公司 乙公司"
        );
    }

    #[test]
    fn validating_stored_values_again_changes_nothing() {
        for kind in RecordKind::ALL {
            let first = valid(kind, &typed(kind));
            let again = valid(kind, &first.fields);
            assert_eq!(again, first, "{kind:?}");
        }
    }

    #[test]
    fn unknown_keys_are_reported_first_and_alone() {
        let v = values(&[
            ("zeta", "1"),
            ("registered_on", "2023-02-29"),
            ("alpha", "2"),
        ]);
        let want = vec![
            issue("alpha", Problem::UnknownField { kind: TechSme }),
            issue("zeta", Problem::UnknownField { kind: TechSme }),
        ];
        assert_eq!(issues(TechSme, &v), want);
    }

    #[test]
    fn all_errors_come_back_together_in_form_order() {
        let v = values(&[
            ("registered_on", "2023-02-29"),
            ("credit_code", "91350100M00010"),
        ]);
        let want = vec![
            issue("name", Problem::Required),
            issue(
                "credit_code",
                Problem::CreditCodeShape {
                    value: "91350100M00010".into(),
                },
            ),
            issue("reg_no", Problem::Required),
            issue(
                "registered_on",
                Problem::BadDate {
                    value: "2023-02-29".into(),
                },
            ),
        ];
        assert_eq!(issues(TechSme, &v), want);
    }

    #[test]
    fn every_required_field_is_demanded() {
        for kind in RecordKind::ALL {
            let got = issues(kind, &FieldValues::new());
            let want: Vec<FieldIssue> = kind
                .fields()
                .iter()
                .filter(|f| f.required)
                .map(|f| issue(f.key, Problem::Required))
                .collect();
            assert_eq!(got, want, "{kind:?}");
        }
    }

    #[test]
    fn a_failed_check_is_kept_only_with_an_override_reason() {
        let mut v = typed(TechSme);
        v.insert("credit_code".into(), " 91350100m000100y44 ".into());
        assert_eq!(
            issues(TechSme, &v),
            vec![issue(
                "credit_code",
                Problem::CreditCodeCheck {
                    value: BAD_CHECK.into(),
                    expected: '3',
                },
            )]
        );

        v.insert(OVERRIDE_REASON.into(), " \n ".into());
        assert_eq!(issues(TechSme, &v).len(), 1, "a blank reason is no reason");

        v.insert(
            OVERRIDE_REASON.into(),
            "2015年试点赋码，执照原件如此".into(),
        );
        let record = valid(TechSme, &v);
        assert_eq!(record.fields["credit_code"], BAD_CHECK);
        // Stored NFKC-normalised: the full-width comma becomes ASCII.
        assert_eq!(
            record.fields[OVERRIDE_REASON],
            "2015年试点赋码,执照原件如此"
        );
        assert_eq!(record.index.credit_code.as_deref(), Some(BAD_CHECK));
        assert_eq!(record.index.dup_key, format!("{BAD_CHECK}|2023"));
    }

    #[test]
    fn a_badly_shaped_code_is_refused_even_with_a_reason() {
        let mut v = typed(Achievement);
        v.insert("recipient_credit_code".into(), "9135010OM000100Y43".into());
        v.insert(OVERRIDE_REASON.into(), "执照上就是这样".into());
        assert_eq!(
            issues(Achievement, &v),
            vec![issue(
                "recipient_credit_code",
                Problem::CreditCodeShape {
                    value: "9135010OM000100Y43".into(),
                },
            )]
        );
    }

    #[test]
    fn revocation_may_not_precede_recognition() {
        let cases = [
            ("2022-03-14", false),
            ("2022-03-15", true),
            ("2024-01-01", true),
        ];
        for (revoked, ok) in cases {
            let mut v = typed(Incubator);
            v.insert("revoked_on".into(), revoked.into());
            let got = validate_record(Incubator, &v).map(|r| r.index.end_date);
            let want = if ok {
                Ok(parse_date(revoked).ok())
            } else {
                Err(vec![issue(
                    "revoked_on",
                    Problem::DateBeforeStart {
                        start_field: "recognized_on".into(),
                    },
                )])
            };
            assert_eq!(got, want, "revoked {revoked}");
        }
    }

    #[test]
    fn an_upgrade_comes_from_a_lower_level() {
        let lower = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        let cases = [
            ("national", "省级", None),
            ("national", "city", None),
            ("provincial", "市", None),
            ("provincial", "省级", Some(lower(&["city"]))),
            ("provincial", "国家级", Some(lower(&["city"]))),
            ("national", "national", Some(lower(&["provincial", "city"]))),
            ("city", "city", Some(lower(&[]))),
        ];
        for (level, from, options) in cases {
            let mut v = typed(RndInstitution);
            v.insert("level".into(), level.into());
            v.insert("upgraded_from".into(), from.into());
            let got =
                validate_record(RndInstitution, &v).map(|r| r.fields["upgraded_from"].clone());
            match options {
                None => assert!(got.is_ok(), "{level} from {from}: {got:?}"),
                Some(options) => assert_eq!(
                    got,
                    Err(vec![issue(
                        "upgraded_from",
                        Problem::BadChoice {
                            value: from.into(),
                            options,
                        },
                    )]),
                    "{level} from {from}"
                ),
            }
        }
    }

    #[test]
    fn an_impossible_check_character_is_refused_even_with_a_reason() {
        let mut v = typed(TechSme);
        v.insert("credit_code".into(), "91350100M000100Y4Z".into());
        v.insert(OVERRIDE_REASON.into(), "早期试点代码".into());
        assert_eq!(
            issues(TechSme, &v),
            vec![issue(
                "credit_code",
                Problem::CreditCodeImpossibleCheck {
                    value: "91350100M000100Y4Z".into(),
                    expected: '3',
                },
            )]
        );
    }

    #[test]
    fn a_registration_number_of_the_registration_year_does_not_warn() {
        let mut v = typed(TechSme);
        v.insert("reg_no".into(), "2023230521A8020396".into());
        v.insert("registered_on".into(), "2023-12-31".into());
        assert!(valid(TechSme, &v).warnings.is_empty());
        v.insert("registered_on".into(), "2024-01-01".into());
        assert_eq!(
            valid(TechSme, &v).warnings,
            vec![issue(
                "reg_no",
                Problem::RegNoYear {
                    value: "2023230521A8020396".into(),
                    year: 2024,
                },
            )]
        );
    }

    #[test]
    fn identity_warnings_inside_a_valid_credit_code() {
        let cases = [
            (
                "99230521MA1B2C3D8G",
                Problem::CreditCodeAuthority {
                    value: "99230521MA1B2C3D8G".into(),
                    pair: "99".into(),
                },
            ),
            (
                "91230521MA1B2C3D4B",
                Problem::OrgCodeCheck {
                    value: "91230521MA1B2C3D4B".into(),
                    expected: '8',
                },
            ),
        ];
        for (code, want) in cases {
            let Some(check) = crate::domain::credit_code::check_char(&code[..17]) else {
                panic!("{code}");
            };
            let code = format!("{}{check}", &code[..17]);
            let want = match want {
                Problem::CreditCodeAuthority { pair, .. } => Problem::CreditCodeAuthority {
                    value: code.clone(),
                    pair,
                },
                Problem::OrgCodeCheck { expected, .. } => Problem::OrgCodeCheck {
                    value: code.clone(),
                    expected,
                },
                other => other,
            };
            let mut v = typed(HighTech);
            v.insert("credit_code".into(), code.clone());
            assert_eq!(
                valid(HighTech, &v).warnings,
                vec![issue("credit_code", want)],
                "{code}"
            );
        }
        let mut v = typed(HighTech);
        v.insert("credit_code".into(), "91230521MA1B2C3D8P".into());
        assert!(valid(HighTech, &v).warnings.is_empty(), "a sound code");
    }

    #[test]
    fn a_date_before_2000_warns() {
        let mut v = typed(Incubator);
        v.insert("recognized_on".into(), "1999-12-31".into());
        v.remove("revoked_on");
        assert_eq!(
            valid(Incubator, &v).warnings,
            vec![issue(
                "recognized_on",
                Problem::DateBefore2000 {
                    value: "1999-12-31".into()
                },
            )]
        );
        v.insert("recognized_on".into(), "2000-01-01".into());
        assert!(valid(Incubator, &v).warnings.is_empty());
    }

    #[test]
    fn warnings_do_not_stop_a_save() {
        let mut v = typed(TechSme);
        v.insert("reg_no".into(), "2024341181A8020396".into());
        let record = valid(TechSme, &v);
        assert_eq!(
            record.warnings,
            vec![
                issue(
                    "reg_no",
                    Problem::RegNoRegion {
                        value: "2024341181A8020396".into(),
                        region: "341181".into(),
                    },
                ),
                issue(
                    "reg_no",
                    Problem::RegNoYear {
                        value: "2024341181A8020396".into(),
                        year: 2023,
                    },
                ),
            ]
        );
        assert_eq!(record.fields["reg_no"], "2024341181A8020396");

        let mut v = typed(HighTech);
        v.insert("cert_no".into(), "黑GR2021-001".into());
        let record = valid(HighTech, &v);
        assert_eq!(record.warnings.len(), 1);
        assert_eq!(record.index.dup_key, "黑GR2021-001");
    }

    #[test]
    fn duplicate_keys_see_through_spelling_differences() {
        let same = [
            (
                RndInstitution,
                "name",
                "双鸭山市 石墨新材料工程技术研究中心(市级)",
            ),
            (Incubator, "name", "集贤县　众创空间"),
            (Alliance, "name", " 双鸭山市大豆产业技术创新战略联盟 "),
            (Achievement, "recipient", "饶河县金峰农业有限公司 "),
        ];
        for (kind, key, respelled) in same {
            let original = valid(kind, &typed(kind));
            let mut v = typed(kind);
            v.insert(key.into(), respelled.into());
            let other = valid(kind, &v);
            assert_eq!(other.index.dup_key, original.index.dup_key, "{kind:?}");
            assert_eq!(other.index.count_key, original.index.count_key, "{kind:?}");
        }
    }

    #[test]
    fn what_makes_two_entries_different() {
        // The same firm registered in another year is another tech SME entry, one entity.
        let a = valid(TechSme, &typed(TechSme));
        let mut v = typed(TechSme);
        v.insert("registered_on".into(), "2022-04-01".into());
        let b = valid(TechSme, &v);
        assert_ne!(a.index.dup_key, b.index.dup_key);
        assert_eq!(a.index.count_key, b.index.count_key);

        // An institution upgraded city → provincial is a new entry but the same entity.
        let mut v = typed(RndInstitution);
        v.insert("level".into(), "city".into());
        v.remove("upgraded_from");
        let city = valid(RndInstitution, &v);
        let provincial = valid(RndInstitution, &typed(RndInstitution));
        assert_ne!(city.index.dup_key, provincial.index.dup_key);
        assert_eq!(city.index.count_key, provincial.index.count_key);

        // One achievement licensed to two recipients is two transfers.
        let first = valid(Achievement, &typed(Achievement));
        let mut v = typed(Achievement);
        v.insert("recipient".into(), "宝山区龙源科技有限公司".into());
        let second = valid(Achievement, &v);
        assert_ne!(first.index.dup_key, second.index.dup_key);
        assert_ne!(first.index.count_key, second.index.count_key);

        // Two high-tech certificates of one firm: two entries, one firm.
        let old = valid(HighTech, &typed(HighTech));
        let mut v = typed(HighTech);
        v.insert("cert_no".into(), "GR202423000456".into());
        let renewed = valid(HighTech, &v);
        assert_ne!(old.index.dup_key, renewed.index.dup_key);
        assert_eq!(old.index.count_key, renewed.index.count_key);
    }
}
