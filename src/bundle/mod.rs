//! Signed sync bundles: the file format, keys, export to a USB stick, import, receipts, and
//! the log of bundles the city refused. The format is specified in `docs/bundle-format.md`.

pub mod disk;
pub mod error;
pub mod export;
pub mod format;
pub mod import;
pub mod keys;
pub mod progress;
pub mod receipt;
pub mod refusal;

pub use disk::{ExportFs, RealFs};
pub use error::{
    AwardEventFault, BundleError, DiskProblem, ExportStep, FilePart, KeyFlaw, PoolLineFault,
    ReceiptMismatch, RecordFault,
};
pub use export::{ExportDone, export, export_with, export_with_progress};
pub use import::{
    DryRun, DryRunSummary, FileOutcome, ImportOutcome, PlannedAction, VerifiedBundle, dry_run,
    dry_run_each, import, import_confirmed, import_paths, import_paths_with_progress,
    import_with_progress, inspect, inspect_file, preview,
};
pub use progress::{OnProgress, Progress, Stage};
pub use receipt::{
    ReceiptDone, import_receipt, import_receipt_file, write_receipt, write_receipt_with,
};
pub use refusal::log_refusals;
