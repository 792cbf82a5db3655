//! Every user-facing string, in Simplified Chinese (the default) and English.
//!
//! Messages live here and nowhere else: errors implement [`Localized`] in the submodules,
//! labels for kinds, fields and choices are in [`labels`].

pub mod awards;
pub mod backup;
mod bundle;
pub mod cli_help;
pub mod figures;
pub mod labels;
pub mod messages;
pub mod os_errors;
pub mod outlook;
mod plan;
pub mod plan_in_force;
pub mod pool;
pub(crate) mod problems;
mod refusals;
pub mod sheet;
mod store;
pub mod tui;

use serde::Serialize;

/// The language of screens and messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `zh`, `zh-CN`, `zh_CN.UTF-8`, `en`, `en-US`… → a language; anything else → `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let lower = s.trim().to_ascii_lowercase();
        if lower.starts_with("zh") {
            Some(Lang::Zh)
        } else if lower.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// Something that can say itself to a user in either language.
pub trait Localized {
    fn localize(&self, lang: Lang) -> String;
}

/// `tr!(lang, "中文 {x}", "English {x}")`: the one way strings are chosen by language.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $zh:literal, $en:literal $(, $($arg:tt)*)?) => {
        match $lang {
            $crate::i18n::Lang::Zh => format!($zh $(, $($arg)*)?),
            $crate::i18n::Lang::En => format!($en $(, $($arg)*)?),
        }
    };
}
