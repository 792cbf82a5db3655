//! The unit side of syncing: the log of bundles exported (a sequence that only goes up, each
//! number consumed before its file appears on the stick) and the receipts the city sent back
//! saying what it holds, with the city's award approvals and payments for the unit's records.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::records::{bad_column, parse_timestamp, row_u64, sql_u64};
use super::{Ledger, LedgerRole, StoreError};
use crate::domain::awards::AwardEvent;

/// One bundle the unit wrote: its sequence, file name, SHA-256 (hex) of the whole file, how
/// many records it carried, and when it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportEntry {
    pub sequence: u64,
    pub file_name: String,
    pub sha256: String,
    pub records: u64,
    pub at: Timestamp,
}

/// What the city said it holds of this unit: the bundle it last imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptEntry {
    /// The city's code (230500).
    pub city: String,
    pub sequence: u64,
    /// SHA-256 (hex) of the bundle file the city imported.
    pub bundle_sha256: String,
    pub records: u64,
    /// When the city imported the bundle.
    pub imported_at: Timestamp,
    /// When the city wrote the receipt.
    pub created_at: Timestamp,
}

/// How far an export got. A number is consumed as soon as it is logged ([`Written`]), before
/// the file appears under its final name; a crash therefore leaves either a skipped number or
/// a file whose hash the log holds.
///
/// [`Written`]: ExportState::Written
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportState {
    /// Logged and being put in place. If it stays so, the export was interrupted: the file
    /// may or may not be on the stick, and if it is, it is the one logged.
    Written,
    /// In place under its final name and read back intact.
    Verified,
    /// Failed after it was logged: the file was removed and the number is skipped.
    Withdrawn,
}

impl ExportState {
    /// The state's name, as kept in `export_states` (where a verified export has no row).
    pub fn key(self) -> &'static str {
        match self {
            ExportState::Written => "written",
            ExportState::Verified => "verified",
            ExportState::Withdrawn => "withdrawn",
        }
    }

    pub fn from_key(key: &str) -> Option<ExportState> {
        match key {
            "written" => Some(ExportState::Written),
            "verified" => Some(ExportState::Verified),
            "withdrawn" => Some(ExportState::Withdrawn),
            _ => None,
        }
    }
}

fn export_from_row(row: &Row<'_>) -> rusqlite::Result<ExportEntry> {
    Ok(ExportEntry {
        sequence: row_u64(row, 0)?,
        file_name: row.get(1)?,
        sha256: row.get(2)?,
        records: row_u64(row, 3)?,
        at: parse_timestamp(4, &row.get::<_, String>(4)?)?,
    })
}

fn receipt_from_row(row: &Row<'_>) -> rusqlite::Result<ReceiptEntry> {
    Ok(ReceiptEntry {
        sequence: row_u64(row, 0)?,
        city: row.get(1)?,
        bundle_sha256: row.get(2)?,
        records: row_u64(row, 3)?,
        imported_at: parse_timestamp(4, &row.get::<_, String>(4)?)?,
        created_at: parse_timestamp(5, &row.get::<_, String>(5)?)?,
    })
}

