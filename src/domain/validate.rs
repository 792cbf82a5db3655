//! Turning what a clerk typed into a valid record, or into messages naming each field's problem.

mod context;
mod field;
mod record;
pub mod text;

pub use context::{context_warnings, credit_code_region, record_warnings};
pub use field::{ACCOUNT_MAX, LONG_TEXT_MAX, TEXT_MAX, VOID_REASON_MAX, choice_key};
pub use record::{index_of_stored, validate_record};

use super::kind::{FieldType, RecordKind};
use super::record::{FieldValues, Problem};

/// The outcome of checking one field on its own (as the clerk leaves it in a form).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldCheck {
    /// The normalised value (empty when the field is empty).
    pub value: String,
    /// A problem that does not stop a save.
    pub warning: Option<Problem>,
}

/// Checks one field of `kind` on its own. A credit-code check failure is returned as an error
/// here; only [`validate_record`] knows whether an override reason accompanies it.
///
/// The text policy comes first ([`text::stored_text`]): characters with no business in a
/// record are refused, naming their position; harmless invisible ones are removed, line
/// breaks become spaces, the value is NFKC-normalised and trimmed. An empty value is no
/// problem here (whether the field is required is the record's business).
pub fn check_field(kind: RecordKind, key: &str, raw: &str) -> Result<FieldCheck, Problem> {
    let spec = kind.field(key).ok_or(Problem::UnknownField { kind })?;
    let cleaned = text::stored_text(raw)?;
    if cleaned.is_empty() {
        return Ok(FieldCheck {
            value: String::new(),
            warning: None,
        });
    }
    match spec.ty {
        FieldType::Text => field::text(key, &cleaned),
        FieldType::CreditCode => field::credit_code(&cleaned),
        FieldType::RegNo => field::reg_no(&cleaned),
        FieldType::CertNo => field::cert_no(&cleaned),
        FieldType::Date => field::date(&cleaned),
        FieldType::Choice(set) => field::choice(set, &cleaned),
        FieldType::Bool => field::boolean(&cleaned),
        FieldType::Amount => field::amount(&cleaned),
        FieldType::RecordRef => field::record_ref(&cleaned),
    }
}

/// A text the ledger keeps beside a record's fields (its void reason, the account that
/// changed it), as stored: the text policy's form ([`text::stored_text`]), at most `max`
/// characters. Checked wherever such a text enters: typed, taken from the environment or
/// read from a bundle.
pub fn kept_text(raw: &str, max: usize) -> Result<String, Problem> {
    let stored = text::stored_text(raw)?;
    if stored.chars().count() > max {
        return Err(Problem::TooLong { max });
    }
    Ok(stored)
}

