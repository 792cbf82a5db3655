//! One record on screen: its fields, status and full history, and the question being asked
//! about it (a reason to void, a confirmation to restore).

use tui_input::Input;

use crate::domain::{AuditEntry, Record};
use crate::store::{Ledger, StoreError};

/// A question the detail screen is asking.
#[derive(Clone, Debug)]
pub enum DetailPrompt {
    /// Why is the record voided? (required)
    VoidReason(Input),
    /// Make the voided record count again?
    ConfirmRestore,
}

/// The record detail screen.
#[derive(Clone, Debug)]
pub struct Detail {
    pub record: Record,
    pub history: Vec<AuditEntry>,
    /// First line shown of the scrollable body.
    pub scroll: u16,
    pub prompt: Option<DetailPrompt>,
}

impl Detail {
    /// Reads the record and its history.
    pub fn load(ledger: &Ledger, id: uuid::Uuid) -> Result<Detail, StoreError> {
        Ok(Detail {
            record: ledger.get(id)?,
            history: ledger.history(id)?,
            scroll: 0,
            prompt: None,
        })
    }

    /// Reads the record again (after a change here or elsewhere), keeping the scroll.
    pub fn refresh(&mut self, ledger: &Ledger) -> Result<(), StoreError> {
        self.record = ledger.get(self.record.id)?;
        self.history = ledger.history(self.record.id)?;
        Ok(())
    }
}
