//! Checks for each type of field, on a value already cleaned of control characters and
//! known to be non-empty.

use super::FieldCheck;
use super::text::to_half_width;
use crate::domain::credit_code::{self, CreditCodeError};
use crate::domain::dates::{DateError, parse_date};
use crate::domain::kind::ChoiceSet;
use crate::domain::record::Problem;
use crate::i18n::Lang;
use crate::i18n::labels::{choice_aliases_zh, choice_label};

/// Longest text a field takes, in characters.
pub const TEXT_MAX: usize = 200;
/// Longest text of the free-form fields (`notes`, `members`).
pub const LONG_TEXT_MAX: usize = 2000;
/// Longest reason a record is voided for, in characters.
pub const VOID_REASON_MAX: usize = LONG_TEXT_MAX;
/// Longest OS account name recorded as the author of a change, in characters.
pub const ACCOUNT_MAX: usize = TEXT_MAX;

/// More integer digits than this is not an amount of yuan anyone records; the limit also keeps
/// every amount exact as a whole number of fen in 64 bits.
const AMOUNT_MAX_DIGITS: usize = 15;

/// The prefix of a tech SME registration number's region that marks Shuangyashan.
const CITY_REGION_PREFIX: &str = "2305";

fn ok(value: String) -> Result<FieldCheck, Problem> {
    Ok(FieldCheck {
        value,
        warning: None,
    })
}

fn warn(value: String, warning: Option<Problem>) -> Result<FieldCheck, Problem> {
    Ok(FieldCheck { value, warning })
}

pub fn text(key: &str, text: &str) -> Result<FieldCheck, Problem> {
    let max = match key {
        "notes" | "members" => LONG_TEXT_MAX,
        _ => TEXT_MAX,
    };
    if text.chars().count() > max {
        return Err(Problem::TooLong { max });
    }
    ok(text.to_string())
}

pub fn credit_code(text: &str) -> Result<FieldCheck, Problem> {
    let value = credit_code::normalize(text);
    match credit_code::check(&value) {
        Ok(()) => {
            let warning = inner_identity_warning(&value);
            warn(value, warning)
        }
        Err(CreditCodeError::Shape) => Err(Problem::CreditCodeShape { value }),
        Err(CreditCodeError::Check { expected }) => {
            Err(Problem::CreditCodeCheck { value, expected })
        }
        Err(CreditCodeError::ImpossibleCheck { expected }) => {
            Err(Problem::CreditCodeImpossibleCheck { value, expected })
        }
    }
}

/// What a valid credit code's inner parts say: an authority/type pair the standard does not
/// know, or an organisation code (positions 9–17) that fails its own check.
fn inner_identity_warning(value: &str) -> Option<Problem> {
    if !credit_code::authority_type_known(value) {
        return Some(Problem::CreditCodeAuthority {
            value: value.to_string(),
            pair: value.chars().take(2).collect(),
        });
    }
    credit_code::org_code_mismatch(value).map(|expected| Problem::OrgCodeCheck {
        value: value.to_string(),
        expected,
    })
}

/// A record id written in full (any case, dashes optional), stored hyphenated lower-case.
pub fn record_ref(text: &str) -> Result<FieldCheck, Problem> {
    match uuid::Uuid::try_parse(text.trim()) {
        Ok(id) => ok(id.hyphenated().to_string()),
        Err(_) => Err(Problem::BadRecordRef {
            value: text.to_string(),
        }),
    }
}

/// `2024341181A8020396`: year (4) + region (6) + a letter or digit + 7 digits. Warns only.
pub fn reg_no(text: &str) -> Result<FieldCheck, Problem> {
    let value = credit_code::normalize(text);
    let b = value.as_bytes();
    let shaped = b.len() == 18
        && b[..10].iter().all(u8::is_ascii_digit)
        && b[10].is_ascii_alphanumeric()
        && b[11..].iter().all(u8::is_ascii_digit);
    let warning = if !shaped {
        Some(Problem::RegNoPattern {
            value: value.clone(),
        })
    } else if !value[4..10].starts_with(CITY_REGION_PREFIX) {
        Some(Problem::RegNoRegion {
            value: value.clone(),
            region: value[4..10].to_string(),
        })
    } else {
        None
    };
    warn(value, warning)
}

