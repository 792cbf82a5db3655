//! `--demo`: a throw-away ledger in the temporary directory, filled with synthetic records,
//! removed again when the interface ends.

use std::path::{Path, PathBuf};

use crate::demo::DemoRecords;
use crate::domain::validate::validate_record;
use crate::plan::Plan;
use crate::store;
use crate::tui::TuiError;

/// How many synthetic records a demo ledger holds: a few pages per kind, and progress
/// figures of the order of a real unit's quota.
const DEMO_RECORDS: usize = 120;
const DEMO_SEED: u64 = 2021;

/// The demo ledger's file; removed (with its draft and SQLite side files) on drop.
pub struct DemoLedger {
    path: PathBuf,
}

impl DemoLedger {
    /// Makes and fills a new demo ledger for the plan's first unit.
    pub fn create(plan: &Plan) -> Result<DemoLedger, TuiError> {
        let path = std::env::temp_dir().join(format!(
            "taizhang-demo-{}-{}.sqlite",
            std::process::id(),
            uuid::Uuid::now_v7().simple()
        ));
        let demo = DemoLedger { path };
        let unit = plan
            .units
            .first()
            .map(|u| u.code.clone())
            .unwrap_or_default();
        let mut ledger = crate::bundle::keys::create_unit_ledger(&demo.path, &unit, &plan.id)?;
        let mut generator = DemoRecords::new(DEMO_SEED, plan.start, plan.end).in_unit(&unit);
        let records: Vec<_> = (0..DEMO_RECORDS)
            .filter_map(|_| {
                let (kind, values) = generator.next_record();
                validate_record(kind, &values).ok()
            })
            .collect();
        ledger.insert_many(&records, &store::draft_account())?;
        Ok(demo)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for DemoLedger {
    fn drop(&mut self) {
        let base = self.path.as_os_str().to_owned();
        for suffix in ["", "-wal", "-shm"] {
            let mut file = base.clone();
            file.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(file));
        }
        let draft = store::drafts::DraftStore::beside(&self.path, &store::draft_account());
        let _ = std::fs::remove_file(draft.path());
    }
}
