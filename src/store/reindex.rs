//! Bringing the index columns of records stored under an earlier text policy up to date.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::StoreError;
use super::records::parse_kind;
use crate::domain::FieldValues;
use crate::domain::validate::index_of_stored;

/// The `meta` key holding the text policy the index columns were computed under.
const META_TEXT_POLICY: &str = "text_policy";
/// Version 1: NFKC, default-ignorable and format characters ignored by identity keys.
pub(crate) const TEXT_POLICY_VERSION: i64 = 1;
/// Records read per batch: memory stays bounded however large the ledger.
const BATCH: i64 = 500;

/// The marker a re-index puts between a record's key and its id when the record turned
/// out to be the same entity as an earlier active one of its unit.
pub(crate) const LOOK_ALIKE_MARK: &str = "#look-alike:";

struct Row {
    rowid: i64,
    id: String,
    unit: String,
    kind: String,
    active: bool,
    fields_json: String,
}

/// Recomputes `dup_key` and `count_key` of every record (and has the search index built
/// again) when the ledger's
/// index was built under an older text policy, in one transaction. Records are visited in
/// the order they were stored; an active record whose new key is already held by an earlier
/// active one of its unit keeps counting once (same `count_key`) but gets its id appended to
/// its `dup_key`, so nothing is voided and the pair can be listed.
pub(crate) fn apply_text_policy(conn: &mut Connection) -> Result<(), StoreError> {
    if policy_version(conn)? >= TEXT_POLICY_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if policy_version(&tx)? >= TEXT_POLICY_VERSION {
        return Ok(());
    }
    let mut after = i64::MIN;
    loop {
        let rows = batch(&tx, after)?;
        let Some(last) = rows.last() else { break };
        after = last.rowid;
        for row in &rows {
            reindex(&tx, row)?;
        }
    }
    // Upgrades take their chain's new key again.
    let units: Vec<String> = tx
        .prepare("SELECT DISTINCT unit FROM records")?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for unit in &units {
        super::lineage::relink(&tx, unit)?;
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![META_TEXT_POLICY, TEXT_POLICY_VERSION.to_string()],
    )?;
    super::search::invalidate(&tx)?;
    tx.commit()?;
    Ok(())
}

/// Whether the index columns were computed under an older text policy than this build's.
pub(crate) fn needs_text_policy(conn: &Connection) -> Result<bool, StoreError> {
    Ok(policy_version(conn)? < TEXT_POLICY_VERSION)
}

fn policy_version(conn: &Connection) -> Result<i64, StoreError> {
    let value: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [META_TEXT_POLICY],
            |row| row.get(0),
        )
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

