//! The pages that look ahead: opening the worklist, a firm's page and an indicator's path,
//! and their keys (moving, opening the firm or record behind a row, switching indicators).

use super::{App, Bilingual, Note, View};
use crate::domain::Record;
use crate::domain::RecordKind;
use crate::tui::keys::Action;
use crate::tui::state::outlook::{FirmScreen, TrendScreen, WorkItem, WorklistScreen};
use jiff::civil::Date;

impl App {
    /// Opens the worklist of the dashboard's date (read now if the dashboard has not yet).
    pub(super) fn open_worklist(&mut self) {
        self.stack.push(View::Worklist(Box::default()));
    }

    /// Opens the path of the plan's first indicator for `unit`.
    pub(super) fn open_trend(&mut self, unit: &str, as_of: Date, until: Date) {
        let kind = self
            .plan
            .indicators
            .first()
            .map_or(RecordKind::TechSme, |i| i.kind);
        self.stack.push(View::Trend(Box::new(TrendScreen::new(
            unit, kind, as_of, until,
        ))));
    }

    /// Opens the page of the firm behind `record`, or says why there is none.
    pub(super) fn open_firm_of(&mut self, record: &Record) {
        match record.fields.get(record.kind.credit_code_field()) {
            Some(code) if !code.is_empty() => {
                let code = code.clone();
                self.open_firm(&code);
            }
            _ => self.note = Some(Note::NoCreditCode),
        }
    }

    pub(super) fn open_firm(&mut self, credit_code: &str) {
        let Some(ledger) = self.ledger.as_ref() else {
            return;
        };
        match FirmScreen::load(&self.plan, ledger, credit_code) {
            Ok(screen) if screen.page.path.steps.is_empty() => {
                self.note = Some(Note::NoFirmRecords)
            }
            Ok(screen) => self.stack.push(View::Firm(Box::new(screen))),
            Err(e) => self.note = Some(Note::Failed(Bilingual::of(&e))),
        }
    }

    pub(super) fn outlook_action(&mut self, action: Action) {
        let rows = self
            .dashboard
            .worklist
            .as_ref()
            .map_or(0, |w| WorklistScreen::items(w).len());
        match self.stack.last_mut() {
            Some(View::Worklist(screen)) => match action {
                Action::Up => screen.move_selection(-1, rows),
                Action::Down => screen.move_selection(1, rows),
                Action::PageUp => screen.move_selection(-10, rows),
                Action::PageDown => screen.move_selection(10, rows),
                Action::Open | Action::OpenFirm => {
                    let item =
                        self.dashboard.worklist.as_ref().and_then(|w| {
                            WorklistScreen::items(w).into_iter().nth(screen.selected)
                        });
                    match item {
                        Some(WorkItem::Record {
                            credit_code: Some(code),
                            ..
                        }) => self.open_firm(&code),
                        Some(WorkItem::Record { record, .. }) => self.open_detail(record),
                        Some(WorkItem::PoolEntry(id)) => {
                            let unit = self.ledger.as_ref().map(|l| l.unit().to_owned());
                            if let Some(unit) = unit {
                                self.open_pool_at(&unit, id);
                            }
                        }
                        None => {}
                    }
                }
                Action::Back => {
                    self.stack.pop();
                }
                _ => {}
            },
            Some(View::Firm(screen)) => match action {
                Action::Up => screen.move_selection(-1),
                Action::Down => screen.move_selection(1),
                Action::PageUp => screen.move_selection(-10),
                Action::PageDown => screen.move_selection(10),
                Action::Open => {
                    if let Some(id) = screen.selected_record() {
                        self.open_detail(id);
                    }
                }
                Action::Back => {
                    self.stack.pop();
                }
                _ => {}
            },
            Some(View::Trend(screen)) => match action {
                Action::NextIndicator => screen.cycle_kind(&self.plan, true),
                Action::PrevIndicator => screen.cycle_kind(&self.plan, false),
                Action::Back => {
                    self.stack.pop();
                }
                _ => {}
            },
            _ => {}
        }
    }
}
