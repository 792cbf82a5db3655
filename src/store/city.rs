//! The city ledger: its role, the entities claimed by more than one unit, and digests of the
//! ledger's contents for proving that a refused import changed nothing.

use std::path::Path;

use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, params_from_iter};
use sha2::{Digest, Sha256};

use super::queries::window_condition;
use super::records::{bad_column, parse_timestamp, parse_uuid};
use super::{Ledger, StoreError, counts};
use crate::domain::RecordKind;
use crate::domain::claims::{Claim, ClaimedBy};
use crate::domain::progress::CountWindow;

/// Whether a ledger is one unit's, or the city's that merges the units' bundles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedgerRole {
    Unit,
    City,
}

impl LedgerRole {
    /// The value kept under `role` in the ledger's `meta` table.
    pub fn key(self) -> &'static str {
        match self {
            LedgerRole::Unit => "unit",
            LedgerRole::City => "city",
        }
    }

    pub fn from_key(key: &str) -> Option<LedgerRole> {
        match key {
            "unit" => Some(LedgerRole::Unit),
            "city" => Some(LedgerRole::City),
            _ => None,
        }
    }
}

/// The records of entities that two or more units count in `window`: the entities whose
/// counting key appears in more than one unit among the records the window counts, then
/// those records. With `shared_kept`, only the entities the kept counts list as held by
/// more than one unit are looked at (a few seeks); otherwise every counted record of the kind
/// is grouped. Both read the `records_entity` index only; only the claimed records' rows are
/// visited.
fn claims_sql(kind: RecordKind, window: CountWindow, shared_kept: bool) -> (String, Vec<Value>) {
    let (condition, window_values) = window_condition(window, 2);
    let candidates = if shared_kept {
        "SELECT count_key FROM shared_entities WHERE kind = ?1".to_owned()
    } else {
        format!(
            "SELECT count_key FROM records INDEXED BY records_entity
             WHERE status = 'active' AND kind = ?1 {condition}
             GROUP BY count_key HAVING COUNT(DISTINCT unit) > 1"
        )
    };
    let sql = format!(
        "SELECT count_key, unit, id, name, credit_code, key_date, created_at
         FROM records INDEXED BY records_entity
         WHERE status = 'active' AND kind = ?1 {condition}
           AND count_key IN ({candidates})
         ORDER BY count_key, unit, id"
    );
    let mut values = vec![Value::Text(kind.key().to_owned())];
    values.extend(window_values);
    (sql, values)
}

impl Ledger {
    /// Makes a new city ledger file for the city's code. Refuses a path that already holds
    /// a ledger (or any other file).
    pub fn create_city(path: &Path, city_code: &str, plan_id: &str) -> Result<Ledger, StoreError> {
        Ledger::create_with_role(path, city_code, plan_id, LedgerRole::City)
    }

    /// A city ledger in memory only, for tests and trying things out.
    pub fn create_city_in_memory(city_code: &str, plan_id: &str) -> Result<Ledger, StoreError> {
        Ledger::in_memory_with_role(city_code, plan_id, LedgerRole::City)
    }

    /// Whether this is a unit's ledger or the city's.
    pub fn role(&self) -> LedgerRole {
        self.role
    }

    /// Refuses a request meant for a ledger of the other role.
    pub(crate) fn ensure_role(&self, role: LedgerRole) -> Result<(), StoreError> {
        if self.role == role {
            Ok(())
        } else {
            Err(StoreError::WrongRole { role: self.role })
        }
    }

    /// The entities of `kind` that more than one unit counts in `window` (the same firm,
    /// institution or achievement claimed twice), each with every claiming record and the
    /// unit credited with it, by counting key.
    pub fn claims_in_window(
        &self,
        kind: RecordKind,
        window: CountWindow,
    ) -> Result<Vec<Claim>, StoreError> {
        self.claims(kind, window, counts::tallies_kept(&self.conn)?)
    }

    /// [`Ledger::claims_in_window`] found from the records alone, never from the kept list of
    /// entities several units hold: what `check` and the tests compare the kept list with.
    pub fn claims_from_records(
        &self,
        kind: RecordKind,
        window: CountWindow,
    ) -> Result<Vec<Claim>, StoreError> {
        self.claims(kind, window, false)
    }

