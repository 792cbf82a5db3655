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
/// digit: a wrong one (even a letter the alphabet lacks, as in the standard's own example
/// `91350100M000100Y4Z`) is a check failure that names the expected character, since the
/// clerk can then compare it with the licence.
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
    } else {
        Err(CreditCodeError::Check { expected })
    }
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
        use CreditCodeError::{Check, Shape};
        let cases: [(&str, Result<(), CreditCodeError>); 12] = [
            ("91350100M000100Y43", Ok(())),
            ("91350100M000100Y4Z", Err(Check { expected: '3' })),
            ("91350100M000100Y44", Err(Check { expected: '3' })),
            ("91350100M000100Y4I", Err(Check { expected: '3' })),
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
