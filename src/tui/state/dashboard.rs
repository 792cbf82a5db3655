//! The dashboard's data: the unit's progress on the chosen date, record counts per kind, the
//! last export, and the worklist from that date (fetched just after the figures are drawn),
//! each fetched from the ledger when something changed.

use jiff::civil::Date;
use tui_input::Input;

use crate::domain::progress::{AsOfSource, UnitProgress, default_as_of};
use crate::domain::worklist::default_horizon;
use crate::outlook::Worklist;
use crate::plan::Plan;
use crate::store::{ExportEntry, KindCounts, Ledger, ReceiptEntry, StoreError};

/// What the dashboard shows.
#[derive(Clone, Debug)]
pub struct Dashboard {
    pub as_of: Date,
    pub source: AsOfSource,
    pub progress: Option<UnitProgress>,
    pub counts: Vec<KindCounts>,
    /// The newest sync bundle written, and the newest receipt the city sent back.
    pub last_export: Option<ExportEntry>,
    pub last_receipt: Option<ReceiptEntry>,
    /// The as-of date being typed, and whether the last attempt was unreadable.
    pub date_prompt: Option<(Input, bool)>,
    pub stale: bool,
    /// The worklist from the as-of date to the end of next year's first half.
    pub worklist: Option<Worklist>,
    /// The worklist is to be read again (after the figures, so that they are drawn first).
    pub worklist_stale: bool,
}

impl Dashboard {
    /// A dashboard for today's date (or the plan's end once the plan is over).
    pub fn new(plan: &Plan, today: Date) -> Dashboard {
        let (as_of, source) = default_as_of(plan, today);
        Dashboard {
            as_of,
            source,
            progress: None,
            counts: Vec::new(),
            last_export: None,
            last_receipt: None,
            date_prompt: None,
            stale: true,
            worklist: None,
            worklist_stale: true,
        }
    }

    /// Counts everything again.
    pub fn reload(&mut self, plan: &Plan, ledger: &Ledger) -> Result<(), StoreError> {
        self.progress = Some(crate::report::unit_ledger_progress(
            plan,
            ledger,
            self.as_of,
            self.source,
        )?);
        self.counts = ledger.kind_counts()?;
        self.last_export = ledger.last_export()?;
        self.last_receipt = ledger.last_receipt()?;
        self.stale = false;
        self.worklist_stale = true;
        Ok(())
    }

    /// The last day the worklist looks to.
    pub fn until(&self) -> jiff::civil::Date {
        default_horizon(self.as_of)
    }

    /// Reads the worklist again: at a glance (the counts alone when the ledger is very large)
    /// or, for the worklist page, whole.
    pub fn reload_worklist(
        &mut self,
        plan: &Plan,
        ledger: &Ledger,
        whole: bool,
    ) -> Result<(), StoreError> {
        self.worklist_stale = false;
        let read = if whole {
            crate::outlook::worklist
        } else {
            crate::outlook::worklist_glance
        };
        self.worklist = Some(read(plan, ledger, self.as_of, self.source, self.until())?);
        Ok(())
    }

    /// The worklist shown lacks its items (read at a glance on a very large ledger).
    pub fn worklist_items_missing(&self) -> bool {
        self.worklist.as_ref().is_some_and(|w| !w.items_read)
    }

    /// Measures on a date the clerk gave.
    pub fn set_as_of(&mut self, date: Date) {
        self.as_of = date;
        self.source = AsOfSource::Given;
        self.stale = true;
    }

    /// Back to the default date.
    pub fn reset_as_of(&mut self, plan: &Plan, today: Date) {
        (self.as_of, self.source) = default_as_of(plan, today);
        self.stale = true;
    }
}
