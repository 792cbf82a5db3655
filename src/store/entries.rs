//! Finding the unit's active entries that rows arriving from outside (a unit's own sheet)
//! would repeat, by duplicate key, many keys at once.

use std::collections::HashMap;

use rusqlite::params_from_iter;
use rusqlite::types::Value;
use uuid::Uuid;

use super::records::parse_uuid;
use super::{Ledger, StoreError};
use crate::domain::RecordKind;

/// Keys looked up per statement (well under SQLite's limit on parameters).
const KEYS_PER_QUERY: usize = 500;

/// An active record of the unit already holding a duplicate key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingEntry {
    pub id: Uuid,
    pub name: String,
}

impl Ledger {
    /// The active records of this ledger's unit and `kind` whose duplicate key
    /// (`RecordIndex::dup_key`) is one of `dup_keys`, by key.
    pub fn entries_by_dup_key(
        &self,
        kind: RecordKind,
        dup_keys: &[String],
    ) -> Result<HashMap<String, ExistingEntry>, StoreError> {
        let mut found = HashMap::new();
        for chunk in dup_keys.chunks(KEYS_PER_QUERY) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!(
                "SELECT dup_key, id, name FROM records
                  WHERE unit = ? AND kind = ? AND status = 'active' AND dup_key IN ({marks})"
            );
            let mut values = vec![
                Value::Text(self.unit.clone()),
                Value::Text(kind.key().to_owned()),
            ];
            values.extend(chunk.iter().map(|k| Value::Text(k.clone())));
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map(params_from_iter(values), |row| {
                let key: String = row.get(0)?;
                let id: String = row.get(1)?;
                Ok((
                    key,
                    ExistingEntry {
                        id: parse_uuid(1, &id)?,
                        name: row.get(2)?,
                    },
                ))
            })?;
            for row in rows {
                let (key, entry) = row?;
                found.insert(key, entry);
            }
        }
        Ok(found)
    }
}
