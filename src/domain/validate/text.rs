//! The text policy every stored text field follows: what is refused, what is removed, how
//! values are normalised (NFKC), and the identity key names are compared by.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

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

/// What kind of character was refused, for the message that names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ForbiddenKind {
    /// A C0/C1 control character or DEL other than tab, CR and LF (ESC, BEL, NEL …).
    Control,
    /// U+2028 LINE SEPARATOR or U+2029 PARAGRAPH SEPARATOR.
    LineSeparator,
    /// A Unicode noncharacter (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF).
    Noncharacter,
    /// A private-use character (U+E000..U+F8FF, planes 15 and 16).
    PrivateUse,
    /// A tag character (U+E0000..U+E007F).
    Tag,
    /// A bidirectional control: embeddings, overrides, isolates, marks.
    Bidi,
}

/// A character refused in a stored text: where it is (1-based, counting characters of the
/// text as typed), which code point, and what kind of character it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ForbiddenChar {
    pub position: usize,
    pub code_point: u32,
    pub kind: ForbiddenKind,
}

/// Unicode's Default_Ignorable_Code_Point, from DerivedCoreProperties.txt (Unicode 15.1).
/// Those that are not refused (see [`forbidden_kind`]) are removed from stored values.
const DEFAULT_IGNORABLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
];

/// General category Cf (format), from DerivedGeneralCategory.txt (Unicode 15.1). Ignored by
/// the identity key.
const FORMAT: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

fn in_table(table: &[(u32, u32)], c: char) -> bool {
    let cp = c as u32;
    // Both tables are sorted: stop at the first range that starts beyond `cp`.
    table
        .iter()
        .take_while(|&&(lo, _)| lo <= cp)
        .any(|&(_, hi)| cp <= hi)
}

/// Default-ignorable: invisible in any text (Unicode's Default_Ignorable_Code_Point).
pub fn is_default_ignorable(c: char) -> bool {
    in_table(DEFAULT_IGNORABLE, c)
}

/// A format character (general category Cf).
pub fn is_format(c: char) -> bool {
    in_table(FORMAT, c)
}

/// Why `c` has no business in a record, or `None` when it may be stored (perhaps after
/// removal as a default-ignorable). Tab, CR and LF are allowed: runs of them become a space.
pub fn forbidden_kind(c: char) -> Option<ForbiddenKind> {
    let cp = c as u32;
    match c {
        '\t' | '\n' | '\r' => None,
        _ if c.is_control() => Some(ForbiddenKind::Control),
        '\u{2028}' | '\u{2029}' => Some(ForbiddenKind::LineSeparator),
        '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{061C}' => Some(ForbiddenKind::Bidi),
        '\u{E0000}'..='\u{E007F}' => Some(ForbiddenKind::Tag),
        '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}' if !is_noncharacter(cp) => {
            Some(ForbiddenKind::PrivateUse)
        }
        _ if is_noncharacter(cp) => Some(ForbiddenKind::Noncharacter),
        _ => None,
    }
}

/// U+FDD0..U+FDEF and the last two code points of every plane.
fn is_noncharacter(cp: u32) -> bool {
    (0xFDD0..=0xFDEF).contains(&cp) || cp & 0xFFFE == 0xFFFE
}

/// The first character of `raw` that has no business in a record.
pub fn first_forbidden(raw: &str) -> Option<ForbiddenChar> {
    raw.chars().enumerate().find_map(|(i, c)| {
        forbidden_kind(c).map(|kind| ForbiddenChar {
            position: i + 1,
            code_point: c as u32,
            kind,
        })
    })
}

/// Characters removed from stored values without a word: the default-ignorables that are
/// not refused (soft hyphen, zero-width space and joiners, variation selectors, Hangul
/// fillers, the Mongolian vowel separator, the byte-order mark …).
fn is_removed(c: char) -> bool {
    is_default_ignorable(c) && forbidden_kind(c).is_none()
}

/// What a clerk typed, fit to store, or the first character that is refused. Removed: the
/// harmless invisible characters ([`is_removed`]); a run of tabs and line breaks becomes
/// one space; then NFKC (full-width ASCII and U+3000 become ASCII) and trimming.
pub fn stored_text(raw: &str) -> Result<String, ForbiddenChar> {
    if let Some(found) = first_forbidden(raw) {
        return Err(found);
    }
    Ok(policy_form(raw))
}

/// The policy's output for text known to hold no refused character (refused ones pass).
fn policy_form(raw: &str) -> String {
    // Most values are printable ASCII and common CJK ideographs, which the policy leaves as
    // they are but for trimming: no need to normalise them.
    if raw.chars().all(is_stable) {
        return raw.trim().to_string();
    }
    slow_policy_form(raw)
}

