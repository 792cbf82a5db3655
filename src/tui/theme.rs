//! How the screens look on any terminal: the 16 ANSI colours plus bold and reverse, no colour
//! at all when `NO_COLOR` is set, and an ASCII border and glyph set for terminals that draw
//! East-Asian ambiguous-width symbols two columns wide.

use std::io::Write;

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use ratatui::widgets::{Block, Borders};

/// The look chosen at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    /// Colours allowed (false when `NO_COLOR` is set).
    pub color: bool,
    /// ASCII borders and glyphs only.
    pub ascii: bool,
    /// The terminal draws only the eight basic colours (`TERM=linux`, `vt100`, `screen`):
    /// no grey, and colour codes are written in their oldest form (see [`BasicColors`]).
    pub basic: bool,
}

/// Whether a `TERM` names a terminal that knows only the eight (or sixteen) basic colours
/// and none of the 256-colour codes.
pub fn is_basic_term(term: &str) -> bool {
    matches!(
        term,
        "linux" | "screen" | "ansi" | "cons25" | "sun" | "xterm-color"
    ) || term.starts_with("vt")
}

/// Borders drawn with `+`, `-` and `|` only.
pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    /// The look for this process: colours unless `NO_COLOR` is set to anything non-empty.
    pub fn from_env(ascii: bool) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let term = std::env::var("TERM").unwrap_or_default();
        Theme {
            color: !no_color,
            ascii,
            basic: is_basic_term(&term),
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// A bordered block in the chosen border set.
    pub fn block<'a>(&self) -> Block<'a> {
        let block = Block::new().borders(Borders::ALL);
        if self.ascii {
            block.border_set(ASCII_BORDER)
        } else {
            block
        }
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// The selected row or option, and the active tab.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Column headings and labels of the focused field.
    pub fn heading(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Behind schedule, lapsed, unpaid: magenta and bold, which reads on light and dark
    /// backgrounds alike (yellow vanishes on white).
    pub fn warning(&self) -> Style {
        self.fg(Color::Magenta).add_modifier(Modifier::BOLD)
    }

    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    /// Voided records and secondary text.
    pub fn muted(&self) -> Style {
        // Grey is not one of the eight basic colours (it would come out black).
        if self.basic {
            Style::new()
        } else {
            self.fg(Color::DarkGray)
        }
    }

    /// The value typed into the focused field.
    pub fn input(&self) -> Style {
        self.fg(Color::Cyan)
    }

    /// The characters a progress gauge is drawn with: (filled, empty).
    pub fn gauge_glyphs(&self) -> (char, char) {
        if self.ascii {
            ('#', '.')
        } else {
            ('█', '░')
        }
    }
}

/// A writer for terminals that know only the basic colours. The terminal library writes every
/// colour, even the sixteen basic ones, as a 256-colour code (`ESC[38;5;9m`), which such a
/// terminal misreads (`5` is blink). This rewrites those codes into the oldest form:
/// foreground `30`-`37`, background `40`-`47` (the bright half takes its basic colour; other
/// colours become the default).
pub struct BasicColors<W: Write> {
    inner: W,
    /// Bytes of a colour code split across two writes.
    pending: Vec<u8>,
}

impl<W: Write> BasicColors<W> {
    pub fn new(inner: W) -> BasicColors<W> {
        BasicColors {
            inner,
            pending: Vec::new(),
        }
    }

    pub fn into_inner(self) -> W {
        self.inner
    }
}

/// Rewrites the 256-colour and RGB codes inside the SGR sequences (`ESC [ … m`) of `bytes`;
/// returns the output and an unfinished sequence left at the end (kept for the next write).
fn rewrite_colors(bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != 0x1b {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        if i + 1 == bytes.len() {
            return (out, bytes[i..].to_vec());
        }
        if bytes[i + 1] != b'[' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let params = bytes[i + 2..]
            .iter()
            .take_while(|b| b.is_ascii_digit() || **b == b';')
            .count();
        let end = i + 2 + params;
        if end >= bytes.len() {
            return (out, bytes[i..].to_vec());
        }
        if bytes[end] != b'm' {
            out.extend_from_slice(&bytes[i..=end]);
            i = end + 1;
            continue;
        }
        let text = std::str::from_utf8(&bytes[i + 2..end]).unwrap_or("");
        // A list left empty would mean "reset everything": nothing is written instead.
        if text.is_empty() {
            out.extend_from_slice(b"\x1b[m");
        } else if let Some(params) = basic_sgr(text) {
            out.extend_from_slice(format!("\x1b[{params}m").as_bytes());
        }
        i = end + 1;
    }
    (out, Vec::new())
}

/// An SGR parameter list with its extended colours (`38;5;n`, `38;2;r;g;b`, and the same for
/// background `48` and underline `58`) replaced by basic ones, or by the default.
fn basic_sgr(params: &str) -> Option<String> {
    let parts: Vec<&str> = params.split(';').collect();
    let mut kept: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let base = match parts[i] {
            "38" => Some(30),
            "48" => Some(40),
            "58" => Some(0),
            // The default underline colour: unknown there, and not needed.
            "59" => {
                i += 1;
                continue;
            }
            _ => None,
        };
        let Some(base) = base else {
            kept.push(parts[i].to_string());
            i += 1;
            continue;
        };
        let (code, used) = match parts.get(i + 1).copied() {
            Some("5") => {
                let n: u32 = parts.get(i + 2).and_then(|n| n.parse().ok()).unwrap_or(99);
                let code = match n {
                    0..=7 => base + n,
                    8..=15 => base + n - 8,
                    _ => base + 9,
                };
                (code, 3)
            }
            Some("2") => (base + 9, 5),
            _ => (base + 9, 1),
        };
        // The underline colour has no basic form: it is left out.
        if base != 0 {
            kept.push(code.to_string());
        }
        i += used;
    }
    (!kept.is_empty()).then(|| kept.join(";"))
}

impl<W: Write> Write for BasicColors<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        let (out, pending) = rewrite_colors(&bytes);
        self.inner.write_all(&out)?;
        self.pending = pending;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let pending = std::mem::take(&mut self.pending);
        self.inner.write_all(&pending)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_terminals_get_the_basic_palette() {
        for basic in ["linux", "vt100", "vt220", "screen"] {
            assert!(is_basic_term(basic), "{basic}");
        }
        for modern in ["xterm-256color", "screen-256color", "tmux-256color", ""] {
            assert!(!is_basic_term(modern), "{modern}");
        }
    }

    #[test]
    fn colour_codes_are_written_in_their_oldest_form() {
        let mut out = BasicColors::new(Vec::new());
        out.write_all(b"a\x1b[38;5;9mred\x1b[48;5;").unwrap();
        out.write_all(b"4mblue\x1b[38;5;200mx\x1b[39m\x1b[1m")
            .unwrap();
        out.write_all(b"\x1b[38;5;13;48;2;1;2;3m\x1b[5;1H").unwrap();
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.into_inner()).unwrap(),
            "a\x1b[31mred\x1b[44mblue\x1b[39mx\x1b[39m\x1b[1m\x1b[35;49m\x1b[5;1H"
        );
    }

    #[test]
    fn a_drawn_screen_holds_no_256_colour_code() {
        use ratatui::Terminal;
        use ratatui::backend::CrosstermBackend;
        use ratatui::widgets::Paragraph;
        let theme = Theme {
            color: true,
            ascii: true,
            basic: true,
        };
        #[derive(Clone, Default)]
        struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0.borrow_mut().extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let shared = Shared::default();
        let mut terminal = Terminal::new(CrosstermBackend::new(BasicColors::new(shared.clone())))
            .expect("terminal");
        terminal
            .draw(|frame| {
                let line = ratatui::text::Line::from(vec![
                    ratatui::text::Span::styled("behind", theme.warning()),
                    ratatui::text::Span::styled("error", theme.error()),
                    ratatui::text::Span::styled("note", theme.muted()),
                    ratatui::text::Span::styled("title", theme.title()),
                ]);
                frame.render_widget(Paragraph::new(line).block(theme.block()), frame.area());
            })
            .expect("draw");
        let bytes = String::from_utf8_lossy(&shared.0.borrow()).into_owned();
        assert!(
            bytes.contains("\x1b[35;49m"),
            "magenta is written: {bytes:?}"
        );
        assert!(!bytes.contains("59m"), "{bytes:?}");
        assert!(!bytes.contains("38;5"), "{bytes:?}");
        assert!(!bytes.contains("38;2"), "{bytes:?}");
    }
}