    fn claims(
        &self,
        kind: RecordKind,
        window: CountWindow,
        shared_kept: bool,
    ) -> Result<Vec<Claim>, StoreError> {
        let (sql, values) = claims_sql(kind, window, shared_kept);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(values))?;
        let mut groups: Vec<(String, Vec<ClaimedBy>)> = Vec::new();
        while let Some(row) = rows.next()? {
            let entity: String = row.get(0)?;
            let key_date: String = row.get(5)?;
            let created_at: String = row.get(6)?;
            let claimed = ClaimedBy {
                unit: row.get(1)?,
                id: parse_uuid(2, &row.get::<_, String>(2)?)?,
                name: row.get(3)?,
                credit_code: row.get(4)?,
                key_date: key_date
                    .parse()
                    .map_err(|_| bad_column(5, format!("date {key_date:?}")))?,
                created_at: parse_timestamp(6, &created_at)?,
                credited: false,
            };
            match groups.last_mut() {
                Some((last, claims)) if *last == entity => claims.push(claimed),
                _ => groups.push((entity, vec![claimed])),
            }
        }
        // An entity several units hold may be counted by one of them only in this window.
        Ok(groups
            .into_iter()
            .filter(|(_, claims)| claims.iter().any(|c| c.unit != claims[0].unit))
            .map(|(entity, claims)| Claim::new(kind, entity, claims))
            .collect())
    }

    /// The `EXPLAIN QUERY PLAN` lines of [`Ledger::claims_in_window`], for checking index use.
    pub fn claims_in_window_plan(
        &self,
        kind: RecordKind,
        window: CountWindow,
    ) -> Result<Vec<String>, StoreError> {
        let (sql, values) = claims_sql(kind, window, counts::tallies_kept(&self.conn)?);
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let lines = stmt
            .query_map(params_from_iter(values), |row| row.get::<_, String>(3))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(lines)
    }

    /// SHA-256 (hex) over the schema version and every row of every table, tables by name,
    /// rows by primary key. Equal before and after means nothing in the ledger changed.
    pub fn content_digest(&self) -> Result<String, StoreError> {
        let tables = self
            .conn
            .prepare(
                "SELECT name FROM sqlite_schema
                 WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                 ORDER BY name",
            )?
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut hasher = Sha256::new();
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?;
        hasher.update(version.to_be_bytes());
        for table in &tables {
            hash_table(&self.conn, table, &mut hasher)?;
        }
        Ok(hex::encode(hasher.finalize()))
    }

    /// SHA-256 (hex) over every record row, by id: the merged records alone, without the
    /// import log or the ledger's own facts. Two city ledgers that took the same bundles in
    /// any order have the same records digest.
    pub fn records_digest(&self) -> Result<String, StoreError> {
        let mut hasher = Sha256::new();
        hash_table(&self.conn, "records", &mut hasher)?;
        Ok(hex::encode(hasher.finalize()))
    }
}

fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Feeds the table's name and rows (by primary key, or by rowid for a table without one)
/// into the hasher, every value tagged with its type and length so no two contents collide.
fn hash_table(conn: &Connection, table: &str, hasher: &mut Sha256) -> Result<(), StoreError> {
    let quoted = quote_identifier(table);
    let key_columns = conn
        .prepare(&format!(
            "SELECT name FROM pragma_table_info({}) WHERE pk > 0 ORDER BY pk",
            quote_literal(table)
        ))?
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let order = if key_columns.is_empty() {
        "rowid".to_owned()
    } else {
        key_columns
            .iter()
            .map(|c| quote_identifier(c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    hash_bytes(hasher, b'T', table.as_bytes());
    let mut stmt = conn.prepare(&format!("SELECT * FROM {quoted} ORDER BY {order}"))?;
    let columns = stmt.column_count();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        hasher.update(b"R");
        for i in 0..columns {
            match row.get_ref(i)? {
                ValueRef::Null => hasher.update(b"N"),
                ValueRef::Integer(n) => hash_bytes(hasher, b'I', &n.to_be_bytes()),
                ValueRef::Real(x) => hash_bytes(hasher, b'F', &x.to_bits().to_be_bytes()),
                ValueRef::Text(text) => hash_bytes(hasher, b'S', text),
                ValueRef::Blob(blob) => hash_bytes(hasher, b'B', blob),
            }
        }
    }
    Ok(())
}

fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn hash_bytes(hasher: &mut Sha256, tag: u8, bytes: &[u8]) {
    hasher.update([tag]);
    hasher.update((bytes.len() as u64).to_be_bytes());
    hasher.update(bytes);
}
