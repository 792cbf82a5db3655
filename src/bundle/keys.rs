//! Signing keys: a fresh seed from the system's random source, its public key, the
//! fingerprint people read out over the phone, and parsing a public key a person typed.

use std::path::Path;

use ed25519_dalek::{SigningKey, VerifyingKey};

use super::error::{BundleError, KeyFlaw};
use crate::store::{Ledger, LedgerRole, PinOutcome, StoreError};

/// The canonical encoding of the identity point (y = 1, x = 0).
const IDENTITY: [u8; 32] = {
    let mut bytes = [0u8; 32];
    bytes[0] = 1;
    bytes
};

/// A new secret seed from the operating system's random source.
pub fn generate_seed() -> Result<[u8; 32], BundleError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| BundleError::NoRandom {
        reason: e.to_string(),
    })?;
    Ok(seed)
}

/// Gives the ledger its signing key if it has none yet (at `init`), and returns the public
/// key. A ledger that already has a key keeps it.
pub fn ensure_signing_key(ledger: &mut Ledger) -> Result<[u8; 32], BundleError> {
    if let Some(seed) = ledger.signing_key()? {
        return Ok(public_key(&seed));
    }
    let seed = generate_seed()?;
    ledger.set_signing_key(&seed)?;
    Ok(public_key(&seed))
}

/// A new unit ledger at `path` with its own signing key: the one way unit ledgers are made.
pub fn create_unit_ledger(path: &Path, unit: &str, plan_id: &str) -> Result<Ledger, BundleError> {
    create_ledger(path, unit, plan_id, LedgerRole::Unit, |_| {
        Ok::<(), BundleError>(())
    })
}

/// A new city ledger at `path` with its own signing key.
pub fn create_city_ledger(path: &Path, city: &str, plan_id: &str) -> Result<Ledger, BundleError> {
    create_ledger(path, city, plan_id, LedgerRole::City, |_| {
        Ok::<(), BundleError>(())
    })
}

/// A new ledger of `role` at `path` with its own signing key, made whole or not at all:
/// the key, and whatever `prepare` adds, are in the file before it appears at `path`.
pub fn create_ledger<E: From<BundleError> + From<StoreError>>(
    path: &Path,
    code: &str,
    plan_id: &str,
    role: LedgerRole,
    prepare: impl FnOnce(&mut Ledger) -> Result<(), E>,
) -> Result<Ledger, E> {
    let seed = generate_seed()?;
    Ledger::create_whole(path, code, plan_id, role, |ledger| {
        ledger.set_signing_key(&seed)?;
        prepare(ledger)
    })
}

/// The public key of the ledger's own signing key (what `taizhang key` shows).
pub fn ledger_public_key(ledger: &Ledger) -> Result<[u8; 32], BundleError> {
    let seed = ledger.signing_key()?.ok_or(BundleError::NoSigningKey)?;
    Ok(public_key(&seed))
}

/// The Ed25519 public key of a seed.
pub fn public_key(seed: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(seed).verifying_key().to_bytes()
}

/// The fingerprint for people: the first 16 hex digits of SHA-256(public key), upper-case,
/// in groups of four joined by `-`, e.g. `3F2A-9C01-77BE-04D2`.
pub fn fingerprint(public: &[u8; 32]) -> String {
    crate::store::key_fingerprint(public)
}

/// The public key as 64 lower-case hex digits.
pub fn key_hex(public: &[u8; 32]) -> String {
    hex::encode(public)
}

/// The public key in eight groups of eight hex digits joined by `-`, easier to read out and
/// compare; [`parse_public_key`] accepts it back.
pub fn key_grouped(public: &[u8; 32]) -> String {
    let digits = key_hex(public);
    let groups: Vec<&str> = (0..8).map(|i| &digits[i * 8..i * 8 + 8]).collect();
    groups.join("-")
}

/// A public key as a person gives it: 64 hex digits, either case, with any spaces or dashes
/// between them. Refuses anything else, and bytes that are not an Ed25519 public key.
pub fn parse_public_key(text: &str) -> Result<[u8; 32], BundleError> {
    let bad = || BundleError::BadKey {
        text: text.chars().take(100).collect(),
    };
    let digits: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.len() != 64 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    let mut key = [0u8; 32];
    hex::decode_to_slice(&digits, &mut key).map_err(|_| bad())?;
    VerifyingKey::from_bytes(&key).map_err(|_| bad())?;
    check_public_key(&key)?;
    Ok(key)
}

