//! The data of the pages that look ahead: the worklist (待办) and its selected item, one
//! firm's page, and an indicator's path month by month. No drawing.

use jiff::civil::Date;
use uuid::Uuid;

use crate::domain::RecordKind;
use crate::domain::trend::Trend;
use crate::outlook::{FirmPage, Worklist};
use crate::plan::Plan;
use crate::store::{Ledger, StoreError};

/// The worklist page: the dashboard's worklist, one row per item, lapses first.
#[derive(Clone, Debug, Default)]
pub struct WorklistScreen {
    pub selected: usize,
}

/// What a row of the worklist page opens: the firm of a record (or the record, when it names
/// no firm by credit code), or a pool entry on the pool page (its firm may have no record
/// yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkItem {
    Record {
        credit_code: Option<String>,
        record: Uuid,
    },
    PoolEntry(Uuid),
}

impl WorklistScreen {
    /// The rows of `list` in the page's order: certificates running out, firms not
    /// registered again, then pool entries near their target date.
    pub fn items(list: &Worklist) -> Vec<WorkItem> {
        let lapses = list.lapses.iter().map(|l| WorkItem::Record {
            credit_code: l.lapse.credit_code.clone(),
            record: l.lapse.record,
        });
        let unregistered = list.not_registered.iter().map(|n| WorkItem::Record {
            credit_code: n.credit_code.clone(),
            record: n.record,
        });
        let pool = list.pool_near.iter().map(|e| WorkItem::PoolEntry(e.id));
        lapses.chain(unregistered).chain(pool).collect()
    }

    pub fn move_selection(&mut self, delta: isize, rows: usize) {
        let last = rows.saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
    }
}

/// One firm's page: its path and awards, the selected record, the first line shown.
#[derive(Clone, Debug)]
pub struct FirmScreen {
    pub page: FirmPage,
    pub selected: usize,
}

impl FirmScreen {
    pub fn load(plan: &Plan, ledger: &Ledger, credit_code: &str) -> Result<FirmScreen, StoreError> {
        Ok(FirmScreen {
            page: crate::outlook::firm_page(plan, ledger, credit_code)?,
            selected: 0,
        })
    }

    pub fn move_selection(&mut self, delta: isize) {
        let last = self.page.path.steps.len().saturating_sub(1) as isize;
        self.selected = (self.selected as isize + delta).clamp(0, last.max(0)) as usize;
    }

    /// The record of the selected row.
    pub fn selected_record(&self) -> Option<Uuid> {
        self.page.path.steps.get(self.selected).map(|s| s.record.id)
    }
}

/// An indicator's path month by month for one unit (at a unit ledger, its own).
#[derive(Clone, Debug)]
pub struct TrendScreen {
    pub unit: String,
    pub kind: RecordKind,
    pub as_of: Date,
    pub until: Date,
    pub trend: Option<Trend>,
    pub stale: bool,
}

impl TrendScreen {
    pub fn new(unit: &str, kind: RecordKind, as_of: Date, until: Date) -> TrendScreen {
        TrendScreen {
            unit: unit.to_owned(),
            kind,
            as_of,
            until,
            trend: None,
            stale: true,
        }
    }

    pub fn reload(&mut self, plan: &Plan, ledger: &Ledger) -> Result<(), StoreError> {
        self.stale = false;
        self.trend = Some(crate::outlook::trend(
            plan, ledger, &self.unit, self.kind, self.as_of, self.until,
        )?);
        Ok(())
    }

    /// The next (or previous) indicator of the plan.
    pub fn cycle_kind(&mut self, plan: &Plan, forward: bool) {
        let kinds: Vec<RecordKind> = plan.indicators.iter().map(|i| i.kind).collect();
        let Some(at) = kinds.iter().position(|k| *k == self.kind) else {
            return;
        };
        let n = kinds.len();
        let next = if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        };
        self.kind = kinds[next];
        self.stale = true;
    }
}
