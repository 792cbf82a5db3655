//! Ed25519 keys as the ledger keeps them: its own signing seed, the city's key pinned at a
//! unit, the units' keys pinned at the city, and the audit of every pin and replacement.
//! Keys are stored as lower-case hex.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use super::records::{bad_column, parse_timestamp};
use super::{Ledger, LedgerRole, StoreError, read_meta};

/// The `meta` key of the ledger's own signing seed; never printed.
const META_SIGNING_KEY: &str = "signing_key";
/// The `meta` key of the city's public key pinned at a unit.
const META_CITY_KEY: &str = "city_key";

/// What pinning a key did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinOutcome {
    /// No key was pinned; this one now is.
    Pinned,
    /// This very key was already pinned; nothing changed.
    AlreadyPinned,
    /// Another key was pinned and has been replaced by this one.
    Replaced { old: [u8; 32] },
}

/// A unit's public key pinned at the city.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinnedKey {
    pub unit: String,
    pub key: [u8; 32],
    pub enrolled_at: Timestamp,
}

/// One pin or replacement of a key, as audited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyEvent {
    /// The unit whose key it is; `None` for the city's key pinned at a unit.
    pub unit: Option<String>,
    /// The key replaced; `None` for a first pin.
    pub old: Option<[u8; 32]>,
    pub new: [u8; 32],
    pub actor: String,
    pub at: Timestamp,
}

/// The fingerprint for people: the first 16 hex digits of SHA-256(public key), upper-case,
/// in groups of four joined by `-`, e.g. `3F2A-9C01-77BE-04D2`.
pub fn key_fingerprint(public: &[u8; 32]) -> String {
    let digits = hex::encode_upper(&Sha256::digest(public)[..8]);
    let groups: Vec<&str> = (0..4).map(|i| &digits[i * 4..i * 4 + 4]).collect();
    groups.join("-")
}

fn parse_key(idx: usize, text: &str) -> rusqlite::Result<[u8; 32]> {
    let mut key = [0u8; 32];
    hex::decode_to_slice(text, &mut key).map_err(|_| bad_column(idx, "a stored key".into()))?;
    Ok(key)
}

/// What to do about a pin, given the key pinned now.
fn decide_pin(
    current: Option<[u8; 32]>,
    key: &[u8; 32],
    replace: bool,
    unit: Option<&str>,
) -> Result<PinOutcome, StoreError> {
    match current {
        None => Ok(PinOutcome::Pinned),
        Some(old) if old == *key => Ok(PinOutcome::AlreadyPinned),
        Some(old) if replace => Ok(PinOutcome::Replaced { old }),
        Some(_) => Err(StoreError::KeyAlreadyPinned {
            unit: unit.map(str::to_owned),
        }),
    }
}

fn append_key_event(
    conn: &Connection,
    unit: Option<&str>,
    outcome: PinOutcome,
    key: &[u8; 32],
    actor: &str,
    at: &str,
) -> Result<(), StoreError> {
    let old = match outcome {
        PinOutcome::Replaced { old } => Some(hex::encode(old)),
        _ => None,
    };
    conn.execute(
        "INSERT INTO key_events (unit, old, new, actor, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![unit, old, hex::encode(key), actor, at],
    )?;
    Ok(())
}

