//! What can stop the interface from starting or running.

use crate::plan::PlanError;
use crate::store::StoreError;
use crate::store::drafts::DraftError;

/// Why the interface could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// Standard input or output is not a terminal.
    #[error("not a terminal")]
    NotATerminal,
    /// No ledger path was given and the system has no data directory.
    #[error("no data directory for the ledger")]
    NoDataDir,
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Draft(#[from] DraftError),
    #[error(transparent)]
    Bundle(#[from] crate::bundle::BundleError),
    #[error(transparent)]
    Plan(#[from] PlanError),
}
