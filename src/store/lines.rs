//! Sequence lines at the city: each unit's bundles are numbered per signing key. A key
//! replaced with `enroll --replace` (the unit's new ledger) starts a new line from 1; a bundle
//! is checked against the line of the key that signed it. The first bundle of a new line
//! retires the records the city holds from the unit's previous ledger.

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;
use super::imports::ImportEntry;
use super::keys::key_fingerprint;
use super::records::row_u64;

/// How far a bundle's sequence may run past the last one held on its line (past 0 for the
/// first bundle of a line) before the city must confirm it: a stolen key could otherwise
/// push the number to 2^63−1 in one bundle.
pub const MAX_SEQUENCE_JUMP: u64 = 1000;

/// Where a bundle stands on its unit's lines, once its sequence has been accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LineCheck {
    /// The line: the unit's pinned key (lower-case hex; empty if none is pinned).
    pub(crate) key: String,
    /// The bundle starts a new line after bundles of another key were imported: the records
    /// of the unit's previous ledger are retired.
    pub(crate) new_line: bool,
}

/// The unit's pinned key, which names the line its bundles go on.
fn line_key(conn: &Connection, unit: &str) -> Result<String, StoreError> {
    Ok(conn
        .prepare_cached("SELECT key FROM unit_keys WHERE unit = ?1")?
        .query_row([unit], |row| row.get(0))
        .optional()?
        .unwrap_or_default())
}

/// The key of the unit's most recent import, if any.
fn latest_key(conn: &Connection, unit: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT key FROM imports WHERE unit = ?1 ORDER BY n DESC LIMIT 1")?
        .query_row([unit], |row| row.get(0))
        .optional()?)
}

/// The highest sequence held on the line and that bundle's SHA-256.
fn held_on_line(
    conn: &Connection,
    unit: &str,
    key: &str,
) -> Result<Option<(u64, String)>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT sequence, bundle_sha256 FROM imports WHERE unit = ?1 AND key = ?2
             ORDER BY sequence DESC LIMIT 1",
        )?
        .query_row([unit, key], |row| Ok((row_u64(row, 0)?, row.get(1)?)))
        .optional()?)
}

/// Whether bundles signed by `key` were imported for `unit` and a later key's bundles have
/// since ended that line: such a key cannot be pinned for the unit again.
pub(crate) fn line_closed(conn: &Connection, unit: &str, key: &str) -> Result<bool, StoreError> {
    let has_bundles = held_on_line(conn, unit, key)?.is_some();
    Ok(has_bundles && latest_key(conn, unit)?.is_some_and(|latest| latest != key))
}

/// Checks a bundle's sequence against its line: older than the newest held is a rollback,
/// the same number is the bundle held (or a different one reusing the number), and a jump of
/// more than [`MAX_SEQUENCE_JUMP`] needs `confirm_jump`.
pub(crate) fn check_sequence(
    conn: &Connection,
    entry: &ImportEntry,
    confirm_jump: bool,
) -> Result<LineCheck, StoreError> {
    let key = line_key(conn, &entry.unit)?;
    let unit = entry.unit.clone();
    let sequence = entry.sequence;
    let held = match held_on_line(conn, &entry.unit, &key)? {
        None => 0,
        Some((held, _)) if sequence < held => {
            return Err(StoreError::Rollback {
                unit,
                sequence,
                held,
            });
        }
        Some((held, sha)) if sequence == held => {
            return Err(if sha.eq_ignore_ascii_case(&entry.bundle_sha256) {
                StoreError::AlreadyHeld { unit, sequence }
            } else {
                StoreError::SequenceReused { unit, sequence }
            });
        }
        Some((held, _)) => held,
    };
    if sequence - held > MAX_SEQUENCE_JUMP && !confirm_jump {
        return Err(StoreError::SequenceJump {
            unit,
            sequence,
            held,
        });
    }
    let new_line = latest_key(conn, &entry.unit)?.is_some_and(|latest| latest != key);
    Ok(LineCheck { key, new_line })
}

/// The void reason of a record retired because its unit's new ledger (signing with `key`,
/// lower-case hex) took over. Kept in both languages, since it is stored once and read in
/// either.
pub fn retirement_reason(key: &str) -> String {
    let mut bytes = [0u8; 32];
    let fingerprint = match hex::decode_to_slice(key, &mut bytes) {
        Ok(()) => key_fingerprint(&bytes),
        Err(_) => "-".to_owned(),
    };
    format!(
        "由本单位新台账取代（新密钥指纹 {fingerprint}）/ superseded by the unit's new ledger (key {fingerprint})"
    )
}

/// Voids, at the city, every active record of the unit that the new line's first bundle does
/// not carry, with a system void reason naming the new key and a row in each record's history;
/// the records' revisions and contents stay the unit's. They stop counting but stay in the
/// ledger and its history. Returns how many were retired.
pub(crate) fn retire_previous_line(
    conn: &Connection,
    unit: &str,
    key: &str,
    actor: &str,
    at: &str,
) -> Result<u64, StoreError> {
    let reason = retirement_reason(key);
    // The ids the bundle carries are in the import's temporary table `import_ids`.
    conn.prepare_cached(
        "INSERT INTO record_changes (record_id, revision, at, actor, action, detail)
         SELECT id, revision, ?2, ?3, 'void', ?4 FROM records
         WHERE unit = ?1 AND status = 'active'
           AND id NOT IN (SELECT id FROM temp.import_ids)",
    )?
    .execute(params![unit, at, actor, reason])?;
    let retired = conn
        .prepare_cached(
            "UPDATE records SET status = 'voided', void_reason = ?2
             WHERE unit = ?1 AND status = 'active'
               AND id NOT IN (SELECT id FROM temp.import_ids)",
        )?
        .execute(params![unit, reason])?;
    Ok(retired as u64)
}