/// Characters that NFKC and the policy leave alone, alone or next to each other: printable
/// ASCII and the CJK Unified Ideographs block.
fn is_stable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{4E00}'..='\u{9FFF}')
}

fn slow_policy_form(raw: &str) -> String {
    let mut kept = String::with_capacity(raw.len());
    let mut in_break = false;
    for c in raw.chars() {
        if is_removed(c) {
            continue;
        }
        if matches!(c, '\t' | '\n' | '\r') {
            if !in_break {
                kept.push(' ');
                in_break = true;
            }
            continue;
        }
        in_break = false;
        kept.push(c);
    }
    // NFKC can yield a removed character (U+3164 HANGUL FILLER → U+1160), so remove again.
    let normal: String = kept.nfkc().filter(|&c| !is_removed(c)).collect();
    normal.trim().to_string()
}

/// Text of older ledgers or bundles as this policy reads it: refused characters dropped,
/// then the policy applied. Only for values that were stored before the policy existed.
pub fn legacy_text(raw: &str) -> String {
    let allowed: String = raw
        .chars()
        .filter(|&c| forbidden_kind(c).is_none())
        .collect();
    policy_form(&allowed)
}

/// A name as compared for duplicates and counting: NFKC, no whitespace, no default-ignorable,
/// format or refused character, lower-case — so that `双鸭山（市）孵化器`, `双鸭山 (市) 孵化器`
/// and the same name with a soft hyphen or tag characters planted in it are one name.
pub fn normalized_name(name: &str) -> String {
    // Printable ASCII and common CJK ideographs only lose their spaces and lower-case.
    if name.chars().all(is_stable) {
        return name
            .chars()
            .filter(|&c| c != ' ')
            .map(|c| c.to_ascii_lowercase())
            .collect();
    }
    slow_normalized_name(name)
}

fn slow_normalized_name(name: &str) -> String {
    name.nfkc()
        .filter(|&c| {
            !c.is_whitespace()
                && !is_default_ignorable(c)
                && !is_format(c)
                && forbidden_kind(c).is_none()
        })
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .nfkc()
        .collect()
}