impl Ledger {
    /// The newest bundle this unit exported and verified on the stick, if any. Numbers
    /// consumed by exports that failed or were interrupted are not shown here.
    pub fn last_export(&self) -> Result<Option<ExportEntry>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT sequence, file_name, sha256, records, at FROM exports
                 WHERE sequence NOT IN (SELECT sequence FROM export_states)
                 ORDER BY sequence DESC LIMIT 1",
            )?
            .query_row([], export_from_row)
            .optional()?)
    }

    /// The bundle this unit logged under `sequence`, if it exported one.
    pub fn export_of(&self, sequence: u64) -> Result<Option<ExportEntry>, StoreError> {
        let Ok(sequence) = i64::try_from(sequence) else {
            return Ok(None);
        };
        Ok(self
            .conn
            .prepare_cached(
                "SELECT sequence, file_name, sha256, records, at FROM exports WHERE sequence = ?1",
            )?
            .query_row([sequence], export_from_row)
            .optional()?)
    }

    /// The sequence the next export takes: one more than the highest ever logged, whatever
    /// became of that export (1 for the first).
    pub fn next_export_sequence(&self) -> Result<u64, StoreError> {
        next_sequence(&self.conn)
    }

    /// Every export logged, oldest first, with how far it got.
    pub fn export_log(&self) -> Result<Vec<(ExportEntry, ExportState)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT sequence, file_name, sha256, records, at,
                    COALESCE((SELECT state FROM export_states s
                              WHERE s.sequence = exports.sequence), 'verified')
             FROM exports ORDER BY sequence",
        )?;
        let rows = stmt.query_map([], |row| {
            let state: String = row.get(5)?;
            let state = ExportState::from_key(&state)
                .ok_or_else(|| bad_column(5, format!("export state {state:?}")))?;
            Ok((export_from_row(row)?, state))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Consumes the export's number: logs the bundle (as [`ExportState::Written`]) with its
    /// file name, hash and record count. Called once the file is complete under its temporary
    /// name and before it is put in place, so the number is never used twice whatever happens
    /// next. Its sequence must be [`Ledger::next_export_sequence`], else
    /// [`StoreError::SequenceMismatch`] and nothing written (another clerk exported meanwhile).
    pub fn record_export(&mut self, e: &ExportEntry) -> Result<(), StoreError> {
        self.ensure_role(LedgerRole::Unit)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let expected = next_sequence(&tx)?;
        if e.sequence != expected {
            return Err(StoreError::SequenceMismatch {
                expected,
                given: e.sequence,
            });
        }
        tx.execute(
            "INSERT INTO exports (sequence, file_name, sha256, records, at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                sql_u64(e.sequence)?,
                e.file_name,
                e.sha256,
                sql_u64(e.records)?,
                e.at.to_string()
            ],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO export_states (sequence, state) VALUES (?1, 'written')",
            [sql_u64(e.sequence)?],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Marks a logged export as in place and read back. Changes nothing unless it is
    /// [`ExportState::Written`].
    pub fn confirm_export(&mut self, sequence: u64) -> Result<(), StoreError> {
        self.settle_export(sequence, ExportState::Verified)
    }

    /// Marks a logged export as failed after logging: its file was removed and its number
    /// stays consumed. Changes nothing unless it is [`ExportState::Written`].
    pub fn withdraw_export(&mut self, sequence: u64) -> Result<(), StoreError> {
        self.settle_export(sequence, ExportState::Withdrawn)
    }

    fn settle_export(&mut self, sequence: u64, state: ExportState) -> Result<(), StoreError> {
        self.ensure_role(LedgerRole::Unit)?;
        let sequence = sql_u64(sequence)?;
        let sql = match state {
            ExportState::Written => return Ok(()),
            ExportState::Verified => {
                "DELETE FROM export_states WHERE sequence = ?1 AND state = 'written'"
            }
            ExportState::Withdrawn => {
                "UPDATE export_states SET state = 'withdrawn'
                 WHERE sequence = ?1 AND state = 'written'"
            }
        };
        self.conn.execute(sql, [sequence])?;
        Ok(())
    }

    /// Keeps a receipt from the city. One older than the newest kept changes nothing; one
    /// with the same sequence replaces it (the city wrote it again). The award events
    /// received from the city stay as they are.
    pub fn record_receipt(&mut self, r: &ReceiptEntry) -> Result<(), StoreError> {
        self.keep_receipt(r, None)
    }

    /// [`Ledger::record_receipt`] for a receipt carrying the city's award events for this
    /// unit's records (none in a receipt of format 1 or 2): in the same transaction, they
    /// replace the events received from the city before, unless the receipt is older than
    /// the newest kept (which changes nothing).
    pub fn record_receipt_with_awards(
        &mut self,
        r: &ReceiptEntry,
        awards: &[AwardEvent],
    ) -> Result<(), StoreError> {
        self.keep_receipt(r, Some(awards))
    }

    fn keep_receipt(
        &mut self,
        r: &ReceiptEntry,
        awards: Option<&[AwardEvent]>,
    ) -> Result<(), StoreError> {
        self.ensure_role(LedgerRole::Unit)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let sequence = sql_u64(r.sequence)?;
        let newest: Option<i64> =
            tx.query_row("SELECT MAX(sequence) FROM receipts", [], |row| row.get(0))?;
        if newest.is_some_and(|newest| sequence < newest) {
            return Ok(());
        }
        tx.execute(
            "INSERT INTO receipts (sequence, city, bundle_sha256, records, imported_at, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (sequence) DO UPDATE SET city = excluded.city,
                 bundle_sha256 = excluded.bundle_sha256, records = excluded.records,
                 imported_at = excluded.imported_at, created_at = excluded.created_at",
            params![
                sequence,
                r.city,
                r.bundle_sha256,
                sql_u64(r.records)?,
                r.imported_at.to_string(),
                r.created_at.to_string()
            ],
        )?;
        if let Some(awards) = awards {
            super::awards::replace_received(&tx, &r.city, awards)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The receipt with the highest sequence, if any.
    pub fn last_receipt(&self) -> Result<Option<ReceiptEntry>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT sequence, city, bundle_sha256, records, imported_at, created_at
                 FROM receipts ORDER BY sequence DESC LIMIT 1",
            )?
            .query_row([], receipt_from_row)
            .optional()?)
    }
}

/// One more than the highest sequence logged, 1 for the first.
fn next_sequence(conn: &Connection) -> Result<u64, StoreError> {
    let last: Option<i64> =
        conn.query_row("SELECT MAX(sequence) FROM exports", [], |row| row.get(0))?;
    Ok(last
        .and_then(|last| u64::try_from(last).ok())
        .unwrap_or(0)
        .saturating_add(1))
}
