//! Light on the wire: after the first frame, a keystroke in a form sends only the changed
//! cells, measured as the bytes the real crossterm backend writes.

mod tui_common;

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use taizhang::domain::RecordKind;
use taizhang::i18n::Lang;
use taizhang::tui::App;
use tui_common::*;

/// A terminal that counts what it is sent.
#[derive(Clone, Default)]
struct Wire(Rc<RefCell<Vec<u8>>>);

impl Write for Wire {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Wire {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut self.0.borrow_mut())
    }
}

fn frame(term: &mut Terminal<CrosstermBackend<Wire>>, app: &App, wire: &Wire) -> Vec<u8> {
    term.draw(|f| taizhang::tui::draw(f, app)).expect("draw");
    wire.take()
}

#[test]
fn a_keystroke_in_a_form_sends_a_few_bytes_not_a_screen() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    demo_records(&mut ledger, RecordKind::HighTech, 5);
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    let wire = Wire::default();
    let mut term = Terminal::with_options(
        CrosstermBackend::new(wire.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)),
        },
    )
    .expect("terminal");
    let first = frame(&mut term, &app, &wire);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('n'));
    let form = frame(&mut term, &app, &wire);

    let mut per_key = Vec::new();
    for c in "双鸭山鑫达abc".chars() {
        press(&mut app, KeyCode::Char(c));
        let sent = frame(&mut term, &app, &wire);
        let text = String::from_utf8_lossy(&sent);
        assert!(text.contains(c), "the typed character is sent: {text:?}");
        per_key.push(sent.len());
    }
    // Nothing changed: only the cursor is placed again (the event loop does not even draw
    // then; it draws only after a change).
    let idle = frame(&mut term, &app, &wire);

    eprintln!(
        "bytes: first frame {}, opening the form {}, per keystroke {:?}, idle redraw {}",
        first.len(),
        form.len(),
        per_key,
        idle.len()
    );
    assert!(first.len() > 2000, "the first frame paints the screen");
    for n in &per_key {
        assert!(*n < 64, "a keystroke sent {n} bytes: {per_key:?}");
    }
    assert!(
        idle.len() < 40,
        "an unchanged screen sent {} bytes",
        idle.len()
    );
}
