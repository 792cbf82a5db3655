//! The one-line progress of a long export or import on stderr, only when stderr is a
//! terminal: rewritten in place with `\r` at most ten times a second, cleared at the end.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::bundle::Progress;
use crate::i18n::{Lang, messages};

/// A progress line on stderr, or nothing when stderr is not a terminal.
pub struct StderrProgress {
    lang: Lang,
    shown: bool,
    enabled: bool,
    last: Option<Instant>,
    width: usize,
}

impl StderrProgress {
    pub fn new(lang: Lang) -> StderrProgress {
        StderrProgress {
            lang,
            shown: false,
            enabled: std::io::stderr().is_terminal(),
            last: None,
            width: 0,
        }
    }

    /// Shows where the work of `file` (if any) stands, unless it was shown less than a tenth
    /// of a second ago.
    pub fn show(&mut self, file: Option<&str>, progress: Progress) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        let finished = progress.done >= progress.total;
        if !finished
            && self
                .last
                .is_some_and(|at| now.duration_since(at) < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(now);
        let line = messages::progress_line(self.lang, file, progress);
        let width = unicode_width::UnicodeWidthStr::width(line.as_str());
        let pad = self.width.saturating_sub(width);
        self.width = width;
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r{line}{:pad$}", "");
        let _ = err.flush();
        self.shown = true;
    }

    /// Removes the line, leaving the cursor at the start of an empty line.
    pub fn clear(&mut self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{:width$}\r", "", width = self.width);
            let _ = err.flush();
            self.shown = false;
            self.width = 0;
        }
    }
}

impl Drop for StderrProgress {
    fn drop(&mut self) {
        self.clear();
    }
}
