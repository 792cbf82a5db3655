//! Cultivation pool entry lines (format 4): one entry of the unit's pool per payload line
//! after the award events, in canonical JSON with a fixed field order, in id order, each
//! checked against the bundle it travels in (its unit) and the ledger's rules for an entry.

use std::collections::HashSet;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::malformed;
use crate::bundle::error::{BundleError, FilePart, PoolLineFault};
use crate::domain::credit_code;
use crate::domain::pool::{PoolEntry, PoolStage, PoolStatus};
use crate::domain::validate::{ACCOUNT_MAX, LONG_TEXT_MAX, TEXT_MAX, VOID_REASON_MAX, kept_text};

/// The most pool entries one bundle may carry. A reader holds them in memory (each at most
/// one line of 64 KiB, in practice a few hundred bytes); a unit cultivates dozens.
pub const MAX_POOL_ENTRIES: u64 = 100_000;

/// The years an entry's dates may fall in.
const YEARS: std::ops::RangeInclusive<i16> = 1949..=2100;

/// One pool entry as a payload line carries it: compact JSON, keys in this order, no other
/// keys; `achieved_by`, `closed_on` and `close_reason` null where the entry has none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolLine {
    pub id: Uuid,
    pub unit: String,
    pub credit_code: String,
    pub name: String,
    /// `tech_sme`, `high_tech_candidate` or `gazelle_candidate`.
    pub stage: String,
    pub target_on: Date,
    /// Empty when there are none.
    pub notes: String,
    /// `open`, `achieved` or `withdrawn`.
    pub status: String,
    pub achieved_by: Option<Uuid>,
    pub closed_on: Option<Date>,
    pub close_reason: Option<String>,
    /// Why a credit code failing its check digit is kept; null for none.
    pub override_reason: Option<String>,
    pub revision: i64,
    pub created_by: String,
    pub created_at: Timestamp,
    pub updated_by: String,
    pub updated_at: Timestamp,
}

impl PoolLine {
    pub fn of(entry: &PoolEntry) -> PoolLine {
        PoolLine {
            id: entry.id,
            unit: entry.unit.clone(),
            credit_code: entry.credit_code.clone(),
            name: entry.name.clone(),
            stage: entry.stage.key().to_owned(),
            target_on: entry.target_on,
            notes: entry.notes.clone(),
            status: entry.status.key().to_owned(),
            achieved_by: entry.achieved_by,
            closed_on: entry.closed_on,
            close_reason: entry.close_reason.clone(),
            override_reason: entry.override_reason.clone(),
            revision: entry.revision,
            created_by: entry.created_by.clone(),
            created_at: entry.created_at,
            updated_by: entry.updated_by.clone(),
            updated_at: entry.updated_at,
        }
    }

    /// The line's bytes without the newline.
    pub fn to_line(&self) -> Result<String, BundleError> {
        serde_json::to_string(self).map_err(|e| malformed(FilePart::Manifest, e))
    }
}

/// The rules between pool lines: each line valid for the bundle, the lines strictly
/// ascending by id, and no firm open twice. Remembers the open firms' credit codes.
pub(crate) struct PoolCheck {
    unit: String,
    last: Option<Uuid>,
    open_firms: HashSet<String>,
}

impl PoolCheck {
    pub(crate) fn new(unit: &str) -> PoolCheck {
        PoolCheck {
            unit: unit.to_owned(),
            last: None,
            open_firms: HashSet::new(),
        }
    }

    /// Parses and checks the entry on payload line `line_no` (counted from 1 over the whole
    /// payload) and returns it.
    pub(crate) fn admit_bytes(
        &mut self,
        line_no: usize,
        line: &[u8],
    ) -> Result<PoolEntry, BundleError> {
        let parsed = super::parse_canonical_line(line_no, line, PoolLine::to_line)?;
        self.admit(line_no, parsed)
    }

    /// Checks one entry line (a writer's own, or one parsed by a reader).
    pub(crate) fn admit(
        &mut self,
        line_no: usize,
        line: PoolLine,
    ) -> Result<PoolEntry, BundleError> {
        let id = line.id;
        let refuse = |fault| BundleError::InvalidPoolEntry {
            line: line_no,
            id,
            fault,
        };
        match self.last.map(|last| last.cmp(&id)) {
            Some(std::cmp::Ordering::Equal) => return Err(refuse(PoolLineFault::Twice)),
            Some(std::cmp::Ordering::Greater) => return Err(refuse(PoolLineFault::OutOfOrder)),
            _ => {}
        }
        let entry = check_pool_line(&self.unit, &line).map_err(refuse)?;
        if entry.status == PoolStatus::Open && !self.open_firms.insert(entry.credit_code.clone()) {
            return Err(refuse(PoolLineFault::OpenTwice));
        }
        self.last = Some(id);
        Ok(entry)
    }
}

