//! The city ledger: its role, the firms claimed by more than one unit, and digests of the
//! ledger's contents for proving that a refused import changed nothing.

use std::path::Path;

use jiff::civil::Date;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, params_from_iter};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::records::{bad_column, parse_kind, parse_uuid};
use super::{Ledger, StoreError};
use crate::domain::RecordKind;

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

/// Active records of one kind with one credit code, held by more than one unit.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Claim {
    pub kind: RecordKind,
    pub credit_code: String,
    /// By unit, then id.
    pub claims: Vec<ClaimedBy>,
}

/// One unit's record in a [`Claim`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ClaimedBy {
    pub unit: String,
    pub id: Uuid,
    pub name: String,
    pub key_date: Date,
}

/// Groups of active records sharing kind and credit code across units, then their rows.
/// Both halves read the `records_active_claims` index.
fn claims_sql(kind: Option<RecordKind>) -> (String, Vec<String>) {
    let (filter, values) = match kind {
        Some(kind) => ("AND kind = ?1", vec![kind.key().to_owned()]),
        None => ("", Vec::new()),
    };
    let sql = format!(
        "SELECT r.kind, r.credit_code, r.unit, r.id, r.name, r.key_date
         FROM (SELECT kind, credit_code FROM records
               WHERE status = 'active' AND credit_code IS NOT NULL {filter}
               GROUP BY kind, credit_code
               HAVING COUNT(DISTINCT unit) > 1) AS d
         JOIN records AS r ON r.kind = d.kind AND r.credit_code = d.credit_code
         WHERE r.status = 'active' AND r.credit_code IS NOT NULL
         ORDER BY r.kind, r.credit_code, r.unit, r.id"
    );
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

    /// Active records of the same kind and credit code in more than one unit (the same firm
    /// claimed twice), by kind and credit code.
    pub fn cross_unit_claims(&self, kind: Option<RecordKind>) -> Result<Vec<Claim>, StoreError> {
        let (sql, values) = claims_sql(kind);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(values))?;
        let mut claims: Vec<Claim> = Vec::new();
        while let Some(row) = rows.next()? {
            let kind = parse_kind(0, &row.get::<_, String>(0)?)?;
            let credit_code: String = row.get(1)?;
            let key_date: String = row.get(5)?;
            let claimed = ClaimedBy {
                unit: row.get(2)?,
                id: parse_uuid(3, &row.get::<_, String>(3)?)?,
                name: row.get(4)?,
                key_date: key_date
                    .parse()
                    .map_err(|_| bad_column(5, format!("date {key_date:?}")))?,
            };
            match claims.last_mut() {
                Some(last) if last.kind == kind && last.credit_code == credit_code => {
                    last.claims.push(claimed);
                }
                _ => claims.push(Claim {
                    kind,
                    credit_code,
                    claims: vec![claimed],
                }),
            }
        }
        // Kinds in the plan's order rather than by their keys' spelling; stable within one.
        claims.sort_by_key(|claim| claim.kind);
        Ok(claims)
    }

    /// The `EXPLAIN QUERY PLAN` lines of [`Ledger::cross_unit_claims`], for checking index use.
    pub fn cross_unit_claims_plan(
        &self,
        kind: Option<RecordKind>,
    ) -> Result<Vec<String>, StoreError> {
        let (sql, values) = claims_sql(kind);
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
