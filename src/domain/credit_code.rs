//! Unified social credit codes (统一社会信用代码, GB 32100-2015): normalising and checking.

use super::validate::text::to_half_width;

/// The 31 characters a credit code is written in; a character's value is its index.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The weight of each of the first 17 positions: 3^(i-1) mod 31.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why a credit code is not accepted as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CreditCodeError {
    /// Not 18 characters from [`ALPHABET`].
    Shape,
    /// Right shape, but the 18th character should be `expected`.
    Check { expected: char },
    /// The 18th character is a letter no credit code can end in (I, O, S, V, Z, or any other
    /// outside [`ALPHABET`]): a typing mistake, never an early pilot code.
    ImpossibleCheck { expected: char },
}

/// Trim, full-width → half-width, drop inner spaces, upper-case.
pub fn normalize(raw: &str) -> String {
    to_half_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The value (0..=30) of one credit-code character, if it is one.
fn value_of(c: char) -> Option<u32> {
    ALPHABET.chars().position(|a| a == c).map(|p| p as u32)
}

/// The check character for the first 17 characters, or `None` if they are not 17 valid ones.
pub fn check_char(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut count = 0usize;
    for c in first17.chars() {
        let weight = WEIGHTS.get(count)?;
        sum += value_of(c)? * weight;
        count += 1;
    }
    if count != WEIGHTS.len() {
        return None;
    }
    let check = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(check as usize)
}

/// Checks an already normalised code.
///
/// The first 17 characters must come from [`ALPHABET`]. The 18th may be any ASCII letter or
/// digit: a wrong one is a check failure that names the expected character, since the clerk
/// can then compare it with the licence; one outside the alphabet (as in the standard's own
/// example `91350100M000100Y4Z`) can never be right and says so.
pub fn check(code: &str) -> Result<(), CreditCodeError> {
    let chars: Vec<char> = code.chars().collect();
    let [first17 @ .., last] = chars.as_slice() else {
        return Err(CreditCodeError::Shape);
    };
    if chars.len() != 18 || !last.is_ascii_alphanumeric() {
        return Err(CreditCodeError::Shape);
    }
    let first17: String = first17.iter().collect();
    let expected = check_char(&first17).ok_or(CreditCodeError::Shape)?;
    if *last == expected {
        Ok(())
    } else if value_of(*last).is_none() {
        Err(CreditCodeError::ImpossibleCheck { expected })
    } else {
        Err(CreditCodeError::Check { expected })
    }
}

/// GB 32100-2015 table 1 with its later additions: each registration authority (position 1)
/// and the entity types (position 2) it registers.
const AUTHORITY_TYPES: &[(char, &str)] = &[
    ('1', "1239"),   // 机构编制: 机关, 事业单位, 中央编办管理的群众团体, 其他
    ('2', "19"),     // 外交: 外国常驻新闻机构, 其他
    ('3', "123459"), // 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    ('4', "19"),     // 文化: 外国在华文化中心, 其他
    ('5', "1239"),   // 民政: 社会团体, 民办非企业单位, 基金会, 其他
    ('6', "129"),    // 旅游: 外国和港澳台旅游部门常驻代表机构, 其他
    ('7', "129"),    // 宗教: 宗教活动场所, 宗教院校, 其他
    ('8', "19"),     // 工会: 基层工会, 其他
    ('9', "123"),    // 市场监管（工商）: 企业, 个体工商户, 农民专业合作社
    ('A', "19"),     // 中央军委改革和编制办公室: 军队事业单位, 其他
    ('N', "1239"),   // 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    ('Y', "1"),      // 其他
];

/// Whether positions 1–2 (registration authority and entity type) are a pair the standard
/// knows. Expects a code of the right shape.
pub fn authority_type_known(code: &str) -> bool {
    let mut chars = code.chars();
    let (Some(authority), Some(entity)) = (chars.next(), chars.next()) else {
        return false;
    };
    AUTHORITY_TYPES
        .iter()
        .any(|(a, types)| *a == authority && types.contains(entity))
}

/// GB 11714 weights of the organisation code's eight body characters.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// The GB 11714 check character of positions 9–16 when it differs from position 17, for a
/// code of the right shape: `None` when the organisation code inside it checks out.
pub fn org_code_mismatch(code: &str) -> Option<char> {
    let chars: Vec<char> = code.chars().collect();
    let body = chars.get(8..16)?;
    let given = *chars.get(16)?;
    let mut sum = 0u32;
    for (c, weight) in body.iter().zip(ORG_WEIGHTS) {
        sum += c.to_digit(36)? * weight;
    }
    let expected = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10)?,
    };
    (given != expected).then_some(expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_cleans_what_clerks_paste() {
        let cases = [
            ("91350100M000100Y43", "91350100M000100Y43"),
            ("  91350100m000100y43\t", "91350100M000100Y43"),
            ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),
            ("９１３５０１００ｍ０００１００ｙ４３", "91350100M000100Y43"),
            ("9135 0100\u{3000}M000 100Y43", "91350100M000100Y43"),
            ("", ""),
            ("\u{3000} ", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(normalize(raw), want, "normalize({raw:?})");
        }
    }

    #[test]
    fn check_char_computes_the_eighteenth() {
        let cases = [
            ("91350100M000100Y4", Some('3')),
            // Every character counts: changing one changes the check.
            ("91350100M000100Y5", Some('6')),
            ("00000000000000000", Some('0')),
            // Too short, too long, or a character outside the alphabet.
            ("91350100M000100Y", None),
            ("91350100M000100Y43", None),
            ("91350100O000100Y4", None),
            ("91350100m000100Y4", None),
            ("", None),
        ];
        for (first17, want) in cases {
            assert_eq!(check_char(first17), want, "check_char({first17:?})");
        }
    }

    #[test]
    fn check_char_makes_codes_that_pass() {
        for first17 in [
            "91230521MA1B2C3D4",
            "12230500000000000",
            "Y1230502MA1C0RXX1",
        ] {
            let Some(c) = check_char(first17) else {
                panic!("{first17} should have a check character");
            };
            let code = format!("{first17}{c}");
            assert_eq!(check(&code), Ok(()), "{code}");
        }
    }

    #[test]
    fn check_accepts_real_codes_and_names_the_expected_character() {
        use CreditCodeError::{Check, ImpossibleCheck, Shape};
        let cases: [(&str, Result<(), CreditCodeError>); 12] = [
            ("91350100M000100Y43", Ok(())),
            ("91350100M000100Y4Z", Err(ImpossibleCheck { expected: '3' })),
            ("91350100M000100Y44", Err(Check { expected: '3' })),
            ("91350100M000100Y4I", Err(ImpossibleCheck { expected: '3' })),
            // Letters the standard leaves out, inside the first 17.
            ("9135010IM000100Y43", Err(Shape)),
            ("9135010OM000100Y43", Err(Shape)),
            ("9135010SM000100Y43", Err(Shape)),
            ("9135010VM000100Y43", Err(Shape)),
            ("9135010ZM000100Y43", Err(Shape)),
            // Wrong length, an unnormalised code, or junk in the last place.
            ("91350100M000100Y4", Err(Shape)),
            ("91350100M000100Y433", Err(Shape)),
            ("91350100M000100Y4-", Err(Shape)),
        ];
        for (code, want) in cases {
            assert_eq!(check(code), want, "check({code:?})");
        }
        assert_eq!(check(""), Err(Shape));
        assert_eq!(check("91350100m000100y43"), Err(Shape));
    }

    #[test]
    fn impossible_check_letters_are_told_apart_from_wrong_ones() {
        for last in ['I', 'O', 'S', 'V', 'Z'] {
            let code = format!("91350100M000100Y4{last}");
            assert_eq!(
                check(&code),
                Err(CreditCodeError::ImpossibleCheck { expected: '3' }),
                "{code}"
            );
        }
        // Every character of the alphabet is a possible (if wrong) check character.
        for last in ALPHABET.chars().filter(|c| *c != '3') {
            let code = format!("91350100M000100Y4{last}");
            assert_eq!(
                check(&code),
                Err(CreditCodeError::Check { expected: '3' }),
                "{code}"
            );
        }
    }

    #[test]
    fn authority_and_type_pairs_follow_the_standard() {
        for code in [
            "91350100M000100Y43",
            "92230521",
            "93230521",
            "12230500",
            "53230500",
            "Y1230502",
        ] {
            assert!(authority_type_known(code), "{code}");
        }
        for code in [
            "94230521", "99230521", "90230521", "Y2230502", "B1230502", "14230500", "", "9",
        ] {
            assert!(!authority_type_known(code), "{code}");
        }
    }

    #[test]
    fn the_organisation_code_inside_is_checked_by_gb_11714() {
        // The standard's example: M000100Y + 4.
        assert_eq!(org_code_mismatch("91350100M000100Y43"), None);
        assert_eq!(org_code_mismatch("91350100M000100Y53"), Some('4'));
        // Sum 399 → 11 − 3 = 8.
        assert_eq!(org_code_mismatch("91230521MA1B2C3D8X"), None);
        assert_eq!(org_code_mismatch("91230521MA1B2C3D4B"), Some('8'));
        // 11 − 0 = 11 → '0'; 11 − 1 = 10 → 'X'.
        assert_eq!(org_code_mismatch("912305210000000000"), None);
        assert_eq!(org_code_mismatch("912305214000000010"), Some('X'));
        assert_eq!(org_code_mismatch("9123052140000000X0"), None);
        assert_eq!(org_code_mismatch("91230521"), None, "too short to tell");
    }

    #[test]
    fn full_width_and_lower_case_input_passes_after_normalising() {
        for raw in [
            "９１３５０１００Ｍ０００１００Ｙ４３",
            "91350100m000100y43",
            " 91350100 M000100 Y43 ",
        ] {
            assert_eq!(check(&normalize(raw)), Ok(()), "{raw}");
        }
    }
}
