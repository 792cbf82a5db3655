//! The progress bar of a long export or import. The work runs synchronously inside a key's
//! handling, so the bar is drawn straight onto the bottom row of the terminal, at most ten
//! times a second; the whole screen is redrawn once the work is done.

use std::io::Write;
use std::time::{Duration, Instant};

use ratatui::crossterm::{cursor, queue, style, terminal};

use super::widgets::gauge;
use crate::bundle::Progress;
use crate::i18n::{Lang, messages};

/// Where a bar's text goes: the terminal in a session, nowhere in tests.
pub type ProgressOut = Box<dyn FnMut(&str)>;

/// Writes a line onto the terminal's bottom row, reversed, padded to the width.
pub fn bottom_row() -> ProgressOut {
    Box::new(|line: &str| {
        let (cols, rows) = terminal::size().unwrap_or((80, 24));
        let mut out = std::io::stdout().lock();
        let width = usize::from(cols);
        let shown = crate::tui::widgets::cell(line, width);
        let _ = queue!(
            out,
            cursor::MoveTo(0, rows.saturating_sub(1)),
            style::SetAttribute(style::Attribute::Reverse),
            style::Print(shown),
            style::SetAttribute(style::Attribute::Reset),
        );
        let _ = out.flush();
    })
}

/// Turns progress reports into bar lines for `out`, throttled.
pub struct Bar<'a> {
    out: Option<&'a mut ProgressOut>,
    lang: Lang,
    glyphs: (char, char),
    last: Option<Instant>,
}

impl<'a> Bar<'a> {
    pub fn new(out: Option<&'a mut ProgressOut>, lang: Lang, glyphs: (char, char)) -> Bar<'a> {
        Bar {
            out,
            lang,
            glyphs,
            last: None,
        }
    }

    pub fn show(&mut self, progress: Progress) {
        let Some(out) = self.out.as_mut() else {
            return;
        };
        let now = Instant::now();
        if progress.done < progress.total
            && self
                .last
                .is_some_and(|at| now.duration_since(at) < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(now);
        let bar = gauge::bar(progress.ratio() * 100.0, 20, self.glyphs);
        let text = messages::progress_line(self.lang, None, progress);
        out(&format!(" {bar}  {text}"));
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;
    use crate::bundle::Stage;

    #[test]
    fn the_bar_shows_the_stage_and_share_at_most_ten_times_a_second_and_always_the_end() {
        let lines = Rc::new(RefCell::new(Vec::<String>::new()));
        let seen = Rc::clone(&lines);
        let mut out: ProgressOut = Box::new(move |line: &str| seen.borrow_mut().push(line.into()));
        let mut bar = Bar::new(Some(&mut out), Lang::En, ('#', '.'));
        let at = |done| Progress {
            stage: Stage::Writing,
            done,
            total: 1000,
        };
        bar.show(at(250));
        bar.show(at(500)); // within a tenth of a second: skipped
        bar.show(at(1000)); // the end: always shown
        let lines = lines.borrow();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].contains("#####...............") && lines[0].contains("25%"));
        assert!(lines[0].contains("writing to the stick") && lines[0].contains("250 / 1000"));
        assert!(lines[1].contains(&"#".repeat(20)) && lines[1].contains("100%"));
    }

    #[test]
    fn without_a_terminal_nothing_is_drawn() {
        let mut bar = Bar::new(None, Lang::Zh, ('#', '.'));
        bar.show(Progress {
            stage: Stage::Importing,
            done: 1,
            total: 2,
        });
    }
}