impl Ledger {
    /// Stores the ledger's own signing seed (kept only here, never printed). Storing the same
    /// seed again changes nothing; a different one is refused with
    /// [`StoreError::SigningKeyExists`].
    pub fn set_signing_key(&mut self, seed: &[u8; 32]) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(existing) = read_meta(&tx, META_SIGNING_KEY)? {
            return if parse_key(0, &existing)? == *seed {
                Ok(())
            } else {
                Err(StoreError::SigningKeyExists)
            };
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            params![META_SIGNING_KEY, hex::encode(seed)],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The ledger's own signing seed, if one was stored.
    pub fn signing_key(&self) -> Result<Option<[u8; 32]>, StoreError> {
        read_meta(&self.conn, META_SIGNING_KEY)?
            .map(|text| parse_key(0, &text).map_err(StoreError::from))
            .transpose()
    }

    /// Pins the city's public key at a unit ledger, so that the city's receipts can be
    /// checked. A different key than the pinned one needs `replace`; every pin is audited.
    pub fn pin_city_key(
        &mut self,
        key: &[u8; 32],
        replace: bool,
        actor: &str,
    ) -> Result<PinOutcome, StoreError> {
        self.ensure_role(LedgerRole::Unit)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = read_meta(&tx, META_CITY_KEY)?
            .map(|text| parse_key(0, &text))
            .transpose()?;
        let outcome = decide_pin(current, key, replace, None)?;
        if outcome == PinOutcome::AlreadyPinned {
            return Ok(outcome);
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![META_CITY_KEY, hex::encode(key)],
        )?;
        let at = Timestamp::now().to_string();
        append_key_event(&tx, None, outcome, key, actor, &at)?;
        tx.commit()?;
        Ok(outcome)
    }

    /// The city's public key pinned at this unit ledger, if any.
    pub fn city_key(&self) -> Result<Option<[u8; 32]>, StoreError> {
        read_meta(&self.conn, META_CITY_KEY)?
            .map(|text| parse_key(0, &text).map_err(StoreError::from))
            .transpose()
    }

    /// Pins a unit's public key at the city ledger: bundles signed by it are taken as that
    /// unit's. A different key than the pinned one needs `replace`
    /// ([`StoreError::KeyAlreadyPinned`] otherwise); a key pinned for another unit is refused
    /// ([`StoreError::KeyPinnedToOtherUnit`]), and so is a former key of the unit whose line
    /// a newer key's bundles have closed ([`StoreError::KeyLineClosed`]). Every pin and
    /// replacement is audited.
    pub fn pin_unit_key(
        &mut self,
        unit: &str,
        key: &[u8; 32],
        replace: bool,
        actor: &str,
    ) -> Result<PinOutcome, StoreError> {
        self.ensure_role(LedgerRole::City)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let key_hex = hex::encode(key);
        let key_unit: Option<String> = tx
            .query_row(
                "SELECT unit FROM unit_keys WHERE key = ?1",
                [&key_hex],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(key_unit) = key_unit.filter(|u| u != unit) {
            return Err(StoreError::KeyPinnedToOtherUnit {
                key_unit,
                unit: unit.to_owned(),
            });
        }
        let current: Option<String> = tx
            .query_row("SELECT key FROM unit_keys WHERE unit = ?1", [unit], |row| {
                row.get(0)
            })
            .optional()?;
        let current = current.map(|text| parse_key(0, &text)).transpose()?;
        let outcome = decide_pin(current, key, replace, Some(unit))?;
        if outcome == PinOutcome::AlreadyPinned {
            return Ok(outcome);
        }
        if super::lines::line_closed(&tx, unit, &key_hex)? {
            return Err(StoreError::KeyLineClosed {
                unit: unit.to_owned(),
            });
        }
        let at = Timestamp::now().to_string();
        tx.execute(
            "INSERT INTO unit_keys (unit, key, enrolled_at, enrolled_by) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (unit) DO UPDATE SET key = excluded.key,
                 enrolled_at = excluded.enrolled_at, enrolled_by = excluded.enrolled_by",
            params![unit, key_hex, at, actor],
        )?;
        append_key_event(&tx, Some(unit), outcome, key, actor, &at)?;
        tx.commit()?;
        Ok(outcome)
    }

    /// Every unit key pinned at the city, by unit code.
    pub fn pinned_keys(&self) -> Result<Vec<PinnedKey>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT unit, key, enrolled_at FROM unit_keys ORDER BY unit")?;
        let keys = stmt
            .query_map([], |row| {
                Ok(PinnedKey {
                    unit: row.get(0)?,
                    key: parse_key(1, &row.get::<_, String>(1)?)?,
                    enrolled_at: parse_timestamp(2, &row.get::<_, String>(2)?)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(keys)
    }

    /// The unit this key is pinned to at the city, if any.
    pub fn unit_for_key(&self, key: &[u8; 32]) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT unit FROM unit_keys WHERE key = ?1")?
            .query_row([hex::encode(key)], |row| row.get(0))
            .optional()?)
    }

    /// The unit whose pinned key this was before it was replaced, if any (the newest such
    /// replacement), and when it was replaced.
    pub fn former_key_unit(
        &self,
        key: &[u8; 32],
    ) -> Result<Option<(String, Timestamp)>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT unit, at FROM key_events WHERE old = ?1 AND unit IS NOT NULL
                 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([hex::encode(key)], |row| {
                Ok((row.get(0)?, parse_timestamp(1, &row.get::<_, String>(1)?)?))
            })
            .optional()?)
    }

    /// Every pin and replacement of a key, oldest first.
    pub fn key_events(&self) -> Result<Vec<KeyEvent>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT unit, old, new, actor, at FROM key_events ORDER BY seq")?;
        let events = stmt
            .query_map([], |row| {
                let old: Option<String> = row.get(1)?;
                Ok(KeyEvent {
                    unit: row.get(0)?,
                    old: old.map(|text| parse_key(1, &text)).transpose()?,
                    new: parse_key(2, &row.get::<_, String>(2)?)?,
                    actor: row.get(3)?,
                    at: parse_timestamp(4, &row.get::<_, String>(4)?)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(events)
    }
}
