//! The event loop: draw when something changed, wait for a key (or a tick), handle every
//! event already waiting before fetching data, and leave on `q`, a hang-up or a stop signal.
//!
//! Keys are read on a thread of their own and handed over a channel. When the terminal goes
//! away, reading can block (or spin) for good; the loop itself never waits on the terminal,
//! so it still sees the hang-up signal, writes the draft and leaves.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event};
use ratatui::style::{Modifier, Style};

use super::app::App;
use super::error::TuiError;
use super::screens;
use super::terminal::Term;

/// Longest wait for an event before periodic work (polling the ledger, writing the draft).
const TICK: Duration = Duration::from_millis(250);

/// Runs until the clerk quits or `stop` is set by a signal. The draft is written before
/// leaving on a signal or a terminal failure.
pub fn run(terminal: &mut Term, app: &mut App, stop: &Arc<AtomicBool>) -> Result<(), TuiError> {
    let events = spawn_reader();
    app.progress_out = Some(super::progress::bottom_row());
    let result = event_loop(terminal, app, stop, &events);
    if result.is_err() || stop.load(Ordering::SeqCst) {
        app.hang_up();
    }
    if stop.load(Ordering::SeqCst) {
        // The terminal is likely gone; an error from it is not news.
        return Ok(());
    }
    result
}

/// Reads terminal events on a thread and sends them on; ends at the first read error.
fn spawn_reader() -> Receiver<std::io::Result<Event>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        loop {
            let event = event::read();
            let failed = event.is_err();
            if tx.send(event).is_err() || failed {
                break;
            }
        }
    });
    rx
}

/// Makes the next draw send every cell (Ctrl+L, or after a progress bar was written over the
/// screen). Not `Terminal::clear`: that asks the terminal where its cursor is, and the answer
/// would be swallowed by the key-reading thread, failing after two seconds. Instead a frame
/// of hidden blanks is drawn, which differs from every cell of any real frame.
fn forget_screen(terminal: &mut Term) -> Result<(), TuiError> {
    terminal.draw(|frame| {
        let area = frame.area();
        frame
            .buffer_mut()
            .set_style(area, Style::default().add_modifier(Modifier::HIDDEN));
    })?;
    Ok(())
}

fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    stop: &Arc<AtomicBool>,
    events: &Receiver<std::io::Result<Event>>,
) -> Result<(), TuiError> {
    let mut wait = TICK;
    loop {
        let repaint = app.take_redraw_all();
        if repaint {
            forget_screen(terminal)?;
        }
        if app.take_changed() || repaint {
            terminal.draw(|frame| screens::draw(frame, app))?;
        }
        if app.should_quit() || stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        match events.recv_timeout(wait) {
            Ok(first) => {
                // A burst (an input method's commit, a paste, key repeat) is handled whole
                // before the screen's data is fetched and drawn once.
                app.handle_event(&first?);
                while !app.should_quit()
                    && let Ok(next) = events.try_recv()
                {
                    app.handle_event(&next?);
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe).into());
            }
        }
        app.tick(Instant::now());
        wait = app.flush_settled(Instant::now()).unwrap_or(TICK).min(TICK);
    }
}