/// The form list searches compare: NFKC (full-width ASCII and U+3000 folded), no
/// default-ignorable or format character, lower-case. Stored search text and queries both
/// take it.
pub fn search_form(text: &str) -> String {
    // Printable ASCII and common CJK ideographs only need ASCII lower-casing.
    if text.chars().all(is_stable) {
        return text.to_ascii_lowercase();
    }
    text.nfkc()
        .filter(|&c| !is_default_ignorable(c) && !is_format(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Characters that reorder or hide text: bidi overrides and isolates, zero-width spaces and
/// joiners, the byte-order mark. Display shows them as `<U+XXXX>`.
pub fn is_format_control(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}')
        || is_default_ignorable(c)
        || is_format(c)
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

    fn stored(raw: &str) -> String {
        match stored_text(raw) {
            Ok(text) => text,
            Err(found) => panic!("{raw:?} refused: {found:?}"),
        }
    }

    #[test]
    fn stored_text_turns_breaks_into_spaces_and_applies_nfkc() {
        let cases = [
            ("  宝清县科技局  ", "宝清县科技局"),
            ("第一行\r\n第二行", "第一行 第二行"),
            ("a\tb\nc", "a b c"),
            ("\n\n", ""),
            ("ＡＢＣ（有限公司）\u{3000}", "ABC(有限公司)"),
            ("双鸭山市，宝清县。", "双鸭山市,宝清县。"),
            ("\u{F900}", "\u{8C48}"),
            ("e\u{301}", "\u{E9}"),
            ("①号楼", "1号楼"),
        ];
        for (raw, want) in cases {
            assert_eq!(stored(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn harmless_invisible_characters_are_removed() {
        for invisible in [
            '\u{AD}',
            '\u{34F}',
            '\u{115F}',
            '\u{1160}',
            '\u{17B4}',
            '\u{180B}',
            '\u{180E}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{2065}',
            '\u{206A}',
            '\u{3164}',
            '\u{FE00}',
            '\u{FE0F}',
            '\u{FEFF}',
            '\u{FFA0}',
            '\u{FFF0}',
            '\u{1BCA0}',
            '\u{1D173}',
            '\u{E0100}',
            '\u{E0FFF}',
        ] {
            let raw = format!("双鸭\u{3000}山{invisible}孵化器{invisible}");
            assert_eq!(stored(&raw), "双鸭 山孵化器", "U+{:04X}", invisible as u32);
        }
    }

    #[test]
    fn characters_with_no_business_in_a_record_are_refused_where_they_are() {
        use ForbiddenKind::*;
        let cases = [
            ("华鑫\u{1b}[2J", 3, 0x1B, Control),
            ("\u{7f}", 1, 0x7F, Control),
            ("a\u{85}", 2, 0x85, Control),
            ("a\u{9b}b", 2, 0x9B, Control),
            ("a\u{0}", 2, 0x0, Control),
            ("a\u{B}b", 2, 0xB, Control),
            ("第一行\u{2028}", 4, 0x2028, LineSeparator),
            ("\u{2029}", 1, 0x2029, LineSeparator),
            ("名\u{FDD0}", 2, 0xFDD0, Noncharacter),
            ("名\u{FDEF}", 2, 0xFDEF, Noncharacter),
            ("\u{FFFE}", 1, 0xFFFE, Noncharacter),
            ("\u{FFFF}", 1, 0xFFFF, Noncharacter),
            ("\u{1FFFF}", 1, 0x1FFFF, Noncharacter),
            ("\u{10FFFF}", 1, 0x10FFFF, Noncharacter),
            ("\u{E000}", 1, 0xE000, PrivateUse),
            ("\u{F8FF}", 1, 0xF8FF, PrivateUse),
            ("\u{F0000}", 1, 0xF0000, PrivateUse),
            ("\u{10FFFD}", 1, 0x10FFFD, PrivateUse),
            ("孵化器\u{E0001}", 4, 0xE0001, Tag),
            ("\u{E0041}", 1, 0xE0041, Tag),
            ("\u{E007F}", 1, 0xE007F, Tag),
            ("恶意\u{202A}", 3, 0x202A, Bidi),
            ("双鸭山孵\u{202E}化器", 5, 0x202E, Bidi),
            ("\u{2066}", 1, 0x2066, Bidi),
            ("\u{2069}", 1, 0x2069, Bidi),
            ("\u{200E}", 1, 0x200E, Bidi),
            ("\u{200F}", 1, 0x200F, Bidi),
            ("\u{61C}", 1, 0x61C, Bidi),
        ];
        for (raw, position, code_point, kind) in cases {
            let want = ForbiddenChar {
                position,
                code_point,
                kind,
            };
            assert_eq!(stored_text(raw), Err(want), "{raw:?}");
            assert_eq!(first_forbidden(raw), Some(want), "{raw:?}");
        }
    }

    #[test]
    fn ordinary_text_is_never_refused() {
        for raw in [
            "双鸭山市华鑫科技有限公司",
            "Ünïcödé ǅ Ω ℃ № ™",
            "𠀀𪚥 emoji 😀",
            "\u{E0080}\u{E00FF}",
            "\u{FDCF}\u{FDF0}\u{FFFD}\u{EFFFD}",
            "\u{D7FF}",
        ] {
            assert!(stored_text(raw).is_ok(), "{raw:?}");
        }
    }

    #[test]
    fn legacy_text_drops_refused_characters_then_applies_the_policy() {
        assert_eq!(
            legacy_text("孵化器\u{E0041}\u{202E}\u{1b}（一）"),
            "孵化器(一)"
        );
    }

    /// The six look-alikes a hostile unit tried, and more: one identity key.
    #[test]
    fn look_alike_names_have_one_identity_key() {
        let plain = normalized_name("双鸭山市众创空间");
        for raw in [
            "双鸭山市\u{AD}众创空间",
            "双鸭山市\u{3164}众创空间",
            "双鸭山市\u{180E}众创空间",
            "双鸭山市\u{FE0F}众创空间\u{E0100}",
            "双鸭山市\u{E0041}\u{E007F}众创空间",
            "双鸭山市\u{E000}众创空间",
            "双鸭山市\u{FDD0}众创空间\u{FFFF}",
            "双鸭山市\u{202E}众创空间\u{2066}",
            "双鸭山市\u{600}\u{110BD}\u{13439}众创空间",
            "双鸭山市\u{1b}\u{2028}众创空间",
            "双 鸭\u{3000}山市\t众创空间",
        ] {
            assert_eq!(normalized_name(raw), plain, "{raw:?}");
        }
        assert_ne!(normalized_name("双鸭山市众创空间二"), plain);
    }

    #[test]
    fn normalized_name_ignores_width_spaces_case_and_bracket_style() {
        let cases = [
            ("双鸭山（市）孵化器", "双鸭山(市)孵化器"),
            ("双鸭山 (市) 孵化器", "双鸭山(市)孵化器"),
            ("ＡＢＣ 科技", "abc科技"),
            ("Abc\u{3000}科技", "abc科技"),
            ("双鸭\u{200B}山\u{202E}孵化器", "双鸭山孵化器"),
            ("ǅ", "dž"),
            ("\u{F9E8}", "裡"),
        ];
        for (raw, want) in cases {
            assert_eq!(normalized_name(raw), want, "{raw:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_quick_path_gives_what_normalising_gives(
            raw in "[ a-zA-Z0-9()（）\\-　\t\u{4E00}-\u{4E0F}\u{9FFF}\u{AD}\u{FF21}]{0,12}"
        ) {
            proptest::prop_assert_eq!(policy_form(&raw), slow_policy_form(&raw));
        }

        #[test]
        fn the_quick_normalized_name_gives_what_normalising_gives(
            raw in "[ a-zA-Z0-9()（）\\-　\t\u{4E00}-\u{4E0F}\u{9FFF}\u{AD}\u{FF21}\u{0130}]{0,12}"
        ) {
            proptest::prop_assert_eq!(normalized_name(&raw), slow_normalized_name(&raw));
        }

        #[test]
        fn the_quick_search_form_gives_what_folding_gives(
            raw in "[ a-zA-Z0-9()（）\\-　\t\u{4E00}-\u{4E0F}\u{9FFF}\u{AD}\u{FF21}\u{0130}]{0,12}"
        ) {
            let slow: String = raw
                .nfkc()
                .filter(|&c| !is_default_ignorable(c) && !is_format(c))
                .flat_map(char::to_lowercase)
                .collect();
            proptest::prop_assert_eq!(search_form(&raw), slow);
        }
    }

    #[test]
    fn search_form_folds_width_case_and_invisible_characters() {
        let cases = [
            ("ＡＢＣ（一期）", "abc(一期)"),
            ("宝清县\u{3164}孵\u{AD}化器\u{E0041}", "宝清县孵化器"),
            ("Ab\u{3000}c", "ab c"),
            ("字", "字"),
        ];
        for (raw, want) in cases {
            assert_eq!(search_form(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn tables_are_sorted_and_disjoint_ranges() {
        for table in [DEFAULT_IGNORABLE, FORMAT] {
            for pair in table.windows(2) {
                assert!(pair[0].1 < pair[1].0, "{pair:?}");
            }
            assert!(table.iter().all(|(lo, hi)| lo <= hi));
        }
    }

    #[test]
    fn display_marks_every_invisible_character() {
        for c in [
            '\u{AD}',
            '\u{180E}',
            '\u{3164}',
            '\u{E0041}',
            '\u{202E}',
            '\u{600}',
        ] {
            assert!(is_format_control(c), "U+{:04X}", c as u32);
        }
        assert!(!is_format_control('a'));
        assert!(!is_format_control('字'));
    }

    /// Any character, often one of those the policy treats specially.
    fn tricky_char() -> impl proptest::strategy::Strategy<Value = char> {
        use proptest::prelude::*;
        prop_oneof![
            proptest::char::any(),
            proptest::sample::select(vec![
                '\u{AD}',
                '\u{34F}',
                '\u{115F}',
                '\u{1160}',
                '\u{1100}',
                '\u{1161}',
                '\u{11A8}',
                '\u{3164}',
                '\u{FFA0}',
                '\u{180E}',
                '\u{FE0F}',
                '\u{E0100}',
                '\u{200D}',
                '\u{202E}',
                '\u{E0041}',
                '\u{E000}',
                '\u{FDD0}',
                '\u{1b}',
                '\u{85}',
                '\t',
                '\n',
                '\r',
                ' ',
                '\u{3000}',
                '\u{A0}',
                '\u{FF08}',
                '\u{FF21}',
                'e',
                '\u{301}',
                '\u{323}',
                '가',
                '\u{F900}',
                'A',
                'ǅ',
                'ß',
                'İ',
                'Σ',
                '\u{2126}',
                '\u{FB01}',
                '字',
            ]),
        ]
    }

    proptest::proptest! {
        #[test]
        fn stored_text_is_stable_and_never_holds_what_it_refuses(
            chars in proptest::collection::vec(tricky_char(), 0..24)
        ) {
            let raw: String = chars.into_iter().collect();
            match stored_text(&raw) {
                Ok(once) => {
                    proptest::prop_assert_eq!(stored_text(&once), Ok(once.clone()));
                    proptest::prop_assert!(once.chars().all(|c| !is_removed(c)));
                    proptest::prop_assert_eq!(normalized_name(&once), normalized_name(&raw));
                    proptest::prop_assert_eq!(legacy_text(&raw), once);
                }
                Err(found) => {
                    let at = raw.chars().nth(found.position - 1).map(|c| c as u32);
                    proptest::prop_assert_eq!(at, Some(found.code_point));
                    proptest::prop_assert!(raw.chars().take(found.position - 1).all(|c| forbidden_kind(c).is_none()));
                }
            }
            let legacy = legacy_text(&raw);
            proptest::prop_assert_eq!(stored_text(&legacy), Ok(legacy.clone()));
            let key = normalized_name(&raw);
            proptest::prop_assert_eq!(normalized_name(&key), key.clone());
            proptest::prop_assert_eq!(normalized_name(&legacy), key);
        }
    }
}