/// `GR202123000123`: `GR` + year (4) + province (2) + serial (6). Warns only.
pub fn cert_no(text: &str) -> Result<FieldCheck, Problem> {
    let value = credit_code::normalize(text);
    let shaped = value
        .strip_prefix("GR")
        .is_some_and(|rest| rest.len() == 12 && rest.bytes().all(|b| b.is_ascii_digit()));
    let warning = (!shaped).then(|| Problem::CertNoPattern {
        value: value.clone(),
    });
    warn(value, warning)
}

pub fn date(text: &str) -> Result<FieldCheck, Problem> {
    match parse_date(text) {
        Ok(day) if day.year() < 2000 => warn(
            day.to_string(),
            Some(Problem::DateBefore2000 {
                value: day.to_string(),
            }),
        ),
        Ok(day) => ok(day.to_string()),
        Err(DateError::Unreadable) => Err(Problem::BadDate {
            value: text.to_string(),
        }),
        Err(DateError::OutOfRange) => Err(Problem::DateOutOfRange {
            value: text.to_string(),
        }),
    }
}

/// The option `text` names: its key (any case, `-` or space for `_`), its Chinese label or
/// one of the Chinese aliases, or its English label (any case).
pub fn choice_key(set: ChoiceSet, text: &str) -> Option<&'static str> {
    let half = to_half_width(text);
    let compact: String = half.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = half.trim().to_lowercase();
    let as_key = lower.replace(['-', ' '], "_");
    set.options().iter().copied().find(|&key| {
        as_key == key
            || compact == choice_label(set, key, Lang::Zh)
            || choice_aliases_zh(set, key).contains(&compact.as_str())
            || lower == choice_label(set, key, Lang::En).to_lowercase()
    })
}

pub fn choice(set: ChoiceSet, text: &str) -> Result<FieldCheck, Problem> {
    match choice_key(set, text) {
        Some(key) => ok(key.to_string()),
        None => Err(Problem::BadChoice {
            value: text.to_string(),
            options: set.options().iter().map(|o| o.to_string()).collect(),
        }),
    }
}

pub fn boolean(text: &str) -> Result<FieldCheck, Problem> {
    let lower = to_half_width(text).trim().to_lowercase();
    let value = match lower.as_str() {
        "true" | "yes" | "y" | "1" | "是" | "有" | "√" | "✓" | "✔" => "true",
        "false" | "no" | "n" | "0" | "否" | "无" | "×" | "✗" | "✘" => "false",
        _ => {
            return Err(Problem::BadBool {
                value: text.to_string(),
            });
        }
    };
    ok(value.to_string())
}

/// `1,200.50元` → `1200.5`: digits with correctly grouped thousands separators, at most two
/// decimals (trailing zeros do not count), an optional `元` after and `¥` before.
pub fn amount(text: &str) -> Result<FieldCheck, Problem> {
    let half = to_half_width(text);
    let mut s = half.trim();
    s = s.strip_suffix('元').unwrap_or(s).trim_end();
    s = s
        .strip_prefix(['¥', '￥'])
        .map(str::trim_start)
        .unwrap_or(s);
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s),
    };
    let bad = || Problem::BadAmount {
        value: text.to_string(),
    };
    let canonical = canonical_amount(digits).ok_or_else(bad)?;
    if negative && canonical != "0" {
        return Err(Problem::NegativeAmount {
            value: text.to_string(),
        });
    }
    ok(canonical)
}

fn canonical_amount(s: &str) -> Option<String> {
    let (int, frac) = match s.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (s, None),
    };
    let frac = frac.unwrap_or("");
    if (int.is_empty() && frac.is_empty()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int = ungroup(int)?;
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    if int.len() > AMOUNT_MAX_DIGITS || frac.len() > 2 {
        return None;
    }
    let int = if int.is_empty() { "0" } else { int };
    Some(if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    })
}

