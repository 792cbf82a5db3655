//! Text clean-up shared by the checks: control characters, full-width forms, comparable names.

/// Full-width ASCII forms (U+FF01..U+FF5E) → ASCII, ideographic space (U+3000) → space.
/// Everything else, Chinese text included, is kept as it is.
pub fn to_half_width(raw: &str) -> String {
    raw.chars().map(half_width_char).collect()
}

fn half_width_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// What a clerk typed, fit to store: C0/C1 control characters and DEL removed, except that a
/// run of line breaks or tabs becomes one space; bidi and zero-width controls (pasted from
/// web pages, or planted to disguise a name) removed; then trimmed.
pub fn clean_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut in_break = false;
    for c in raw.chars() {
        if is_format_control(c) {
            continue;
        }
        if c.is_control() {
            if c.is_whitespace() && !in_break {
                out.push(' ');
                in_break = true;
            }
            continue;
        }
        in_break = false;
        out.push(c);
    }
    out.trim().to_string()
}

/// Characters that reorder or hide text: bidi overrides and isolates, zero-width spaces and
/// joiners, the byte-order mark.
pub fn is_format_control(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
}

/// A name as compared for duplicates: half-width, no whitespace at all, lower-case, so that
/// `双鸭山（市）孵化器` and `双鸭山 (市) 孵化器` are the same name.
pub fn normalized_name(name: &str) -> String {
    to_half_width(name)
        .chars()
        .filter(|c| !c.is_whitespace() && !is_format_control(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_maps_full_width_ascii_only() {
        let cases = [
            ("２０２３－０４－０１", "2023-04-01"),
            ("ＧＲ２０２１", "GR2021"),
            ("（有限公司）", "(有限公司)"),
            ("a\u{3000}b", "a b"),
            ("双鸭山市，宝清县。", "双鸭山市,宝清县。"),
            ("plain", "plain"),
        ];
        for (raw, want) in cases {
            assert_eq!(to_half_width(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn clean_text_drops_controls_and_turns_breaks_into_spaces() {
        let cases = [
            ("  宝清县科技局  ", "宝清县科技局"),
            ("第一行\r\n第二行", "第一行 第二行"),
            ("a\tb\nc", "a b c"),
            ("\u{1b}[31m红色\u{1b}[0m", "[31m红色[0m"),
            ("bell\u{7}del\u{7f}c1\u{85}x\u{9b}y", "belldelc1 xy"),
            ("\n\n", ""),
            ("恶意\u{202E}名称\u{200B}孵化器\u{FEFF}", "恶意名称孵化器"),
        ];
        for (raw, want) in cases {
            assert_eq!(clean_text(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn normalized_name_ignores_width_spaces_case_and_bracket_style() {
        let cases = [
            ("双鸭山（市）孵化器", "双鸭山(市)孵化器"),
            ("双鸭山 (市) 孵化器", "双鸭山(市)孵化器"),
            ("ＡＢＣ 科技", "abc科技"),
            ("Abc\u{3000}科技", "abc科技"),
            ("双鸭\u{200B}山\u{202E}孵化器", "双鸭山孵化器"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalized_name(raw), want, "{raw:?}");
        }
    }
}
