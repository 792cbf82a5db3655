//! How the screens look on any terminal: the 16 ANSI colours plus bold and reverse, no colour
//! at all when `NO_COLOR` is set, and an ASCII border and glyph set for terminals that draw
//! East-Asian ambiguous-width symbols two columns wide.

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
        Theme {
            color: !no_color,
            ascii,
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

    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    /// Voided records and secondary text.
    pub fn muted(&self) -> Style {
        self.fg(Color::DarkGray)
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
