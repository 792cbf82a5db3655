//! Awards in the ledger file: the records the award rules read, the approvals and payments
//! recorded by the level that pays, and those copied from the other side's bundle or receipt.

use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, ErrorCode, Row, TransactionBehavior, params};
use serde::Serialize;

use super::city::LedgerRole;
use super::kept;
use super::records::{bad_column, parse_kind, parse_timestamp, parse_uuid, sql_u64};
use super::{Ledger, StoreError};
use crate::domain::awards::{
    AwardAction, AwardEvent, AwardLine, AwardRefusal, AwardSubject, EntitlementKey, FiscalLevel,
    award_lines, check_action, entitlements,
};
use crate::domain::validate::ACCOUNT_MAX;
use crate::domain::{FieldIssue, FieldValues, Problem};
use crate::plan::Plan;

/// The longest payment voucher number, in characters.
pub const VOUCHER_MAX: usize = 64;

/// Which award lines to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwardQuery {
    /// Only this unit's (at the city ledger).
    pub unit: Option<String>,
    /// Only entitlements for this year.
    pub year: Option<i16>,
}

/// An approval or payment asked of the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AwardRequest {
    pub key: EntitlementKey,
    pub action: AwardAction,
    pub on: Date,
    /// Required for a payment.
    pub voucher: Option<String>,
}

/// Why an approval or payment was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AwardRefused {
    pub key: EntitlementKey,
    pub refusal: AwardRefusal,
}

impl Ledger {
    /// The fiscal level whose payments this ledger records: a unit's ledger pays for the
    /// county or district, the city's for the city.
    pub fn paying_level(&self) -> FiscalLevel {
        match self.role() {
            LedgerRole::City => FiscalLevel::City,
            LedgerRole::Unit => FiscalLevel::County,
        }
    }

    /// Every award line of the plan's rules over the ledger's records, with the approvals and
    /// payments known here (recorded here or received), narrowed as `query` asks.
    pub fn award_lines(
        &self,
        plan: &Plan,
        query: &AwardQuery,
    ) -> Result<Vec<AwardLine>, StoreError> {
        let lines = all_lines(&self.conn, plan, query.unit.as_deref())?;
        Ok(lines
            .into_iter()
            .filter(|l| query.year.is_none_or(|y| l.key.year == y))
            .collect())
    }

    /// Records an approval or a payment of an entitlement this ledger's level pays, after
    /// checking it against the lines as they stand (in the same transaction, so that two
    /// clerks cannot pay one entitlement twice).
    pub fn record_award(
        &mut self,
        plan: &Plan,
        request: &AwardRequest,
        actor: &str,
    ) -> Result<AwardEvent, StoreError> {
        self.ensure_not_read_only()?;
        let actor = kept("actor", actor, ACCOUNT_MAX)?;
        let voucher = match (request.action, request.voucher.as_deref()) {
            (AwardAction::Pay, None) => {
                return Err(StoreError::BadText {
                    issue: FieldIssue::new("voucher", Problem::Required),
                });
            }
            (AwardAction::Pay, Some(v)) => {
                let v = kept("voucher", v, VOUCHER_MAX)?;
                if v.is_empty() {
                    return Err(StoreError::BadText {
                        issue: FieldIssue::new("voucher", Problem::Required),
                    });
                }
                Some(v)
            }
            (AwardAction::Approve, _) => None,
        };
        let level = self.paying_level();
        let recorded_by = self.unit().to_owned();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let unit = tx
            .query_row(
                "SELECT unit FROM records WHERE id = ?1",
                [request.key.record.to_string()],
                |row| row.get::<_, String>(0),
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound {
                    id: request.key.record.to_string(),
                },
                e => e.into(),
            })?;
        let lines = all_lines(&tx, plan, Some(&unit))?;
        let refused = |refusal| {
            StoreError::AwardRefused(Box::new(AwardRefused {
                key: request.key.clone(),
                refusal,
            }))
        };
        let line = lines
            .iter()
            .find(|l| l.key == request.key)
            .ok_or_else(|| refused(AwardRefusal::NotEntitled))?;
        let fen = check_action(line, request.action, level, request.on).map_err(refused)?;
        let event = AwardEvent {
            key: request.key.clone(),
            unit,
            level,
            action: request.action,
            fen,
            on: request.on,
            voucher,
            recorded_by,
            actor,
            at: Timestamp::now(),
        };
        insert_event(&tx, &event, false).map_err(|e| match e {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                if f.code == ErrorCode::ConstraintViolation =>
            {
                // Another clerk recorded the same decision a moment earlier.
                refused(match request.action {
                    AwardAction::Approve => AwardRefusal::AlreadyApproved { on: request.on },
                    AwardAction::Pay => AwardRefusal::AlreadyPaid {
                        on: request.on,
                        voucher: None,
                    },
                })
            }
            e => e,
        })?;
        tx.commit()?;
        Ok(event)
    }

    /// The approvals and payments this ledger recorded itself, oldest first; at the city,
    /// only those for `unit`'s records when given. They travel in bundles and receipts.
    pub fn award_events_recorded_here(
        &self,
        unit: Option<&str>,
    ) -> Result<Vec<AwardEvent>, StoreError> {
        recorded_here(&self.conn, unit)
    }

    /// The approvals and payments received from `from` (a unit at the city, the city at a
    /// unit): what its last bundle or receipt carried.
    pub fn award_events_received_from(&self, from: &str) -> Result<Vec<AwardEvent>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT record_id, rule, year, unit, level, action, fen, on_date, voucher,
                    recorded_by, actor, at
             FROM award_events WHERE received = 1 AND recorded_by = ?1 ORDER BY seq",
        )?;
        let events = stmt
            .query_map([from], event_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(events)
    }
}

