//! The plan a ledger follows: the text of an adopted plan file kept in the ledger, so every
//! clerk and the city use it without naming the file, and the audit of every adoption.

use jiff::Timestamp;
use rusqlite::{TransactionBehavior, params};

use super::records::parse_timestamp;
use super::{Ledger, META_PLAN_ID, StoreError, read_meta};

/// The `meta` key of the adopted plan file's text (absent until a plan is adopted).
const META_PLAN_TEXT: &str = "plan_text";
/// The `meta` key of the name the adopted file was given under (for messages).
const META_PLAN_SOURCE: &str = "plan_source";

/// The plan file a ledger has adopted, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPlan {
    pub plan_id: String,
    /// The file's text, exactly as adopted.
    pub text: String,
    /// The file name it was adopted from.
    pub source: String,
}

/// One adoption of a plan, as audited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanEvent {
    /// The plan followed before; the ledger's creation-time plan for the first adoption.
    pub old_plan_id: String,
    pub new_plan_id: String,
    /// The file name the plan was adopted from.
    pub source: String,
    /// Lower-case hex SHA-256 of the adopted text.
    pub sha256: String,
    pub actor: String,
    pub at: Timestamp,
}

/// What adopting a plan did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdoptOutcome {
    /// The plan is now the one in force; `old_plan_id` was before.
    Adopted { old_plan_id: String },
    /// This very text was already in force; nothing changed.
    AlreadyInForce,
}

/// The plan file the ledger at `path` has adopted, if any, read without opening the ledger
/// for work (no migration, nothing written): what a command needs to know before it opens
/// the ledger itself.
pub fn stored_plan_at(path: &std::path::Path) -> Result<Option<StoredPlan>, StoreError> {
    stored_plan_in(&super::check::open_for_reading(path)?)
}

fn stored_plan_in(conn: &rusqlite::Connection) -> Result<Option<StoredPlan>, StoreError> {
    let Some(text) = read_meta(conn, META_PLAN_TEXT)? else {
        return Ok(None);
    };
    Ok(Some(StoredPlan {
        plan_id: read_meta(conn, META_PLAN_ID)?.unwrap_or_default(),
        text,
        source: read_meta(conn, META_PLAN_SOURCE)?.unwrap_or_default(),
    }))
}

impl Ledger {
    /// The plan file this ledger has adopted, if any.
    pub fn stored_plan(&self) -> Result<Option<StoredPlan>, StoreError> {
        stored_plan_in(&self.conn)
    }

    /// Makes `text` (a plan file the caller has checked, whose id is `plan_id`) the plan this
    /// ledger follows, in one transaction with its audit row. Records are not touched.
    pub fn adopt_plan(
        &mut self,
        plan_id: &str,
        text: &str,
        source: &str,
        actor: &str,
        at: Timestamp,
    ) -> Result<AdoptOutcome, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let old_plan_id = read_meta(&tx, META_PLAN_ID)?.unwrap_or_default();
        let old_text = read_meta(&tx, META_PLAN_TEXT)?;
        if old_plan_id == plan_id && old_text.as_deref() == Some(text) {
            return Ok(AdoptOutcome::AlreadyInForce);
        }
        for (key, value) in [
            (META_PLAN_ID, plan_id),
            (META_PLAN_TEXT, text),
            (META_PLAN_SOURCE, source),
        ] {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
        }
        let sha256 = {
            use sha2::Digest;
            hex::encode(sha2::Sha256::digest(text.as_bytes()))
        };
        tx.execute(
            "INSERT INTO plan_events (old_plan_id, new_plan_id, source, sha256, actor, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![old_plan_id, plan_id, source, sha256, actor, at.to_string()],
        )?;
        // The new plan's rules may count differently: the kept counts follow them.
        let basis = super::counts::ledger_basis(&tx)?;
        super::counts::settle(&tx, &basis)?;
        tx.commit()?;
        self.basis = basis;
        Ok(AdoptOutcome::Adopted { old_plan_id })
    }

    /// Every adoption of a plan, oldest first.
    pub fn plan_events(&self) -> Result<Vec<PlanEvent>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT old_plan_id, new_plan_id, source, sha256, actor, at
             FROM plan_events ORDER BY seq",
        )?;
        let events = stmt
            .query_map([], |row| {
                let at: String = row.get(5)?;
                Ok(PlanEvent {
                    old_plan_id: row.get(0)?,
                    new_plan_id: row.get(1)?,
                    source: row.get(2)?,
                    sha256: row.get(3)?,
                    actor: row.get(4)?,
                    at: parse_timestamp(5, &at)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(events)
    }
}
