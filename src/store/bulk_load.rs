//! Filling a ledger that holds no records yet with many at once (the demo): one transaction
//! in which the rows go in first and the records' indexes and kept counts are built once at
//! the end, by sorting, instead of being kept up to date row by row. The search index is
//! built meanwhile on a thread of its own and copied in whole.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};

use super::search::{SideBuild, SideEntries};
use super::{Ledger, StoreError, counts, kept, lineage, records, schema, search};
use crate::domain::counting::CountingBasis;
use crate::domain::validate::ACCOUNT_MAX;
use crate::domain::{RecordKind, ValidRecord};

/// A load in progress. Dropped without [`BulkLoad::finish`], it leaves the ledger as it was;
/// either way the connection gets its usual settings back.
pub struct BulkLoad<'a> {
    conn: &'a Connection,
    /// The load's transaction: its statements run on `conn`, inside it.
    tx: Option<Transaction<'a>>,
    unit: &'a str,
    basis: &'a CountingBasis,
    actor: String,
    at: String,
    /// The records' indexes as the schema declares them, built again by `finish`.
    indexes: Vec<String>,
    search: Option<SideBuild>,
    /// Records written, by kind: the kept tallies, without reading them back.
    written: BTreeMap<RecordKind, u64>,
}

impl Ledger {
    /// Starts filling this ledger, which must hold no records, with many records at once.
    pub fn bulk_load(&mut self, actor: &str) -> Result<BulkLoad<'_>, StoreError> {
        self.ensure_records_writable()?;
        let actor = kept("actor", actor, ACCOUNT_MAX)?;
        schema::bulk_write_settings(&self.conn)?;
        let tx = match Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate) {
            Ok(tx) => tx,
            Err(e) => {
                let _ = schema::normal_settings(&self.conn);
                return Err(e.into());
            }
        };
        let mut load = BulkLoad {
            conn: &self.conn,
            tx: Some(tx),
            unit: &self.unit,
            basis: &self.basis,
            actor,
            at: Timestamp::now().to_string(),
            indexes: Vec::new(),
            search: None,
            written: BTreeMap::new(),
        };
        load.begin()?;
        Ok(load)
    }
}

impl BulkLoad<'_> {
    /// Refuses a ledger that holds records, takes the records' indexes down and starts the
    /// side search index.
    fn begin(&mut self) -> Result<(), StoreError> {
        let conn = self.conn;
        let held: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM records)", [], |row| {
            row.get(0)
        })?;
        if held {
            let records: i64 =
                conn.query_row("SELECT COUNT(*) FROM records", [], |row| row.get(0))?;
            return Err(StoreError::NotEmpty {
                records: records.unsigned_abs(),
            });
        }
        let indexes = {
            let mut stmt = conn.prepare(
                "SELECT name, sql FROM sqlite_schema
                 WHERE type = 'index' AND tbl_name = 'records' AND sql IS NOT NULL",
            )?;
            stmt.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))?
                .collect::<rusqlite::Result<Vec<(String, String)>>>()?
        };
        for (name, sql) in indexes {
            conn.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
            self.indexes.push(sql);
        }
        self.search = Some(SideBuild::start(conn)?);
        Ok(())
    }

    /// Adds records to the load.
    pub fn add(&mut self, recs: &[ValidRecord]) -> Result<(), StoreError> {
        let mut entries = SideEntries::default();
        for rec in recs {
            lineage::check_reference(self.conn, self.unit, rec.kind, None, &rec.fields)?;
            let inserted = records::insert_row(self.conn, self.unit, rec, &self.actor, &self.at)?;
            entries.push(
                inserted.rowid,
                &rec.index.name,
                rec.index.credit_code.as_deref(),
            );
            *self.written.entry(rec.kind).or_default() += 1;
        }
        match self.search.as_mut() {
            Some(search) => search.add(entries),
            None => Err(StoreError::SearchBuildStopped),
        }
    }

    /// Builds the indexes, links upgrades, counts, puts the search index in, and commits;
    /// returns how many records were written. Two records of one entry refuse the whole
    /// load, naming one of them.
    pub fn finish(mut self) -> Result<u64, StoreError> {
        let conn = self.conn;
        for sql in &self.indexes {
            if let Err(e) = conn.execute_batch(sql) {
                if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation)
                    && let Some(duplicate) = records::first_active_duplicate(conn)?
                {
                    return Err(duplicate);
                }
                return Err(e.into());
            }
        }
        lineage::relink(conn, self.unit)?;
        counts::rebuild_loaded(conn, self.basis, self.unit, &self.written)?;
        self.search
            .take()
            .ok_or(StoreError::SearchBuildStopped)?
            .copy_into(conn)?;
        search::mark_built(conn)?;
        if let Some(tx) = self.tx.take() {
            tx.commit()?;
        }
        Ok(self.written.values().sum())
    }
}

impl Drop for BulkLoad<'_> {
    fn drop(&mut self) {
        // Roll back first (a load refused or left unfinished), then give the connection its
        // usual settings back.
        drop(self.tx.take());
        let _ = schema::normal_settings(self.conn);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::DemoRecords;
    use crate::domain::validate::validate_record;
    use crate::plan::Plan;

    fn cache_kib(ledger: &Ledger) -> i64 {
        let pages: i64 = ledger
            .conn
            .pragma_query_value(None, "cache_size", |row| row.get(0))
            .unwrap_or_default();
        -pages
    }

    /// However a load ends (refused at its start, refused at its end, dropped, finished),
    /// the connection is left with its usual page cache, not the load's.
    #[test]
    fn every_end_of_a_load_gives_the_connection_its_usual_cache_back() {
        let plan = Plan::embedded();
        let mut generator = DemoRecords::new(3, plan.start, plan.end).in_unit("230502");
        let mut records: Vec<ValidRecord> = (0..50)
            .map(|_| {
                let (kind, values) = generator.next_record();
                validate_record(kind, &values).unwrap()
            })
            .collect();
        let mut ledger = Ledger::create_in_memory("230502", &plan.id).unwrap();
        let usual = cache_kib(&ledger);

        let mut load = ledger.bulk_load("clerk").unwrap();
        load.add(&records[..10]).unwrap();
        drop(load);
        assert_eq!(cache_kib(&ledger), usual, "dropped");

        records.push(records[3].clone());
        let mut load = ledger.bulk_load("clerk").unwrap();
        load.add(&records).unwrap();
        assert!(matches!(load.finish(), Err(StoreError::Duplicate { .. })));
        assert_eq!(cache_kib(&ledger), usual, "refused at its end");

        records.pop();
        let mut load = ledger.bulk_load("clerk").unwrap();
        load.add(&records).unwrap();
        assert_eq!(load.finish().unwrap(), 50);
        assert_eq!(cache_kib(&ledger), usual, "finished");

        assert!(matches!(
            ledger.bulk_load("clerk"),
            Err(StoreError::NotEmpty { records: 50 })
        ));
        assert_eq!(cache_kib(&ledger), usual, "refused at its start");
    }
}