fn batch(conn: &Connection, after: i64) -> Result<Vec<Row>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid, id, unit, kind, status = 'active', fields_json FROM records
         WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![after, BATCH], |row| {
            Ok(Row {
                rowid: row.get(0)?,
                id: row.get(1)?,
                unit: row.get(2)?,
                kind: row.get(3)?,
                active: row.get(4)?,
                fields_json: row.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

fn reindex(conn: &Connection, row: &Row) -> Result<(), StoreError> {
    let kind = parse_kind(3, &row.kind)?;
    // A record whose stored values no longer make an index (none should) keeps its keys.
    let Ok(fields) = serde_json::from_str::<FieldValues>(&row.fields_json) else {
        return Ok(());
    };
    let Ok(index) = index_of_stored(kind, &fields) else {
        return Ok(());
    };
    let mut dup_key = index.dup_key.clone();
    if row.active {
        let holder: Option<(i64, String)> = conn
            .prepare_cached(
                "SELECT rowid, id FROM records
                 WHERE unit = ?1 AND kind = ?2 AND dup_key = ?3 AND status = 'active'
                   AND rowid <> ?4",
            )?
            .query_row(params![row.unit, row.kind, dup_key, row.rowid], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        match holder {
            // An earlier record is that entity: this one is the later look-alike.
            Some((holder_rowid, _)) if holder_rowid < row.rowid => {
                dup_key = format!("{dup_key}{LOOK_ALIKE_MARK}{}", row.id);
            }
            // A later record still holds the key under the old policy: set it aside until
            // its own turn comes.
            Some((holder_rowid, holder_id)) => {
                conn.prepare_cached("UPDATE records SET dup_key = ?2 WHERE rowid = ?1")?
                    .execute(params![
                        holder_rowid,
                        format!("{dup_key}{LOOK_ALIKE_MARK}{holder_id}")
                    ])?;
            }
            None => {}
        }
    }
    conn.prepare_cached("UPDATE records SET dup_key = ?2, count_key = ?3 WHERE rowid = ?1")?
        .execute(params![row.rowid, dup_key, index.count_key])?;
    Ok(())
}

/// Active records that a re-index found to be the same entity as an earlier active record
/// of their unit, as (earlier, later) id pairs in the order they were stored.
pub(crate) fn look_alike_pairs(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT earlier.id, later.id FROM records AS later
         JOIN records AS earlier
           ON earlier.unit = later.unit AND earlier.kind = later.kind
          AND earlier.status = 'active'
          AND later.dup_key = earlier.dup_key || ?1 || later.id
         WHERE later.status = 'active' AND instr(later.dup_key, ?1) > 0
         ORDER BY later.rowid",
    )?;
    let pairs = stmt
        .query_map([LOOK_ALIKE_MARK], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::validate_record;
    use crate::domain::{RecordKind, ValidRecord};
    use crate::store::Ledger;

    /// An incubator with its keys made by the rule before the text policy.
    fn old_incubator(name: &str) -> ValidRecord {
        let fields: FieldValues = [
            ("name", "x"),
            ("operator", "宝清县科技局"),
            ("type", "maker_space"),
            ("level", "city"),
            ("recognized_on", "2022-05-01"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut valid = validate_record(RecordKind::Incubator, &fields).unwrap();
        valid.fields.insert("name".into(), name.into());
        valid.index.name = name.into();
        valid.index.count_key = name.into();
        valid.index.dup_key = format!("{name}|city");
        valid
    }

    #[test]
    fn look_alikes_across_batches_are_found_and_a_second_run_does_nothing() {
        let mut ledger = Ledger::create_in_memory("230521", "shuangyashan-2021-2023").unwrap();
        let mut records: Vec<ValidRecord> = (0..BATCH * 2 + 3)
            .map(|n| old_incubator(&format!("第{n}孵化器")))
            .collect();
        // The look-alike of the first record comes after two whole batches; one of the
        // second comes first and its plain twin later (set aside, then marked).
        records.push(old_incubator("第\u{AD}0孵化器"));
        records.insert(1, old_incubator("第1\u{3164}孵化器"));
        ledger.insert_many(&records, "zhangsan").unwrap();
        ledger.meta_set(META_TEXT_POLICY, "0").unwrap();

        apply_text_policy(&mut ledger.conn).unwrap();
        let pairs = look_alike_pairs(&ledger.conn).unwrap();
        assert_eq!(pairs.len(), 2, "{pairs:?}");
        let name = |id: &str| {
            ledger
                .conn
                .query_row("SELECT name FROM records WHERE id = ?1", [id], |r| {
                    r.get::<_, String>(0)
                })
                .unwrap()
        };
        let named: Vec<(String, String)> = pairs
            .iter()
            .map(|(earlier, later)| (name(earlier), name(later)))
            .collect();
        assert_eq!(
            named,
            vec![
                ("第1\u{3164}孵化器".to_string(), "第1孵化器".to_string()),
                ("第0孵化器".to_string(), "第\u{AD}0孵化器".to_string()),
            ]
        );
        let distinct: i64 = ledger
            .conn
            .query_row("SELECT COUNT(DISTINCT count_key) FROM records", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(distinct, BATCH * 2 + 3);

        let keys = |conn: &Connection| -> Vec<(String, String)> {
            conn.prepare("SELECT dup_key, count_key FROM records ORDER BY rowid")
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let before = keys(&ledger.conn);
        apply_text_policy(&mut ledger.conn).unwrap();
        assert_eq!(keys(&ledger.conn), before, "the policy version is recorded");
        ledger.meta_set(META_TEXT_POLICY, "0").unwrap();
        apply_text_policy(&mut ledger.conn).unwrap();
        assert_eq!(keys(&ledger.conn), before, "re-running gives the same keys");
    }
}
