//! The OS account recorded as the author of every change, read from the environment (else
//! the passwd entry of the real user) and checked like any other text the ledger keeps before
//! anything is written.

use crate::domain::Problem;
use crate::domain::validate::{ACCOUNT_MAX, kept_text};

/// The environment variables naming the account, in the order they are read.
pub const ACCOUNT_VARS: [&str; 3] = ["USER", "LOGNAME", "USERNAME"];

/// The account recorded when none of [`ACCOUNT_VARS`] is set and the real user has no
/// usable passwd entry.
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
/// not blank, in the text policy's stored form, else the login name of the real user's passwd
/// entry, else [`UNKNOWN_ACCOUNT`]. Refused when that variable is not UTF-8, is longer than
/// [`ACCOUNT_MAX`] characters or holds a character the text policy refuses.
pub fn os_account() -> Result<String, AccountError> {
    account_from(std::env::var_os, real_user_login_name)
}

/// The name drafts are filed under: the OS account, or [`UNKNOWN_ACCOUNT`] when it cannot be
/// recorded (nothing can be saved then, but a form can still be kept).
pub fn draft_account() -> String {
    os_account().unwrap_or_else(|_| UNKNOWN_ACCOUNT.to_owned())
}

/// [`os_account`] over any source of variables and login name (tests pass their own). A
/// login name the text policy refuses is not recorded ([`UNKNOWN_ACCOUNT`] is).
pub fn account_from(
    lookup: impl Fn(&'static str) -> Option<std::ffi::OsString>,
    login_name: impl FnOnce() -> Option<String>,
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
    Ok(login_name()
        .filter(|name| !name.trim().is_empty())
        .and_then(|name| kept_text(&name, ACCOUNT_MAX).ok())
        .unwrap_or_else(|| UNKNOWN_ACCOUNT.to_owned()))
}

/// The login name in the passwd entry of the process's real user, if it has one in UTF-8.
#[cfg(unix)]
pub fn real_user_login_name() -> Option<String> {
    use std::ffi::CStr;
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    let mut buffer = vec![0u8; 1024];
    loop {
        // SAFETY: an all-zero passwd (null pointers, zero ids) is a valid value to overwrite.
        let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer is valid for the call, the buffer's length is passed with it,
        // and the strings of `entry` point into `buffer`, which outlives their use below.
        let status = unsafe {
            libc::getpwuid_r(
                uid,
                &mut entry,
                buffer.as_mut_ptr().cast(),
                buffer.len(),
                &mut found,
            )
        };
        if status == libc::ERANGE && buffer.len() < 1 << 20 {
            buffer.resize(buffer.len() * 2, 0);
            continue;
        }
        if status != 0 || found.is_null() || entry.pw_name.is_null() {
            return None;
        }
        // SAFETY: on success pw_name is a NUL-terminated string inside `buffer`.
        let name = unsafe { CStr::from_ptr(entry.pw_name) };
        return name.to_str().ok().map(str::to_owned);
    }
}

/// No passwd outside unix: only the environment names the account.
#[cfg(not(unix))]
pub fn real_user_login_name() -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use super::*;

    fn from(vars: &[(&'static str, &str)]) -> Result<String, AccountError> {
        account_from(
            |var| {
                vars.iter()
                    .find(|(name, _)| *name == var)
                    .map(|(_, value)| OsString::from(value))
            },
            || None,
        )
    }

    #[test]
    fn without_the_variables_the_passwd_login_name_is_the_account() {
        let none = |_| None;
        assert_eq!(account_from(none, || Some("li".into())), Ok("li".into()));
        assert_eq!(
            account_from(none, || Some("x\u{202E}".into())),
            Ok(UNKNOWN_ACCOUNT.into())
        );
        assert_eq!(
            account_from(|_| Some("wang".into()), || Some("li".into())),
            Ok("wang".into())
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_real_user_has_a_login_name() {
        let name = real_user_login_name();
        assert!(name.as_deref().is_some_and(|n| !n.is_empty()), "{name:?}");
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
        let got = account_from(
            |var| (var == "USER").then(|| OsString::from_vec(vec![0xFF])),
            || None,
        );
        assert_eq!(
            got,
            Err(AccountError {
                var: "USER",
                problem: AccountProblem::NotUnicode,
            })
        );
    }
}
