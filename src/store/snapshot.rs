//! Reading every record of the ledger consistently and in bounded memory: one read
//! transaction, records streamed one row at a time in id order (what an export needs).

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::records::{RECORD_COLUMNS, record_from_row};
use super::{Ledger, StoreError, schema};
use crate::domain::Record;
use crate::domain::awards::AwardEvent;
use crate::domain::pool::PoolEntry;

/// Page cache while a whole ledger is read through, in KiB: rows are read once, in order.
const READ_CACHE_KIB: i64 = 8_192;

/// The ledger as it was when [`Ledger::read_consistently`] began: every read through it
/// sees the same records, whatever other clerks save meanwhile.
pub struct RecordsSnapshot<'a> {
    conn: &'a Connection,
}

impl Ledger {
    /// Runs `read` inside one read transaction, with a small page cache, so that it may go
    /// through the whole ledger more than once and see the same records every time.
    pub fn read_consistently<T, E: From<StoreError>>(
        &self,
        read: impl FnOnce(&RecordsSnapshot<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        schema::bulk_settings(&self.conn, READ_CACHE_KIB)?;
        let result = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)
            .map_err(|e| E::from(e.into()))
            .and_then(|tx| {
                let out = read(&RecordsSnapshot { conn: &tx });
                // Only read: ending it either way leaves the ledger as it was.
                drop(tx);
                out
            });
        schema::normal_settings(&self.conn)?;
        result
    }
}

impl RecordsSnapshot<'_> {
    /// The approvals and payments the ledger recorded itself, as of the snapshot (what a
    /// unit's bundle carries beside its records).
    pub fn award_events_recorded_here(&self) -> Result<Vec<AwardEvent>, StoreError> {
        super::awards::recorded_here(self.conn, None)
    }

    /// The ledger's cultivation pool entries, in id order, as of the snapshot (what a unit's
    /// bundle carries after its award events).
    pub fn pool_entries(&self) -> Result<Vec<PoolEntry>, StoreError> {
        super::pool::all_in_id_order(self.conn)
    }

    /// How many records there are (voided ones included).
    pub fn record_count(&self) -> Result<u64, StoreError> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM records", [], |row| row.get(0))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Calls `each` with every record, voided ones included, in id order (the 16 UUID bytes
    /// compared as unsigned bytes, which is the order of the stored lower-case text). One
    /// record is in memory at a time.
    pub fn for_each_record_in_id_order<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(Record) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {RECORD_COLUMNS} FROM records ORDER BY id"))
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            each(record_from_row(row).map_err(StoreError::from)?)?;
        }
        Ok(())
    }
}