/// The values after an edit: `changes` overlaid on `existing`, an empty change clearing a field.
pub fn merge_edit(existing: &FieldValues, changes: &FieldValues) -> FieldValues {
    let mut merged = existing.clone();
    for (key, value) in changes {
        if value.trim().is_empty() {
            merged.remove(key);
        } else {
            merged.insert(key.clone(), value.clone());
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kind::{ChoiceSet, OVERRIDE_REASON};
    use RecordKind::*;

    #[test]
    fn kept_text_takes_the_policy_form_and_counts_what_is_stored() {
        assert_eq!(
            kept_text("  重复\n录入 ", VOID_REASON_MAX),
            Ok("重复 录入".into())
        );
        assert!(kept_text(&"字".repeat(VOID_REASON_MAX), VOID_REASON_MAX).is_ok());
        assert_eq!(
            kept_text(&"字".repeat(VOID_REASON_MAX + 1), VOID_REASON_MAX),
            Err(Problem::TooLong { max: 2000 })
        );
        // Removed invisible characters do not count; the stored form is what is measured.
        let padded = format!("{}\u{200B}\u{200B}", "a".repeat(ACCOUNT_MAX));
        assert_eq!(kept_text(&padded, ACCOUNT_MAX), Ok("a".repeat(ACCOUNT_MAX)));
        assert_eq!(
            kept_text(&"a".repeat(ACCOUNT_MAX + 1), ACCOUNT_MAX),
            Err(Problem::TooLong { max: 200 })
        );
        assert!(matches!(
            kept_text("clerk\u{202E}", ACCOUNT_MAX),
            Err(Problem::ForbiddenCharacter { position: 6, .. })
        ));
    }

    fn checked(kind: RecordKind, key: &str, raw: &str) -> Result<String, Problem> {
        check_field(kind, key, raw).map(|c| c.value)
    }

    #[test]
    fn each_field_type_is_normalised() {
        let cases = [
            (
                TechSme,
                "name",
                "  双鸭山市华鑫科技有限公司 ",
                "双鸭山市华鑫科技有限公司",
            ),
            (TechSme, "notes", "第一行\n第二行", "第一行 第二行"),
            (
                TechSme,
                "credit_code",
                "９１３５０１００ｍ０００１００ｙ４３",
                "91350100M000100Y43",
            ),
            (
                TechSme,
                "reg_no",
                "2023230521a8020396",
                "2023230521A8020396",
            ),
            (TechSme, "registered_on", "2023年4月1日", "2023-04-01"),
            (HighTech, "cert_no", "gr202123000123", "GR202123000123"),
            (HighTech, "recognition", "复审", "renewal"),
            (HighTech, "size", "规上", "above"),
            (RndInstitution, "level", "省级", "provincial"),
            (RndInstitution, "new_type", "是", "true"),
            (Incubator, "type", "众创空间", "maker_space"),
            (Achievement, "mode", "许可", "license"),
            (Achievement, "amount_yuan", "1,200.50元", "1200.5"),
            (
                Achievement,
                "contract_no",
                " 2023230500000123 ",
                "2023230500000123",
            ),
            (Alliance, OVERRIDE_REASON, " 早期试点代码 ", "早期试点代码"),
        ];
        for (kind, key, raw, want) in cases {
            assert_eq!(
                checked(kind, key, raw),
                Ok(want.to_string()),
                "{kind:?}.{key} {raw:?}"
            );
        }
    }

    #[test]
    fn empty_values_are_no_problem_on_their_own() {
        for kind in RecordKind::ALL {
            for spec in kind.fields() {
                for raw in ["", "   ", "\u{3000}", "\n\t"] {
                    assert_eq!(
                        check_field(kind, spec.key, raw),
                        Ok(FieldCheck {
                            value: String::new(),
                            warning: None
                        }),
                        "{kind:?}.{} {raw:?}",
                        spec.key
                    );
                }
            }
        }
    }

    #[test]
    fn field_errors_name_the_value_typed() {
        let cases = [
            (
                TechSme,
                "name",
                "字".repeat(201),
                Problem::TooLong { max: 200 },
            ),
            (
                TechSme,
                "notes",
                "字".repeat(2001),
                Problem::TooLong { max: 2000 },
            ),
            (
                TechSme,
                "credit_code",
                "91350100M000100Y44".into(),
                Problem::CreditCodeCheck {
                    value: "91350100M000100Y44".into(),
                    expected: '3',
                },
            ),
            (
                HighTech,
                "credit_code",
                "91350100M00010".into(),
                Problem::CreditCodeShape {
                    value: "91350100M00010".into(),
                },
            ),
            (
                TechSme,
                "registered_on",
                "2023-13-01".into(),
                Problem::BadDate {
                    value: "2023-13-01".into(),
                },
            ),
            (
                TechSme,
                "registered_on",
                "2101-01-01".into(),
                Problem::DateOutOfRange {
                    value: "2101-01-01".into(),
                },
            ),
            (
                Incubator,
                "level",
                "县级".into(),
                Problem::BadChoice {
                    value: "县级".into(),
                    options: vec!["national".into(), "provincial".into(), "city".into()],
                },
            ),
            (
                RndInstitution,
                "new_type",
                "maybe".into(),
                Problem::BadBool {
                    value: "maybe".into(),
                },
            ),
            (
                Achievement,
                "amount_yuan",
                "十万".into(),
                Problem::BadAmount {
                    value: "十万".into(),
                },
            ),
            (
                Achievement,
                "amount_yuan",
                "-100".into(),
                Problem::NegativeAmount {
                    value: "-100".into(),
                },
            ),
            (
                TechSme,
                "level",
                "city".into(),
                Problem::UnknownField { kind: TechSme },
            ),
            (
                HighTech,
                "reg_no",
                "x".into(),
                Problem::UnknownField { kind: HighTech },
            ),
        ];
        for (kind, key, raw, want) in cases {
            assert_eq!(
                check_field(kind, key, &raw),
                Err(want),
                "{kind:?}.{key} {raw:?}"
            );
        }
    }

    #[test]
    fn identifier_warnings_keep_the_value() {
        let cases = [
            (
                TechSme,
                "reg_no",
                "2024341181A8020396",
                Problem::RegNoRegion {
                    value: "2024341181A8020396".into(),
                    region: "341181".into(),
                },
            ),
            (
                TechSme,
                "reg_no",
                "入库123",
                Problem::RegNoPattern {
                    value: "入库123".into(),
                },
            ),
            (
                HighTech,
                "cert_no",
                "gr2021-23-000123",
                Problem::CertNoPattern {
                    value: "GR2021-23-000123".into(),
                },
            ),
        ];
        for (kind, key, raw, warning) in cases {
            let Ok(check) = check_field(kind, key, raw) else {
                panic!("{key} {raw:?} should only warn");
            };
            assert!(warning.is_warning());
            assert_eq!(check.warning, Some(warning), "{raw:?}");
            assert!(!check.value.is_empty());
        }
    }

    #[test]
    fn control_characters_never_reach_a_value() {
        // Line breaks and tabs become spaces; every other control is refused where it is.
        assert_eq!(
            checked(TechSme, "registered_on", "2023-04-01\r\n"),
            Ok("2023-04-01".to_string())
        );
        let refused = [
            (TechSme, "name", "华鑫\u{1b}[2J科技\u{7f}", 3, 0x1B),
            (TechSme, "credit_code", "91350100M000100Y43\u{0}", 19, 0x0),
            (HighTech, "size", "\u{9b}above", 1, 0x9B),
            (TechSme, "notes", "备注\u{7f}", 3, 0x7F),
        ];
        for (kind, key, raw, position, code_point) in refused {
            assert_eq!(
                checked(kind, key, raw),
                Err(Problem::ForbiddenCharacter {
                    position,
                    code_point,
                    kind: crate::domain::ForbiddenKind::Control,
                }),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn every_text_field_follows_the_text_policy() {
        use crate::domain::ForbiddenKind::*;
        for kind in RecordKind::ALL {
            for spec in kind.fields() {
                let refused = [
                    ("名\u{202E}称", 2, 0x202E, Bidi),
                    ("名称\u{E0041}", 3, 0xE0041, Tag),
                    ("\u{E000}", 1, 0xE000, PrivateUse),
                    ("名\u{FDD0}", 2, 0xFDD0, Noncharacter),
                    ("名\u{2029}", 2, 0x2029, LineSeparator),
                ];
                for (raw, position, code_point, want) in refused {
                    assert_eq!(
                        check_field(kind, spec.key, raw),
                        Err(Problem::ForbiddenCharacter {
                            position,
                            code_point,
                            kind: want,
                        }),
                        "{kind:?}.{} {raw:?}",
                        spec.key
                    );
                }
            }
        }
        assert_eq!(
            checked(Incubator, "name", "双鸭山\u{AD}众创\u{3164}空间\u{FE0F}"),
            Ok("双鸭山众创空间".to_string())
        );
        assert_eq!(
            checked(Incubator, "notes", "ＡＢＣ（一期）\n二期"),
            Ok("ABC(一期) 二期".to_string())
        );
    }

    #[test]
    fn choice_key_is_exposed_for_forms() {
        assert_eq!(choice_key(ChoiceSet::Level, "市级"), Some("city"));
    }

    #[test]
    fn merge_edit_overlays_and_clears() {
        let existing: FieldValues = [("name", "旧名称"), ("notes", "旧备注"), ("level", "city")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let changes: FieldValues = [
            ("name", "新名称"),
            ("notes", "  "),
            ("revoked_on", "2023-05-01"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let merged = merge_edit(&existing, &changes);
        let want: FieldValues = [
            ("name", "新名称"),
            ("level", "city"),
            ("revoked_on", "2023-05-01"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(merged, want);
        assert_eq!(merge_edit(&existing, &FieldValues::new()), existing);
    }
}
