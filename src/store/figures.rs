//! The city office's yearly figures for the city-wide targets, each change kept with who
//! made it and when, and the technology contract turnover the ledger itself holds.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{OptionalExtension, TransactionBehavior, params, params_from_iter};

use super::city::LedgerRole;
use super::counts;
use super::queries::window_condition;
use super::records::parse_timestamp;
use super::{Ledger, StoreError};
use crate::domain::progress::CountWindow;

/// One figure the city office entered.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CityFigure {
    pub key: String,
    pub year: i16,
    pub value: f64,
    pub entered_by: String,
    pub entered_at: Timestamp,
}

/// One change to a figure: its value before (none when first entered) and after.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CityFigureChange {
    pub key: String,
    pub year: i16,
    pub old: Option<f64>,
    pub new: f64,
    pub actor: String,
    pub at: Timestamp,
}

impl Ledger {
    /// Enters (or corrects) the city's figure `key` for `year`; every change is kept.
    /// Only at the city ledger; a negative or non-finite value is refused.
    pub fn set_city_figure(
        &mut self,
        key: &str,
        year: i16,
        value: f64,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.ensure_role(LedgerRole::City)?;
        if !value.is_finite() || value < 0.0 {
            return Err(StoreError::BadFigure { value });
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let at = Timestamp::now().to_string();
        let old: Option<f64> = tx
            .query_row(
                "SELECT value FROM city_figures WHERE key = ?1 AND year = ?2",
                params![key, year],
                |row| row.get(0),
            )
            .optional()?;
        if old == Some(value) {
            return Ok(());
        }
        tx.execute(
            "INSERT INTO city_figures (key, year, value, entered_by, entered_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (key, year) DO UPDATE SET value = excluded.value,
                 entered_by = excluded.entered_by, entered_at = excluded.entered_at",
            params![key, year, value, actor, at],
        )?;
        tx.execute(
            "INSERT INTO city_figure_events (key, year, old, new, actor, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![key, year, old, value, actor, at],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every figure entered, by key then year.
    pub fn city_figures(&self) -> Result<Vec<CityFigure>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, year, value, entered_by, entered_at FROM city_figures ORDER BY key, year",
        )?;
        let rows = stmt
            .query_map([], |row| {
                let at: String = row.get(4)?;
                Ok(CityFigure {
                    key: row.get(0)?,
                    year: row.get(1)?,
                    value: row.get(2)?,
                    entered_by: row.get(3)?,
                    entered_at: parse_timestamp(4, &at)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every change to the figures, oldest first.
    pub fn city_figure_changes(&self) -> Result<Vec<CityFigureChange>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, year, old, new, actor, at FROM city_figure_events ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([], |row| {
                let at: String = row.get(5)?;
                Ok(CityFigureChange {
                    key: row.get(0)?,
                    year: row.get(1)?,
                    old: row.get(2)?,
                    new: row.get(3)?,
                    actor: row.get(4)?,
                    at: parse_timestamp(5, &at)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The technology contract turnover of the achievements transferred between `from` and
    /// `to` and not revoked by `to`: each achievement's amount once, however many units
    /// record it (the largest amount recorded for it). The turnover of a year to date (`from`
    /// New Year's Day of `to`'s year) is read from the kept steps when they are up to date,
    /// any other from the records.
    pub fn contract_turnover(&self, from: Date, to: Date) -> Result<f64, StoreError> {
        if from == to.first_of_year() && counts::turnover_kept(&self.conn, &self.basis)? {
            return counts::kept_turnover(&self.conn, to);
        }
        self.contract_turnover_from_records(from, to)
    }

    /// [`Ledger::contract_turnover`] summed from the records, never read from the kept
    /// steps: what `check` and the tests compare the kept turnover with.
    pub fn contract_turnover_from_records(&self, from: Date, to: Date) -> Result<f64, StoreError> {
        let (condition, values) = window_condition(CountWindow::KeyDateBetween { from, to }, 1);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT COALESCE(SUM(amount), 0) FROM (
                 SELECT MAX(CAST(json_extract(fields_json, '$.amount_yuan') AS REAL)) AS amount
                 FROM records
                 WHERE status = 'active' AND kind = 'achievement' {condition}
                 GROUP BY count_key)"
        ))?;
        let sum: f64 = stmt.query_row(params_from_iter(values), |row| row.get(0))?;
        Ok(sum)
    }
}
