//! Filling a ledger that holds no records yet with many at once (the demo): one transaction
//! in which the rows go in first and the records' indexes and kept counts are built once at
//! the end, by sorting, instead of being kept up to date row by row. The search index is
//! built meanwhile on a thread of its own and copied in whole.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::{ErrorCode, Transaction, TransactionBehavior};

use super::search::{SideBuild, SideEntries};
use super::{Ledger, StoreError, counts, kept, lineage, records, schema, search};
use crate::domain::counting::CountingBasis;
use crate::domain::validate::ACCOUNT_MAX;
use crate::domain::{RecordKind, ValidRecord};

/// A load in progress. Dropped without [`BulkLoad::finish`], it leaves the ledger as it was.
pub struct BulkLoad<'a> {
    tx: Transaction<'a>,
    unit: &'a str,
    basis: &'a CountingBasis,
    actor: String,
    at: String,
    /// The records' indexes as the schema declares them, built again by `finish`.
    indexes: Vec<String>,
    search: SideBuild,
    /// Records written, by kind: the kept tallies, without reading them back.
    written: BTreeMap<RecordKind, u64>,
}

impl Ledger {
    /// Starts filling this ledger, which must hold no records, with many records at once.
    pub fn bulk_load(&mut self, actor: &str) -> Result<BulkLoad<'_>, StoreError> {
        self.ensure_records_writable()?;
        let actor = kept("actor", actor, ACCOUNT_MAX)?;
        schema::bulk_write_settings(&self.conn)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let held: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM records)", [], |row| {
            row.get(0)
        })?;
        if held {
            let records: i64 =
                tx.query_row("SELECT COUNT(*) FROM records", [], |row| row.get(0))?;
            return Err(StoreError::NotEmpty {
                records: records.unsigned_abs(),
            });
        }
        let indexes = {
            let mut stmt = tx.prepare(
                "SELECT name, sql FROM sqlite_schema
                 WHERE type = 'index' AND tbl_name = 'records' AND sql IS NOT NULL",
            )?;
            stmt.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<Vec<(String, String)>>>()?
        };
        for (name, _) in &indexes {
            tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        }
        let search = SideBuild::start(&tx)?;
        Ok(BulkLoad {
            tx,
            unit: &self.unit,
            basis: &self.basis,
            actor,
            at: Timestamp::now().to_string(),
            indexes: indexes.into_iter().map(|(_, sql)| sql).collect(),
            search,
            written: BTreeMap::new(),
        })
    }
}

impl BulkLoad<'_> {
    /// Adds records to the load.
    pub fn add(&mut self, recs: &[ValidRecord]) -> Result<(), StoreError> {
        let mut entries = SideEntries::default();
        for rec in recs {
            lineage::check_reference(&self.tx, self.unit, rec.kind, None, &rec.fields)?;
            let inserted = records::insert_row(&self.tx, self.unit, rec, &self.actor, &self.at)?;
            entries.push(
                inserted.rowid,
                &rec.index.name,
                rec.index.credit_code.as_deref(),
            );
            *self.written.entry(rec.kind).or_default() += 1;
        }
        self.search.add(entries)?;
        Ok(())
    }

    /// Builds the indexes, links upgrades, counts, puts the search index in, and commits;
    /// returns how many records were written. Two records of one entry refuse the whole
    /// load, naming one of them.
    pub fn finish(self) -> Result<u64, StoreError> {
        for sql in &self.indexes {
            if let Err(e) = self.tx.execute_batch(sql) {
                if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
                    && let Some(duplicate) = records::first_active_duplicate(&self.tx)?
                {
                    return Err(duplicate);
                }
                return Err(e.into());
            }
        }
        lineage::relink(&self.tx, self.unit)?;
        counts::rebuild_loaded(&self.tx, self.basis, self.unit, &self.written)?;
        self.search.copy_into(&self.tx)?;
        search::mark_built(&self.tx)?;
        schema::normal_settings(&self.tx)?;
        self.tx.commit()?;
        Ok(self.written.values().sum())
    }
}
