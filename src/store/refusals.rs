//! The city's log of bundles it refused at import: when, which file (its name and SHA-256),
//! the unit and sequence the file claimed, and why, as a stable code with its facts in no
//! language. A refusal is superseded by any later successful import of the same unit: the
//! city then holds a bundle from the unit made after the refused one was brought.

use jiff::Timestamp;
use rusqlite::{Row, params};

use super::city::LedgerRole;
use super::records::{bad_column, parse_timestamp, sql_u64};
use super::{Ledger, StoreError};

/// One bundle file refused at an import, as the log keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleRefusal {
    /// When the import that refused it ran.
    pub at: Timestamp,
    /// The file's name as given, without its folder.
    pub file_name: String,
    /// Lower-case hex SHA-256 of the whole file, when it could be read.
    pub file_sha256: Option<String>,
    /// The unit the file's manifest names, when it could be parsed (not verified).
    pub unit: Option<String>,
    /// The sequence the file's manifest gives, when it could be parsed.
    pub sequence: Option<u64>,
    /// The kind of refusal: a stable code (see `crate::domain::refusal::RefusalReason`).
    pub code: String,
    /// The refusal's facts as a JSON object, in no language.
    pub detail: String,
}

/// A logged refusal, and whether it still needs attention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedRefusal {
    pub refusal: BundleRefusal,
    /// When the unit's latest successful import ran, if that was after the refusal: the
    /// refusal is superseded. `None` while it still needs attention (always, when the unit
    /// is not known).
    pub superseded_at: Option<Timestamp>,
}

impl LoggedRefusal {
    /// Still needs attention: no import of its unit succeeded since.
    pub fn is_pending(&self) -> bool {
        self.superseded_at.is_none()
    }
}

fn refusal_from_row(row: &Row<'_>) -> rusqlite::Result<LoggedRefusal> {
    let at = parse_timestamp(0, &row.get::<_, String>(0)?)?;
    let sequence = match row.get::<_, Option<i64>>(4)? {
        Some(n) => Some(u64::try_from(n).map_err(|_| bad_column(4, format!("sequence {n}")))?),
        None => None,
    };
    let last_import = match row.get::<_, Option<String>>(7)? {
        Some(text) => Some(parse_timestamp(7, &text)?),
        None => None,
    };
    Ok(LoggedRefusal {
        refusal: BundleRefusal {
            at,
            file_name: row.get(1)?,
            file_sha256: row.get(2)?,
            unit: row.get(3)?,
            sequence,
            code: row.get(5)?,
            detail: row.get(6)?,
        },
        superseded_at: last_import.filter(|imported| *imported > at),
    })
}

impl Ledger {
    /// Adds a refused bundle to the city's log. Only at the city ledger (a unit ledger
    /// imports no bundles).
    pub fn log_refusal(&mut self, refusal: &BundleRefusal) -> Result<(), StoreError> {
        self.ensure_role(LedgerRole::City)?;
        let sequence = refusal.sequence.map(sql_u64).transpose()?;
        self.conn
            .prepare_cached(
                "INSERT INTO refused_bundles
                     (at, file_name, file_sha256, unit, sequence, code, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                refusal.at.to_string(),
                refusal.file_name,
                refusal.file_sha256,
                refusal.unit,
                sequence,
                refusal.code,
                refusal.detail,
            ])?;
        Ok(())
    }

    /// The refused bundles logged at or after `since` (all with `None`), newest first, at
    /// most `limit` of them (`0`: no limit), each marked superseded or not: superseded once
    /// the unit it claimed has a successful import later than the refusal. Refusals whose
    /// unit is not known are never superseded.
    pub fn refusals(
        &self,
        since: Option<Timestamp>,
        limit: usize,
    ) -> Result<Vec<LoggedRefusal>, StoreError> {
        let limit = if limit == 0 {
            -1
        } else {
            i64::try_from(limit).unwrap_or(i64::MAX)
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.at, r.file_name, r.file_sha256, r.unit, r.sequence, r.code, r.detail,
                    (SELECT i.imported_at FROM imports AS i WHERE i.unit = r.unit
                     ORDER BY i.n DESC LIMIT 1)
             FROM refused_bundles AS r
             WHERE ?1 IS NULL OR julianday(r.at) >= julianday(?1)
             ORDER BY r.seq DESC
             LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(
                params![since.map(|t| t.to_string()), limit],
                refusal_from_row,
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