/// Checks one line on its own against the bundle's `unit`, and makes it an entry.
pub fn check_pool_line(unit: &str, line: &PoolLine) -> Result<PoolEntry, PoolLineFault> {
    if line.unit != unit {
        return Err(PoolLineFault::OtherUnit {
            unit: line.unit.clone(),
        });
    }
    let stage = PoolStage::from_key(&line.stage).ok_or_else(|| PoolLineFault::Stage {
        stage: line.stage.clone(),
    })?;
    let status = PoolStatus::from_key(&line.status).ok_or_else(|| PoolLineFault::Status {
        status: line.status.clone(),
    })?;
    if let Some(reason) = &line.override_reason {
        check_text("override_reason", reason, LONG_TEXT_MAX, true)?;
    }
    let checked = match credit_code::check(&line.credit_code) {
        Ok(()) => true,
        // A failed check digit travels only with the reason it was kept for.
        Err(credit_code::CreditCodeError::Check { .. }) => line.override_reason.is_some(),
        Err(_) => false,
    };
    if credit_code::normalize(&line.credit_code) != line.credit_code || !checked {
        return Err(PoolLineFault::CreditCode);
    }
    check_text("name", &line.name, TEXT_MAX, true)?;
    check_text("notes", &line.notes, LONG_TEXT_MAX, false)?;
    check_text("created_by", &line.created_by, ACCOUNT_MAX, false)?;
    check_text("updated_by", &line.updated_by, ACCOUNT_MAX, false)?;
    if let Some(reason) = &line.close_reason {
        check_text("close_reason", reason, VOID_REASON_MAX, true)?;
    }
    let open = status == PoolStatus::Open;
    let dates_fit = YEARS.contains(&line.target_on.year())
        && line.closed_on.is_none_or(|d| YEARS.contains(&d.year()))
        && open == line.closed_on.is_none();
    if !dates_fit {
        return Err(PoolLineFault::Dates);
    }
    let closing_fits = (line.achieved_by.is_none() || status == PoolStatus::Achieved)
        && (line.close_reason.is_some() || status != PoolStatus::Withdrawn)
        && (line.close_reason.is_none() || !open);
    if !closing_fits {
        return Err(PoolLineFault::Closing);
    }
    if line.revision < 1 {
        return Err(PoolLineFault::Revision);
    }
    Ok(PoolEntry {
        id: line.id,
        unit: line.unit.clone(),
        credit_code: line.credit_code.clone(),
        name: line.name.clone(),
        stage,
        target_on: line.target_on,
        notes: line.notes.clone(),
        status,
        achieved_by: line.achieved_by,
        closed_on: line.closed_on,
        close_reason: line.close_reason.clone(),
        override_reason: line.override_reason.clone(),
        revision: line.revision,
        created_by: line.created_by.clone(),
        created_at: line.created_at,
        updated_by: line.updated_by.clone(),
        updated_at: line.updated_at,
    })
}

/// A text already in the form the ledger keeps (the text policy), within `max` characters,
/// and not empty if `required`.
fn check_text(
    field: &'static str,
    text: &str,
    max: usize,
    required: bool,
) -> Result<(), PoolLineFault> {
    let kept = kept_text(text, max).is_ok_and(|kept| kept == text);
    if !kept || (required && text.is_empty()) {
        return Err(PoolLineFault::Text { field });
    }
    Ok(())
}

/// Checks the entries a writer is about to put in a bundle as a reader will, and returns
/// their lines (without newlines) in id order.
pub fn pool_lines(
    unit: &str,
    entries: &[PoolEntry],
    first_line: usize,
) -> Result<Vec<String>, BundleError> {
    if entries.len() as u64 > MAX_POOL_ENTRIES {
        return Err(BundleError::TooManyPoolEntries {
            count: entries.len() as u64,
        });
    }
    let mut sorted: Vec<&PoolEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.id);
    let mut check = PoolCheck::new(unit);
    sorted
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let line = PoolLine::of(entry);
            let text = line.to_line()?;
            let line_no = first_line + i;
            if text.len() > super::MAX_LINE_LEN {
                return Err(BundleError::LineTooLong {
                    line: line_no,
                    len: text.len(),
                });
            }
            check.admit(line_no, line)?;
            Ok(text)
        })
        .collect()
}

#[cfg(test)]
mod tests;
