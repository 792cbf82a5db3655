//! Reading a firm's records across kinds, and the records the worklist weighs: certificates
//! about to run out and last year's registrations, each with the other records of its entity.

use std::str::FromStr;

use jiff::civil::Date;
use rusqlite::{Connection, Row, params};

use super::records::{RECORD_COLUMNS, bad_column, parse_kind, parse_uuid, record_from_row};
use super::{Ledger, StoreError};
use crate::domain::RecordKind;
use crate::domain::firm::FirmRecord;
use crate::domain::worklist::TrackedRecord;

/// The most records a firm page reads: a firm has a handful; a code shared by thousands of
/// records is a data problem the page need not draw whole.
pub const FIRM_RECORDS_MAX: usize = 10_000;

impl Ledger {
    /// Every active record behind the firm with this credit code (at the city, in every
    /// unit), oldest first: its tech-SME registrations and high-tech certificates, and the
    /// institutions, incubators, alliances and achievements that name it as host, operator,
    /// lead or recipient. At most [`FIRM_RECORDS_MAX`].
    pub fn firm_records(&self, credit_code: &str) -> Result<Vec<FirmRecord>, StoreError> {
        firm_records(&self.conn, credit_code)
    }

    /// The unit's active records of `kind` for every entity that has one dated in
    /// `[from, to)` (all of each such entity's records, whatever their dates).
    pub fn entity_records_dated(
        &self,
        unit: &str,
        kind: RecordKind,
        from: Date,
        to: Date,
    ) -> Result<Vec<TrackedRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, count_key, name, credit_code, key_date, end_date
             FROM records INDEXED BY records_entity
             WHERE status = 'active' AND kind = ?1 AND unit = ?2 AND count_key IN (
                 SELECT count_key FROM records INDEXED BY records_list_kind
                 WHERE kind = ?1 AND key_date >= ?3 AND key_date < ?4
                   AND status = 'active' AND unit = ?2)",
        )?;
        let rows = stmt.query_map(
            params![kind.key(), unit, from.to_string(), to.to_string()],
            tracked_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many records of `kind` (any unit or status) are dated in `[from, to)`: an upper
    /// bound of what a worklist over those dates reads, from the list index alone.
    pub fn records_dated_between(
        &self,
        kind: RecordKind,
        from: Date,
        to: Date,
    ) -> Result<u64, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT COUNT(*) FROM records INDEXED BY records_list_kind
             WHERE kind = ?1 AND key_date >= ?2 AND key_date < ?3",
        )?;
        let count: i64 = stmt.query_row(
            params![kind.key(), from.to_string(), to.to_string()],
            |row| row.get(0),
        )?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The unit's active records of `kind` dated in the year before `year` whose entity has
    /// no active record dated in `year`: last year's registrations not made again.
    pub fn not_registered_again(
        &self,
        unit: &str,
        kind: RecordKind,
        year: i16,
    ) -> Result<Vec<TrackedRecord>, StoreError> {
        let (Some(last), Some(this), Some(end)) = (
            year.checked_sub(1).and_then(|y| Date::new(y, 1, 1).ok()),
            Date::new(year, 1, 1).ok(),
            Date::new(year, 12, 31).ok(),
        ) else {
            return Ok(Vec::new());
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, count_key, name, credit_code, key_date, end_date
             FROM records AS r INDEXED BY records_list_kind
             WHERE r.kind = ?1 AND r.key_date >= ?3 AND r.key_date < ?4
               AND r.status = 'active' AND r.unit = ?2
               AND NOT EXISTS (
                   SELECT 1 FROM records AS s INDEXED BY records_entity
                   WHERE s.status = 'active' AND s.kind = ?1 AND s.count_key = r.count_key
                     AND s.unit = ?2 AND s.key_date >= ?4 AND s.key_date <= ?5)",
        )?;
        let rows = stmt.query_map(
            params![
                kind.key(),
                unit,
                last.to_string(),
                this.to_string(),
                end.to_string()
            ],
            tracked_from_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

fn firm_records(conn: &Connection, credit_code: &str) -> Result<Vec<FirmRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RECORD_COLUMNS}, count_key, key_date, end_date
         FROM records INDEXED BY records_entity
         WHERE status = 'active' AND kind IN ('tech_sme', 'high_tech') AND count_key = ?1
         UNION ALL
         SELECT {RECORD_COLUMNS}, count_key, key_date, end_date
         FROM records INDEXED BY records_firm_links
         WHERE status = 'active' AND credit_code = ?1
           AND kind IN ('rnd_institution', 'incubator', 'alliance', 'achievement')
         LIMIT ?2"
    ))?;
    let limit = i64::try_from(FIRM_RECORDS_MAX).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![credit_code, limit], firm_record_from_row)?;
    let mut records = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    records.sort_by(|a, b| {
        (a.key_date, a.record.kind, a.record.id).cmp(&(b.key_date, b.record.kind, b.record.id))
    });
    Ok(records)
}

/// The number of columns [`RECORD_COLUMNS`] selects.
const RECORD_COLUMN_COUNT: usize = 11;

fn firm_record_from_row(row: &Row<'_>) -> rusqlite::Result<FirmRecord> {
    let n = RECORD_COLUMN_COUNT;
    Ok(FirmRecord {
        record: record_from_row(row)?,
        count_key: row.get(n)?,
        key_date: date_column(row, n + 1)?,
        end_date: optional_date_column(row, n + 2)?,
    })
}

fn tracked_from_row(row: &Row<'_>) -> rusqlite::Result<TrackedRecord> {
    let id: String = row.get(0)?;
    let kind: String = row.get(1)?;
    Ok(TrackedRecord {
        id: parse_uuid(0, &id)?,
        kind: parse_kind(1, &kind)?,
        count_key: row.get(2)?,
        name: row.get(3)?,
        credit_code: row.get(4)?,
        key_date: date_column(row, 5)?,
        end_date: optional_date_column(row, 6)?,
    })
}

fn date_column(row: &Row<'_>, idx: usize) -> rusqlite::Result<Date> {
    let text: String = row.get(idx)?;
    Date::from_str(&text).map_err(|_| bad_column(idx, format!("date {text:?}")))
}

fn optional_date_column(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Date>> {
    let text: Option<String> = row.get(idx)?;
    text.map(|t| Date::from_str(&t).map_err(|_| bad_column(idx, format!("date {t:?}"))))
        .transpose()
}
