//! Making text from records safe and aligned for a terminal: control characters removed,
//! bidi and zero-width controls shown visibly, and CJK-aware width, truncation and padding.

use std::borrow::Cow;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::validate::text::is_format_control;

/// Text safe to print: C0/C1 controls and DEL dropped (tabs and newlines become spaces),
/// bidi and zero-width controls replaced by a visible `<U+XXXX>`.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || is_format_control(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\t' || c == '\n' || c == '\r' {
            out.push(' ');
        } else if c.is_control() {
            continue;
        } else if is_format_control(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Display columns the text takes in a terminal (CJK characters take two).
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Cuts `text` to at most `max` columns without splitting a character, marking a cut with `~`.
pub fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if width(text) <= max {
        return Cow::Borrowed(text);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('~');
    Cow::Owned(out)
}

/// `text` truncated to `cols` columns and padded with spaces to exactly `cols`.
pub fn fit(text: &str, cols: usize) -> String {
    let cut = truncate(text, cols);
    let pad = cols.saturating_sub(width(&cut));
    let mut out = cut.into_owned();
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_removes_controls_and_shows_bidi() {
        assert_eq!(safe("集贤\x1b[31m县"), "集贤[31m县");
        assert_eq!(safe("a\u{202E}b"), "a<U+202E>b");
        assert_eq!(safe("line1\nline2\u{9b}"), "line1 line2");
        assert!(matches!(safe("平常文本"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncate_never_splits_a_wide_character() {
        assert_eq!(truncate("双鸭山市科技局", 6), "双鸭~");
        assert_eq!(width(&truncate("双鸭山市科技局", 5)), 5);
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(fit("双鸭山", 7), "双鸭山 ");
        assert_eq!(width(&fit("双鸭山市科技局", 9)), 9);
    }
}
