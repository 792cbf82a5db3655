//! Signed sync bundles: the file format, keys, export to a USB stick, import and receipts.
//! The format is specified in `docs/bundle-format.md`.

pub mod disk;
pub mod error;
pub mod export;
pub mod format;
pub mod import;
pub mod keys;
pub mod receipt;

pub use disk::{ExportFs, RealFs};
pub use error::{
    BundleError, DiskProblem, ExportStep, FilePart, KeyFlaw, ReceiptMismatch, RecordFault,
};
pub use export::{ExportDone, export, export_with};
pub use import::{
    DryRun, FileOutcome, ImportOutcome, PlannedAction, VerifiedBundle, dry_run, import,
    import_confirmed, import_paths, import_paths_confirmed, inspect, preview,
};
pub use receipt::{ReceiptDone, import_receipt, write_receipt, write_receipt_with};
