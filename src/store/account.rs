//! The OS account recorded as the author of every change, read from the environment and
//! checked like any other text the ledger keeps before anything is written.

use crate::domain::Problem;
use crate::domain::validate::{ACCOUNT_MAX, kept_text};

/// The environment variables naming the account, in the order they are read.
pub const ACCOUNT_VARS: [&str; 3] = ["USER", "LOGNAME", "USERNAME"];

/// The account recorded when none of [`ACCOUNT_VARS`] is set.
pub const UNKNOWN_ACCOUNT: &str = "unknown";

/// The environment names an account the ledger cannot record: a writing command refuses
/// before it writes anything; reading the ledger is not affected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("environment variable {var} cannot be recorded as the account: {problem:?}")]
pub struct AccountError {
    /// The variable the account was taken from.
    pub var: &'static str,
    pub problem: AccountProblem,
}

/// What is wrong with the account's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountProblem {
    /// The variable's value is not valid UTF-8.
    NotUnicode,
    /// Too long, or a character the text policy refuses.
    Text(Problem),
}

/// The OS account making changes: the first of `USER`, `LOGNAME`, `USERNAME` that is set and
/// not blank, in the text policy's stored form, else [`UNKNOWN_ACCOUNT`]. Refused when that
/// variable is not UTF-8, is longer than [`ACCOUNT_MAX`] characters or holds a character
/// the text policy refuses.
pub fn os_account() -> Result<String, AccountError> {
    account_from(std::env::var_os)
}

/// The name drafts are filed under: the OS account, or [`UNKNOWN_ACCOUNT`] when it cannot be
/// recorded (nothing can be saved then, but a form can still be kept).
pub fn draft_account() -> String {
    os_account().unwrap_or_else(|_| UNKNOWN_ACCOUNT.to_owned())
}

/// [`os_account`] over any source of variables (tests pass their own).
pub fn account_from(
    lookup: impl Fn(&'static str) -> Option<std::ffi::OsString>,
) -> Result<String, AccountError> {
    for var in ACCOUNT_VARS {
        let Some(raw) = lookup(var) else {
            continue;
        };
        let Some(name) = raw.to_str() else {
            return Err(AccountError {
                var,
                problem: AccountProblem::NotUnicode,
            });
        };
        if name.trim().is_empty() {
            continue;
        }
        return kept_text(name, ACCOUNT_MAX).map_err(|problem| AccountError {
            var,
            problem: AccountProblem::Text(problem),
        });
    }
    Ok(UNKNOWN_ACCOUNT.to_owned())
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::*;

    fn from(vars: &[(&'static str, &str)]) -> Result<String, AccountError> {
        account_from(|var| {
            vars.iter()
                .find(|(name, _)| *name == var)
                .map(|(_, value)| OsString::from(value))
        })
    }

    #[test]
    fn the_first_set_variable_names_the_account() {
        assert_eq!(from(&[("USER", " clerk-li ")]), Ok("clerk-li".into()));
        assert_eq!(
            from(&[("USER", "  "), ("LOGNAME", "wang"), ("USERNAME", "x")]),
            Ok("wang".into())
        );
        assert_eq!(from(&[("USERNAME", "张三")]), Ok("张三".into()));
        assert_eq!(from(&[]), Ok(UNKNOWN_ACCOUNT.into()));
        assert_eq!(
            from(&[("USER", &"a".repeat(ACCOUNT_MAX))]),
            Ok("a".repeat(ACCOUNT_MAX))
        );
    }

    #[test]
    fn a_long_or_hostile_account_is_refused_naming_its_variable() {
        assert_eq!(
            from(&[("USER", &"a".repeat(ACCOUNT_MAX + 1)), ("LOGNAME", "ok")]),
            Err(AccountError {
                var: "USER",
                problem: AccountProblem::Text(Problem::TooLong { max: ACCOUNT_MAX }),
            })
        );
        let bidi = from(&[("LOGNAME", "clerk\u{202E}")]);
        assert!(
            matches!(
                &bidi,
                Err(AccountError {
                    var: "LOGNAME",
                    problem: AccountProblem::Text(Problem::ForbiddenCharacter { .. })
                })
            ),
            "{bidi:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_account_that_is_not_text_is_refused() {
        use std::os::unix::ffi::OsStringExt;
        let got = account_from(|var| (var == "USER").then(|| OsString::from_vec(vec![0xFF])));
        assert_eq!(
            got,
            Err(AccountError {
                var: "USER",
                problem: AccountProblem::NotUnicode,
            })
        );
    }
}
