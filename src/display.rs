//! Making text from records safe and aligned for a terminal: control characters removed,
//! invisible and layout-breaking characters shown visibly, paths escaped, and CJK-aware
//! width, truncation and padding.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::domain::validate::text::{forbidden_kind, is_format_control};

/// Characters printed as a visible `<U+XXXX>`: bidi and zero-width controls and the other
/// invisible ones, line and paragraph separators (U+2028/2029), noncharacters, private-use
/// and tag characters. A terminal would hide them, reorder text around them or break the
/// line at them; a table would lose its columns.
pub fn shown_as_code(c: char) -> bool {
    !c.is_control() && (is_format_control(c) || forbidden_kind(c).is_some())
}

/// Text safe to print: C0/C1 controls and DEL dropped (tabs and newlines become spaces),
/// the characters of [`shown_as_code`] replaced by a visible `<U+XXXX>`.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || shown_as_code(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\t' || c == '\n' || c == '\r' {
            out.push(' ');
        } else if c.is_control() {
            continue;
        } else if shown_as_code(c) {
            push_code(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn push_code(out: &mut String, c: char) {
    // Writing to a String cannot fail.
    let _ = write!(out, "<U+{:04X}>", c as u32);
}

/// A file path as a message shows it: every control character (newline, tab and ESC
/// included) and every character of [`shown_as_code`] written as `<U+XXXX>`, bytes that are
/// not UTF-8 as `<0xNN>`, so the path reads as exactly what it is and cannot rewrite the
/// terminal.
pub fn path(path: &Path) -> String {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() || shown_as_code(c) {
                push_code(&mut out, c);
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "<0x{b:02X}>");
        }
    }
    out
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
    fn safe_shows_what_would_shift_columns() {
        for (raw, want) in [
            ("第一行\u{2028}第二行", "第一行<U+2028>第二行"),
            ("段\u{2029}", "段<U+2029>"),
            ("名\u{FDD0}", "名<U+FDD0>"),
            ("\u{FFFF}", "<U+FFFF>"),
            ("私\u{E000}用", "私<U+E000>用"),
            ("\u{F0000}", "<U+F0000>"),
            ("孵化器\u{E0041}\u{E007F}", "孵化器<U+E0041><U+E007F>"),
            ("\u{200F}\u{2066}", "<U+200F><U+2066>"),
        ] {
            assert_eq!(safe(raw), want, "{raw:?}");
        }
        assert_eq!(safe("😀 𠀀"), "😀 𠀀");
    }

    #[test]
    fn paths_show_every_control_and_hidden_character_escaped() {
        let shown = path(Path::new("/media/u盘/a\nb\u{1b}[2J\u{202E}c\td\u{7f}.tzb"));
        assert_eq!(
            shown,
            "/media/u盘/a<U+000A>b<U+001B>[2J<U+202E>c<U+0009>d<U+007F>.tzb"
        );
        assert_eq!(path(Path::new("/tmp/双鸭山.tzb")), "/tmp/双鸭山.tzb");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let raw = std::ffi::OsStr::from_bytes(b"/tmp/\xff\xfe.tzb");
            assert_eq!(path(Path::new(raw)), "/tmp/<0xFF><0xFE>.tzb");
        }
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
