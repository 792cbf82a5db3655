//! The unit side of syncing: the log of bundles exported (a sequence that only goes up) and
//! the receipts the city sent back saying what it holds.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use super::records::{parse_timestamp, row_u64, sql_u64};
use super::{Ledger, LedgerRole, StoreError};

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
    /// The newest bundle this unit exported, if any.
    pub fn last_export(&self) -> Result<Option<ExportEntry>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT sequence, file_name, sha256, records, at FROM exports
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

    /// Logs a bundle that was written and verified. Its sequence must be one more than the
    /// last one (1 for the first), else [`StoreError::SequenceMismatch`] and nothing written.
    pub fn record_export(&mut self, e: &ExportEntry) -> Result<(), StoreError> {
        self.ensure_role(LedgerRole::Unit)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let last: Option<i64> =
            tx.query_row("SELECT MAX(sequence) FROM exports", [], |row| row.get(0))?;
        let expected = last
            .and_then(|last| u64::try_from(last).ok())
            .unwrap_or(0)
            .saturating_add(1);
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
        tx.commit()?;
        Ok(())
    }

    /// Keeps a receipt from the city. One older than the newest kept changes nothing; one
    /// with the same sequence replaces it (the city wrote it again).
    pub fn record_receipt(&mut self, r: &ReceiptEntry) -> Result<(), StoreError> {
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
