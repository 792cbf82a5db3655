//! Taking the terminal over (raw mode, alternate screen, bracketed paste) and giving it back
//! on every way out: normal return, error, and panic.

use std::io::{self, Stdout};
use std::sync::Once;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use super::encoding::NotUtf8;
use super::theme::BasicColors;

/// The terminal the app draws on.
pub type Term = Terminal<CrosstermBackend<Out>>;

/// Where the screens are written: straight to stdout, or through [`BasicColors`] for a
/// terminal that knows only the basic colours.
pub enum Out {
    Direct(Stdout),
    Basic(BasicColors<Stdout>),
}

impl io::Write for Out {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Out::Direct(out) => out.write(buf),
            Out::Basic(out) => out.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Out::Direct(out) => out.flush(),
            Out::Basic(out) => out.flush(),
        }
    }
}

/// Restores the terminal when dropped, however the scope is left.
pub struct TerminalGuard {
    _private: (),
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal into the state the app needs and returns it with its guard, and what
/// the terminal said about its encoding (asked before keys are read, the screen cleared
/// after).
pub fn enter(basic_colors: bool) -> io::Result<(Term, TerminalGuard, Option<NotUtf8>)> {
    install_panic_hook();
    let guard = TerminalGuard { _private: () };
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    let probed = super::encoding::probe_terminal();
    execute!(io::stdout(), Clear(ClearType::All))?;
    let out = if basic_colors {
        Out::Basic(BasicColors::new(io::stdout()))
    } else {
        Out::Direct(io::stdout())
    };
    let terminal = Terminal::new(CrosstermBackend::new(out))?;
    Ok((terminal, guard, probed))
}

/// Gives the terminal back as it was. Safe to call more than once; errors are ignored
/// because the terminal may already be gone (a dropped connection).
pub fn restore() {
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
    let _ = disable_raw_mode();
}

/// On a panic, restore the terminal before the message is printed, so it is readable.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