/// The events recorded by the ledger on `conn` itself, oldest first; only `unit`'s when given.
pub(crate) fn recorded_here(
    conn: &Connection,
    unit: Option<&str>,
) -> Result<Vec<AwardEvent>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT record_id, rule, year, unit, level, action, fen, on_date, voucher,
                recorded_by, actor, at
         FROM award_events WHERE received = 0 AND (?1 IS NULL OR unit = ?1) ORDER BY seq",
    )?;
    let events = stmt
        .query_map([unit], event_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(events)
}

/// Replaces what `from` (a unit at the city, the city at a unit) last sent with `events`,
/// inside the caller's transaction.
pub(crate) fn replace_received(
    conn: &Connection,
    from: &str,
    events: &[AwardEvent],
) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM award_events WHERE received = 1 AND recorded_by = ?1",
        [from],
    )?;
    for event in events {
        insert_event(conn, event, true)?;
    }
    Ok(())
}

fn insert_event(conn: &Connection, event: &AwardEvent, received: bool) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO award_events (recorded_by, received, record_id, rule, year, unit, level,
                                   action, fen, on_date, voucher, actor, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            event.recorded_by,
            received,
            event.key.record.to_string(),
            event.key.rule,
            event.key.year,
            event.unit,
            event.level.key(),
            event.action.key(),
            sql_u64(event.fen)?,
            event.on.to_string(),
            event.voucher,
            event.actor,
            event.at.to_string(),
        ],
    )?;
    Ok(())
}

fn event_from_row(row: &Row<'_>) -> rusqlite::Result<AwardEvent> {
    let level: String = row.get(4)?;
    let action: String = row.get(5)?;
    let fen: i64 = row.get(6)?;
    let on: String = row.get(7)?;
    let at: String = row.get(11)?;
    Ok(AwardEvent {
        key: EntitlementKey {
            record: parse_uuid(0, &row.get::<_, String>(0)?)?,
            rule: row.get(1)?,
            year: row.get(2)?,
        },
        unit: row.get(3)?,
        level: FiscalLevel::from_key(&level).ok_or_else(|| bad_column(4, level.clone()))?,
        action: AwardAction::from_key(&action).ok_or_else(|| bad_column(5, action.clone()))?,
        fen: u64::try_from(fen).map_err(|_| bad_column(6, fen.to_string()))?,
        on: Date::from_str(&on).map_err(|_| bad_column(7, on.clone()))?,
        voucher: row.get(8)?,
        recorded_by: row.get(9)?,
        actor: row.get(10)?,
        at: parse_timestamp(11, &at)?,
    })
}

/// Every line for `unit` (all units when `None`).
fn all_lines(
    conn: &Connection,
    plan: &Plan,
    unit: Option<&str>,
) -> Result<Vec<AwardLine>, StoreError> {
    let subjects = subjects(conn, plan, unit)?;
    let mut stmt = conn.prepare(
        "SELECT record_id, rule, year, unit, level, action, fen, on_date, voucher,
                recorded_by, actor, at
         FROM award_events WHERE (?1 IS NULL OR unit = ?1) ORDER BY seq",
    )?;
    let events = stmt
        .query_map([unit], event_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let owed = entitlements(&plan.awards, plan.start, plan.end, &subjects);
    Ok(award_lines(owed, &events, &subjects))
}

/// The records the rules read: those dated in the plan period, every R&D institution and
/// incubator (an upgrade looks at the record it supersedes), and any record an approval or
/// payment names.
fn subjects(
    conn: &Connection,
    plan: &Plan,
    unit: Option<&str>,
) -> Result<Vec<AwardSubject>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, unit, kind, status, key_date, end_date, fields_json FROM records
         WHERE (?1 IS NULL OR unit = ?1)
           AND ((status = 'active' AND (key_date BETWEEN ?2 AND ?3
                                        OR kind IN ('rnd_institution', 'incubator')))
                OR id IN (SELECT record_id FROM award_events))",
    )?;
    let rows = stmt.query_map(
        params![unit, plan.start.to_string(), plan.end.to_string()],
        subject_from_row,
    )?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

fn subject_from_row(row: &Row<'_>) -> rusqlite::Result<AwardSubject> {
    let kind: String = row.get(2)?;
    let status: String = row.get(3)?;
    let key_date: String = row.get(4)?;
    let end_date: Option<String> = row.get(5)?;
    let fields: String = row.get(6)?;
    Ok(AwardSubject {
        id: parse_uuid(0, &row.get::<_, String>(0)?)?,
        unit: row.get(1)?,
        kind: parse_kind(2, &kind)?,
        active: status == "active",
        key_date: Date::from_str(&key_date).map_err(|_| bad_column(4, key_date.clone()))?,
        end_date: end_date
            .map(|d| Date::from_str(&d).map_err(|_| bad_column(5, d.clone())))
            .transpose()?,
        fields: serde_json::from_str::<FieldValues>(&fields)
            .map_err(|e| bad_column(6, e.to_string()))?,
    })
}
