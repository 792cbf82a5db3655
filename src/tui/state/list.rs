//! One records list: the page on screen (fetched from the ledger by key, never all rows),
//! the search typed so far, whether voided records show, and the selection.

use std::time::Instant;

use tui_input::Input;
use uuid::Uuid;

use crate::domain::{Record, RecordKind};
use crate::store::{Ledger, ListCursor, ListQuery, StoreError};
use crate::tui::keys::Action;

/// The list of one kind.
#[derive(Clone, Debug)]
pub struct RecordList {
    pub kind: RecordKind,
    /// Only this unit's records (at the city ledger, which holds every unit's).
    pub unit: Option<String>,
    pub search: Input,
    /// The search box has the typing.
    pub searching: bool,
    pub include_voided: bool,
    /// The records on screen.
    pub page: Vec<Record>,
    /// Where each page so far started (`None` for the first); the last is the current page.
    pub page_starts: Vec<Option<ListCursor>>,
    /// Where the next page starts, if there is one.
    pub next: Option<ListCursor>,
    pub selected: usize,
    /// Records matching the filters.
    pub total: u64,
    /// Rows the screen has for records.
    pub page_size: usize,
    /// The page must be fetched again before it is shown.
    pub stale: bool,
    /// When the search text last changed, while the list waits for typing to pause.
    pub search_edited: Option<Instant>,
}

impl RecordList {
    /// Handles the keys every records list shares (moving, paging, searching, showing voided
    /// records, opening one). `None` for any other key; `Some(Ok(Some(id)))` asks the screen
    /// to open that record.
    pub fn navigate(
        &mut self,
        ledger: &Ledger,
        action: Action,
    ) -> Option<Result<Option<Uuid>, StoreError>> {
        let moved = match action {
            Action::Up => self.up(ledger),
            Action::Down => self.down(ledger),
            Action::PageDown => self.next_page(ledger),
            Action::PageUp => self.prev_page(ledger),
            Action::FirstPage => self.restart(ledger),
            Action::StartSearch => {
                self.searching = true;
                Ok(())
            }
            Action::FinishSearch => {
                self.searching = false;
                Ok(())
            }
            Action::ToggleVoided => {
                self.include_voided = !self.include_voided;
                self.restart(ledger)
            }
            Action::Open => return Some(Ok(self.selected_record().map(|r| r.id))),
            _ => return None,
        };
        Some(moved.map(|()| None))
    }

    pub fn new(kind: RecordKind) -> RecordList {
        RecordList {
            kind,
            unit: None,
            search: Input::default(),
            searching: false,
            include_voided: false,
            page: Vec::new(),
            page_starts: vec![None],
            next: None,
            selected: 0,
            total: 0,
            page_size: 10,
            stale: true,
            search_edited: None,
        }
    }

    /// The list of one unit's records of a kind (at the city ledger).
    pub fn for_unit(kind: RecordKind, unit: &str) -> RecordList {
        RecordList {
            unit: Some(unit.to_string()),
            ..RecordList::new(kind)
        }
    }

    fn query(&self, after: Option<ListCursor>) -> ListQuery {
        let search = self.search.value().trim();
        ListQuery {
            kind: Some(self.kind),
            unit: self.unit.clone(),
            search: (!search.is_empty()).then(|| search.to_string()),
            include_voided: self.include_voided,
            limit: self.page_size.max(1),
            after,
        }
    }

    /// The 0-based index of the first record on screen among all matching ones.
    pub fn first_index(&self) -> usize {
        (self.page_starts.len() - 1) * self.page_size.max(1)
    }

    /// Fetches the current page again and counts the matches, keeping the selection on the
    /// same record if it is still there. An empty page after the first goes back a page.
    pub fn reload(&mut self, ledger: &Ledger) -> Result<(), StoreError> {
        self.fetch_page(ledger)?;
        self.total = ledger.count_matching(&self.query(None))?;
        Ok(())
    }

    /// Fetches the current page only (turning pages does not change the count).
    fn fetch_page(&mut self, ledger: &Ledger) -> Result<(), StoreError> {
        let keep = self.selected_record().map(|r| r.id);
        loop {
            let start = self.page_starts.last().cloned().flatten();
            let page = ledger.list(&self.query(start))?;
            if page.records.is_empty() && self.page_starts.len() > 1 {
                self.page_starts.pop();
                continue;
            }
            self.page = page.records;
            self.next = page.next;
            break;
        }
        self.select_id_or_clamp(keep);
        self.stale = false;
        Ok(())
    }

    /// Starts from the first page (after the search or filter changed).
    pub fn restart(&mut self, ledger: &Ledger) -> Result<(), StoreError> {
        self.page_starts = vec![None];
        self.selected = 0;
        self.page.clear();
        self.reload(ledger)
    }

    fn select_id_or_clamp(&mut self, id: Option<Uuid>) {
        if let Some(pos) = id.and_then(|id| self.page.iter().position(|r| r.id == id)) {
            self.selected = pos;
        }
        self.selected = self.selected.min(self.page.len().saturating_sub(1));
    }

    pub fn selected_record(&self) -> Option<&Record> {
        self.page.get(self.selected)
    }

    /// Moves the selection down; past the last row it turns to the next page.
    pub fn down(&mut self, ledger: &Ledger) -> Result<(), StoreError> {
        if self.selected + 1 < self.page.len() {
            self.selected += 1;
            Ok(())
        } else if self.next.is_some() {
            self.next_page(ledger)
        } else {
            Ok(())
        }
    }

    /// Moves the selection up; above the first row it turns to the previous page.
    pub fn up(&mut self, ledger: &Ledger) -> Result<(), StoreError> {
        if self.selected > 0 {
            self.selected -= 1;
            Ok(())
        } else if self.page_starts.len() > 1 {
            self.prev_page(ledger)?;
            self.selected = self.page.len().saturating_sub(1);
            Ok(())
        } else {
            Ok(())
        }
    }

    pub fn next_page(&mut self, ledger: &Ledger) -> Result<(), StoreError> {
        if let Some(next) = self.next.clone() {
            self.page_starts.push(Some(next));
            self.selected = 0;
            self.page.clear();
            self.fetch_page(ledger)?;
        }
        Ok(())
    }

    pub fn prev_page(&mut self, ledger: &Ledger) -> Result<(), StoreError> {
        if self.page_starts.len() > 1 {
            self.page_starts.pop();
            self.selected = 0;
            self.page.clear();
            self.fetch_page(ledger)?;
        }
        Ok(())
    }

    /// Changes how many rows a page holds (the window was resized).
    pub fn set_page_size(&mut self, rows: usize) {
        let rows = rows.max(1);
        if rows != self.page_size {
            self.page_size = rows;
            self.page_starts = vec![None];
            self.selected = 0;
            self.stale = true;
        }
    }
}
