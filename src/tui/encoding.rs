//! Whether the clerk's terminal speaks UTF-8. Typed Chinese from a terminal set to GBK
//! (Xshell's default on Chinese Windows) is not UTF-8: the terminal library drops such bytes
//! without a word, or turns a pair of them into an unrelated Latin or Greek letter. So the
//! locale is checked at start, and the terminal itself is asked how wide it drew a Chinese
//! character; when either is not UTF-8, the message line says how to set the SSH client.

use std::ffi::OsString;

/// What was found out about the terminal's encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotUtf8 {
    /// The locale (`LC_ALL`, `LC_CTYPE` or `LANG`, the first one set) names another
    /// character set, or none.
    Locale(String),
    /// The terminal drew a Chinese character sent as UTF-8 over this many columns, not 2.
    Terminal(u16),
}

/// The locale that decides the character set: the first of `LC_ALL`, `LC_CTYPE` and `LANG`
/// that is set and not empty (`C` when none is).
pub fn locale(var: impl Fn(&str) -> Option<OsString>) -> String {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .into_iter()
        .filter_map(var)
        .map(|v| v.to_string_lossy().into_owned())
        .find(|v| !v.is_empty())
        .unwrap_or_else(|| "C".to_string())
}

/// Whether a locale name says UTF-8 (`zh_CN.UTF-8`, `en_US.utf8`, `C.UTF-8`).
pub fn locale_is_utf8(locale: &str) -> bool {
    let charset = locale
        .split_once('.')
        .map_or("", |(_, rest)| rest.split('@').next().unwrap_or(""));
    let normalized: String = charset
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    normalized == "utf8"
}

/// The locale check for this process.
pub fn check_locale() -> Option<NotUtf8> {
    let locale = locale(|name| std::env::var_os(name));
    (!locale_is_utf8(&locale)).then_some(NotUtf8::Locale(locale))
}

/// Asks the terminal how far its cursor moved after drawing `中` sent as UTF-8: a UTF-8
/// terminal moves two columns; a GBK one reads the three bytes as one and a half characters
/// and moves three. Call before key reading starts (the answer arrives as input) and clear
/// the screen afterwards. `None` when the terminal does not answer or moves two columns.
pub fn probe_terminal() -> Option<NotUtf8> {
    use std::io::Write;

    use ratatui::crossterm::cursor::{MoveTo, position};
    use ratatui::crossterm::queue;

    let mut out = std::io::stdout();
    queue!(out, MoveTo(0, 0)).ok()?;
    out.write_all("中".as_bytes()).ok()?;
    out.flush().ok()?;
    let (column, _) = position().ok()?;
    (column != 2).then_some(NotUtf8::Terminal(column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_locales_are_told_from_others() {
        for yes in ["zh_CN.UTF-8", "en_US.utf8", "C.UTF-8", "zh_CN.utf-8@pinyin"] {
            assert!(locale_is_utf8(yes), "{yes}");
        }
        for no in ["zh_CN.GBK", "zh_CN.GB18030", "C", "POSIX", "zh_CN", ""] {
            assert!(!locale_is_utf8(no), "{no}");
        }
    }

    #[test]
    fn the_first_locale_variable_set_decides() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| OsString::from(*v))
            }
        };
        assert_eq!(
            locale(env(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "zh_CN.GBK")])),
            "zh_CN.GBK"
        );
        assert_eq!(
            locale(env(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "")])),
            "zh_CN.UTF-8"
        );
        assert_eq!(locale(env(&[])), "C");
    }
}
