//! The clerk's terminal interface: the only module that draws.
//!
//! `run` opens the ledger (or the first-run screen), takes the terminal over, and runs the
//! event loop until the clerk quits; a hang-up or stop signal writes the open form as a draft
//! first. Screens are drawn by [`screens::draw`], a pure function of [`App`].

pub mod app;
mod demo_ledger;
pub mod encoding;
pub mod error;
pub mod keys;
pub mod progress;
mod runner;
pub mod screens;
pub mod state;
pub mod terminal;
pub mod theme;
pub mod widgets;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

pub use app::{App, AppConfig, Note, Tab, View};
pub use error::TuiError;
pub use screens::draw;
pub use theme::Theme;

use crate::i18n::Lang;
use crate::plan::Plan;
use crate::store::{self, Ledger, StoreError};

/// How the program was started.
pub struct TuiLaunch {
    pub lang: Lang,
    pub plan: Plan,
    /// The ledger file; on first run it is created there.
    pub db_path: PathBuf,
    /// Work on a throw-away ledger filled with synthetic records (`db_path` is not touched).
    pub demo: bool,
    /// ASCII borders and glyphs.
    pub ascii: bool,
}

/// Runs the interface until the clerk quits. The terminal is restored on every way out.
pub fn run(launch: TuiLaunch) -> Result<(), TuiError> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(TuiError::NotATerminal);
    }
    let demo = if launch.demo {
        Some(demo_ledger::DemoLedger::create(&launch.plan)?)
    } else {
        None
    };
    let db_path = demo
        .as_ref()
        .map_or_else(|| launch.db_path.clone(), |d| d.path().to_path_buf());
    let ledger = match Ledger::open(&db_path) {
        Ok(ledger) => Some(ledger),
        // An unfinished ledger (an interrupted `init` of an older version) holds nothing:
        // the first-run setup makes the ledger and replaces it.
        Err(StoreError::NoLedger { .. } | StoreError::UnfinishedLedger { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let config = AppConfig {
        lang: launch.lang,
        plan: launch.plan,
        theme: Theme::from_env(launch.ascii),
        today: crate::clock::today(),
        actor: store::os_account(),
        db_path: Some(db_path),
    };
    let mut app = App::new(config, ledger);
    let stop = Arc::new(AtomicBool::new(false));
    register_stop_signals(&stop)?;

    let (mut term, guard, probed) = terminal::enter(app.theme.basic)?;
    // The locale is the first hint; the terminal's own answer is the surer one.
    app.not_utf8 = probed.or_else(encoding::check_locale);
    let size = term.size()?;
    app.resize(size.width, size.height);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        runner::run(&mut term, &mut app, &stop)
    }));
    drop(guard);
    drop(demo);
    match outcome {
        Ok(result) => result,
        Err(panic) => {
            // Keep what the clerk typed, then let the panic report itself.
            app.hang_up();
            std::panic::resume_unwind(panic)
        }
    }
}

/// A hang-up (the SSH connection dropped, the terminal closed) or a stop request sets
/// `stop`; the event loop then writes the draft and leaves.
fn register_stop_signals(stop: &Arc<AtomicBool>) -> Result<(), TuiError> {
    #[cfg(unix)]
    {
        use signal_hook::consts::signal::{SIGHUP, SIGTERM};
        for signal in [SIGHUP, SIGTERM] {
            signal_hook::flag::register(signal, Arc::clone(stop))?;
        }
    }
    #[cfg(not(unix))]
    let _ = stop;
    Ok(())
}
