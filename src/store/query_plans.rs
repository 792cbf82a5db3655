//! Which statements a ledger runs and how SQLite plans them: recorded on request, so that a
//! test can show every query's plan and refuse one that reads a whole large table.

use std::sync::{Arc, Mutex};

use rusqlite::trace::{TraceEvent, TraceEventCodes};

use super::{Ledger, StoreError};

/// The statements a ledger ran since [`Ledger::record_statements`], in order, as written
/// (parameters unbound).
#[derive(Clone, Default)]
pub struct StatementLog(Arc<Mutex<Vec<String>>>);

impl StatementLog {
    /// Every statement recorded so far, each once, in the order first run.
    pub fn statements(&self) -> Vec<String> {
        let recorded = match self.0.lock() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let mut seen = std::collections::HashSet::new();
        recorded
            .into_iter()
            .filter(|sql| seen.insert(sql.clone()))
            .collect()
    }
}

impl Ledger {
    /// Records every statement this ledger runs from now on (trigger bodies excluded).
    pub fn record_statements(&mut self) -> Result<StatementLog, StoreError> {
        let log = StatementLog::default();
        let sink = Arc::clone(&log.0);
        self.conn.trace_v2(
            TraceEventCodes::SQLITE_TRACE_STMT,
            Some(move |event: TraceEvent<'_>| {
                if let TraceEvent::Stmt(_, sql) = event
                    && !sql.starts_with("--")
                    && let Ok(mut recorded) = sink.lock()
                {
                    recorded.push(sql.to_owned());
                }
            }),
        )?;
        Ok(log)
    }

    /// SQLite's `EXPLAIN QUERY PLAN` of a statement, one line per step, indented by depth.
    pub fn query_plan(&self, sql: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        // Parameters are left unbound (NULL): plans do not depend on their values here.
        let unbound = std::iter::repeat_n(rusqlite::types::Null, stmt.parameter_count());
        let rows = stmt
            .query_map(rusqlite::params_from_iter(unbound), |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // Parents come before their children: indent each line by its parent's depth + 1.
        let mut depth: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
        Ok(rows
            .into_iter()
            .map(|(id, parent, detail)| {
                let d = depth.get(&parent).map_or(0, |p| p + 1);
                depth.insert(id, d);
                format!("{}{detail}", "  ".repeat(d))
            })
            .collect())
    }
}