/// `1,234,567` → `1234567`; digits only, and separators only between groups of three.
fn ungroup(int: &str) -> Option<String> {
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    if !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = first.to_string();
    let mut grouped = false;
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        grouped = true;
        out.push_str(group);
    }
    if grouped && !(1..=3).contains(&first.len()) {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(r: Result<FieldCheck, Problem>) -> Result<(String, Option<Problem>), Problem> {
        r.map(|c| (c.value, c.warning))
    }

    #[test]
    fn amounts_are_stored_canonically() {
        let cases = [
            ("1200", "1200"),
            ("1,200.50元", "1200.5"),
            ("1,234,567.89", "1234567.89"),
            ("１２００．５０元", "1200.5"),
            ("１，２００", "1200"),
            ("0", "0"),
            ("0.00", "0"),
            ("007", "7"),
            (".5", "0.5"),
            ("5.", "5"),
            ("3.100", "3.1"),
            ("¥ 300", "300"),
            ("￥300 元", "300"),
            ("-0", "0"),
            ("999999999999999.99", "999999999999999.99"),
        ];
        for (raw, want) in cases {
            assert_eq!(
                value(amount(raw)),
                Ok((want.to_string(), None)),
                "amount({raw:?})"
            );
        }
    }

    #[test]
    fn amounts_that_are_not_numbers_or_negative_are_refused() {
        let bad = [
            "abc",
            "1.234",
            "1,2",
            "1,20",
            "12,3456",
            "1234,567",
            ",123",
            "1..2",
            "1.2.3",
            "10万",
            "1 200",
            ".",
            "元",
            "1e5",
            "+5",
            "1000000000000000",
            "1,200.5.0",
        ];
        for raw in bad {
            assert_eq!(
                amount(raw),
                Err(Problem::BadAmount {
                    value: raw.to_string()
                }),
                "amount({raw:?})"
            );
        }
        for raw in ["-5", "-1,200.50元", "－３", "- 12"] {
            assert_eq!(
                amount(raw),
                Err(Problem::NegativeAmount {
                    value: raw.to_string()
                }),
                "amount({raw:?})"
            );
        }
    }

    #[test]
    fn booleans_in_every_spelling() {
        let truthy = [
            "true", "TRUE", "yes", "Yes", "y", "Y", "1", "是", "有", "√", "１",
        ];
        let falsy = ["false", "no", "NO", "n", "0", "否", "无", "×"];
        for raw in truthy {
            assert_eq!(value(boolean(raw)), Ok(("true".into(), None)), "{raw:?}");
        }
        for raw in falsy {
            assert_eq!(value(boolean(raw)), Ok(("false".into(), None)), "{raw:?}");
        }
        for raw in ["maybe", "2", "对", "yess"] {
            assert_eq!(
                boolean(raw),
                Err(Problem::BadBool { value: raw.into() }),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn choices_by_key_label_alias_or_english_label() {
        let cases = [
            (ChoiceSet::Level, "national", Some("national")),
            (ChoiceSet::Level, "NATIONAL", Some("national")),
            (ChoiceSet::Level, "国家级", Some("national")),
            (ChoiceSet::Level, "国家", Some("national")),
            (ChoiceSet::Level, "省级", Some("provincial")),
            (ChoiceSet::Level, "省", Some("provincial")),
            (ChoiceSet::Level, "Provincial", Some("provincial")),
            (ChoiceSet::Level, "市 级", Some("city")),
            (ChoiceSet::Level, "县级", None),
            (ChoiceSet::Recognition, "复审", Some("renewal")),
            (ChoiceSet::Recognition, "re-certification", Some("renewal")),
            (ChoiceSet::Recognition, "首次认定", Some("first")),
            (ChoiceSet::Size, "规上", Some("above")),
            (ChoiceSet::Size, "规模以下", Some("below")),
            (ChoiceSet::Size, "Below designated size", Some("below")),
            (ChoiceSet::IncubatorType, "maker space", Some("maker_space")),
            (ChoiceSet::IncubatorType, "Maker-Space", Some("maker_space")),
            (ChoiceSet::IncubatorType, "众创空间", Some("maker_space")),
            (ChoiceSet::IncubatorType, "孵化器", Some("incubator")),
            (ChoiceSet::TransferMode, "入股", Some("equity")),
            (ChoiceSet::TransferMode, "own use", Some("self")),
            (ChoiceSet::TransferMode, "ＬＩＣＥＮＳＥ", Some("license")),
            (ChoiceSet::TransferMode, "national", None),
        ];
        for (set, raw, want) in cases {
            assert_eq!(choice_key(set, raw), want, "{set:?} {raw:?}");
        }
    }

    #[test]
    fn every_option_is_accepted_by_key_and_both_labels() {
        for set in ChoiceSet::ALL {
            for &key in set.options() {
                for raw in [
                    key,
                    choice_label(set, key, Lang::Zh),
                    choice_label(set, key, Lang::En),
                ] {
                    assert_eq!(choice_key(set, raw), Some(key), "{set:?} {raw:?}");
                }
                for &alias in choice_aliases_zh(set, key) {
                    assert_eq!(choice_key(set, alias), Some(key), "{set:?} {alias:?}");
                }
            }
        }
    }

    #[test]
    fn registration_numbers_warn_but_are_kept() {
        let cases: [(&str, &str, Option<Problem>); 6] = [
            ("2023230521A8020396", "2023230521A8020396", None),
            (
                "２０２３２３０５２１ａ８０２０３９６",
                "2023230521A8020396",
                None,
            ),
            ("2023 2305 06 0 8020396", "202323050608020396", None),
            (
                "2024341181A8020396",
                "2024341181A8020396",
                Some(Problem::RegNoRegion {
                    value: "2024341181A8020396".into(),
                    region: "341181".into(),
                }),
            ),
            (
                "2023230521A802039",
                "2023230521A802039",
                Some(Problem::RegNoPattern {
                    value: "2023230521A802039".into(),
                }),
            ),
            (
                "2023230521-8020396",
                "2023230521-8020396",
                Some(Problem::RegNoPattern {
                    value: "2023230521-8020396".into(),
                }),
            ),
        ];
        for (raw, want, warning) in cases {
            assert_eq!(
                value(reg_no(raw)),
                Ok((want.to_string(), warning)),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn certificate_numbers_warn_but_are_kept() {
        let cases = [
            ("GR202123000123", "GR202123000123", false),
            ("gr 2021 23 000123", "GR202123000123", false),
            ("ＧＲ２０２１２３０００１２３", "GR202123000123", false),
            ("GR20212300012", "GR20212300012", true),
            ("GF202123000123", "GF202123000123", true),
            ("GR2021230001234", "GR2021230001234", true),
            ("202123000123", "202123000123", true),
        ];
        for (raw, want, warns) in cases {
            let warning = warns.then(|| Problem::CertNoPattern {
                value: want.to_string(),
            });
            assert_eq!(
                value(cert_no(raw)),
                Ok((want.to_string(), warning)),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn dates_are_stored_iso() {
        let cases = [
            ("2023年4月1日", Ok("2023-04-01")),
            ("2023/4/1", Ok("2023-04-01")),
            (
                "2023-02-29",
                Err(Problem::BadDate {
                    value: "2023-02-29".into(),
                }),
            ),
            (
                "1900-01-01",
                Err(Problem::DateOutOfRange {
                    value: "1900-01-01".into(),
                }),
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(
                date(raw).map(|c| c.value),
                want.map(String::from),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn text_length_limits() {
        let long = "字".repeat(TEXT_MAX + 1);
        assert_eq!(text("name", &long), Err(Problem::TooLong { max: TEXT_MAX }));
        assert!(text("name", &"字".repeat(TEXT_MAX)).is_ok());
        assert!(text("notes", &long).is_ok());
        assert!(text("members", &"字".repeat(LONG_TEXT_MAX)).is_ok());
        assert_eq!(
            text("notes", &"字".repeat(LONG_TEXT_MAX + 1)),
            Err(Problem::TooLong { max: LONG_TEXT_MAX })
        );
    }
}