/// Refuses a public key that no honest ledger makes: bytes that are not a curve point
/// ([`BundleError::BadKey`]), a non-canonical encoding of a point (re-encoding the
/// decompressed point gives other bytes), the identity, or any other point of small order,
/// which could verify signatures on almost any message ([`BundleError::WeakKey`]).
pub fn check_public_key(key: &[u8; 32]) -> Result<(), BundleError> {
    let verifying =
        VerifyingKey::from_bytes(key).map_err(|_| BundleError::BadKey { text: key_hex(key) })?;
    let flaw = if verifying.to_edwards().compress().to_bytes() != *key {
        Some(KeyFlaw::NonCanonical)
    } else if *key == IDENTITY {
        Some(KeyFlaw::Identity)
    } else if verifying.is_weak() {
        Some(KeyFlaw::SmallOrder)
    } else {
        None
    };
    match flaw {
        Some(flaw) => Err(BundleError::WeakKey { flaw }),
        None => Ok(()),
    }
}

/// Refuses to pin the ledger's own public key as the other side's.
fn refuse_own_key(ledger: &Ledger, key: &[u8; 32]) -> Result<(), BundleError> {
    let own = ledger.signing_key()?.map(|seed| public_key(&seed));
    if own == Some(*key) {
        return Err(BundleError::OwnKey {
            role: ledger.role(),
        });
    }
    Ok(())
}

/// Pins a unit's public key at the city ledger (`enroll --unit`): a weak key or the city's
/// own key is refused, then the store's rules apply (another key pinned needs `replace`, a
/// key pinned for another unit or a key whose line was closed is refused).
pub fn enroll_unit_key(
    city: &mut Ledger,
    unit: &str,
    key: &[u8; 32],
    replace: bool,
    actor: &str,
) -> Result<PinOutcome, BundleError> {
    check_public_key(key)?;
    refuse_own_key(city, key)?;
    Ok(city.pin_unit_key(unit, key, replace, actor)?)
}

/// Pins the city's public key at a unit ledger (`enroll --city`): a weak key or the unit's
/// own key is refused; another key pinned needs `replace`.
pub fn enroll_city_key(
    unit_ledger: &mut Ledger,
    key: &[u8; 32],
    replace: bool,
    actor: &str,
) -> Result<PinOutcome, BundleError> {
    check_public_key(key)?;
    refuse_own_key(unit_ledger, key)?;
    Ok(unit_ledger.pin_city_key(key, replace, actor)?)
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;

    const SEED: [u8; 32] = [7; 32];

    #[test]
    fn fingerprint_is_four_groups_of_upper_hex_from_the_key_hash() {
        let public = public_key(&SEED);
        let print = fingerprint(&public);
        assert_eq!(print.len(), 19);
        let digits: String = print.split('-').collect();
        assert_eq!(digits, hex::encode_upper(&Sha256::digest(public)[..8]));
        assert!(print.split('-').all(|g| g.len() == 4));
    }

    #[test]
    fn typed_keys_are_accepted_in_any_reasonable_spelling() {
        let public = public_key(&SEED);
        let plain = key_hex(&public);
        let spellings = [
            plain.clone(),
            plain.to_uppercase(),
            key_grouped(&public),
            format!(
                "  {}  ",
                plain
                    .as_bytes()
                    .chunks(4)
                    .map(|c| std::str::from_utf8(c).unwrap_or(""))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ];
        for text in spellings {
            assert_eq!(parse_public_key(&text).ok(), Some(public), "{text}");
        }
    }

    #[test]
    fn wrong_keys_are_refused() {
        let public = key_hex(&public_key(&SEED));
        let cases = [
            String::new(),
            public[..62].to_string(),
            format!("{public}00"),
            public.replacen('a', "g", 1).replacen('0', "g", 1),
            format!("{}\u{1b}[2J", &public[..63]),
        ];
        for text in cases {
            assert!(
                matches!(parse_public_key(&text), Err(BundleError::BadKey { .. })),
                "{text:?}"
            );
        }
    }

    #[test]
    fn a_ledger_gets_one_key_and_keeps_it() {
        let Ok(mut ledger) = Ledger::create_in_memory("230521", "plan") else {
            panic!("ledger");
        };
        assert!(matches!(
            ledger_public_key(&ledger),
            Err(BundleError::NoSigningKey)
        ));
        let first = ensure_signing_key(&mut ledger).ok();
        assert!(first.is_some());
        assert_eq!(ensure_signing_key(&mut ledger).ok(), first);
        assert_eq!(ledger_public_key(&ledger).ok(), first);
    }

    #[test]
    fn seeds_are_fresh() {
        let (Ok(a), Ok(b)) = (generate_seed(), generate_seed()) else {
            panic!("random source");
        };
        assert_ne!(a, b);
        assert_ne!(public_key(&a), public_key(&b));
    }
}
